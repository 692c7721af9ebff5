"""``--category-map FILE``: source label -> taxonomy code, as CSV (two columns) or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from hotspots.core.errors import InputFileError
from hotspots.core.taxonomy import CODES, lookup
from hotspots.io._text import sniff_text
from hotspots.io._validate import _fold

__all__ = ["load_category_map", "normalise_category_map"]


def normalise_category_map(
    mapping: dict[str, str], *, path: object = "--category-map"
) -> dict[str, str]:
    """Fold the labels and resolve each target to a code (a code or a Swedish/English label).

    Raises
    ------
    InputFileError
        When a target is not a category of the taxonomy.
    """
    out: dict[str, str] = {}
    for label, target in mapping.items():
        cat = lookup(str(target))
        if cat is None:
            msg = (
                f"label {label!r} maps to {target!r}, which is not a category; "
                f"use one of {', '.join(CODES)}"
            )
            raise InputFileError(path, msg)
        out[_fold(str(label))] = cat.code
    return out


def load_category_map(path: Path) -> dict[str, str]:
    """Read a category map file.

    CSV: two columns, source label then code (a header row such as ``label,code`` or
    ``kategori;kod`` is recognised and skipped). JSON: an object ``{"label": "code", ...}``.

    Returns
    -------
    dict
        Folded source label -> taxonomy code.

    Raises
    ------
    InputFileError
        When the file cannot be read or maps a label to an unknown code.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(path, "category map file not found")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputFileError(path, f"is not valid JSON ({exc})") from exc
        if not isinstance(data, dict):
            raise InputFileError(path, 'must be a JSON object {"source label": "code", ...}')
        return normalise_category_map({str(k): str(v) for k, v in data.items()}, path=path)
    layout = sniff_text(path)
    table = pd.read_csv(
        path,
        sep=layout.delimiter,
        encoding=layout.encoding,
        dtype=str,
        keep_default_na=False,
        header=None,
        skiprows=layout.skip_lines,
    )
    if table.shape[1] < 2:
        raise InputFileError(path, "needs two columns: source label and category code")
    first_target = str(table.iloc[0, 1])
    if lookup(first_target) is None and len(table) > 1:
        table = table.iloc[1:]  # a header row
    mapping = {str(a): str(b) for a, b in zip(table.iloc[:, 0], table.iloc[:, 1], strict=True)}
    return normalise_category_map(mapping, path=path)
