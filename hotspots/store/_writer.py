"""Who holds a store's write lock, for the busy message; leftovers of killed processes.

A GeoPackage writer leaves a small note beside the store (``.<name>.writer``: process id,
what it does, since when) while it holds the write lock, so that a command that times out can
say "an import is running (since 21:15)". Temporary files carry the writing process's id in
their name (``.<name>.<pid>.<random>.<suffix>``); files of processes that no longer run are
removed at the next start.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from hotspots.core.processes import pid_alive
from hotspots.core.schema import TIMEZONE

__all__ = [
    "WriterNote",
    "clean_stale_temporaries",
    "current_command",
    "fault_point",
    "pid_alive",
    "read_writer_note",
    "writer_note",
]

logger = logging.getLogger(__name__)

_TEMP_NAME = re.compile(r"^\.(?P<stem>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.(?:tmp|creating)$")


def current_command() -> str:
    """What this process is, in a few words (``hotspots import``, ``hotspots app``)."""
    argv = [a for a in sys.argv[:3] if a and not a.startswith("-")]
    if argv and Path(argv[0]).name in ("hotspots", "__main__.py", "-m"):
        return " ".join(["hotspots", *argv[1:2]])
    return Path(argv[0]).name if argv else "python"


class WriterNote:
    """What the note of a store's current writer says.

    Attributes
    ----------
    pid
        Process id of the writer.
    command
        What it is doing (``hotspots import``).
    since
        When it took the lock (Europe/Stockholm).
    """

    def __init__(self, pid: int, command: str, since: dt.datetime) -> None:
        self.pid = pid
        self.command = command
        self.since = since

    def describe(self) -> str:
        """E.g. ``an import is running (since 21:15)``."""
        doing = {
            "import": "an import is running",
            "demo": "the demo data is being loaded",
            "actions": "an action is being saved",
            "app": "the app is writing",
            "db": "a schema upgrade is running",
        }
        words = self.command.split()
        what = doing.get(words[1] if len(words) > 1 else "", f"{self.command} is writing")
        return f"{what} (since {self.since.astimezone(_tz()).strftime('%H:%M')})"


def _tz() -> dt.tzinfo:

    return ZoneInfo(TIMEZONE)


def _note_path(store: Path) -> Path:
    return store.with_name(f".{store.name}.writer")


@contextlib.contextmanager
def writer_note(store: Path, command: str | None = None) -> Iterator[None]:
    """Leave a note that this process holds ``store``'s write lock, for as long as it does."""
    note = _note_path(store)
    tmp = note.with_name(f".{store.name}.{os.getpid()}.note.tmp")
    body = {
        "pid": os.getpid(),
        "command": command or current_command(),
        "since": dt.datetime.now(dt.UTC).isoformat(),
    }
    try:
        tmp.write_text(json.dumps(body), encoding="utf-8")
        tmp.replace(note)
    except OSError:  # a read-only folder: the lock still works, the message is vaguer
        logger.debug("could not write the writer note %s", note)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            current = json.loads(note.read_text(encoding="utf-8"))
            if current.get("pid") == os.getpid():
                note.unlink()


def read_writer_note(store: Path) -> WriterNote | None:
    """The note of the process that holds ``store``'s write lock, if it still runs."""
    try:
        body = json.loads(_note_path(store).read_text(encoding="utf-8"))
        note = WriterNote(
            int(body["pid"]), str(body["command"]), dt.datetime.fromisoformat(body["since"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return note if pid_alive(note.pid) else None


def clean_stale_temporaries(folder: Path, stem: str | None = None) -> list[Path]:
    """Remove ``.<stem>.<pid>.<random>.tmp|creating`` files of processes that have ended.

    Parameters
    ----------
    folder
        Where to look.
    stem
        Only files whose name starts with ``.<stem>.``; ``None`` for any.

    Returns
    -------
    list of Path
        The files removed.
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None or (stem is not None and not entry.name.startswith(f".{stem}.")):
            continue
        if pid_alive(int(match["pid"])):
            continue
        with contextlib.suppress(OSError):
            for extra in ("", "-journal", "-wal", "-shm"):
                Path(f"{entry}{extra}").unlink(missing_ok=True)
            removed.append(entry)
            logger.info("removed %s, left by a process that ended", entry)
    if stem is not None:
        note = _note_path(folder / stem)
        if note.is_file() and read_writer_note(folder / stem) is None:
            with contextlib.suppress(OSError):
                note.unlink()
    return removed


def fault_point(name: str) -> None:
    """Kill this process (SIGKILL) here when ``HOTSPOTS_KILL_AT`` names this point.

    A testing aid for crash safety: the tests kill real imports at ``chunk`` (after the first
    chunk is written), ``commit`` (just before ``COMMIT``) and ``committed`` (just after).
    """
    if os.environ.get("HOTSPOTS_KILL_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)
