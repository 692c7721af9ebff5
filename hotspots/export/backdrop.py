"""The basemap under a PNG or PDF map page, fetched from the WMS or WMTS basemap.

The interactive map asks the basemap's server for tiles in the browser; a page made without a
browser (``snapshot --out map.pdf``) gets one image for its extent here (read by
:func:`hotspots.io.wmts.read_map_image`): a single GetMap
from a WMS, or the tiles of a WMTS tile matrix set stitched together. Both in the grid's CRS
(SWEREF 99 TM), which is the page's: nothing is warped. A basemap in Web Mercator is for the
interactive map only. A server that cannot be reached stops the export with one line, as the
district WFS does: no page claims a basemap it does not show.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from functools import partial

import numpy as np
from PIL import Image

from hotspots.core.errors import InputSchemaError
from hotspots.io.wmts import read_map_image
from hotspots.render.leaflet.basemap import Basemap, wms_image_url, wmts_tile_template
from hotspots.render.static_map import Backdrop, BackdropSource, Box

__all__ = ["MAX_TILES", "basemap_backdrop"]

#: Most WMTS tiles fetched for one page (a coarser matrix is taken beyond it).
MAX_TILES = 64
#: Seconds to wait for each answer of the server.
TIMEOUT_S = 20.0

Fetch = Callable[[str], bytes]


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGBA"))


def _wms(basemap: Basemap, fetch: Fetch, extent: Box, width_px: int) -> Backdrop:
    xmin, ymin, xmax, ymax = extent
    height_px = max(1, round(width_px * (ymax - ymin) / (xmax - xmin)))
    pixels = _pixels(fetch(wms_image_url(basemap, extent, (width_px, height_px))))
    return Backdrop(pixels=pixels, extent=extent, credit=basemap.attribution)


def _matrix_for(resolutions: tuple[float, ...], metres_per_px: float) -> int:
    """The coarsest matrix at least as fine as ``metres_per_px`` (else the finest)."""
    finer = [k for k, r in enumerate(resolutions) if r <= metres_per_px]
    return finer[0] if finer else len(resolutions) - 1


def _wmts(basemap: Basemap, fetch: Fetch, extent: Box, width_px: int) -> Backdrop:
    grid = basemap.grid
    assert grid is not None  # checked by basemap_backdrop
    xmin, ymin, xmax, ymax = extent
    k = _matrix_for(grid.resolutions, (xmax - xmin) / width_px)
    while True:
        side = grid.tile_px * grid.resolutions[k]
        cols = range(
            math.floor((xmin - grid.origin[0]) / side),
            math.floor((xmax - grid.origin[0]) / side) + 1,
        )
        rows = range(
            math.floor((grid.origin[1] - ymax) / side),
            math.floor((grid.origin[1] - ymin) / side) + 1,
        )
        if len(cols) * len(rows) <= MAX_TILES or k == 0:
            break
        k -= 1
    template = wmts_tile_template(basemap).replace("{z}", grid.matrix_ids[k])
    n = grid.tile_px
    canvas = np.zeros((len(rows) * n, len(cols) * n, 4), dtype=np.uint8)
    for i, row in enumerate(rows):
        for j, col in enumerate(cols):
            tile = _pixels(fetch(template.replace("{x}", str(col)).replace("{y}", str(row))))
            canvas[i * n : i * n + tile.shape[0], j * n : j * n + tile.shape[1]] = tile[:n, :n]
    stitched = (
        grid.origin[0] + cols.start * side,
        grid.origin[1] - rows.stop * side,
        grid.origin[0] + cols.stop * side,
        grid.origin[1] - rows.start * side,
    )
    return Backdrop(pixels=canvas, extent=stitched, credit=basemap.attribution)


def basemap_backdrop(
    basemap: Basemap, *, timeout_s: float = TIMEOUT_S, fetch: Fetch | None = None
) -> BackdropSource:
    """What draws ``basemap`` under a page: a function of the page's extent and width.

    Parameters
    ----------
    basemap
        A WMS or WMTS basemap with a tile grid in the page's CRS
        (:func:`hotspots.render.leaflet.basemap.parse_basemap`).
    timeout_s
        Seconds to wait for each answer.
    fetch
        Gets the bytes of a URL (default: an HTTP GET with ``timeout_s``).

    Raises
    ------
    InputSchemaError
        For a basemap in Web Mercator (no grid). The function returned raises
        :class:`~hotspots.core.errors.BasemapError` (:func:`hotspots.io.wmts.read_map_image`)
        for a server that cannot be reached or answers with no image, in one line.
    """
    if basemap.grid is None:
        msg = (
            f"basemap {basemap.host}: PNG and PDF pages are drawn in the data's CRS, and this "
            "basemap is in Web Mercator; give a WMTS tile matrix set in SWEREF 99 TM "
            "(#LAYER@SET with its grid) or --basemap-crs 3006 for a WMS, or draw the map as "
            "HTML"
        )
        raise InputSchemaError(msg)
    get = fetch or partial(read_map_image, timeout_s=timeout_s)
    made: dict[tuple[Box, int], Backdrop] = {}  # a report's maps of one extent: fetched once

    def draw(extent: Box, width_px: int) -> Backdrop:
        key = (tuple(float(v) for v in extent), width_px)
        if key not in made:
            if basemap.kind == "wms":
                made[key] = _wms(basemap, get, extent, width_px)
            else:
                made[key] = _wmts(basemap, get, extent, width_px)
        return made[key]

    return draw
