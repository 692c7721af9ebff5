"""An analysis's incidents placed on land (hotspots/engine/placement.py): the analysis's
selection is placed (filters, restricted categories and coarse locations out first), the
counts per reason and per time window, and the sentences that say them (golden values by
hand on a 1 km square town with a lake)."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from lake_town import X0, Y0, lake_town

from hotspots.core.config import Filters
from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.engine.placement import (
    PlacementCounts,
    left_out_text,
    moved_text,
    place_selected,
    placement_counts,
)
from hotspots.spatial.geography import Geography


@pytest.fixture
def geography() -> Geography:
    """The lake town (tests/lake_town.py); its district covers the western 300 m."""
    return lake_town(district_east_m=300.0)


#: id -> (x, y from the origin in metres, category, precision, local time)
ROWS = {
    "land": (100.0, 100.0, "assault_public", "exact", "2026-03-02 22:00"),
    "lake": (500.0, 500.0, "assault_public", "exact", "2026-03-03 22:00"),  # 100 m out
    "shore": (410.0, 500.0, "assault_public", "exact", "2026-03-10 22:00"),  # 10 m out
    "east": (1010.0, 500.0, "assault_public", "exact", "2026-03-11 22:00"),  # outside
    "secret": (500.0, 510.0, "sexual_offence", "exact", "2026-03-12 22:00"),  # restricted
    "vandal": (1020.0, 500.0, "vandalism", "exact", "2026-03-13 22:00"),  # outside
    "coarse": (480.0, 480.0, "assault_public", "district", "2026-03-14 22:00"),  # in the lake
    "later": (1030.0, 100.0, "assault_public", "exact", "2026-04-01 22:00"),  # outside
}


@pytest.fixture
def incidents(make_incidents) -> gpd.GeoDataFrame:
    rows = list(ROWS.values())
    frame = make_incidents(
        np.array([r[0] for r in rows]) + X0,
        np.array([r[1] for r in rows]) + Y0,
        times=[r[4] for r in rows],
        categories=[r[2] for r in rows],
    )
    frame["id"] = pd.array(list(ROWS), dtype="string")
    frame["precision"] = pd.array([r[3] for r in rows], dtype="string")
    return frame


def test_the_analysis_s_selection_is_placed(
    incidents: gpd.GeoDataFrame, geography: Geography
) -> None:
    placed = place_selected(incidents, Filters(), geography)
    assert placed is not None
    # restricted and coarse incidents are not the analysis's: neither kept nor counted
    assert sorted(placed.kept["id"]) == ["land", "shore"]
    assert dict(zip(placed.dropped["id"], placed.dropped["reason"], strict=True)) == {
        "lake": "in water",
        "east": "outside the study area",
        "vandal": "outside the study area",
        "later": "outside the study area",
    }
    assert placed.snapped.index.tolist() == [incidents.index[2]]
    # the filters of the analysis: assaults only, then also March only
    assaults = place_selected(incidents, Filters(categories=("assault_public",)), geography)
    assert assaults is not None
    assert sorted(assaults.dropped["id"]) == ["east", "lake", "later"]
    march = Filters(until=dt.date(2026, 3, 31))
    in_march = place_selected(incidents, march, geography)
    assert in_march is not None
    assert sorted(in_march.dropped["id"]) == ["east", "lake", "vandal"]


def test_nothing_is_placed_without_a_geography_or_a_selection(
    incidents: gpd.GeoDataFrame, geography: Geography
) -> None:
    assert place_selected(incidents, Filters(), None) is None
    none_selected = Filters(since=dt.date(2030, 1, 1))
    assert place_selected(incidents, none_selected, geography) is None
    with pytest.raises(InputSchemaError, match="snap-to-land-m"):
        place_selected(incidents, Filters(), geography, snap_to_land_m=-1.0)


def test_snapping_off_leaves_the_shore_incident_out_in_water(
    incidents: gpd.GeoDataFrame, geography: Geography
) -> None:
    placed = place_selected(incidents, Filters(), geography, snap_to_land_m=0.0)
    assert placed is not None
    counts = PlacementCounts.of(placed, snap_to_land_m=0.0, study_area="municipality")
    assert (counts.n_outside, counts.n_in_water, counts.n_moved) == (3, 2, 0)


def test_counts_per_reason_and_time_window(
    incidents: gpd.GeoDataFrame, geography: Geography
) -> None:
    placed = place_selected(incidents, Filters(), geography)
    assert placed is not None
    every = PlacementCounts.of(placed, snap_to_land_m=25.0, study_area="municipality")
    assert (every.n_outside, every.n_in_water, every.n_moved, every.n_left_out) == (3, 1, 1, 4)
    assert every.parameters() == {
        "n_left_out": 4,
        "n_outside_study_area": 3,
        "n_in_water": 1,
        "n_moved_onto_land": 1,
        "snap_to_land_m": 25.0,
    }
    assert placement_counts(placed, snap_to_land_m=25.0) == every.parameters()
    # 5-31 March: east and vandal outside, the shore incident moved; lake (3 March) before
    window = PlacementCounts.of(
        placed,
        snap_to_land_m=25.0,
        study_area="municipality",
        since=pd.Timestamp("2026-03-05", tz=TIMEZONE),
        until=pd.Timestamp("2026-04-01", tz=TIMEZONE),
    )
    assert (window.n_outside, window.n_in_water, window.n_moved) == (2, 0, 1)
    # the until bound is exclusive: 'later' happened at 22:00 on 1 April
    through_april = PlacementCounts.of(
        placed,
        snap_to_land_m=25.0,
        study_area="municipality",
        since=pd.Timestamp("2026-04-01", tz=TIMEZONE),
    )
    assert (through_april.n_outside, through_april.n_in_water, through_april.n_moved) == (1, 0, 0)


def test_the_urban_study_area_leaves_out_the_land_east_of_the_district(
    incidents: gpd.GeoDataFrame, geography: Geography
) -> None:
    urban = geography.with_study_area("urban")
    placed = place_selected(incidents, Filters(), urban)
    assert placed is not None
    counts = PlacementCounts.of(placed, snap_to_land_m=25.0, study_area=urban.study_area)
    assert counts.study_area == "urban"
    # only "land" lies on the district's land; the lake and the shore incident are water more
    # than 100 m from it, the three east of the lake outside
    assert sorted(placed.kept["id"]) == ["land"]
    assert (counts.n_outside, counts.n_in_water, counts.n_moved) == (3, 2, 0)


def test_sentences_say_the_counts_per_reason() -> None:
    counts = PlacementCounts(
        n_outside=9, n_in_water=3, n_moved=4, snap_to_land_m=12.5, study_area="urban"
    )
    assert left_out_text(counts, "sv") == (
        "12 händelser ligger utanför studieområdet eller i vatten och ingår inte i analysen: "
        "9 utanför studieområdet (stadsdelarnas land) och 3 i vatten."
    )
    assert left_out_text(counts, "en") == (
        "12 incidents lie outside the study area or in water and are not part of the "
        "analysis: 9 outside the study area (the districts' land) and 3 in water."
    )
    assert left_out_text(counts, "sv", period=True) == (
        "Av periodens händelser ingår 12 inte i kartan och hotspotanalysen: 9 ligger utanför "
        "studieområdet (stadsdelarnas land) och 3 i vatten."
    )
    assert moved_text(counts, "sv") == (
        "Händelser i vatten högst 12,5 m från land har flyttats in på närmaste land och ingår: 4."
    )
    assert moved_text(counts, "en") == (
        "Incidents in water within 12.5 m of land were moved onto the nearest land and are "
        "included: 4."
    )
    one = PlacementCounts(
        n_outside=0, n_in_water=1, n_moved=0, snap_to_land_m=25.0, study_area="municipality"
    )
    assert left_out_text(one, "sv") == (
        "1 händelse ligger utanför studieområdet eller i vatten och ingår inte i analysen: "
        "0 utanför studieområdet (kommunens land) och 1 i vatten."
    )
    assert moved_text(one, "sv") == ""
    none = PlacementCounts(
        n_outside=0, n_in_water=0, n_moved=0, snap_to_land_m=25.0, study_area="urban"
    )
    assert left_out_text(none, "en") == ""


def test_left_out_counts_are_written_as_the_language_writes_numbers() -> None:
    many = PlacementCounts(
        n_outside=890, n_in_water=1919, n_moved=1316, snap_to_land_m=25.0, study_area="urban"
    )
    assert left_out_text(many, "sv").startswith("2\u00a0809 händelser ligger utanför")
    assert "890 utanför studieområdet (stadsdelarnas land) och 1\u00a0919 i vatten" in (
        left_out_text(many, "sv")
    )
    assert left_out_text(many, "en").startswith("2,809 incidents lie outside")
    assert "1,316" in moved_text(many, "en")
    assert "1\u00a0316" in moved_text(many, "sv")
