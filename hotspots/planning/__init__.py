"""Patrol planning: suggestions by kind, walking loops and the weekly schedule.

:func:`make_plan` (:mod:`~hotspots.planning.plan`) turns a hotspot analysis into suggestions
of five kinds, one module each: :mod:`~hotspots.planning.foot_patrol`,
:mod:`~hotspots.planning.traffic_check`, :mod:`~hotspots.planning.pub_check` and
:mod:`~hotspots.planning.school_youth` (school visits and youth outreach, ranked by
:mod:`~hotspots.planning.places`). They share :mod:`~hotspots.planning.model` (options, the
plan) and :mod:`~hotspots.planning.context` (the prepared inputs);
:mod:`~hotspots.planning.reasons` writes each reason and
:mod:`~hotspots.planning.suggestions` the ranked table. :mod:`~hotspots.planning.patrol`
holds the time and walking geometry, :mod:`~hotspots.planning.schedule` the weekly schedule
(placed in time by :mod:`~hotspots.planning.layout`: never in the past, one place per team),
and :mod:`~hotspots.planning.tables` the plan's tables in words of the interface language.

The names of the former ``hotspots.planning`` are re-exported here.
"""

from __future__ import annotations

from hotspots.planning.foot_patrol import FOOT_CATEGORIES
from hotspots.planning.model import (
    KINDS,
    MARK_REASON_LABELS,
    MARK_WEIGHT_PER_WEEK,
    MAX_VISITS_PER_DAY,
    REASON_CATEGORIES,
    SUGGESTION_COLUMNS,
    SURVEY_WINDOWS,
    UNSAFE_MIN,
    GeographyLike,
    Kind,
    Plan,
    PlanOptions,
)
from hotspots.planning.plan import default_week, make_plan
from hotspots.planning.pub_check import NIGHT, PUB_CATEGORIES
from hotspots.planning.reasons import days_text
from hotspots.planning.school_youth import EVENING, SCHOOL_DAYS, SCHOOL_HOURS, YOUTH_CATEGORIES
from hotspots.planning.traffic_check import ROAD_FACTOR, TRAFFIC_CATEGORIES

__all__ = [
    "EVENING",
    "FOOT_CATEGORIES",
    "KINDS",
    "MARK_REASON_LABELS",
    "MARK_WEIGHT_PER_WEEK",
    "MAX_VISITS_PER_DAY",
    "NIGHT",
    "PUB_CATEGORIES",
    "REASON_CATEGORIES",
    "ROAD_FACTOR",
    "SCHOOL_DAYS",
    "SCHOOL_HOURS",
    "SUGGESTION_COLUMNS",
    "SURVEY_WINDOWS",
    "TRAFFIC_CATEGORIES",
    "UNSAFE_MIN",
    "YOUTH_CATEGORIES",
    "GeographyLike",
    "Kind",
    "Plan",
    "PlanOptions",
    "days_text",
    "default_week",
    "make_plan",
]
