"""One entry point for a hotspot analysis, shared by the CLI, the app, the plan and the report.

``run_analysis`` composes the pure steps: selection -> grid and study area -> KDE surface ->
hotspot polygons -> Gi* significance -> survey fusion -> time profiles, and returns a frozen
:class:`HotspotResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np

from hotspots.config import AnalysisConfig
from hotspots.grid import Grid

if TYPE_CHECKING:
    from hotspots.geography import Geography

__all__ = ["HOTSPOT_COLUMNS", "HotspotResult", "run_analysis"]

#: Columns of :attr:`HotspotResult.hotspots` (besides ``geometry``), in order.
HOTSPOT_COLUMNS: tuple[str, ...] = (
    "rank",  # 1 = most incidents
    "kind",  # "crime" or "perceived" (unsafe in the survey, not in the incident data)
    "incidents",  # incidents (weights summed) inside the polygon
    "area_km2",
    "share_of_incidents",  # incidents / all incidents in the study area, 0-1
    "pai",  # share_of_incidents / share of the study area (predictive accuracy index)
    "peak_density_per_km2",
    "top_categories",  # list of {"code", "label_sv", "label_en", "count"}, most first
    "peak_hours",  # list of hours 0-23 of the peak window, in time order
    "peak_weekdays",  # list of "mon".."sun"
    "peak_window",  # e.g. "22-04" (HourWindow text, may wrap midnight)
    "hour_weekday",  # 7 x 24 nested list (Monday first), aoristic incident counts
    "district",  # district holding most of the polygon's incidents, or None
    "gi_z",  # max Getis-Ord Gi* z-score of the polygon's cells
    "gi_p_fdr",  # min Benjamini-Hochberg adjusted p of the polygon's cells
    "gi_class",  # "hot_99", "hot_95", "hot_90" or "not_significant"
    "crime_fear",  # high_crime_high_fear, perceived_unsafe, high_crime_low_fear, low, or None
    "survey_marks",  # survey marks inside the polygon
    "mean_unsafe",  # mean unsafe score (1-5) of those marks, or NaN
)


@dataclass(frozen=True)
class HotspotResult:
    """Everything one hotspot analysis produced.

    All arrays are ``(ny, nx)`` on :attr:`grid`, north-up (row 0 = north; see
    :mod:`hotspots.grid`).

    Attributes
    ----------
    config
        The configuration used, with the bandwidth resolved (never ``None``) and, when the
        bandwidth or method was chosen automatically, the chosen kernel and cell size.
    grid
        The raster grid in the metric CRS.
    study_mask
        ``bool`` array: True on land cells of the study area (never water).
    density
        Incidents per km² (float64), NaN outside the study area.
    counts
        Incidents (weights summed) binned to their nearest cell, float64; zero outside.
    hotspots
        GeoDataFrame in the metric CRS, one row per hotspot polygon, columns
        :data:`HOTSPOT_COLUMNS` plus ``geometry``; ranked crime hotspots first (by
        incidents), then perceived hotspots.
    incidents
        The filtered incident frame used (restricted categories never present), metric CRS.
    survey_density
        Unsafe-score-weighted survey marks per km² (NaN outside the study area), or ``None``
        without a survey.
    parameters
        Parameters for output (kernel, bandwidth_m, cell_m, coverage, threshold,
        metric_crs, study_area_km2, n_incidents, edge_correction, bandwidth_rule, ...).
    labels
        ``int32`` array: the rank of the hotspot each cell belongs to, 0 for none
        (perceived hotspots continue the ranks after the crime hotspots).
    gi_z
        Gi* z-score per cell (NaN outside the study area).
    gi_p_fdr
        Benjamini-Hochberg adjusted one-sided p-value per cell (NaN outside).
    crime_fear
        Per-cell class codes: 0 low, 1 high_crime_low_fear, 2 perceived_unsafe,
        3 high_crime_high_fear; -1 outside the study area; ``None`` without a survey.
    threshold_density_per_km2
        The density above which a cell is hotspot.
    """

    config: AnalysisConfig
    grid: Grid
    study_mask: np.ndarray
    density: np.ndarray
    counts: np.ndarray
    hotspots: gpd.GeoDataFrame
    incidents: gpd.GeoDataFrame
    survey_density: np.ndarray | None
    parameters: dict[str, Any]
    labels: np.ndarray | None = None
    gi_z: np.ndarray | None = None
    gi_p_fdr: np.ndarray | None = None
    crime_fear: np.ndarray | None = None
    threshold_density_per_km2: float = float("nan")
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def study_area_km2(self) -> float:
        """Area of the study area (land cells), km²."""
        return float(self.study_mask.sum()) * self.grid.cell_area_km2


def run_analysis(
    incidents: gpd.GeoDataFrame,
    *,
    config: AnalysisConfig,
    geography: Geography | None,
    survey: gpd.GeoDataFrame | None = None,
) -> HotspotResult:
    """Run a hotspot analysis on an incident frame.

    Parameters
    ----------
    incidents
        Incident frame (see :mod:`hotspots.schema`) in a projected metric CRS; it is
        filtered here with ``config.filters`` (restricted categories always dropped).
    config
        Analysis parameters; ``bandwidth_m=None`` or ``method="auto"`` chooses them
        automatically.
    geography
        Base layers; its land (municipality minus water) is the study area. ``None`` uses
        the data's extent buffered by the bandwidth.
    survey
        Survey frame of unsafe marks (optional).

    Returns
    -------
    HotspotResult
    """
    msg = "run_analysis is being written (issue 3)"
    raise NotImplementedError(msg)
