"""Emerging hotspots: weekly space-time bins, Gi* per bin, Mann-Kendall trends, ArcGIS classes.

The method follows ArcGIS Pro's *Emerging Hot Spot Analysis* (Space Time Pattern Mining):

1. **Space-time cube.** Incidents (public categories, precise locations) are binned by ISO week
   (local time, see :mod:`hotspots.core.periods`) onto a *coarse* grid aligned with the analysis
   grid. Weekly counts on the 25 m analysis grid are almost all zeros, so the cube uses
   :data:`EMERGING_CELL_M` = 250 m cells by default (about a city block; ``cell_m`` changes
   it). Only cells of the study area (land) take part.
2. **Gi* per bin.** For every week the Getis-Ord Gi* z-score of each cell comes from the
   engine's :func:`hotspots.engine.significance.gi_star` (binary weights, star variant) over a
   space-time neighbourhood: cells whose centres lie within ``distance_m`` (default
   ``1.5 * cell_m``, i.e. the cell and its 8 queen neighbours) in that week and in the
   ``neighbourhood_weeks`` previous weeks (ArcGIS's "neighbourhood time step", default 1).
   The weekly neighbourhood sums of all weeks are evaluated in one call, so the global mean
   and variance are those of the whole cube, as in ArcGIS, and a cell's z-score grows with
   its own weekly count (with per-week statistics a lone growing cluster would keep a
   constant z, since it also drives that week's variance). The p-values are two-sided normal
   and Benjamini-Hochberg adjusted over all bins of the cube. A bin is a *hot spot* when
   ``z > 0`` and the adjusted ``p < alpha``, a *cold spot* when ``z < 0`` likewise.
3. **Trend.** The Mann-Kendall test (:func:`mann_kendall`, with tie correction) is applied per
   cell to its series of Gi* z-scores (the trend in the *intensity of clustering*, used for
   intensifying and diminishing) and to its series of counts (the trend in incidents, reported
   alongside).
4. **Classes** (ArcGIS definitions, for hot spots; ``T`` weeks, the last is the report week):

   * ``new``: hot in the final week and never hot before.
   * ``consecutive``: a single uninterrupted run of at least two hot weeks ending in the final
     week, never hot before that run, and hot in fewer than 90 % of the weeks.
   * ``intensifying``: hot in at least 90 % of the weeks including the final one, and the
     Gi* z-scores rise significantly (Mann-Kendall, ``p < alpha``).
   * ``persistent``: hot in at least 90 % of the weeks including the final one, with no
     significant trend in the z-scores.
   * ``diminishing``: hot in at least 90 % of the weeks including the final one, and the
     z-scores fall significantly.
   * ``sporadic``: hot in the final week, on-and-off hot before, hot in fewer than 90 % of the
     weeks, and never a cold spot.
   * ``oscillating``: hot in the final week, a cold spot in some earlier week, hot in fewer
     than 90 % of the weeks.
   * ``historical``: not hot in the final week, but hot in at least 90 % of the weeks.
   * ``not_significant``: none of the above ("no pattern detected").

   As in ArcGIS, only locations with data are classified: a cell with no incident in any of
   the weeks is a neighbour of others but gets no pattern of its own.

   Cold-spot classes are not produced: weekly crime counts per block are too sparse for
   significant cold spots to mean anything for an EST meeting.

ArcGIS requires at least 10 time steps; so does :func:`emerging_hotspots`.

References
----------
Esri, *How Emerging Hot Spot Analysis works*, ArcGIS Pro documentation (Space Time Pattern
Mining toolbox).
Mann, H. B. (1945). Nonparametric tests against trend. *Econometrica* 13, 245-259.
Kendall, M. G. (1975). *Rank Correlation Methods*, 4th ed. Griffin, London.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.stats import norm
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from hotspots.core.errors import InputSchemaError
from hotspots.core.periods import Period, weekly_bins
from hotspots.core.schema import KDE_PRECISIONS
from hotspots.engine.kde import bin_nearest
from hotspots.engine.select import drop_restricted
from hotspots.engine.significance import gi_star
from hotspots.spatial.crs import check_metric
from hotspots.spatial.grid import Grid, grid_for_bounds

__all__ = [
    "CLASSES",
    "EMERGING_CELL_M",
    "MIN_WEEKS",
    "EmergingResult",
    "MannKendall",
    "class_label",
    "classify_series",
    "emerging_hotspots",
    "mann_kendall",
    "mann_kendall_many",
]

#: Cell side of the space-time cube, metres.
EMERGING_CELL_M = 250.0
#: Fewest weekly time steps accepted (as ArcGIS).
MIN_WEEKS = 10
#: Class codes, most urgent first.
CLASSES: tuple[str, ...] = (
    "new",
    "intensifying",
    "consecutive",
    "persistent",
    "sporadic",
    "oscillating",
    "diminishing",
    "historical",
    "not_significant",
)

EmergingClass = Literal[
    "new",
    "intensifying",
    "consecutive",
    "persistent",
    "sporadic",
    "oscillating",
    "diminishing",
    "historical",
    "not_significant",
]

_LABELS: dict[str, dict[str, str]] = {
    "new": {"sv": "Ny", "en": "New"},
    "intensifying": {"sv": "Förstärkt", "en": "Intensifying"},
    "consecutive": {"sv": "Sammanhängande", "en": "Consecutive"},
    "persistent": {"sv": "Ihållande", "en": "Persistent"},
    "sporadic": {"sv": "Sporadisk", "en": "Sporadic"},
    "oscillating": {"sv": "Växlande", "en": "Oscillating"},
    "diminishing": {"sv": "Avtagande", "en": "Diminishing"},
    "historical": {"sv": "Historisk", "en": "Historical"},
    "not_significant": {"sv": "Inget mönster", "en": "No pattern"},
}

_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "new": {
        "sv": "Signifikant hotspot senaste veckan, aldrig tidigare",
        "en": "Significant hotspot in the last week, never before",
    },
    "intensifying": {
        "sv": "Hotspot nästan alla veckor och allt starkare",
        "en": "Hotspot in almost every week and getting stronger",
    },
    "consecutive": {
        "sv": "Hotspot de senaste veckorna i följd, inte tidigare",
        "en": "Hotspot in the latest weeks in a row, not before",
    },
    "persistent": {
        "sv": "Hotspot nästan alla veckor, utan trend",
        "en": "Hotspot in almost every week, no trend",
    },
    "sporadic": {
        "sv": "Hotspot senaste veckan och av och till tidigare",
        "en": "Hotspot in the last week and on and off before",
    },
    "oscillating": {
        "sv": "Hotspot senaste veckan, tidigare ibland kall punkt",
        "en": "Hotspot in the last week, earlier sometimes a cold spot",
    },
    "diminishing": {
        "sv": "Hotspot nästan alla veckor men allt svagare",
        "en": "Hotspot in almost every week but getting weaker",
    },
    "historical": {
        "sv": "Hotspot nästan alla veckor men inte den senaste",
        "en": "Hotspot in almost every week but not the last one",
    },
    "not_significant": {"sv": "Inget signifikant mönster", "en": "No significant pattern"},
}


def class_label(code: str, lang: Literal["sv", "en"] = "sv", *, long: bool = False) -> str:
    """Label (or, with ``long``, a one-line description) of an emerging class."""
    table = _DESCRIPTIONS if long else _LABELS
    return table.get(code, {}).get(lang, code)


@dataclass(frozen=True, slots=True)
class MannKendall:
    """Mann-Kendall trend test of one series.

    Attributes
    ----------
    s
        ``S = sum_{i<j} sign(x_j - x_i)``.
    var_s
        Variance of ``S`` under no trend, corrected for ties.
    z
        Standardised ``S`` with continuity correction: ``(S - 1)/sd`` if ``S > 0``,
        ``(S + 1)/sd`` if ``S < 0``, 0 otherwise.
    p_value
        Two-sided p-value from the normal approximation.
    tau
        Kendall's tau-a, ``S / (n (n - 1) / 2)``.
    trend
        ``"increasing"``, ``"decreasing"`` or ``"no_trend"`` at level ``alpha``.
    """

    s: float
    var_s: float
    z: float
    p_value: float
    tau: float
    trend: Literal["increasing", "decreasing", "no_trend"]


def mann_kendall_many(
    series: np.ndarray, *, continuity: bool = True
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised Mann-Kendall test over the rows of ``series``.

    Parameters
    ----------
    series
        Array ``(m, n)``: ``m`` series of ``n`` time steps each (time along axis 1).
    continuity
        Apply the continuity correction of ±1 to ``S``.

    Returns
    -------
    s, var_s, z, p
        Arrays of length ``m``: statistic, tie-corrected variance, z-score and two-sided
        p-value. A series with ``var_s == 0`` (all values equal) gets ``z = 0`` and ``p = 1``.

    Notes
    -----
    ``Var(S) = [n(n-1)(2n+5) - sum_g t_g (t_g - 1)(2 t_g + 5)] / 18`` where ``t_g`` are the
    sizes of the groups of tied values.
    """
    x = np.asarray(series, dtype=float)
    if x.ndim != 2:
        msg = f"series must be 2-D (series x time), got shape {x.shape}"
        raise InputSchemaError(msg)
    _, n = x.shape
    if n < 3:
        msg = f"the Mann-Kendall test needs at least 3 time steps (got {n})"
        raise InputSchemaError(msg)
    if not np.isfinite(x).all():
        msg = "series contains NaN or infinite values"
        raise InputSchemaError(msg)
    s = np.zeros(x.shape[0])
    for i in range(n - 1):
        s += np.sign(x[:, i + 1 :] - x[:, i : i + 1]).sum(axis=1)
    # Tie correction: sort each row and measure the runs of equal values.
    xs = np.sort(x, axis=1)
    tie_term = np.zeros(x.shape[0])
    run = np.ones(x.shape[0])
    for k in range(1, n + 1):
        same = xs[:, k] == xs[:, k - 1] if k < n else np.zeros(x.shape[0], dtype=bool)
        ended = ~same
        tie_term += np.where(ended, run * (run - 1) * (2 * run + 5), 0.0)
        run = np.where(same, run + 1, 1.0)
    var_s = (n * (n - 1) * (2 * n + 5) - tie_term) / 18.0
    sd = np.sqrt(np.maximum(var_s, 0.0))
    adj = np.sign(s) if continuity else np.zeros_like(s)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, (s - adj) / np.where(sd > 0, sd, 1.0), 0.0)
    z = np.where(s == 0, 0.0, z)
    p = np.minimum(1.0, 2.0 * norm.sf(np.abs(z)))
    return s, var_s, z, p


def mann_kendall(
    values: np.ndarray | list[float], *, alpha: float = 0.05, continuity: bool = True
) -> MannKendall:
    """Mann-Kendall trend test of one series, with tie correction.

    Parameters
    ----------
    values
        The series in time order (at least 3 values).
    alpha
        Significance level of :attr:`MannKendall.trend`.
    continuity
        Apply the continuity correction.

    Returns
    -------
    MannKendall
    """
    x = np.asarray(values, dtype=float)[None, :]
    s, var_s, z, p = mann_kendall_many(x, continuity=continuity)
    n = x.shape[1]
    trend: Literal["increasing", "decreasing", "no_trend"] = "no_trend"
    if p[0] < alpha:
        trend = "increasing" if s[0] > 0 else "decreasing"
    return MannKendall(
        s=float(s[0]),
        var_s=float(var_s[0]),
        z=float(z[0]),
        p_value=float(p[0]),
        tau=float(s[0]) / (n * (n - 1) / 2.0),
        trend=trend,
    )


def classify_series(
    hot: np.ndarray,
    cold: np.ndarray,
    trend_z: np.ndarray,
    trend_p: np.ndarray,
    *,
    alpha: float = 0.05,
) -> np.ndarray:
    """Classify locations from their weekly hot/cold flags and the trend of their z-scores.

    Parameters
    ----------
    hot, cold
        Boolean arrays ``(m, T)``: significant hot / cold spot per location and week (oldest
        first; the last column is the final week).
    trend_z, trend_p
        Mann-Kendall z and p of each location's Gi* z series (length ``m``).
    alpha
        Significance level of the trend.

    Returns
    -------
    numpy.ndarray
        Class codes (see :data:`CLASSES` and the module docstring), dtype ``object``.
    """
    hot = np.asarray(hot, dtype=bool)
    cold = np.asarray(cold, dtype=bool)
    m, t = hot.shape
    last = hot[:, -1]
    n_hot = hot.sum(axis=1)
    frac = n_hot / t
    often = frac >= 0.9 - 1e-12
    # Length of the run of hot weeks that ends in the final week.
    run = np.zeros(m, dtype=int)
    still = np.ones(m, dtype=bool)
    for k in range(t - 1, -1, -1):
        still &= hot[:, k]
        run += still
    rising = (np.asarray(trend_p) < alpha) & (np.asarray(trend_z) > 0)
    falling = (np.asarray(trend_p) < alpha) & (np.asarray(trend_z) < 0)
    any_cold = cold.any(axis=1)

    out = np.full(m, "not_significant", dtype=object)
    out[~last & often] = "historical"
    out[last & often & ~rising & ~falling] = "persistent"
    out[last & often & rising] = "intensifying"
    out[last & often & falling] = "diminishing"
    # Fewer than 90 % hot weeks, hot in the final week (sfdep's reading of the ArcGIS rules:
    # "never hot before" also means no significant cold bin before).
    rare = last & ~often
    sig_before = (hot[:, :-1] | cold[:, :-1]).any(axis=1)
    new = rare & ~sig_before
    consecutive = rare & ~new & (run >= 2) & (n_hot == run) & ~any_cold
    rest = rare & ~new & ~consecutive
    out[new] = "new"
    out[consecutive] = "consecutive"
    out[rest & ~any_cold] = "sporadic"
    out[rest & any_cold] = "oscillating"
    return out


@dataclass(frozen=True)
class EmergingResult:
    """The space-time cube, its Gi* bins, trends and classes.

    Arrays of shape ``(T, ny, nx)`` are indexed by week (oldest first) and are north-up on
    :attr:`grid`; ``(ny, nx)`` arrays are per cell.

    Attributes
    ----------
    grid
        The coarse grid of the cube (``cell_m`` metres, metric CRS).
    weeks
        The ``T`` ISO weeks, oldest first; the last is the report week.
    study_mask
        Cells taking part (land of the study area).
    counts
        Incidents per week and cell.
    gi_z, gi_p_fdr
        Gi* z-score and FDR-adjusted p per bin (NaN outside the study area or in a week
        without variance).
    hot, cold
        Significant hot / cold bins.
    trend_z, trend_p
        Mann-Kendall z and p of each cell's Gi* z series.
    count_trend_z, count_trend_p, count_trend_tau
        Mann-Kendall z, p and tau of each cell's weekly counts.
    classes
        Class code per cell (``object`` array; ``""`` outside the study area).
    cells
        GeoDataFrame of the cells with a pattern (class other than ``not_significant``):
        ``cls``, ``incidents`` (all weeks), ``last_week`` (count in the final week),
        ``hot_weeks``, ``z_last``, ``trend_z``, ``trend_p``, ``count_tau``, ``count_trend_p``,
        cell square geometry; ordered by class urgency then incidents.
    parameters
        ``cell_m``, ``distance_m``, ``neighbourhood_weeks``, ``alpha``, ``n_weeks``,
        ``first_week``, ``last_week``, ``n_incidents``.
    """

    grid: Grid
    weeks: list[Period]
    study_mask: np.ndarray
    counts: np.ndarray
    gi_z: np.ndarray
    gi_p_fdr: np.ndarray
    hot: np.ndarray
    cold: np.ndarray
    trend_z: np.ndarray
    trend_p: np.ndarray
    count_trend_z: np.ndarray
    count_trend_p: np.ndarray
    count_trend_tau: np.ndarray
    classes: np.ndarray
    cells: gpd.GeoDataFrame
    parameters: dict[str, object]

    def summary(self) -> dict[str, int]:
        """Number of cells per class (classes with a pattern only), in :data:`CLASSES` order."""
        values, counts = np.unique(self.cells["cls"].to_numpy(dtype=str), return_counts=True)
        found = dict(zip(values.tolist(), counts.tolist(), strict=True))
        return {c: int(found[c]) for c in CLASSES if c in found}


def _cube_grid(
    *,
    cell_m: float,
    crs: object,
    align: Grid | None,
    study_area: BaseGeometry | None,
    points: tuple[np.ndarray, np.ndarray],
) -> Grid:
    if align is not None:
        nx = max(1, math.ceil(align.nx * align.cell_m / cell_m))
        ny = max(1, math.ceil(align.ny * align.cell_m / cell_m))
        # Keep the north-west corner of the analysis grid; extend south if needed.
        y0 = align.y1 - ny * cell_m
        return Grid(x0=align.x0, y0=y0, cell_m=float(cell_m), nx=nx, ny=ny, crs=align.crs)
    if study_area is not None and not study_area.is_empty:
        bounds = study_area.bounds
    else:
        x, y = points
        if len(x) == 0:
            msg = "emerging hotspots: no incidents and no study area to build the grid on"
            raise InputSchemaError(msg)
        bounds = (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
    return grid_for_bounds(bounds, cell_m=cell_m, crs=crs, margin_m=cell_m)


def _cube_gi_star(
    raw: np.ndarray,
    mask: np.ndarray,
    *,
    n_weeks: int,
    lag: int,
    distance_m: float,
    cell_m: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Gi* of every week's space-time neighbourhood sum, with cube-wide mean and variance.

    The weekly neighbourhood sums (the week plus ``lag`` previous weeks) are laid side by side
    in one image, separated by masked columns wider than the distance band, and passed to
    :func:`hotspots.engine.significance.gi_star` once: its global mean and variance and its
    Benjamini-Hochberg correction then run over the whole cube, as in ArcGIS.
    """
    ny, nx = mask.shape
    gap = math.floor(distance_m / cell_m + 1e-9) + 1
    width = nx + gap
    image = np.zeros((ny, n_weeks * width))
    big_mask = np.zeros(image.shape, dtype=bool)
    for k in range(n_weeks):
        image[:, k * width : k * width + nx] = raw[k : k + lag + 1].sum(axis=0)
        big_mask[:, k * width : k * width + nx] = mask
    res = gi_star(image, big_mask, distance_m=distance_m, cell_m=cell_m)
    z = np.stack([res.z[:, k * width : k * width + nx] for k in range(n_weeks)])
    p = np.stack([res.p_fdr[:, k * width : k * width + nx] for k in range(n_weeks)])
    return z, p


def emerging_hotspots(
    incidents: gpd.GeoDataFrame,
    *,
    end_week: tuple[int, int],
    n_weeks: int = 12,
    cell_m: float = EMERGING_CELL_M,
    distance_m: float | None = None,
    neighbourhood_weeks: int = 1,
    study_area: BaseGeometry | None = None,
    align: Grid | None = None,
    alpha: float = 0.05,
) -> EmergingResult:
    """Emerging Hot Spot Analysis on weekly bins ending with ISO week ``end_week``.

    Parameters
    ----------
    incidents
        Incident frame in a metric CRS; restricted categories and imprecise locations
        (district, municipality) are left out here.
    end_week
        ``(iso_year, iso_week)`` of the final week (the report week).
    n_weeks
        Number of weekly time steps, at least :data:`MIN_WEEKS`.
    cell_m
        Cell side of the cube, metres (default :data:`EMERGING_CELL_M`).
    distance_m
        Spatial neighbourhood of Gi*, metres (default ``1.5 * cell_m``: queen contiguity).
    neighbourhood_weeks
        Previous weeks included in each bin's neighbourhood (0 = the week alone).
    study_area
        Land of the study area (cells touching it take part); default: the grid around the
        incidents.
    align
        The analysis grid; the cube keeps its north-west corner so cells line up.
    alpha
        Significance level of hot/cold bins and of the trends.

    Returns
    -------
    EmergingResult

    Raises
    ------
    CRSError
        When the incidents are not in a metric CRS.
    InputSchemaError
        For fewer than :data:`MIN_WEEKS` weeks or invalid sizes.
    """
    crs = check_metric(incidents.crs, argument="incidents")
    if n_weeks < MIN_WEEKS:
        msg = (
            f"emerging hotspots need at least {MIN_WEEKS} weekly time steps (got {n_weeks}); "
            "use more weeks of history"
        )
        raise InputSchemaError(msg)
    if neighbourhood_weeks < 0:
        msg = f"neighbourhood_weeks must be 0 or more (got {neighbourhood_weeks})"
        raise InputSchemaError(msg)
    if not cell_m > 0:
        msg = f"cell_m must be a positive number of metres (got {cell_m})"
        raise InputSchemaError(msg)
    dist = 1.5 * cell_m if distance_m is None else float(distance_m)
    frame = drop_restricted(incidents)
    if "precision" in frame:
        frame = frame[frame["precision"].fillna("exact").isin(KDE_PRECISIONS)]
    x = frame.geometry.x.to_numpy(dtype=float)
    y = frame.geometry.y.to_numpy(dtype=float)
    grid = _cube_grid(cell_m=cell_m, crs=crs, align=align, study_area=study_area, points=(x, y))
    if study_area is not None and not study_area.is_empty:
        mask = grid.mask(study_area, all_touched=True)
    else:
        mask = np.ones(grid.shape, dtype=bool)

    all_weeks = weekly_bins(end_week, n_weeks + neighbourhood_weeks)
    t = frame["occurred_at"]
    raw = np.zeros((len(all_weeks), *grid.shape))
    for k, week in enumerate(all_weeks):
        inside = week.contains(t).to_numpy(dtype=bool)
        raw[k] = np.where(mask, bin_nearest(x[inside], y[inside], grid), 0.0)
    counts = raw[neighbourhood_weeks:]
    weeks = all_weeks[neighbourhood_weeks:]

    gi_z, gi_p = _cube_gi_star(
        raw, mask, n_weeks=n_weeks, lag=neighbourhood_weeks, distance_m=dist, cell_m=cell_m
    )
    finite = np.isfinite(gi_z) & np.isfinite(gi_p)
    hot = finite & (gi_z > 0) & (gi_p < alpha)
    cold = finite & (gi_z < 0) & (gi_p < alpha)

    idx = np.flatnonzero(mask.ravel())
    z_series = np.nan_to_num(gi_z.reshape(n_weeks, -1)[:, idx].T, nan=0.0)
    c_series = counts.reshape(n_weeks, -1)[:, idx].T
    trend_z = np.full(grid.shape, np.nan)
    trend_p = np.full(grid.shape, np.nan)
    ct_z = np.full(grid.shape, np.nan)
    ct_p = np.full(grid.shape, np.nan)
    ct_tau = np.full(grid.shape, np.nan)
    classes = np.full(grid.shape, "", dtype=object)
    if len(idx):
        _, _, tz, tp = mann_kendall_many(z_series)
        cs, _, cz, cp = mann_kendall_many(c_series)
        hot_s = hot.reshape(n_weeks, -1)[:, idx].T
        cold_s = cold.reshape(n_weeks, -1)[:, idx].T
        cls = classify_series(hot_s, cold_s, tz, tp, alpha=alpha)
        for arr, vals in (
            (trend_z, tz),
            (trend_p, tp),
            (ct_z, cz),
            (ct_p, cp),
            (ct_tau, cs / (n_weeks * (n_weeks - 1) / 2.0)),
        ):
            arr.ravel()[idx] = vals
        # As in ArcGIS, only locations with data are classified: a cell without any
        # incident in the whole cube still counts as a neighbour but gets no pattern.
        cls = np.where(c_series.sum(axis=1) > 0, cls, "not_significant")
        classes.ravel()[idx] = cls

    rows, cols = np.nonzero((classes != "") & (classes != "not_significant"))
    order = {c: i for i, c in enumerate(CLASSES)}
    records = []
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        records.append(
            {
                "cls": str(classes[r, c]),
                "incidents": int(counts[:, r, c].sum()),
                "last_week": int(counts[-1, r, c]),
                "hot_weeks": int(hot[:, r, c].sum()),
                "z_last": float(gi_z[-1, r, c]),
                "trend_z": float(trend_z[r, c]),
                "trend_p": float(trend_p[r, c]),
                "count_tau": float(ct_tau[r, c]),
                "count_trend_p": float(ct_p[r, c]),
                "geometry": box(*grid.cell_polygon_bounds(r, c)),
            }
        )
    cells = gpd.GeoDataFrame(
        pd.DataFrame(
            records,
            columns=[
                "cls",
                "incidents",
                "last_week",
                "hot_weeks",
                "z_last",
                "trend_z",
                "trend_p",
                "count_tau",
                "count_trend_p",
                "geometry",
            ],
        ),
        geometry="geometry",
        crs=crs,
    )
    if len(cells):
        cells = cells.assign(_o=cells["cls"].map(order))
        cells = cells.sort_values(["_o", "incidents"], ascending=[True, False]).drop(columns="_o")
        cells = cells.reset_index(drop=True)
    parameters: dict[str, object] = {
        "cell_m": float(cell_m),
        "distance_m": dist,
        "neighbourhood_weeks": int(neighbourhood_weeks),
        "alpha": float(alpha),
        "n_weeks": int(n_weeks),
        "first_week": weeks[0].label,
        "last_week": weeks[-1].label,
        "n_incidents": int(counts.sum()),
    }
    return EmergingResult(
        grid=grid,
        weeks=weeks,
        study_mask=mask,
        counts=counts,
        gi_z=gi_z,
        gi_p_fdr=gi_p,
        hot=hot,
        cold=cold,
        trend_z=trend_z,
        trend_p=trend_p,
        count_trend_z=ct_z,
        count_trend_p=ct_p,
        count_trend_tau=ct_tau,
        classes=classes,
        cells=cells,
        parameters=parameters,
    )
