from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest

from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.core.periods import (
    custom_period,
    iso_week,
    iso_weeks_in_year,
    last_complete_week,
    month_period,
    parse_iso_week,
    resolve_period,
    weekly_bins,
    weeks4_period,
)
from hotspots.core.schema import TIMEZONE

D = dt.date


def test_week_47_of_2026() -> None:
    # 1 Jan 2026 is a Thursday, so ISO week 1 starts Mon 29 Dec 2025; W47 = +46 weeks.
    p = iso_week(2026, 47)
    assert (p.start, p.end) == (D(2026, 11, 16), D(2026, 11, 23))
    assert p.label == "2026-W47"
    assert p.hours == 168.0
    assert p.previous().label == "2026-W46"
    assert p.year_earlier().label == "2025-W47"
    assert p.year_earlier().start == D(2025, 11, 17)


def test_long_and_short_iso_years() -> None:
    # A year has 53 ISO weeks when 1 Jan (or, in leap years, 31 Dec) is a Thursday.
    assert iso_weeks_in_year(2026) == 53  # 1 Jan 2026 is a Thursday
    assert iso_weeks_in_year(2020) == 53  # leap year starting on a Wednesday
    assert iso_weeks_in_year(2025) == 52
    assert iso_weeks_in_year(2027) == 52


def test_week_53_and_year_end() -> None:
    w53 = iso_week(2026, 53)
    assert (w53.start, w53.end) == (D(2026, 12, 28), D(2027, 1, 4))
    # 2025 has no week 53: the same week a year earlier is its last week, W52.
    assert w53.year_earlier().label == "2025-W52"
    assert w53.year_earlier().start == D(2025, 12, 22)
    # The week after W53 is 2027-W01; its previous is 2026-W53.
    w1 = iso_week(2027, 1)
    assert w1.start == D(2027, 1, 4)
    assert w1.previous().label == "2026-W53"
    # 2026-W01 starts in 2025; its previous is 2025-W52.
    first = iso_week(2026, 1)
    assert first.start == D(2025, 12, 29)
    assert first.previous().label == "2025-W52"
    assert first.year_earlier().start == D(2024, 12, 30)  # 2025-W01
    # 2021-W53 does not exist; 2020-W53 does and maps to 2019-W52.
    with pytest.raises(InputSchemaError, match="weeks 1-52"):
        iso_week(2021, 53)
    assert iso_week(2020, 53).year_earlier().label == "2019-W52"


def test_dst_weeks_have_167_and_169_hours() -> None:
    # Summer time starts Sun 29 Mar 2026 02:00 -> 03:00 (week 13), ends Sun 25 Oct 03:00 -> 02:00.
    spring = iso_week(2026, 13)
    autumn = iso_week(2026, 43)
    assert spring.start == D(2026, 3, 23)
    assert spring.hours == 167.0
    assert autumn.start == D(2026, 10, 19)
    assert autumn.hours == 169.0
    assert iso_week(2026, 14).hours == 168.0
    # March 2026 has 31 days, one hour short: 743 hours; October 745.
    assert month_period(2026, 3).hours == 743.0
    assert month_period(2026, 10).hours == 745.0
    # Periods start at local midnight, also after the change (UTC offset +02:00).
    assert iso_week(2026, 14).start_ts.utcoffset() == dt.timedelta(hours=2)
    assert spring.start_ts.utcoffset() == dt.timedelta(hours=1)


def test_contains_uses_local_midnights_across_dst() -> None:
    p = iso_week(2026, 43)
    t = pd.Series(
        pd.to_datetime(
            [
                "2026-10-18T23:59:59+02:00",  # Sunday before: outside
                "2026-10-19T00:00:00+02:00",  # Monday midnight: inside
                "2026-10-25T02:30:00+02:00",  # first 02:30 (summer time)
                "2026-10-25T02:30:00+01:00",  # second 02:30 (winter time)
                "2026-10-25T23:59:00+01:00",  # Sunday night: inside
                "2026-10-26T00:00:00+01:00",  # next Monday: outside
                "2026-10-25T23:30:00+00:00",  # = 00:30 Monday local: outside
            ],
            utc=True,
        ).tz_convert(TIMEZONE)
    )
    assert p.contains(t).tolist() == [False, True, True, True, True, False, False]


def test_weeks4_across_year_end() -> None:
    p = weeks4_period(2026, 2)
    # W02, W01 of 2026 and W52, W51 of 2025
    assert (p.start, p.end) == (D(2025, 12, 15), D(2026, 1, 12))
    assert p.label == "2025-W51–2026-W02"
    assert p.days == 28
    prev = p.previous()
    assert (prev.start, prev.end) == (D(2025, 11, 17), D(2025, 12, 15))
    ya = p.year_earlier()
    assert ya.label == "2024-W51–2025-W02"
    assert ya.end == D(2025, 1, 13)


def test_month_previous_and_year_earlier() -> None:
    jan = month_period(2026, 1)
    assert jan.previous().label == "2025-12"
    assert jan.year_earlier().label == "2025-01"
    assert month_period(2024, 2).days == 29
    with pytest.raises(InputSchemaError, match="YYYY-MM"):
        month_period(2026, 13)


def test_custom_period() -> None:
    p = custom_period(D(2026, 11, 1), D(2026, 11, 15))
    assert p.previous().start == D(2026, 10, 18)
    assert p.previous().end == D(2026, 11, 1)
    leap = custom_period(D(2028, 2, 29), D(2028, 3, 7))
    assert leap.year_earlier().start == D(2027, 2, 28)
    with pytest.raises(InputSchemaError, match="after --since"):
        custom_period(D(2026, 11, 15), D(2026, 11, 15))


def test_parse_iso_week() -> None:
    assert parse_iso_week("2026-W47") == (2026, 47)
    assert parse_iso_week("2026w05") == (2026, 5)
    with pytest.raises(InputSchemaError, match="YYYY-Www"):
        parse_iso_week("2026-47")


@pytest.mark.parametrize(
    ("last", "expected"),
    [
        ("2026-11-25 14:00", (2026, 47)),  # Wednesday of W48 -> W47
        ("2026-11-22 23:00", (2026, 47)),  # Sunday of W47 -> W47 is complete
        ("2026-11-23 00:30", (2026, 47)),  # Monday of W48
        ("2027-01-05 10:00", (2026, 53)),  # Tuesday of 2027-W01 -> 2026-W53
        ("2026-01-01 10:00", (2025, 52)),  # Thursday of 2026-W01 -> 2025-W52
    ],
)
def test_last_complete_week(last: str, expected: tuple[int, int]) -> None:
    assert last_complete_week(pd.Timestamp(last, tz=TIMEZONE)) == expected


def test_resolve_period() -> None:
    last = pd.Timestamp("2026-11-25 14:00", tz=TIMEZONE)
    assert resolve_period(last_time=last).label == "2026-W47"
    assert resolve_period(week="2026-W40", last_time=last).label == "2026-W40"
    assert resolve_period(weeks4=True, last_time=last).label == "2026-W44–W47"
    assert resolve_period(month="2026-10").label == "2026-10"
    got = resolve_period(since=D(2026, 11, 1), until=D(2026, 11, 8))
    assert got.kind == "custom"
    with pytest.raises(InputSchemaError, match="only one kind"):
        resolve_period(week="2026-W40", month="2026-10")
    with pytest.raises(InputSchemaError, match="go together"):
        resolve_period(since=D(2026, 11, 1))
    with pytest.raises(InsufficientDataError, match="give --week"):
        resolve_period(last_time=None)


def test_weekly_bins_are_consecutive() -> None:
    bins = weekly_bins((2027, 2), 4)
    assert [b.label for b in bins] == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert all(a.end == b.start for a, b in itertools.pairwise(bins))


def test_describe_in_both_languages() -> None:
    p = iso_week(2026, 47)
    assert p.describe("sv").startswith("vecka 47 2026")
    assert p.describe("en").startswith("week 47 2026")
    assert "oktober" in month_period(2026, 10).describe("sv")
