"""The lägesbild's follow-up of the citizen promise, made from the tracks store.

For each ISO week of the report period (:func:`followup_weeks`) the week's plan is made again
as the lägesbild of the week before would have proposed it (:func:`week_plan`: the hotspot
window of four weeks ending the week before, the plan's kinds, ``patrol_hours_per_week``
allocated, nothing scheduled before the week's Monday), and set against what the GPS tracks
and the activity log say was delivered (:func:`~hotspots.dosage.delivery.dosage_report`).
The weeks' places are gathered by kind and place name for the map of delivered minutes, and
the place-day comparison (:func:`~hotspots.dosage.effect.patrol_effect`) runs over the
lägesbild's hotspot window (at least four weeks ending with the period) with the plans'
places as the visited candidates and the window's hotspots that no plan touched as the
comparison places.

The result is an :class:`~hotspots.est.followup.FollowUp`, attached to the lägesbild by
:func:`with_followup` (the report command and the app call it; a store without tracks leaves
the lägesbild as it is, so its report has no follow-up section).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.core.periods import Period, iso_week
from hotspots.dosage.delivery import DosageReport, dosage_report, suggestion_areas
from hotspots.dosage.effect import PatrolEffect, effect_text, patrol_effect
from hotspots.dosage.movement import load_movement
from hotspots.dosage.storage import TrackStore, open_track_store
from hotspots.dosage.visits import local_day_start_ms
from hotspots.est.followup import EFFECT_COLUMNS, PLACE_COLUMNS, FollowUp
from hotspots.est.lagesbild import Lagesbild
from hotspots.est.lagesbild_periods import hotspot_config, hotspot_window
from hotspots.forecast.analysis import run_analysis
from hotspots.planning import PlanOptions, make_plan
from hotspots.planning.model import Plan
from hotspots.store import StoreRef, open_store

__all__ = [
    "DEFAULT_PATROL_HOURS",
    "MAX_WEEKS",
    "WeekDelivery",
    "followup_places",
    "followup_weeks",
    "lagesbild_followup",
    "week_deliveries",
    "week_plan",
    "with_followup",
]

logger = logging.getLogger(__name__)

#: Patrol hours per week each week's plan allocates unless told otherwise (as the app's plan
#: page starts with).
DEFAULT_PATROL_HOURS = 10.0
#: Most weeks followed up (the last ones of a longer period).
MAX_WEEKS = 13


def followup_weeks(period: Period, *, max_weeks: int = MAX_WEEKS) -> list[Period]:
    """The ISO weeks with at least four days in ``period`` (the last ``max_weeks`` of them).

    A week period is its week; a month is the weeks whose Thursday falls in it (as ISO
    numbers the weeks of a year).
    """
    monday = period.start - dt.timedelta(days=period.start.weekday())
    weeks = []
    while monday < period.end:
        inside = sum(period.start <= monday + dt.timedelta(days=k) < period.end for k in range(7))
        if inside >= 4:
            y, w, _ = monday.isocalendar()
            weeks.append(iso_week(y, w))
        monday += dt.timedelta(days=7)
    return weeks[-max_weeks:]


def week_plan(
    week: Period,
    incidents: gpd.GeoDataFrame,
    *,
    geography: Any,
    survey: gpd.GeoDataFrame | None,
    config: AnalysisConfig | None,
    patrol_hours_per_week: float | None,
    lang: str = "sv",
) -> Plan:
    """The plan the lägesbild of the week before ``week`` proposed for it.

    The hotspot analysis runs over the four weeks ending the week before (the lägesbild's
    hotspot window), and the plan allocates ``patrol_hours_per_week`` from the week's Monday.

    Raises
    ------
    InsufficientDataError
        When the window has too few incidents for an analysis.
    InputSchemaError
        When no plan can be made (e.g. no geography).
    """
    before = week.start - dt.timedelta(days=7)
    y, w, _ = before.isocalendar()
    window = hotspot_window(iso_week(y, w))
    result = run_analysis(
        incidents, config=hotspot_config(window, base=config), geography=geography, survey=survey
    )
    options = PlanOptions(
        week=week.label,
        lang=lang,  # type: ignore[arg-type]
        patrol_hours_per_week=patrol_hours_per_week,
        now=dt.datetime.combine(week.start, dt.time()),
    )
    return make_plan(
        result, geography=geography, incidents=incidents, survey=survey, options=options
    )


@dataclasses.dataclass(frozen=True)
class WeekDelivery:
    """One week's plan against what was delivered.

    Attributes
    ----------
    week
        The week.
    suggestions
        The week's plan (suggestions with ``allocated_minutes``), metres.
    areas
        Suggestion id -> the area where presence counts.
    report
        Planned against delivered.
    tracked
        Whether any stop, passage or activity line fell in the week.
    """

    week: Period
    suggestions: gpd.GeoDataFrame
    areas: dict[str, BaseGeometry]
    report: DosageReport
    tracked: bool


def week_deliveries(
    weeks: list[Period],
    tracks: TrackStore,
    incidents: gpd.GeoDataFrame,
    *,
    geography: Any,
    survey: gpd.GeoDataFrame | None = None,
    config: AnalysisConfig | None = None,
    patrol_hours_per_week: float | None = DEFAULT_PATROL_HOURS,
    lang: str = "sv",
) -> tuple[list[WeekDelivery], list[str]]:
    """Each week's plan against its tracks and activity log; weeks without a plan noted.

    Returns
    -------
    tuple
        The weeks with a plan, and ``no_plan:<week>`` notes for the others.
    """
    out: list[WeekDelivery] = []
    notes: list[str] = []
    for week in weeks:
        try:
            plan = week_plan(
                week,
                incidents,
                geography=geography,
                survey=survey,
                config=config,
                patrol_hours_per_week=patrol_hours_per_week,
                lang=lang,
            )
        except (InsufficientDataError, InputSchemaError) as exc:
            logger.info("no plan for %s: %s", week.label, exc)
            notes.append(f"no_plan:{week.label}")
            continue
        suggestions = plan.suggestions
        areas = suggestion_areas(suggestions)
        start_ms, end_ms = local_day_start_ms(week.start), local_day_start_ms(week.end)
        movement = load_movement(tracks, areas, start_ms=start_ms, end_ms=end_ms)
        activities = tracks.activities(start_ms=start_ms, end_ms=end_ms)
        report = dosage_report(
            suggestions,
            movement,
            week=week.label,
            activities=activities,
            schedule=plan.schedule if len(plan.schedule) else None,
        )
        tracked = bool(len(movement.stops) or len(movement.passages) or len(activities))
        out.append(WeekDelivery(week, suggestions, areas, report, tracked))
    return out, notes


def followup_places(deliveries: list[WeekDelivery], crs: Any) -> gpd.GeoDataFrame:
    """The weeks' suggestions by kind and place name: areas joined, minutes added up.

    Only places where time was planned or anything was delivered; numbered (``label``) by
    delivered minutes, most first. Columns :data:`~hotspots.est.followup.PLACE_COLUMNS` and
    ``geometry`` (metres, ``crs``).
    """
    rows = []
    for d in deliveries:
        table = d.report.table
        for r in table.itertuples(index=False):
            area = d.areas.get(str(r.id))
            if area is None:
                continue
            rows.append(
                {
                    "kind": str(r.kind),
                    "place": str(r.place),
                    "week": d.week.label,
                    "planned_minutes": float(r.planned_minutes),
                    "delivered_minutes": float(r.delivered_minutes),
                    "tracked_minutes": float(r.tracked_minutes),
                    "logged_minutes": float(r.logged_minutes),
                    "visits": int(r.visits),
                    "koper_visits": int(r.koper_visits),
                    "drive_throughs": int(r.drive_throughs),
                    "geometry": area,
                }
            )
    columns = [*PLACE_COLUMNS, "geometry"]
    if not rows:
        return gpd.GeoDataFrame(
            {c: pd.Series(dtype=object) for c in PLACE_COLUMNS},
            geometry=gpd.GeoSeries([], crs=crs),
            crs=crs,
        )[columns]
    frame = pd.DataFrame(rows)
    groups = []
    # a place counts when time was planned there or anything was delivered
    planned_any = frame.groupby(["kind", "place"], sort=False)["planned_minutes"].transform(
        lambda v: bool((v.fillna(0) > 0).any())
    )
    done_any = (
        frame.groupby(["kind", "place"], sort=False)[["delivered_minutes", "visits"]]
        .transform("sum")
        .sum(axis=1)
        > 0
    )
    frame = frame[planned_any.astype(bool) | done_any]
    for (kind, place), part in frame.groupby(["kind", "place"], sort=False):
        planned = part["planned_minutes"].sum(min_count=1)
        delivered = float(part["delivered_minutes"].sum())
        groups.append(
            {
                "kind": kind,
                "place": place,
                "weeks": int(part["week"].nunique()),
                "planned_minutes": float(planned),
                "delivered_minutes": round(delivered, 1),
                "tracked_minutes": round(float(part["tracked_minutes"].sum()), 1),
                "logged_minutes": round(float(part["logged_minutes"].sum()), 1),
                "share_delivered": (
                    round(delivered / planned, 3)
                    if np.isfinite(planned) and planned > 0
                    else np.nan
                ),
                "visits": int(part["visits"].sum()),
                "koper_visits": int(part["koper_visits"].sum()),
                "drive_throughs": int(part["drive_throughs"].sum()),
                "geometry": shapely.union_all(list(part["geometry"])),
            }
        )
    if not groups:
        return followup_places([], crs)
    out = gpd.GeoDataFrame(pd.DataFrame(groups), geometry="geometry", crs=crs)
    out = out.sort_values(
        ["delivered_minutes", "planned_minutes"], ascending=False, kind="stable"
    ).reset_index(drop=True)
    out["label"] = [str(k + 1) for k in range(len(out))]
    return out[columns]


def _effect_rows(effect: PatrolEffect) -> pd.DataFrame:
    rows = []
    for where, est in (("place", effect.place), ("buffer", effect.buffer)):
        if est is None:
            continue
        rows.append(
            {
                "where": where,
                "observed_mean": est.observed_mean,
                "counterfactual_mean": est.counterfactual_mean,
                "estimate": est.estimate,
                "low": est.low,
                "high": est.high,
                "relative": est.relative,
                "visit_days": est.visit_days,
                "other_days": est.other_days,
                "places": est.places,
                "incidents": est.incidents,
            }
        )
    return pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))


def lagesbild_followup(
    lb: Lagesbild,
    tracks: TrackStore,
    incidents: gpd.GeoDataFrame,
    *,
    survey: gpd.GeoDataFrame | None = None,
    config: AnalysisConfig | None = None,
    patrol_hours_per_week: float | None = DEFAULT_PATROL_HOURS,
    buffer_m: float = 250.0,
    n_boot: int = 999,
    seed: int = 0,
    max_weeks: int = MAX_WEEKS,
) -> FollowUp:
    """Promised against delivered for the weeks of ``lb``'s period, and the effect.

    Parameters
    ----------
    lb
        The lägesbild (its period, geography, hotspot window, analysis, language, privacy).
    tracks
        The tracks store.
    incidents
        Every incident (metric CRS; restricted categories are dropped by the analysis and
        the effect).
    survey
        Survey marks for the plans, or ``None``.
    config
        Analysis options of the plans' hotspot maps (as the lägesbild's).
    patrol_hours_per_week
        Hours each week's plan allocates (``None``: the plans allocate no minutes and only
        visits are compared).
    buffer_m
        Width of the surroundings in the effect comparison, metres.
    n_boot, seed
        Bootstrap resamples of the effect intervals, and their seed.
    max_weeks
        Most weeks followed up (the period's last).

    Returns
    -------
    FollowUp
        Public profile: without places.

    Raises
    ------
    InputSchemaError
        When the lägesbild has no geography (plans need one).
    """
    if lb.geography is None:
        msg = "the follow-up needs the lägesbild's geography (the plans are made on it)"
        raise InputSchemaError(msg)
    crs = lb.geography.crs
    if incidents.crs is not None and not incidents.crs.equals(crs):
        incidents = incidents.to_crs(crs)
    marks = survey.to_crs(crs) if survey is not None and len(survey) else None
    weeks = followup_weeks(lb.period, max_weeks=max_weeks)
    notes: list[str] = []
    if len(followup_weeks(lb.period, max_weeks=10_000)) > len(weeks):
        notes.append("weeks_capped")
    deliveries, missing = week_deliveries(
        weeks,
        tracks,
        incidents,
        geography=lb.geography,
        survey=marks,
        config=config,
        patrol_hours_per_week=patrol_hours_per_week,
        lang=lb.lang,
    )
    notes += missing
    for d in deliveries:
        notes += [n for n in d.report.notes if n not in notes]
    places = followup_places(deliveries, crs)
    tracked = any(d.tracked for d in deliveries)
    effect_frame = None
    text: tuple[str, ...] = ()
    window: tuple[dt.date, dt.date] | None = None
    alpha = 0.05
    if len(places) and tracked:
        effect = _effect(lb, tracks, incidents, places, buffer_m=buffer_m, n_boot=n_boot, seed=seed)
        effect_frame = _effect_rows(effect)
        text = tuple(effect_text(effect, lb.lang))
        window = (effect.start, effect.end)
        alpha = effect.alpha
    follow = FollowUp.from_weeks(
        {d.week.label: d.report.by_kind for d in deliveries},
        totals={d.week.label: d.report.total for d in deliveries},
        places=places,
        effect=effect_frame,
        effect_text=text,
        effect_window=window,
        buffer_m=buffer_m,
        alpha=alpha,
        patrol_hours_per_week=patrol_hours_per_week,
        tracked=tracked,
        notes=tuple(notes),
    )
    return follow.public() if lb.privacy == "public" else follow


def _effect(
    lb: Lagesbild,
    tracks: TrackStore,
    incidents: gpd.GeoDataFrame,
    places: gpd.GeoDataFrame,
    *,
    buffer_m: float,
    n_boot: int,
    seed: int,
) -> PatrolEffect:
    """Place-days with and without a visit over the hotspot window, hotspots as controls."""
    candidates: dict[str, BaseGeometry] = {
        f"P{label}": geom for label, geom in zip(places["label"], places.geometry, strict=True)
    }
    visited = shapely.union_all(list(candidates.values()))
    hot = getattr(lb.analysis, "hotspots", None)
    if hot is not None and len(hot):
        crime = hot[hot["kind"].astype(str) == "crime"] if "kind" in hot else hot
        for rank, geom in zip(
            crime.get("rank", range(1, len(crime) + 1)), crime.geometry, strict=True
        ):
            if geom is not None and not geom.is_empty and not geom.intersects(visited):
                candidates[f"H{int(rank)}"] = geom
    window = lb.hotspot_window
    movement = load_movement(
        tracks,
        candidates,
        start_ms=local_day_start_ms(window.start),
        end_ms=local_day_start_ms(window.end),
    )
    return patrol_effect(
        incidents,
        candidates,
        movement.visits,
        start=window.start,
        end=window.end,
        rng=np.random.default_rng(seed),
        buffer_m=buffer_m,
        n_boot=n_boot,
    )


def with_followup(
    lb: Lagesbild,
    store: StoreRef,
    *,
    tracks_db: Any | None = None,
    incidents: gpd.GeoDataFrame | None = None,
    survey: gpd.GeoDataFrame | None = None,
    config: AnalysisConfig | None = None,
    patrol_hours_per_week: float | None = DEFAULT_PATROL_HOURS,
    n_boot: int = 999,
    seed: int = 0,
) -> Lagesbild:
    """``lb`` with its follow-up, when the store has tracks or an activity log.

    Parameters
    ----------
    lb
        The lägesbild.
    store
        The store (GeoPackage path, ``postgresql://`` URL or a store); its tracks store is
        found by :func:`~hotspots.dosage.storage.open_track_store`.
    tracks_db
        ``--tracks-db``: a tracks GeoPackage instead of the store's.
    incidents, survey
        The store's incidents and survey marks (read from it when ``None``).
    config, patrol_hours_per_week, n_boot, seed
        As for :func:`lagesbild_followup`.

    Returns
    -------
    Lagesbild
        With :attr:`~hotspots.est.lagesbild.Lagesbild.followup` set, or ``lb`` itself when
        there are no tracks.
    """
    ref = (
        store
        if isinstance(store, str)
        else getattr(store, "url", None) or getattr(store, "path", store)
    )
    tracks = open_track_store(ref, tracks_db=tracks_db)
    if not tracks.exists():
        return lb
    st = open_store(store)
    if incidents is None:
        incidents = st.incidents()
    if survey is None:
        marks = st.survey()
        survey = marks if len(marks) else None
    follow = lagesbild_followup(
        lb,
        tracks,
        incidents,
        survey=survey,
        config=config,
        patrol_hours_per_week=patrol_hours_per_week,
        n_boot=n_boot,
        seed=seed,
    )
    return dataclasses.replace(lb, followup=follow)
