"""Planned against delivered: for each suggestion of a week's plan, what was done.

The plan (:func:`hotspots.planning.make_plan` with ``patrol_hours_per_week``) allocates
minutes to each suggestion (``allocated_minutes``) and lays them out as visits. What was
delivered is measured at the suggestion's **area**: its walking loop or point with a
radius per kind (:data:`VISIT_RADIUS_M`):

``tracked_minutes``
    Presence minutes of the GPS passages with a stop (see :mod:`hotspots.dosage.visits`):
    the time units spent at the place on visits, walking a patrol loop included, driving
    through not. Unit-minutes: two units together count twice.
``logged_minutes``
    Minutes of the activity log (:mod:`hotspots.dosage.activities`) matched to the
    suggestion (by its id, or by kind and place name), except lines whose time overlaps a
    tracked visit there (``logged_overlap``: they were tracked already).
``delivered_minutes``
    ``tracked_minutes + logged_minutes``; ``share_delivered`` is it over the planned
    minutes (``NaN`` when nothing was planned).

Areas overlap (a pub check's block inside a foot patrol's loop), and a minute spent where
they overlap is presence in each of them: each suggestion's row counts it, and so does each
kind's row. What a kind and the whole week delivered is therefore not the sum of the rows:
their tracked minutes are the **union** of the presence intervals (per unit, so two units
together still count twice) over the areas of the kind, and of all the plan's areas
(:func:`union_minutes`), and :attr:`DosageReport.total` counts each minute of presence once.
Logged minutes are added as they are (each line belongs to one suggestion).

Besides the minutes each row counts the visits (stops in the area), Koper-compliant visits
(at least 10 minutes), long visits (over 15, flagged), short visits and drive-throughs.
Logged activities that match no suggestion are listed as unplanned.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from hotspots.core.errors import InputSchemaError
from hotspots.dosage.movement import Movement
from hotspots.dosage.visits import DEFAULT_SHIFTS, Shift, assign_shifts, visit_summary

__all__ = [
    "DELIVERY_COLUMNS",
    "KIND_COLUMNS",
    "TOTAL_KEYS",
    "VISIT_RADIUS_M",
    "DosageReport",
    "dosage_report",
    "match_activities",
    "presence_intervals",
    "suggestion_areas",
    "union_minutes",
]

#: Radius around a suggestion's geometry that counts as being there, metres per kind: a
#: patrol loop is walked along its streets, a checkpoint holds a stretch of road, a venue or
#: a school its block.
VISIT_RADIUS_M: dict[str, float] = {
    "foot_patrol": 50.0,
    "traffic_check": 100.0,
    "pub_check": 75.0,
    "school_visit": 150.0,
    "youth_outreach": 150.0,
}
#: Lowest rapidfuzz token-set ratio (0-100) at which a logged place names a suggestion's place.
PLACE_MATCH_RATIO = 90.0

DELIVERY_COLUMNS: tuple[str, ...] = (
    "id",
    "kind",
    "place",
    "planned_minutes",
    "planned_visits",
    "delivered_minutes",
    "tracked_minutes",
    "logged_minutes",
    "share_delivered",
    "visits",
    "koper_visits",
    "long_visits",
    "short_visits",
    "visit_minutes",
    "drive_throughs",
    "logged_activities",
    "logged_overlap",
    "units",
)
KIND_COLUMNS: tuple[str, ...] = (
    "kind",
    "suggestions",
    "planned_minutes",
    "delivered_minutes",
    "share_delivered",
    "visits",
    "koper_visits",
    "long_visits",
    "drive_throughs",
    "logged_activities",
    "unplanned_activities",
    "unplanned_minutes",
)
#: Keys of :attr:`DosageReport.total`.
TOTAL_KEYS: tuple[str, ...] = (
    "planned_minutes",
    "delivered_minutes",
    "tracked_minutes",
    "logged_minutes",
    "share_delivered",
)
_MS_PER_MIN = 60_000


def suggestion_areas(
    suggestions: pd.DataFrame, *, radius_m: Mapping[str, float] | None = None
) -> dict[str, BaseGeometry]:
    """Suggestion id -> its area: the geometry buffered by the radius of its kind (metres).

    Raises
    ------
    InputSchemaError
        When ``suggestions`` lacks ``id``, ``kind`` or ``geometry``, or a kind has no radius.
    """
    radii = {**VISIT_RADIUS_M, **(radius_m or {})}
    for col in ("id", "kind", "geometry"):
        if col not in suggestions:
            msg = f"suggestions: column {col!r} is missing (give a plan from hotspots plan)"
            raise InputSchemaError(msg)
    out: dict[str, BaseGeometry] = {}
    for sid, kind, geom in zip(
        suggestions["id"], suggestions["kind"], suggestions["geometry"], strict=True
    ):
        if str(kind) not in radii:
            msg = f"suggestion {sid}: kind {kind!r} has no visit radius"
            raise InputSchemaError(msg)
        if geom is None or geom.is_empty:
            continue
        out[str(sid)] = geom.buffer(radii[str(kind)])
    return out


def _fold(text: object) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    return " ".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())


def match_activities(activities: pd.DataFrame, suggestions: pd.DataFrame) -> pd.Series:
    """The suggestion id each logged activity belongs to (``None`` for unplanned ones).

    An activity matches a suggestion when its place is the suggestion's id (``TC1``), else
    when its kind is the suggestion's and its place names the suggestion's place (equal
    after folding case, accents and punctuation, or a rapidfuzz token-set ratio of at least
    :data:`PLACE_MATCH_RATIO`; the best such suggestion wins).
    """
    from rapidfuzz import fuzz  # noqa: PLC0415 (only when there is a log)

    ids = {str(s).casefold(): str(s) for s in suggestions["id"]}
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for sid, kind, place in zip(
        suggestions["id"], suggestions["kind"], suggestions["place"], strict=True
    ):
        by_kind.setdefault(str(kind), []).append((str(sid), _fold(place)))
    out: list[str | None] = []
    for kind, place in zip(activities["kind"], activities["place"], strict=True):
        text = str(place).strip()
        if text.casefold() in ids:
            out.append(ids[text.casefold()])
            continue
        folded = _fold(text)
        best: tuple[float, str] | None = None
        for sid, name in by_kind.get(str(kind), []):
            score = 100.0 if folded == name else float(fuzz.token_set_ratio(folded, name))
            if score >= PLACE_MATCH_RATIO and (best is None or score > best[0]):
                best = (score, sid)
        out.append(best[1] if best is not None else None)
    return pd.Series(out, index=activities.index, dtype=object)


def presence_intervals(
    movement: Movement, ids: list[str], *, incomplete: set[str] | frozenset[str] = frozenset()
) -> pd.DataFrame:
    """The time intervals of presence at each suggestion's area.

    Parameters
    ----------
    movement
        Stops, passages and visits at the suggestion areas.
    ids
        The suggestions whose presence counts.
    incomplete
        Suggestions without passages for a reduced part of the period: their visits (stops
        in the area) count as presence too.

    Returns
    -------
    pandas.DataFrame
        ``place_id``, ``unit``, ``start_ms``, ``end_ms`` (UTC ms): the passages with a stop,
        and the visits at ``incomplete`` places. Intervals of one unit may overlap (areas
        overlap; a visit lies inside its passage).
    """
    columns = ["place_id", "unit", "start_ms", "end_ms"]
    wanted = set(ids)
    parts = []
    passages = movement.passages
    if len(passages):
        stopped = passages[
            passages["stopped"].astype(bool) & passages["place_id"].astype(str).isin(wanted)
        ]
        parts.append(stopped[columns])
    visits = movement.visits
    if len(visits) and incomplete:
        parts.append(
            visits.loc[visits["place_id"].astype(str).isin(wanted & set(incomplete)), columns]
        )
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(
            {
                "place_id": pd.Series(dtype=object),
                "unit": pd.Series(dtype=object),
                "start_ms": pd.Series(dtype="int64"),
                "end_ms": pd.Series(dtype="int64"),
            }
        )
    out = pd.concat(parts, ignore_index=True)
    return out.assign(place_id=out["place_id"].astype(str), unit=out["unit"].fillna("").astype(str))


def union_minutes(intervals: pd.DataFrame) -> float:
    """Minutes covered by ``intervals``, each minute of each unit counted once.

    Parameters
    ----------
    intervals
        ``unit``, ``start_ms``, ``end_ms`` (UTC ms), e.g. from :func:`presence_intervals`.

    Returns
    -------
    float
        The summed length of the union of each unit's intervals, minutes: a unit's
        overlapping intervals (one stay inside two overlapping areas) count once, two units
        at one place at one time count twice (unit-minutes).
    """
    if not len(intervals):
        return 0.0
    frame = intervals[["unit", "start_ms", "end_ms"]].sort_values(
        ["unit", "start_ms"], kind="stable"
    )
    start = frame["start_ms"].to_numpy(dtype=np.int64)
    end = frame["end_ms"].to_numpy(dtype=np.int64)
    unit, _ = pd.factorize(frame["unit"])
    reach = frame.groupby("unit", sort=False)["end_ms"].cummax().to_numpy(dtype=np.int64)
    new_unit = np.r_[True, unit[1:] != unit[:-1]]
    # a new block where the unit changes or the interval starts after all before it ended
    first = np.flatnonzero(new_unit | (start > np.r_[start[0], reach[:-1]]))
    covered = np.maximum.reduceat(end, first) - start[first]
    return float(covered.sum()) / _MS_PER_MIN


@dataclass(frozen=True)
class DosageReport:
    """Planned against delivered for one week.

    Attributes
    ----------
    week
        ISO week ``YYYY-Www``.
    table
        One row per suggestion (:data:`DELIVERY_COLUMNS`), in plan order.
    by_kind
        One row per kind of the plan (:data:`KIND_COLUMNS`): the medborgarlöfte's promises.
    days
        Per suggestion, day and shift: visits, Koper counts, minutes, drive-throughs and
        logged minutes.
    unplanned
        Logged activities that match no suggestion.
    total
        The whole plan (:data:`TOTAL_KEYS`): planned minutes, and delivered minutes with
        each minute of presence counted once where areas overlap (tracked: the union of the
        presence intervals over all areas, per unit; logged: the counted log lines).
    notes
        Codes of caveats: ``no_allocation`` (the plan allocated no minutes: give patrol
        hours), ``incomplete_passages`` (part of the week was reduced before its areas were
        registered; presence minutes there are stop minutes), ``no_tracks``.
    """

    week: str
    table: pd.DataFrame
    by_kind: pd.DataFrame
    days: pd.DataFrame
    unplanned: pd.DataFrame
    total: dict[str, float]
    notes: tuple[str, ...] = field(default=())


def _planned(suggestions: pd.DataFrame, schedule: pd.DataFrame | None) -> pd.DataFrame:
    ids = suggestions["id"].astype(str)
    if "allocated_minutes" in suggestions:
        minutes = pd.to_numeric(suggestions["allocated_minutes"], errors="coerce")
    else:
        minutes = pd.Series(np.nan, index=suggestions.index)
    if schedule is not None and len(schedule) and "suggestion" in schedule:
        counts = schedule.groupby(schedule["suggestion"].astype(str)).size()
        visits = ids.map(counts).fillna(0)
    else:
        per_visit = pd.to_numeric(suggestions.get("visit_minutes"), errors="coerce")
        visits = pd.Series(
            [
                math.ceil(m / v) if np.isfinite(m) and np.isfinite(v) and v > 0 else np.nan
                for m, v in zip(minutes, per_visit, strict=True)
            ],
            index=suggestions.index,
        )
    return pd.DataFrame(
        {"id": ids, "planned_minutes": minutes.to_numpy(), "planned_visits": visits.to_numpy()}
    )


def dosage_report(
    suggestions: pd.DataFrame,
    movement: Movement,
    *,
    week: str,
    activities: pd.DataFrame | None = None,
    schedule: pd.DataFrame | None = None,
    shifts: tuple[Shift, ...] = DEFAULT_SHIFTS,
) -> DosageReport:
    """Planned against delivered for each suggestion of a week's plan.

    Parameters
    ----------
    suggestions
        The plan's suggestions (``id``, ``kind``, ``place``, ``allocated_minutes``,
        ``visit_minutes``).
    movement
        Stops, passages and visits of the week at the suggestion areas
        (:func:`~hotspots.dosage.movement.load_movement` with
        :func:`suggestion_areas`).
    week
        ISO week ``YYYY-Www``.
    activities
        Logged activities of the week (``start_ms``, ``time``, ``kind``, ``place``,
        ``minutes``).
    schedule
        The plan's schedule (planned visits per suggestion); without it they are the planned
        minutes over the visit length, rounded up.
    shifts
        Shifts of the day table.

    Returns
    -------
    DosageReport
        The tables.
    """
    ids = suggestions["id"].astype(str).tolist()
    planned = _planned(suggestions, schedule)
    per_place = visit_summary(movement.visits, movement.passages, by=("place_id",))
    per_place = per_place.set_index("place_id") if len(per_place) else per_place
    acts = (
        activities
        if activities is not None
        else pd.DataFrame(
            {c: pd.Series(dtype=object) for c in ("start_ms", "time", "kind", "place", "minutes")}
        )
    )
    acts = acts.reset_index(drop=True)
    matched = match_activities(acts, suggestions) if len(acts) else pd.Series([], dtype=object)
    acts = acts.assign(suggestion=matched.to_numpy(dtype=object), overlap=False)
    if len(acts):
        acts["overlap"] = _overlaps(acts, movement)
    counted = acts[acts["suggestion"].notna() & ~acts["overlap"]]
    logged_min = counted.groupby("suggestion")["minutes"].sum()
    logged_n = acts[acts["suggestion"].notna()].groupby("suggestion").size()
    overlap_n = acts[acts["overlap"]].groupby("suggestion").size()
    rows = []
    incomplete = set(movement.incomplete_places)
    presence = presence_intervals(movement, ids, incomplete=incomplete)
    by_place = dict(tuple(presence.groupby("place_id", sort=False)))
    for (_, s), (_, pl) in zip(suggestions.iterrows(), planned.iterrows(), strict=True):
        sid = str(s["id"])
        got = per_place.loc[sid] if len(per_place) and sid in per_place.index else None

        def g(col: str, got: pd.Series | None = got) -> float:
            return float(got[col]) if got is not None else 0.0

        there = by_place.get(sid)
        tracked = union_minutes(there) if there is not None else 0.0
        logged = float(logged_min.get(sid, 0.0))
        delivered = tracked + logged
        plan_min = float(pl["planned_minutes"])
        rows.append(
            {
                "id": sid,
                "kind": str(s["kind"]),
                "place": str(s.get("place", "")),
                "planned_minutes": plan_min,
                "planned_visits": float(pl["planned_visits"]),
                "delivered_minutes": round(delivered, 1),
                "tracked_minutes": round(tracked, 1),
                "logged_minutes": round(logged, 1),
                "share_delivered": (
                    round(delivered / plan_min, 3)
                    if np.isfinite(plan_min) and plan_min > 0
                    else np.nan
                ),
                "visits": int(g("visits")),
                "koper_visits": int(g("koper_visits")),
                "long_visits": int(g("long_visits")),
                "short_visits": int(g("short_visits")),
                "visit_minutes": round(g("visit_minutes"), 1),
                "drive_throughs": int(g("drive_throughs")),
                "logged_activities": int(logged_n.get(sid, 0)),
                "logged_overlap": int(overlap_n.get(sid, 0)),
                "units": int(g("units")),
            }
        )
    table = pd.DataFrame(rows, columns=list(DELIVERY_COLUMNS))
    unplanned = acts[acts["suggestion"].isna()].drop(columns=["suggestion", "overlap"])
    by_kind = _by_kind(table, unplanned, presence)
    days = _days(movement, acts, ids, shifts)
    notes: list[str] = []
    if not table["planned_minutes"].gt(0).any():
        notes.append("no_allocation")
    if incomplete & set(ids):
        notes.append("incomplete_passages")
    if len(movement.stops) == 0 and len(movement.passages) == 0:
        notes.append("no_tracks")
    return DosageReport(
        week=week,
        table=table,
        by_kind=by_kind,
        days=days,
        unplanned=unplanned.reset_index(drop=True),
        total=_total(table, presence),
        notes=tuple(notes),
    )


def _delivered(table: pd.DataFrame, presence: pd.DataFrame) -> tuple[float, float]:
    """Tracked minutes (each minute of a unit once) and logged minutes of ``table``'s rows."""
    ids = set(table["id"].astype(str))
    tracked = union_minutes(presence[presence["place_id"].isin(ids)])
    return tracked, float(table["logged_minutes"].sum())


def _total(table: pd.DataFrame, presence: pd.DataFrame) -> dict[str, float]:
    planned = float(table["planned_minutes"].sum(min_count=1))
    tracked, logged = _delivered(table, presence)
    delivered = tracked + logged
    return {
        "planned_minutes": planned,
        "delivered_minutes": round(delivered, 1),
        "tracked_minutes": round(tracked, 1),
        "logged_minutes": round(logged, 1),
        "share_delivered": (
            round(delivered / planned, 3) if np.isfinite(planned) and planned > 0 else np.nan
        ),
    }


def _overlaps(acts: pd.DataFrame, movement: Movement) -> np.ndarray:
    """Whether each matched, timed activity overlaps a tracked stopped passage there."""
    out = np.zeros(len(acts), dtype=bool)
    passages = movement.passages
    if not len(passages):
        return out
    stopped = passages[passages["stopped"].astype(bool)]
    for k, (sid, time, start, minutes) in enumerate(
        zip(acts["suggestion"], acts["time"], acts["start_ms"], acts["minutes"], strict=True)
    ):
        if sid is None or time is None or pd.isna(time):
            continue
        there = stopped[stopped["place_id"] == sid]
        end = int(start) + float(minutes) * _MS_PER_MIN
        if len(there) and bool(((there["start_ms"] < end) & (there["end_ms"] > int(start))).any()):
            out[k] = True
    return out


def _by_kind(table: pd.DataFrame, unplanned: pd.DataFrame, presence: pd.DataFrame) -> pd.DataFrame:
    """One row per kind; delivered minutes count a minute once within the kind's areas."""
    if not len(table) and not len(unplanned):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in KIND_COLUMNS})
    kinds = list(dict.fromkeys([*table["kind"], *unplanned.get("kind", pd.Series())]))
    rows = []
    for kind in kinds:
        part = table[table["kind"] == kind]
        un = unplanned[unplanned["kind"] == kind] if len(unplanned) else unplanned
        planned = float(part["planned_minutes"].sum(min_count=1))
        delivered = sum(_delivered(part, presence))
        rows.append(
            {
                "kind": kind,
                "suggestions": len(part),
                "planned_minutes": planned,
                "delivered_minutes": round(delivered, 1),
                "share_delivered": (
                    round(delivered / planned, 3)
                    if np.isfinite(planned) and planned > 0
                    else np.nan
                ),
                "visits": int(part["visits"].sum()),
                "koper_visits": int(part["koper_visits"].sum()),
                "long_visits": int(part["long_visits"].sum()),
                "drive_throughs": int(part["drive_throughs"].sum()),
                "logged_activities": int(part["logged_activities"].sum()),
                "unplanned_activities": len(un),
                "unplanned_minutes": round(float(un["minutes"].sum()) if len(un) else 0.0, 1),
            }
        )
    return pd.DataFrame(rows, columns=list(KIND_COLUMNS))


def _days(
    movement: Movement, acts: pd.DataFrame, ids: list[str], shifts: tuple[Shift, ...]
) -> pd.DataFrame:
    keys = ["place_id", "day", "shift"]
    tracked = visit_summary(movement.visits, movement.passages, by=keys, shifts=shifts)
    tracked = tracked[tracked["place_id"].isin(ids)] if len(tracked) else tracked
    logged = acts[acts["suggestion"].notna()]
    if len(logged):
        names, days = assign_shifts(logged["start_ms"].to_numpy(dtype=np.int64), shifts)
        no_time = logged["time"].isna().to_numpy()
        names = np.where(no_time, "", names)
        days = np.where(no_time, [dt_ for dt_ in pd.to_datetime(logged["day"]).dt.date], days)
        lg = (
            pd.DataFrame(
                {
                    "place_id": logged["suggestion"].to_numpy(),
                    "day": days,
                    "shift": names,
                    "logged_minutes": logged["minutes"].to_numpy(dtype=float),
                }
            )
            .groupby(keys, sort=True)["logged_minutes"]
            .sum()
            .reset_index()
        )
        tracked = tracked.merge(lg, on=keys, how="outer") if len(tracked) else lg
    if "logged_minutes" not in tracked:
        tracked = tracked.assign(logged_minutes=0.0)
    if not len(tracked):
        return tracked
    tracked = tracked.fillna(0)
    for col in ("visits", "koper_visits", "long_visits", "short_visits", "drive_throughs"):
        if col in tracked:
            tracked[col] = tracked[col].astype("int64")
    order = {sid: k for k, sid in enumerate(ids)}
    tracked = tracked.assign(_o=tracked["place_id"].map(order)).sort_values(
        ["_o", "day", "shift"], kind="stable"
    )
    return tracked.drop(columns="_o").reset_index(drop=True)
