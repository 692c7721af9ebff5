"""Data exports of an analysis after its privacy profile: GeoJSON, GeoPackage, GeoTIFF, zip.

* ``hotspots.geojson`` and ``plan.geojson``: RFC 7946 (WGS84) through the engine's
  :func:`hotspots.export.geojson.write_geojson`, carrying the parameters used.
* ``hotspots.gpkg``: layers ``hotspots``, ``cells`` (incidents per 250 m cell; cells under
  5 dropped in public) and, internal only, ``plan``, all in the metric CRS (QGIS reads it).
* ``density.tif``: the density surface (incidents per km²) through the engine's
  :func:`hotspots.export.raster.write_density_geotiff`, with the public profile's
  suppressed cells blank.

Lists and dicts in attribute columns (top categories, peak hours, evidence) become JSON
text in the GeoPackage, which has no list type.
"""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.export.geojson import write_geojson
from hotspots.export.raster import write_density_geotiff
from hotspots.render.privacy import MapContent

__all__ = [
    "gpkg_frame",
    "package_zip",
    "write_density",
    "write_geopackage",
    "write_hotspots_geojson",
    "write_plan_geojson",
]

logger = logging.getLogger(__name__)


def _json_safe(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return [_json_safe(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def gpkg_frame(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy of ``frame`` whose list/dict columns are JSON text (GeoPackage has no lists)."""
    out = frame.copy()
    geom = out.geometry.name
    for col in out.columns:
        if col == geom or out[col].dtype != object:
            continue
        values = out[col].tolist()
        if any(isinstance(v, list | tuple | dict | np.ndarray) for v in values):
            out[col] = [
                None if v is None else json.dumps(_json_safe(v), ensure_ascii=False) for v in values
            ]
    return out


def _parameters(content: MapContent) -> dict[str, Any]:
    params = {k: _json_safe(v) for k, v in content.parameters.items()}
    params["privacy"] = content.profile
    if content.period is not None:
        params["period"] = [content.period[0].isoformat(), content.period[1].isoformat()]
    return params


def write_hotspots_geojson(content: MapContent, path: Path) -> Path:
    """Hotspot polygons as RFC 7946 GeoJSON with the parameters used."""
    write_geojson(content.hotspots, Path(path), properties=_parameters(content))
    return Path(path)


def write_plan_geojson(content: MapContent, path: Path) -> Path | None:
    """Plan suggestions as GeoJSON (internal profile only; ``None`` when there is no plan)."""
    if content.suggestions is None:
        return None
    write_geojson(content.suggestions, Path(path), properties=_parameters(content))
    return Path(path)


def write_geopackage(content: MapContent, path: Path) -> Path:
    """Write layers ``hotspots``, ``cells`` and (internal) ``plan`` to one GeoPackage.

    ``cells`` holds the analysed incidents counted in 250 m cells
    (:attr:`MapContent.cells`); the public profile has dropped cells with fewer than five.
    """
    path = Path(path)
    if path.exists():
        path.unlink()
    gpkg_frame(content.hotspots).to_file(path, layer="hotspots", driver="GPKG")
    if content.cells is not None and len(content.cells):
        content.cells.to_file(path, layer="cells", driver="GPKG")
    if content.suggestions is not None and len(content.suggestions):
        gpkg_frame(content.suggestions).to_file(path, layer="plan", driver="GPKG")
    return path


def write_density(content: MapContent, result: Any, path: Path) -> Path:
    """The density GeoTIFF (incidents per km²) of ``content`` (suppressed cells blank)."""
    if content.density is None:
        msg = "no density surface to write"
        raise ValueError(msg)
    masked = dataclasses.replace(result, density=content.density)
    write_density_geotiff(masked, Path(path))
    return Path(path)


def package_zip(content: MapContent, result: Any) -> bytes:
    """Every data export of ``content`` in one zip archive (bytes)."""
    with tempfile.TemporaryDirectory(prefix="hotspots-export-") as tmp:
        folder = Path(tmp)
        files = [
            write_hotspots_geojson(content, folder / "hotspots.geojson"),
            write_geopackage(content, folder / "hotspots.gpkg"),
        ]
        plan = write_plan_geojson(content, folder / "plan.geojson")
        if plan is not None:
            files.append(plan)
        if content.density is not None:
            files.append(write_density(content, result, folder / "density.tif"))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
            for f in files:
                zf.write(f, arcname=f.name)
        return buf.getvalue()
