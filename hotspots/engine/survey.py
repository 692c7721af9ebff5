"""Perceived unsafety from survey and dialogue marks, and the crime x fear classes (pure).

Each survey mark gets a fear weight from its ``unsafe`` score (1-5, 5 = very unsafe):
``(unsafe - 1) / 4``, so a mark saying "not unsafe at all" adds nothing and "very unsafe"
adds one. The fear surface is the kernel density of these weights with the same kernel,
bandwidth, grid and edge correction as the crime density, in weighted marks per km².

A cell is *high crime* when it is a crime hotspot cell, and *high fear* when its fear density
is among the densest ``coverage`` share of the study area (the same rule as for crime). The
four classes follow the crime x fear quadrant of Swedish safety work:

=========================  ========================================================
class                      meaning
=========================  ========================================================
``high_crime_high_fear``   both: incidents and perceived unsafety concentrate
``perceived_unsafe``       high fear, low crime: an unsafe environment of its own
``high_crime_low_fear``    incidents concentrate but people do not report unsafety
``low``                    neither
=========================  ========================================================
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from hotspots.engine.kde import kde_surface
from hotspots.engine.polygons import select_cells
from hotspots.spatial.grid import Grid

__all__ = [
    "CRIME_FEAR_CLASSES",
    "MIN_MARKS_PERCEIVED",
    "crime_fear_cells",
    "fear_density",
    "fear_weights",
]

#: Class names by code (the integers of :attr:`HotspotResult.crime_fear`).
CRIME_FEAR_CLASSES: tuple[str, ...] = (
    "low",
    "high_crime_low_fear",
    "perceived_unsafe",
    "high_crime_high_fear",
)
#: Survey marks (with unsafe >= 3) a perceived-unsafe area needs to become a hotspot.
MIN_MARKS_PERCEIVED = 3


def fear_weights(survey: gpd.GeoDataFrame) -> np.ndarray:
    """Fear weight of each mark: ``(unsafe - 1) / 4`` clipped to 0-1 (missing score: 0)."""
    score = np.asarray(survey["unsafe"].astype("float64").fillna(1.0), dtype=float)
    return np.clip((score - 1.0) / 4.0, 0.0, 1.0)


def fear_density(
    survey: gpd.GeoDataFrame,
    *,
    grid: Grid,
    kernel: str,
    bandwidth_m: float,
    study_mask: np.ndarray,
    edge_correction: bool = True,
) -> np.ndarray:
    """Fear-weighted survey marks per km² on ``grid`` (NaN outside the study area).

    Parameters
    ----------
    survey
        Survey frame (points in ``grid.crs``, column ``unsafe``).
    grid, kernel, bandwidth_m, study_mask, edge_correction
        As for the crime density (:func:`hotspots.engine.kde.kde_surface`).
    """
    pts = survey.geometry
    return kde_surface(
        pts.x.to_numpy(),
        pts.y.to_numpy(),
        grid=grid,
        kernel=kernel,
        bandwidth_m=bandwidth_m,
        weights=fear_weights(survey),
        study_mask=study_mask,
        edge_correction=edge_correction,
    )


def crime_fear_cells(
    crime_cells: np.ndarray,
    fear: np.ndarray,
    study_mask: np.ndarray,
    *,
    coverage: float,
) -> tuple[np.ndarray, float]:
    """Crime x fear class code per cell (see :data:`CRIME_FEAR_CLASSES`).

    Parameters
    ----------
    crime_cells
        ``(ny, nx)`` bool: the crime hotspot cells.
    fear
        Fear density per km² (NaN outside the study area).
    study_mask
        ``(ny, nx)`` bool.
    coverage
        Share of the study area taken as high fear.

    Returns
    -------
    codes, fear_cutoff
        ``int8`` codes (-1 outside the study area) and the fear density a cell must reach.
    """
    mask = np.asarray(study_mask, dtype=bool)
    high_fear, cutoff = select_cells(fear, mask, coverage=coverage)
    crime = np.asarray(crime_cells, dtype=bool) & mask
    codes = crime.astype(np.int8) + 2 * high_fear.astype(np.int8)
    codes[~mask] = -1
    return codes, cutoff
