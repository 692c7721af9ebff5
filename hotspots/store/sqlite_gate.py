"""Keep GDAL's SQLite and Python's sqlite3 from having one GeoPackage open at once.

A GeoPackage is read through GDAL (pyogrio, several times faster) and written through
Python's ``sqlite3``. These are two copies of the SQLite library in one process, and SQLite's
file locks are POSIX locks, which belong to the process: neither copy sees the other's
connections. When one copy opens a WAL database and finds no connection of its own, it takes
itself for the only user and truncates the shared-memory file (``-shm``) that the other copy
has mapped; the other copy's next access then dies with SIGBUS. That happened in the app
when the audit log was written by one thread while another read a layer.

So within a process, per file, connections of the two libraries never overlap: any number
of ``sqlite3`` connections, or any number of GDAL reads, but not both. Separate processes
are unaffected (their locks do see each other).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

__all__ = [
    "GatedConnection",
    "Library",
    "enter_library",
    "library_gate",
    "try_library_gate",
]

Library = Literal["sqlite3", "gdal"]
_OTHER: dict[str, Library] = {"sqlite3": "gdal", "gdal": "sqlite3"}


class _Gate:
    """Holders per library for one file; the two libraries exclude each other."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._held: dict[str, int] = {"sqlite3": 0, "gdal": 0}
        self._owner: dict[int, dict[str, int]] = {}

    def _reentrant(self, lib: Library) -> bool:
        """Whether this thread already holds the gate as ``lib`` (nested use must not wait)."""
        return self._owner.get(threading.get_ident(), {}).get(lib, 0) > 0

    def enter(self, lib: Library, *, timeout_s: float | None = None) -> bool:
        """Hold the gate as ``lib``; ``False`` when not free within ``timeout_s`` seconds.

        A thread that holds the other library's side never waits for itself: it gets
        ``False`` at once (or an error, without a timeout).
        """
        other = _OTHER[lib]
        me = threading.get_ident()
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        with self._cond:
            if not self._reentrant(lib):
                if self._owner.get(me, {}).get(other, 0):
                    if timeout_s is not None:
                        return False
                    msg = f"a thread holding the {other} side of a GeoPackage asked for {lib}"
                    raise RuntimeError(msg)
                while self._held[other]:
                    left = None if deadline is None else deadline - time.monotonic()
                    if left is not None and left <= 0:
                        return False
                    self._cond.wait(left)
            self._held[lib] += 1
            mine = self._owner.setdefault(me, {})
            mine[lib] = mine.get(lib, 0) + 1
        return True

    def leave(self, lib: Library) -> None:
        me = threading.get_ident()
        with self._cond:
            self._held[lib] -= 1
            mine = self._owner[me]
            mine[lib] -= 1
            if not any(mine.values()):
                del self._owner[me]
            self._cond.notify_all()


class GatedConnection(sqlite3.Connection):
    """An sqlite3 connection that gives its file back to GDAL when it closes.

    Open it with ``sqlite3.connect(..., factory=GatedConnection)`` after
    :func:`enter_library` and set ``release`` to the function that returned.
    """

    release: Callable[[], None] | None = None

    def close(self) -> None:
        """Close the connection, then let GDAL open the file again."""
        try:
            super().close()
        finally:
            release, self.release = self.release, None
            if release is not None:
                release()


_GATES: dict[str, _Gate] = {}
_GATES_LOCK = threading.Lock()


def _gate_for(path: Path) -> _Gate:
    key = str(Path(path).resolve())
    with _GATES_LOCK:
        gate = _GATES.get(key)
        if gate is None:
            gate = _GATES[key] = _Gate()
        return gate


@contextlib.contextmanager
def library_gate(path: Path, lib: Library) -> Iterator[None]:
    """Hold ``path`` for library ``lib`` while the block runs (waits for the other library)."""
    gate = _gate_for(path)
    gate.enter(lib)
    try:
        yield
    finally:
        gate.leave(lib)


def enter_library(path: Path, lib: Library) -> Callable[[], None]:
    """Hold ``path`` for ``lib`` until the returned function is called (a connection's life)."""
    gate = _gate_for(path)
    gate.enter(lib)
    return lambda: gate.leave(lib)


def try_library_gate(
    path: Path, lib: Library, *, timeout_s: float
) -> contextlib.AbstractContextManager[bool]:
    """Hold ``path`` for ``lib`` if free within ``timeout_s`` s; yields whether it did."""

    @contextlib.contextmanager
    def attempt() -> Iterator[bool]:
        gate = _gate_for(path)
        entered = gate.enter(lib, timeout_s=timeout_s)
        try:
            yield entered
        finally:
            if entered:
                gate.leave(lib)

    return attempt()
