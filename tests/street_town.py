"""A small synthetic town written as an OpenStreetMap extract with pyosmium's writer.

A 30 x 30 grid of 0.001 degree steps (about 1.7 km east-west, 3.3 km north-south) near
Karlstad: a municipality boundary, two suburbs (Centrum, Öster), named streets of several
classes, an unnamed footway, a row of buildings along Storgatan, a lake and a pub.
Storgatan runs east-west at j = 10 from i = 2 to i = 28.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import osmium
from osmium.osm.mutable import Node, Relation, Way
from pyproj import Transformer

LON0, LAT0 = 13.50, 59.38
STEP = 0.001

#: name -> (highway, start (i, j), end (i, j))
STREETS: dict[str, tuple[str, tuple[float, float], tuple[float, float]]] = {
    "Storgatan": ("residential", (2, 10), (28, 10)),
    "Kungsgatan": ("tertiary", (2, 20), (28, 20)),
    "Drottninggatan": ("residential", (8, 2), (8, 28)),
    "Järnvägsgatan": ("primary", (20, 2), (20, 28)),
    "Gågatan": ("pedestrian", (12, 10), (12, 20)),
}
#: south-west corners (i, j) of the buildings along Storgatan's north side
BUILDINGS: list[tuple[float, float]] = [(3 + 0.6 * k, 10.3) for k in range(15)]
LAKE = [(22, 3), (27, 3), (27, 7), (22, 7)]


def lonlat(i: float, j: float) -> tuple[float, float]:
    """Longitude and latitude of grid position ``(i, j)``."""
    return (LON0 + i * STEP, LAT0 + j * STEP)


def write_town(path: Path) -> Path:
    """Write the town to ``path`` (``.osm.pbf``) and return it."""
    writer = osmium.SimpleWriter(str(path))
    nid = 1
    wid = 1

    def node(i: float, j: float, tags: dict[str, str] | None = None) -> int:
        nonlocal nid
        writer.add_node(Node(id=nid, location=lonlat(i, j), tags=tags or {}))
        nid += 1
        return nid - 1

    def way(refs: list[int], tags: dict[str, str]) -> int:
        nonlocal wid
        writer.add_way(Way(id=wid, nodes=refs, tags=tags))
        wid += 1
        return wid - 1

    def ring(points: list[tuple[float, float]]) -> list[int]:
        refs = [node(i, j) for i, j in points]
        return [*refs, refs[0]]

    try:
        # nodes first (the writer wants them before the ways): streets as 1-step chains,
        # crossings sharing one node
        junction: dict[tuple[float, float], int] = {}

        def street_node(i: float, j: float) -> int:
            key = (round(i, 6), round(j, 6))
            if key not in junction:
                junction[key] = node(i, j)
            return junction[key]

        chains: list[tuple[list[int], dict[str, str]]] = []
        for name, (highway, (i0, j0), (i1, j1)) in STREETS.items():
            steps = int(max(abs(i1 - i0), abs(j1 - j0)))
            refs = [
                street_node(i0 + (i1 - i0) * k / steps, j0 + (j1 - j0) * k / steps)
                for k in range(steps + 1)
            ]
            chains.append((refs, {"highway": highway, "name": name}))
        foot = [street_node(14, 10), street_node(14, 5)]
        chains.append((foot, {"highway": "footway"}))
        outline = ring([(0, 0), (30, 0), (30, 30), (0, 30)])
        centrum = ring([(0, 0), (15, 0), (15, 30), (0, 30)])
        oster = ring([(15, 0), (30, 0), (30, 30), (15, 30)])
        lake = ring(LAKE)
        houses = [
            ring([(i, j), (i + 0.4, j), (i + 0.4, j + 0.3), (i, j + 0.3)]) for i, j in BUILDINGS
        ]
        pub = node(5, 11, {"amenity": "pub", "name": "Krogen"})
        assert pub > 0
        for refs, tags in chains:
            way(refs, tags)
        outline_way = way(outline, {})
        way(centrum, {"place": "suburb", "name": "Centrum"})
        way(oster, {"place": "suburb", "name": "Öster"})
        way(lake, {"natural": "water", "name": "Sjön"})
        for refs in houses:
            way(refs, {"building": "yes"})
        writer.add_relation(
            Relation(
                id=1,
                members=[("w", outline_way, "outer")],
                tags={
                    "type": "boundary",
                    "boundary": "administrative",
                    "admin_level": "7",
                    "name": "Gatukommun",
                },
            )
        )
    finally:
        writer.close()
    return path


def cluster_xy(n: int, *, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points in EPSG:3006 metres around Storgatan's crossing with Drottninggatan."""
    rng = np.random.default_rng(seed)
    i = rng.normal(9.0, 1.5, n)
    j = rng.normal(10.0, 0.8, n)
    lon, lat = LON0 + i * STEP, LAT0 + j * STEP
    x, y = Transformer.from_crs(4326, 3006, always_xy=True).transform(lon, lat)
    return np.asarray(x), np.asarray(y)


def town_incidents(n: int = 300, *, seed: int = 1):
    """An incident frame (EPSG:3006) of ``n`` assaults clustered by :func:`cluster_xy`."""
    import geopandas as gpd
    import pandas as pd

    from hotspots.core.schema import INCIDENT_COLUMNS, TIMEZONE

    x, y = cluster_xy(n, seed=seed)
    times = pd.date_range("2026-01-05 22:00", periods=n, freq="1D", tz=TIMEZONE)
    frame = pd.DataFrame(
        {
            "id": [f"t{i}" for i in range(n)],
            "occurred_at": times,
            "occurred_until": pd.Series(pd.DatetimeIndex([pd.NaT] * n).tz_localize(TIMEZONE)),
            "time_precision": "exact",
            "category": "assault_public",
            "source_category": "assault_public",
            "precision": "exact",
            "source": "polis",
            "description": "",
            "import_id": "fixture",
            "source_id": None,
        }
    )
    for col, dtype in INCIDENT_COLUMNS.items():
        frame[col] = frame[col].astype(dtype)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=3006)
