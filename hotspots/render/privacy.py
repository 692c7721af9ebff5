"""Privacy profiles applied to every map, export and view.

``internal``
    For the police and municipality staff who plan patrols: incident points are allowed
    (with their descriptions, always escaped where shown); restricted categories
    (violence in close relationships, sexual offences) never.
``planning``
    For the patrol planner: as ``internal`` (incident points, the plan) but without the
    incidents' descriptions; the map content's profile stays ``internal``.
``public``
    For publication and the EST meeting's open minutes: no incident points and no
    descriptions, no plan (where checks and patrols will be is operational information);
    only hotspots and aggregated cells. Every count under :data:`SUPPRESS_BELOW` is
    suppressed: hotspot counts are blanked, aggregated cells are dropped, and the density
    surface is blanked wherever fewer than five incidents lie within one bandwidth of a
    cell, so that no single incident can be located from the surface's peaks.

:func:`apply_privacy` is the one gate: the map, the static map, the HTML snapshot and the
package export all draw from the :class:`MapContent` it returns.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from hotspots.core.errors import InputSchemaError
from hotspots.core.taxonomy import CATEGORIES, is_restricted, restricted_mask
from hotspots.engine.kde import convolve_same

__all__ = [
    "CELL_M",
    "PROFILES",
    "SUPPRESS_BELOW",
    "MapContent",
    "Profile",
    "aggregate_cells",
    "apply_privacy",
    "check_profile",
    "neighbourhood_counts",
    "scrub_restricted",
]

logger = logging.getLogger(__name__)

Profile = Literal["internal", "planning", "public"]
#: From the widest to the narrowest.
PROFILES: tuple[Profile, ...] = ("internal", "planning", "public")
#: Incident columns the ``planning`` profile leaves out.
_PLANNING_DROP: tuple[str, ...] = ("description",)
#: Counts below this are suppressed in the public profile.
SUPPRESS_BELOW = 5
#: Side of the aggregated cells, metres.
CELL_M = 250.0
#: Columns of an incident frame that may reach an internal map.
INCIDENT_VIEW_COLUMNS: tuple[str, ...] = (
    "id",
    "occurred_at",
    "category",
    "precision",
    "source",
    "description",
)
#: Hotspot columns whose value is a count and is suppressed under 5 in public.
_COUNT_COLUMNS: tuple[str, ...] = ("incidents", "n_incidents", "survey_marks", "marks")
#: Hotspot columns never published (fine-grained time profiles of few incidents).
_PUBLIC_DROP: tuple[str, ...] = ("hour_weekday", "description", "incident_ids", "ids")

_RESTRICTED_WORDS: tuple[str, ...] = tuple(
    w.casefold() for c in CATEGORIES if c.restricted for w in (c.code, c.sv, c.en)
)


def check_profile(profile: str) -> Profile:
    """Return ``profile`` when it is ``internal``, ``planning`` or ``public``.

    Raises
    ------
    InputSchemaError
        For any other value.
    """
    if profile not in PROFILES:
        msg = f"--privacy: {profile!r} is not a profile; use internal, planning or public"
        raise InputSchemaError(msg)
    return profile  # type: ignore[return-value]


def scrub_restricted(value: Any) -> Any:
    """Remove restricted categories from a value cited as evidence.

    Dicts lose restricted keys, lists and tuples lose restricted items, and a string that
    names a restricted category (code or label, either language) becomes ``""``. Other
    values are returned unchanged.
    """
    if isinstance(value, dict):
        return {k: scrub_restricted(v) for k, v in value.items() if not _names_restricted(k)}
    if isinstance(value, list | tuple):
        kept = [scrub_restricted(v) for v in value if not _names_restricted(v)]
        return kept if isinstance(value, list) else tuple(kept)
    if isinstance(value, np.ndarray) and value.dtype == object:
        return [scrub_restricted(v) for v in value.tolist() if not _names_restricted(v)]
    if isinstance(value, str) and _names_restricted(value):
        parts = [p.strip() for p in re.split(r"[,;]", value)]
        return ", ".join(p for p in parts if p and not _names_restricted(p))
    return value


def _names_restricted(value: Any) -> bool:
    if isinstance(value, str):
        text = value.casefold()
        return is_restricted(value) or any(w in text for w in _RESTRICTED_WORDS)
    if isinstance(value, list | tuple) and value:
        return _names_restricted(value[0])  # a (code, count) pair
    if isinstance(value, dict):  # a {"code": ..., "count": ...} record
        return any(_names_restricted(value.get(k)) for k in ("code", "label_sv", "label_en"))
    return False


@dataclass(frozen=True)
class MapContent:
    """What a map or an export may show, after a privacy profile was applied.

    Attributes
    ----------
    profile
        ``"internal"`` or ``"public"``.
    crs
        The metric working CRS of every frame and of the grid.
    grid
        The analysis grid (:class:`hotspots.spatial.grid.Grid`), or ``None`` without a density.
    density
        Incidents per km², shape ``grid.shape``; NaN outside the study area and, in the
        public profile, where fewer than five incidents lie within one bandwidth.
    survey_density
        Survey marks of perceived unsafety per km², or ``None``.
    hotspots
        Hotspot polygons (``kind`` ``"crime"`` or ``"perceived"``) with their statistics;
        restricted categories scrubbed; in public, counts under 5 blanked.
    incidents
        Points with :data:`INCIDENT_VIEW_COLUMNS`, internal profile only (else ``None``);
        never a restricted category.
    suggestions
        Plan suggestions (internal only), evidence scrubbed of restricted categories.
    schedule
        The plan's weekly schedule (internal only).
    parameters
        The analysis parameters (kernel, bandwidth_m, cell_m, coverage, ...).
    filters
        The :class:`hotspots.core.config.Filters` of the analysis.
    n_incidents
        Number of incidents in the analysis.
    period
        First and last date of the incidents in the analysis (local time), or ``None``.
    suppressed_cells
        Number of density cells blanked by the public profile.
    cells
        Incidents counted in :data:`CELL_M` m cells (:func:`aggregate_cells`; in public,
        cells under 5 dropped), or ``None``.
    """

    profile: Profile
    crs: Any
    grid: Any | None
    density: np.ndarray | None
    survey_density: np.ndarray | None
    hotspots: gpd.GeoDataFrame
    incidents: gpd.GeoDataFrame | None
    suggestions: gpd.GeoDataFrame | None
    schedule: pd.DataFrame | None
    parameters: dict[str, Any]
    filters: Any
    n_incidents: int
    period: tuple[dt.date, dt.date] | None
    suppressed_cells: int = 0
    cells: gpd.GeoDataFrame | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> MapContent:
        """Return a copy with ``changes`` applied."""
        return dataclasses.replace(self, **changes)


def neighbourhood_counts(counts: np.ndarray, *, radius_cells: float) -> np.ndarray:
    """Number of incidents within ``radius_cells`` cells of each cell (a disc sum).

    Parameters
    ----------
    counts
        Incidents per cell, shape ``(ny, nx)``.
    radius_cells
        Radius of the disc in cells (bandwidth in metres / cell size in metres).

    Returns
    -------
    numpy.ndarray
        The disc sums, rounded to whole incidents, same shape.
    """
    r = max(0, int(np.floor(radius_cells)))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    disc = ((xx * xx + yy * yy) <= radius_cells * radius_cells + 1e-9).astype(float)
    c = np.nan_to_num(np.asarray(counts, dtype=float))
    if c.size == 0:
        return c
    return np.rint(convolve_same(c, disc))


def _suppress_density(
    density: np.ndarray, counts: np.ndarray | None, *, radius_cells: float
) -> tuple[np.ndarray, int]:
    out = np.array(density, dtype=float, copy=True)
    if counts is None:
        # without counts nothing can be shown safely
        n = int(np.isfinite(out).sum())
        out[:] = np.nan
        return out, n
    near = neighbourhood_counts(counts, radius_cells=max(radius_cells, 1.0))
    hide = (near < SUPPRESS_BELOW) & np.isfinite(out)
    out[hide] = np.nan
    return out, int(hide.sum())


def _suppress_counts(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    # harm hotspots (hotspots.engine.harm): ``incidents`` is their harm, ``n_incidents`` the
    # count; the harm of fewer than five incidents would tell what they were, so it goes too
    few = (
        pd.to_numeric(out["n_incidents"], errors="coerce") < SUPPRESS_BELOW
        if "n_incidents" in out and "incidents" in out
        else None
    )
    for col in _COUNT_COLUMNS:
        if col not in out:
            continue
        values = pd.to_numeric(out[col], errors="coerce")
        small = values < SUPPRESS_BELOW
        if col == "incidents" and few is not None:
            small |= few
        if small.any():
            out[col] = values.astype("Float64").mask(small)
            out[f"{col}_suppressed"] = small.to_numpy()
    return out


def _scrub_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    geom = out.geometry.name if isinstance(out, gpd.GeoDataFrame) else None
    for col in out.columns:
        if col != geom and out[col].dtype == object:
            out[col] = [scrub_restricted(v) for v in out[col]]
    if "category" in out:
        out = out[~restricted_mask(out["category"])]
    return out


def _period(incidents: gpd.GeoDataFrame | None) -> tuple[dt.date, dt.date] | None:
    if incidents is None or not len(incidents) or "occurred_at" not in incidents:
        return None
    t = incidents["occurred_at"].dropna()
    if not len(t):
        return None
    return (t.min().date(), t.max().date())


def apply_privacy(
    result: Any,
    *,
    profile: str,
    plan: Any | None = None,
) -> MapContent:
    """Apply a privacy profile to an analysis (and a plan) for showing or exporting.

    Parameters
    ----------
    result
        A :class:`hotspots.engine.analysis.HotspotResult`.
    profile
        ``"internal"`` or ``"public"``.
    plan
        A :class:`hotspots.planning.Plan`, or ``None``. Dropped in the public profile.

    Returns
    -------
    MapContent
        Everything a map or an export may show.
    """
    prof = check_profile(profile)
    grid = getattr(result, "grid", None)
    crs = grid.crs if grid is not None else result.hotspots.spatial.crs
    hotspots = _scrub_frame(result.hotspots)
    incidents_all = getattr(result, "incidents", None)
    incidents: gpd.GeoDataFrame | None = None
    if incidents_all is not None:
        keep = ~restricted_mask(incidents_all["category"])
        incidents_all = incidents_all[keep]
    density = getattr(result, "density", None)
    survey_density = getattr(result, "survey_density", None)
    suggestions = None
    schedule = None
    suppressed = 0
    if prof in ("internal", "planning"):
        if incidents_all is not None:
            cols = [
                c
                for c in INCIDENT_VIEW_COLUMNS
                if c in incidents_all and (prof == "internal" or c not in _PLANNING_DROP)
            ]
            incidents = incidents_all[[*cols, incidents_all.geometry.name]].copy()
        if plan is not None:
            suggestions = _scrub_frame(plan.suggestions)
            schedule = plan.schedule.copy()
    else:
        hotspots = _suppress_counts(hotspots.drop(columns=list(_PUBLIC_DROP), errors="ignore"))
        if density is not None:
            bw = float(getattr(result.config, "bandwidth_m", None) or 0.0)
            radius_cells = bw / grid.cell_m if grid is not None and bw > 0 else 1.0
            density, suppressed = _suppress_density(
                density, getattr(result, "counts", None), radius_cells=radius_cells
            )
        # survey marks are not incidents, but the same rule protects respondents
        survey_density = None if survey_density is None else survey_density.copy()
    params = dict(getattr(result, "parameters", {}) or {})
    params["privacy"] = prof
    if "harm" in params:  # harm weights and figures: restricted categories never named
        params["harm"] = scrub_restricted(params["harm"])
    if prof == "planning":
        hotspots = hotspots.drop(columns=list(_PLANNING_DROP), errors="ignore")
    return MapContent(
        profile="public" if prof == "public" else "internal",
        crs=crs,
        grid=grid,
        density=None if density is None else np.asarray(density, dtype=float),
        survey_density=survey_density,
        hotspots=hotspots,
        incidents=incidents,
        suggestions=suggestions,
        schedule=schedule,
        parameters=params,
        filters=getattr(result.config, "filters", None),
        n_incidents=len(incidents_all) if incidents_all is not None else 0,
        period=_period(incidents_all),
        suppressed_cells=suppressed,
        cells=(
            aggregate_cells(incidents_all, cell_m=CELL_M, profile=prof)
            if incidents_all is not None
            else None
        ),
    )


def aggregate_cells(
    incidents: gpd.GeoDataFrame,
    *,
    cell_m: float = 250.0,
    profile: str = "public",
) -> gpd.GeoDataFrame:
    """Count incidents in square cells of ``cell_m`` metres (for a public table or layer).

    Restricted categories are never counted. In the public profile cells with fewer than
    :data:`SUPPRESS_BELOW` incidents are dropped.

    Parameters
    ----------
    incidents
        Incident frame in a projected metric CRS.
    cell_m
        Cell side, metres; cells are aligned to multiples of ``cell_m``.
    profile
        ``"internal"`` or ``"public"``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``cell_id``, ``incidents``, ``incidents_per_km2`` and square geometries,
        in the incidents' CRS.
    """
    prof = check_profile(profile)
    if not cell_m > 0:
        msg = f"cell_m must be positive metres (got {cell_m})"
        raise InputSchemaError(msg)
    keep = ~restricted_mask(incidents["category"])
    pts = incidents[keep]
    xy = shapely.get_coordinates(pts.geometry.to_numpy())
    if len(xy) == 0:
        empty = pd.DataFrame({"cell_id": [], "incidents": [], "incidents_per_km2": []})
        return gpd.GeoDataFrame(empty, geometry=gpd.GeoSeries([], crs=incidents.crs))
    ix = np.floor(xy[:, 0] / cell_m).astype(np.int64)
    iy = np.floor(xy[:, 1] / cell_m).astype(np.int64)
    # one integer per cell, ordered as (ix, iy) pairs are: np.unique over rows (axis=0)
    # sorts structured values and cost 20 ms for a city's incidents
    x0, y0 = int(ix.min()), int(iy.min())
    rows = int(iy.max()) - y0 + 1
    cell, counts = np.unique((ix - x0) * rows + (iy - y0), return_counts=True)
    keys = np.column_stack([cell // rows + x0, cell % rows + y0])
    if prof == "public":
        ok = counts >= SUPPRESS_BELOW
        keys, counts = keys[ok], counts[ok]
    area_km2 = (cell_m / 1000.0) ** 2
    geoms = shapely.box(
        keys[:, 0] * cell_m,
        keys[:, 1] * cell_m,
        (keys[:, 0] + 1) * cell_m,
        (keys[:, 1] + 1) * cell_m,
    )
    frame = pd.DataFrame(
        {
            "cell_id": [f"{int(a)}_{int(b)}" for a, b in keys],
            "incidents": counts.astype(np.int64),
            "incidents_per_km2": counts / area_km2,
        }
    )
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=incidents.crs)
