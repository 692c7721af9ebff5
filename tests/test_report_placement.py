"""The lägesbild says how many of the period's incidents its map leaves out and why
(outside the study area, in water) and how many it moved onto land: on the cover of the HTML
and the PDF, in Swedish and English, counts only in the public profile. The shore town
(tests/shore_town.py) plants them, so the counts are known: of 2026-W47's incidents 3 lie
outside the districts, 4 far out in the river, 10 just off its shore; restricted incidents
among them are never counted."""

from __future__ import annotations

import datetime as dt
import functools
import io

import pytest
from pypdf import PdfReader
from shore_town import COUNTS, IN_PERIOD, PERIOD, geography, incidents

from hotspots.core.config import AnalysisConfig
from hotspots.est.lagesbild import Lagesbild, build_lagesbild
from hotspots.render.report import render_html, render_pdf

pytestmark = pytest.mark.slow

MADE = dt.datetime(2026, 11, 24, 8, 0)
FAST = AnalysisConfig(cell_m=100.0, bandwidth_m=300.0)

LEFT_OUT_SV = (
    "Av periodens händelser ingår 7 inte i kartan och hotspotanalysen: 3 ligger utanför "
    "studieområdet (stadsdelarnas land) och 4 i vatten."
)
LIST_SV = (
    "Listan över dem finns på kartsidan i appen (analytiker) och med hotspots detect --dropped."
)
MOVED_SV = "Händelser i vatten högst 25 m från land har flyttats in på närmaste land och ingår: 10."
LEFT_OUT_EN = (
    "7 of the period's incidents are not part of the map and the hotspot analysis: 3 lie "
    "outside the study area (the districts' land) and 4 in water."
)
MOVED_EN = (
    "Incidents in water within 25 m of land were moved onto the nearest land and are included: 10."
)


@functools.cache
def _lagesbild(privacy: str = "internal", lang: str = "sv") -> Lagesbild:
    return build_lagesbild(
        incidents(),
        period=PERIOD,
        geography=geography(),
        config=FAST,
        privacy=privacy,  # type: ignore[arg-type]
        lang=lang,  # type: ignore[arg-type]
        generated_at=MADE,
    )


def _pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join((p.extract_text() or "").split()) for p in pages)


def _html_text(data: bytes) -> str:
    return " ".join(data.decode("utf-8").replace("&#x27;", "'").split())


def test_the_period_s_counts_are_the_planted_ones() -> None:
    assert (IN_PERIOD["outside"], IN_PERIOD["deep"], IN_PERIOD["cluster"]) == (3, 4, 10)
    lb = _lagesbild()
    counts = lb.placement
    assert counts is not None
    assert (counts.n_outside, counts.n_in_water, counts.n_moved) == (3, 4, 10)
    assert lb.parameters["period_n_left_out"] == 7
    assert lb.parameters["period_snap_to_land_m"] == 25.0
    assert f"{LEFT_OUT_SV} {LIST_SV}" in lb.notes
    assert MOVED_SV in lb.notes
    # the map's analysis is of the hotspot window's incidents on land: none of those left
    # out is in it, those moved onto land are
    assert lb.analysis is not None
    kept = set(lb.analysis.incidents["id"])
    assert not any(i.startswith(("deep-", "outside-", "restricted-")) for i in kept)
    assert {f"cluster-{i}" for i in range(IN_PERIOD["cluster"])} <= kept
    assert COUNTS["restricted"] > 0


def test_the_note_is_on_the_cover_of_the_html_and_the_pdf() -> None:
    lb = _lagesbild()
    html = _html_text(render_html(lb))
    pdf = _pdf_text(render_pdf(lb))
    for text in (LEFT_OUT_SV, LIST_SV, MOVED_SV):
        assert text in html
        assert text in pdf


def test_english() -> None:
    lb = _lagesbild(lang="en")
    html = _html_text(render_html(lb))
    pdf = _pdf_text(render_pdf(lb))
    for text in (LEFT_OUT_EN, MOVED_EN):
        assert text in html
        assert text in pdf
    assert "Their list is on the app's map page" in html


def test_public_says_the_counts_only() -> None:
    lb = _lagesbild("public")
    assert lb.placement == _lagesbild().placement
    html = _html_text(render_html(lb))
    pdf = _pdf_text(render_pdf(lb))
    for text in (LEFT_OUT_SV, MOVED_SV):
        assert text in html
        assert text in pdf
    assert LIST_SV not in html
    assert "deep-0" not in html
    assert "outside-0" not in pdf
