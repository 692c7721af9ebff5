"""The prepared inputs every suggestion builder shares, and the helpers they have in common."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import Filters, HourWindow
from hotspots.planning import patrol
from hotspots.planning.model import UNSAFE_MIN, GeographyLike, PlanOptions

__all__ = [
    "Context",
    "centroids_xy",
    "hotspot_at",
    "mark_reasons",
    "road_label",
    "survey_days",
    "time_of",
    "within",
]


def centroids_xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    """Centroids of the rows of ``frame`` as an ``n x 2`` array, metres."""
    if len(frame) == 0:
        return np.zeros((0, 2))
    return shapely.get_coordinates(frame.geometry.centroid.to_numpy()).reshape(-1, 2)


def within(xy: np.ndarray, geom: BaseGeometry, radius_m: float) -> np.ndarray:
    """Whether each point of ``xy`` lies within ``radius_m`` metres of ``geom``."""
    if len(xy) == 0:
        return np.zeros(0, dtype=bool)
    zone = geom.buffer(radius_m) if radius_m > 0 else geom
    shapely.prepare(zone)
    return np.asarray(shapely.contains_xy(zone, xy[:, 0], xy[:, 1]), dtype=bool)


class Context:
    """Prepared inputs shared by the builders (internal).

    ``filters`` are the analysis' filters: their hours and weekdays bound every
    suggestion's time window (:attr:`hours`, :attr:`days`), so that a plan made for Friday
    and Saturday nights schedules nothing on a Tuesday evening. A window that wraps
    midnight belongs to the day it starts (:mod:`hotspots.planning.patrol`): with
    ``fri, sat`` and ``22-04``, Saturday night runs into Sunday 04:00.
    """

    def __init__(
        self,
        incidents: gpd.GeoDataFrame,
        survey: gpd.GeoDataFrame | None,
        geography: GeographyLike,
        options: PlanOptions,
        *,
        filters: Filters | None = None,
    ) -> None:
        #: Hours of the day every suggestion's window lies in (``None``: any).
        self.hours: HourWindow | None = None
        #: Weekdays (Monday = 0) every suggestion's window may start on (``None``: any).
        self.days: tuple[int, ...] | None = None
        if filters is not None:
            full_day = filters.hours is not None and len(filters.hours.hours()) == 24
            self.hours = None if full_day else filters.hours
            days = filters.weekdays
            self.days = None if days is None or set(days) >= set(range(7)) else tuple(days)
        self.inc = incidents.reset_index(drop=True)
        self.xy = centroids_xy(self.inc)
        self.cat = self.inc["category"].astype(str).to_numpy()
        self.t = pd.DatetimeIndex(self.inc["occurred_at"])
        self.until = (
            pd.DatetimeIndex(self.inc["occurred_until"]) if "occurred_until" in self.inc else None
        )
        if survey is not None and len(survey):
            unsafe = pd.to_numeric(survey["unsafe"], errors="coerce").fillna(0).to_numpy()
            self.marks = survey[unsafe >= UNSAFE_MIN].reset_index(drop=True)
        else:
            self.marks = None
        self.mark_xy = centroids_xy(self.marks) if self.marks is not None else np.zeros((0, 2))
        self.geo = geography
        self.opt = options
        self.water = geography.water if geography.water is not None else None
        self.land = geography.land
        roads = geography.roads
        self.road_kind = roads["kind"].astype(str).to_numpy() if len(roads) else np.array([])
        self.road_name = _road_names(roads)
        self.walk_lines = patrol.walkable_lines(
            roads.geometry[self.road_kind != "motorway"].to_numpy(),
            land=self.land,
            water=self.water,
        )
        self.places = geography.places
        if len(self.t):
            self.d0 = self.t.min().date()
            self.d1 = self.t.max().date()
            self.weeks = max(1.0, ((self.d1 - self.d0).days + 1) / 7.0)
        else:
            self.d0 = self.d1 = None
            self.weeks = 1.0

    def window_days(self, window: HourWindow) -> tuple[int, ...] | None:
        """The weekdays (Monday = 0) on which ``window`` may start, by the analysis' weekdays.

        A night of the analysis belongs to the day it starts: with ``fri, sat`` and
        ``22-04``, a window wholly after midnight (``00-03``) starts on Saturday or Sunday.
        ``None``: any day.
        """
        if self.days is None:
            return None
        hours = self.hours
        end = hours.end % 24 if hours is not None else 0
        wraps = hours is not None and end != 0 and hours.start >= end
        if wraps and window.start < end:  # after midnight of a night that began the day before
            return tuple(sorted((d + 1) % 7 for d in self.days))
        return self.days

    def cat_mask(self, codes: Iterable[str]) -> np.ndarray:
        """Whether each incident's category is one of ``codes``."""
        return np.isin(self.cat, list(codes))

    def profile(self, idx: np.ndarray) -> np.ndarray:
        """Weekday x hour profile (7 x 24) of the incidents ``idx``."""
        return patrol.hour_weekday_profile(
            pd.Series(self.t[idx]),
            occurred_until=None if self.until is None else pd.Series(self.until[idx]),
        )

    def road_name_near(
        self, xy: np.ndarray, max_m: float = 60.0, *, walkable: bool = False
    ) -> str | None:
        """Name of the nearest named road within ``max_m`` metres of ``xy``, or ``None``.

        With ``walkable`` motorways are passed over (a foot patrol is not named after one).
        """
        if not len(self.road_name) or not len(self.geo.roads):
            return None
        p = Point(xy)
        d = self.geo.roads.geometry.distance(p).to_numpy()
        named = np.array([bool(n) for n in self.road_name])
        if walkable:
            named &= self.road_kind != "motorway"
        if not named.any():
            return None
        d = np.where(named, d, np.inf)
        i = int(np.argmin(d))
        return self.road_name[i] if d[i] <= max_m else None

    def place_name_near(self, xy: np.ndarray, max_m: float) -> str | None:
        """Name of the nearest place within ``max_m`` metres of ``xy``, or ``None``."""
        if self.places is None or not len(self.places):
            return None
        d = self.places.geometry.distance(Point(xy)).to_numpy()
        i = int(np.argmin(d))
        name = self.places["name"].iloc[i]
        return str(name) if d[i] <= max_m and isinstance(name, str) and name else None


def road_label(name: object, ref: object) -> str:
    """A road as a reader names it: its name, with its number when the name lacks it.

    Examples
    --------
    >>> road_label("E18", "E18"), road_label("Riksväg 61/62 (Bergvik-Ilanda)", "61")
    ('E18', 'Riksväg 61/62 (Bergvik-Ilanda)')
    >>> road_label("Hammaröleden", "236"), road_label(None, "E45"), road_label("", None)
    ('Hammaröleden (236)', 'E45', '')
    """
    n = name.strip() if isinstance(name, str) else ""
    r = ref.strip() if isinstance(ref, str) else ""
    if n and r and re.search(rf"(?<![\w]){re.escape(r)}(?![\w])", n, flags=re.IGNORECASE):
        return n  # the name already says the number: "E18", "Riksväg 61"
    return f"{n} ({r})" if n and r else n or r


def _road_names(roads: gpd.GeoDataFrame) -> list[str]:
    names = roads["name"] if "name" in roads else pd.Series([None] * len(roads))
    refs = roads["ref"] if "ref" in roads else pd.Series([None] * len(roads))
    return [road_label(n, r) for n, r in zip(names, refs, strict=True)]


def time_of(
    ctx: Context,
    idx: np.ndarray,
    *,
    allowed: HourWindow | None = None,
    allowed_days: Sequence[int] | None = None,
    max_hours: int = 6,
) -> tuple[HourWindow | None, tuple[int, ...], np.ndarray]:
    """Window, weekdays and day weights of the incidents ``idx``.

    The window lies inside ``allowed`` and the analysis' hours (:attr:`Context.hours`), the
    weekdays among ``allowed_days`` and the days the analysis' nights start on
    (:meth:`Context.window_days`); ``(None, (), zeros)`` when no incident falls inside them.
    """
    if len(idx) == 0:
        return None, (), np.zeros(7)
    inside = patrol.allowed_hours(allowed, ctx.hours)
    if inside is not None and not inside:
        return None, (), np.zeros(7)
    prof = ctx.profile(idx)
    if allowed_days is not None:
        keep = np.zeros(7, dtype=bool)
        keep[list(allowed_days)] = True
        prof = np.where(keep[:, None], prof, 0.0)
    window = patrol.window_from_profile(prof.sum(axis=0), allowed=inside, max_hours=max_hours)
    if window is None:
        return None, (), np.zeros(7)
    days_ok = _both_days(allowed_days, ctx.window_days(window))
    if days_ok is not None and not days_ok:
        return None, (), np.zeros(7)
    # weekday weights of the window, by the day the window started
    hours = np.array(window.hours())
    days = np.repeat(np.arange(7), len(hours))
    hrs = np.tile(hours, 7)
    shifted = patrol.shift_weekday(days, hrs, window)
    w = prof[days, hrs]
    day_w = np.bincount(shifted, weights=w, minlength=7)
    if days_ok is not None:
        mask = np.zeros(7, dtype=bool)
        mask[list(days_ok)] = True
        day_w = np.where(mask, day_w, 0.0)
    weekdays = patrol.weekdays_from_weights(day_w)
    if days_ok is not None:
        weekdays = tuple(d for d in weekdays if d in days_ok) or days_ok
    return window, weekdays, day_w


def _both_days(a: Sequence[int] | None, b: Sequence[int] | None) -> tuple[int, ...] | None:
    """The weekdays in both ``a`` and ``b`` (``None`` is every day), in order."""
    if a is None and b is None:
        return None
    days = set(range(7))
    for given in (a, b):
        if given is not None:
            days &= set(given)
    return tuple(sorted(days))


def survey_days(ctx: Context, window: HourWindow) -> tuple[tuple[int, ...], np.ndarray]:
    """Weekdays and day weights of a suggestion from survey marks (which carry no weekday).

    Every day ``window`` may start on (:meth:`Context.window_days`; all seven without a
    weekday filter), weighted alike.
    """
    days = ctx.window_days(window)
    chosen = days if days is not None else tuple(range(7))
    weights = np.zeros(7)
    weights[list(chosen)] = 1.0
    return tuple(chosen), weights


def mark_reasons(ctx: Context, marks: np.ndarray) -> dict[str, int]:
    """Counts of the survey ``reason`` codes of the unsafe marks ``marks``."""
    if ctx.marks is None or len(marks) == 0 or "reason" not in ctx.marks:
        return {}
    reasons = ctx.marks["reason"].iloc[marks].dropna().astype(str)
    return {str(k): int(v) for k, v in reasons.value_counts().items()}


def hotspot_at(hot: gpd.GeoDataFrame, xy: np.ndarray, within_m: float = 100.0) -> int | None:
    """Rank of the hotspot nearest ``xy`` when within ``within_m`` metres, else ``None``."""
    if not len(hot):
        return None
    d = hot.geometry.distance(Point(xy)).to_numpy()
    i = int(np.argmin(d))
    return int(hot["rank"].iloc[i]) if d[i] <= within_m else None
