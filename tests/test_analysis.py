from __future__ import annotations

import dataclasses

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS
from shapely.geometry import Point, box

from hotspots.core.config import AnalysisConfig, Filters, HourWindow
from hotspots.core.errors import CRSError, InsufficientDataError
from hotspots.core.schema import TIMEZONE
from hotspots.core.taxonomy import is_restricted
from hotspots.demo.synthetic import planted_incidents, random_clusters
from hotspots.engine.analysis import HOTSPOT_COLUMNS, HotspotResult
from hotspots.engine.analysis import run_analysis as engine_run_analysis
from hotspots.forecast import methods, tuning
from hotspots.forecast.analysis import BacktestTuner, run_analysis
from hotspots.spatial.geography import Geography

BOUNDS = (400_000.0, 6_580_000.0, 408_000.0, 6_586_000.0)


def _geography(land_box: tuple[float, float, float, float], water_box: tuple) -> Geography:
    crs = CRS.from_epsg(3006)
    municipality = box(*land_box)
    water = box(*water_box)
    districts = gpd.GeoDataFrame(
        {"name": ["Väst", "Öst"], "population": [1.0, 1.0]},
        geometry=[
            box(land_box[0], land_box[1], (land_box[0] + land_box[2]) / 2, land_box[3]),
            box((land_box[0] + land_box[2]) / 2, land_box[1], land_box[2], land_box[3]),
        ],
        crs=crs,
    )
    empty_lines = gpd.GeoDataFrame(
        {"name": [], "ref": [], "kind": []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
    )
    places = gpd.GeoDataFrame(
        {"name": [], "kind": []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs
    )
    return Geography(
        crs=crs,
        municipality=municipality,
        water=water,
        land=municipality.difference(water),
        districts=districts,
        roads=empty_lines,
        places=places,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_planted_clusters_recovered_at_two_percent(seed: int) -> None:
    clusters = random_clusters(8, bounds=BOUNDS, seed=seed, n_per_cluster=40)
    frame = planted_incidents(clusters, background_n=2500, bounds=BOUNDS, seed=seed)
    res = run_analysis(frame, config=AnalysisConfig(coverage=0.02), geography=None)
    hot = res.hotspots
    hits = 0
    for c in clusters:
        inside = hot[hot.contains(Point(c.x, c.y))]
        if len(inside) == 0:
            continue
        hits += 1
        row = inside.iloc[0]
        assert set(row["peak_hours"]) & set(c.hours.hours()), (c, row["peak_hours"])
    assert hits >= 0.9 * len(clusters)
    # cells chosen: about 2 % of the study area
    share = hot.loc[hot["kind"] == "crime", "area_km2"].sum() / res.study_area_km2
    assert 0.015 < share < 0.03
    # invariants
    assert hot["rank"].tolist() == list(range(1, len(hot) + 1))
    assert hot["incidents"].is_monotonic_decreasing
    assert list(hot.columns) == [*HOTSPOT_COLUMNS, "geometry"]
    assert ((hot["pai"] >= 0) & (hot["share_of_incidents"] <= 1)).all()


def test_result_arrays_and_parameters(make_incidents) -> None:
    x = np.r_[np.full(30, 500_050.0), np.linspace(499_000, 501_000, 20)]
    y = np.r_[np.full(30, 6_600_050.0), np.linspace(6_599_000, 6_601_000, 20)]
    res = run_analysis(make_incidents(x, y), config=AnalysisConfig(cell_m=50), geography=None)
    assert isinstance(res, HotspotResult)
    assert dataclasses.is_dataclass(res)
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.density = None  # type: ignore[misc]
    g = res.grid
    for arr in (res.study_mask, res.density, res.counts, res.labels, res.gi_z, res.gi_p_fdr):
        assert arr.shape == g.shape
    assert np.isnan(res.density[~res.study_mask]).all()
    assert np.isfinite(res.density[res.study_mask]).all()
    assert res.counts.sum() == 50
    # without edge correction at the hull's buffered edge the mass inside is the count
    top = res.hotspots.iloc[0]
    assert top["incidents"] >= 30
    assert res.labels[g.index(np.array([500_050.0]), np.array([6_600_050.0]))[:2]][0] == 1
    p = res.parameters
    for key in ("kernel", "bandwidth_m", "cell_m", "coverage", "metric_crs", "study_area_km2"):
        assert key in p
    assert p["n_incidents"] == 50
    assert p["metric_crs"] == "EPSG:3006"
    assert res.config.bandwidth_m == 200.0


def test_no_density_or_hotspot_in_water(make_incidents, rng) -> None:
    # municipality 0..4000 x 0..3000 m (offset), a lake in the east half 2000..4000
    x0, y0 = 500_000.0, 6_600_000.0
    geo = _geography((x0, y0, x0 + 4000, y0 + 3000), (x0 + 2000, y0, x0 + 4000, y0 + 3000))
    # a cluster right on the shore, some points even on a jetty in the water
    x = np.r_[rng.normal(x0 + 1950, 40, 200), rng.uniform(x0, x0 + 2000, 100)]
    y = np.r_[rng.normal(y0 + 1500, 40, 200), rng.uniform(y0, y0 + 3000, 100)]
    res = run_analysis(make_incidents(x, y), config=AnalysisConfig(), geography=geo)
    cx, _ = res.grid.centres()
    water_cells = cx > x0 + 2000
    assert not res.study_mask[water_cells].any()
    assert np.isnan(res.density[water_cells]).all()
    assert (res.labels[water_cells] == 0).all()
    assert res.hotspots.geometry.intersection(geo.water).area.max() == pytest.approx(0.0)
    assert res.hotspots.iloc[0]["district"] == "Väst"
    # edge correction: the shore cluster is at least as dense as without it
    plain = run_analysis(
        make_incidents(x, y), config=AnalysisConfig(edge_correction=False), geography=geo
    )
    assert np.nanmax(res.density) > 1.3 * np.nanmax(plain.density)


def test_restricted_categories_never_enter(make_incidents, rng) -> None:
    # a strong cluster of domestic violence and a weak public one elsewhere
    xr, yr = rng.normal(500_000, 30, 300), rng.normal(6_600_000, 30, 300)
    xp, yp = rng.normal(502_000, 30, 40), rng.normal(6_600_000, 30, 40)
    cats = ["domestic_violence"] * 150 + ["sexual_offence"] * 150 + ["robbery"] * 40
    frame = make_incidents(np.r_[xr, xp], np.r_[yr, yp], categories=cats)
    res = run_analysis(frame, config=AnalysisConfig(), geography=None)
    assert not res.incidents["category"].map(is_restricted).any()
    assert len(res.incidents) == 40
    assert res.counts.sum() == 40
    assert not res.hotspots.contains(Point(500_000, 6_600_000)).any()
    for cats_ in res.hotspots["top_categories"]:
        assert all(not is_restricted(c["code"]) for c in cats_)
    # the study area is built from the public incidents only: the restricted place is not even
    # inside it, or has no density
    r, c, inside = res.grid.index(np.array([500_000.0]), np.array([6_600_000.0]))
    assert not inside[0] or not (res.density[r[0], c[0]] > 0)


def test_midnight_wrapping_hours_and_weekdays(make_incidents) -> None:
    times = [
        "2026-01-09 23:10",  # Fri 23h: kept
        "2026-01-10 03:59",  # Sat 03h: kept
        "2026-01-10 04:00",  # Sat 04h: dropped (end exclusive)
        "2026-01-09 21:59",  # Fri 21h: dropped
        "2026-01-08 23:30",  # Thu 23h: dropped by weekday
        "2026-01-11 01:00",  # Sun 01h: Saturday night, kept (a night counts to its evening)
        "2026-01-09 02:00",  # Fri 02h: Thursday night, dropped
    ]
    frame = make_incidents(np.full(7, 500_000.0), np.full(7, 6_600_000.0), times=times)
    filters = Filters(hours=HourWindow(22, 4), weekdays=(4, 5))
    res = run_analysis(
        frame, config=AnalysisConfig(filters=filters, min_incidents=1), geography=None
    )
    kept = res.incidents["occurred_at"].dt.strftime("%a %H:%M").tolist()
    assert kept == ["Fri 23:10", "Sat 03:59", "Sun 01:00"]
    assert res.parameters["filters"]["hours"] == "22-04"
    assert set(res.hotspots.iloc[0]["peak_hours"]) <= {22, 23, 0, 1, 2, 3}


def test_perceived_hotspot_from_the_survey(make_incidents, rng) -> None:
    x = rng.normal(500_000, 40, 200)
    y = rng.normal(6_600_000, 40, 200)
    frame = make_incidents(x, y)
    # unsafe marks at a place 1.5 km away without incidents, safe marks at the crime cluster
    sx = np.r_[rng.normal(501_500, 30, 30), rng.normal(500_000, 30, 10)]
    sy = np.r_[rng.normal(6_600_000, 30, 30), rng.normal(6_600_000, 30, 10)]
    survey = gpd.GeoDataFrame(
        {"unsafe": pd.array([5] * 30 + [1] * 10, dtype="Int64")},
        geometry=gpd.points_from_xy(sx, sy),
        crs="EPSG:3006",
    )
    geo = _geography((497_000, 6_597_000, 504_000, 6_603_000), (0, 0, 1, 1))
    res = run_analysis(frame, config=AnalysisConfig(coverage=0.01), geography=geo, survey=survey)
    hot = res.hotspots
    perceived = hot[hot["kind"] == "perceived"]
    assert len(perceived) == 1
    assert perceived.iloc[0].geometry.contains(Point(501_500, 6_600_000))
    assert perceived.iloc[0]["crime_fear"] == "perceived_unsafe"
    assert perceived.iloc[0]["survey_marks"] >= 25
    assert perceived.iloc[0]["rank"] == hot["rank"].max()
    crime = hot[hot["kind"] == "crime"].iloc[0]
    assert crime["crime_fear"] == "high_crime_low_fear"
    assert res.survey_density is not None
    assert res.crime_fear is not None
    r, c, _ = res.grid.index(np.array([501_500.0]), np.array([6_600_000.0]))
    assert res.crime_fear[r[0], c[0]] == 2
    assert res.labels[r[0], c[0]] == perceived.iloc[0]["rank"]


def test_auto_bandwidth_is_resolved(make_incidents, rng) -> None:
    x = rng.normal(500_000, 300, 80)
    y = rng.normal(6_600_000, 300, 80)
    times = pd.date_range("2026-03-02 20:00", periods=80, freq="h", tz=TIMEZONE)
    res = run_analysis(
        make_incidents(x, y, times=times), config=AnalysisConfig(bandwidth_m=None), geography=None
    )
    assert res.config.bandwidth_m is not None
    assert res.config.bandwidth_m > 0
    assert res.parameters["bandwidth_m"] == res.config.bandwidth_m
    assert "tuning" in res.parameters


def test_errors(make_incidents) -> None:
    frame = make_incidents(np.array([500_000.0]), np.array([6_600_000.0]))
    with pytest.raises(InsufficientDataError, match="no incidents"):
        run_analysis(
            frame, config=AnalysisConfig(filters=Filters(categories=("dui",))), geography=None
        )
    wgs = frame.to_crs(4326)
    with pytest.raises(CRSError, match="projected"):
        run_analysis(wgs, config=AnalysisConfig(), geography=None)
    # with a metric_crs the frame is reprojected
    res = run_analysis(wgs, config=AnalysisConfig(metric_crs="EPSG:3006"), geography=None)
    assert res.parameters["n_incidents"] == 1


class _Chooses(BacktestTuner):
    """The backtest tuner with its choice fixed: ``choose(grid, config)`` (the engine's seam)."""

    def __init__(self, choose) -> None:
        super().__init__()
        self._choose = choose

    def choose(self, selected, *, grid, study_mask, config):
        return self._choose(grid, config)


def test_a_non_kde_method_chosen_by_backtest_is_used(make_incidents, rng) -> None:
    spec = methods.MethodSpec("naive")

    def naive(grid, config):
        assert config.method == "auto"  # --method auto: every method competes
        return tuning.TuningResult("naive", None, None, grid.cell_m, {}, spec)

    x = np.r_[np.full(10, 500_012.5), rng.uniform(499_000, 501_000, 30)]
    y = np.r_[np.full(10, 6_600_012.5), rng.uniform(6_599_000, 6_601_000, 30)]
    res = engine_run_analysis(
        make_incidents(x, y),
        config=AnalysisConfig(bandwidth_m=None, method="auto"),
        geography=None,
        tuner=_Chooses(naive),
    )
    assert res.config.method == "naive"
    assert res.parameters["tuning"]["method"] == "naive"
    # plain counts per 25 m cell as a density: 10 incidents in 0.000625 km2 = 16000 per km2
    assert np.nanmax(res.density) == pytest.approx(16_000.0)
    assert res.hotspots.iloc[0]["incidents"] == 10


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
def test_automatic_bandwidth_keeps_the_kernel_asked_for(kernel: str) -> None:
    """--bandwidth-m auto tunes the bandwidth of the chosen kernel; the method stays KDE."""
    clusters = random_clusters(6, bounds=BOUNDS, seed=9, n_per_cluster=60, radius_m=150.0)
    frame = planted_incidents(clusters, background_n=1500, bounds=BOUNDS, seed=9, days=728)
    config = AnalysisConfig(bandwidth_m=None, kernel=kernel)  # type: ignore[arg-type]
    res = run_analysis(frame, config=config, geography=None)
    assert res.config.kernel == kernel
    assert res.parameters["method"] == "kde"
    tuning = res.parameters["tuning"]
    assert tuning["kernel"] == kernel
    assert tuning["method"] == "kde"
    assert res.config.bandwidth_m == tuning["bandwidth_m"]


@pytest.mark.parametrize("seed", [4, 5])
def test_planted_clusters_recovered_on_the_karlstad_land(seed: int) -> None:
    from hotspots.spatial.geography import default_geography

    geo = default_geography()
    c = (413_600.0, 6_584_200.0)
    bounds = (c[0] - 6000, c[1] - 5000, c[0] + 6000, c[1] + 5000)
    clusters = random_clusters(10, bounds=bounds, seed=seed, n_per_cluster=30, within=geo.land)
    frame = planted_incidents(
        clusters, background_n=3000, bounds=bounds, within=geo.land, seed=seed
    )
    res = run_analysis(frame, config=AnalysisConfig(coverage=0.02), geography=geo)
    hot = res.hotspots
    found = overlap = 0
    for cl in clusters:
        inside = hot[hot.contains(Point(cl.x, cl.y))]
        if len(inside):
            found += 1
            overlap += bool(set(inside.iloc[0]["peak_hours"]) & set(cl.hours.hours()))
    assert found >= 9
    assert overlap >= 0.9 * found
    # cells are on land by their centre: only slivers of shore cells may overlap the water
    assert hot.geometry.intersection(geo.water).area.sum() < 0.01 * hot.geometry.area.sum()
    assert hot["district"].notna().sum() >= found


def test_without_a_possible_backtest_the_documented_rule_is_used(make_incidents, rng) -> None:
    def too_short(grid, config):
        spec = methods.MethodSpec("kde", kernel=config.kernel, bandwidth_m=200.0)
        return tuning.TuningResult("kde", config.kernel, 200.0, grid.cell_m, {}, spec, "short")

    # 32 points on a circle of 1000 m: the rule gives a 450 m quartic radius (test_kde)
    a = np.linspace(0, 2 * np.pi, 32, endpoint=False)
    frame = make_incidents(500_000 + 1000 * np.cos(a), 6_600_000 + 1000 * np.sin(a))
    config = AnalysisConfig(bandwidth_m=None)
    res = engine_run_analysis(frame, config=config, geography=None, tuner=_Chooses(too_short))
    assert res.config.bandwidth_m == 450.0
    assert res.parameters["tuning"]["fallback"] == "short"
    assert "Silverman" in res.parameters["tuning"]["rule"]
    # with a configured bandwidth and method auto, the configured one stays
    config = AnalysisConfig(method="auto")
    res = engine_run_analysis(frame, config=config, geography=None, tuner=_Chooses(too_short))
    assert res.config.bandwidth_m == 200.0


def test_hotspot_district_is_the_majority_of_its_incidents_point_by_point(make_incidents) -> None:
    """The per-cell district lookup agrees with looking up every incident on its own."""
    from hotspots.spatial.geography import default_geography

    geo = default_geography()
    rng = np.random.default_rng(5)
    # clusters on district boundaries, where cells straddle two districts
    edges = []
    for poly in geo.districts.geometry.iloc[:6]:
        ring = shapely.get_coordinates(poly.boundary)
        edges.append(ring[len(ring) // 3])
    pts = np.concatenate([e + rng.normal(0, 60, (400, 2)) for e in edges])
    on_land = geo.on_land(gpd.GeoSeries(gpd.points_from_xy(pts[:, 0], pts[:, 1]), crs=geo.crs))
    n = int(on_land.sum())
    times = pd.date_range("2025-01-01 20:00", periods=n, freq="3h", tz="Europe/Stockholm")
    frame = make_incidents(pts[on_land, 0], pts[on_land, 1], times=times)
    config = AnalysisConfig(coverage=0.02, bandwidth_m=150.0)
    res = run_analysis(frame, config=config, geography=geo)
    hot = res.hotspots
    assert len(hot) >= 3
    names = geo.district_of(frame.geometry)
    checked = 0
    for _, spot in hot.iterrows():
        inside = frame.geometry.within(spot.geometry) | frame.geometry.touches(spot.geometry)
        counts = names[inside].value_counts()
        if len(counts) and counts.iloc[0] > (counts.iloc[1] if len(counts) > 1 else 0):
            assert spot["district"] == counts.index[0]
            checked += 1
    assert checked >= 3
