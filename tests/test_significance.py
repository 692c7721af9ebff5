from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from hotspots.core.errors import InputSchemaError
from hotspots.engine.significance import benjamini_hochberg, disc_stencil, gi_class, gi_star

# test dependencies (pyproject's [test] extra); imported once at collection
esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")


def _esda_zs(counts: np.ndarray, mask: np.ndarray, distance: float, cell: float) -> np.ndarray:
    rr, cc = np.nonzero(mask)
    pts = np.column_stack((cc * cell, -rr * cell))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = libpysal.weights.DistanceBand(
            pts, threshold=distance, binary=True, silence_warnings=True
        )
        lg = esda.G_Local(counts[rr, cc], w, transform="B", star=True, permutations=0)
    return np.asarray(lg.Zs)


@pytest.mark.parametrize(("distance", "seed"), [(25.0, 0), (10.0, 1), (42.0, 2)])
def test_gi_star_matches_esda(distance: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    ny, nx, cell = 9, 11, 10.0
    counts = rng.poisson(1.0, (ny, nx)).astype(float)
    counts[3:5, 4:6] += 6
    mask = np.ones((ny, nx), dtype=bool)
    mask[0, :3] = False  # an irregular study area
    mask[7:, 9:] = False
    res = gi_star(counts, mask, distance_m=distance, cell_m=cell)
    rr, cc = np.nonzero(mask)
    assert_allclose(res.z[rr, cc], _esda_zs(counts, mask, distance, cell), rtol=1e-9, atol=1e-9)
    assert np.isnan(res.z[~mask]).all()
    p = res.p[mask]
    assert ((p > 0) & (p <= 1)).all()
    assert (res.p_fdr[mask] >= p - 1e-15).all()


def test_gi_star_golden_three_cells() -> None:
    # a row of 3 cells with counts 0, 0, 3 and distance band = one cell:
    # n = 3, mean = 1, var = (9/3) - 1 = 2, sum = 3.
    # cell 2: W = 2 (itself and cell 1), G = 3/3 = 1, E = 2/3,
    # Var = 2 * (3-2) / 2 / 9 * 2 / 1 = 2/9, z = (1 - 2/3) / sqrt(2/9) = 0.7071068
    res = gi_star(np.array([[0.0, 0.0, 3.0]]), np.ones((1, 3), bool), distance_m=10, cell_m=10)
    assert res.z[0, 2] == pytest.approx(0.7071068)
    # cell 1: W = 3, E = 1, G = 1 -> Var = 0 (every cell is a neighbour): undefined -> NaN
    assert np.isnan(res.z[0, 1])
    assert res.n_neighbours[0, 1] == 3


def test_constant_counts_give_nan() -> None:
    res = gi_star(np.ones((4, 4)), np.ones((4, 4), bool), distance_m=15, cell_m=10)
    assert np.isnan(res.z).all()


def test_benjamini_hochberg_golden() -> None:
    # sorted 0.01, 0.03, 0.04, 0.2 -> x m/rank: 0.04, 0.06, 0.0533, 0.2 -> running min from
    # the top: 0.04, 0.0533, 0.0533, 0.2
    out = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.2, np.nan]))
    assert_allclose(out[:4], [0.04, 0.16 / 3, 0.16 / 3, 0.2])
    assert np.isnan(out[4])


def test_disc_and_classes() -> None:
    d = disc_stencil(10.0, 10.0)
    assert d.sum() == 5  # itself and 4 edge neighbours at exactly the band
    assert disc_stencil(15.0, 10.0).sum() == 9
    assert gi_class(3.0, 0.001) == "hot_99"
    assert gi_class(2.0, 0.03) == "hot_95"
    assert gi_class(1.7, 0.07) == "hot_90"
    assert gi_class(1.0, 0.3) == "not_significant"
    assert gi_class(-4.0, 0.0001) == "not_significant"
    assert gi_class(float("nan"), 0.01) == "not_significant"
    with pytest.raises(InputSchemaError):
        disc_stencil(0.0, 10.0)
