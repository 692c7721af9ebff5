"""The lägesbild as one self-contained HTML page (maps embedded as PNG, every text escaped)."""

from __future__ import annotations

import base64
import html
from collections.abc import Callable, Mapping
from typing import Any

from hotspots.est.lagesbild import Lagesbild
from hotspots.render.report.document import Document, Figure, Paragraph, Table
from hotspots.render.report.figures import figure_png, report_figures
from hotspots.render.report.sections import build_document
from hotspots.render.static_map import BackdropSource

__all__ = ["FIGURE_DPI", "document_html", "render_html"]

#: Resolution of the embedded maps, dots per inch.
FIGURE_DPI = 110

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1a1a1a;line-height:1.4;padding:0 1rem}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2.2rem;
border-bottom:2px solid #dde5ee;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:.82rem;width:100%}
th{background:#dde5ee;text-align:left;padding:.3rem .4rem}td{padding:.25rem .4rem;
vertical-align:top;border-bottom:1px solid #eee}tr:nth-child(even) td{background:#f7f7f7}
caption{text-align:left;font-weight:600;padding:.3rem 0}figure{margin:1rem 0}
figure img{max-width:100%;border:1px solid #ccc}figcaption{font-size:.8rem;color:#555}
.note{font-size:.8rem;color:#444}.up{color:#b2182b}.down{color:#1a7837}
.notice{background:#fff3cd;padding:.4rem .6rem;border-radius:4px}
thead{display:table-header-group}tr{page-break-inside:avoid}
@media print{h2{page-break-before:always}h2.first{page-break-before:auto}}
"""


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lines(text: object) -> str:
    return "<br>".join(_esc(line) for line in str(text).split("\n"))


def _table(table: Table) -> str:
    parts = ["<table>"]
    if table.caption:
        parts.append(f"<caption>{_esc(table.caption)}</caption>")
    parts.append(
        "<thead><tr>" + "".join(f"<th>{_esc(h)}</th>" for h in table.headers) + "</tr></thead>"
    )
    parts.append("<tbody>")
    for i, row in enumerate(table.rows):
        tones = table.tones[i] if table.tones else (None,) * len(row)
        cells = "".join(
            (f'<td class="{tone}">' if tone else "<td>") + _lines(cell) + "</td>"
            for cell, tone in zip(row, tones, strict=True)
        )
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def _figure(figure: Figure, figures: Mapping[str, Callable[[], Any]]) -> str:
    png = base64.b64encode(figure_png(figures[figure.key](), dpi=FIGURE_DPI)).decode("ascii")
    return (
        f'<figure><img alt="{_esc(figure.alt)}" src="data:image/png;base64,{png}">'
        f"<figcaption>{_esc(figure.caption)}</figcaption></figure>"
    )


def document_html(document: Document, figures: Mapping[str, Callable[[], Any]]) -> bytes:
    """Write a document as one HTML page (UTF-8 bytes).

    Parameters
    ----------
    document
        The neutral document.
    figures
        A maker of a matplotlib figure per :attr:`Figure.key` the document uses.
    """
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{_esc(document.lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_esc(document.title)}</title>",
        f"<style>{_CSS}</style></head><body>",
    ]
    for i, section in enumerate(document.sections):
        tag = "h1" if i == 0 else "h2"
        cls = ' class="first"' if i == 1 else ""
        out.append(f'<section id="{_esc(section.key)}"><{tag}{cls}>{_esc(section.title)}</{tag}>')
        for block in section.blocks:
            if isinstance(block, Table):
                out.append(_table(block))
            elif isinstance(block, Figure):
                out.append(_figure(block, figures))
            elif isinstance(block, Paragraph):
                kind = "" if block.kind == "body" else f' class="{block.kind}"'
                out.append(f"<p{kind}>{_lines(block.text)}</p>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out).encode("utf-8")


def render_html(lb: Lagesbild, backdrop: BackdropSource | None = None) -> bytes:
    """Render the lägesbild as one self-contained HTML page (UTF-8 bytes, maps embedded)."""
    return document_html(build_document(lb), report_figures(lb, backdrop))
