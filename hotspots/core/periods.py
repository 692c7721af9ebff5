"""Report periods of the EST lägesbild: ISO weeks, four weeks, months and free date ranges.

A period is a half-open range of *local dates* ``[start, end)`` in Europe/Stockholm; its
instants run from local midnight of ``start`` to local midnight of ``end``. Because Swedish
summer time changes at 02:00/03:00, midnight always exists and is unique, so a period is
well defined across DST changes: the week with the last Sunday of March has 167 hours and
the week with the last Sunday of October 169 hours. Counts are compared per elapsed hour
(:attr:`Period.hours`) so that such weeks, and months of different lengths, compare fairly.

Each period knows its *previous equal period* and the *same period a year earlier*:

* ISO week ``YYYY-Www``: the week before (``2026-W01`` -> ``2025-W52``, or ``W53`` in long
  ISO years), and the same week number in the previous ISO year. Week 53 exists only in
  long ISO years (those whose 1 January or 31 December is a Thursday); when the previous
  year has no week 53, its week 52 is used (the last week of that ISO year).
* Four weeks ending with ISO week ``w``: the four weeks before, and the four weeks ending
  with the same week number a year earlier (mapped as above).
* Month ``YYYY-MM``: the previous calendar month, and the same month a year earlier.
* Free range ``[since, until)``: the range of equal length just before, and the same dates a
  year earlier (29 February maps to 28 February).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.core.schema import TIMEZONE

__all__ = [
    "Period",
    "PeriodKind",
    "custom_period",
    "iso_week",
    "iso_weeks_in_year",
    "last_complete_week",
    "month_period",
    "parse_iso_week",
    "parse_month",
    "resolve_period",
    "weekly_bins",
    "weeks4_period",
]

PeriodKind = Literal["week", "weeks4", "month", "custom"]

_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)
_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def iso_weeks_in_year(year: int) -> int:
    """Number of ISO weeks (52 or 53) in ISO year ``year``."""
    return dt.date(year, 12, 28).isocalendar()[1]


def _local_midnight(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day.year, day.month, day.day).tz_localize(TIMEZONE)


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open range of local dates ``[start, end)`` in Europe/Stockholm.

    Attributes
    ----------
    kind
        ``"week"``, ``"weeks4"``, ``"month"`` or ``"custom"``.
    start
        First local date (inclusive).
    end
        Local date after the last one (exclusive).
    iso_year, iso_week
        For ``week`` and ``weeks4``: the ISO year and number of the (last) week.
    """

    kind: PeriodKind
    start: dt.date
    end: dt.date
    iso_year: int | None = None
    iso_week: int | None = None

    def __post_init__(self) -> None:
        if not self.end > self.start:
            msg = f"period: the end {self.end} must be after the start {self.start}"
            raise InputSchemaError(msg)

    @property
    def start_ts(self) -> pd.Timestamp:
        """First instant: local midnight of :attr:`start` (tz-aware)."""
        return _local_midnight(self.start)

    @property
    def end_ts(self) -> pd.Timestamp:
        """First instant after the period: local midnight of :attr:`end` (tz-aware)."""
        return _local_midnight(self.end)

    @property
    def days(self) -> int:
        """Number of calendar days."""
        return (self.end - self.start).days

    @property
    def hours(self) -> float:
        """Elapsed hours between the local midnights (167 or 169 in DST-change weeks)."""
        return float((self.end_ts - self.start_ts).total_seconds() / 3600.0)

    @property
    def last_day(self) -> dt.date:
        """Last local date inside the period."""
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """Short label: ``2026-W47``, ``2026-W44–W47``, ``2026-10`` or ``2026-11-01–2026-11-30``."""
        if self.kind == "week":
            return f"{self.iso_year}-W{self.iso_week:02d}"
        if self.kind == "weeks4":
            s_year, s_week, _ = self.start.isocalendar()
            if s_year == self.iso_year:
                return f"{self.iso_year}-W{s_week:02d}–W{self.iso_week:02d}"
            return f"{s_year}-W{s_week:02d}–{self.iso_year}-W{self.iso_week:02d}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        return f"{self.start.isoformat()}–{self.last_day.isoformat()}"

    def describe(self, lang: Literal["sv", "en"] = "sv") -> str:
        """Human label with the dates, e.g. ``vecka 47 2026 (16–22 nov 2026)``."""
        dates = f"{self.start.isoformat()} – {self.last_day.isoformat()}"
        if self.kind == "week":
            word = "vecka" if lang == "sv" else "week"
            return f"{word} {self.iso_week} {self.iso_year} ({dates})"
        if self.kind == "weeks4":
            s_week = self.start.isocalendar()[1]
            word = "veckorna" if lang == "sv" else "weeks"
            return f"{word} {s_week}–{self.iso_week} ({dates})"
        if self.kind == "month":
            names_sv = (
                "januari februari mars april maj juni juli augusti september oktober "
                "november december"
            ).split()
            names_en = (
                "January February March April May June July August September October "
                "November December"
            ).split()
            names = names_sv if lang == "sv" else names_en
            return f"{names[self.start.month - 1]} {self.start.year} ({dates})"
        return dates

    def contains(self, times: pd.Series) -> pd.Series:
        """Boolean mask of the tz-aware ``times`` that fall inside the period."""
        t = pd.to_datetime(times)
        if getattr(t.dt, "tz", None) is None:
            t = t.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
        return (t >= self.start_ts) & (t < self.end_ts)

    def previous(self) -> Period:
        """The previous equal period (previous week, four weeks, month or equal range)."""
        if self.kind == "week":
            return iso_week(*_shift_week(self._week(), -1))
        if self.kind == "weeks4":
            return weeks4_period(*_shift_week(self._week(), -4))
        if self.kind == "month":
            if self.start.month == 1:
                return month_period(self.start.year - 1, 12)
            return month_period(self.start.year, self.start.month - 1)
        return custom_period(self.start - dt.timedelta(days=self.days), self.start)

    def year_earlier(self) -> Period:
        """The same period one year earlier (same ISO week number, month or dates)."""
        if self.kind in ("week", "weeks4"):
            year, week = self._week()
            week = min(week, iso_weeks_in_year(year - 1))
            return (iso_week if self.kind == "week" else weeks4_period)(year - 1, week)
        if self.kind == "month":
            return month_period(self.start.year - 1, self.start.month)
        return custom_period(_minus_year(self.start), _minus_year(self.end))

    def _week(self) -> tuple[int, int]:
        if self.iso_year is None or self.iso_week is None:
            msg = f"period {self.start}..{self.end} of kind {self.kind!r} has no ISO week"
            raise InputSchemaError(msg)
        return self.iso_year, self.iso_week


def _minus_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _shift_week(week: tuple[int, int], n: int) -> tuple[int, int]:
    monday = dt.date.fromisocalendar(week[0], week[1], 1) + dt.timedelta(weeks=n)
    y, w, _ = monday.isocalendar()
    return y, w


def iso_week(year: int, week: int) -> Period:
    """The ISO week ``week`` of ISO year ``year`` (Monday to Sunday, local time).

    Raises
    ------
    InputSchemaError
        When the week does not exist in that year (e.g. week 53 of a 52-week year).
    """
    n = iso_weeks_in_year(year)
    if not 1 <= week <= n:
        msg = f"--week: {year}-W{week:02d} does not exist; ISO year {year} has weeks 1-{n}"
        raise InputSchemaError(msg)
    monday = dt.date.fromisocalendar(year, week, 1)
    return Period("week", monday, monday + dt.timedelta(days=7), iso_year=year, iso_week=week)


def weeks4_period(year: int, week: int) -> Period:
    """The four ISO weeks ending with week ``week`` of ISO year ``year``."""
    last = iso_week(year, week)
    return Period(
        "weeks4", last.start - dt.timedelta(weeks=3), last.end, iso_year=year, iso_week=week
    )


def month_period(year: int, month: int) -> Period:
    """The calendar month ``month`` of ``year``."""
    if not 1 <= month <= 12:
        msg = f"--month: month {month} does not exist; write YYYY-MM, e.g. 2026-10"
        raise InputSchemaError(msg)
    start = dt.date(year, month, 1)
    end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return Period("month", start, end)


def custom_period(since: dt.date, until: dt.date) -> Period:
    """The free range ``[since, until)`` of local dates (``until`` exclusive)."""
    if not until > since:
        msg = f"--until: {until} must be after --since {since} (until is the date after the last)"
        raise InputSchemaError(msg)
    return Period("custom", since, until)


def parse_iso_week(text: str) -> tuple[int, int]:
    """Parse ``"2026-W47"`` (or ``"2026W47"``) into ``(2026, 47)``.

    Raises
    ------
    InputSchemaError
        When the text is not an ISO week of an existing week.
    """
    match = _WEEK_RE.match(str(text))
    if match is None:
        msg = f"--week: {text!r} is not an ISO week; write YYYY-Www, e.g. 2026-W47"
        raise InputSchemaError(msg)
    year, week = int(match.group(1)), int(match.group(2))
    iso_week(year, week)  # validates the number
    return year, week


def parse_month(text: str) -> tuple[int, int]:
    """Parse ``"2026-10"`` into ``(2026, 10)``.

    Raises
    ------
    InputSchemaError
        When the text is not ``YYYY-MM``.
    """
    match = _MONTH_RE.match(str(text))
    if match is None:
        msg = f"--month: {text!r} is not a month; write YYYY-MM, e.g. 2026-10"
        raise InputSchemaError(msg)
    year, month = int(match.group(1)), int(match.group(2))
    month_period(year, month)
    return year, month


def last_complete_week(last_time: pd.Timestamp | dt.datetime) -> tuple[int, int]:
    """The last ISO week fully covered by data that reach ``last_time``.

    A week counts as complete when the data reach into its last day (Sunday): the week of
    ``last_time`` when ``last_time`` is on a Sunday, else the week before it.

    Parameters
    ----------
    last_time
        The latest incident time (tz-aware or naive local time).
    """
    ts = pd.Timestamp(last_time)
    ts = ts.tz_localize(TIMEZONE) if ts.tzinfo is None else ts.tz_convert(TIMEZONE)
    day = ts.date()
    year, week, weekday = day.isocalendar()
    if weekday == 7:
        return year, week
    return _shift_week((year, week), -1)


def resolve_period(
    *,
    week: str | None = None,
    weeks4: bool = False,
    month: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    last_time: pd.Timestamp | None = None,
) -> Period:
    """Choose the report period from the CLI options.

    ``--week`` gives that ISO week; ``--weeks4`` the four weeks ending with ``--week`` or with
    the last complete week; ``--month`` that month; ``--since/--until`` that range. Without
    any of them: the last complete ISO week in the data (``last_time`` = latest incident).

    Raises
    ------
    InputSchemaError
        For conflicting or malformed options.
    InsufficientDataError
        When the default week is wanted but there is no data (``last_time`` is ``None``).
    """
    chosen = [
        name
        for name, value in (
            ("--week/--weeks4", week is not None or weeks4),
            ("--month", month is not None),
            ("--since/--until", since is not None or until is not None),
        )
        if value
    ]
    if len(chosen) > 1:
        msg = f"give only one kind of period; got {' and '.join(chosen)}"
        raise InputSchemaError(msg)
    if month is not None:
        return month_period(*parse_month(month))
    if since is not None or until is not None:
        if since is None or until is None:
            msg = "--since and --until go together (until is the date after the last)"
            raise InputSchemaError(msg)
        return custom_period(since, until)
    if week is not None:
        year_week = parse_iso_week(week)
    else:
        if last_time is None or pd.isna(last_time):
            msg = "no incidents in the store to choose the last complete week; give --week"
            raise InsufficientDataError(msg)
        year_week = last_complete_week(last_time)
    return weeks4_period(*year_week) if weeks4 else iso_week(*year_week)


def weekly_bins(end_week: tuple[int, int], n_weeks: int) -> list[Period]:
    """The ``n_weeks`` consecutive ISO weeks ending with ``end_week``, oldest first."""
    if n_weeks < 1:
        msg = f"n_weeks must be at least 1 (got {n_weeks})"
        raise InputSchemaError(msg)
    return [iso_week(*_shift_week(end_week, -k)) for k in range(n_weeks - 1, -1, -1)]
