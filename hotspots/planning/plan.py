"""Patrol and traffic-check suggestions from a hotspot analysis: where, when and why.

:func:`make_plan` turns a :class:`~hotspots.analysis.HotspotResult`, the incidents, the
survey marks and the geography into suggestions of five kinds:

``foot_patrol``
    Walking loops through patrol points in violence, unsafe-environment, drug and
    perceived-unsafe hotspots; stops of 10-15 minutes (Koper's curve), points on walkable
    land next to a street, never in water.
``traffic_check``
    Checkpoints on (preferably main) roads near drink/drug-driving and motor-related
    disorder incidents. Each zone has several candidate sites on the road, used in turn
    across ISO weeks, so that the same site is not suggested two weeks running (the
    deterrent effect of a checkpoint fades within about a week).
``pub_check``
    Nightlife venues ranked by violence, intoxication and drug incidents nearby at night.
``school_visit`` and ``youth_outreach``
    Schools and youth centres (and parks as risk environments) ranked by drug and
    youth-related incidents and unsafe marks nearby, with the hours they matter: school
    hours for schools, evenings for youth places.

Every suggestion carries a time window from the incidents behind it (hours may wrap
midnight; the window belongs to the day it starts), a reason in Swedish and English, the
evidence counts per category (restricted categories are never counted or cited), the
hotspot it comes from, its district and the *expected share of incidents covered*: the share
of all selected incidents of the period that happened within its catchment and inside its
time window, i.e. what a unit present throughout the window could have met.

With ``patrol_hours_per_week`` the time is allocated across the suggestions by
:func:`hotspots.schedule.allocate` and laid out as a weekly schedule.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from hotspots import patrol
from hotspots._errors import CRSError, InputSchemaError
from hotspots.config import WEEKDAYS, HourWindow
from hotspots.crs import check_metric
from hotspots.select import select_incidents
from hotspots.taxonomy import codes_in_area, is_restricted, label

__all__ = [
    "FOOT_CATEGORIES",
    "KINDS",
    "PUB_CATEGORIES",
    "SUGGESTION_COLUMNS",
    "TRAFFIC_CATEGORIES",
    "YOUTH_CATEGORIES",
    "Plan",
    "PlanOptions",
    "make_plan",
]

logger = logging.getLogger(__name__)

Kind = Literal["foot_patrol", "traffic_check", "pub_check", "youth_outreach", "school_visit"]
KINDS: tuple[str, ...] = (
    "foot_patrol",
    "traffic_check",
    "pub_check",
    "youth_outreach",
    "school_visit",
)

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
#: Categories a traffic check addresses.
TRAFFIC_CATEGORIES: tuple[str, ...] = ("dui", "motor_disorder")
#: Categories a pub check addresses (violence, intoxication and drugs in nightlife).
PUB_CATEGORIES: tuple[str, ...] = (
    *codes_in_area("violence"),
    "intoxication",
    "drug_use",
    "drug_dealing",
)
#: Drug and youth-related categories for school visits and youth outreach.
YOUTH_CATEGORIES: tuple[str, ...] = ("drug_use", "drug_dealing", "vandalism", "disorder")

#: Hours counted as "night" for pub checks (20:00-06:00).
NIGHT = HourWindow(20, 6)
#: School hours (07:00-17:00), Monday to Friday.
SCHOOL_HOURS = HourWindow(7, 17)
SCHOOL_DAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
#: Evening hours for youth places (15:00-01:00).
EVENING = HourWindow(15, 1)
#: Survey ``time_of_day`` -> window.
SURVEY_WINDOWS: dict[str, HourWindow] = {
    "dag": HourWindow(9, 17),
    "kvall": HourWindow(17, 22),
    "natt": HourWindow(22, 3),
}
#: Survey ``reason`` codes in each language.
MARK_REASON_LABELS: dict[str, tuple[str, str]] = {
    "belysning": ("belysning", "lighting"),
    "grupperingar": ("grupperingar", "groups gathering"),
    "narkotika": ("narkotika", "drugs"),
    "alkohol": ("alkohol", "alcohol"),
    "trafik": ("trafik", "traffic"),
    "skadegorelse": ("skadegörelse", "vandalism"),
    "annat": ("annat", "other"),
}
#: Categories named in a reason (the rest are summed as "others"; all are in ``evidence``).
REASON_CATEGORIES = 5
#: A survey mark counts as unsafe from this score (1-5 scale).
UNSAFE_MIN = 4
#: Weight of one unsafe mark in a suggestion's priority, in incidents per week.
MARK_WEIGHT_PER_WEEK = 0.05

#: Most visits of one suggestion per day of its window (0 = as many as fit): a venue, a
#: school or a youth place is visited once a day; a checkpoint moves on after two hours.
MAX_VISITS_PER_DAY: dict[str, int] = {
    "foot_patrol": 0,
    "traffic_check": 2,
    "pub_check": 1,
    "school_visit": 1,
    "youth_outreach": 1,
}

ROAD_FACTOR: dict[str, float] = {
    "primary": 1.0,
    "secondary": 1.0,
    "motorway": 0.5,
    "street": 0.6,
}

SUGGESTION_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "rank",
    "kind_rank",
    "place",
    "district",
    "weekdays",
    "hours",
    "reason_sv",
    "reason_en",
    "evidence",
    "survey_marks",
    "hotspot_rank",
    "incidents",
    "incidents_in_window",
    "incidents_per_week",
    "expected_share",
    "priority",
    "overlap_share",
    "loop_length_m",
    "stops",
    "stop_names",
    "stop_minutes",
    "visit_minutes",
    "window_minutes_per_week",
    "max_visits_per_week",
    "day_weights",
    "site",
    "sites_in_rotation",
    "focus",
    "geometry",
)


class GeographyLike(Protocol):
    """What the planner needs of :class:`hotspots.geography.Geography`."""

    crs: Any
    water: BaseGeometry
    land: BaseGeometry
    roads: gpd.GeoDataFrame
    places: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """Options of :func:`make_plan`.

    Attributes
    ----------
    patrol_hours_per_week
        Hours to allocate in the weekly schedule; ``None`` makes no schedule.
    randomise_order
        Randomise the visiting order of the stops of each scheduled loop (start and
        direction); the loop length is unchanged.
    seed
        Seed of the randomisation.
    week
        ISO week ``"YYYY-Www"`` the plan is for (drives the rotation of traffic-check
        sites and the dates of the schedule); ``None`` = the week after the last incident.
    lang
        Language of the schedule page, ``"sv"`` or ``"en"`` (both reasons are always made).
    kinds
        Suggestion kinds to make.
    stop_minutes
        Minutes at each patrol point, 10-15 (Koper's curve).
    max_loop_m
        Longest walking loop, metres; weaker stops are dropped until the loop fits.
    max_stops
        Most patrol points in one hotspot.
    max_per_kind
        Most suggestions of each kind (foot patrols: this many in crime hotspots plus half
        as many at clusters of unsafe survey marks).
    min_incidents
        Fewest incidents (plus unsafe marks) behind a suggestion; at least half that number
        (and no fewer than 3) must fall inside its time window.
    patrol_radius_m
        Catchment of a walking loop, metres either side of it.
    stop_radius_m
        Incidents within this distance of a patrol point are served by it, metres.
    traffic_radius_m
        Catchment of a traffic-check zone, metres.
    venue_radius_m
        Catchment of a nightlife venue, metres.
    school_radius_m
        Catchment of a school or youth place, metres.
    """

    patrol_hours_per_week: float | None = None
    randomise_order: bool = False
    seed: int | None = None
    week: str | None = None
    lang: Literal["sv", "en"] = "sv"
    kinds: tuple[str, ...] = KINDS
    stop_minutes: float = 15.0
    max_loop_m: float = 2500.0
    max_stops: int = 5
    max_per_kind: int = 8
    min_incidents: int = 6
    patrol_radius_m: float = 100.0
    stop_radius_m: float = 80.0
    traffic_radius_m: float = 400.0
    venue_radius_m: float = 150.0
    school_radius_m: float = 400.0

    def __post_init__(self) -> None:
        if not 10.0 <= self.stop_minutes <= 15.0:
            msg = f"stop_minutes must be 10-15 minutes (Koper's curve), got {self.stop_minutes}"
            raise InputSchemaError(msg)
        if self.patrol_hours_per_week is not None and not self.patrol_hours_per_week > 0:
            msg = (
                "--patrol-hours-per-week: must be a positive number of hours "
                f"(got {self.patrol_hours_per_week})"
            )
            raise InputSchemaError(msg)
        bad = [k for k in self.kinds if k not in KINDS]
        if bad or not self.kinds:
            msg = f"kinds: {bad or 'none'} not known; use some of {', '.join(KINDS)}"
            raise InputSchemaError(msg)
        if self.lang not in ("sv", "en"):
            msg = f"--lang: {self.lang!r} is not a language; use sv or en"
            raise InputSchemaError(msg)
        if self.week is not None:
            patrol.iso_week_index(self.week)
        for name in ("max_loop_m", "patrol_radius_m", "stop_radius_m", "traffic_radius_m"):
            if not getattr(self, name) > 0:
                msg = f"{name} must be positive metres (got {getattr(self, name)})"
                raise InputSchemaError(msg)
        if self.max_stops < 1 or self.max_per_kind < 1:
            msg = "max_stops and max_per_kind must be at least 1"
            raise InputSchemaError(msg)


@dataclass(frozen=True)
class Plan:
    """A plan: suggestions and, when hours were given, the weekly schedule.

    Attributes
    ----------
    suggestions
        One row per suggestion, columns :data:`SUGGESTION_COLUMNS`, geometry in the metric
        CRS (points, or closed LineStrings for walking loops). Ranked by ``priority``.
    schedule
        One row per visit: ``date``, ``day``, ``start``, ``end``, ``place``, ``kind``,
        ``minutes``, ``suggestion``, ``route``, ``district``, ``hours``. Empty without
        ``patrol_hours_per_week``.
    week
        ISO week of the plan, ``"YYYY-Www"``.
    period
        First and last date of the incidents behind the plan.
    n_incidents
        Number of selected incidents behind the plan.
    options
        The options used.
    """

    suggestions: gpd.GeoDataFrame
    schedule: pd.DataFrame
    week: str
    period: tuple[dt.date, dt.date] | None
    n_incidents: int
    options: PlanOptions = field(default_factory=PlanOptions)


# ---------------------------------------------------------------------------------------------
# small helpers


def _xy(frame: gpd.GeoDataFrame) -> np.ndarray:
    if len(frame) == 0:
        return np.zeros((0, 2))
    return shapely.get_coordinates(frame.geometry.centroid.to_numpy()).reshape(-1, 2)


def _within(xy: np.ndarray, geom: BaseGeometry, radius_m: float) -> np.ndarray:
    if len(xy) == 0:
        return np.zeros(0, dtype=bool)
    zone = geom.buffer(radius_m) if radius_m > 0 else geom
    shapely.prepare(zone)
    return np.asarray(shapely.contains_xy(zone, xy[:, 0], xy[:, 1]), dtype=bool)


def _range_text(d0: dt.date, d1: dt.date, lang: str) -> str:
    return f"{d0.isoformat()}–{d1.isoformat()}" if lang == "sv" else f"{d0} to {d1}"


_DAY_SV = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def days_text(weekdays: Sequence[int], lang: str) -> str:
    """Compact weekday list (``fre–lör``, ``mon, wed``) in ``lang``."""
    names = _DAY_SV if lang == "sv" else WEEKDAYS
    days = sorted(set(int(d) for d in weekdays))
    if len(days) == 7:
        return "alla dagar" if lang == "sv" else "every day"
    runs: list[list[int]] = []
    for d in days:
        if runs and d == runs[-1][-1] + 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    parts = [names[r[0]] if len(r) == 1 else f"{names[r[0]]}–{names[r[-1]]}" for r in runs]
    return ", ".join(parts)


def _evidence(categories: pd.Series) -> dict[str, int]:
    counts = categories.astype(str).value_counts()
    return {
        str(code): int(n)
        for code, n in counts.items()
        if not is_restricted(str(code)) and int(n) > 0
    }


@dataclass
class _Draft:
    """A suggestion under construction (internal)."""

    kind: str
    geometry: BaseGeometry
    place: str
    members: np.ndarray  # indices into the incident frame
    window: HourWindow
    weekdays: tuple[int, ...]
    day_weights: np.ndarray
    marks: int = 0
    mark_reasons: dict[str, int] = field(default_factory=dict)
    hotspot_rank: int | None = None
    loop_length_m: float | None = None
    stop_names: list[str] = field(default_factory=list)
    visit_minutes: int = 60
    site: int = 0
    sites_in_rotation: int = 1
    intro: tuple[str, str] = ("", "")
    radius_m: float = 0.0
    focus: str = ""


class _Context:
    """Prepared inputs shared by the builders (internal)."""

    def __init__(
        self,
        incidents: gpd.GeoDataFrame,
        survey: gpd.GeoDataFrame | None,
        geography: GeographyLike,
        options: PlanOptions,
    ) -> None:
        self.inc = incidents.reset_index(drop=True)
        self.xy = _xy(self.inc)
        self.cat = self.inc["category"].astype(str).to_numpy()
        self.t = pd.DatetimeIndex(self.inc["occurred_at"])
        self.until = (
            pd.DatetimeIndex(self.inc["occurred_until"]) if "occurred_until" in self.inc else None
        )
        if survey is not None and len(survey):
            unsafe = pd.to_numeric(survey["unsafe"], errors="coerce").fillna(0).to_numpy()
            self.marks = survey[unsafe >= UNSAFE_MIN].reset_index(drop=True)
        else:
            self.marks = None
        self.mark_xy = _xy(self.marks) if self.marks is not None else np.zeros((0, 2))
        self.geo = geography
        self.opt = options
        self.water = geography.water if geography.water is not None else None
        self.land = geography.land
        roads = geography.roads
        self.road_kind = roads["kind"].astype(str).to_numpy() if len(roads) else np.array([])
        self.road_name = _road_names(roads)
        self.walk_lines = patrol.walkable_lines(
            roads.geometry[self.road_kind != "motorway"].to_numpy(),
            land=self.land,
            water=self.water,
        )
        self.places = geography.places
        if len(self.t):
            self.d0 = self.t.min().date()
            self.d1 = self.t.max().date()
            self.weeks = max(1.0, ((self.d1 - self.d0).days + 1) / 7.0)
        else:
            self.d0 = self.d1 = None
            self.weeks = 1.0

    def cat_mask(self, codes: Iterable[str]) -> np.ndarray:
        return np.isin(self.cat, list(codes))

    def profile(self, idx: np.ndarray) -> np.ndarray:
        return patrol.hour_weekday_profile(
            pd.Series(self.t[idx]),
            occurred_until=None if self.until is None else pd.Series(self.until[idx]),
        )

    def road_name_near(self, xy: np.ndarray, max_m: float = 60.0) -> str | None:
        if not len(self.road_name) or not len(self.geo.roads):
            return None
        p = Point(xy)
        d = self.geo.roads.geometry.distance(p).to_numpy()
        named = np.array([bool(n) for n in self.road_name])
        if not named.any():
            return None
        d = np.where(named, d, np.inf)
        i = int(np.argmin(d))
        return self.road_name[i] if d[i] <= max_m else None

    def place_name_near(self, xy: np.ndarray, max_m: float) -> str | None:
        if self.places is None or not len(self.places):
            return None
        d = self.places.geometry.distance(Point(xy)).to_numpy()
        i = int(np.argmin(d))
        name = self.places["name"].iloc[i]
        return str(name) if d[i] <= max_m and isinstance(name, str) and name else None


def _road_names(roads: gpd.GeoDataFrame) -> list[str]:
    out: list[str] = []
    names = roads["name"] if "name" in roads else pd.Series([None] * len(roads))
    refs = roads["ref"] if "ref" in roads else pd.Series([None] * len(roads))
    for name, ref in zip(names, refs, strict=True):
        n = name if isinstance(name, str) and name.strip() else ""
        r = ref if isinstance(ref, str) and ref.strip() else ""
        out.append(f"{n} ({r})" if n and r else n or r)
    return out


def _time_of(
    ctx: _Context,
    idx: np.ndarray,
    *,
    allowed: HourWindow | None = None,
    allowed_days: Sequence[int] | None = None,
    max_hours: int = 6,
) -> tuple[HourWindow | None, tuple[int, ...], np.ndarray]:
    """Window, weekdays and day weights of the incidents ``idx``."""
    if len(idx) == 0:
        return None, (), np.zeros(7)
    prof = ctx.profile(idx)
    if allowed_days is not None:
        keep = np.zeros(7, dtype=bool)
        keep[list(allowed_days)] = True
        prof = np.where(keep[:, None], prof, 0.0)
    window = patrol.window_from_profile(prof.sum(axis=0), allowed=allowed, max_hours=max_hours)
    if window is None:
        return None, (), np.zeros(7)
    # weekday weights of the window, by the day the window started
    hours = np.array(window.hours())
    days = np.repeat(np.arange(7), len(hours))
    hrs = np.tile(hours, 7)
    shifted = patrol.shift_weekday(days, hrs, window)
    w = prof[days, hrs]
    day_w = np.bincount(shifted, weights=w, minlength=7)
    if allowed_days is not None:
        mask = np.zeros(7, dtype=bool)
        mask[list(allowed_days)] = True
        day_w = np.where(mask, day_w, 0.0)
    weekdays = patrol.weekdays_from_weights(day_w)
    if allowed_days is not None:
        weekdays = tuple(d for d in weekdays if d in allowed_days) or tuple(allowed_days)
    return window, weekdays, day_w


# ---------------------------------------------------------------------------------------------
# builders


def _hotspot_frame(result: Any, crs: Any) -> gpd.GeoDataFrame:
    hot = getattr(result, "hotspots", None)
    if hot is None or len(hot) == 0:
        return gpd.GeoDataFrame({"rank": []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    if hot.crs is not None and not hot.crs.equals(crs):
        hot = hot.to_crs(crs)
    if "rank" not in hot:
        hot = hot.assign(rank=np.arange(1, len(hot) + 1))
    return hot.sort_values("rank").reset_index(drop=True)


def _foot_patrols(ctx: _Context, hot: gpd.GeoDataFrame) -> list[_Draft]:
    opt = ctx.opt
    foot = np.flatnonzero(ctx.cat_mask(FOOT_CATEGORIES))
    drafts: list[_Draft] = []
    used_zone: BaseGeometry | None = None
    for _, h in hot.iterrows():
        poly = h.geometry
        if poly is None or poly.is_empty:
            continue
        perceived = str(h.get("kind", "crime")) == "perceived"
        inside = foot[_within(ctx.xy[foot], poly, opt.stop_radius_m / 2)]
        m_inside = (
            np.flatnonzero(_within(ctx.mark_xy, poly, opt.stop_radius_m / 2))
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
        if used_zone is not None:
            fresh = ~np.asarray(shapely.contains_xy(used_zone, stop_xy[:, 0], stop_xy[:, 1]))
            if perceived and not fresh.any():
                continue  # already served by a crime-hotspot loop
            stop_xy, stop_w = stop_xy[fresh], stop_w[fresh]
            if len(stop_xy) == 0:
                continue
        for group in patrol.split_by_water(stop_xy, ctx.water):
            g_xy, g_w = stop_xy[group], stop_w[group]
            loop = patrol.walking_loop(g_xy)
            while loop.length_m > opt.max_loop_m and len(g_xy) > 1:
                weakest = int(np.argmin(g_w))
                g_xy = np.delete(g_xy, weakest, axis=0)
                g_w = np.delete(g_w, weakest)
                loop = patrol.walking_loop(g_xy)
            geom = loop.line()
            zone = geom.buffer(opt.patrol_radius_m)
            members = foot[_within(ctx.xy[foot], geom, opt.patrol_radius_m)]
            marks = (
                np.flatnonzero(_within(ctx.mark_xy, geom, opt.patrol_radius_m))
                if len(ctx.mark_xy)
                else np.zeros(0, dtype=int)
            )
            if len(members) + len(marks) < opt.min_incidents:
                continue
            if len(members):
                window, weekdays, day_w = _time_of(ctx, members)
            else:
                window, weekdays, day_w = None, (), np.zeros(7)
            if window is None:
                window = _survey_window(ctx, marks)
                weekdays, day_w = tuple(range(7)), np.ones(7)
            names = _stop_names(ctx, loop.coords, str(h.get("district") or ""))
            place = ctx.place_name_near(np.asarray(geom.centroid.coords[0]), 250.0) or names[0]
            drafts.append(
                _Draft(
                    kind="foot_patrol",
                    geometry=geom,
                    place=place,
                    members=members,
                    window=window,
                    weekdays=weekdays,
                    day_weights=day_w,
                    marks=len(marks),
                    mark_reasons=_mark_reasons(ctx, marks),
                    hotspot_rank=int(h["rank"]),
                    loop_length_m=loop.length_m,
                    stop_names=names,
                    visit_minutes=patrol.loop_minutes(
                        loop.length_m, len(loop.coords), opt.stop_minutes
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
    drafts += _perceived_patrols(ctx, hot, used_zone)[: max(1, opt.max_per_kind // 2)]
    return drafts


def _perceived_patrols(
    ctx: _Context, hot: gpd.GeoDataFrame, used_zone: BaseGeometry | None
) -> list[_Draft]:
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
    drafts: list[_Draft] = []
    for centre, weight, _members in centres:
        if weight < opt.min_incidents:
            continue
        xy = patrol.place_on_walkable(
            centre[None, :], lines=ctx.walk_lines, land=ctx.land, water=ctx.water
        )[0]
        geom = Point(xy)
        marks = np.flatnonzero(_within(ctx.mark_xy, geom, opt.patrol_radius_m))
        members = foot[_within(ctx.xy[foot], geom, opt.patrol_radius_m)]
        crime = len(members) >= opt.min_incidents
        window, weekdays, day_w = _time_of(ctx, members) if crime else (None, (), np.zeros(7))
        if window is None:
            crime = False
            window, weekdays, day_w = _survey_window(ctx, marks), tuple(range(7)), np.ones(7)
        district = ""
        district_of = getattr(ctx.geo, "district_of", None)
        if callable(district_of):
            found = district_of(gpd.GeoSeries([geom], crs=ctx.inc.crs)).iloc[0]
            district = "" if pd.isna(found) else str(found)
        names = _stop_names(ctx, xy[None, :], district)
        drafts.append(
            _Draft(
                kind="foot_patrol",
                geometry=geom,
                place=names[0],
                members=members,
                window=window,
                weekdays=weekdays,
                day_weights=day_w,
                marks=len(marks),
                mark_reasons=_mark_reasons(ctx, marks),
                hotspot_rank=_hotspot_at(hot, xy),
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


def _stop_names(ctx: _Context, coords: np.ndarray, fallback: str) -> list[str]:
    """Names of patrol points, repeated names numbered.

    A place within 60 m, a road within 80 m, a place or road within 300 m, else ``fallback``
    (the district).
    """
    names: list[str] = []
    for p in coords:
        name = (
            ctx.place_name_near(p, 60.0)
            or ctx.road_name_near(p, 80.0)
            or ctx.place_name_near(p, 300.0)
            or ctx.road_name_near(p, 300.0)
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


def _mark_reasons(ctx: _Context, marks: np.ndarray) -> dict[str, int]:
    if ctx.marks is None or len(marks) == 0 or "reason" not in ctx.marks:
        return {}
    reasons = ctx.marks["reason"].iloc[marks].dropna().astype(str)
    return {str(k): int(v) for k, v in reasons.value_counts().items()}


def _survey_window(ctx: _Context, marks: np.ndarray) -> HourWindow:
    """Window from the marks' ``time_of_day`` (dag 09-17, kvall 17-22, natt 22-03).

    Each mark spreads its weight over the hours of its part of the day; the window is the
    shortest holding 60 % of that weight (up to 8 hours), so evening and night marks
    together give e.g. 18-02. Without times of day: the evening.
    """
    weight = np.zeros(24)
    if ctx.marks is not None and len(marks) and "time_of_day" in ctx.marks:
        tod = ctx.marks["time_of_day"].iloc[marks].dropna().astype(str)
        for name, n in tod.value_counts().items():
            window = SURVEY_WINDOWS.get(str(name))
            if window is not None:
                hours = list(window.hours())
                weight[hours] += float(n) / len(hours)
    found = patrol.window_from_profile(weight, max_hours=8) if weight.sum() > 0 else None
    return found or SURVEY_WINDOWS["kvall"]


def _road_samples(ctx: _Context, step_m: float = 40.0) -> tuple[np.ndarray, np.ndarray]:
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


def _traffic_checks(ctx: _Context, hot: gpd.GeoDataFrame, week_index: int) -> list[_Draft]:
    opt = ctx.opt
    if not len(ctx.geo.roads):
        return []
    samples, road_idx = _road_samples(ctx)
    if not len(samples):
        return []
    # Drink/drug driving first (spread along roads, the main target), then motor disorder
    # (tight clusters at car parks) so that the one does not crowd out the other.
    drafts: list[_Draft] = []
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
            road_idx=road_idx,
            quota=quota,
            offset=len(drafts),
            taken=[np.asarray(d.geometry.coords[0]) for d in drafts],
        )
    return drafts


def _traffic_zones(
    ctx: _Context,
    hot: gpd.GeoDataFrame,
    *,
    week_index: int,
    codes: tuple[str, ...],
    samples: np.ndarray,
    road_idx: np.ndarray,
    quota: int,
    offset: int,
    taken: list[np.ndarray],
) -> list[_Draft]:
    """Traffic-check zones for incidents of ``codes``, greedy by road-weighted count."""
    opt = ctx.opt
    tr = np.flatnonzero(ctx.cat_mask(codes))
    if len(tr) < opt.min_incidents or quota <= 0:
        return []
    factor = np.array([ROAD_FACTOR.get(str(k), 0.6) for k in ctx.road_kind])[road_idx]
    txy = ctx.xy[tr]
    r = opt.traffic_radius_m
    d2 = ((samples[:, None, :] - txy[None, :, :]) ** 2).sum(axis=2)
    near = d2 <= r * r
    covered = np.zeros(len(tr), dtype=bool)
    drafts: list[_Draft] = []
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
        window, weekdays, day_w = _time_of(ctx, members, max_hours=5)
        if window is None:
            continue
        name = ctx.road_name[int(road_idx[site])] if len(ctx.road_name) else ""
        drafts.append(
            _Draft(
                kind="traffic_check",
                geometry=Point(samples[site]),
                place=name,
                members=members,
                window=window,
                weekdays=weekdays,
                day_weights=day_w,
                hotspot_rank=_hotspot_at(hot, samples[site]),
                visit_minutes=60,
                site=choice + 1,
                sites_in_rotation=len(sites),
                focus=codes[0],
                intro=(
                    "Trafikkontroll (rattfylleri, motorburen störning)",
                    "Traffic check (drink/drug driving, motor-related disorder)",
                ),
                radius_m=r,
            )
        )
    return drafts


def _hotspot_at(hot: gpd.GeoDataFrame, xy: np.ndarray, within_m: float = 100.0) -> int | None:
    if not len(hot):
        return None
    d = hot.geometry.distance(Point(xy)).to_numpy()
    i = int(np.argmin(d))
    return int(hot["rank"].iloc[i]) if d[i] <= within_m else None


def _place_drafts(
    ctx: _Context,
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
) -> list[_Draft]:
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
    pxy = _xy(places)
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
    drafts: list[_Draft] = []
    taken: list[np.ndarray] = []
    served: set[int] = set()
    for _score, j, members, marks in scored:
        if len(drafts) >= opt.max_per_kind:
            break
        p = pxy[j]
        shared = sum(int(m) in served for m in members)
        if any(np.hypot(*(p - q)) < radius_m / 2 for q in taken) or shared > len(members) / 2:
            continue  # a stronger place nearby already covers most of these incidents
        window, weekdays, day_w = _time_of(
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
            _Draft(
                kind=kind,
                geometry=Point(xy),
                place=str(places["name"].iloc[j]),
                members=members,
                window=window,
                weekdays=weekdays,
                day_weights=day_w,
                marks=len(marks),
                mark_reasons=_mark_reasons(ctx, marks),
                hotspot_rank=_hotspot_at(hot, xy),
                visit_minutes=visit_minutes,
                intro=intro,
                radius_m=radius_m,
            )
        )
    return drafts


# ---------------------------------------------------------------------------------------------
# reasons


def _mark_text(reasons: dict[str, int], lang: str) -> str:
    k = 0 if lang == "sv" else 1
    return ", ".join(f"{MARK_REASON_LABELS.get(r, (r, r))[k]} {n}" for r, n in reasons.items())


#: The sentences of a suggestion's reason, per language.
_REASON_PHRASES: dict[str, dict[str, str]] = {
    "sv": {
        "incidents": "{n} händelser inom {radius} m {when}: {parts}. ",
        "marks": "{marks} otrygghetsmarkeringar (betyg {low}–5) inom {radius} m",
        "in_window": "{k} av {n} inträffade {days} kl. {window}.",
        "time": "Tid: {days} kl. {window}.",
        "rotation": " Plats {site} av {total} i veckorotation.",
    },
    "en": {
        "incidents": "{n} incidents within {radius} m, {when}: {parts}. ",
        "marks": "{marks} unsafe marks (score {low}-5) within {radius} m",
        "in_window": "{k} of {n} happened {days} {window}.",
        "time": "Time: {days} {window}.",
        "rotation": " Site {site} of {total} in the weekly rotation.",
    },
}


def _reason(ctx: _Context, d: _Draft, evidence: dict[str, int], in_window: int, lang: str) -> str:
    intro = d.intro[0] if lang == "sv" else d.intro[1]
    n = sum(evidence.values())
    ranked = sorted(evidence.items(), key=lambda x: (-x[1], x[0]))
    parts = [f"{label(c, lang)} {k}" for c, k in ranked[:REASON_CATEGORIES]]
    rest = sum(k for _, k in ranked[REASON_CATEGORIES:])
    if rest:
        parts.append(f"övriga {rest}" if lang == "sv" else f"others {rest}")
    radius = round(d.radius_m)
    if n and len(d.members):
        t = ctx.t[d.members]
        d0, d1 = t.min().date(), t.max().date()
        when = _range_text(d0, d1, lang)
    else:
        when = ""
    days = days_text(d.weekdays, lang)
    phrase = _REASON_PHRASES["sv" if lang == "sv" else "en"]
    text = f"{intro}. "
    if n:
        text += phrase["incidents"].format(n=n, radius=radius, when=when, parts=", ".join(parts))
    if d.marks:
        text += phrase["marks"].format(marks=d.marks, low=UNSAFE_MIN, radius=radius)
        if d.mark_reasons:
            text += " (" + _mark_text(d.mark_reasons, lang) + ")"
        text += ". "
    if n:
        text += phrase["in_window"].format(k=in_window, n=n, days=days, window=d.window)
    else:
        text += phrase["time"].format(days=days, window=d.window)
    if d.kind == "traffic_check" and d.sites_in_rotation > 1:
        text += phrase["rotation"].format(site=d.site, total=d.sites_in_rotation)
    return text


# ---------------------------------------------------------------------------------------------
# entry point


def default_week(incidents: gpd.GeoDataFrame) -> str:
    """The ISO week after the last incident (``"YYYY-Www"``), or the current week."""
    if len(incidents):
        last = pd.Timestamp(incidents["occurred_at"].max()).date() + dt.timedelta(days=7)
    else:
        last = dt.date.today()
    y, w, _ = last.isocalendar()
    return f"{y}-W{w:02d}"


def make_plan(
    result: Any,
    *,
    geography: GeographyLike,
    incidents: gpd.GeoDataFrame,
    survey: gpd.GeoDataFrame | None = None,
    options: PlanOptions | None = None,
) -> Plan:
    """Turn a hotspot analysis into patrol, traffic-check and related suggestions.

    Parameters
    ----------
    result
        :class:`~hotspots.analysis.HotspotResult`; its ``hotspots`` (ranked polygons, with
        ``kind`` crime/perceived) anchor the foot patrols and its ``config.filters`` select
        the incidents.
    geography
        Roads, places, water and land (:class:`~hotspots.geography.Geography`).
    incidents
        Incident frame in a metric CRS (restricted categories and coarse locations are
        dropped here).
    survey
        Survey marks; marks scoring 4-5 count as unsafe evidence.
    options
        :class:`PlanOptions`.

    Returns
    -------
    Plan
        Suggestions in the metric CRS of the geography and, with
        ``options.patrol_hours_per_week``, the weekly schedule.

    Raises
    ------
    CRSError
        When a frame is not in a metric CRS.
    InputSchemaError
        When the geography is missing or a frame lacks needed columns.
    """
    from hotspots import schedule as schedule_mod  # noqa: PLC0415 (schedule imports plan)

    opt = options or PlanOptions()
    if geography is None:
        msg = "make_plan needs a geography (roads, places, water); pass default_geography()"
        raise InputSchemaError(msg)
    crs = check_metric(geography.crs, argument="geography.crs")
    for name, frame in (("incidents", incidents), ("survey", survey)):
        if frame is not None and frame.crs is None:
            msg = f"{name} has no CRS; set one, e.g. EPSG:3006"
            raise CRSError(msg)
    for col in ("occurred_at", "category"):
        if col not in incidents:
            msg = f"incidents: column {col!r} is missing; see hotspots.schema.INCIDENT_COLUMNS"
            raise InputSchemaError(msg)
    filters = getattr(getattr(result, "config", None), "filters", None)
    selected = (
        select_incidents(incidents, filters, for_density=True)
        if filters
        else (select_incidents(incidents, _no_filters(), for_density=True))
    )
    selected = selected.to_crs(crs) if not selected.crs.equals(crs) else selected
    surv = survey
    if surv is not None and len(surv):
        check_metric(surv.crs, argument="survey.crs") if surv.crs.is_projected else None
        surv = surv.to_crs(crs) if not surv.crs.equals(crs) else surv
    ctx = _Context(selected, surv, geography, opt)
    hot = _hotspot_frame(result, crs)
    week = opt.week or default_week(selected)
    week_index = patrol.iso_week_index(week)

    drafts: list[_Draft] = []
    if "foot_patrol" in opt.kinds:
        drafts += _foot_patrols(ctx, hot)
    if "traffic_check" in opt.kinds:
        drafts += _traffic_checks(ctx, hot, week_index)
    if "pub_check" in opt.kinds:
        drafts += _place_drafts(
            ctx,
            hot,
            kind="pub_check",
            place_kinds=("venue", "nightlife_street"),
            categories=PUB_CATEGORIES,
            radius_m=opt.venue_radius_m,
            allowed=NIGHT,
            allowed_days=None,
            mark_times=("kvall", "natt"),
            intro=(
                "Krogkontroll (våld, fylleri och narkotika nattetid)",
                "Pub check (violence, intoxication and drugs at night)",
            ),
            visit_minutes=30,
        )
    if "school_visit" in opt.kinds:
        drafts += _place_drafts(
            ctx,
            hot,
            kind="school_visit",
            place_kinds=("school",),
            categories=YOUTH_CATEGORIES,
            radius_m=opt.school_radius_m,
            allowed=SCHOOL_HOURS,
            allowed_days=SCHOOL_DAYS,
            mark_times=("dag",),
            intro=(
                "Skolbesök (narkotika och ungdomsrelaterade händelser)",
                "School visit (drug and youth-related incidents)",
            ),
            visit_minutes=60,
        )
    if "youth_outreach" in opt.kinds:
        drafts += _place_drafts(
            ctx,
            hot,
            kind="youth_outreach",
            place_kinds=("youth_centre", "park"),
            prefer_first_kind=True,
            categories=YOUTH_CATEGORIES,
            radius_m=min(opt.school_radius_m, 300.0),
            allowed=EVENING,
            allowed_days=None,
            mark_times=("kvall", "natt"),
            intro=(
                "Uppsökande arbete i riskmiljö för narkotika och ungdomar",
                "Outreach in a risk environment for drugs and youths",
            ),
            visit_minutes=90,
        )

    suggestions = _to_frame(ctx, drafts, crs)
    plan = Plan(
        suggestions=suggestions,
        schedule=schedule_mod.empty_schedule(),
        week=week,
        period=(ctx.d0, ctx.d1) if ctx.d0 is not None and ctx.d1 is not None else None,
        n_incidents=len(selected),
        options=opt,
    )
    if opt.patrol_hours_per_week is not None:
        sched = schedule_mod.build_schedule(
            suggestions,
            hours_per_week=opt.patrol_hours_per_week,
            week=week,
            randomise=opt.randomise_order,
            seed=opt.seed,
        )
        minutes = sched.groupby("suggestion")["minutes"].sum()
        suggestions = suggestions.assign(
            allocated_minutes=suggestions["id"].map(minutes).fillna(0).astype(int)
        )
        plan = Plan(
            suggestions=suggestions,
            schedule=sched,
            week=week,
            period=plan.period,
            n_incidents=plan.n_incidents,
            options=opt,
        )
    return plan


def _no_filters() -> Any:
    from hotspots.config import Filters  # noqa: PLC0415

    return Filters()


_PREFIX = {
    "foot_patrol": "FP",
    "traffic_check": "TC",
    "pub_check": "PC",
    "youth_outreach": "YO",
    "school_visit": "SV",
}


def _to_frame(ctx: _Context, drafts: list[_Draft], crs: Any) -> gpd.GeoDataFrame:
    rows: list[dict[str, Any]] = []
    n_total = max(1, len(ctx.inc))
    min_in = max(3, ctx.opt.min_incidents // 2)
    kept: list[tuple[_Draft, np.ndarray]] = []
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
    kept.sort(key=lambda dm: -len(dm[1]))
    counted: set[int] = set()
    for d, in_idx in kept:
        cats = pd.Series(ctx.cat[d.members]) if len(d.members) else pd.Series([], dtype=str)
        evidence = _evidence(cats)
        n_in = len(in_idx)
        per_week = n_in / ctx.weeks
        shared = sum(int(i) in counted for i in in_idx)
        counted.update(int(i) for i in in_idx)
        value_per_week = (n_in - 0.5 * shared) / ctx.weeks
        window_min = len(d.window.hours()) * 60 * max(1, len(d.weekdays))
        rows.append(
            {
                "kind": d.kind,
                "place": d.place,
                "weekdays": [WEEKDAYS[i] for i in d.weekdays],
                "hours": str(d.window),
                "reason_sv": _reason(ctx, d, evidence, n_in, "sv"),
                "reason_en": _reason(ctx, d, evidence, n_in, "en"),
                "evidence": evidence,
                "survey_marks": int(d.marks),
                "hotspot_rank": d.hotspot_rank,
                "incidents": int(sum(evidence.values())),
                "incidents_in_window": n_in,
                "incidents_per_week": round(per_week, 3),
                "expected_share": round(n_in / n_total, 4),
                "priority": value_per_week + MARK_WEIGHT_PER_WEEK * d.marks,
                "overlap_share": round(shared / n_in, 3) if n_in else 0.0,
                "loop_length_m": (
                    round(d.loop_length_m, 1) if d.loop_length_m is not None else np.nan
                ),
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
    if not rows:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in SUGGESTION_COLUMNS})
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
    return gdf[list(SUGGESTION_COLUMNS)]


def _districts(ctx: _Context, gdf: gpd.GeoDataFrame) -> list[str]:
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
