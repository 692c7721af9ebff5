"""A 1 km square town with a lake: the geography of the placement tests.

Shared by tests/test_spatial_placement.py and tests/test_engine_placement.py (imported as
``from lake_town import ...``). The municipality is the square 0..1000 m east and north of
the origin (:data:`X0`, :data:`Y0`), a 200 m square lake lies in its middle (400..600 m), and
one district, "Väst", covers its western strip; no roads, no places.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS

from hotspots.spatial.geography import Geography

__all__ = ["X0", "Y0", "lake_town"]

X0, Y0 = 414_000.0, 6_583_000.0  # an origin in Karlstad, EPSG:3006 metres


def _box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def lake_town(*, district_east_m: float) -> Geography:
    """The town, its district "Väst" reaching ``district_east_m`` metres east of the origin."""
    crs = CRS.from_epsg(3006)
    municipality = _box(0, 0, 1000, 1000)
    water = _box(400, 400, 600, 600)
    districts = gpd.GeoDataFrame(
        {"name": ["Väst"], "population": [np.nan]},
        geometry=[_box(0, 0, district_east_m, 1000)],
        crs=crs,
    )
    empty = gpd.GeoDataFrame({"name": [], "kind": []}, geometry=[], crs=crs)
    return Geography(
        crs=crs,
        municipality=municipality,
        water=water,
        land=municipality.difference(water),
        districts=districts,
        roads=empty.assign(ref=[]),
        places=empty,
    )
