"""Module-level jobs for tests/test_app_workers.py (a spawned worker imports them by name)."""

from __future__ import annotations

import os

from hotspots.core.errors import InsufficientDataError


def pid_and_square(value: int) -> tuple[int, int]:
    """The worker's process id and ``value`` squared."""
    return os.getpid(), value * value


def fail_with(message: str) -> None:
    """Raise the error a backtest raises on too little data."""
    raise InsufficientDataError(message)
