"""The processes that place the demo incidents: planted clusters, drink-driving, background.

Each returns a raw frame (``x``, ``y``, ``occurred_at``, ``category``, ``source``,
``place``, ``component``); :func:`hotspots.demo.frames.incident_frame` turns their union
into the incident frame.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.demo.draws import draw_times, hour_weights, pick
from hotspots.demo.model import ALL_MONTHS, FRI_SAT, Component, PlantedCluster
from hotspots.demo.sampler import Sampler

__all__ = ["BACKGROUND", "background", "centre_day", "clusters", "drink_driving", "restricted"]


def clusters(
    sampler: Sampler,
    comp: Component,
    places: gpd.GeoDataFrame,
    *,
    sigma_m: float,
    days: pd.DatetimeIndex,
    stop: dt.date,
    truth: list[PlantedCluster],
) -> pd.DataFrame:
    """``comp.n`` incidents Gaussian around ``places`` (``sigma_m``, metres), on land.

    Appends one :class:`PlantedCluster` per place to ``truth`` (radius 2 sigma).
    """
    if len(places) == 0 or comp.n == 0:
        return pd.DataFrame()
    rng = sampler.rng
    centres = shapely.get_coordinates(places.geometry.to_numpy())
    weights = np.ones(len(centres))
    xy, idx = sampler.near(centres, weights, sigma_m, comp.n)
    names = places["name"].to_numpy()
    hours = tuple(sorted({h % 24 for h in comp.hour_offsets}))
    weekdays = tuple(i for i, w in enumerate(comp.weekday_weights) if w > 0)
    months = tuple(i + 1 for i, w in enumerate(comp.month_weights) if w > 0)
    for i, (cx, cy) in enumerate(centres):
        truth.append(
            PlantedCluster(
                name=str(names[i]),
                kind="crime",
                x=float(cx),
                y=float(cy),
                radius_m=2.0 * sigma_m,
                categories=tuple(comp.categories),
                hours=hours,
                weekdays=weekdays,
                months=months,
                n=int((idx == i).sum()),
            )
        )
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": draw_times(rng, comp, days, stop, comp.n),
            "category": pick(rng, comp.categories, comp.n),
            "source": pick(rng, comp.sources, comp.n),
            "place": names[idx],
            "component": comp.name,
        }
    )


def drink_driving(
    sampler: Sampler, n: int, *, days: pd.DatetimeIndex, stop: dt.date, truth: list
) -> pd.DataFrame:
    """``n`` drink-driving incidents along main roads within 1.5 km of the built-up area.

    Fridays and Saturdays 22:00-06:00; appends one ``kind="road"`` cluster to ``truth``.
    """
    roads = sampler.geo.roads
    main = roads[roads["kind"].isin(["motorway", "primary", "secondary"])]
    near_city = sampler.urban.buffer(1500.0)
    lines = [g.intersection(near_city) for g in main.geometry]
    keep = [i for i, g in enumerate(lines) if not g.is_empty and g.length > 0]
    if not keep or n == 0:
        return pd.DataFrame()
    parts = []
    for i in keep:
        g = lines[i]
        parts.extend(list(g.geoms) if hasattr(g, "geoms") else [g])
    parts = [p for p in parts if p.length > 0]
    xy = sampler.along(parts, n, jitter_m=8.0)
    comp = Component(
        "dui",
        n,
        {"dui": 1.0},
        hour_weights(22, (0.8, 1.2, 1.4, 1.4, 1.2, 0.9, 0.6, 0.4)),
        (0, 0, 0, 0, 1, 1, 0),
        (1.0, 0.9, 0.9, 1.0, 1.1, 1.2, 1.2, 1.1, 1.0, 1.0, 1.0, 1.2),
        {"polis": 1.0},
    )
    union = shapely.union_all(parts)
    c = union.centroid
    ref_names = main.iloc[keep]["ref"].astype(str)
    truth.append(
        PlantedCluster(
            name="Rattfylleri på huvudvägar ("
            + ", ".join(sorted({r for r in ref_names if r}))
            + ")",
            kind="road",
            x=float(c.x),
            y=float(c.y),
            radius_m=30.0,
            categories=("dui",),
            hours=tuple(sorted({h % 24 for h in comp.hour_offsets})),
            weekdays=FRI_SAT,
            months=ALL_MONTHS,
            n=n,
        )
    )
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": draw_times(sampler.rng, comp, days, stop, n),
            "category": "dui",
            "source": "polis",
            "place": _road_labels(main.iloc[keep], xy),
            "component": "dui",
        }
    )


def _road_labels(roads: gpd.GeoDataFrame, xy: np.ndarray) -> np.ndarray:
    tree = shapely.STRtree(roads.geometry.to_numpy())
    idx = tree.nearest(shapely.points(xy))
    refs = roads["ref"].astype(str).to_numpy()
    names = roads["name"].astype(str).to_numpy()
    label = np.where(refs != "", np.char.add("väg ", refs.astype(str)), names)
    return label[idx]


BACKGROUND = Component(
    "background",
    0,
    {
        "vandalism": 0.20,
        "threat_harassment": 0.16,
        "disorder": 0.14,
        "other": 0.14,
        "assault_public": 0.08,
        "drug_use": 0.09,
        "intoxication": 0.05,
        "unsafe_place": 0.04,
        "robbery": 0.02,
        "weapons": 0.02,
        "motor_disorder": 0.03,
        "drug_dealing": 0.02,
        "dui": 0.01,
    },
    {
        **{h: 0.3 for h in range(2)},
        **{h: 0.15 for h in range(2, 6)},
        **hour_weights(6, tuple(np.linspace(0.5, 1.4, 18))),
    },
    (1.0, 1.0, 1.0, 1.0, 1.15, 1.2, 1.0),
    (0.85, 0.85, 0.9, 0.95, 1.05, 1.15, 1.15, 1.1, 1.05, 1.0, 0.95, 0.95),
    {"polis": 0.65, "kommun": 0.12, "bostadsbolag": 0.12, "allmanhet": 0.11},
)


def background(sampler: Sampler, n: int, *, days: pd.DatetimeIndex, stop: dt.date) -> pd.DataFrame:
    """``n`` incidents of every public category over the districts, by population."""
    rng = sampler.rng
    xy, names = sampler.in_districts(n)
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": draw_times(rng, BACKGROUND, days, stop, len(xy)),
            "category": pick(rng, BACKGROUND.categories, len(xy)),
            "source": pick(rng, BACKGROUND.sources, len(xy)),
            "place": names,
            "component": "background",
        }
    )


def centre_day(
    sampler: Sampler,
    n: int,
    central: gpd.GeoDataFrame,
    *,
    days: pd.DatetimeIndex,
    stop: dt.date,
) -> pd.DataFrame:
    """``n`` daytime incidents around the squares, shopping centres and stations in ``central``."""
    rng = sampler.rng
    spots = central[central["kind"].isin(["square", "shopping_centre", "station"])]
    if len(spots) == 0 or n == 0:
        return pd.DataFrame()
    comp = Component(
        "centre_day",
        n,
        {
            "other": 0.35,
            "threat_harassment": 0.2,
            "disorder": 0.2,
            "robbery": 0.05,
            "drug_use": 0.1,
            "vandalism": 0.1,
        },
        hour_weights(9, (0.5, 0.9, 1.1, 1.3, 1.3, 1.3, 1.4, 1.5, 1.3, 1.0, 0.7, 0.5)),
        (1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 0.7),
        (0.9, 0.9, 0.95, 1.0, 1.0, 1.05, 1.1, 1.05, 1.0, 1.0, 1.0, 1.2),
        {"polis": 0.6, "vaktare": 0.3, "allmanhet": 0.1},
    )
    centres = shapely.get_coordinates(spots.geometry.to_numpy())
    xy, idx = sampler.near(centres, np.ones(len(centres)), 180.0, n)
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": draw_times(rng, comp, days, stop, n),
            "category": pick(rng, comp.categories, n),
            "source": pick(rng, comp.sources, n),
            "place": spots["name"].to_numpy()[idx],
            "component": "centre_day",
        }
    )


def restricted(sampler: Sampler, n: int, *, days: pd.DatetimeIndex, stop: dt.date) -> pd.DataFrame:
    """``n`` incidents of the restricted categories in residential districts, evenings."""
    rng = sampler.rng
    comp = Component(
        "restricted",
        n,
        {"domestic_violence": 0.75, "sexual_offence": 0.25},
        hour_weights(16, (0.5, 0.7, 0.9, 1.1, 1.3, 1.4, 1.4, 1.2, 1.0, 0.8, 0.5)),
        (0.9, 0.9, 0.9, 0.9, 1.1, 1.4, 1.3),
        (1.0, 0.95, 0.95, 0.95, 1.0, 1.05, 1.15, 1.05, 1.0, 1.0, 1.0, 1.2),
        {"polis": 1.0},
    )
    xy, names = sampler.in_districts(n, concentrated=0.3)
    return pd.DataFrame(
        {
            "x": xy[:, 0],
            "y": xy[:, 1],
            "occurred_at": draw_times(rng, comp, days, stop, len(xy)),
            "category": pick(rng, comp.categories, len(xy)),
            "source": "polis",
            "place": names,
            "component": "restricted",
        }
    )
