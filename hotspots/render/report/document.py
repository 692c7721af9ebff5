"""A neutral document model of the lägesbild, and the number formats its texts use.

:mod:`hotspots.render.report.sections` fills a :class:`Document` (sections of paragraphs,
tables and figures); :mod:`hotspots.render.report.pdf` and :mod:`hotspots.render.report.html`
lay it out. Nothing here knows a page, a font or a tag.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from hotspots.core.i18n import t
from hotspots.core.numbers import MINUS, number_text

__all__ = [
    "Block",
    "Document",
    "Figure",
    "Paragraph",
    "Section",
    "Table",
    "Tone",
    "change_text",
    "count_text",
    "near_text",
    "num",
    "p_phrase",
    "p_text",
    "table",
]

#: How a table cell reads against its neighbours: ``up`` (an increase beyond chance),
#: ``down`` (a decrease beyond chance), or ``None``.
Tone = Literal["up", "down"] | None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text (never markup).

    Attributes
    ----------
    text
        The text.
    kind
        ``body``, ``note`` (small print after tables) or ``notice`` (a highlighted remark,
        e.g. "public version").
    """

    text: str
    kind: Literal["body", "note", "notice"] = "body"


@dataclass(frozen=True)
class Table:
    """A table of plain-text cells; a cell may hold several lines (split at line feeds).

    Attributes
    ----------
    headers
        Column headings.
    rows
        Rows of cells, each as long as ``headers``.
    widths
        Relative column widths (any scale; a renderer divides by their sum, but a sum below
        10 leaves the table narrower than the text width).
    caption
        Caption above the table, or ``""``.
    tones
        Per row and cell: ``"up"``, ``"down"`` or ``None``; or ``None`` for a plain table.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    caption: str = ""
    tones: tuple[tuple[Tone, ...], ...] | None = None


@dataclass(frozen=True)
class Figure:
    """A map or chart, drawn by the renderer from ``key``.

    Attributes
    ----------
    key
        Which figure (``map`` or ``emerging``; see :mod:`hotspots.render.report.figures`).
    caption
        Caption under the figure.
    alt
        Text alternative (HTML ``alt``).
    kind
        ``map`` (a page of its own in the PDF) or ``chart`` (set in the text's flow).
    """

    key: str
    caption: str
    alt: str
    kind: Literal["map", "chart"] = "map"


Block = Paragraph | Table | Figure


@dataclass(frozen=True)
class Section:
    """One section: a heading and its blocks in reading order.

    Attributes
    ----------
    key
        Stable identifier (``cover``, ``summary``, ``map``, ``emerging``, ``places``,
        ``actions``, ``survey``).
    title
        The heading.
    blocks
        Paragraphs, tables and figures in order.
    """

    key: str
    title: str
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def tables(self) -> list[Table]:
        """The section's tables."""
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        """The section's paragraphs."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def figures(self) -> list[Figure]:
        """The section's figures."""
        return [b for b in self.blocks if isinstance(b, Figure)]


@dataclass(frozen=True)
class Document:
    """The whole report.

    Attributes
    ----------
    title
        Document title (e.g. "Lägesbild EST 2026-W47"), also the PDF's /Title.
    subject
        The period in words, the PDF's /Subject.
    lang
        ``sv`` or ``en``.
    footer
        Text of every page's footer (the page number is added by the renderer).
    keywords
        The PDF's /Keywords.
    sections
        The sections in order; the first is the cover.
    """

    title: str
    subject: str
    lang: str
    footer: str
    keywords: str
    sections: tuple[Section, ...]


# ------------------------------------------------------------------------------ numbers


def num(value: Any, lang: str, *, digits: int = 0, sign: bool = False) -> str:
    """A number with ``digits`` decimals as ``lang`` writes it (:func:`number_text`).

    Swedish: a decimal comma, a no-break space between thousands, a real minus; English: a
    decimal point and commas between thousands. ``sign`` puts a ``+`` before a positive
    number. A missing one reads ``–``.
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or pd.isna(value):
        return "–"
    text = number_text(float(value), "sv" if lang == "sv" else "en", digits=digits)
    if sign and not text.startswith(("-", MINUS)):
        text = "+" + text
    return text


def count_text(value: Any, lang: str) -> str:
    """A count; a missing one (suppressed in the public profile) reads ``<5``."""
    if value is None or pd.isna(value):
        return "<5"
    return num(value, lang)


def p_text(value: Any, lang: str) -> str:
    """A p-value with three decimals, ``<0,001`` below that."""
    if value is None or pd.isna(value):
        return "–"
    v = float(value)
    if v < 0.001:
        return "<0,001" if lang == "sv" else "<0.001"
    return num(v, lang, digits=3)


def p_phrase(value: Any, lang: str) -> str:
    """``p = 0,012`` or ``p <0,001``."""
    text = p_text(value, lang)
    return f"p {text}" if text.startswith("<") else f"p = {text}"


def change_text(row: pd.Series, ref: str, lang: str) -> str:
    """The change against ``ref`` (``prev`` or ``year``): ``+12 (+30 %)``."""
    pct = row.get(f"change_pct_{ref}")
    chg = row.get(f"change_{ref}")
    if chg is None or pd.isna(chg):
        return "–"
    if pct is None or pd.isna(pct):
        return num(chg, lang, digits=0, sign=True)
    return f"{num(chg, lang, sign=True)} ({num(pct, lang, sign=True)} %)"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    caption: str = "",
    tones: Sequence[Sequence[Tone]] | None = None,
) -> Table:
    """A :class:`Table` from lists."""
    return Table(
        headers=tuple(headers),
        rows=tuple(tuple(r) for r in rows),
        widths=tuple(widths),
        caption=caption,
        tones=None if tones is None else tuple(tuple(r) for r in tones),
    )


def near_text(place: object, distance_m: object, lang: str, *, within_m: float) -> str:
    """The nearest place; with its distance (``"Sandgrund (650 m)"``) beyond ``within_m``.

    Without a name (the base layers name no place or street) the cell says so, never empty.
    """
    if not isinstance(place, str) or not place.strip():
        return t("report_near_none", lang)
    d = pd.to_numeric(distance_m, errors="coerce")
    if pd.isna(d) or d <= within_m:
        return place
    far = f"{num(d / 1000, lang, digits=1)} km" if d >= 1000 else f"{num(round(d, -1), lang)} m"
    return f"{place} ({far})"
