"""Patrol and traffic-check suggestions from a hotspot analysis: where, when and why.

:func:`make_plan` turns a :class:`~hotspots.engine.analysis.HotspotResult`, the incidents, the
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
:func:`hotspots.planning.schedule.allocate` and laid out as a weekly schedule.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.core.config import TIMEZONE, Filters
from hotspots.core.errors import CRSError, InputSchemaError
from hotspots.engine.select import select_incidents, select_origin
from hotspots.planning import patrol, schedule
from hotspots.planning.context import Context
from hotspots.planning.foot_patrol import foot_patrols
from hotspots.planning.model import Draft, GeographyLike, Plan, PlanOptions
from hotspots.planning.pub_check import pub_checks
from hotspots.planning.school_youth import school_visits, youth_outreach
from hotspots.planning.suggestions import suggestion_frame
from hotspots.planning.traffic_check import traffic_checks
from hotspots.spatial.crs import check_metric

if TYPE_CHECKING:
    from hotspots.engine.harm_weights import HarmWeights

__all__ = ["default_week", "make_plan", "plan_time"]

logger = logging.getLogger(__name__)


def _hotspot_frame(result: Any, crs: Any) -> gpd.GeoDataFrame:
    hot = getattr(result, "hotspots", None)
    if hot is None or len(hot) == 0:
        return gpd.GeoDataFrame({"rank": []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    if hot.crs is not None and not hot.crs.equals(crs):
        hot = hot.to_crs(crs)
    if "rank" not in hot:
        hot = hot.assign(rank=np.arange(1, len(hot) + 1))
    return hot.sort_values("rank").reset_index(drop=True)


def plan_time(now: dt.datetime | None = None) -> pd.Timestamp:
    """``now`` (default: the clock) as a local Europe/Stockholm time."""
    ts = pd.Timestamp.now(tz=TIMEZONE) if now is None else pd.Timestamp(now)
    return ts.tz_localize(TIMEZONE) if ts.tzinfo is None else ts.tz_convert(TIMEZONE)


def default_week(now: dt.datetime | None = None) -> str:
    """The ISO week after the one ``now`` falls in (``"YYYY-Www"``): what a plan is for.

    Parameters
    ----------
    now
        The moment the plan is made (default: the clock); a naive time is local.

    Examples
    --------
    >>> default_week(dt.datetime(2026, 12, 4, 15, 30)), default_week(dt.datetime(2026, 12, 28))
    ('2026-W50', '2027-W01')
    """
    y, w, _ = (plan_time(now).date() + dt.timedelta(days=7)).isocalendar()
    return f"{y}-W{w:02d}"


def make_plan(
    result: Any,
    *,
    geography: GeographyLike,
    incidents: gpd.GeoDataFrame,
    survey: gpd.GeoDataFrame | None = None,
    options: PlanOptions | None = None,
    weights: HarmWeights | None = None,
) -> Plan:
    """Turn a hotspot analysis into patrol, traffic-check and related suggestions.

    Parameters
    ----------
    result
        :class:`~hotspots.engine.analysis.HotspotResult`; its ``hotspots`` (ranked polygons, with
        ``kind`` crime/perceived) anchor the foot patrols and its ``config.filters`` select
        the incidents.
    geography
        Roads, places, water and land (:class:`~hotspots.spatial.geography.Geography`).
    incidents
        Incident frame in a metric CRS (restricted categories and coarse locations are
        dropped here).
    survey
        Survey marks; marks scoring 4-5 count as unsafe evidence.
    options
        :class:`PlanOptions`. By default only reactive incidents (reported by the public)
        enter the suggestions; the proactive ones (found by police activity) are counted
        beside each suggestion (``proactive_nearby``) and in :attr:`Plan.n_proactive`.
    weights
        Harm weights (:func:`hotspots.engine.harm_weights.load_weights`): the suggestions
        are then ranked by harm per week in their window (``harm_in_window`` and
        ``harm_per_week`` are added) instead of incidents per week. ``None`` ranks by count.

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
            msg = f"incidents: column {col!r} is missing; see hotspots.core.schema.INCIDENT_COLUMNS"
            raise InputSchemaError(msg)
    filters = getattr(getattr(result, "config", None), "filters", None)
    selected = (
        select_incidents(incidents, filters, for_density=True)
        if filters
        else (select_incidents(incidents, Filters(), for_density=True))
    )
    selected = selected.to_crs(crs) if not selected.crs.equals(crs) else selected
    # the enforcement-bias safeguard: rank on what the public reports unless told otherwise
    proactive = select_origin(selected, "proactive")
    if not opt.include_proactive:
        selected = select_origin(selected, "reactive")
    surv = survey
    if surv is not None and len(surv):
        check_metric(surv.crs, argument="survey.crs") if surv.crs.is_projected else None
        surv = surv.to_crs(crs) if not surv.crs.equals(crs) else surv
    ctx = Context(selected, surv, geography, opt, filters=filters)
    hot = _hotspot_frame(result, crs)
    made = plan_time(opt.now)
    week = opt.week or default_week(made)
    week_index = patrol.iso_week_index(week)

    drafts: list[Draft] = []
    if "foot_patrol" in opt.kinds:
        drafts += foot_patrols(ctx, hot)
    if "traffic_check" in opt.kinds:
        drafts += traffic_checks(ctx, hot, week_index)
    if "pub_check" in opt.kinds:
        drafts += pub_checks(ctx, hot)
    if "school_visit" in opt.kinds:
        drafts += school_visits(ctx, hot)
    if "youth_outreach" in opt.kinds:
        drafts += youth_outreach(ctx, hot)

    suggestions = suggestion_frame(ctx, drafts, crs, weights=weights, proactive=proactive)
    plan = Plan(
        suggestions=suggestions,
        schedule=schedule.empty_schedule(),
        week=week,
        period=(ctx.d0, ctx.d1) if ctx.d0 is not None and ctx.d1 is not None else None,
        n_incidents=len(selected),
        options=opt,
        n_proactive=len(proactive),
        weights=None if weights is None else weights.describe(),
    )
    if opt.patrol_hours_per_week is not None:
        sched = schedule.build_schedule(
            suggestions,
            hours_per_week=opt.patrol_hours_per_week,
            week=week,
            randomise=opt.randomise_order,
            seed=opt.seed,
            teams=opt.teams,
            not_before=made,
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
            n_proactive=plan.n_proactive,
            weights=plan.weights,
        )
    return plan
