"""``--basemap``, ``--basemap-crs`` and ``--basemap-grid``: the basemap, resolved once per command.

A WMTS basemap in a tile matrix set that is not Web Mercator (Lantmäteriet's topographic web
map in ``3006``) needs the set's grid; this module reads it from the server's capabilities
(or a saved file, or takes it as given) before the map is built, and hands the map the grid
as a setting (``crs=EPSG:3006 origin=... resolutions=...``), so neither the snapshot nor the
app asks the server for anything but tiles. A WMS basemap in EPSG:3006 gets the SWEREF 99
TM grid of Lantmäteriet's ``3006`` set unless another is given.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hotspots.core.errors import InputSchemaError

__all__ = ["page_backdrop", "resolve_basemap"]

_AUTO = ("", "auto", "none")


def _grid_source(value: str) -> bool:
    """Whether a ``--basemap-grid`` value names capabilities (a URL or a file), not numbers."""
    if value.startswith(("http://", "https://")):
        return True
    if "=" in value:
        return False
    return value.lower().endswith(".xml") or Path(value).expanduser().is_file()


def resolve_basemap(basemap: str | None, *, crs: str | None, grid: str | None) -> tuple[str, str]:
    """The basemap and its tile grid as the map takes them (``MapOptions``, the app's env).

    Parameters
    ----------
    basemap
        ``--basemap``; ``None`` reads ``HOTSPOTS_BASEMAP``.
    crs
        ``--basemap-crs``: ``auto`` (Web Mercator, unless the WMTS set is in another CRS),
        ``3857`` or ``3006`` (any projected EPSG code); ``None`` reads
        ``HOTSPOTS_BASEMAP_CRS``.
    grid
        ``--basemap-grid``: ``auto`` (the WMTS server's capabilities when its set is not Web
        Mercator; the ``lantmateriet-3006`` grid for a WMS in EPSG:3006), a capabilities URL
        or file, ``crs=.. origin=.. resolutions=..`` or a preset; ``None`` reads
        ``HOTSPOTS_BASEMAP_GRID``.

    Returns
    -------
    tuple of str
        The basemap setting (``none`` for none) and the grid setting (empty for Web
        Mercator).

    Raises
    ------
    InputSchemaError
        For a malformed setting, capabilities that cannot be read or lack the set or the
        layer, a set the map cannot draw, or a set or grid in another CRS than ``crs``.
    """
    from hotspots.io.wmts import (  # noqa: PLC0415 - loaded when used, so --help stays fast
        capabilities_url,
        read_capabilities,
        tile_grid_from_capabilities,
    )
    from hotspots.render.leaflet.basemap import (  # noqa: PLC0415 - loaded when used
        basemap_spec,
        is_web_mercator_set,
        parse_basemap,
    )
    from hotspots.spatial.tile_grid import (  # noqa: PLC0415 - loaded when used
        LANTMATERIET_3006,
        crs_code,
        parse_tile_grid,
    )

    value = basemap if basemap is not None else os.environ.get("HOTSPOTS_BASEMAP", "none")
    crs_value = (crs if crs is not None else os.environ.get("HOTSPOTS_BASEMAP_CRS", "")).strip()
    grid_value = (grid if grid is not None else os.environ.get("HOTSPOTS_BASEMAP_GRID", "")).strip()
    spec = basemap_spec(value)
    if spec is None:
        if crs_value.lower() not in _AUTO or grid_value.lower() not in _AUTO:
            msg = "--basemap-crs and --basemap-grid need a basemap (--basemap wms:... or wmts:...)"
            raise InputSchemaError(msg)
        return "none", ""
    want = None if crs_value.lower() in _AUTO else crs_code(crs_value)
    label = f"--basemap-crs {crs_value}"
    if spec.kind == "wmts" and is_web_mercator_set(spec.matrix_set):
        if want not in (None, "EPSG:3857"):
            msg = (
                f"{label}: tile matrix set {spec.matrix_set!r} is Web Mercator; give the "
                f"server's {want} set after @ (wmts:URL#LAYER@SET; Lantmäteriet's is 3006)"
            )
            raise InputSchemaError(msg)
        if grid_value.lower() not in _AUTO:
            msg = f"--basemap-grid: tile matrix set {spec.matrix_set!r} is Web Mercator, no grid"
            raise InputSchemaError(msg)
        parse_basemap(value, "")
        return value, ""
    if want == "EPSG:3857":
        what = f"tile matrix set {spec.matrix_set!r}" if spec.kind == "wmts" else "a WMS"
        if spec.kind == "wmts" or grid_value.lower() not in _AUTO:
            msg = f"{label}: {what} with a tile grid is not Web Mercator; leave out the grid"
            raise InputSchemaError(msg)
        parse_basemap(value, "")
        return value, ""
    if spec.kind == "wms":
        if grid_value.lower() in _AUTO:
            if want is None:
                parse_basemap(value, "")
                return value, ""
            if want != LANTMATERIET_3006.crs:
                msg = f"{label}: a WMS in {want} needs its grid (--basemap-grid crs=... ...)"
                raise InputSchemaError(msg)
            tile_grid = LANTMATERIET_3006
        elif _grid_source(grid_value):
            msg = (
                "--basemap-grid: a WMS has no tile matrix sets; give the grid as crs=... "
                "origin=... resolutions=... or lantmateriet-3006"
            )
            raise InputSchemaError(msg)
        else:
            tile_grid = parse_tile_grid(grid_value)
    elif grid_value.lower() in _AUTO:
        source = capabilities_url(spec.url)
        if source is None:
            msg = (
                f"basemap: tile matrix set {spec.matrix_set!r} is not Web Mercator and where "
                "the server's capabilities are cannot be told from the URL; give them with "
                "--basemap-grid URL|FILE, or the grid as crs=... origin=... resolutions=..."
            )
            raise InputSchemaError(msg)
        tile_grid = tile_grid_from_capabilities(
            read_capabilities(source), spec.matrix_set, layer=spec.layer, source=source
        )
    elif _grid_source(grid_value):
        tile_grid = tile_grid_from_capabilities(
            read_capabilities(grid_value), spec.matrix_set, layer=spec.layer, source=grid_value
        )
    else:
        tile_grid = parse_tile_grid(grid_value)
    if want is not None and tile_grid.crs != want:
        what = f"tile matrix set {spec.matrix_set!r}" if spec.kind == "wmts" else "the grid"
        msg = f"{label}: {what} is in {tile_grid.crs}, not {want}"
        raise InputSchemaError(msg)
    setting = tile_grid.to_setting()
    parse_basemap(value, setting)  # the map accepts what is handed to it
    return value, setting


def page_backdrop(setting: str, grid: str) -> Any:
    """What draws the basemap under a PNG or PDF page, or ``None`` for no basemap.

    ``setting`` and ``grid`` as :func:`resolve_basemap` returns them. Checked before any data
    are read: a Web Mercator basemap stops the command here (a page is in the data's CRS).
    """
    from hotspots.export.backdrop import basemap_backdrop  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.render.leaflet.basemap import parse_basemap  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    chosen = parse_basemap(setting, grid)
    return basemap_backdrop(chosen) if chosen is not None else None
