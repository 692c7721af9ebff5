"""Study-area choice and user geography for the analysis commands."""

from __future__ import annotations

import pytest

from hotspots._errors import InputSchemaError
from hotspots.cli._geo import with_study_area
from hotspots.geography import default_geography


def test_urban_study_area_is_the_land_of_the_districts() -> None:
    geo = default_geography()
    urban = with_study_area(geo, "urban")
    whole = with_study_area(geo, "municipality")
    assert whole is geo
    # the town is a small part of the municipality's land, and lies inside it
    assert urban.land.area < 0.2 * geo.land.area
    assert urban.land.difference(geo.land).area < 1.0
    assert urban.land.area == pytest.approx(geo.urban.area)
    # the other layers are untouched (plans still see every road and place)
    assert urban.roads is geo.roads
    assert urban.water is geo.water


def test_unknown_study_area_is_refused() -> None:
    with pytest.raises(InputSchemaError, match="--study-area: 'county'"):
        with_study_area(default_geography(), "county")
