"""The vector layers of the map: geography, incident points and suggestions, as GeoJSON.

Geometries go to WGS84 only here, at display time; each feature carries its own style, pop-up
and tooltip (escaped HTML).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from hotspots.core.i18n import Lang, t
from hotspots.core.numbers import number_text
from hotspots.render import labels
from hotspots.render.leaflet.escape import escape_html
from hotspots.render.leaflet.options import BASE_PANE, MapOptions
from hotspots.render.leaflet.popups import suggestion_popup, value_of
from hotspots.render.leaflet.templates import IncidentLayer, VectorLayer
from hotspots.render.privacy import MapContent
from hotspots.render.symbology import KIND_COLOURS

__all__ = [
    "DISTRICT_LABEL_ZOOM",
    "PLACE_LABEL_ZOOM",
    "PLACE_ORDER",
    "add_geography",
    "features",
    "incident_layer",
    "suggestion_layer",
]


def _to_wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if frame.crs is None:
        return frame
    return frame if frame.crs.equals(CRS.from_epsg(4326)) else frame.to_crs(4326)


def features(
    frame: gpd.GeoDataFrame,
    *,
    style: Any,
    popup: Any = None,
    tooltip: Any = None,
    label: Any = None,
    simplify_m: float = 0.0,
) -> dict[str, Any]:
    """A FeatureCollection in WGS84 with per-feature style, popup, tooltip and label.

    The properties are ``_s`` (style), ``_p`` (popup), ``_t`` (tooltip) and ``_l`` (label; see
    :class:`~hotspots.render.leaflet.templates.VectorLayer`).
    """
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
        if label is not None:
            props["_l"] = label(rec)
        features.append(
            {"type": "Feature", "geometry": shapely.geometry.mapping(geom), "properties": props}
        )
    return {"type": "FeatureCollection", "features": features}


def _geometry_frame(geom: Any, crs: Any) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"n": [0]}, geometry=[geom], crs=crs)


def _style_district(_: Mapping[str, Any]) -> dict[str, Any]:
    return {"color": "#444", "weight": 1, "dashArray": "4 3", "fill": False, "opacity": 0.8}


#: Zoom levels (inclusive) at which district names are written on the map: the town fills
#: the map at 12-13, and from 16 the streets take over.
DISTRICT_LABEL_ZOOM = (12, 15)
#: Zoom levels at which the named places (squares, stations, venues ...) and their names are
#: drawn: street level, where they do not hide the hotspots.
PLACE_LABEL_ZOOM = (15, 19)
#: Order of the place kinds on the map: a label of an earlier kind wins where two overlap.
PLACE_ORDER = (
    "square",
    "station",
    "bus_terminal",
    "shopping_centre",
    "university",
    "school",
    "youth_centre",
    "park",
    "harbour",
    "nightlife_street",
    "systembolaget",
    "venue",
    "car_park",
)


def _style_place(_: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "className": "hs-only-places",  # dark, unlike the white incident points
        "radius": 5,
        "color": "#fff",
        "weight": 1.5,
        "fillColor": "#2b3a55",
        "fillOpacity": 1.0,
    }


def add_geography(m: folium.Map, geography: Any, *, lang: Lang, show: bool, base: bool) -> None:
    """Add the geography to ``m``: districts and places, and land and water as basemap.

    ``base`` draws land and water (when there are no tiles); ``show`` turns the district and
    place layers on when the map opens. Streets, their names and buildings are added by
    :func:`hotspots.render.leaflet.streets.add_street_layers`.
    """
    crs = geography.crs
    if base:
        land = _geometry_frame(geography.land, crs)
        # a lake larger than the municipality (Vänern) is drawn only where the map is
        frame = shapely.box(*shapely.buffer(geography.municipality.envelope, 500.0).bounds)
        water = _geometry_frame(geography.water.intersection(frame), crs)
        fc_land = features(
            land,
            style={"color": "#bbb", "weight": 0.5, "fillColor": "#f4f1ea", "fillOpacity": 1.0},
            simplify_m=5.0,
        )
        fc_water = features(
            water,
            style={"color": "#9ecae1", "weight": 0.5, "fillColor": "#c6dbef", "fillOpacity": 1.0},
            simplify_m=5.0,
        )
        fc_land["features"].extend(fc_water["features"])
        VectorLayer(
            fc_land, name=escape_html(t("layer_basemap", lang)), show=True, pane=BASE_PANE
        ).add_to(m)
    districts = geography.districts
    if districts is not None and len(districts):
        # the largest first: where two names would overlap, the larger district keeps its own
        districts = districts.iloc[(-districts.geometry.area.to_numpy()).argsort(kind="stable")]
        VectorLayer(
            features(
                districts,
                style=_style_district,
                label=lambda r: escape_html(r.get("name", "")),
                simplify_m=3.0,
            ),
            name=escape_html(t("layer_districts", lang)),
            show=show,
            label_class="districts",
            label_zoom=DISTRICT_LABEL_ZOOM,
        ).add_to(m)
    # the roads and streets: hotspots.render.leaflet.streets (the street layer)
    places = geography.places
    if places is not None and len(places):

        def place_pop(r: Mapping[str, Any]) -> str:
            kind_text = labels.place_kind(r.get("kind", ""), lang)
            return escape_html(f"{r.get('name', '')} ({kind_text})")

        rank = {kind: i for i, kind in enumerate(PLACE_ORDER)}
        order = places["kind"].astype(str).map(lambda k: rank.get(k, len(rank)))
        places = places.iloc[order.argsort(kind="stable")]
        VectorLayer(
            features(
                places,
                style=_style_place,
                popup=place_pop,
                label=lambda r: escape_html(r.get("name", "")),
            ),
            name=escape_html(t("layer_places", lang)),
            show=show,
            label_class="places",
            label_zoom=PLACE_LABEL_ZOOM,
        ).add_to(m)


def incident_layer(
    content: MapContent, options: MapOptions, notes: list[str]
) -> IncidentLayer | None:
    """The incident points of the internal profile as compact columns, or ``None``.

    At most ``options.max_incident_points`` (the latest; a note says so), or none at all with
    ``options.lazy_incidents`` (the layer then asks for them at street zoom).
    """
    inc = content.incidents
    if content.profile != "internal" or inc is None or not len(inc):
        return None
    lang = options.lang
    total = len(inc)
    if total > options.max_incident_points:
        shown = min(total, options.max_incident_points)
        notes.append(
            t("incident_cap", lang, shown=number_text(shown, lang), total=number_text(total, lang))
        )
        if not options.lazy_incidents:
            inc = inc.sort_values("occurred_at", ascending=False).head(shown)
    field_names = {
        k: escape_html(t(k, lang)) for k in ("time", "precision", "source", "description")
    }
    layer_args: dict[str, Any] = {
        "labels": field_names,
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
        return IncidentLayer(None, categories=[], **layer_args)
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
    return IncidentLayer(
        points, categories=[escape_html(labels.category(c, lang)) for c in uniq], **layer_args
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


def suggestion_layer(content: MapContent, lang: Lang) -> VectorLayer | None:
    """The plan's suggestions coloured by kind, with pop-ups and tooltips, or ``None``."""
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
        kind_text = labels.suggestion_kind(rec.get("kind", ""), lang)
        hours = labels.hours_text(value_of(rec, "hours"))
        return escape_html(f"{kind_text}: {rec.get('place', '')} {hours}".strip())

    return VectorLayer(
        features(sug, style=style, popup=lambda r: suggestion_popup(r, lang), tooltip=tip),
        name=escape_html(t("layer_suggestions", lang)),
        show=True,
        cluster=True,  # 22 markers piled up in the centre: nearby ones spread when clicked
    )
