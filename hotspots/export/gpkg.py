"""GeoPackage export of hotspot polygons (metric CRS, list columns as JSON text)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio

from hotspots.export.geojson import json_safe

__all__ = ["write_hotspots_gpkg"]


def write_hotspots_gpkg(
    gdf: gpd.GeoDataFrame,
    path: Path,
    *,
    layer: str = "hotspots",
    properties: Mapping[str, Any] | None = None,
) -> Path:
    """Write hotspot polygons as a GeoPackage layer, replacing a layer of that name.

    Columns holding lists or dicts (``top_categories``, ``peak_hours``, ``hour_weekday``, ...)
    are stored as JSON text. ``properties`` (the analysis parameters) go into a non-spatial
    table ``<layer>_parameters`` with ``key`` and ``value`` (JSON) columns.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = gdf[[c for c in gdf.columns if not str(c).startswith("_")]].copy()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        if out[col].map(lambda v: isinstance(v, (list, tuple, dict))).any():
            out[col] = out[col].map(lambda v: json.dumps(json_safe(v), ensure_ascii=False))
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda v: None if v is None else str(v)).astype("string")
    out.to_file(path, layer=layer, driver="GPKG", engine="pyogrio")
    if properties:
        table = pd.DataFrame(
            {
                "key": list(properties),
                "value": [
                    json.dumps(json_safe(v), ensure_ascii=False) for v in properties.values()
                ],
            }
        )
        pyogrio.write_dataframe(table, path, layer=f"{layer}_parameters", driver="GPKG")
    return path
