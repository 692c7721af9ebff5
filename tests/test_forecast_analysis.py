"""The backtest tuner inside the analysis: street segments from the geography's roads, and
every new method rebuilt on the map exactly as it was scored."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.testing import assert_allclose
from shapely.geometry import LineString

from hotspots.core.config import AnalysisConfig
from hotspots.core.schema import TIMEZONE
from hotspots.demo.synthetic import PlantedCluster, planted_incidents
from hotspots.forecast.analysis import BacktestTuner, run_analysis
from hotspots.forecast.methods import History, MethodSpec, density_per_km2, score
from hotspots.forecast.streets import street_lines
from hotspots.forecast.tuning import TuningResult
from hotspots.spatial.geography import default_geography
from hotspots.spatial.grid import Grid

GRID = Grid(x0=0.0, y0=0.0, cell_m=25.0, nx=40, ny=40, crs="EPSG:3006")


def _choice(spec: MethodSpec) -> TuningResult:
    return TuningResult(
        method=spec.method,
        kernel=spec.kernel,
        bandwidth_m=spec.bandwidth_m,
        cell_m=spec.cell_m,
        figures={},
        spec=spec,
    )


def test_the_map_of_each_new_method_is_its_backtest_score(make_incidents) -> None:
    rng = np.random.default_rng(6)
    x = rng.normal(500, 60, 200)
    y = np.concatenate([rng.normal(300, 4, 150), rng.uniform(0, 1000, 50)])
    times = pd.date_range("2025-01-01", periods=200, freq="1D", tz=TIMEZONE)
    inc = make_incidents(x, y, times=times)
    roads = gpd.GeoDataFrame(
        {"name": ["Storgatan"]}, geometry=[LineString([(0, 300), (1000, 300)])], crs="EPSG:3006"
    )
    tuner = BacktestTuner(roads=roads)
    mask = np.ones(GRID.shape, dtype=bool)
    mask[:5] = False
    age = ((times.max() - times).total_seconds() / 86_400.0).to_numpy()
    hist = History(x, y, age, GRID, streets=street_lines(roads))
    for spec in (
        MethodSpec("street", segment_m=100.0),
        MethodSpec("sepp", horizon_days=30.0),
        MethodSpec("fine", kernel="quartic", bandwidth_m=20.0, cell_m=10.0, weight=0.25),
    ):
        dens = tuner.density(_choice(spec), inc, grid=GRID, mask=mask)
        want = density_per_km2(score(spec, hist), GRID.cell_m)
        assert_allclose(dens[mask], want[mask])
        assert np.isnan(dens[~mask]).all()
        assert np.nanmax(dens) > 0


def test_roads_in_another_crs_are_reprojected_once() -> None:
    roads = gpd.GeoDataFrame(
        {"name": ["a"]}, geometry=[LineString([(13.50, 59.38), (13.52, 59.38)])], crs="EPSG:4326"
    )
    tuner = BacktestTuner(roads=roads)
    streets = tuner.streets("EPSG:3006")
    assert streets is not None
    assert streets.length_km > 1.0  # about 1.1 km of road, in metres now
    assert tuner.streets("EPSG:3006") is streets
    assert BacktestTuner().streets("EPSG:3006") is None


def test_auto_in_the_analysis_tries_street_segments_only_where_the_geography_has_roads() -> None:
    geo = default_geography().with_study_area("urban")
    cx, cy = 413_600.0, 6_584_200.0
    frame = planted_incidents(
        [PlantedCluster(cx, cy, radius_m=80.0, n=80)],
        background_n=120,
        bounds=(cx - 1500, cy - 1000, cx + 1500, cy + 1000),
        days=364,
        seed=12,
    )
    config = AnalysisConfig(method="auto", bandwidth_m=None, cell_m=50.0)
    with_roads = run_analysis(frame, config=config, geography=geo).parameters["tuning"]
    assert "street segments 100 m" in with_roads["backtest"]["candidates"]
    assert "not_candidates" not in with_roads["backtest"]
    no_roads = replace(geo, roads=geo.roads.iloc[:0])
    without = run_analysis(frame, config=config, geography=no_roads).parameters["tuning"]
    assert not any(c.startswith("street") for c in without["backtest"]["candidates"])
    assert "street" in without["backtest"]["not_candidates"]
    for tuning in (with_roads, without):
        bt = tuning["backtest"]
        assert bt["chosen"]["hit_rate"] >= bt["plain_counts"]["hit_rate"]
