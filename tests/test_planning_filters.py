"""The plan keeps to the analysis' weekdays and hours, and names places once (issue 14).

With violence on Friday and Saturday 22-04 chosen, the survey-based foot patrols were still
scheduled every evening of the week (17-22), and a patrol was called "E18 (E18)". These
tests plant a small town whose incidents and survey marks fall inside and outside such a
filter, and check every suggestion and every scheduled visit against it; the last one does
the same on the Karlstad demo with the real engine.
"""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
from shapely.geometry import LineString, Point, box

from hotspots.core.config import WEEKDAYS, AnalysisConfig, Filters, HourWindow, parse_hours
from hotspots.core.schema import INCIDENT_COLUMNS, TIMEZONE
from hotspots.planning import PlanOptions, make_plan, patrol
from hotspots.planning.context import Context, road_label
from hotspots.spatial.geography import Geography

CRS = "EPSG:3006"
X0, Y0 = 500_000.0, 6_600_000.0
SIZE = 3000.0
#: Friday and Saturday nights, 22:00 to 04:00.
NIGHTS = Filters(hours=HourWindow(22, 4), weekdays=(4, 5))
#: When the plans of 2026-W50 are made: Friday of the week before.
MADE = dt.datetime(2026, 12, 4, 15, 30)
WEEK = "2026-W50"
#: Where things are planted (metres from the south-west corner).
NIGHT_CLUSTER = (900.0, 1100.0)  # assaults on Friday and Saturday nights
EVENING_MARKS = (2300.0, 700.0)  # unsafe marks of the evening only (kvall)
NIGHT_MARKS = (2300.0, 2300.0)  # unsafe marks of the night (natt)
MOTORWAY_MARKS = (1500.0, 2850.0)  # unsafe marks 20 m from the E18, 150 m from a street


# ---------------------------------------------------------------------------------- helpers


def test_allowed_hours_golden() -> None:
    # 20-06 (pub checks) inside 22-04 (the filter): 22, 23, 0, 1, 2, 3
    assert patrol.allowed_hours(HourWindow(20, 6), HourWindow(22, 4)) == frozenset(
        {22, 23, 0, 1, 2, 3}
    )
    # two pieces: 20-06 and 02-23 share 20, 21, 22 and 2, 3, 4, 5
    assert patrol.allowed_hours(HourWindow(20, 6), HourWindow(2, 23)) == frozenset(
        {20, 21, 22, 2, 3, 4, 5}
    )
    assert patrol.allowed_hours(HourWindow(7, 17), HourWindow(22, 4)) == frozenset()
    assert patrol.allowed_hours(None, HourWindow(22, 4)) == frozenset({22, 23, 0, 1, 2, 3})
    assert patrol.allowed_hours(None) is None


def test_window_from_profile_inside_allowed_hours_golden() -> None:
    # an even night (the survey's natt, 22-03) inside 22-04: ties start where the night does
    night = np.zeros(24)
    night[[22, 23, 0, 1, 2]] = 1.0
    assert str(patrol.window_from_profile(night, allowed=HourWindow(22, 4))) == "22-01"
    # the evening (17-22) has no hour inside 22-04: no window
    evening = np.zeros(24)
    evening[17:22] = 1.0
    assert patrol.window_from_profile(evening, allowed=HourWindow(22, 4)) is None
    # two pieces, 20-22 and 02-05 (20-06 inside 02-23): the heavier piece, never across
    weight = np.zeros(24)
    weight[[20, 21, 22]] = 1.0
    weight[[2, 3, 4, 5]] = 2.0
    hours = patrol.allowed_hours(HourWindow(20, 6), HourWindow(2, 23))
    # 2 h hold at most 4 of 11, 3 h 6, 4 h 8 >= 0.6 x 11 = 6.6: 02-06
    assert str(patrol.window_from_profile(weight, allowed=hours)) == "02-06"
    # single allowed hours apart: a window of one hour rather than none
    single = np.zeros(24)
    single[[21, 3]] = [1.0, 5.0]
    assert str(patrol.window_from_profile(single, allowed={21, 3})) == "03-04"


def test_road_label_names_a_road_once() -> None:
    assert road_label("E18", "E18") == "E18"
    assert road_label("Riksväg 63", "63") == "Riksväg 63"
    assert road_label("Riksväg 61/62 (Bergvik-Ilanda)", "61") == "Riksväg 61/62 (Bergvik-Ilanda)"
    assert road_label("Ringleden", "63") == "Ringleden (63)"
    assert road_label("Väg 163", "63") == "Väg 163 (63)"  # 63 is not the number in 163
    assert road_label(None, "E45") == "E45"
    assert road_label("Hagaleden", None) == "Hagaleden"
    assert road_label(" ", float("nan")) == ""


def test_window_days_follow_the_night_it_belongs_to() -> None:
    ctx = _context(NIGHTS)
    assert ctx.hours == HourWindow(22, 4)
    assert ctx.days == (4, 5)
    # a window starting at 22 or 23 starts on Friday or Saturday ...
    assert ctx.window_days(HourWindow(22, 1)) == (4, 5)
    assert ctx.window_days(HourWindow(23, 3)) == (4, 5)
    # ... one wholly after midnight belongs to the night before: Saturday or Sunday
    assert ctx.window_days(HourWindow(0, 3)) == (5, 6)
    # Sunday's night runs into Monday
    assert _context(Filters(hours=HourWindow(22, 4), weekdays=(6,))).window_days(
        HourWindow(1, 3)
    ) == (0,)
    # a window of the day never shifts; no filter, no bound
    assert _context(Filters(hours=HourWindow(8, 17), weekdays=(0,))).window_days(
        HourWindow(8, 10)
    ) == (0,)
    assert _context(Filters()).window_days(HourWindow(0, 3)) is None
    # every day and every hour chosen is no bound either
    full = _context(Filters(hours=HourWindow(0, 24), weekdays=tuple(range(7))))
    assert full.hours is None
    assert full.days is None


# ------------------------------------------------------------------------------ the town


def _geography() -> Geography:
    """A 3 x 3 km town: a street grid, the motorway E18 (ref E18) along the north.

    Streets run every 600 m from 300 m (``Gata 0-4`` north to 2500 m, ``Väg 0-4`` east);
    the E18 runs east at 2870 m, 170 m north of ``Väg 4``.
    """
    muni = box(X0, Y0, X0 + SIZE, Y0 + SIZE)
    names: list[str] = []
    refs: list[str | None] = []
    kinds: list[str] = []
    geoms: list[LineString] = []
    for i, v in enumerate(np.arange(300.0, SIZE, 600.0)):
        names += [f"Gata {i}", f"Väg {i}"]
        refs += [None, None]
        kinds += ["street", "street"]
        geoms += [
            LineString([(X0 + v, Y0), (X0 + v, Y0 + 2500)]),
            LineString([(X0, Y0 + v), (X0 + SIZE, Y0 + v)]),
        ]
    names.append("E18")
    refs.append("E18")
    kinds.append("motorway")
    geoms.append(LineString([(X0, Y0 + 2870), (X0 + SIZE, Y0 + 2870)]))
    roads = gpd.GeoDataFrame({"name": names, "ref": refs, "kind": kinds}, geometry=geoms, crs=CRS)
    places = gpd.GeoDataFrame(
        {"name": ["Torget"], "kind": ["square"]},
        geometry=[Point(X0 + NIGHT_CLUSTER[0], Y0 + NIGHT_CLUSTER[1])],
        crs=CRS,
    )
    districts = gpd.GeoDataFrame(
        {"name": ["Väster", "Öster"]},
        geometry=[box(X0, Y0, X0 + 1500, Y0 + SIZE), box(X0 + 1500, Y0, X0 + SIZE, Y0 + SIZE)],
        crs=CRS,
    )
    return Geography(
        crs=pyproj.CRS.from_user_input(CRS),
        municipality=muni,
        water=Point(X0 - 5000, Y0 - 5000).buffer(10),  # far outside the town
        land=muni,
        roads=roads,
        places=places,
        districts=districts,
    )


def _incidents(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """60 assaults on Friday and Saturday nights (22-02) at the square, 200 at any time."""
    monday = pd.Timestamp("2026-01-05", tz=TIMEZONE)
    times: list[pd.Timestamp] = []
    for _ in range(60):
        week, day = int(rng.integers(0, 40)), int(rng.choice([4, 5]))
        minute = int(rng.integers(0, 4 * 60))
        times.append(monday + pd.Timedelta(days=7 * week + day, hours=22, minutes=minute))
    times += [monday + pd.Timedelta(minutes=int(m)) for m in rng.integers(0, 280 * 1440, 200)]
    x = np.concatenate([rng.normal(X0 + NIGHT_CLUSTER[0], 30, 60), rng.uniform(X0, X0 + SIZE, 200)])
    y = np.concatenate([rng.normal(Y0 + NIGHT_CLUSTER[1], 30, 60), rng.uniform(Y0, Y0 + 2500, 200)])
    n = len(times)
    frame = pd.DataFrame(
        {
            "id": [f"i{i}" for i in range(n)],
            "occurred_at": pd.DatetimeIndex(times).tz_convert(TIMEZONE),
            "occurred_until": pd.Series(pd.DatetimeIndex([pd.NaT] * n).tz_localize(TIMEZONE)),
            "time_precision": "exact",
            "category": "assault_public",
            "source_category": "assault_public",
            "precision": "exact",
            "source": "polis",
            "description": "",
            "import_id": "synthetic",
            "source_id": None,
        }
    )
    for col, dtype in INCIDENT_COLUMNS.items():
        frame[col] = frame[col].astype(dtype)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=CRS)


def _survey(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Three clusters of 12 unsafe marks: of the evening, of the night, by the motorway."""
    xs, ys, times = [], [], []
    for (mx, my), time_of_day in (
        (EVENING_MARKS, "kvall"),
        (NIGHT_MARKS, "natt"),
        (MOTORWAY_MARKS, "natt"),
    ):
        spread = 5.0 if (mx, my) == MOTORWAY_MARKS else 20.0
        xs.append(rng.normal(X0 + mx, spread, 12))
        ys.append(rng.normal(Y0 + my, spread, 12))
        times += [time_of_day] * 12
    n = len(times)
    return gpd.GeoDataFrame(
        {
            "id": [f"m{i}" for i in range(n)],
            "unsafe": [5] * n,
            "time_of_day": times,
            "reason": ["belysning"] * n,
            "source": ["trygghetsundersokning"] * n,
        },
        geometry=gpd.points_from_xy(np.concatenate(xs), np.concatenate(ys)),
        crs=CRS,
    )


def _result(filters: Filters) -> Any:
    """An analysis of ``filters`` whose one crime hotspot is the square's night cluster."""
    hot = gpd.GeoDataFrame(
        {"rank": [1], "kind": ["crime"], "incidents": [60]},
        geometry=[Point(X0 + NIGHT_CLUSTER[0], Y0 + NIGHT_CLUSTER[1]).buffer(120)],
        crs=CRS,
    )
    return SimpleNamespace(hotspots=hot, config=AnalysisConfig(filters=filters))


def _context(filters: Filters) -> Context:
    rng = np.random.default_rng(7)
    return Context(_incidents(rng), None, _geography(), PlanOptions(), filters=filters)


def _plan(filters: Filters, hours: float = 6.0) -> Any:
    rng = np.random.default_rng(7)
    return make_plan(
        _result(filters),
        geography=_geography(),
        incidents=_incidents(rng),
        survey=_survey(rng),
        options=PlanOptions(
            week=WEEK,
            now=MADE,
            patrol_hours_per_week=hours,
            kinds=("foot_patrol", "pub_check", "traffic_check"),
            min_incidents=6,
        ),
    )


def _near(suggestions: gpd.GeoDataFrame, spot: tuple[float, float], m: float) -> Any:
    return suggestions[suggestions.geometry.distance(Point(X0 + spot[0], Y0 + spot[1])) <= m]


def night_of(start: pd.Timestamp, window: HourWindow) -> dt.date:
    """The day whose night ``start`` belongs to (after midnight: the day before)."""
    wraps = window.start >= window.end % 24 and window.end % 24 != 0
    after_midnight = wraps and start.hour < window.end % 24
    return (start - pd.Timedelta(days=1)).date() if after_midnight else start.date()


def assert_inside(schedule: pd.DataFrame, filters: Filters) -> None:
    """Every visit lies wholly inside a night of ``filters`` (22-04 on a chosen weekday)."""
    window = filters.hours
    assert window is not None
    assert filters.weekdays is not None
    for r in schedule.itertuples():
        start = pd.Timestamp(f"{r.date} {r.start}")
        end = start + pd.Timedelta(minutes=int(r.minutes))
        night = night_of(start, window)
        assert night.weekday() in filters.weekdays, (r.date, r.start, r.place)
        opens = pd.Timestamp(night) + pd.Timedelta(hours=window.start)
        closes = opens + pd.Timedelta(hours=len(window.hours()))
        assert opens <= start, (r.date, r.start, r.place)
        assert end <= closes, (r.date, r.start, r.minutes, r.place)


def test_assert_inside_golden() -> None:
    ok = pd.DataFrame(
        {
            "date": ["2026-12-11", "2026-12-12", "2026-12-13"],
            "start": ["22:00", "03:30", "01:00"],  # Fri 22; Fri's night; Sat's night
            "minutes": [60, 30, 15],
            "place": ["a", "b", "c"],
        }
    )
    assert_inside(ok, NIGHTS)
    for date, start, minutes in (
        ("2026-12-11", "01:00", 15),  # Thursday's night
        ("2026-12-08", "22:30", 15),  # a Tuesday
        ("2026-12-12", "03:50", 20),  # past 04:00
        ("2026-12-11", "21:45", 30),  # before 22:00
    ):
        bad = pd.DataFrame({"date": [date], "start": [start], "minutes": [minutes], "place": ["x"]})
        with pytest.raises(AssertionError):
            assert_inside(bad, NIGHTS)


# ------------------------------------------------------------------------------- the plan


@pytest.fixture(scope="module")
def night_plan() -> Any:
    return _plan(NIGHTS)


def test_every_suggestion_keeps_to_the_nights(night_plan) -> None:
    s = night_plan.suggestions
    assert len(s)
    night_hours = set(HourWindow(22, 4).hours())
    ctx = _context(NIGHTS)
    for r in s.itertuples():
        window = parse_hours(r.hours)
        assert set(window.hours()) <= night_hours, (r.id, r.place, r.hours)
        days = {WEEKDAYS.index(d) for d in r.weekdays}
        assert days <= set(ctx.window_days(window) or ()), (r.id, r.place, r.weekdays)


def test_survey_patrols_follow_the_time_of_their_marks(night_plan) -> None:
    s = night_plan.suggestions
    foot = s[s["kind"] == "foot_patrol"]
    # marks of the evening only say nothing about Friday and Saturday nights
    assert not len(_near(foot, EVENING_MARKS, 200.0)), foot[["id", "place", "hours"]]
    # marks of the night: a patrol in the first hours of Friday's and Saturday's nights
    night = _near(foot, NIGHT_MARKS, 200.0)
    assert len(night) == 1, foot[["id", "place", "hours"]]
    assert night.iloc[0]["hours"] == "22-01"  # natt is 22-03: an even night, from its start
    assert night.iloc[0]["weekdays"] == ["fri", "sat"]
    # the crime hotspot's loop: Friday and Saturday, inside 22-04
    square = _near(foot, NIGHT_CLUSTER, 200.0)
    assert len(square) == 1
    assert set(parse_hours(square.iloc[0]["hours"]).hours()) <= set(HourWindow(22, 4).hours())


def test_every_visit_falls_in_a_chosen_night(night_plan) -> None:
    sched = night_plan.schedule
    assert int(sched["minutes"].sum()) == 6 * 60
    assert_inside(sched, NIGHTS)
    assert set(sched["day"]) <= {"fri", "sat", "sun"}  # Saturday's night runs into Sunday


def test_without_filters_the_evening_marks_get_their_evenings() -> None:
    """The control: the same town unfiltered plans the evening marks every evening."""
    s = _plan(Filters(), hours=10.0).suggestions
    evening = _near(s[s["kind"] == "foot_patrol"], EVENING_MARKS, 200.0)
    assert len(evening) == 1
    # kvall is 17-22, even: the shortest window with 60 % of it is 3 h, from its start
    assert evening.iloc[0]["hours"] == "17-20"
    assert evening.iloc[0]["weekdays"] == list(WEEKDAYS)


def test_a_patrol_is_never_named_after_a_motorway_nor_twice(night_plan) -> None:
    s = night_plan.suggestions
    motorway = _near(s[s["kind"] == "foot_patrol"], MOTORWAY_MARKS, 100.0)
    assert len(motorway) == 1
    # 20 m from the E18, 150 m from Väg 4: named after the street one can walk along
    assert motorway.iloc[0]["place"] == "Väg 4"
    for name in [*s["place"], *(n for names in s["stop_names"] for n in names)]:
        assert "E18" not in name
        assert not re.fullmatch(r"(.+) \(\1\)", name), name


@pytest.mark.slow
def test_demo_violence_on_friday_and_saturday_nights_is_planned_in_those_nights() -> None:
    """The issue's journey on the Karlstad demo with the real engine: every visit of the
    plan falls in a Friday or Saturday night, 22-04; no place is named twice."""
    from hotspots.core.taxonomy import codes_in_area
    from hotspots.demo import generate_demo
    from hotspots.forecast.analysis import run_analysis
    from hotspots.spatial.geography import default_geography

    geo = default_geography()
    demo = generate_demo(geo, seed=2026, end=dt.date(2026, 11, 30), years=1)
    filters = Filters(
        categories=codes_in_area("violence"), hours=HourWindow(22, 4), weekdays=(4, 5)
    )
    result = run_analysis(
        demo.incidents,
        config=AnalysisConfig(filters=filters),
        geography=geo,
        survey=demo.survey,
    )
    plan = make_plan(
        result,
        geography=geo,
        incidents=demo.incidents,
        survey=demo.survey,
        options=PlanOptions(patrol_hours_per_week=5, teams=2, now=MADE),
    )
    s = plan.suggestions
    assert (s["kind"] == "foot_patrol").sum() >= 3
    assert (s["survey_marks"] > 0).any()  # the survey-based patrols are among them
    for r in s.itertuples():
        assert set(parse_hours(r.hours).hours()) <= set(HourWindow(22, 4).hours()), r.hours
    assert int(plan.schedule["minutes"].sum()) == 5 * 60
    assert_inside(plan.schedule, filters)
    for name in [*s["place"], *plan.schedule["route"]]:
        assert not re.search(r"(\b[\w ]+) \(\1\)", name), name


def test_window_from_profile_keeps_the_longest_window_when_no_share_is_reached() -> None:
    """The youth-outreach profile of the demo: 15-19 holds 45.9 of 84.7 (< 60 %), the most
    that 4 hours inside 15-01 can; a window shorter than 2 h is only for lack of room."""
    weight = np.zeros(24)
    weight[[0, 15, 16, 17, 18, 19, 20, 21, 22, 23]] = [
        1.5, 14.2, 8.6, 14.9, 8.2, 10.7, 7.5, 4.9, 5.7, 8.5
    ]  # fmt: skip
    window = patrol.window_from_profile(weight, allowed=HourWindow(15, 1), max_hours=4)
    assert str(window) == "15-19"


def test_hours_beyond_the_nights_say_what_fits() -> None:
    """Friday's and Saturday's nights hold 12 hours of one team's time: 20 hours do not fit,
    and the error says how many do (the app words it, hotspots.app.views.plan)."""
    from hotspots.core.errors import HoursDoNotFitError

    with pytest.raises(HoursDoNotFitError, match="patrol-hours-per-week") as info:
        _plan(NIGHTS, hours=20.0)
    assert info.value.hours == 20.0
    assert 0 < info.value.fits_hours < 20.0
