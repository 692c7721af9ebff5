from __future__ import annotations

import datetime as dt
import itertools
import re
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest

from hotspots.core.config import parse_hours
from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.core.i18n import column_label
from hotspots.io.csv_safety import read_excel_csv
from hotspots.planning import layout, schedule
from hotspots.planning.tables import schedule_table as schedule_words
from hotspots.planning.tables import suggestion_table


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
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel shows å, ä, ö
    back = read_excel_csv(path)
    assert list(back.columns) == [column_label(c, "sv") for c in schedule.SCHEDULE_COLUMNS]
    assert list(back.columns)[:3] == ["Datum", "Dag", "Start"]
    assert back["Minuter"].astype(int).sum() == 180
    # words, not fri/sat/sun; a visit after midnight of a night shift is named by its night
    assert set(back["Dag"]) <= {"fre", "lör", "sön", "natten fre/lör", "natten lör/sön"}
    assert "natten lör/sön" in set(back["Dag"])  # TC1: Sunday 01-04
    assert set(back["Typ"]) <= {"Fotpatrull", "Trafikkontroll"}
    english = read_excel_csv(schedule.render_csv(sched, lang="en"))
    assert list(english.columns)[:3] == ["Date", "Day", "Start"]
    assert set(english["Day"]) <= {"Fri", "Sat", "Sun", "Fri/Sat night", "Sat/Sun night"}
    assert set(english["Kind"]) <= {"Foot patrol", "Traffic check"}
    with pytest.raises(InputSchemaError, match=r"\.html or \.csv"):
        schedule.write_schedule(tmp_path / "s.pdf", sched, sugg, week="2026-W48")


def test_printable_schedule_names_days_and_kinds_in_words() -> None:
    sugg = _suggestions()
    sched = schedule.build_schedule(sugg, hours_per_week=4, week="2026-W48")
    page = schedule.render_html(sched, sugg, week="2026-W48", lang="sv")
    assert "fre, lör" in page  # the Dagar column
    assert "fri, sat" not in page
    assert "foot_patrol" not in page
    assert "Fri, Sat" in schedule.render_html(sched, sugg, week="2026-W48", lang="en")


def _small_hours() -> pd.DataFrame:
    """A pub check in the small hours (00-03) on the calendar days Saturday and Sunday."""
    return pd.DataFrame(
        {
            "id": ["PC1"],
            "kind": ["pub_check"],
            "place": ["Kungsgatan"],
            "district": ["Centrum"],
            "weekdays": [["sat", "sun"]],
            "hours": ["00-03"],
            "priority": [2.0],
            "visit_minutes": [30],
            "window_minutes_per_week": [360],
            "day_weights": [[0, 0, 0, 0, 0, 2, 1]],
            "stop_names": [[]],
            "expected_share": [0.1],
            "reason_sv": ["Bråk vid krogarna"],
            "reason_en": ["Fights at the pubs"],
        }
    )


def test_a_visit_after_midnight_is_named_by_its_night_everywhere() -> None:
    """Saturday 00-03 is Friday night's small hours: never "lör, sön 00–03" (two visits?)."""
    sugg = _small_hours()
    sched = schedule.build_schedule(sugg, hours_per_week=1.5, week="2026-W48")
    assert set(sched["date"]) == {"2026-11-28", "2026-11-29"}  # calendar dates: Sat, Sun
    assert set(sched["day"]) == {"sat", "sun"}  # codes for programs stay calendar days
    sv = read_excel_csv(schedule.render_csv(sched, lang="sv"))
    assert set(sv["Dag"]) == {"natten fre/lör", "natten lör/sön"}
    en = read_excel_csv(schedule.render_csv(sched, lang="en"))
    assert set(en["Day"]) == {"Fri/Sat night", "Sat/Sun night"}
    table = suggestion_table(sugg, "sv")
    assert table.loc[0, "weekdays"] == "nätterna fre/lör, lör/sön"
    assert table.loc[0, "hours"] == "00-03"
    assert suggestion_table(sugg, "en").loc[0, "weekdays"] == "Fri/Sat, Sat/Sun nights"
    page = schedule.render_html(sched, sugg, week="2026-W48", lang="sv")
    assert "lör, sön" not in page
    assert "<td>nätterna fre/lör, lör/sön</td><td>00-03</td>" in page
    # listed under the evening the shift starts, named by its night
    assert "<h2>Fredag 2026-11-27</h2>" in page
    assert "<h2>Lördag 2026-11-28</h2>" in page
    assert "<h2>Söndag" not in page
    friday = page.split("<h2>Fredag 2026-11-27</h2>")[1].split("<h2>")[0]
    assert re.search(r"<td>natten fre/lör 0[0-2]:\d\d–0[0-3]:\d\d</td>", friday), friday
    page_en = schedule.render_html(sched, sugg, week="2026-W48", lang="en")
    assert "Sat, Sun" not in page_en
    assert "<h2>Friday 2026-11-27</h2>" in page_en
    assert "Fri/Sat night 0" in page_en


def test_the_evening_of_a_night_window_keeps_its_weekday() -> None:
    """22-04 on Friday: the visits before midnight are Friday's, those after are the night's."""
    sugg = _suggestions().iloc[[0]].reset_index(drop=True)
    sched = schedule.build_schedule(sugg, hours_per_week=8, week="2026-W48")
    words = schedule_words(sched, "sv")
    for (_, r), day in zip(sched.iterrows(), words["day"], strict=True):
        calendar = {"fri": "fre", "sat": "lör", "sun": "sön"}[r["day"]]
        if _minutes(r["start"]) >= 22 * 60:
            assert day == calendar
        else:
            assert day == {"sat": "natten fre/lör", "sun": "natten lör/sön"}[r["day"]]
    assert "natten fre/lör" in set(words["day"])
    assert "fre" in set(words["day"])


def _spans(sched: pd.DataFrame) -> list[tuple[int, int, int]]:
    """(start, end, team) of each visit in minutes from 2000-01-01 (dates and times)."""
    out = []
    for r in sched.itertuples():
        day = dt.date.fromisoformat(r.date).toordinal() * 1440
        start = day + _minutes(r.start)
        out.append((start, start + int(r.minutes), int(r.team)))
    return out


def _busy(n: int, hours: str = "18-23") -> pd.DataFrame:
    """``n`` equal suggestions at different places, all in the same evening window."""
    return pd.DataFrame(
        {
            "id": [f"FP{i}" for i in range(n)],
            "kind": ["foot_patrol"] * n,
            "place": [f"Plats {i}" for i in range(n)],
            "district": ["Centrum"] * n,
            "weekdays": [["fri", "sat"]] * n,
            "hours": [hours] * n,
            "priority": [3.0 - 0.1 * i for i in range(n)],
            "visit_minutes": [60] * n,
            "window_minutes_per_week": [600] * n,
            "day_weights": [[0, 0, 0, 0, 1, 1, 0]] * n,
            "stop_names": [["A", "B"]] * n,
            "expected_share": [0.05] * n,
            "reason_sv": ["x"] * n,
            "reason_en": ["x"] * n,
        }
    )


@pytest.mark.parametrize("teams", [1, 2, 3])
def test_no_team_is_in_two_places_at_once(teams: int) -> None:
    # 4 suggestions in one 5-hour window on two evenings: 10 h of window time per team at
    # most; ask for 8 h with one team (4 visits an evening would overlap without teams)
    sched = schedule.build_schedule(_busy(4), hours_per_week=8, week="2026-W48", teams=teams)
    assert sched["minutes"].sum() == 8 * 60
    assert set(sched["team"]) <= set(range(1, teams + 1))
    spans = _spans(sched)
    for team in range(1, teams + 1):
        mine = sorted((s, e) for s, e, k in spans if k == team)
        for (_, e1), (s2, _) in itertools.pairwise(mine):
            assert s2 >= e1 + layout.CHANGEOVER_MINUTES  # different places: time to move
    at_once = max(sum(s <= m < e for s, e, _ in spans) for m, _, _ in spans)
    assert at_once <= teams
    if teams == 1:
        ordered = sorted(spans)
        assert all(b[0] >= a[1] for a, b in itertools.pairwise(ordered))


def test_more_hours_than_one_team_can_walk_is_refused() -> None:
    # one 5-hour evening window on two days holds at most 10 h for one team, fewer with
    # the changeovers; two teams hold twice that
    with pytest.raises(InputSchemaError, match="team"):
        schedule.build_schedule(_busy(4), hours_per_week=12, week="2026-W48", teams=1)
    sched = schedule.build_schedule(_busy(4), hours_per_week=12, week="2026-W48", teams=2)
    assert sched["minutes"].sum() == 12 * 60
    with pytest.raises(InputSchemaError, match="--teams"):
        schedule.build_schedule(_busy(2), hours_per_week=2, week="2026-W48", teams=0)


def test_nothing_is_scheduled_before_the_plan_is_made() -> None:
    # 2026-W48 runs Monday 23 to Sunday 29 November; made on Friday 27th at 19:42
    now = dt.datetime(2026, 11, 27, 19, 42, tzinfo=ZoneInfo("Europe/Stockholm"))
    sched = schedule.build_schedule(
        _busy(3), hours_per_week=6, week="2026-W48", teams=2, not_before=now
    )
    assert sched["minutes"].sum() == 6 * 60
    for r in sched.itertuples():
        start = dt.datetime.fromisoformat(f"{r.date}T{r.start}").replace(tzinfo=now.tzinfo)
        assert start >= now, (r.date, r.start)
    # a week that is over is refused, with what to do
    with pytest.raises(InputSchemaError, match="later week"):
        schedule.build_schedule(
            _busy(3),
            hours_per_week=2,
            week="2026-W47",
            not_before=now,
        )
