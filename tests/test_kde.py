from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from pyproj import CRS
from scipy.stats import gaussian_kde

from hotspots.core.config import KERNELS
from hotspots.core.errors import InputSchemaError
from hotspots.engine.kde import (
    AUTO_BANDWIDTH_RANGE_M,
    auto_bandwidth,
    bin_linear,
    bin_nearest,
    exact_density,
    kde_surface,
    kernel_stencil,
    kernel_value,
)
from hotspots.spatial.grid import Grid

CRS3006 = CRS.from_epsg(3006)


def _grid(nx: int = 5, ny: int = 5, cell: float = 10.0) -> Grid:
    return Grid(x0=0.0, y0=0.0, cell_m=cell, nx=nx, ny=ny, crs=CRS3006)


def test_kernel_values_golden() -> None:
    # quartic, h = 100 m: K(0) = 3 / (pi * 100^2) per m2 = 95.4930 per km2
    assert kernel_value("quartic", np.array([0.0]), 100.0)[0] * 1e6 == pytest.approx(95.49297)
    # K(50) = 3 / (pi h^2) * (1 - 0.25)^2 = 95.49297 * 0.5625 = 53.71480
    assert kernel_value("quartic", np.array([50.0]), 100.0)[0] * 1e6 == pytest.approx(53.71480)
    # epanechnikov K(0) = 2 / (pi h^2) = 63.66198 per km2; triangular K(50) = 3/(pi h^2) * 0.5
    assert kernel_value("epanechnikov", np.array([0.0]), 100.0)[0] * 1e6 == pytest.approx(63.66198)
    assert kernel_value("triangular", np.array([50.0]), 100.0)[0] * 1e6 == pytest.approx(47.74648)
    # uniform 1 / (pi h^2) inside, 0 at and beyond h
    assert_allclose(
        kernel_value("uniform", np.array([99.0, 100.0]), 100.0) * 1e6, [31.83099, 0.0], atol=1e-5
    )
    # gaussian sd 100: K(0) = 1 / (2 pi 100^2) = 15.91549 per km2
    assert kernel_value("gaussian", np.array([0.0]), 100.0)[0] * 1e6 == pytest.approx(15.91549)


@pytest.mark.parametrize("kernel", KERNELS)
def test_continuous_kernels_integrate_to_one(kernel: str) -> None:
    # midpoint rule on a fine grid out to 5 bandwidths
    h = 10.0
    step = 0.1
    off = np.arange(-50.0, 50.0, step) + step / 2
    d = np.hypot(off[None, :], off[:, None])
    assert kernel_value(kernel, d, h).sum() * step * step == pytest.approx(1.0, abs=2e-3)


def test_uniform_density_golden_one_point() -> None:
    g = _grid()
    # a point at the centre of the middle cell (25, 25); uniform kernel h = 10 m covers only
    # offsets d < 10, i.e. the cell itself: density = 1 / 0.0001 km2 = 10000 per km2
    d = kde_surface(np.array([25.0]), np.array([25.0]), grid=g, kernel="uniform", bandwidth_m=10)
    expected = np.zeros((5, 5))
    expected[2, 2] = 10_000.0
    assert_allclose(d, expected, atol=1e-9)
    # h = 12 m: the cell and its 4 edge neighbours (d = 10 < 12 < 14.1 of the diagonals),
    # 1/5 each -> 2000 per km2
    d = kde_surface(np.array([25.0]), np.array([25.0]), grid=g, kernel="uniform", bandwidth_m=12)
    expected = np.zeros((5, 5))
    expected[2, 2] = expected[1, 2] = expected[3, 2] = expected[2, 1] = expected[2, 3] = 2000.0
    assert_allclose(d, expected, atol=1e-9)


def test_linear_binning_golden() -> None:
    g = _grid()
    # (20, 30) is the corner shared by the centres (15, 35), (25, 35), (15, 25), (25, 25):
    # rows 1-2 (north-up: y 35 is row 1), columns 1-2, a quarter each
    b = bin_linear(np.array([20.0]), np.array([30.0]), g)
    assert_allclose(b[1:3, 1:3], 0.25)
    assert b.sum() == pytest.approx(1.0)
    # (17, 25): 0.8 to column 1 and 0.2 to column 2 of row 2
    b = bin_linear(np.array([17.0]), np.array([25.0]), g, weights=np.array([2.0]))
    assert b[2, 1] == pytest.approx(1.6)
    assert b[2, 2] == pytest.approx(0.4)
    # outer half cell goes to the edge cell; points off the grid are dropped
    b = bin_linear(np.array([1.0, -1.0]), np.array([49.0, 10.0]), g)
    assert b[0, 0] == pytest.approx(1.0)
    assert b.sum() == pytest.approx(1.0)
    n = bin_nearest(np.array([1.0, 12.0, 12.0]), np.array([49.0, 1.0, 2.0]), g)
    assert n[0, 0] == 1.0
    assert n[4, 1] == 2.0


@pytest.mark.parametrize("kernel", KERNELS)
def test_every_kernel_integrates_to_the_weighted_count(kernel: str, rng) -> None:
    g = _grid(nx=120, ny=100, cell=10.0)
    x = rng.uniform(300, 900, 500)
    y = rng.uniform(300, 700, 500)
    w = rng.uniform(0.5, 2.0, 500)
    for bw in (7.0, 35.0, 70.0):  # support (gaussian 4 sd) stays on the grid
        d = kde_surface(x, y, grid=g, kernel=kernel, bandwidth_m=bw, weights=w)
        assert (d >= 0).all()
        assert d.sum() * g.cell_area_km2 == pytest.approx(w.sum(), rel=1e-9)
    st = kernel_stencil(kernel, 35.0, 10.0)
    assert st.sum() == pytest.approx(1.0)
    assert st.shape[0] % 2 == 1


@pytest.mark.parametrize("kernel", KERNELS)
def test_agrees_with_exact_kernel_sum(kernel: str, rng) -> None:
    g = _grid(nx=100, ny=80, cell=10.0)
    x = rng.normal(500, 120, 400)
    y = rng.normal(400, 90, 400)
    bw = 60.0 if kernel != "gaussian" else 25.0
    d = kde_surface(x, y, grid=g, kernel=kernel, bandwidth_m=bw)
    cx, cy = g.centres()
    sel = (slice(10, 70), slice(10, 90))
    exact = exact_density(x, y, cx[sel], cy[sel], kernel=kernel, bandwidth_m=bw)
    err = np.abs(d[sel].ravel() - exact).max() / exact.max()
    # discretisation on 10 m cells; the discontinuous uniform kernel is the roughest
    assert err < (0.1 if kernel == "uniform" else 0.02)


def test_agrees_with_scipy_gaussian_kde(rng) -> None:
    g = _grid(nx=80, ny=60, cell=10.0)
    x = rng.normal(400, 80, 300)
    y = rng.normal(300, 60, 300)
    sd = 30.0
    d = kde_surface(x, y, grid=g, kernel="gaussian", bandwidth_m=sd)
    ref = gaussian_kde(np.vstack((x, y)), bw_method=1.0)
    # isotropic covariance sd^2 I instead of the data covariance (bandwidth factor 1)
    ref._data_covariance = np.eye(2) * sd * sd
    ref._data_cho_cov = np.eye(2) * sd
    ref.set_bandwidth(1.0)
    cx, cy = g.centres()
    expected = ref(np.vstack((cx.ravel(), cy.ravel()))).reshape(g.shape) * len(x) * 1e6
    assert np.abs(d - expected).max() / expected.max() < 0.005


def test_edge_correction_near_a_shore() -> None:
    # land is x < 500 (columns 0-49), water east of it; one incident per land cell
    g = _grid(nx=100, ny=60, cell=10.0)
    mask = np.zeros(g.shape, dtype=bool)
    mask[:, :50] = True
    cx, cy = g.centres()
    x, y = cx[mask], cy[mask]
    kw = {"grid": g, "kernel": "quartic", "bandwidth_m": 50.0, "study_mask": mask}
    corrected = kde_surface(x, y, edge_correction=True, **kw)
    plain = kde_surface(x, y, edge_correction=False, **kw)
    interior = corrected[30, 25]
    # one point per 100 m2 = 10000 per km2 in the interior, with or without correction
    assert interior == pytest.approx(10_000.0, rel=1e-6)
    assert plain[30, 25] == pytest.approx(10_000.0, rel=1e-6)
    # at the shore (column 49) the plain estimate loses almost half its mass to the water
    assert plain[30, 49] < 0.65 * interior
    assert corrected[30, 49] == pytest.approx(interior, rel=1e-6)
    # never any density in the water
    assert np.isnan(corrected[:, 50:]).all()
    assert np.isnan(plain[:, 50:]).all()


def test_auto_bandwidth_rule_golden() -> None:
    # 32 points evenly on a circle of radius 1000 m: SD = Dm = 1000, n^-0.2 = 0.5
    # R = 0.9 * min(1000, 1.2011 * 1000) * 0.5 = 450 m (quartic search radius)
    a = np.linspace(0, 2 * math.pi, 32, endpoint=False)
    x, y = 1000 * np.cos(a), 1000 * np.sin(a)
    assert auto_bandwidth(x, y, kernel="quartic") == 450.0
    # gaussian sd = 450 * 0.7764 / 2.0362 = 171.6 -> 172
    assert auto_bandwidth(x, y, kernel="gaussian") == 172.0
    # clamped at both ends
    assert auto_bandwidth(x / 100, y / 100) == AUTO_BANDWIDTH_RANGE_M[0]
    assert auto_bandwidth(x * 100, y * 100) == AUTO_BANDWIDTH_RANGE_M[1]
    assert auto_bandwidth(x / 100, y / 100, cell_m=100.0) == 200.0


def test_bad_arguments() -> None:
    with pytest.raises(InputSchemaError, match="--kernel"):
        kernel_stencil("box", 100, 10)
    with pytest.raises(InputSchemaError, match="positive"):
        kernel_stencil("quartic", 0, 10)
    g = _grid()
    with pytest.raises(InputSchemaError, match="shape"):
        kde_surface(
            np.array([1.0]), np.array([1.0]), grid=g, bandwidth_m=10, study_mask=np.ones((2, 2))
        )
