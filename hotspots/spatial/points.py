"""Incident frames as points: one accessor for GeoDataFrames and point frames alike.

A *point frame* (see :mod:`hotspots.core.schema`) is a plain DataFrame that holds its coordinates
in the float columns ``x`` and ``y`` (metres) and its CRS in ``attrs["crs"]`` (WKT), with no
geometry objects. Reading a million-row file for one analysis builds one, because a million
point geometries cost more to create, concatenate and free than the rest of the read. The
engine takes either kind through the functions here.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Transformer

from hotspots.core.errors import CRSError

__all__ = [
    "POINT_CRS_ATTR",
    "frame_crs",
    "is_point_frame",
    "point_frame",
    "point_xy",
    "reproject",
]

#: Key of ``DataFrame.attrs`` holding a point frame's CRS as WKT (a string copies cheaply).
POINT_CRS_ATTR = "crs"


def is_point_frame(frame: pd.DataFrame) -> bool:
    """Whether ``frame`` is a point frame (x/y columns, no geometry), not a GeoDataFrame."""
    return not isinstance(frame, gpd.GeoDataFrame) and "x" in frame and "y" in frame


def point_frame(frame: pd.DataFrame, x: np.ndarray, y: np.ndarray, crs: CRS) -> pd.DataFrame:
    """``frame`` with the coordinates ``x``, ``y`` (metres in ``crs``) as a point frame.

    Parameters
    ----------
    frame
        Attribute columns, one row per point (modified in place and returned).
    x, y
        Coordinates in ``crs``, aligned with ``frame``.
    crs
        Their CRS.
    """
    frame["x"] = np.asarray(x, dtype=np.float64)
    frame["y"] = np.asarray(y, dtype=np.float64)
    frame.attrs[POINT_CRS_ATTR] = CRS.from_user_input(crs).to_wkt()
    return frame


def frame_crs(frame: pd.DataFrame) -> CRS | None:
    """The CRS of a GeoDataFrame or a point frame (``None`` when it has none)."""
    if isinstance(frame, gpd.GeoDataFrame):
        return frame.crs
    wkt = frame.attrs.get(POINT_CRS_ATTR)
    return CRS.from_wkt(wkt) if wkt else None


def point_xy(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates (metres) of the points of ``frame`` in its own CRS, as float64 arrays.

    For a point frame these may be views of its columns: read them, do not write to them.
    """
    if is_point_frame(frame):
        return frame["x"].to_numpy(dtype=np.float64), frame["y"].to_numpy(dtype=np.float64)
    geoms = frame.geometry.to_numpy()
    xy = shapely.get_coordinates(geoms)
    if len(xy) != len(geoms):  # an empty point has no coordinates: align one by one
        return (
            frame.geometry.x.to_numpy(dtype=np.float64),
            frame.geometry.y.to_numpy(dtype=np.float64),
        )
    return xy[:, 0].copy(), xy[:, 1].copy()


def reproject(frame: pd.DataFrame, crs: CRS) -> pd.DataFrame:
    """``frame`` in ``crs`` (the same object when it is already there).

    Raises
    ------
    CRSError
        When ``frame`` has no CRS.
    """
    src = frame_crs(frame)
    if src is None:
        msg = "incidents have no CRS; set one, e.g. EPSG:3006"
        raise CRSError(msg)
    if src.equals(crs):
        return frame
    if isinstance(frame, gpd.GeoDataFrame):
        return frame.to_crs(crs)
    x, y = point_xy(frame)
    tx, ty = Transformer.from_crs(src, crs, always_xy=True).transform(x, y)
    return point_frame(frame.copy(), np.asarray(tx), np.asarray(ty), crs)
