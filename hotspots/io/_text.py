"""Sniffing of text files: binary check, encoding, delimiter and the Excel ``sep=`` line.

Swedish Excel writes CSV with ``;`` separators and decimal commas, in Windows-1252 or in UTF-8
with a byte order mark. Nothing here asks the user: the encoding is UTF-8 when every byte of the
file decodes as UTF-8 (checked in streaming blocks), else Windows-1252.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

from hotspots.core.errors import InputFileError

__all__ = ["TextLayout", "is_binary", "sniff_text"]

_SAMPLE_BYTES = 64 * 1024
_BLOCK_BYTES = 1 << 20
_DELIMITERS = (";", ",", "\t", "|")


@dataclass(frozen=True, slots=True)
class TextLayout:
    """How to read a delimited text file.

    Attributes
    ----------
    encoding
        Python codec name (``utf-8-sig``, ``utf-8``, ``cp1252``, ``utf-16``).
    delimiter
        Field separator.
    skip_lines
        Lines before the header (1 for an Excel ``sep=;`` line, else 0).
    header
        Column names as written in the header line.
    """

    encoding: str
    delimiter: str
    skip_lines: int
    header: tuple[str, ...]


def is_binary(sample: bytes) -> bool:
    """Whether ``sample`` (the first bytes of a file) looks like binary data, not text."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in sample:
        return True
    control = sum(1 for b in sample[:4096] if b < 9 or 13 < b < 32)
    return control > max(4, len(sample[:4096]) // 100)


def _detect_encoding(path: Path, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while block := fh.read(_BLOCK_BYTES):
                # ASCII is UTF-8 (unless a multi-byte character is pending from the block
                # before); checking for it is many times faster than decoding
                if block.isascii() and not decoder.getstate()[0]:
                    continue
                decoder.decode(block, final=False)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _pick_delimiter(line: str) -> str:
    counts: dict[str, int] = {}
    for delim in _DELIMITERS:
        try:
            fields = next(csv.reader([line], delimiter=delim))
        except (csv.Error, StopIteration):
            continue
        counts[delim] = len(fields) - 1
    best = max(counts, key=lambda d: counts[d]) if counts else ","
    return best if counts.get(best, 0) > 0 else ","


def sniff_text(path: Path) -> TextLayout:
    """Find the encoding, delimiter and header of a delimited text file.

    Raises
    ------
    InputFileError
        When the file is empty, binary, or its header cannot be read.
    """
    with path.open("rb") as fh:
        head = fh.read(_SAMPLE_BYTES)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise InputFileError(path, "the file is empty; give a CSV with a header row and data rows")
    if is_binary(head):
        raise InputFileError(
            path,
            "is not a text file (binary content); give a CSV, GeoJSON, GeoPackage, "
            "Shapefile (.shp or .zip) or a Polisen events JSON file",
        )
    encoding = _detect_encoding(path, head)
    text = head.decode(encoding, errors="replace")
    lines = io.StringIO(text, newline=None).read().splitlines()
    skip = 0
    delimiter: str | None = None
    while skip < len(lines) and not lines[skip].strip():
        skip += 1
    if skip < len(lines) and lines[skip].strip().lower().startswith("sep="):
        delimiter = lines[skip].strip()[4:5] or ","
        skip += 1
    if skip >= len(lines):
        raise InputFileError(path, "the file has no header row; the first line must name columns")
    header_line = lines[skip]
    if delimiter is None:
        delimiter = _pick_delimiter(header_line)
    header = tuple(h.strip() for h in next(csv.reader([header_line], delimiter=delimiter)))
    return TextLayout(encoding=encoding, delimiter=delimiter, skip_lines=skip, header=header)
