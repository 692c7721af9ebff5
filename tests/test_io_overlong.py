"""Lines with more fields than the header: counted by hotspots.io._overlong (never read from
pandas' warning texts), rejected by their row, the other rows' numbers unchanged."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.core.schema import TIMEZONE
from hotspots.io import open_file, read_file
from hotspots.io._overlong import OverlongLines, overlong_in_bytes
from hotspots.io._text import sniff_text

NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)
GOOD = "2026-01-01 10:00;rån;59,38;13,50"
HEADER = "tidpunkt;kategori;lat;lon"


def _rejected(path: Path, **kwargs: object) -> tuple[list[int], list[str], int, int]:
    """Rejected rows and reasons, rows accepted and rows read, over every chunk."""
    chunks = list(open_file(path, now=NOW, **kwargs))
    rejects = pd.concat([c.rejects for c in chunks], ignore_index=True)
    return (
        [int(r) for r in rejects["row"]],
        list(rejects["reason"]),
        sum(len(c.frame) for c in chunks),
        sum(c.rows_read for c in chunks),
    )


def test_overlong_in_bytes_golden() -> None:
    data = b"a;b\n1;2;3\n\n1;2\n1;;;\n1;2;3;4"  # the last line without a line feed
    assert overlong_in_bytes(data, delimiter=";", n_fields=2, first_row=1) == [
        (2, "expected 2 fields, saw 3"),
        (5, "expected 2 fields, saw 4"),
        (6, "expected 2 fields, saw 4"),
    ]
    assert overlong_in_bytes(b"", delimiter=";", n_fields=2, first_row=1) == []
    assert overlong_in_bytes(b"1;2;3\r\n", delimiter=";", n_fields=3, first_row=7) == []


@pytest.mark.parametrize("quoted", [False, True], ids=["bytes", "csv-records"])
def test_counting_agrees_with_a_csv_reader_in_any_block_size(tmp_path: Path, quoted: bool) -> None:
    """Both ways of counting (bytes block by block, csv records) against Python's csv module,
    asked for rows in uneven pieces."""
    rng = np.random.default_rng(5)
    lines = [HEADER]
    for _ in range(400):
        n = int(rng.choice([4, 4, 4, 1, 3, 5, 7]))
        cells = [f"c{int(v)}" for v in rng.integers(0, 1000, size=n)]
        if quoted and rng.random() < 0.1:
            cells[0] = '"a;b\nc"'  # a quoted delimiter and line feed: one field
        lines.append(";".join(cells) if n > 1 or rng.random() < 0.5 else "")
    path = tmp_path / "f.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    layout = sniff_text(path)
    with path.open(newline="", encoding="utf-8") as f:
        expected = [
            (row, f"expected 4 fields, saw {len(fields)}")
            for row, fields in enumerate(csv.reader(f, delimiter=";"), start=1)
            if row >= 2 and len(fields) > 4
        ]
    assert expected  # the file has overlong lines
    for block_bytes in (7, 64, 1 << 20):
        overlong = OverlongLines(path, layout, block_bytes=block_bytes)
        assert overlong._by_bytes is not quoted
        got, start = [], 2
        for step in (1, 5, 17, 50, 1000):
            got += overlong.between(start, start + step)
            start += step
        assert got == expected
        assert OverlongLines(path, layout, block_bytes=block_bytes).between(1, 10**6) == expected


def test_an_overlong_first_data_line_is_rejected_not_taken_for_an_index(tmp_path: Path) -> None:
    """pandas reads a first data line with one field more than the header as an index column
    (shifting every value); read by position it is one more rejected line."""
    path = tmp_path / "first.csv"
    path.write_text(f"{HEADER}\n{GOOD};extra\n{GOOD}\n{GOOD}\n", encoding="utf-8")
    rows, reasons, accepted, read = _rejected(path)
    assert rows == [2]
    assert reasons[0].startswith("wrong number of fields (expected 4 fields, saw 5)")
    assert (accepted, read) == (2, 3)
    frame, _ = read_file(path, now=NOW)
    assert list(frame["category"]) == ["robbery", "robbery"]


@pytest.mark.parametrize("chunksize", [1, 2, 3, 100])
def test_overlong_lines_at_chunk_edges_and_at_the_end(tmp_path: Path, chunksize: int) -> None:
    body = [GOOD, f"{GOOD};x", GOOD, f"{GOOD};x;y", f"{GOOD};", GOOD, f"{GOOD};x", f"{GOOD};x"]
    path = tmp_path / "edges.csv"
    path.write_text("\n".join([HEADER, *body]), encoding="cp1252")  # no final line feed
    rows, reasons, accepted, read = _rejected(path, chunksize=chunksize)
    assert rows == [3, 5, 6, 8, 9]
    assert [r.split(")")[0] for r in reasons] == [
        "wrong number of fields (expected 4 fields, saw 5",
        "wrong number of fields (expected 4 fields, saw 6",
        "wrong number of fields (expected 4 fields, saw 5",
        "wrong number of fields (expected 4 fields, saw 5",
        "wrong number of fields (expected 4 fields, saw 5",
    ]
    assert (accepted, read) == (3, 8)


def test_quoted_values_count_as_one_field_and_rows_are_records(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(
        "tidpunkt;kategori;lat;lon;beskrivning\n"
        f'{GOOD};"två\nrader; med semikolon"\n'  # row 2: one record over two lines
        f"{GOOD};a;b\n"  # row 3 (file line 4): too many fields
        f'{GOOD};"""citat"""\n',  # row 4
        encoding="utf-8",
    )
    rows, reasons, accepted, read = _rejected(path)
    assert rows == [3]
    assert "(expected 5 fields, saw 6)" in reasons[0]
    assert (accepted, read) == (2, 3)
    frame, _ = read_file(path, now=NOW)
    assert list(frame["description"]) == ["två\nrader; med semikolon", '"citat"']


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf16.csv", f"{HEADER}\r\n{GOOD}\r\n{GOOD};x\r\n{GOOD}\r\n".encode("utf-16")),
        ("mac.csv", f"{HEADER}\r{GOOD}\r{GOOD};x\r{GOOD}\r".encode("cp1252")),
        ("excel.csv", f"sep=;\r\n{HEADER}\r\n{GOOD}\r\n{GOOD};x\r\n{GOOD}\r\n".encode("cp1252")),
    ],
    ids=["utf-16", "carriage-returns", "excel-sep-line"],
)
def test_other_layouts(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    rows, _, accepted, read = _rejected(path)
    skip = 1 if name == "excel.csv" else 0
    assert rows == [3 + skip]
    assert (accepted, read) == (2, 3)


def test_two_processes_reject_the_same_lines_as_one(tmp_path: Path) -> None:
    """The byte ranges read by a second process count their own lines."""
    lines = [HEADER]
    for i in range(2_000):
        lines.append(f"{GOOD};x" if i % 37 == 0 else GOOD)
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = [2 + i for i in range(2_000) if i % 37 == 0]
    one = _rejected(path, analysis_only=True, workers=1, chunksize=300)
    two = _rejected(path, analysis_only=True, workers=2, chunksize=300)
    assert one[0] == two[0] == expected
    assert one[2:] == two[2:] == (2_000 - len(expected), 2_000)
