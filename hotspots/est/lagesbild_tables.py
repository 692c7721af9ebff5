"""The lägesbild's tables: top places, emerging hotspots, effects, actions and the survey (pure).

Each function turns one analysis result into the rows the EST meeting reads, with the privacy
profile applied to the counts (``public``: counts under :data:`MIN_PUBLIC_COUNT` become
missing and are shown as "<5"). Texts are translated here through :func:`hotspots.core.i18n.t`;
nothing is drawn or written.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.core.days import days_words
from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.core.i18n import t, weekday_names
from hotspots.core.numbers import number_text
from hotspots.core.periods import Period
from hotspots.core.taxonomy import PROBLEM_AREAS, codes_in_area, is_restricted, label, public_codes
from hotspots.est.actions import place_label
from hotspots.est.effect import evaluate_effect, interpretation_text
from hotspots.est.emerging import CLASSES, EmergingResult, class_label, mann_kendall
from hotspots.planning.context import road_label
from hotspots.planning.schedule import KIND_LABELS

__all__ = [
    "CRIME_FEAR_CLASSES",
    "EFFECT_MIN_DAYS",
    "MIN_PUBLIC_COUNT",
    "NEAR_M",
    "PERCEIVED_MIN_EXCESS",
    "PERCEIVED_Z",
    "SurveySummary",
    "effects_table",
    "emerging_table",
    "nearest_place",
    "public_actions",
    "survey_summary",
    "top_places",
]

logger = logging.getLogger(__name__)

Language = Literal["sv", "en"]
Privacy = Literal["internal", "public"]

#: Counts below this are suppressed in the public profile.
MIN_PUBLIC_COUNT = 5
#: An action is followed up for effect when it started at least this many days before the end.
EFFECT_MIN_DAYS = 14
#: A place within this distance (metres) is "near"; a farther one is named with its distance.
NEAR_M = 400.0
#: A perceived-unsafety place is listed when its mean score is at least this much (points on
#: the 1-5 scale) above the survey's overall mean ...
PERCEIVED_MIN_EXCESS = 0.5
#: ... and above it beyond chance: one-sided z-test at 5 % with the survey's standard deviation.
PERCEIVED_Z = 1.645
#: Crime x fear classes in reading order.
CRIME_FEAR_CLASSES: tuple[str, ...] = (
    "high_crime_high_fear",
    "high_crime_low_fear",
    "perceived_unsafe",
    "low",
)

_REASONS = ("belysning", "grupperingar", "narkotika", "alkohol", "trafik", "skadegorelse", "annat")
_TIMES = ("dag", "kvall", "natt")
_GI_CLASSES = ("hot_99", "hot_95", "hot_90", "not_significant")
_DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _day(code: Any, lang: Language) -> str:
    text = str(code)
    if text in _DAY_CODES:
        return weekday_names([_DAY_CODES.index(text)], lang)[0]
    return text


def _reason(code: str, lang: Language) -> str:
    return t(f"report_reason_{code}", lang) if code in _REASONS else code


def _time_of_day(code: str, lang: Language) -> str:
    return t(f"report_time_{code}", lang) if code in _TIMES else code


def crime_fear_label(code: Any, lang: Language) -> str:
    """Label of a crime x fear class (``""`` for a missing or unknown class)."""
    text = str(code)
    return t(f"report_crime_fear_{text}", lang) if text in CRIME_FEAR_CLASSES else ""


def _named(frame: Any, names: list[str], point: Any) -> tuple[str, float]:
    """The nearest row of ``frame`` whose name (in ``names``) is not empty, and its distance."""
    named = np.array([bool(n) for n in names], dtype=bool)
    if not named.any():
        return "", math.nan
    d = np.where(named, frame.geometry.distance(point).to_numpy(dtype=float), np.inf)
    i = int(np.argmin(d))
    return names[i], float(d[i])


def nearest_place(geography: Any | None, point: Any) -> tuple[str, float]:
    """What to call the spot ``point``: the nearest named place or street, and its distance (m).

    A named place (square, station, venue, park ...) within :data:`NEAR_M`; else a named
    street or road within :data:`NEAR_M` (:func:`hotspots.planning.context.road_label`: its
    name, with its number when the name lacks it); else the nearest named place farther
    away (a landmark; the reader is told how far), else the nearest named street.
    ``("", nan)`` only when the base layers name no place and no street
    (:func:`hotspots.render.report.document.near_text` then says so).
    """
    if geography is None:
        return "", math.nan
    places = getattr(geography, "places", None)
    place: tuple[str, float] = ("", math.nan)
    if places is not None and len(places) and "name" in places:
        names = [n.strip() if isinstance(n, str) else "" for n in places["name"]]
        place = _named(places, names, point)
    if place[0] and place[1] <= NEAR_M:
        return place
    roads = getattr(geography, "roads", None)
    road: tuple[str, float] = ("", math.nan)
    if roads is not None and len(roads):
        names = [
            road_label(n, r)
            for n, r in zip(
                roads["name"] if "name" in roads else [None] * len(roads),
                roads["ref"] if "ref" in roads else [None] * len(roads),
                strict=True,
            )
        ]
        road = _named(roads, names, point)
    if road[0] and road[1] <= NEAR_M:
        return road
    return place if place[0] else road


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
    sd_unsafe
        Standard deviation of the scores (points on the 1-5 scale).
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
        Perceived-unsafety hotspots (unsafe in the survey, few incidents) whose mean score is
        clearly above the overall mean (at least :data:`PERCEIVED_MIN_EXCESS` points and
        above it by a one-sided z-test at 5 %): ``district``, ``near`` (the nearest named
        place or street, :func:`nearest_place`), ``near_m`` (its distance, metres),
        ``marks``, ``mean_unsafe``; most marks first.
    crime_fear
        Number of the largest crime hotspots per crime x fear class.
    crime_fear_of
        Number of crime hotspots counted in :attr:`crime_fear` (the largest, at most ten).
    """

    n_marks: int
    mean_unsafe: float
    sd_unsafe: float
    share_unsafe: float
    first: dt.date | None
    last: dt.date | None
    districts: pd.DataFrame
    reasons: pd.DataFrame
    times: pd.DataFrame
    perceived_places: pd.DataFrame
    crime_fear: dict[str, int]
    crime_fear_of: int = 0


def _clearly_above(marks: pd.Series, mean: pd.Series, *, overall: float, sd: float) -> pd.Series:
    """Whether each place's mean score is clearly above the overall mean (see the constants)."""
    n = pd.to_numeric(marks, errors="coerce").to_numpy(dtype=float)
    m = pd.to_numeric(mean, errors="coerce").to_numpy(dtype=float)
    excess = m - overall
    with np.errstate(invalid="ignore", divide="ignore"):
        z = excess / (sd / np.sqrt(n)) if sd > 0 else np.where(excess > 0, np.inf, 0.0)
    ok = (excess >= PERCEIVED_MIN_EXCESS) & (z >= PERCEIVED_Z) & np.isfinite(m) & (n > 0)
    return pd.Series(ok, index=marks.index)


def survey_summary(
    survey: gpd.GeoDataFrame,
    *,
    geography: Any | None,
    hotspots: gpd.GeoDataFrame | None,
    privacy: Privacy,
    lang: Language,
) -> SurveySummary:
    """Summarise the survey marks per district, reason and time, and the unsafe places.

    Parameters
    ----------
    survey
        Survey marks with ``unsafe`` (1-5) and optionally ``date``, ``reason``,
        ``time_of_day``; metric CRS.
    geography
        Base layers (districts, places), or ``None``.
    hotspots
        The analysis' hotspots (``kind`` ``crime`` and ``perceived``), or ``None``.
    privacy, lang
        Profile and language.
    """
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
                "label": [_reason(r, lang) for r in vc.index],
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
                "label": [_time_of_day(k, lang) for k in order],
                "marks": [int(vc[k]) for k in order],
            }
        )
    if privacy == "public":
        reasons = reasons[reasons["marks"] >= MIN_PUBLIC_COUNT]
        times = times[times["marks"] >= MIN_PUBLIC_COUNT]
    overall = float(score.mean()) if len(survey) else math.nan
    sd = float(score.std(ddof=1)) if score.notna().sum() > 1 else math.nan
    columns = ["district", "near", "near_m", "marks", "mean_unsafe"]
    perceived = pd.DataFrame(columns=columns)
    crime_fear: dict[str, int] = {}
    crime_fear_of = 0
    if hotspots is not None and len(hotspots):
        per = hotspots[hotspots["kind"] == "perceived"]
        near = [nearest_place(geography, g.representative_point()) for g in per.geometry]
        perceived = pd.DataFrame(
            {
                "district": per.get("district", pd.Series(dtype=object)).to_numpy(),
                "near": [n for n, _ in near],
                "near_m": [d for _, d in near],
                "marks": pd.to_numeric(per.get("survey_marks"), errors="coerce").to_numpy(),
                "mean_unsafe": pd.to_numeric(per.get("mean_unsafe"), errors="coerce").to_numpy(),
            },
            columns=columns,
        )
        keep = _clearly_above(perceived["marks"], perceived["mean_unsafe"], overall=overall, sd=sd)
        if privacy == "public":
            keep &= perceived["marks"].fillna(0) >= MIN_PUBLIC_COUNT
        perceived = perceived[keep].sort_values("marks", ascending=False)
        crime = hotspots[hotspots["kind"] == "crime"].sort_values("rank").head(10)
        if "crime_fear" in crime:
            vc = crime["crime_fear"].dropna().astype(str).value_counts()
            crime_fear = {k: int(vc[k]) for k in CRIME_FEAR_CLASSES if k in vc.index}
            crime_fear_of = len(crime)
    return SurveySummary(
        n_marks=len(survey),
        mean_unsafe=overall,
        sd_unsafe=sd,
        share_unsafe=float(high.mean()) if len(survey) else math.nan,
        first=first,
        last=last,
        districts=by.reset_index(drop=True),
        reasons=reasons.reset_index(drop=True),
        times=times.reset_index(drop=True),
        perceived_places=perceived.reset_index(drop=True),
        crime_fear=crime_fear,
        crime_fear_of=crime_fear_of,
    )


# ------------------------------------------------------------------------------ top places

_TOP_COLUMNS = [
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
]


def _categories(hotspot: pd.Series, privacy: Privacy, lang: Language) -> str:
    cats = []
    for item in hotspot.get("top_categories") or []:
        code = str(item.get("code", "")) if isinstance(item, dict) else str(item)
        if not code or is_restricted(code):
            continue
        n = item.get("count") if isinstance(item, dict) else None
        text = label(code, lang)
        if n is not None and privacy == "internal":
            text += f" {number_text(round(float(n)), lang)}"
        cats.append(text)
    return ", ".join(cats[:3])


def _proposals(plan: Any | None, rank: int, lang: Language) -> list[str]:
    if plan is None or not len(plan.suggestions):
        return []
    out = []
    sug = plan.suggestions[plan.suggestions["hotspot_rank"] == rank]
    for _, s in sug.sort_values("rank").head(3).iterrows():
        kind = KIND_LABELS.get(str(s["kind"]), {}).get(lang, str(s["kind"]))
        days = days_words(s["weekdays"], lang, hours=s["hours"])  # a night's small hours: its night
        out.append(f"{kind} {days} {s['hours']} ({s['place']})")
    return out


def top_places(
    result: Any,
    plan: Any | None,
    *,
    period: Period,
    incidents: gpd.GeoDataFrame,
    privacy: Privacy,
    lang: Language,
    top_n: int,
) -> gpd.GeoDataFrame:
    """The ``top_n`` crime hotspots with their time windows and the planner's proposals.

    Columns: see :attr:`hotspots.est.lagesbild.Lagesbild.top_places`. Restricted categories
    are never named; proposals only in the internal profile.
    """
    hot = result.hotspots
    hot = hot[hot["kind"] == "crime"].sort_values("rank").head(top_n)
    inside_period = incidents[period.contains(incidents["occurred_at"]).to_numpy(dtype=bool)]
    inside_period = inside_period[inside_period["category"].isin(public_codes())]
    rows = []
    for _, h in hot.iterrows():
        gi = str(h.get("gi_class"))
        rows.append(
            {
                "rank": int(h["rank"]),
                "district": h.get("district") if isinstance(h.get("district"), str) else "",
                "incidents": float(h["incidents"]) if pd.notna(h["incidents"]) else math.nan,
                "in_period": int(inside_period.geometry.within(h.geometry).sum()),
                "categories": _categories(h, privacy, lang),
                "window": str(h.get("peak_window") or ""),
                "days": ", ".join(_day(d, lang) for d in (h.get("peak_weekdays") or [])),
                "significance": t(f"report_gi_{gi}", lang) if gi in _GI_CLASSES else "",
                "crime_fear": crime_fear_label(h.get("crime_fear"), lang),
                "proposals": _proposals(plan, h["rank"], lang) if privacy == "internal" else [],
                "geometry": h.geometry,
            }
        )
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=_TOP_COLUMNS), geometry="geometry", crs=hot.crs
    )
    if privacy == "public":
        for col in ("incidents", "in_period"):
            vals = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
            frame[col] = vals.mask(vals < MIN_PUBLIC_COUNT)
    return frame


# ------------------------------------------------------------------------------ emerging

_EMERGING_COLUMNS = [
    "cls",
    "label",
    "district",
    "near",
    "near_m",
    "cells",
    "incidents",
    "last_week",
    "hot_weeks",
    "trend",
]


def emerging_table(
    em: EmergingResult, *, geography: Any | None, privacy: Privacy, lang: Language
) -> pd.DataFrame:
    """Cells with a pattern grouped by class and district, most urgent class first.

    ``trend`` is the Mann-Kendall trend of the group's summed weekly counts; ``near`` the
    named place or street nearest to the group's busiest cell (:func:`nearest_place`) and
    ``near_m`` its distance in metres.
    """
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
    trends = {"increasing": "report_trend_rising", "decreasing": "report_trend_falling"}
    for (cls, dist), grp in frame.groupby(["cls", "district"], sort=False):
        series = em.counts[:, grp["_row"].to_numpy(), grp["_col"].to_numpy()].sum(axis=1)
        mk = mann_kendall(series, alpha=alpha)
        top = grp.sort_values("incidents", ascending=False).iloc[0]
        near, near_m = nearest_place(geography, top.geometry.centroid)
        rows.append(
            {
                "cls": cls,
                "label": class_label(str(cls), lang),
                "district": dist,
                "near": near,
                "near_m": near_m,
                "cells": len(grp),
                "incidents": float(grp["incidents"].sum()),
                "last_week": float(grp["last_week"].sum()),
                "hot_weeks": int(grp["hot_weeks"].max()),
                "trend": t(trends.get(mk.trend, "report_trend_none"), lang),
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


# ------------------------------------------------------------------------------ actions

_EFFECT_COLUMNS = [
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


def _effect_place(action: pd.Series, geography: Any) -> Any:
    if action["place_kind"] == "district" and len(geography.districts):
        match = geography.districts[geography.districts["name"] == action["place_ref"]]
        if len(match):
            return match.geometry.iloc[0]
    return action.geometry


def effects_table(
    actions: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    *,
    period: Period,
    geography: Any | None,
    lang: Language,
) -> pd.DataFrame:
    """Effect follow-up (WDQ) of the actions started at least two weeks before the period's end.

    Columns: ``id``, ``place``, ``action``, ``date``, the six counts (place, buffer and
    control, 8 weeks before and after), ``wdq``, ``interpretation``, ``warnings``.
    """
    rows: list[dict[str, Any]] = []
    if actions.empty or geography is None:
        return pd.DataFrame(rows, columns=_EFFECT_COLUMNS)
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
        try:
            res = evaluate_effect(
                sel.to_crs(geography.crs),
                place=_effect_place(a, geography),
                action_date=dt.date.fromisoformat(str(a["date"])),
                study_area=geography.land,
                data_end=period.end,
            )
        except (InputSchemaError, InsufficientDataError) as exc:
            logger.info("no effect follow-up for %s: %s", a["id"], exc)
            continue
        w = res.wdq
        warnings = (
            interpretation_text(x, lang) if x != "too_early" else t("report_too_early", lang)
            for x in res.warnings
        )
        rows.append(
            {
                "id": a["id"],
                "place": place_label(a["place_kind"], a["place_ref"], lang),
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
                "warnings": "; ".join(dict.fromkeys(warnings)),
            }
        )
    return pd.DataFrame(rows, columns=_EFFECT_COLUMNS)


def public_actions(actions: gpd.GeoDataFrame, *, geography: Any | None) -> pd.DataFrame:
    """Actions as the public may see them: ongoing and done ones by district.

    Only district, kind, actor and status: no notes, no exact place, and no planned actions
    (operational information).
    """
    keep = actions[actions["status"].isin(["pågår", "klar"])]
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
