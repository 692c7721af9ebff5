from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from hotspots.core.config import Filters, HourWindow
from hotspots.core.errors import InputSchemaError
from hotspots.engine.select import (
    select_incidents,
    select_origin,
    select_reactive,
    split_by_origin,
)


def test_hours_across_midnight_and_weekdays(make_incidents) -> None:
    # 2026-01-02 is a Friday. Hours: 21, 22, 23, 0 (Sat), 3 (Sat), 4 (Sat), 12 (Sat)
    times = [
        "2026-01-02 21:30",
        "2026-01-02 22:10",
        "2026-01-02 23:59",
        "2026-01-03 00:30",
        "2026-01-03 03:59",
        "2026-01-03 04:00",
        "2026-01-03 12:00",
    ]
    inc = make_incidents(np.arange(7) * 100 + 413_000, np.full(7, 6_584_000), times=times)
    night = select_incidents(inc, Filters(hours=HourWindow(22, 4)))
    assert list(night["occurred_at"].dt.hour) == [22, 23, 0, 3]
    sat = select_incidents(inc, Filters(weekdays=(5,)))
    assert len(sat) == 4
    # Friday 22-04 is Friday night, into Saturday morning (the night counts to its evening)
    both = select_incidents(inc, Filters(hours=HourWindow(22, 4), weekdays=(4,)))
    assert list(both["occurred_at"].dt.hour) == [22, 23, 0, 3]


def test_restricted_and_coarse_rows_never_selected(make_incidents) -> None:
    cats = ["assault_public", "domestic_violence", "sexual_offence", "dui"]
    inc = make_incidents(np.arange(4) * 10.0, np.zeros(4), categories=cats)
    inc.loc[3, "precision"] = "municipality"
    out = select_incidents(inc, Filters())
    assert list(out["category"]) == ["assault_public"]
    asked = select_incidents(
        inc, Filters(categories=("domestic_violence", "dui")), for_density=False
    )
    assert list(asked["category"]) == ["dui"]


def test_period_is_half_open_in_local_time(make_incidents) -> None:
    # a minute either side of each bound, local (Stockholm) wall-clock time: since is kept
    # and until is not, so shifting either bound by a day, or comparing in UTC (an hour
    # off in winter, two in summer), keeps or drops a different row
    times = [
        "2026-02-28 23:59",  # t0: before since
        "2026-03-01 00:00",  # t1: at since, kept
        "2026-03-01 00:01",  # t2
        "2026-03-31 23:59",  # t3: last minute before until
        "2026-04-01 00:00",  # t4: at until, dropped
        "2026-04-01 00:59",  # t5: before until in UTC (22:59 on 31 March), dropped here
    ]
    inc = make_incidents(np.zeros(len(times)), np.zeros(len(times)), times=times)
    out = select_incidents(inc, Filters(since=dt.date(2026, 3, 1), until=dt.date(2026, 4, 1)))
    assert list(out["id"]) == ["t1", "t2", "t3"]
    one_day = select_incidents(
        inc, Filters(since=dt.date(2026, 3, 1), until=dt.date(2026, 3, 2))
    )
    assert list(one_day["id"]) == ["t1", "t2"]


def test_reactive_selection_drops_proactive_and_restricted(make_incidents) -> None:
    cats = ["assault_public", "drug_use", "dui", "domestic_violence", "vandalism", "weapons"]
    inc = make_incidents(np.arange(6) * 10.0, np.zeros(6), categories=cats)
    assert list(select_reactive(inc)["category"]) == ["assault_public", "vandalism"]
    reactive, proactive = split_by_origin(inc)
    assert list(reactive["category"]) == ["assault_public", "vandalism"]
    assert list(proactive["category"]) == ["drug_use", "dui", "weapons"]
    assert list(select_origin(inc, "proactive")["id"]) == ["t1", "t2", "t5"]
    with pytest.raises(InputSchemaError, match="origin"):
        select_origin(inc, "both")


def test_a_night_counts_to_the_weekday_it_starts(make_incidents) -> None:
    """Friday-Saturday 22-04: Friday 22:00 to Saturday 04:00 and Saturday 22 to Sunday 04."""
    from hotspots.core.config import Filters, HourWindow
    from hotspots.engine.select import select_incidents

    times = [
        "2026-11-26 23:30",  # Thursday night: out
        "2026-11-27 02:00",  # Thursday night after midnight (a Friday by the calendar): out
        "2026-11-27 22:30",  # Friday night: in
        "2026-11-28 03:00",  # Friday night after midnight: in
        "2026-11-28 23:00",  # Saturday night: in
        "2026-11-29 01:00",  # Saturday night after midnight (Sunday by the calendar): in
        "2026-11-29 22:30",  # Sunday night: out
        "2026-11-28 12:00",  # Saturday noon: outside the hours
    ]
    frame = make_incidents(np.arange(8.0) * 10 + 400_000, np.zeros(8) + 6_580_000, times=times)
    night = Filters(hours=HourWindow(22, 4), weekdays=(4, 5))
    kept = select_incidents(frame, night)
    assert kept["occurred_at"].dt.strftime("%d %H").tolist() == ["27 22", "28 03", "28 23", "29 01"]
    # without a window that wraps midnight, the calendar day
    days = select_incidents(frame, Filters(weekdays=(4,)))
    assert days["occurred_at"].dt.strftime("%d %H").tolist() == ["27 02", "27 22"]
