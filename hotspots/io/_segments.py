"""Cut a delimited text file into byte ranges of whole lines, for reading in parallel.

Two processes can then each read and validate their own share of a file (see
:mod:`hotspots.io._parallel`) instead of one parser reading it all first.

A byte range can be parsed on its own only when every line is one row: no quote in the file
(a quoted value may hold a line break or a delimiter), no carriage return that does not end a
line, and an encoding in which a line feed is always the byte 0x0A. Otherwise there is no
cut, and the file is read from the start by one parser.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from hotspots.io._text import TextLayout

__all__ = ["Segment", "line_segments"]

#: Encodings in which byte 0x0A is a line feed and nothing else.
_BYTE_SAFE = ("utf-8", "utf-8-sig", "cp1252")


@dataclass(frozen=True, slots=True)
class Segment:
    """Whole lines ``[start, stop)`` (bytes) of a file, its first line being ``first_row``.

    ``first_row`` is the spreadsheet row (1-based file line) of the segment's first line.
    """

    start: int
    stop: int
    first_row: int


def line_segments(
    path: Path, layout: TextLayout, *, after_data_lines: int, lines_per_segment: int
) -> list[Segment] | None:
    """The data lines after the first ``after_data_lines``, cut into segments.

    Parameters
    ----------
    path
        The file.
    layout
        Its sniffed layout (encoding, lines before the header).
    after_data_lines
        Data lines (after the header) already read some other way.
    lines_per_segment
        Lines per segment (the last one may have fewer).

    Returns
    -------
    list of Segment or None
        In file order (empty when no line is left), or ``None`` when the file's lines cannot be
        cut apart safely by bytes.
    """
    if layout.encoding not in _BYTE_SAFE or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        if mm.find(b'"') >= 0:
            return None
        data = np.frombuffer(mm, dtype=np.uint8)
        try:
            if mm.find(b"\r") >= 0 and not _returns_end_lines(data):
                return None
            ends = _LineEnds(data)
            if not _is_header(ends, layout):  # the sniffer counted lines differently
                return None
            first_line = layout.skip_lines + 1 + after_data_lines  # 0-based file line
            step = max(1, lines_per_segment)
            segments = []
            for line in range(first_line, ends.n_lines, step):
                last = min(line + step, ends.n_lines)
                segments.append(
                    Segment(ends.start_of(line), ends.start_of(last), first_row=line + 1)
                )
        finally:
            del data  # the map cannot close while an array looks into it
            ends = None
    return segments


def _is_header(ends: _LineEnds, layout: TextLayout) -> bool:
    """Whether line ``layout.skip_lines`` (counted by line feeds) is the sniffed header."""
    start, stop = ends.start_of(layout.skip_lines), ends.start_of(layout.skip_lines + 1)
    text = bytes(ends.data[start:stop]).decode(layout.encoding, errors="replace")
    cells = [c.strip() for c in text.rstrip("\r\n").split(layout.delimiter)]
    return cells == list(layout.header)


def _returns_end_lines(data: np.ndarray) -> bool:
    """Whether every carriage return is followed by a line feed."""
    cr = np.flatnonzero(data == ord("\r"))
    return bool(
        np.all(cr + 1 < len(data)) and np.all(data[np.minimum(cr + 1, len(data) - 1)] == ord("\n"))
    )


class _LineEnds:
    """Where the lines of a file's bytes begin, found block by block.

    Line feeds are counted per block; only the blocks where a wanted line begins are
    searched for the exact position.
    """

    _BLOCK = 1 << 20

    def __init__(self, data: np.ndarray) -> None:
        self.data = data
        counts = [
            np.count_nonzero(data[i : i + self._BLOCK] == ord("\n"))
            for i in range(0, len(data), self._BLOCK)
        ]
        self.before = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))
        n_feeds = int(self.before[-1])
        self.n_lines = n_feeds + (1 if len(data) and data[-1] != ord("\n") else 0)

    def start_of(self, line: int) -> int:
        """Byte offset where 0-based ``line`` begins (the file's length past the last line)."""
        if line <= 0:
            return 0
        if line > int(self.before[-1]):
            return len(self.data)
        # block k holds the line-th line feed, the one ending line - 1
        k = int(np.searchsorted(self.before, line, side="left")) - 1
        offset = k * self._BLOCK
        block = self.data[offset : offset + self._BLOCK]
        feed = np.flatnonzero(block == ord("\n"))[line - int(self.before[k]) - 1]
        return offset + int(feed) + 1
