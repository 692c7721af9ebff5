"""Pop-ups of the map and the HTML snapshot: words, never program data (issue 14, item 3)."""

from __future__ import annotations

import re

import pytest
from privacy_town import analysed

from hotspots.render.leaflet.popups import hotspot_popup, suggestion_popup
from hotspots.render.privacy import apply_privacy

#: What a reader must never see: Python literals, dictionary keys, codes.
RAW = re.compile(r"\{'|'\}|label_sv|label_en|'code'|_crime_|_fear|foot_patrol|\bNone\b|\bnan\b")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_hotspot_popups_of_a_real_analysis_read_as_words(lang: str) -> None:
    content = apply_privacy(analysed(), profile="internal")
    rows = content.hotspots.drop(columns="geometry").to_dict("records")
    assert rows
    for row in rows:
        html = hotspot_popup(row, lang)  # type: ignore[arg-type]
        assert not RAW.search(html), html
    first = hotspot_popup(rows[0], lang)  # type: ignore[arg-type]
    top = rows[0]["top_categories"][0]
    assert top["label_sv" if lang == "sv" else "label_en"] in first


def test_the_crime_fear_class_and_peak_window_read_as_words() -> None:
    row = {
        "kind": "crime",
        "rank": 1,
        "incidents": 12.0,
        "top_categories": [
            {"code": "assault_public", "label_sv": "x", "label_en": "y", "count": 1459.0}
        ],
        "crime_fear": "high_crime_high_fear",
        "peak_window": "22-04",
        "peak_hours": [22, 23, 0, 1, 2, 3],
        "peak_weekdays": ["fri", "sat"],
    }
    html = hotspot_popup(row, "sv")
    assert "Misshandel i offentlig miljö (1\u00a0459)" in html
    assert "Många brott och upplevd otrygghet" in html
    assert "22–04" in html
    assert "fre, lör" in html
    assert not RAW.search(html), html


def test_suggestion_popup_names_the_kind_and_days() -> None:
    row = {
        "id": "F1",
        "kind": "foot_patrol",
        "place": "Stora torget",
        "weekdays": ["fri", "sat"],
        "hours": "22-02",
        "reason_sv": "Många våldsbrott fredag och lördag natt",
    }
    html = suggestion_popup(row, "sv")
    assert "Fotpatrull: Stora torget" in html
    assert "fre, lör 22–02" in html
    assert not RAW.search(html), html


@pytest.mark.parametrize(
    ("lang", "incidents", "area", "loop"),
    [
        ("sv", "1\u00a0459", "0,25 km²", "1\u00a0250 m"),
        ("en", "1,459", "0.25 km²", "1,250 m"),
    ],
)
def test_popup_numbers_are_written_as_the_language_does(
    lang: str, incidents: str, area: str, loop: str
) -> None:
    hotspot = hotspot_popup({"kind": "crime", "incidents": 1459.0, "area_km2": 0.25}, lang)  # type: ignore[arg-type]
    assert f"<td>{incidents}</td>" in hotspot
    assert f"<td>{area}</td>" in hotspot
    suggestion = suggestion_popup({"kind": "foot_patrol", "loop_length_m": 1250.0}, lang)  # type: ignore[arg-type]
    assert f"<td>{loop}</td>" in suggestion
