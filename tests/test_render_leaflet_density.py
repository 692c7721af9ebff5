"""The density overlay of :mod:`hotspots.render.leaflet.density`: metre-true in Web Mercator."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image
from pyproj import CRS, Transformer

from hotspots.render.leaflet.density import density_overlay
from hotspots.render.symbology import DensityClasses
from hotspots.spatial.grid import Grid


def test_density_overlay_is_metre_true() -> None:
    # one 100 m cell lit in a 10 x 10 grid: the image's lit pixels must lie at that cell's
    # corners once mapped back through Web Mercator to EPSG:3006
    crs = CRS.from_epsg(3006)
    grid = Grid(x0=413_000.0, y0=6_584_000.0, cell_m=100.0, nx=10, ny=10, crs=crs)
    values = np.zeros(grid.shape)
    values[3, 6] = 10.0  # row 3 from the north, column 6 from the west
    values[0, 0] = 5.0
    classes = DensityClasses((1.0, 8.0), ("#ffff00", "#ff0000"))
    out = density_overlay(values, grid, classes)
    assert out is not None
    png, bounds = out
    img = np.array(Image.open(io.BytesIO(png)))
    (s, w), (n, e) = bounds
    merc = Transformer.from_crs(4326, 3857, always_xy=True)
    (mw, me), (ms, mn) = merc.transform([w, e], [s, n])
    rows, cols = np.nonzero(img == 2)  # palette index 2 = second class (red)
    px_x = mw + (cols.mean() + 0.5) * (me - mw) / img.shape[1]
    px_y = mn - (rows.mean() + 0.5) * (mn - ms) / img.shape[0]
    back = Transformer.from_crs(3857, 3006, always_xy=True)
    x, y = back.transform(px_x, px_y)
    assert abs(x - (413_000.0 + 650.0)) < 15.0
    assert abs(y - (6_585_000.0 - 350.0)) < 15.0
    # the lit area is one cell: 100 m x 100 m, give or take a pixel
    merc_scale = 1 / np.cos(np.radians((s + n) / 2))
    px_m = (me - mw) / img.shape[1] / merc_scale
    assert abs(len(rows) * px_m * px_m - 100.0 * 100.0) < 0.25 * 100.0 * 100.0


def test_density_overlay_empty_is_none() -> None:
    grid = Grid(x0=0.0, y0=6_500_000.0, cell_m=50.0, nx=4, ny=4, crs=CRS.from_epsg(3006))
    classes = DensityClasses((1.0,), ("#ff0000",))
    assert density_overlay(np.zeros(grid.shape), grid, classes) is None
