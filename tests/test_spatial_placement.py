"""Nothing dropped silently: incidents in water or outside the study area are listed with a
reason, and points just off a shoreline are moved onto land (golden values by hand)."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from lake_town import X0, Y0, lake_town
from numpy.testing import assert_allclose
from pyproj import CRS

from hotspots.core.errors import CRSError, InputSchemaError
from hotspots.spatial.geography import Geography
from hotspots.spatial.placement import place_on_land
from hotspots.spatial.points import point_frame, point_xy


@pytest.fixture
def geography() -> Geography:
    """The lake town (tests/lake_town.py); its district covers the western half."""
    return lake_town(district_east_m=500.0)


#: name -> (x, y) in metres from the origin
POINTS = {
    "on_land": (100.0, 100.0),
    "lake_middle": (500.0, 500.0),  # 100 m from every shore
    "west_shore_10": (410.0, 500.0),  # 10 m east of the west shore x = 400
    "east_shore_10": (590.0, 420.0),  # 10 m from x = 600, 20 m from y = 400
    "south_shore_24": (450.0, 424.0),  # 24 m from y = 400, 50 m from x = 400
    "south_shore_26": (450.0, 426.0),  # 26 m: farther than the default 25 m
    "outside_10": (1010.0, 500.0),  # 10 m east of the municipality, not water
}


def _frame(kind: str) -> pd.DataFrame:
    names = list(POINTS)
    x = np.array([POINTS[n][0] for n in names]) + X0
    y = np.array([POINTS[n][1] for n in names]) + Y0
    attrs = pd.DataFrame({"id": names}, index=pd.Index(np.arange(len(names)) * 10))
    if kind == "geo":
        return gpd.GeoDataFrame(attrs, geometry=gpd.points_from_xy(x, y), crs="EPSG:3006")
    return point_frame(attrs, x, y, CRS.from_epsg(3006))


@pytest.mark.parametrize("kind", ["geo", "points"])
def test_place_on_land_golden(geography: Geography, kind: str) -> None:
    placed = place_on_land(_frame(kind), geography)
    assert placed.kept["id"].tolist() == [
        "on_land",
        "west_shore_10",
        "east_shore_10",
        "south_shore_24",
    ]
    x, y = point_xy(placed.kept)
    # snapped 1 cm past the shore: (399.99, 500), (600.01, 420), (450, 399.99)
    assert_allclose(x - X0, [100.0, 399.99, 600.01, 450.0], atol=1e-6)
    assert_allclose(y - Y0, [100.0, 500.0, 420.0, 399.99], atol=1e-6)
    assert placed.dropped["id"].tolist() == ["lake_middle", "south_shore_26", "outside_10"]
    assert placed.dropped["reason"].tolist() == [
        "in water",
        "in water",
        "outside the study area",
    ]
    assert_allclose(placed.dropped["distance_to_land_m"], [100.0, 26.0, 10.0])
    assert (placed.n_in_water, placed.n_outside, placed.n_snapped) == (2, 1, 3)
    assert placed.snapped.index.tolist() == [20, 30, 40]  # the input's index
    assert_allclose(placed.snapped["moved_m"], [10.01, 10.01, 24.01], atol=1e-6)
    assert placed.summary() == (
        "3 incidents left out of the analysis (1 outside the study area "
        "(land of the municipality), 2 in water); 3 moved onto land from just off the shore"
    )


def test_every_incident_is_kept_or_dropped(geography: Geography, rng: np.random.Generator) -> None:
    x = X0 + rng.uniform(-200, 1200, 2000)
    y = Y0 + rng.uniform(-200, 1200, 2000)
    frame = point_frame(pd.DataFrame(index=pd.RangeIndex(2000)), x, y, CRS.from_epsg(3006))
    placed = place_on_land(frame, geography)
    assert len(placed.kept) + len(placed.dropped) == 2000
    assert set(placed.kept.index).isdisjoint(placed.dropped.index)
    kx, ky = point_xy(placed.kept)
    assert geography.land.contains(shapely.points(kx, ky)).all()
    assert (placed.snapped["moved_m"] <= 25.0 + 0.011).all()


def test_no_snapping_with_zero(geography: Geography) -> None:
    placed = place_on_land(_frame("geo"), geography, snap_to_land_m=0.0)
    assert placed.kept["id"].tolist() == ["on_land"]
    assert placed.n_in_water == 5
    assert placed.n_snapped == 0


def test_urban_study_area_counts_the_east_as_outside(geography: Geography) -> None:
    placed = place_on_land(_frame("geo"), geography.with_study_area("urban"))
    # the urban land is x < 500 minus the lake: "east_shore_10" (x = 590) is in water, and
    # 90 m from the urban land; "west_shore_10" and "south_shore_24" still snap
    assert placed.kept["id"].tolist() == ["on_land", "west_shore_10", "south_shore_24"]
    reasons = dict(zip(placed.dropped["id"], placed.dropped["reason"], strict=True))
    assert reasons["outside_10"] == "outside the study area"
    assert reasons["east_shore_10"] == "in water"
    assert "land of the districts" in placed.summary()


def test_incidents_in_another_crs_are_reprojected(geography: Geography) -> None:
    wgs = _frame("geo").to_crs(4326)
    placed = place_on_land(wgs, geography)
    assert placed.kept.crs.equals(geography.crs)
    assert len(placed.kept) == 4


def test_errors(geography: Geography, make_incidents: Callable[..., gpd.GeoDataFrame]) -> None:
    with pytest.raises(InputSchemaError, match="snap-to-land-m"):
        place_on_land(_frame("geo"), geography, snap_to_land_m=-1.0)
    frame = pd.DataFrame({"x": [X0], "y": [Y0]})
    with pytest.raises(CRSError, match="no CRS"):
        place_on_land(frame, geography)
    inc = make_incidents(np.array([X0 + 100.0]), np.array([Y0 + 100.0]))
    assert len(place_on_land(inc, geography).kept) == 1
