"""A small synthetic town written as an OpenStreetMap extract by ``osm_town.write_osm_pbf``.

A 30 x 30 grid of 0.001 degree steps (``osm_town.grid_lonlat``; about 1.7 km east-west,
3.3 km north-south) near Karlstad: the municipality boundary ("Testkommun"), two suburbs
(Centrum, Öster), named streets of several classes, an unnamed footway, a row of buildings
along Storgatan, a lake and a pub.
Storgatan runs east-west at j = 10 from i = 2 to i = 28.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from osm_town import GRID_LAT0, GRID_LON0, GRID_STEP_DEG, grid_lonlat, write_osm_pbf
from pyproj import Transformer

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

#: (lon, lat) in degrees of grid position ``(i, j)``
lonlat = grid_lonlat


def write_town(path: Path) -> Path:
    """Write the town to ``path`` (``.osm.pbf``) and return it."""
    nodes: dict[int, tuple[float, float]] = {}

    def node(i: float, j: float) -> int:
        nid = len(nodes) + 1
        nodes[nid] = grid_lonlat(i, j)
        return nid

    def ring(points: list[tuple[float, float]]) -> list[int]:
        refs = [node(i, j) for i, j in points]
        return [*refs, refs[0]]

    # streets as 1-step chains, crossings sharing one node
    junction: dict[tuple[float, float], int] = {}

    def street_node(i: float, j: float) -> int:
        key = (round(i, 6), round(j, 6))
        if key not in junction:
            junction[key] = node(i, j)
        return junction[key]

    lines: list[tuple[list[int], dict[str, str]]] = []
    for name, (highway, (i0, j0), (i1, j1)) in STREETS.items():
        steps = int(max(abs(i1 - i0), abs(j1 - j0)))
        refs = [
            street_node(i0 + (i1 - i0) * k / steps, j0 + (j1 - j0) * k / steps)
            for k in range(steps + 1)
        ]
        lines.append((refs, {"highway": highway, "name": name}))
    lines.append(([street_node(14, 10), street_node(14, 5)], {"highway": "footway"}))
    outline_way = len(lines) + 1
    lines.append((ring([(0, 0), (30, 0), (30, 30), (0, 30)]), {}))
    lines.append(
        (ring([(0, 0), (15, 0), (15, 30), (0, 30)]), {"place": "suburb", "name": "Centrum"})
    )
    lines.append(
        (ring([(15, 0), (30, 0), (30, 30), (15, 30)]), {"place": "suburb", "name": "Öster"})
    )
    lines.append((ring(LAKE), {"natural": "water", "name": "Sjön"}))
    lines.extend(
        (ring([(i, j), (i + 0.4, j), (i + 0.4, j + 0.3), (i, j + 0.3)]), {"building": "yes"})
        for i, j in BUILDINGS
    )
    ways = [(wid, refs, tags) for wid, (refs, tags) in enumerate(lines, start=1)]
    pub = (len(nodes) + 1, grid_lonlat(5, 11), {"amenity": "pub", "name": "Krogen"})
    return write_osm_pbf(
        path,
        nodes=nodes,
        ways=ways,
        tagged_nodes=[pub],
        boundary_way=outline_way,
    )


def cluster_xy(n: int, *, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points in EPSG:3006 metres around Storgatan's crossing with Drottninggatan."""
    rng = np.random.default_rng(seed)
    i = rng.normal(9.0, 1.5, n)
    j = rng.normal(10.0, 0.8, n)
    lon, lat = GRID_LON0 + i * GRID_STEP_DEG, GRID_LAT0 + j * GRID_STEP_DEG
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
