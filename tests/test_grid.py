from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from pyproj import CRS
from shapely.geometry import box

from hotspots.core.errors import CRSError, InputSchemaError
from hotspots.spatial.grid import MAX_CELLS, Grid, grid_for_bounds

CRS3006 = CRS.from_epsg(3006)


@pytest.fixture
def grid() -> Grid:
    # 3 columns x 2 rows of 10 m cells, lower-left corner (100, 200)
    return Grid(x0=100.0, y0=200.0, cell_m=10.0, nx=3, ny=2, crs=CRS3006)


def test_transform_is_north_up(grid: Grid) -> None:
    # upper-left corner of cell (col 0, row 0) is (x0, y0 + ny * cell) = (100, 220)
    assert grid.transform * (0, 0) == (100.0, 220.0)
    # lower-right corner of the grid
    assert grid.transform * (3, 2) == (130.0, 200.0)
    assert grid.shape == (2, 3)
    assert grid.bounds == (100.0, 200.0, 130.0, 220.0)
    assert grid.cell_area_km2 == pytest.approx(1e-4)


def test_centres_row_zero_is_north(grid: Grid) -> None:
    x, y = grid.centres()
    assert x.shape == (2, 3)
    assert_allclose(x[0], [105.0, 115.0, 125.0])
    assert_allclose(y[:, 0], [215.0, 205.0])


def test_index_of_points(grid: Grid) -> None:
    row, col, inside = grid.index(
        np.array([105.0, 125.0, 129.99, 99.0, 130.0]), np.array([215.0, 201.0, 219.0, 210.0, 200.0])
    )
    assert_array_equal(inside, [True, True, True, False, True])
    assert_array_equal(row[inside], [0, 1, 0, 1])
    assert_array_equal(col[inside], [0, 2, 2, 2])


def test_mask_takes_cells_whose_centre_is_inside(grid: Grid) -> None:
    # box covering x 100-112: only column 0 has its centre (105) inside
    mask = grid.mask(box(100.0, 200.0, 112.0, 220.0))
    assert_array_equal(mask, [[True, False, False], [True, False, False]])
    # a box over the northern half only
    mask = grid.mask(box(100.0, 211.0, 130.0, 220.0))
    assert_array_equal(mask, [[True, True, True], [False, False, False]])
    assert not grid.mask(None).any()


def test_grid_for_bounds_snaps_to_cells() -> None:
    g = grid_for_bounds((1003.0, 2001.0, 1051.0, 2019.0), cell_m=25.0, crs="EPSG:3006")
    # floor(1003/25)*25 = 1000, ceil((1051-1000)/25) = 3 columns; floor(2001/25)*25 = 2000
    assert (g.x0, g.y0, g.nx, g.ny) == (1000.0, 2000.0, 3, 1)
    g2 = grid_for_bounds((1003.0, 2001.0, 1051.0, 2019.0), cell_m=25.0, crs=3006, margin_m=25)
    assert (g2.x0, g2.y0, g2.nx, g2.ny) == (975.0, 1975.0, 5, 3)


def test_grid_refuses_too_many_cells_and_geographic_crs() -> None:
    side = (MAX_CELLS**0.5 + 10) * 1.0
    with pytest.raises(InputSchemaError, match="--cell-m"):
        grid_for_bounds((0, 0, side, side), cell_m=1.0, crs="EPSG:3006")
    with pytest.raises(CRSError, match="projected"):
        grid_for_bounds((0, 0, 1, 1), cell_m=0.1, crs="EPSG:4326")
    with pytest.raises(InputSchemaError):
        Grid(0.0, 0.0, 0.0, 1, 1, CRS3006)
