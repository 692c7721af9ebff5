"""Planned against delivered: minutes, visits, drive-throughs and the activity log."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from hotspots.core.errors import InputSchemaError
from hotspots.dosage.delivery import (
    dosage_report,
    match_activities,
    suggestion_areas,
    union_minutes,
)
from hotspots.dosage.movement import Movement, movement_from_pings
from hotspots.dosage.synthetic import Waypoint, simulate_track
from hotspots.dosage.visits import place_visits

X0, Y0 = 414_000.0, 6_583_000.0
TZ = "Europe/Stockholm"


def _ms(text: str) -> int:
    return int(pd.Timestamp(text, tz=TZ).tz_convert("UTC").value // 1_000_000)


def _suggestions() -> gpd.GeoDataFrame:
    loop = LineString([(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 300), (X0, Y0 + 300), (X0, Y0)])
    return gpd.GeoDataFrame(
        {
            "id": ["FP1", "TC1", "PC1", "SV1"],
            "kind": ["foot_patrol", "traffic_check", "pub_check", "school_visit"],
            "place": ["Stora torget", "Hamngatan", "Krogen Ankaret", "Herrhagsskolan"],
            "allocated_minutes": [120, 60, 30, 0],
            "visit_minutes": [60, 60, 30, 60],
        },
        geometry=[loop, Point(X0 + 2000, Y0), Point(X0 + 1000, Y0 + 1500), Point(X0, Y0 + 3000)],
        crs="EPSG:3006",
    )


def _movement(rng: np.random.Generator, areas: dict) -> object:
    wps = [
        Waypoint(X0 - 500, Y0 - 500),
        Waypoint(X0, Y0, 12 * 60),
        Waypoint(X0 + 300, Y0),
        Waypoint(X0 + 300, Y0 + 300, 11 * 60),
        Waypoint(X0, Y0 + 300),
        Waypoint(X0, Y0),
        Waypoint(X0 + 2000, Y0, 45 * 60),
        Waypoint(X0 + 1000, Y0 + 1500),
        Waypoint(X0 + 1000, Y0 + 2500),
    ]
    start = pd.Timestamp("2026-12-01 19:00", tz=TZ)
    pings, _ = simulate_track(wps, unit="U-1", start=start, rng=rng)
    return movement_from_pings(pings, areas)


def test_areas_by_kind() -> None:
    areas = suggestion_areas(_suggestions())
    assert set(areas) == {"FP1", "TC1", "PC1", "SV1"}
    assert areas["TC1"].area == pytest.approx(np.pi * 100**2, rel=0.01)
    assert areas["FP1"].contains(Point(X0 + 150, Y0 + 40))  # 40 m off the loop
    assert not areas["FP1"].contains(Point(X0 + 150, Y0 + 150))  # the middle of the block
    with pytest.raises(InputSchemaError, match="no visit radius"):
        suggestion_areas(_suggestions().assign(kind="dog_patrol"))


def test_activities_match_by_id_name_or_close_name() -> None:
    acts = pd.DataFrame(
        {
            "kind": ["traffic_check", "pub_check", "pub_check", "school_visit", "pub_check"],
            "place": ["tc1", "krogen ankaret", "Krogen Ankaret!", "Herrhagskolan", "Annat ställe"],
        }
    )
    got = match_activities(acts, _suggestions())
    assert got.tolist() == ["TC1", "PC1", "PC1", "SV1", None]


def test_planned_against_delivered(rng: np.random.Generator) -> None:
    suggestions = _suggestions()
    areas = suggestion_areas(suggestions)
    movement = _movement(rng, areas)
    acts = pd.DataFrame(
        {
            # logged pub check at 22:00 (not tracked there), a traffic check logged while the
            # GPS shows the unit there (not counted twice), an unplanned school visit
            "start_ms": [_ms("2026-12-02 22:00"), _ms("2026-12-01 20:10"), _ms("2026-12-02 00:00")],
            "day": ["2026-12-02", "2026-12-01", "2026-12-02"],
            "time": ["22:00", "20:10", None],
            "kind": ["pub_check", "traffic_check", "school_visit"],
            "place": ["Krogen Ankaret", "TC1", "Skolan i Rud"],
            "minutes": [30.0, 40.0, 45.0],
        }
    )
    report = dosage_report(suggestions, movement, week="2026-W49", activities=acts)
    t = report.table.set_index("id")
    assert t.loc["FP1", "planned_minutes"] == 120
    assert (t.loc["FP1", "visits"], t.loc["FP1", "koper_visits"]) == (2, 2)
    # presence: two stops of 12 and 11 minutes and the 1.2 km loop walked, about 14 minutes
    assert 12 + 11 + 14 - 2 <= t.loc["FP1", "tracked_minutes"] <= 12 + 11 + 14 + 5
    assert t.loc["TC1", "long_visits"] == 1  # 45 minutes at the checkpoint: flagged
    assert 45 - 1 <= t.loc["TC1", "tracked_minutes"] <= 45 + 3
    assert t.loc["TC1", "logged_overlap"] == 1
    assert t.loc["TC1", "logged_minutes"] == 0.0  # overlapping the tracked visit
    assert t.loc["PC1", "drive_throughs"] == 1
    assert t.loc["PC1", "visits"] == 0
    assert t.loc["PC1", "logged_minutes"] == 30.0
    assert t.loc["PC1", "delivered_minutes"] == 30.0
    assert t.loc["PC1", "share_delivered"] == 1.0
    assert np.isnan(t.loc["SV1", "share_delivered"])  # nothing planned
    share = t.loc["FP1", "delivered_minutes"] / 120
    assert t.loc["FP1", "share_delivered"] == pytest.approx(share, abs=1e-3)
    assert report.unplanned["place"].tolist() == ["Skolan i Rud"]
    kinds = report.by_kind.set_index("kind")
    assert kinds.loc["school_visit", "unplanned_activities"] == 1
    assert kinds.loc["school_visit", "unplanned_minutes"] == 45.0
    assert kinds.loc["pub_check", "drive_throughs"] == 1
    assert report.notes == ()
    days = report.days
    fp = days[days["place_id"] == "FP1"]
    assert fp[["day", "shift"]].astype(str).values.tolist() == [["2026-12-01", "kväll"]]
    pc = days[days["place_id"] == "PC1"].set_index("day")
    assert pc["logged_minutes"].sum() == 30.0


def test_without_allocation_or_tracks_the_notes_say_so() -> None:
    suggestions = _suggestions().drop(columns="allocated_minutes")
    empty = movement_from_pings(
        pd.DataFrame({"unit": [], "officer": [], "t_ms": [], "x": [], "y": []}), {}
    )
    report = dosage_report(suggestions, empty, week="2026-W49")
    assert set(report.notes) == {"no_allocation", "no_tracks"}
    assert report.table["delivered_minutes"].eq(0).all()


# --------------------------------------------------------------------- overlapping areas


def test_union_minutes_counts_each_minute_of_a_unit_once() -> None:
    m = 60_000
    intervals = pd.DataFrame(
        {
            "unit": ["A", "A", "A", "B", "A"],
            # A: 0-10 and 5-15 overlap (15 min), 15-20 touches (5 more), 30-31 apart (1);
            # B: 0-10 beside A counts on its own (unit-minutes)
            "start_ms": [0, 5 * m, 15 * m, 0, 30 * m],
            "end_ms": [10 * m, 15 * m, 20 * m, 10 * m, 31 * m],
        }
    )
    assert union_minutes(intervals) == pytest.approx(15 + 5 + 1 + 10)
    assert union_minutes(intervals.iloc[::-1]) == pytest.approx(31)  # order does not matter
    assert union_minutes(intervals.iloc[0:0]) == 0.0


def _overlapping() -> gpd.GeoDataFrame:
    """A foot patrol point and a pub check 20 m apart: their areas (50 m, 75 m) overlap."""
    return gpd.GeoDataFrame(
        {
            "id": ["FP1", "PC1"],
            "kind": ["foot_patrol", "pub_check"],
            "place": ["Stora torget", "Krogen Ankaret"],
            "allocated_minutes": [30, 30],
            "visit_minutes": [15, 15],
        },
        geometry=[Point(X0, Y0), Point(X0 + 20, Y0)],
        crs="EPSG:3006",
    )


def test_one_stay_in_two_overlapping_areas_is_counted_once_in_the_total() -> None:
    """Golden: one unit stays 15 minutes where the two areas overlap. Each suggestion and
    each kind delivered 15 minutes; the week delivered 15, not 30."""
    suggestions = _overlapping()
    areas = suggestion_areas(suggestions)
    assert areas["FP1"].intersects(areas["PC1"])
    start, end = _ms("2026-12-01 20:00"), _ms("2026-12-01 20:15")
    stop = pd.DataFrame(
        {
            "unit": ["U-1"],
            "officer": [None],
            "start_ms": [start],
            "end_ms": [end],
            "x": [X0 + 10.0],
            "y": [Y0],
            "n_pings": [90],
        }
    )
    passages = pd.DataFrame(
        {
            "place_id": ["FP1", "PC1"],
            "unit": ["U-1", "U-1"],
            "start_ms": [start, start],
            "end_ms": [end, end],
            "stopped": [True, True],
        }
    )
    movement = Movement(stops=stop, passages=passages, visits=place_visits(stop, areas), pings=0)
    report = dosage_report(suggestions, movement, week="2026-W49")
    t = report.table.set_index("id")
    assert t["delivered_minutes"].tolist() == [15.0, 15.0]
    assert t["visits"].tolist() == [1, 1]
    kinds = report.by_kind.set_index("kind")
    assert kinds.loc["foot_patrol", "delivered_minutes"] == 15.0
    assert kinds.loc["pub_check", "delivered_minutes"] == 15.0
    assert report.total["delivered_minutes"] == 15.0
    assert report.total["tracked_minutes"] == 15.0
    assert report.total["planned_minutes"] == 60.0
    assert report.total["share_delivered"] == 0.25  # 15 of 60, not 30 of 60


def test_total_of_a_walked_stay_is_the_union_not_the_sum(rng: np.random.Generator) -> None:
    """End to end from pings: one 15-minute stay where the areas overlap. The larger area
    holds the smaller one's presence, so the total is the larger one's minutes; the log
    line adds its own minutes."""
    suggestions = _overlapping().assign(geometry=[Point(X0, Y0), Point(X0, Y0)])
    areas = suggestion_areas(suggestions)  # PC1's 75 m circle holds FP1's 50 m one
    wps = [Waypoint(X0 - 600, Y0), Waypoint(X0, Y0, 15 * 60), Waypoint(X0 + 600, Y0)]
    pings, _ = simulate_track(
        wps, unit="U-1", start=pd.Timestamp("2026-12-01 19:50", tz=TZ), rng=rng
    )
    movement = movement_from_pings(pings, areas)
    acts = pd.DataFrame(
        {
            "start_ms": [_ms("2026-12-03 12:00")],
            "day": ["2026-12-03"],
            "time": ["12:00"],
            "kind": ["pub_check"],
            "place": ["PC1"],
            "minutes": [20.0],
        }
    )
    report = dosage_report(suggestions, movement, week="2026-W49", activities=acts)
    t = report.table.set_index("id")
    fp, pc = t.loc["FP1", "tracked_minutes"], t.loc["PC1", "tracked_minutes"]
    # 15 minutes of stay plus the walk in and out (50 m and 75 m at 1.4 m/s each way)
    assert 15 <= fp <= 15 + 2.5
    assert fp < pc <= 15 + 3
    kinds = report.by_kind.set_index("kind")
    assert kinds.loc["pub_check", "delivered_minutes"] == pytest.approx(pc + 20.0, abs=0.11)
    assert report.total["tracked_minutes"] == pytest.approx(pc, abs=0.11)
    assert report.total["logged_minutes"] == 20.0
    assert report.total["delivered_minutes"] == pytest.approx(pc + 20.0, abs=0.11)
    assert report.total["delivered_minutes"] < kinds["delivered_minutes"].sum() - 14
