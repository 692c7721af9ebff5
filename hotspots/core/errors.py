"""Exception types of the package.

Every error the package raises on purpose derives from :class:`HotspotsError`, so the CLI can
turn them into one clear line on stderr and exit code 2, and everything else into exit code 1.
"""

from __future__ import annotations

__all__ = [
    "AuthenticationError",
    "CRSError",
    "HotspotsError",
    "HoursDoNotFitError",
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


class HoursDoNotFitError(InputSchemaError):
    """The patrol hours asked for do not fit the suggestions' time windows.

    Attributes
    ----------
    hours
        Patrol hours per week asked for.
    fits_hours
        Hours of visits the windows hold.
    by_teams
        Whether it is the number of teams that limits (more teams would fit more), not the
        windows themselves.
    """

    def __init__(self, message: str, *, hours: float, fits_hours: float, by_teams: bool) -> None:
        super().__init__(message)
        self.hours = float(hours)
        self.fits_hours = float(fits_hours)
        self.by_teams = bool(by_teams)


class BasemapError(InputSchemaError):
    """A basemap's server could not be reached, or answered with an error or no image."""


class InsufficientDataError(HotspotsError, ValueError):
    """Too few incidents (after filtering) for the requested analysis."""


class StoreError(HotspotsError):
    """The store cannot be opened, is not a hotspots store, or refused a change."""


class StoreBusyError(StoreError):
    """Another command held the store's write lock for longer than the busy timeout."""


class AuthenticationError(HotspotsError):
    """A login failed: wrong name or password, a disabled account, or a lockout.

    Attributes
    ----------
    delay_s
        Seconds the caller should wait before answering (it grows with each failure).
    locked_until
        When a locked account or client may try again (UTC ISO), or ``None``.
    """

    def __init__(self, message: str, *, delay_s: float = 0.0, locked_until: str | None = None):
        super().__init__(message)
        self.delay_s = delay_s
        self.locked_until = locked_until
