"""A basemap from the organisation's own WMS or WMTS server (optional; the map is offline without).

``--basemap`` / ``HOTSPOTS_BASEMAP`` takes:

``none`` (the default)
    No basemap: the geography (land, water, streets, buildings) is the map.
``wms:URL#LAYER`` (``#LAYER1,LAYER2`` for several)
    A WMS server's GetMap through Leaflet's own ``L.tileLayer.wms``: in Web Mercator
    (EPSG:3857, WMS 1.3.0), or in the CRS of a tile grid (below; WMS 1.1.1, whose ``BBOX`` is
    easting, northing in every CRS). PNG, 256-pixel tiles (:func:`wms_getmap_url` is the
    request of one tile).
``wmts:URL#LAYER`` or ``wmts:URL#LAYER@MATRIXSET``
    A WMTS server's tiles. ``URL`` is the service's KVP endpoint, or a RESTful template
    holding ``{TileMatrix}``, ``{TileRow}`` and ``{TileCol}`` (and optionally ``{Layer}``,
    ``{Style}``, ``{TileMatrixSet}``) as in the capabilities' ``ResourceURL``
    (:func:`wmts_tile_template`). A Web Mercator set (``GoogleMapsCompatible`` by default;
    GeoWebCache's ``EPSG:3857``/``EPSG:900913`` sets, whose matrices are named
    ``EPSG:3857:<zoom>``, are understood) needs nothing more; any other set needs its tile
    grid.

The tile grid (``--basemap-grid`` / ``HOTSPOTS_BASEMAP_GRID``, a
:class:`~hotspots.spatial.tile_grid.TileGrid` setting: ``crs=3006 origin=.. resolutions=..``
or ``lantmateriet-3006``) makes the whole map a map in its CRS, e.g. SWEREF 99 TM
(EPSG:3006) for Lantmäteriet's topographic web map in its ``3006`` set: Leaflet gets a
Proj4Leaflet CRS (:func:`map_crs_script`) with the grid's origin and resolutions, and the
tiles are asked for by matrix identifier, row and column. Every overlay is still given in
latitude and longitude and projected by proj4js in the browser; the density raster is warped
to the map's CRS (:func:`hotspots.render.leaflet.density.density_overlay`). The ``hotspots``
command reads the grid from the server's capabilities (:mod:`hotspots.io.wmts`) before the
map is built, so building a map never asks the server.

The tiles are requested by the reader's browser from that server: nothing is sent to any
other machine, and the map's own layers stay offline.
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass, replace
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import folium
from folium.map import Layer
from jinja2 import Template

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import Lang, t
from hotspots.render.leaflet.escape import escape_html
from hotspots.spatial.tile_grid import TileGrid, parse_tile_grid, proj4_definition

__all__ = [
    "WEB_MERCATOR_SETS",
    "Basemap",
    "GridTileLayer",
    "add_basemap",
    "basemap_spec",
    "is_web_mercator_set",
    "map_crs",
    "map_crs_script",
    "parse_basemap",
    "wms_getmap_url",
    "wms_image_url",
    "wmts_tile_template",
]

#: Names of WMTS tile matrix sets in Web Mercator (compared case-insensitively).
WEB_MERCATOR_SETS: tuple[str, ...] = (
    "GoogleMapsCompatible",
    "EPSG:3857",
    "EPSG:900913",
    "3857",
    "900913",
    "WebMercatorQuad",
    "GLOBAL_WEBMERCATOR",
    "google3857",
)
#: Half the side of the Web Mercator square, metres.
_HALF_WORLD_M = math.pi * 6378137.0
_TILE_PX = 256
_WMS_VERSION = "1.3.0"
#: WMS version in a tile grid's CRS: 1.1.1 keeps easting, northing in ``BBOX`` for every CRS
#: (1.3.0 would follow the EPSG axis order, northing first for EPSG:3006).
_WMS_GRID_VERSION = "1.1.1"
_FORMAT = "image/png"
_REST_KEYS = ("TileMatrix", "TileRow", "TileCol", "Layer", "Style", "TileMatrixSet")


@dataclass(frozen=True, slots=True)
class Basemap:
    """A basemap from a WMS or WMTS server.

    Attributes
    ----------
    kind
        ``"wms"`` or ``"wmts"``.
    url
        The service's URL as given.
    layer
        The layer(s) to draw (WMS: comma-separated).
    matrix_set
        The WMTS tile matrix set (empty for WMS).
    grid
        The tile grid of a basemap in a projected CRS (the map is then in that CRS);
        ``None`` for Web Mercator.
    """

    kind: Literal["wms", "wmts"]
    url: str
    layer: str
    matrix_set: str = ""
    grid: TileGrid | None = None

    @property
    def host(self) -> str:
        """The server's host name."""
        return urlsplit(self.url).hostname or self.url

    @property
    def attribution(self) -> str:
        """Whom the map credits for the basemap (Lantmäteriet for its servers, else the host)."""
        if self.host.endswith("lantmateriet.se"):
            return "© Lantmäteriet"
        return self.host


def _grid_setting(grid: str | None) -> TileGrid | None:
    """The tile grid of ``grid`` (``None`` reads ``HOTSPOTS_BASEMAP_GRID``), or ``None``."""
    value = grid if grid is not None else os.environ.get("HOTSPOTS_BASEMAP_GRID", "")
    v = value.strip()
    if v.lower() in ("", "none", "auto", "off"):
        return None
    if v.startswith(("http://", "https://")) or v.lower().endswith(".xml"):
        msg = (
            f"basemap grid {v!r}: capabilities are read by the hotspots command (app, "
            "snapshot: --basemap-grid), which passes the grid on as crs=... origin=... "
            "resolutions=...; give that here"
        )
        raise InputSchemaError(msg)
    return parse_tile_grid(v)


def is_web_mercator_set(matrix_set: str) -> bool:
    """Whether a WMTS tile matrix set's name is one of :data:`WEB_MERCATOR_SETS` (any case)."""
    return matrix_set.casefold() in {s.casefold() for s in WEB_MERCATOR_SETS}


def basemap_spec(setting: str | None = None) -> Basemap | None:
    """The basemap ``setting`` names (``None`` reads ``HOTSPOTS_BASEMAP``), without its grid.

    Only the form is checked (and a RESTful template's keys); :func:`parse_basemap` also
    checks that the tile matrix set fits the grid.

    Raises
    ------
    InputSchemaError
        For a value that is not ``none``, ``wms:URL#LAYER`` or ``wmts:URL#LAYER[@SET]``.
    """
    value = setting if setting is not None else os.environ.get("HOTSPOTS_BASEMAP", "none")
    v = value.strip()
    if v.lower() in ("", "none", "off", "offline"):
        return None
    kind, sep, rest = v.partition(":")
    kind = kind.lower()
    url, hash_, layer = rest.rpartition("#")
    if (
        not sep
        or kind not in ("wms", "wmts")
        or not hash_
        or not url.startswith(("http://", "https://"))
        or not layer.strip()
    ):
        msg = (
            f"basemap / HOTSPOTS_BASEMAP: {value!r} is not none, wms:URL#LAYER or "
            "wmts:URL#LAYER[@TILEMATRIXSET], e.g. wms:https://kartor.example.se/wms#topo"
        )
        raise InputSchemaError(msg)
    if kind == "wms":
        return Basemap("wms", url, layer.strip())
    name, _, matrix_set = layer.partition("@")
    basemap = Basemap("wmts", url, name.strip(), matrix_set.strip() or "GoogleMapsCompatible")
    wmts_tile_template(basemap)  # a bad template fails here, not in the browser
    return basemap


def parse_basemap(setting: str | None = None, grid: str | None = None) -> Basemap | None:
    """The basemap of ``setting`` (``None`` reads ``HOTSPOTS_BASEMAP``), or ``None`` for none.

    Parameters
    ----------
    setting
        ``none``, ``wms:URL#LAYER`` or ``wmts:URL#LAYER[@SET]``.
    grid
        The tile grid of a basemap in a projected CRS (``crs=.. origin=.. resolutions=..``
        or a preset, :func:`~hotspots.spatial.tile_grid.parse_tile_grid`); ``None`` reads
        ``HOTSPOTS_BASEMAP_GRID``; empty, ``none`` or ``auto`` for none (Web Mercator).

    Raises
    ------
    InputSchemaError
        For a value that is not ``none``, ``wms:URL#LAYER`` or ``wmts:URL#LAYER[@SET]``, for
        a WMTS tile matrix set that is not in Web Mercator when no grid is given, and for a
        grid given with a Web Mercator set.
    """
    spec = basemap_spec(setting)
    if spec is None:
        return None
    tile_grid = _grid_setting(grid)
    if spec.kind == "wms":
        return replace(spec, grid=tile_grid)
    mercator = is_web_mercator_set(spec.matrix_set)
    if mercator and tile_grid is not None:
        msg = (
            f"basemap: tile matrix set {spec.matrix_set!r} is Web Mercator, but a grid in "
            f"{tile_grid.crs} was given (--basemap-grid / HOTSPOTS_BASEMAP_GRID); give the "
            f"server's {tile_grid.crs} set after @, or no grid"
        )
        raise InputSchemaError(msg)
    if not mercator and tile_grid is None:
        msg = (
            f"basemap: tile matrix set {spec.matrix_set!r} is not in Web Mercator; the map "
            "needs its tile grid: --basemap-grid (the server's WMTS capabilities, read by "
            "default, a saved capabilities file, or crs=3006 origin=X,Y resolutions=R1,R2,...), "
            f"or a Web Mercator set ({', '.join(WEB_MERCATOR_SETS[:3])} and the like)"
        )
        raise InputSchemaError(msg)
    return replace(spec, grid=tile_grid)


def map_crs(basemap: Basemap | None) -> str:
    """The CRS of a map with ``basemap``: its grid's (``"EPSG:3006"``), else ``"EPSG:3857"``."""
    return basemap.grid.crs if basemap is not None and basemap.grid is not None else "EPSG:3857"


def map_crs_script(grid: TileGrid) -> str:
    """JavaScript making the Leaflet CRS of a map in ``grid`` (Proj4Leaflet, ``L.Proj.CRS``).

    Zoom ``z`` has ``grid.map_resolutions()[z]`` metres per pixel; pixel ``(0, 0)`` of every
    zoom is the grid's origin, so Leaflet's tile ``(x, y)`` at a zoom of a matrix is that
    matrix's ``TileCol``, ``TileRow``; the grid's extent bounds the tiles asked for.
    """
    options: dict[str, Any] = {
        "resolutions": list(grid.map_resolutions()),
        "origin": list(grid.origin),
    }
    body = json.dumps(options)[:-1]
    if grid.extent is not None:
        xmin, ymin, xmax, ymax = grid.extent
        body += f', "bounds": L.bounds({json.dumps([xmin, ymin])}, {json.dumps([xmax, ymax])})'
    return (
        f"new L.Proj.CRS({json.dumps(grid.crs)}, {json.dumps(proj4_definition(grid.crs))}, "
        f"{body}}})"
    )


def _matrix(basemap: Basemap) -> str:
    """The TileMatrix identifier template: ``{z}``, or ``EPSG:3857:{z}`` for GeoWebCache sets.

    In a tile grid ``{z}`` stands for the matrix's identifier (:class:`GridTileLayer`).
    """
    if basemap.grid is None and basemap.matrix_set.upper().startswith("EPSG:"):
        return f"{basemap.matrix_set}:{{z}}"
    return "{z}"


def wmts_tile_template(basemap: Basemap) -> str:
    """The ``{z}/{x}/{y}`` URL template of a WMTS basemap, as Leaflet's tile layer takes it.

    A KVP endpoint gets ``SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=..&STYLE=default
    &TILEMATRIXSET=..&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=image/png``; a RESTful
    template has its ``{TileMatrix}``, ``{TileRow}`` and ``{TileCol}`` replaced by ``{z}``,
    ``{y}`` and ``{x}``.

    Raises
    ------
    InputSchemaError
        A RESTful template with another ``{...}`` key, or without the tile's row or column.
    """
    url = basemap.url
    if "{" not in url:
        params = {
            "SERVICE": "WMTS",
            "REQUEST": "GetTile",
            "VERSION": "1.0.0",
            "LAYER": basemap.layer,
            "STYLE": "default",
            "TILEMATRIXSET": basemap.matrix_set,
            "TILEMATRIX": _matrix(basemap),
            "TILEROW": "{y}",
            "TILECOL": "{x}",
            "FORMAT": _FORMAT,
        }
        query = "&".join(f"{k}={quote(v, safe='{}:')}" for k, v in params.items())
        return f"{url}{'&' if '?' in url else '?'}{query}"
    keys = set(re.findall(r"\{([^{}]*)\}", url))
    plain = {k for k in keys if k.casefold() in {r.casefold() for r in _REST_KEYS}}
    short = {k for k in keys if k in ("z", "x", "y")}
    other = keys - plain - short
    has_row = any(k.casefold() == "tilerow" for k in plain) or "y" in short
    has_col = any(k.casefold() == "tilecol" for k in plain) or "x" in short
    if other or not (has_row and has_col):
        msg = (
            f"basemap: WMTS template {url!r} must hold {{TileMatrix}}, {{TileRow}} and "
            f"{{TileCol}} (found {', '.join(sorted(keys)) or 'none'})"
        )
        raise InputSchemaError(msg)
    values = {
        "tilematrix": _matrix(basemap),
        "tilerow": "{y}",
        "tilecol": "{x}",
        "layer": quote(basemap.layer, safe=""),
        "style": "default",
        "tilematrixset": quote(basemap.matrix_set, safe=":"),
    }
    return re.sub(r"\{([^{}]*)\}", lambda m: values.get(m.group(1).casefold(), m.group(0)), url)


def _wms_params(basemap: Basemap) -> dict[str, str]:
    """The WMS parameters Leaflet sends with every tile, in its order (uppercase keys)."""
    grid = basemap.grid
    version = _WMS_VERSION if grid is None else _WMS_GRID_VERSION
    return {
        "SERVICE": "WMS",
        "REQUEST": "GetMap",
        "LAYERS": basemap.layer,
        "STYLES": "",
        "FORMAT": _FORMAT,
        "TRANSPARENT": "false",
        "VERSION": version,
        "WIDTH": str(_TILE_PX),
        "HEIGHT": str(_TILE_PX),
        ("CRS" if grid is None else "SRS"): "EPSG:3857" if grid is None else grid.crs,
    }


def wms_getmap_url(basemap: Basemap, z: int, x: int, y: int) -> str:
    """The GetMap request the map makes for its tile ``z/x/y`` of a WMS basemap.

    What Leaflet's ``L.tileLayer.wms`` builds: the parameters of :func:`_wms_params` and the
    tile's bounds as ``BBOX=xmin,ymin,xmax,ymax`` in metres (east-north order): of the Web
    Mercator tile, or of the map's tile in the grid's CRS (the side is 256 pixels of
    ``grid.map_resolutions()[z]`` metres, from the grid's origin).
    """
    if basemap.grid is None:
        side = 2 * _HALF_WORLD_M / 2**z
        x0 = -_HALF_WORLD_M + x * side
        y1 = _HALF_WORLD_M - y * side
    else:
        side = _TILE_PX * basemap.grid.map_resolutions()[z]
        x0 = basemap.grid.origin[0] + x * side
        y1 = basemap.grid.origin[1] - y * side
    bbox = ",".join(repr(v) for v in (x0, y1 - side, x0 + side, y1))
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in _wms_params(basemap).items())
    sep = "&" if "?" in basemap.url else "?"
    return f"{basemap.url}{sep}{query}&BBOX={bbox}"


def wms_image_url(
    basemap: Basemap, box: tuple[float, float, float, float], size: tuple[int, int]
) -> str:
    """One GetMap request for ``box`` (metres in the grid's CRS) at ``size`` (width, height px).

    The parameters of the map's tiles (:func:`_wms_params`) with the page's own box and size:
    what a PNG or PDF page draws under its map (:mod:`hotspots.export.backdrop`).
    """
    params = {**_wms_params(basemap), "WIDTH": str(size[0]), "HEIGHT": str(size[1])}
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
    sep = "&" if "?" in basemap.url else "?"
    return f"{basemap.url}{sep}{query}&BBOX={','.join(repr(float(v)) for v in box)}"


class GridTileLayer(Layer):
    """A WMTS basemap in a tile grid: tile ``(x, y)`` of map zoom ``z`` is matrix ``z - offset``.

    The map's CRS is the grid's (:func:`map_crs_script`), so Leaflet's tile column and row
    are the matrix's; the URL gets the matrix's identifier for ``{z}``. Below the first
    matrix its tiles are shrunk, beyond the last enlarged (Leaflet's native zooms).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var ids = {{ this.ids|tojson }}, first = {{ this.first }};
            var layer = L.tileLayer({{ this.url|tojson }}, {
                tileSize: {{ this.tile_px }}, minZoom: 0, maxZoom: {{ this.max_zoom }},
                minNativeZoom: first, maxNativeZoom: {{ this.last }},
                attribution: {{ this.attribution|tojson }}});
            layer.getTileUrl = function (c) {
                var id = encodeURIComponent(ids[c.z - first]).replace(/%3A/gi, ':');
                return L.Util.template(this._url, {z: id, x: c.x, y: c.y});
            };
            return layer;
        })();
        {% endmacro %}
        """
    )

    def __init__(self, basemap: Basemap, *, name: str, attribution: str) -> None:
        super().__init__(name=name, overlay=False, control=False, show=True)
        self._name = "GridTileLayer"
        grid = basemap.grid
        if grid is None:
            msg = "GridTileLayer needs a basemap with a tile grid"
            raise InputSchemaError(msg)
        self.url = wmts_tile_template(basemap)
        self.ids = list(grid.matrix_ids)
        self.first, self.last = grid.native_zooms()
        self.tile_px = grid.tile_px
        self.max_zoom = 19
        self.attribution = attribution


def add_basemap(m: Any, basemap: Basemap, *, lang: Lang) -> None:
    """Add ``basemap`` to the folium map ``m`` as its base layer (not in the layer control).

    A basemap with a tile grid needs ``m`` in the grid's CRS (:func:`map_crs_script`).
    """
    name = escape_html(t("layer_wms_basemap", lang, name=basemap.layer))
    attribution = escape_html(basemap.attribution)
    if basemap.kind == "wms":
        folium.raster_layers.WmsTileLayer(
            url=basemap.url,
            layers=basemap.layer,
            styles="",
            fmt=_FORMAT,
            transparent=False,
            version=_WMS_VERSION if basemap.grid is None else _WMS_GRID_VERSION,
            attr=attribution,
            name=name,
            overlay=False,
            control=False,
            uppercase=True,
            max_zoom=19,
        ).add_to(m)
    elif basemap.grid is not None:
        GridTileLayer(basemap, name=name, attribution=attribution).add_to(m)
    else:
        folium.TileLayer(
            tiles=wmts_tile_template(basemap),
            attr=attribution,
            name=name,
            max_zoom=19,
            overlay=False,
            control=False,
        ).add_to(m)
