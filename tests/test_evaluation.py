from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from hotspots._errors import InputSchemaError, InsufficientDataError
from hotspots.evaluation import (
    Window,
    best_hit_rates,
    coverage_cells,
    hit_counts,
    hit_rate_curve,
    hit_rates,
    jaccard,
    metrics_at,
    rolling_windows,
    split_window,
    top_slice,
    window_masks,
)
from hotspots.schema import TIMEZONE

# A 2 x 3 grid. Scores rank: 3 > 2 = 2 > 1 > 0 = 0; test incidents total 4.
SCORES = np.array([[3.0, 1.0, 0.0], [2.0, 2.0, 0.0]])
TEST = np.array([[2.0, 0.0, 1.0], [1.0, 0.0, 0.0]])


def test_coverage_cells_follows_open_cp_floor() -> None:
    assert coverage_cells(0.7, 6) == 4  # 6 * 0.7 == 4.2
    assert coverage_cells(0.5, 6) == 3
    assert coverage_cells(1.0, 6) == 6
    assert coverage_cells(0.3, 10) == 3  # 0.3 * 10 == 2.9999999999999996 in floats


def test_top_slice_shares_ties_at_the_cut() -> None:
    # k = floor(6 * 0.34) = 2: the 3 and one of the two tied 2s -> each 2 gets 1/2
    w = top_slice(SCORES, 0.34)
    assert_allclose(w, [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
    assert w.sum() == pytest.approx(2.0)


def test_hand_computed_hit_rate_pai_pei() -> None:
    m50, m34 = metrics_at(SCORES, TEST, [0.5, 0.34])
    # 50 %: k = 3 -> cells scoring 3, 2, 2 hold 2 + 1 + 0 = 3 of 4 incidents
    assert m50.hit_rate == pytest.approx(0.75)
    assert m50.pai == pytest.approx(0.75 / 0.5)  # 1.5
    # best 3 cells hold 2 + 1 + 1 = 4 -> best hit rate 1, PEI* = 0.75
    assert m50.best_hit_rate == pytest.approx(1.0)
    assert m50.pei == pytest.approx(0.75)
    # 34 %: k = 2 -> 2 (the 3) + half of (1 + 0) from the tied 2s = 2.5 -> 0.625
    assert m34.captured == pytest.approx(2.5)
    assert m34.hit_rate == pytest.approx(0.625)
    assert m34.pai == pytest.approx(0.625 / (2 / 6))  # 1.875
    # best 2 cells: the 2 and half of the two tied 1s -> 3 of 4
    assert m34.best_hit_rate == pytest.approx(0.75)
    assert m34.pei == pytest.approx(2.5 / 3)


def test_mask_restricts_cells_and_incidents() -> None:
    mask = np.array([[True, True, False], [True, True, False]])
    # 4 cells, test inside = 3; 50 % -> k = 2: the 3 (2 incidents) + half of tie (1 + 0)
    assert_allclose(hit_counts(SCORES, TEST, [0.5], mask=mask), [2.5])
    assert_allclose(hit_rates(SCORES, TEST, [0.5], mask=mask), [2.5 / 3])


def test_oracle_forecast_scores_pei_one(rng: np.random.Generator) -> None:
    test = rng.poisson(0.3, size=(40, 50)).astype(float)
    for m in metrics_at(test, test, [0.01, 0.02, 0.05, 0.1, 0.2]):
        assert m.pei == pytest.approx(1.0)
    assert_allclose(best_hit_rates(test, [0.05]), hit_rates(test, test, [0.05]))


def test_pei_never_exceeds_one(rng: np.random.Generator) -> None:
    test = rng.poisson(0.3, size=(30, 30)).astype(float)
    for _ in range(20):
        scores = rng.random((30, 30)) + 0.5 * test
        for m in metrics_at(scores, test, [0.01, 0.05, 0.2, 0.5]):
            assert 0 <= m.pei <= 1 + 1e-12


def test_curve_never_decreases_and_reaches_one(rng: np.random.Generator) -> None:
    test = rng.poisson(0.5, size=(20, 25)).astype(float)
    scores = np.round(rng.random((20, 25)) * 5)  # many ties
    cov, rate = hit_rate_curve(scores, test)
    assert cov[0] == 0
    assert rate[0] == 0
    assert cov[-1] == 1
    assert rate[-1] == pytest.approx(1.0)
    assert np.all(np.diff(rate) >= -1e-12)
    # the curve agrees with hit_rates at every k
    ks = [1, 7, 100, 499]
    assert_allclose(rate[ks], hit_rates(scores, test, [k / 500 for k in ks]))


def test_curve_hand_computed() -> None:
    cov, rate = hit_rate_curve(SCORES, TEST)
    # k: 0 -> 0; 1 -> 2; 2 -> 2.5; 3 -> 3; 4 -> 3 (score 1, count 0); 5, 6 -> 3.5, 4
    assert_allclose(rate * 4, [0, 2, 2.5, 3, 3, 3.5, 4])
    assert_allclose(cov, np.arange(7) / 6)


def test_nan_scores_rank_last() -> None:
    scores = np.array([[np.nan, 1.0], [2.0, 0.5]])
    test = np.array([[5.0, 0.0], [1.0, 0.0]])
    assert_allclose(hit_counts(scores, test, [0.75]), [1.0])


def test_no_test_incident_is_an_error() -> None:
    with pytest.raises(InsufficientDataError, match="no test incident"):
        hit_rates(SCORES, np.zeros_like(SCORES), [0.1])


def test_shape_mismatch_is_an_error() -> None:
    with pytest.raises(InputSchemaError, match="shape"):
        hit_rates(SCORES, np.zeros((3, 3)), [0.1])


def test_jaccard() -> None:
    a = np.array([1, 1, 0, 0], dtype=float)
    b = np.array([0, 1, 1, 0], dtype=float)
    assert jaccard(a, b) == pytest.approx(1 / 3)
    assert jaccard(a, a) == 1.0
    assert jaccard(np.zeros(4), np.zeros(4)) == 1.0
    # weighted, b = [0, 1, 0.5, 0]: min = [0, 1, 0, 0] sum 1; max = [1, 1, 0.5, 0] sum 2.5
    assert jaccard(a, np.array([0, 1, 0.5, 0])) == pytest.approx(0.4)


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


# --- backtests, stability, study area --------------------------------------------------------

from hotspots.evaluation import (  # noqa: E402
    backtest,
    evaluate_split,
    parse_methods,
    prepare_windows,
    stability,
    study_area,
)
from hotspots.grid import Grid  # noqa: E402
from hotspots.methods import History, MethodSpec  # noqa: E402

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


def test_cells_left_out_as_extra_zeros_give_the_same_counts(rng: np.random.Generator) -> None:
    # scores and test incidents only in the north-west 10 x 10 corner of a 30 x 30 study area
    scores = np.zeros((30, 30))
    test = np.zeros((30, 30))
    scores[:10, :10] = np.round(rng.random((10, 10)) * 3)  # ties, zeros included
    test[:10, :10] = rng.poisson(0.7, (10, 10))
    from hotspots.evaluation import _captured  # the O(n) kernel of every metric

    for cov in (0.01, 0.05, 0.1, 0.2, 0.5):
        k = coverage_cells(cov, 900)
        full = _captured(scores.ravel(), test.ravel(), k)
        crop = _captured(scores[:10, :10].ravel(), test[:10, :10].ravel(), k, extra_zero_cells=800)
        assert crop == pytest.approx(full)


def test_evaluate_split_on_land_leaves_water_out(make_incidents, rng: np.random.Generator) -> None:
    """With a land geometry the study area is its cells: a lake in it is never scored."""
    from shapely.geometry import box

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
