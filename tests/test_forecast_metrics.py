"""Metrics of :mod:`hotspots.forecast.metrics`: hit rate, PAI, PEI*, curves, ties, overlap."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.forecast.metrics import (
    best_hit_rates,
    captured_count,
    coverage_cells,
    hit_counts,
    hit_rate_curve,
    hit_rates,
    jaccard,
    metrics_at,
    top_slice,
)

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


def test_cells_left_out_as_extra_zeros_give_the_same_counts(rng: np.random.Generator) -> None:
    # scores and test incidents only in the north-west 10 x 10 corner of a 30 x 30 study area
    scores = np.zeros((30, 30))
    test = np.zeros((30, 30))
    scores[:10, :10] = np.round(rng.random((10, 10)) * 3)  # ties, zeros included
    test[:10, :10] = rng.poisson(0.7, (10, 10))
    # captured_count is the O(n) kernel of every metric
    for cov in (0.01, 0.05, 0.1, 0.2, 0.5):
        k = coverage_cells(cov, 900)
        full = captured_count(scores.ravel(), test.ravel(), k)
        crop = captured_count(
            scores[:10, :10].ravel(), test[:10, :10].ravel(), k, extra_zero_cells=800
        )
        assert crop == pytest.approx(full)
