"""The density surface as a metre-true image overlay: warped to Web Mercator, classed, PNG."""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
from affine import Affine
from matplotlib.colors import to_rgba
from PIL import Image
from pyproj import CRS, Transformer
from rasterio.warp import Resampling, calculate_default_transform, reproject

from hotspots.render.symbology import DensityClasses

__all__ = ["MAX_OVERLAY_PX", "density_overlay"]

#: Largest side of the density overlay image, pixels.
MAX_OVERLAY_PX = 1600


def _crop(values: np.ndarray, grid: Any, keep: np.ndarray) -> tuple[np.ndarray, Affine] | None:
    """The window of ``values`` holding every ``keep`` cell (plus one cell), and its transform."""
    rows = np.where(keep.any(axis=1))[0]
    cols = np.where(keep.any(axis=0))[0]
    if rows.size == 0:
        return None
    r0, r1 = max(0, rows[0] - 1), min(grid.ny, rows[-1] + 2)
    c0, c1 = max(0, cols[0] - 1), min(grid.nx, cols[-1] + 2)
    transform = grid.transform * Affine.translation(c0, r0)
    return values[r0:r1, c0:c1], transform


def density_overlay(
    values: np.ndarray,
    grid: Any,
    classes: DensityClasses,
    *,
    max_px: int = MAX_OVERLAY_PX,
) -> tuple[bytes, list[list[float]]] | None:
    """Warp a grid from the metric CRS to Web Mercator, class it and encode it as PNG.

    Leaflet stretches an image overlay linearly in Web Mercator between its corner
    coordinates, so the classed surface is resampled (nearest cell) onto a Mercator-aligned
    raster of about the cell size; each cell then sits where its metres say it is. Only the
    window holding drawn cells is encoded.

    Parameters
    ----------
    values
        Array of shape ``grid.shape`` (north-up), e.g. incidents per km²; NaN = not drawn.
    grid
        The :class:`hotspots.spatial.grid.Grid` of ``values``.
    classes
        Class breaks and colours; values below the first break are transparent.
    max_px
        Largest side of the image, pixels (coarser than the cells only for huge windows).

    Returns
    -------
    tuple or None
        PNG bytes (palette with transparency) and ``[[south, west], [north, east]]`` in
        degrees; ``None`` when no cell reaches the first class.
    """
    cls = classes.classify(values)
    window = _crop(cls, grid, cls >= 0)
    if window is None:
        return None
    src, src_transform = window
    ny, nx = src.shape
    x0, y1 = src_transform.c, src_transform.f
    bounds = (x0, y1 - ny * grid.cell_m, x0 + nx * grid.cell_m, y1)
    dst_crs = CRS.from_epsg(3857)
    transform, width, height = calculate_default_transform(grid.crs, dst_crs, nx, ny, *bounds)
    scale = max(width, height) / max_px
    if scale > 1:
        width, height = math.ceil(width / scale), math.ceil(height / scale)
        transform = Affine(
            transform.a * scale, 0.0, transform.c, 0.0, transform.e * scale, transform.f
        )
    dst = np.full((height, width), -1, dtype=np.int16)
    reproject(
        source=src.astype(np.int16),
        destination=dst,
        src_transform=src_transform,
        src_crs=grid.crs,
        src_nodata=-1,
        dst_transform=transform,
        dst_crs=dst_crs,
        dst_nodata=-1,
        resampling=Resampling.nearest,
    )
    image = Image.fromarray((dst + 1).astype(np.uint8), mode="P")
    palette = [0, 0, 0]
    for colour in classes.colours:
        palette.extend(round(255 * c) for c in to_rgba(colour)[:3])
    image.putpalette(palette)
    buf = io.BytesIO()
    image.save(buf, format="PNG", transparency=0)
    west, north = transform.c, transform.f
    east, south = west + width * transform.a, north + height * transform.e
    to_ll = Transformer.from_crs(dst_crs, 4326, always_xy=True)
    (w_lon, e_lon), (s_lat, n_lat) = to_ll.transform([west, east], [south, north])
    return buf.getvalue(), [[float(s_lat), float(w_lon)], [float(n_lat), float(e_lon)]]
