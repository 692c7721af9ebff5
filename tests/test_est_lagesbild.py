"""The lägesbild model (hotspots.est.lagesbild): its parts, its period checks, its tables."""

from __future__ import annotations

import datetime as dt
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from lagesbild_demo import FAST, MADE, PERIOD, RESTRICTED_LABELS, demo, lagesbild
from shapely.geometry import Point, box

from hotspots.core.errors import InputSchemaError
from hotspots.core.periods import iso_week, month_period
from hotspots.est.lagesbild import build_lagesbild, check_period, hotspot_window, latest_week
from hotspots.est.lagesbild_tables import PERCEIVED_MIN_EXCESS, survey_summary

pytestmark = pytest.mark.slow


def test_hotspot_window() -> None:
    assert hotspot_window(PERIOD).label == "2026-W44–W47"
    assert hotspot_window(month_period(2026, 10)).label == month_period(2026, 10).label


def test_lagesbild_holds_each_part() -> None:
    lb = lagesbild()
    assert lb.parameters["period"] == "2026-W47"
    assert lb.parameters["previous"] == "2026-W46"
    assert lb.parameters["year_earlier"] == "2025-W47"
    assert lb.parameters["hotspot_window"] == "2026-W44–W47"
    # Summary per problem area: the three areas, the restricted row and the public total.
    keys = set(lb.comparison.areas["key"])
    assert {"violence", "unsafe", "drugs_alcohol", "total"} <= keys
    areas = lb.comparison.areas.set_index("key")
    assert areas.loc["total", "current"] == lb.parameters["n_incidents_period"] - int(
        areas["current"].get("restricted", 0)
    )
    # The analysis over the window, top places with time windows and the planner's proposals.
    assert lb.analysis is not None
    assert lb.plan is not None
    assert len(lb.top_places) == 5
    assert lb.top_places["rank"].tolist() == [1, 2, 3, 4, 5]
    assert all(re.fullmatch(r"\d\d-\d\d", w) for w in lb.top_places["window"])
    assert any(len(p) for p in lb.top_places["proposals"])
    # Emerging hotspots, each row with the nearest place named.
    assert lb.emerging is not None
    assert lb.emerging.weeks[-1].label == "2026-W47"
    assert len(lb.emerging_table) > 0
    assert (lb.emerging_table["near"] != "").all()
    # Open actions and due follow-ups (A-0003 is cancelled, so neither open nor due).
    assert lb.actions_open["id"].tolist() == ["A-0001"]
    assert lb.follow_ups["id"].tolist() == ["A-0002", "A-0001"]
    assert set(lb.effects["id"]) == {"A-0001", "A-0002"}
    assert lb.action_points is not None
    # Perceived unsafety.
    assert lb.survey is not None
    assert lb.survey.n_marks > 0
    assert 1 <= lb.survey.mean_unsafe <= 5
    # Restricted categories never on a place.
    text = " ".join(lb.top_places["categories"])
    assert not any(w in text for w in RESTRICTED_LABELS)
    assert lb.notes == ()


def test_public_lagesbild_drops_operational_parts() -> None:
    lb = lagesbild("public")
    assert lb.plan is None
    assert lb.action_points is None
    assert lb.follow_ups.empty
    assert lb.effects.empty
    assert set(lb.actions_open.columns) == {"district", "action", "actor", "problem", "status"}
    assert "restricted" not in set(lb.comparison.areas["key"])
    assert all(p == [] for p in lb.top_places["proposals"])
    small = lb.top_places["incidents"].isna() | (lb.top_places["incidents"] >= 5)
    assert small.all()


def test_perceived_places_are_clearly_above_the_mean_and_named() -> None:
    s = lagesbild().survey
    assert s is not None
    places = s.perceived_places
    assert len(places) >= 1
    assert (places["mean_unsafe"] >= s.mean_unsafe + PERCEIVED_MIN_EXCESS).all()
    assert (places["near"] != "").all()
    assert (places["near_m"] >= 0).all()


def test_survey_summary_golden() -> None:
    # 100 marks 1, 2, 3, 4, 5 (20 each): mean 3, sd = sqrt(20 * 10 / 99) = 1.4213.
    scores = np.tile([1, 2, 3, 4, 5], 20)
    survey = gpd.GeoDataFrame(
        {"unsafe": scores}, geometry=[Point(i, 0) for i in range(100)], crs="EPSG:3006"
    )
    cell = box(0, 0, 10, 10)
    # perceived: (marks, mean) -> excess, z = excess / (1.4213 / sqrt(marks))
    #   (30, 4.6) -> 1.6, 6.17: listed;  (6, 3.17) -> 0.17: not clearly above
    #   (4, 3.9)  -> 0.9, 1.27: chance;   (40, 3.4) -> 0.4 (z 1.78): too small a step
    #   (10, 4.0) -> 1.0, 2.22: listed
    perceived = [(30, 4.6), (6, 3.17), (4, 3.9), (40, 3.4), (10, 4.0)]
    crime = ["high_crime_high_fear"] * 3 + ["high_crime_low_fear"]
    hotspots = gpd.GeoDataFrame(
        {
            "kind": ["crime"] * 4 + ["perceived"] * 5,
            "rank": list(range(1, 10)),
            "crime_fear": [*crime, *(["perceived_unsafe"] * 5)],
            "district": [f"D{i}" for i in range(9)],
            "survey_marks": [0] * 4 + [m for m, _ in perceived],
            "mean_unsafe": [np.nan] * 4 + [v for _, v in perceived],
        },
        geometry=[cell] * 9,
        crs="EPSG:3006",
    )
    s = survey_summary(survey, geography=None, hotspots=hotspots, privacy="internal", lang="sv")
    assert s.mean_unsafe == pytest.approx(3.0)
    assert s.sd_unsafe == pytest.approx(np.sqrt(200 / 99))
    assert s.share_unsafe == pytest.approx(0.4)
    assert s.perceived_places["marks"].tolist() == [30, 10]
    assert s.perceived_places["district"].tolist() == ["D4", "D8"]
    assert s.crime_fear == {"high_crime_high_fear": 3, "high_crime_low_fear": 1}
    assert s.crime_fear_of == 4
    public = survey_summary(survey, geography=None, hotspots=hotspots, privacy="public", lang="sv")
    assert public.perceived_places["marks"].tolist() == [30, 10]


@pytest.mark.parametrize(
    ("today", "week"),
    [
        (dt.date(2026, 11, 23), "2026-W47"),  # Monday: the data's last week has just ended
        (dt.date(2026, 12, 4), "2026-W47"),  # later: still the data's last week
        (dt.date(2026, 11, 22), "2026-W46"),  # Sunday: W47 is still running
        (dt.date(2026, 11, 18), "2026-W46"),  # data dated after today do not count
    ],
)
def test_latest_week_has_ended_and_has_data(today: dt.date, week: str) -> None:
    _, data = demo()  # incidents up to Sunday 2026-11-22
    latest = latest_week(data.incidents, today=today)
    assert latest is not None
    assert latest.label == week
    assert latest_week(data.incidents.iloc[:0], today=today) is None
    assert latest_week(data.incidents, today=dt.date(2020, 1, 1)) is None


def test_a_period_that_has_not_ended_is_refused() -> None:
    geo, data = demo()
    with pytest.raises(InputSchemaError, match=r"2026-W53 .* has not ended yet.*2026-W47"):
        build_lagesbild(
            data.incidents,
            period=iso_week(2026, 53),
            geography=geo,
            config=FAST,
            generated_at=dt.datetime(2026, 12, 4, 12, 0),
        )
    # the week of the report itself has not ended either (it ends on Sunday night)
    with pytest.raises(InputSchemaError, match="has not ended yet"):
        check_period(iso_week(2026, 47), data.incidents, today=dt.date(2026, 11, 22))
    check_period(iso_week(2026, 47), data.incidents, today=dt.date(2026, 11, 23))


@pytest.mark.parametrize("period", [iso_week(2027, 10), iso_week(2020, 1)], ids=["after", "before"])
def test_a_period_without_data_is_refused(period) -> None:
    geo, data = demo()
    with pytest.raises(InputSchemaError, match=r"has no data: .* latest complete week .* 2026-W47"):
        build_lagesbild(
            data.incidents,
            period=period,
            geography=geo,
            config=FAST,
            generated_at=dt.datetime(2027, 6, 1, 12, 0),
        )


def test_no_incidents_at_all_is_refused() -> None:
    geo, data = demo()
    with pytest.raises(InputSchemaError, match="no incidents"):
        build_lagesbild(data.incidents.iloc[:0], period=PERIOD, geography=geo, generated_at=MADE)


def test_a_period_the_data_end_in_is_flagged() -> None:
    geo, data = demo()
    lb = build_lagesbild(
        data.incidents,
        period=month_period(2026, 11),
        geography=geo,
        config=FAST,
        generated_at=dt.datetime(2026, 12, 2, 8, 0),
    )
    assert any("2026-11-22" in n and "ofullständig" in n for n in lb.notes)
    assert lb.parameters["n_incidents_period"] == int(
        (data.incidents["occurred_at"] >= pd.Timestamp("2026-11-01", tz="Europe/Stockholm")).sum()
    )


def test_options_are_checked() -> None:
    geo, data = demo()
    with pytest.raises(InputSchemaError, match="not a profile"):
        build_lagesbild(data.incidents, period=PERIOD, geography=geo, privacy="secret")  # type: ignore[arg-type]
    with pytest.raises(InputSchemaError, match="not a language"):
        build_lagesbild(data.incidents, period=PERIOD, geography=geo, lang="de")  # type: ignore[arg-type]
