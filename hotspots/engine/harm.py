"""Harm-weighted hotspots: a harm weight per category, harm spots beside count spots.

Counting every incident as one ranks a row of bicycle thefts above a grave assault. A crime
harm index weighs each incident by the harm of its offence; the Swedish *brottsskadeindex*
gives one point per month of the average imposed sentence (Kärrholm, Neyroud and Smaaland
2020). The weights come from a table, one row per taxonomy code (:func:`load_weights`, from
:mod:`hotspots.engine.harm_weights`, re-exported here):

``count``
    Every incident weighs one (the plain count).
``harm``
    The table shipped in ``hotspots/data/harm_weights.csv`` (months of average sentence,
    each code mapped to the nearest published example; the ``source`` column says which).
a file
    The same columns, ``code;weight;source;date``, edited to local figures.

:func:`harm_analysis` takes a count analysis (:func:`hotspots.engine.analysis.run_analysis`)
and adds, on its grid, study area, kernel, bandwidth and coverage: the harm density (a
weighted KDE), harm hotspot polygons ranked by harm, the overlap of harm spots with count
spots (:func:`spot_overlap`) and the concentration curves of harm and of counts over the
cells (:func:`concentration_curve`). Restricted categories never reach it: the count
analysis has already dropped them, and their weights in the table are never used for a map.

References
----------
Kärrholm, F., Neyroud, P. and Smaaland, J. (2020). Designing the Swedish Crime Harm Index:
an evidence-based strategy. *Cambridge Journal of Evidence-Based Policing* 4, 15-33.
Sherman, L., Neyroud, P. and Neyroud, E. (2016). The Cambridge Crime Harm Index.
*Policing* 10(3), 171-183.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.core.errors import InputSchemaError
from hotspots.engine.analysis import HOTSPOT_COLUMNS
from hotspots.engine.harm_weights import (
    WEIGHT_COLUMNS,
    WEIGHT_SCHEMES,
    HarmWeights,
    WeightRow,
    default_weights_path,
    load_weights,
    read_weights,
)
from hotspots.engine.kde import kde_surface
from hotspots.engine.polygons import (
    CellIncidents,
    describe_hotspots,
    drop_small_groups,
    label_cells,
    select_cells,
)
from hotspots.engine.significance import gi_star
from hotspots.engine.temporal import aoristic_slots
from hotspots.spatial.points import point_xy

if TYPE_CHECKING:
    from hotspots.engine.analysis import HotspotResult
    from hotspots.spatial.geography import Geography

__all__ = [
    "CONCENTRATION_AREA_SHARES",
    "WEIGHT_COLUMNS",
    "WEIGHT_SCHEMES",
    "ConcentrationCurve",
    "HarmResult",
    "HarmWeights",
    "SpotOverlap",
    "WeightRow",
    "as_harm_result",
    "concentration_curve",
    "default_weights_path",
    "harm_analysis",
    "incident_weights",
    "load_weights",
    "read_weights",
    "spot_overlap",
]

#: Area shares at which the concentration curves are reported (0.01 = the top 1 % of cells).
CONCENTRATION_AREA_SHARES: tuple[float, ...] = (0.01, 0.02, 0.05, 0.10, 0.20, 0.50)


def incident_weights(
    categories: Sequence[str] | np.ndarray | pd.Series | pd.api.extensions.ExtensionArray,
    weights: HarmWeights,
) -> np.ndarray:
    """The harm weight of each incident, from its category.

    Parameters
    ----------
    categories
        Taxonomy code of each incident.
    weights
        The table.

    Returns
    -------
    numpy.ndarray
        float64, one weight per incident.

    Raises
    ------
    InputSchemaError
        When a category has no weight (not a taxonomy code).
    """
    cats = pd.Series(np.asarray(categories, dtype=object))
    out = cats.map(weights.as_dict()).to_numpy(dtype=float, na_value=np.nan)
    bad = np.isnan(out)
    if bad.any():
        unknown = sorted({str(c) for c in cats[bad]})
        msg = f"harm weights {weights.name}: no weight for category {', '.join(unknown)}"
        raise InputSchemaError(msg)
    return out


# ------------------------------------------------------------------------------------------
# overlap and concentration
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SpotOverlap:
    """How far harm spots and count spots are the same cells.

    Attributes
    ----------
    count_cells, harm_cells, both_cells
        Number of count-spot cells, harm-spot cells and cells that are both.
    jaccard
        ``both / (count + harm - both)``: 1 = the same cells, 0 = none shared (NaN when there
        are no spots at all).
    harm_in_count
        Share of harm-spot cells that are also count-spot cells (NaN without harm spots).
    """

    count_cells: int
    harm_cells: int
    both_cells: int
    jaccard: float
    harm_in_count: float

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON (NaN as ``None``)."""
        return {
            "count_cells": self.count_cells,
            "harm_cells": self.harm_cells,
            "both_cells": self.both_cells,
            "jaccard": _finite_or_none(self.jaccard),
            "harm_in_count": _finite_or_none(self.harm_in_count),
        }


def spot_overlap(count_cells: np.ndarray, harm_cells: np.ndarray) -> SpotOverlap:
    """Overlap of two boolean cell sets (count spots and harm spots) of the same shape."""
    c = np.asarray(count_cells, dtype=bool)
    h = np.asarray(harm_cells, dtype=bool)
    if c.shape != h.shape:
        msg = f"count_cells has shape {c.shape}, harm_cells {h.shape}; they must match"
        raise InputSchemaError(msg)
    n_c = int(c.sum())
    n_h = int(h.sum())
    both = int((c & h).sum())
    union = n_c + n_h - both
    return SpotOverlap(
        count_cells=n_c,
        harm_cells=n_h,
        both_cells=both,
        jaccard=both / union if union else math.nan,
        harm_in_count=both / n_h if n_h else math.nan,
    )


@dataclass(frozen=True, eq=False)
class ConcentrationCurve:
    """Share of a total (harm or incidents) against share of area, cells densest first.

    Like a Lorenz curve read from the top: the study cells are sorted by their value, most
    first; point ``k`` is (``k / N`` of the area, share of the total in those ``k`` cells).
    Every cell has the same area, so the share of cells is the share of area. The curve is
    concave, starts at (0, 0) and ends at (1, 1) (at (1, 0) when the total is zero).

    Attributes
    ----------
    area_share
        ``0, 1/N, ..., 1`` (``N + 1`` points).
    value_share
        Cumulative share of the total, same length, non-decreasing.
    total
        The sum of the values over the cells.
    """

    area_share: np.ndarray
    value_share: np.ndarray
    total: float

    @property
    def n_cells(self) -> int:
        """Number of cells ``N``."""
        return len(self.area_share) - 1

    def share_in(self, area_share: float) -> float:
        """Share of the total in the top ``area_share`` of the area (linear between cells)."""
        return float(np.interp(area_share, self.area_share, self.value_share))

    def area_for(self, value_share: float) -> float:
        """Smallest share of the area, in whole cells, that holds ``value_share`` of the total.

        E.g. ``area_for(0.5)``: half of all harm lies in this share of the cells.
        NaN when the total is zero.
        """
        if self.total <= 0 or self.n_cells == 0:
            return math.nan
        k = int(np.searchsorted(self.value_share, value_share - 1e-12, side="left"))
        return float(self.area_share[min(k, self.n_cells)])

    @property
    def gini(self) -> float:
        """Gini coefficient of the cell values: ``2 * (area under the curve) - 1``.

        0 = spread evenly over the cells, towards 1 = all in one cell. NaN for a zero total.
        """
        if self.total <= 0 or self.n_cells == 0:
            return math.nan
        y = self.value_share
        auc = float(np.sum((y[1:] + y[:-1]) * 0.5) / self.n_cells)
        return 2.0 * auc - 1.0

    def summary(self, shares: Sequence[float] = CONCENTRATION_AREA_SHARES) -> dict[str, Any]:
        """Figures for output: the area holding half, the Gini and the share in the top cells."""
        return {
            "total": round(self.total, 6),
            "cells": self.n_cells,
            "area_share_for_half": _finite_or_none(self.area_for(0.5)),
            "gini": _finite_or_none(self.gini),
            "share_in_top": {f"{s:g}": round(self.share_in(s), 6) for s in shares},
        }


def concentration_curve(values: np.ndarray, mask: np.ndarray | None = None) -> ConcentrationCurve:
    """The concentration curve of per-cell ``values`` over the cells of ``mask``.

    Parameters
    ----------
    values
        Per-cell totals (e.g. harm or incidents per cell), any shape; NaN counts as zero.
    mask
        Cells that take part (same shape; default all). Cells outside are ignored.

    Returns
    -------
    ConcentrationCurve
    """
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=0.0)
    if mask is not None:
        m = np.asarray(mask, dtype=bool)
        if m.shape != v.shape:
            msg = f"mask has shape {m.shape}, values {v.shape}; they must match"
            raise InputSchemaError(msg)
        v = v[m]
    v = np.sort(v.ravel())[::-1]
    if (v < 0).any():
        msg = "values must be >= 0 (harm or incident totals per cell)"
        raise InputSchemaError(msg)
    n = len(v)
    total = float(v.sum())
    cum = np.concatenate(([0.0], np.cumsum(v)))
    share = cum / total if total > 0 else np.zeros(n + 1)
    if total > 0:
        share[-1] = 1.0  # no round-off at the end
    area = np.arange(n + 1, dtype=float) / n if n else np.zeros(1)
    return ConcentrationCurve(area_share=area, value_share=share, total=total)


# ------------------------------------------------------------------------------------------
# harm analysis on a count analysis' grid
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class HarmResult:
    """Harm density and harm spots beside the count spots of one analysis.

    All arrays are ``(ny, nx)`` on the count analysis' grid.

    Attributes
    ----------
    weights
        The weights used.
    incident_weights
        Harm weight of each incident of the count analysis (aligned with its incidents).
    harm_counts
        Harm per cell (each incident to the cell containing it), on the whole grid.
    harm_density
        Weighted KDE, harm per km² (NaN outside the study area).
    count_density
        The count density the count spots come from (incidents per km²).
    count_cells, harm_cells
        Hotspot cells of each (same coverage or threshold, same minimum of incidents).
    overlap
        :func:`spot_overlap` of the two.
    harm_curve, count_curve
        :func:`concentration_curve` of harm and of incidents over the study cells.
    hotspots
        Harm hotspot polygons in the metric CRS, ranked by harm: the columns of
        :data:`hotspots.engine.analysis.HOTSPOT_COLUMNS` (``incidents`` = harm summed,
        ``share_of_incidents`` and ``pai`` by harm) plus ``n_incidents`` (incidents, not
        weighted).
    labels
        ``int32``: the rank of the harm hotspot each cell belongs to, 0 for none.
    """

    weights: HarmWeights
    incident_weights: np.ndarray
    harm_counts: np.ndarray
    harm_density: np.ndarray
    count_density: np.ndarray
    count_cells: np.ndarray
    harm_cells: np.ndarray
    overlap: SpotOverlap
    harm_curve: ConcentrationCurve
    count_curve: ConcentrationCurve
    hotspots: gpd.GeoDataFrame
    labels: np.ndarray

    @property
    def total_harm(self) -> float:
        """Harm of all incidents of the analysis."""
        return float(self.incident_weights.sum())

    def parameters(self) -> dict[str, Any]:
        """Figures for output: the weights, the overlap and both concentration curves.

        Spot cells and curves cover the study area; harm captured is the share of all harm
        (in the study cells) inside each kind of spot.
        """
        in_study = float(self.harm_curve.total)
        hc = np.where(np.isfinite(self.harm_density), self.harm_counts, 0.0)
        captured = {
            "harm_spots": float(hc[self.harm_cells].sum()) / in_study if in_study else None,
            "count_spots": float(hc[self.count_cells].sum()) / in_study if in_study else None,
        }
        return {
            "weights": self.weights.describe(),
            "total_harm": round(self.total_harm, 6),
            "n_harm_hotspots": len(self.hotspots),
            "overlap": self.overlap.as_dict(),
            "harm_captured": {k: _round_or_none(v) for k, v in captured.items()},
            "concentration": {
                "harm": self.harm_curve.summary(),
                "count": self.count_curve.summary(),
            },
        }


def harm_analysis(
    result: HotspotResult,
    weights: HarmWeights,
    *,
    geography: Geography | None = None,
) -> HarmResult:
    """Harm density, harm spots, their overlap with the count spots, concentration curves.

    Everything is computed on ``result``'s grid and study area with its kernel, bandwidth,
    edge correction, coverage (or threshold) and minimum of incidents, so the two maps differ
    only by the weights. The harm density is always a weighted KDE; when ``result`` came from
    another method (``--method auto`` may choose plain cell counts), the count spots compared
    are those of the unweighted KDE with the same parameters, so that the comparison too
    differs only by the weights. A harm spot must hold at least ``min_incidents`` incidents
    (counted, not weighted), like a count spot: one grave incident alone makes no spot.

    Parameters
    ----------
    result
        A count analysis (restricted categories already dropped).
    weights
        The harm weights (:func:`load_weights`).
    geography
        The geography of the analysis, for the hotspots' districts (optional).

    Returns
    -------
    HarmResult
    """
    config = result.config
    grid = result.grid
    mask = result.study_mask
    incidents = result.incidents
    w = incident_weights(incidents["category"].to_numpy(dtype=object), weights)
    x, y = point_xy(incidents)
    bandwidth = float(config.bandwidth_m) if config.bandwidth_m is not None else math.nan
    kde = {
        "grid": grid,
        "kernel": config.kernel,
        "bandwidth_m": bandwidth,
        "study_mask": mask,
        "edge_correction": config.edge_correction,
    }
    harm_density = kde_surface(x, y, weights=w, **kde)
    count_density = result.density if config.method == "kde" else kde_surface(x, y, **kde)
    row, col, inside = grid.index(x, y)
    flat = row[inside] * grid.nx + col[inside]
    harm_counts = np.bincount(flat, weights=w[inside], minlength=grid.nx * grid.ny)
    harm_counts = harm_counts.reshape(grid.shape)

    def spots(density: np.ndarray) -> np.ndarray:
        cells, _ = select_cells(density, mask, coverage=config.coverage, threshold=config.threshold)
        return drop_small_groups(cells, result.counts, min_incidents=config.min_incidents)

    count_cells = spots(count_density)
    harm_cells = spots(harm_density)
    labels, n = label_cells(harm_cells)
    hotspots = _describe_harm(
        labels, n, result=result, weights=w, harm_counts=harm_counts,
        harm_density=harm_density, geography=geography,
    )  # fmt: skip
    rank_map = np.zeros(n + 1, dtype=np.int32)
    if len(hotspots):
        rank_map[hotspots["_label"].to_numpy()] = hotspots["rank"].to_numpy()
    hotspots = hotspots.drop(columns="_label")
    return HarmResult(
        weights=weights,
        incident_weights=w,
        harm_counts=harm_counts,
        harm_density=harm_density,
        count_density=count_density,
        count_cells=count_cells,
        harm_cells=harm_cells,
        overlap=spot_overlap(count_cells, harm_cells),
        harm_curve=concentration_curve(harm_counts, mask),
        count_curve=concentration_curve(result.counts, mask),
        hotspots=hotspots,
        labels=rank_map[labels],
    )


def as_harm_result(result: HotspotResult, harm: HarmResult) -> HotspotResult:
    """``result`` with the harm density and the harm hotspots in place of the count ones.

    For drawing and exporting a harm map through the same path as a count map: the density
    is harm per km², ``parameters`` say so (``density_unit`` ``"harm"``), hold
    :meth:`HarmResult.parameters` under ``harm`` and the density at which a cell becomes a
    harm hotspot by the analysis' coverage or threshold (``threshold_density_per_km2``, as
    :func:`hotspots.engine.analysis.run_analysis` reports it); the incident counts per cell
    stay, so the public profile still hides the surface where fewer than five incidents lie.

    Parameters
    ----------
    result
        The count analysis ``harm`` was computed on.
    harm
        :func:`harm_analysis` of ``result``.

    Returns
    -------
    HotspotResult
    """
    config = result.config
    _, cutoff = select_cells(
        harm.harm_density, result.study_mask, coverage=config.coverage, threshold=config.threshold
    )
    threshold = cutoff if math.isfinite(cutoff) else None  # as run_analysis reports its own
    parameters = {
        **result.parameters,
        "density_unit": "harm",
        "threshold_density_per_km2": threshold,
        "n_hotspots": len(harm.hotspots),
        "n_perceived": 0,
        "harm": harm.parameters(),
    }
    return dataclasses.replace(
        result,
        hotspots=harm.hotspots,
        density=harm.harm_density,
        labels=harm.labels,
        parameters=parameters,
    )


def _describe_harm(
    labels: np.ndarray,
    n: int,
    *,
    result: HotspotResult,
    weights: np.ndarray,
    harm_counts: np.ndarray,
    harm_density: np.ndarray,
    geography: Geography | None,
) -> gpd.GeoDataFrame:
    """Harm hotspot polygons with the statistics of count hotspots, weighted by harm."""
    grid = result.grid
    mask = result.study_mask
    incidents = result.incidents
    x, y = point_xy(incidents)
    row, col, inside = grid.index(x, y)
    lab = np.where(inside, labels[row, col], 0)
    keep = np.flatnonzero(lab > 0)
    columns = [c for c in ("occurred_at", "occurred_until", "time_precision") if c in incidents]
    times = pd.DataFrame({c: incidents[c].iloc[keep] for c in columns})
    start, n_hours = aoristic_slots(times)
    districts = None
    if geography is not None and len(keep):
        points = gpd.GeoSeries(gpd.points_from_xy(x[keep], y[keep]), crs=grid.crs)
        districts = pd.Categorical(geography.district_of(points))
    cell_incidents = CellIncidents(
        label=lab[keep],
        weight=weights[keep],
        category=incidents["category"].iloc[keep].array,
        start=start,
        n_hours=n_hours,
        district=districts,
    )
    gi = gi_star(harm_counts, mask, distance_m=result.config.bandwidth_m or grid.cell_m,
                 cell_m=grid.cell_m)  # fmt: skip
    total = float(weights.sum())  # as run_analysis: all incidents, on the grid or not
    gdf = describe_hotspots(
        labels, n, grid=grid, kind="crime", density=harm_density, incidents=cell_incidents,
        n_incidents=total, study_area_km2=result.study_area_km2, gi_z=gi.z, gi_p_fdr=gi.p_fdr,
    )  # fmt: skip
    if n == 0:
        empty = {c: pd.Series(dtype="object") for c in HOTSPOT_COLUMNS if c not in gdf}
        gdf = gdf.assign(**empty, n_incidents=pd.Series(dtype="int64"))
        return gdf[[*HOTSPOT_COLUMNS, "n_incidents", "_label", "geometry"]]
    counted = np.bincount(lab[keep], minlength=n + 1)
    gdf["n_incidents"] = counted[gdf["_label"].to_numpy()].astype(np.int64)
    if geography is not None:
        missing = gdf["district"].isna().to_numpy()
        if missing.any():
            names = geography.district_of(gdf.geometry[missing].representative_point())
            gdf.loc[missing, "district"] = (
                names.astype(object).where(names.notna(), None).to_numpy()
            )
    for column in ("crime_fear", "survey_marks"):
        gdf[column] = None
    gdf["mean_unsafe"] = np.nan
    return gdf[[*HOTSPOT_COLUMNS, "n_incidents", "_label", "geometry"]]


def _finite_or_none(value: float) -> float | None:
    return round(float(value), 6) if math.isfinite(value) else None


def _round_or_none(value: float | None) -> float | None:
    return None if value is None else round(value, 6)
