"""The demo survey marks: fear near the crime clusters, low fear elsewhere, planted fear places."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.core.schema import SURVEY_COLUMNS
from hotspots.demo.draws import pick
from hotspots.demo.model import ALL_DAYS, ALL_MONTHS, PlantedCluster
from hotspots.demo.sampler import Sampler, district_points
from hotspots.spatial.geography import Geography

__all__ = ["FEAR_MIN_DISTANCE_M", "survey_marks"]


#: Minimum distance between a planted fear place and every crime cluster centre, metres.
FEAR_MIN_DISTANCE_M = 1200.0


_REASONS: dict[str, dict[str, float]] = {
    "nightlife": {"alkohol": 0.5, "grupperingar": 0.35, "annat": 0.15},
    "drugs": {"narkotika": 0.6, "grupperingar": 0.3, "belysning": 0.1},
    "youth": {"grupperingar": 0.5, "skadegorelse": 0.4, "annat": 0.1},
    "motor": {"trafik": 0.8, "grupperingar": 0.2},
    "road": {"trafik": 1.0},
    "background": {"belysning": 0.3, "annat": 0.3, "trafik": 0.2, "skadegorelse": 0.2},
    "fear": {"belysning": 0.8, "annat": 0.2},
}


_TIME_OF_DAY: dict[str, dict[str, float]] = {
    "nightlife": {"natt": 0.8, "kvall": 0.2},
    "drugs": {"kvall": 0.6, "dag": 0.4},
    "youth": {"kvall": 0.8, "dag": 0.2},
    "motor": {"kvall": 0.7, "natt": 0.3},
    "road": {"natt": 0.5, "kvall": 0.5},
    "background": {"dag": 0.4, "kvall": 0.4, "natt": 0.2},
    "fear": {"kvall": 0.6, "natt": 0.4},
}


#: component -> (share of the survey marks, probabilities of unsafe = 1..5)
_SURVEY_MIX: dict[str, tuple[float, tuple[float, ...]]] = {
    "nightlife": (0.16, (0.05, 0.1, 0.25, 0.35, 0.25)),
    "drugs": (0.12, (0.05, 0.1, 0.25, 0.35, 0.25)),
    "youth": (0.10, (0.1, 0.2, 0.35, 0.25, 0.1)),
    "motor": (0.06, (0.1, 0.2, 0.4, 0.2, 0.1)),
    "background": (0.44, (0.35, 0.35, 0.2, 0.07, 0.03)),
}


_FEAR_UNSAFE = (0.0, 0.0, 0.05, 0.35, 0.6)


def survey_marks(
    sampler: Sampler,
    truth: list[PlantedCluster],
    *,
    scale: float,
    start: dt.date,
    stop: dt.date,
    seed: int,
) -> tuple[gpd.GeoDataFrame, list[PlantedCluster]]:
    """The survey frame and the planted fear places (``kind="fear"`` clusters).

    About ``1500 * scale`` marks: high fear near the crime clusters of ``truth``, low fear over
    the districts, and high fear at up to three places far from every crime cluster.
    """
    rng = sampler.rng
    total = round(1500 * scale)
    crime = [c for c in truth if c.kind == "crime"]
    by_group = {
        "nightlife": [c for c in crime if "assault_public" in c.categories],
        "drugs": [c for c in crime if "drug_dealing" in c.categories],
        "youth": [c for c in crime if "vandalism" in c.categories],
        "motor": [c for c in crime if "motor_disorder" in c.categories],
    }
    rows: list[pd.DataFrame] = []
    for group, (share, unsafe_p) in _SURVEY_MIX.items():
        k = round(total * share)
        if group == "background":
            xy, _ = sampler.in_districts(k, concentrated=0.3)
        else:
            clusters = by_group[group]
            if not clusters:
                continue
            centres = np.array([(c.x, c.y) for c in clusters])
            xy, _ = sampler.near(centres, np.ones(len(centres)), 90.0, k)
        rows.append(_survey_rows(rng, xy, group, unsafe_p))

    fear = _fear_places(sampler, crime)
    n_fear = round(total * 0.12)
    per = np.full(len(fear), n_fear // max(len(fear), 1))
    out_fear: list[PlantedCluster] = []
    for (name, fx, fy), k in zip(fear, per, strict=True):
        xy, _ = sampler.near(np.array([[fx, fy]]), np.ones(1), 35.0, int(k))
        rows.append(_survey_rows(rng, xy, "fear", _FEAR_UNSAFE))
        out_fear.append(
            PlantedCluster(
                name=name,
                kind="fear",
                x=fx,
                y=fy,
                radius_m=70.0,
                categories=(),
                hours=tuple(range(18, 24)) + tuple(range(4)),
                weekdays=ALL_DAYS,
                months=ALL_MONTHS,
                n=int(k),
            )
        )
    frame = pd.concat(rows, ignore_index=True)
    n = len(frame)
    ndays = (stop - start).days
    dates = pd.Timestamp(start) + pd.to_timedelta(rng.integers(0, ndays, size=n), unit="D")
    frame["date"] = dates
    frame["source"] = np.where(
        frame["group"].to_numpy() == "fear",
        pick(rng, {"medborgardialog": 0.6, "trygghetsundersokning": 0.4}, n),
        pick(rng, {"trygghetsundersokning": 0.7, "medborgardialog": 0.3}, n),
    )
    frame["id"] = [f"demo-{seed}-s{i:05d}" for i in range(n)]
    frame["import_id"] = ""
    out = pd.DataFrame({col: frame[col] for col in SURVEY_COLUMNS})
    for col, dtype in SURVEY_COLUMNS.items():
        out[col] = out[col].astype(dtype)
    geom = gpd.points_from_xy(frame["x"], frame["y"])
    return gpd.GeoDataFrame(out, geometry=geom, crs=sampler.geo.crs), out_fear


def _survey_rows(
    rng: np.random.Generator, xy: np.ndarray, group: str, unsafe_p: tuple[float, ...]
) -> pd.DataFrame:
    n = len(xy)
    reasons = _REASONS[group]
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "unsafe": rng.choice(np.arange(1, 6), size=n, p=np.asarray(unsafe_p)),
            "time_of_day": pick(rng, _TIME_OF_DAY[group], n),
            "reason": pick(rng, reasons, n),
            "group": group,
        }
    )


def _fear_places(sampler: Sampler, crime: list[PlantedCluster]) -> list[tuple[str, float, float]]:
    """Up to three places with high fear and little crime, far from every crime cluster."""
    geo = sampler.geo
    centres = np.array([(c.x, c.y) for c in crime]) if crime else np.empty((0, 2))
    urban = sampler.urban
    shapely.prepare(urban)
    populated = district_points(geo)
    homes = np.array(list(populated.values())) if populated else np.empty((0, 2))

    def score(xy: np.ndarray) -> np.ndarray:
        far = (
            np.min(np.hypot(*(xy[:, None, :] - centres[None, :, :]).transpose(2, 0, 1)), axis=1)
            if len(centres)
            else np.full(len(xy), np.inf)
        )
        near_home = (
            np.min(np.hypot(*(xy[:, None, :] - homes[None, :, :]).transpose(2, 0, 1)), axis=1)
            if len(homes)
            else np.zeros(len(xy))
        )
        ok = shapely.contains_xy(urban, xy[:, 0], xy[:, 1]) & sampler.on_land(xy)
        ok &= far >= FEAR_MIN_DISTANCE_M
        # prefer places near where people live, far enough from the crime clusters
        return np.where(ok, -near_home, -np.inf)

    out: list[tuple[str, float, float]] = []
    candidates: list[tuple[str, np.ndarray]] = []
    motorways = geo.roads[geo.roads["kind"] == "motorway"]
    if len(motorways):
        lines = shapely.union_all(motorways.geometry.to_numpy()).intersection(urban)
        if not lines.is_empty:
            pts = shapely.line_interpolate_point(lines, np.linspace(0, 1, 400), normalized=True)
            # the underpass is beside the road, where a path passes under it
            candidates.append(
                (
                    "Gångtunnel under motorvägen",
                    shapely.get_coordinates(pts) + np.array([0.0, -25.0]),
                )
            )
    # a dark path: a park, else land at least 150 m from every road (a path through green)
    parks = shapely.get_coordinates(geo.places_of("park").geometry.to_numpy())
    x0, y0, x1, y1 = urban.bounds
    gx, gy = np.meshgrid(np.arange(x0, x1, 100.0), np.arange(y0, y1, 100.0))
    grid = np.column_stack([gx.ravel(), gy.ravel()])
    if len(geo.roads):
        roads = shapely.union_all(geo.roads.geometry.to_numpy())
        grid = grid[shapely.distance(roads, shapely.points(grid)) >= 150.0]
    paths = parks if np.isfinite(score(parks)).any() else grid
    candidates.append(("Mörk gångstig", paths))
    banks = geo.water.boundary.intersection(urban)
    if not banks.is_empty:
        pts = shapely.line_interpolate_point(
            shapely.line_merge(banks) if banks.geom_type == "MultiLineString" else banks,
            np.linspace(0, 1, 400),
            normalized=True,
        )
        xy = shapely.get_coordinates(pts)
        candidates.append(("Gångväg längs vattnet", xy + _inland(sampler, xy)))
    for label, xy in candidates:
        if len(xy) == 0:
            continue
        s = score(xy)
        if np.isfinite(s).any():
            i = int(np.argmax(s))
            nearest = _district_label(geo, xy[i])
            out.append(
                (f"{label}, {nearest}" if nearest else label, float(xy[i, 0]), float(xy[i, 1]))
            )
            centres = np.vstack([centres, xy[i : i + 1]]) if len(centres) else xy[i : i + 1]
    return out


def _inland(sampler: Sampler, xy: np.ndarray) -> np.ndarray:
    """Offsets of 30 m that move shore points onto land."""
    out = np.zeros_like(xy)
    for dx, dy in ((30, 0), (-30, 0), (0, 30), (0, -30)):
        moved = xy + np.array([dx, dy])
        fix = (out == 0).all(axis=1) & sampler.on_land(moved)
        out[fix] = [dx, dy]
    return out


def _district_label(geo: Geography, xy: np.ndarray) -> str:
    name = geo.district_of(gpd.GeoSeries(gpd.points_from_xy([xy[0]], [xy[1]]), crs=geo.crs))
    return "" if pd.isna(name.iloc[0]) else str(name.iloc[0])
