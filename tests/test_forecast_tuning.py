from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from hotspots.core.config import AnalysisConfig
from hotspots.core.schema import TIMEZONE
from hotspots.demo.synthetic import PlantedCluster, planted_incidents
from hotspots.engine.kde import CANONICAL_BANDWIDTH
from hotspots.forecast.backtesting import rolling_windows, window_masks
from hotspots.forecast.methods import MethodSpec
from hotspots.forecast.tuning import (
    TuningResult,
    auto_tune,
    candidate_bandwidths,
    summarize,
    tuned_scores,
)
from hotspots.spatial.grid import Grid

GRID = Grid(x0=0.0, y0=0.0, cell_m=25.0, nx=100, ny=100, crs="EPSG:3006")  # 2.5 x 2.5 km
MASK = np.ones(GRID.shape, dtype=bool)


def _times(rng: np.random.Generator, n: int) -> pd.DatetimeIndex:
    start = pd.Timestamp("2025-01-01", tz=TIMEZONE)
    return pd.DatetimeIndex(sorted(start + pd.to_timedelta(rng.uniform(0, 365, n), "D")))


def diffuse(rng: np.random.Generator, n: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Sparse points around 5 wide clusters (sd 180 m) plus 20 % background: smoothing wins."""
    centres = np.array([[500, 600], [1800, 700], [1200, 1300], [600, 1900], [1900, 2000]])
    k = rng.integers(0, len(centres), n)
    x = centres[k, 0] + rng.normal(0, 180, n)
    y = centres[k, 1] + rng.normal(0, 180, n)
    bg = rng.random(n) < 0.2
    x[bg] = rng.uniform(0, 2500, bg.sum())
    y[bg] = rng.uniform(0, 2500, bg.sum())
    return np.clip(x, 1, 2499), np.clip(y, 1, 2499)


def repeats(rng: np.random.Generator, n: int = 600) -> tuple[np.ndarray, np.ndarray]:
    """A few exact addresses with many repeats (heavy-tailed), scattered over the area, plus
    10 % background: plain counts per cell win."""
    addr = rng.uniform(100, 2400, size=(40, 2))
    p = rng.pareto(1.2, 40) + 0.05
    k = rng.choice(40, n, p=p / p.sum())
    x = addr[k, 0].copy()
    y = addr[k, 1].copy()
    bg = rng.random(n) < 0.1
    x[bg] = rng.uniform(0, 2500, bg.sum())
    y[bg] = rng.uniform(0, 2500, bg.sum())
    return x, y


@pytest.fixture
def frame(make_incidents: Callable[..., gpd.GeoDataFrame]) -> Callable[..., gpd.GeoDataFrame]:
    def _frame(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> gpd.GeoDataFrame:
        return make_incidents(x, y, times=_times(rng, len(x)))

    return _frame


def test_candidate_bandwidths() -> None:
    assert candidate_bandwidths(25.0) == [25, 37.5, 50, 75, 100, 150, 200, 300, 400]
    assert max(candidate_bandwidths(100.0)) == 1200


def test_auto_picks_smoothing_on_diffuse_sparse_data(frame, rng: np.random.Generator) -> None:
    x, y = diffuse(rng)
    res = auto_tune(frame(x, y, rng), grid=GRID, study_mask=MASK, config=AnalysisConfig())
    assert res.fallback is None
    # a kernel density, or the hybrid where the kernel weighs at least as much as the counts
    assert res.method in ("kde", "recency_kde") or (res.spec.weight or 0) >= 1
    assert res.bandwidth_m is not None
    # the planted clusters have a 180 m standard deviation: a wide kernel (quartic-equivalent
    # radius, via the engine's canonical bandwidths)
    ratio = CANONICAL_BANDWIDTH["quartic"] / CANONICAL_BANDWIDTH[str(res.kernel)]
    assert res.bandwidth_m * ratio >= 150
    chosen = res.figures["chosen"]["hit_rate"]
    assert chosen > res.figures["plain_counts"]["hit_rate"] * 1.3


@pytest.mark.parametrize("seed", [1, 2])
def test_auto_smooths_the_engines_planted_discs(seed: int) -> None:
    # the engine's generator: 6 discs (radius 150 m, 30 incidents each over a year, so most
    # 25 m cells hold 0 or 1) and 100 background incidents over 2.5 x 2.5 km: smoothing wins
    clusters = [
        PlantedCluster(x=float(cx), y=float(cy), radius_m=150.0, n=30)
        for cx, cy in [
            (500, 500),
            (1250, 600),
            (2000, 500),
            (600, 1900),
            (1300, 1800),
            (2000, 2000),
        ]
    ]
    inc = planted_incidents(
        clusters, background_n=100, bounds=(0, 0, 2500, 2500), days=365, seed=seed
    )
    res = auto_tune(inc, grid=GRID, study_mask=MASK, config=AnalysisConfig())
    # a smoothing method: a kernel whose quartic-equivalent radius is of the order of the
    # discs (sharp would be <= 2 cells = 50 m), or counts on cells of that order
    if res.method == "naive":
        assert res.cell_m is not None
        assert 100 <= res.cell_m <= 800
    else:
        # hybrid only when the kernel dominates the counts (weight >= 1)
        assert res.method in ("kde", "recency_kde") or (res.spec.weight or 0) >= 1
        assert res.bandwidth_m is not None
        ratio = CANONICAL_BANDWIDTH["quartic"] / CANONICAL_BANDWIDTH[str(res.kernel)]
        assert 100 <= res.bandwidth_m * ratio <= 800
    assert res.figures["chosen"]["hit_rate"] > res.figures["plain_counts"]["hit_rate"]


def test_auto_picks_counts_on_repeat_addresses(frame, rng: np.random.Generator) -> None:
    x, y = repeats(rng)
    res = auto_tune(frame(x, y, rng), grid=GRID, study_mask=MASK, config=AnalysisConfig())
    assert res.fallback is None
    # a sharp method: plain counts per 25 m cell, counts with a little kernel density to
    # break ties, or a kernel reaching no further than the neighbouring cells (<= 2 cells)
    assert res.cell_m == 25
    if res.method == "hybrid":
        assert res.spec.weight is not None
        assert res.spec.weight <= 1
    elif res.method != "naive":
        assert res.bandwidth_m is not None
        assert res.bandwidth_m <= 50
    assert res.figures["chosen"]["hit_rate"] >= res.figures["plain_counts"]["hit_rate"]


def test_tuning_windows_train_only_on_the_past(frame, rng: np.random.Generator) -> None:
    x, y = diffuse(rng, 300)
    inc = frame(x, y, rng)
    res = auto_tune(inc, grid=GRID, study_mask=MASK, config=AnalysisConfig())
    t = pd.DatetimeIndex(inc["occurred_at"])
    windows = rolling_windows(t, n_windows=3)
    assert len(res.figures["windows"]) == len(windows)
    for w, n_train, n_test in zip(
        windows, res.figures["n_train"], res.figures["n_test"], strict=True
    ):
        train, test = window_masks(t, w)
        assert n_train == train.sum()
        assert n_test == test.sum()
        assert t[train].max() < t[test].min()


def test_fallback_with_too_little_history(frame, rng: np.random.Generator) -> None:
    x, y = diffuse(rng, 8)
    res = auto_tune(frame(x, y, rng), grid=GRID, study_mask=MASK, config=AnalysisConfig())
    assert res.fallback is not None
    assert res.method == "kde"
    assert res.bandwidth_m == 200
    assert "backtest" in res.summary("en")


def test_summary_and_parameters(frame, rng: np.random.Generator) -> None:
    x, y = repeats(rng, 300)
    res = auto_tune(frame(x, y, rng), grid=GRID, study_mask=MASK, config=AnalysisConfig())
    assert isinstance(res, TuningResult)
    sv = res.summary("sv")
    en = res.summary("en")
    assert sv.startswith("Automatiskt val:")
    assert en.startswith("Automatic choice:")
    assert res.spec.label() in sv
    params = res.parameters()
    assert summarize(params, "en") == en  # the same text from the GeoJSON parameters
    assert params["method"] == res.method
    assert params["backtest"]["coverage"] == 0.05
    import json

    json.dumps(params)  # JSON-safe


def test_a_budget_of_one_candidate_is_plain_counts(frame, rng: np.random.Generator) -> None:
    x, y = diffuse(rng, 300)
    res = auto_tune(frame(x, y, rng), grid=GRID, study_mask=MASK, config=AnalysisConfig(), budget=1)
    assert res.figures["budget_exhausted"]
    assert res.figures["n_candidates"] == 1
    assert res.spec == MethodSpec("naive", cell_m=GRID.cell_m)


def test_tuned_scores_use_the_chosen_method(frame, rng: np.random.Generator) -> None:
    x, y = repeats(rng, 200)
    inc = frame(x, y, rng)
    res = auto_tune(inc, grid=GRID, study_mask=MASK, config=AnalysisConfig())
    s = tuned_scores(res, inc, grid=GRID)
    assert s.shape == GRID.shape
    assert s.sum() == pytest.approx(len(inc), rel=0.05) or res.method in ("hybrid", "recency_kde")


def test_no_untested_recency_weighting_on_yearly_snapshots(
    make_incidents: Callable[..., gpd.GeoDataFrame], rng: np.random.Generator
) -> None:
    # police.uk West Yorkshire style: all incidents on the first of July of two years, so
    # the one backtest window trains on a single instant and cannot judge recency weights
    x, y = repeats(rng, 400)
    t = pd.DatetimeIndex(["2016-07-01"] * 200 + ["2017-07-01"] * 200).tz_localize(TIMEZONE)
    res = auto_tune(
        make_incidents(x, y, times=t),
        grid=GRID,
        study_mask=MASK,
        config=AnalysisConfig(),
    )
    assert len(res.figures["windows"]) == 1
    assert res.method != "recency_kde"
    assert not any(c["label"].startswith("recency") for c in res.figures["top"])
