"""A log of the app server's websocket frames and logins, for load measurements.

``hotspots app --frame-log FILE`` makes the gate (:mod:`hotspots.app.gate`) write one JSON
line per websocket frame and per login answered: when (seconds since the epoch, this
machine's clock), which way, how many bytes, the SHA-1 of what was sent, and the session
as the first 16 hex digits of the SHA-256 of its token. No content and no token is
written: the file says when the server received and sent what, not what it was.

``benchmarks/app_load.py`` reads it to time the server's share of a person's wait at the
server itself (a browser's own timestamps include the time its computer takes to get to
them).
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path
from typing import Any

__all__ = ["FrameLog", "session_key"]


def session_key(token: str) -> str:
    """The name of a session in the log: 16 hex digits of the SHA-256 of its token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()[:16]


class FrameLog:
    """Appends the frame records to ``path`` (JSON lines), one writer per process.

    Parameters
    ----------
    path
        The log file; created if missing, appended to otherwise.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def frame(self, token: str, direction: str, payload: bytes) -> None:
        """Note a websocket frame of the session ``token``: ``in`` or ``out``."""
        self._write(
            {
                "at": time.time(),
                "session": session_key(token),
                "dir": direction,
                "bytes": len(payload),
                "sha1": hashlib.sha1(payload).hexdigest() if direction == "out" else None,
            }
        )

    def login(self, token: str, started: float) -> None:
        """Note a login answered now for the session ``token``; ``started``: its request."""
        self._write(
            {"at": time.time(), "session": session_key(token), "dir": "login", "from": started}
        )

    def _write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record) + "\n"
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(line)
