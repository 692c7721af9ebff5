"""The interactive folium map of the app and the HTML snapshot, assembled from its pieces.

The map loads nothing from the internet for its own layers: Leaflet, jQuery and
Leaflet.markercluster come from the installed XStatic packages as ``data:`` URLs
(:mod:`hotspots.render.assets`), set per map in place of folium's CDN defaults; the layers use
only Leaflet itself (no Bootstrap, Font Awesome, awesome-markers, branca colour maps or d3).
Basemap tiles are optional: none by default (offline), OpenStreetMap or a local tile server
through ``tiles`` / ``HOTSPOTS_TILES``, or the organisation's WMS or WMTS server through
``basemap`` / ``HOTSPOTS_BASEMAP`` (:mod:`~hotspots.render.leaflet.basemap`); a basemap with a
tile grid in SWEREF 99 TM (``basemap_grid``) makes the map a map in that CRS (Proj4Leaflet and
proj4js, also packaged). Without them the geography (land, water, districts) is the basemap;
streets with their names and buildings are drawn from it either way
(:mod:`~hotspots.render.leaflet.streets`).

Layers (each toggleable in the layer control): the density surface as a metre-true raster
(:mod:`~hotspots.render.leaflet.density`, with its legend in incidents per km²), hotspot
polygons with their statistics in pop-ups (:mod:`~hotspots.render.leaflet.popups`),
perceived unsafety from the survey, plan suggestions with time windows, geography, in
the internal profile the incident points, clustered, only from street zoom
(:mod:`~hotspots.render.leaflet.layers`), and when the content carries them the zones of raised
risk, off until toggled (:mod:`~hotspots.render.leaflet.risk`).

Every text that reaches the page is escaped with :func:`~hotspots.render.leaflet.escape.
escape_html` and passed to the browser as a JSON string, so a description holding
``<script>`` shows as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import folium
import numpy as np
import pandas as pd
from folium.utilities import JsCode
from pyproj import Transformer

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import check_lang, t
from hotspots.render import assets
from hotspots.render.leaflet.basemap import add_basemap, map_crs, map_crs_script, parse_basemap
from hotspots.render.leaflet.density import density_overlay
from hotspots.render.leaflet.escape import escape_html
from hotspots.render.leaflet.layers import (
    add_geography,
    features,
    incident_layer,
    suggestion_layer,
)
from hotspots.render.leaflet.legend import info_box, legend_sections
from hotspots.render.leaflet.options import (
    BASE_PANE,
    DENSITY_PANE,
    OSM_ATTRIBUTION,
    OSM_URL,
    MapOptions,
    resolve_tiles,
)
from hotspots.render.leaflet.popups import hotspot_popup
from hotspots.render.leaflet.risk import risk_layer, risk_legend
from hotspots.render.leaflet.streets import add_street_layers
from hotspots.render.leaflet.templates import HtmlControl, MetricScale, VectorLayer
from hotspots.render.privacy import MapContent
from hotspots.render.risk_zones import risk_zones_of
from hotspots.render.symbology import (
    HOTSPOT_COLOUR,
    KIND_COLOURS,
    PERCEIVED_COLOUR,
    SURVEY_COLOURS,
    density_classes,
)

__all__ = [
    "OPENING_VIEW_SHARE",
    "OVERLAY_OPACITY",
    "add_overlays",
    "base_map",
    "build_map",
    "main_hotspots",
    "map_bounds",
    "map_html",
    "walk",
]

#: Density overlay opacity.
OVERLAY_OPACITY = 0.75


#: Share of the hotspot incidents the opening view must show (outlying small hotspots may fall
#: outside it, so the town is not shrunk to fit one far-away village).
OPENING_VIEW_SHARE = 0.9


def main_hotspots(frame: Any) -> Any:
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


def map_bounds(content: MapContent, geography: Any | None) -> list[list[float]] | None:
    """Opening view: the main crime hotspots (where planners look first), else the surface."""
    box: tuple[float, float, float, float] | None = None
    crs = content.crs
    hot = content.hotspots
    if len(hot):
        crime = hot[hot["kind"].astype(str) != "perceived"] if "kind" in hot else hot
        frame = main_hotspots(crime if len(crime) else hot)
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
        From :func:`hotspots.render.privacy.apply_privacy`.
    geography
        A :class:`hotspots.spatial.geography.Geography` for districts, roads, places, land
        and water; ``None`` leaves them out.
    options
        Language, tiles and layer options.

    Returns
    -------
    folium.Map
        A map whose every script and style sheet is a ``data:`` URL of a packaged asset.
    """
    opts = options or MapOptions()
    notes: list[str] = []
    m = base_map(geography, opts, notes)
    add_overlays(m, content, options=opts, notes=notes)
    bounds = map_bounds(content, geography)
    if bounds is not None:
        m.fit_bounds(bounds)
    return m


def base_map(geography: Any | None, opts: MapOptions, notes: list[str]) -> folium.Map:
    """The map without the analysis: panes, scale bar, assets, tiles and the geography.

    Every element gets a fixed id (:func:`_fix_ids`), so the same geography and options
    render the same script: the app keeps this part in the browser across filter changes.
    """
    lang = check_lang(opts.lang)
    tiles = resolve_tiles(opts.tiles)
    basemap = parse_basemap(opts.basemap, opts.basemap_grid)
    if basemap is not None and tiles is not None:
        msg = "give a basemap (--basemap / HOTSPOTS_BASEMAP) or tiles (--tiles), not both"
        raise InputSchemaError(msg)
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
    MetricScale().add_to(m)
    folium.map.CustomPane(BASE_PANE, z_index=250).add_to(m)
    folium.map.CustomPane(DENSITY_PANE, z_index=350).add_to(m)
    grid = basemap.grid if basemap is not None else None
    if grid is not None:  # the map in the grid's CRS; overlays stay in latitude, longitude
        m.options["crs"] = JsCode(map_crs_script(grid))
    js, css = assets.js_css_links(assets.map_asset_names(projected=grid is not None))
    m.default_js = js
    m.default_css = css
    if basemap is not None:
        add_basemap(m, basemap, lang=lang)
    elif tiles is not None:
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
        base = tiles is None and basemap is None
        add_geography(m, geography, lang=lang, show=opts.show_geography, base=base)
        add_street_layers(m, geography, lang=lang, show=opts.show_geography)
    _fix_ids(m, "hs")
    return m


def walk(element: Any) -> Iterable[Any]:
    """``element`` and its descendants, depth first in insertion order."""
    yield element
    for child in list(element._children.values()):
        yield from walk(child)


def _fix_ids(m: folium.Map, prefix: str) -> None:
    """Give the map and every element on it a fixed id: ``map_hs``, ``vector_layer_hs3`` ..."""
    for i, element in enumerate(walk(m)):
        element._id = prefix if i == 0 else f"{prefix}{i}"


def add_overlays(
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
    crs = map_crs(parse_basemap(opts.basemap, opts.basemap_grid))  # the rasters are warped to it
    if classes is not None and content.grid is not None and content.density is not None:
        overlay = density_overlay(content.density, content.grid, classes, dst_crs=crs)
    else:
        overlay = None
    layers: dict[str, Any] = {}
    if overlay is not None:
        png, bounds = overlay
        layers["density"] = folium.raster_layers.ImageOverlay(
            image=assets.data_url(png, "image/png"),
            bounds=bounds,
            opacity=OVERLAY_OPACITY,
            name=escape_html(t(_density_key("layer_density", content), lang)),
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
            else density_overlay(content.survey_density, content.grid, survey_classes, dst_crs=crs)
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
        layers["perceived"] = VectorLayer(
            features(
                perceived,
                style={
                    "color": PERCEIVED_COLOUR,
                    "weight": 2,
                    "dashArray": "6 4",
                    "fillColor": PERCEIVED_COLOUR,
                    "fillOpacity": 0.08,
                },
                popup=lambda r: hotspot_popup(r, lang),
                tooltip=lambda r: escape_html(
                    f"{t('perceived_hotspot', lang)} {r.get('rank', '')}"
                ),
            ),
            name=escape_html(t("layer_perceived", lang) + " – " + t("hotspot", lang).lower()),
            show=True,
        ).add_to(m)
    if len(crime):
        layers["hotspots"] = VectorLayer(
            features(
                crime,
                style={
                    "color": HOTSPOT_COLOUR,
                    "weight": 2.5,
                    "fillColor": HOTSPOT_COLOUR,
                    "fillOpacity": 0.05,
                },
                popup=lambda r: hotspot_popup(r, lang),
                tooltip=lambda r: escape_html(f"{t('hotspot', lang)} {r.get('rank', '')}"),
            ),
            name=escape_html(t("layer_hotspots", lang)),
            show=True,
        ).add_to(m)
    sug_layer = suggestion_layer(content, lang)
    if sug_layer is not None:
        layers["suggestions"] = sug_layer.add_to(m)
    risk = risk_layer(content, lang)  # "Förhöjd risk": off until toggled
    if risk is not None:
        layers["risk"] = risk.add_to(m)
    inc_layer = incident_layer(content, opts, notes)
    if inc_layer is not None:
        inc_layer.add_to(m)

    kinds = (
        [k for k in KIND_COLOURS if k in set(content.suggestions["kind"].astype(str))]
        if content.suggestions is not None and len(content.suggestions)
        else []
    )
    HtmlControl(info_box(content, opts, notes), position="bottomleft", css_class="hs-info").add_to(
        m
    )
    sections = legend_sections(
        classes=classes if "density" in layers else None,
        survey_classes=survey_classes if "survey" in layers else None,
        kinds=kinds,
        n_hotspots=len(crime),
        n_perceived=len(perceived),
        lang=lang,
        harm=content.parameters.get("density_unit") == "harm",
        straight_loops=_straight_loops(content.suggestions),
    )
    zones = risk_zones_of(content)
    if zones is not None and "risk" in layers:
        sections.append(("risk", risk_legend(zones, lang)))
    if sections:
        legend = "".join(f'<div data-hs="{key}">{body}</div>' for key, body in sections)
        HtmlControl(
            legend,
            position="bottomright",
            css_class="hs-legend",
            toggles=[(key, layers[key]) for key, _ in sections if key in layers],
        ).add_to(m)
    folium.LayerControl(position="topright", collapsed=opts.collapse_layers).add_to(m)


def _straight_loops(suggestions: pd.DataFrame | None) -> bool:
    """Whether a suggestion's walking loop is drawn as straight lines (no walking network)."""
    if suggestions is None or "loop_path" not in suggestions:
        return False
    return bool((suggestions["loop_path"].astype(str) == "straight").any())


def map_html(m: folium.Map) -> str:
    """The complete HTML page of a map (every asset inlined as a ``data:`` URL)."""
    return m.get_root().render()


def _density_key(key: str, content: MapContent) -> str:
    """``key``, or its ``_harm`` form when the density is harm per km² (``--weights``)."""
    return f"{key}_harm" if content.parameters.get("density_unit") == "harm" else key


def _threshold(content: MapContent) -> float | None:
    value = content.parameters.get("threshold_density_per_km2")
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None
