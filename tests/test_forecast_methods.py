from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from hotspots.core.config import KERNELS
from hotspots.core.errors import InputSchemaError
from hotspots.engine.kde import bin_nearest, convolve_same, kernel_stencil
from hotspots.forecast.methods import (
    History,
    MethodSpec,
    bin_points,
    density_per_km2,
    score,
)
from hotspots.spatial.grid import Grid


@pytest.fixture
def grid() -> Grid:
    # 10 x 8 cells of 50 m; south-west corner (1000, 2000), north edge y = 2400
    return Grid(x0=1000.0, y0=2000.0, cell_m=50.0, nx=10, ny=8, crs="EPSG:3006")


def _hist(grid: Grid, x: list[float], y: list[float], age: list[float] | None = None) -> History:
    n = len(x)
    return History(
        x=np.array(x, float),
        y=np.array(y, float),
        age_days=np.array(age if age is not None else [0.0] * n, float),
        grid=grid,
    )


def test_bin_points_is_north_up(grid: Grid) -> None:
    counts = bin_points(
        np.array([1010.0, 1010.0, 1490.0]), np.array([2390.0, 2390.0, 2010.0]), grid
    )
    assert counts.shape == (8, 10)
    assert counts[0, 0] == 2  # north-west corner
    assert counts[7, 9] == 1  # south-east corner
    # agrees with the engine's own indexing
    row, col, inside = grid.index(np.array([1260.0]), np.array([2110.0]))
    c = bin_points(np.array([1260.0]), np.array([2110.0]), grid)
    assert inside[0]
    assert c[row[0], col[0]] == 1


def test_points_outside_the_grid_are_ignored(grid: Grid) -> None:
    c = bin_points(np.array([900.0, 1600.0, 1100.0]), np.array([2100.0, 2100.0, 2100.0]), grid)
    assert c.sum() == 1


def test_naive_at_grid_cell_is_the_plain_count(grid: Grid) -> None:
    h = _hist(grid, [1010, 1020, 1260], [2390, 2380, 2110])
    assert_allclose(score(MethodSpec("naive", cell_m=50), h), h.counts())


def test_naive_on_coarse_cells_spreads_counts(grid: Grid) -> None:
    # 100 m count cells: the point at (1060, 2340) is in coarse cell (row 0, col 0), which
    # covers fine rows 0-1 and cols 0-1 -> each of those 4 cells gets 1/4
    h = _hist(grid, [1060.0], [2340.0])
    s = score(MethodSpec("naive", cell_m=100), h)
    expected = np.zeros((8, 10))
    expected[0:2, 0:2] = 0.25
    assert_allclose(s, expected)
    # 150 m cells (not a multiple of 2): mass is kept where whole coarse cells fit
    s3 = score(MethodSpec("naive", cell_m=150), h)
    assert_allclose(s3[0:3, 0:3], np.full((3, 3), 1 / 9))
    assert s3.sum() == pytest.approx(1.0)


@pytest.mark.parametrize("kernel", KERNELS)
def test_kde_agrees_with_direct_sum(kernel: str, rng: np.random.Generator) -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_m=25.0, nx=60, ny=50, crs="EPSG:3006")
    x = rng.uniform(500, 1000, 40)
    y = rng.uniform(400, 800, 40)
    h = _hist(grid, x.tolist(), y.tolist())
    s = score(MethodSpec("kde", kernel=kernel, bandwidth_m=110.0), h)
    # the engine's FFT convolution of the same counts per cell
    counts = bin_nearest(x, y, grid)
    assert_allclose(
        s, np.maximum(convolve_same(counts, kernel_stencil(kernel, 110.0, 25.0)), 0), atol=1e-9
    )
    # and a direct kernel sum over the counts (an independent convolution)
    stencil = kernel_stencil(kernel, 110.0, 25.0)
    r = stencil.shape[0] // 2
    direct = np.zeros((50 + 2 * r, 60 + 2 * r))
    for i, j in zip(*np.nonzero(counts), strict=True):
        direct[i : i + 2 * r + 1, j : j + 2 * r + 1] += counts[i, j] * stencil
    assert_allclose(s, direct[r:-r, r:-r], atol=1e-9)
    assert s.sum() == pytest.approx(40.0, rel=1e-4)  # only gaussian tails leave the grid


def test_recency_weights_halve_at_the_half_life(grid: Grid) -> None:
    h = _hist(grid, [1010.0, 1010.0], [2390.0, 2390.0], age=[0.0, 30.0])
    assert h.counts(30.0)[0, 0] == pytest.approx(1.5)
    s = score(MethodSpec("recency_kde", kernel="quartic", bandwidth_m=50, half_life_days=30), h)
    assert s.sum() == pytest.approx(1.5)


def test_hybrid_is_counts_plus_weighted_kde(grid: Grid) -> None:
    h = _hist(grid, [1210.0, 1260.0, 1260.0], [2210.0, 2160.0, 2160.0])
    kde = score(MethodSpec("kde", kernel="quartic", bandwidth_m=120), h)
    hyb = score(MethodSpec("hybrid", kernel="quartic", bandwidth_m=120, weight=0.5), h)
    k0 = kernel_stencil("quartic", 120, 50).max()
    assert_allclose(hyb, h.counts() + 0.5 * kde / k0)


def test_density_per_km2() -> None:
    # 1 incident in a 50 m cell = 1 / 0.0025 km² = 400 per km²
    assert_allclose(density_per_km2(np.array([[1.0]]), 50.0), [[400.0]])


def test_method_spec_validation() -> None:
    with pytest.raises(InputSchemaError, match="not a method"):
        MethodSpec("magic")
    with pytest.raises(InputSchemaError, match="bandwidth"):
        MethodSpec("kde", kernel="quartic")
    with pytest.raises(InputSchemaError, match="half_life"):
        MethodSpec("recency_kde", kernel="quartic", bandwidth_m=100)
    with pytest.raises(InputSchemaError, match="weight"):
        MethodSpec("hybrid", kernel="quartic", bandwidth_m=100)
    assert MethodSpec("kde", kernel="gaussian", bandwidth_m=80).label() == "kde gaussian 80 m"
    assert MethodSpec("naive", cell_m=150).label() == "naive 150 m"


# --------------------------------------------------------------------------------------------
# fine: counts + kernel density on address-level cells
# --------------------------------------------------------------------------------------------


def _fine_brute_force(h: History, kernel: str, bandwidth_m: float, fine_m: float) -> np.ndarray:
    """The fine raster made in full (engine binning and convolution), summed per grid cell."""
    g = h.grid
    k = round(g.cell_m / fine_m)
    fine = Grid(x0=g.x0, y0=g.y0, cell_m=fine_m, nx=g.nx * k, ny=g.ny * k, crs=g.crs)
    counts = bin_points(h.x, h.y, fine)
    dens = convolve_same(counts, kernel_stencil(kernel, bandwidth_m, fine_m))
    return dens.reshape(g.ny, k, g.nx, k).sum(axis=(1, 3))


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
def test_fine_density_agrees_with_a_full_fine_raster(grid: Grid, kernel: str) -> None:
    rng = np.random.default_rng(3)
    h = _hist(grid, list(rng.uniform(1000, 1500, 60)), list(rng.uniform(2000, 2400, 60)))
    got = h.fine_smooth(kernel, 20.0, 10.0)
    assert_allclose(got, _fine_brute_force(h, kernel, 20.0, 10.0), atol=1e-9)


def test_fine_weight_zero_is_plain_counts_and_mass_is_kept(grid: Grid) -> None:
    h = _hist(grid, [1125.0, 1130.0, 1260.0], [2210.0, 2215.0, 2110.0])  # far from the edge
    spec0 = MethodSpec("fine", kernel="quartic", bandwidth_m=20.0, cell_m=10.0, weight=0.0)
    assert_allclose(score(spec0, h), h.counts())
    assert_allclose(h.fine_smooth("quartic", 20.0, 10.0).sum(), 3.0)


def test_fine_breaks_ties_by_incidents_just_across_a_cell_edge(grid: Grid) -> None:
    # one incident 5 m west of the edge x = 1150 (cell column 2 | 3), one at a cell centre
    h = _hist(grid, [1145.0, 1325.0], [2225.0, 2125.0])
    spec = MethodSpec("fine", kernel="quartic", bandwidth_m=20.0, cell_m=10.0, weight=0.25)
    s = score(spec, h)
    row_a, row_b = 3, 5  # rows of y = 2225 and y = 2125 (north-up, 50 m cells from y 2400)
    assert s[row_a, 3] > 0  # the edge incident reaches across the edge
    assert s[row_b, 6] > 0
    assert s[row_b, 5] == 0  # the centred one stays in its cell (support 20 m < 25 m)
    assert s[row_b, 7] == 0
    assert s[row_a, 2] > s[row_a, 3]  # its own cell stays first
    assert "fine counts + 0.25·kde quartic 20 m on 10 m cells" == spec.label()


def test_new_method_specs_validate() -> None:
    with pytest.raises(InputSchemaError, match="cell_m"):
        MethodSpec("fine", kernel="quartic", bandwidth_m=20.0, weight=0.5)
    with pytest.raises(InputSchemaError, match="segment_m"):
        MethodSpec("street")
    with pytest.raises(InputSchemaError, match="horizon_days"):
        MethodSpec("sepp", horizon_days=-1.0)
    assert MethodSpec("sepp", horizon_days=30.0).as_dict()["horizon_days"] == 30.0
