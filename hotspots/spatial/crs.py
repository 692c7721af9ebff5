"""Choice of the metric working CRS and conversions to and from it.

Inside the package everything is in a projected CRS with metre units: SWEREF 99 TM
(EPSG:3006) for Swedish data, the UTM zone of the data elsewhere. WGS84 is used only for the
web map and GeoJSON output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from pyproj import CRS, Transformer

from hotspots.core.config import DEFAULT_METRIC_CRS
from hotspots.core.errors import CRSError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "DEFAULT_METRIC_CRS",
    "SWEDEN_BOUNDS_WGS84",
    "check_metric",
    "choose_metric_crs",
    "parse_crs",
    "to_metric",
    "to_wgs84",
]

#: (min lon, min lat, max lon, max lat) of Sweden with a small margin, degrees.
SWEDEN_BOUNDS_WGS84 = (10.0, 55.0, 24.5, 69.5)


def parse_crs(value: object, *, argument: str = "--crs") -> CRS:
    """Parse a CRS given as ``"EPSG:3006"``, ``"3006"``, an int or a pyproj CRS.

    Raises
    ------
    CRSError
        When the value is not a CRS pyproj knows.
    """
    if isinstance(value, CRS):
        return value
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except Exception as exc:
        msg = f"{argument}: {value!r} is not a known CRS; give an EPSG code such as EPSG:3006"
        raise CRSError(msg) from exc


def check_metric(crs: object, *, argument: str = "crs") -> CRS:
    """Return ``crs`` as a pyproj CRS, raising unless it is projected with metre units.

    Raises
    ------
    CRSError
        When the CRS is missing, geographic, or not in metres.
    """
    if crs is None:
        msg = f"{argument} has no CRS; set one, e.g. EPSG:3006"
        raise CRSError(msg)
    parsed = parse_crs(crs, argument=argument)
    if not parsed.is_projected:
        msg = (
            f"{argument} must be a projected metric CRS such as EPSG:3006 "
            f"(got {parsed.to_string()}); call hotspots.spatial.crs.to_metric()"
        )
        raise CRSError(msg)
    unit = parsed.axis_info[0].unit_name if parsed.axis_info else ""
    if unit not in ("metre", "meter", "m"):
        msg = f"{argument} must have metre units (got {unit!r} in {parsed.to_string()})"
        raise CRSError(msg)
    return parsed


def choose_metric_crs(lon: np.ndarray, lat: np.ndarray) -> CRS:
    """Choose the working CRS for points given in WGS84 degrees.

    EPSG:3006 when the median point lies in Sweden, else the WGS84 UTM zone of the median point.

    Parameters
    ----------
    lon, lat
        Longitudes and latitudes in degrees.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return CRS.from_user_input(DEFAULT_METRIC_CRS)
    mlon = float(np.median(lon[ok]))
    mlat = float(np.median(lat[ok]))
    w, s, e, n = SWEDEN_BOUNDS_WGS84
    if w <= mlon <= e and s <= mlat <= n:
        return CRS.from_user_input(DEFAULT_METRIC_CRS)
    zone = int((mlon + 180.0) // 6.0) + 1
    epsg = (32600 if mlat >= 0 else 32700) + zone
    return CRS.from_epsg(epsg)


_CHOICE_SAMPLE = 20_000


def to_metric(gdf: gpd.GeoDataFrame, metric_crs: object | None = None) -> gpd.GeoDataFrame:
    """Reproject ``gdf`` to ``metric_crs`` (chosen from the data when ``None``).

    ``gdf`` is a GeoDataFrame or a point frame (:mod:`hotspots.spatial.points`); the result
    is of the same kind.
    """
    from hotspots.spatial.points import frame_crs, point_xy, reproject  # noqa: PLC0415 (loads geopandas)

    src = frame_crs(gdf)
    if src is None:
        msg = "frame has no CRS; set one before reprojecting"
        raise CRSError(msg)
    if metric_crs is None:
        # the median position decides; a regular sample of the points gives it without
        # reprojecting a million of them
        step = max(1, len(gdf) // _CHOICE_SAMPLE)
        x, y = point_xy(gdf.iloc[::step])
        lon, lat = Transformer.from_crs(src, 4326, always_xy=True).transform(x, y)
        target = choose_metric_crs(np.asarray(lon), np.asarray(lat))
    else:
        target = check_metric(metric_crs, argument="metric_crs")
    return reproject(gdf, target)


def to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject ``gdf`` to WGS84 (EPSG:4326) for the web map and GeoJSON output only."""
    if gdf.crs is None:
        msg = "frame has no CRS; set one before reprojecting"
        raise CRSError(msg)
    return gdf if gdf.crs.equals(CRS.from_epsg(4326)) else gdf.to_crs(4326)
