"""Karlstad's incidents with some planted off the land: the placement tests' town.

Shared by the tests of the app's banner, the lägesbild's note and the placement modules
(imported as ``from shore_town import ...``). On the demo geography with the urban study area
(the districts' land): a background on the land, a cluster 8-16 m off a shore in the river
(moved onto land), points far out in the water and points on the municipality's land east of
the districts (left out), and restricted incidents among the left-out ones (never counted or
listed). :data:`IN_PERIOD` of each kind fall in the report week :data:`PERIOD` (2026-W47),
the rest in the year before it.
"""

from __future__ import annotations

import functools

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.core.periods import iso_week
from hotspots.core.schema import INCIDENT_COLUMNS, TIMEZONE
from hotspots.spatial.geography import Geography, default_geography

__all__ = [
    "COUNTS",
    "IN_PERIOD",
    "PERIOD",
    "geography",
    "incidents",
]

#: A point on the demo geography's shoreline in Karlstad: land to the west, Klarälven east
#: (the demo geography redrawn on 2026-12-04).
SHORE_X, SHORE_Y = 414_940.0, 6_584_840.0
#: Incidents of each kind (restricted: sexual offences, half in water, half outside).
COUNTS = {"background": 200, "cluster": 40, "deep": 9, "outside": 7, "restricted": 6}
#: Of each kind, how many lie in :data:`PERIOD`.
IN_PERIOD = {"background": 30, "cluster": 10, "deep": 4, "outside": 3, "restricted": 4}
#: The report week.
PERIOD = iso_week(2026, 47)


@functools.cache
def geography() -> Geography:
    """The demo geography in EPSG:3006, its land cut to the districts."""
    return default_geography("EPSG:3006").with_study_area("urban")


def _xy(geo: Geography, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Points of each kind (``n`` by 2, metres), checked against the geography."""
    land, water = geo.land, geo.water
    bx = rng.uniform(411_000, 416_000, 4000)
    by = rng.uniform(6_581_500, 6_586_000, 4000)
    on = shapely.contains_xy(land, bx, by)
    background = np.column_stack([bx[on], by[on]])[: COUNTS["background"]]
    n = COUNTS["cluster"]
    cluster = np.column_stack([SHORE_X + rng.uniform(8, 16, n), SHORE_Y + rng.uniform(-10, 10, n)])
    far = np.array(
        [[SHORE_X + d, SHORE_Y + dy] for dy in (0, -40) for d in range(40, 400, 5)], dtype=float
    )
    deep_all = far[
        shapely.contains_xy(water, far[:, 0], far[:, 1])
        & (shapely.distance(land, shapely.points(far)) > 30)
    ]
    deep = deep_all[: COUNTS["deep"]]
    n = COUNTS["outside"]
    outside = np.column_stack([428_000.0 + np.arange(n) * 50, np.full(n, 6_588_000.0)])
    half = COUNTS["restricted"] // 2
    restricted = np.vstack(
        [
            deep_all[COUNTS["deep"] : COUNTS["deep"] + half],
            np.column_stack([428_000.0 + np.arange(half) * 50, np.full(half, 6_588_100.0)]),
        ]
    )
    points = {
        "background": background,
        "cluster": cluster,
        "deep": deep,
        "outside": outside,
        "restricted": restricted,
    }
    _check(points, geo)
    return points


def _check(points: dict[str, np.ndarray], geo: Geography) -> None:
    """The planted points are where their kind says (else the fixture is wrong, not the code)."""
    for kind, xy in points.items():
        if len(xy) != COUNTS[kind]:
            msg = f"{kind}: {len(xy)} points planted, {COUNTS[kind]} wanted"
            raise AssertionError(msg)
    land, water = geo.land, geo.water

    def where(kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x, y = points[kind][:, 0], points[kind][:, 1]
        dist = shapely.distance(land, shapely.points(x, y))
        return shapely.contains_xy(land, x, y), shapely.contains_xy(water, x, y), dist

    on_land, _, _ = where("background")
    in_cluster = where("cluster")
    in_deep = where("deep")
    in_out = where("outside")
    ok = (
        on_land.all()
        and in_cluster[1].all()
        and (in_cluster[2] < 25).all()
        and in_deep[1].all()
        and (in_deep[2] > 25).all()
        and not (in_out[0] | in_out[1]).any()
        and shapely.contains_xy(
            geo.municipality, points["outside"][:, 0], points["outside"][:, 1]
        ).all()
    )
    if not ok:
        msg = "the shore town's points do not lie where their kinds say"
        raise AssertionError(msg)


@functools.cache
def incidents() -> gpd.GeoDataFrame:
    """The town's incidents (EPSG:3006, the store's schema), with a ``kind`` column.

    Ids are ``<kind>-<n>``; the first :data:`IN_PERIOD` of each kind happen in
    :data:`PERIOD`, the rest on the days of the 50 weeks before it, at random hours.
    """
    rng = np.random.default_rng(11)
    points = _xy(geography(), rng)
    rows = []
    for kind, xy in points.items():
        n = len(xy)
        k = IN_PERIOD[kind]
        in_week = PERIOD.start_ts + pd.to_timedelta(rng.integers(0, 7 * 24 * 60, k), "min")
        before = PERIOD.start_ts - pd.to_timedelta(rng.integers(60, 350 * 24 * 60, n - k), "min")
        times = pd.DatetimeIndex(in_week.append(before)).tz_convert(TIMEZONE)
        category = "sexual_offence" if kind == "restricted" else "assault_public"
        rows.append(
            pd.DataFrame(
                {
                    "id": [f"{kind}-{i}" for i in range(n)],
                    "kind": kind,
                    "x": xy[:, 0],
                    "y": xy[:, 1],
                    "occurred_at": times,
                    "category": category,
                }
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    n = len(frame)
    frame["occurred_until"] = pd.Series(pd.DatetimeIndex([pd.NaT] * n).tz_localize(TIMEZONE))
    frame["time_precision"] = "exact"
    frame["source_category"] = frame["category"]
    frame["precision"] = "exact"
    frame["source"] = "polis"
    frame["description"] = "<script>alert(1)</script>"
    frame["import_id"] = "shore"
    frame["source_id"] = None
    for col, dtype in INCIDENT_COLUMNS.items():
        frame[col] = frame[col].astype(dtype)
    geometry = gpd.points_from_xy(frame.pop("x"), frame.pop("y"))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:3006")
