"""Cutting a CSV into byte ranges of whole lines: every data line once, in order, numbered as
in the file; no cut where a line and a row may differ."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.core.schema import TIMEZONE
from hotspots.io import open_file, read_file
from hotspots.io._segments import line_segments
from hotspots.io._text import sniff_text

NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)


def _lines_of(path: Path, segments) -> list[tuple[int, bytes]]:
    data = path.read_bytes()
    out = []
    for seg in segments:
        part = data[seg.start : seg.stop]
        lines = part.split(b"\n")
        if lines and lines[-1] == b"":
            lines = lines[:-1]
        out.extend((seg.first_row + i, line) for i, line in enumerate(lines))
    return out


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("trailing", [True, False])
@pytest.mark.parametrize("after", [0, 3])
def test_every_data_line_once_in_order(
    tmp_path: Path, newline: str, trailing: bool, after: int
) -> None:
    body = [f"2026-01-0{1 + i % 9} 10:00;dui;59,38;13,5{i}" for i in range(23)]
    body[5] = ""  # a blank line is a line too
    text = newline.join(["", "sep=;", "tidpunkt;kategori;lat;lon", *body])
    path = tmp_path / "f.csv"
    path.write_bytes((text + (newline if trailing else "")).encode("cp1252"))
    layout = sniff_text(path)
    assert layout.skip_lines == 2
    segments = line_segments(path, layout, after_data_lines=after, lines_per_segment=4)
    assert segments is not None
    got = _lines_of(path, segments)
    # file rows: line 1 blank, 2 sep=, 3 header, data from row 4
    want = [(4 + i, line.encode("cp1252")) for i, line in enumerate(body)][after:]
    assert [(r, ln.rstrip(b"\r")) for r, ln in got] == want
    assert all(s.stop > s.start for s in segments)


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ('id,occurred_at,category,lat,lon\n1,"2026-01-01 10:00",dui,59.38,13.5\n', "utf-8"),
        ("occurred_at,category,lat,lon\r2026-01-01 10:00,dui,59.38,13.5\r", "utf-8"),
        ("occurred_at,category,lat,lon\n2026-01-01 10:00,dui,59.38,13.5\n", "utf-16"),
    ],
)
def test_no_cut_where_lines_and_rows_may_differ(
    tmp_path: Path, content: str, encoding: str
) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(content.encode(encoding))
    assert line_segments(path, sniff_text(path), after_data_lines=0, lines_per_segment=1) is None


def test_a_cut_file_is_read_as_one_parser_reads_it(tmp_path: Path) -> None:
    """Stray fields, blank lines, bad cells and CRLF: the same rows, rejects and row numbers
    from the byte ranges read by two processes as from the file read whole."""
    rng = np.random.default_rng(12)
    lines = []
    for i in range(3_000):
        cells = [
            f"r{i}",
            f"2026-0{1 + i % 9}-1{i % 10} 2{i % 4}:15",
            rng.choice(["drug_use", "dui", "okänd"]),
            f"{413_000 + rng.normal(0, 900):.1f}",
            f"{6_584_000 + rng.normal(0, 900):.1f}",
        ]
        if i % 97 == 0:
            cells.append("extra")  # too many fields: skipped by the parser, rejected
        if i % 131 == 0:
            cells[1] = "2026-02-30 10:00"
        if i % 211 == 0:
            cells = ["", "", "", "", ""]
        lines.append(";".join(cells))
    path = tmp_path / "cut.csv"
    path.write_bytes(("id;occurred_at;category;x;y\r\n" + "\r\n".join(lines)).encode("cp1252"))
    whole, whole_rej = read_file(path, now=NOW, analysis_only=True, workers=1)
    chunks = list(open_file(path, now=NOW, analysis_only=True, workers=2, chunksize=400))
    cut = pd.concat([c.frame for c in chunks], ignore_index=True)
    cut_rej = pd.concat([c.rejects for c in chunks], ignore_index=True)
    pd.testing.assert_frame_equal(cut, whole)
    pd.testing.assert_frame_equal(cut_rej, whole_rej)
    one = list(open_file(path, now=NOW, analysis_only=True, workers=1, chunksize=400))
    assert sum(c.rows_read for c in chunks) == sum(c.rows_read for c in one) == 3_000 - 15
    assert {"wrong number of fields", "unknown category", "unparseable time"} <= {
        r.split(" (")[0].split(";")[0] for r in cut_rej["reason"]
    }
    # the cut path was taken: the file can be cut, into segments of an eighth of a chunk
    assert line_segments(path, sniff_text(path), after_data_lines=405, lines_per_segment=50)
    assert len(chunks) == 1 + (3_000 - 405 + 49) // 50


def test_no_cut_when_the_sniffed_header_is_not_where_line_feeds_put_it(tmp_path: Path) -> None:
    """Python's splitlines also splits at form feeds and the like; the parser does not."""
    from dataclasses import replace

    path = tmp_path / "f.csv"
    path.write_bytes(b"tidpunkt;kategori;lat;lon\n2026-01-01 10:00;dui;59,38;13,5\n")
    layout = sniff_text(path)
    assert line_segments(path, layout, after_data_lines=0, lines_per_segment=1)
    shifted = replace(layout, skip_lines=1, header=("2026-01-01 10:00", "dui", "59,38", "13,5"))
    assert line_segments(path, shifted, after_data_lines=0, lines_per_segment=1) == []
    wrong = replace(layout, header=("tidpunkt", "kategori"))
    assert line_segments(path, wrong, after_data_lines=0, lines_per_segment=1) is None
