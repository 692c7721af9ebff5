from __future__ import annotations

import json
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from hotspots.core.config import AnalysisConfig
from hotspots.core.schema import TIMEZONE
from hotspots.demo.synthetic import PlantedCluster, planted_incidents
from hotspots.engine.kde import CANONICAL_BANDWIDTH
from hotspots.forecast.backtesting import backtest, rolling_windows, window_masks
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


# --------------------------------------------------------------------------------------------
# Determinism: the budget is a number of candidates
# --------------------------------------------------------------------------------------------


def _without_time(params: dict) -> dict:
    out = json.loads(json.dumps(params))
    out["backtest"].pop("elapsed_s")
    return out


def test_the_same_input_gives_the_same_choice_under_a_slowed_evaluation(
    frame, rng: np.random.Generator, monkeypatch
) -> None:
    import time

    from hotspots.forecast import tuning

    x, y = diffuse(rng, 300)
    inc = frame(x, y, rng)
    first = auto_tune(inc, grid=GRID, study_mask=MASK, config=AnalysisConfig(), budget=20)
    real = tuning.captured_counts

    def slowed(*args, **kwargs):
        time.sleep(0.02)  # a busy machine: every backtest of a candidate is slow
        return real(*args, **kwargs)

    monkeypatch.setattr(tuning, "captured_counts", slowed)
    again = auto_tune(inc, grid=GRID, study_mask=MASK, config=AnalysisConfig(), budget=20)
    assert again.spec == first.spec
    assert again.figures["candidates"] == first.figures["candidates"]
    assert again.figures["n_candidates"] == 20
    assert _without_time(again.parameters()) == _without_time(first.parameters())


# --------------------------------------------------------------------------------------------
# The floor: auto never does worse than plain counts per grid cell on the backtest windows
# --------------------------------------------------------------------------------------------


def bursts(rng: np.random.Generator, n_bg: int = 300) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Background over the area plus near-repeat bursts (self-exciting), with times in days."""
    bx, by, bt = rng.uniform(0, 2500, n_bg), rng.uniform(0, 2500, n_bg), rng.uniform(0, 365, n_bg)
    parents = rng.choice(n_bg, 40, replace=False)
    kx = np.repeat(bx[parents], 6) + rng.normal(0, 15, 240)
    ky = np.repeat(by[parents], 6) + rng.normal(0, 15, 240)
    kt = np.repeat(bt[parents], 6) + rng.exponential(5, 240)
    keep = kt < 365
    x = np.clip(np.concatenate([bx, kx[keep]]), 1, 2499)
    y = np.clip(np.concatenate([by, ky[keep]]), 1, 2499)
    return x, y, np.concatenate([bt, kt[keep]])


def _dataset(name: str, make_incidents, rng: np.random.Generator) -> gpd.GeoDataFrame:
    start = pd.Timestamp("2025-01-01", tz=TIMEZONE)
    if name == "bursts":
        x, y, days = bursts(rng)
        order = np.argsort(days)
        t = pd.DatetimeIndex(start + pd.to_timedelta(days[order], "D"))
        return make_incidents(x[order], y[order], times=t)
    x, y = {"diffuse": diffuse, "repeats": repeats}[name](rng)
    return make_incidents(x, y, times=_times(rng, len(x)))


@pytest.mark.parametrize("name", ["diffuse", "repeats", "bursts"])
@pytest.mark.parametrize("budget", [3, 64])
def test_auto_is_never_below_plain_counts_on_the_backtest_windows(
    make_incidents: Callable[..., gpd.GeoDataFrame], name: str, budget: int
) -> None:
    rng = np.random.default_rng(2026)
    inc = _dataset(name, make_incidents, rng)
    x = inc.geometry.x.to_numpy()
    y = inc.geometry.y.to_numpy()
    times = pd.DatetimeIndex(inc["occurred_at"])
    windows = rolling_windows(times, n_windows=3)
    plain = MethodSpec("naive", cell_m=GRID.cell_m)
    for coverage in (0.01, 0.05, 0.10):
        res = auto_tune(
            inc, grid=GRID, study_mask=MASK, config=AnalysisConfig(coverage=coverage), budget=budget
        )
        f = res.figures
        assert f["plain_counts"]["hit_rate"] <= f["chosen"]["hit_rate"]
        assert f["plain_counts"]["predicted_hit_rate"] <= f["chosen"]["predicted_hit_rate"]
        # the same on the whole grid, by the plain backtest (not the tuner's cropped search)
        bt = backtest(
            x, y, times, grid=GRID, mask=MASK, windows=windows, specs=[res.spec, plain],
            coverages=[coverage],
        )  # fmt: skip
        chosen_rate, plain_rate = bt.hit_rate()[:, 0]
        assert chosen_rate >= plain_rate - 1e-12, (name, coverage, res.spec.label())


def test_every_new_method_is_a_candidate_of_auto(frame, rng: np.random.Generator) -> None:
    x, y = repeats(rng, 400)
    res = auto_tune(frame(x, y, rng), grid=GRID, study_mask=MASK, config=AnalysisConfig())
    labels = res.figures["candidates"]
    assert labels[0] == "naive 25 m"  # plain counts first
    assert any(s.startswith("fine counts") for s in labels)
    assert any(s.startswith("sepp") for s in labels)
    assert res.figures["budget_exhausted"] is False
    assert res.figures["n_candidates"] <= res.figures["budget"]
