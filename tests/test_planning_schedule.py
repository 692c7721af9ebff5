from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from hotspots.core.config import parse_hours
from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.planning import schedule


def test_allocate_greedy_golden() -> None:
    # p = 2 * 60 / 600 = 0.2 for both. Marginal gain of A's n-th visit 4 * 0.2 * 0.8^(n-1)
    # exceeds B's first (1 * 0.2) while 4 * 0.8^(n-1) > 1, i.e. for n = 1..7 (0.8^6 = 0.262);
    # the 8th visit goes to B (4 * 0.8^7 = 0.84 < 1).
    visits = schedule.allocate(
        np.array([4.0, 1.0]), np.array([60, 60]), np.array([600, 600]), total_minutes=480
    )
    assert [len(v) for v in visits] == [7, 1]
    assert sum(map(sum, visits)) == 480


def test_allocate_diminishing_returns_spreads_equal_suggestions() -> None:
    visits = schedule.allocate(
        np.ones(3), np.array([30, 30, 30]), np.array([600, 600, 600]), total_minutes=270
    )
    assert [len(v) for v in visits] == [3, 3, 3]


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (130, [60, 60, 10]),  # 10 min left: a shortened (Koper minimum) visit
        (125, [60, 65]),  # 5 min left: the last visit is lengthened
        (45, [45]),  # less than one visit: one shortened visit
    ],
)
def test_allocate_remainder_keeps_total(total: int, expected: list[int]) -> None:
    visits = schedule.allocate(
        np.array([1.0]), np.array([60]), np.array([6000]), total_minutes=total
    )
    assert sorted(visits[0], reverse=True) == sorted(expected, reverse=True)
    assert sum(visits[0]) == total


@pytest.mark.parametrize("hours", [0.5, 3, 7.25, 20, 41])
def test_allocate_totals_equal_hours(hours: float, rng: np.random.Generator) -> None:
    n = 9
    visits = schedule.allocate(
        rng.uniform(0, 5, n),
        rng.choice([15, 30, 45, 60, 90], n),
        rng.choice([120, 360, 600, 1200], n).astype(float),
        total_minutes=round(hours * 60),
    )
    assert sum(map(sum, visits)) == round(hours * 60)


def test_allocate_errors() -> None:
    with pytest.raises(InsufficientDataError, match="no suggestions"):
        schedule.allocate(np.array([]), np.array([]), np.array([]), total_minutes=60)
    with pytest.raises(InputSchemaError, match="exceeds"):
        schedule.allocate(np.array([1.0]), np.array([60]), np.array([120]), total_minutes=600)


def _suggestions(place: str = "Stora torget") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["FP1", "TC1"],
            "kind": ["foot_patrol", "traffic_check"],
            "place": [place, "Hamngatan"],
            "district": ["Centrum", "Herrhagen"],
            "weekdays": [["fri", "sat"], ["sun"]],
            "hours": ["22-04", "01-04"],
            "priority": [3.0, 1.0],
            "visit_minutes": [50, 60],
            "window_minutes_per_week": [720, 180],
            "day_weights": [[0, 0, 0, 0, 5, 3, 0], [0, 0, 0, 0, 0, 0, 1]],
            "stop_names": [["A", "B", "C"], []],
            "expected_share": [0.1, 0.02],
            "reason_sv": [f"Många händelser vid {place}", "Rattfylleri"],
            "reason_en": [f"Many incidents at {place}", "Drink driving"],
        }
    )


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def test_build_schedule_windows_across_midnight() -> None:
    sched = schedule.build_schedule(_suggestions(), hours_per_week=6, week="2026-W48")
    assert sched["minutes"].sum() == 360
    assert list(sched.columns) == list(schedule.SCHEDULE_COLUMNS)
    monday = dt.date(2026, 11, 23)
    for _, r in sched.iterrows():
        window = parse_hours(r["hours"])
        date = dt.date.fromisoformat(r["date"])
        assert r["day"] == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[date.weekday()]
        start, end = _minutes(r["start"]), _minutes(r["end"])
        assert (end - start) % 1440 == r["minutes"]
        # the visit lies inside the window
        hours = set(window.hours())
        for m in range(start, start + r["minutes"], 5):
            assert (m // 60) % 24 in hours, (r["start"], r["hours"])
        if r["suggestion"] == "FP1":
            # the window starts Friday or Saturday evening; after midnight it is Sat/Sun
            evening_day = date - dt.timedelta(days=1) if start < 12 * 60 else date
            assert evening_day.weekday() in (4, 5)
            assert len(r["route"].split(" → ")) == 4  # A → B → C → A
        else:
            assert r["day"] in ("sun",) or date.weekday() == 6
            assert monday <= date <= monday + dt.timedelta(days=7)
    # time order
    order = [
        dt.date.fromisoformat(d).toordinal() * 1440 + _minutes(s)
        for d, s in zip(sched["date"], sched["start"], strict=True)
    ]
    assert order == sorted(order)


def test_build_schedule_randomised_routes_are_seeded() -> None:
    a = schedule.build_schedule(
        _suggestions(), hours_per_week=8, week="2026-W48", randomise=True, seed=7
    )
    b = schedule.build_schedule(
        _suggestions(), hours_per_week=8, week="2026-W48", randomise=True, seed=7
    )
    assert a.equals(b)
    routes = set(a.loc[a["kind"] == "foot_patrol", "route"])
    assert len(routes) > 1
    fixed = schedule.build_schedule(_suggestions(), hours_per_week=8, week="2026-W48")
    assert set(fixed.loc[fixed["kind"] == "foot_patrol", "route"]) == {"A → B → C → A"}


def test_html_escapes_markup_and_speaks_both_languages() -> None:
    evil = '<script>alert("x")</script> & <b>'
    sugg = _suggestions(evil)
    sched = schedule.build_schedule(sugg, hours_per_week=4, week="2026-W48")
    page_sv = schedule.render_html(sched, sugg, week="2026-W48", lang="sv")
    assert "<script>" not in page_sv
    assert "<b>" not in page_sv
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in page_sv
    assert "Patrullschema vecka 2026-W48" in page_sv
    assert "Fotpatrull" in page_sv
    page_en = schedule.render_html(sched, sugg, week="2026-W48", lang="en")
    assert "Patrol schedule week 2026-W48" in page_en
    assert "Many incidents at &lt;script&gt;" in page_en


def test_csv_and_write_schedule(tmp_path) -> None:
    sugg = _suggestions()
    sched = schedule.build_schedule(sugg, hours_per_week=3, week="2026-W48")
    path = tmp_path / "s.csv"
    schedule.write_schedule(path, sched, sugg, week="2026-W48")
    back = pd.read_csv(path)
    assert list(back.columns) == list(schedule.SCHEDULE_COLUMNS)
    assert back["minutes"].sum() == 180
    with pytest.raises(InputSchemaError, match=r"\.html or \.csv"):
        schedule.write_schedule(tmp_path / "s.pdf", sched, sugg, week="2026-W48")
