"""Foot patrols: walking loops through patrol points in hotspots and at unsafe survey marks.

Stops of 10-15 minutes (Koper's curve) on walkable land next to a street, never in water;
loops split where water lies between the points and shortened to the longest walk allowed.
With a walking network in the geography (a built geography's streets) the stops lie on it and
each loop follows the streets (:func:`hotspots.spatial.routing.route_loop`), split where the
network does not connect the stops; without one the loop is drawn as straight lines and its
reason says so, never over water: a leg that would cross it goes back over the loop's stops
(:func:`hotspots.planning.patrol.dry_loop_line`).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import HourWindow
from hotspots.core.taxonomy import codes_in_area
from hotspots.planning import patrol
from hotspots.planning.context import (
    Context,
    hotspot_at,
    mark_reasons,
    survey_days,
    time_of,
    within,
)
from hotspots.planning.model import SURVEY_WINDOWS, Draft
from hotspots.spatial import routing

__all__ = ["FOOT_CATEGORIES", "foot_patrols"]


#: Categories a uniformed foot patrol addresses (street-level violence, disorder, drugs).
FOOT_CATEGORIES: tuple[str, ...] = (
    *codes_in_area("violence"),
    "disorder",
    "vandalism",
    "unsafe_place",
    "drug_use",
    "drug_dealing",
    "intoxication",
)


def foot_patrols(ctx: Context, hot: gpd.GeoDataFrame) -> list[Draft]:
    """Walking loops in the hotspots, then patrols at unsafe marks outside their reach.

    Up to ``max_per_kind`` loops in crime and perceived hotspots (a perceived hotspot that a
    crime loop already serves is skipped) plus half as many at clusters of unsafe marks.
    """
    opt = ctx.opt
    foot = np.flatnonzero(ctx.cat_mask(FOOT_CATEGORIES))
    drafts: list[Draft] = []
    used_zone: BaseGeometry | None = None
    network = routing.network_of(ctx.geo, "walk")
    for _, h in hot.iterrows():
        poly = h.geometry
        if poly is None or poly.is_empty:
            continue
        perceived = str(h.get("kind", "crime")) == "perceived"
        inside = foot[within(ctx.xy[foot], poly, opt.stop_radius_m / 2)]
        m_inside = (
            np.flatnonzero(within(ctx.mark_xy, poly, opt.stop_radius_m / 2))
            if len(ctx.mark_xy)
            else np.zeros(0, dtype=int)
        )
        if perceived:
            pts = ctx.mark_xy[m_inside]
            weights = np.ones(len(pts))
        else:
            pts = ctx.xy[inside]
            weights = np.ones(len(pts))
        if len(pts) + (len(m_inside) if not perceived else 0) < opt.min_incidents:
            continue
        if len(pts) == 0:
            continue
        centres = patrol.pick_centres(
            pts, weights=weights, radius_m=opt.stop_radius_m, max_centres=opt.max_stops
        )
        stop_xy = np.array([c for c, _, _ in centres])
        stop_w = np.array([w for _, w, _ in centres])
        stop_xy = patrol.place_on_walkable(
            stop_xy, lines=ctx.walk_lines, land=ctx.land, water=ctx.water
        )
        if network is not None:  # the stops on the walking network
            stop_xy = routing.snap(network, stop_xy).xy
        if used_zone is not None:
            fresh = ~np.asarray(shapely.contains_xy(used_zone, stop_xy[:, 0], stop_xy[:, 1]))
            if perceived and not fresh.any():
                continue  # already served by a crime-hotspot loop
            stop_xy, stop_w = stop_xy[fresh], stop_w[fresh]
            if len(stop_xy) == 0:
                continue
        for group in _groups(stop_xy, ctx, network):
            g_xy, g_w = stop_xy[group], stop_w[group]
            loop, geom, length_m, walk_min = _loop(g_xy, network, ctx.water)
            while length_m > opt.max_loop_m and len(g_xy) > 1:
                weakest = int(np.argmin(g_w))
                g_xy = np.delete(g_xy, weakest, axis=0)
                g_w = np.delete(g_w, weakest)
                loop, geom, length_m, walk_min = _loop(g_xy, network, ctx.water)
            zone = geom.buffer(opt.patrol_radius_m)
            members = foot[within(ctx.xy[foot], geom, opt.patrol_radius_m)]
            marks = (
                np.flatnonzero(within(ctx.mark_xy, geom, opt.patrol_radius_m))
                if len(ctx.mark_xy)
                else np.zeros(0, dtype=int)
            )
            if len(members) + len(marks) < opt.min_incidents:
                continue
            if len(members):
                window, weekdays, day_w = time_of(ctx, members)
            else:
                window, weekdays, day_w = None, (), np.zeros(7)
            if window is None:
                window = _survey_window(ctx, marks)
                if window is None:  # the marks are of other hours than those analysed
                    continue
                weekdays, day_w = survey_days(ctx, window)
            names = _stop_names(ctx, loop.coords, str(h.get("district") or ""))
            place = ctx.place_name_near(np.asarray(geom.centroid.coords[0]), 250.0) or names[0]
            drafts.append(
                Draft(
                    kind="foot_patrol",
                    geometry=geom,
                    place=place,
                    members=members,
                    window=window,
                    weekdays=weekdays,
                    day_weights=day_w,
                    marks=len(marks),
                    mark_reasons=mark_reasons(ctx, marks),
                    hotspot_rank=int(h["rank"]),
                    loop_length_m=length_m,
                    stop_names=names,
                    visit_minutes=patrol.loop_minutes(length_m, len(loop.coords), opt.stop_minutes),
                    walk_minutes=walk_min,
                    loop_path=(
                        "" if len(loop.coords) < 2 else "straight" if network is None else "streets"
                    ),
                    intro=(
                        "Fotpatrull i upplevt otrygg miljö"
                        if perceived
                        else "Fotpatrull i brottsbelastat område",
                        "Foot patrol in a place perceived as unsafe"
                        if perceived
                        else "Foot patrol in a crime-burdened area",
                    ),
                    radius_m=opt.patrol_radius_m,
                )
            )
            used_zone = zone if used_zone is None else used_zone.union(zone)
    drafts = drafts[: opt.max_per_kind]
    # only the loops kept serve unsafe marks: a loop cut above must not hide its marks
    zones = [d.geometry.buffer(opt.patrol_radius_m) for d in drafts]
    used_zone = shapely.union_all(zones) if zones else None
    drafts += _perceived_patrols(ctx, hot, used_zone)[: max(1, opt.max_per_kind // 2)]
    return drafts


def _groups(
    stop_xy: np.ndarray, ctx: Context, network: routing.StreetNetwork | None
) -> list[np.ndarray]:
    """Stops that one loop can join: by water between them, or by the walking network."""
    if network is None:
        return patrol.split_by_water(stop_xy, ctx.water)
    component = routing.snap(network, stop_xy).component
    groups = [np.flatnonzero(component == c) for c in np.unique(component)]
    return sorted(groups, key=lambda g: (-len(g), int(g[0])))


def _loop(
    xy: np.ndarray, network: routing.StreetNetwork | None, water: BaseGeometry | None
) -> tuple[patrol.Loop, BaseGeometry, float, float]:
    """A loop through ``xy``: its order, line, length (m) and walking time (min).

    The visiting order is the shortest straight-line tour (:func:`patrol.walking_loop`);
    with a network the line follows the streets in that order; without one it is straight,
    and a leg over water goes back over the loop's stops instead
    (:func:`patrol.dry_loop_line`).
    """
    loop = patrol.walking_loop(xy)
    if network is None:
        line = patrol.dry_loop_line(loop.coords, water)
        length_m = float(line.length)
        return loop, line, length_m, length_m / patrol.WALKING_SPEED_M_PER_MIN
    speed_kmh = patrol.WALKING_SPEED_M_PER_MIN * 60.0 / 1000.0
    route = routing.route_loop(network, loop.coords, walking_speed_kmh=speed_kmh)
    return loop, route.line, route.length_m, route.walk_minutes


def _perceived_patrols(
    ctx: Context, hot: gpd.GeoDataFrame, used_zone: BaseGeometry | None
) -> list[Draft]:
    """Foot patrols where unsafe survey marks (4-5) cluster outside the crime-hotspot loops.

    Works whether or not the analysis produced ``perceived`` hotspots: marks already within
    a loop's catchment are left out, the rest are grouped by greedy maximum coverage.
    """
    opt = ctx.opt
    if not len(ctx.mark_xy):
        return []
    free = np.ones(len(ctx.mark_xy), dtype=bool)
    if used_zone is not None:
        free = ~np.asarray(
            shapely.contains_xy(used_zone, ctx.mark_xy[:, 0], ctx.mark_xy[:, 1]), dtype=bool
        )
    idx = np.flatnonzero(free)
    centres = patrol.pick_centres(
        ctx.mark_xy[idx], radius_m=opt.patrol_radius_m, max_centres=opt.max_per_kind
    )
    foot = np.flatnonzero(ctx.cat_mask(FOOT_CATEGORIES))
    drafts: list[Draft] = []
    for centre, weight, _members in centres:
        if weight < opt.min_incidents:
            continue
        xy = patrol.place_on_walkable(
            centre[None, :], lines=ctx.walk_lines, land=ctx.land, water=ctx.water
        )[0]
        geom = Point(xy)
        marks = np.flatnonzero(within(ctx.mark_xy, geom, opt.patrol_radius_m))
        members = foot[within(ctx.xy[foot], geom, opt.patrol_radius_m)]
        crime = len(members) >= opt.min_incidents
        window, weekdays, day_w = time_of(ctx, members) if crime else (None, (), np.zeros(7))
        if window is None:
            crime = False
            window = _survey_window(ctx, marks)
            if window is None:  # the marks are of other hours than those analysed
                continue
            weekdays, day_w = survey_days(ctx, window)
        district = ""
        district_of = getattr(ctx.geo, "district_of", None)
        if callable(district_of):
            found = district_of(gpd.GeoSeries([geom], crs=ctx.inc.crs)).iloc[0]
            district = "" if pd.isna(found) else str(found)
        names = _stop_names(ctx, xy[None, :], district)
        drafts.append(
            Draft(
                kind="foot_patrol",
                geometry=geom,
                place=names[0],
                members=members,
                window=window,
                weekdays=weekdays,
                day_weights=day_w,
                marks=len(marks),
                mark_reasons=mark_reasons(ctx, marks),
                hotspot_rank=hotspot_at(hot, xy),
                loop_length_m=0.0,
                stop_names=names,
                visit_minutes=patrol.loop_minutes(0.0, 1, opt.stop_minutes),
                intro=(
                    "Fotpatrull i brottsbelastad och upplevt otrygg miljö",
                    "Foot patrol in a crime-burdened place perceived as unsafe",
                )
                if crime
                else (
                    "Fotpatrull i upplevt otrygg miljö",
                    "Foot patrol in a place perceived as unsafe",
                ),
                radius_m=opt.patrol_radius_m,
            )
        )
    return drafts


def _stop_names(ctx: Context, coords: np.ndarray, fallback: str) -> list[str]:
    """Names of patrol points, repeated names numbered.

    A place within 60 m, a road one can walk along within 80 m (not a motorway), a place or
    such a road within 300 m, else ``fallback`` (the district).
    """
    names: list[str] = []
    for p in coords:
        name = (
            ctx.place_name_near(p, 60.0)
            or ctx.road_name_near(p, 80.0, walkable=True)
            or ctx.place_name_near(p, 300.0)
            or ctx.road_name_near(p, 300.0, walkable=True)
            or fallback
            or f"{p[0]:.0f} {p[1]:.0f}"
        )
        names.append(name)
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if names.count(name) == 1 else f"{name} {seen[name]}")
    return out


def _survey_window(ctx: Context, marks: np.ndarray) -> HourWindow | None:
    """Window from the marks' ``time_of_day`` (dag 09-17, kvall 17-22, natt 22-03).

    Each mark spreads its weight over the hours of its part of the day; the window is the
    shortest holding 60 % of that weight (up to 8 hours), so evening and night marks
    together give e.g. 18-02. Without times of day: the evening. The window lies inside the
    analysed hours (:attr:`Context.hours`): ``None`` when the marks are all of other times
    of day; without times of day, the evening hours analysed, else the analysed hours.
    """
    weight = np.zeros(24)
    if ctx.marks is not None and len(marks) and "time_of_day" in ctx.marks:
        tod = ctx.marks["time_of_day"].iloc[marks].dropna().astype(str)
        for name, n in tod.value_counts().items():
            window = SURVEY_WINDOWS.get(str(name))
            if window is not None:
                hours = list(window.hours())
                weight[hours] += float(n) / len(hours)
    if weight.sum() > 0:
        return patrol.window_from_profile(weight, max_hours=8, allowed=ctx.hours)
    evening = SURVEY_WINDOWS["kvall"]
    if ctx.hours is None:
        return evening
    analysed = list(ctx.hours.hours())
    weight[list(evening.hours())] = 1.0
    if not weight[analysed].any():  # no evening hour analysed: the hours analysed
        weight[analysed] = 1.0
    return patrol.window_from_profile(weight, share=1.0, max_hours=8, allowed=ctx.hours)
