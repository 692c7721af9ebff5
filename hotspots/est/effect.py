"""Effect follow-up of an action: before/after counts and the Weighted Displacement Quotient.

For a place where an action started on a date, incidents are counted in three areas, before and
after that date:

* **A, target**: the place itself (a polygon, or a circle of ``target_radius_m`` around a
  point);
* **B, buffer**: a ring of width ``buffer_m`` around the target, where crime could be displaced
  to (or where benefits could spill over);
* **C, control**: a comparison area that the action did not touch: by default the study area
  minus the target, the buffer and a gap of ``gap_m`` beyond the buffer.

The Weighted Displacement Quotient (Bowers & Johnson 2003) is

``WDQ = (B_a/C_a - B_b/C_b) / (A_a/C_a - A_b/C_b)``

the *displacement measure* (buffer change relative to the control) divided by the *success
measure* (target change relative to the control). It is meaningful only when the success
measure is negative (the target improved relative to the control). Interpretation:

* ``WDQ > 1``: diffusion of benefits larger than the direct effect;
* ``0 < WDQ <= 1``: diffusion of benefits;
* ``WDQ = 0``: neither displacement nor diffusion;
* ``-1 <= WDQ < 0``: some displacement, smaller than the direct effect (net benefit);
* ``WDQ < -1``: displacement larger than the direct effect (net harm).

The total net effect, in incidents prevented (positive) or added (negative), is
``TNE = (A_b * C_a/C_b - A_a) + (B_b * C_a/C_b - B_a)``.

Small counts make all of this noise; :data:`MIN_COUNTS` states the thresholds below which a
warning says the numbers are too small to say anything. The target change relative to the
control is also tested with the conditional binomial test of :mod:`hotspots.est.compare` (control
counts as exposures).

References
----------
Bowers, K. J. & Johnson, S. D. (2003). Measuring the geographical displacement and diffusion
of benefit effects of crime prevention activity. *Journal of Quantitative Criminology* 19(3),
275-301.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.est.compare import ChangeTest, change_test
from hotspots.spatial.crs import check_metric

__all__ = [
    "MIN_COUNTS",
    "EffectAreas",
    "EffectResult",
    "WDQResult",
    "effect_areas",
    "evaluate_effect",
    "interpretation_text",
    "weighted_displacement_quotient",
]

Language = Literal["sv", "en"]
Interpretation = Literal[
    "no_success",
    "diffusion_greater",
    "diffusion",
    "no_displacement",
    "displacement_less",
    "displacement_greater",
    "undefined",
]

#: Minimum counts for a meaningful WDQ: target before+after, buffer before+after, and each
#: control period. Below them the result carries a "too few" warning.
MIN_COUNTS: dict[str, int] = {"target": 20, "buffer": 10, "control": 20}
#: |WDQ| below this counts as "neither displacement nor diffusion".
_ZERO_WDQ = 0.05


@dataclass(frozen=True, slots=True)
class WDQResult:
    """Weighted Displacement Quotient and its components.

    Attributes
    ----------
    a_before, a_after, b_before, b_after, c_before, c_after
        Incident counts in target (A), buffer (B) and control (C) before and after.
    success_measure
        ``A_a/C_a - A_b/C_b``; negative means the target improved relative to the control.
    displacement_measure
        ``B_a/C_a - B_b/C_b``; positive means displacement to the buffer, negative diffusion.
    wdq
        ``displacement_measure / success_measure``; ``nan`` when undefined.
    total_net_effect
        Incidents prevented (positive) or added (negative), target and buffer together.
    target_test
        Conditional binomial test of ``A_a`` vs ``A_b`` with the control counts as exposures.
    interpretation
        One of ``no_success``, ``diffusion_greater``, ``diffusion``, ``no_displacement``,
        ``displacement_less``, ``displacement_greater``, ``undefined``.
    warnings
        Codes of the caveats: ``too_few_target``, ``too_few_buffer``, ``too_few_control``,
        ``no_control``, ``not_significant``.
    """

    a_before: int
    a_after: int
    b_before: int
    b_after: int
    c_before: int
    c_after: int
    success_measure: float
    displacement_measure: float
    wdq: float
    total_net_effect: float
    target_test: ChangeTest | None
    interpretation: Interpretation
    warnings: tuple[str, ...]

    @property
    def too_few(self) -> bool:
        """Whether the counts are too small to say anything."""
        return any(w.startswith("too_few") or w == "no_control" for w in self.warnings)


def _interpret(sm: float, wdq: float) -> Interpretation:
    if not math.isfinite(sm):
        return "undefined"
    if sm >= 0:
        return "no_success"
    if not math.isfinite(wdq):
        return "undefined"
    if abs(wdq) < _ZERO_WDQ:
        return "no_displacement"
    if wdq > 1:
        return "diffusion_greater"
    if wdq > 0:
        return "diffusion"
    if wdq >= -1:
        return "displacement_less"
    return "displacement_greater"


def weighted_displacement_quotient(
    *,
    a_before: int,
    a_after: int,
    b_before: int,
    b_after: int,
    c_before: int,
    c_after: int,
    alpha: float = 0.05,
) -> WDQResult:
    """Compute the WDQ (Bowers & Johnson 2003) and its components from six counts.

    Parameters
    ----------
    a_before, a_after
        Incidents in the target area before and after the action date.
    b_before, b_after
        Incidents in the buffer area.
    c_before, c_after
        Incidents in the control area.
    alpha
        Significance level of the target test.

    Returns
    -------
    WDQResult
        Measures, quotient, total net effect, interpretation and warnings.

    Raises
    ------
    InputSchemaError
        For a negative count.
    """
    counts = (a_before, a_after, b_before, b_after, c_before, c_after)
    if any(int(c) < 0 for c in counts):
        msg = f"counts must be non-negative (got {counts})"
        raise InputSchemaError(msg)
    ab, aa, bb, ba, cb, ca = (int(c) for c in counts)
    warnings: list[str] = []
    if ab + aa < MIN_COUNTS["target"]:
        warnings.append("too_few_target")
    if bb + ba < MIN_COUNTS["buffer"]:
        warnings.append("too_few_buffer")
    if cb == 0 or ca == 0:
        warnings.append("no_control")
        return WDQResult(
            ab, aa, bb, ba, cb, ca, math.nan, math.nan, math.nan, math.nan, None, "undefined",
            tuple(warnings),
        )  # fmt: skip
    if min(cb, ca) < MIN_COUNTS["control"]:
        warnings.append("too_few_control")
    sm = aa / ca - ab / cb
    dm = ba / ca - bb / cb
    wdq = dm / sm if sm != 0 else math.nan
    scale = ca / cb
    tne = (ab * scale - aa) + (bb * scale - ba)
    test = change_test(aa, ab, exposure_current=ca, exposure_reference=cb, alpha=alpha)
    if test.verdict in ("no_change", "no_data"):
        warnings.append("not_significant")
    return WDQResult(
        ab, aa, bb, ba, cb, ca, sm, dm, wdq, tne, test, _interpret(sm, wdq), tuple(warnings)
    )


_TEXT: dict[str, dict[str, str]] = {
    "no_success": {
        "sv": "Ingen minskning på platsen i förhållande till kontrollområdet",
        "en": "No reduction at the place relative to the control area",
    },
    "diffusion_greater": {
        "sv": "Spridning av positiv effekt, större än den direkta effekten",
        "en": "Diffusion of benefits greater than the direct effect",
    },
    "diffusion": {
        "sv": "Minskning på platsen och spridning av positiv effekt till närområdet",
        "en": "Reduction at the place with diffusion of benefits to the surroundings",
    },
    "no_displacement": {
        "sv": "Minskning på platsen utan förflyttning eller spridning",
        "en": "Reduction at the place without displacement or diffusion",
    },
    "displacement_less": {
        "sv": "Minskning på platsen; viss förflyttning till närområdet men nettovinst",
        "en": "Reduction at the place; some displacement nearby but a net gain",
    },
    "displacement_greater": {
        "sv": "Förflyttning till närområdet större än minskningen på platsen",
        "en": "Displacement nearby larger than the reduction at the place",
    },
    "undefined": {
        "sv": "Kan inte beräknas (inga händelser i kontrollområdet eller oförändrat)",
        "en": "Cannot be computed (no incidents in the control area, or no change)",
    },
    "too_few": {
        "sv": "För få händelser för att säga något säkert",
        "en": "Too few incidents to say anything reliable",
    },
    "not_significant": {
        "sv": "Förändringen på platsen går inte att skilja från slumpen",
        "en": "The change at the place cannot be told from chance",
    },
}


def interpretation_text(code: str, lang: Language = "sv") -> str:
    """Plain-language text of an interpretation or warning code."""
    key = "too_few" if code.startswith("too_few") or code == "no_control" else code
    texts = _TEXT.get(key)
    return texts[lang] if texts else code


@dataclass(frozen=True, slots=True)
class EffectAreas:
    """Target, buffer and control polygons in the metric CRS.

    Attributes
    ----------
    target, buffer, control
        Shapely geometries (metres).
    """

    target: BaseGeometry
    buffer: BaseGeometry
    control: BaseGeometry


def effect_areas(
    place: BaseGeometry,
    *,
    study_area: BaseGeometry | None = None,
    control: BaseGeometry | None = None,
    target_radius_m: float = 150.0,
    buffer_m: float = 250.0,
    gap_m: float = 250.0,
) -> EffectAreas:
    """Build the target, buffer and control areas around a place.

    Parameters
    ----------
    place
        The action's geometry (metric CRS): a point gets a circle of ``target_radius_m``,
        a polygon is used as is.
    study_area
        Area the control is cut from (e.g. the municipality's land); required unless
        ``control`` is given.
    control
        An explicit control area; overrides the default.
    target_radius_m
        Radius of the target circle around a point, metres.
    buffer_m
        Width of the buffer ring around the target, metres.
    gap_m
        Gap between the buffer and the default control, metres.

    Raises
    ------
    InputSchemaError
        When neither a study area nor a control is given, or the control is empty.
    """
    if place.geom_type in ("Point", "MultiPoint", "LineString", "MultiLineString"):
        target = place.buffer(target_radius_m)
    else:
        target = place
    outer = target.buffer(buffer_m)
    buffer = outer.difference(target)
    if control is None:
        if study_area is None:
            msg = "effect: give a study area (e.g. the municipality) or an explicit control area"
            raise InputSchemaError(msg)
        control = study_area.difference(outer.buffer(gap_m))
    if control.is_empty:
        msg = "effect: the control area is empty; give a larger study area or a control polygon"
        raise InputSchemaError(msg)
    return EffectAreas(target=target, buffer=buffer, control=control)


@dataclass(frozen=True, slots=True)
class EffectResult:
    """Before/after follow-up of one action.

    Attributes
    ----------
    action_date
        Start date of the action (local).
    before_start, after_end
        First local date of the before window and date after the after window.
    days_before, days_after
        Lengths of the two windows in days (the after window may be cut at the data's end).
    areas
        The target, buffer and control areas.
    wdq
        The counts, measures and WDQ.
    warnings
        ``too_early`` when the after window is shorter than 14 days, plus ``wdq.warnings``.
    """

    action_date: dt.date
    before_start: dt.date
    after_end: dt.date
    days_before: int
    days_after: int
    areas: EffectAreas
    wdq: WDQResult
    warnings: tuple[str, ...]


def evaluate_effect(
    incidents: gpd.GeoDataFrame,
    *,
    place: BaseGeometry,
    action_date: dt.date,
    study_area: BaseGeometry | None = None,
    control: BaseGeometry | None = None,
    window_days: int = 56,
    data_end: dt.date | None = None,
    target_radius_m: float = 150.0,
    buffer_m: float = 250.0,
    gap_m: float = 250.0,
) -> EffectResult:
    """Count incidents before and after ``action_date`` in target, buffer and control.

    Parameters
    ----------
    incidents
        Incident frame in a metric CRS, already restricted to the categories the action targets.
    place
        The action's geometry in the same CRS.
    action_date
        First day of the action; the before window ends the day before it.
    study_area, control, target_radius_m, buffer_m, gap_m
        See :func:`effect_areas`.
    window_days
        Length of the before and after windows, days.
    data_end
        Date after the last day with data; the after window is cut there. Default: the day
        after the latest incident.

    Returns
    -------
    EffectResult
        Windows, areas and the WDQ.

    Raises
    ------
    CRSError
        When the incidents are not in a metric CRS.
    InputSchemaError
        When the after window is empty (action date at or after the data's end).
    """
    check_metric(incidents.crs, argument="incidents")
    if window_days < 1:
        msg = f"effect: window_days must be at least 1 (got {window_days})"
        raise InputSchemaError(msg)
    areas = effect_areas(
        place,
        study_area=study_area,
        control=control,
        target_radius_m=target_radius_m,
        buffer_m=buffer_m,
        gap_m=gap_m,
    )
    t = incidents["occurred_at"]
    if data_end is None:
        data_end = (
            (t.max().tz_convert(TIMEZONE).date() + dt.timedelta(days=1)) if len(t) else action_date
        )
    before_start = action_date - dt.timedelta(days=window_days)
    after_end = min(action_date + dt.timedelta(days=window_days), data_end)
    if after_end <= action_date:
        msg = (
            f"effect: no data after the action date {action_date} (data end {data_end}); "
            "wait for new incidents before following up"
        )
        raise InputSchemaError(msg)

    def ts(day: dt.date) -> pd.Timestamp:
        return pd.Timestamp(day.year, day.month, day.day).tz_localize(TIMEZONE)

    before = ((t >= ts(before_start)) & (t < ts(action_date))).to_numpy(dtype=bool)
    after = ((t >= ts(action_date)) & (t < ts(after_end))).to_numpy(dtype=bool)
    # Each incident belongs to one area at most: target first, then buffer, then control.
    geoms = incidents.geometry
    in_target = geoms.covered_by(areas.target).to_numpy(dtype=bool)
    in_buffer = geoms.covered_by(areas.buffer).to_numpy(dtype=bool) & ~in_target
    in_control = geoms.covered_by(areas.control).to_numpy(dtype=bool) & ~in_target & ~in_buffer
    n = {
        f"{name}_{when}": int((inside & mask).sum())
        for name, inside in (("a", in_target), ("b", in_buffer), ("c", in_control))
        for when, mask in (("before", before), ("after", after))
    }
    result = weighted_displacement_quotient(**n)
    days_after = (after_end - action_date).days
    warnings = list(result.warnings)
    if days_after < 14:
        warnings.insert(0, "too_early")
    return EffectResult(
        action_date=action_date,
        before_start=before_start,
        after_end=after_end,
        days_before=window_days,
        days_after=days_after,
        areas=areas,
        wdq=result,
        warnings=tuple(warnings),
    )
