"""Streets, street names and buildings on the web map, drawn from the geography (no tiles).

Two layers, each toggleable in the layer control:

``Gator`` (:class:`StreetLayer`)
    The streets by class (:data:`hotspots.render.streetmap.STREET_CLASSES`: width and
    colour, a darker casing under each), on a canvas in their own pane above the density
    surface and below the hotspot outlines. Two zoom bands, each simplified in metres before
    projecting: below zoom 14 only the main roads (:data:`~hotspots.render.streetmap.
    COARSE_TOLERANCE_M`), from 14 every street of the study area
    (:data:`~hotspots.render.streetmap.FINE_TOLERANCE_M`; service roads from 15, footways and
    paths from 16). Street names from zoom :data:`STREET_LABEL_ZOOM`: written along the street
    at the middle of each named piece (:func:`hotspots.render.streetmap.label_anchors`), only
    where the name fits the piece at that zoom and does not overlap a name placed before it
    (the main roads first), made afresh for the view after each move.
``Byggnader`` (:class:`BuildingLayer`)
    Building footprints in light grey from zoom :data:`BUILDING_ZOOM`, on a canvas below the
    density surface.

The data go to the page as compact JSON. Coordinates are integers (1e-5 degrees, about a metre,
for streets; 5e-6 for buildings), each point as its difference from the one before, written
in the encoded polyline format (:func:`encode_polyline`: a step of a few metres takes one or
two characters); every line of one class and band is one Leaflet path, all buildings one
more. :func:`street_payload` and
:func:`building_payload` are what a page carries; their size in bytes is
:func:`payload_bytes`.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely
from folium.map import Layer
from jinja2 import Template
from pyproj import Transformer

from hotspots.core.i18n import Lang, t
from hotspots.render.leaflet.escape import escape_html
from hotspots.render.streetmap import (
    BUILDING_EDGE,
    BUILDING_FILL,
    COARSE_BUFFER_M,
    COARSE_TOLERANCE_M,
    FINE_TOLERANCE_M,
    MAIN_CLASSES,
    STREET_CLASSES,
    STUDY_BUFFER_M,
    drawn_buildings,
    drawn_streets,
    label_anchors,
    map_area,
)

__all__ = [
    "BUILDING_QUANTUM",
    "BUILDING_ZOOM",
    "FINE_ZOOM",
    "STREET_LABEL_ZOOM",
    "STREET_QUANTUM",
    "BuildingLayer",
    "StreetLayer",
    "add_street_layers",
    "building_payload",
    "compact_json",
    "encode_polyline",
    "payload_bytes",
    "street_payload",
]

#: Zoom from which every street of the study area is drawn (below: the main roads only).
FINE_ZOOM = 14
#: Zoom from which street names are written.
STREET_LABEL_ZOOM = 15
#: Zoom from which buildings are drawn.
BUILDING_ZOOM = 15
#: Coordinates are sent as integers of 1 / quantum degrees.
STREET_QUANTUM = 100_000
BUILDING_QUANTUM = 200_000

#: Panes (Leaflet z-index): buildings above the land and water (250) and below the density
#: (350); streets above the density and below the hotspot outlines (400); names above those
#: and below markers (600).
BUILDING_PANE, STREET_PANE, LABEL_PANE = "hsBuildings", "hsStreets", "hsStreetLabels"


def compact_json(value: Any) -> str:
    """JSON without spaces that is safe inside a ``<script>`` element."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, code)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def payload_bytes(payload: dict[str, Any] | None) -> int:
    """Size of ``payload`` on the page, bytes (UTF-8 of :func:`compact_json`)."""
    return 0 if payload is None else len(compact_json(payload).encode("utf-8"))


def _to_lonlat(crs: Any) -> Transformer:
    return Transformer.from_crs(crs, 4326, always_xy=True)


def _quantised(coords: np.ndarray, transformer: Transformer, quantum: int) -> np.ndarray:
    """Metric ``(n, 2)`` coordinates as integer ``(lat, lon)`` in 1 / quantum degrees."""
    if not len(coords):
        return np.zeros((0, 2), dtype=np.int64)
    lon, lat = transformer.transform(coords[:, 0], coords[:, 1])
    return np.column_stack(
        [np.round(np.asarray(lat) * quantum), np.round(np.asarray(lon) * quantum)]
    ).astype(np.int64)


def encode_polyline(values: np.ndarray) -> tuple[str, np.ndarray]:
    """Signed integers in the encoded polyline format, and how many characters each took.

    Each value is zig-zag coded (0, -1, 1, -2 ... as 0, 1, 2, 3 ...) and written in 5-bit
    chunks, least significant first, each as one character from ``?`` (63) to ``~`` (126),
    0x20 added to every chunk but the last: the format of Google's encoded polylines, so
    ``(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)`` at 1e5 is
    ``_p~iF~ps|U_ulLnnqC_mqNvxq`@``.
    """
    v = np.asarray(values, dtype=np.int64)
    z = ((v << 1) ^ (v >> 63)).astype(np.uint64)
    counts = np.ones(len(z), dtype=np.int64)
    rest = z >> np.uint64(5)
    while rest.any():
        counts += rest > 0
        rest >>= np.uint64(5)
    width = int(counts.max()) if len(counts) else 0
    grid = np.zeros((len(z), width), dtype=np.uint8)
    for k in range(width):
        chunk = ((z >> np.uint64(5 * k)) & np.uint64(31)).astype(np.uint8)
        more = (counts > k + 1).astype(np.uint8) << 5
        grid[:, k] = (chunk | more) + 63
    chars = grid[np.arange(width)[None, :] < counts[:, None]]
    return chars.tobytes().decode("ascii"), counts


def _coded_parts(
    q: np.ndarray, index: np.ndarray, n: int, origin: np.ndarray, *, min_points: int
) -> list[str]:
    """Per part (``index`` gives each point's part), its points as an encoded polyline.

    The differences run on from part to part (the first from ``origin``), so a decoder keeps
    one running position over all parts in order. Repeated points (equal once rounded) are
    dropped; a part left with fewer than ``min_points`` points is ``""`` and takes no step.
    """
    if not len(q):
        return [""] * n
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = (index[1:] != index[:-1]) | np.any(q[1:] != q[:-1], axis=1)
    q, index = q[keep], index[keep]
    sizes = np.bincount(index, minlength=n)
    ok = sizes >= min_points
    q, index = q[ok[index]], index[ok[index]]
    if not len(q):
        return [""] * n
    deltas = np.diff(q, axis=0, prepend=origin[None, :])
    text, counts = encode_polyline(deltas.ravel())
    per_point = counts[0::2] + counts[1::2]
    per_part = np.bincount(index, weights=per_point, minlength=n).astype(np.int64)
    ends = np.cumsum(per_part)
    starts = ends - per_part
    return [text[a:b] if good else "" for a, b, good in zip(starts, ends, ok, strict=True)]


def street_payload(geography: Any) -> dict[str, Any] | None:
    """What the page needs to draw the streets and their names, or ``None`` without streets.

    Returns
    -------
    dict or None
        ``q`` (quantum), ``o`` (origin, integer lat/lon), ``classes`` (per class: ``k`` key,
        ``f`` fill, ``c`` casing, ``w`` width at zoom 16 in pixels, ``z`` first zoom, ``d``
        dash), ``coarse`` and ``fine`` (per class, its lines as encoded polylines whose
        differences run on through the band, class by class, from the origin), and
        ``labels``: ``names`` (escaped, each once) and per label ``n`` (name index), ``y``,
        ``x`` (integer lat/lon from the origin), ``a`` (angle, degrees counter-clockwise from
        east) and ``r`` (length of street it may cover, metres).
    """
    fine_area = map_area(geography, buffer_m=STUDY_BUFFER_M)
    coarse_area = map_area(geography, buffer_m=COARSE_BUFFER_M)
    fine = drawn_streets(geography, area=fine_area, tolerance_m=FINE_TOLERANCE_M)
    coarse = drawn_streets(
        geography, area=coarse_area, tolerance_m=COARSE_TOLERANCE_M, classes=MAIN_CLASSES
    )
    if not len(fine) and not len(coarse):
        return None
    anchors = label_anchors(fine)
    transformer = _to_lonlat(geography.crs)
    keys = [c.key for c in STREET_CLASSES]
    bands: dict[str, Any] = {}
    coded: dict[str, tuple[np.ndarray, np.ndarray, Any]] = {}
    for band, lines_of_band in (("coarse", coarse), ("fine", fine)):
        # class by class in the decoder's order (drawn_streets sorts by class rank)
        order = np.argsort([keys.index(c) for c in lines_of_band["cls"]], kind="stable")
        frame = lines_of_band.iloc[order]
        coords, index = shapely.get_coordinates(frame.geometry.to_numpy(), return_index=True)
        coded[band] = (_quantised(coords, transformer, STREET_QUANTUM), index, frame)
    label_q = _quantised(anchors[["x", "y"]].to_numpy(dtype=float), transformer, STREET_QUANTUM)
    every = [q for q, _, _ in coded.values() if len(q)] + ([label_q] if len(label_q) else [])
    origin = np.min(np.vstack(every), axis=0)
    for band, (q, index, frame) in coded.items():
        lines = _coded_parts(q, index, len(frame), origin, min_points=2)
        per_class: list[list[str]] = [[] for _ in keys]
        for cls, line in zip(frame["cls"], lines, strict=True):
            if line:
                per_class[keys.index(cls)].append(line)
        bands[band] = per_class
    names, name_index = np.unique(anchors["name"].to_numpy(dtype=str), return_inverse=True)
    rel = label_q - origin if len(label_q) else label_q
    return {
        "q": STREET_QUANTUM,
        "o": origin.tolist(),
        "classes": [
            {"k": c.key, "f": c.fill, "c": c.casing, "w": c.width_px, "z": c.min_zoom, "d": c.dash}
            for c in STREET_CLASSES
        ],
        "coarse": bands["coarse"],
        "fine": bands["fine"],
        "labels": {
            "names": [escape_html(n) for n in names.tolist()],
            "n": name_index.astype(int).tolist(),
            "y": rel[:, 0].tolist() if len(rel) else [],
            "x": rel[:, 1].tolist() if len(rel) else [],
            "a": np.round(anchors["angle_deg"].to_numpy(dtype=float)).astype(int).tolist(),
            "r": np.round(anchors["room_m"].to_numpy(dtype=float)).astype(int).tolist(),
        },
    }


def building_payload(geography: Any) -> dict[str, Any] | None:
    """The buildings of the study area for the page, or ``None`` without buildings.

    Returns
    -------
    dict or None
        ``q`` (quantum), ``o`` (origin) and ``p``: per building its outline as an encoded
        polyline (the closing point left out), or a list of its rings (outline first, then
        its courtyards) when it has holes. The differences run on from ring to ring, from
        the origin; the buildings come in rows of 100 m from south to north, west to east
        in each, so the step from one building to the next is short.
    """
    area = map_area(geography, buffer_m=STUDY_BUFFER_M)
    polys = drawn_buildings(geography, area=area)
    if not len(polys):
        return None
    centres = shapely.get_coordinates(shapely.point_on_surface(polys.to_numpy()))
    geoms = polys.to_numpy()[np.lexsort((centres[:, 0], np.floor(centres[:, 1] / 100.0)))]
    rings, ring_of = shapely.get_rings(geoms, return_index=True)
    coords, index = shapely.get_coordinates(rings, return_index=True)
    closing = np.r_[index[1:] != index[:-1], True]  # the last point of each ring repeats its first
    coords, index = coords[~closing], index[~closing]
    q = _quantised(coords, _to_lonlat(geography.crs), BUILDING_QUANTUM)
    origin = q.min(axis=0)
    # a polygon whose outline collapses (under a quantum) is left out with its courtyards
    shell = np.r_[True, ring_of[1:] != ring_of[:-1]]
    keep = np.ones(len(q), dtype=bool)
    keep[1:] = (index[1:] != index[:-1]) | np.any(q[1:] != q[:-1], axis=1)
    sizes = np.bincount(index[keep], minlength=len(rings))
    dropped = np.unique(ring_of[shell & (sizes < 3)])
    ring_ok = ~np.isin(ring_of, dropped)
    point_ok = ring_ok[index]
    renum = np.cumsum(ring_ok) - 1
    coded = _coded_parts(
        q[point_ok], renum[index[point_ok]], int(ring_ok.sum()), origin, min_points=3
    )
    out: list[Any] = []
    for ring, is_shell in zip(coded, shell[ring_ok], strict=True):
        if is_shell:
            out.append([ring])
        elif ring:  # a courtyard
            out[-1].append(ring)
    return {
        "q": BUILDING_QUANTUM,
        "o": origin.tolist(),
        "p": [rings_[0] if len(rings_) == 1 else rings_ for rings_ in out if rings_[0]],
    }


#: JavaScript: the points of one encoded polyline, moving the running position ``at``.
DECODER = """
function hsDecode(s, at, q) {
    var pts = [], i = 0, n = s.length;
    while (i < n) {
        for (var k = 0; k < 2; k++) {
            var shift = 0, v = 0, b;
            do { b = s.charCodeAt(i++) - 63; v |= (b & 31) << shift; shift += 5; }
            while (b >= 32);
            at[k] += (v & 1) ? ~(v >> 1) : (v >> 1);
        }
        pts.push([at[0] / q, at[1] / q]);
    }
    return pts;
}
"""


class StreetLayer(Layer):
    """The streets by class and their names (see the module docstring)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .hs-street-label { pointer-events: none; }
        .hs-street-label span {
            position: absolute; left: 0; top: 0; white-space: nowrap;
            transform-origin: 50% 50%; font: italic 600 11px/1 system-ui, sans-serif;
            color: #3a3a3a; letter-spacing: 0.2px;
            text-shadow: 0 0 2px #fff, 0 0 2px #fff, 0 0 3px #fff, 0 0 4px #fff; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (map, handle, d, fineZoom, labelZoom) {
            function pane(name, z) {
                var p = map.getPane(name) || map.createPane(name);
                p.style.zIndex = z; p.style.pointerEvents = 'none';
            }
            pane({{ this.street_pane|tojson }}, 370);
            pane({{ this.label_pane|tojson }}, 450);
            var renderer = L.canvas({pane: {{ this.street_pane|tojson }}, padding: 0.3});
            var q = d.q, o = d.o, cls = d.classes;
            {{ this.decoder }}
            var lines = L.layerGroup().addTo(handle), names = L.layerGroup().addTo(handle);
            var made = {};
            function band(key) {  // per class: [casing or null, fill], made when first needed
                if (made[key]) { return made[key]; }
                var at = [o[0], o[1]];  // the differences run on through the band
                made[key] = cls.map(function (c, k) {
                    var parts = d[key][k];
                    if (!parts.length) { return null; }
                    var ll = parts.map(function (s) { return hsDecode(s, at, q); });
                    var common = {renderer: renderer, interactive: false,
                        lineCap: 'round', lineJoin: 'round', opacity: 1, smoothFactor: 0.7};
                    return [c.c ? L.polyline(ll, L.extend({color: c.c}, common)) : null,
                            L.polyline(ll, L.extend({color: c.f, dashArray: c.d}, common))];
                });
                return made[key];
            }
            var state = null;
            function drawLines(z) {
                var key = z < fineZoom ? 'coarse' : 'fine', pairs = band(key), want = [];
                for (var k = 0; k < cls.length; k++) {
                    if (pairs[k] && (key === 'coarse' || cls[k].z <= z)) { want.push(k); }
                }
                var now = key + want.join(',');
                if (now !== state) {  // casings first, the most important class last (on top)
                    state = now; lines.clearLayers();
                    for (var pass = 0; pass < 2; pass++) {
                        for (var j = want.length - 1; j >= 0; j--) {
                            var l = pairs[want[j]][pass];
                            if (l) { lines.addLayer(l); }
                        }
                    }
                }
                want.forEach(function (k) {
                    var w = Math.max(0.7, cls[k].w * Math.pow(2, (z - 16) / 2));
                    if (pairs[k][0]) { pairs[k][0].setStyle({weight: w + (z >= 15 ? 2 : 1)}); }
                    pairs[k][1].setStyle({weight: w});
                });
            }
            var ctx = document.createElement('canvas').getContext('2d');
            ctx.font = 'italic 600 11px system-ui, sans-serif';
            var widths = d.labels.names.map(function (n) {
                var el = document.createElement('span'); el.innerHTML = n;  // escaped text
                return ctx.measureText(el.textContent).width + 4;
            });
            function drawNames(z) {
                names.clearLayers();
                if (z < labelZoom) { return; }
                var lab = d.labels, view = map.getBounds().pad(0.1), kept = [];
                var mpp = 40075016.686 * Math.cos(map.getCenter().lat * Math.PI / 180)
                    / Math.pow(2, z + 8);
                for (var i = 0; i < lab.n.length && kept.length < 400; i++) {
                    var ll = L.latLng((o[0] + lab.y[i]) / q, (o[1] + lab.x[i]) / q);
                    if (!view.contains(ll)) { continue; }
                    var w = widths[lab.n[i]], h = 13;
                    if (w * mpp > 0.95 * lab.r[i]) { continue; }  // the name does not fit here
                    var a = lab.a[i] * Math.PI / 180, c = Math.abs(Math.cos(a)),
                        s = Math.abs(Math.sin(a));
                    var bw = (w * c + h * s) / 2, bh = (w * s + h * c) / 2;
                    var p = map.latLngToContainerPoint(ll);
                    var box = [p.x - bw, p.y - bh, p.x + bw, p.y + bh];
                    var clash = kept.some(function (k) {
                        return box[0] < k[2] && box[2] > k[0] && box[1] < k[3] && box[3] > k[1];
                    });
                    if (clash) { continue; }
                    kept.push(box);
                    var html = '<span style="transform: translate(-50%,-50%) rotate('
                        + (-lab.a[i]) + 'deg)">' + lab.names[lab.n[i]] + '</span>';
                    names.addLayer(L.marker(ll, {
                        icon: L.divIcon({className: 'hs-street-label', html: html,
                                         iconSize: [0, 0]}),
                        interactive: false, keyboard: false,
                        pane: {{ this.label_pane|tojson }}}));
                }
            }
            function update() {
                if (!map.hasLayer(handle)) { return; }
                var z = map.getZoom();
                drawLines(z);
                drawNames(z);
            }
            map.on('zoomend', function () {
                if (map.hasLayer(handle)) { drawLines(map.getZoom()); }
            });
            map.on('moveend', function () {  // after every zoom too: the names of the view
                if (map.hasLayer(handle)) { drawNames(map.getZoom()); }
            });
            handle.on('add', function () { setTimeout(update, 0); });
            map.whenReady(function () { setTimeout(update, 0); });
            {% if this.attribution %}
            if (map.attributionControl) {
                map.attributionControl.addAttribution({{ this.attribution|tojson }});
            }
            {% endif %}
        })({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.data_json }},
           {{ this.fine_zoom }}, {{ this.label_zoom }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, Any],
        *,
        name: str,
        show: bool = True,
        attribution: str = "",
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "StreetLayer"
        self.decoder = DECODER
        self.data_json = compact_json(data)
        self.street_pane = STREET_PANE
        self.label_pane = LABEL_PANE
        self.fine_zoom = FINE_ZOOM
        self.label_zoom = STREET_LABEL_ZOOM
        self.attribution = attribution


class BuildingLayer(Layer):
    """Building footprints in light grey from :data:`BUILDING_ZOOM` (one canvas path)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (map, handle, d, minZoom) {
            var p = map.getPane({{ this.pane|tojson }})
                || map.createPane({{ this.pane|tojson }});
            p.style.zIndex = 260; p.style.pointerEvents = 'none';
            var shape = null;
            {{ this.decoder }}
            function make() {  // every building as one polygon path, made when first shown
                var q = d.q, at = [d.o[0], d.o[1]];
                var polys = d.p.map(function (b) {
                    var rings = typeof b === 'string' ? [b] : b;
                    return rings.map(function (s) { return hsDecode(s, at, q); });
                });
                return L.polygon(polys, {
                    renderer: L.canvas({pane: {{ this.pane|tojson }}, padding: 0.3}),
                    interactive: false, color: {{ this.edge|tojson }}, weight: 0.6,
                    opacity: 1, fillColor: {{ this.fill|tojson }}, fillOpacity: 1,
                    smoothFactor: 0.3});
            }
            function update() {
                if (!map.hasLayer(handle)) { return; }
                if (map.getZoom() >= minZoom) {
                    shape = shape || make();
                    if (!handle.hasLayer(shape)) { handle.addLayer(shape); }
                } else if (shape && handle.hasLayer(shape)) {
                    handle.removeLayer(shape);
                }
            }
            map.on('zoomend', update);
            handle.on('add', function () { setTimeout(update, 0); });
            map.whenReady(function () { setTimeout(update, 0); });
        })({{ this._parent.get_name() }}, {{ this.get_name() }}, {{ this.data_json }},
           {{ this.min_zoom }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], *, name: str, show: bool = True) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "BuildingLayer"
        self.decoder = DECODER
        self.data_json = compact_json(data)
        self.pane = BUILDING_PANE
        self.min_zoom = BUILDING_ZOOM
        self.fill = BUILDING_FILL
        self.edge = BUILDING_EDGE


def add_street_layers(m: Any, geography: Any, *, lang: Lang, show: bool) -> None:
    """Add the street layer (with names) and the building layer of ``geography`` to ``m``.

    A layer whose data are empty (no streets, no buildings: the demo geography has no
    buildings) is left out. The street layer carries the geography's attribution (e.g.
    ``© OpenStreetMap contributors``) into the map's attribution box.
    """
    streets = street_payload(geography)
    if streets is not None:
        StreetLayer(
            streets,
            name=escape_html(t("layer_streets", lang)),
            show=show,
            attribution=escape_html(getattr(geography, "attribution", "") or ""),
        ).add_to(m)
    buildings = building_payload(geography)
    if buildings is not None:
        BuildingLayer(buildings, name=escape_html(t("layer_buildings", lang)), show=show).add_to(m)
