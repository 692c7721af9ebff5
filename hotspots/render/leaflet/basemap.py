"""A basemap from the organisation's own WMS or WMTS server (optional; the map is offline without).

``--basemap`` / ``HOTSPOTS_BASEMAP`` takes:

``none`` (the default)
    No basemap: the geography (land, water, streets, buildings) is the map.
``wms:URL#LAYER`` (``#LAYER1,LAYER2`` for several)
    A WMS server's GetMap, in Web Mercator (EPSG:3857), through Leaflet's own
    ``L.tileLayer.wms``: WMS 1.3.0, PNG, 256-pixel tiles (:func:`wms_getmap_url` is the
    request of one tile).
``wmts:URL#LAYER`` or ``wmts:URL#LAYER@MATRIXSET``
    A WMTS server's tiles in a Web Mercator tile matrix set (``GoogleMapsCompatible`` by
    default; GeoWebCache's ``EPSG:3857``/``EPSG:900913`` sets, whose matrices are named
    ``EPSG:3857:<zoom>``, are understood). ``URL`` is the service's KVP endpoint, or a
    RESTful template holding ``{TileMatrix}``, ``{TileRow}`` and ``{TileCol}`` (and
    optionally ``{Layer}``, ``{Style}``, ``{TileMatrixSet}``) as in the capabilities'
    ``ResourceURL`` (:func:`wmts_tile_template`).

Lantmäteriet's topographic web map (topowebb) is served in both EPSG:3857 and EPSG:3006; the
map uses the 3857 set (``wmts:https://.../topowebb/default/3857/{TileMatrix}/{TileRow}/
{TileCol}.png#topowebb@3857``). A tile matrix set in SWEREF 99 TM (EPSG:3006) would need
the map itself in EPSG:3006 (Proj4Leaflet and proj4js, which no XStatic package on PyPI ships)
and is refused with a message saying so.

The tiles are requested by the reader's browser from that server: nothing is sent to any
other machine, and the map's own layers stay offline.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, urlsplit

import folium

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import Lang, t
from hotspots.render.leaflet.escape import escape_html

__all__ = [
    "WEB_MERCATOR_SETS",
    "Basemap",
    "add_basemap",
    "parse_basemap",
    "wms_getmap_url",
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
    """

    kind: Literal["wms", "wmts"]
    url: str
    layer: str
    matrix_set: str = ""

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


def parse_basemap(setting: str | None = None) -> Basemap | None:
    """The basemap of ``setting`` (``None`` reads ``HOTSPOTS_BASEMAP``), or ``None`` for none.

    Raises
    ------
    InputSchemaError
        For a value that is not ``none``, ``wms:URL#LAYER`` or ``wmts:URL#LAYER[@SET]``,
        and for a WMTS tile matrix set that is not in Web Mercator.
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
    matrix_set = matrix_set.strip() or "GoogleMapsCompatible"
    if matrix_set.casefold() not in {s.casefold() for s in WEB_MERCATOR_SETS}:
        hint = (
            " (SWEREF 99 TM: ask the server for its EPSG:3857 set; Lantmäteriet's topowebb "
            "has one named 3857)"
            if "3006" in matrix_set
            else ""
        )
        msg = (
            f"basemap: tile matrix set {matrix_set!r} is not in Web Mercator{hint}; the map "
            f"draws WMTS tiles of {', '.join(WEB_MERCATOR_SETS[:3])} and the like"
        )
        raise InputSchemaError(msg)
    basemap = Basemap("wmts", url, name.strip(), matrix_set)
    wmts_tile_template(basemap)  # a bad template fails here, not in the browser
    return basemap


def _matrix(basemap: Basemap) -> str:
    """The TileMatrix identifier template: ``{z}``, or ``EPSG:3857:{z}`` for GeoWebCache sets."""
    if basemap.matrix_set.upper().startswith("EPSG:"):
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
    return {
        "SERVICE": "WMS",
        "REQUEST": "GetMap",
        "LAYERS": basemap.layer,
        "STYLES": "",
        "FORMAT": _FORMAT,
        "TRANSPARENT": "false",
        "VERSION": _WMS_VERSION,
        "WIDTH": str(_TILE_PX),
        "HEIGHT": str(_TILE_PX),
        "CRS": "EPSG:3857",
    }


def wms_getmap_url(basemap: Basemap, z: int, x: int, y: int) -> str:
    """The GetMap request the map makes for Web Mercator tile ``z/x/y`` of a WMS basemap.

    What Leaflet's ``L.tileLayer.wms`` builds: the parameters of :func:`_wms_params` and the
    tile's bounds in EPSG:3857 metres as ``BBOX=xmin,ymin,xmax,ymax`` (WMS 1.3.0 keeps
    east-north order for EPSG:3857).
    """
    side = 2 * _HALF_WORLD_M / 2**z
    x0 = -_HALF_WORLD_M + x * side
    y1 = _HALF_WORLD_M - y * side
    bbox = ",".join(repr(v) for v in (x0, y1 - side, x0 + side, y1))
    query = "&".join(f"{k}={quote(v, safe='')}" for k, v in _wms_params(basemap).items())
    sep = "&" if "?" in basemap.url else "?"
    return f"{basemap.url}{sep}{query}&BBOX={bbox}"


def add_basemap(m: Any, basemap: Basemap, *, lang: Lang) -> None:
    """Add ``basemap`` to the folium map ``m`` as its base layer (not in the layer control)."""
    name = escape_html(t("layer_wms_basemap", lang, name=basemap.layer))
    attribution = escape_html(basemap.attribution)
    if basemap.kind == "wms":
        folium.raster_layers.WmsTileLayer(
            url=basemap.url,
            layers=basemap.layer,
            styles="",
            fmt=_FORMAT,
            transparent=False,
            version=_WMS_VERSION,
            attr=attribution,
            name=name,
            overlay=False,
            control=False,
            uppercase=True,
            max_zoom=19,
        ).add_to(m)
    else:
        folium.TileLayer(
            tiles=wmts_tile_template(basemap),
            attr=attribution,
            name=name,
            max_zoom=19,
            overlay=False,
            control=False,
        ).add_to(m)
