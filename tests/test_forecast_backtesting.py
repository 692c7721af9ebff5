"""Backtests of :mod:`hotspots.forecast.backtesting`: windows never leak, stability."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.core.schema import TIMEZONE
from hotspots.forecast.backtesting import (
    Window,
    backtest,
    prepare_windows,
    rolling_windows,
    split_window,
    stability,
    window_masks,
)
from hotspots.forecast.methods import History, MethodSpec
from hotspots.spatial.grid import Grid


def _times(days: list[int]) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.Timestamp("2026-01-01", tz=TIMEZONE) + pd.to_timedelta(days, "D"))


def test_split_window_masks_never_overlap() -> None:
    t = _times(list(range(100)))
    w = split_window("2026-03-01", "2026-03-15", times=t)
    train, test = window_masks(t, w)
    assert not np.any(train & test)
    assert t[train].max() < w.origin <= t[test].min()
    assert t[test].max() < w.test_end
    assert train.sum() == 59
    assert test.sum() == 14


def test_split_until_before_split_is_an_error() -> None:
    t = _times(list(range(10)))
    with pytest.raises(InputSchemaError, match="--until"):
        split_window("2026-01-05", "2026-01-03", times=t)


def test_rolling_windows_never_leak(rng: np.random.Generator) -> None:
    t = _times(sorted(rng.integers(0, 365, size=500).tolist()))
    windows = rolling_windows(t, horizon=pd.Timedelta(days=30), n_windows=4)
    assert len(windows) == 4
    assert windows[0].test_end > t.max()
    for w in windows:
        train, test = window_masks(t, w)
        assert not np.any(train & test)
        assert t[train].max() < t[test].min()
        assert t[train].max() < w.origin
    # latest first, consecutive, equal horizons
    for a, b in itertools.pairwise(windows):
        assert b.test_end == a.origin


def test_rolling_windows_skip_gaps() -> None:
    # police.uk West Yorkshire style: only July of two years
    t = _times([0] * 50 + [365] * 60)
    windows = rolling_windows(t, horizon=pd.Timedelta(days=31), n_windows=3)
    assert len(windows) == 1
    train, test = window_masks(t, windows[0])
    assert train.sum() == 50
    assert test.sum() == 60


def test_rolling_windows_need_history() -> None:
    with pytest.raises(InsufficientDataError, match="too little history"):
        rolling_windows(_times([0, 1, 2]), horizon=pd.Timedelta(days=1))
    with pytest.raises(InputSchemaError):
        Window(origin=pd.Timestamp("2026-01-02"), test_end=pd.Timestamp("2026-01-01"))


GRID = Grid(x0=0.0, y0=0.0, cell_m=50.0, nx=40, ny=40, crs="EPSG:3006")


def _moving_hotspot(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, pd.DatetimeIndex]:
    """Before 2026-07-01 every incident is at A = (525, 525); from then on at B = (1525, 1525)."""
    t = _times(sorted(rng.integers(0, 365, 400).tolist()))
    after = np.asarray(t >= pd.Timestamp("2026-07-01", tz=TIMEZONE))
    x = np.where(after, 1525.0, 525.0)
    return x, x.copy(), t


def test_backtest_never_trains_on_test_incidents(rng: np.random.Generator) -> None:
    x, y, t = _moving_hotspot(rng)
    mask = np.ones(GRID.shape, dtype=bool)
    w = split_window("2026-07-01", None, times=t)
    specs = [MethodSpec("naive"), MethodSpec("kde", kernel="quartic", bandwidth_m=200)]
    res = backtest(x, y, t, grid=GRID, mask=mask, windows=[w], specs=specs, coverages=[0.01])
    # a leak would put B on top; trained on the past only, B is never forecast. Counts rank
    # A's cell first and share the other 15 of the 16 cells (1 %) among the 1599 empty
    # cells, so B's cell is picked with probability 15 / 1599; the kernel fills all 16 at A.
    assert_allclose(res.hit_rate(), [[15 / 1599], [0.0]])
    assert_allclose(res.best, [[res.n_test[0]]])  # the oracle captures all of them in one cell
    (p,) = prepare_windows(x, y, t, grid=GRID, mask=mask, windows=[w])
    assert p.history.counts()[GRID.index(np.array([1525.0]), np.array([1525.0]))[:2]] == 0
    assert p.n_train + p.n_test == len(t)


def test_rolling_backtest_never_trains_on_test_incidents(rng: np.random.Generator) -> None:
    x, y, t = _moving_hotspot(rng)
    mask = np.ones(GRID.shape, dtype=bool)
    windows = rolling_windows(t, horizon=pd.Timedelta(days=30), n_windows=6)
    prepared = prepare_windows(x, y, t, grid=GRID, mask=mask, windows=windows)
    for p in prepared:
        train, _ = window_masks(t, p.window)
        assert p.n_train == train.sum()
        assert p.history.x.size == train.sum()
        assert np.all(p.history.age_days > 0)  # every training incident lies before the origin


def test_stability_is_one_for_identical_choices_and_lower_for_counts(
    rng: np.random.Generator,
) -> None:
    mask = np.ones(GRID.shape, dtype=bool)
    x = rng.normal(1000, 150, 300)
    y = rng.normal(1000, 150, 300)
    h = History(x=x, y=y, age_days=np.zeros(300), grid=GRID)
    kde = stability(
        MethodSpec("kde", kernel="gaussian", bandwidth_m=150), h, mask=mask, coverage=0.05
    )
    naive = stability(MethodSpec("naive"), h, mask=mask, coverage=0.05)
    for s in (kde, naive):
        assert set(s) == {"grid_shift", "bandwidth_minus_25", "bandwidth_plus_25"}
        assert all(0 <= v <= 1 for v in s.values())
    # a wide symmetric kernel over one round cluster keeps nearly the same cells
    assert kde["grid_shift"] > 0.8
    assert kde["bandwidth_plus_25"] > 0.8
    assert naive["grid_shift"] < kde["grid_shift"]
