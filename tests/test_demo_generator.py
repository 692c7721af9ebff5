"""The synthetic Karlstad demo data (:mod:`hotspots.demo.generator`): determinism, schema, truth."""

from __future__ import annotations

import dataclasses
import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal

from hotspots.core.config import AnalysisConfig, Filters, HourWindow
from hotspots.core.schema import INCIDENT_COLUMNS, PRECISIONS, SURVEY_COLUMNS
from hotspots.core.taxonomy import CODES, is_restricted
from hotspots.demo import FEAR_MIN_DISTANCE_M, DemoData, demo_period, generate_demo
from hotspots.forecast.analysis import run_analysis
from hotspots.spatial.geography import Geography, default_geography

END = dt.date(2026, 11, 27)  # a Friday in ISO week 48; the data end with week 47


SEED = 7


@pytest.fixture(scope="module")
def geo() -> Geography:
    return default_geography()


@pytest.fixture(scope="module")
def demo(geo: Geography) -> DemoData:
    return generate_demo(geo, seed=SEED, end=END)


def _xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    return np.column_stack([frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()])


def _near(frame: gpd.GeoDataFrame, centres: np.ndarray, radius_m: float) -> np.ndarray:
    xy = _xy(frame)
    d = np.hypot(xy[:, None, 0] - centres[None, :, 0], xy[:, None, 1] - centres[None, :, 1])
    return (d <= radius_m).any(axis=1)


def _night_of(frame: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Weekday of the evening each time belongs to (times before 06 count to the day before)."""
    t = frame["occurred_at"]
    hour = t.dt.hour.to_numpy()
    evening = (t - pd.Timedelta(hours=6)).dt.weekday.to_numpy()
    return hour, evening


def test_demo_period_golden() -> None:
    # Friday 2026-11-27 is in ISO week 48; the last complete week is 47 (16-22 November)
    assert demo_period(END) == (dt.date(2024, 11, 25), dt.date(2026, 11, 23))
    # on the Monday of week 48, week 47 is complete too
    assert demo_period(dt.date(2026, 11, 23)) == (dt.date(2024, 11, 25), dt.date(2026, 11, 23))
    # on a Sunday the current week is not complete
    assert demo_period(dt.date(2026, 11, 22), years=1)[1] == dt.date(2026, 11, 16)


def test_counts_in_range(demo: DemoData) -> None:
    assert 15_000 <= len(demo.incidents) <= 30_000
    assert 1_000 <= len(demo.survey) <= 2_000


def test_schema_and_crs(demo: DemoData) -> None:
    inc, sv = demo.incidents, demo.survey
    assert list(inc.columns) == [*INCIDENT_COLUMNS, "geometry"]
    assert list(sv.columns) == [*SURVEY_COLUMNS, "geometry"]
    for col, dtype in INCIDENT_COLUMNS.items():
        assert str(inc[col].dtype) == str(pd.Series(dtype=dtype).dtype), col
    for col, dtype in SURVEY_COLUMNS.items():
        assert str(sv[col].dtype) == str(pd.Series(dtype=dtype).dtype), col
    assert inc.crs.to_epsg() == 3006
    assert sv.crs.to_epsg() == 3006
    assert inc["id"].is_unique
    assert sv["id"].is_unique
    assert set(inc["category"]) <= set(CODES)
    assert set(inc["precision"]) <= set(PRECISIONS)
    assert set(sv["unsafe"]) <= {1, 2, 3, 4, 5}
    assert set(sv["source"]) == {"trygghetsundersokning", "medborgardialog"}
    assert set(sv["time_of_day"]) <= {"dag", "kvall", "natt"}
    assert set(sv["reason"]) <= {
        "belysning",
        "grupperingar",
        "narkotika",
        "alkohol",
        "trafik",
        "skadegorelse",
        "annat",
    }


def test_period_ends_with_last_complete_iso_week(demo: DemoData) -> None:
    t = demo.incidents["occurred_at"]
    assert t.min() >= pd.Timestamp("2024-11-25", tz="Europe/Stockholm")
    assert t.max() < pd.Timestamp("2026-11-23", tz="Europe/Stockholm")
    iso = t.dt.isocalendar()
    week47 = (iso["year"] == 2026) & (iso["week"] == 47)
    assert week47.sum() > 100  # `--week 2026-W47` has data
    assert demo.survey["date"].max() < pd.Timestamp("2026-11-23")
    until = demo.incidents["occurred_until"].dropna()
    assert len(until) > 100  # some vandalism has an uncertain interval
    assert (until > demo.incidents.loc[until.index, "occurred_at"]).all()


def test_deterministic_per_seed(geo: Geography, demo: DemoData) -> None:
    again = generate_demo(geo, seed=SEED, end=END)
    assert_geodataframe_equal(again.incidents, demo.incidents, check_crs=True)
    assert_geodataframe_equal(again.survey, demo.survey, check_crs=True)
    assert again.truth == demo.truth
    other = generate_demo(geo, seed=SEED + 1, end=END, years=1)
    assert not np.allclose(_xy(other.incidents)[:100], _xy(demo.incidents)[:100])


def test_nothing_in_water(geo: Geography, demo: DemoData) -> None:
    assert geo.on_land(demo.incidents.geometry).all()
    assert geo.on_land(demo.survey.geometry).all()
    assert not demo.incidents.geometry.within(geo.water).any()


def test_restricted_share_small_and_residential(geo: Geography, demo: DemoData) -> None:
    restricted = demo.incidents["category"].map(is_restricted).to_numpy(dtype=bool)
    share = restricted.mean()
    assert 0.01 <= share <= 0.05
    rows = demo.incidents[restricted]
    assert set(rows["precision"]) <= {"address", "district"}
    assert rows["description"].isin(["Våld i nära relation", "Sexualbrott"]).all()
    assert geo.district_of(rows.geometry).notna().all()


def test_district_precision_rows_sit_on_district_points(geo: Geography, demo: DemoData) -> None:
    rows = demo.incidents[demo.incidents["precision"] == "district"]
    assert 0.01 <= len(rows) / len(demo.incidents) <= 0.05
    # they are stacked on one point per district
    assert rows.geometry.drop_duplicates().shape[0] <= len(geo.districts)
    assert (demo.incidents["precision"] == "street").sum() > 100


def test_descriptions_in_swedish(demo: DemoData) -> None:
    text = demo.incidents["description"]
    assert text.str.len().min() > 5
    assert text.str.contains("[åäö]", regex=True).mean() > 0.3
    assert text.str.contains("Misshandel").any()
    assert text.str.contains("Rattfylleri|Drograttfylleri", regex=True).any()


def test_truth_clusters_documented_and_on_land(geo: Geography, demo: DemoData) -> None:
    kinds = {c.kind for c in demo.truth}
    assert kinds == {"crime", "road", "fear"}
    centres = gpd.GeoSeries(
        gpd.points_from_xy([c.x for c in demo.truth], [c.y for c in demo.truth])
    )
    assert geo.on_land(centres.set_crs(geo.crs)).all()
    for c in demo.truth:
        assert c.radius_m > 0
        assert c.n > 0
        assert set(c.hours) <= set(range(24))
        assert set(c.weekdays) <= set(range(7))
        assert set(c.months) <= set(range(1, 13))
    crime_n = sum(c.n for c in demo.truth if c.kind in {"crime", "road"})
    assert crime_n < len(demo.incidents)


def test_planted_nightlife_violence_on_friday_saturday_nights(demo: DemoData) -> None:
    nightlife = [c for c in demo.truth if c.kind == "crime" and "assault_public" in c.categories]
    assert len(nightlife) >= 4
    assert all(c.weekdays == (4, 5) for c in nightlife)
    assert set(nightlife[0].hours) == {22, 23, 0, 1, 2, 3}
    inc = demo.incidents
    hour, evening = _night_of(inc)
    target = (
        inc["category"].isin(nightlife[0].categories).to_numpy()
        & np.isin(hour, [22, 23, 0, 1, 2, 3])
        & np.isin(evening, [4, 5])
    )
    centres = np.array([(c.x, c.y) for c in nightlife])
    near = _near(inc, centres, 150.0)
    share_near = target[near].mean()
    share_far = target[~near].mean()
    assert share_near > 0.5
    assert share_near > 10 * share_far
    # and most such incidents in the whole city happen there
    assert near[target].mean() > 0.8


def test_planted_drug_dealing_near_hubs_and_parks(demo: DemoData) -> None:
    drugs = [c for c in demo.truth if c.kind == "crime" and "drug_dealing" in c.categories]
    assert {"Karlstad C / Resecentrum"} <= {c.name for c in drugs}
    inc = demo.incidents
    dealing = inc[inc["category"] == "drug_dealing"]
    near = _near(dealing, np.array([(c.x, c.y) for c in drugs]), 140.0)
    assert near.mean() > 0.7
    hours = dealing["occurred_at"].dt.hour[near]
    assert hours.between(14, 23).mean() > 0.95


def test_planted_youth_vandalism_on_weekday_evenings(demo: DemoData) -> None:
    youth = [c for c in demo.truth if c.kind == "crime" and "vandalism" in c.categories]
    inc = demo.incidents
    vand = inc[inc["category"].isin(["vandalism", "disorder"])]
    near = _near(vand, np.array([(c.x, c.y) for c in youth]), 160.0)
    t = vand["occurred_at"][near]
    assert t.dt.hour.between(17, 23).mean() > 0.85
    assert t.dt.weekday.isin([0, 1, 2, 3, 4]).mean() > 0.85
    # vandalism per km² near youth centres far above the city-wide level
    area_near = len(youth) * np.pi * 0.16**2
    assert near.sum() / area_near > 20 * (~near).sum() / 70.0


def test_planted_motor_disorder_in_summer_at_car_parks(demo: DemoData) -> None:
    motor = [c for c in demo.truth if c.kind == "crime" and "motor_disorder" in c.categories]
    assert all(c.months == (5, 6, 7, 8) for c in motor)
    inc = demo.incidents
    rows = inc[inc["category"] == "motor_disorder"]
    near = _near(rows, np.array([(c.x, c.y) for c in motor]), 100.0)
    assert near.mean() > 0.55  # planted within 2 sigma, plus a city-wide background
    months = rows["occurred_at"].dt.month[near]
    assert months.isin([5, 6, 7, 8]).mean() > 0.9
    seasonal = inc["occurred_at"].dt.month.isin([5, 6, 7, 8])
    motor_summer = seasonal[inc["category"] == "motor_disorder"].mean()
    assert motor_summer > 0.7
    assert motor_summer > 1.7 * seasonal.mean()


def test_planted_drink_driving_on_main_roads_weekend_nights(geo: Geography, demo: DemoData) -> None:
    (road,) = [c for c in demo.truth if c.kind == "road"]
    assert road.categories == ("dui",)
    inc = demo.incidents
    dui = inc[inc["category"] == "dui"]
    main = geo.roads[geo.roads["kind"].isin(["motorway", "primary", "secondary"])]
    lines = shapely.union_all(main.geometry.to_numpy())
    dist = shapely.distance(lines, dui.geometry.to_numpy())
    on_road = dist <= road.radius_m + 20
    assert on_road.mean() > 0.8
    hour, evening = _night_of(dui[on_road])
    assert (np.isin(evening, [4, 5]) & (np.isin(hour, [22, 23]) | (hour < 6))).mean() > 0.95


def test_seasonality_summer_above_winter(demo: DemoData) -> None:
    month = demo.incidents["occurred_at"].dt.month
    summer = month.isin([6, 7, 8]).sum() / 3
    winter = month.isin([1, 2, 3]).sum() / 3
    assert summer > 1.1 * winter


def test_incidents_concentrated_in_the_centre(geo: Geography, demo: DemoData) -> None:
    torget = geo.places[geo.places["kind"] == "square"].geometry.iloc[0]
    d = demo.incidents.distance(torget)
    inner = (d <= 1000).mean()  # about 3 km² of a ~70 km² city
    assert inner > 0.3


def test_survey_has_high_fear_low_crime_places(demo: DemoData) -> None:
    fear = [c for c in demo.truth if c.kind == "fear"]
    assert len(fear) >= 2
    crime = [c for c in demo.truth if c.kind == "crime"]
    nightlife = np.array([(c.x, c.y) for c in crime if "assault_public" in c.categories])
    public = demo.incidents[~demo.incidents["category"].map(is_restricted).astype(bool)]
    crime_centre = _near(public, nightlife[:1], 200.0).sum()
    sv = demo.survey
    for c in fear:
        d_min = min(np.hypot(c.x - k.x, c.y - k.y) for k in crime)
        assert d_min >= FEAR_MIN_DISTANCE_M
        here = np.array([[c.x, c.y]])
        marks = sv[_near(sv, here, c.radius_m)]
        assert len(marks) >= 30
        assert marks["unsafe"].mean() >= 4.0
        assert (marks["reason"] == "belysning").mean() > 0.5
        crime_here = _near(public, here, 200.0).sum()
        assert crime_here * 10 < crime_centre
    # elsewhere fear follows crime: marks at the nightlife streets are also unsafe
    at_night = sv[_near(sv, nightlife, 120.0)]
    assert at_night["unsafe"].mean() > 3.3
    background = sv[~_near(sv, np.array([(c.x, c.y) for c in demo.truth]), 300.0)]
    assert background["unsafe"].mean() < 2.6


def test_works_without_population_column(geo: Geography) -> None:
    plain = dataclasses.replace(geo, districts=geo.districts.drop(columns="population"))
    data = generate_demo(plain, seed=3, end=END, years=1)
    assert 7_000 <= len(data.incidents) <= 15_000
    assert plain.on_land(data.incidents.geometry).all()


@pytest.mark.slow
def test_engine_recovers_the_nightlife_cluster(geo: Geography, demo: DemoData) -> None:
    nightlife = [c for c in demo.truth if c.kind == "crime" and "assault_public" in c.categories]
    filters = Filters(
        categories=("assault_public", "intoxication"), hours=HourWindow(22, 4), weekdays=(4, 5, 6)
    )
    result = run_analysis(demo.incidents, config=AnalysisConfig(filters=filters), geography=geo)
    top = result.hotspots.sort_values("rank").iloc[0]
    centre = top.geometry.centroid
    assert min(np.hypot(centre.x - c.x, centre.y - c.y) for c in nightlife) < 400
    assert top["incidents"] > 0.5 * len(result.incidents)
