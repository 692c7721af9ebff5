"""The lägesbild as a multi-page A4 PDF, laid out by reportlab.

reportlab's platypus flows the neutral document (:mod:`hotspots.render.report.document`)
onto pages: headings stay with what follows them, a table split across pages repeats its
header row, a small table (and its caption) is never split, and long cells wrap. Text is
set in DejaVu Sans (shipped with matplotlib; it has every character the report uses, such
as "→", "−" and "²") and stays text, so the PDF can be searched and copied. Text pages are
A4 portrait; each map is a page of its own in A4 landscape, drawn by the one static-map
renderer (:mod:`hotspots.render.report.figures`) and placed as a PNG.

Every text is escaped before reportlab reads it as its paragraph markup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from matplotlib import get_data_path
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from hotspots.est.lagesbild import Lagesbild
from hotspots.render.report.document import Document, Figure, Paragraph, Section, Table
from hotspots.render.report.figures import figure_png, report_figures
from hotspots.render.report.sections import build_document
from hotspots.render.static_map import BackdropSource

__all__ = ["FIGURE_DPI", "SMALL_TABLE_ROWS", "document_pdf", "render_pdf"]

#: Resolution of the maps placed in the PDF, dots per inch.
FIGURE_DPI = 170
#: A table with at most this many rows is kept on one page (with its caption).
SMALL_TABLE_ROWS = 25
#: Sections that begin on a new page.
_NEW_PAGE = ("summary", "emerging", "places")
#: Room (points) a section needs on the current page, else it begins on the next.
_SECTION_ROOM = 3 * inch

_MARGIN = 0.55 * inch
_FONT = "HotspotsSans"
_BOLD = "HotspotsSans-Bold"
_UP = colors.HexColor("#b2182b")
_DOWN = colors.HexColor("#1a7837")
_HEAD_BG = colors.HexColor("#dde5ee")
_ZEBRA = colors.HexColor("#f3f3f3")


def _register_fonts() -> None:
    if _FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont(_FONT, str(folder / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(_BOLD, str(folder / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(_FONT, normal=_FONT, bold=_BOLD, italic=_FONT, boldItalic=_BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=_FONT, fontSize=8.5, leading=11.5, spaceAfter=5)
    return {
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=_BOLD,
            fontSize=16,
            leading=20,
            spaceAfter=8,
            keepWithNext=True,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=_BOLD,
            fontSize=13,
            leading=16,
            spaceBefore=4,
            spaceAfter=6,
            keepWithNext=True,
        ),
        "body": base,
        "note": ParagraphStyle(
            "note", parent=base, fontSize=7.5, leading=10, textColor=colors.HexColor("#444444")
        ),
        "notice": ParagraphStyle(
            "notice",
            parent=base,
            backColor=colors.HexColor("#fff3cd"),
            borderPadding=4,
            spaceBefore=2,
            spaceAfter=9,
        ),
        "caption": ParagraphStyle(
            "caption",
            parent=base,
            fontName=_BOLD,
            fontSize=8,
            leading=10,
            spaceBefore=4,
            spaceAfter=3,
            textColor=colors.HexColor("#333333"),
            keepWithNext=True,
        ),
        "figcaption": ParagraphStyle(
            "figcaption",
            parent=base,
            fontSize=7.5,
            leading=9.5,
            textColor=colors.HexColor("#555555"),
        ),
        "cell": ParagraphStyle("cell", fontName=_FONT, fontSize=6.6, leading=8.2),
        "head": ParagraphStyle("head", fontName=_BOLD, fontSize=6.6, leading=8.2),
    }


def _markup(text: str) -> str:
    """Plain text as reportlab paragraph markup: escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in str(text).split("\n"))


class _FitImage(Flowable):  # type: ignore[misc]
    """A PNG scaled to the room left in the frame (keeping its aspect), less a reserve."""

    def __init__(self, png: bytes, *, reserve: float, max_width: float | None = None) -> None:
        super().__init__()
        self._image = ImageReader(BytesIO(png))
        self._w, self._h = self._image.getSize()
        self._reserve = reserve
        self._max_width = max_width
        self.draw_w = self.draw_h = 0.0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        if self._max_width is not None:  # a chart: the text's width, whatever room is left
            self.draw_w = min(avail_width, self._max_width)
            self.draw_h = self._h * self.draw_w / self._w
            return self.draw_w, self.draw_h
        scale = min(avail_width / self._w, max(avail_height - self._reserve, 1.0) / self._h)
        self.draw_w, self.draw_h = self._w * scale, self._h * scale
        return self.draw_w, self.draw_h

    def draw(self) -> None:
        self.canv.drawImage(self._image, 0, 0, width=self.draw_w, height=self.draw_h)


def _table(table: Table, styles: Mapping[str, ParagraphStyle], width: float) -> list[Any]:
    rel = [float(w) for w in table.widths]
    col_widths = [w / max(sum(rel), 10.0) * width for w in rel]
    tone_styles = {
        "up": ParagraphStyle("up", parent=styles["cell"], textColor=_UP),
        "down": ParagraphStyle("down", parent=styles["cell"], textColor=_DOWN),
    }
    data = [[RLParagraph(_markup(h), styles["head"]) for h in table.headers]]
    for i, row in enumerate(table.rows):
        tones = table.tones[i] if table.tones else (None,) * len(row)
        data.append(
            [
                RLParagraph(_markup(cell), tone_styles[tone] if tone else styles["cell"])
                for cell, tone in zip(row, tones, strict=True)
            ]
        )
    out = RLTable(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    out.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), _HEAD_BG),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, _ZEBRA]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.0),
            ]
        )
    )
    parts: list[Any] = []
    if table.caption:
        parts.append(RLParagraph(_markup(table.caption), styles["caption"]))
    parts.append(out)
    parts.append(Spacer(1, 8))
    if len(table.rows) <= SMALL_TABLE_ROWS:
        return [KeepTogether(parts)]
    return parts


class _Story:
    """The flowables in order, and which page template the current page has."""

    def __init__(self, styles: Mapping[str, ParagraphStyle], width: float) -> None:
        self.items: list[Any] = []
        self.styles = styles
        self.width = width
        self.landscape = False

    def new_page(self, *, landscape: bool) -> None:
        self.items += [NextPageTemplate("landscape" if landscape else "portrait"), PageBreak()]
        self.landscape = landscape

    def heading(self, text: str, *, style: str = "heading") -> None:
        self.items.append(RLParagraph(_markup(text), self.styles[style]))


def _section(
    story: _Story, section: Section, figures: Mapping[str, Callable[[], Any]], *, first: bool
) -> None:
    """Add a section to the story.

    A section with a map begins on a landscape page, the map filling what its heading and
    first paragraphs leave; what follows the map goes on in portrait under the heading
    again. A chart is set in the flow of the text, as wide as the text.
    """
    styles = story.styles
    if any(isinstance(b, Figure) and b.kind == "map" for b in section.blocks):
        story.new_page(landscape=True)
    elif story.landscape or (not first and section.key in _NEW_PAGE):
        story.new_page(landscape=False)
    elif not first:
        story.items.append(CondPageBreak(_SECTION_ROOM))
    story.heading(section.title, style="title" if first else "heading")
    after_figure = False
    for block in section.blocks:
        if isinstance(block, Figure) and block.kind == "map":
            png = figure_png(figures[block.key](), dpi=FIGURE_DPI)
            story.items.append(_FitImage(png, reserve=0.45 * inch))
            story.items.append(RLParagraph(_markup(block.caption), styles["figcaption"]))
            after_figure = True
            continue
        if after_figure:
            story.new_page(landscape=False)
            story.heading(section.title)
            after_figure = False
        if isinstance(block, Figure):  # a chart: in the flow, as wide as the text
            png = figure_png(figures[block.key](), dpi=FIGURE_DPI)
            story.items.append(
                KeepTogether(
                    [
                        _FitImage(png, reserve=0.0, max_width=story.width),
                        RLParagraph(_markup(block.caption), styles["figcaption"]),
                    ]
                )
            )
        if isinstance(block, Table):
            story.items.extend(_table(block, styles, story.width))
        elif isinstance(block, Paragraph):
            story.items.append(RLParagraph(_markup(block.text), styles[block.kind]))


def document_pdf(document: Document, figures: Mapping[str, Callable[[], Any]]) -> bytes:
    """Lay a document out as an A4 PDF.

    Parameters
    ----------
    document
        The neutral document.
    figures
        A maker of a matplotlib figure per :attr:`Figure.key` the document uses.

    Returns
    -------
    bytes
        The PDF.
    """
    _register_fonts()
    styles = _styles()
    buf = BytesIO()

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 6.5)
        canvas.setFillColor(colors.HexColor("#777777"))
        width = canvas._pagesize[0]
        canvas.drawCentredString(width / 2, 0.32 * inch, f"{document.footer} · {doc.page}")
        canvas.restoreState()

    portrait, wide = A4, landscape(A4)
    doc = BaseDocTemplate(
        buf,
        pagesize=portrait,
        title=document.title,
        subject=document.subject,
        keywords=document.keywords,
        creator="hotspots",
        author="hotspots",
        lang=document.lang,
    )
    doc.addPageTemplates(
        [
            PageTemplate(
                "portrait",
                [Frame(_MARGIN, _MARGIN, portrait[0] - 2 * _MARGIN, portrait[1] - 2 * _MARGIN)],
                onPage=footer,
                pagesize=portrait,
            ),
            PageTemplate(
                "landscape",
                [Frame(_MARGIN, _MARGIN, wide[0] - 2 * _MARGIN, wide[1] - 2 * _MARGIN)],
                onPage=footer,
                pagesize=wide,
            ),
        ]
    )
    story = _Story(styles, portrait[0] - 2 * _MARGIN - 12)  # less the frame's own padding
    for i, section in enumerate(document.sections):
        _section(story, section, figures, first=i == 0)
    doc.build(story.items)
    return buf.getvalue()


def render_pdf(lb: Lagesbild, backdrop: BackdropSource | None = None) -> bytes:
    """Render the lägesbild as a multi-page A4 PDF, returned as bytes."""
    return document_pdf(build_document(lb), report_figures(lb, backdrop))
