"""The interactive folium map of the app and the HTML snapshot (the only module importing folium).

The map loads nothing from the internet for its own layers: Leaflet, jQuery and
Leaflet.markercluster come from the installed XStatic packages as ``data:`` URLs
(:mod:`hotspots.assets`), set per map in place of folium's CDN defaults; the layers use only
Leaflet itself (no Bootstrap, Font Awesome, awesome-markers, branca colour maps or d3).
Basemap tiles are optional: none by default (offline), OpenStreetMap or a local tile server
through ``tiles`` / ``HOTSPOTS_TILES``. Without tiles the geography (land, water, districts,
roads) is the basemap.

Layers (each toggleable in the layer control): the density surface as a metre-true raster
(the density warped from the metric CRS to Web Mercator, classed, shown as an image overlay
with its legend in incidents per km²), hotspot polygons with their statistics in popups,
perceived unsafety from the survey, plan suggestions with time windows, geography, and in
the internal profile the incident points, clustered, only from street zoom.

Every text that reaches the page is escaped with :func:`escape_html` and passed to the
browser as a JSON string, so a description holding ``<script>`` shows as text.
"""

from __future__ import annotations

import html
import io
import logging
import math
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from affine import Affine
from branca.element import MacroElement
from folium.map import Layer
from jinja2 import Template
from matplotlib.colors import to_rgba
from PIL import Image
from pyproj import CRS, Transformer
from rasterio.warp import Resampling, calculate_default_transform, reproject

from hotspots import assets
from hotspots._errors import InputSchemaError
from hotspots.config import WEEKDAYS
from hotspots.export.privacy import MapContent
from hotspots.i18n import STRINGS, Lang, check_lang, t, weekday_names
from hotspots.symbology import (
    HOTSPOT_COLOUR,
    KIND_COLOURS,
    PERCEIVED_COLOUR,
    SURVEY_COLOURS,
    DensityClasses,
    density_classes,
    format_number,
    settings_lines,
)
from hotspots.taxonomy import label

__all__ = [
    "OSM_URL",
    "MapOptions",
    "MapParts",
    "build_map",
    "density_overlay",
    "escape_html",
    "map_html",
    "map_parts",
    "resolve_tiles",
]

logger = logging.getLogger(__name__)

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
#: Largest side of the density overlay image, pixels.
MAX_OVERLAY_PX = 1600
#: Panes (Leaflet z-index): the geography basemap above tiles (200), the density rasters
#: above that and below the vector overlays (400), so outlines stay on top of the surface.
BASE_PANE, DENSITY_PANE = "hsBase", "hsDensity"
#: Density overlay opacity.
OVERLAY_OPACITY = 0.75


def escape_html(value: Any) -> str:
    """Escape ``value`` for HTML, and for a JavaScript template literal too.

    ``html.escape`` turns ``<``, ``>``, ``&`` and quotes into entities; backticks, ``$`` and
    backslashes also become entities so the text stays inert even where a library puts it
    inside a JavaScript template literal (folium's popups and tooltips do).
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def resolve_tiles(setting: str | None = None) -> str | None:
    """The basemap tile URL template, or ``None`` for no basemap.

    Parameters
    ----------
    setting
        ``"none"`` (offline, the default), ``"osm"`` (OpenStreetMap, needs the internet),
        or a URL template with ``{z}``, ``{x}`` and ``{y}`` (e.g. a local tile server
        ``http://localhost:8080/tiles/{z}/{x}/{y}.png``). ``None`` reads ``HOTSPOTS_TILES``.

    Raises
    ------
    InputSchemaError
        For anything else.
    """
    value = setting if setting is not None else os.environ.get("HOTSPOTS_TILES", "none")
    v = value.strip()
    if v.lower() in ("", "none", "off", "offline"):
        return None
    if v.lower() in ("osm", "openstreetmap"):
        return OSM_URL
    if all(k in v for k in ("{z}", "{x}", "{y}")) and v.startswith(("http://", "https://", "/")):
        return v
    msg = (
        f"tiles / HOTSPOTS_TILES: {value!r} is not none, osm or a tile URL template such as "
        "http://localhost:8080/{z}/{x}/{y}.png"
    )
    raise InputSchemaError(msg)


@dataclass(frozen=True, slots=True)
class MapOptions:
    """Options of :func:`build_map`.

    Attributes
    ----------
    lang
        ``"sv"`` or ``"en"``.
    tiles
        Tile setting for :func:`resolve_tiles` (``None`` reads ``HOTSPOTS_TILES``).
    incident_min_zoom
        Incident points appear from this zoom level (street level; 16 is about 2.4 m per
        pixel at Karlstad's latitude).
    max_incident_points
        Most incident points put on the map (the latest ones); the info box says so when
        more were analysed.
    title
        Title of the info box; default the translated "Crime hotspots".
    show_density, show_geography
        Whether those layers are on when the map opens.
    collapse_layers
        Fold the layer control into an icon that opens on hover (for small map frames).
    lazy_incidents
        Leave the incident points out and let the layer ask for them when the map first
        reaches street zoom (``window.hsRequest("incidents")``, which the app's map
        component turns into a rerun that includes them). Only for the app.
    """

    lang: Lang = "sv"
    tiles: str | None = None
    incident_min_zoom: int = 16
    max_incident_points: int = 5000
    title: str | None = None
    show_density: bool = True
    show_geography: bool = True
    collapse_layers: bool = False
    lazy_incidents: bool = False


# ---------------------------------------------------------------------------------------------
# custom elements (their scripts use only Leaflet; every string is passed through tojson)


class _VectorLayer(Layer):
    """A GeoJSON layer whose features carry their own style, popup and tooltip (escaped HTML)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJSON({{ this.data|tojson }}, {
            {% if this.pane %}pane: {{ this.pane|tojson }},{% endif %}
            style: function (f) { return f.properties._s; },
            pointToLayer: function (f, ll) { return L.circleMarker(ll, f.properties._s); },
            onEachFeature: function (f, l) {
                if (f.properties._p) { l.bindPopup(f.properties._p, {maxWidth: 380}); }
                if (f.properties._t) { l.bindTooltip(f.properties._t, {sticky: true}); }
            }
        });
        {% endmacro %}
        """
    )

    def __init__(
        self, data: dict[str, Any], *, name: str, show: bool = True, pane: str | None = None
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "VectorLayer"
        self.data = data
        self.pane = pane


class _IncidentLayer(Layer):
    """Incident points as compact columns, clustered and shown only from a zoom level.

    ``points`` holds columns of equal length: ``lat``/``lon`` in micro-degrees relative to
    ``lat0``/``lon0``, ``c`` category index, ``t`` local wall-clock minutes since
    1970-01-01 (-1: unknown), ``i`` id, and ``p``/``s``/``d`` indexes into the value lists
    ``dp`` (precision), ``ds`` (source) and ``dd`` (description), each value listed once.
    Every string is already escaped (:func:`escape_html`), so the popup assembled in the
    browser from these pieces and the fixed, escaped ``labels`` holds no live markup.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.markerClusterGroup(
            {maxClusterRadius: 40, showCoverageOnHover: false, chunkedLoading: true,
             disableClusteringAtZoom: 18});
        (function (layer, d, cats, lab, style) {
            function two(n) { return (n < 10 ? '0' : '') + n; }
            function when(m) {
                if (m < 0) { return ''; }
                var t = new Date(m * 60000);
                return t.getUTCFullYear() + '-' + two(t.getUTCMonth() + 1) + '-'
                    + two(t.getUTCDate()) + ' ' + two(t.getUTCHours()) + ':'
                    + two(t.getUTCMinutes());
            }
            function popup(k) {
                var h = '<div class="hs-pop"><b>' + cats[d.c[k]] + '</b><table>';
                var rows = [[lab.time, when(d.t[k])], [lab.precision, d.dp[d.p[k]]],
                            [lab.source, d.ds[d.s[k]]], ['ID', d.i[k]]];
                for (var j = 0; j < rows.length; j++) {
                    if (rows[j][1]) { h += '<tr><th>' + rows[j][0] + '</th><td>' + rows[j][1]
                                      + '</td></tr>'; }
                }
                h += '</table>';
                var desc = d.dd[d.d[k]];
                if (desc) { h += '<div class="desc"><i>' + lab.description + ':</i> ' + desc
                                 + '</div>'; }
                return h + '</div>';
            }
            function opener(k) { return function () { return popup(k); }; }
            // the markers are made the first time the layer is shown (street zoom), so a
            // map that is never zoomed in that far does not pay for them
            layer._hsBuild = function () {
                layer._hsBuild = null;
                if (d === null) {  // left out: ask the app for the points
                    if (window.hsRequest) { window.hsRequest('incidents'); }
                    return;
                }
                var markers = [];
                for (var i = 0; i < d.c.length; i++) {
                    var m = L.circleMarker(
                        [(d.lat0 + d.lat[i]) / 1e6, (d.lon0 + d.lon[i]) / 1e6], style);
                    m.bindPopup(opener(i), {maxWidth: 380});
                    markers.push(m);
                }
                layer.addLayers(markers);
            };
        })({{ this.get_name() }}, {{ this.points|tojson }}, {{ this.categories|tojson }},
           {{ this.labels|tojson }}, {{ this.style|tojson }});
        (function (map, layer, minZoom) {
            layer._hsWanted = true;
            function gate() {
                if (map.getZoom() >= minZoom && layer._hsBuild) { layer._hsBuild(); }
                if (map.getZoom() < minZoom) {
                    if (map.hasLayer(layer)) { layer._hsWanted = true; map.removeLayer(layer); }
                } else if (layer._hsWanted && !map.hasLayer(layer)) {
                    layer._hsWanted = false; map.addLayer(layer);
                }
            }
            map.on('zoomend', gate);
            map.on('overlayadd', function (e) { if (e.layer === layer) { gate(); } });
            map.whenReady(gate);
        })({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.min_zoom }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        points: dict[str, Any] | None,
        *,
        categories: list[str],
        labels: dict[str, str],
        style: dict[str, Any],
        name: str,
        min_zoom: int,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=False)
        self._name = "IncidentLayer"
        self.points = points
        self.categories = categories
        self.labels = labels
        self.style = style
        self.min_zoom = int(min_zoom)


class _HtmlControl(MacroElement):
    """A fixed box on the map (info box, legend) with escaped HTML content."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .hs-box { background: rgba(255,255,255,0.9); padding: 5px 8px; border-radius: 5px;
                  box-shadow: 0 1px 5px rgba(0,0,0,0.4); font: 11px/1.3 system-ui, sans-serif;
                  color: #222; max-width: 310px; }
        .hs-box h4, .hs-box summary { margin: 0 0 4px 0; font-size: 13px; font-weight: 700;
                                      cursor: pointer; }
        .hs-box table { border-collapse: collapse; }
        .hs-box th { text-align: left; font-weight: 600; padding: 0 8px 0 0;
                     vertical-align: top; white-space: nowrap; }
        .hs-box td { padding: 0; vertical-align: top; }
        .hs-box .sw { display: inline-block; width: 14px; height: 11px; margin-right: 5px;
                      vertical-align: middle; border: 1px solid rgba(0,0,0,0.25); }
        .hs-box .note { color: #555; font-size: 11px; margin-top: 3px; }
        .hs-pop th { text-align: left; padding-right: 8px; vertical-align: top; }
        .hs-pop td { vertical-align: top; }
        .hs-pop .desc { white-space: pre-wrap; max-height: 9em; overflow: auto; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        (function (map) {
            var c = L.control({position: {{ this.position|tojson }}});
            var d = null;
            c.onAdd = function () {
                d = L.DomUtil.create('div', 'hs-box ' + {{ this.css_class|tojson }});
                d.innerHTML = {{ this.content|tojson }};
                L.DomEvent.disableClickPropagation(d);
                L.DomEvent.disableScrollPropagation(d);
                return d;
            };
            c.addTo(map);
            var pairs = [{% for key, layer in this.toggles %}
                [{{ key|tojson }}, {{ layer.get_name() }}],{% endfor %}
            ];
            function sync() {
                pairs.forEach(function (p) {
                    var el = d.querySelector('[data-hs="' + p[0] + '"]');
                    if (el) { el.style.display = map.hasLayer(p[1]) ? '' : 'none'; }
                });
            }
            if (pairs.length) { map.on('overlayadd overlayremove', sync); map.whenReady(sync); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        content: str,
        *,
        position: str,
        css_class: str,
        toggles: list[tuple[str, Any]] | None = None,
    ) -> None:
        super().__init__()
        self._name = "HtmlControl"
        self.content = content
        self.toggles = toggles or []
        self.position = position
        self.css_class = css_class


class _MetricScale(MacroElement):
    """Leaflet's scale bar in metres only."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, maxWidth: 160}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "MetricScale"


# ---------------------------------------------------------------------------------------------
# density raster


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
        The :class:`hotspots.grid.Grid` of ``values``.
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


# ---------------------------------------------------------------------------------------------
# popups (escaped HTML)


def _rows(rows: Iterable[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><th>{escape_html(k)}</th><td>{escape_html(v)}</td></tr>"
        for k, v in rows
        if v not in (None, "")
    )
    return f"<table>{cells}</table>"


def _get(row: Mapping[str, Any], key: str) -> Any:
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _fmt(value: Any, unit: str = "", *, digits: int = 2) -> str | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return format_number(number, digits=digits) + (f" {unit}" if unit else "")


def _categories(value: Any, lang: Lang) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",") if p.strip()]
        return ", ".join(label(p, lang) for p in parts)
    if isinstance(value, Mapping):
        return ", ".join(f"{label(str(k), lang)} ({v})" for k, v in value.items())
    items = list(value)
    out: list[str] = []
    for item in items:
        if isinstance(item, list | tuple) and len(item) == 2:
            out.append(f"{label(str(item[0]), lang)} ({item[1]})")
        else:
            out.append(label(str(item), lang))
    return ", ".join(out)


def _weekdays(value: Any, lang: Lang) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    idx: list[int] = []
    for v in value:
        if isinstance(v, int | np.integer):
            idx.append(int(v))
        elif str(v) in WEEKDAYS:
            idx.append(WEEKDAYS.index(str(v)))
    if not idx:
        return ", ".join(str(v) for v in value)
    return ", ".join(weekday_names(idx, lang))


def _hours(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(f"{int(h):02d}" for h in value)
    return str(value)


def _count(row: Mapping[str, Any], key: str, lang: Lang) -> str | None:
    if bool(row.get(f"{key}_suppressed", False)):
        return t("suppressed", lang)
    return _fmt(_get(row, key), digits=3)


def _hotspot_popup(row: Mapping[str, Any], lang: Lang) -> str:
    perceived = str(row.get("kind", "crime")) == "perceived"
    title = t("perceived_hotspot" if perceived else "hotspot", lang)
    rank = _get(row, "rank")
    head = f"<b>{escape_html(title)}{' ' + escape_html(rank) if rank is not None else ''}</b>"
    share = _get(row, "share_of_incidents")
    gi_z, gi_p = _get(row, "gi_z"), _get(row, "gi_p_fdr")
    gi = None
    if gi_z is not None:
        gi = f"{float(gi_z):.1f}" + (f" ({float(gi_p):.3f})" if gi_p is not None else "")
    rows = [
        (t("district", lang), _get(row, "district")),
        (t("incidents", lang), _count(row, "incidents", lang)),
        (t("area_km2", lang), _fmt(_get(row, "area_km2"), "km²", digits=2)),
        (t("share", lang), None if share is None else f"{100 * float(share):.1f} %"),
        (t("pai", lang), _fmt(_get(row, "pai"), digits=3)),
        (
            t("peak_density", lang),
            _fmt(_get(row, "peak_density_per_km2"), t("per_km2", lang), digits=3),
        ),
        (t("gi", lang), gi),
        (t("top_categories", lang), _categories(_get(row, "top_categories"), lang)),
        (t("peak_hours", lang), _hours(_get(row, "peak_hours"))),
        (t("peak_weekdays", lang), _weekdays(_get(row, "peak_weekdays"), lang)),
        (t("crime_fear", lang), _get(row, "crime_fear")),
    ]
    return f'<div class="hs-pop">{head}{_rows(rows)}</div>'


def _suggestion_popup(row: Mapping[str, Any], lang: Lang) -> str:
    kind = str(row.get("kind", ""))
    kind_text = t(f"kind_{kind}", lang) if f"kind_{kind}" in _KINDS else kind
    head = f"<b>{escape_html(kind_text)}: {escape_html(_get(row, 'place') or '')}</b>"
    days = _weekdays(_get(row, "weekdays"), lang)
    hours = _get(row, "hours")
    when = " ".join(x for x in (days, f"{hours}" if hours else None) if x)
    share = _get(row, "expected_share")
    loop = _get(row, "loop_length_m")
    rows = [
        ("ID", _get(row, "id")),
        (t("when", lang), when or None),
        (t("why", lang), _get(row, f"reason_{lang}") or _get(row, "reason")),
        (t("expected_share", lang), None if share is None else f"{100 * float(share):.1f} %"),
        (t("stops", lang), ", ".join(map(str, row.get("stop_names") or [])) or None),
        (t("loop_length", lang), _fmt(loop, "m", digits=3)),
        (t("district", lang), _get(row, "district")),
    ]
    return f'<div class="hs-pop">{head}{_rows(rows)}</div>'


_KINDS = {f"kind_{k}" for k in KIND_COLOURS}


# ---------------------------------------------------------------------------------------------
# GeoJSON for the vector layers


def _to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is None:
        return frame
    return frame if frame.crs.equals(CRS.from_epsg(4326)) else frame.to_crs(4326)


def _features(
    frame: gpd.GeoDataFrame,
    *,
    style: Any,
    popup: Any = None,
    tooltip: Any = None,
    simplify_m: float = 0.0,
) -> dict[str, Any]:
    """A FeatureCollection in WGS84 with per-feature ``_s`` style, ``_p`` popup, ``_t`` tooltip."""
    if frame is None or not len(frame):
        return {"type": "FeatureCollection", "features": []}
    src = frame
    if simplify_m > 0:
        src = frame.copy()
        src["geometry"] = frame.geometry.simplify(simplify_m, preserve_topology=True)
    wgs = _to_wgs84(src)
    geoms = shapely.set_precision(wgs.geometry.to_numpy(), 1e-6)
    features: list[dict[str, Any]] = []
    records = frame.drop(columns=frame.geometry.name).to_dict("records")
    for rec, geom in zip(records, geoms, strict=True):
        if geom is None or geom.is_empty:
            continue
        props: dict[str, Any] = {"_s": style(rec) if callable(style) else style}
        if popup is not None:
            props["_p"] = popup(rec)
        if tooltip is not None:
            props["_t"] = tooltip(rec)
        features.append(
            {"type": "Feature", "geometry": shapely.geometry.mapping(geom), "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}


def _geometry_frame(geom: Any, crs: Any) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"n": [0]}, geometry=[geom], crs=crs)


# ---------------------------------------------------------------------------------------------
# boxes


def _info_box(content: MapContent, options: MapOptions, notes: list[str]) -> str:
    lang = options.lang
    lines = settings_lines(
        parameters=content.parameters,
        filters=content.filters,
        period=content.period,
        n_incidents=content.n_incidents,
        lang=lang,
        profile=content.profile,
        compact=True,
    )
    title = options.title or t("title", lang)
    rows = "".join(f"<tr><th>{escape_html(k)}</th><td>{escape_html(v)}</td></tr>" for k, v in lines)
    note_html = "".join(f'<div class="note">{escape_html(n)}</div>' for n in notes)
    return (
        f"<details open><summary>{escape_html(title)}</summary>"
        f"<table>{rows}</table>{note_html}</details>"
    )


def _swatches(classes: DensityClasses) -> str:
    return "".join(
        f'<span class="sw" style="background:{colour}"></span>{escape_html(text)}<br>'
        for colour, text in zip(classes.colours, classes.labels(), strict=True)
    )


def _legend_sections(
    *,
    classes: DensityClasses | None,
    survey_classes: DensityClasses | None,
    kinds: list[str],
    has_hotspots: bool,
    has_perceived: bool,
    lang: Lang,
) -> list[tuple[str, str]]:
    """Legend sections ``(key, html)``; each key names the layer the section belongs to."""
    parts: list[tuple[str, str]] = []
    if classes is not None:
        head = f"<b>{escape_html(t('legend_density', lang))}</b><br>"
        parts.append(("density", head + _swatches(classes)))
    if survey_classes is not None:
        head = f"<b>{escape_html(t('legend_perceived', lang))}</b><br>"
        parts.append(("survey", head + _swatches(survey_classes)))
    if has_hotspots:
        parts.append(
            (
                "hotspots",
                f'<span class="sw" style="border:2px solid {HOTSPOT_COLOUR};background:none">'
                f"</span>{escape_html(t('layer_hotspots', lang))}<br>",
            )
        )
    if has_perceived:
        parts.append(
            (
                "perceived",
                f'<span class="sw" style="border:2px dashed {PERCEIVED_COLOUR};'
                f'background:none"></span>{escape_html(t("perceived_hotspot", lang))}<br>',
            )
        )
    if kinds:
        parts.append(
            (
                "suggestions",
                "".join(
                    f'<span class="sw" style="background:{KIND_COLOURS.get(kind, "#444")};'
                    f'border-radius:7px"></span>{escape_html(t(f"kind_{kind}", lang))}<br>'
                    for kind in kinds
                ),
            )
        )
    return parts


# ---------------------------------------------------------------------------------------------
# the map


#: Share of the hotspot incidents the opening view must show (outlying small hotspots may fall
#: outside it, so the town is not shrunk to fit one far-away village).
OPENING_VIEW_SHARE = 0.9


def _main_hotspots(frame: Any) -> Any:
    """The largest hotspots that together hold :data:`OPENING_VIEW_SHARE` of their incidents."""
    if "incidents" not in frame or len(frame) < 2:
        return frame
    counts = pd.to_numeric(frame["incidents"], errors="coerce").fillna(0.0).to_numpy()
    if counts.sum() <= 0:
        return frame
    order = np.argsort(-counts, kind="stable")
    share = np.cumsum(counts[order]) / counts.sum()
    keep = order[: int(np.searchsorted(share, OPENING_VIEW_SHARE - 1e-9)) + 1]
    return frame.iloc[np.sort(keep)]


def _bounds(content: MapContent, geography: Any | None) -> list[list[float]] | None:
    """Opening view: the main crime hotspots (where planners look first), else the surface."""
    box: tuple[float, float, float, float] | None = None
    crs = content.crs
    hot = content.hotspots
    if len(hot):
        crime = hot[hot["kind"].astype(str) != "perceived"] if "kind" in hot else hot
        frame = _main_hotspots(crime if len(crime) else hot)
        box = tuple(frame.total_bounds)  # type: ignore[assignment]
        crs = frame.crs
    elif content.grid is not None and content.density is not None:
        finite = np.isfinite(content.density) & (content.density > 0)
        if finite.any():
            rows = np.where(finite.any(axis=1))[0]
            cols = np.where(finite.any(axis=0))[0]
            g = content.grid
            box = (
                g.x0 + cols[0] * g.cell_m,
                g.y1 - (rows[-1] + 1) * g.cell_m,
                g.x0 + (cols[-1] + 1) * g.cell_m,
                g.y1 - rows[0] * g.cell_m,
            )
    if box is None and geography is not None:
        box = tuple(geography.municipality.bounds)  # type: ignore[assignment]
        crs = geography.crs
    if box is None or crs is None:
        return None
    to_ll = Transformer.from_crs(crs, 4326, always_xy=True)
    lon, lat = to_ll.transform([box[0], box[2], box[0], box[2]], [box[1], box[1], box[3], box[3]])
    return [[min(lat), min(lon)], [max(lat), max(lon)]]


def _style_district(_: Mapping[str, Any]) -> dict[str, Any]:
    return {"color": "#444", "weight": 1, "dashArray": "4 3", "fill": False, "opacity": 0.8}


_ROAD_WEIGHT = {"motorway": 4.0, "primary": 3.0, "secondary": 2.0, "street": 1.2}


def _style_road(rec: Mapping[str, Any]) -> dict[str, Any]:
    kind = str(rec.get("kind", "street"))
    return {
        "color": "#8c6d31" if kind in ("motorway", "primary") else "#777",
        "weight": _ROAD_WEIGHT.get(kind, 1.2),
        "opacity": 0.85,
    }


def _style_place(_: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "radius": 4,
        "color": "#222",
        "weight": 1,
        "fillColor": "#fff",
        "fillOpacity": 1.0,
    }


def _add_geography(m: folium.Map, geography: Any, *, lang: Lang, show: bool, base: bool) -> None:
    crs = geography.crs
    if base:
        land = _geometry_frame(geography.land, crs)
        water = _geometry_frame(geography.water, crs)
        fc_land = _features(
            land,
            style={"color": "#bbb", "weight": 0.5, "fillColor": "#f4f1ea", "fillOpacity": 1.0},
            simplify_m=5.0,
        )
        fc_water = _features(
            water,
            style={"color": "#9ecae1", "weight": 0.5, "fillColor": "#c6dbef", "fillOpacity": 1.0},
            simplify_m=5.0,
        )
        fc_land["features"].extend(fc_water["features"])
        _VectorLayer(
            fc_land, name=escape_html(t("layer_basemap", lang)), show=True, pane=BASE_PANE
        ).add_to(m)
    districts = geography.districts
    if districts is not None and len(districts):
        _VectorLayer(
            _features(
                districts,
                style=_style_district,
                tooltip=lambda r: escape_html(r.get("name", "")),
                simplify_m=3.0,
            ),
            name=escape_html(t("layer_districts", lang)),
            show=show,
        ).add_to(m)
    roads = geography.roads
    if roads is not None and len(roads):

        def road_tip(r: Mapping[str, Any]) -> str:
            name, ref = _get(r, "name"), _get(r, "ref")
            return escape_html(" ".join(str(x) for x in (ref, name) if x))

        _VectorLayer(
            _features(roads, style=_style_road, tooltip=road_tip, simplify_m=2.0),
            name=escape_html(t("layer_roads", lang)),
            show=show,
        ).add_to(m)
    places = geography.places
    if places is not None and len(places):

        def place_tip(r: Mapping[str, Any]) -> str:
            kind = str(r.get("kind", ""))
            key = f"place_{kind}"
            kind_text = t(key, lang) if key in _PLACE_KEYS else kind
            return escape_html(f"{r.get('name', '')} ({kind_text})")

        _VectorLayer(
            _features(places, style=_style_place, tooltip=place_tip),
            name=escape_html(t("layer_places", lang)),
            show=False,
        ).add_to(m)


def _place_keys() -> set[str]:
    return {k for k in STRINGS if k.startswith("place_")}


_PLACE_KEYS = _place_keys()


def _incident_layer(
    content: MapContent, options: MapOptions, notes: list[str]
) -> _IncidentLayer | None:
    inc = content.incidents
    if content.profile != "internal" or inc is None or not len(inc):
        return None
    lang = options.lang
    total = len(inc)
    if total > options.max_incident_points:
        shown = min(total, options.max_incident_points)
        notes.append(t("incident_cap", lang, shown=shown, total=total))
        if not options.lazy_incidents:
            inc = inc.sort_values("occurred_at", ascending=False).head(shown)
    labels = {k: escape_html(t(k, lang)) for k in ("time", "precision", "source", "description")}
    layer_args: dict[str, Any] = {
        "labels": labels,
        "style": {
            "radius": 5,
            "color": "#111",
            "weight": 1,
            "fillColor": "#fff",
            "fillOpacity": 0.9,
        },
        "name": escape_html(t("layer_incidents", lang, zoom=options.incident_min_zoom)),
        "min_zoom": options.incident_min_zoom,
    }
    if options.lazy_incidents:
        return _IncidentLayer(None, categories=[], **layer_args)
    wgs = _to_wgs84(inc)
    xy = shapely.get_coordinates(wgs.geometry.to_numpy())
    lat = np.round(xy[:, 1] * 1e6).astype(np.int64)
    lon = np.round(xy[:, 0] * 1e6).astype(np.int64)
    codes = inc["category"].astype(str).to_numpy()
    uniq, cat_idx = np.unique(codes, return_inverse=True)
    precision, dp = _dictionary(inc, "precision")
    source, ds = _dictionary(inc, "source")
    description, dd = _dictionary(inc, "description")
    points = {
        "lat0": int(lat.min()),
        "lon0": int(lon.min()),
        "lat": (lat - lat.min()).tolist(),
        "lon": (lon - lon.min()).tolist(),
        "c": cat_idx.astype(int).tolist(),
        "t": _wall_minutes(inc),
        "i": [escape_html(v) for v in inc["id"].tolist()] if "id" in inc else [""] * len(inc),
        "p": precision,
        "s": source,
        "d": description,
        "dp": dp,
        "ds": ds,
        "dd": dd,
    }
    return _IncidentLayer(
        points, categories=[escape_html(label(c, lang)) for c in uniq], **layer_args
    )


def _dictionary(frame: pd.DataFrame, column: str) -> tuple[list[int], list[str]]:
    """``column`` as indexes into its escaped distinct values (missing: ``""``)."""
    if column not in frame:
        return [0] * len(frame), [""]
    values = frame[column].astype("string").fillna("")
    index, uniques = pd.factorize(values)
    return index.tolist(), [escape_html(v) for v in uniques]


def _wall_minutes(frame: pd.DataFrame) -> list[int]:
    """Local wall-clock time of ``occurred_at`` in minutes since 1970-01-01 (-1: unknown)."""
    if "occurred_at" not in frame:
        return [-1] * len(frame)
    times = pd.to_datetime(frame["occurred_at"])
    if times.dt.tz is not None:
        times = times.dt.tz_localize(None)
    minutes = (times - pd.Timestamp("1970-01-01")) // pd.Timedelta(minutes=1)
    return minutes.fillna(-1).astype(np.int64).tolist()


def _suggestion_layer(content: MapContent, lang: Lang) -> _VectorLayer | None:
    sug = content.suggestions
    if sug is None or not len(sug):
        return None

    def style(rec: Mapping[str, Any]) -> dict[str, Any]:
        colour = KIND_COLOURS.get(str(rec.get("kind")), "#444")
        return {
            "color": colour,
            "weight": 3,
            "radius": 6,
            "fillColor": colour,
            "fillOpacity": 0.85,
            "opacity": 0.95,
        }

    def tip(rec: Mapping[str, Any]) -> str:
        kind = str(rec.get("kind", ""))
        kind_text = t(f"kind_{kind}", lang) if f"kind_{kind}" in _KINDS else kind
        hours = _get(rec, "hours") or ""
        return escape_html(f"{kind_text}: {rec.get('place', '')} {hours}".strip())

    return _VectorLayer(
        _features(sug, style=style, popup=lambda r: _suggestion_popup(r, lang), tooltip=tip),
        name=escape_html(t("layer_suggestions", lang)),
        show=True,
    )


def build_map(
    content: MapContent,
    *,
    geography: Any | None = None,
    options: MapOptions | None = None,
) -> folium.Map:
    """Build the folium map of an analysis after its privacy profile was applied.

    Parameters
    ----------
    content
        From :func:`hotspots.export.privacy.apply_privacy`.
    geography
        A :class:`hotspots.geography.Geography` for districts, roads, places, land and water;
        ``None`` leaves them out.
    options
        Language, tiles and layer options.

    Returns
    -------
    folium.Map
        A map whose every script and style sheet is a ``data:`` URL of a packaged asset.
    """
    opts = options or MapOptions()
    notes: list[str] = []
    m = _base_map(geography, opts, notes)
    _add_overlays(m, content, options=opts, notes=notes)
    bounds = _bounds(content, geography)
    if bounds is not None:
        m.fit_bounds(bounds)
    return m


def _base_map(geography: Any | None, opts: MapOptions, notes: list[str]) -> folium.Map:
    """The map without the analysis: panes, scale bar, assets, tiles and the geography.

    Every element gets a fixed id (:func:`_fix_ids`), so the same geography and options
    render the same script: the app keeps this part in the browser across filter changes.
    """
    lang = check_lang(opts.lang)
    tiles = resolve_tiles(opts.tiles)
    m = folium.Map(
        location=[59.38, 13.50],
        zoom_start=13,
        max_zoom=19,
        maxZoom=19,  # markercluster needs it on the map; folium passes max_zoom to tiles only
        tiles=None,
        control_scale=False,
        prefer_canvas=False,
        width="100%",
        height="100%",
    )
    _MetricScale().add_to(m)
    folium.map.CustomPane(BASE_PANE, z_index=250).add_to(m)
    folium.map.CustomPane(DENSITY_PANE, z_index=350).add_to(m)
    js, css = assets.js_css_links()
    m.default_js = js
    m.default_css = css
    if tiles is not None:
        attribution = OSM_ATTRIBUTION if tiles == OSM_URL else "local tiles"
        folium.TileLayer(
            tiles=tiles,
            attr=attribution,
            name=escape_html(t("layer_basemap", lang)),
            max_zoom=19,
            overlay=False,
            control=False,
        ).add_to(m)
    else:
        notes.append(t("no_basemap", lang))
    if geography is not None:
        _add_geography(m, geography, lang=lang, show=opts.show_geography, base=tiles is None)
    _fix_ids(m, "hs")
    return m


def _walk(element: Any) -> Iterable[Any]:
    """``element`` and its descendants, depth first in insertion order."""
    yield element
    for child in list(element._children.values()):
        yield from _walk(child)


def _fix_ids(m: folium.Map, prefix: str) -> None:
    """Give the map and every element on it a fixed id: ``map_hs``, ``vector_layer_hs3`` ..."""
    for i, element in enumerate(_walk(m)):
        element._id = prefix if i == 0 else f"{prefix}{i}"


def _add_overlays(
    m: folium.Map,
    content: MapContent,
    *,
    options: MapOptions,
    notes: list[str],
) -> None:
    """Add the analysis to ``m``: density, hotspots, suggestions, incidents, boxes, control."""
    opts = options
    lang = check_lang(opts.lang)
    coverage = float(content.parameters.get("coverage") or 0.05)
    classes = density_classes(content.density, coverage=coverage, threshold=_threshold(content))
    if classes is not None and content.grid is not None and content.density is not None:
        overlay = density_overlay(content.density, content.grid, classes)
    else:
        overlay = None
    layers: dict[str, Any] = {}
    if overlay is not None:
        png, bounds = overlay
        layers["density"] = folium.raster_layers.ImageOverlay(
            image=assets.data_url(png, "image/png"),
            bounds=bounds,
            opacity=OVERLAY_OPACITY,
            name=escape_html(t("layer_density", lang)),
            interactive=False,
            show=opts.show_density,
            pixelated=True,
            pane=DENSITY_PANE,
        ).add_to(m)
    survey_classes = None
    if content.survey_density is not None and content.grid is not None:
        survey_classes = density_classes(
            content.survey_density, coverage=coverage, colours=SURVEY_COLOURS
        )
        survey_overlay = (
            None
            if survey_classes is None
            else density_overlay(content.survey_density, content.grid, survey_classes)
        )
        if survey_overlay is not None:
            png, bounds = survey_overlay
            layers["survey"] = folium.raster_layers.ImageOverlay(
                image=assets.data_url(png, "image/png"),
                bounds=bounds,
                opacity=0.6,
                name=escape_html(t("layer_perceived", lang)),
                interactive=False,
                show=False,
                pixelated=True,
                pane=DENSITY_PANE,
            ).add_to(m)

    hot = content.hotspots
    kind = hot["kind"].astype(str) if "kind" in hot else pd.Series("crime", index=hot.index)
    crime = hot[kind.to_numpy() != "perceived"]
    perceived = hot[kind.to_numpy() == "perceived"]
    if len(perceived):
        layers["perceived"] = _VectorLayer(
            _features(
                perceived,
                style={
                    "color": PERCEIVED_COLOUR,
                    "weight": 2,
                    "dashArray": "6 4",
                    "fillColor": PERCEIVED_COLOUR,
                    "fillOpacity": 0.08,
                },
                popup=lambda r: _hotspot_popup(r, lang),
                tooltip=lambda r: escape_html(
                    f"{t('perceived_hotspot', lang)} {r.get('rank', '')}"
                ),
            ),
            name=escape_html(t("layer_perceived", lang) + " – " + t("hotspot", lang).lower()),
            show=True,
        ).add_to(m)
    if len(crime):
        layers["hotspots"] = _VectorLayer(
            _features(
                crime,
                style={
                    "color": HOTSPOT_COLOUR,
                    "weight": 2.5,
                    "fillColor": HOTSPOT_COLOUR,
                    "fillOpacity": 0.05,
                },
                popup=lambda r: _hotspot_popup(r, lang),
                tooltip=lambda r: escape_html(f"{t('hotspot', lang)} {r.get('rank', '')}"),
            ),
            name=escape_html(t("layer_hotspots", lang)),
            show=True,
        ).add_to(m)
    sug_layer = _suggestion_layer(content, lang)
    if sug_layer is not None:
        layers["suggestions"] = sug_layer.add_to(m)
    inc_layer = _incident_layer(content, opts, notes)
    if inc_layer is not None:
        inc_layer.add_to(m)

    kinds = (
        [k for k in KIND_COLOURS if k in set(content.suggestions["kind"].astype(str))]
        if content.suggestions is not None and len(content.suggestions)
        else []
    )
    _HtmlControl(
        _info_box(content, opts, notes), position="bottomleft", css_class="hs-info"
    ).add_to(m)
    sections = _legend_sections(
        classes=classes if "density" in layers else None,
        survey_classes=survey_classes if "survey" in layers else None,
        kinds=kinds,
        has_hotspots=len(crime) > 0,
        has_perceived=len(perceived) > 0,
        lang=lang,
    )
    if sections:
        legend = "".join(f'<div data-hs="{key}">{body}</div>' for key, body in sections)
        _HtmlControl(
            legend,
            position="bottomright",
            css_class="hs-legend",
            toggles=[(key, layers[key]) for key, _ in sections if key in layers],
        ).add_to(m)
    folium.LayerControl(position="topright", collapsed=opts.collapse_layers).add_to(m)


@dataclass(frozen=True, slots=True)
class MapParts:
    """The map as the app's map component takes it: a base script and an overlay script.

    The browser runs ``base`` once (a new map) and replaces only ``overlay`` when the
    analysis changes, so a filter change neither reloads Leaflet nor rebuilds the geography,
    and the view (zoom, centre) stays where the user left it.

    Attributes
    ----------
    map_name
        Global JavaScript name of the Leaflet map that ``base`` creates (``map_hs``).
    html
        The map's ``<div>``.
    style
        CSS of the map and its boxes (no ``<style>`` tags).
    base
        Script creating the map, panes, scale bar, tiles and geography layers; the same text
        for the same geography and options.
    overlay
        Script adding the density, hotspots, suggestions, incidents, info box, legend and
        layer control to the map named ``map_name``; run as a function body.
    bounds
        ``[[south, west], [north, east]]`` of the opening view, degrees, or ``None``.
    """

    map_name: str
    html: str
    style: str
    base: str
    overlay: str
    bounds: list[list[float]] | None


_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@dataclass(frozen=True, slots=True)
class _Base:
    """The rendered base map (see :func:`_base_parts`) and what the overlay needs of it."""

    map_name: str
    html: str
    style: str
    script: str
    #: ``(variable name, layer name, overlay, control)`` of each base layer, in order
    layers: tuple[tuple[str, str, bool, bool], ...]
    notes: tuple[str, ...]


#: Rendered bases by (geography identity, language, tiles, geography shown); the value keeps
#: the geography alive so its id is not reused while cached.
_BASES: dict[tuple[int, str, str | None, bool], tuple[Any, _Base]] = {}
_MAX_BASES = 8
_BASES_LOCK = threading.Lock()


def _base_parts(geography: Any | None, opts: MapOptions) -> _Base:
    """The base map rendered once per geography, language, tiles and geography setting."""
    key = (id(geography), opts.lang, resolve_tiles(opts.tiles), opts.show_geography)
    with _BASES_LOCK:  # app sessions run in threads
        hit = _BASES.get(key)
    if hit is not None and hit[0] is geography:
        return hit[1]
    notes: list[str] = []
    m = _base_map(geography, opts, notes)
    fig = m.get_root()
    fig.render()
    script = "\n".join(e.render() for e in fig.script._children.values())
    layers = tuple(
        (c.get_name(), c.layer_name, bool(c.overlay), bool(c.control))
        for c in m._children.values()
        if isinstance(c, Layer)
    )
    base = _Base(
        map_name=m.get_name(),
        html=m._template.module.html(m, {}).strip(),
        style="\n".join(dict.fromkeys(_STYLE.findall(fig.header.render()))),
        script=script,
        layers=layers,
        notes=tuple(notes),
    )
    with _BASES_LOCK:
        while len(_BASES) >= _MAX_BASES:
            _BASES.pop(next(iter(_BASES)))
        _BASES[key] = (geography, base)
    return base


class _BaseLayerRef(Layer):
    """Stands for a layer of the base map, so the layer control of the overlay lists it."""

    _template = Template("")

    def __init__(self, var_name: str, layer_name: str, *, overlay: bool, control: bool) -> None:
        super().__init__(name=layer_name, overlay=overlay, control=control, show=False)
        self._var_name = var_name

    def get_name(self) -> str:
        """The base layer's JavaScript variable."""
        return self._var_name


#: Element types whose scripts :func:`_overlay_scripts` renders without the figure.
_DIRECT = (
    _VectorLayer,
    _IncidentLayer,
    _HtmlControl,
    folium.raster_layers.ImageOverlay,
    folium.LayerControl,
)


def _overlay_scripts(m: folium.Map, elements: list[Any]) -> tuple[str, list[str]]:
    """Scripts and styles of ``elements`` (children of ``m``) in folium's order.

    Does what folium's render does for these element types (a shown layer is added to its
    parent after its own and its children's scripts; the layer control lists the map's
    layers) without building the whole page, whose every script folium would compile as a
    template.
    """
    scripts: list[str] = []
    styles: list[str] = []

    def visit(element: Any, parent: Any) -> None:
        module = element._template.module
        header = getattr(module, "header", None)
        if header is not None:
            styles.extend(_STYLE.findall(str(header(element, {}))))
        if isinstance(element, folium.LayerControl):
            element.reset()
            for item in parent._children.values():
                if isinstance(item, Layer) and item.control:
                    target = element.overlays if item.overlay else element.base_layers
                    target[item.layer_name] = item.get_name()
        script = getattr(module, "script", None)
        if script is not None:
            scripts.append(str(script(element, {})))
        for child in element._children.values():
            visit(child, element)
        if isinstance(element, Layer) and element.show:
            scripts.append(f"{element.get_name()}.addTo({parent.get_name()});")

    for element in elements:
        visit(element, m)
    return "\n".join(scripts), styles


def map_parts(
    content: MapContent,
    *,
    geography: Any | None = None,
    options: MapOptions | None = None,
) -> MapParts:
    """The same map as :func:`build_map`, split into the base and the overlay scripts.

    Parameters
    ----------
    content
        From :func:`hotspots.export.privacy.apply_privacy`.
    geography
        As for :func:`build_map`.
    options
        As for :func:`build_map`.

    Returns
    -------
    MapParts
        The scripts are folium's own rendering of each element (escaped as in the
        standalone page); assets are not included (the component page inlines them once).
        The base is rendered once per geography and options and reused.
    """
    opts = options or MapOptions()
    base = _base_parts(geography, opts)
    notes = list(base.notes)
    m = folium.Map(location=[59.38, 13.50], tiles=None)
    m._id = base.map_name.removeprefix("map_")
    for var_name, layer_name, overlay, control in base.layers:
        _BaseLayerRef(var_name, layer_name, overlay=overlay, control=control).add_to(m)
    n_base = len(m._children)
    _add_overlays(m, content, options=opts, notes=notes)
    elements = list(m._children.values())[n_base:]
    if all(isinstance(e, _DIRECT) for top in elements for e in _walk(top)):
        overlay, styles = _overlay_scripts(m, elements)
    else:  # an element type this module does not render itself: let folium do it
        fig = m.get_root()
        fig.render()  # adds the "add to map" children of shown layers: walk after it
        names = {e.get_name() for top in elements for e in _walk(top)}
        overlay = "\n".join(e.render() for name, e in fig.script._children.items() if name in names)
        styles = _STYLE.findall(fig.header.render())
    style = "\n".join(dict.fromkeys([base.style, *styles]))
    return MapParts(
        map_name=base.map_name,
        html=base.html,
        style=style,
        base=base.script,
        overlay=overlay,
        bounds=_bounds(content, geography),
    )


def map_html(m: folium.Map) -> str:
    """The complete HTML page of a map (every asset inlined as a ``data:`` URL)."""
    return m.get_root().render()


def _threshold(content: MapContent) -> float | None:
    value = content.parameters.get("threshold_density_per_km2")
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None
