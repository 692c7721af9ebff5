"""Escaping every text that reaches the map page: HTML entities, inert in JavaScript too."""

from __future__ import annotations

import html
import math
from typing import Any

import pandas as pd

__all__ = ["escape_html"]


def escape_html(value: Any) -> str:
    """Escape ``value`` for HTML, and for a JavaScript template literal too.

    ``html.escape`` turns ``<``, ``>``, ``&`` and quotes into entities; backticks, ``$`` and
    backslashes also become entities so the text stays inert even where a library puts it
    inside a JavaScript template literal (folium's popups and tooltips do).
    """
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if value is pd.NA or value is pd.NaT:
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
