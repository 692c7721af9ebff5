"""One reader per source format; each yields validated ``Chunk`` objects.

A reader first checks the whole-file problems (binary, empty, header only, no location or time
column) and raises :class:`~hotspots.core.errors.InputFileError` before yielding anything; the rows
are then validated chunk by chunk (CSV is streamed with pandas ``chunksize``).
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyogrio
from pyproj import CRS

from hotspots.core.errors import InputFileError, InputSchemaError
from hotspots.core.schema import STREET_TEXT
from hotspots.io._address_location import AddressLocation, address_location
from hotspots.io._arrow import blank as blank_cells
from hotspots.io._columns import ColumnMatch, Kind, match_columns
from hotspots.io._overlong import OverlongLines, overlong_in_bytes
from hotspots.io._parallel import Settlement, run_split
from hotspots.io._segments import Segment, line_segments
from hotspots.io._text import TextLayout, sniff_text
from hotspots.io._validate import (
    Chunk,
    Context,
    LocationInput,
    build_incidents,
    build_survey,
    resolve_target,
)
from hotspots.io.addresses import (
    AddressColumns,
    AddressGeocoder,
    TextStreetGeocoder,
    address_columns,
)
from hotspots.io.policeuk import POLICEUK_FIELDS
from hotspots.io.polisen import event_times, read_events
from hotspots.spatial.crs import parse_crs

__all__ = ["after_first", "read_csv_chunks", "read_polisen", "read_vector"]

_ARROW_TEXT = pd.ArrowDtype(pa.string())


@dataclass(frozen=True, slots=True)
class _LocationColumns:
    mode: str  # "latlon" or "xy"
    a: str
    b: str


def _location_columns(
    match: ColumnMatch, header: tuple[str, ...], path: Path, *, addresses: bool = False
) -> _LocationColumns | None:
    """The coordinate columns; ``None`` when there are none but ``addresses`` locate the rows."""
    if match.has("lat", "lon"):
        return _LocationColumns("latlon", match.fields["lat"], match.fields["lon"])
    if match.has("x", "y"):
        return _LocationColumns("xy", match.fields["x"], match.fields["y"])
    if addresses:
        return None
    hint = (
        f"; its column {found.address!r} holds addresses: give an address register with "
        "--addresses FILE (or --geography FILE.gpkg built with --addresses)"
        if (found := address_columns(header)) is not None
        else ""
    )
    raise InputFileError(
        path,
        "has no location columns; give lat and lon (WGS84 degrees), x and y (or e/n, "
        f"easting/northing) with --crs, or use a GeoJSON/GeoPackage/Shapefile (found columns: "
        f"{', '.join(header)}){hint}",
    )


def _located_by(
    part: pd.DataFrame,
    loc: _LocationColumns | None,
    src_crs: CRS | None,
    *,
    geocoder: AddressGeocoder | None,
    addresses: AddressColumns | None,
) -> LocationInput:
    """The location of each row of ``part``: its coordinates, or its address where it has none.

    Without coordinate columns (``loc`` is ``None``) every row is located by its address; the
    address cells then stand in for the coordinate cells (they identify the row's place in
    its content id).
    """
    if loc is None:
        col = addresses.address  # type: ignore[union-attr]
        base = LocationInput("xy", part[col], part[col], geocoder.crs, (col, col))  # type: ignore[union-attr]
    else:
        base = LocationInput(loc.mode, part[loc.a], part[loc.b], src_crs, (loc.a, loc.b))
    if geocoder is None or addresses is None:
        return base
    coordinates = None if loc is None else (part[loc.a], part[loc.b])
    where = address_location(part, geocoder, columns=addresses, coordinates=coordinates)
    return dataclasses.replace(base, address=where)


def _check_fields(match: ColumnMatch, kind: Kind, header: tuple[str, ...], path: Path) -> None:
    found = ", ".join(header)
    if kind == "incidents":
        if not (match.has("occurred_at") or match.has("date") or match.has("time")):
            raise InputFileError(
                path,
                "has no time column; give occurred_at (or tidpunkt, or datum + tid) "
                f"(found columns: {found})",
            )
        if not match.has("category"):
            raise InputFileError(
                path,
                f"has no category column; give category (or kategori) (found columns: {found})",
            )
    elif not match.has("unsafe"):
        raise InputFileError(
            path,
            "has no unsafe column; give unsafe (1-5 or ja/nej, or otrygghet) "
            f"(found columns: {found})",
        )


def _build(kind: Kind) -> object:
    return build_incidents if kind == "incidents" else build_survey


def _parse_crs_option(crs: str | None) -> CRS:
    return parse_crs(crs if crs is not None else "EPSG:3006")


def read_csv_chunks(
    path: Path,
    *,
    kind: Kind,
    ctx: Context,
    crs: str | None,
    chunksize: int,
    layout: TextLayout | None = None,
    fields: Mapping[str, str] | None = None,
    workers: int = 1,
    meanwhile: Callable[[], object] | None = None,
    geocoder: AddressGeocoder | None = None,
) -> Iterator[Chunk]:
    """Stream a delimited text file (generic CSV, Swedish Excel CSV or police.uk).

    Parameters
    ----------
    path
        The file.
    kind
        ``incidents`` or ``survey``.
    ctx
        Validation context.
    crs
        CRS of x/y columns (``--crs``); default EPSG:3006.
    chunksize
        Rows per chunk.
    layout
        Encoding/delimiter/header, sniffed when ``None``.
    fields
        Canonical field -> column, overriding the alias matching (police.uk).
    workers
        With 2 and ``ctx.analysis_only``, the whole file is read first and its later chunks
        are validated in a second process (:mod:`hotspots.io._parallel`); the result is the
        same. An import streams chunk by chunk in one process whatever ``workers`` is.
    meanwhile
        Work for this process while a second one validates (see
        :func:`hotspots.io._parallel.run_split`); with one process, done before the first
        chunk.
    geocoder
        Locates the rows that have an address (``adress``/``address``, optional
        ``postnummer``/``postort``) and no coordinates, in either process; a file with an
        address column needs no coordinate columns then.

    Raises
    ------
    InputFileError
        Before yielding anything, for a file that cannot be read as a whole.
    """
    layout = layout or sniff_text(path)
    header = layout.header
    match = ColumnMatch(dict(fields)) if fields is not None else match_columns(header, kind)
    _check_fields(match, kind, header, path)
    addresses = address_columns(header) if geocoder is not None else None
    loc = _location_columns(match, header, path, addresses=addresses is not None)
    src_crs = _parse_crs_option(crs) if loc is not None and loc.mode == "xy" else None
    parallel = workers > 1 and ctx.analysis_only  # an import's ids depend on earlier chunks
    overlong = OverlongLines(path, layout)
    try:
        reader = pd.read_csv(
            path, skiprows=layout.skip_lines, chunksize=chunksize, **_csv_options(layout)
        )
        first = next(reader, None)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(path, f"cannot be read as CSV ({exc})") from exc
    row0 = layout.skip_lines + 2  # spreadsheet row (file line) of the first data line
    first_job = None if first is None else _job(first, row0, overlong.between)
    if first_job is None or not len(first_job.raw) or _all_blank(first_job.raw).all():
        raise InputFileError(path, "has a header but no data rows")
    build = _build(kind)

    def _jobs() -> Iterator[_Job]:
        """The chunks as read, with their spreadsheet rows and their overlong lines."""
        job, row = first_job, row0 + len(first)
        try:
            while True:
                yield job
                chunk = next(reader, None)
                if chunk is None:
                    return
                job = _job(chunk, row, overlong.between)
                row += len(chunk)
        except pd.errors.ParserError as exc:
            raise InputFileError(path, f"cannot be read as CSV ({exc})") from exc

    def _location(part: pd.DataFrame) -> LocationInput:
        return _located_by(part, loc, src_crs, geocoder=geocoder, addresses=addresses)

    def _run(job: _Job) -> Chunk:
        keep = ~_all_blank(job.raw)
        part = job.raw[keep]
        out = build(  # type: ignore[operator]
            part, rows=job.rows[keep], fields=match.fields, location=_location(part), ctx=ctx
        )
        return _with_bad_lines(out, job.bad, layout.delimiter)

    if not parallel:
        return after_first(meanwhile, (_run(job) for job in _jobs()))

    def _parallel() -> Iterator[Chunk]:
        segments = line_segments(
            path,
            layout,
            after_data_lines=len(first),
            lines_per_segment=max(1, chunksize // 8),
        )
        if segments is None:  # lines and rows may differ: one parser reads it all
            jobs: list[_Job | Segment] = list(_jobs())
        else:
            reader.close()
            jobs = [first_job, *segments]
        names = list(first_job.raw.columns)

        def run(job: _Job | Segment) -> Chunk:
            if isinstance(job, Segment):
                job = _read_segment(path, job, names=names, layout=layout)
            return _run(job)

        def settle_target() -> None:  # what the first chunk decides, before the later ones
            if ctx.target.crs is None:
                raw = first_job.raw
                resolve_target(_location(raw[~_all_blank(raw)]), ctx)

        def export_target() -> str:  # in the child, once the first chunk settled it
            return ctx.target.crs.to_wkt()  # type: ignore[union-attr]

        def adopt_target(wkt: object) -> None:
            ctx.target.crs = CRS.from_wkt(str(wkt))

        settlement = Settlement(
            export=export_target,
            adopt=adopt_target,
            settle=settle_target,
        )
        yield from run_split(
            jobs,
            run,
            workers=workers,
            settlement=settlement,
            meanwhile=meanwhile,
            scratch_bytes=path.stat().st_size,  # the validated rows pickle to about as much
        )

    return _parallel()


def after_first(first: Callable[[], object] | None, chunks: Iterator[Chunk]) -> Iterator[Chunk]:
    """``chunks``, with ``first()`` called before the first of them is made."""
    if first is not None:
        first()
    yield from chunks


def _csv_options(layout: TextLayout) -> dict[str, object]:
    """``pandas.read_csv`` options for reading a file of ``layout`` as text, cell by cell.

    Every cell is read as text (the ids hash the cells as written, and each value is validated
    column by column). Arrow strings through the C parser's Arrow fast path: several times
    faster than ``dtype=str``, which boxes every cell as a Python object.
    """
    return {
        "sep": layout.delimiter,
        "encoding": layout.encoding,
        "dtype": _ARROW_TEXT,
        "dtype_backend": "pyarrow",
        "keep_default_na": False,
        "na_filter": False,
        "skip_blank_lines": False,
        "engine": "c",
        # every line one row: a line with too many fields is not skipped (its extra fields
        # are dropped) and is rejected by its row (hotspots.io._overlong counts the fields)
        "usecols": list(range(len(layout.header))),
    }


def _job(
    chunk: pd.DataFrame, row0: int, overlong: Callable[[int, int], list[tuple[int, str]]]
) -> _Job:
    """A chunk as read, as a job: its spreadsheet rows from ``row0`` on, column names stripped.

    ``overlong(start, stop)`` gives the lines with too many fields among rows ``start`` to
    ``stop - 1``; their rows leave the chunk (they are rejected).
    """
    chunk.columns = [str(c).strip() for c in chunk.columns]
    rows = row0 + np.arange(len(chunk), dtype=np.int64)
    bad = overlong(row0, row0 + len(chunk))
    if bad:
        keep = ~np.isin(rows, [line for line, _ in bad])
        chunk, rows = chunk[keep], rows[keep]
    return _Job(chunk, rows, bad)


def _read_segment(path: Path, segment: Segment, *, names: list[str], layout: TextLayout) -> _Job:
    """Parse the lines of ``segment`` as rows of columns ``names``; rows numbered as in the file."""
    with path.open("rb") as fh:
        fh.seek(segment.start)
        data = fh.read(segment.stop - segment.start)
    try:
        chunk = pd.read_csv(io.BytesIO(data), header=None, names=names, **_csv_options(layout))
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"cannot be read as CSV ({exc})") from exc
    bad = overlong_in_bytes(
        data, delimiter=layout.delimiter, n_fields=len(names), first_row=segment.first_row
    )
    return _job(chunk, segment.first_row, lambda _start, _stop: bad)


@dataclass(frozen=True, slots=True)
class _Job:
    """One chunk of a delimited file as read, before validation."""

    raw: pd.DataFrame
    rows: np.ndarray
    bad: list[tuple[int, str]]


def _with_bad_lines(chunk: Chunk, bad: list[tuple[int, str]], delimiter: str) -> Chunk:
    if not bad:
        return chunk
    extra = pd.DataFrame(
        {
            "row": [ln for ln, _ in bad],
            "column": "",
            "value": "",
            "reason": [
                f"wrong number of fields ({why}); a value containing {delimiter!r} must be "
                "in double quotes"
                for _, why in bad
            ],
        }
    ).astype({"row": "int64", "column": "string", "value": "string", "reason": "string"})
    rejects = pd.concat([chunk.rejects, extra], ignore_index=True).sort_values(
        "row", kind="stable", ignore_index=True
    )
    return dataclasses.replace(chunk, rejects=rejects, rows_read=chunk.rows_read + len(bad))


def _all_blank(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty or whitespace."""
    if frame.shape[1] == 0:
        return np.ones(len(frame), dtype=bool)
    blank = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        if not blank.any():
            break
        blank &= blank_cells(frame[col])
    return blank


def policeuk_fields(header: tuple[str, ...]) -> dict[str, str]:
    """Canonical field -> police.uk column, using the header's own spelling."""
    by_lower = {h.strip().casefold(): h.strip() for h in header}
    return {
        f: by_lower[c.casefold()] for f, c in POLICEUK_FIELDS.items() if c.casefold() in by_lower
    }


def _choose_layer(path: Path, source: str, kind: Kind) -> str | None:
    try:
        layers = pyogrio.list_layers(source)
    except Exception as exc:
        raise InputFileError(path, f"cannot be opened as a vector file ({exc})") from exc
    names = [str(n) for n in layers[:, 0]]
    if not names:
        raise InputFileError(path, "contains no layers")
    if kind in names:
        return kind
    if len(names) == 1:
        return names[0]
    spatial = [str(n) for n, g in layers if g is not None]
    if len(spatial) == 1:
        return spatial[0]
    raise InputFileError(
        path, f"has several layers ({', '.join(names)}); name one {kind!r} or keep only one"
    )


def read_vector(
    path: Path,
    *,
    kind: Kind,
    ctx: Context,
    crs: str | None,
    source: str | None = None,
    geocoder: AddressGeocoder | None = None,
) -> Iterator[Chunk]:
    """Read a GeoJSON, GeoPackage or Shapefile (``.shp`` or zipped) as one chunk.

    The geometry gives the location, in the file's CRS (``--crs`` when the file has none, e.g. a
    Shapefile without ``.prj``); without geometries, lat/lon or x/y attribute columns are used,
    or with a ``geocoder`` an address column (see :func:`read_csv_chunks`).
    Row numbers are feature numbers (1-based). ``source`` is what GDAL opens (a ``/vsizip/``
    path for a zipped Shapefile); ``path`` names the file in messages.
    """
    source = source or str(path)
    layer = _choose_layer(path, source, kind)
    try:
        gdf = pyogrio.read_dataframe(source, layer=layer, datetime_as_string=True)
    except Exception as exc:
        raise InputFileError(path, f"cannot be read ({exc})") from exc
    if not len(gdf):
        raise InputFileError(path, f"layer {layer!r} has no features")
    attrs = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    header = tuple(attrs)
    match = match_columns(header, kind)
    _check_fields(match, kind, header, path)
    raw = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    geom = gdf.geometry
    has_geom = bool(geom.notna().any()) and not bool(geom.is_empty.all())
    rows = np.arange(1, len(gdf) + 1, dtype=np.int64)
    if has_geom:
        file_crs = gdf.crs
        if file_crs is None:
            if crs is None and path.suffix.lower() != ".geojson":
                raise InputFileError(
                    path, "has no CRS (a Shapefile without .prj?); give --crs, e.g. EPSG:3006"
                )
            file_crs = _parse_crs_option(crs) if crs is not None else CRS.from_epsg(4326)
        gtype = geom.geom_type.to_numpy(dtype=object)
        single = geom.copy()
        multi = np.asarray(gtype == "MultiPoint", dtype=bool)
        if multi.any():
            parts = geom[multi].get_coordinates(index_parts=False)
            counts = parts.groupby(level=0).size()
            single_multi = counts[counts == 1].index
            one = parts.loc[single_multi]
            single.loc[single_multi] = pd.Series(
                gpd.points_from_xy(one["x"], one["y"]), index=single_multi
            )
            gtype = single.geom_type.to_numpy(dtype=object)
        is_point = np.asarray(gtype == "Point", dtype=bool) & ~np.asarray(single.is_empty)
        pre = np.full(len(gdf), None, dtype=object)
        missing = np.asarray(single.isna() | single.is_empty, dtype=bool)
        pre[missing] = "missing location: geometry is empty"
        wrong = ~is_point & ~missing
        if wrong.any():
            pre[wrong] = [f"geometry is a {t}, not a point" for t in gtype[wrong]]
        xs = np.full(len(gdf), np.nan)
        ys = np.full(len(gdf), np.nan)
        xs[is_point] = single[is_point].x.to_numpy()
        ys[is_point] = single[is_point].y.to_numpy()
        src = CRS.from_user_input(file_crs)
        if src.is_geographic:
            location = LocationInput(
                "latlon", pd.Series(ys), pd.Series(xs), None, ("geometry", "geometry"), pre
            )
        else:
            location = LocationInput(
                "xy", pd.Series(xs), pd.Series(ys), src, ("geometry", "geometry"), pre
            )
    else:
        addresses = address_columns(header) if geocoder is not None else None
        loc = _location_columns(match, header, path, addresses=addresses is not None)
        src_crs = _parse_crs_option(crs) if loc is not None and loc.mode == "xy" else None
        location = _located_by(raw, loc, src_crs, geocoder=geocoder, addresses=addresses)
    build = _build(kind)
    chunk = build(raw, rows=rows, fields=match.fields, location=location, ctx=ctx)  # type: ignore[operator]
    return iter([chunk])


def read_polisen(
    path: Path, *, kind: Kind, ctx: Context, geocoder: AddressGeocoder | None = None
) -> Iterator[Chunk]:
    """Read a Polisen events JSON file as one chunk (row numbers are event numbers, 1-based).

    With a ``geocoder`` that reads texts (a :class:`~hotspots.io.addresses.TextStreetGeocoder`),
    an event whose summary or body names one street of its municipality, unambiguously, is
    placed on that street at precision ``street_text`` (see :mod:`hotspots.io.polisen`); the
    others keep the municipality's centroid.
    """
    if kind != "incidents":
        msg = f"{path}: Polisen events are incidents; use --kind incidents"
        raise InputSchemaError(msg)
    events = read_events(path)
    raw = pd.DataFrame(
        {
            "id": events["id"],
            "name": event_times(events["name"], events["datetime"]),
            "type": events["type"],
            "summary": events["summary"],
            "datetime": events["datetime"],
            "url": events["url"],
        }
    )
    fields = {"id": "id", "occurred_at": "name", "category": "type", "description": "summary"}
    location = LocationInput(
        "latlon", events["lat"], events["lon"], None, ("location.gps", "location.gps")
    )
    if isinstance(geocoder, TextStreetGeocoder):
        location = dataclasses.replace(location, address=_named_streets(events, geocoder))
    rows = np.arange(1, len(raw) + 1, dtype=np.int64)
    return iter([build_incidents(raw, rows=rows, fields=fields, location=location, ctx=ctx)])


def _named_streets(events: pd.DataFrame, geocoder: TextStreetGeocoder) -> AddressLocation:
    """The events placed on the one street their text names (the rest keep their centroid)."""
    found = geocoder.streets_in_texts(
        [events["summary"], events["body"]], municipality=events["location"]
    )
    x = found["x"].to_numpy(dtype=float)
    y = found["y"].to_numpy(dtype=float)
    use = np.isfinite(x) & np.isfinite(y)
    n = len(events)
    return AddressLocation(
        use=use,
        x=x,
        y=y,
        precision=np.where(use, STREET_TEXT, None).astype(object),
        reason=np.full(n, None, dtype=object),
        crs=geocoder.crs,
        column="summary",
        values=events["summary"].reset_index(drop=True).astype("string"),
    )
