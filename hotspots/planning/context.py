"""The prepared inputs every suggestion builder shares, and the helpers they have in common."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import HourWindow
from hotspots.planning import patrol
from hotspots.planning.model import UNSAFE_MIN, GeographyLike, PlanOptions

__all__ = ["Context", "centroids_xy", "hotspot_at", "mark_reasons", "time_of", "within"]


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
    """Prepared inputs shared by the builders (internal)."""

    def __init__(
        self,
        incidents: gpd.GeoDataFrame,
        survey: gpd.GeoDataFrame | None,
        geography: GeographyLike,
        options: PlanOptions,
    ) -> None:
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

    def cat_mask(self, codes: Iterable[str]) -> np.ndarray:
        """Whether each incident's category is one of ``codes``."""
        return np.isin(self.cat, list(codes))

    def profile(self, idx: np.ndarray) -> np.ndarray:
        """Weekday x hour profile (7 x 24) of the incidents ``idx``."""
        return patrol.hour_weekday_profile(
            pd.Series(self.t[idx]),
            occurred_until=None if self.until is None else pd.Series(self.until[idx]),
        )

    def road_name_near(self, xy: np.ndarray, max_m: float = 60.0) -> str | None:
        """Name of the nearest named road within ``max_m`` metres of ``xy``, or ``None``."""
        if not len(self.road_name) or not len(self.geo.roads):
            return None
        p = Point(xy)
        d = self.geo.roads.geometry.distance(p).to_numpy()
        named = np.array([bool(n) for n in self.road_name])
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


def _road_names(roads: gpd.GeoDataFrame) -> list[str]:
    out: list[str] = []
    names = roads["name"] if "name" in roads else pd.Series([None] * len(roads))
    refs = roads["ref"] if "ref" in roads else pd.Series([None] * len(roads))
    for name, ref in zip(names, refs, strict=True):
        n = name if isinstance(name, str) and name.strip() else ""
        r = ref if isinstance(ref, str) and ref.strip() else ""
        out.append(f"{n} ({r})" if n and r else n or r)
    return out


def time_of(
    ctx: Context,
    idx: np.ndarray,
    *,
    allowed: HourWindow | None = None,
    allowed_days: Sequence[int] | None = None,
    max_hours: int = 6,
) -> tuple[HourWindow | None, tuple[int, ...], np.ndarray]:
    """Window, weekdays and day weights of the incidents ``idx``."""
    if len(idx) == 0:
        return None, (), np.zeros(7)
    prof = ctx.profile(idx)
    if allowed_days is not None:
        keep = np.zeros(7, dtype=bool)
        keep[list(allowed_days)] = True
        prof = np.where(keep[:, None], prof, 0.0)
    window = patrol.window_from_profile(prof.sum(axis=0), allowed=allowed, max_hours=max_hours)
    if window is None:
        return None, (), np.zeros(7)
    # weekday weights of the window, by the day the window started
    hours = np.array(window.hours())
    days = np.repeat(np.arange(7), len(hours))
    hrs = np.tile(hours, 7)
    shifted = patrol.shift_weekday(days, hrs, window)
    w = prof[days, hrs]
    day_w = np.bincount(shifted, weights=w, minlength=7)
    if allowed_days is not None:
        mask = np.zeros(7, dtype=bool)
        mask[list(allowed_days)] = True
        day_w = np.where(mask, day_w, 0.0)
    weekdays = patrol.weekdays_from_weights(day_w)
    if allowed_days is not None:
        weekdays = tuple(d for d in weekdays if d in allowed_days) or tuple(allowed_days)
    return window, weekdays, day_w


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
