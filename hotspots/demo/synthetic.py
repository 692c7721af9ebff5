"""Synthetic incidents with planted hotspot clusters, for tests and benchmarks (pure).

A *planted cluster* is a disc of incidents with a known centre, radius, number, hours of the
day (a window that may wrap midnight), weekdays and category; *background* incidents are
spread uniformly over a rectangle (optionally kept to a geometry such as the land) at uniform
times. Every frame follows :mod:`hotspots.core.schema`, plus a ``cluster`` column giving the
planted cluster index of each incident (-1 for background), so tests can check recovery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import HourWindow
from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import INCIDENT_COLUMNS, TIMEZONE
from hotspots.core.taxonomy import public_codes

__all__ = ["PlantedCluster", "planted_incidents", "random_clusters"]


#: Default window of a planted cluster: 22:00-01:59.
_NIGHT = HourWindow(22, 2)


@dataclass(frozen=True, slots=True)
class PlantedCluster:
    """One planted cluster of incidents.

    Attributes
    ----------
    x, y
        Centre in metres (metric CRS of the frame).
    radius_m
        Incidents are uniform on the disc of this radius, metres.
    n
        Number of incidents.
    hours
        Hours of the day the incidents happen in (uniform within the window).
    weekdays
        Weekday numbers (Monday = 0) the incidents happen on.
    category
        Taxonomy code of the incidents.
    """

    x: float
    y: float
    radius_m: float = 60.0
    n: int = 40
    hours: HourWindow = _NIGHT
    weekdays: tuple[int, ...] = (4, 5)
    category: str = "assault_public"


def _times(
    rng: np.random.Generator,
    n: int,
    *,
    start: pd.Timestamp,
    days: int,
    hours: Sequence[int],
    weekdays: Sequence[int],
) -> pd.DatetimeIndex:
    """Random local times on the given weekdays and hours within ``days`` from ``start``.

    ``hours`` run in order from the window's start; an hour after midnight of a window that
    wraps it (the 1 of 22, 23, 0, 1) falls on the next calendar day: a night belongs to the
    weekday it starts, as the filters read it (:func:`hotspots.engine.select.night_weekday`).
    """
    day0 = start.normalize()
    all_days = pd.date_range(day0, periods=days, freq="D")
    allowed = all_days[np.isin(all_days.weekday, list(weekdays))]
    if len(allowed) == 0:
        msg = f"no day in the {days}-day period falls on weekdays {list(weekdays)}"
        raise InputSchemaError(msg)
    day = allowed[rng.integers(0, len(allowed), n)]
    ordered = np.asarray(hours)
    pick = rng.integers(0, len(ordered), n)
    hour = ordered[pick]
    next_day = (ordered < ordered[0])[pick]  # after midnight of a window that wraps it
    minute = rng.integers(0, 60, n)
    naive = (
        day
        + pd.to_timedelta(hour + 24 * next_day, unit="h")
        + pd.to_timedelta(minute, unit="min")
    )
    return naive.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="shift_forward")


def _disc(rng: np.random.Generator, n: int, x: float, y: float, r: float) -> np.ndarray:
    rad = r * np.sqrt(rng.random(n))
    ang = rng.random(n) * 2 * np.pi
    return np.column_stack((x + rad * np.cos(ang), y + rad * np.sin(ang)))


def _uniform(
    rng: np.random.Generator,
    n: int,
    bounds: tuple[float, float, float, float],
    within: BaseGeometry | None,
) -> np.ndarray:
    minx, miny, maxx, maxy = bounds
    if within is None:
        return np.column_stack((rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)))
    shapely.prepare(within)
    out = np.empty((0, 2))
    while len(out) < n:
        cand = np.column_stack(
            (rng.uniform(minx, maxx, 2 * n + 16), rng.uniform(miny, maxy, 2 * n + 16))
        )
        cand = cand[shapely.contains_xy(within, cand[:, 0], cand[:, 1])]
        out = np.vstack((out, cand))
    return out[:n]


def planted_incidents(
    clusters: Sequence[PlantedCluster],
    *,
    background_n: int = 0,
    bounds: tuple[float, float, float, float],
    within: BaseGeometry | None = None,
    start: str = "2026-01-05",
    days: int = 182,
    seed: int = 0,
    crs: str = "EPSG:3006",
    background_categories: Sequence[str] | None = None,
) -> gpd.GeoDataFrame:
    """An incident frame with planted clusters and uniform background noise.

    Parameters
    ----------
    clusters
        The planted clusters.
    background_n
        Number of background incidents.
    bounds
        ``(minx, miny, maxx, maxy)`` metres: where background incidents fall.
    within
        Optional geometry (e.g. land) the background is kept to.
    start, days
        Period of the incidents (local dates).
    seed
        Random seed.
    crs
        Metric CRS of the coordinates.
    background_categories
        Categories drawn uniformly for the background (default every public one).

    Returns
    -------
    geopandas.GeoDataFrame
        Incident frame (schema columns) plus ``cluster`` (int, -1 = background).
    """
    rng = np.random.default_rng(seed)
    t0 = pd.Timestamp(start)
    xy: list[np.ndarray] = []
    times: list[pd.DatetimeIndex] = []
    cats: list[np.ndarray] = []
    cluster: list[np.ndarray] = []
    for i, c in enumerate(clusters):
        xy.append(_disc(rng, c.n, c.x, c.y, c.radius_m))
        times.append(
            _times(rng, c.n, start=t0, days=days, hours=c.hours.hours(), weekdays=c.weekdays)
        )
        cats.append(np.full(c.n, c.category, dtype=object))
        cluster.append(np.full(c.n, i))
    if background_n:
        pool = list(background_categories or public_codes())
        xy.append(_uniform(rng, background_n, bounds, within))
        times.append(
            _times(rng, background_n, start=t0, days=days, hours=range(24), weekdays=range(7))
        )
        cats.append(np.asarray(pool, dtype=object)[rng.integers(0, len(pool), background_n)])
        cluster.append(np.full(background_n, -1))
    pts = np.vstack(xy) if xy else np.empty((0, 2))
    n = len(pts)
    occurred = (
        times[0].append(times[1:]).tz_convert(TIMEZONE)
        if times
        else pd.DatetimeIndex([], tz=TIMEZONE)
    )
    cat = np.concatenate(cats) if cats else np.empty(0, dtype=object)
    frame = pd.DataFrame(
        {
            "id": [f"syn{i}" for i in range(n)],
            "occurred_at": occurred,
            "occurred_until": pd.Series(
                pd.NaT, index=range(n), dtype=f"datetime64[ns, {TIMEZONE}]"
            ),
            "time_precision": "exact",
            "category": cat,
            "source_category": cat,
            "precision": "exact",
            "source": "synthetic",
            "description": "",
            "import_id": f"synthetic-{seed}",
            "source_id": None,
        }
    )
    for col, dtype in INCIDENT_COLUMNS.items():
        frame[col] = frame[col].astype(dtype)
    frame["cluster"] = np.concatenate(cluster) if cluster else np.empty(0, dtype=int)
    ok = frame["occurred_at"].notna().to_numpy()  # DST-ambiguous local times dropped
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(pts[:, 0], pts[:, 1]), crs=crs)
    return gdf[ok].reset_index(drop=True)


def random_clusters(
    n_clusters: int,
    *,
    bounds: tuple[float, float, float, float],
    seed: int = 0,
    n_per_cluster: int = 40,
    radius_m: float = 60.0,
    min_separation_m: float = 600.0,
    within: BaseGeometry | None = None,
) -> list[PlantedCluster]:
    """Clusters at random, well-separated centres with random night or day windows.

    Each gets a random 4-hour window (starting 20:00-23:00 half the time, so wrapping
    midnight, else 08:00-16:00), two random weekdays and a random violence/unsafe/drug code.
    """
    rng = np.random.default_rng(seed)
    cats = ("assault_public", "robbery", "disorder", "vandalism", "drug_dealing", "intoxication")
    out: list[PlantedCluster] = []
    tries = 0
    while len(out) < n_clusters:
        tries += 1
        if tries > 10_000:
            msg = f"cannot place {n_clusters} clusters {min_separation_m} m apart in {bounds}"
            raise InputSchemaError(msg)
        x, y = _uniform(rng, 1, bounds, within)[0]
        if any(np.hypot(c.x - x, c.y - y) < min_separation_m for c in out):
            continue
        start = int(rng.integers(20, 24)) if rng.random() < 0.5 else int(rng.integers(8, 17))
        days = tuple(sorted(rng.choice(7, 2, replace=False).tolist()))
        out.append(
            PlantedCluster(
                x=float(x),
                y=float(y),
                radius_m=radius_m,
                n=n_per_cluster,
                hours=HourWindow(start, (start + 4) % 24 or 24),
                weekdays=days,
                category=str(cats[int(rng.integers(0, len(cats)))]),
            )
        )
    return out
