"""Places to follow up: areas from a file, a plan written by ``hotspots plan``, or named places.

A place is an id, a name, a kind and an area in metres (EPSG:3006). Points and lines get a
radius; polygons are used as they are.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from hotspots.core.errors import InputFileError, InputSchemaError

__all__ = ["places_frame", "read_places", "read_plan"]

_ID_COLUMNS = ("place_id", "id", "name", "namn", "plats")
_NAME_COLUMNS = ("name", "namn", "place", "plats")


def places_frame(
    gdf: gpd.GeoDataFrame, *, radius_m: float, metric_crs: str = "EPSG:3006"
) -> pd.DataFrame:
    """Places (``place_id``, ``name``, ``kind``, ``geometry`` areas in metres) from a frame.

    Parameters
    ----------
    gdf
        Features with an id or name column, any CRS.
    radius_m
        Radius given to points and lines, metres.
    metric_crs
        The metric CRS of the areas.

    Raises
    ------
    InputSchemaError
        When the frame has no CRS, no id or name column, or repeats an id.
    """
    if gdf.crs is None:
        msg = "places: the file has no CRS; save it with one (e.g. EPSG:3006 or EPSG:4326)"
        raise InputSchemaError(msg)
    id_col = next((c for c in _ID_COLUMNS if c in gdf), None)
    if id_col is None:
        msg = f"places: give an id or name column (one of {', '.join(_ID_COLUMNS)})"
        raise InputSchemaError(msg)
    name_col = next((c for c in _NAME_COLUMNS if c in gdf), id_col)
    frame = gdf.to_crs(metric_crs)
    ids = frame[id_col].astype(str).str.strip()
    if ids.duplicated().any():
        dup = sorted(set(ids[ids.duplicated()]))[:5]
        msg = f"places: the id {', '.join(dup)} is used more than once"
        raise InputSchemaError(msg)
    areas = [
        g
        if g is not None and g.geom_type in ("Polygon", "MultiPolygon")
        else (g.buffer(radius_m) if g is not None else None)
        for g in frame.geometry
    ]
    out = gpd.GeoDataFrame(
        {
            "place_id": ids.to_numpy(),
            "name": frame[name_col].astype(str).to_numpy(),
            "kind": frame["kind"].astype(str).to_numpy() if "kind" in frame else "",
        },
        geometry=gpd.GeoSeries(areas, crs=metric_crs),
        crs=metric_crs,
    )
    return out[out.geometry.notna() & ~out.geometry.is_empty].reset_index(drop=True)


def read_places(path: Path, *, radius_m: float = 100.0) -> pd.DataFrame:
    """Places from a GeoJSON, GeoPackage or Shapefile (see :func:`places_frame`).

    Raises
    ------
    InputFileError
        When the file cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "file not found" if not path.exists() else "is not a file")
    try:
        gdf = gpd.read_file(path)
    except Exception as exc:
        raise InputFileError(path, f"cannot be read as places ({exc})") from exc
    return places_frame(gdf, radius_m=radius_m)


def read_plan(path: Path, *, week: str | None = None) -> gpd.GeoDataFrame:
    """The suggestions of a plan written by ``hotspots plan --out FILE.geojson``, in metres.

    Parameters
    ----------
    path
        The plan GeoJSON.
    week
        The ISO week it must be for (its ``week`` property), when given.

    Raises
    ------
    InputFileError
        When the file cannot be read or is no plan.
    InputSchemaError
        When it is the plan of another week.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "file not found" if not path.exists() else "is not a file")
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
        gdf = gpd.read_file(path)
    except Exception as exc:
        raise InputFileError(path, f"is not a readable plan GeoJSON ({exc})") from exc
    props = doc.get("properties") if isinstance(doc, dict) else None
    plan_week = props.get("week") if isinstance(props, dict) else None
    if week is not None and plan_week is not None and str(plan_week) != week:
        msg = f"{path} is the plan of {plan_week}, not {week}; give that week's plan"
        raise InputSchemaError(msg)
    missing = [c for c in ("id", "kind") if c not in gdf]
    if missing:
        raise InputFileError(path, f"is not a plan of hotspots plan (no {', '.join(missing)})")
    if gdf.crs is None:
        gdf = gdf.set_crs("EPSG:4326")
    out = gdf.to_crs("EPSG:3006")
    out["geometry"] = shapely.force_2d(out.geometry.to_numpy())
    return out
