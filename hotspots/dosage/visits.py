"""Visits to places: stops inside an area, Koper's 10-15 minutes, drive-throughs, shifts.

A **visit** is a stop (:mod:`hotspots.dosage.stops`) whose position lies inside a place's area
(a hotspot polygon, a plan suggestion's area, a named place with a radius). Its length is
the stop's, and it is classed by Koper's (1995) finding that 10-15 minute stops give the
longest residual deterrence:

* ``short``: under ``min_minutes`` (10): presence, but below Koper's curve;
* ``koper``: ``min_minutes`` to ``flag_minutes`` (10-15): Koper-compliant;
* ``long``: over ``flag_minutes`` (15): compliant, but flagged, since Koper found
  diminishing returns beyond about 15 minutes and the time may serve another place better.

A passage through the area without any stop is a **drive-through** (:func:`passages_through`).
*Presence minutes* are the minutes of the passages with a stop (walking a patrol loop
between its stops counts; driving through does not). Minutes are unit-minutes: two units
at one place for ten minutes are twenty.

Days and shifts: a visit or passage belongs to the shift in which it starts and to the date
on which that shift started (a 23-07 night shift's 01:30 visit belongs to the previous
date), as the plan's time windows do.

References
----------
Koper, C. S. (1995). Just enough police presence: reducing crime and disorderly behavior by
optimizing patrol time in crime hot spots. *Justice Quarterly* 12(4), 649-672.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import HourWindow, parse_hours
from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.dosage.pings import times_local

__all__ = [
    "DEFAULT_SHIFTS",
    "KoperRule",
    "Shift",
    "assign_shifts",
    "classify_minutes",
    "empty_visits",
    "parse_shifts",
    "place_visits",
    "visit_summary",
]

_MS_PER_MIN = 60_000


@dataclass(frozen=True, slots=True)
class KoperRule:
    """Koper's visit lengths.

    Attributes
    ----------
    min_minutes
        Shortest Koper-compliant visit, minutes.
    flag_minutes
        Visits longer than this are flagged, minutes.
    """

    min_minutes: float = 10.0
    flag_minutes: float = 15.0

    def __post_init__(self) -> None:
        if not 0 < self.min_minutes <= self.flag_minutes:
            msg = (
                "Koper rule: need 0 < min_minutes <= flag_minutes "
                f"(got {self.min_minutes}, {self.flag_minutes})"
            )
            raise InputSchemaError(msg)


@dataclass(frozen=True, slots=True)
class Shift:
    """A named shift: a window of whole hours that may wrap midnight.

    Attributes
    ----------
    name
        Its name (``dag``, ``kväll``, ``natt``).
    window
        Its hours.
    """

    name: str
    window: HourWindow


#: Day 07-15, evening 15-23, night 23-07.
DEFAULT_SHIFTS: tuple[Shift, ...] = (
    Shift("dag", HourWindow(7, 15)),
    Shift("kväll", HourWindow(15, 23)),
    Shift("natt", HourWindow(23, 7)),
)


def parse_shifts(text: str) -> tuple[Shift, ...]:
    """Parse ``"dag=07-15,kväll=15-23,natt=23-07"``; the shifts must cover each hour once.

    Raises
    ------
    InputSchemaError
        For a bad item, a repeated name, or hours covered twice or not at all.
    """
    shifts: list[Shift] = []
    for item in (part.strip() for part in str(text).split(",")):
        if not item:
            continue
        name, sep, hours = item.partition("=")
        if not sep or not name.strip():
            msg = f"--shifts: {item!r} is not NAME=HH-HH (e.g. natt=23-07)"
            raise InputSchemaError(msg)
        shifts.append(Shift(name.strip(), parse_hours(hours.strip())))
    check_shifts(shifts)
    return tuple(shifts)


def check_shifts(shifts: Sequence[Shift]) -> None:
    """Raise unless ``shifts`` have distinct names and cover each hour of the day once."""
    names = [s.name for s in shifts]
    if not shifts or len(set(names)) != len(names):
        msg = f"--shifts: give distinct shift names (got {', '.join(names) or 'none'})"
        raise InputSchemaError(msg)
    count = np.zeros(24, dtype=int)
    for s in shifts:
        count[list(s.window.hours())] += 1
    if not (count == 1).all():
        twice = [h for h in range(24) if count[h] > 1]
        none = [h for h in range(24) if count[h] == 0]
        msg = (
            "--shifts: every hour must belong to exactly one shift "
            f"(hours in several: {twice or 'none'}; in none: {none or 'none'})"
        )
        raise InputSchemaError(msg)


def assign_shifts(
    t_ms: np.ndarray, shifts: Sequence[Shift] = DEFAULT_SHIFTS
) -> tuple[np.ndarray, np.ndarray]:
    """The shift of each time and the local date on which that shift started.

    Returns
    -------
    tuple of numpy.ndarray
        Shift names (object array) and dates (``datetime.date`` objects).
    """
    check_shifts(shifts)
    local = times_local(t_ms)
    hour = local.hour.to_numpy()
    name_of = np.empty(24, dtype=object)
    back = np.zeros(24, dtype=int)  # days to go back to the shift's start
    for s in shifts:
        for h in s.window.hours():
            name_of[h] = s.name
            back[h] = 1 if s.window.start > s.window.end % 24 and h < s.window.end % 24 else 0
    names = name_of[hour] if len(hour) else np.zeros(0, dtype=object)
    days = (local.normalize() - pd.to_timedelta(back[hour], unit="D")).date
    return names, np.asarray(days, dtype=object)


def classify_minutes(minutes: np.ndarray, rule: KoperRule | None = None) -> np.ndarray:
    """``short``, ``koper`` or ``long`` for each visit length (minutes)."""
    r = rule or KoperRule()
    m = np.asarray(minutes, dtype=float)
    return np.where(m < r.min_minutes, "short", np.where(m > r.flag_minutes, "long", "koper"))


def empty_visits() -> pd.DataFrame:
    """A visit frame without rows."""
    return pd.DataFrame(
        {
            "place_id": pd.Series(dtype=object),
            "unit": pd.Series(dtype=object),
            "officer": pd.Series(dtype=object),
            "start_ms": pd.Series(dtype="int64"),
            "end_ms": pd.Series(dtype="int64"),
            "minutes": pd.Series(dtype="float64"),
            "koper": pd.Series(dtype=object),
            "x": pd.Series(dtype="float64"),
            "y": pd.Series(dtype="float64"),
        }
    )


def place_visits(
    stops: pd.DataFrame, areas: Mapping[str, BaseGeometry], *, rule: KoperRule | None = None
) -> pd.DataFrame:
    """The stops inside each area, as visits.

    Parameters
    ----------
    stops
        Stop frame (metres).
    areas
        Place id -> area (metres). A stop inside several areas is a visit to each.
    rule
        :class:`KoperRule`.

    Returns
    -------
    pandas.DataFrame
        ``place_id``, ``unit``, ``officer``, ``start_ms``, ``end_ms``, ``minutes``,
        ``koper`` (``short``/``koper``/``long``), ``x``, ``y``; by place and time.
    """
    if len(stops) == 0 or not areas:
        return empty_visits()
    x = stops["x"].to_numpy(dtype=float)
    y = stops["y"].to_numpy(dtype=float)
    parts: list[pd.DataFrame] = []
    for place_id, area in areas.items():
        if area is None or area.is_empty:
            continue
        x0, y0, x1, y1 = area.bounds
        box = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
        if not len(box):
            continue
        idx = box[shapely.contains_xy(area, x[box], y[box])]
        if len(idx):
            parts.append(stops.iloc[idx].assign(place_id=place_id))
    if not parts:
        return empty_visits()
    out = pd.concat(parts, ignore_index=True)
    out["minutes"] = (out["end_ms"] - out["start_ms"]) / _MS_PER_MIN
    out["koper"] = classify_minutes(out["minutes"].to_numpy(), rule)
    out = out.sort_values(["place_id", "start_ms", "unit"], kind="stable", ignore_index=True)
    return out[list(empty_visits().columns)]


_SUMMARY_COLUMNS: tuple[str, ...] = (
    "visits",
    "koper_visits",
    "long_visits",
    "short_visits",
    "visit_minutes",
    "presence_minutes",
    "drive_throughs",
    "drive_through_minutes",
    "units",
)


def visit_summary(
    visits: pd.DataFrame,
    passages: pd.DataFrame,
    *,
    by: Sequence[str] = ("place_id", "day", "shift"),
    shifts: Sequence[Shift] = DEFAULT_SHIFTS,
) -> pd.DataFrame:
    """Visits, Koper counts, minutes and drive-throughs per place (per day, per shift).

    Parameters
    ----------
    visits
        From :func:`place_visits`.
    passages
        From :func:`~hotspots.dosage.stops.passages_through` (the same places).
    by
        Grouping: any of ``place_id``, ``day``, ``shift``, ``week`` (ISO ``YYYY-Www`` of the
        day).
    shifts
        The shifts.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``visits``; ``koper_visits`` (at least 10 minutes: ``koper`` and
        ``long``); ``long_visits`` (over 15, flagged); ``short_visits``; ``visit_minutes``
        (stop minutes); ``presence_minutes`` (passages with a stop); ``drive_throughs`` and
        ``drive_through_minutes`` (passages without); ``units`` (distinct units).
    """
    keys = list(by)
    bad = [k for k in keys if k not in ("place_id", "day", "shift", "week")]
    if bad:
        msg = f"by: {bad} not known; use place_id, day, shift or week"
        raise InputSchemaError(msg)
    v = _with_time_keys(visits, shifts)
    p = _with_time_keys(passages, shifts)
    v = v.assign(
        koper_visit=v["koper"].isin(("koper", "long")),
        long_visit=v["koper"] == "long",
        short_visit=v["koper"] == "short",
    )
    p = p.assign(minutes=(p["end_ms"] - p["start_ms"]) / _MS_PER_MIN)
    stopped = p["stopped"].astype(bool)
    g_v = v.groupby(keys, sort=True).agg(
        visits=("minutes", "size"),
        koper_visits=("koper_visit", "sum"),
        long_visits=("long_visit", "sum"),
        short_visits=("short_visit", "sum"),
        visit_minutes=("minutes", "sum"),
    )
    g_pres = p[stopped].groupby(keys, sort=True).agg(presence_minutes=("minutes", "sum"))
    g_drive = (
        p[~stopped]
        .groupby(keys, sort=True)
        .agg(drive_throughs=("minutes", "size"), drive_through_minutes=("minutes", "sum"))
    )
    units = pd.concat([v[[*keys, "unit"]], p[[*keys, "unit"]]], ignore_index=True)
    g_units = units.groupby(keys, sort=True).agg(units=("unit", "nunique"))
    out = pd.concat([g_v, g_pres, g_drive, g_units], axis=1).fillna(0)
    for col in ("visits", "koper_visits", "long_visits", "short_visits", "drive_throughs", "units"):
        out[col] = out[col].astype("int64")
    for col in ("visit_minutes", "presence_minutes", "drive_through_minutes"):
        out[col] = out[col].astype(float).round(1)
    out = out.reset_index()
    if out.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in [*keys, *_SUMMARY_COLUMNS]})
    return out[[*keys, *_SUMMARY_COLUMNS]]


def _with_time_keys(frame: pd.DataFrame, shifts: Sequence[Shift]) -> pd.DataFrame:
    start = frame["start_ms"].to_numpy(dtype=np.int64)
    names, days = assign_shifts(start, shifts)
    week = [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in days]
    return frame.assign(
        shift=pd.Series(names, index=frame.index, dtype=object),
        day=pd.Series(days, index=frame.index, dtype=object),
        week=pd.Series(week, index=frame.index, dtype=object),
    )


def local_day_start_ms(day: dt.date) -> int:
    """UTC milliseconds of local midnight at the start of ``day``."""
    stamp = pd.Timestamp(day.year, day.month, day.day).tz_localize(TIMEZONE)
    return int(stamp.tz_convert("UTC").as_unit("ms").asm8.astype(np.int64))
