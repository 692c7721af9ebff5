"""Exception types of the package.

Every error the package raises on purpose derives from :class:`HotspotsError`, so the CLI can
turn them into one clear line on stderr and exit code 2, and everything else into exit code 1.
"""

from __future__ import annotations

__all__ = [
    "CRSError",
    "HotspotsError",
    "InputFileError",
    "InputSchemaError",
    "InsufficientDataError",
    "StoreBusyError",
    "StoreError",
]


class HotspotsError(Exception):
    """Base class of every error raised on purpose by ``hotspots``."""


class CRSError(HotspotsError, ValueError):
    """A frame or a file is in the wrong coordinate reference system, or has none."""


class InputSchemaError(HotspotsError, ValueError):
    """Input data or an argument does not follow the data or CLI contract."""


class InputFileError(InputSchemaError):
    """A whole input file cannot be read (binary, empty, header only, no location or time)."""

    def __init__(self, path: object, problem: str) -> None:
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class InsufficientDataError(HotspotsError, ValueError):
    """Too few incidents (after filtering) for the requested analysis."""


class StoreError(HotspotsError):
    """The store cannot be opened, is not a hotspots store, or refused a change."""


class StoreBusyError(StoreError):
    """Another command held the store's write lock for longer than the busy timeout."""
