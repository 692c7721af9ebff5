"""The explicit-split evaluation of :mod:`hotspots.forecast.evaluate` and its study area."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.forecast.evaluate import evaluate_split, parse_methods, study_area
from hotspots.forecast.methods import MethodSpec


def _times(days: list[int]) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.Timestamp("2026-01-01", tz=TIMEZONE) + pd.to_timedelta(days, "D"))


def _moving_hotspot(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, pd.DatetimeIndex]:
    """Before 2026-07-01 every incident is at A = (525, 525); from then on at B = (1525, 1525)."""
    t = _times(sorted(rng.integers(0, 365, 400).tolist()))
    after = np.asarray(t >= pd.Timestamp("2026-07-01", tz=TIMEZONE))
    x = np.where(after, 1525.0, 525.0)
    return x, x.copy(), t


def test_evaluate_split_end_to_end(make_incidents, rng: np.random.Generator) -> None:
    x, y, t = _moving_hotspot(rng)
    inc = make_incidents(x + 413_000, y + 6_584_000, times=t)
    methods = parse_methods(
        "naive,kde:150,auto", kernel="quartic", bandwidth_m=200, cell_m=50, half_life_days=30
    )
    ev = evaluate_split(
        inc, split="2026-07-01", until=None, methods=methods, coverages=[0.05], cell_m=50
    )
    assert ev.n_train + round(ev.n_test) == len(inc)
    for ms in ev.metrics.values():
        # the new place was never seen before the split: no better than chance (PAI <= 1)
        assert ms[0].pai <= 1
    doc = ev.to_json()
    assert set(doc["methods"]) == {"naive", "kde:150", "auto"}


def test_study_area_ignores_stray_points() -> None:
    x = np.concatenate([np.linspace(0, 1000, 500), [300_000.0]])
    y = np.concatenate([np.linspace(0, 1000, 500), [300_000.0]])
    grid, mask = study_area(x, y, cell_m=50, crs="EPSG:3006", buffer_m=200)
    assert grid.nx * grid.cell_m < 2000  # the stray point 300 km away does not stretch the grid
    # the area is a band of +-200 m around the diagonal, not the bounding box
    assert 0.2 < mask.mean() < 0.8


def test_parse_methods() -> None:
    m = parse_methods(
        "naive:150,kde:gaussian:80,recency_kde:14,hybrid:0.5,auto",
        kernel="quartic",
        bandwidth_m=200,
        cell_m=50,
        half_life_days=30,
    )
    assert m["naive:150"] == MethodSpec("naive", cell_m=150)
    assert m["kde:gaussian:80"] == MethodSpec("kde", kernel="gaussian", bandwidth_m=80)
    assert m["recency_kde:14"] == MethodSpec(
        "recency_kde", kernel="quartic", bandwidth_m=200, half_life_days=14
    )
    assert m["hybrid:0.5"] == MethodSpec("hybrid", kernel="quartic", bandwidth_m=200, weight=0.5)
    assert m["auto"] is None
    with pytest.raises(InputSchemaError, match="--method"):
        parse_methods("kde:1:2", kernel="quartic", bandwidth_m=200, cell_m=50, half_life_days=30)


def test_evaluate_split_on_land_leaves_water_out(make_incidents, rng: np.random.Generator) -> None:
    """With a land geometry the study area is its cells: a lake in it is never scored."""
    x0, y0 = 413_000.0, 6_584_000.0
    lake = box(x0 + 400, y0 + 100, x0 + 600, y0 + 400)  # 200 m x 300 m
    land = box(x0, y0, x0 + 1000, y0 + 500).difference(lake)
    n = 600
    x = x0 + rng.uniform(0, 1000, n)
    y = y0 + rng.uniform(0, 500, n)
    t = pd.Timestamp("2026-01-01", tz="Europe/Stockholm") + pd.to_timedelta(
        rng.uniform(0, 300, n), "D"
    )
    inc = make_incidents(x, y, times=t)
    methods = parse_methods(
        "naive", kernel="quartic", bandwidth_m=200, cell_m=50, half_life_days=30
    )
    ev = evaluate_split(
        inc, split="2026-08-01", until=None, methods=methods, coverages=[0.05], cell_m=50,
        land=land,
    )  # fmt: skip
    # 50 m cells: 20 x 10 cells of land minus the 4 x 6 cells of the lake = 176 cells
    assert ev.study_area_km2 == pytest.approx(176 * 0.0025)
    in_lake = np.asarray(inc.geometry.within(lake)) & np.asarray(inc["occurred_at"] >= "2026-08-01")
    assert ev.n_test_outside == int(in_lake.sum())
    assert ev.n_test_outside > 0


def test_parse_the_new_methods() -> None:
    m = parse_methods(
        "fine,fine:1:40,sepp,sepp:7,street,street:50",
        kernel="quartic",
        bandwidth_m=200,
        cell_m=50,
        half_life_days=30,
    )
    assert m["fine"] == MethodSpec(
        "fine", kernel="quartic", bandwidth_m=20.0, cell_m=10.0, weight=0.25
    )
    assert m["fine:1:40"] == MethodSpec(
        "fine", kernel="quartic", bandwidth_m=40.0, cell_m=10.0, weight=1.0
    )
    assert m["sepp"] == MethodSpec("sepp", horizon_days=30.0)
    assert m["sepp:7"] == MethodSpec("sepp", horizon_days=7.0)
    assert m["street"] == MethodSpec("street", segment_m=100.0)
    assert m["street:50"] == MethodSpec("street", segment_m=50.0)


def test_street_segments_need_a_road_layer(make_incidents, rng: np.random.Generator) -> None:
    import geopandas as gpd
    from shapely.geometry import LineString

    x, y, t = _moving_hotspot(rng)
    inc = make_incidents(x + 413_000, y + 6_584_000, times=t)
    methods = parse_methods(
        "naive,street,auto", kernel="quartic", bandwidth_m=200, cell_m=50, half_life_days=30
    )
    with pytest.raises(InputSchemaError, match="street layer"):
        evaluate_split(
            inc, split="2026-07-01", until=None, methods=methods, coverages=[0.05], cell_m=50
        )
    roads = gpd.GeoDataFrame(
        {"name": ["diagonal"]},
        geometry=[LineString([(413_000, 6_584_000), (415_000, 6_586_000)])],
        crs="EPSG:3006",
    )
    ev = evaluate_split(
        inc,
        split="2026-07-01",
        until=None,
        methods=methods,
        coverages=[0.05],
        cell_m=50,
        roads=roads,
    )
    assert set(ev.metrics) == {"naive", "street", "auto"}
    assert "street segments 50 m" in ev.tuning[0.05]["backtest"]["candidates"]
