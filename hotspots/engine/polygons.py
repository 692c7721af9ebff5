"""From a density surface to ranked hotspot polygons with their statistics (pure).

Cells of the study area are taken in order of density until ``coverage`` of the study area
is reached (or, alternatively, every cell above a threshold: ``mean:K`` = K x the mean density
of the study area, ``pct:P`` = the P-th percentile of the study area's cells). Edge-adjacent
(4-connected) selected cells form one hotspot polygon.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from rasterio.features import shapes
from scipy import ndimage
from shapely.geometry import shape
from shapely.ops import unary_union

from hotspots.core.errors import InputSchemaError
from hotspots.core.taxonomy import is_restricted, label
from hotspots.engine.significance import gi_class
from hotspots.engine.temporal import (
    HOURS_PER_WEEK,
    hour_weekday_matrix,
    night_weekday_profile,
    peak_hours_window,
    peak_weekdays,
)
from hotspots.spatial.grid import Grid

__all__ = [
    "CellIncidents",
    "describe_hotspots",
    "drop_small_groups",
    "label_cells",
    "label_reduce",
    "parse_threshold",
    "polygons_of",
    "select_cells",
]

#: How many categories ``top_categories`` lists.
TOP_CATEGORIES = 3


def parse_threshold(text: str) -> tuple[str, float]:
    """Parse ``"mean:3"`` or ``"pct:99"`` into ``("mean", 3.0)`` / ``("pct", 99.0)``.

    Raises
    ------
    InputSchemaError
        For any other form.
    """
    kind, _, value = str(text).strip().lower().partition(":")
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    ok = (kind == "mean" and number > 0) or (kind == "pct" and 0 < number < 100)
    if not ok:
        msg = (
            f"--threshold: {text!r} is not mean:K (K x mean density, K > 0) or "
            "pct:P (P-th percentile, 0 < P < 100), e.g. mean:3 or pct:99"
        )
        raise InputSchemaError(msg)
    return kind, number


def select_cells(
    density: np.ndarray,
    study_mask: np.ndarray,
    *,
    coverage: float = 0.05,
    threshold: str | None = None,
) -> tuple[np.ndarray, float]:
    """Hotspot cells: the densest ``coverage`` share of the study area, or above a threshold.

    Cells of zero density are never hotspot. With ``coverage``, cells tied at the cut-off
    density are all taken.

    Returns
    -------
    cells, cutoff
        ``(ny, nx)`` bool and the density (per km²) a cell must reach.
    """
    mask = np.asarray(study_mask, dtype=bool)
    values = np.asarray(density, dtype=float)[mask]
    values = values[np.isfinite(values)]
    if values.size == 0:
        return np.zeros(mask.shape, dtype=bool), math.inf
    if threshold:
        kind, number = parse_threshold(threshold)
        cutoff = (
            number * float(values.mean())
            if kind == "mean"
            else float(np.percentile(values, number))
        )
    else:
        if not 0 < coverage <= 1:
            msg = f"--coverage: must be a share between 0 and 1 (got {coverage})"
            raise InputSchemaError(msg)
        k = max(1, round(coverage * values.size))
        cutoff = float(np.partition(values, values.size - k)[values.size - k])
    dens = np.nan_to_num(np.asarray(density, dtype=float), nan=-np.inf)
    cells = mask & (dens >= cutoff) & (dens > 0)
    return cells, cutoff


def label_reduce(values: np.ndarray, labels: np.ndarray, n: int, ufunc: np.ufunc) -> np.ndarray:
    """``ufunc`` (``np.maximum`` or ``np.minimum``) of ``values`` over each label 1..n.

    Touches only labelled cells, so it is cheap on large grids with small hotspots.
    """
    flat = labels.ravel()
    sel = np.flatnonzero(flat > 0)
    fill = -np.inf if ufunc is np.maximum else np.inf
    out = np.full(n, fill)
    ufunc.at(out, flat[sel] - 1, np.asarray(values, dtype=float).ravel()[sel])
    return out


def label_cells(cells: np.ndarray) -> tuple[np.ndarray, int]:
    """Label 4-connected groups of True cells 1..n (``int32``, 0 = not hotspot)."""
    labels, n = ndimage.label(np.asarray(cells, dtype=bool))
    return labels.astype(np.int32), int(n)


def drop_small_groups(cells: np.ndarray, counts: np.ndarray, *, min_incidents: float) -> np.ndarray:
    """Unmark groups of contiguous cells that hold fewer than ``min_incidents`` incidents.

    Parameters
    ----------
    cells
        Boolean ``(ny, nx)`` hotspot cells.
    counts
        Incidents per cell, same shape.
    min_incidents
        Smallest (weighted) number of incidents a group must hold to stay.

    Returns
    -------
    numpy.ndarray
        A boolean copy of ``cells`` without the small groups.
    """
    if min_incidents <= 1:
        return cells
    labels, n = label_cells(cells)
    if n == 0:
        return cells
    per_group = np.bincount(
        labels.ravel(), weights=np.asarray(counts, float).ravel(), minlength=n + 1
    )
    keep = per_group >= min_incidents - 1e-9
    keep[0] = False
    return keep[labels]


def polygons_of(labels: np.ndarray, n: int, grid: Grid) -> list[object]:
    """Shapely (multi)polygon of each label 1..n, in the grid's CRS (index ``k - 1``)."""
    parts: list[list[object]] = [[] for _ in range(n)]
    for geom, value in shapes(
        labels.astype(np.int32), mask=labels > 0, transform=grid.transform, connectivity=4
    ):
        parts[int(value) - 1].append(shape(geom))
    return [p[0] if len(p) == 1 else unary_union(p) for p in parts]


@dataclass(frozen=True)
class CellIncidents:
    """Per-incident inputs of :func:`describe_hotspots`.

    Attributes
    ----------
    label
        Label of the cell each incident lies in (0 = none).
    weight
        Weight of each incident (normally one).
    category
        Taxonomy code of each incident (an object array, or a pandas string array).
    start, n_hours
        Aoristic time slots (:func:`hotspots.engine.temporal.aoristic_slots`).
    district
        District name of each incident, or ``None`` when unknown.
    """

    label: np.ndarray
    weight: np.ndarray
    category: np.ndarray | pd.api.extensions.ExtensionArray
    start: np.ndarray
    n_hours: np.ndarray
    district: Sequence[object] | pd.Categorical | None = None


def _codes(
    values: Sequence[object] | np.ndarray | pd.api.extensions.ExtensionArray,
) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (-1 = missing) and the distinct values, via pandas.factorize.

    A pandas array (e.g. Arrow strings) is factorised as it is, without a Python object per
    value.
    """
    data = values if isinstance(values, pd.api.extensions.ExtensionArray) else None
    if data is None:
        data = pd.Series(values, dtype="object")
    codes, uniques = pd.factorize(data, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques, dtype=object)


def _as_values(
    values: Sequence[object] | np.ndarray | pd.api.extensions.ExtensionArray,
) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """A pandas array as it is, anything else as a NumPy array."""
    return values if isinstance(values, pd.api.extensions.ExtensionArray) else np.asarray(values)


def _label_value_sums(
    labels: np.ndarray, codes: np.ndarray, weights: np.ndarray, n: int, n_values: int
) -> np.ndarray:
    """``(n, n_values)`` summed weights per label 1..n and value code (codes < 0 ignored)."""
    ok = (labels > 0) & (codes >= 0)
    flat = (labels[ok] - 1) * n_values + codes[ok]
    sums = np.bincount(flat, weights=weights[ok], minlength=n * n_values)
    return sums.reshape(n, n_values)


def _top_categories(
    labels: np.ndarray,
    cats: np.ndarray | pd.api.extensions.ExtensionArray,
    weights: np.ndarray,
    n: int,
) -> list[list[dict[str, object]]]:
    codes, uniques = _codes(cats)
    out: list[list[dict[str, object]]] = [[] for _ in range(n)]
    if len(uniques) == 0:
        return out
    public = np.array([not is_restricted(str(u)) for u in uniques])  # defence in depth
    sums = _label_value_sums(labels, codes, weights, n, len(uniques)) * public[None, :]
    names = [str(u) for u in uniques]
    sv = [label(c, "sv") for c in names]
    en = [label(c, "en") for c in names]
    # most first, ties by code
    order_by_name = np.argsort(names, kind="stable")
    for i in range(n):
        row = sums[i]
        nz = order_by_name[row[order_by_name] > 0]
        top = nz[np.argsort(-row[nz], kind="stable")][:TOP_CATEGORIES]
        out[i] = [
            {
                "code": names[j],
                "label_sv": sv[j],
                "label_en": en[j],
                "count": round(float(row[j]), 3),
            }
            for j in top
        ]
    return out


def _districts(labels: np.ndarray, districts: Sequence[object] | None, n: int) -> list[object]:
    out: list[object] = [None] * n
    if districts is None:
        return out
    codes, uniques = _codes(districts)
    if len(uniques) == 0:
        return out
    sums = _label_value_sums(labels, codes, np.ones(len(codes)), n, len(uniques))
    best = sums.argmax(axis=1)
    has = sums.max(axis=1) > 0
    return [str(uniques[b]) if h else None for b, h in zip(best, has, strict=True)]


def describe_hotspots(
    labels: np.ndarray,
    n: int,
    *,
    grid: Grid,
    kind: str,
    density: np.ndarray,
    incidents: CellIncidents,
    n_incidents: float,
    study_area_km2: float,
    gi_z: np.ndarray | None = None,
    gi_p_fdr: np.ndarray | None = None,
) -> gpd.GeoDataFrame:
    """Polygons and statistics of labelled hotspot cells, ranked by incidents.

    Parameters
    ----------
    labels, n
        From :func:`label_cells`.
    grid
        The grid.
    kind
        ``"crime"`` or ``"perceived"``.
    density
        The crime density per km² (for ``peak_density_per_km2``).
    incidents
        Per-incident labels, weights, categories, time slots and districts.
    n_incidents
        All (weighted) incidents of the analysis, the denominator of ``share_of_incidents``.
    study_area_km2
        Study area, the denominator of the area share in ``pai``.
    gi_z, gi_p_fdr
        Per-cell Gi* arrays (optional).

    Returns
    -------
    geopandas.GeoDataFrame
        In the grid's CRS, sorted by ``incidents`` then ``peak_density_per_km2``; ``rank``
        1..n in that order, and a private column ``_label`` with the cell label.
    """
    idx = np.arange(1, n + 1)
    if n == 0:
        return gpd.GeoDataFrame(
            {"rank": pd.Series(dtype="int64"), "_label": pd.Series(dtype="int64")},
            geometry=gpd.GeoSeries([], crs=grid.crs),
            crs=grid.crs,
        )
    lab = np.asarray(incidents.label, dtype=np.int64)
    w = np.asarray(incidents.weight, dtype=float)
    counts = np.bincount(lab, weights=w, minlength=n + 1)[1:]
    n_cells = np.bincount(labels.ravel(), minlength=n + 1)[1:]
    area = np.round(n_cells * grid.cell_area_km2, 6)  # whole cells: no float noise
    dens = np.nan_to_num(np.asarray(density, dtype=float), nan=0.0)
    peak = label_reduce(dens, labels, n, np.maximum)
    share = counts / n_incidents if n_incidents > 0 else np.zeros(n)
    pai = share / (area / study_area_km2) if study_area_km2 > 0 else np.full(n, np.nan)
    if gi_z is not None and gi_p_fdr is not None:
        z_max = label_reduce(np.nan_to_num(gi_z, nan=-np.inf), labels, n, np.maximum)
        p_min = label_reduce(np.nan_to_num(gi_p_fdr, nan=np.inf), labels, n, np.minimum)
        z_max[~np.isfinite(z_max)] = np.nan
        p_min[~np.isfinite(p_min)] = np.nan
    else:
        z_max = np.full(n, np.nan)
        p_min = np.full(n, np.nan)
    profile = hour_weekday_matrix(
        incidents.start, incidents.n_hours, groups=lab - 1, n_groups=n, weights=w
    )
    # peaks only from times that say something about the hour of the week: a month-only
    # time (police.uk) or an interval of a week or more is spread evenly and would only
    # flatten them; a hotspot with no such times has no peak
    timed = np.asarray(incidents.n_hours) < HOURS_PER_WEEK
    informative = hour_weekday_matrix(
        np.asarray(incidents.start)[timed],
        np.asarray(incidents.n_hours)[timed],
        groups=lab[timed] - 1,
        n_groups=n,
        weights=w[timed],
    )
    windows = [peak_hours_window(informative[i].sum(axis=0)) for i in range(n)]
    frame = pd.DataFrame(
        {
            "kind": kind,
            "incidents": (
                counts.round().astype(np.int64)
                if np.allclose(w, np.round(w))
                else np.round(counts, 6)
            ),
            "area_km2": area,
            "share_of_incidents": share,
            "pai": pai,
            "peak_density_per_km2": peak,
            "top_categories": _top_categories(lab, _as_values(incidents.category), w, n),
            "peak_hours": [list(win.hours()) if win else [] for win in windows],
            "peak_weekdays": [
                peak_weekdays(night_weekday_profile(informative[i], windows[i])) for i in range(n)
            ],
            "peak_window": [str(win) if win else None for win in windows],
            "hour_weekday": [np.round(profile[i], 6).tolist() for i in range(n)],
            "district": _districts(lab, incidents.district, n),
            "gi_z": z_max,
            "gi_p_fdr": p_min,
            "gi_class": [gi_class(z, p) for z, p in zip(z_max, p_min, strict=True)],
            "_label": idx,
        }
    )
    gdf = gpd.GeoDataFrame(frame, geometry=polygons_of(labels, n, grid), crs=grid.crs)
    gdf = gdf.sort_values(
        ["incidents", "peak_density_per_km2"], ascending=[False, False], kind="stable"
    ).reset_index(drop=True)
    gdf.insert(0, "rank", np.arange(1, n + 1, dtype=np.int64))
    return gdf
