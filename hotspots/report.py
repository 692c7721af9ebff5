"""The EST lägesbild: the meeting's situational picture as a data structure, a PDF and HTML.

:func:`build_lagesbild` composes the pure parts (period comparison, hotspot analysis, planner,
emerging hotspots, actions log and effect follow-up, survey summary) into a :class:`Lagesbild`
with the privacy profile applied; :func:`render_pdf` and :func:`render_html` turn it into bytes
(a multi-page A4 PDF drawn with matplotlib, and one self-contained HTML page in which every
text is escaped). Swedish by default, English with ``lang="en"``.

Sections, in order: cover (period and parameters); summary per problem area, category and
district with changes and significance; map of hotspots and suggestions; emerging hotspots;
top places with time windows and proposed actions; open actions, due follow-ups and effect
follow-up; perceived unsafety from the survey.

Privacy: ``internal`` (default) shows everything except restricted categories on places;
``public`` drops restricted categories entirely, suppresses counts below 5, shows no incident
points, no planner suggestions, and actions only as district, kind and status.

Windows: the hotspot map and top places use the *hotspot window*, four complete weeks ending
with the report period (or the period itself when it is at least 28 days long), so one quiet
or busy week does not redraw the map; the emerging analysis uses the 12 weeks ending with the
period's last ISO week.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import logging
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots._errors import InputSchemaError, InsufficientDataError
from hotspots.actions import closed_on, due_follow_ups, open_actions, problem_label
from hotspots.compare import Comparison, compare_periods, verdict_text
from hotspots.config import AnalysisConfig, Filters
from hotspots.effect import evaluate_effect, interpretation_text
from hotspots.emerging import EmergingResult, class_label, emerging_hotspots
from hotspots.periods import Period, custom_period, last_complete_week, weeks4_period
from hotspots.schedule import KIND_LABELS
from hotspots.schema import TIMEZONE
from hotspots.taxonomy import PROBLEM_AREAS, codes_in_area, is_restricted, label, public_codes

if TYPE_CHECKING:
    from hotspots.geography import Geography

__all__ = [
    "Lagesbild",
    "SurveySummary",
    "build_lagesbild",
    "hotspot_config",
    "hotspot_window",
    "lagesbild_for_store",
    "render_html",
    "render_pdf",
]

logger = logging.getLogger(__name__)

Language = Literal["sv", "en"]
Privacy = Literal["internal", "public"]

#: Counts below this are suppressed in the public profile.
MIN_PUBLIC_COUNT = 5
#: Weeks of the emerging-hotspot cube.
EMERGING_WEEKS = 12
#: An action is followed up for effect when it started at least this many days before the end.
EFFECT_MIN_DAYS = 14

_REASONS: dict[str, dict[str, str]] = {
    "belysning": {"sv": "Dålig belysning", "en": "Poor lighting"},
    "grupperingar": {"sv": "Grupperingar", "en": "Groups loitering"},
    "narkotika": {"sv": "Narkotika", "en": "Drugs"},
    "alkohol": {"sv": "Alkohol", "en": "Alcohol"},
    "trafik": {"sv": "Trafik", "en": "Traffic"},
    "skadegorelse": {"sv": "Skadegörelse", "en": "Vandalism"},
    "annat": {"sv": "Annat", "en": "Other"},
}
_TIMES: dict[str, dict[str, str]] = {
    "dag": {"sv": "Dag", "en": "Day"},
    "kvall": {"sv": "Kväll", "en": "Evening"},
    "natt": {"sv": "Natt", "en": "Night"},
}
_CRIME_FEAR: dict[str, dict[str, str]] = {
    "high_crime_high_fear": {"sv": "Brott och otrygghet", "en": "Crime and fear"},
    "perceived_unsafe": {"sv": "Upplevd otrygghet", "en": "Perceived unsafety"},
    "high_crime_low_fear": {"sv": "Brott, trygg plats", "en": "Crime, felt safe"},
    "low": {"sv": "Låg", "en": "Low"},
}
_GI: dict[str, dict[str, str]] = {
    "hot_99": {"sv": "99 %", "en": "99 %"},
    "hot_95": {"sv": "95 %", "en": "95 %"},
    "hot_90": {"sv": "90 %", "en": "90 %"},
    "not_significant": {"sv": "ej sign.", "en": "n.s."},
}
_DAYS = {
    "sv": {
        "mon": "mån",
        "tue": "tis",
        "wed": "ons",
        "thu": "tor",
        "fri": "fre",
        "sat": "lör",
        "sun": "sön",
    },
    "en": {
        "mon": "Mon",
        "tue": "Tue",
        "wed": "Wed",
        "thu": "Thu",
        "fri": "Fri",
        "sat": "Sat",
        "sun": "Sun",
    },
}


def _local_now() -> dt.datetime:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    return dt.datetime.now(ZoneInfo(TIMEZONE))


def _t(sv: str, en: str, lang: Language) -> str:
    return sv if lang == "sv" else en


# ------------------------------------------------------------------------------ windows


def hotspot_window(period: Period) -> Period:
    """Window of the hotspot analysis for a report period.

    Four ISO weeks ending with an ISO-week period; the period itself when it is at least
    28 days long; else the 28 days ending with the period.
    """
    if period.kind == "week" and period.iso_year is not None and period.iso_week is not None:
        return weeks4_period(period.iso_year, period.iso_week)
    if period.days >= 28:
        return period
    return custom_period(period.end - dt.timedelta(days=28), period.end)


def hotspot_config(window: Period, *, base: AnalysisConfig | None = None) -> AnalysisConfig:
    """The analysis configuration of the report's hotspot map: ``base`` over ``window``."""
    cfg = base or AnalysisConfig()
    filters = (cfg.filters or Filters()).replace(since=window.start, until=window.end)
    return cfg.replace(filters=filters)


# ------------------------------------------------------------------------------ survey


@dataclass(frozen=True)
class SurveySummary:
    """Perceived unsafety from the survey and dialogue marks.

    Attributes
    ----------
    n_marks
        Number of marks.
    mean_unsafe
        Mean score 1-5 (5 = very unsafe).
    share_unsafe
        Share of marks scoring 4 or 5.
    first, last
        Dates of the first and last mark (``None`` when undated).
    districts
        Per district: ``district``, ``marks``, ``mean_unsafe``, ``share_unsafe``; most unsafe
        first (public: districts with fewer than 5 marks left out).
    reasons
        Reasons given with scores 4-5: ``reason``, ``label``, ``marks``.
    times
        Time of day of scores 4-5: ``time_of_day``, ``label``, ``marks``.
    perceived_places
        Perceived-unsafety hotspots (unsafe in the survey, few incidents): ``district``,
        ``marks``, ``mean_unsafe``.
    crime_fear
        Number of crime hotspots per crime × fear class.
    """

    n_marks: int
    mean_unsafe: float
    share_unsafe: float
    first: dt.date | None
    last: dt.date | None
    districts: pd.DataFrame
    reasons: pd.DataFrame
    times: pd.DataFrame
    perceived_places: pd.DataFrame
    crime_fear: dict[str, int]


def _survey_summary(
    survey: gpd.GeoDataFrame,
    *,
    geography: Geography | None,
    hotspots: gpd.GeoDataFrame | None,
    privacy: Privacy,
    lang: Language,
) -> SurveySummary:
    score = pd.to_numeric(survey["unsafe"], errors="coerce")
    high = (score >= 4).to_numpy(dtype=bool)
    dates = pd.to_datetime(survey["date"], errors="coerce") if "date" in survey else None
    first = last = None
    if dates is not None and dates.notna().any():
        first, last = dates.min().date(), dates.max().date()
    if geography is not None and len(survey):
        district = geography.district_of(survey.geometry)
    else:
        district = pd.Series(pd.NA, index=survey.index, dtype="string")
    frame = pd.DataFrame({"district": district.to_numpy(), "score": score.to_numpy(), "high": high})
    frame = frame.dropna(subset=["district"])
    by = frame.groupby("district", observed=True).agg(
        marks=("score", "size"), mean_unsafe=("score", "mean"), share_unsafe=("high", "mean")
    )
    by = by.reset_index().sort_values(["share_unsafe", "marks"], ascending=False)
    if privacy == "public":
        by = by[by["marks"] >= MIN_PUBLIC_COUNT]
    reasons = pd.DataFrame(columns=["reason", "label", "marks"])
    if "reason" in survey:
        vc = survey.loc[high, "reason"].dropna().astype(str).value_counts()
        reasons = pd.DataFrame(
            {
                "reason": vc.index,
                "label": [_REASONS.get(r, {}).get(lang, r) for r in vc.index],
                "marks": vc.to_numpy(),
            }
        )
    times = pd.DataFrame(columns=["time_of_day", "label", "marks"])
    if "time_of_day" in survey:
        vc = survey.loc[high, "time_of_day"].dropna().astype(str).value_counts()
        order = [k for k in _TIMES if k in vc.index] + [k for k in vc.index if k not in _TIMES]
        times = pd.DataFrame(
            {
                "time_of_day": order,
                "label": [_TIMES.get(k, {}).get(lang, k) for k in order],
                "marks": [int(vc[k]) for k in order],
            }
        )
    if privacy == "public":
        reasons = reasons[reasons["marks"] >= MIN_PUBLIC_COUNT]
        times = times[times["marks"] >= MIN_PUBLIC_COUNT]
    perceived = pd.DataFrame(columns=["district", "near", "marks", "mean_unsafe"])
    crime_fear: dict[str, int] = {}
    if hotspots is not None and len(hotspots):
        per = hotspots[hotspots["kind"] == "perceived"]
        perceived = pd.DataFrame(
            {
                "district": per.get("district", pd.Series(dtype=object)).to_numpy(),
                "near": [
                    _near_place(geography, g.representative_point(), within_m=400.0)
                    for g in per.geometry
                ],
                "marks": pd.to_numeric(per.get("survey_marks"), errors="coerce").to_numpy(),
                "mean_unsafe": pd.to_numeric(per.get("mean_unsafe"), errors="coerce").to_numpy(),
            }
        ).sort_values("marks", ascending=False)
        if privacy == "public":
            perceived = perceived[perceived["marks"].fillna(0) >= MIN_PUBLIC_COUNT]
        crime = hotspots[hotspots["kind"] == "crime"].sort_values("rank").head(10)
        if "crime_fear" in crime:
            vc = crime["crime_fear"].dropna().astype(str).value_counts()
            crime_fear = {k: int(vc[k]) for k in _CRIME_FEAR if k in vc.index}
    return SurveySummary(
        n_marks=len(survey),
        mean_unsafe=float(score.mean()) if len(survey) else math.nan,
        share_unsafe=float(high.mean()) if len(survey) else math.nan,
        first=first,
        last=last,
        districts=by.reset_index(drop=True),
        reasons=reasons.reset_index(drop=True),
        times=times.reset_index(drop=True),
        perceived_places=perceived.reset_index(drop=True),
        crime_fear=crime_fear,
    )


# ------------------------------------------------------------------------------ the picture


@dataclass(frozen=True)
class Lagesbild:
    """Everything the EST report shows, with the privacy profile already applied.

    Attributes
    ----------
    period
        The report period.
    lang, privacy
        Language (``sv``/``en``) and privacy profile (``internal``/``public``).
    generated_at
        When the picture was built (local time).
    data_version
        The store's data version, when known.
    parameters
        Everything needed to reproduce the picture (windows, analysis and emerging
        parameters, alpha, privacy).
    comparison
        Counts and change tests (public: restricted rows dropped, small counts suppressed).
    hotspot_window
        The window of the hotspot analysis (see :func:`hotspot_window`).
    map_content
        The privacy-filtered map content (:class:`hotspots.export.privacy.MapContent`), or
        ``None`` when there were too few incidents for a hotspot analysis.
    top_places
        The top crime hotspots: ``rank``, ``district``, ``incidents`` (window),
        ``in_period``, ``categories``, ``window``, ``days``, ``significance``, ``crime_fear``,
        ``proposals`` (planner suggestions; internal only), ``geometry``.
    emerging
        The emerging-hotspot result, or ``None`` when it could not be computed.
    emerging_table
        The cells with a pattern, most urgent first: ``cls``, ``label``, ``district``,
        ``near``, ``incidents``, ``last_week``, ``hot_weeks``, ``trend``.
    actions_open, follow_ups
        Open actions and follow-ups due within a week of the period's end (public: only
        ``district``, ``action``, ``actor``, ``status``).
    effects
        Effect follow-up of started actions: ``id``, ``place``, ``action``, the six counts,
        ``wdq``, ``interpretation``, ``warnings``.
    survey
        The survey summary, or ``None`` without survey marks.
    geography
        The base layers used for the maps (or ``None``).
    action_points
        Action locations for the map (internal only, else ``None``).
    notes
        Remarks for the reader (e.g. why a section is empty).
    """

    period: Period
    lang: Language
    privacy: Privacy
    generated_at: dt.datetime
    data_version: str | None
    parameters: dict[str, Any]
    comparison: Comparison
    hotspot_window: Period
    map_content: Any | None
    top_places: gpd.GeoDataFrame
    emerging: EmergingResult | None
    emerging_table: pd.DataFrame
    actions_open: pd.DataFrame
    follow_ups: pd.DataFrame
    effects: pd.DataFrame
    survey: SurveySummary | None
    geography: Any | None
    action_points: gpd.GeoDataFrame | None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def title(self) -> str:
        """Title of the report."""
        return _t("Lägesbild EST", "EST situational picture", self.lang)


def _top_places(
    result: Any,
    plan: Any | None,
    *,
    period: Period,
    incidents: gpd.GeoDataFrame,
    privacy: Privacy,
    lang: Language,
    top_n: int,
) -> gpd.GeoDataFrame:
    hot = result.hotspots
    hot = hot[hot["kind"] == "crime"].sort_values("rank").head(top_n)
    inside_period = incidents[period.contains(incidents["occurred_at"]).to_numpy(dtype=bool)]
    inside_period = inside_period[inside_period["category"].isin(public_codes())]
    rows = []
    for _, h in hot.iterrows():
        cats = []
        for item in h.get("top_categories") or []:
            code = str(item.get("code", "")) if isinstance(item, dict) else str(item)
            if not code or is_restricted(code):
                continue
            n = item.get("count") if isinstance(item, dict) else None
            text = label(code, lang)
            if n is not None and privacy == "internal":
                text += f" {round(float(n))}"
            cats.append(text)
        in_period = int(inside_period.geometry.within(h.geometry).sum())
        days = ", ".join(_DAYS[lang].get(str(d), str(d)) for d in (h.get("peak_weekdays") or []))
        proposals: list[str] = []
        if plan is not None and privacy == "internal" and len(plan.suggestions):
            sug = plan.suggestions[plan.suggestions["hotspot_rank"] == h["rank"]]
            for _, s in sug.sort_values("rank").head(3).iterrows():
                kind = KIND_LABELS.get(str(s["kind"]), {}).get(lang, str(s["kind"]))
                sdays = ", ".join(_DAYS[lang].get(str(d), str(d)) for d in s["weekdays"])
                proposals.append(f"{kind} {sdays} {s['hours']} ({s['place']})")
        incidents_n = float(h["incidents"]) if pd.notna(h["incidents"]) else math.nan
        rows.append(
            {
                "rank": int(h["rank"]),
                "district": h.get("district") if isinstance(h.get("district"), str) else "",
                "incidents": incidents_n,
                "in_period": in_period,
                "categories": ", ".join(cats[:3]),
                "window": str(h.get("peak_window") or ""),
                "days": days,
                "significance": _GI.get(str(h.get("gi_class")), {}).get(lang, ""),
                "crime_fear": _CRIME_FEAR.get(str(h.get("crime_fear")), {}).get(lang, ""),
                "proposals": proposals,
                "geometry": h.geometry,
            }
        )
    frame = gpd.GeoDataFrame(
        pd.DataFrame(
            rows,
            columns=[
                "rank",
                "district",
                "incidents",
                "in_period",
                "categories",
                "window",
                "days",
                "significance",
                "crime_fear",
                "proposals",
                "geometry",
            ],
        ),
        geometry="geometry",
        crs=hot.crs,
    )
    if privacy == "public":
        for col in ("incidents", "in_period"):
            vals = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
            frame[col] = vals.mask(vals < MIN_PUBLIC_COUNT)
    return frame


def _near_place(geography: Any | None, point: Any, *, within_m: float = 300.0) -> str:
    if geography is None or not len(geography.places):
        return ""
    d = geography.places.geometry.distance(point)
    i = int(np.argmin(d.to_numpy()))
    return str(geography.places["name"].iloc[i]) if d.iloc[i] <= within_m else ""


_EMERGING_COLUMNS = ["cls", "label", "district", "near", "cells", "incidents", "last_week",
                     "hot_weeks", "trend"]  # fmt: skip


def _emerging_table(
    em: EmergingResult, *, geography: Any | None, privacy: Privacy, lang: Language
) -> pd.DataFrame:
    """Cells with a pattern grouped by class and district, most urgent class first.

    ``trend`` is the Mann-Kendall trend of the group's summed weekly counts.
    """
    from hotspots.emerging import CLASSES, mann_kendall  # noqa: PLC0415

    cells = em.cells
    if cells.empty:
        return pd.DataFrame(columns=_EMERGING_COLUMNS)
    centres = gpd.GeoSeries(cells.geometry.centroid, crs=cells.crs)
    if geography is not None:
        district = geography.district_of(centres).fillna("").astype(str)
    else:
        district = pd.Series("", index=cells.index)
    row, col, _ = em.grid.index(centres.x.to_numpy(), centres.y.to_numpy())
    frame = cells.assign(district=district.to_numpy(), _row=row, _col=col)
    rows = []
    alpha = float(em.parameters["alpha"])
    for (cls, dist), grp in frame.groupby(["cls", "district"], sort=False):
        series = em.counts[:, grp["_row"].to_numpy(), grp["_col"].to_numpy()].sum(axis=1)
        mk = mann_kendall(series, alpha=alpha)
        trend = {
            "increasing": _t("ökar", "rising", lang),
            "decreasing": _t("minskar", "falling", lang),
        }.get(mk.trend, _t("ingen trend", "no trend", lang))
        top = grp.sort_values("incidents", ascending=False).iloc[0]
        rows.append(
            {
                "cls": cls,
                "label": class_label(str(cls), lang),
                "district": dist,
                "near": _near_place(geography, top.geometry.centroid),
                "cells": len(grp),
                "incidents": float(grp["incidents"].sum()),
                "last_week": float(grp["last_week"].sum()),
                "hot_weeks": int(grp["hot_weeks"].max()),
                "trend": trend,
            }
        )
    out = pd.DataFrame(rows, columns=_EMERGING_COLUMNS)
    order = {c: i for i, c in enumerate(CLASSES)}
    out = out.assign(_o=out["cls"].map(order)).sort_values(
        ["_o", "incidents"], ascending=[True, False]
    )
    out = out.drop(columns="_o").reset_index(drop=True)
    for c in ("incidents", "last_week"):
        out[c] = out[c].astype("Float64")
        if privacy == "public":
            out[c] = out[c].mask(out[c] < MIN_PUBLIC_COUNT)
    return out


def _effects(
    actions: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    *,
    period: Period,
    geography: Any | None,
    lang: Language,
) -> pd.DataFrame:
    columns = [
        "id",
        "place",
        "action",
        "date",
        "a_before",
        "a_after",
        "b_before",
        "b_after",
        "c_before",
        "c_after",
        "wdq",
        "interpretation",
        "warnings",
    ]
    rows: list[dict[str, Any]] = []
    if actions.empty or geography is None:
        return pd.DataFrame(rows, columns=columns)
    limit = (period.end - dt.timedelta(days=EFFECT_MIN_DAYS)).isoformat()
    started = actions[
        actions["status"].isin(["pågår", "klar"]) & (actions["date"].fillna("9999") <= limit)
    ]
    public = incidents[incidents["category"].isin(public_codes())]
    window_start = (period.end - dt.timedelta(days=400)).isoformat()
    for _, a in started.sort_values("date").iterrows():
        if str(a["date"]) < window_start:
            continue
        problem = str(a["problem"])
        codes = codes_in_area(problem) if problem in PROBLEM_AREAS else (problem,)
        if problem == "other":
            codes = tuple(public_codes())
        sel = public[public["category"].isin(codes)]
        place = a.geometry
        if a["place_kind"] == "district" and len(geography.districts):
            match = geography.districts[geography.districts["name"] == a["place_ref"]]
            if len(match):
                place = match.geometry.iloc[0]
        try:
            res = evaluate_effect(
                sel.to_crs(geography.crs),
                place=place,
                action_date=dt.date.fromisoformat(str(a["date"])),
                study_area=geography.land,
                data_end=period.end,
            )
        except (InputSchemaError, InsufficientDataError) as exc:
            logger.info("no effect follow-up for %s: %s", a["id"], exc)
            continue
        w = res.wdq
        rows.append(
            {
                "id": a["id"],
                "place": a["place_ref"],
                "action": a["action"],
                "date": a["date"],
                "a_before": w.a_before,
                "a_after": w.a_after,
                "b_before": w.b_before,
                "b_after": w.b_after,
                "c_before": w.c_before,
                "c_after": w.c_after,
                "wdq": w.wdq,
                "interpretation": interpretation_text(w.interpretation, lang),
                "warnings": "; ".join(
                    dict.fromkeys(
                        interpretation_text(x, lang)
                        if x != "too_early"
                        else _t("Kort tid efter åtgärden", "Short time since the action", lang)
                        for x in res.warnings
                    )
                ),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def build_lagesbild(
    incidents: gpd.GeoDataFrame,
    *,
    period: Period,
    geography: Geography | None,
    survey: gpd.GeoDataFrame | None = None,
    actions: gpd.GeoDataFrame | None = None,
    config: AnalysisConfig | None = None,
    privacy: Privacy = "internal",
    lang: Language = "sv",
    top_n: int = 5,
    emerging_weeks: int = EMERGING_WEEKS,
    data_version: str | None = None,
    generated_at: dt.datetime | None = None,
) -> Lagesbild:
    """Build the lägesbild for ``period`` (pure: no file I/O).

    Parameters
    ----------
    incidents
        Every incident (restricted categories included: they are counted in the internal
        tables only), metric CRS.
    period
        The report period (see :mod:`hotspots.periods`).
    geography
        Base layers (districts, land, places); ``None`` leaves out districts and maps' base.
    survey
        Survey marks, or ``None``.
    actions
        The actions log (see :mod:`hotspots.actions`), or ``None``.
    config
        Analysis options of the hotspot map (its period filter is replaced by the hotspot
        window); default :class:`~hotspots.config.AnalysisConfig`.
    privacy
        ``"internal"`` or ``"public"``.
    lang
        ``"sv"`` or ``"en"``.
    top_n
        Number of top places.
    emerging_weeks
        Weeks of the emerging-hotspot cube (at least 10).
    data_version
        The store's data version, shown on the cover.
    generated_at
        Time stamp of the cover (default now).

    Returns
    -------
    Lagesbild
    """
    from hotspots.analysis import run_analysis  # noqa: PLC0415
    from hotspots.export.privacy import apply_privacy, check_profile  # noqa: PLC0415
    from hotspots.plan import PlanOptions, make_plan  # noqa: PLC0415

    check_profile(privacy)
    if lang not in ("sv", "en"):
        msg = f"--lang: {lang!r} is not a language; use sv or en"
        raise InputSchemaError(msg)
    notes: list[str] = []
    if (
        geography is not None
        and incidents.crs is not None
        and not incidents.crs.equals(geography.crs)
    ):
        incidents = incidents.to_crs(geography.crs)
    generated = generated_at or _local_now()
    if len(incidents):
        last_day = incidents["occurred_at"].max().tz_convert(TIMEZONE).date()
        if last_day < period.last_day:
            notes.append(
                _t(
                    f"OBS: underlaget slutar {last_day.isoformat()}, före periodens slut "
                    f"{period.last_day.isoformat()}; perioden är ofullständig.",
                    f"Note: the data end on {last_day.isoformat()}, before the period's end "
                    f"{period.last_day.isoformat()}; the period is incomplete.",
                    lang,
                )
            )

    # 1. Comparison tables.
    districts = None
    if geography is not None and len(incidents):
        districts = geography.district_of(incidents.geometry)
    comparison = compare_periods(incidents, period, districts=districts, lang=lang)
    if privacy == "public":
        comparison = comparison.public(min_count=MIN_PUBLIC_COUNT)

    # 2. Hotspots over the hotspot window, and the planner's suggestions for the next week.
    window = hotspot_window(period)
    cfg = hotspot_config(window, base=config)
    result = plan = None
    marks = None
    if survey is not None and len(survey):
        marks = survey.to_crs(incidents.crs) if incidents.crs is not None else survey
    try:
        result = run_analysis(incidents, config=cfg, geography=geography, survey=marks)
    except InsufficientDataError as exc:
        notes.append(_t(f"Ingen hotspotanalys: {exc}", f"No hotspot analysis: {exc}", lang))
    y, w, _ = period.end.isocalendar()
    next_week = f"{y}-W{w:02d}"
    if result is not None and geography is not None and privacy == "internal":
        try:
            plan = make_plan(
                result,
                geography=geography,
                incidents=incidents,
                survey=marks,
                options=PlanOptions(week=next_week, lang=lang),
            )
        except (InputSchemaError, InsufficientDataError) as exc:
            notes.append(_t(f"Inga förslag: {exc}", f"No suggestions: {exc}", lang))
    content = apply_privacy(result, profile=privacy, plan=plan) if result is not None else None
    top = (
        _top_places(
            result,
            plan,
            period=period,
            incidents=incidents,
            privacy=privacy,
            lang=lang,
            top_n=top_n,
        )
        if result is not None
        else gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=incidents.crs))
    )

    # 3. Emerging hotspots over the weeks ending with the period's last ISO week.
    end_week = last_complete_week(period.end_ts - pd.Timedelta(seconds=1))
    em = None
    em_table = pd.DataFrame()
    try:
        em = emerging_hotspots(
            incidents,
            end_week=end_week,
            n_weeks=emerging_weeks,
            study_area=geography.land if geography is not None else None,
            align=result.grid if result is not None else None,
        )
        em_table = _emerging_table(em, geography=geography, privacy=privacy, lang=lang)
    except (InputSchemaError, InsufficientDataError) as exc:
        notes.append(
            _t(f"Inga nya hotspots beräknade: {exc}", f"No emerging hotspots: {exc}", lang)
        )

    # 4. Actions and follow-ups.
    acts = actions if actions is not None else None
    open_a = pd.DataFrame()
    due = pd.DataFrame()
    effects = pd.DataFrame()
    points = None
    if acts is not None and len(acts):
        if (
            incidents.crs is not None
            and acts.crs is not None
            and not acts.crs.equals(incidents.crs)
        ):
            acts = acts.to_crs(incidents.crs)
        open_a = open_actions(acts)
        due = due_follow_ups(acts, on=period.last_day, horizon_days=7)
        effects = _effects(acts, incidents, period=period, geography=geography, lang=lang)
        if privacy == "internal":
            points = open_a
        else:
            open_a, due, effects = (
                _public_actions(acts, geography=geography),
                pd.DataFrame(),
                (pd.DataFrame()),
            )

    # 5. Survey.
    summary = None
    if survey is not None and len(survey):
        summary = _survey_summary(
            survey,
            geography=geography,
            hotspots=None if content is None else content.hotspots,
            privacy=privacy,
            lang=lang,
        )

    params: dict[str, Any] = {
        "period": period.label,
        "period_dates": f"{period.start.isoformat()} – {period.last_day.isoformat()}",
        "period_hours": period.hours,
        "previous": comparison.previous.label,
        "year_earlier": comparison.year_earlier.label,
        "hotspot_window": window.label,
        "alpha": comparison.alpha,
        "privacy": privacy,
        "lang": lang,
        "n_incidents_period": int(period.contains(incidents["occurred_at"]).sum()),
    }
    if result is not None:
        for key in (
            "kernel",
            "bandwidth_m",
            "cell_m",
            "coverage",
            "metric_crs",
            "study_area_km2",
            "n_incidents",
        ):
            if key in result.parameters:
                params[f"analysis_{key}"] = result.parameters[key]
    if em is not None:
        params.update({f"emerging_{k}": v for k, v in em.parameters.items()})
    if plan is not None:
        params["plan_week"] = plan.week
    return Lagesbild(
        period=period,
        lang=lang,
        privacy=privacy,
        generated_at=generated,
        data_version=data_version,
        parameters=params,
        comparison=comparison,
        hotspot_window=window,
        map_content=content,
        top_places=top,
        emerging=em,
        emerging_table=em_table,
        actions_open=open_a,
        follow_ups=due,
        effects=effects,
        survey=summary,
        geography=geography,
        action_points=points,
        notes=tuple(notes),
    )


def lagesbild_for_store(
    store: Any,
    *,
    period: Period | None = None,
    privacy: Privacy = "internal",
    lang: Language = "sv",
    config: AnalysisConfig | None = None,
    geography: Geography | None = None,
    top_n: int = 5,
) -> Lagesbild:
    """Read incidents, survey and actions from a store and build the lägesbild.

    The entry point for the app's Lägesbild page and the CLI.

    Parameters
    ----------
    store
        A :class:`hotspots.store.Store` (or the path of its GeoPackage).
    period
        The report period; default the last complete ISO week in the data.
    privacy, lang, config, top_n
        As for :func:`build_lagesbild`.
    geography
        Base layers; default the demo geography in the store's CRS.

    Raises
    ------
    InputSchemaError
        When the store does not exist.
    InsufficientDataError
        When the store has no incidents and no period is given.
    """
    from pathlib import Path  # noqa: PLC0415

    from hotspots.actions import load_actions  # noqa: PLC0415
    from hotspots.geography import default_geography  # noqa: PLC0415
    from hotspots.periods import resolve_period  # noqa: PLC0415
    from hotspots.store import Store, open_store  # noqa: PLC0415

    st = store if isinstance(store, Store) else open_store(Path(store))
    if not st.exists():
        msg = (
            f"--db: no store at {st.path}; import data with `hotspots import` "
            "or run `hotspots demo`"
        )
        raise InputSchemaError(msg)
    incidents = st.incidents()
    if period is None:
        last = incidents["occurred_at"].max() if len(incidents) else None
        period = resolve_period(last_time=last)
    crs = (config.metric_crs if config is not None else None) or st.crs or incidents.crs
    geo = geography if geography is not None else default_geography(str(crs))
    if incidents.crs is not None and not incidents.crs.equals(geo.crs):
        incidents = incidents.to_crs(geo.crs)
    survey = st.survey()
    return build_lagesbild(
        incidents,
        period=period,
        geography=geo,
        survey=survey if len(survey) else None,
        actions=load_actions(st, crs=geo.crs),
        config=config,
        privacy=privacy,
        lang=lang,
        top_n=top_n,
        data_version=st.data_version(),
    )


def _public_actions(actions: gpd.GeoDataFrame, *, geography: Any | None) -> pd.DataFrame:
    """Actions as the public may see them: ongoing and done ones by district.

    Only district, kind, actor and status: no notes, no exact place, and no planned actions
    (operational information).
    """
    keep = actions[actions["status"].isin(["pågår", "klar"])]  # planned ones are operational
    if geography is not None and len(keep):
        district = geography.district_of(keep.geometry).fillna("").astype(str).to_numpy()
    else:
        district = [""] * len(keep)
    return pd.DataFrame(
        {
            "district": district,
            "action": keep["action"].to_numpy(),
            "actor": keep["actor"].to_numpy(),
            "problem": keep["problem"].to_numpy(),
            "status": keep["status"].to_numpy(),
        }
    )


# ============================================================================== rendering
#
# Both renderers draw from the same list of sections: a section has a title, paragraphs,
# tables (header + rows of strings) and optional figures ("map" or "emerging").


@dataclass
class _Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float]  # column widths in tenths of the text width (sum 10 = full width)
    caption: str = ""
    colours: list[list[str | None]] | None = None  # text colour per cell, or None


_UP = "#b2182b"
_DOWN = "#1a7837"


def _verdict_colour(verdict: str) -> str | None:
    return {"increase": _UP, "decrease": _DOWN}.get(str(verdict))


@dataclass
class _Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    figure: str | None = None
    figure_caption: str = ""
    footnotes: list[str] = field(default_factory=list)  # paragraphs after the tables


def _num(value: Any, lang: Language, *, digits: int = 0, sign: bool = False) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or pd.isna(value):
        return "–"
    v = float(value)
    text = f"{v:+.{digits}f}" if sign else f"{v:.{digits}f}"
    if lang == "sv":
        text = text.replace(".", ",").replace("-", "−")
    return text


def _count(value: Any, lang: Language) -> str:
    if value is None or pd.isna(value):
        return "<5"
    return _num(value, lang)


def _p(value: Any, lang: Language) -> str:
    if value is None or pd.isna(value):
        return "–"
    v = float(value)
    if v < 0.001:
        return "<0,001" if lang == "sv" else "<0.001"
    return _num(v, lang, digits=3)


def _p_phrase(value: Any, lang: Language) -> str:
    text = _p(value, lang)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def _change(row: pd.Series, ref: str, lang: Language) -> str:
    pct = row.get(f"change_pct_{ref}")
    chg = row.get(f"change_{ref}")
    if chg is None or pd.isna(chg):
        return "–"
    if pct is None or pd.isna(pct):
        return _num(chg, lang, digits=0, sign=True)
    return f"{_num(chg, lang, sign=True)} ({_num(pct, lang, sign=True)} %)"


def _comparison_table(table: pd.DataFrame, lang: Language, *, first: str) -> _Table:
    headers = [
        first,
        _t("Nu", "Now", lang),
        _t("Förra", "Previous", lang),
        _t("Förändring", "Change", lang),
        "p",
        _t("Bedömning", "Verdict", lang),
        _t("Året före", "Year before", lang),
        _t("Förändring", "Change", lang),
        "p",
        _t("Bedömning", "Verdict", lang),
    ]
    rows = []
    colours: list[list[str | None]] = []
    for _, r in table.iterrows():
        rows.append(
            [
                str(r["label"] or r["key"]),
                _count(r["current"], lang),
                _count(r["previous"], lang),
                _change(r, "prev", lang),
                _p(r["p_prev"], lang),
                verdict_text(str(r["verdict_prev"]), r["p_prev"], lang),
                _count(r["year_earlier"], lang),
                _change(r, "year", lang),
                _p(r["p_year"], lang),
                verdict_text(str(r["verdict_year"]), r["p_year"], lang),
            ]
        )
        cp, cy = _verdict_colour(r["verdict_prev"]), _verdict_colour(r["verdict_year"])
        colours.append([None, None, None, cp, cp, cp, None, cy, cy, cy])
    return _Table(
        headers,
        rows,
        [2.4, 0.45, 0.5, 1.0, 0.55, 1.3, 0.55, 1.0, 0.55, 1.3],
        colours=colours,
    )


def _highlights(lb: Lagesbild) -> list[str]:
    """Short bullet texts for the cover: what the meeting should look at first."""
    lang = lb.lang
    out: list[str] = []
    comp = lb.comparison
    for name, table in (("area", comp.areas), ("category", comp.categories),
                        ("district", comp.districts)):  # fmt: skip
        if table is None or table.empty:
            continue
        for _, r in table.iterrows():
            if r["key"] == "total":
                continue
            for ref, col, when in (
                ("prev", "previous", _t("mot förra perioden", "vs the previous period", lang)),
                ("year", "year_earlier", _t("mot året före", "vs a year earlier", lang)),
            ):
                if r[f"verdict_{ref}"] in ("increase", "decrease"):
                    word = verdict_text(str(r[f"verdict_{ref}"]), r[f"p_{ref}"], lang)
                    where = (
                        _t("i ", "in ", lang) + str(r["label"] or r["key"])
                        if name == "district"
                        else str(r["label"] or r["key"])
                    )
                    out.append(
                        f"{where}: {_count(r['current'], lang)} "
                        f"({_count(r[col], lang)} {when}) – {word.lower()}, "
                        f"{_p_phrase(r[f'p_{ref}'], lang)}"
                    )
    if not out:
        out.append(
            _t(
                "Inga förändringar som säkert går att skilja från slumpen.",
                "No change that can safely be told from chance.",
                lang,
            )
        )
    if lb.emerging is not None and len(lb.emerging_table):
        urgent = lb.emerging_table[lb.emerging_table["cls"].isin(["new", "intensifying"])]
        for _, r in urgent.iterrows():
            place = r["district"] or _t("okänd stadsdel", "unknown district", lang)
            near = f", {_t('nära', 'near', lang)} {r['near']}" if r["near"] else ""
            out.append(
                f"{class_label(str(r['cls']), lang)} hotspot: {place}{near} "
                + _t(
                    f"({r['cells']} {'cell' if r['cells'] == 1 else 'celler'} à 250 m)",
                    f"({r['cells']} {'cell' if r['cells'] == 1 else 'cells'} of 250 m)",
                    lang,
                )
            )
    if len(lb.top_places):
        r = lb.top_places.iloc[0]
        out.append(
            _t("Största hotspot: ", "Largest hotspot: ", lang)
            + f"{r['district']}, {r['window']} {r['days']}".strip()
        )
    if lb.privacy == "internal":
        n_open, n_due = len(lb.actions_open), len(lb.follow_ups)
        out.append(
            _t(
                f"{n_open} öppna åtgärder, {n_due} uppföljningar att göra.",
                f"{n_open} open actions, {n_due} follow-ups due.",
                lang,
            )
        )
    return out


def _sections(lb: Lagesbild) -> list[_Section]:
    lang = lb.lang
    comp = lb.comparison
    sections: list[_Section] = []

    # Cover.
    areas = comp.areas.set_index("key")
    cover = _Section("cover", f"{lb.title} – {lb.period.describe(lang)}")
    if "total" in areas.index:
        tot = areas.loc["total"]
        cover.paragraphs.append(
            _t(
                f"Händelser under perioden (ej skyddade kategorier): {_count(tot['current'], lang)}"
                f" – föregående period {_count(tot['previous'], lang)}"
                f" ({verdict_text(str(tot['verdict_prev']), tot['p_prev'], lang).lower()}),"
                f" samma period förra året {_count(tot['year_earlier'], lang)}"
                f" ({verdict_text(str(tot['verdict_year']), tot['p_year'], lang).lower()}).",
                f"Incidents in the period (public categories): {_count(tot['current'], lang)}"
                f" – previous period {_count(tot['previous'], lang)}"
                f" ({verdict_text(str(tot['verdict_prev']), tot['p_prev'], lang).lower()}),"
                f" same period last year {_count(tot['year_earlier'], lang)}"
                f" ({verdict_text(str(tot['verdict_year']), tot['p_year'], lang).lower()}).",
                lang,
            )
        )
    hl = _highlights(lb)
    cover.tables.append(
        _Table([_t("Att ta upp på mötet", "For the meeting", lang)], [[f"• {h}"] for h in hl], [10])
    )
    p = lb.parameters
    privacy_text = {
        "internal": _t("Intern (polis och kommun)", "Internal (police and municipality)", lang),
        "public": _t(
            "Publik: inga enskilda händelser, tal under 5 döljs, skyddade kategorier och "
            "operativa förslag visas inte",
            "Public: no single incidents, counts below 5 hidden, no restricted categories "
            "and no operational suggestions",
            lang,
        ),
    }[lb.privacy]
    rows = [
        [_t("Period", "Period", lang), f"{p['period']} ({p['period_dates']})"],
        [
            _t("Jämförs med", "Compared with", lang),
            _t(
                f"{p['previous']} (föregående) och {p['year_earlier']} (ett år tidigare)",
                f"{p['previous']} (previous) and {p['year_earlier']} (a year earlier)",
                lang,
            ),
        ],
        [
            _t("Hotspotkarta", "Hotspot map", lang),
            _t(
                f"{p['hotspot_window']} (fyra veckor till och med perioden)",
                f"{p['hotspot_window']} (four weeks up to the period's end)",
                lang,
            ),
        ],
        [_t("Sekretessprofil", "Privacy profile", lang), privacy_text],
        [_t("Skapad", "Generated", lang), lb.generated_at.strftime("%Y-%m-%d %H:%M")],
    ]
    if lb.data_version:
        rows.append([_t("Dataversion", "Data version", lang), str(lb.data_version)[:16]])
    if "analysis_kernel" in p:
        rows.append(
            [
                _t("Analys", "Analysis", lang),
                _t(
                    f"KDE {p['analysis_kernel']}, bandbredd "
                    f"{_num(p.get('analysis_bandwidth_m'), lang)} m,"
                    f" cell {_num(p.get('analysis_cell_m'), lang)} m, täckning "
                    f"{_num(100 * float(p.get('analysis_coverage', 0)), lang, digits=1)} %"
                    f" av {_num(p.get('analysis_study_area_km2'), lang)} km²,"
                    f" {p.get('analysis_metric_crs', '')}",
                    f"KDE {p['analysis_kernel']}, bandwidth "
                    f"{_num(p.get('analysis_bandwidth_m'), lang)} m,"
                    f" cell {_num(p.get('analysis_cell_m'), lang)} m, coverage "
                    f"{_num(100 * float(p.get('analysis_coverage', 0)), lang, digits=1)} %"
                    f" of {_num(p.get('analysis_study_area_km2'), lang)} km²,"
                    f" {p.get('analysis_metric_crs', '')}",
                    lang,
                ),
            ]
        )
    if "emerging_n_weeks" in p:
        rows.append(
            [
                _t("Nya hotspots", "Emerging hotspots", lang),
                _t(
                    f"{p['emerging_n_weeks']} veckor ({p['emerging_first_week']}–"
                    f"{p['emerging_last_week']}), celler {_num(p['emerging_cell_m'], lang)} m,"
                    " Gi* + Mann–Kendall",
                    f"{p['emerging_n_weeks']} weeks ({p['emerging_first_week']}–"
                    f"{p['emerging_last_week']}), cells {_num(p['emerging_cell_m'], lang)} m,"
                    " Gi* + Mann–Kendall",
                    lang,
                ),
            ]
        )
    if "plan_week" in p:
        rows.append([_t("Förslag gäller", "Suggestions for", lang), str(p["plan_week"])])
    cover.tables.append(_Table([_t("Parameter", "Parameter", lang), ""], rows, [2.2, 7.8]))
    cover.footnotes.append(
        _t(
            "Förändringar prövas mot slumpen med ett exakt test (villkorligt binomialtest för "
            "två Poisson-antal, justerat för periodernas längd i timmar). Bedömningen "
            "”troligen mer än slumpen” betyder p < 0,05; med många rader blir ungefär var "
            "tjugonde sådan av en slump – lägg kraft på tydliga och återkommande förändringar.",
            "Changes are tested against chance with an exact test (conditional binomial test "
            "of two Poisson counts, adjusted for the periods' lengths in hours). "
            "'Probably more than chance' means p < 0.05; with many rows about one in twenty "
            "will be so by chance – act on clear and recurring changes.",
            lang,
        )
    )
    cover.paragraphs[1:1] = list(lb.notes)
    sections.append(cover)

    # Summary per problem area, category, district.
    summ = _Section(
        "summary", _t("Sammanfattning per problemområde", "Summary by problem area", lang)
    )
    summ.tables.append(
        _comparison_table(comp.areas, lang, first=_t("Problemområde", "Problem area", lang))
    )
    summ.tables.append(
        _comparison_table(comp.categories, lang, first=_t("Kategori", "Category", lang))
    )
    if lb.privacy == "internal" and comp.categories["restricted"].any():
        summ.paragraphs.append(
            _t(
                "Skyddade kategorier (våld i nära relation, sexualbrott) redovisas bara i "
                "interna tabeller, aldrig per plats eller på karta.",
                "Restricted categories (domestic violence, sexual offences) appear only in "
                "internal tables, never per place or on a map.",
                lang,
            )
        )
    if comp.districts is not None and len(comp.districts):
        d = comp.districts.head(10)
        t = _comparison_table(d, lang, first=_t("Stadsdel", "District", lang))
        t.caption = _t(
            "Stadsdelar med flest händelser (ej skyddade kategorier)",
            "Districts with most incidents (public categories)",
            lang,
        )
        summ.tables.append(t)
    sections.append(summ)

    # Map.
    public = lb.privacy == "public"
    msec = _Section(
        "map",
        _t("Karta: hotspots", "Map: hotspots", lang)
        if public
        else _t("Karta: hotspots och förslag", "Map: hotspots and suggestions", lang),
    )
    msec.figure = "map" if lb.map_content is not None else None
    msec.figure_caption = _t(
        f"Täthet och hotspots {lb.hotspot_window.label} (konturer, nummer = rang)"
        + ("; förslag och öppna åtgärder (gröna stjärnor)" if lb.privacy == "internal" else ""),
        f"Density and hotspots {lb.hotspot_window.label} (outlines, number = rank)"
        + ("; suggestions and open actions (green stars)" if lb.privacy == "internal" else ""),
        lang,
    )
    if lb.map_content is None:
        msec.paragraphs.append(
            _t("Ingen karta: för få händelser.", "No map: too few incidents.", lang)
        )
    sections.append(msec)

    # Emerging.
    esec = _Section("emerging", _t("Nya och förändrade hotspots", "Emerging hotspots", lang))
    if lb.emerging is not None:
        esec.figure = "emerging"
        summary = lb.emerging.summary()
        if summary:
            esec.paragraphs.append(
                ", ".join(f"{class_label(k, lang)}: {v}" for k, v in summary.items())
                + _t(" celler om 250 m.", " cells of 250 m.", lang)
            )
        else:
            esec.paragraphs.append(
                _t("Inga signifikanta mönster.", "No significant patterns.", lang)
            )
        esec.paragraphs.append(
            "; ".join(
                f"{class_label(k, lang)}: {class_label(k, lang, long=True).lower()}"
                for k in ("new", "intensifying", "persistent", "diminishing", "sporadic")
            )
            + "."
        )
        rows = [
            [str(r["label"]), str(r["district"] or "–"), str(r["near"]), str(r["cells"]),
             _count(r["incidents"], lang), _count(r["last_week"], lang), str(r["hot_weeks"]),
             str(r["trend"])]
            for _, r in lb.emerging_table.head(14).iterrows()
        ]  # fmt: skip
        if rows:
            esec.tables.append(
                _Table(
                    [_t("Mönster", "Pattern", lang), _t("Stadsdel", "District", lang),
                     _t("Nära", "Near", lang), _t("Celler", "Cells", lang),
                     _t("Händelser 12 v", "Incidents 12 wk", lang),
                     _t("Senaste v.", "Last week", lang),
                     _t("Max hot-veckor", "Max hot weeks", lang),
                     _t("Antal över tid", "Counts over time", lang)],
                    rows,
                    [1.3, 2.0, 2.2, 0.6, 1.0, 0.9, 1.0, 1.2],
                )
            )  # fmt: skip
        esec.footnotes.append(
            _t(
                "En cell är hotspot en vecka när Getis-Ord Gi* för cellen, dess grannar och "
                "veckan före är signifikant efter FDR-korrektion (p < 0,05); trenden prövas med "
                "Mann–Kendall. ”Senaste v.” är händelserna i cellerna under rapportveckan – en "
                "ny hotspot kan ha få egna händelser när grannarna har många. Celler utan "
                "händelser under veckorna klassas inte.",
                "A cell is a hotspot in a week when Getis-Ord Gi* over the cell, its neighbours "
                "and the week before is significant after FDR correction (p < 0.05); trends are "
                "tested with Mann-Kendall. 'Last week' counts the cells' incidents in the report "
                "week – a new hotspot may have few of its own when its neighbours have many. "
                "Cells without incidents in the weeks are not classified.",
                lang,
            )
        )
    else:
        esec.paragraphs.append(_t("Kunde inte beräknas.", "Could not be computed.", lang))
    sections.append(esec)

    # Top places.
    tsec = _Section(
        "places",
        _t("Prioriterade platser", "Top places", lang)
        if public
        else _t("Prioriterade platser och förslag", "Top places and proposals", lang),
    )
    rows = []
    for _, r in lb.top_places.iterrows():
        rows.append(
            [
                str(r["rank"]),
                str(r["district"]),
                _count(r["incidents"], lang),
                _count(r["in_period"], lang),
                str(r["categories"]),
                f"{r['window']} {r['days']}".strip(),
                str(r["significance"]),
                str(r["crime_fear"]),
                "\n".join(r["proposals"]) if lb.privacy == "internal" else "",
            ]
        )
    headers = [
        "#",
        _t("Stadsdel", "District", lang),
        _t("4 v", "4 wk", lang),
        _t("Nu", "Now", lang),
        _t("Vanligast", "Most common", lang),
        _t("Tid", "Time", lang),
        "Gi*",
        _t("Trygghet", "Safety", lang),
        _t("Föreslagna insatser", "Proposed actions", lang),
    ]
    widths = [0.4, 1.8, 0.6, 0.8, 3.0, 1.5, 0.7, 1.4, 3.6]
    if lb.privacy == "public":
        headers, widths = headers[:-1], widths[:-1]
        rows = [r[:-1] for r in rows]
    if rows:
        tsec.tables.append(_Table(headers, rows, widths))
    else:
        tsec.paragraphs.append(_t("Inga hotspots.", "No hotspots.", lang))
    sections.append(tsec)

    # Actions.
    asec = _Section("actions", _t("Åtgärder och uppföljning", "Actions and follow-up", lang))
    if lb.privacy == "internal":
        rows = [
            [
                str(a["id"]),
                str(a["date"]),
                str(a["place_ref"]),
                problem_label(str(a["problem"]), lang),
                str(a["actor"]),
                str(a["action"]),
                str(a["status"]),
                str(a["follow_up"] or "–"),
                str(a["note"] or ""),
            ]
            for _, a in lb.actions_open.iterrows()
        ]
        heads = [
            "Id",
            _t("Datum", "Date", lang),
            _t("Plats", "Place", lang),
            _t("Problem", "Problem", lang),
            _t("Aktör", "Actor", lang),
            _t("Åtgärd", "Action", lang),
            "Status",
            _t("Uppföljning", "Follow-up", lang),
            _t("Anteckning", "Note", lang),
        ]
        wid = [0.7, 1.0, 1.8, 1.6, 1.1, 1.3, 0.8, 1.2, 2.4]
        if rows:
            asec.tables.append(_Table(heads, rows, wid, _t("Öppna åtgärder", "Open actions", lang)))
        else:
            asec.paragraphs.append(_t("Inga öppna åtgärder.", "No open actions.", lang))
        rows = [
            [
                str(a["id"]),
                str(a["follow_up"]),
                str(a["place_ref"]),
                str(a["action"]),
                str(a["status"]),
                _t("försenad", "overdue", lang) if a["overdue"] else "",
                a["closed"] or closed_on(str(a["note"])) or "",
            ]
            for _, a in lb.follow_ups.iterrows()
        ]
        if rows:
            asec.tables.append(
                _Table(
                    [
                        "Id",
                        _t("Uppföljning", "Follow-up", lang),
                        _t("Plats", "Place", lang),
                        _t("Åtgärd", "Action", lang),
                        "Status",
                        "",
                        _t("Stängd", "Closed", lang),
                    ],
                    rows,
                    [0.7, 1.0, 2.2, 1.4, 0.8, 0.9, 1.0],
                    _t(
                        "Uppföljningar att göra (inom en vecka)",
                        "Follow-ups due (within a week)",
                        lang,
                    ),
                )
            )
        else:
            asec.paragraphs.append(_t("Inga uppföljningar förfaller.", "No follow-ups due.", lang))
        rows = [
            [
                str(e["id"]),
                str(e["place"]),
                str(e["action"]),
                str(e["date"]),
                f"{e['a_before']} → {e['a_after']}",
                f"{e['b_before']} → {e['b_after']}",
                f"{e['c_before']} → {e['c_after']}",
                _num(e["wdq"], lang, digits=2),
                f"{e['interpretation']}" + (f". {e['warnings']}" if e["warnings"] else ""),
            ]
            for _, e in lb.effects.iterrows()
        ]
        if rows:
            asec.tables.append(
                _Table(
                    [
                        "Id",
                        _t("Plats", "Place", lang),
                        _t("Åtgärd", "Action", lang),
                        _t("Start", "Start", lang),
                        _t("Platsen", "Place", lang),
                        _t("Närområde", "Buffer", lang),
                        _t("Kontroll", "Control", lang),
                        "WDQ",
                        _t("Tolkning", "Reading", lang),
                    ],
                    rows,
                    [0.6, 1.5, 1.1, 0.9, 0.9, 1.1, 1.0, 0.6, 3.3],
                    _t(
                        "Effektuppföljning: händelser 8 veckor före → efter "
                        "(WDQ, Bowers & Johnson 2003)",
                        "Effect follow-up: incidents 8 weeks before → after "
                        "(WDQ, Bowers & Johnson 2003)",
                        lang,
                    ),
                )
            )
    else:
        rows = [
            [
                str(a["district"]),
                problem_label(str(a["problem"]), lang),
                str(a["action"]),
                str(a["actor"]),
                str(a["status"]),
            ]
            for _, a in lb.actions_open.iterrows()
        ]
        if rows:
            asec.tables.append(
                _Table(
                    [
                        _t("Stadsdel", "District", lang),
                        _t("Problem", "Problem", lang),
                        _t("Åtgärd", "Action", lang),
                        _t("Aktör", "Actor", lang),
                        "Status",
                    ],
                    rows,
                    [2.0, 2.4, 1.6, 1.4, 1.0],
                    _t("Åtgärder inom medborgarlöftet", "Actions of the citizen promise", lang),
                )
            )
        else:
            asec.paragraphs.append(_t("Inga åtgärder registrerade.", "No actions recorded.", lang))
    sections.append(asec)

    # Survey.
    ssec = _Section(
        "survey",
        _t("Upplevd otrygghet (trygghetsundersökning)", "Perceived unsafety (survey)", lang),
    )
    s = lb.survey
    if s is None:
        ssec.paragraphs.append(
            _t("Inga enkätsvar i underlaget.", "No survey marks in the data.", lang)
        )
    else:
        span = f" ({s.first} – {s.last})" if s.first and s.last else ""
        ssec.paragraphs.append(
            _t(
                f"{s.n_marks} markeringar{span}; medelbetyg {_num(s.mean_unsafe, lang, digits=1)}"
                f" av 5; {_num(100 * s.share_unsafe, lang)} % anger otryggt (4–5).",
                f"{s.n_marks} marks{span}; mean score {_num(s.mean_unsafe, lang, digits=1)}"
                f" of 5; {_num(100 * s.share_unsafe, lang)} % feel unsafe (4-5).",
                lang,
            )
        )
        if s.crime_fear:
            ssec.paragraphs.append(
                _t(
                    "De tio största hotspots efter brott och otrygghet: ",
                    "The ten largest hotspots by crime and fear: ",
                    lang,
                )
                + ", ".join(f"{_CRIME_FEAR[k][lang]} {v}" for k, v in s.crime_fear.items())
            )
        rows = [
            [
                str(r["district"]),
                str(int(r["marks"])),
                _num(r["mean_unsafe"], lang, digits=1),
                f"{_num(100 * r['share_unsafe'], lang)} %",
            ]
            for _, r in s.districts.head(12).iterrows()
        ]
        if rows:
            ssec.tables.append(
                _Table(
                    [
                        _t("Stadsdel", "District", lang),
                        _t("Svar", "Marks", lang),
                        _t("Medel", "Mean", lang),
                        _t("Otryggt", "Unsafe", lang),
                    ],
                    rows,
                    [2.5, 0.8, 0.8, 0.9],
                    _t("Mest otrygga stadsdelar", "Most unsafe districts", lang),
                )
            )
        reason_rows = [[str(r["label"]), str(int(r["marks"]))] for _, r in s.reasons.iterrows()]
        time_rows = [[str(r["label"]), str(int(r["marks"]))] for _, r in s.times.iterrows()]
        if reason_rows:
            ssec.tables.append(
                _Table(
                    [_t("Skäl (betyg 4–5)", "Reason (score 4-5)", lang), _t("Svar", "Marks", lang)],
                    reason_rows,
                    [2.5, 0.8],
                )
            )
        if time_rows:
            ssec.tables.append(
                _Table(
                    [
                        _t("Tid på dygnet (betyg 4–5)", "Time of day (score 4-5)", lang),
                        _t("Svar", "Marks", lang),
                    ],
                    time_rows,
                    [2.5, 0.8],
                )
            )
        rows = [
            [
                str(r["district"] or "–"),
                str(r["near"]),
                _count(r["marks"], lang),
                _num(r["mean_unsafe"], lang, digits=1),
            ]
            for _, r in s.perceived_places.head(8).iterrows()
        ]
        if rows:
            ssec.tables.append(
                _Table(
                    [
                        _t("Stadsdel", "District", lang),
                        _t("Nära", "Near", lang),
                        _t("Markeringar", "Marks", lang),
                        _t("Medel", "Mean", lang),
                    ],
                    rows,
                    [2.2, 2.4, 1.1, 0.7],
                    _t(
                        "Platser som upplevs otrygga men har få brott",
                        "Places perceived as unsafe with few incidents",
                        lang,
                    ),
                )
            )
    sections.append(ssec)
    return sections


# ------------------------------------------------------------------------------ drawing

_CLASS_COLOURS: dict[str, str] = {
    "new": "#e7298a",
    "intensifying": "#b30000",
    "consecutive": "#fc8d59",
    "persistent": "#d7301f",
    "sporadic": "#fdbb84",
    "oscillating": "#c994c7",
    "diminishing": "#fee8c8",
    "historical": "#bdbdbd",
}


def _extent(lb: Lagesbild, kind: str = "map") -> tuple[float, float, float, float] | None:
    """Map extent: the top places (hotspot map) or the urgent emerging cells (emerging map)."""
    boxes = []
    content = lb.map_content
    if kind == "map" and len(lb.top_places):
        boxes.append(lb.top_places.total_bounds)
    elif kind == "map" and content is not None and len(content.hotspots):
        hot = content.hotspots[content.hotspots["kind"] == "crime"].sort_values("rank").head(5)
        if len(hot):
            boxes.append(hot.total_bounds)
    if kind == "emerging" and lb.emerging is not None and len(lb.emerging.cells):
        cells = lb.emerging.cells
        urgent = cells[cells["cls"].isin(["new", "intensifying", "consecutive", "persistent"])]
        boxes.append((urgent if len(urgent) else cells).total_bounds)
    if not boxes:
        if lb.geography is not None and len(lb.geography.districts):
            return tuple(lb.geography.districts.total_bounds)  # type: ignore[return-value]
        return None
    b = np.vstack(boxes)
    minx, miny = b[:, 0].min(), b[:, 1].min()
    maxx, maxy = b[:, 2].max(), b[:, 3].max()
    pad = max(maxx - minx, maxy - miny) * 0.08 + 400
    return (minx - pad, miny - pad, maxx + pad, maxy + pad)


def _fit(ax: Any, extent: tuple[float, float, float, float]) -> None:
    """Set the limits to ``extent`` grown to the axes' aspect ratio (no distortion)."""
    bbox = ax.get_position()
    fig_w, fig_h = ax.figure.get_size_inches()
    aspect = (bbox.height * fig_h) / max(bbox.width * fig_w, 1e-9)
    minx, miny, maxx, maxy = extent
    w, h = maxx - minx, maxy - miny
    if h / max(w, 1e-9) < aspect:
        grow = (w * aspect - h) / 2
        miny, maxy = miny - grow, maxy + grow
    else:
        grow = (h / aspect - w) / 2
        minx, maxx = minx - grow, maxx + grow
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)


def _draw_base(ax: Any, lb: Lagesbild) -> None:
    geo = lb.geography
    if geo is None:
        return
    gpd.GeoSeries([geo.land], crs=geo.crs).plot(ax=ax, color="#f4f1ea", edgecolor="none", zorder=0)
    if not geo.water.is_empty:
        gpd.GeoSeries([geo.water], crs=geo.crs).plot(
            ax=ax, color="#cfe3f3", edgecolor="none", zorder=1
        )
    if len(geo.roads):
        major = geo.roads[geo.roads["kind"].isin(["motorway", "primary"])]
        major.plot(ax=ax, color="#b8b0a0", linewidth=0.8, zorder=2)
    if len(geo.districts):
        geo.districts.boundary.plot(ax=ax, color="#8c8c8c", linewidth=0.4, linestyle=":", zorder=3)


def _label_districts(ax: Any, lb: Lagesbild, extent: tuple[float, float, float, float]) -> None:
    geo = lb.geography
    if geo is None or not len(geo.districts):
        return
    minx, miny, maxx, maxy = extent
    for _, d in geo.districts.iterrows():
        p = d.geometry.representative_point()
        if minx < p.x < maxx and miny < p.y < maxy:
            ax.annotate(
                str(d["name"]),
                (p.x, p.y),
                fontsize=5.5,
                color="#606060",
                ha="center",
                va="center",
                zorder=4,
            )


def _draw_map(ax: Any, lb: Lagesbild) -> None:
    from matplotlib.lines import Line2D  # noqa: PLC0415
    from matplotlib.patches import Patch  # noqa: PLC0415

    lang = lb.lang
    content = lb.map_content
    extent = _extent(lb, "map")
    _draw_base(ax, lb)
    handles: list[Any] = []
    if content is not None and content.density is not None and content.grid is not None:
        g = content.grid
        dens = np.where(
            np.isfinite(content.density) & (content.density > 0), content.density, np.nan
        )
        if np.isfinite(dens).any():
            vmax = float(np.nanpercentile(dens, 99.5))
            # Leave the faint tails transparent: below 3 % of the top density.
            dens = np.where(dens >= 0.03 * vmax, dens, np.nan)
            ax.imshow(
                np.sqrt(dens),
                extent=(g.x0, g.x1, g.y0, g.y1),
                origin="upper",
                cmap="YlOrRd",
                alpha=0.75,
                vmin=0,
                vmax=math.sqrt(max(vmax, 1e-9)),
                zorder=5,
                interpolation="nearest",
            )
    if content is not None and len(content.hotspots):
        hot = content.hotspots[content.hotspots["kind"] == "crime"]
        top = hot.sort_values("rank").head(max(10, len(lb.top_places)))
        top.boundary.plot(ax=ax, color="#b10026", linewidth=1.1, zorder=7)
        for _, h in top.iterrows():
            p = h.geometry.representative_point()
            ax.annotate(
                str(int(h["rank"])),
                (p.x, p.y),
                fontsize=7,
                fontweight="bold",
                color="white",
                ha="center",
                va="center",
                zorder=9,
                bbox={"boxstyle": "circle,pad=0.2", "fc": "#b10026", "ec": "none"},
            )
        handles.append(
            Patch(fc="none", ec="#b10026", label=_t("Hotspot (rang)", "Hotspot (rank)", lang))
        )
        per = content.hotspots[content.hotspots["kind"] == "perceived"]
        if len(per):
            per.boundary.plot(ax=ax, color="#6a3d9a", linewidth=0.9, linestyle="--", zorder=7)
            handles.append(
                Line2D(
                    [],
                    [],
                    color="#6a3d9a",
                    linestyle="--",
                    label=_t("Upplevd otrygghet", "Perceived unsafety", lang),
                )
            )
    if content is not None and content.suggestions is not None and len(content.suggestions):
        sug = content.suggestions
        lines = sug[sug.geometry.geom_type == "LineString"]
        pts = sug[sug.geometry.geom_type == "Point"]
        if len(lines):
            lines.plot(ax=ax, color="#1f78b4", linewidth=1.2, zorder=8)
            handles.append(
                Line2D(
                    [],
                    [],
                    color="#1f78b4",
                    label=_t("Fotpatrull (slinga)", "Foot patrol (loop)", lang),
                )
            )
        if len(pts):
            pts.plot(ax=ax, color="#1f78b4", markersize=14, marker="s", zorder=8)
            handles.append(
                Line2D(
                    [],
                    [],
                    color="#1f78b4",
                    marker="s",
                    linestyle="none",
                    label=_t("Kontroll/besök", "Check/visit", lang),
                )
            )
    if lb.action_points is not None and len(lb.action_points):
        lb.action_points.plot(ax=ax, color="#33a02c", markersize=30, marker="*", zorder=10)
        for _, a in lb.action_points.iterrows():
            ax.annotate(
                str(a["id"]),
                (a.geometry.x, a.geometry.y),
                xytext=(4, 4),
                textcoords="offset points",
                fontsize=6,
                color="#1b5e20",
                zorder=10,
            )
        handles.append(
            Line2D(
                [],
                [],
                color="#33a02c",
                marker="*",
                linestyle="none",
                label=_t("Öppen åtgärd", "Open action", lang),
            )
        )
    if extent is not None:
        _fit(ax, extent)
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        _label_districts(ax, lb, (x0, y0, x1, y1))
    _finish_axes(ax, handles)


def _draw_emerging(ax: Any, lb: Lagesbild) -> None:
    from matplotlib.patches import Patch  # noqa: PLC0415

    em = lb.emerging
    extent = _extent(lb, "emerging")
    _draw_base(ax, lb)
    handles = []
    if em is not None and len(em.cells):
        for cls, colour in _CLASS_COLOURS.items():
            part = em.cells[em.cells["cls"] == cls]
            if len(part):
                part.plot(ax=ax, color=colour, edgecolor="#555555", linewidth=0.3, zorder=6)
                handles.append(Patch(fc=colour, ec="#555555", label=class_label(cls, lb.lang)))
    if extent is not None:
        _fit(ax, extent)
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        _label_districts(ax, lb, (x0, y0, x1, y1))
    _finish_axes(ax, handles)


def _finish_axes(ax: Any, handles: list[Any]) -> None:
    ax.set_aspect("equal")
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color("#999999")
    x0, x1 = ax.get_xlim()
    y0, _ = ax.get_ylim()
    span = x1 - x0
    bar = 10 ** math.floor(math.log10(max(span / 5, 1)))
    ax.plot(
        [x0 + span * 0.04, x0 + span * 0.04 + bar],
        [y0 + span * 0.03] * 2,
        color="black",
        linewidth=2,
        zorder=20,
    )
    ax.annotate(
        f"{bar / 1000:g} km" if bar >= 1000 else f"{bar:g} m",
        (x0 + span * 0.04 + bar / 2, y0 + span * 0.04),
        ha="center",
        fontsize=6,
        zorder=20,
    )
    if handles:
        ax.legend(handles=handles, loc="upper right", fontsize=6, framealpha=0.9)


def _app_map_figure(lb: Lagesbild) -> Any | None:
    """The app's static map page (A4 landscape) of the top places, with the open actions.

    ``None`` when :mod:`hotspots.export.static_map` is absent or cannot draw this content;
    the report then draws its own map.
    """
    if lb.map_content is None:
        return None
    try:
        from hotspots.export.static_map import render_static_map  # noqa: PLC0415
    except ImportError:
        return None
    content = lb.map_content
    hot = content.hotspots
    ranks = set(lb.top_places["rank"].tolist()) if len(lb.top_places) else set()
    crime = hot[(hot["kind"] == "crime") & hot["rank"].isin(ranks)]
    perceived = hot[hot["kind"] == "perceived"]
    if len(crime):
        x0, y0, x1, y1 = crime.total_bounds
        perceived = perceived.cx[x0:x1, y0:y1]
    try:
        fig = render_static_map(
            content.replace(hotspots=pd.concat([crime, perceived])),
            geography=lb.geography,
            lang=lb.lang,
            title=f"{lb.title} {lb.period.label}: "
            + (
                _t("hotspots", "hotspots", lb.lang)
                if lb.privacy == "public"
                else _t("hotspots och förslag", "hotspots and suggestions", lb.lang)
            ),
        )
    except Exception:  # the app's drawing must never stop the report
        logger.warning("the app's static map failed; drawing the report's own", exc_info=True)
        return None
    points = lb.action_points
    if points is not None and len(points) and fig.axes:
        ax = fig.axes[0]
        limits = ax.get_xlim(), ax.get_ylim()
        points.plot(
            ax=ax,
            color="#33a02c",
            edgecolor="black",
            linewidth=0.5,
            markersize=140,
            marker="*",
            zorder=30,
        )
        for _, a in points.iterrows():
            ax.annotate(
                str(a["id"]),
                (a.geometry.x, a.geometry.y),
                xytext=(5, 5),
                textcoords="offset points",
                fontsize=7,
                color="#1b5e20",
                zorder=30,
            )
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
        ax.set_xlabel("")
        ax.set_ylabel("")
    return fig


def _figure_png(lb: Lagesbild, kind: str) -> bytes:
    if kind == "map":
        app_fig = _app_map_figure(lb)
        if app_fig is not None:
            buf = io.BytesIO()
            app_fig.savefig(buf, format="png", dpi=110)
            return buf.getvalue()
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt  # noqa: PLC0415

    fig, ax = plt.subplots(figsize=(7.5, 6.5), dpi=130)
    try:
        (_draw_map if kind == "map" else _draw_emerging)(ax, lb)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
    finally:
        plt.close(fig)
    return buf.getvalue()


# ------------------------------------------------------------------------------ PDF

_A4 = (8.27, 11.69)
_MARGIN = 0.55  # inches
_LINE = 0.165  # inches per text line at 7 pt


class _PdfWriter:
    """Lays out sections on A4 pages: headings, wrapped paragraphs, paginated tables, figures."""

    def __init__(self, pdf: Any, lb: Lagesbild) -> None:
        self.pdf = pdf
        self.lb = lb
        self.fig: Any = None
        self.y = 0.0  # inches from the top of the page
        self.page = 0

    # page handling
    def new_page(self) -> None:
        import matplotlib.pyplot as plt  # noqa: PLC0415

        self.flush()
        self.fig = plt.figure(figsize=_A4)
        self.page += 1
        self.y = _MARGIN
        footer = f"{self.lb.title} {self.lb.period.label} · {self.page}"
        if self.lb.privacy == "public":
            footer += _t(" · publik version", " · public version", self.lb.lang)
        self.fig.text(0.5, 0.35 / _A4[1], footer, ha="center", fontsize=6.5, color="#777777")

    def flush(self) -> None:
        import matplotlib.pyplot as plt  # noqa: PLC0415

        if self.fig is not None:
            self.pdf.savefig(self.fig)
            plt.close(self.fig)
            self.fig = None

    def room(self) -> float:
        return _A4[1] - _MARGIN - 0.3 - self.y

    def _fy(self, y_in: float) -> float:
        return 1.0 - y_in / _A4[1]

    def _fx(self, x_in: float) -> float:
        return x_in / _A4[0]

    # elements
    def heading(self, text: str, *, size: float = 14.0) -> None:
        if self.room() < 1.2:
            self.new_page()
        width_chars = int((_A4[0] - 2 * _MARGIN) * 72 / (size * 0.64))
        for line in textwrap.wrap(text, width=width_chars) or [""]:
            self.fig.text(
                self._fx(_MARGIN),
                self._fy(self.y + size / 72),
                line,
                fontsize=size,
                fontweight="bold",
                color="#1a1a1a",
            )
            self.y += size / 72 * 1.3
        self.y += 0.1

    def paragraph(self, text: str, *, size: float = 8.5) -> None:
        width_chars = int((_A4[0] - 2 * _MARGIN) * 72 / (size * 0.56))
        lines = textwrap.wrap(text, width=width_chars) or [""]
        line_h = size / 72 * 1.35
        for line in lines:
            if self.room() < line_h:
                self.new_page()
            self.fig.text(self._fx(_MARGIN), self._fy(self.y + line_h), line, fontsize=size)
            self.y += line_h
        self.y += 0.08

    def table(self, table: _Table, *, size: float = 6.6) -> None:
        total_w = _A4[0] - 2 * _MARGIN
        rel = np.asarray(table.widths, dtype=float)
        widths = rel / max(rel.sum(), 10.0) * total_w
        char_w = size / 72 * 0.52
        line_h = size / 72 * 1.3

        def wrap_row(cells: Sequence[str], *, bold: bool = False) -> list[list[str]]:
            out = []
            for cell, w in zip(cells, widths, strict=False):
                n = max(3, int((w - 0.06) / (char_w * (1.18 if bold else 1.0))))
                parts: list[str] = []
                for piece in str(cell).split("\n"):
                    parts.extend(textwrap.wrap(piece, width=n) or [""])
                out.append(parts)
            return out

        header = wrap_row(table.headers, bold=True)
        head_h = max(len(c) for c in header) * line_h + 0.06
        if table.caption:
            if self.room() < head_h + 3 * line_h + 0.3:
                self.new_page()
            self.fig.text(
                self._fx(_MARGIN),
                self._fy(self.y + 0.14),
                table.caption,
                fontsize=8,
                fontweight="bold",
                color="#333333",
            )
            self.y += 0.22
        if self.room() < head_h + 2 * line_h:
            self.new_page()
        self._row(header, widths, line_h, size, head=True)
        for i, row in enumerate(table.rows):
            cells = wrap_row(row)
            h = max(len(c) for c in cells) * line_h + 0.05
            if self.room() < h:
                self.new_page()
                self._row(header, widths, line_h, size, head=True)
            colours = table.colours[i] if table.colours else None
            self._row(cells, widths, line_h, size, shade=i % 2 == 1, colours=colours)
        self.y += 0.15

    def _row(
        self,
        cells: list[list[str]],
        widths: np.ndarray,
        line_h: float,
        size: float,
        *,
        head: bool = False,
        shade: bool = False,
        colours: list[str | None] | None = None,
    ) -> None:
        from matplotlib.patches import Rectangle  # noqa: PLC0415

        h = max(len(c) for c in cells) * line_h + (0.06 if head else 0.05)
        if head or shade:
            self.fig.patches.append(
                Rectangle(
                    (self._fx(_MARGIN), self._fy(self.y + h)),
                    (widths.sum()) / _A4[0],
                    h / _A4[1],
                    transform=self.fig.transFigure,
                    facecolor="#dde5ee" if head else "#f3f3f3",
                    edgecolor="none",
                    zorder=0,
                )
            )
        x = _MARGIN
        for j, (lines, w) in enumerate(zip(cells, widths, strict=False)):
            colour = (colours[j] if colours and j < len(colours) else None) or "#1a1a1a"
            for k, line in enumerate(lines):
                self.fig.text(
                    self._fx(x + 0.03),
                    self._fy(self.y + (k + 1) * line_h),
                    line,
                    fontsize=size,
                    color=colour,
                    fontweight="bold" if head else "normal",
                )
            x += w
        self.y += h

    def whole_page(self, fig: Any, caption: str) -> None:
        """Put a ready figure (e.g. the app's landscape map) on a page of its own."""
        self.flush()
        self.page += 1
        footer = f"{self.lb.title} {self.lb.period.label} · {self.page}"
        fig.text(0.5, 0.012, f"{caption}  ·  {footer}", ha="center", fontsize=6.5, color="#555555")
        self.pdf.savefig(fig)
        self.fig = None

    def figure(self, kind: str, caption: str) -> None:
        top = 7.4 if kind == "map" else 5.6  # the emerging table goes below its map
        height = min(self.room() - 0.4, top)
        if height < 4.0:
            self.new_page()
            height = min(self.room() - 0.4, top)
        width = _A4[0] - 2 * _MARGIN
        ax = self.fig.add_axes(
            (
                self._fx(_MARGIN),
                self._fy(self.y + height),
                width / _A4[0],
                height / _A4[1],
            )
        )
        (_draw_map if kind == "map" else _draw_emerging)(ax, self.lb)
        self.y += height + 0.1
        if caption:
            self.paragraph(caption, size=7.5)


def render_pdf(lb: Lagesbild) -> bytes:
    """Render the lägesbild as a multi-page A4 PDF (matplotlib), returned as bytes."""
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_pdf import PdfPages  # noqa: PLC0415

    buf = io.BytesIO()
    meta = {
        "Title": f"{lb.title} {lb.period.label}",
        "Subject": lb.period.describe(lb.lang),
        "Keywords": f"EST, lägesbild, {lb.privacy}",
        "Creator": "hotspots",
    }
    app_fig = _app_map_figure(lb)
    with PdfPages(buf, metadata=meta) as pdf:
        w = _PdfWriter(pdf, lb)
        for section in _sections(lb):
            if section.figure == "map" and app_fig is not None:
                w.whole_page(app_fig, section.figure_caption)
                continue
            if section.key in ("cover", "summary", "map", "emerging", "places") or w.room() < 3.0:
                w.new_page()
            else:
                w.y += 0.3
            w.heading(section.title, size=16.0 if section.key == "cover" else 13.0)
            for para in section.paragraphs:
                w.paragraph(para)
            if section.figure:
                w.figure(section.figure, section.figure_caption)
            for table in section.tables:
                w.table(table)
            for para in section.footnotes:
                w.paragraph(para, size=7.5)
        w.flush()
    return buf.getvalue()


# ------------------------------------------------------------------------------ HTML

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1a1a1a;line-height:1.4;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;
border-bottom:2px solid #dde5ee;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.82rem;width:100%}
th{background:#dde5ee;text-align:left;padding:.3rem .4rem}td{padding:.25rem .4rem;
vertical-align:top;border-bottom:1px solid #eee}tr:nth-child(even) td{background:#f7f7f7}
caption{text-align:left;font-weight:600;padding:.3rem 0}figure{margin:1rem 0}
figure img{max-width:100%;border:1px solid #ccc}figcaption{font-size:.8rem;color:#555}
.note{font-size:.8rem;color:#444}.up{color:#b2182b}.down{color:#1a7837}
.public{background:#fff3cd;padding:.4rem .6rem;border-radius:4px}
@media print{h2{page-break-before:always}h2.first{page-break-before:auto}}
"""


def _html_table(table: _Table) -> str:
    esc = html.escape
    parts = ["<table>"]
    if table.caption:
        parts.append(f"<caption>{esc(table.caption)}</caption>")
    parts.append(
        "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in table.headers) + "</tr></thead>"
    )
    parts.append("<tbody>")
    for i, row in enumerate(table.rows):
        colours = table.colours[i] if table.colours else [None] * len(row)
        cells = "".join(
            ("<td>" if not col else f'<td class="{"up" if col == _UP else "down"}">')
            + "<br>".join(esc(line) for line in str(c).split("\n"))
            + "</td>"
            for c, col in zip(row, colours, strict=False)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def render_html(lb: Lagesbild) -> bytes:
    """Render the lägesbild as one self-contained HTML page (UTF-8 bytes, maps embedded)."""
    esc = html.escape
    lang = lb.lang
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(lb.title)} {esc(lb.period.label)}</title>",
        f"<style>{_CSS}</style></head><body>",
    ]
    for i, section in enumerate(_sections(lb)):
        tag = "h1" if section.key == "cover" else "h2"
        cls = ' class="first"' if i == 1 else ""
        out.append(f'<section id="{esc(section.key)}"><{tag}{cls}>{esc(section.title)}</{tag}>')
        if section.key == "cover" and lb.privacy == "public":
            out.append(f'<p class="public">{esc(_t("Publik version", "Public version", lang))}</p>')
        for para in section.paragraphs:
            out.append(f"<p>{esc(para)}</p>")
        if section.figure:
            png = base64.b64encode(_figure_png(lb, section.figure)).decode("ascii")
            out.append(
                f'<figure><img alt="{esc(section.title)}" src="data:image/png;base64,{png}">'
                f"<figcaption>{esc(section.figure_caption)}</figcaption></figure>"
            )
        for table in section.tables:
            out.append(_html_table(table))
        for para in section.footnotes:
            out.append(f'<p class="note">{esc(para)}</p>')
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")
