"""Lines of a delimited text file with more fields than its header: found by counting.

The CSV reader parses with ``usecols`` (every line one row, never skipped or shifted, extra
fields dropped); the rows of the lines counted here are then rejected. Counting the fields
ourselves replaces reading pandas' "Skipping line N" warning texts.

Where no quote can join lines or hide a delimiter (no ``"`` in the file, an encoding whose
0x0A byte is always a line feed, no carriage return that does not end a line), the delimiters
of each line are counted on the bytes, block by block, only as far as the rows asked for;
otherwise the file's records are counted once with :mod:`csv`, which splits them as pandas'
parser does (quotes, ``""``, line feeds and carriage returns in quoted values).
"""

from __future__ import annotations

import bisect
import csv
import io
import mmap
from pathlib import Path

import numpy as np

from hotspots.io._text import TextLayout

__all__ = ["OverlongLines", "overlong_in_bytes"]

#: Encodings in which the bytes of the delimiter and of a line feed mean nothing else.
_BYTE_SAFE = ("utf-8", "utf-8-sig", "cp1252")
#: Bytes counted at a time.
_BLOCK_BYTES = 1 << 22


def _reason(n_fields: int, seen: int) -> str:
    return f"expected {n_fields} fields, saw {seen}"


def overlong_in_bytes(
    data: bytes | np.ndarray, *, delimiter: str, n_fields: int, first_row: int
) -> list[tuple[int, str]]:
    """Lines of ``data`` (whole lines, no quotes) with more than ``n_fields`` fields.

    Parameters
    ----------
    data
        Bytes of whole lines of a file without quotes, in a byte-safe encoding.
    delimiter
        The field separator (one ASCII character).
    n_fields
        Fields of the header.
    first_row
        File line (1-based) of the first line of ``data``.

    Returns
    -------
    list of (int, str)
        File line and reason (``expected N fields, saw M``), in file order.
    """
    buf = np.frombuffer(data, dtype=np.uint8) if not isinstance(data, np.ndarray) else data
    if not len(buf):
        return []
    feeds = np.flatnonzero(buf == ord("\n"))
    ends = feeds if len(feeds) and feeds[-1] == len(buf) - 1 else np.r_[feeds, len(buf)]
    delims = np.flatnonzero(buf == ord(delimiter))
    per_line = np.diff(np.searchsorted(delims, ends), prepend=0)
    bad = np.flatnonzero(per_line >= n_fields)
    return [(first_row + int(i), _reason(n_fields, int(per_line[i]) + 1)) for i in bad]


class OverlongLines:
    """The overlong lines of one delimited text file, counted as far as rows are asked for.

    Parameters
    ----------
    path
        The file.
    layout
        Its sniffed layout; data lines start at file line ``layout.skip_lines + 2``.
    block_bytes
        Bytes counted at a time (a block grows to the end of a line that does not fit).
    """

    def __init__(self, path: Path, layout: TextLayout, *, block_bytes: int = _BLOCK_BYTES) -> None:
        self.path = path
        self.layout = layout
        self.block_bytes = block_bytes
        self.n_fields = len(layout.header)
        self._first_data_row = layout.skip_lines + 2
        self._rows: list[int] = []
        self._reasons: list[str] = []
        self._counted_to = 0  # lines up to this file line (1-based, inclusive) are counted
        self._offset = 0  # byte where the next uncounted line begins
        self._done = False
        self._by_bytes = self._countable_by_bytes()

    def between(self, start_row: int, stop_row: int) -> list[tuple[int, str]]:
        """Overlong lines with ``start_row <= line < stop_row`` (file lines, 1-based)."""
        self._count_to(stop_row - 1)
        lo = bisect.bisect_left(self._rows, start_row)
        hi = bisect.bisect_left(self._rows, stop_row)
        return list(zip(self._rows[lo:hi], self._reasons[lo:hi], strict=True))

    def _countable_by_bytes(self) -> bool:
        if self.layout.encoding not in _BYTE_SAFE or len(self.layout.delimiter) != 1:
            return False
        with self.path.open("rb") as fh:
            if fh.seek(0, io.SEEK_END) == 0:
                return True
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
                if mm.find(b'"') >= 0:
                    return False
                at = mm.find(b"\r")
                while at >= 0:  # a carriage return must end a line (CRLF)
                    if mm[at + 1 : at + 2] != b"\n":
                        return False
                    at = mm.find(b"\r", at + 1)
        return True

    def _count_to(self, row: int) -> None:
        if self._done or row <= self._counted_to:
            return
        if not self._by_bytes:
            self._count_records()
            return
        with self.path.open("rb") as fh:
            fh.seek(self._offset)
            while not self._done and self._counted_to < row:
                block = fh.read(self.block_bytes)
                at_end = len(block) < self.block_bytes
                cut = block.rfind(b"\n") + 1
                while cut == 0 and not at_end:  # a line longer than a block: read to its end
                    more = fh.read(self.block_bytes)
                    at_end = len(more) < self.block_bytes
                    block += more
                    cut = block.rfind(b"\n") + 1
                if at_end:  # the last line need not end with a line feed
                    cut = len(block)
                    self._done = True
                fh.seek(self._offset + cut)
                lines = block[:cut]
                self._add(
                    overlong_in_bytes(
                        lines,
                        delimiter=self.layout.delimiter,
                        n_fields=self.n_fields,
                        first_row=self._counted_to + 1,
                    )
                )
                unended = 1 if lines and not lines.endswith(b"\n") else 0
                self._counted_to += lines.count(b"\n") + unended
                self._offset += cut

    def _count_records(self) -> None:
        """All records with :mod:`csv` (quotes may join lines): once, for the whole file."""
        found = []
        with self.path.open(encoding=self.layout.encoding, errors="replace", newline="") as f:
            reader = csv.reader(f, delimiter=self.layout.delimiter, strict=False)
            try:
                for row, fields in enumerate(reader, start=1):
                    if len(fields) > self.n_fields:
                        found.append((row, _reason(self.n_fields, len(fields))))
            except csv.Error:  # a quote left open at the end (the parser says so), or a
                pass  # field over csv's size limit: lines after it are not counted
        self._add(found)
        self._done = True

    def _add(self, found: list[tuple[int, str]]) -> None:
        for row, reason in found:
            if row >= self._first_data_row:
                self._rows.append(row)
                self._reasons.append(reason)
