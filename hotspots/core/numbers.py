"""Numbers in text as a reader of the interface language writes them: ``1 234,5`` or ``1,234.5``.

Swedish writes a decimal comma, a space between thousands (a no-break space, so a number is
never split over two lines) and a real minus sign; English a decimal point and commas between
thousands. Every count or measure placed in a sentence, a caption, a pop-up or a report goes
through :func:`number_text` (shares through :func:`percent_text`), in whichever layer makes the
sentence (the plan's reasons, the lägesbild, the app); the app's tables through
:func:`hotspots.render.number_format.table_styler`.

CSV files are written by :func:`hotspots.io.csv_safety.excel_csv_bytes` (numbers stay numbers
there, with the decimal sign of the language and no thousands separator, as Excel reads them).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from hotspots.core.i18n import Lang, check_lang

__all__ = ["GROUP_SEPARATOR", "MINUS", "finite_number", "number_text", "percent_text"]

#: Between groups of thousands in Swedish: a no-break space.
GROUP_SEPARATOR = "\u00a0"
#: The minus sign of Swedish numbers (U+2212).
MINUS = "\u2212"


def finite_number(value: Any) -> float | None:
    """``value`` as a finite float, or ``None`` (text, missing, infinite, a boolean)."""
    if value is None or isinstance(value, bool | np.bool_ | str):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def number_text(value: Any, lang: Lang = "sv", *, digits: int = 0) -> str:
    r"""A number with ``digits`` decimals in the way of ``lang``; empty for a missing one.

    Examples
    --------
    >>> number_text(1234.5, "sv", digits=1), number_text(1234.5, "en", digits=1)
    ('1\xa0234,5', '1,234.5')
    >>> number_text(-0.25, "sv", digits=2), number_text(1459, "sv"), number_text(None, "sv")
    ('−0,25', '1\xa0459', '')
    """
    number = finite_number(value)
    if number is None:
        return ""
    text = f"{abs(number):,.{max(0, int(digits))}f}"
    negative = text.strip("0.,") != "" and number < 0  # never "-0,0"
    if check_lang(lang) == "sv":
        text = text.replace(",", GROUP_SEPARATOR).replace(".", ",")
        return (MINUS if negative else "") + text
    return ("-" if negative else "") + text


def percent_text(share: Any, lang: Lang = "sv", *, digits: int = 1) -> str:
    r"""A share (0-1) as per cent: ``0.125`` -> ``12,5 %`` (``12.5 %``); empty for a missing one.

    Examples
    --------
    >>> percent_text(0.125, "sv"), percent_text(0.125, "en"), percent_text(1, "sv", digits=0)
    ('12,5\xa0%', '12.5\xa0%', '100\xa0%')
    """
    number = finite_number(share)
    if number is None:
        return ""
    return f"{number_text(100.0 * number, lang, digits=digits)}\u00a0%"
