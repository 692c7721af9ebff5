"""Tiny OpenStreetMap extracts for geography build tests, written with pyosmium's writer.

:func:`write_osm_pbf` writes any small extract: untagged nodes, tagged nodes, ways and the
boundary relation of the municipality "Testkommun" round one closed way. The extracts of
tests/test_spatial_build.py and tests/test_spatial_routing.py place their nodes on a grid of
0.001 degree steps (:func:`grid_lonlat`).

:func:`write_town_pbf` writes the smallest town: the municipality is the square
:data:`MUNICIPALITY_3006` (EPSG:3006 metres, in central Karlstad) and holds one street,
Drottninggatan, along its middle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import osmium
from osmium.osm.mutable import Node, Relation, Way
from pyproj import Transformer

__all__ = [
    "GRID_LAT0",
    "GRID_LON0",
    "GRID_STEP_DEG",
    "MUNICIPALITY_3006",
    "grid_lonlat",
    "write_osm_pbf",
    "write_town_pbf",
]

#: x0, y0, x1, y1 of the municipality, metres in EPSG:3006.
MUNICIPALITY_3006 = (412_000.0, 6_581_000.0, 416_000.0, 6_585_000.0)

#: The grid's origin (degrees) and step: about 57 m east-west and 111 m north-south here.
GRID_LON0, GRID_LAT0 = 13.50, 59.38
GRID_STEP_DEG = 0.001

_TO_WGS84 = Transformer.from_crs(3006, 4326, always_xy=True)

#: One tagged node: id, (lon, lat) in degrees, tags.
TaggedNode = tuple[int, tuple[float, float], Mapping[str, str]]
#: One way: id, node ids, tags.
WaySpec = tuple[int, Sequence[int], Mapping[str, str]]


def grid_lonlat(i: float, j: float) -> tuple[float, float]:
    """(lon, lat) in degrees of grid position ``i`` steps east and ``j`` steps north."""
    return (GRID_LON0 + i * GRID_STEP_DEG, GRID_LAT0 + j * GRID_STEP_DEG)


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_WGS84.transform(x, y)
    return float(lon), float(lat)


def write_osm_pbf(
    path: Path,
    *,
    nodes: Mapping[int, tuple[float, float]],
    ways: Sequence[WaySpec],
    tagged_nodes: Sequence[TaggedNode] = (),
    boundary_way: int = 1,
) -> Path:
    """Write an extract to ``path`` (``.osm.pbf``) and return ``path``.

    Parameters
    ----------
    path
        The file to write.
    nodes
        Untagged nodes: id -> (lon, lat) in degrees, written in id order.
    ways
        The ways, written in id order.
    tagged_nodes
        Nodes with tags, written after the untagged ones in the order given.
    boundary_way
        The closed way that is the outer ring of the municipality "Testkommun" (relation 1,
        ``boundary=administrative``, ``admin_level=7``).
    """
    writer = osmium.SimpleWriter(str(path))
    try:
        for nid, location in sorted(nodes.items()):
            writer.add_node(Node(id=nid, location=location, tags={}))
        for nid, location, tags in tagged_nodes:
            writer.add_node(Node(id=nid, location=location, tags=dict(tags)))
        for wid, refs, tags in sorted(ways, key=lambda way: way[0]):
            writer.add_way(Way(id=wid, nodes=list(refs), tags=dict(tags)))
        writer.add_relation(
            Relation(
                id=1,
                members=[("w", boundary_way, "outer")],
                tags={
                    "type": "boundary",
                    "boundary": "administrative",
                    "admin_level": "7",
                    "name": "Testkommun",
                },
            )
        )
    finally:
        writer.close()
    return path


def write_town_pbf(path: Path) -> Path:
    """Write the smallest town to ``path`` (``.osm.pbf``) and return ``path``."""
    x0, y0, x1, y1 = MUNICIPALITY_3006
    nodes = {
        1: (x0, y0),
        2: (x1, y0),
        3: (x1, y1),
        4: (x0, y1),
        10: (412_500.0, 6_583_000.0),
        11: (413_000.0, 6_583_000.0),
        12: (413_600.0, 6_583_000.0),
    }
    return write_osm_pbf(
        path,
        nodes={nid: _lonlat(x, y) for nid, (x, y) in nodes.items()},
        ways=[
            (1, [1, 2, 3, 4, 1], {}),
            (2, [10, 11, 12], {"highway": "residential", "name": "Drottninggatan"}),
        ],
    )
