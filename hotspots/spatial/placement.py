"""Nothing dropped silently: incidents outside the study area or in water, counted and listed.

An analysis keeps only incidents on the study area's land. Geocoded and hand-placed points
often sit a few metres off a shoreline (a quay, a bridge, a beach drawn coarsely); such a
point within ``snap_to_land_m`` of land is moved onto the nearest land, the rest are listed
with the reason, so the CLI, the app and the report can say how many were left out and
offer the list for download.

:func:`place_on_land` is pure: it takes incidents (a GeoDataFrame of points or a point frame
with ``x``/``y``) and a :class:`~hotspots.spatial.geography.Geography` and returns a
:class:`Placement`.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.core.errors import InputSchemaError
from hotspots.spatial.geography import Geography
from hotspots.spatial.points import frame_crs, is_point_frame, point_frame, point_xy, reproject

__all__ = ["DEFAULT_SNAP_TO_LAND_M", "Placement", "place_on_land"]

#: Default largest move (metres) of a point in water onto the nearest land.
DEFAULT_SNAP_TO_LAND_M = 25.0

#: How far (metres) a moved point goes past the shoreline, so that it lies inside the land
#: and not on its boundary (which a containment test counts as outside).
_INSIDE_M = 0.01

#: Reasons in :attr:`Placement.dropped`.
IN_WATER = "in water"
OUTSIDE = "outside the study area"


@dataclass(frozen=True)
class Placement:
    """Where the incidents lie with respect to the study area's land.

    Attributes
    ----------
    kept
        The incidents on land, with the snapped ones moved (same columns and CRS as the
        input; the geography's CRS).
    dropped
        The incidents left out: the input's columns plus ``reason`` (``in water`` or
        ``outside the study area``) and ``distance_to_land_m``.
    snapped
        The incidents moved onto land: the input's index, ``from_x``, ``from_y``, ``to_x``,
        ``to_y`` (metres) and ``moved_m``.
    study_area
        What the land covers, in words (e.g. ``land of the districts``).
    """

    kept: pd.DataFrame
    dropped: pd.DataFrame
    snapped: pd.DataFrame
    study_area: str

    @property
    def n_in_water(self) -> int:
        """Incidents left out because they lie in water (farther than the snap distance)."""
        return int((self.dropped["reason"] == IN_WATER).sum())

    @property
    def n_outside(self) -> int:
        """Incidents left out because they lie outside the study area."""
        return int((self.dropped["reason"] == OUTSIDE).sum())

    @property
    def n_snapped(self) -> int:
        """Incidents moved onto land."""
        return len(self.snapped)

    def summary(self) -> str:
        """One line for the CLI, e.g. ``3 incidents left out (2 outside ..., 1 in water)``."""
        n = len(self.dropped)
        parts = [
            f"{n} incident{'s' if n != 1 else ''} left out of the analysis "
            f"({self.n_outside} outside the study area ({self.study_area}), "
            f"{self.n_in_water} in water)"
        ]
        if self.n_snapped:
            parts.append(f"{self.n_snapped} moved onto land from just off the shore")
        return "; ".join(parts)


def _snap(
    land: shapely.Geometry, x: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest points inside ``land`` and the distance to the shore (metres)."""
    pts = shapely.points(x, y)
    lines = shapely.shortest_line(pts, land)
    ends = shapely.get_coordinates(shapely.get_point(lines, 1))
    dist = shapely.length(lines)
    dx, dy = ends[:, 0] - x, ends[:, 1] - y
    with np.errstate(invalid="ignore", divide="ignore"):
        ux, uy = dx / dist, dy / dist
    ux, uy = np.nan_to_num(ux), np.nan_to_num(uy)
    tx, ty = ends[:, 0].copy(), ends[:, 1].copy()
    inside = np.zeros(len(x), dtype=bool)
    for step in (_INSIDE_M, 0.1, 1.0):  # step past the shore until inside
        todo = ~inside
        if not todo.any():
            break
        cx = ends[todo, 0] + ux[todo] * step
        cy = ends[todo, 1] + uy[todo] * step
        ok = shapely.contains_xy(land, cx, cy)
        idx = np.flatnonzero(todo)[ok]
        tx[idx], ty[idx] = cx[ok], cy[ok]
        inside[idx] = True
    return tx, ty, dist


def place_on_land(
    incidents: pd.DataFrame,
    geography: Geography,
    *,
    snap_to_land_m: float = DEFAULT_SNAP_TO_LAND_M,
) -> Placement:
    """Split incidents into those on the study area's land and those left out, with reasons.

    A point on ``geography.land`` is kept. A point in water (``geography.water``) within
    ``snap_to_land_m`` of the land is moved onto the nearest land (shapely's shortest line,
    plus 1 cm inland) and kept. Every other point is left out: ``in water`` or ``outside the
    study area``.

    Parameters
    ----------
    incidents
        A GeoDataFrame of points or a point frame (``x``/``y``), in any CRS (reprojected to
        the geography's).
    geography
        The study area (its ``land`` may be cut to the districts, see
        :meth:`Geography.with_study_area`).
    snap_to_land_m
        Largest move onto land, metres; 0 moves nothing.

    Returns
    -------
    Placement
        The kept incidents, the dropped ones with reasons, the moves.

    Raises
    ------
    InputSchemaError
        When ``snap_to_land_m`` is negative or not finite.
    CRSError
        When ``incidents`` has no CRS.
    """
    if not np.isfinite(snap_to_land_m) or snap_to_land_m < 0:
        msg = f"--snap-to-land-m must be a distance >= 0 in metres (got {snap_to_land_m!r})"
        raise InputSchemaError(msg)
    frame = reproject(incidents, geography.crs)
    x, y = point_xy(frame)
    land, water = geography.land, geography.water
    shapely.prepare(land)
    shapely.prepare(water)
    on_land = np.asarray(shapely.contains_xy(land, x, y), dtype=bool)
    off = ~on_land
    in_water = np.zeros(len(x), dtype=bool)
    in_water[off] = shapely.contains_xy(water, x[off], y[off])
    tx, ty, dist = (
        _snap(land, x[off], y[off]) if off.any() and not land.is_empty else (None, None, None)
    )
    distance = np.full(len(x), np.nan)
    to_x, to_y = x.copy(), y.copy()
    if dist is not None:
        distance[off] = dist
        to_x[off], to_y[off] = tx, ty
    snap = in_water & (distance <= snap_to_land_m)
    keep = on_land | snap

    moved = _with_xy(frame, to_x, to_y, snap)
    kept = moved[keep]
    dropped = frame[~keep].copy()
    dropped["reason"] = np.where(in_water[~keep], IN_WATER, OUTSIDE)
    dropped["distance_to_land_m"] = np.round(distance[~keep], 2)
    snapped = pd.DataFrame(
        {
            "from_x": x[snap],
            "from_y": y[snap],
            "to_x": to_x[snap],
            "to_y": to_y[snap],
            "moved_m": np.hypot(to_x[snap] - x[snap], to_y[snap] - y[snap]),
        },
        index=frame.index[snap],
    )
    return Placement(
        kept=kept, dropped=dropped, snapped=snapped, study_area=geography.study_area_label
    )


def _with_xy(
    frame: pd.DataFrame, x: np.ndarray, y: np.ndarray, changed: np.ndarray
) -> pd.DataFrame:
    """``frame`` with the points of the ``changed`` rows at ``x``, ``y`` (a copy if any)."""
    if not changed.any():
        return frame
    crs = frame_crs(frame)
    if is_point_frame(frame):
        return point_frame(frame.copy(), x, y, crs)  # type: ignore[arg-type]
    out = frame.copy()
    geoms = out.geometry.to_numpy().copy()
    geoms[changed] = shapely.points(x[changed], y[changed])
    out[out.geometry.name] = gpd.GeoSeries(geoms, index=out.index, crs=crs)
    return out
