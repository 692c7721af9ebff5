"""The reason of a suggestion in Swedish and English: the evidence, the marks, the time."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from hotspots.core.days import after_midnight, nights_words
from hotspots.core.i18n import STRINGS, t, weekday_names
from hotspots.core.numbers import number_text
from hotspots.core.taxonomy import label
from hotspots.planning import patrol
from hotspots.planning.context import Context
from hotspots.planning.model import MARK_REASON_LABELS, REASON_CATEGORIES, UNSAFE_MIN, Draft

__all__ = ["days_text", "reason"]


def _range_text(d0: dt.date, d1: dt.date, lang: str) -> str:
    return f"{d0.isoformat()}–{d1.isoformat()}" if lang == "sv" else f"{d0} to {d1}"


def days_text(weekdays: Sequence[int], lang: str, *, hours: object = None) -> str:
    """Compact weekday list (``fre–lör``, ``Mon, Wed``) in ``lang``.

    The names are :func:`hotspots.core.i18n.weekday_names`: lowercase in Swedish, capitalised
    in English.

    With ``hours`` wholly after midnight (``00-03``) the days are nights' late hours, named
    by their nights (``nätterna fre/lör, lör/sön``: :func:`hotspots.core.days.nights_words`).
    """
    names = weekday_names(list(range(7)), "sv" if lang == "sv" else "en")
    days = sorted(set(int(d) for d in weekdays))
    if days and after_midnight(hours):
        return nights_words(days, "sv" if lang == "sv" else "en")
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


def _count(n: float, lang: str) -> str:
    """A count in a reason, as ``lang`` writes it (``2 031`` / ``2,031``)."""
    return number_text(n, "sv" if lang == "sv" else "en")


def _mark_text(reasons: dict[str, int], lang: str) -> str:
    k = 0 if lang == "sv" else 1
    return ", ".join(
        f"{MARK_REASON_LABELS.get(r, (r, r))[k]} {_count(n, lang)}" for r, n in reasons.items()
    )


#: The sentences of a suggestion's reason, per language.
_REASON_PHRASES: dict[str, dict[str, str]] = {
    "sv": {
        "incidents": "{n} händelser inom {radius} m {when}: {parts}. ",
        "incident": "1 händelse inom {radius} m {when}: {parts}. ",
        "marks": "{marks} otrygghetsmarkeringar (betyg {low}–5) inom {radius} m",
        "in_window": "{k} av {n} inträffade {days} kl. {window}.",
        "time": "Tid: {days} kl. {window}.",
        "rotation": " Plats {site} av {total} i veckorotation.",
    },
    "en": {
        "incidents": "{n} incidents within {radius} m, {when}: {parts}. ",
        "incident": "1 incident within {radius} m, {when}: {parts}. ",
        "marks": "{marks} unsafe marks (score {low}-5) within {radius} m",
        "in_window": "{k} of {n} happened {days} {window}.",
        "time": "Time: {days} {window}.",
        "rotation": " Site {site} of {total} in the weekly rotation.",
    },
}


def reason(ctx: Context, d: Draft, evidence: dict[str, int], in_window: int, lang: str) -> str:
    """The reason of ``d`` in ``lang``: intro, evidence (top categories), marks and time."""
    intro = d.intro[0] if lang == "sv" else d.intro[1]
    n = sum(evidence.values())
    ranked = sorted(evidence.items(), key=lambda x: (-x[1], x[0]))
    parts = [f"{label(c, lang)} {_count(k, lang)}" for c, k in ranked[:REASON_CATEGORIES]]
    rest = sum(k for _, k in ranked[REASON_CATEGORIES:])
    if rest:
        parts.append(
            f"övriga {_count(rest, lang)}" if lang == "sv" else f"others {_count(rest, lang)}"
        )
    radius = round(d.radius_m)
    if n and len(d.members):
        t = ctx.t[d.members]
        d0, d1 = t.min().date(), t.max().date()
        when = _range_text(d0, d1, lang)
    else:
        when = ""
    days = days_text(d.weekdays, lang, hours=d.window)
    phrase = _REASON_PHRASES["sv" if lang == "sv" else "en"]
    text = f"{intro}. "
    if n:
        text += phrase["incident" if n == 1 else "incidents"].format(
            n=_count(n, lang), radius=_count(radius, lang), when=when, parts=", ".join(parts)
        )
    if d.marks:
        text += phrase["marks"].format(
            marks=_count(d.marks, lang), low=UNSAFE_MIN, radius=_count(radius, lang)
        )
        if d.mark_reasons:
            text += " (" + _mark_text(d.mark_reasons, lang) + ")"
        text += ". "
    if n:
        text += phrase["in_window"].format(
            k=_count(in_window, lang), n=_count(n, lang), days=days, window=d.window
        )
    else:
        text += phrase["time"].format(days=days, window=d.window)
    if d.kind == "traffic_check" and d.sites_in_rotation > 1:
        text += phrase["rotation"].format(site=d.site, total=d.sites_in_rotation)
    return text + _route_text(d, lang)


def _route_text(d: Draft, lang: str) -> str:
    """How a loop is drawn (along the streets or straight) and where a checkpoint stands."""
    language = "sv" if lang == "sv" else "en"
    if d.loop_path == "straight":
        return " " + t("plan_loop_straight", language)
    if d.loop_path == "streets" and d.loop_length_m and d.walk_minutes is not None:
        speed = f"{patrol.WALKING_SPEED_M_PER_MIN * 60.0 / 1000.0:g}"
        return " " + t(
            "plan_loop_streets",
            language,
            length=number_text(round(d.loop_length_m), language),
            minutes=number_text(round(d.walk_minutes), language),
            speed=speed.replace(".", ",") if language == "sv" else speed,
        )
    key = f"road_class_{d.road_class}"
    if d.kind == "traffic_check" and key in STRINGS and d.side_m is not None:
        side = max(10, 10 * math.ceil(d.side_m / 10.0))  # metres, up to the next 10
        return " " + t("plan_traffic_site", language, road=t(key, language), side=side)
    return ""
