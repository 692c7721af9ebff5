from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from hotspots.core.config import HourWindow
from hotspots.core.schema import TIMEZONE
from hotspots.engine.temporal import (
    aoristic_slots,
    hour_weekday_matrix,
    peak_hours_window,
    peak_weekdays,
)


def _frame(at: list[str], until: list[str | None], prec: list[str] | None = None) -> pd.DataFrame:
    f = pd.DataFrame(
        {
            "occurred_at": pd.to_datetime(at).tz_localize(TIMEZONE),
            "occurred_until": pd.to_datetime(until).tz_localize(TIMEZONE),
        }
    )
    if prec is not None:
        f["time_precision"] = prec
    return f


def test_aoristic_interval_across_midnight_golden() -> None:
    # Friday 2026-01-09 22:30 to Saturday 01:30: hours 22, 23 (Fri) and 0, 1 (Sat), 1/4 each
    f = _frame(["2026-01-09 22:30"], ["2026-01-10 01:30"])
    start, n = aoristic_slots(f)
    assert start.tolist() == [4 * 24 + 22]
    assert n.tolist() == [4]
    m = hour_weekday_matrix(start, n)[0]
    assert_allclose(m[4, 22:], [0.25, 0.25])
    assert_allclose(m[5, :2], [0.25, 0.25])
    assert m.sum() == pytest.approx(1.0)


def test_aoristic_wraps_from_sunday_into_monday_and_caps_long_intervals() -> None:
    f = _frame(
        ["2026-01-11 23:00", "2026-01-05 10:15", "2026-01-01 00:00", "2026-01-05 08:00"],
        ["2026-01-12 01:00", None, "2026-01-31 00:00", None],
        ["exact", "exact", "exact", "month"],
    )
    start, n = aoristic_slots(f)
    assert n.tolist() == [2, 1, 168, 168]
    m = hour_weekday_matrix(start, n, groups=np.array([0, 1, 2, 2]), n_groups=3)
    assert m[0, 6, 23] == pytest.approx(0.5)
    assert m[0, 0, 0] == pytest.approx(0.5)
    assert m[1, 0, 10] == pytest.approx(1.0)
    # a month-long interval and a month-only time: spread evenly over the week
    assert_allclose(m[2], 2.0 / 168)
    assert_allclose(m.sum(axis=(1, 2)), [1.0, 1.0, 2.0])


def test_day_precision_spreads_over_the_day() -> None:
    f = _frame(["2026-01-07 00:00"], [None], ["day"])
    start, n = aoristic_slots(f)
    m = hour_weekday_matrix(start, n)[0]
    assert_allclose(m[2], 1 / 24)


def test_peak_window_wraps_midnight() -> None:
    prof = np.zeros(24)
    prof[[22, 23, 0, 1]] = [3, 4, 4, 3]
    prof[12] = 1
    win = peak_hours_window(prof)
    # 50 % of 15 = 7.5: two hours (23, 0) hold 8
    assert win == HourWindow(23, 1)
    assert win is not None
    assert list(win.hours()) == [23, 0]
    assert peak_hours_window(prof, share=0.9) == HourWindow(22, 2)
    assert peak_hours_window(np.zeros(24)) is None
    assert peak_hours_window(np.ones(24), share=1.0) == HourWindow(0, 24)


def test_peak_weekdays() -> None:
    assert peak_weekdays(np.array([1, 1, 1, 1, 6, 7, 1])) == ["fri", "sat"]
    assert peak_weekdays(np.array([0, 0, 0, 0, 0, 1, 0])) == ["sat"]
    assert peak_weekdays(np.zeros(7)) == []


def test_aoristic_slots_agree_with_calendar_fields_across_dst() -> None:
    """Start slot and first-hour offset from local wall-clock fields, on random times and on
    the nights the clocks change (Europe/Stockholm)."""
    rng = np.random.default_rng(0)
    utc = pd.to_datetime(rng.integers(1_600_000_000, 1_800_000_000, 20_000), unit="s", utc=True)
    dst = pd.date_range("2026-03-29 00:00", "2026-03-29 04:00", freq="7min", tz="UTC")
    dst = dst.append(pd.date_range("2026-10-25 00:00", "2026-10-25 04:00", freq="7min", tz="UTC"))
    at = pd.DatetimeIndex(utc.append(dst)).tz_convert("Europe/Stockholm")
    until = at + pd.to_timedelta(rng.integers(0, 300_000, len(at)), unit="s")
    frame = pd.DataFrame({"occurred_at": at, "occurred_until": until})
    start, n_hours = aoristic_slots(frame)
    assert_array_equal(start, at.day_of_week * 24 + at.hour)
    offset = at.minute * 60.0 + at.second
    secs = (until - at).total_seconds().to_numpy()
    span = np.ceil((secs + offset) / 3600.0 - 1e-9)
    want = np.where(span > 1, np.minimum(span, 168), 1).astype(np.int64)
    assert_array_equal(n_hours, want)


def test_a_night_hotspot_peaks_on_the_evening_it_starts() -> None:
    """Friday and Saturday nights 22-04: the days read fre, lör, not lör, sön."""
    from hotspots.engine.temporal import night_weekday_profile, peak_weekdays

    m = np.zeros((7, 24))
    m[4, 23] = 3  # Friday 23:00
    m[5, 1] = 5  # Saturday 01:00: Friday night
    m[5, 22] = 4  # Saturday 22:00
    m[6, 2] = 6  # Sunday 02:00: Saturday night
    m[2, 12] = 1  # Wednesday noon, outside the window: its own day
    night = night_weekday_profile(m, HourWindow(22, 4))
    assert night.tolist() == [0, 0, 1, 0, 8, 10, 0]
    assert peak_weekdays(night, share=0.9) == ["fri", "sat"]
    assert night_weekday_profile(m, HourWindow(8, 16)).tolist() == m.sum(axis=1).tolist()
    assert night_weekday_profile(m, None).tolist() == m.sum(axis=1).tolist()
