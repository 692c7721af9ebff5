"""The map's own folium elements and their JavaScript templates.

Their scripts use only Leaflet (and Leaflet.markercluster for the incident points); every
string reaches the page through ``tojson``, already escaped (:func:`~hotspots.render.leaflet.
escape.escape_html`), so no text of the data becomes live markup.
"""

from __future__ import annotations

from typing import Any

from branca.element import MacroElement
from folium.map import Layer
from jinja2 import Template

__all__ = ["BaseLayerRef", "HtmlControl", "IncidentLayer", "MetricScale", "VectorLayer"]


class VectorLayer(Layer):
    """A GeoJSON layer whose features carry their own style, popup and tooltip (escaped HTML).

    Options for crowded layers:

    ``label_class`` and ``label_zoom``
        Features with an ``_l`` property get it as a label on the map (a permanent tooltip
        of CSS class ``hs-label hs-label-<label_class>``), shown only between the two zoom
        levels (inclusive): district names at town zoom, place names at street zoom. A label
        that would overlap one shown before it is hidden, so give the features most
        important first. A feature styled with ``className: "hs-only-<label_class>"`` is
        itself drawn only between those zoom levels.
    ``cluster``
        Point features go into a Leaflet.markercluster group: markers that would overlap are
        drawn as one numbered circle, which spreads them apart when clicked (lines and
        polygons are drawn as usual), so each can be clicked.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        {% if this.label_class %}
        <style>
        .hs-label { background: rgba(255,255,255,0.75); border: none; box-shadow: none;
                    padding: 0 3px; font: 600 11px/1.2 system-ui, sans-serif; color: #333; }
        .hs-label:before { display: none; }
        .hs-label-{{ this.label_class }} { display: none; }
        .hs-z-{{ this.label_class }} .hs-label-{{ this.label_class }} { display: block; }
        path.hs-only-{{ this.label_class }} { display: none; }
        .hs-z-{{ this.label_class }} path.hs-only-{{ this.label_class }} { display: inline; }
        </style>
        {% endif %}
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function (data) {
            var label = {{ this.label_class|tojson }};
            var cluster = {{ this.cluster|tojson }};
            function options(filter) {
                return {
                    {% if this.pane %}pane: {{ this.pane|tojson }},{% endif %}
                    filter: filter,
                    style: function (f) { return f.properties._s; },
                    pointToLayer: function (f, ll) { return L.circleMarker(ll, f.properties._s); },
                    onEachFeature: function (f, l) {
                        if (f.properties._p) {
                            l.bindPopup(f.properties._p, {
                                maxWidth: 340, autoPanPaddingTopLeft: [50, 10]});
                        }
                        if (label && f.properties._l) {
                            var point = f.geometry.type === 'Point';
                            l.bindTooltip(f.properties._l, {
                                permanent: true, interactive: false,
                                direction: point ? 'right' : 'center',
                                offset: point ? [6, 0] : [0, 0],
                                className: 'hs-label hs-label-' + label});
                        } else if (f.properties._t) {
                            l.bindTooltip(f.properties._t, {sticky: true});
                        }
                    }
                };
            }
            if (!cluster || !L.markerClusterGroup) { return L.geoJSON(data, options(null)); }
            var points = L.markerClusterGroup({
                maxClusterRadius: 22, showCoverageOnHover: false, spiderfyOnMaxZoom: true,
                zoomToBoundsOnClick: true, spiderfyDistanceMultiplier: 1.5});
            points.addLayer(L.geoJSON(data, options(function (f) {
                return f.geometry.type === 'Point'; })));
            var rest = L.geoJSON(data, options(function (f) {
                return f.geometry.type !== 'Point'; }));
            return L.featureGroup([rest, points]);
        })({{ this.data|tojson }});
        {% if this.label_class %}
        (function (map, layer, name, lo, hi) {
            // labels that would overlap an earlier one are hidden (features come most
            // important first), so a crowded centre stays readable at every zoom
            function declutter() {
                var kept = [];
                layer.eachLayer(function (l) {
                    var tip = l.getTooltip && l.getTooltip();
                    var el = tip && tip.getElement && tip.getElement();
                    if (!el) { return; }
                    el.style.visibility = '';
                    var r = el.getBoundingClientRect();
                    if (!r.width) { return; }
                    var clash = kept.some(function (k) {
                        return r.left < k.right && r.right > k.left
                            && r.top < k.bottom && r.bottom > k.top;
                    });
                    if (clash) { el.style.visibility = 'hidden'; } else { kept.push(r); }
                });
            }
            function gate() {
                var z = map.getZoom(), el = map.getContainer();
                if (z >= lo && z <= hi) { L.DomUtil.addClass(el, name); }
                else { L.DomUtil.removeClass(el, name); }
                if (map.hasLayer(layer)) { declutter(); }
            }
            map.on('zoomend', gate);
            map.on('overlayadd', function (e) { if (e.layer === layer) { gate(); } });
            map.whenReady(function () { setTimeout(gate, 0); });
        })({{ this._parent.get_name() }}, {{ this.get_name() }},
           {{ ('hs-z-' ~ this.label_class)|tojson }},
           {{ this.label_zoom[0] }}, {{ this.label_zoom[1] }});
        {% endif %}
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: dict[str, Any],
        *,
        name: str,
        show: bool = True,
        pane: str | None = None,
        label_class: str | None = None,
        label_zoom: tuple[int, int] = (0, 30),
        cluster: bool = False,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "VectorLayer"
        self.data = data
        self.pane = pane
        self.label_class = label_class
        self.label_zoom = (int(label_zoom[0]), int(label_zoom[1]))
        self.cluster = bool(cluster)


class IncidentLayer(Layer):
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


class HtmlControl(MacroElement):
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
        .hs-box summary .hs-sum { display: block; font-size: 11px; font-weight: 400;
                                  color: #333; margin-left: 14px; }
        .hs-box details[open] summary .hs-sum { display: none; }
        .hs-box details:not([open]) summary { margin: 0; }
        .hs-box table { border-collapse: collapse; }
        .hs-box th { text-align: left; font-weight: 600; padding: 0 8px 0 0;
                     vertical-align: top; white-space: nowrap; }
        .hs-box td { padding: 0; vertical-align: top; }
        .hs-box .sw { display: inline-block; width: 14px; height: 11px; margin-right: 5px;
                      vertical-align: middle; border: 1px solid rgba(0,0,0,0.25); }
        .hs-box .note { color: #555; font-size: 11px; margin-top: 3px; }
        .hs-box table, .hs-pop table { font-size: inherit; }  /* also in quirks mode */
        path.leaflet-interactive:focus { outline: none; }  /* no box around a clicked area */
        .hs-pop { font-size: 12px; line-height: 1.35; }
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
                // a box the reader unfolded stays so when the app replaces the overlay
                var box = d.querySelector('details'), seen = window.__hsOpen || {};
                window.__hsOpen = seen;
                if (box) {
                    var name = {{ this.css_class|tojson }};
                    if (name in seen) { box.open = seen[name]; }
                    box.addEventListener('toggle', function () { seen[name] = box.open; });
                }
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


class MetricScale(MacroElement):
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


class BaseLayerRef(Layer):
    """Stands for a layer of the base map, so the layer control of the overlay lists it."""

    _template = Template("")

    def __init__(self, var_name: str, layer_name: str, *, overlay: bool, control: bool) -> None:
        super().__init__(name=layer_name, overlay=overlay, control=control, show=False)
        self._var_name = var_name

    def get_name(self) -> str:
        """The base layer's JavaScript variable."""
        return self._var_name
