"""The wording helpers of :mod:`hotspots.planning.reasons`."""

from __future__ import annotations

from hotspots.planning import days_text


def test_days_text_joins_runs_of_weekdays() -> None:
    assert days_text([4, 5], "sv") == "fre–lör"
    assert days_text([5, 4, 4], "sv") == "fre–lör"  # order and repeats do not matter
    assert days_text([0, 2], "en") == "Mon, Wed"  # English capitalises, Swedish does not
    assert days_text([0, 1, 2, 4], "en") == "Mon–Wed, Fri"
    assert days_text([4, 5], "en") == "Fri–Sat"
    assert days_text(range(7), "sv") == "alla dagar"
    assert days_text(range(7), "en") == "every day"
