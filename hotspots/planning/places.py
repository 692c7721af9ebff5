"""Suggestions at places of a kind (venues, schools, youth places): the ranking they share.

Places are ranked by the incidents of the given categories (and unsafe marks) nearby inside
the allowed hours and days; a place whose incidents a stronger place nearby already covers
is skipped. :mod:`~hotspots.planning.pub_check` and :mod:`~hotspots.planning.school_youth`
set the kinds, categories and hours.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
from shapely.geometry import Point

from hotspots.core.config import HourWindow
from hotspots.planning import patrol
from hotspots.planning.context import Context, centroids_xy, hotspot_at, mark_reasons, time_of
from hotspots.planning.model import Draft

__all__ = ["place_drafts"]


def place_drafts(
    ctx: Context,
    hot: gpd.GeoDataFrame,
    *,
    kind: str,
    place_kinds: tuple[str, ...],
    categories: tuple[str, ...],
    radius_m: float,
    allowed: HourWindow,
    allowed_days: Sequence[int] | None,
    mark_times: tuple[str, ...],
    intro: tuple[str, str],
    visit_minutes: int,
    prefer_first_kind: bool = False,
) -> list[Draft]:
    """Suggestions of ``kind`` at the places of ``place_kinds``, strongest first.

    Parameters
    ----------
    ctx
        The prepared inputs.
    hot
        The ranked hotspots (for the hotspot a suggestion lies in).
    kind
        The suggestion kind made.
    place_kinds
        Kinds of place considered (``geography.places["kind"]``).
    categories
        Incident categories that count.
    radius_m
        Catchment of a place, metres.
    allowed, allowed_days
        Hours and weekdays (Monday = 0; ``None`` = every day) the incidents count in.
    mark_times
        Survey ``time_of_day`` values whose unsafe marks count.
    intro
        First sentence of the reason in Swedish and English.
    visit_minutes
        Length of one visit, minutes.
    prefer_first_kind
        Rank places of the first kind before the others (youth centres before parks).
    """
    opt = ctx.opt
    places = ctx.places
    if places is None or not len(places):
        return []
    places = places[places["kind"].astype(str).isin(place_kinds)]
    if not len(places):
        return []
    cand = np.flatnonzero(ctx.cat_mask(categories))
    hours_ok = np.isin(ctx.t.hour.to_numpy()[cand], list(allowed.hours()))
    if allowed_days is not None:
        days = patrol.shift_weekday(
            ctx.t.weekday.to_numpy()[cand], ctx.t.hour.to_numpy()[cand], allowed
        )
        hours_ok &= np.isin(days, list(allowed_days))
    cand = cand[hours_ok]
    marks_ok = np.zeros(len(ctx.mark_xy), dtype=bool)
    if ctx.marks is not None and len(ctx.mark_xy):
        tod = ctx.marks["time_of_day"].astype("string") if "time_of_day" in ctx.marks else None
        marks_ok = (
            np.ones(len(ctx.mark_xy), dtype=bool)
            if tod is None
            else np.asarray(tod.isin(list(mark_times)).fillna(True), dtype=bool)
        )
    scored: list[tuple[float, int, np.ndarray, np.ndarray]] = []
    pxy = centroids_xy(places)
    for j in range(len(places)):
        p = pxy[j]
        members = cand[np.hypot(*(ctx.xy[cand] - p).T) <= radius_m] if len(cand) else cand
        marks = (
            np.flatnonzero(marks_ok & (np.hypot(*(ctx.mark_xy - p).T) <= radius_m))
            if len(ctx.mark_xy)
            else np.zeros(0, dtype=int)
        )
        score = len(members) + 0.5 * len(marks)
        if len(members) + len(marks) >= opt.min_incidents and len(members) > 0:
            scored.append((score, j, members, marks))
    if prefer_first_kind:
        # e.g. youth centres before parks: the first place kind is the promise, the others
        # fill the remaining room
        first = np.asarray(places["kind"].astype(str) == place_kinds[0])
        scored.sort(key=lambda s: (not first[s[1]], -s[0], s[1]))
    else:
        scored.sort(key=lambda s: (-s[0], s[1]))
    drafts: list[Draft] = []
    taken: list[np.ndarray] = []
    served: set[int] = set()
    for _score, j, members, marks in scored:
        if len(drafts) >= opt.max_per_kind:
            break
        p = pxy[j]
        shared = sum(int(m) in served for m in members)
        if any(np.hypot(*(p - q)) < radius_m / 2 for q in taken) or shared > len(members) / 2:
            continue  # a stronger place nearby already covers most of these incidents
        window, weekdays, day_w = time_of(
            ctx, members, allowed=allowed, allowed_days=allowed_days, max_hours=4
        )
        if window is None:
            continue
        xy = patrol.place_on_walkable(
            p[None, :], lines=ctx.walk_lines, land=ctx.land, water=ctx.water, max_snap_m=0.0
        )[0]
        taken.append(p)
        served.update(int(m) for m in members)
        drafts.append(
            Draft(
                kind=kind,
                geometry=Point(xy),
                place=str(places["name"].iloc[j]),
                members=members,
                window=window,
                weekdays=weekdays,
                day_weights=day_w,
                marks=len(marks),
                mark_reasons=mark_reasons(ctx, marks),
                hotspot_rank=hotspot_at(hot, xy),
                visit_minutes=visit_minutes,
                intro=intro,
                radius_m=radius_m,
            )
        )
    return drafts
