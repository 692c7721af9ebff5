"""A tiny OpenStreetMap extract for geography build tests, written with pyosmium's writer.

The municipality "Testkommun" is the square :data:`MUNICIPALITY_3006` (EPSG:3006 metres, in
central Karlstad) and holds one street, Drottninggatan, along its middle.
"""

from __future__ import annotations

from pathlib import Path

import osmium
from osmium.osm.mutable import Node, Relation, Way
from pyproj import Transformer

__all__ = ["MUNICIPALITY_3006", "write_town_pbf"]

#: x0, y0, x1, y1 of the municipality, metres in EPSG:3006.
MUNICIPALITY_3006 = (412_000.0, 6_581_000.0, 416_000.0, 6_585_000.0)

_TO_WGS84 = Transformer.from_crs(3006, 4326, always_xy=True)


def _lonlat(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_WGS84.transform(x, y)
    return float(lon), float(lat)


def write_town_pbf(path: Path) -> Path:
    """Write the extract to ``path`` (``.osm.pbf``) and return ``path``."""
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
    writer = osmium.SimpleWriter(str(path))
    try:
        for nid, (x, y) in sorted(nodes.items()):
            writer.add_node(Node(id=nid, location=_lonlat(x, y), tags={}))
        writer.add_way(Way(id=1, nodes=[1, 2, 3, 4, 1], tags={}))
        writer.add_way(
            Way(id=2, nodes=[10, 11, 12], tags={"highway": "residential", "name": "Drottninggatan"})
        )
        writer.add_relation(
            Relation(
                id=1,
                members=[("w", 1, "outer")],
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
