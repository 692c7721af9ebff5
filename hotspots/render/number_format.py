"""Numbers as a reader of the interface language writes them: ``1 234,5`` or ``1,234.5``.

The one place that turns a number into text for a person: Swedish writes a decimal comma, a
space between thousands (a no-break space, so a number is never split over two lines) and a
real minus sign; English a decimal point and commas between thousands. Every table of the app
goes through :func:`table_styler`, which shows the numbers so while the table keeps the
numbers themselves (so a column still sorts as numbers, not as text); a single value through
:func:`number_text` or :func:`percent_text` (made in :mod:`hotspots.core.numbers`, so that the
layers below, the plan's reasons and the lägesbild, write their counts the same way).

CSV files are written by :func:`hotspots.io.csv_safety.excel_csv_bytes` (numbers stay numbers
there, with the decimal sign of the language and no thousands separator, as Excel reads them).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hotspots.core.i18n import Lang, check_lang
from hotspots.core.numbers import GROUP_SEPARATOR, MINUS, number_text, percent_text
from hotspots.core.numbers import finite_number as _number

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

__all__ = ["GROUP_SEPARATOR", "MINUS", "number_text", "percent_text", "table_styler"]

#: Most decimals a table shows when its caller does not say.
MAX_DIGITS = 3


def _digits_needed(values: Iterable[float]) -> int:
    """Fewest decimals (up to :data:`MAX_DIGITS`) that show every value as it is."""
    numbers = np.asarray(list(values), dtype=float)
    for digits in range(MAX_DIGITS):
        scaled = numbers * 10**digits
        if np.all(np.abs(scaled - np.round(scaled)) < 1e-6):
            return digits
    return MAX_DIGITS


def table_styler(
    frame: pd.DataFrame,
    lang: Lang = "sv",
    *,
    digits: Mapping[str, int] | None = None,
    percent: Mapping[str, int] | None = None,
    plain: Iterable[str] = (),
    missing: Mapping[str, str] | None = None,
) -> Styler:
    """``frame`` for a table of the app: its numbers shown in the way of ``lang``.

    The table keeps its values (``st.dataframe`` sorts a column by them) and shows each
    number as :func:`number_text` writes it; text cells (a "färre än 5" among counts, say)
    are shown as they are and missing cells are empty.

    Parameters
    ----------
    frame
        The table, headers already in ``lang``; its column names must be unique.
    lang
        ``"sv"`` or ``"en"``.
    digits
        Decimals of some columns (by header). Other columns show as many decimals as their
        values need, at most :data:`MAX_DIGITS` (whole numbers none).
    percent
        Columns (by header) holding shares 0-1, shown as per cent with the given decimals.
    plain
        Columns shown as they are (numbers that are names: an id, a year, a row number).
    missing
        What a missing cell of some columns says (by header), e.g. "färre än 5" for a count
        the privacy profile hid. Such a column stays numeric (missing: NaN), so it sorts as
        numbers and Streamlit sends it as it is; a column mixing numbers and words cannot
        be sent as numbers (Streamlit converts it to text, sorts it as text and logs an
        error at every run).

    Returns
    -------
    pandas.io.formats.style.Styler
        For ``st.dataframe`` (``hide_index=True`` still hides the index).
    """
    language = check_lang(lang)
    fixed = dict(digits or {})
    shares = dict(percent or {})
    keep = set(plain)
    formatters: dict[Any, Any] = {}
    for name in frame.columns:
        if name in keep:
            continue
        column = frame[name]
        if pd.api.types.is_bool_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
            continue
        numbers = [n for n in (_number(v) for v in column.tolist()) if n is not None]
        if not numbers:
            continue
        if name in shares:
            formatters[name] = _percent_cell(language, shares[name])
        else:
            places = fixed.get(str(name), _digits_needed(numbers))
            formatters[name] = _number_cell(language, places)
    styler = frame.style.format(formatter=formatters, na_rep="")  # type: ignore[arg-type]
    for name, text in (missing or {}).items():
        if name in frame.columns:
            styler = styler.format(formatter=formatters.get(name), subset=[name], na_rep=text)
    return styler


def _number_cell(lang: Lang, digits: int) -> Any:
    def show(value: Any) -> str:
        return (
            number_text(value, lang, digits=digits) if _number(value) is not None else _text(value)
        )

    return show


def _percent_cell(lang: Lang, digits: int) -> Any:
    def show(value: Any) -> str:
        return (
            percent_text(value, lang, digits=digits) if _number(value) is not None else _text(value)
        )

    return show


def _text(value: Any) -> str:
    """A cell that is not a number: text as it is, a missing value empty."""
    if value is None or (
        not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)
    ):
        return ""
    return str(value)
