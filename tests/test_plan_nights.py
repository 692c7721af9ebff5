"""A visit after midnight of a night shift is named by its night wherever the plan is shown."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from hotspots.core.days import after_midnight, days_words, nights_words, visit_in_night
from hotspots.est.lagesbild_tables import _proposals
from hotspots.planning import days_text
from hotspots.render.leaflet.popups import suggestion_popup


def test_nights_are_named_by_the_evening_they_start_and_the_morning_they_end() -> None:
    assert nights_words([5], "sv") == "natten fre/lör"
    assert nights_words([6, 5, 5], "sv") == "nätterna fre/lör, lör/sön"
    assert nights_words([0], "sv") == "natten sön/mån"  # Monday 01:00 is Sunday night
    assert nights_words([5], "en") == "Fri/Sat night"
    assert nights_words([5, 6], "en") == "Fri/Sat, Sat/Sun nights"


@pytest.mark.parametrize(
    ("hours", "small_hours"),
    [
        ("00-03", True),
        ("01-05", True),
        ("00-06", True),
        ("00-08", False),
        ("23-04", False),
        ("20-00", False),
        ("08-17", False),
        (None, False),
        ("nonsense", False),
    ],
)
def test_which_windows_are_a_nights_small_hours(hours: object, small_hours: bool) -> None:
    assert after_midnight(hours) is small_hours


@pytest.mark.parametrize(
    ("start", "hours", "night"),
    [
        ("01:30", "23-04", True),
        ("03:59", "22-04", True),
        ("22:00", "22-04", False),
        ("04:00", "22-04", False),
        ("00:00", "00-03", True),
        ("02:30", "00-03", True),
        ("23:30", "20-00", False),
        ("10:00", "08-17", False),
        ("01:00", None, False),
    ],
)
def test_which_visits_are_in_a_nights_small_hours(start: str, hours: object, night: bool) -> None:
    assert visit_in_night(start, hours) is night


def test_days_in_words_with_and_without_the_small_hours() -> None:
    assert days_words(["sat", "sun"], "sv") == "lör, sön"
    assert days_words(["sat", "sun"], "sv", hours="18-23") == "lör, sön"
    assert days_words(["fri", "sat"], "sv", hours="23-04") == "fre, lör"  # starts Fri, Sat
    assert days_words(["sat", "sun"], "sv", hours="00-03") == "nätterna fre/lör, lör/sön"
    assert days_words("sat,sun", "en", hours="00-03") == "Fri/Sat, Sat/Sun nights"
    assert days_words([5, 6], "en", hours="00-03") == "Fri/Sat, Sat/Sun nights"
    assert days_words(["x"], "sv", hours="00-03") == "x"  # not weekday codes: as given


def test_the_reason_names_the_nights() -> None:
    assert days_text([5, 6], "sv", hours="00-03") == "nätterna fre/lör, lör/sön"
    assert days_text([5, 6], "en", hours="00-03") == "Fri/Sat, Sat/Sun nights"
    assert days_text([4, 5], "sv", hours="23-04") == "fre–lör"


@pytest.mark.parametrize(
    ("lang", "when", "calendar"),
    [
        ("sv", "nätterna fre/lör, lör/sön 00–03", "lör, sön"),
        ("en", "Fri/Sat, Sat/Sun nights 00–03", "Sat, Sun"),
    ],
)
def test_the_map_pop_up_names_the_nights(lang: str, when: str, calendar: str) -> None:
    row = {
        "kind": "pub_check",
        "place": "Kungsgatan",
        "id": "PC1",
        "weekdays": ["sat", "sun"],
        "hours": "00-03",
    }
    html = suggestion_popup(row, lang)  # type: ignore[arg-type]
    assert when in html
    assert calendar not in html
    evening = suggestion_popup({**row, "hours": "18-23"}, lang)  # type: ignore[arg-type]
    assert f"{calendar} 18–23" in evening


def test_the_lagesbild_proposals_name_the_nights() -> None:
    suggestions = pd.DataFrame(
        {
            "hotspot_rank": [1, 1],
            "rank": [1, 2],
            "kind": ["pub_check", "foot_patrol"],
            "weekdays": [["sat", "sun"], ["fri", "sat"]],
            "hours": ["00-03", "22-04"],
            "place": ["Kungsgatan", "Stora torget"],
        }
    )
    plan = SimpleNamespace(suggestions=suggestions)
    assert _proposals(plan, 1, "sv") == [
        "Krogkontroll nätterna fre/lör, lör/sön 00-03 (Kungsgatan)",
        "Fotpatrull fre, lör 22-04 (Stora torget)",
    ]
    assert _proposals(plan, 1, "en")[0] == "Pub check Fri/Sat, Sat/Sun nights 00-03 (Kungsgatan)"
