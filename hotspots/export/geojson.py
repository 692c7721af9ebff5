"""GeoJSON (RFC 7946) export of hotspot polygons: WGS84, right-hand rule, JSON-safe values.

The FeatureCollection carries the analysis parameters as foreign members at its top level
(``kernel``, ``bandwidth_m``, ``cell_m``, ``coverage``, ``metric_crs``, ``study_area_km2``,
``n_incidents``, ...), as the README's output contract says; RFC 7946 section 6.1 allows
such members.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping
from shapely.geometry.polygon import orient

from hotspots.core.errors import InputSchemaError
from hotspots.core.taxonomy import is_restricted
from hotspots.spatial.crs import to_wgs84

__all__ = ["COORD_DECIMALS", "json_safe", "to_geojson_dict", "write_geojson"]

#: Decimals of WGS84 coordinates (1e-7 degree is about 1 cm).
COORD_DECIMALS = 7


def json_safe(value: Any) -> Any:
    """Turn numpy/pandas scalars, arrays, NaN and NA into plain JSON values (NaN -> None)."""
    if isinstance(value, Mapping):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [json_safe(v) for v in value]
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value if isinstance(value, str) else str(value)


def _scrub_categories(value: Any) -> Any:
    """Drop restricted codes from a ``top_categories``-style list (defence in depth)."""
    if isinstance(value, list):
        return [
            v for v in value if not (isinstance(v, Mapping) and is_restricted(str(v.get("code"))))
        ]
    return value


def _geometry(geom: Any) -> dict[str, Any] | None:
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "Polygon":
        geom = orient(geom, sign=1.0)
    elif geom.geom_type == "MultiPolygon":
        geom = shapely.MultiPolygon([orient(p, sign=1.0) for p in geom.geoms])
    geom = shapely.transform(geom, lambda xy: np.round(xy, COORD_DECIMALS))
    return mapping(geom)


def to_geojson_dict(
    gdf: gpd.GeoDataFrame, *, properties: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """A FeatureCollection dict of ``gdf`` in WGS84.

    Parameters
    ----------
    gdf
        Frame with a CRS (hotspots in the metric CRS, typically).
    properties
        Members added at the top level of the FeatureCollection (the analysis parameters).

    Returns
    -------
    dict
        RFC 7946 FeatureCollection; polygon exteriors counter-clockwise, coordinates
        longitude/latitude rounded to :data:`COORD_DECIMALS`.
    """
    if gdf.crs is None:
        msg = "the frame to export has no CRS; set one (e.g. EPSG:3006) first"
        raise InputSchemaError(msg)
    wgs = to_wgs84(gdf)
    columns = [c for c in wgs.columns if c != wgs.geometry.name and not str(c).startswith("_")]
    features = []
    for geom, row in zip(wgs.geometry, wgs[columns].itertuples(index=False), strict=True):
        props = {c: json_safe(_scrub_categories(v)) for c, v in zip(columns, row, strict=True)}
        features.append({"type": "Feature", "properties": props, "geometry": _geometry(geom)})
    out: dict[str, Any] = {"type": "FeatureCollection"}
    reserved = {"type", "features", "bbox", "coordinates", "geometry", "properties"}
    for key, value in (properties or {}).items():
        if key in reserved:
            msg = f"property {key!r} is reserved by RFC 7946; rename it"
            raise InputSchemaError(msg)
        out[key] = json_safe(value)
    out["features"] = features
    return out


def write_geojson(
    gdf: gpd.GeoDataFrame, path: Path, *, properties: Mapping[str, Any] | None = None
) -> Path:
    """Write ``gdf`` as an RFC 7946 GeoJSON FeatureCollection (UTF-8) to ``path``."""
    path = Path(path)
    data = to_geojson_dict(gdf, properties=properties)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    return path
