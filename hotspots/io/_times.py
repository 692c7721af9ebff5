"""Vectorised parsing of incident times into Europe/Stockholm timestamps with a precision.

Accepted forms (each with ``T`` or a space between date and time, ``:`` or ``.`` between hours
and minutes, optional seconds and fractions, and an optional ``Z`` / ``+01:00`` offset):

* ``2026-03-14 22:15`` (exact), ``2026-03-14`` (day), ``2026-03`` (month);
* ``14/03/2026 22:15``, ``14.03.2026`` (day first, as some exports write it).

Naive times are local Europe/Stockholm time. A day gives the interval [day, next day), a month
[first of month, first of next month): ``occurred_until`` holds the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hotspots.schema import TIMEZONE

__all__ = ["ParsedTimes", "parse_times"]

_ISO = (
    r"^\s*(?P<year>\d{4})-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2})"
    r"(?:[T\s]+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:[.,](?P<frac>\d+))?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?)?)?\s*$"
)
_DAYFIRST = (
    r"^\s*(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})"
    r"(?:[T\s]+(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2}))?)?\s*$"
)


@dataclass(frozen=True, slots=True)
class ParsedTimes:
    """Result of :func:`parse_times`.

    Attributes
    ----------
    start
        Start of each time, Europe/Stockholm (NaT where unparseable or empty).
    until
        End of the interval for day and month precision, else NaT.
    precision
        ``"exact"``, ``"day"`` or ``"month"`` per row (``""`` where unparseable).
    empty
        Rows whose value was empty.
    bad
        Rows with a value that could not be parsed.
    """

    start: pd.DatetimeIndex
    until: pd.DatetimeIndex
    precision: np.ndarray
    empty: np.ndarray
    bad: np.ndarray


def _components(text: pd.Series) -> pd.DataFrame:
    iso = text.str.extract(_ISO)
    need = iso["year"].isna().to_numpy()
    if need.any():
        alt = text[need].str.extract(_DAYFIRST)
        for col in alt.columns:
            iso.loc[need, col] = alt[col].to_numpy()
    return iso


def _localise(naive: pd.DatetimeIndex) -> pd.DatetimeIndex:
    # Ambiguous autumn hours are read as standard time; spring-gap times move forward.
    return naive.tz_localize(
        TIMEZONE, ambiguous=np.zeros(len(naive), dtype=bool), nonexistent="shift_forward"
    )


def _from_datetime_series(values: pd.Series) -> ParsedTimes:
    idx = pd.DatetimeIndex(values)
    idx = _localise(idx) if idx.tz is None else idx.tz_convert(TIMEZONE)
    idx = idx.as_unit("ns")
    empty = np.asarray(idx.isna())
    n = len(idx)
    return ParsedTimes(
        start=idx,
        until=pd.DatetimeIndex(np.full(n, np.datetime64("NaT", "ns"))).tz_localize(TIMEZONE),
        precision=np.where(empty, "", "exact").astype(object),
        empty=empty,
        bad=np.zeros(n, dtype=bool),
    )


_FAST_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


def _fast_path(text: pd.Series) -> ParsedTimes | None:
    """Whole-column parse when every value has one common naive format (the usual case).

    The format is the first of :data:`_FAST_FORMATS` that reads the first value; the column
    is then parsed once with that explicit format (no per-value format inference).
    """
    if not len(text):
        return None
    for fmt in _FAST_FORMATS:
        if pd.to_datetime(text.iloc[:1], format=fmt, errors="coerce").isna().any():
            continue
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
        if not parsed.notna().all():
            return None
        start = _localise(pd.DatetimeIndex(parsed).as_unit("ns"))
        n = len(text)
        return ParsedTimes(
            start=start,
            until=pd.DatetimeIndex(np.full(n, np.datetime64("NaT", "ns"))).tz_localize(TIMEZONE),
            precision=np.full(n, "exact", dtype=object),
            empty=np.zeros(n, dtype=bool),
            bad=np.zeros(n, dtype=bool),
        )
    return None


def parse_times(values: pd.Series) -> ParsedTimes:
    """Parse a column of times (strings or datetimes) into local timestamps and precisions.

    Parameters
    ----------
    values
        The raw column.

    Returns
    -------
    ParsedTimes
        Starts, interval ends, precisions and masks of empty and unparseable rows.
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _from_datetime_series(values)
    text = values.astype("string").fillna("")
    n = len(text)
    empty = np.asarray(text.str.strip() == "", dtype=bool)
    fast = _fast_path(text)
    if fast is not None:
        return fast
    parts = _components(text)
    num = {
        c: pd.to_numeric(parts[c], errors="coerce")
        for c in ("year", "month", "day", "hour", "minute", "second")
    }
    has_year = num["year"].notna().to_numpy()
    has_day = num["day"].notna().to_numpy()
    has_hour = num["hour"].notna().to_numpy()
    frac = parts["frac"].fillna("").str.slice(0, 6).str.pad(6, side="right", fillchar="0")
    micro = pd.to_numeric(frac.where(frac != "000000", "0"), errors="coerce").fillna(0)
    comp = pd.DataFrame(
        {
            "year": num["year"].fillna(2000),
            "month": num["month"].fillna(1),
            "day": num["day"].fillna(1),
            "hour": num["hour"].fillna(0),
            "minute": num["minute"].fillna(0),
            "second": num["second"].fillna(0),
            "microsecond": micro,
        }
    )
    naive = pd.DatetimeIndex(pd.to_datetime(comp, errors="coerce")).as_unit("ns")
    naive = naive.where(has_year, pd.NaT)
    hour_ok = (num["hour"].fillna(0) <= 23).to_numpy()
    naive = naive.where(hour_ok, pd.NaT)

    tz = parts["tz"].fillna("")
    aware = np.asarray(tz != "", dtype=bool)
    start = _localise(naive.where(~aware, pd.NaT))
    if aware.any():
        sign = np.where(tz.str.startswith("-").to_numpy(), -1, 1)
        digits = tz.str.replace(r"[^0-9]", "", regex=True)
        off_h = pd.to_numeric(digits.str.slice(0, 2), errors="coerce").fillna(0).to_numpy()
        off_m = pd.to_numeric(digits.str.slice(2, 4), errors="coerce").fillna(0).to_numpy()
        offset = pd.to_timedelta(sign * (off_h * 60 + off_m), unit="min")
        utc = (naive - offset).tz_localize("UTC").tz_convert(TIMEZONE)
        start = start.where(~aware, utc)

    bad = ~empty & np.asarray(start.isna())
    precision = np.where(has_hour, "exact", np.where(has_day, "day", "month")).astype(object)
    precision[bad | empty] = ""
    local_naive = start.tz_localize(None)
    next_day = _localise(local_naive + pd.Timedelta(days=1))
    next_month = _localise(local_naive + pd.offsets.MonthBegin(1))
    until = pd.DatetimeIndex(np.full(n, np.datetime64("NaT", "ns"))).tz_localize(TIMEZONE)
    until = until.where(precision != "day", next_day)
    until = until.where(precision != "month", next_month)
    return ParsedTimes(start=start, until=until, precision=precision, empty=empty, bad=bad)
