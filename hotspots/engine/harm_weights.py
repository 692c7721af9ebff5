"""Harm weight tables: one weight per taxonomy code, from a ``code;weight;source;date`` file.

``count`` weighs every incident one; ``harm`` is the shipped table
``hotspots/data/harm_weights.csv`` (the Swedish brottsskadeindex: one point per month of the
average imposed sentence, each code mapped to the nearest published example, the ``source``
column saying which and that it is an approximation); any other name is a file with the
same columns, edited to local figures. This module is light (no NumPy or pandas), so a
command can check ``--weights`` before it reads its data. See :mod:`hotspots.engine.harm`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from hotspots.core.errors import InputSchemaError
from hotspots.core.taxonomy import CODES, is_restricted

__all__ = [
    "WEIGHT_COLUMNS",
    "WEIGHT_SCHEMES",
    "HarmWeights",
    "WeightRow",
    "default_weights_path",
    "load_weights",
    "read_weights",
]

#: Columns of a weights file, in order (semicolon-separated; ``#`` starts a comment line).
WEIGHT_COLUMNS: tuple[str, ...] = ("code", "weight", "source", "date")
#: The named weightings :func:`load_weights` knows besides a file path.
WEIGHT_SCHEMES: tuple[str, ...] = ("count", "harm")


# ------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class WeightRow:
    """One row of a weights table.

    Attributes
    ----------
    code
        Taxonomy code.
    weight
        Harm weight (``harm``: months of average sentence; ``count``: one), finite, >= 0.
    source
        Where the weight comes from, and whether it is an approximation.
    date
        When the weight was set (``None`` for the built-in ``count``).
    """

    code: str
    weight: float
    source: str
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class HarmWeights:
    """A weight for every taxonomy code (hashable, so it can key a cache).

    Attributes
    ----------
    name
        ``"count"``, ``"harm"`` or the file path it was read from.
    rows
        One :class:`WeightRow` per taxonomy code, in taxonomy order.
    path
        The file read, or ``None`` for ``count``.
    """

    name: str
    rows: tuple[WeightRow, ...]
    path: str | None = None

    @property
    def is_count(self) -> bool:
        """Whether every code weighs exactly one (harm equals the count)."""
        return all(r.weight == 1.0 for r in self.rows)

    def weight(self, code: str) -> float:
        """The weight of ``code``.

        Raises
        ------
        InputSchemaError
            When ``code`` has no row.
        """
        for row in self.rows:
            if row.code == code:
                return row.weight
        msg = f"harm weights {self.name}: no weight for category {code!r}"
        raise InputSchemaError(msg)

    def as_dict(self, *, public_only: bool = False) -> dict[str, float]:
        """``{code: weight}``; with ``public_only`` the restricted codes are left out."""
        return {r.code: r.weight for r in self.rows if not (public_only and is_restricted(r.code))}

    @property
    def date(self) -> dt.date | None:
        """The latest date of the table's rows (``None`` for ``count``)."""
        dates = [r.date for r in self.rows if r.date is not None]
        return max(dates) if dates else None

    def describe(self) -> dict[str, Any]:
        """The table for output parameters: name, file, date and the public codes' weights."""
        return {
            "name": "count" if self.name == "count" else ("harm" if self.path is None else "file"),
            "file": self.path,
            "date": self.date.isoformat() if self.date else None,
            "unit": "incident" if self.is_count else "months of average sentence",
            "weights": self.as_dict(public_only=True),
        }


def default_weights_path() -> Path:
    """The shipped table ``hotspots/data/harm_weights.csv``."""
    return Path(str(resources.files("hotspots").joinpath("data", "harm_weights.csv")))


def _count_weights() -> HarmWeights:
    rows = tuple(WeightRow(c, 1.0, "every incident counts one", None) for c in CODES)
    return HarmWeights(name="count", rows=rows)


def load_weights(spec: str | Path) -> HarmWeights:
    """The weights named by ``--weights``: ``count``, ``harm`` or a file.

    Parameters
    ----------
    spec
        ``"count"`` (every incident one), ``"harm"`` (the shipped brottsskadeindex table,
        :func:`default_weights_path`) or the path of a ``code;weight;source;date`` file.

    Returns
    -------
    HarmWeights

    Raises
    ------
    InputSchemaError
        When ``spec`` is none of these, or the file is not a valid table (the message names
        the file, the line and the column).
    """
    text = str(spec).strip()
    if text.lower() == "count":
        return _count_weights()
    if text.lower() == "harm":
        table = read_weights(default_weights_path())
        return HarmWeights(name="harm", rows=table.rows, path=None)
    path = Path(text)
    if not path.is_file():
        msg = (
            f"--weights: {text!r} is neither count, harm nor an existing file; give count, harm "
            "or a semicolon-separated file with the columns code;weight;source;date"
        )
        raise InputSchemaError(msg)
    return read_weights(path)


def read_weights(path: str | Path) -> HarmWeights:
    """Read and validate a weights file (``code;weight;source;date``, one row per code).

    Lines starting with ``#`` are comments. Every taxonomy code needs exactly one row; a
    weight is a finite number >= 0 (``,`` or ``.`` as decimal mark); ``source`` must not be
    empty; ``date`` is ``YYYY-MM-DD``.

    Parameters
    ----------
    path
        The file (UTF-8, with or without a byte-order mark).

    Returns
    -------
    HarmWeights
        Rows in taxonomy order; ``name`` and ``path`` are the file's path.

    Raises
    ------
    InputSchemaError
        Naming the file, the line (1 = the file's first line) and the column at fault.
    """
    path = Path(path)
    where = str(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{where}: cannot read the harm weights ({exc}); give a UTF-8 text file"
        raise InputSchemaError(msg) from exc
    lines = [(i + 1, line) for i, line in enumerate(raw.splitlines())]
    body = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not body:
        msg = f"{where}: no header; the first line must be {';'.join(WEIGHT_COLUMNS)}"
        raise InputSchemaError(msg)
    header_line, header_text = body[0]
    header = [h.strip().lower() for h in next(csv.reader([header_text], delimiter=";"))]
    if header != list(WEIGHT_COLUMNS):
        hint = " (separate the columns by ';')" if ";" not in header_text else ""
        msg = (
            f"{where}, line {header_line}: the header must be {';'.join(WEIGHT_COLUMNS)} "
            f"(got {header_text.strip()!r}){hint}"
        )
        raise InputSchemaError(msg)
    seen: dict[str, int] = {}
    found: dict[str, WeightRow] = {}
    reader = csv.reader(io.StringIO("\n".join(t for _, t in body[1:])), delimiter=";")
    for (number, _), fields in zip(body[1:], reader, strict=True):
        row = _weight_row(fields, where=where, line=number, seen=seen)
        seen[row.code] = number
        found[row.code] = row
    missing = [c for c in CODES if c not in found]
    if missing:
        msg = (
            f"{where}: no row for {', '.join(missing)}; every taxonomy code needs a weight "
            f"(codes: {', '.join(CODES)})"
        )
        raise InputSchemaError(msg)
    return HarmWeights(name=where, rows=tuple(found[c] for c in CODES), path=where)


def _weight_row(fields: list[str], *, where: str, line: int, seen: dict[str, int]) -> WeightRow:
    """One validated row; errors name the file, the line and the column."""
    if len(fields) != len(WEIGHT_COLUMNS):
        msg = (
            f"{where}, line {line}: {len(fields)} column(s), expected {len(WEIGHT_COLUMNS)} "
            f"({';'.join(WEIGHT_COLUMNS)}); a ';' inside a source must be quoted"
        )
        raise InputSchemaError(msg)
    code, weight_text, source, date_text = (f.strip() for f in fields)
    if code not in CODES:
        msg = (
            f"{where}, line {line}, column code: {code!r} is not a taxonomy code; "
            f"use one of {', '.join(CODES)}"
        )
        raise InputSchemaError(msg)
    if code in seen:
        msg = f"{where}, line {line}, column code: {code!r} repeats line {seen[code]}"
        raise InputSchemaError(msg)
    try:
        weight = float(weight_text.replace(",", "."))
    except ValueError:
        weight = math.nan
    if not (math.isfinite(weight) and weight >= 0):
        msg = (
            f"{where}, line {line}, column weight: {weight_text!r} is not a number >= 0; "
            "write the harm weight, e.g. months of average sentence such as 2"
        )
        raise InputSchemaError(msg)
    if not source:
        msg = f"{where}, line {line}, column source: empty; say where the weight comes from"
        raise InputSchemaError(msg)
    try:
        date = dt.date.fromisoformat(date_text)
    except ValueError as exc:
        msg = (
            f"{where}, line {line}, column date: {date_text!r} is not a date; "
            "write YYYY-MM-DD, e.g. 2026-12-04"
        )
        raise InputSchemaError(msg) from exc
    return WeightRow(code=code, weight=weight, source=source, date=date)
