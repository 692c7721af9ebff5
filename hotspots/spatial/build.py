"""Build one geography GeoPackage from OpenStreetMap and official open data.

Input: an OpenStreetMap ``.osm.pbf`` extract (read with pyosmium) and, optionally, official
layers that replace the OpenStreetMap layer of the same name: files (Lantmäteriet's
GeoPackages in SWEREF 99 TM, the kommun's districts, ...) given as :class:`LayerSource`, or
layers already read (the kommun's districts from its WFS, see :mod:`hotspots.io.wfs`) given as
:class:`LayerFrame`; and an address register (Lantmäteriet's Belägenhetsadresser) as the
``addresses`` layer. Output: one GeoPackage in a projected metric CRS
(EPSG:3006 by default) with these layers:

============== ========== ==============================================================
layer          geometry   columns
============== ========== ==============================================================
municipality   polygon    ``name``
water          polygon    ``name``, ``kind`` (lake, river, reservoir, basin, ...)
land           polygon    (municipality minus water)
districts      polygon    ``name`` (OSM suburbs/quarters/neighbourhoods, or an official layer)
streets        line       the street network, split at junctions: ``osm_id``, ``u``, ``v``
                          (OSM node ids of the ends), ``name``, ``ref``, ``highway``, ``kind``
                          (motorway, primary, secondary, street), ``walk``, ``drive``,
                          ``oneway``, ``bridge``, ``tunnel``, ``maxspeed``, ``length_m``
roads          line       the drivable edges of ``streets`` (``name``, ``ref``, ``kind``, ...)
buildings      polygon    ``building``, ``name``
places         point      ``name``, ``kind`` (one of the geography's place kinds), ``osm_tag``
addresses      point      only when an address register is given: ``street``, ``number``,
                          ``letter``, ``postcode``, ``post_town``, ``municipality``, ``kind``
                          (read back by :func:`hotspots.io.address_register.read_register`)
layers         (table)    ``layer``, ``source``, ``licence``, ``attribution``, ``features``,
                          ``crs``, ``built_at``: provenance and licence of every layer
============== ========== ==============================================================

The layer and column names are those :func:`hotspots.spatial.geography.load_geography`
accepts, so the file can be used today through its overrides (``districts = FILE``,
``districts_layer = "districts"``, ...).

OpenStreetMap data is © OpenStreetMap contributors, ODbL 1.0: the ``layers`` table carries the
attribution a map made from it must show.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS, Transformer

from hotspots.core.errors import InputFileError, InputSchemaError
from hotspots.spatial.crs import DEFAULT_METRIC_CRS, check_metric

__all__ = [
    "ADDRESSES_LAYER",
    "BUILD_LAYERS",
    "OSM_ATTRIBUTION",
    "OSM_LICENCE",
    "BuiltGeography",
    "LayerFrame",
    "LayerSource",
    "build_geography",
    "classify_place",
    "read_osm",
    "street_flags",
    "write_geography",
]

logger = logging.getLogger(__name__)

OSM_ATTRIBUTION = "© OpenStreetMap contributors"
OSM_LICENCE = "ODbL 1.0 (https://www.openstreetmap.org/copyright)"

#: The layers a built geography holds (besides the ``layers`` table).
BUILD_LAYERS: tuple[str, ...] = (
    "municipality",
    "water",
    "land",
    "districts",
    "streets",
    "roads",
    "buildings",
    "places",
)
#: The optional layer holding the address register (the name the register reader looks for).
ADDRESSES_LAYER = "addresses"
_POLYGON_LAYERS = ("municipality", "water", "land", "districts", "buildings")

#: OSM ``highway`` -> road kind of the geography.
_ROAD_KIND: dict[str, str] = {
    "motorway": "motorway",
    "motorway_link": "motorway",
    "trunk": "primary",
    "trunk_link": "primary",
    "primary": "primary",
    "primary_link": "primary",
    "secondary": "secondary",
    "secondary_link": "secondary",
    "tertiary": "secondary",
    "tertiary_link": "secondary",
}
_DRIVE = {
    *_ROAD_KIND,
    "unclassified",
    "residential",
    "living_street",
    "service",
    "road",
}
_WALK = {
    "footway",
    "path",
    "pedestrian",
    "steps",
    "cycleway",
    "track",
    "bridleway",
    "corridor",
    "living_street",
    "residential",
    "service",
    "unclassified",
    "road",
    "tertiary",
    "tertiary_link",
    "secondary",
    "secondary_link",
    "primary",
    "primary_link",
}
_NO = {"no", "private"}
_YES = {"yes", "designated", "permissive", "official"}

_WATER_NATURAL = {"water", "bay", "strait"}
_WATER_LANDUSE = {"reservoir", "basin"}

#: Districts from OSM: place areas of these kinds (a kommun's stadsdelar replace them).
_DISTRICT_PLACES = {"suburb", "quarter", "neighbourhood", "borough"}

#: Admin level of a Swedish municipality (kommun) in OpenStreetMap.
MUNICIPALITY_ADMIN_LEVEL = "7"


@dataclass(frozen=True, slots=True)
class LayerSource:
    """An official file that replaces one layer of the build.

    Attributes
    ----------
    path
        GeoPackage, GeoJSON or Shapefile, any CRS.
    layer
        Layer inside a GeoPackage (optional when it has one).
    name_column
        Column holding names (``name``/``namn`` are found without it).
    attribution
        Whom to credit, e.g. ``"Lantmäteriet"`` or ``"Karlstads kommun"``.
    licence
        The licence, e.g. ``"CC BY 4.0"`` or ``"CC0 1.0"``.
    """

    path: Path
    layer: str | None = None
    name_column: str | None = None
    attribution: str = ""
    licence: str = ""


@dataclass(frozen=True)
class LayerFrame:
    """A layer already read (a WFS answer, an address register) for the build.

    Attributes
    ----------
    frame
        The features, any CRS (reprojected by the build).
    source
        Where it came from, for the provenance table (``"WFS https://... (layer x, fetched
        2026-05-01T10:00:00Z)"``, a file name).
    name_column
        Column holding names (``name``/``namn`` are found without it); unused for
        ``addresses``.
    attribution
        Whom to credit, e.g. ``"Lantmäteriet"``.
    licence
        The licence, e.g. ``"CC BY 4.0"``.
    """

    frame: gpd.GeoDataFrame
    source: str
    name_column: str | None = None
    attribution: str = ""
    licence: str = ""


@dataclass(frozen=True)
class BuiltGeography:
    """The layers of a built geography and their provenance.

    Attributes
    ----------
    layers
        Layer name -> GeoDataFrame in :attr:`crs` (see the module docstring): the layers of
        :data:`BUILD_LAYERS`, then ``addresses`` when a register was given.
    provenance
        One row per layer: ``layer``, ``source``, ``licence``, ``attribution``,
        ``features``, ``crs``, ``built_at``.
    crs
        The projected metric CRS of every layer.
    """

    layers: Mapping[str, gpd.GeoDataFrame]
    provenance: pd.DataFrame
    crs: CRS = field(default_factory=lambda: CRS.from_epsg(3006))


# ------------------------------------------------------------------------------------------
# Tag classification (pure)
# ------------------------------------------------------------------------------------------
def classify_place(tags: Mapping[str, str]) -> tuple[str, str] | None:
    """The place kind of an OSM object and the tag that decided it, or ``None``.

    Pubs, bars and nightclubs are ``venue``; ``shop=alcohol`` (Systembolaget) is
    ``systembolaget``; schools, youth centres, universities, bus and rail stations, parks,
    car parks, squares and shopping malls get their own kinds.
    """
    amenity = tags.get("amenity", "")
    if amenity in ("pub", "bar", "nightclub"):
        return "venue", f"amenity={amenity}"
    if tags.get("shop") == "alcohol":
        return "systembolaget", "shop=alcohol"
    if tags.get("shop") == "mall":
        return "shopping_centre", "shop=mall"
    if amenity == "school":
        return "school", "amenity=school"
    if amenity == "university":
        return "university", "amenity=university"
    if amenity == "youth_centre" or (
        amenity == "community_centre" and tags.get("community_centre") == "youth_centre"
    ):
        return "youth_centre", "community_centre=youth_centre"
    if amenity == "bus_station" or (
        tags.get("public_transport") == "station" and tags.get("bus") == "yes"
    ):
        return "bus_terminal", "amenity=bus_station"
    railway = tags.get("railway", "")
    if railway in ("station", "halt") and tags.get("station") not in ("subway", "light_rail"):
        return "station", f"railway={railway}"
    if tags.get("leisure") == "park":
        return "park", "leisure=park"
    if amenity == "parking" and tags.get("access", "") not in _NO:
        return "car_park", "amenity=parking"
    if tags.get("place") == "square":
        return "square", "place=square"
    return None


def street_flags(tags: Mapping[str, str]) -> tuple[bool, bool]:
    """Whether a way with ``tags`` is walkable and drivable.

    Walkable: footways, paths, steps, pedestrian streets and ordinary streets, not motorways,
    and not where ``foot``/``access`` forbid it. Drivable: motorways down to service roads,
    not where ``access``/``motor_vehicle``/``motorcar`` forbid it.
    """
    highway = tags.get("highway", "")
    if not highway or tags.get("area") == "yes":
        return False, False
    access = tags.get("access", "")
    foot = tags.get("foot", "")
    walk = (highway in _WALK or foot in _YES) and foot not in _NO
    if access in _NO and foot not in _YES:
        walk = False
    motor = tags.get("motor_vehicle", tags.get("motorcar", ""))
    drive = highway in _DRIVE and access not in _NO and motor not in _NO
    return walk, drive


def _road_kind(highway: str) -> str:
    return _ROAD_KIND.get(highway, "street")


def _water_kind(tags: Mapping[str, str]) -> str | None:
    natural = tags.get("natural", "")
    if natural in _WATER_NATURAL:
        return tags.get("water") or ("lake" if natural == "water" else natural)
    if tags.get("waterway") in ("riverbank", "dock"):
        return "river" if tags["waterway"] == "riverbank" else "dock"
    if tags.get("landuse") in _WATER_LANDUSE:
        return tags["landuse"]
    return None


# ------------------------------------------------------------------------------------------
# Reading OpenStreetMap
# ------------------------------------------------------------------------------------------
@dataclass
class _Collected:
    ways: list[tuple[int, dict[str, str], list[int], list[tuple[float, float]]]] = field(
        default_factory=list
    )
    place_points: list[tuple[str, str, str, int, str, float, float]] = field(default_factory=list)
    areas: list[tuple[str, dict[str, str], bytes, int, str]] = field(default_factory=list)


def _interesting_area(tags: Mapping[str, str]) -> str | None:
    if _water_kind(tags) is not None:
        return "water"
    building = tags.get("building", "")
    if building and building != "no":
        return "building"
    if tags.get("boundary") == "administrative" and tags.get("admin_level") in (
        MUNICIPALITY_ADMIN_LEVEL,
    ):
        return "municipality"
    if tags.get("place") in _DISTRICT_PLACES and tags.get("name"):
        return "district"
    if classify_place(tags) is not None:
        return "place"
    return None


def _collect(pbf: Path) -> _Collected:
    import osmium  # noqa: PLC0415 - only the build needs pyosmium

    out = _Collected()
    wkb = osmium.geom.WKBFactory()
    processor = osmium.FileProcessor(str(pbf)).with_locations().with_areas()
    for obj in processor:
        tags = obj.tags
        if not len(tags):
            continue
        if obj.is_node():
            t = dict(tags)
            hit = classify_place(t)
            if hit is not None:
                loc = obj.location
                out.place_points.append(
                    (t.get("name", ""), hit[0], hit[1], obj.id, "node", loc.lon, loc.lat)
                )
        elif obj.is_way():
            if "highway" not in tags:
                continue
            t = dict(tags)
            walk, drive = street_flags(t)
            if not (walk or drive):
                continue
            refs: list[int] = []
            coords: list[tuple[float, float]] = []
            for n in obj.nodes:
                if n.location.valid():
                    refs.append(n.ref)
                    coords.append((n.location.lon, n.location.lat))
            if len(refs) >= 2:
                out.ways.append((obj.id, t, refs, coords))
        elif obj.is_area():
            t = dict(tags)
            what = _interesting_area(t)
            if what is None:
                continue
            try:
                geom = wkb.create_multipolygon(obj)
            except RuntimeError:  # a broken multipolygon: leave it out
                continue
            osm_type = "way" if obj.from_way() else "relation"
            out.areas.append((what, t, bytes.fromhex(geom), obj.orig_id(), osm_type))
    return out


def _split_ways(
    ways: list[tuple[int, dict[str, str], list[int], list[tuple[float, float]]]],
) -> tuple[list[dict[str, object]], np.ndarray, np.ndarray]:
    """Split the street ways at junctions (nodes shared by several ways or used twice).

    Returns the edge attributes, the lon/lat coordinates of every edge vertex (n, 2) and the
    edge index of each vertex.
    """
    uses: Counter[int] = Counter()
    for _, _, refs, _ in ways:
        uses.update(refs)
        uses.update((refs[0], refs[-1]))  # ends always split
    rows: list[dict[str, object]] = []
    coords: list[tuple[float, float]] = []
    index: list[int] = []
    for way_id, tags, refs, pts in ways:
        walk, drive = street_flags(tags)
        base = {
            "osm_id": way_id,
            "name": tags.get("name", ""),
            "ref": tags.get("ref", ""),
            "highway": tags["highway"],
            "kind": _road_kind(tags["highway"]),
            "walk": walk,
            "drive": drive,
            "oneway": tags.get("oneway", "") in ("yes", "1", "true", "-1")
            or tags.get("highway") in ("motorway", "motorway_link"),
            "bridge": tags.get("bridge", "no") not in ("no", ""),
            "tunnel": tags.get("tunnel", "no") not in ("no", ""),
            "maxspeed": tags.get("maxspeed", ""),
        }
        start = 0
        for i in range(1, len(refs)):
            if i == len(refs) - 1 or uses[refs[i]] > 1:
                if i > start:
                    edge = len(rows)
                    rows.append({**base, "u": refs[start], "v": refs[i]})
                    coords.extend(pts[start : i + 1])
                    index.extend([edge] * (i + 1 - start))
                start = i
    return rows, np.asarray(coords, dtype=float).reshape(-1, 2), np.asarray(index, dtype=np.int64)


def read_osm(pbf: Path, *, metric_crs: str = DEFAULT_METRIC_CRS) -> dict[str, gpd.GeoDataFrame]:
    """Read the geography layers of an OpenStreetMap ``.osm.pbf`` (or ``.osm``) file.

    Parameters
    ----------
    pbf
        The extract.
    metric_crs
        Projected metric CRS of the layers returned.

    Returns
    -------
    dict
        ``water``, ``districts``, ``streets``, ``buildings``, ``places`` and
        ``municipality`` (admin level 7 boundaries with their ``name``; empty when the
        extract has none), each in ``metric_crs``.

    Raises
    ------
    InputFileError
        The file is missing or pyosmium cannot read it.
    """
    pbf = Path(pbf)
    target = check_metric(metric_crs, argument="metric_crs")
    if not pbf.is_file():
        raise InputFileError(pbf, "OpenStreetMap extract not found; give a .osm.pbf file")
    try:
        got = _collect(pbf)
    except RuntimeError as exc:
        raise InputFileError(pbf, f"cannot be read as OpenStreetMap data ({exc})") from exc
    wgs = CRS.from_epsg(4326)
    to_metric = Transformer.from_crs(wgs, target, always_xy=True)

    # streets
    rows, coords, index = _split_ways(got.ways)
    if len(rows):
        x, y = to_metric.transform(coords[:, 0], coords[:, 1])
        lines = shapely.linestrings(np.column_stack([x, y]), indices=index)
    else:
        lines = np.array([], dtype=object)
    streets = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=_STREET_COLUMNS[:-1]) if rows else _empty(_STREET_COLUMNS[:-1]),
        geometry=gpd.GeoSeries(lines, crs=target).values,
        crs=target,
    )
    streets["length_m"] = streets.geometry.length.round(2)
    streets = streets[[*_STREET_COLUMNS, "geometry"]]

    # areas
    def area_frame(what: str, columns: dict[str, object]) -> gpd.GeoDataFrame:
        picked = [a for a in got.areas if a[0] == what]
        geoms = shapely.from_wkb([a[2] for a in picked]) if picked else np.array([], dtype=object)
        data = {name: [fn(a[1]) for a in picked] for name, fn in columns.items()}  # type: ignore[operator]
        data["osm_id"] = [a[3] for a in picked]
        data["osm_type"] = [a[4] for a in picked]
        frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs=wgs).values, crs=wgs)
        return frame.to_crs(target)

    def name(t: Mapping[str, str]) -> str:
        return t.get("name", "")

    water = area_frame("water", {"name": name, "kind": lambda t: _water_kind(t) or "water"})
    buildings = area_frame("building", {"building": lambda t: t.get("building", ""), "name": name})
    districts = area_frame("district", {"name": name, "place": lambda t: t.get("place", "")})
    municipality = area_frame("municipality", {"name": name})

    # places: nodes and areas (a point inside the area)
    place_areas = area_frame(
        "place",
        {
            "name": name,
            "kind": lambda t: (classify_place(t) or ("", ""))[0],
            "osm_tag": lambda t: (classify_place(t) or ("", ""))[1],
        },
    )
    pts = got.place_points
    px, py = to_metric.transform(
        np.array([p[5] for p in pts], dtype=float), np.array([p[6] for p in pts], dtype=float)
    )
    node_places = gpd.GeoDataFrame(
        {
            "name": [p[0] for p in pts],
            "kind": [p[1] for p in pts],
            "osm_tag": [p[2] for p in pts],
            "osm_id": [p[3] for p in pts],
            "osm_type": [p[4] for p in pts],
        },
        geometry=gpd.points_from_xy(px, py),
        crs=target,
    )
    area_places = place_areas.set_geometry(place_areas.geometry.representative_point())
    places = pd.concat([node_places, area_places], ignore_index=True)
    places = gpd.GeoDataFrame(places, geometry="geometry", crs=target)

    return {
        "municipality": municipality,
        "water": water,
        "districts": districts,
        "streets": streets,
        "buildings": buildings,
        "places": places,
    }


_STREET_COLUMNS: list[str] = [
    "osm_id",
    "u",
    "v",
    "name",
    "ref",
    "highway",
    "kind",
    "walk",
    "drive",
    "oneway",
    "bridge",
    "tunnel",
    "maxspeed",
    "length_m",
]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


# ------------------------------------------------------------------------------------------
# Official layers and the whole build
# ------------------------------------------------------------------------------------------
_NAME_GUESSES = ("name", "namn", "NAMN", "Name", "NAME", "regsonamn")


def _read_source(layer: str, src: LayerSource, target: CRS) -> gpd.GeoDataFrame:
    path = Path(src.path)
    if not path.is_file():
        raise InputFileError(path, f"file for the {layer} layer not found")
    try:
        frame = pyogrio.read_dataframe(path, layer=src.layer)
    except Exception as exc:
        raise InputFileError(path, f"cannot be read as a vector file ({exc})") from exc
    if frame.crs is None:
        raise InputFileError(path, "has no CRS; give a file with a CRS (e.g. a GeoPackage)")
    return _named(layer, frame.to_crs(target), src.name_column, str(path))


def _named(
    layer: str, frame: gpd.GeoDataFrame, name_column: str | None, where: str
) -> gpd.GeoDataFrame:
    """``frame`` with a ``name`` column first (from ``name_column`` or a guessed one)."""
    if layer in _POLYGON_LAYERS and len(frame):
        kinds = set(frame.geom_type.dropna())
        if not kinds <= {"Polygon", "MultiPolygon"}:
            found = ", ".join(sorted(kinds))
            msg = f"{where}: the {layer} layer must hold polygons (found {found})"
            raise InputSchemaError(msg)
    col = name_column or next((c for c in _NAME_GUESSES if c in frame.columns), None)
    if name_column and name_column not in frame.columns:
        cols = ", ".join(str(c) for c in frame.columns if c != frame.geometry.name)
        msg = f"{where}: no column {name_column!r} for the {layer} names (found {cols})"
        raise InputSchemaError(msg)
    names = frame[col].fillna("").astype(str) if col else pd.Series("", index=frame.index)
    out = frame.drop(columns=[c for c in ("name",) if c in frame.columns and c != col])
    out = out.assign(name=names.to_numpy())
    keep = ["name", *(c for c in out.columns if c not in ("name", out.geometry.name))]
    return gpd.GeoDataFrame(out[[*keep, out.geometry.name]], geometry=out.geometry.name)


def _union(frame: gpd.GeoDataFrame) -> shapely.Geometry:
    if len(frame) == 0:
        return shapely.Polygon()
    return shapely.make_valid(shapely.union_all(frame.geometry.to_numpy()))


def _pick_municipality(frame: gpd.GeoDataFrame, name: str | None) -> gpd.GeoDataFrame:
    if len(frame) == 0:
        return frame
    if name is not None:
        hit = frame[frame["name"].str.casefold() == name.casefold()]
        if len(hit) == 0:
            found = ", ".join(sorted(frame["name"].astype(str)))
            msg = f"--municipality {name!r}: no such municipality in the extract (found {found})"
            raise InputSchemaError(msg)
        return hit
    if len(frame) > 1:
        found = ", ".join(sorted(frame["name"].astype(str)))
        msg = f"the extract has several municipalities ({found}); choose one with --municipality"
        raise InputSchemaError(msg)
    return frame


def build_geography(
    pbf: Path,
    *,
    sources: Mapping[str, LayerSource] | None = None,
    frames: Mapping[str, LayerFrame] | None = None,
    addresses: LayerFrame | None = None,
    municipality: str | None = None,
    metric_crs: str = DEFAULT_METRIC_CRS,
    clip: bool = True,
) -> BuiltGeography:
    """Build the geography layers from an OSM extract and optional official layers.

    Parameters
    ----------
    pbf
        OpenStreetMap extract (``.osm.pbf``).
    sources
        Layer name (one of ``municipality``, ``water``, ``districts``, ``buildings``,
        ``places``, ``streets``) -> official file replacing the OSM layer.
    frames
        Like ``sources``, for layers already read (the districts from a WFS); a layer is
        given by ``sources`` or ``frames``, not both.
    addresses
        The address register's points (columns ``street``, ``number``, ``letter``,
        ``postcode``, ``post_town``, ``municipality``, ``kind``), written as the
        ``addresses`` layer.
    municipality
        Name of the municipality (an OSM admin level 7 boundary) that is the study area;
        needed when the extract holds several.
    metric_crs
        Projected metric CRS of the output.
    clip
        Keep only features that touch the municipality (the addresses too).

    Returns
    -------
    BuiltGeography
        The layers and their provenance.

    Raises
    ------
    InputFileError
        A file is missing or unreadable.
    InputSchemaError
        An unknown layer name in ``sources`` or ``frames``, a layer given twice, an
        official polygon layer holding other geometries, a missing name column, or an
        unknown or ambiguous municipality.
    """
    target = check_metric(metric_crs, argument="metric_crs")
    sources = dict(sources or {})
    frames = dict(frames or {})
    allowed = [x for x in BUILD_LAYERS if x not in ("land", "roads")]
    unknown = sorted((set(sources) | set(frames)) - set(allowed))
    if unknown:
        msg = f"layer(s) {unknown} cannot be given; give one of {', '.join(allowed)}"
        raise InputSchemaError(msg)
    twice = sorted(set(sources) & set(frames))
    if twice:
        msg = f"layer(s) {twice} given twice (a file and a service); give each once"
        raise InputSchemaError(msg)
    layers = read_osm(pbf, metric_crs=metric_crs)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    prov: dict[str, tuple[str, str, str]] = {
        name: (f"OpenStreetMap: {Path(pbf).name}", OSM_LICENCE, OSM_ATTRIBUTION) for name in layers
    }
    for name, src in sources.items():
        layers[name] = _read_source(name, src, target)
        where = f"{Path(src.path).name}" + (f" (layer {src.layer})" if src.layer else "")
        prov[name] = (
            where,
            src.licence or "unknown: state the source's licence",
            src.attribution or "unknown",
        )
    for name, given in frames.items():
        if given.frame.crs is None:
            msg = f"{given.source}: the {name} layer has no CRS"
            raise InputSchemaError(msg)
        layers[name] = _named(name, given.frame.to_crs(target), given.name_column, given.source)
        prov[name] = (
            given.source,
            given.licence or "unknown: state the source's licence",
            given.attribution or "unknown",
        )
    if addresses is not None:
        if addresses.frame.crs is None:
            msg = f"{addresses.source}: the address register has no CRS"
            raise InputSchemaError(msg)
        layers[ADDRESSES_LAYER] = addresses.frame.to_crs(target)
        prov[ADDRESSES_LAYER] = (
            addresses.source,
            addresses.licence or "unknown: state the register's licence",
            addresses.attribution or "unknown",
        )

    chosen = None if "municipality" in (*sources, *frames) else municipality
    muni = _pick_municipality(layers["municipality"], chosen)
    if len(muni) == 0:  # no boundary in the extract: the extent of everything read
        logger.warning("%s: no municipality boundary (admin_level 7); using the data extent", pbf)
        bounds = [f.total_bounds for f in layers.values() if len(f)]
        if not bounds:
            raise InputFileError(pbf, "holds no streets, water, buildings or places")
        b = np.array(bounds)
        box = shapely.box(b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
        muni = gpd.GeoDataFrame({"name": [""]}, geometry=[box], crs=target)
        prov["municipality"] = (
            f"derived: extent of {Path(pbf).name}",
            OSM_LICENCE,
            OSM_ATTRIBUTION,
        )
    muni_geom = _union(muni)
    layers["municipality"] = gpd.GeoDataFrame(
        {"name": [str(muni["name"].iloc[0]) if len(muni) == 1 else ""]},
        geometry=[muni_geom],
        crs=target,
    )
    if clip:
        shapely.prepare(muni_geom)
        for name in ("water", "districts", "streets", "buildings", "places", ADDRESSES_LAYER):
            frame = layers.get(name)
            if frame is not None and len(frame):
                inside = shapely.intersects(muni_geom, frame.geometry.to_numpy())
                layers[name] = frame[inside]
                if name in (*sources, *frames, ADDRESSES_LAYER) and not inside.all():
                    logger.info("%s: %d features outside the municipality", name, (~inside).sum())
    water_geom = _union(layers["water"])
    land = shapely.make_valid(muni_geom.difference(water_geom))
    layers["land"] = gpd.GeoDataFrame(geometry=[land], crs=target)
    prov["land"] = ("derived: municipality minus water", *prov["water"][1:])
    streets = layers["streets"]
    if "drive" in streets.columns:
        layers["roads"] = streets[streets["drive"].astype(bool)].reset_index(drop=True)
    else:  # an official street layer without flags: every line is a road
        layers["roads"] = streets
    prov["roads"] = ("derived: drivable streets", *prov["streets"][1:])
    names = [*BUILD_LAYERS, *([ADDRESSES_LAYER] if addresses is not None else [])]
    ordered = {name: layers[name].reset_index(drop=True) for name in names}
    provenance = pd.DataFrame(
        [
            {
                "layer": name,
                "source": prov[name][0],
                "licence": prov[name][1],
                "attribution": prov[name][2],
                "features": len(ordered[name]),
                "crs": target.to_string(),
                "built_at": now,
            }
            for name in names
        ]
    )
    return BuiltGeography(layers=ordered, provenance=provenance, crs=target)


def write_geography(built: BuiltGeography, out: Path) -> Path:
    """Write a built geography to one GeoPackage, replacing ``out`` only when complete.

    Returns
    -------
    Path
        ``out``.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".gpkg", dir=out.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()
    try:
        for layer, frame in built.layers.items():
            geom_type = _geometry_type(layer, frame)
            pyogrio.write_dataframe(
                frame,
                tmp,
                layer=layer,
                driver="GPKG",
                geometry_type=geom_type,
                promote_to_multi=geom_type.startswith("Multi"),
            )
        pyogrio.write_dataframe(built.provenance, tmp, layer="layers", driver="GPKG")
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _geometry_type(layer: str, frame: gpd.GeoDataFrame) -> str:
    if layer in _POLYGON_LAYERS:
        return "MultiPolygon"
    if layer in ("streets", "roads"):
        return "LineString" if frame.geom_type.isin(["LineString"]).all() else "MultiLineString"
    return "Point"
