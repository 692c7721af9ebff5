"""The density surface as a metre-true image overlay: warped to the map's CRS, classed, PNG."""

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
    dst_crs: str = "EPSG:3857",
) -> tuple[bytes, list[list[float]]] | None:
    """Warp a grid from the metric CRS to the map's CRS, class it and encode it as PNG.

    Leaflet stretches an image overlay linearly in the map's projected CRS between the
    overlay's north-west and south-east corners, so the classed surface is resampled
    (nearest cell) onto a raster aligned with that CRS of about the cell size; each cell
    then sits where its metres say it is. In a map in the grid's own CRS (a SWEREF 99 TM
    basemap over a SWEREF 99 TM analysis) the cells are the pixels, not resampled. Only the
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
    dst_crs
        The map's CRS: ``"EPSG:3857"`` (Web Mercator, the default) or a basemap's tile grid
        CRS (:func:`hotspots.render.leaflet.basemap.map_crs`).

    Returns
    -------
    tuple or None
        PNG bytes (palette with transparency) and ``[[lat, lon], [lat, lon]]`` of the
        image's south-east corner's latitude with its north-west corner's longitude, and
        the north-west corner's latitude with the south-east corner's longitude, in degrees:
        a Leaflet bounds whose north-west and south-east are the image's corners (in Web
        Mercator ``[[south, west], [north, east]]``); ``None`` when no cell reaches the
        first class.
    """
    cls = classes.classify(values)
    window = _crop(cls, grid, cls >= 0)
    if window is None:
        return None
    src, src_transform = window
    ny, nx = src.shape
    target = CRS.from_user_input(dst_crs)
    if CRS.from_user_input(grid.crs).equals(target) and max(nx, ny) <= max_px:
        dst = src.astype(np.int16)
        transform = src_transform
        height, width = ny, nx
    else:
        x0, y1 = src_transform.c, src_transform.f
        bounds = (x0, y1 - ny * grid.cell_m, x0 + nx * grid.cell_m, y1)
        transform, width, height = calculate_default_transform(grid.crs, target, nx, ny, *bounds)
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
            dst_crs=target,
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
    to_ll = Transformer.from_crs(target, 4326, always_xy=True)
    (nw_lon, se_lon), (nw_lat, se_lat) = to_ll.transform([west, east], [north, south])
    return buf.getvalue(), [[float(se_lat), float(nw_lon)], [float(nw_lat), float(se_lon)]]
