"""Streets, buildings and street names of a geography, as the maps draw them (pure, no I/O).

The interactive map (:mod:`hotspots.render.leaflet.streets`) and the PNG/PDF map
(:mod:`hotspots.render.static_streets`) draw the same street classes, colours and names from
here. Everything is computed in the geography's metric CRS, in metres, before any
projection:

* the streets of a built geography (its ``streets`` layer, classed by the OSM ``highway``
  value), else the geography's ``roads`` (classed by their ``kind``);
* only what lies in the study area: the land of the districts (else the municipality's land),
  widened by a margin, so a map does not carry a whole municipality's forest roads;
* merged per street name and class (one line where OSM has a segment per block) and
  simplified with a tolerance in metres chosen per zoom band (coarse for the main roads at
  city zoom, fine at street zoom);
* the street names as label anchors: the middle of each merged piece of a named street (a
  long piece gets one label every :data:`LABEL_SPACING_M`), with the direction of the street
  there, so a name can be written along it;
* the buildings in the study area, simplified.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

__all__ = [
    "BUILDING_EDGE",
    "BUILDING_FILL",
    "BUILDING_TOLERANCE_M",
    "COARSE_BUFFER_M",
    "COARSE_TOLERANCE_M",
    "FINE_TOLERANCE_M",
    "LABEL_MIN_LENGTH_M",
    "LABEL_SPACING_M",
    "MAIN_CLASSES",
    "STREET_CLASSES",
    "STUDY_BUFFER_M",
    "StreetClass",
    "drawn_buildings",
    "drawn_streets",
    "label_anchors",
    "map_area",
    "street_class",
    "street_lines",
    "style_of",
]


@dataclass(frozen=True, slots=True)
class StreetClass:
    """How one class of street is drawn.

    Attributes
    ----------
    key
        ``motorway``, ``primary``, ``secondary``, ``street``, ``pedestrian``, ``service`` or
        ``path``.
    rank
        Importance: 0 is the most important (drawn on top, named first).
    fill
        Colour of the street's line (hex).
    casing
        Colour of the darker edge drawn under it (hex; empty for none).
    width_px
        Width of the line on the web map at zoom 16, pixels (it halves every two zoom
        levels out and doubles every two in).
    width_m
        Width of the street on paper at true scale, metres (a PNG/PDF map draws it at the
        page's scale, within a readable range of points).
    min_zoom
        The web map draws the class from this zoom level (the main roads from 0).
    dash
        SVG/canvas dash pattern (``"3 3"``), or ``None`` for a solid line.
    """

    key: str
    rank: int
    fill: str
    casing: str
    width_px: float
    width_m: float
    min_zoom: int
    dash: str | None = None


#: The street classes, most important first.
STREET_CLASSES: tuple[StreetClass, ...] = (
    StreetClass("motorway", 0, "#f5bd6f", "#9c6428", 8.0, 22.0, 0),
    StreetClass("primary", 1, "#fad98a", "#a3843a", 7.0, 16.0, 0),
    StreetClass("secondary", 2, "#fff2bf", "#a69866", 6.0, 13.0, 0),
    StreetClass("street", 3, "#ffffff", "#9a9a9a", 5.0, 9.0, 14),
    StreetClass("pedestrian", 4, "#eeebf3", "#a39db0", 4.0, 7.0, 15),
    StreetClass("service", 5, "#ffffff", "#b3b3b3", 2.5, 5.0, 15),
    StreetClass("path", 6, "#8a7560", "", 1.4, 2.0, 16, "3 3"),
)
_BY_KEY: dict[str, StreetClass] = {c.key: c for c in STREET_CLASSES}

#: Classes drawn at city zoom too (from a coarser simplification).
MAIN_CLASSES: tuple[str, ...] = ("motorway", "primary", "secondary")

BUILDING_FILL = "#d9d5cd"
BUILDING_EDGE = "#b8b2a6"

#: Simplification tolerances, metres: streets at street zoom, main roads at city zoom,
#: building outlines.
FINE_TOLERANCE_M = 1.0
COARSE_TOLERANCE_M = 8.0
BUILDING_TOLERANCE_M = 0.5
#: Margins around the study area, metres: streets and buildings (street zoom), main roads
#: (city zoom).
STUDY_BUFFER_M = 200.0
COARSE_BUFFER_M = 2000.0
#: One name label every so many metres of a long street, and none on a shorter piece.
LABEL_SPACING_M = 400.0
LABEL_MIN_LENGTH_M = 40.0

_HIGHWAY_CLASS: dict[str, str] = {
    "motorway": "motorway",
    "motorway_link": "motorway",
    "trunk": "motorway",
    "trunk_link": "motorway",
    "primary": "primary",
    "primary_link": "primary",
    "secondary": "secondary",
    "secondary_link": "secondary",
    "tertiary": "secondary",
    "tertiary_link": "secondary",
    "residential": "street",
    "unclassified": "street",
    "living_street": "street",
    "road": "street",
    "service": "service",
    "pedestrian": "pedestrian",
    "footway": "path",
    "path": "path",
    "cycleway": "path",
    "steps": "path",
    "track": "path",
    "bridleway": "path",
    "corridor": "path",
}


def style_of(key: str) -> StreetClass:
    """The :class:`StreetClass` named ``key`` (``street`` for an unknown key)."""
    return _BY_KEY.get(key, _BY_KEY["street"])


def street_class(highway: str, kind: str = "") -> str:
    """The drawn class of a street from its OSM ``highway`` value, else its road ``kind``."""
    hit = _HIGHWAY_CLASS.get(str(highway or "").strip().casefold())
    if hit is not None:
        return hit
    kind = str(kind or "").strip().casefold()
    return kind if kind in MAIN_CLASSES else "street"


def map_area(geography: Any, *, buffer_m: float) -> BaseGeometry:
    """The study area of the maps widened by ``buffer_m`` metres (its bounding box if complex).

    The land of the districts when the geography has districts, else its land.
    """
    area = None
    districts = getattr(geography, "districts", None)
    if districts is not None and len(districts):
        urban = geography.urban
        if not urban.is_empty:
            area = urban
    if area is None:
        area = geography.land
    if area.is_empty:
        area = geography.municipality
    # a coarse outline is enough to decide what to send: the buffer of a simplified area
    outline = shapely.simplify(area, max(buffer_m / 4, 10.0))
    return shapely.make_valid(shapely.buffer(outline, buffer_m, quad_segs=2))


def street_lines(geography: Any) -> gpd.GeoDataFrame:
    """The geography's streets with ``name`` and drawn class ``cls``, in its metric CRS.

    The ``streets`` layer of a built geography, else the ``roads`` (the demo geography). A
    street without a name is named by its ``ref`` (``E18``) where it has one.
    """
    frame = getattr(geography, "streets", None)
    if frame is None or not len(frame):
        frame = geography.roads
    crs = geography.crs
    if frame is None or not len(frame):
        return gpd.GeoDataFrame({"name": [], "cls": []}, geometry=[], crs=crs)
    n = len(frame)
    refs = _text(frame, "ref", n)
    names = [name or ref for name, ref in zip(_text(frame, "name", n), refs, strict=True)]
    highway = _text(frame, "highway", n)
    kind = _text(frame, "kind", n)
    cls = [street_class(h, k) for h, k in zip(highway, kind, strict=True)]
    return gpd.GeoDataFrame(
        {"name": names, "cls": cls}, geometry=frame.geometry.to_numpy(), crs=frame.crs
    ).to_crs(crs)


def _text(frame: pd.DataFrame, column: str, n: int) -> list[str]:
    if column not in frame:
        return [""] * n
    return [str(v).strip() for v in frame[column].astype("string").fillna("").tolist()]


def drawn_streets(
    geography: Any,
    *,
    area: BaseGeometry | None,
    tolerance_m: float,
    classes: tuple[str, ...] | None = None,
) -> gpd.GeoDataFrame:
    """The streets as the map draws them: merged per name and class, then simplified.

    Parameters
    ----------
    geography
        A :class:`hotspots.spatial.geography.Geography`.
    area
        Keep the streets inside it, cut at its edge (metric CRS), or ``None`` for every
        street.
    tolerance_m
        Douglas-Peucker tolerance, metres.
    classes
        Keep only these classes (``None``: all).

    Returns
    -------
    geopandas.GeoDataFrame
        One LineString per row with ``name`` and ``cls``, most important class first,
        in the geography's CRS.
    """
    lines = street_lines(geography)
    if classes is not None:
        lines = lines[lines["cls"].isin(classes)]
    if area is not None and len(lines):
        shapely.prepare(area)
        geoms = lines.geometry.to_numpy()
        touch = shapely.intersects(area, geoms)
        inside = shapely.contains_properly(area, geoms)
        cut = geoms.copy()
        edge = touch & ~inside
        cut[edge] = shapely.intersection(geoms[edge], area)
        lines = lines.set_geometry(cut)[touch]
    names: list[str] = []
    kinds: list[str] = []
    geoms: list[Any] = []
    for (name, cls), group in lines.groupby(["name", "cls"], sort=False):
        parts = shapely.get_parts(group.geometry.to_numpy())
        merged = shapely.line_merge(shapely.multilinestrings(parts))
        merged = shapely.simplify(merged, tolerance_m, preserve_topology=False)
        for part in shapely.get_parts(merged):
            if part.geom_type == "LineString" and not part.is_empty and part.length > 0:
                names.append(str(name))
                kinds.append(str(cls))
                geoms.append(part)
    out = gpd.GeoDataFrame({"name": names, "cls": kinds}, geometry=geoms, crs=geography.crs)
    rank = out["cls"].map(lambda k: style_of(k).rank)
    return out.iloc[np.argsort(rank.to_numpy(), kind="stable")].reset_index(drop=True)


def label_anchors(
    streets: gpd.GeoDataFrame,
    *,
    spacing_m: float = LABEL_SPACING_M,
    min_length_m: float = LABEL_MIN_LENGTH_M,
) -> pd.DataFrame:
    """Where the street names go: the middle of each named piece, every ``spacing_m`` on long ones.

    Parameters
    ----------
    streets
        From :func:`drawn_streets` (metric CRS).
    spacing_m
        A piece of length ``L`` gets ``max(1, floor(L / spacing_m))`` labels, each in the
        middle of its share of the piece.
    min_length_m
        Pieces shorter than this get no label.

    Returns
    -------
    pandas.DataFrame
        ``name``, ``cls``, ``x``, ``y`` (metres), ``angle_deg`` (direction of the street at
        the anchor, counter-clockwise from east, within (-90, 90] so the text reads left to
        right) and ``room_m`` (length of the street the label may cover, metres); the most
        important first (class, then longer pieces).
    """
    rows: list[tuple[str, str, int, float, float, float, float]] = []
    for name, cls, geom in zip(streets["name"], streets["cls"], streets.geometry, strict=True):
        if not name or geom is None or geom.length < min_length_m:
            continue
        length = float(geom.length)
        k = max(1, int(length // spacing_m))
        share = length / k
        for i in range(k):
            d = (i + 0.5) * share
            p = geom.interpolate(d)
            a = geom.interpolate(max(d - 15.0, 0.0))
            b = geom.interpolate(min(d + 15.0, length))
            angle = math.degrees(math.atan2(b.y - a.y, b.x - a.x))
            if angle > 90.0:
                angle -= 180.0
            elif angle <= -90.0:
                angle += 180.0
            rows.append((str(name), str(cls), style_of(cls).rank, p.x, p.y, angle, share))
    frame = pd.DataFrame(rows, columns=["name", "cls", "rank", "x", "y", "angle_deg", "room_m"])
    frame = frame.sort_values(["rank", "room_m"], ascending=[True, False], kind="stable")
    return frame.drop(columns="rank").reset_index(drop=True)


def drawn_buildings(
    geography: Any,
    *,
    area: BaseGeometry | None,
    tolerance_m: float = BUILDING_TOLERANCE_M,
) -> gpd.GeoSeries:
    """The building footprints in ``area`` (metric CRS), simplified; empty without buildings."""
    frame = getattr(geography, "buildings", None)
    crs = geography.crs
    if frame is None or not len(frame):
        return gpd.GeoSeries([], crs=crs)
    geoms = frame.geometry.to_crs(crs).to_numpy() if frame.crs is not None else frame.geometry
    geoms = np.asarray(geoms)
    if area is not None:
        shapely.prepare(area)
        geoms = geoms[shapely.intersects(area, geoms)]
    simple = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
    parts = shapely.get_parts(simple)
    keep = parts[~shapely.is_empty(parts) & (shapely.area(parts) > 0)]
    return gpd.GeoSeries(keep, crs=crs)
