"""Readers of every import format: a file in, validated frames plus rejects out.

:func:`open_file` detects the format (``auto``) and returns a :class:`Reading` whose chunks are
validated incident or survey frames in the target metric CRS, with a rejects table each. Whole
file problems (binary, empty, header only, no location or time column) raise
:class:`~hotspots.core.errors.InputFileError` when the file is opened, before any chunk.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS

from hotspots.core.errors import InputFileError, InputSchemaError
from hotspots.core.schema import ANALYSIS_COLUMNS, TIMEZONE, empty_incidents, empty_survey
from hotspots.io._location import TargetCRS
from hotspots.io._parallel import available_workers
from hotspots.io._source_ids import RepeatedIds
from hotspots.io._text import TextLayout, is_binary, sniff_text
from hotspots.io._validate import (
    REJECT_COLUMNS,
    SWEDISH_LABEL_PARTS,
    CategoryResolver,
    Chunk,
    Context,
    empty_rejects,
)
from hotspots.io.addresses import AddressGeocoder
from hotspots.io.category_map import load_category_map, normalise_category_map
from hotspots.io.policeuk import POLICEUK_CATEGORIES, is_policeuk_header
from hotspots.io.polisen import POLISEN_CATEGORIES, looks_like_polisen
from hotspots.io.readers import (
    after_first,
    policeuk_fields,
    read_csv_chunks,
    read_polisen,
    read_vector,
)
from hotspots.spatial.crs import check_metric
from hotspots.spatial.points import point_frame

__all__ = [
    "FORMATS",
    "REJECT_COLUMNS",
    "Chunk",
    "Reading",
    "detect_format",
    "file_sha256",
    "open_file",
    "read_file",
]

Format = Literal["auto", "csv", "geojson", "gpkg", "shp", "policeuk", "polisen"]
Kind = Literal["incidents", "survey"]
#: Formats accepted by ``--format``.
FORMATS: tuple[str, ...] = ("auto", "csv", "geojson", "gpkg", "shp", "policeuk", "polisen")
#: Rows per chunk when streaming CSV.
DEFAULT_CHUNKSIZE = 250_000

_SUFFIX_FORMAT = {
    ".gpkg": "gpkg",
    ".shp": "shp",
    ".zip": "shp",
    ".geojson": "geojson",
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
}


def file_sha256(path: Path) -> str:
    """Hex sha256 of a file's bytes (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _sniff_json(path: Path) -> str:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"is not valid JSON ({exc})") from exc
    if looks_like_polisen(data):
        return "polisen"
    if isinstance(data, dict) and data.get("type") in ("FeatureCollection", "Feature"):
        return "geojson"
    if isinstance(data, list) and not data:
        raise InputFileError(path, "is an empty JSON array; nothing to import")
    raise InputFileError(
        path, "is JSON but neither GeoJSON nor a list of Polisen events; give --format"
    )


def detect_format(path: Path) -> str:
    """Detect the format of ``path`` from its name and first bytes.

    Raises
    ------
    InputFileError
        When the file is missing, empty or of no known format.
    """
    return _detect(Path(path))[0]


def _detect(path: Path) -> tuple[str, TextLayout | None]:
    """The format of ``path`` and, for delimited text, its layout (sniffed once)."""
    if not path.exists():
        raise InputFileError(path, "file not found")
    if path.is_dir():
        raise InputFileError(path, "is a folder; give a file")
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head.strip():
        raise InputFileError(path, "the file is empty; give a file with a header and data rows")
    suffix = path.suffix.lower()
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg", None
    if head.startswith(b"PK\x03\x04"):
        if not zipfile.is_zipfile(path):
            raise InputFileError(path, "looks like a zip file but is not a valid one (damaged?)")
        return "shp", None
    if suffix == ".shp":
        return "shp", None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix in (".json", ".geojson") or stripped[:1] in (b"{", b"["):
        return _sniff_json(path), None
    if suffix in (".gpkg", ".zip"):
        raise InputFileError(path, f"is not a valid {suffix[1:]} file")
    if is_binary(head):
        raise InputFileError(
            path,
            "is not a text file (binary content); give a CSV, GeoJSON, GeoPackage, Shapefile "
            "(.shp or .zip) or a Polisen events JSON file",
        )
    layout = sniff_text(path)
    return ("policeuk" if is_policeuk_header(layout.header) else "csv"), layout


@dataclass
class Reading:
    """An opened input file.

    Attributes
    ----------
    path
        The file.
    fmt
        The resolved format.
    kind
        ``incidents`` or ``survey``.
    target
        The target metric CRS (chosen from the first chunk unless imposed by a store).
    delimiter
        Field separator of a delimited file (``,`` otherwise), for the rejects file.
    chunks
        Validated chunks; iterate once.
    """

    path: Path
    fmt: str
    kind: str
    target: TargetCRS
    delimiter: str
    chunks: Iterator[Chunk]

    def __iter__(self) -> Iterator[Chunk]:
        return self.chunks


def _vector_source(path: Path) -> str:
    if not zipfile.is_zipfile(path):
        return str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            shps = [n for n in zf.namelist() if n.lower().endswith(".shp")]
    except zipfile.BadZipFile as exc:
        raise InputFileError(path, "is not a valid zip file") from exc
    if not shps:
        raise InputFileError(path, "is a zip file without a Shapefile (.shp) inside")
    if len(shps) > 1:
        raise InputFileError(path, f"holds several Shapefiles ({', '.join(shps)}); keep one")
    return f"/vsizip/{path.resolve()}/{shps[0]}"


def open_file(
    path: Path,
    *,
    kind: Kind = "incidents",
    fmt: Format | str = "auto",
    crs: str | None = None,
    category_map: Path | Mapping[str, str] | None = None,
    target_crs: CRS | str | None = None,
    now: pd.Timestamp | None = None,
    import_id: str | None = None,
    chunksize: int = DEFAULT_CHUNKSIZE,
    analysis_only: bool = False,
    workers: int | None = None,
    meanwhile: Callable[[], object] | None = None,
    geocoder: AddressGeocoder | None = None,
) -> Reading:
    """Open ``path`` for validated reading.

    Parameters
    ----------
    path
        The input file.
    kind
        ``incidents`` or ``survey`` (survey and dialogue marks).
    fmt
        One of :data:`FORMATS`; ``auto`` detects it.
    crs
        CRS of x/y columns (``--crs``; default EPSG:3006), or of a geometry file without one.
    category_map
        ``--category-map``: a file or a mapping of source label -> code.
    target_crs
        The metric CRS to project to (a store's); ``None`` chooses EPSG:3006 for Swedish data,
        the UTM zone elsewhere.
    now
        Current time (later times are rejected); default the wall clock.
    import_id
        Id stored with each row; default the file's sha256.
    chunksize
        Rows per chunk when streaming CSV.
    analysis_only
        Yield point incident frames of the columns an analysis reads (see
        :data:`hotspots.core.schema.ANALYSIS_COLUMNS`) instead of full incident frames; the same
        rows are accepted and rejected. Incidents only.
    workers
        Processes that validate an ``analysis_only`` CSV (2 reads the whole file, then shares
        its chunks with a forked process; see :mod:`hotspots.io._parallel`); default as many
        as are worth it here. Other reads use one.
    meanwhile
        Work for this process while the file is read: done while a second process validates
        (an ``analysis_only`` CSV), else before the first chunk.
    geocoder
        A geocoder over an address register (built above this layer, e.g.
        :class:`hotspots.load.geocode.Geocoder`): rows with an address (``adress``/
        ``address``, optional ``postnummer``/``postort``) and no coordinates get the point of
        their address (precision ``address``) or of their street (``street``), or are
        rejected with the closest register streets; Polisen events whose text names one
        street of their municipality are placed on it (precision ``street_text``).

    Raises
    ------
    InputFileError
        When the file cannot be read as a whole.
    InputSchemaError
        For a bad ``fmt`` or ``kind``.
    """
    path = Path(path)
    if kind not in ("incidents", "survey"):
        msg = f"--kind: {kind!r} is not a kind; use incidents or survey"
        raise InputSchemaError(msg)
    if fmt not in FORMATS:
        msg = f"--format: {fmt!r} is not a format; use one of {', '.join(FORMATS)}"
        raise InputSchemaError(msg)
    if not path.is_file():
        raise InputFileError(path, "file not found" if not path.exists() else "is not a file")
    resolved, sniffed = _detect(path) if fmt == "auto" else (fmt, None)
    if isinstance(category_map, Path | str):
        user_map = load_category_map(Path(category_map))
    elif category_map is not None:
        user_map = normalise_category_map(dict(category_map))
    else:
        user_map = {}
    if resolved == "policeuk":
        resolver = CategoryResolver(user_map, POLICEUK_CATEGORIES, unknown_to_other=True)
    elif resolved == "polisen":
        resolver = CategoryResolver(user_map, POLISEN_CATEGORIES, unknown_to_other=True)
    else:
        resolver = CategoryResolver(user_map, SWEDISH_LABEL_PARTS | POLISEN_CATEGORIES)
    target = TargetCRS()
    if target_crs is not None:
        target = TargetCRS(crs=check_metric(target_crs, argument="store CRS"), from_store=True)
    ctx = Context(
        target=target,
        categories=resolver,
        now=(now if now is not None else pd.Timestamp.now(tz=TIMEZONE)).tz_convert(TIMEZONE),
        # one analysis stores nothing, so needs no import id (hashing the file takes a while)
        import_id=import_id or ("" if analysis_only else file_sha256(path)),
        default_precision="municipality"
        if resolved == "polisen"
        else ("street" if resolved == "policeuk" else "exact"),
        default_source={"polisen": "polis", "policeuk": "policeuk"}.get(resolved),
        analysis_only=analysis_only,
        # a police.uk Crime ID may name several different rows: each gets its own id
        repeated_ids=RepeatedIds() if resolved == "policeuk" and not analysis_only else None,
    )
    if analysis_only and kind != "incidents":
        msg = "analysis_only reads incidents; survey marks are always read whole"
        raise InputSchemaError(msg)
    if kind == "survey" and resolved in ("policeuk", "polisen"):
        msg = f"{path}: {resolved} files hold incidents; use --kind incidents"
        raise InputSchemaError(msg)
    delimiter = ","
    if resolved in ("csv", "policeuk"):
        layout = sniffed or sniff_text(path)
        delimiter = layout.delimiter
        fields = None
        if resolved == "policeuk":
            if not is_policeuk_header(layout.header):
                raise InputFileError(
                    path,
                    "is not a police.uk street CSV (needs Crime ID, Month, Longitude, Latitude, "
                    "Crime type)",
                )
            fields = policeuk_fields(layout.header)
        chunks = read_csv_chunks(
            path,
            kind=kind,
            ctx=ctx,
            crs=crs,
            chunksize=chunksize,
            layout=layout,
            fields=fields,
            workers=(available_workers() if workers is None else workers) if analysis_only else 1,
            meanwhile=meanwhile,
            geocoder=geocoder,
        )
    elif resolved == "polisen":
        chunks = after_first(meanwhile, read_polisen(path, kind=kind, ctx=ctx, geocoder=geocoder))
    else:
        source = _vector_source(path)
        chunks = after_first(
            meanwhile,
            read_vector(path, kind=kind, ctx=ctx, crs=crs, source=source, geocoder=geocoder),
        )
    return Reading(path, resolved, kind, target, delimiter, chunks)


def read_file(
    path: Path,
    *,
    kind: Kind = "incidents",
    fmt: Format | str = "auto",
    crs: str | None = None,
    category_map: Path | Mapping[str, str] | None = None,
    target_crs: CRS | str | None = None,
    now: pd.Timestamp | None = None,
    analysis_only: bool = False,
    workers: int | None = None,
    meanwhile: Callable[[], object] | None = None,
    geocoder: AddressGeocoder | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read and validate a whole file: ``(accepted frame, rejects)``; see :func:`open_file`.

    The accepted frame is an incident or survey GeoDataFrame, or with ``analysis_only`` a
    point incident frame (see :mod:`hotspots.core.schema`).
    """
    reading = open_file(
        path,
        kind=kind,
        fmt=fmt,
        crs=crs,
        category_map=category_map,
        target_crs=target_crs,
        now=now,
        analysis_only=analysis_only,
        workers=workers,
        meanwhile=meanwhile,
        geocoder=geocoder,
    )
    frames: list[pd.DataFrame] = []
    rejects: list[pd.DataFrame] = []
    for chunk in reading:
        frames.append(chunk.frame)
        if len(chunk.rejects):
            rejects.append(chunk.rejects)
    crs_out = reading.target.crs or CRS.from_epsg(3006)
    rej = pd.concat(rejects, ignore_index=True) if rejects else empty_rejects()
    nonempty = [f for f in frames if len(f)]
    if analysis_only:
        return _concat_points(nonempty, crs_out), rej
    empty = empty_incidents(crs_out) if kind == "incidents" else empty_survey(crs_out)
    frame = (
        gpd.GeoDataFrame(pd.concat(nonempty, ignore_index=True), crs=crs_out) if nonempty else empty
    )
    return frame, rej


def _concat_points(frames: list[pd.DataFrame], crs: CRS) -> pd.DataFrame:
    """One point incident frame of ``frames`` (an empty one when there are none)."""
    if frames:
        out = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
        x, y = out["x"].to_numpy(), out["y"].to_numpy()
        return point_frame(out, x, y, crs)
    empty = pd.DataFrame(empty_incidents(crs)[list(ANALYSIS_COLUMNS)])
    return point_frame(empty, np.zeros(0), np.zeros(0), crs)
