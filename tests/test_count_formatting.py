"""Counts of 1,000 and more in sentences, captions, pop-ups and the report: ``2 142`` / ``2,142``.

Swedish groups thousands with a no-break space, English with a comma
(:mod:`hotspots.core.numbers`, the ways of :mod:`hotspots.render.number_format`); a count in a
sentence once read ``2142 incidents`` in English.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from hotspots.core.config import HourWindow
from hotspots.core.numbers import number_text
from hotspots.est.lagesbild_tables import _categories
from hotspots.planning.model import Draft
from hotspots.planning.reasons import reason
from hotspots.render.report.document import count_text, num
from hotspots.render.symbology import settings_lines

NB = "\u00a0"


def test_number_text_groups_thousands_in_both_languages() -> None:
    assert number_text(2142, "sv") == f"2{NB}142"
    assert number_text(2142, "en") == "2,142"
    assert number_text(1234567, "sv") == f"1{NB}234{NB}567"
    assert number_text(999, "en") == "999"


def _draft(marks: int) -> Draft:
    return Draft(
        kind="foot_patrol",
        geometry=Point(0, 0),
        place="Stora torget",
        members=np.arange(2),
        window=HourWindow(22, 4),
        weekdays=(4, 5),
        day_weights=np.zeros(7),
        marks=marks,
        intro=("Fotpatrull", "Foot patrol"),
        radius_m=1500.0,
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "sv",
            [
                f"2{NB}142 händelser inom 1{NB}500 m",
                f"Misshandel i offentlig miljö 1{NB}500",
                f"1{NB}200 otrygghetsmarkeringar",
                f"1{NB}234 av 2{NB}142 inträffade",
            ],
        ),
        (
            "en",
            [
                "2,142 incidents within 1,500 m",
                "Assault in a public place 1,500",
                "1,200 unsafe marks",
                "1,234 of 2,142 happened",
            ],
        ),
    ],
)
def test_a_suggestions_reason_writes_its_counts_as_the_language_does(
    lang: str, expected: list[str]
) -> None:
    times = pd.Series(pd.to_datetime(["2026-01-02 23:00", "2026-06-05 23:30"]))
    ctx = SimpleNamespace(t=times)
    evidence = {"assault_public": 1500, "disorder": 642}
    text = reason(ctx, _draft(1200), evidence, 1234, lang)  # type: ignore[arg-type]
    for part in expected:
        assert part in text, text
    assert "2142" not in text


def test_the_report_writes_counts_as_the_language_does() -> None:
    assert count_text(2142, "sv") == f"2{NB}142"
    assert count_text(2142, "en") == "2,142"
    assert count_text(None, "en") == "<5"
    assert num(-2142.5, "sv", digits=1) == f"\u22122{NB}142,5"
    assert num(1234.5, "en", digits=1, sign=True) == "+1,234.5"
    assert num(-3, "en", sign=True) == "-3"
    assert num(float("nan"), "sv") == "–"


@pytest.mark.parametrize(("lang", "shown"), [("sv", f"2{NB}142"), ("en", "2,142")])
def test_the_maps_settings_box_counts_the_incidents(lang: str, shown: str) -> None:
    lines = dict(
        settings_lines(parameters={}, filters=None, period=None, n_incidents=2142, lang=lang)  # type: ignore[arg-type]
    )
    assert shown in lines.values()


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("sv", f"Misshandel i offentlig miljö 1{NB}459"), ("en", "Assault in a public place 1,459")],
)
def test_the_lagesbild_counts_a_hotspots_categories(lang: str, shown: str) -> None:
    hotspot = pd.Series({"top_categories": [{"code": "assault_public", "count": 1459.0}]})
    assert _categories(hotspot, "internal", lang) == shown  # type: ignore[arg-type]
