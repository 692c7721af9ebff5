"""Traffic checks: checkpoints on (main) roads near drink/drug-driving and motor disorder.

Each zone has several candidate sites on the road, used in turn across ISO weeks, so that the
same site is not suggested two weeks running (the deterrent effect of a checkpoint fades
within about a week).

With a drivable network in the geography (a built geography's streets) the sites lie where a
car can be stopped safely (:func:`hotspots.spatial.routing.safe_stop_sites`): not on a
bridge, in a tunnel or on a motorway or trunk road, with a side street or lay-by within
150 m; each carries its road class. Without one, sites lie on the roads layer off water.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import Point

from hotspots.planning import patrol
from hotspots.planning.context import Context, hotspot_at, road_label, time_of
from hotspots.planning.model import Draft
from hotspots.spatial import routing

__all__ = ["ROAD_FACTOR", "TRAFFIC_CATEGORIES", "traffic_checks"]


#: Categories a traffic check addresses.
TRAFFIC_CATEGORIES: tuple[str, ...] = ("dui", "motor_disorder")


ROAD_FACTOR: dict[str, float] = {
    "primary": 1.0,
    "secondary": 1.0,
    "motorway": 0.5,
    "street": 0.6,
}


#: A traffic check needs a side street or lay-by within this distance, metres.
SIDE_STREET_M = 150.0


def _site_samples(
    ctx: Context, step_m: float = 40.0
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Candidate sites: points, road kind, road name, road class and side-street distance.

    On the drivable network where a car can be stopped safely when the geography has one
    (class: the road kind; distance in metres), else along the roads layer off water (no
    class, distance NaN).
    """
    sites = routing.safe_stop_sites(ctx.geo, step_m=step_m, side_street_m=SIDE_STREET_M)
    if sites is None:
        samples, idx = _road_samples(ctx, step_m)
        kinds = ctx.road_kind[idx] if len(idx) else np.zeros(0, dtype=str)
        names = [ctx.road_name[int(i)] if len(ctx.road_name) else "" for i in idx]
        return samples, kinds, names, np.full(len(idx), ""), np.full(len(idx), np.nan)
    names = [road_label(n, r) for n, r in zip(sites.name, sites.ref, strict=True)]
    return sites.xy, sites.kind, names, sites.kind, sites.side_m


def _near_any(xy: np.ndarray, targets: np.ndarray, radius_m: float) -> np.ndarray:
    """Whether each point of ``xy`` lies within ``radius_m`` metres of one of ``targets``."""
    out = np.zeros(len(xy), dtype=bool)
    if len(xy) and len(targets):
        tree = shapely.STRtree(shapely.points(targets))
        hits = tree.query(shapely.points(xy), predicate="dwithin", distance=radius_m)
        out[np.unique(hits[0])] = True
    return out


def _road_samples(ctx: Context, step_m: float = 40.0) -> tuple[np.ndarray, np.ndarray]:
    """Points every ``step_m`` along the roads (off bridges), with their road index."""
    roads = ctx.geo.roads
    pts: list[np.ndarray] = []
    idx: list[np.ndarray] = []
    wet = ctx.water.buffer(3.0) if ctx.water is not None and not ctx.water.is_empty else None
    for i, geom in enumerate(roads.geometry.to_numpy()):
        g = geom.difference(wet) if wet is not None else geom
        if g.is_empty:
            continue
        parts = getattr(g, "geoms", [g])
        for part in parts:
            if part.length <= 0:
                continue
            d = np.arange(step_m / 2, part.length, step_m)
            if len(d) == 0:
                d = np.array([part.length / 2])
            p = shapely.get_coordinates(shapely.line_interpolate_point(part, d))
            pts.append(p)
            idx.append(np.full(len(p), i))
    if not pts:
        return np.zeros((0, 2)), np.zeros(0, dtype=int)
    return np.vstack(pts), np.concatenate(idx)


def traffic_checks(ctx: Context, hot: gpd.GeoDataFrame, week_index: int) -> list[Draft]:
    """Checkpoints for drink/drug driving (half the quota), then for motor disorder.

    ``week_index`` (:func:`~hotspots.planning.patrol.iso_week_index`) picks each zone's site
    in the weekly rotation.
    """
    opt = ctx.opt
    has_network = getattr(ctx.geo, "streets", None) is not None
    if not len(ctx.geo.roads) and not has_network:
        return []
    samples, kinds, names, classes, side_m = _site_samples(ctx)
    # only sites within reach of a traffic incident (a street network has many)
    near = _near_any(samples, ctx.xy[ctx.cat_mask(TRAFFIC_CATEGORIES)], opt.traffic_radius_m)
    samples, kinds, classes, side_m = samples[near], kinds[near], classes[near], side_m[near]
    names = [n for n, k in zip(names, near, strict=True) if k]
    if not len(samples):
        return []
    # Drink/drug driving first (spread along roads, the main target), then motor disorder
    # (tight clusters at car parks) so that the one does not crowd out the other.
    drafts: list[Draft] = []
    for codes, share in ((("dui",), 0.5), (("motor_disorder",), 1.0)):
        quota = max(1, int(np.ceil(opt.max_per_kind * share))) - (
            len(drafts) if share == 1.0 else 0
        )
        drafts += _traffic_zones(
            ctx,
            hot,
            week_index=week_index,
            codes=codes,
            samples=samples,
            site_roads=(kinds, names, classes, side_m),
            quota=quota,
            offset=len(drafts),
            taken=[np.asarray(d.geometry.coords[0]) for d in drafts],
        )
    return drafts


def _traffic_zones(
    ctx: Context,
    hot: gpd.GeoDataFrame,
    *,
    week_index: int,
    codes: tuple[str, ...],
    samples: np.ndarray,
    site_roads: tuple[np.ndarray, list[str], np.ndarray, np.ndarray],
    quota: int,
    offset: int,
    taken: list[np.ndarray],
) -> list[Draft]:
    """Traffic-check zones for incidents of ``codes``, greedy by road-weighted count."""
    opt = ctx.opt
    tr = np.flatnonzero(ctx.cat_mask(codes))
    if len(tr) < opt.min_incidents or quota <= 0:
        return []
    kinds, names, classes, side_m = site_roads
    factor = np.array([ROAD_FACTOR.get(str(k), 0.6) for k in kinds], dtype=float)
    txy = ctx.xy[tr]
    r = opt.traffic_radius_m
    d2 = ((samples[:, None, :] - txy[None, :, :]) ** 2).sum(axis=2)
    near = d2 <= r * r
    covered = np.zeros(len(tr), dtype=bool)
    drafts: list[Draft] = []
    # No two checkpoints within one catchment of each other (across passes too).
    blocked = np.zeros(len(samples), dtype=bool)
    for xy in taken:
        blocked |= np.hypot(*(samples - xy).T) <= r
    while len(drafts) < quota:
        free = (~covered).astype(float)
        gain = np.where(blocked, 0.0, near @ free)
        best = int(np.argmax(gain * factor))
        if gain[best] < opt.min_incidents:
            break
        zone_members = np.flatnonzero(near[best] & ~covered)
        centre = txy[zone_members].mean(axis=0)
        # candidate sites: good road points near the zone centre, spaced apart
        dist_c = np.hypot(*(samples - centre).T)
        score = gain * factor
        ok = (dist_c <= min(r, 450.0)) & (score >= 0.5 * score[best]) & ~blocked
        cand = np.flatnonzero(ok)
        cand = cand[np.argsort(-score[cand], kind="stable")]
        sites: list[int] = []
        for c in cand:
            if all(np.hypot(*(samples[c] - samples[s])) >= 150.0 for s in sites):
                sites.append(int(c))
            if len(sites) >= 4:
                break
        if not sites:
            sites = [best]
        choice = patrol.rotation_choice(len(sites), week_index, offset=offset + len(drafts))
        site = sites[choice]
        members = np.flatnonzero(
            ctx.cat_mask(TRAFFIC_CATEGORIES) & (np.hypot(*(ctx.xy - samples[site]).T) <= r)
        )
        covered[zone_members] = True
        covered[near[site]] = True
        blocked |= np.hypot(*(samples - samples[site]).T) <= r
        window, weekdays, day_w = time_of(ctx, members, max_hours=5)
        if window is None:
            continue
        name = names[site]
        drafts.append(
            Draft(
                kind="traffic_check",
                geometry=Point(samples[site]),
                place=name,
                members=members,
                window=window,
                weekdays=weekdays,
                day_weights=day_w,
                hotspot_rank=hotspot_at(hot, samples[site]),
                visit_minutes=60,
                site=choice + 1,
                sites_in_rotation=len(sites),
                focus=codes[0],
                intro=(
                    "Trafikkontroll (rattfylleri, motorburen störning)",
                    "Traffic check (drink/drug driving, motor-related disorder)",
                ),
                radius_m=r,
                road_class=str(classes[site]),
                side_m=None if np.isnan(side_m[site]) else float(side_m[site]),
            )
        )
    return drafts
