"""The EST lägesbild as documents: sections (a neutral model), map figures, PDF and HTML."""

from hotspots.render.report.html import render_html
from hotspots.render.report.pdf import render_pdf
from hotspots.render.report.sections import build_document

__all__ = ["build_document", "render_html", "render_pdf"]
