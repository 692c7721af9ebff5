"""The raster grid in the metric working CRS, and rasterising geometries onto it.

Convention (used by every array of the analysis and by the GeoTIFF export): arrays have shape
``(ny, nx)`` and are **north-up**, i.e. row 0 is the northernmost row and column 0 the
westernmost column, as in rasterio and GDAL. The cell at ``[row, col]`` covers

    x in [x0 + col * cell_m, x0 + (col + 1) * cell_m)
    y in [y_top - (row + 1) * cell_m, y_top - row * cell_m)    with y_top = y0 + ny * cell_m

where ``(x0, y0)`` is the lower-left (south-west) corner of the grid, in metres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from affine import Affine
from pyproj import CRS
from rasterio.features import rasterize
from shapely.geometry.base import BaseGeometry

from hotspots.core.errors import InputSchemaError
from hotspots.spatial.crs import check_metric

__all__ = ["MAX_CELLS", "Grid", "grid_for_bounds"]

#: Largest grid the analysis accepts (about 8000 x 8000 cells); larger needs bigger cells.
MAX_CELLS = 64_000_000


@dataclass(frozen=True, slots=True)
class Grid:
    """A north-up raster grid of square cells in a projected metric CRS.

    Attributes
    ----------
    x0, y0
        Lower-left (south-west) corner of the grid, metres in ``crs``.
    cell_m
        Side of a cell, metres.
    nx, ny
        Number of columns (west to east) and rows (north to south).
    crs
        The projected metric CRS, e.g. EPSG:3006.
    """

    x0: float
    y0: float
    cell_m: float
    nx: int
    ny: int
    crs: CRS

    def __post_init__(self) -> None:
        if not self.cell_m > 0:
            msg = f"cell_m must be positive (got {self.cell_m})"
            raise InputSchemaError(msg)
        if self.nx < 1 or self.ny < 1:
            msg = f"a grid needs at least one cell (got nx={self.nx}, ny={self.ny})"
            raise InputSchemaError(msg)

    @property
    def shape(self) -> tuple[int, int]:
        """``(ny, nx)``: the shape of every array on this grid."""
        return (self.ny, self.nx)

    @property
    def x1(self) -> float:
        """Eastern edge, metres."""
        return self.x0 + self.nx * self.cell_m

    @property
    def y1(self) -> float:
        """Northern edge, metres."""
        return self.y0 + self.ny * self.cell_m

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(minx, miny, maxx, maxy)`` in metres."""
        return (self.x0, self.y0, self.x1, self.y1)

    @property
    def cell_area_km2(self) -> float:
        """Area of one cell in km²."""
        return (self.cell_m / 1000.0) ** 2

    @property
    def transform(self) -> Affine:
        """Rasterio/GDAL affine transform: (col, row) -> (x, y) of the cell's upper-left corner."""
        return Affine(self.cell_m, 0.0, self.x0, 0.0, -self.cell_m, self.y1)

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell centres as two ``(ny, nx)`` arrays ``(x, y)`` in metres."""
        xs, ys = self.centre_axes()
        return np.meshgrid(xs, ys)

    def centre_axes(self) -> tuple[np.ndarray, np.ndarray]:
        """Centre x of each column (west to east) and centre y of each row (north to south)."""
        xs = self.x0 + (np.arange(self.nx) + 0.5) * self.cell_m
        ys = self.y1 - (np.arange(self.ny) + 0.5) * self.cell_m
        return xs, ys

    def index(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cell ``(row, col)`` of points, and whether each point lies on the grid.

        Parameters
        ----------
        x, y
            Coordinates in metres, in ``crs``.

        Returns
        -------
        row, col, inside
            Integer row and column (clipped to the grid) and a boolean mask of the points
            inside the grid. Points on the east or north edge belong to the last cell.
        """
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        fc = (x - self.x0) / self.cell_m
        fr = (self.y1 - y) / self.cell_m
        inside = (fc >= 0) & (fc <= self.nx) & (fr >= 0) & (fr <= self.ny) & np.isfinite(fc)
        inside &= np.isfinite(fr)
        col = np.clip(np.floor(np.nan_to_num(fc)), 0, self.nx - 1).astype(np.int64)
        row = np.clip(np.floor(np.nan_to_num(fr)), 0, self.ny - 1).astype(np.int64)
        return row, col, inside

    def mask(self, geometry: BaseGeometry | None, *, all_touched: bool = False) -> np.ndarray:
        """Boolean ``(ny, nx)`` mask of the cells whose centre lies in ``geometry``.

        Parameters
        ----------
        geometry
            A shapely (multi)polygon in ``crs``; ``None`` or empty gives an all-False mask.
        all_touched
            Also take every cell the geometry touches (rasterio's ``all_touched``).
        """
        if geometry is None or geometry.is_empty:
            return np.zeros(self.shape, dtype=bool)
        out = rasterize(
            [(geometry, 1)],
            out_shape=self.shape,
            transform=self.transform,
            fill=0,
            all_touched=all_touched,
            dtype="uint8",
        )
        return out.astype(bool)

    def cell_polygon_bounds(self, row: int, col: int) -> tuple[float, float, float, float]:
        """``(minx, miny, maxx, maxy)`` of one cell, metres."""
        minx = self.x0 + col * self.cell_m
        maxy = self.y1 - row * self.cell_m
        return (minx, maxy - self.cell_m, minx + self.cell_m, maxy)


def grid_for_bounds(
    bounds: tuple[float, float, float, float],
    *,
    cell_m: float,
    crs: object,
    margin_m: float = 0.0,
) -> Grid:
    """A grid covering ``bounds`` plus ``margin_m`` on each side, snapped to multiples of cell_m.

    Parameters
    ----------
    bounds
        ``(minx, miny, maxx, maxy)`` in metres.
    cell_m
        Cell side in metres.
    crs
        Projected metric CRS of the bounds.
    margin_m
        Extra border in metres on every side.

    Raises
    ------
    InputSchemaError
        When the grid would exceed :data:`MAX_CELLS`.
    """
    parsed = check_metric(crs, argument="metric_crs")
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        msg = f"cannot build a grid over non-finite bounds {bounds}"
        raise InputSchemaError(msg)
    x0 = math.floor((minx - margin_m) / cell_m) * cell_m
    y0 = math.floor((miny - margin_m) / cell_m) * cell_m
    nx = max(1, math.ceil((maxx + margin_m - x0) / cell_m))
    ny = max(1, math.ceil((maxy + margin_m - y0) / cell_m))
    if nx * ny > MAX_CELLS:
        msg = (
            f"--cell-m: a {cell_m:g} m grid over this area needs {nx} x {ny} cells "
            f"(limit {MAX_CELLS:,}); use larger cells or a smaller area"
        )
        raise InputSchemaError(msg)
    return Grid(x0=x0, y0=y0, cell_m=float(cell_m), nx=int(nx), ny=int(ny), crs=parsed)
