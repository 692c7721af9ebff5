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
import pyarrow as pa
import pyarrow.compute as pc

from hotspots.core.schema import TIMEZONE
from hotspots.io._arrow import arrow_strings, blank

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
        ``"exact"``, ``"day"`` or ``"month"`` per row (``""`` where unparseable), a NumPy
        string array.
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
        precision=np.where(empty, "", "exact"),
        empty=empty,
        bad=np.zeros(n, dtype=bool),
    )


_NAIVE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")
_AWARE_FORMATS = tuple(f + "%z" for f in _NAIVE_FORMATS)


@dataclass(frozen=True, slots=True)
class _Common:
    """Rows read with the column's common format (exact times) and the rows it did not read."""

    start: pd.DatetimeIndex
    unread: np.ndarray


#: Years a time may have: those nanosecond timestamps hold whole (1678 to 2261).
_YEARS = (1678, 2261)
#: The same range in microseconds since 1970: [1 January 1678, 1 January 2262).
_US_RANGE = (
    pd.Timestamp(f"{_YEARS[0]}-01-01").value // 1000,
    pd.Timestamp(f"{_YEARS[1]}-12-31 23:59:59.999999").value // 1000,
)


def _strptime(text: pd.Series, fmt: str) -> pd.DatetimeIndex:
    """Parse with one explicit format in Arrow (about 3x pandas' speed); NaT where it fails.

    Years outside :data:`_YEARS` (``0026``, a typo) do not fit nanosecond timestamps: NaT
    too, so the general parser rejects them with a reason.
    """
    parsed = pc.strptime(arrow_strings(text), format=fmt, unit="us", error_is_null=True)
    us = pc.fill_null(parsed.cast(pa.int64()), _US_RANGE[0] - 1).to_numpy()
    ok = (us >= _US_RANGE[0]) & (us <= _US_RANGE[1])
    ns = np.where(ok, us * 1000, np.iinfo(np.int64).min)
    out = pd.DatetimeIndex(ns.view("M8[ns]"))
    return out.tz_localize("UTC") if parsed.type.tz is not None else out


def _may_be_day_29_to_31(arr: pa.StringArray) -> np.ndarray:
    """Rows whose day may be 29-31: "YYYY-MM-" not in place, or "29" to "31" after it.

    A look at fixed bytes of Arrow's buffers (no string is copied), so that the regex runs on
    those rows only.
    """
    n = len(arr)
    _, offsets_buf, data_buf = arr.buffers()
    if data_buf is None or n == 0:
        return np.zeros(n, dtype=bool)
    offsets = np.frombuffer(offsets_buf, dtype=np.int32)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8)
    start = offsets[:-1].astype(np.int64)
    long = (offsets[1:] - offsets[:-1]) >= 10
    at = np.where(long, start, 0)
    if len(data) < 10:
        return ~np.zeros(n, dtype=bool)

    def byte(k: int) -> np.ndarray:
        return data[np.minimum(at + k, len(data) - 1)]

    dash = ord("-")
    fixed = long & (byte(4) == dash) & (byte(7) == dash)
    d0, d1 = byte(8), byte(9)
    late = ((d0 == ord("2")) & (d1 == ord("9"))) | (
        (d0 == ord("3")) & ((d1 == ord("0")) | (d1 == ord("1")))
    )
    return ~fixed | late


def _reject_rolled_days(text: pd.Series, parsed: pd.DatetimeIndex, fmt: str) -> pd.DatetimeIndex:
    """NaT where Arrow rolled an impossible day over (``2026-02-30`` read as 2 March).

    Only days 29-31 can be impossible; those rows are checked again with pandas' strict parser.
    """
    arr = arrow_strings(text)
    rows = np.flatnonzero(_may_be_day_29_to_31(arr) & np.asarray(parsed.notna()))
    if not len(rows):
        return parsed
    late = pc.match_substring_regex(arr.take(rows), r"^\s*\d{4}-\d{1,2}-(29|30|31)\D")
    rows = rows[np.asarray(late.fill_null(False))]
    if not len(rows):
        return parsed
    strict = pd.to_datetime(text.iloc[rows], format=fmt, errors="coerce", utc="%z" in fmt)
    impossible = rows[np.asarray(strict.isna())]
    if not len(impossible):
        return parsed
    values = parsed.asi8.copy()
    values[impossible] = np.iinfo(np.int64).min
    out = pd.DatetimeIndex(values.view("M8[ns]"))
    return out.tz_localize(parsed.tz) if parsed.tz is not None else out  # asi8 is UTC


def _common_format(text: pd.Series, empty: np.ndarray) -> _Common | None:
    """Read the column with the one format of its first non-empty value (the usual case).

    The format is the first of the naive and offset formats that reads that value; the
    column is then parsed once with it, with no per-value inference. Rows the format does not
    read (other forms, typos) are left to the general parser.
    """
    first = np.flatnonzero(~empty)
    if not len(first):
        return None
    probe = text.iloc[first[:1]]
    for fmt in _AWARE_FORMATS + _NAIVE_FORMATS:
        if _strptime(probe, fmt).isna().any():
            continue
        parsed = _strptime(text, fmt)
        parsed = _reject_rolled_days(text, parsed, fmt)
        # Arrow gives UTC timestamps for the offset formats, naive ones for the others
        start = parsed.tz_convert(TIMEZONE) if parsed.tz is not None else _localise(parsed)
        return _Common(start=start, unread=np.asarray(parsed.isna()) & ~empty)
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
    empty = blank(text)
    common = _common_format(text, empty)
    if common is None:
        return _parse_general(text, empty)
    n = len(text)
    start = common.start
    until = pd.DatetimeIndex(np.full(n, np.datetime64("NaT", "ns"))).tz_localize(TIMEZONE)
    precision = np.where(empty, "", "exact").astype("<U5")
    bad = np.zeros(n, dtype=bool)
    rest = np.flatnonzero(common.unread)
    if len(rest):
        other = _parse_general(text.iloc[rest], np.zeros(len(rest), dtype=bool))
        start = _put(start, rest, other.start)
        until = _put(until, rest, other.until)
        precision[rest] = other.precision
        bad[rest] = other.bad
    return ParsedTimes(start=start, until=until, precision=precision, empty=empty, bad=bad)


def _put(target: pd.DatetimeIndex, rows: np.ndarray, values: pd.DatetimeIndex) -> pd.DatetimeIndex:
    out = target.asi8.copy()  # UTC nanoseconds, whatever the zone shown
    out[rows] = values.as_unit("ns").asi8
    return pd.DatetimeIndex(out.view("M8[ns]")).tz_localize("UTC").tz_convert(TIMEZONE)


def _parse_general(text: pd.Series, empty: np.ndarray) -> ParsedTimes:
    """Regex parse of every accepted form, value by value (the slow, general path)."""
    n = len(text)
    parts = _components(text)
    num = {
        c: pd.to_numeric(parts[c], errors="coerce")
        for c in ("year", "month", "day", "hour", "minute", "second")
    }
    # years that nanosecond timestamps cannot hold (0026, 3026: typos) are unparseable
    has_year = num["year"].between(*_YEARS).to_numpy(dtype=bool, na_value=False)
    has_day = num["day"].notna().to_numpy()
    has_hour = num["hour"].notna().to_numpy()
    frac = parts["frac"].fillna("").str.slice(0, 6).str.pad(6, side="right", fillchar="0")
    micro = pd.to_numeric(frac.where(frac != "000000", "0"), errors="coerce").fillna(0)
    comp = pd.DataFrame(
        {
            "year": num["year"].where(has_year).fillna(2000),
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
    clock_ok = (
        (num["hour"].fillna(0) <= 23)
        & (num["minute"].fillna(0) <= 59)
        & (num["second"].fillna(0) <= 59)
    ).to_numpy()
    naive = naive.where(clock_ok, pd.NaT)

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
    precision = np.where(has_hour, "exact", np.where(has_day, "day", "month")).astype("<U5")
    precision[bad | empty] = ""
    local_naive = start.tz_localize(None)
    next_day = _localise(local_naive + pd.Timedelta(days=1))
    next_month = _localise(local_naive + pd.offsets.MonthBegin(1))
    until = pd.DatetimeIndex(np.full(n, np.datetime64("NaT", "ns"))).tz_localize(TIMEZONE)
    until = until.where(precision != "day", next_day)
    until = until.where(precision != "month", next_month)
    return ParsedTimes(start=start, until=until, precision=precision, empty=empty, bad=bad)
