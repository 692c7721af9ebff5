"""Base layers of the study area: municipality, water, land mask, districts, roads and places.

The default is the demo geography of Karlstad in ``data/geo`` (hand-authored, approximate; see
``data/geo/README.md``). Any layer can be replaced by an official one -- GeoPackage, GeoJSON or
Shapefile (also zipped), in any CRS -- through a TOML config file::

    [layers]
    districts = "stadsdelar.gpkg"      # path, relative to the config file
    districts_name = "namn"            # column holding the district name
    districts_layer = "stadsdelar"     # layer inside a GeoPackage (optional)
    municipality = "kommun.geojson"
    water = "vatten.shp"
    water_crs = "EPSG:3006"            # only for a file that carries no CRS
    roads = "vagar.gpkg"
    roads_name = "namn"
    roads_ref = "vagnummer"            # optional; roads_kind likewise
    places = "platser.geojson"
    places_kind = "park"               # a column, or one kind for every row
    streets = "karlstad.gpkg"          # optional: the street network of a built geography
    streets_layer = "streets"          # (hotspots geography build); loops then follow it

or the same keys through ``overrides``. Every layer is reprojected to the metric CRS, and the
land mask is the municipality minus water, so an official municipality outline that includes
lake Vänern still yields a land mask without the lake.

A GeoPackage made by ``hotspots geography build`` can be given in place of the TOML file
(``--geography karlstad.gpkg``): its layers are read by their names, layers it holds empty
stay empty (no demo layer fills in), its ``buildings`` are kept for the map, and the
attribution of its ``layers`` table goes with it (:attr:`Geography.attribution`).
"""

from __future__ import annotations

import functools
import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from hotspots.core.errors import CRSError, InputSchemaError
from hotspots.spatial.crs import DEFAULT_METRIC_CRS, check_metric, parse_crs
from hotspots.spatial.points import point_xy, reproject

__all__ = [
    "DEMO_GEO_DIR",
    "LAYERS",
    "OPTIONAL_LAYERS",
    "PLACE_KINDS",
    "ROAD_KINDS",
    "STUDY_AREAS",
    "Geography",
    "check_study_area",
    "default_geography",
    "load_geography",
]

logger = logging.getLogger(__name__)

#: Study areas an analysis may use: ``urban``, the land of the districts (the town, where
#: patrols walk); ``municipality``, all land of the municipality.
STUDY_AREAS: tuple[str, ...] = ("urban", "municipality")
_STUDY_AREA_LABELS: dict[str, str] = {
    "urban": "land of the districts",
    "municipality": "land of the municipality",
}


def check_study_area(study_area: str) -> str:
    """Return ``study_area`` if it is one of :data:`STUDY_AREAS`.

    Raises
    ------
    InputSchemaError
        Naming the option and the valid values otherwise.
    """
    if study_area not in STUDY_AREAS:
        msg = f"--study-area: {study_area!r} is not one of {', '.join(STUDY_AREAS)}"
        raise InputSchemaError(msg)
    return study_area


#: Folder of the demo geography (``data/geo`` in the repository).
DEMO_GEO_DIR = Path(__file__).resolve().parent / "demo_geo"

#: The replaceable layers.
LAYERS: tuple[str, ...] = ("municipality", "water", "districts", "roads", "places")

#: Layers only a user's geography has (the demo geography has none of them): ``streets``,
#: the street network of a built geography (:mod:`hotspots.spatial.build`), and its
#: ``buildings`` (drawn on the maps from street zoom).
OPTIONAL_LAYERS: tuple[str, ...] = ("streets", "buildings")

ROAD_KINDS: tuple[str, ...] = ("motorway", "primary", "secondary", "street")

PLACE_KINDS: tuple[str, ...] = (
    "square",
    "station",
    "bus_terminal",
    "nightlife_street",
    "venue",
    "systembolaget",
    "school",
    "youth_centre",
    "university",
    "shopping_centre",
    "park",
    "harbour",
    "car_park",
)

#: OpenStreetMap ``highway`` values and Swedish words accepted as road kinds.
_ROAD_KIND_ALIASES: dict[str, str] = {
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
    "street": "street",
    "residential": "street",
    "unclassified": "street",
    "living_street": "street",
    "service": "street",
    "pedestrian": "street",
    "motorvag": "motorway",
    "motorväg": "motorway",
    "europavag": "motorway",
    "europaväg": "motorway",
    "riksvag": "primary",
    "riksväg": "primary",
    "lansvag": "secondary",
    "länsväg": "secondary",
    "gata": "street",
}

#: Column names tried, in order, when a name/ref/kind column is not mapped in the config.
_NAME_GUESSES: tuple[str, ...] = ("name", "namn", "NAMN", "Name", "NAME", "regsonamn", "desokod")
_REF_GUESSES: tuple[str, ...] = ("ref", "vagnummer", "vägnummer", "REF")
_KIND_GUESSES: tuple[str, ...] = ("kind", "highway", "typ", "type")
_POP_GUESSES: tuple[str, ...] = ("population", "befolkning", "folkmangd", "folkmängd")

_LAYER_GEOMETRY: dict[str, tuple[str, ...]] = {
    "municipality": ("Polygon", "MultiPolygon"),
    "water": ("Polygon", "MultiPolygon"),
    "districts": ("Polygon", "MultiPolygon"),
    "roads": ("LineString", "MultiLineString"),
    "places": ("Point", "MultiPoint", "Polygon", "MultiPolygon"),
    "streets": ("LineString", "MultiLineString"),
    "buildings": ("Polygon", "MultiPolygon"),
}
_OPTION_SUFFIXES: tuple[str, ...] = ("layer", "crs", "name", "ref", "kind", "population")


@dataclass(frozen=True, eq=False)
class Geography:
    """The base layers of one study area, all in one metric CRS.

    Equality and hashing are by identity, so a geography can key a cache.

    Attributes
    ----------
    crs
        The projected metric CRS of every layer (EPSG:3006 by default).
    municipality
        Outline of the municipality (may include lake water).
    water
        Union of lakes and rivers.
    land
        ``municipality`` minus ``water``: where incidents, hotspots and patrols can be.
    districts
        GeoDataFrame with ``name``, ``population`` (approximate residents, NaN when unknown)
        and polygon geometry.
    roads
        GeoDataFrame with ``name``, ``ref`` (e.g. ``"E18"``, empty when none) and ``kind``
        (motorway, primary, secondary, street), line geometry.
    places
        GeoDataFrame with ``name`` and ``kind`` (one of :data:`PLACE_KINDS`), point geometry.
    sources
        Layer name -> file it was read from.
    study_area
        What ``land`` covers: ``municipality`` (all its land) or ``urban`` (the land of the
        districts, see :meth:`with_study_area`).
    streets
        The street network split at junctions (a built geography's ``streets`` layer, with
        ``name``, ``highway``, ``kind``, ``walk``, ``drive``, ``bridge``, ...), or ``None``
        when the geography has none (the demo geography): walking loops are then drawn as
        straight lines (:mod:`hotspots.spatial.routing`).
    buildings
        Building footprints (polygons; a built geography's ``buildings`` layer), or ``None``.
    attribution
        Whom a map drawn from these layers must credit (e.g. ``© OpenStreetMap
        contributors`` for a built geography); empty for the demo geography.
    """

    crs: CRS
    municipality: BaseGeometry
    water: BaseGeometry
    land: BaseGeometry
    districts: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    sources: Mapping[str, str] = field(default_factory=dict)
    study_area: str = "municipality"
    streets: gpd.GeoDataFrame | None = None
    buildings: gpd.GeoDataFrame | None = None
    attribution: str = ""

    @property
    def study_area_label(self) -> str:
        """What ``land`` covers, in words: ``land of the districts`` or ``...municipality``."""
        return _STUDY_AREA_LABELS.get(self.study_area, f"land ({self.study_area})")

    @functools.cached_property
    def urban(self) -> BaseGeometry:
        """Land covered by the districts (the built-up study area), in the metric CRS."""
        districts = shapely.union_all(self.districts.geometry.to_numpy())
        return shapely.make_valid(districts.intersection(self.land))

    def with_study_area(self, study_area: str) -> Geography:
        """Return the geography with its ``land`` cut to the study area ``study_area``.

        ``urban`` keeps the land of the districts, so that coverage shares and PAI refer to
        the town rather than to a municipality that is mostly forest and lake (5 % of
        Karlstad's 1,380 km² of land is larger than the whole town). Without districts, and
        for ``municipality``, the geography is returned as it is. Other layers are kept, so
        plans still see every road and place.

        Raises
        ------
        InputSchemaError
            When ``study_area`` is not one of :data:`STUDY_AREAS`.
        """
        if (
            check_study_area(study_area) == "municipality"
            or len(self.districts) == 0
            or self.urban.is_empty
        ):
            return self
        return replace(self, land=self.urban, study_area="urban")

    def district_of(self, points: gpd.GeoSeries) -> pd.Series:
        """Name of the district each point lies in.

        Parameters
        ----------
        points
            Points in any CRS (reprojected to :attr:`crs` when needed).

        Returns
        -------
        pandas.Series
            String series aligned with ``points``; ``<NA>`` for points outside every district.
        """
        return self._first_district(points, predicate="intersects", argument="points")

    def district_containing(self, geoms: gpd.GeoSeries) -> pd.Series:
        """Name of the district that contains each geometry entirely (e.g. a grid cell).

        Parameters
        ----------
        geoms
            Geometries in any CRS (reprojected to :attr:`crs` when needed).

        Returns
        -------
        pandas.Series
            String series aligned with ``geoms``; ``<NA>`` where no single district contains
            the whole geometry (it straddles a boundary or lies outside every district).
        """
        return self._first_district(geoms, predicate="within", argument="geoms")

    def _first_district(self, geoms: gpd.GeoSeries, *, predicate: str, argument: str) -> pd.Series:
        """Name of the first district for which ``predicate(geometry, district)`` holds."""
        shapes = self._to_crs(geoms, argument=argument)
        out = pd.Series(pd.NA, index=geoms.index, dtype="string")
        if len(shapes) == 0 or len(self.districts) == 0:
            return out
        tree = shapely.STRtree(self.districts.geometry.to_numpy())
        pairs = tree.query(shapes.to_numpy(), predicate=predicate)
        if pairs.size:
            first_geom, first = np.unique(pairs[0], return_index=True)
            out.iloc[first_geom] = self.districts["name"].to_numpy()[pairs[1][first]]
        return out

    def on_land(self, points: gpd.GeoSeries) -> np.ndarray:
        """Boolean array: which points lie on land (inside the municipality, not in water)."""
        pts = self._to_crs(points, argument="points")
        shapely.prepare(self.land)
        return np.asarray(shapely.contains_xy(self.land, pts.x.to_numpy(), pts.y.to_numpy()))

    def places_of(self, *kinds: str) -> gpd.GeoDataFrame:
        """The places of the given kinds (all places when none are given)."""
        unknown = [k for k in kinds if k not in PLACE_KINDS]
        if unknown:
            msg = f"place kind(s) {unknown} unknown; use one of {', '.join(PLACE_KINDS)}"
            raise InputSchemaError(msg)
        if not kinds:
            return self.places
        return self.places[self.places["kind"].isin(kinds)]

    def _to_crs(self, points: gpd.GeoSeries, *, argument: str) -> gpd.GeoSeries:
        if points.crs is None:
            msg = f"{argument} has no CRS; set one (e.g. EPSG:3006) before asking for districts"
            raise CRSError(msg)
        return points if points.crs.equals(self.crs) else points.to_crs(self.crs)


# ------------------------------------------------------------------------------------------
# Loading
# ------------------------------------------------------------------------------------------
def default_geography(metric_crs: str = DEFAULT_METRIC_CRS) -> Geography:
    """The demo geography of Karlstad (``data/geo``) in ``metric_crs``; cached, do not mutate."""
    return _default_geography(str(metric_crs))


@functools.lru_cache(maxsize=4)
def _default_geography(metric_crs: str) -> Geography:
    return load_geography(metric_crs=metric_crs)


def load_geography(
    *,
    config: Path | None = None,
    overrides: Mapping[str, Path | str] | None = None,
    metric_crs: str = DEFAULT_METRIC_CRS,
) -> Geography:
    """Load the base layers, replacing demo layers by the user's where configured.

    Parameters
    ----------
    config
        A TOML file with a ``[layers]`` table (see the module docstring). Relative paths in it
        are relative to the file.
    overrides
        The same keys as ``[layers]`` (``districts``, ``districts_name``, ...); they win over
        the config file. Relative paths are relative to the working directory.
    metric_crs
        Projected CRS in metres that every layer is reprojected to.

    Returns
    -------
    Geography
        The layers in ``metric_crs``.

    Raises
    ------
    InputSchemaError
        A file is missing or unreadable, lacks a needed column, or has the wrong geometry.
    CRSError
        A file has no CRS (and none is given by ``<layer>_crs``), or ``metric_crs`` is not a
        projected metric CRS.
    """
    target = check_metric(metric_crs, argument="metric_crs")
    options: dict[str, Path | str] = {}
    built: _Built | None = None
    if config is not None and Path(config).suffix.lower() == ".gpkg":
        built = _read_built(Path(config))
        options.update(built.options)
    elif config is not None:
        options.update(_read_config(Path(config)))
    for key, value in (overrides or {}).items():
        _check_key(key, where="overrides")
        options[key] = Path(value) if key in (*LAYERS, *OPTIONAL_LAYERS) else str(value)

    frames: dict[str, gpd.GeoDataFrame] = {}
    sources: dict[str, str] = {}
    for layer in LAYERS:
        path = Path(options.get(layer, DEMO_GEO_DIR / f"{layer}.geojson"))
        empty = built is not None and layer in built.empty
        frames[layer] = _read_layer(layer, path, options, target, allow_empty=empty)
        sources[layer] = str(path)
    extra: dict[str, gpd.GeoDataFrame | None] = {"streets": None, "buildings": None}
    for layer in extra:
        if layer in options:
            frame = _read_layer(layer, Path(options[layer]), options, target)
            extra[layer] = frame.reset_index(drop=True)
            sources[layer] = str(options[layer])
    streets = extra["streets"]

    municipality = _union(frames["municipality"])
    water = _union(frames["water"])
    land = shapely.make_valid(municipality.difference(water))
    return Geography(
        crs=target,
        municipality=municipality,
        water=water,
        land=land,
        districts=_districts(frames["districts"], options, Path(sources["districts"])),
        roads=_roads(frames["roads"], options, Path(sources["roads"])),
        places=_places(frames["places"], options, Path(sources["places"])),
        sources=sources,
        streets=streets,
        buildings=extra["buildings"],
        attribution="" if built is None else built.attribution,
    )


@dataclass(frozen=True)
class _Built:
    """What a built geography GeoPackage gives :func:`load_geography`."""

    options: dict[str, Path | str]
    empty: frozenset[str]
    attribution: str


def _read_built(path: Path) -> _Built:
    """Options reading the layers of a ``hotspots geography build`` GeoPackage by name."""
    import pyogrio  # noqa: PLC0415 - only a built geography needs the layer listing

    if not path.is_file():
        msg = f"{path}: geography GeoPackage not found; make one with hotspots geography build"
        raise InputSchemaError(msg)
    try:
        listed = {
            str(name): int(pyogrio.read_info(path, layer=str(name))["features"])
            for name in pyogrio.list_layers(path)[:, 0]
        }
    except Exception as exc:
        msg = f"{path}: cannot read it as a GeoPackage ({type(exc).__name__}: {exc})"
        raise InputSchemaError(msg) from exc
    missing = [layer for layer in LAYERS if layer not in listed]
    if missing:
        msg = (
            f"{path}: not a built geography (no layer {', '.join(missing)}); make one with "
            "hotspots geography build, or give a TOML file with a [layers] table"
        )
        raise InputSchemaError(msg)
    options: dict[str, Path | str] = {}
    for layer in (*LAYERS, *OPTIONAL_LAYERS):
        if layer in LAYERS or listed.get(layer, 0) > 0:
            options[layer] = path
            options[f"{layer}_layer"] = layer
    empty = frozenset(layer for layer in LAYERS if listed[layer] == 0)
    attribution = ""
    if "layers" in listed:
        table = pyogrio.read_dataframe(path, layer="layers", read_geometry=False)
        if "attribution" in table:
            texts = [str(a) for a in table["attribution"].dropna() if str(a) not in ("", "unknown")]
            attribution = "; ".join(dict.fromkeys(texts))
    return _Built(options=options, empty=empty, attribution=attribution)


def _check_key(key: str, *, where: str) -> None:
    base, _, suffix = key.partition("_")
    if base in (*LAYERS, *OPTIONAL_LAYERS) and (suffix == "" or suffix in _OPTION_SUFFIXES):
        return
    layers = (*LAYERS, *OPTIONAL_LAYERS)
    valid = ", ".join([*layers, *(f"<layer>_{s}" for s in _OPTION_SUFFIXES)])
    msg = f"{where}: unknown key {key!r}; use one of {valid} (layers: {', '.join(layers)})"
    raise InputSchemaError(msg)


def _read_config(path: Path) -> dict[str, Path | str]:
    if not path.is_file():
        msg = f"{path}: geography config file not found; give the path of a TOML file"
        raise InputSchemaError(msg)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        msg = f'{path}: not valid TOML ({exc}); write e.g. [layers] districts = "file.gpkg"'
        raise InputSchemaError(msg) from exc
    table = data.get("layers")
    if not isinstance(table, dict):
        msg = f'{path}: no [layers] table; write e.g. [layers] districts = "file.gpkg"'
        raise InputSchemaError(msg)
    out: dict[str, Path | str] = {}
    for key, value in table.items():
        _check_key(key, where=str(path))
        if not isinstance(value, str):
            msg = f"{path}: [layers] {key} must be a string (got {value!r})"
            raise InputSchemaError(msg)
        if key in (*LAYERS, *OPTIONAL_LAYERS):
            p = Path(value).expanduser()
            out[key] = p if p.is_absolute() else path.parent / p
        else:
            out[key] = value
    return out


def _read_layer(
    layer: str,
    path: Path,
    options: Mapping[str, Path | str],
    target: CRS,
    *,
    allow_empty: bool = False,
) -> gpd.GeoDataFrame:
    if not path.exists():
        msg = f"{path}: {layer} layer file not found; fix the path under [layers] {layer}"
        raise InputSchemaError(msg)
    kwargs: dict[str, Any] = {}
    if f"{layer}_layer" in options:
        kwargs["layer"] = str(options[f"{layer}_layer"])
    try:
        frame = gpd.read_file(path, **kwargs)
    except Exception as exc:
        msg = (
            f"{path}: cannot read the {layer} layer ({type(exc).__name__}: {exc}); "
            "give a GeoPackage, GeoJSON or Shapefile (.shp or .zip)"
        )
        raise InputSchemaError(msg) from exc
    if frame.crs is None:
        given = options.get(f"{layer}_crs")
        if given is None:
            msg = (
                f"{path}: the {layer} layer has no CRS; add one to the file (e.g. a .prj) or "
                f'set {layer}_crs = "EPSG:3006" under [layers]'
            )
            raise CRSError(msg)
        frame = frame.set_crs(parse_crs(given, argument=f"{layer}_crs"))
    frame = frame[~(frame.geometry.is_empty | frame.geometry.isna())]
    if len(frame) == 0 and allow_empty:
        return frame.to_crs(target)
    if len(frame) == 0:
        msg = f"{path}: the {layer} layer has no features with a geometry"
        raise InputSchemaError(msg)
    types = set(frame.geom_type.unique())
    allowed = _LAYER_GEOMETRY[layer]
    if not types <= set(allowed):
        msg = (
            f"{path}: the {layer} layer must hold {'/'.join(allowed)} geometries "
            f"(found {', '.join(sorted(types))}); give the right layer"
        )
        raise InputSchemaError(msg)
    frame = frame.to_crs(target)
    if layer not in {"roads", "places", "streets", "buildings"}:
        valid = shapely.make_valid(frame.geometry.to_numpy())
        frame = frame.set_geometry(gpd.GeoSeries(valid, index=frame.index, crs=target))
    return frame


def _union(frame: gpd.GeoDataFrame) -> BaseGeometry:
    geom = shapely.union_all(frame.geometry.to_numpy())
    return shapely.make_valid(geom)


def _column(
    frame: gpd.GeoDataFrame,
    options: Mapping[str, Path | str],
    key: str,
    guesses: tuple[str, ...],
    path: Path,
    *,
    required: bool,
) -> str | None:
    layer = key.split("_", 1)[0]
    if key in options:
        col = str(options[key])
        if col in frame.columns:
            return col
        if not required and key == "places_kind":
            return None  # a constant kind, handled by the caller
        msg = (
            f"{path}: column {col!r} (from {key}) not in the {layer} layer; "
            f"its columns are {', '.join(c for c in frame.columns if c != 'geometry')}"
        )
        raise InputSchemaError(msg)
    for guess in guesses:
        if guess in frame.columns:
            return guess
    if required:
        what = key.split("_", 1)[1]
        msg = (
            f"{path}: the {layer} layer has no {what} column (tried {', '.join(guesses)}; "
            f"found {', '.join(c for c in frame.columns if c != 'geometry')}); "
            f'set {key} = "<column>" under [layers]'
        )
        raise InputSchemaError(msg)
    return None


def _districts(
    frame: gpd.GeoDataFrame, options: Mapping[str, Path | str], path: Path
) -> gpd.GeoDataFrame:
    name = _column(frame, options, "districts_name", _NAME_GUESSES, path, required=True)
    pop = _column(frame, options, "districts_population", _POP_GUESSES, path, required=False)
    population = (
        pd.to_numeric(frame[pop], errors="coerce").astype(float)
        if pop
        else pd.Series(np.nan, index=frame.index)
    )
    out = gpd.GeoDataFrame(
        {
            "name": frame[name].astype("string"),
            "population": population.to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    return out.reset_index(drop=True)


def _roads(
    frame: gpd.GeoDataFrame, options: Mapping[str, Path | str], path: Path
) -> gpd.GeoDataFrame:
    name = _column(frame, options, "roads_name", _NAME_GUESSES, path, required=True)
    ref = _column(frame, options, "roads_ref", _REF_GUESSES, path, required=False)
    kind = _column(frame, options, "roads_kind", _KIND_GUESSES, path, required=False)
    refs = frame[ref].fillna("").astype(str).str.strip() if ref else pd.Series("", frame.index)
    if kind:
        raw = frame[kind].fillna("").astype(str).str.strip().str.casefold()
        kinds = raw.map(_ROAD_KIND_ALIASES)
        bad = sorted(set(raw[kinds.isna()]))
        if bad:
            msg = (
                f"{path}: road kind(s) {bad[:10]} in column {kind!r} unknown; use "
                f"{', '.join(ROAD_KINDS)} (or OSM highway values)"
            )
            raise InputSchemaError(msg)
    else:
        kinds = refs.map(_kind_from_ref)
    out = gpd.GeoDataFrame(
        {
            "name": frame[name].fillna("").astype("string"),
            "ref": refs.astype("string").to_numpy(),
            "kind": kinds.astype("string").to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    return out.reset_index(drop=True)


def _kind_from_ref(ref: str) -> str:
    if ref.upper().startswith("E") and ref[1:].strip().isdigit():
        return "motorway"
    if ref.isdigit():
        return "primary" if int(ref) < 100 else "secondary"
    return "street"


def _places(
    frame: gpd.GeoDataFrame, options: Mapping[str, Path | str], path: Path
) -> gpd.GeoDataFrame:
    name = _column(frame, options, "places_name", _NAME_GUESSES, path, required=True)
    kind_col = _column(frame, options, "places_kind", _KIND_GUESSES, path, required=False)
    if kind_col is not None:
        kinds = frame[kind_col].fillna("").astype(str).str.strip()
    elif "places_kind" in options:
        kinds = pd.Series(str(options["places_kind"]), index=frame.index)
    else:
        msg = (
            f"{path}: the places layer has no kind column (tried {', '.join(_KIND_GUESSES)}); "
            f'set places_kind = "<column>" or one kind such as "park" under [layers]'
        )
        raise InputSchemaError(msg)
    bad = sorted(set(kinds) - set(PLACE_KINDS))
    if bad:
        msg = f"{path}: place kind(s) {bad[:10]} unknown; use {', '.join(PLACE_KINDS)}"
        raise InputSchemaError(msg)
    geoms = frame.geometry
    if not geoms.geom_type.isin(["Point"]).all():
        logger.info("%s: places given as areas or multipoints; using a point inside each", path)
        geoms = geoms.representative_point()
    out = gpd.GeoDataFrame(
        {"name": frame[name].fillna("").astype("string"), "kind": kinds.astype("string")},
        geometry=geoms.to_numpy(),
        crs=frame.crs,
    )
    return out.reset_index(drop=True)


#: Share of the incidents that must lie in the demo municipality for its geography to be used.
_INSIDE_SHARE = 0.5


def choose_geography(incidents: pd.DataFrame, metric_crs: str) -> Geography | None:
    """The demo (Karlstad) geography when most incidents lie in its municipality, else None.

    ``incidents`` is an incident frame or a point incident frame.

    The test runs in EPSG:3006 on a sample of at most about 20,000 incidents; the geography
    is then returned in ``metric_crs``.
    """
    if len(incidents) == 0:
        return None
    home = default_geography(DEFAULT_METRIC_CRS)
    sample = reproject(incidents.iloc[:: max(1, len(incidents) // 20_000)], home.crs)
    x, y = point_xy(sample)
    inside = shapely.contains_xy(home.municipality, x, y)
    if float(np.mean(inside)) < _INSIDE_SHARE:
        return None
    return home if home.crs.equals(parse_crs(metric_crs)) else default_geography(metric_crs)
