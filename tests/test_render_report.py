"""The lägesbild documents (hotspots.render.report): sections, figures, PDF and HTML."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from lagesbild_demo import HOSTILE, RESTRICTED_LABELS, lagesbild
from PIL import Image
from pypdf import PdfReader

from hotspots.render.report import build_document, render_html, render_pdf
from hotspots.render.report.document import Document, Paragraph, Section, table
from hotspots.render.report.figures import emerging_figure, figure_png, map_content, map_figure
from hotspots.render.report.pdf import SMALL_TABLE_ROWS, document_pdf

pytestmark = pytest.mark.slow

SECTIONS = ("cover", "summary", "map", "emerging", "near_repeat", "places", "actions", "survey")


def _pdf_pages(data: bytes) -> list[str]:
    """The text of each page, whitespace collapsed."""
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def internal_pdf() -> bytes:
    return render_pdf(lagesbild())


# ------------------------------------------------------------------------------ the document


def test_document_sections_in_order() -> None:
    doc = build_document(lagesbild())
    assert tuple(s.key for s in doc.sections) == SECTIONS
    assert doc.title == "Lägesbild EST 2026-W47"
    assert [f.key for s in doc.sections for f in s.figures] == ["map", "emerging"]
    for section in doc.sections:
        for t in section.tables:
            assert all(len(r) == len(t.headers) for r in t.rows), (section.key, t.caption)
            assert len(t.widths) == len(t.headers)


def test_crime_fear_sentence_reads() -> None:
    lb = lagesbild()
    survey = next(s for s in build_document(lb).sections if s.key == "survey")
    texts = [p.text for p in survey.paragraphs]
    n = lb.survey.crime_fear_of
    sentence = next(t for t in texts if t.startswith(f"Av de {n} största hotspots"))
    k = lb.survey.crime_fear["high_crime_high_fear"]
    assert f"efter antal brott har {k} även hög upplevd otrygghet" in sentence
    assert "Brott och otrygghet" not in sentence


def test_unsafe_places_table_lists_only_clearly_unsafe_named_places() -> None:
    lb = lagesbild()
    survey = next(s for s in build_document(lb).sections if s.key == "survey")
    table_ = next(t for t in survey.tables if t.caption.startswith("Platser som upplevs otrygga"))
    assert table_.headers == ("Stadsdel", "Nära", "Markeringar", "Medel")
    assert len(table_.rows) == len(lb.survey.perceived_places)
    for row in table_.rows:
        assert row[1]  # every place named
        assert float(row[3].replace(",", ".")) >= round(lb.survey.mean_unsafe + 0.5, 1) - 0.05


# ------------------------------------------------------------------------------ figures


def test_map_figures_come_from_the_one_renderer() -> None:
    lb = lagesbild()
    fig = map_figure(lb)
    side = fig.axes[1]
    legend = [t.get_text() for t in side.get_legend().get_texts()]
    assert "Öppen åtgärd" in legend
    assert "Brottskoncentrationer" in legend
    assert "täthet" in side.get_legend().get_title().get_text().lower()
    img = np.asarray(Image.open(io.BytesIO(figure_png(fig, dpi=40))))
    assert img.shape[1] > img.shape[0]  # A4 landscape
    assert len(np.unique(img.reshape(-1, img.shape[-1]), axis=0)) > 20
    emerging = emerging_figure(lb)
    labels = [t.get_text() for t in emerging.axes[1].get_legend().get_texts()]
    assert "Ny" in labels
    assert "Ihållande" in labels


def test_public_map_content_passes_the_privacy_gate() -> None:
    public = lagesbild("public")
    content = map_content(public)
    assert content is not None
    assert content.profile == "public"
    assert content.incidents is None
    assert content.suggestions is None
    legend = [t.get_text() for t in map_figure(public).axes[1].get_legend().get_texts()]
    assert "Öppen åtgärd" not in legend


# ------------------------------------------------------------------------------ PDF


def test_pdf_pages_hold_headings_numbers_and_metadata(internal_pdf: bytes) -> None:
    lb = lagesbild()
    reader = PdfReader(io.BytesIO(internal_pdf))
    assert reader.metadata.title == "Lägesbild EST 2026-W47"
    assert reader.metadata.subject == "vecka 47 2026 (2026-11-16 – 2026-11-22)"
    pages = _pdf_pages(internal_pdf)
    assert len(pages) >= 6
    landscape = [i for i, p in enumerate(reader.pages) if p.mediabox.width > p.mediabox.height]
    assert len(landscape) == 2  # the two maps
    text = " ".join(pages)
    for heading in (
        "Lägesbild EST – vecka 47 2026",
        "Att ta upp på mötet",
        "Sammanfattning per problemområde",
        "Karta: hotspots och förslag",
        "Nya och förändrade hotspots",
        "Prioriterade platser och förslag",
        "Åtgärder och uppföljning",
        "Upplevd otrygghet (trygghetsundersökning)",
    ):
        assert heading in text, heading
    total = int(lb.comparison.areas.set_index("key").loc["total", "current"])
    assert f"Händelser under perioden (ej skyddade kategorier): {total} – föregående" in text
    first = lb.top_places.iloc[0]
    assert f"{first['district']} {int(first['incidents'])} {first['in_period']}" in text
    assert "A-0001" in text
    assert "<b>Fre-lör</b> & 22-03" in text  # the note as the user wrote it, not as markup
    for i, page in enumerate(pages, start=1):
        assert f"Lägesbild EST 2026-W47 · {i}" in page
    assert "Lägesbild EST 2026-W47: hotspots och förslag" not in text  # the map is a picture


def test_pdf_page_as_png(internal_pdf: bytes, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    path = tmp_path / "lagesbild.pdf"
    path.write_bytes(internal_pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "3", "-l", "3", str(path), str(tmp_path / "p")],
        check=True,
    )
    (png,) = tmp_path.glob("p-*.png")
    img = np.asarray(Image.open(png).convert("RGB"))
    assert img.shape[1] > img.shape[0]  # the map page is landscape
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 50  # a drawn map, not a blank page


def test_pdf_tables_repeat_their_header_and_keep_small_ones_whole() -> None:
    rows = [[f"rad-{i:03d}", str(i), "x" * (i % 40)] for i in range(150)]
    long = table(["Rubrik A", "Rubrik B", "Rubrik C"], rows, [3, 1, 6], "Lång tabell")
    filler = tuple(Paragraph(f"Utfyllnad {i}.") for i in range(40))
    small = table(
        ["Liten A", "Liten B"], [[f"liten-{i}", str(i)] for i in range(12)], [3, 3], "Liten tabell"
    )
    doc = Document(
        title="Test",
        subject="Test",
        lang="sv",
        footer="Test",
        keywords="test",
        sections=(Section("a", "Långt", (long,)), Section("b", "Kort", (*filler, small))),
    )
    pages = _pdf_pages(document_pdf(doc, {}))
    with_rows = [p for p in pages if "rad-" in p]
    assert len(with_rows) >= 3
    for page in with_rows:
        assert "Rubrik A Rubrik B Rubrik C" in page
    assert sum(p.count("Rubrik A") for p in pages) == len(with_rows)
    (small_page,) = [p for p in pages if "liten-0 " in p]
    assert "Liten tabell Liten A Liten B" in small_page
    assert all(f"liten-{i} " in small_page for i in range(12))
    assert 12 <= SMALL_TABLE_ROWS


def test_public_pdf_hides_what_it_must() -> None:
    text = " ".join(_pdf_pages(render_pdf(lagesbild("public"))))
    for word in RESTRICTED_LABELS:
        assert word not in text
    assert "A-0001" not in text
    assert "Föreslagna insatser" not in text
    assert "Publik version" in text
    assert "publik version · 1" in text


# ------------------------------------------------------------------------------ HTML


def test_html_holds_each_section_and_escapes() -> None:
    page = render_html(lagesbild()).decode("utf-8")
    for key in SECTIONS:
        assert f'<section id="{key}">' in page
    assert page.count("data:image/png;base64,") == 2
    assert "Sammanfattning per problemområde" in page
    assert "Öppna åtgärder" in page
    assert "A-0001" in page
    assert "&lt;b&gt;Fre-lör&lt;/b&gt; &amp; 22-03" in page
    assert "<b>Fre-lör" not in page
    assert "Våld i nära relation" in page  # internal tables count restricted categories
    assert re.search(r'<td class="(up|down)">', page)


def test_html_escapes_a_hostile_place_name() -> None:
    lb = lagesbild(hostile=True)
    page = render_html(lb).decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page
    assert HOSTILE in " ".join(_pdf_pages(render_pdf(lb)))  # plain text in the PDF


def test_public_html_hides_what_it_must() -> None:
    public = lagesbild("public")
    page = render_html(public).decode("utf-8")
    for word in RESTRICTED_LABELS:
        assert word not in page
    assert "A-0001" not in page  # actions only as district, kind and status
    assert "Fre-lör" not in page  # no notes
    assert "Föreslagna insatser" not in page  # no operational suggestions
    cats = public.comparison.categories
    small = cats["current"].isna()
    assert (cats.loc[small, "verdict_prev"] == "suppressed").all()
    assert '<p class="notice">Publik version</p>' in page


def test_english() -> None:
    lb = lagesbild(lang="en")
    page = render_html(lb).decode("utf-8")
    assert '<html lang="en">' in page
    assert "Summary by problem area" in page
    assert "Perceived unsafety" in page
    assert "Sammanfattning" not in page
    assert "Of the " in page
    text = " ".join(_pdf_pages(render_pdf(lb)))
    assert "EST situational picture – week 47 2026" in text
    assert "Top places and proposals" in text


def test_a_figure_with_nothing_to_show_is_left_out() -> None:
    lb = lagesbild()
    quiet = dataclasses.replace(
        lb,
        emerging=dataclasses.replace(lb.emerging, cells=lb.emerging.cells.iloc[:0]),
        emerging_table=lb.emerging_table.iloc[:0],
        analysis=None,
    )
    doc = build_document(quiet)
    assert [f.key for s in doc.sections for f in s.figures] == []
    map_section = next(s for s in doc.sections if s.key == "map")
    assert map_section.paragraphs[0].text == "Ingen karta: för få händelser."
    reader = PdfReader(io.BytesIO(render_pdf(quiet)))
    assert all(p.mediabox.width < p.mediabox.height for p in reader.pages)
