"""One entry point for a hotspot analysis, shared by the CLI, the app, the plan and the report.

``run_analysis`` composes the pure steps: selection -> grid and study area -> KDE surface ->
hotspot polygons -> Gi* significance -> survey fusion -> time profiles, and returns a frozen
:class:`HotspotResult`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import WEEKDAYS, AnalysisConfig, Filters
from hotspots.core.errors import CRSError, InputSchemaError, InsufficientDataError
from hotspots.engine.kde import auto_bandwidth, kde_surface, kernel_support_m
from hotspots.engine.polygons import (
    CellIncidents,
    describe_hotspots,
    drop_small_groups,
    label_cells,
    label_reduce,
    select_cells,
)
from hotspots.engine.select import select_incidents
from hotspots.engine.significance import GiStar, gi_star
from hotspots.engine.survey import (
    CRIME_FEAR_CLASSES,
    MIN_MARKS_PERCEIVED,
    crime_fear_cells,
    fear_density,
)
from hotspots.engine.temporal import aoristic_slots
from hotspots.spatial.crs import check_metric
from hotspots.spatial.grid import Grid, grid_for_bounds
from hotspots.spatial.points import frame_crs, point_xy, reproject

if TYPE_CHECKING:
    from hotspots.spatial.geography import Geography

__all__ = ["HOTSPOT_COLUMNS", "HotspotResult", "run_analysis"]

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True, eq=False)
class HotspotResult:
    """Everything one hotspot analysis produced.

    Equality and hashing are by identity (the fields hold arrays and frames).

    All arrays are ``(ny, nx)`` on :attr:`grid`, north-up (row 0 = north; see
    :mod:`hotspots.spatial.grid`).

    Attributes
    ----------
    config
        The configuration used, with the bandwidth and the metric CRS resolved (never
        ``None``) and, when chosen automatically, the chosen method and kernel.
    grid
        The raster grid in the metric CRS.
    study_mask
        ``bool`` array: True on land cells of the study area (never water).
    density
        Incidents per km² (float64), NaN outside the study area.
    counts
        Incidents per cell (each to the cell containing it), float64, on the whole grid
        (incidents in water cells are counted there; Gi* uses the study cells only).
    hotspots
        GeoDataFrame in the metric CRS, one row per hotspot polygon, columns
        :data:`HOTSPOT_COLUMNS` plus ``geometry``; ranked crime hotspots first (by
        incidents), then perceived hotspots.
    incidents
        The filtered incidents used (restricted categories never present), metric CRS: an
        incident frame, or a point incident frame when the input was one.
    survey_density
        Unsafe-score-weighted survey marks per km² (NaN outside the study area), or ``None``
        without a survey.
    parameters
        Parameters for output (kernel, bandwidth_m, cell_m, coverage, threshold,
        metric_crs, study_area_km2, n_incidents, edge_correction, and with an automatic
        bandwidth bandwidth_rule_m, ...).
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
    extra
        Free-form additions by later stages (empty from :func:`run_analysis`).
    """

    config: AnalysisConfig
    grid: Grid
    study_mask: np.ndarray
    density: np.ndarray
    counts: np.ndarray
    hotspots: gpd.GeoDataFrame
    incidents: pd.DataFrame
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
    incidents: pd.DataFrame,
    *,
    config: AnalysisConfig,
    geography: Geography | None,
    survey: gpd.GeoDataFrame | None = None,
    tuner: Tuner | None = None,
) -> HotspotResult:
    """Run a hotspot analysis on an incident frame.

    The full entry point, with automatic choices by backtest, is
    :func:`hotspots.forecast.analysis.run_analysis`; this one takes the chooser as ``tuner``.

    Parameters
    ----------
    incidents
        Incident frame or point incident frame (see :mod:`hotspots.core.schema`) in a projected
        metric CRS (or any CRS
        when ``config.metric_crs`` is set: it is reprojected); it is filtered here with
        ``config.filters`` (restricted categories always dropped, only exact/address/street
        precision enters the density).
    config
        Analysis parameters; ``bandwidth_m=None`` or ``method="auto"`` chooses them with
        ``tuner`` (a backtest) when given, else by the rule of
        :func:`hotspots.engine.kde.auto_bandwidth`.
    geography
        Base layers; its land (municipality minus water) is the study area. ``None`` uses
        the convex hull of the incidents buffered by the kernel's support.
    survey
        Survey frame of unsafe marks (optional), any CRS.
    tuner
        Chooses method, kernel and bandwidth by backtest; ``None`` uses the rule.

    Returns
    -------
    HotspotResult

    Raises
    ------
    CRSError
        When the incidents are not in a projected metric CRS and no ``metric_crs`` is set.
    InsufficientDataError
        When no incident is left after filtering.
    """
    wanted = config.metric_crs if config.metric_crs else frame_crs(incidents)
    work_crs = check_metric(wanted, argument="incidents")
    incidents = reproject(incidents, work_crs)
    selected = select_incidents(incidents, config.filters)
    if len(selected) == 0:
        msg = (
            f"no incidents left to analyse ({len(incidents)} before filtering); "
            "widen --category/--area, --since/--until, --hours or --weekdays"
        )
        raise InsufficientDataError(msg)
    x, y = point_xy(selected)
    # the rule's bandwidth: the start (and fallback) of an automatic choice; a fixed one
    # needs no pass over the points for it
    rule_bw = (
        auto_bandwidth(x, y, kernel=config.kernel, cell_m=config.cell_m)
        if config.bandwidth_m is None
        else None
    )
    bandwidth = float(config.bandwidth_m) if config.bandwidth_m is not None else float(rule_bw)

    study = _study_area(
        geography, work_crs, x, y, support_m=kernel_support_m(config.kernel, bandwidth)
    )
    grid = grid_for_bounds(study.bounds, cell_m=config.cell_m, crs=work_crs, margin_m=config.cell_m)
    mask = grid.mask(study)
    if not mask.any():
        mask = grid.mask(study, all_touched=True)

    kernel: str = config.kernel
    method = "kde"
    tuning_params: dict[str, Any] = {}
    density: np.ndarray | None = None
    if config.bandwidth_m is None or config.method == "auto":
        tuned = (
            tuner.choose(selected, grid=grid, study_mask=mask, config=config)
            if tuner is not None
            else None
        )
        if tuned is None:
            tuning_params = {"auto": True, "rule": "spatial Silverman (Esri)"}
        elif getattr(tuned, "fallback", None) is not None:
            # no backtest possible (too little history): keep the configured kernel, and
            # for an automatic bandwidth the documented rule
            tuning_params = {**tuned.parameters(), "rule": "spatial Silverman (Esri)"}
        else:
            tuning_params = tuned.parameters()
            method = tuned.method
            if tuned.kernel:
                kernel = tuned.kernel
            if tuned.bandwidth_m:
                bandwidth = float(tuned.bandwidth_m)
            # every backtested method, KDE included, is rebuilt exactly as it was scored
            # (per-cell counts, no edge correction), so the choice and the map agree
            density = tuner.density(tuned, selected, grid=grid, mask=mask)  # type: ignore[union-attr]
    on = _on_grid(grid, x, y)
    if density is None:
        density = kde_surface(
            on.x,
            on.y,
            grid=grid,
            kernel=kernel,
            bandwidth_m=bandwidth,
            study_mask=mask,
            edge_correction=config.edge_correction,
        )
    used = config.replace(
        kernel=kernel, bandwidth_m=bandwidth, method=method, metric_crs=work_crs.to_string()
    )
    counts = np.bincount(on.row * grid.nx + on.col, minlength=grid.nx * grid.ny)
    counts = counts.astype(np.float64).reshape(grid.shape)
    if not counts[mask].any():
        logger.warning(
            "none of the %d incidents lies in the study area (%s); no hotspot can be found",
            len(selected),
            "the geography's land" if geography is not None else "the data's extent",
        )
    cells, cutoff = select_cells(
        density, mask, coverage=config.coverage, threshold=config.threshold
    )
    labels, n = label_cells(drop_small_groups(cells, counts, min_incidents=config.min_incidents))
    gi = gi_star(counts, mask, distance_m=bandwidth, cell_m=grid.cell_m)
    study_km2 = float(mask.sum()) * grid.cell_area_km2
    n_incidents = float(len(selected))

    crime = _describe(
        labels, n, kind="crime", grid=grid, density=density, selected=selected, on=on,
        geography=geography, n_incidents=n_incidents, study_km2=study_km2, gi=gi,
    )  # fmt: skip
    fear = None
    codes = None
    frames = [crime]
    survey_used = None
    p_labels = np.zeros_like(labels)
    p_n = 0
    if survey is not None and len(survey) > 0:
        survey_used = survey if survey.crs and survey.crs.equals(work_crs) else None
        if survey_used is None:
            if survey.crs is None:
                msg = "survey has no CRS; set one, e.g. EPSG:3006"
                raise CRSError(msg)
            survey_used = survey.to_crs(work_crs)
        fear = fear_density(
            survey_used,
            grid=grid,
            kernel=kernel,
            bandwidth_m=bandwidth,
            study_mask=mask,
            edge_correction=config.edge_correction,
        )
        codes, _ = crime_fear_cells(cells, fear, mask, coverage=config.coverage)
        perceived, p_labels, p_n = _perceived(
            codes, survey_used, grid=grid, density=density, selected=selected, on=on,
            geography=geography, n_incidents=n_incidents, study_km2=study_km2, gi=gi,
        )  # fmt: skip
        frames.append(perceived)
    hotspots, rank_labels = _finish(
        frames, labels=labels, n=n, p_labels=p_labels, p_n=p_n, codes=codes,
        survey=survey_used, grid=grid,
    )  # fmt: skip
    parameters: dict[str, Any] = {
        "kernel": kernel,
        "bandwidth_m": bandwidth,
        "cell_m": grid.cell_m,
        "coverage": config.coverage,
        "threshold": config.threshold,
        "threshold_density_per_km2": cutoff if np.isfinite(cutoff) else None,
        "edge_correction": config.edge_correction,
        "method": method,
        "metric_crs": work_crs.to_string(),
        "study_area_km2": round(study_km2, 6),
        "study_area": geography.study_area_label
        if geography is not None
        else "data extent + kernel",
        "n_incidents": len(selected),
        "n_hotspots": int((hotspots["kind"] == "crime").sum()) if len(hotspots) else 0,
        "n_perceived": int((hotspots["kind"] == "perceived").sum()) if len(hotspots) else 0,
    }
    if rule_bw is not None:
        parameters["bandwidth_rule_m"] = rule_bw
    if tuning_params:
        parameters["tuning"] = tuning_params
    if config.filters != Filters():
        parameters["filters"] = _filters_dict(config.filters)
    logger.info(
        "%d incidents, %d hotspots on %.1f km2 (%s %g m, %g m cells)",
        len(selected), parameters["n_hotspots"], study_km2, kernel, bandwidth, grid.cell_m,
    )  # fmt: skip
    return HotspotResult(
        config=used,
        grid=grid,
        study_mask=mask,
        density=density,
        counts=counts,
        hotspots=hotspots,
        incidents=selected,
        survey_density=fear,
        parameters=parameters,
        labels=rank_labels,
        gi_z=gi.z,
        gi_p_fdr=gi.p_fdr,
        crime_fear=codes,
        threshold_density_per_km2=cutoff,
    )


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------
def _study_area(
    geography: Geography | None, crs: CRS, x: np.ndarray, y: np.ndarray, *, support_m: float
) -> BaseGeometry:
    """Land of the geography in ``crs``, else the points' hull buffered by ``support_m``."""
    if geography is not None:
        land = geography.land
        if not geography.crs.equals(crs):
            land = gpd.GeoSeries([land], crs=geography.crs).to_crs(crs).iloc[0]
        if land.is_empty:
            msg = "the geography has no land (municipality minus water is empty)"
            raise InputSchemaError(msg)
        return land
    hull = shapely.MultiPoint(np.column_stack((x, y))).convex_hull
    return hull.buffer(max(support_m, 1.0))


class Tuner(Protocol):
    """Chooses method, kernel and bandwidth by backtest (see :mod:`hotspots.forecast.analysis`).

    The engine knows only this interface: the forecasting layer above it implements it, so
    the engine never imports upward.
    """

    def choose(
        self, selected: pd.DataFrame, *, grid: Grid, study_mask: np.ndarray, config: AnalysisConfig
    ) -> Any:
        """The backtested choice for ``selected`` on ``grid``.

        An object with ``parameters()``, ``method``, ``kernel``, ``bandwidth_m`` and
        ``fallback``, or ``None``.
        """

    def density(
        self, choice: Any, selected: pd.DataFrame, *, grid: Grid, mask: np.ndarray
    ) -> np.ndarray:
        """Density per km² of the chosen method, rebuilt exactly as it was scored."""


def _districts_of(
    geography: Geography,
    grid: Grid,
    row: np.ndarray,
    col: np.ndarray,
    *,
    x: np.ndarray,
    y: np.ndarray,
) -> pd.Categorical:
    """District of each incident (missing where none), looked up per cell, not per point.

    Incidents are given by cell (``row``, ``col``) and point (``x``, ``y``, metres). A cell
    that lies wholly in one district gives its incidents that district; only the
    incidents in cells that straddle a boundary are looked up one by one.
    """
    flat = row * grid.nx + col
    present = np.zeros(grid.nx * grid.ny, dtype=bool)
    present[flat] = True
    cell = np.flatnonzero(present)  # the distinct cells, found without sorting the incidents
    position = np.zeros(grid.nx * grid.ny, dtype=np.int64)
    position[cell] = np.arange(len(cell))
    inv = position[flat]
    r, c = np.divmod(cell, grid.nx)
    x0 = grid.x0 + c * grid.cell_m
    y1 = grid.y1 - r * grid.cell_m
    boxes = gpd.GeoSeries(shapely.box(x0, y1 - grid.cell_m, x0 + grid.cell_m, y1), crs=grid.crs)
    # district codes per distinct cell (-1 where a cell straddles a boundary), then per
    # incident; only the incidents of straddling cells are looked up one by one
    cell_codes, names = pd.factorize(geography.district_containing(boxes), use_na_sentinel=True)
    codes = np.asarray(cell_codes, dtype=np.int64)[inv]
    categories = [str(n) for n in names]
    split = np.flatnonzero(codes < 0)
    if len(split):
        points = gpd.GeoSeries(shapely.points(x[split], y[split]), crs=grid.crs)
        found = geography.district_of(points)
        categories += [str(n) for n in found.dropna().unique() if n not in categories]
        codes[split] = pd.Categorical(found, categories=categories).codes
    return pd.Categorical.from_codes(codes, categories=categories)


@dataclass(frozen=True)
class _OnGrid:
    """The selected incidents that lie on the grid: positions, coordinates and cells."""

    rows: np.ndarray  # positions in the selected frame
    x: np.ndarray
    y: np.ndarray
    row: np.ndarray
    col: np.ndarray


def _on_grid(grid: Grid, x: np.ndarray, y: np.ndarray) -> _OnGrid:
    """Incidents off the grid enter neither a density nor a hotspot: locate the rest once."""
    row, col, inside = grid.index(x, y)
    if inside.all():
        return _OnGrid(np.arange(len(x)), x, y, row, col)
    rows = np.flatnonzero(inside)
    return _OnGrid(rows, x[rows], y[rows], row[rows], col[rows])


def _cell_incidents(
    labels: np.ndarray,
    *,
    grid: Grid,
    selected: pd.DataFrame,
    on: _OnGrid,
    geography: Geography | None,
) -> CellIncidents:
    """Per-incident inputs for the incidents that lie in labelled cells only."""
    lab = labels[on.row, on.col]
    keep = np.flatnonzero(lab > 0)
    rows = on.rows[keep]
    columns = [c for c in ("occurred_at", "occurred_until", "time_precision") if c in selected]
    times = pd.DataFrame({c: selected[c].iloc[rows] for c in columns})
    start, n_hours = aoristic_slots(times)
    districts = None
    if geography is not None and len(keep):
        districts = _districts_of(
            geography, grid, on.row[keep], on.col[keep], x=on.x[keep], y=on.y[keep]
        )
    return CellIncidents(
        label=lab[keep],
        weight=np.ones(len(keep)),
        category=selected["category"].iloc[rows].array,
        start=start,
        n_hours=n_hours,
        district=districts,
    )


def _describe(
    labels: np.ndarray,
    n: int,
    *,
    kind: str,
    grid: Grid,
    density: np.ndarray,
    selected: pd.DataFrame,
    on: _OnGrid,
    geography: Geography | None,
    n_incidents: float,
    study_km2: float,
    gi: GiStar,
) -> gpd.GeoDataFrame:
    inc = _cell_incidents(labels, grid=grid, selected=selected, on=on, geography=geography)
    gdf = describe_hotspots(
        labels, n, grid=grid, kind=kind, density=density, incidents=inc,
        n_incidents=n_incidents, study_area_km2=study_km2, gi_z=gi.z, gi_p_fdr=gi.p_fdr,
    )  # fmt: skip
    if geography is not None and len(gdf):
        missing = gdf["district"].isna().to_numpy()
        if missing.any():
            pts = gdf.geometry[missing].representative_point()
            names = geography.district_of(pts).astype(object)
            gdf.loc[missing, "district"] = names.where(names.notna(), None).to_numpy()
    return gdf


def _perceived(
    codes: np.ndarray,
    survey: gpd.GeoDataFrame,
    *,
    grid: Grid,
    density: np.ndarray,
    selected: pd.DataFrame,
    on: _OnGrid,
    geography: Geography | None,
    n_incidents: float,
    study_km2: float,
    gi: GiStar,
) -> tuple[gpd.GeoDataFrame, np.ndarray, int]:
    """Hotspots of kind ``perceived``: high-fear, low-crime areas with enough unsafe marks."""
    labels, n = label_cells(codes == 2)
    sx = survey.geometry.x.to_numpy(dtype=float)
    sy = survey.geometry.y.to_numpy(dtype=float)
    row, col, inside = grid.index(sx, sy)
    slab = np.where(inside, labels[row, col], 0)
    unsafe = np.asarray(survey["unsafe"].astype("float64").fillna(1.0), dtype=float)
    marks = np.bincount(slab[unsafe >= 3], minlength=n + 1)
    keep = np.flatnonzero(marks >= MIN_MARKS_PERCEIVED)
    keep = keep[keep > 0]
    remap = np.zeros(n + 1, dtype=np.int32)
    remap[keep] = np.arange(1, len(keep) + 1, dtype=np.int32)
    labels = remap[labels]
    n = len(keep)
    gdf = _describe(
        labels, n, kind="perceived", grid=grid, density=density, selected=selected, on=on,
        geography=geography, n_incidents=n_incidents, study_km2=study_km2, gi=gi,
    )  # fmt: skip
    return gdf, labels, n


def _survey_stats(
    gdf: gpd.GeoDataFrame, labels: np.ndarray, n: int, survey: gpd.GeoDataFrame, grid: Grid
) -> tuple[np.ndarray, np.ndarray]:
    """Marks and mean unsafe score per label 1..n (indexed by the frame's ``_label``)."""
    sx = survey.geometry.x.to_numpy(dtype=float)
    sy = survey.geometry.y.to_numpy(dtype=float)
    row, col, inside = grid.index(sx, sy)
    slab = np.where(inside, labels[row, col], 0)
    unsafe = np.asarray(survey["unsafe"].astype("float64").fillna(1.0), dtype=float)
    marks = np.bincount(slab, minlength=n + 1)
    total = np.bincount(slab, weights=unsafe, minlength=n + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / marks
    lab = gdf["_label"].to_numpy()
    return marks[lab], mean[lab]


def _finish(
    frames: list[gpd.GeoDataFrame],
    *,
    labels: np.ndarray,
    n: int,
    p_labels: np.ndarray,
    p_n: int,
    codes: np.ndarray | None,
    survey: gpd.GeoDataFrame | None,
    grid: Grid,
) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Crime-fear classes, survey figures, final ranks and the rank raster."""
    crime = frames[0]
    if survey is not None and codes is not None and len(crime):
        both = label_reduce((codes == 3).astype(float), labels, n, np.maximum)
        lab = crime["_label"].to_numpy()
        crime["crime_fear"] = np.where(
            both[lab - 1] > 0, CRIME_FEAR_CLASSES[3], CRIME_FEAR_CLASSES[1]
        )
        marks, mean = _survey_stats(crime, labels, n, survey, grid)
        crime["survey_marks"] = marks.astype(np.int64)
        crime["mean_unsafe"] = mean
    else:
        crime["crime_fear"] = None
        crime["survey_marks"] = None
        crime["mean_unsafe"] = np.nan
    rank_map = np.zeros(n + 1, dtype=np.int32)
    rank_map[crime["_label"].to_numpy()] = crime["rank"].to_numpy()
    rank_labels = rank_map[labels]
    parts = [crime]
    if len(frames) > 1 and survey is not None and len(frames[1]):
        perceived = frames[1]
        marks, mean = _survey_stats(perceived, p_labels, p_n, survey, grid)
        perceived["crime_fear"] = CRIME_FEAR_CLASSES[2]
        perceived["survey_marks"] = marks.astype(np.int64)
        perceived["mean_unsafe"] = mean
        perceived = perceived.sort_values(
            ["survey_marks", "mean_unsafe"], ascending=[False, False], kind="stable"
        ).reset_index(drop=True)
        perceived["rank"] = len(crime) + np.arange(1, len(perceived) + 1, dtype=np.int64)
        p_map = np.zeros(p_n + 1, dtype=np.int32)
        p_map[perceived["_label"].to_numpy()] = perceived["rank"].to_numpy()
        rank_labels = np.where(p_labels > 0, p_map[p_labels], rank_labels)
        parts.append(perceived)
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else crime
    for column in HOTSPOT_COLUMNS:
        if column not in frame:
            frame[column] = None
    frame = gpd.GeoDataFrame(
        frame[[*HOTSPOT_COLUMNS, "geometry"]], geometry="geometry", crs=grid.crs
    )
    return frame, rank_labels.astype(np.int32)


def _filters_dict(filters: Filters) -> dict[str, Any]:
    return {
        "categories": list(filters.categories) if filters.categories else None,
        "since": filters.since.isoformat() if filters.since else None,
        "until": filters.until.isoformat() if filters.until else None,
        "hours": str(filters.hours) if filters.hours else None,
        "weekdays": [WEEKDAYS[d] for d in filters.weekdays] if filters.weekdays else None,
    }
