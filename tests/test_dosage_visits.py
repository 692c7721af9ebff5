"""Visits: Koper classes, shifts and days, summaries."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from hotspots.core.config import HourWindow
from hotspots.core.errors import InputSchemaError
from hotspots.dosage.visits import (
    DEFAULT_SHIFTS,
    KoperRule,
    Shift,
    assign_shifts,
    classify_minutes,
    parse_shifts,
    place_visits,
    visit_summary,
)


def _ms(text: str) -> int:
    return int(pd.Timestamp(text, tz="Europe/Stockholm").tz_convert("UTC").value // 1_000_000)


def test_koper_classes_at_the_boundaries() -> None:
    got = classify_minutes(np.array([3.0, 9.99, 10.0, 12.0, 15.0, 15.01, 60.0]))
    assert got.tolist() == ["short", "short", "koper", "koper", "koper", "long", "long"]
    with pytest.raises(InputSchemaError, match="min_minutes"):
        KoperRule(min_minutes=20, flag_minutes=15)


def test_night_shift_after_midnight_belongs_to_the_day_it_started() -> None:
    times = np.array(
        [
            _ms("2026-12-04 06:59"),
            _ms("2026-12-04 07:00"),
            _ms("2026-12-04 22:59"),
            _ms("2026-12-04 23:00"),
            _ms("2026-12-05 01:30"),
        ]
    )
    names, days = assign_shifts(times)
    assert names.tolist() == ["natt", "dag", "kväll", "natt", "natt"]
    assert days.tolist() == [
        dt.date(2026, 12, 3),
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 4),
        dt.date(2026, 12, 4),
    ]


def test_shift_across_summer_time_change() -> None:
    # 2026-03-29 02:00 does not exist in Stockholm; 01:30 and 03:30 are both the night shift
    names, days = assign_shifts(np.array([_ms("2026-03-29 01:30"), _ms("2026-03-29 03:30")]))
    assert names.tolist() == ["natt", "natt"]
    assert days.tolist() == [dt.date(2026, 3, 28), dt.date(2026, 3, 28)]


def test_parse_shifts_must_cover_each_hour_once() -> None:
    shifts = parse_shifts("dag=07-15,kväll=15-23,natt=23-07")
    assert shifts == DEFAULT_SHIFTS
    assert parse_shifts("a=06-18, b=18-06") == (
        Shift("a", HourWindow(6, 18)),
        Shift("b", HourWindow(18, 6)),
    )
    with pytest.raises(InputSchemaError, match="in several"):
        parse_shifts("a=06-18,b=17-06")
    with pytest.raises(InputSchemaError, match="in none"):
        parse_shifts("a=06-18,b=19-06")
    with pytest.raises(InputSchemaError, match="NAME=HH-HH"):
        parse_shifts("06-18")


def test_visit_summary_per_place_day_and_shift() -> None:
    stops = pd.DataFrame(
        {
            "unit": ["U1", "U1", "U2", "U1"],
            "officer": None,
            "start_ms": [
                _ms("2026-12-04 21:00"),
                _ms("2026-12-05 01:00"),
                _ms("2026-12-04 21:05"),
                _ms("2026-12-04 10:00"),
            ],
            "end_ms": [
                _ms("2026-12-04 21:12"),
                _ms("2026-12-05 01:20"),
                _ms("2026-12-04 21:11"),
                _ms("2026-12-04 10:10"),
            ],
            "x": [0.0, 0.0, 5.0, 1000.0],
            "y": [0.0, 0.0, 5.0, 0.0],
            "n_pings": [73, 121, 37, 61],
        }
    )
    areas = {"A": Point(0, 0).buffer(50), "B": Point(1000, 0).buffer(50)}
    visits = place_visits(stops, areas)
    passages = pd.DataFrame(
        {
            "place_id": ["A", "A", "A", "B", "B"],
            "unit": ["U1", "U1", "U2", "U1", "U3"],
            "start_ms": [
                _ms("2026-12-04 20:58"),
                _ms("2026-12-05 00:58"),
                _ms("2026-12-04 21:04"),
                _ms("2026-12-04 09:59"),
                _ms("2026-12-04 16:00"),
            ],
            "end_ms": [
                _ms("2026-12-04 21:14"),
                _ms("2026-12-05 01:22"),
                _ms("2026-12-04 21:12"),
                _ms("2026-12-04 10:11"),
                _ms("2026-12-04 16:01"),
            ],
            "stopped": [True, True, True, True, False],
        }
    )
    table = visit_summary(visits, passages)
    rows = {(r.place_id, r.day, r.shift): r for r in table.itertuples(index=False)}
    a_evening = rows[("A", dt.date(2026, 12, 4), "kväll")]
    assert (a_evening.visits, a_evening.koper_visits, a_evening.short_visits) == (2, 1, 1)
    assert a_evening.visit_minutes == 18.0  # 12 + 6
    assert a_evening.presence_minutes == 24.0  # 16 + 8
    assert a_evening.units == 2
    a_night = rows[("A", dt.date(2026, 12, 4), "natt")]  # 01:00 on the 5th, night of the 4th
    assert (a_night.visits, a_night.long_visits, a_night.visit_minutes) == (1, 1, 20.0)
    b_day = rows[("B", dt.date(2026, 12, 4), "dag")]
    assert (b_day.visits, b_day.koper_visits, b_day.drive_throughs) == (1, 1, 0)
    b_evening = rows[("B", dt.date(2026, 12, 4), "kväll")]
    assert (b_evening.visits, b_evening.drive_throughs, b_evening.drive_through_minutes) == (
        0,
        1,
        1.0,
    )
    per_place = visit_summary(visits, passages, by=("place_id",)).set_index("place_id")
    assert per_place.loc["A", "visits"] == 3
    assert per_place.loc["B", "drive_throughs"] == 1
    weekly = visit_summary(visits, passages, by=("week",))
    assert weekly["week"].tolist() == ["2026-W49"]
    with pytest.raises(InputSchemaError, match="by"):
        visit_summary(visits, passages, by=("month",))
