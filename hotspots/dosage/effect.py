"""Did the visits help? Place-days with and without a visit, against places without visits.

Design
------
The unit is the **place-day**: one place (a hotspot or a suggestion's area) on one local
date of the follow-up period. A place-day is *visited* when the place had at least one visit
of ``min_visit_minutes`` (Koper's 10) that day, *not visited* when it had no visit at all;
days with only shorter stops are left out of both groups (their dose is unclear). Places
with at least one visited day are the *treated* places; places with no visit of any kind in
the period, whose areas do not touch a treated place's area or buffer, are the *comparison*
places (comparable hotspots without visits).

For each treated place-day the outcome is the number of incidents in the place (and, apart,
in a displacement **buffer** ring of ``buffer_m`` around it) minus the mean number in the
comparison places *on the same day*: that removes what every place shared that day
(weekends, paydays, weather, events). The estimate is, per treated place, the mean adjusted
outcome on visited days minus that on other days, averaged over the places with weights of
their visited days:

``DiD = sum_p n1_p [(ybar_p1 - cbar_p1) - (ybar_p0 - cbar_p0)] / sum_p n1_p``

a difference-in-differences (visited against not visited, treated against comparison
places) in incidents per place-day. The counterfactual mean on visited days is
``ybar_1 - DiD``; the relative change is ``DiD`` over it.

Uncertainty: a percentile bootstrap interval from ``n_boot`` resamples of place-days with
replacement (within each treated place and visit status, and the comparison places within
each day), drawn from an explicit ``numpy.random.Generator``. It treats place-days as
independent; days of one place are not, so the true uncertainty is larger.

What it cannot say: the visits were not randomised. Days and places were chosen by people,
often where and when trouble was expected, so a difference is an association, not proven to
be an effect of the patrols; the wording of :func:`effect_text` says so every time. Only
incidents reported by the public count by default: incidents found by the police themselves
(drugs, weapons, drink-driving) rise with patrols by construction.

Beside the place-day comparison the Weighted Displacement Quotient of
:mod:`hotspots.est.effect` compares the patrol period (from the first visited day) with a
before window of equal length: treated places (A), their buffers (B) and the comparison
places (C). It asks whether the places as a whole fell relative to the comparison places,
whichever days had a visit, so it is not confounded by the choice of days the way the
place-day comparison is (visits go where and when trouble is expected, and a unit sent to
an incident stays there: visit days have more incidents before a visit can do anything).
The two can therefore point different ways; :func:`reconcile_key` picks the sentence that
says why (:func:`effect_text`).

References
----------
Ariel, B., Weinborn, C. & Sherman, L. W. (2016). "Soft" policing at hot spots: do police
community support officers work? *Journal of Experimental Criminology* 12, 277-317.

Koper, C. S. (1995). Just enough police presence. *Justice Quarterly* 12(4), 649-672.

Bowers, K. J. & Johnson, S. D. (2003). Measuring the geographical displacement and diffusion
of benefit effects of crime prevention activity. *Journal of Quantitative Criminology* 19(3),
275-301.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import t
from hotspots.core.schema import TIMEZONE
from hotspots.dosage.pings import times_local
from hotspots.engine.select import select_reactive
from hotspots.est.effect import WDQResult, interpretation_text, weighted_displacement_quotient
from hotspots.spatial.crs import check_metric

__all__ = [
    "MIN_INCIDENTS",
    "MIN_VISIT_DAYS",
    "DidEstimate",
    "PatrolEffect",
    "effect_text",
    "patrol_effect",
    "place_day_status",
    "reconcile_key",
]

Language = Literal["sv", "en"]

#: Fewest visited place-days, and incidents on treated place-days, to say anything.
MIN_VISIT_DAYS = 20
MIN_INCIDENTS = 20
#: Largest bootstrap index array held at once (elements).
_CHUNK = 4_000_000


@dataclass(frozen=True, slots=True)
class DidEstimate:
    """A difference-in-differences estimate with its bootstrap interval.

    Attributes
    ----------
    estimate
        Incidents per place-day on visited days minus the counterfactual.
    low, high
        Percentile bootstrap interval at level ``1 - alpha``.
    observed_mean
        Mean incidents per visited place-day.
    counterfactual_mean
        What the visited place-days would have had without the difference.
    relative
        ``estimate / counterfactual_mean`` (``nan`` when that is not positive).
    visit_days, other_days
        Place-days in the two groups (of the places that have both).
    places
        Treated places with both kinds of day.
    incidents
        Incidents on those treated place-days.
    """

    estimate: float
    low: float
    high: float
    observed_mean: float
    counterfactual_mean: float
    relative: float
    visit_days: int
    other_days: int
    places: int
    incidents: int

    @property
    def includes_zero(self) -> bool:
        """Whether the interval includes 0 (no difference cannot be ruled out)."""
        return not (self.low > 0 or self.high < 0)


@dataclass(frozen=True)
class PatrolEffect:
    """The follow-up of visits in a period.

    Attributes
    ----------
    start, end
        First date and the date after the last of the period (local).
    treated, controls
        Place ids of the treated and comparison places.
    excluded_place_days
        Treated place-days with only short stops, left out.
    place, buffer
        The estimates in the places and in their buffers (``None`` when they cannot be
        computed: no treated place with both kinds of day).
    wdq
        The WDQ of the patrol period against the window before it (``None`` without a first
        visited day or comparison places).
    wdq_before
        First date of the before window of the WDQ.
    buffer_m, min_visit_minutes, n_boot, alpha, reactive_only
        The settings.
    warnings
        ``few_visit_days``, ``few_incidents``, ``no_controls``, ``no_estimate``,
        ``no_before_data``, ``cut_at_data_end`` (``end`` is the data's end, before the
        period's), ``no_incident_data``; the design caveats are in :func:`effect_text`
        always.
    """

    start: dt.date
    end: dt.date
    treated: tuple[str, ...]
    controls: tuple[str, ...]
    excluded_place_days: int
    place: DidEstimate | None
    buffer: DidEstimate | None
    wdq: WDQResult | None
    wdq_before: dt.date | None
    buffer_m: float
    min_visit_minutes: float
    n_boot: int
    alpha: float
    reactive_only: bool
    warnings: tuple[str, ...]


def _day_index(days: np.ndarray, start: dt.date, n_days: int) -> np.ndarray:
    """Index of each date in the period, -1 outside."""
    offset = np.array([(d - start).days for d in days], dtype=np.int64)
    return np.where((offset >= 0) & (offset < n_days), offset, -1)


def place_day_status(
    visits: pd.DataFrame,
    place_ids: list[str],
    *,
    start: dt.date,
    end: dt.date,
    min_visit_minutes: float = 10.0,
) -> np.ndarray:
    """Visit status of each place-day: 1 visited, 0 not visited, -1 only short stops.

    Parameters
    ----------
    visits
        Visits (``place_id``, ``start_ms``, ``minutes``).
    place_ids
        The places, in row order of the result.
    start, end
        The period (local dates, ``end`` exclusive).
    min_visit_minutes
        Shortest visit that counts.

    Returns
    -------
    numpy.ndarray
        ``(len(place_ids), days)`` of int8.
    """
    n_days = (end - start).days
    status = np.zeros((len(place_ids), n_days), dtype=np.int8)
    if not len(visits):
        return status
    row_of = {p: k for k, p in enumerate(place_ids)}
    rows = visits["place_id"].map(row_of).to_numpy(dtype=float)
    days = times_local(visits["start_ms"].to_numpy(dtype=np.int64)).date
    col = _day_index(np.asarray(days, dtype=object), start, n_days)
    ok = np.isfinite(rows) & (col >= 0)
    long_enough = visits["minutes"].to_numpy(dtype=float) >= min_visit_minutes
    r = rows[ok].astype(np.int64)
    c = col[ok]
    short = ~long_enough[ok]
    status[r[short], c[short]] = -1
    status[r[~short], c[~short]] = 1  # a full visit wins over short stops the same day
    return status


def _counts(
    xy: np.ndarray, day_col: np.ndarray, areas: list[BaseGeometry], n_days: int
) -> np.ndarray:
    out = np.zeros((len(areas), n_days), dtype=np.int64)
    for k, area in enumerate(areas):
        if area is None or area.is_empty or not len(xy):
            continue
        x0, y0, x1, y1 = area.bounds
        box = np.flatnonzero(
            (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
        )
        if not len(box):
            continue
        inside = box[shapely.contains_xy(area, xy[box, 0], xy[box, 1])]
        cols = day_col[inside]
        out[k] = np.bincount(cols[cols >= 0], minlength=n_days)
    return out


def _did_point(
    y: np.ndarray, status: np.ndarray, m: np.ndarray
) -> tuple[float, float, int, int, int, int] | None:
    """Estimate, observed mean, visit days, other days, places, incidents (or ``None``)."""
    num = 0.0
    obs = 0.0
    n1_total = n0_total = places = incidents = 0
    for p in range(y.shape[0]):
        d1 = status[p] == 1
        d0 = status[p] == 0
        n1, n0 = int(d1.sum()), int(d0.sum())
        if not n1 or not n0:
            continue
        a = y[p] - m
        num += n1 * (a[d1].mean() - a[d0].mean())
        obs += float(y[p, d1].sum())
        n1_total += n1
        n0_total += n0
        places += 1
        incidents += int(y[p, d1].sum() + y[p, d0].sum())
    if not n1_total:
        return None
    return num / n1_total, obs / n1_total, n1_total, n0_total, places, incidents


def _did_boot(
    y: np.ndarray,
    status: np.ndarray,
    controls: np.ndarray,
    *,
    rng: np.random.Generator,
    n_boot: int,
) -> np.ndarray:
    """Bootstrap replicates of the estimate (see the module notes)."""
    n_days = y.shape[1]
    n_c = controls.shape[0]
    if n_c:
        m_star = np.empty((n_boot, n_days))
        step = max(1, _CHUNK // max(1, n_c * n_days))
        cols = np.arange(n_days)
        for b0 in range(0, n_boot, step):
            b1 = min(n_boot, b0 + step)
            idx = rng.integers(0, n_c, size=(b1 - b0, n_c, n_days))
            m_star[b0:b1] = controls[idx, cols].mean(axis=1)
    else:
        m_star = np.zeros((n_boot, n_days))
    num = np.zeros(n_boot)
    n1_total = 0
    rows = np.arange(n_boot)[:, None]
    for p in range(y.shape[0]):
        days1 = np.flatnonzero(status[p] == 1)
        days0 = np.flatnonzero(status[p] == 0)
        if not len(days1) or not len(days0):
            continue
        means = []
        for days in (days1, days0):
            pick = days[rng.integers(0, len(days), size=(n_boot, len(days)))]
            means.append((y[p, pick] - m_star[rows, pick]).mean(axis=1))
        num += len(days1) * (means[0] - means[1])
        n1_total += len(days1)
    return num / n1_total if n1_total else np.full(n_boot, np.nan)


def _estimate(
    y: np.ndarray,
    status: np.ndarray,
    controls: np.ndarray,
    *,
    rng: np.random.Generator,
    n_boot: int,
    alpha: float,
) -> DidEstimate | None:
    m = controls.mean(axis=0) if controls.shape[0] else np.zeros(y.shape[1])
    point = _did_point(y, status, m)
    if point is None:
        return None
    est, obs, n1, n0, places, incidents = point
    reps = _did_boot(y, status, controls, rng=rng, n_boot=n_boot)
    low, high = np.quantile(reps, [alpha / 2, 1 - alpha / 2])
    cf = obs - est
    return DidEstimate(
        estimate=float(est),
        low=float(low),
        high=float(high),
        observed_mean=float(obs),
        counterfactual_mean=float(cf),
        relative=float(est / cf) if cf > 0 else math.nan,
        visit_days=n1,
        other_days=n0,
        places=places,
        incidents=incidents,
    )


def patrol_effect(
    incidents: gpd.GeoDataFrame,
    places: Mapping[str, BaseGeometry],
    visits: pd.DataFrame,
    *,
    start: dt.date,
    end: dt.date,
    rng: np.random.Generator,
    buffer_m: float = 250.0,
    min_visit_minutes: float = 10.0,
    n_boot: int = 999,
    alpha: float = 0.05,
    reactive_only: bool = True,
    data_end: dt.date | None = None,
) -> PatrolEffect:
    """Incidents on place-days with and without a visit, against places without visits.

    Parameters
    ----------
    incidents
        Incident frame in a metric CRS (``occurred_at``, ``category``); it may reach before
        ``start`` (the WDQ's before window).
    places
        Place id -> area (metres): the candidates, treated and comparison alike (the
        hotspots and the suggestion areas of the plan).
    visits
        Visits to these places (:func:`~hotspots.dosage.visits.place_visits`).
    start, end
        The follow-up period, local dates (``end`` exclusive).
    rng
        Random generator of the bootstrap.
    buffer_m
        Width of the displacement buffer around each place, metres.
    min_visit_minutes
        Shortest visit that makes a visited day.
    n_boot
        Bootstrap resamples.
    alpha
        ``1 - alpha`` is the level of the intervals.
    reactive_only
        Count only incidents reported by the public (see the module notes).
    data_end
        The date after the last day with incident data; the period is cut there (a day
        without data is not a day without incidents). Default the day after the latest
        incident.

    Returns
    -------
    PatrolEffect
        Both estimates, the WDQ and the warnings.

    Raises
    ------
    CRSError
        When the incidents are not in a metric CRS.
    InputSchemaError
        For an empty period or bad settings.
    """
    check_metric(incidents.crs, argument="incidents")
    if (end - start).days < 1:
        msg = f"effect: the period {start} to {end} is empty (end is the date after the last)"
        raise InputSchemaError(msg)
    if not (0 < alpha < 1) or n_boot < 99 or buffer_m <= 0:
        msg = "effect: need 0 < alpha < 1, n_boot >= 99 and buffer_m > 0"
        raise InputSchemaError(msg)
    warnings: list[str] = []
    if data_end is None and len(incidents):
        last = pd.Timestamp(incidents["occurred_at"].max()).tz_convert(TIMEZONE)
        data_end = last.date() + dt.timedelta(days=1)
    if data_end is not None and data_end < end:
        warnings.append("cut_at_data_end")
        end = max(start + dt.timedelta(days=1), data_end)
        if data_end <= start:
            warnings.append("no_incident_data")
    n_days = (end - start).days
    chosen = select_reactive(incidents) if reactive_only else incidents
    ids = [str(p) for p in places]
    areas = [places[p] for p in places]
    status = place_day_status(
        visits, ids, start=start, end=end, min_visit_minutes=min_visit_minutes
    )
    visited_any = np.zeros(len(ids), dtype=bool)
    if len(visits):
        in_period = times_local(visits["start_ms"].to_numpy(dtype=np.int64)).date
        ok = np.array([start <= d < end for d in in_period], dtype=bool)
        visited_any = np.isin(ids, visits.loc[ok, "place_id"].astype(str).unique())
    treated = np.flatnonzero((status == 1).any(axis=1))
    reach = [areas[k].buffer(buffer_m) for k in treated]
    touched = shapely.union_all(reach) if reach else None
    controls = [
        k
        for k in range(len(ids))
        if not visited_any[k] and (touched is None or not areas[k].intersects(touched))
    ]
    # incidents by place and day
    local = pd.DatetimeIndex(chosen["occurred_at"]).tz_convert(TIMEZONE)
    xy = shapely.get_coordinates(chosen.geometry.centroid.to_numpy()).reshape(-1, 2)
    day_col = _day_index(np.asarray(local.date, dtype=object), start, n_days)
    rings = [a.buffer(buffer_m).difference(a) for a in areas]
    y_place = _counts(xy, day_col, [areas[k] for k in treated], n_days)
    y_ring = _counts(xy, day_col, [rings[k] for k in treated], n_days)
    c_place = _counts(xy, day_col, [areas[k] for k in controls], n_days).astype(float)
    c_ring = _counts(xy, day_col, [rings[k] for k in controls], n_days).astype(float)
    st = status[treated]
    est_place = _estimate(y_place, st, c_place, rng=rng, n_boot=n_boot, alpha=alpha)
    est_ring = _estimate(y_ring, st, c_ring, rng=rng, n_boot=n_boot, alpha=alpha)
    if "no_incident_data" in warnings:
        est_place = est_ring = None
    if not controls:
        warnings.append("no_controls")
    if est_place is None:
        warnings.append("no_estimate")
    else:
        if est_place.visit_days < MIN_VISIT_DAYS:
            warnings.append("few_visit_days")
        if est_place.incidents < MIN_INCIDENTS:
            warnings.append("few_incidents")
    wdq, before = _wdq(
        local,
        xy,
        status=st,
        areas=[areas[k] for k in treated],
        rings=[rings[k] for k in treated],
        controls=[areas[k] for k in controls],
        start=start,
        end=end,
        warnings=warnings,
        alpha=alpha,
    )
    return PatrolEffect(
        start=start,
        end=end,
        treated=tuple(ids[k] for k in treated),
        controls=tuple(ids[k] for k in controls),
        excluded_place_days=int((st == -1).sum()),
        place=est_place,
        buffer=est_ring,
        wdq=wdq,
        wdq_before=before,
        buffer_m=float(buffer_m),
        min_visit_minutes=float(min_visit_minutes),
        n_boot=int(n_boot),
        alpha=float(alpha),
        reactive_only=bool(reactive_only),
        warnings=tuple(warnings),
    )


def _wdq(
    local: pd.DatetimeIndex,
    xy: np.ndarray,
    *,
    status: np.ndarray,
    areas: list[BaseGeometry],
    rings: list[BaseGeometry],
    controls: list[BaseGeometry],
    start: dt.date,
    end: dt.date,
    warnings: list[str],
    alpha: float,
) -> tuple[WDQResult | None, dt.date | None]:
    visited_days = np.flatnonzero((status == 1).any(axis=0)) if status.size else np.array([])
    if not len(visited_days) or not controls or not areas:
        return None, None
    first = start + dt.timedelta(days=int(visited_days[0]))
    length = (end - first).days
    before = first - dt.timedelta(days=length)
    dates = np.asarray(local.date, dtype=object)
    if not len(dates) or min(dates) > before:
        warnings.append("no_before_data")
    b_mask = np.array([before <= d < first for d in dates], dtype=bool)
    a_mask = np.array([first <= d < end for d in dates], dtype=bool)
    target = shapely.union_all(areas)
    ring = shapely.difference(shapely.union_all(rings), target)
    control = shapely.union_all(controls)

    def count(geom: BaseGeometry, mask: np.ndarray) -> int:
        if not mask.any() or geom.is_empty:
            return 0
        return int(shapely.contains_xy(geom, xy[mask, 0], xy[mask, 1]).sum())

    result = weighted_displacement_quotient(
        a_before=count(target, b_mask),
        a_after=count(target, a_mask),
        b_before=count(ring, b_mask),
        b_after=count(ring, a_mask),
        c_before=count(control, b_mask),
        c_after=count(control, a_mask),
        alpha=alpha,
    )
    return result, before


def _decimal(value: float, lang: Language, *, sign: bool = False) -> str:
    """Two decimals; Swedish with a decimal comma and a real minus."""
    text = f"{value:+.2f}" if sign else f"{value:.2f}"
    return text.replace(".", ",").replace("-", "\u2212") if lang == "sv" else text


def reconcile_key(effect: PatrolEffect) -> str | None:
    """The text key that reconciles the place-day comparison with the WDQ, if they disagree.

    The place-day direction is the sign of its point estimate (the numbers the reader sees,
    interval or not); the WDQ's is the sign of its success measure (the places against the
    comparison places, after against before). Nothing is reconciled without both, or when
    the WDQ's counts are too small to say anything (its line says so).

    Returns
    -------
    str or None
        ``dosage_reconcile_more`` (more incidents on visit days, fewer at the places over
        the period: the choice of days), ``dosage_reconcile_fewer`` (fewer on visit days,
        not fewer over the period), or ``None`` (they agree, or one is missing).
    """
    est, wdq = effect.place, effect.wdq
    if est is None or wdq is None or wdq.too_few:
        return None
    sm = wdq.success_measure
    if not (math.isfinite(est.estimate) and math.isfinite(sm)):
        return None
    if est.estimate > 0 and sm < 0:
        return "dosage_reconcile_more"
    if est.estimate < 0 and sm > 0:
        return "dosage_reconcile_fewer"
    return None


def effect_text(effect: PatrolEffect, lang: Language = "sv") -> list[str]:
    """Plain-language sentences that claim no more than the design allows.

    The design caveats (not randomised; intervals too narrow; public reports only) are
    always part of it; a difference is called fewer or more only when its interval excludes
    zero, and never an effect. The WDQ line says what the WDQ measures, and when the two
    comparisons point different ways a sentence says why (:func:`reconcile_key`).
    """
    if lang not in ("sv", "en"):
        msg = f"lang: {lang!r} is not a language; use sv or en"
        raise InputSchemaError(msg)
    out: list[str] = []
    last = effect.end - dt.timedelta(days=1)
    if "no_incident_data" in effect.warnings:
        out.append(t("dosage_no_data", lang, start=effect.start.isoformat()))
    elif "cut_at_data_end" in effect.warnings:
        out.append(t("dosage_cut", lang, last=last.isoformat()))
    level = round(100 * (1 - effect.alpha))
    est = effect.place
    if est is None:
        out.append(t("dosage_no_estimate", lang))
    else:
        key = "design" if effect.controls else "design_no_controls"
        out.append(
            t(
                f"dosage_{key}",
                lang,
                n1=est.visit_days,
                n0=est.other_days,
                places=est.places,
                controls=len(effect.controls),
                minutes=effect.min_visit_minutes,
                start=effect.start.isoformat(),
                last=last.isoformat(),
            )
        )
        few = "few_visit_days" in effect.warnings or "few_incidents" in effect.warnings
        for which, e in (("in_place", est), ("in_buffer", effect.buffer)):
            if e is None:
                continue
            out.append(
                t(
                    "dosage_result",
                    lang,
                    where=t(f"dosage_{which}", lang, m=effect.buffer_m),
                    obs=_decimal(e.observed_mean, lang),
                    cf=_decimal(e.counterfactual_mean, lang),
                    est=_decimal(e.estimate, lang, sign=True),
                    level=level,
                    low=_decimal(e.low, lang, sign=True),
                    high=_decimal(e.high, lang, sign=True),
                )
            )
            if few:
                continue  # the numbers are shown, no direction is claimed
            if which == "in_place":
                if e.includes_zero:
                    out.append(t("dosage_zero", lang))
                else:
                    pct = 100 * e.relative if math.isfinite(e.relative) else math.nan
                    out.append(
                        t("dosage_fewer" if e.estimate < 0 else "dosage_more", lang, pct=pct)
                    )
            elif e.includes_zero:
                out.append(t("dosage_no_buffer_sign", lang))
            else:
                out.append(t("dosage_displacement" if e.estimate > 0 else "dosage_diffusion", lang))
        if few:
            out.append(t("dosage_few", lang))
    if effect.wdq is not None and effect.wdq_before is not None:
        first = effect.end - dt.timedelta(days=(effect.end - effect.wdq_before).days // 2)
        text = interpretation_text(effect.wdq.interpretation, lang)
        if effect.wdq.too_few:
            text += "; " + interpretation_text("too_few", lang).lower()
        elif "not_significant" in effect.wdq.warnings:
            text += "; " + interpretation_text("not_significant", lang).lower()
        out.append(
            t(
                "dosage_wdq",
                lang,
                before=effect.wdq_before.isoformat(),
                first=first.isoformat(),
                last=last.isoformat(),
                text=text,
            )
        )
        out.append(t("dosage_wdq_what", lang))
        key = reconcile_key(effect)
        if key is not None:
            out.append(t(key, lang))
    out.append(t("dosage_observational", lang))
    out.append(t("dosage_dependence", lang))
    if effect.reactive_only:
        out.append(t("dosage_reactive", lang))
    return out
