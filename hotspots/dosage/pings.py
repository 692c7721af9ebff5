"""GPS pings of patrol units: GPX, CSV or GeoJSON in, a validated ping frame plus rejects out.

A ping is one position of one unit at one time. Files:

* **GPX** (``.gpx``, read with gpxpy): every track point with a time; the unit is the track's
  name (or the file's), unless ``unit`` is given.
* **CSV** (any separator, UTF-8 or Windows-1252, as incident files): a unit column (``unit``,
  ``enhet``, ``patrull``, ``anrop``, ``fordon`` ...), optionally an officer column
  (``officer``, ``polis``, ``tjänstenummer`` ...), a time column (``time``, ``tid``,
  ``tidpunkt``, ``timestamp`` ...) and either ``lat``/``lon`` (WGS84 degrees) or ``x``/``y``
  (metres of ``crs``, EPSG:3006 by default).
* **GeoJSON**: a FeatureCollection of Points (longitude, latitude) with the same properties.

Every row ends up either in the frame or in the rejects (``row, column, value, reason``, one
line per problem; ``row`` is the spreadsheet row of a CSV, where the header is row 1, and
the number of the track point or feature, from 1, in GPX and GeoJSON). A row is rejected for
an empty unit, an empty or unreadable time, a time without a clock time (a ping needs the
minute), a time in the future, a missing, unreadable or out-of-area location, and for
repeating the unit and time of an earlier row of the file (the first is kept). A file that
cannot be read as a whole raises :class:`~hotspots.core.errors.InputFileError` naming it.

Unit and officer ids are replaced by keyed pseudonyms (:mod:`hotspots.dosage.pseudonym`)
before anything leaves this module; the rejects never repeat an id either (the only problem
an id can have is being empty).

The frame (:data:`PING_COLUMNS`) holds ``unit`` and ``officer`` pseudonyms, ``t_ms`` (UTC
milliseconds since 1970, int64) and ``x``/``y`` metres in the metric CRS (EPSG:3006).
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from pyproj import CRS

from hotspots.core.errors import InputFileError, InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.dosage.pseudonym import PseudonymKey, pseudonymise
from hotspots.io._location import SWEREF, TargetCRS, locate
from hotspots.io._text import TextLayout, is_binary, sniff_text
from hotspots.io._times import parse_times
from hotspots.spatial.crs import check_metric, parse_crs

__all__ = [
    "FORMATS",
    "PING_COLUMNS",
    "REJECT_COLUMNS",
    "PingReading",
    "detect_format",
    "empty_pings",
    "read_pings",
    "times_local",
]

Format = Literal["auto", "gpx", "csv", "geojson"]
FORMATS: tuple[str, ...] = ("auto", "gpx", "csv", "geojson")
#: Columns of a ping frame.
PING_COLUMNS: tuple[str, ...] = ("unit", "officer", "t_ms", "x", "y")
#: Columns of a rejects table (as for incidents).
REJECT_COLUMNS: tuple[str, ...] = ("row", "column", "value", "reason")
#: Tolerance before a time counts as in the future (clock skew).
FUTURE_TOLERANCE = pd.Timedelta(minutes=10)

#: Column names recognised for each field (compared folded: lower case, no accents, letters
#: and digits only).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "unit": (
        "unit", "unitid", "enhet", "patrull", "patrol", "patrolunit", "anrop",
        "anropssignal", "callsign", "vehicle", "fordon", "device", "deviceid", "tracker",
        "radio", "resurs",
    ),
    "officer": (
        "officer", "officerid", "polis", "tjansteman", "tjanstenummer", "person", "personid",
        "user", "anvandare",
    ),
    "time": (
        "time", "timestamp", "datetime", "tid", "tidpunkt", "tidsstampel", "datumtid",
        "recordedat", "gpstime", "utc", "date",
    ),
    "lat": ("lat", "latitude", "breddgrad"),
    "lon": ("lon", "lng", "long", "longitude", "langdgrad"),
    "x": ("x", "easting", "e", "east", "ost"),
    "y": ("y", "northing", "n", "north", "nord"),
}  # fmt: skip
_NOT_ALNUM = re.compile(r"[^a-z0-9]")


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub("", text.lower())


def _match_fields(header: Iterable[str]) -> dict[str, str]:
    """Field -> column name as written, for the columns of ``header`` that are recognised."""
    folded = {_fold(h): h for h in reversed(list(header))}  # the first of equal names wins
    out: dict[str, str] = {}
    for fld, names in FIELD_NAMES.items():
        for name in names:
            if name in folded:
                out[fld] = folded[name]
                break
    return out


@dataclass(frozen=True, slots=True)
class PingReading:
    """A ping file, validated.

    Attributes
    ----------
    pings
        Accepted pings, columns :data:`PING_COLUMNS`, in file order.
    rejects
        One line per problem: ``row``, ``column``, ``value``, ``reason``.
    rows_read
        Data rows (track points, features) in the file.
    rejected
        Rows with at least one problem; ``rows_read == len(pings) + rejected``.
    fmt
        ``gpx``, ``csv`` or ``geojson``.
    delimiter
        The CSV separator (``","`` for the other formats).
    crs
        The metric CRS of ``x``/``y``.
    """

    pings: pd.DataFrame
    rejects: pd.DataFrame
    rows_read: int
    rejected: int
    fmt: str
    delimiter: str
    crs: CRS


def empty_pings() -> pd.DataFrame:
    """A ping frame without rows."""
    return pd.DataFrame(
        {
            "unit": pd.Series(dtype=object),
            "officer": pd.Series(dtype=object),
            "t_ms": pd.Series(dtype="int64"),
            "x": pd.Series(dtype="float64"),
            "y": pd.Series(dtype="float64"),
        }
    )


def times_local(t_ms: np.ndarray | pd.Series) -> pd.DatetimeIndex:
    """UTC milliseconds as Europe/Stockholm timestamps."""
    values = np.asarray(t_ms, dtype="int64")
    return pd.DatetimeIndex(pd.to_datetime(values, unit="ms", utc=True)).tz_convert(TIMEZONE)


def detect_format(path: Path) -> str:
    """``gpx``, ``csv`` or ``geojson`` from the suffix, else from the first bytes."""
    suffix = path.suffix.lower()
    if suffix == ".gpx":
        return "gpx"
    if suffix in (".geojson", ".json"):
        return "geojson"
    if suffix in (".csv", ".txt", ".tsv"):
        return "csv"
    with path.open("rb") as fh:
        head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<gpx")):
        return "gpx"
    if head.startswith(b"{"):
        return "geojson"
    return "csv"


# ---------------------------------------------------------------------------------------------
# readers: a raw table (strings or numbers), its row numbers and its recognised fields


@dataclass(frozen=True, slots=True)
class _Raw:
    table: pd.DataFrame
    rows: np.ndarray
    fields: dict[str, str]
    delimiter: str = ","
    xy_crs: CRS | None = None
    line_rejects: pd.DataFrame | None = None  # rows the reader could not split into fields


def _read_gpx(path: Path) -> _Raw:
    import gpxpy  # noqa: PLC0415 (only GPX files need it)
    import gpxpy.gpx  # noqa: PLC0415 - as above

    head = path.read_bytes()[:4096]
    if is_binary(head):
        raise InputFileError(path, "is not a GPX file (binary content)")
    try:
        with path.open(encoding="utf-8-sig", errors="strict") as fh:
            gpx = gpxpy.parse(fh)
    except (gpxpy.gpx.GPXException, ValueError, UnicodeDecodeError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise InputFileError(path, f"is not a readable GPX file ({first})") from exc
    units: list[object] = []
    times: list[object] = []
    lats: list[float] = []
    lons: list[float] = []
    for track in gpx.tracks:
        name = (track.name or gpx.name or "").strip() or None
        for segment in track.segments:
            for point in segment.points:
                units.append(name)
                times.append(point.time)
                lats.append(point.latitude)
                lons.append(point.longitude)
    if not units:
        raise InputFileError(path, "holds no track points (<trkpt>); give a GPX track log")
    # gpxpy gives aware datetimes (UTC "Z"); GPX times without an offset are UTC too
    stamps = pd.Series([_gpx_time(t) for t in times], dtype="string")
    table = pd.DataFrame(
        {"track": pd.Series(units, dtype="string"), "time": stamps, "lat": lats, "lon": lons}
    )
    rows = np.arange(1, len(table) + 1, dtype=np.int64)
    return _Raw(table, rows, {"unit": "track", "time": "time", "lat": "lat", "lon": "lon"})


def _gpx_time(value: object) -> str | None:
    if value is None:
        return None
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return (stamp if stamp.tzinfo is not None else stamp.tz_localize("UTC")).isoformat()


def _read_csv_fast(
    path: Path, layout: TextLayout
) -> tuple[pd.DataFrame, np.ndarray, list[tuple[int, int]]] | None:
    """The table, its spreadsheet rows and the lines of a wrong field count, by Arrow's parser.

    Lines that do not split into the header's number of fields are skipped and returned as
    ``(row, fields)``; blank lines are dropped. ``None`` when Arrow cannot read the file (the
    slow reader then tries).
    """
    header = list(layout.header)
    bad: list[tuple[int, int]] = []

    def invalid(row: pacsv.InvalidRow) -> str:
        bad.append((int(row.number), int(row.actual_columns)))  # the file's line number
        return "skip"

    encoding = "utf8" if layout.encoding in ("utf-8", "utf-8-sig") else layout.encoding
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                skip_rows=layout.skip_lines + 1,
                column_names=[f"c{i}" for i in range(len(header))],
                encoding=encoding,
                use_threads=False,  # the invalid rows then come with their line numbers
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=layout.delimiter,
                invalid_row_handler=invalid,
                ignore_empty_lines=False,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(len(header))},
                strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, TypeError, ValueError):
        return None
    frame = table.to_pandas(types_mapper=lambda _: pd.StringDtype())
    frame.columns = pd.Index(header)
    bad_rows = {r for r, _ in bad}
    first = layout.skip_lines + 2  # line of the first data row, as the incident readers count
    rows = np.setdiff1d(
        np.arange(first, first + len(frame) + len(bad), dtype=np.int64),
        np.fromiter(bad_rows, dtype=np.int64, count=len(bad_rows)),
        assume_unique=True,
    )
    if len(rows) != len(frame):  # line numbers unknown: let the slow reader count
        return None
    blank = np.ones(len(frame), dtype=bool)
    for col in frame.columns:
        blank &= (frame[col].str.strip() == "").to_numpy(dtype=bool)
    if blank.any():
        frame, rows = frame[~blank].reset_index(drop=True), rows[~blank]
    return frame, rows, sorted(bad)


def _read_csv(path: Path) -> _Raw:
    layout = sniff_text(path)
    header = list(layout.header)
    n_cols = len(header)
    if len(set(header)) != n_cols:
        dup = sorted({h for h in header if header.count(h) > 1})
        raise InputFileError(path, f"repeats the column name(s) {', '.join(dup)}")
    fields = _match_fields(header)
    fast = _read_csv_fast(path, layout)
    if fast is not None:
        table, row_arr, short = fast
        if not len(table) and not short:
            raise InputFileError(path, "has a header but no data rows")
        return _Raw(
            table,
            row_arr,
            fields,
            delimiter=layout.delimiter,
            line_rejects=_line_rejects(short, n_cols),
        )
    columns: list[list[str]] = [[] for _ in header]
    rows: list[int] = []
    bad_rows: list[tuple[int, int]] = []
    try:
        with path.open(encoding=layout.encoding, newline="") as fh:
            for _ in range(layout.skip_lines + 1):
                fh.readline()
            reader = csv.reader(fh, delimiter=layout.delimiter)
            row_no = layout.skip_lines + 1
            for fields_ in reader:
                row_no += 1
                if not fields_ or all(not f.strip() for f in fields_):
                    continue  # blank line
                if len(fields_) != n_cols:
                    bad_rows.append((row_no, len(fields_)))
                    continue
                rows.append(row_no)
                for col, value in zip(columns, fields_, strict=True):
                    col.append(value)
    except (csv.Error, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"cannot be read as CSV ({exc})") from exc
    if not rows and not bad_rows:
        raise InputFileError(path, "has a header but no data rows")
    table = pd.DataFrame(
        {h: pd.Series(col, dtype="string") for h, col in zip(header, columns, strict=True)}
    )
    return _Raw(
        table,
        np.asarray(rows, dtype=np.int64),
        fields,
        delimiter=layout.delimiter,
        line_rejects=_line_rejects(bad_rows, n_cols),
    )


def _line_rejects(bad_rows: list[tuple[int, int]], n_cols: int) -> pd.DataFrame | None:
    if not bad_rows:
        return None
    return pd.DataFrame(
        {
            "row": [r for r, _ in bad_rows],
            "column": "",
            "value": "",
            "reason": [f"has {k} fields; the header has {n_cols}" for _, k in bad_rows],
        }
    )


def _read_geojson(path: Path) -> _Raw:
    head = path.read_bytes()[:4096]
    if is_binary(head):
        raise InputFileError(path, "is not a GeoJSON file (binary content)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"is not readable JSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InputFileError(path, "is not a GeoJSON FeatureCollection")
    features = doc.get("features")
    if not isinstance(features, list) or not features:
        raise InputFileError(path, "holds no features")
    crs_name = ((doc.get("crs") or {}).get("properties") or {}).get("name")
    props: list[Mapping[str, Any]] = []
    a: list[object] = []
    b: list[object] = []
    pre: list[str | None] = []
    for item in features:
        feat = item if isinstance(item, dict) else {}
        p = feat.get("properties")
        props.append(p if isinstance(p, dict) else {})
        geom = feat.get("geometry")
        coords = geom.get("coordinates") if isinstance(geom, dict) else None
        if not isinstance(geom, dict) or geom.get("type") != "Point":
            kind = geom.get("type") if isinstance(geom, dict) else "none"
            pre.append(f"geometry is {kind}, not a Point")
            a.append(None)
            b.append(None)
        elif not isinstance(coords, list) or len(coords) < 2:
            pre.append("geometry has no coordinates")
            a.append(None)
            b.append(None)
        else:
            pre.append(None)
            a.append(coords[0])
            b.append(coords[1])
    keys: list[str] = []
    for p in props:
        keys.extend(k for k in p if k not in keys)
    table = pd.DataFrame(
        {k: pd.Series([_cell(p.get(k)) for p in props], dtype="string") for k in keys}
    )
    fields = {f: c for f, c in _match_fields(keys).items() if f in ("unit", "officer", "time")}
    table["__a"] = pd.Series([_cell(v) for v in a], dtype="string")
    table["__b"] = pd.Series([_cell(v) for v in b], dtype="string")
    table["__geometry"] = pd.Series(pre, dtype="string")
    fields["x"], fields["y"] = "__a", "__b"
    xy_crs = parse_crs(crs_name, argument=f"{path} crs") if crs_name else CRS.from_epsg(4326)
    return _Raw(table, np.arange(1, len(table) + 1, dtype=np.int64), fields, xy_crs=xy_crs)


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return str(value)


# ---------------------------------------------------------------------------------------------
# validation


class _Problems:
    def __init__(self, rows: np.ndarray) -> None:
        self.rows = rows
        self.bad = np.zeros(len(rows), dtype=bool)
        self.parts: list[pd.DataFrame] = []

    def add(self, mask: np.ndarray, column: str, reason: str | np.ndarray, values: Any) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        if isinstance(values, pd.Series):
            vals = values.reset_index(drop=True)[mask].astype("string").fillna("").to_numpy()
        elif isinstance(values, np.ndarray):
            vals = pd.Series(values[mask]).astype("string").fillna("").to_numpy()
        else:
            vals = np.full(int(mask.sum()), "" if values is None else str(values), dtype=object)
        why = reason[mask] if isinstance(reason, np.ndarray) else reason
        self.parts.append(
            pd.DataFrame({"row": self.rows[mask], "column": column, "value": vals, "reason": why})
        )
        self.bad |= mask

    def frame(self, extra: pd.DataFrame | None = None) -> pd.DataFrame:
        parts = [p for p in [*self.parts, extra] if p is not None and len(p)]
        if not parts:
            return pd.DataFrame(
                {
                    "row": pd.Series(dtype="int64"),
                    "column": pd.Series(dtype="string"),
                    "value": pd.Series(dtype="string"),
                    "reason": pd.Series(dtype="string"),
                }
            )
        out = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")
        return out.reset_index(drop=True).astype(
            {"row": "int64", "column": "string", "value": "string", "reason": "string"}
        )


def _text(table: pd.DataFrame, col: str | None, n: int) -> pd.Series:
    if col is None or col not in table:
        return pd.Series([pd.NA] * n, dtype="string")
    out = table[col].astype("string").str.strip().reset_index(drop=True)
    return out.where(out != "", pd.NA)


def _validate(
    raw: _Raw,
    path: Path,
    *,
    key: PseudonymKey,
    unit: str | None,
    crs: CRS | None,
    metric_crs: CRS,
    now: pd.Timestamp,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    table, fields = raw.table, raw.fields
    n = len(table)
    problems = _Problems(raw.rows)
    if unit is None and "unit" not in fields:
        names = ", ".join(FIELD_NAMES["unit"][:6])
        raise InputFileError(
            path, f"has no unit column (tried {names}, ...); give --unit NAME for a single unit"
        )
    if "time" not in fields:
        raise InputFileError(
            path, f"has no time column (tried {', '.join(FIELD_NAMES['time'][:6])}, ...)"
        )
    has_latlon = "lat" in fields and "lon" in fields
    has_xy = "x" in fields and "y" in fields
    if not (has_latlon or has_xy):
        raise InputFileError(path, "has no location columns; give lat and lon, or x and y")
    # pre-read problems (GeoJSON geometry that is not a point)
    if "__geometry" in table:
        pre = table["__geometry"].to_numpy(dtype=object)
        has = ~pd.isna(pre)
        problems.add(has, "geometry", np.where(has, pre, ""), "")
    # unit and officer
    if unit is not None:
        unit_text = pd.Series([unit] * n, dtype="string")
    else:
        unit_text = _text(table, fields["unit"], n)
    unit_col = "--unit" if unit is not None else fields["unit"]
    no_unit = unit_text.isna().to_numpy()
    problems.add(no_unit, unit_col, "unit is empty (give --unit NAME for a file of one unit)", "")
    officer_text = _text(table, fields.get("officer"), n)
    # time
    time_col = fields["time"]
    time_text = _text(table, time_col, n)
    parsed = parse_times(time_text.fillna(""))
    empty_t = np.asarray(parsed.empty, dtype=bool)
    bad_t = np.asarray(parsed.bad, dtype=bool)
    problems.add(empty_t, time_col, "time is empty", time_text)
    problems.add(
        bad_t & ~empty_t,
        time_col,
        "time is not a date and time (write e.g. 2026-12-03 21:15:07)",
        time_text,
    )
    coarse = (parsed.precision != "exact") & ~empty_t & ~bad_t
    problems.add(
        coarse, time_col, "time has no clock time; a ping needs date, hour and minute", time_text
    )
    start = parsed.start
    future = np.asarray(start > now + FUTURE_TOLERANCE, dtype=bool) & ~pd.isna(start)
    problems.add(future, time_col, f"time is in the future (after {now:%Y-%m-%d %H:%M})", time_text)
    # location
    target = TargetCRS(crs=metric_crs)
    if has_latlon and not (has_xy and crs is not None):
        names = (fields["lat"], fields["lon"])
        a, b = _text(table, names[0], n), _text(table, names[1], n)
        loc = locate(a, b, mode="latlon", src_crs=None, target=target, names=names)
        cols = (names[0], names[1])
    else:
        names = (fields["x"], fields["y"])
        a, b = _text(table, names[0], n), _text(table, names[1], n)
        src = crs or raw.xy_crs or SWEREF
        loc = locate(a, b, mode="xy", src_crs=src, target=target, names=names)
        shown = tuple("x" if c == "__a" else "y" if c == "__b" else c for c in names)
        cols = (shown[0], shown[1])
    failed = np.asarray(loc.failed, dtype=bool)
    given = np.where(failed, (a.fillna("") + " " + b.fillna("")).to_numpy(dtype=object), "")
    problems.add(failed, f"{cols[0]}/{cols[1]}", np.where(failed, loc.reason, ""), given)
    # repeated unit and time: the first row is kept
    ok = ~problems.bad
    unit_ps = np.full(n, None, dtype=object)
    if ok.any():
        unit_ps[ok] = pseudonymise(unit_text[ok].to_numpy(dtype=str), key, kind="unit")
    t_ms = np.zeros(n, dtype=np.int64)
    if ok.any():
        t_ms[ok] = start[ok].tz_convert("UTC").as_unit("ms").asi8
    ok_idx = np.flatnonzero(ok)
    seen = pd.DataFrame({"u": unit_ps[ok_idx], "t": t_ms[ok_idx], "row": raw.rows[ok_idx]})
    first = seen.groupby(["u", "t"], sort=False)["row"].transform("first").to_numpy()
    repeat = first != seen["row"].to_numpy()
    if repeat.any():
        dup = np.zeros(n, dtype=bool)
        dup[ok_idx[repeat]] = True
        why = np.full(n, "", dtype=object)
        why[ok_idx[repeat]] = [f"repeats the unit and time of row {int(r)}" for r in first[repeat]]
        problems.add(dup, time_col, why, time_text)
    keep = ~problems.bad
    officer_ps = np.full(int(keep.sum()), None, dtype=object)
    off = officer_text[keep]
    has_off = off.notna().to_numpy()
    if has_off.any():
        officer_ps[has_off] = pseudonymise(off[has_off].to_numpy(dtype=str), key, kind="officer")
    pings = pd.DataFrame(
        {
            "unit": unit_ps[keep],
            "officer": officer_ps,
            "t_ms": t_ms[keep],
            "x": loc.x[keep],
            "y": loc.y[keep],
        }
    ).astype({"t_ms": "int64", "x": "float64", "y": "float64"})
    rejects = problems.frame(raw.line_rejects)
    return pings, rejects


def read_pings(
    path: Path,
    *,
    key: PseudonymKey,
    fmt: Format | str = "auto",
    unit: str | None = None,
    crs: str | None = None,
    metric_crs: str = "EPSG:3006",
    now: pd.Timestamp | None = None,
) -> PingReading:
    """Read and validate a ping file; ids are pseudonymised with ``key``.

    Parameters
    ----------
    path
        GPX, CSV or GeoJSON file.
    key
        The pseudonymisation key.
    fmt
        ``auto`` (from the suffix or the content), ``gpx``, ``csv`` or ``geojson``.
    unit
        Unit id for every ping (a file of one unit without a unit column, or to override
        GPX track names).
    crs
        CRS of ``x``/``y`` columns (default EPSG:3006; WGS84 for GeoJSON).
    metric_crs
        The metric CRS of the result (metres).
    now
        Current time; later pings are rejected. Default the wall clock.

    Returns
    -------
    PingReading
        Accepted pings, rejects and counts.

    Raises
    ------
    InputFileError
        When the file is missing, binary, not valid GPX/JSON, has no data rows, or lacks a
        unit (without ``unit``), time or location column.
    InputSchemaError
        For an unknown ``fmt``.
    """
    path = Path(path)
    if fmt not in FORMATS:
        msg = f"--format: {fmt!r} is not a track format; use one of {', '.join(FORMATS)}"
        raise InputSchemaError(msg)
    if not path.is_file():
        raise InputFileError(path, "file not found" if not path.exists() else "is not a file")
    if path.stat().st_size == 0:
        raise InputFileError(path, "the file is empty")
    resolved = detect_format(path) if fmt == "auto" else str(fmt)
    if resolved == "gpx":
        raw = _read_gpx(path)
    elif resolved == "geojson":
        raw = _read_geojson(path)
    else:
        raw = _read_csv(path)
    metric = check_metric(metric_crs, argument="metric_crs")
    src = parse_crs(crs) if crs is not None else None
    clock = (now if now is not None else pd.Timestamp.now(tz=TIMEZONE)).tz_convert(TIMEZONE)
    unit_given = unit.strip() if unit is not None and unit.strip() else None
    pings, rejects = _validate(
        raw, path, key=key, unit=unit_given, crs=src, metric_crs=metric, now=clock
    )
    rows_read = len(raw.table) + (len(raw.line_rejects) if raw.line_rejects is not None else 0)
    rejected = int(rejects["row"].nunique()) if len(rejects) else 0
    return PingReading(
        pings=pings,
        rejects=rejects,
        rows_read=rows_read,
        rejected=rejected,
        fmt=resolved,
        delimiter=raw.delimiter,
        crs=metric,
    )
