"""Parsing of incident times: the common-format path and the general path agree."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hotspots.io._times import _parse_general, parse_times

TZ = "Europe/Stockholm"


def _ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text).tz_convert(TZ)


def test_common_offset_format_with_other_forms_mixed_in() -> None:
    values = pd.Series(
        [
            "2026-03-14T22:15:00+0100",
            "2026-07-01T08:00:00+02:00",
            "2026-07-01T06:00:00Z",
            "2026-02-30T10:00:00+0100",  # impossible day: rejected, not rolled to 2 March
            "2026-03-14",  # day precision, read by the general path
            "",
            "14/03/2026 22:15",
            "2026-03-14T24:00:00+0100",
        ]
    )
    got = parse_times(values)
    assert got.start[0] == _ts("2026-03-14T21:15:00Z")
    assert got.start[1] == _ts("2026-07-01T06:00:00Z")
    assert got.start[2] == _ts("2026-07-01T06:00:00Z")
    assert list(got.bad) == [False, False, False, True, False, False, False, True]
    assert list(got.empty) == [False, False, False, False, False, True, False, False]
    assert list(got.precision) == ["exact", "exact", "exact", "", "day", "", "exact", ""]
    assert got.start[4] == pd.Timestamp("2026-03-14", tz=TZ)
    assert got.until[4] == pd.Timestamp("2026-03-15", tz=TZ)
    assert got.start[6] == pd.Timestamp("2026-03-14 22:15", tz=TZ)
    assert got.until[:4].isna().all()


def test_naive_common_format_is_local_time_across_dst() -> None:
    # 02:30 on 29 March 2026 does not exist in Stockholm; 02:30 on 25 October exists twice
    values = pd.Series(
        ["2026-03-29 01:30", "2026-03-29 02:30", "2026-10-25 02:30", "2026-01-31 23:59"]
    )
    got = parse_times(values)
    assert got.start[0] == pd.Timestamp("2026-03-29T00:30Z").tz_convert(TZ)
    assert got.start[1] == pd.Timestamp("2026-03-29T01:00Z").tz_convert(TZ)  # shifted forward
    assert got.start[2] == pd.Timestamp("2026-10-25T01:30Z").tz_convert(TZ)  # standard time
    assert got.start[3] == pd.Timestamp("2026-01-31 23:59", tz=TZ)
    assert not got.bad.any()


@pytest.mark.parametrize("seed", [0, 1])
def test_common_path_agrees_with_general_parser(seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = pd.Timestamp("2025-01-01", tz=TZ)
    times = base + pd.to_timedelta(rng.integers(0, 2 * 365 * 24 * 60, 500), unit="min")
    texts = pd.Series(times.strftime("%Y-%m-%dT%H:%M:%S%z"))
    texts[::7] = pd.Series(times.strftime("%Y-%m-%d %H:%M"))[::7]  # naive rows: the other path
    fast = parse_times(texts)
    slow = _parse_general(texts.astype("string"), np.zeros(len(texts), dtype=bool))
    assert (fast.start == slow.start).all()
    assert (fast.precision == slow.precision).all()
    assert not fast.bad.any()


@pytest.mark.parametrize("first", ["2026-03-14 22:15", "2026-03-14T22:15:00+0100"])
def test_impossible_years_and_clock_times_are_rejected_not_rolled(first: str) -> None:
    """Typos never crash the parse nor become another time; both parsing paths agree."""
    values = pd.Series(
        [first, "0026-03-14 22:15", "3026-03-14 22:15", "2026-13-01 10:00", "2026-03-14 22:60",
         "2026-03-14 24:00", "2026-03-14 22:15:61", "1677-12-31 10:00"]
    )  # fmt: skip
    got = parse_times(values)
    assert list(got.bad) == [False] + [True] * 7
    assert got.start[0] == pd.Timestamp("2026-03-14 22:15", tz=TZ)
    assert got.start[1:].isna().all()


def test_the_day_29_to_31_prefilter_never_misses_a_row_the_regex_takes() -> None:
    import re

    from hotspots.io._arrow import arrow_strings
    from hotspots.io._times import _may_be_day_29_to_31

    rng = np.random.default_rng(4)
    alphabet = list("0123456789--- T:å")
    texts = ["".join(rng.choice(alphabet, rng.integers(0, 17))) for _ in range(20_000)]
    texts += [f"2026-{m:02d}-{d:02d} 10:00" for m in range(1, 13) for d in range(1, 32)]
    texts += [" 2026-02-30 10:00", "2026-2-30 10:00", "2026-04-31T00:30+02:00", ""]
    regex = re.compile(r"^\s*\d{4}-\d{1,2}-(29|30|31)\D")
    arr = arrow_strings(pd.Series(texts, dtype="string"))
    for part in (arr, arr.slice(7)):  # also an array that starts inside its buffers
        may = _may_be_day_29_to_31(part)
        taken = np.array([bool(regex.match(t)) for t in part.to_pylist()])
        assert not (taken & ~may).any()
    # and of well-formed times it keeps exactly those on days 29-31
    dates = [f"2026-{m:02d}-{d:02d} 10:00" for m in range(1, 13) for d in range(1, 32)]
    may = _may_be_day_29_to_31(arrow_strings(pd.Series(dates, dtype="string")))
    assert list(may) == [int(t[8:10]) >= 29 for t in dates]
