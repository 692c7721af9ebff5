"""The suggestion table: drafts kept by their time window, valued, ranked and given ids."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.core.config import WEEKDAYS
from hotspots.core.taxonomy import is_restricted
from hotspots.engine.harm import incident_weights
from hotspots.planning import patrol
from hotspots.planning.context import Context, centroids_xy, within
from hotspots.planning.model import (
    MARK_WEIGHT_PER_WEEK,
    MAX_VISITS_PER_DAY,
    SUGGESTION_COLUMNS,
    Draft,
)
from hotspots.planning.reasons import reason

if TYPE_CHECKING:
    from hotspots.engine.harm_weights import HarmWeights

__all__ = ["HARM_COLUMNS", "suggestion_frame"]

#: Columns added after :data:`SUGGESTION_COLUMNS` when the plan is ranked by harm.
HARM_COLUMNS: tuple[str, ...] = ("harm_in_window", "harm_per_week")


def _evidence(categories: pd.Series) -> dict[str, int]:
    counts = categories.astype(str).value_counts()
    return {
        str(code): int(n)
        for code, n in counts.items()
        if not is_restricted(str(code)) and int(n) > 0
    }


_PREFIX = {
    "foot_patrol": "FP",
    "traffic_check": "TC",
    "pub_check": "PC",
    "youth_outreach": "YO",
    "school_visit": "SV",
}


def suggestion_frame(
    ctx: Context,
    drafts: list[Draft],
    crs: Any,
    *,
    weights: HarmWeights | None = None,
    proactive: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The ranked suggestions (columns :data:`SUGGESTION_COLUMNS`) of ``drafts``.

    A draft is kept when enough of its incidents fall in its window (at least half of
    ``min_incidents``, no fewer than 3) or it has enough unsafe marks. ``priority`` is the
    incidents per week in the window (with ``weights``: their harm per week, and the
    columns :data:`HARM_COLUMNS` are added), plus a little for unsafe marks.
    ``proactive_nearby`` counts the ``proactive`` incidents (found by police activity) in
    each suggestion's catchment, whether or not they were ranked on.
    """
    rows: list[dict[str, Any]] = []
    n_total = max(1, len(ctx.inc))
    harm = (
        np.ones(len(ctx.inc))
        if weights is None
        else incident_weights(ctx.cat, weights)  # restricted codes never reach ctx
    )
    pro_xy = centroids_xy(proactive) if proactive is not None else np.zeros((0, 2))
    min_in = max(3, ctx.opt.min_incidents // 2)
    kept: list[tuple[Draft, np.ndarray]] = []
    for d in drafts:
        inside = (
            patrol.in_window(pd.Series(ctx.t[d.members]), d.window, d.weekdays)
            if len(d.members)
            else np.zeros(0, dtype=bool)
        )
        if int(inside.sum()) >= min_in or d.marks >= ctx.opt.min_incidents:
            kept.append((d, d.members[inside]))
    # Overlap discount: incidents already covered (in window) by a stronger suggestion count
    # half in the priority that drives the allocation, so two actions on the same incidents
    # are not valued twice. ``expected_share`` stays each suggestion's own coverage.
    kept.sort(key=lambda dm: -float(harm[dm[1]].sum()))
    counted: set[int] = set()
    for d, in_idx in kept:
        cats = pd.Series(ctx.cat[d.members]) if len(d.members) else pd.Series([], dtype=str)
        evidence = _evidence(cats)
        n_in = len(in_idx)
        per_week = n_in / ctx.weeks
        is_shared = np.array([int(i) in counted for i in in_idx], dtype=bool)
        shared = int(is_shared.sum())
        counted.update(int(i) for i in in_idx)
        harm_in = float(harm[in_idx].sum())
        value_per_week = (harm_in - 0.5 * float(harm[in_idx][is_shared].sum())) / ctx.weeks
        window_min = len(d.window.hours()) * 60 * max(1, len(d.weekdays))
        rows.append(
            {
                "kind": d.kind,
                "place": d.place,
                "weekdays": [WEEKDAYS[i] for i in d.weekdays],
                "hours": str(d.window),
                "reason_sv": reason(ctx, d, evidence, n_in, "sv"),
                "reason_en": reason(ctx, d, evidence, n_in, "en"),
                "evidence": evidence,
                "survey_marks": int(d.marks),
                "hotspot_rank": d.hotspot_rank,
                "incidents": int(sum(evidence.values())),
                "incidents_in_window": n_in,
                "incidents_per_week": round(per_week, 3),
                "expected_share": round(n_in / n_total, 4),
                "priority": value_per_week + MARK_WEIGHT_PER_WEEK * d.marks,
                "overlap_share": round(shared / n_in, 3) if n_in else 0.0,
                "proactive_nearby": int(within(pro_xy, d.geometry, d.radius_m).sum()),
                "harm_in_window": round(harm_in, 3),
                "harm_per_week": round(harm_in / ctx.weeks, 3),
                "loop_length_m": (
                    round(d.loop_length_m, 1) if d.loop_length_m is not None else np.nan
                ),
                "walk_minutes": (
                    round(d.walk_minutes, 1) if d.walk_minutes is not None else np.nan
                ),
                "loop_path": d.loop_path,
                "road_class": d.road_class,
                "stops": len(d.stop_names) if d.kind == "foot_patrol" else 0,
                "stop_names": list(d.stop_names),
                "stop_minutes": ctx.opt.stop_minutes if d.kind == "foot_patrol" else np.nan,
                "visit_minutes": int(d.visit_minutes),
                "window_minutes_per_week": int(window_min),
                "max_visits_per_week": MAX_VISITS_PER_DAY[d.kind] * max(1, len(d.weekdays)),
                "day_weights": [round(float(x), 3) for x in d.day_weights],
                "site": int(d.site),
                "sites_in_rotation": int(d.sites_in_rotation),
                "focus": d.focus,
                "geometry": d.geometry,
            }
        )
    columns = [*SUGGESTION_COLUMNS, *(HARM_COLUMNS if weights is not None else ())]
    if not rows:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return gpd.GeoDataFrame(
            frame.drop(columns="geometry"), geometry=gpd.GeoSeries([], crs=crs), crs=crs
        )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
    gdf["district"] = _districts(ctx, gdf)
    gdf = gdf.sort_values(["priority", "kind"], ascending=[False, True], kind="stable")
    gdf = gdf.reset_index(drop=True)
    gdf["rank"] = np.arange(1, len(gdf) + 1)
    gdf["kind_rank"] = gdf.groupby("kind").cumcount() + 1
    gdf["id"] = [f"{_PREFIX[k]}{r}" for k, r in zip(gdf["kind"], gdf["kind_rank"], strict=True)]
    gdf["hotspot_rank"] = pd.array(
        [pd.NA if v is None or pd.isna(v) else int(v) for v in gdf["hotspot_rank"]],
        dtype="Int64",
    )
    return gdf[columns]


def _districts(ctx: Context, gdf: gpd.GeoDataFrame) -> list[str]:
    pts = gpd.GeoSeries(
        [g.interpolate(0) if g.geom_type == "LineString" else g for g in gdf.geometry],
        crs=gdf.crs,
    )
    district_of = getattr(ctx.geo, "district_of", None)
    if callable(district_of):
        out = district_of(pts)
        return ["" if pd.isna(v) else str(v) for v in out]
    districts = ctx.geo.districts
    if districts is None or not len(districts):
        return [""] * len(gdf)
    joined = gpd.sjoin(gpd.GeoDataFrame(geometry=pts), districts[["name", "geometry"]], how="left")
    joined = joined[~joined.index.duplicated()]
    return ["" if pd.isna(v) else str(v) for v in joined["name"]]
