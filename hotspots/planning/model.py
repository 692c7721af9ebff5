"""The planner's common model: suggestion kinds, options, the plan, a suggestion in the making."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import HourWindow
from hotspots.core.errors import InputSchemaError
from hotspots.planning import patrol

__all__ = [
    "KINDS",
    "MARK_REASON_LABELS",
    "MARK_WEIGHT_PER_WEEK",
    "MAX_VISITS_PER_DAY",
    "REASON_CATEGORIES",
    "SUGGESTION_COLUMNS",
    "SURVEY_WINDOWS",
    "UNSAFE_MIN",
    "Draft",
    "GeographyLike",
    "Kind",
    "Plan",
    "PlanOptions",
]


Kind = Literal["foot_patrol", "traffic_check", "pub_check", "youth_outreach", "school_visit"]


KINDS: tuple[str, ...] = (
    "foot_patrol",
    "traffic_check",
    "pub_check",
    "youth_outreach",
    "school_visit",
)


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
    "proactive_nearby",
    "loop_length_m",
    "walk_minutes",
    "loop_path",
    "road_class",
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
    """What the planner needs of :class:`hotspots.spatial.geography.Geography`."""

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
        sites and the dates of the schedule); ``None`` = the ISO week after ``now``'s.
    teams
        Patrols on duty at once: the schedule gives each visit a team and no team is in two
        places at once (1 = no two visits overlap).
    now
        The moment the plan is made (default: the clock): no visit of the schedule starts
        before it. A naive time is local (Europe/Stockholm).
    lang
        Language of the schedule page, ``"sv"`` or ``"en"`` (both reasons are always made).
    kinds
        Suggestion kinds to make.
    include_proactive
        Rank on every incident. By default (``False``) the suggestions are computed on
        *reactive* incidents only (reported by the public), leaving out the *proactive*
        ones the police find themselves (drug possession, drink-driving found in checks,
        weapons found in searches: :mod:`hotspots.core.taxonomy`), which follow where the
        police already are and would send patrols back there; each suggestion counts the
        proactive incidents in its catchment beside its ranking (``proactive_nearby``).
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
    teams: int = 1
    now: dt.datetime | None = None
    lang: Literal["sv", "en"] = "sv"
    kinds: tuple[str, ...] = KINDS
    include_proactive: bool = False
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
        if isinstance(self.teams, bool) or not isinstance(self.teams, int) or self.teams < 1:
            msg = f"--teams: must be a whole number of patrols, 1 or more (got {self.teams!r})"
            raise InputSchemaError(msg)
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
        ``minutes``, ``suggestion``, ``route``, ``district``, ``hours`` and ``team`` (1 to
        ``options.teams``). Empty without ``patrol_hours_per_week``.
    week
        ISO week of the plan, ``"YYYY-Www"``.
    period
        First and last date of the incidents behind the plan.
    n_incidents
        Number of selected incidents behind the plan (reactive ones only, unless
        ``options.include_proactive``).
    options
        The options used.
    n_proactive
        Number of selected proactive incidents (found by police activity), shown beside
        the plan; left out of its ranking unless ``options.include_proactive``.
    weights
        Description of the harm weights the suggestions are ranked by
        (:meth:`hotspots.engine.harm_weights.HarmWeights.describe`), or ``None`` for counts.
    """

    suggestions: gpd.GeoDataFrame
    schedule: pd.DataFrame
    week: str
    period: tuple[dt.date, dt.date] | None
    n_incidents: int
    options: PlanOptions = field(default_factory=PlanOptions)
    n_proactive: int = 0
    weights: dict[str, Any] | None = None


@dataclass
class Draft:
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
    walk_minutes: float | None = None  # walking time of a loop, minutes
    loop_path: str = ""  # a loop's line: "streets" (routed) or "straight"; "" for no loop
    road_class: str = ""  # a traffic check's road: its kind (primary, secondary, street)
    side_m: float | None = None  # a traffic check's nearest side street or lay-by, metres
