"""Weekly patrol schedule: allocate patrol hours across suggestions and lay them out.

Allocation model
----------------
Suggestion *i* has a value ``e_i`` (expected incidents per week inside its time window, plus
a small weight for unsafe marks; :mod:`hotspots.planning`), a visit length ``d_i`` minutes (one
round of a walking loop, a one-hour checkpoint, a 30-minute pub check, ...) and a window of
``W_i`` minutes per week (window hours × weekdays). One visit is taken to cover a share

    p_i = min(1, RESIDUAL_FACTOR × d_i / W_i)

of the window's incidents: presence itself plus the residual deterrence that follows a
10-15 minute stop (Koper 1995), taken as long as the visit. With ``n`` visits spread over the
window the expected incidents covered are ``e_i × (1 − (1 − p_i)^n)``, a concave function of
``n``: each further visit adds less (diminishing returns). The allocation is greedy on the
marginal gain per minute, ``e_i p_i (1 − p_i)^(n−1) / d_i``; for a separable concave objective
this is the classical marginal-allocation rule, exact when the visit lengths are equal.
Before the greedy steps, the strongest suggestion of each kind gets one visit (while the
hours last; drink-driving and motor-disorder checks count separately), because each kind is
a separate promise of the police (medborgarlöfte). A
suggestion never gets more visits than fit its window back to back, nor more than its
``max_visits_per_week`` (a venue, school or youth place once a day; a checkpoint twice).
The last minutes that do not fill a whole visit become one shortened visit (at least
10 minutes, Koper's lower bound),
or lengthen the last visit when fewer than 10 remain, so the minutes always add up to the hours
given.

Layout (:mod:`hotspots.planning.layout`): visits go round-robin to the suggestion's weekdays,
heaviest day first, and are spread evenly inside its time window on that day (several visits
in one evening are spaced apart, Koper-style). A visit after midnight in a window such as 22-04
carries the calendar date it happens (Saturday 01:00 for Friday night's window); a person
reads it as part of its night (``natten fre/lör``, :mod:`hotspots.planning.tables`), and the
printable schedule lists it under the evening the shift starts. Nothing
is scheduled before the moment the plan is made. With ``teams`` patrols a visit is placed only
where a team is free (no team is in two places at once); when some visits fit nowhere, their
suggestions are capped at what was placed and the minutes are allocated again, so the time
goes to suggestions that can still use it.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.core.config import TIMEZONE, WEEKDAYS, parse_hours
from hotspots.core.errors import HoursDoNotFitError, InputSchemaError, InsufficientDataError
from hotspots.core.i18n import t
from hotspots.io.csv_safety import excel_csv_bytes
from hotspots.planning.layout import Placed, TeamBook, Window, place_visits, suggestion_windows
from hotspots.planning.tables import (
    days_words,
    kind_word,
    schedule_table,
    shift_date,
    visit_day_words,
    visit_in_night,
)

__all__ = [
    "KIND_LABELS",
    "MIN_VISIT_MINUTES",
    "RESIDUAL_FACTOR",
    "SCHEDULE_COLUMNS",
    "allocate",
    "build_schedule",
    "empty_schedule",
    "render_csv",
    "render_html",
    "write_schedule",
]

logger = logging.getLogger(__name__)

#: A visit is taken to cover this many times its own length of the window (presence +
#: residual deterrence).
RESIDUAL_FACTOR = 2.0
#: Shortest visit, minutes (the lower end of Koper's 10-15 minute stop).
MIN_VISIT_MINUTES = 10

SCHEDULE_COLUMNS: tuple[str, ...] = (
    "date",
    "day",
    "start",
    "end",
    "minutes",
    "kind",
    "place",
    "district",
    "suggestion",
    "route",
    "hours",
    "team",
)

#: Suggestion kind -> label per language; one source with the app and the report.
KIND_LABELS: dict[str, dict[str, str]] = {
    kind: {lang: t(f"kind_{kind}", lang) for lang in ("sv", "en")}
    for kind in ("foot_patrol", "traffic_check", "pub_check", "youth_outreach", "school_visit")
}

_DAY_LABELS = {
    "sv": ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def empty_schedule() -> pd.DataFrame:
    """A schedule with no visits (the columns of :data:`SCHEDULE_COLUMNS`)."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in SCHEDULE_COLUMNS}).astype(
        {"minutes": "int64", "team": "int64"}
    )


def allocate(
    value: np.ndarray,
    visit_minutes: np.ndarray,
    window_minutes: np.ndarray,
    *,
    total_minutes: int,
    max_visits: np.ndarray | None = None,
    first: Sequence[int] | None = None,
) -> list[list[int]]:
    """Split ``total_minutes`` into visits by greedy marginal gain (see the module notes).

    Parameters
    ----------
    value
        Expected incidents per week of each suggestion (>= 0).
    visit_minutes
        Length of one visit of each suggestion, minutes (> 0).
    window_minutes
        Minutes per week of each suggestion's time window (> 0).
    total_minutes
        Minutes to allocate (> 0).
    max_visits
        Most visits per week of each suggestion (0 = as many as fit its window).
    first
        Suggestions that get one visit before the greedy allocation starts, in this order,
        while the minutes last (used to give every promised kind of action one visit).

    Returns
    -------
    list of list of int
        The visit lengths of each suggestion, minutes; they sum to ``total_minutes``.

    Raises
    ------
    InsufficientDataError
        When there is nothing to allocate to.
    InputSchemaError
        When the minutes exceed what all windows can hold.
    """
    e = np.maximum(np.asarray(value, dtype=float), 0.0)
    d = np.asarray(visit_minutes, dtype=int)
    w = np.maximum(np.asarray(window_minutes, dtype=float), 1.0)
    n = len(e)
    total = int(total_minutes)
    if n == 0:
        msg = "no suggestions to schedule; widen the filters or lower --min-incidents"
        raise InsufficientDataError(msg)
    if total <= 0:
        msg = f"--patrol-hours-per-week must give at least one minute (got {total} min)"
        raise InputSchemaError(msg)
    capacity = float(w.sum())
    if total > capacity:
        msg = (
            f"--patrol-hours-per-week: {total / 60:g} h exceeds the {capacity / 60:g} h of all "
            "suggestion time windows; lower it or include more suggestion kinds"
        )
        raise HoursDoNotFitError(msg, hours=total / 60, fits_hours=capacity / 60, by_teams=False)
    # Tiny value floor so that suggestions with no incidents in window still rank by coverage.
    e = e + 1e-9
    d = np.maximum(d, 1)
    p = np.minimum(1.0, RESIDUAL_FACTOR * d / w)
    cap = np.maximum(1, (w // d).astype(int))
    if max_visits is not None:
        mv = np.asarray(max_visits, dtype=int)
        cap = np.where(mv > 0, np.minimum(cap, mv), cap)
    capacity = float(np.minimum(w, cap * d).sum())
    if total > capacity:
        msg = (
            f"--patrol-hours-per-week: {total / 60:g} h exceeds the {capacity / 60:g} h that "
            "the suggestions can use; lower it or include more suggestion kinds"
        )
        raise HoursDoNotFitError(msg, hours=total / 60, fits_hours=capacity / 60, by_teams=False)
    visits: list[list[int]] = [[] for _ in range(n)]
    counts = np.zeros(n, dtype=int)
    used = np.zeros(n, dtype=float)  # minutes per suggestion
    remaining = total
    last: int | None = None
    for i in first or ():
        if d[i] <= remaining and counts[i] < cap[i]:
            visits[i].append(int(d[i]))
            counts[i] += 1
            used[i] += d[i]
            remaining -= int(d[i])
            last = i
    while remaining > 0:
        gain = e * p * (1.0 - p) ** counts / d
        fits = (d <= remaining) & (counts < cap)
        if fits.any():
            i = int(np.argmax(np.where(fits, gain, -np.inf)))
            visits[i].append(int(d[i]))
            counts[i] += 1
            used[i] += d[i]
            remaining -= int(d[i])
            last = i
            continue
        # No whole visit fits: a shortened visit, or lengthen the last one.
        room = np.minimum(w, cap * d) - used
        if remaining >= MIN_VISIT_MINUTES or last is None or room[last] < remaining:
            pr = np.minimum(1.0, RESIDUAL_FACTOR * remaining / w)
            g = np.where(room >= 1, e * pr * (1.0 - p) ** counts, -np.inf)
            if not np.isfinite(g).any():
                break
            i = int(np.argmax(g))
            length = int(min(remaining, room[i]))
            visits[i].append(length)
            used[i] += length
            counts[i] += 1
            remaining -= length
            last = i
        else:
            visits[last][-1] += int(remaining)
            used[last] += remaining
            remaining = 0
    if remaining > 0:  # pragma: no cover - guarded by the capacity check above
        msg = f"could not place {remaining} minutes in any time window"
        raise InputSchemaError(msg)
    return visits


def _route(stops: list[str], rng: np.random.Generator | None) -> str:
    if not stops:
        return ""
    order = list(stops)
    if rng is not None and len(order) > 1:
        k = int(rng.integers(len(order)))
        order = order[k:] + order[:k]
        if len(order) > 2 and rng.random() < 0.5:
            order = [order[0], *order[1:][::-1]]
    return " → ".join([*order, order[0]]) if len(order) > 1 else order[0]


def _fmt(minute_of_day: int) -> str:
    m = int(minute_of_day) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def build_schedule(
    suggestions: gpd.GeoDataFrame | pd.DataFrame,
    *,
    hours_per_week: float,
    week: str,
    randomise: bool = False,
    seed: int | None = None,
    teams: int = 1,
    not_before: dt.datetime | None = None,
) -> pd.DataFrame:
    """Allocate ``hours_per_week`` across ``suggestions`` and lay the visits out in ``week``.

    Parameters
    ----------
    suggestions
        Suggestions of :func:`hotspots.planning.make_plan` (``id``, ``kind``, ``place``,
        ``district``, ``weekdays``, ``hours``, ``priority``, ``visit_minutes``,
        ``window_minutes_per_week``, ``day_weights``, ``stop_names``).
    hours_per_week
        Patrol hours to allocate.
    week
        ISO week ``"YYYY-Www"`` (gives the dates).
    randomise, seed
        Randomise the stop order of each foot-patrol visit (seeded).
    teams
        Patrols on duty at once. A visit is placed only where a team is free for its whole
        length (:mod:`hotspots.planning.layout`), so no team is in two places at once; the
        visits that fit nowhere give their time to other suggestions.
    not_before
        The moment the plan is made, local wall-clock time (an aware time is converted to
        Europe/Stockholm): no visit starts before it; the windows of the week are cut there
        and each suggestion's value is scaled to the share of its window that is left.

    Returns
    -------
    pandas.DataFrame
        One row per visit, columns :data:`SCHEDULE_COLUMNS`, in time order; ``team`` is
        1 to ``teams``.

    Raises
    ------
    InputSchemaError
        When ``teams`` is below 1, when the week is over at ``not_before``, or when the
        hours do not fit in the windows with ``teams`` teams.
    """
    if int(teams) < 1:
        msg = f"--teams: must be 1 or more patrols (got {teams})"
        raise InputSchemaError(msg)
    year_s, wk_s = week.upper().split("-W")
    monday = dt.date.fromisocalendar(int(year_s), int(wk_s), 1)
    cut = _minute_of_week(not_before, monday)
    total = round(float(hours_per_week) * 60)
    n = len(suggestions)
    windows = [_windows(s, cut) for _, s in suggestions.iterrows()]
    full = np.array(
        [sum(w.minutes for w in _windows(s, None)) for _, s in suggestions.iterrows()],
        dtype=float,
    )
    left = np.array([sum(w.minutes for w in ws) for ws in windows], dtype=float)
    if n and not (left > 0).any():
        msg = (
            f"--week {week} is over (the plan is made {not_before:%Y-%m-%d %H:%M}); "
            "plan a later week"
        )
        raise InputSchemaError(msg)
    share = left / np.maximum(full, 1.0)
    value = suggestions["priority"].to_numpy(dtype=float) * share
    visit_minutes = suggestions["visit_minutes"].to_numpy(dtype=int)
    base_cap = (
        suggestions["max_visits_per_week"].to_numpy(dtype=int)
        if "max_visits_per_week" in suggestions
        else np.zeros(n, dtype=int)
    )
    cap = np.where(base_cap > 0, base_cap, 0)
    active = left > 0
    placed_minutes = 0
    while True:
        idx = np.flatnonzero(active)
        if n and not len(idx):
            _no_fit(hours_per_week, teams, placed_minutes)
        try:
            visits_sub = allocate(
                value[idx],
                visit_minutes[idx],
                left[idx],
                total_minutes=total,
                max_visits=cap[idx],
                first=_first_of_each_kind(suggestions.iloc[idx]),
            )
        except InputSchemaError:
            if placed_minutes:  # an earlier round placed less than asked: the teams are full
                _no_fit(hours_per_week, teams, placed_minutes)
            raise
        visits: list[list[int]] = [[] for _ in range(n)]
        for j, i in enumerate(idx):
            visits[int(i)] = visits_sub[j]
        placed, failed = _lay_out(suggestions, visits, windows, teams=int(teams))
        placed_minutes = sum(p.minutes for ps in placed for p in ps)
        if not failed.any():
            break
        for i in np.flatnonzero(failed):
            kept = len(placed[i])
            if kept == 0:
                active[i] = False
            else:
                cap[i] = kept
    rng = np.random.default_rng(seed) if randomise else None
    rows: list[dict[str, object]] = []
    for (_, s), visits_i in zip(suggestions.iterrows(), placed, strict=True):
        stops = list(s["stop_names"]) if s["kind"] == "foot_patrol" else []
        for v in sorted(visits_i, key=lambda p: p.start):
            cal_day = v.start // 1440
            rows.append(
                {
                    "date": (monday + dt.timedelta(days=int(cal_day))).isoformat(),
                    "day": WEEKDAYS[int(cal_day) % 7],
                    "start": _fmt(v.start),
                    "end": _fmt(v.start + v.minutes),
                    "minutes": int(v.minutes),
                    "kind": str(s["kind"]),
                    "place": str(s["place"] or ""),
                    "district": str(s["district"] or ""),
                    "suggestion": str(s["id"]),
                    "route": _route(stops, rng),
                    "hours": str(s["hours"]),
                    "team": int(v.team),
                    "_order": int(v.start),
                }
            )
    if not rows:
        return empty_schedule()
    out = pd.DataFrame(rows).sort_values(["_order", "team", "suggestion"], kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)[list(SCHEDULE_COLUMNS)]


def _windows(suggestion: pd.Series, cut: int | None) -> list[Window]:
    """The windows of one suggestion row in the week, cut at minute ``cut``."""
    window = parse_hours(str(suggestion["hours"]))
    return suggestion_windows(
        [WEEKDAYS.index(x) for x in suggestion["weekdays"]],
        list(suggestion["day_weights"]),
        start_hour=window.start,
        hours=len(window.hours()),
        not_before=cut,
    )


def _no_fit(hours_per_week: float, teams: int, placed_minutes: int) -> None:
    msg = (
        f"--patrol-hours-per-week: {hours_per_week:g} h do not fit with {teams} "
        f"team{'s' if int(teams) != 1 else ''}: the suggestions' time windows hold "
        f"{placed_minutes / 60:g} h of visits without a team being in two places at once; "
        "lower the hours or raise --teams"
    )
    raise HoursDoNotFitError(
        msg, hours=hours_per_week, fits_hours=placed_minutes / 60, by_teams=True
    )


def _minute_of_week(moment: dt.datetime | None, monday: dt.date) -> int | None:
    """Wall-clock minutes from ``monday`` 00:00 to ``moment`` (local time), or None."""
    if moment is None:
        return None
    ts = pd.Timestamp(moment)
    if ts.tzinfo is not None:
        ts = ts.tz_convert(TIMEZONE).tz_localize(None)
    delta = ts - pd.Timestamp(monday)
    return int(np.ceil(delta.total_seconds() / 60.0))


def _lay_out(
    suggestions: pd.DataFrame,
    visits: list[list[int]],
    windows: list[list[Window]],
    *,
    teams: int,
) -> tuple[list[list[Placed]], np.ndarray]:
    """Place every suggestion's visits, strongest suggestion first; count what did not fit."""
    book = TeamBook(teams)
    placed: list[list[Placed]] = [[] for _ in visits]
    failed = np.zeros(len(visits), dtype=int)
    order = np.argsort(-suggestions["priority"].to_numpy(dtype=float), kind="stable")
    for i in (int(k) for k in order):
        if not visits[i]:
            continue
        place = str(suggestions["place"].iloc[i] or suggestions["id"].iloc[i])
        placed[i], failed[i] = place_visits(visits[i], windows[i], book=book, place=place)
    return placed, failed


def _first_of_each_kind(suggestions: pd.DataFrame) -> list[int]:
    """Positions of the highest-priority suggestion of each kind (and focus), strongest first.

    Traffic checks aimed at drink/drug driving and at motor disorder count as two kinds.
    """
    order = np.argsort(-suggestions["priority"].to_numpy(dtype=float), kind="stable")
    seen: set[str] = set()
    out: list[int] = []
    focus = suggestions["focus"] if "focus" in suggestions else pd.Series([""] * len(suggestions))
    for i in order:
        kind = f"{suggestions['kind'].iloc[int(i)]}/{focus.iloc[int(i)] or ''}"
        if kind not in seen:
            seen.add(kind)
            out.append(int(i))
    return out


def render_csv(schedule: pd.DataFrame, *, lang: Literal["sv", "en"] = "sv") -> bytes:
    """The schedule as the bytes of a CSV file for Excel, in words of ``lang``.

    Weekdays and kinds in words (:func:`hotspots.planning.tables.schedule_table`), headers in
    ``lang``, ``;``-separated, UTF-8 with a BOM, every text cell neutralised
    (:func:`hotspots.io.csv_safety.excel_csv_bytes`).
    """
    return excel_csv_bytes(schedule_table(schedule[list(SCHEDULE_COLUMNS)], lang), lang=lang)


_CSS = """
body { font-family: sans-serif; margin: 1.5em; color: #111; }
h1 { font-size: 1.4em; margin-bottom: 0.2em; }
h2 { font-size: 1.1em; margin: 1.2em 0 0.3em; border-bottom: 1px solid #999; }
p.meta { color: #444; margin-top: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; }
.reason { font-size: 0.85em; color: #333; }
@media print { body { margin: 0.5cm; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
"""

_TEXT = {
    "sv": {
        "title": "Patrullschema vecka",
        "meta": "{h} timmar fördelade på {n} pass. Förväntat täckt andel av händelserna: {s}.",
        "teams": "{k} patruller; ingen är på två platser samtidigt.",
        "cols": ("Tid", "Min", "Typ", "Plats", "Stadsdel", "Rutt", "Varför"),
        "team": "Patrull",
        "sugg": "Förslag",
        "scols": ("Id", "Typ", "Plats", "Dagar", "Tider", "Min/vecka", "Varför"),
        "note": "Stanna 10–15 minuter vid varje punkt och variera ordningen (Kopers kurva).",
    },
    "en": {
        "title": "Patrol schedule week",
        "meta": "{h} hours in {n} visits. Expected share of incidents covered: {s}.",
        "teams": "{k} teams; none is in two places at once.",
        "cols": ("Time", "Min", "Kind", "Place", "District", "Route", "Why"),
        "team": "Team",
        "sugg": "Suggestions",
        "scols": ("Id", "Kind", "Place", "Days", "Hours", "Min/week", "Why"),
        "note": "Stay 10-15 minutes at each point and vary the order (Koper's curve).",
    },
}


def render_html(
    schedule: pd.DataFrame,
    suggestions: pd.DataFrame,
    *,
    week: str,
    lang: Literal["sv", "en"] = "sv",
) -> str:
    """A printable HTML page of the schedule for the patrol briefing.

    One section per shift day: a visit after midnight of a night shift is listed under the
    evening the shift starts and named by its night (``natten fre/lör 01:00–01:30``). Every
    text from the data is escaped with :func:`html.escape`.

    Parameters
    ----------
    schedule
        Output of :func:`build_schedule`.
    suggestions
        The plan's suggestions (for the reasons and the per-suggestion summary).
    week
        ISO week of the schedule.
    lang
        ``"sv"`` (default) or ``"en"``.
    """
    t = _TEXT[lang]
    e = html.escape
    reason_col = "reason_sv" if lang == "sv" else "reason_en"
    by_id = suggestions.set_index("id") if len(suggestions) else suggestions
    minutes = schedule.groupby("suggestion")["minutes"].sum() if len(schedule) else {}
    covered_share = 0.0
    if len(schedule) and len(suggestions):
        covered_share = float(
            suggestions[suggestions["id"].isin(list(minutes.index))]["expected_share"].sum()
        )
    total_h = float(schedule["minutes"].sum()) / 60 if len(schedule) else 0.0
    n_teams = int(schedule["team"].max()) if len(schedule) and "team" in schedule else 1
    teams_note = (" " + t["teams"].format(k=n_teams)) if n_teams > 1 else ""
    cols = (*t["cols"][:2], t["team"], *t["cols"][2:]) if n_teams > 1 else t["cols"]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}"><head><meta charset="utf-8">',
        f"<title>{e(t['title'])} {e(week)}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(t['title'])} {e(week)}</h1>",
        '<p class="meta">'
        + e(t["meta"].format(h=f"{total_h:g}", n=len(schedule), s=f"{covered_share:.0%}"))
        + e(teams_note)
        + "<br>"
        + e(t["note"])
        + "</p>",
    ]
    days = _DAY_LABELS[lang]
    shifts = [
        shift_date(d, s, h)
        for d, s, h in zip(schedule["date"], schedule["start"], schedule["hours"], strict=True)
    ]
    for date, day_rows in schedule.groupby(pd.Series(shifts, index=schedule.index), sort=True):
        wd = dt.date.fromisoformat(str(date)).weekday()
        out.append(f"<h2>{e(days[wd].capitalize())} {e(str(date))}</h2>")
        out.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr>")
        for _, r in day_rows.iterrows():
            sid = str(r["suggestion"])
            reason = (
                str(by_id.loc[sid, reason_col]) if len(suggestions) and sid in by_id.index else ""
            )
            kind = kind_word(str(r["kind"]), lang)
            team = f'<td class="num">{int(r["team"])}</td>' if n_teams > 1 else ""
            when = f"{r['start']}–{r['end']}"
            if visit_in_night(r["start"], r["hours"]):
                when = f"{visit_day_words(r['day'], r['start'], r['hours'], lang)} {when}"
            out.append(
                "<tr>"
                f"<td>{e(when)}</td>"
                f'<td class="num">{int(r["minutes"])}</td>'
                f"{team}"
                f"<td>{e(kind)} ({e(sid)})</td>"
                f"<td>{e(str(r['place']))}</td>"
                f"<td>{e(str(r['district']))}</td>"
                f"<td>{e(str(r['route']))}</td>"
                f'<td class="reason">{e(reason)}</td>'
                "</tr>"
            )
        out.append("</table>")
    if len(suggestions):
        out.append(f"<h2>{e(t['sugg'])}</h2>")
        out.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in t["scols"]) + "</tr>")
        for _, s in suggestions.iterrows():
            kind = kind_word(str(s["kind"]), lang)
            days_s = days_words(s["weekdays"], lang, hours=s["hours"])
            mins = int(minutes.get(s["id"], 0)) if len(schedule) else 0
            out.append(
                "<tr>"
                f"<td>{e(str(s['id']))}</td><td>{e(kind)}</td><td>{e(str(s['place']))}</td>"
                f"<td>{e(days_s)}</td><td>{e(str(s['hours']))}</td>"
                f'<td class="num">{mins}</td>'
                f'<td class="reason">{e(str(s[reason_col]))}</td>'
                "</tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_schedule(
    path: Path,
    schedule: pd.DataFrame,
    suggestions: pd.DataFrame,
    *,
    week: str,
    lang: Literal["sv", "en"] = "sv",
) -> None:
    """Write the schedule as ``.csv`` or ``.html`` (by the file suffix).

    Raises
    ------
    InputSchemaError
        For another suffix.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        path.write_bytes(render_csv(schedule, lang=lang))
    elif suffix in (".html", ".htm"):
        path.write_text(render_html(schedule, suggestions, week=week, lang=lang), encoding="utf-8")
    else:
        msg = f"--schedule: {path} must end in .html or .csv (got {suffix or 'no suffix'})"
        raise InputSchemaError(msg)
