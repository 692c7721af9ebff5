"""Frozen configuration objects passed explicitly through the analysis.

No module keeps mutable settings: Streamlit sessions share one process, so every choice travels
as an argument. :class:`Filters` selects incidents; :class:`AnalysisConfig` sets the analysis.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal

from hotspots.core.errors import InputSchemaError
from hotspots.core.taxonomy import CODES, PROBLEM_AREAS, codes_in_area, is_restricted, lookup

__all__ = [
    "DEFAULT_METRIC_CRS",
    "KERNELS",
    "OPENING",
    "TIMEZONE",
    "WEEKDAYS",
    "AnalysisConfig",
    "Filters",
    "HourWindow",
    "OpeningSettings",
    "parse_categories",
    "parse_hours",
    "parse_weekdays",
]

#: Local time zone of every timestamp; naive input times are read as this zone.
#: The metric CRS of Swedish data: SWEREF 99 TM.
DEFAULT_METRIC_CRS = "EPSG:3006"

TIMEZONE = "Europe/Stockholm"

KERNELS: tuple[str, ...] = ("quartic", "gaussian", "epanechnikov", "triangular", "uniform")
#: Weekday codes, Monday first (index = ``datetime.weekday()``).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ALIASES: dict[str, int] = {
    **{d: i for i, d in enumerate(WEEKDAYS)},
    **{d: i for i, d in enumerate(("man", "tis", "ons", "tor", "fre", "lor", "son"))},
    **{d: i for i, d in enumerate(("mån", "tis", "ons", "tors", "fre", "lör", "sön"))},
}

Kernel = Literal["quartic", "gaussian", "epanechnikov", "triangular", "uniform"]


@dataclass(frozen=True, slots=True)
class HourWindow:
    """A window of whole hours that may wrap midnight.

    ``HourWindow(22, 4)`` covers 22:00-03:59 (hours 22, 23, 0, 1, 2, 3): ``end`` is exclusive.
    ``HourWindow(0, 24)`` is the whole day.

    Attributes
    ----------
    start
        First hour, 0-23.
    end
        Hour after the last one, 1-24.
    """

    start: int
    end: int

    def hours(self) -> tuple[int, ...]:
        """The hours of the day (0-23) inside the window, in order from ``start``."""
        if self.end == 24 and self.start == 0:
            return tuple(range(24))
        n = (self.end - self.start) % 24 or 24
        return tuple((self.start + i) % 24 for i in range(n))

    def __str__(self) -> str:
        return f"{self.start:02d}-{self.end % 24:02d}"


def parse_hours(text: str) -> HourWindow:
    """Parse ``"22-04"`` (22:00 to 04:00, across midnight) or ``"8-17"`` into a window.

    Raises
    ------
    InputSchemaError
        When the text is not ``START-END`` with hours 0-24.
    """
    parts = str(text).replace("–", "-").split("-")
    try:
        start, end = (int(p.strip().split(":")[0]) for p in parts)
    except ValueError as exc:
        msg = f"--hours: {text!r} is not START-END in whole hours, e.g. 22-04 or 08-17"
        raise InputSchemaError(msg) from exc
    if not (0 <= start <= 23 and 0 <= end <= 24) or (start == end % 24 and not (start == 0)):
        msg = f"--hours: {text!r} must have hours 0-24 and a start different from the end"
        raise InputSchemaError(msg)
    return HourWindow(start, 24 if end == 0 and start == 0 else end)


def parse_weekdays(text: str) -> tuple[int, ...]:
    """Parse ``"fri,sat"`` (English or Swedish abbreviations) into weekday numbers (Mon = 0).

    Raises
    ------
    InputSchemaError
        When a name is not a weekday.
    """
    out: list[int] = []
    for raw in str(text).split(","):
        name = raw.strip().casefold()[:4]
        key = name if name in _WEEKDAY_ALIASES else name[:3]
        if key not in _WEEKDAY_ALIASES:
            msg = f"--weekdays: {raw.strip()!r} is not a weekday; use {','.join(WEEKDAYS)}"
            raise InputSchemaError(msg)
        out.append(_WEEKDAY_ALIASES[key])
    return tuple(sorted(set(out)))


def parse_categories(
    categories: list[str] | tuple[str, ...] | None, area: str | None
) -> tuple[str, ...] | None:
    """Resolve ``--category`` values and ``--area`` into taxonomy codes.

    Returns ``None`` for "every public category". Restricted categories are refused: they
    never enter a density, a hotspot or an output.

    Raises
    ------
    InputSchemaError
        For an unknown code or area, or a restricted category.
    """
    codes: list[str] = []
    if area:
        if area not in PROBLEM_AREAS:
            msg = f"--area: {area!r} is not a problem area; use one of {', '.join(PROBLEM_AREAS)}"
            raise InputSchemaError(msg)
        codes.extend(codes_in_area(area))
    for value in categories or ():
        cat = lookup(value)
        if cat is None:
            msg = f"--category: {value!r} is not a category; use one of {', '.join(CODES)}"
            raise InputSchemaError(msg)
        if is_restricted(cat.code):
            msg = (
                f"--category: {cat.code!r} is a restricted category and is never mapped "
                "or exported; it is counted only in internal tables"
            )
            raise InputSchemaError(msg)
        codes.append(cat.code)
    return tuple(dict.fromkeys(codes)) if codes else None


@dataclass(frozen=True, slots=True)
class Filters:
    """Which incidents an analysis uses.

    Attributes
    ----------
    categories
        Taxonomy codes to keep; ``None`` keeps every public (non-restricted) category.
    since, until
        Inclusive start and exclusive end dates, local time (Europe/Stockholm); ``None`` = open.
    hours
        Hours of the day to keep; may wrap midnight.
    weekdays
        Weekday numbers to keep (Monday = 0); ``None`` keeps all.
    """

    categories: tuple[str, ...] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    hours: HourWindow | None = None
    weekdays: tuple[int, ...] | None = None

    def replace(self, **changes: object) -> Filters:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    """Parameters of a hotspot analysis.

    Attributes
    ----------
    kernel
        Kernel shape; for ``quartic``, ``epanechnikov``, ``triangular`` and ``uniform`` the
        bandwidth is the search radius, for ``gaussian`` the standard deviation.
    bandwidth_m
        Bandwidth in metres, or ``None`` for automatic choice.
    cell_m
        Grid cell size in metres.
    coverage
        Share of the study area that becomes hotspot (0-1).
    threshold
        Alternative to ``coverage``: ``"mean:3"`` (3 x mean density) or ``"pct:99"``.
    edge_correction
        Divide by the kernel mass on land (spatstat's ``edge=TRUE``).
    metric_crs
        Working CRS (projected, metres); ``None`` = EPSG:3006 in Sweden, else UTM.
    method
        ``"kde"`` or another method of :mod:`hotspots.forecast`; ``"auto"`` backtests.
    min_incidents
        A group of contiguous hotspot cells holding fewer incidents than this is not reported
        as a hotspot: with sharp methods a single address would otherwise make one, and a
        patrol planner needs places, not specks. 5 matches the small-count suppression of
        public exports.
    """

    kernel: Kernel = "quartic"
    bandwidth_m: float | None = 200.0
    cell_m: float = 25.0
    coverage: float = 0.05
    threshold: str | None = None
    edge_correction: bool = True
    metric_crs: str | None = None
    method: str = "kde"
    filters: Filters = field(default_factory=Filters)
    min_incidents: int = 5

    def __post_init__(self) -> None:
        if self.kernel not in KERNELS:
            msg = f"--kernel: {self.kernel!r} is not a kernel; use one of {', '.join(KERNELS)}"
            raise InputSchemaError(msg)
        if self.bandwidth_m is not None and not self.bandwidth_m > 0:
            msg = (
                "--bandwidth-m: must be a positive number of metres or auto "
                f"(got {self.bandwidth_m})"
            )
            raise InputSchemaError(msg)
        if not self.cell_m > 0:
            msg = f"--cell-m: must be a positive number of metres (got {self.cell_m})"
            raise InputSchemaError(msg)
        if not 0 < self.coverage <= 1:
            msg = f"--coverage: must be a share between 0 and 1, e.g. 0.05 (got {self.coverage})"
            raise InputSchemaError(msg)

        if self.min_incidents < 1:
            msg = f"--min-incidents: must be 1 or more (got {self.min_incidents})"
            raise InputSchemaError(msg)

    def replace(self, **changes: object) -> AnalysisConfig:
        """Return a copy with ``changes`` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class OpeningSettings:
    """The settings the app opens with; the app takes its widget defaults from :data:`OPENING`.

    All public categories besides these. The commands that analyse (``detect``, ``snapshot``,
    ``plan``) default to the same settings, so they find the same hotspots as the app.

    Attributes
    ----------
    kernel
        Kernel shape.
    cell_m
        Grid cell size, metres.
    study
        Study area: ``urban`` or ``municipality``.
    coverage
        Share of the study area that becomes hotspot (the app's slider shows per cent).
    bandwidth_m
        Bandwidth in metres; ``None``: automatic, tuned by backtest on all incidents of the
        chosen categories (:func:`hotspots.forecast.tuning_cache.tuned_bandwidth`).
    fixed_bandwidth_m
        The bandwidth slider's value when the automatic bandwidth is turned off, metres.
    patrol_hours
        Patrol hours per week of the plan on the map, the plan page and the follow-up.
    """

    kernel: str = "quartic"
    cell_m: int = 25
    study: str = "urban"
    coverage: float = 0.05
    bandwidth_m: float | None = None
    fixed_bandwidth_m: int = 200
    patrol_hours: float = 10.0


#: The app's opening settings (its widget defaults, and what ``hotspots app`` tunes first).
OPENING = OpeningSettings()
