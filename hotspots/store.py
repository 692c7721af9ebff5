"""The GeoPackage store: layers ``incidents``, ``survey``, ``actions`` and ``imports``.

One SQLite file that QGIS and GDAL open as a GeoPackage (1.3), written directly with
:mod:`sqlite3` so that an import is a single transaction: rows are upserted by ``id`` (a row
whose content is unchanged is left alone), and a failure half-way rolls everything back.
Geometries are GeoPackage binary points (no envelope) in the store's metric CRS: EPSG:3006 for
Swedish data. A store created from foreign data (e.g. police.uk) keeps the UTM zone of that
data; rows that lie outside the store's CRS are rejected on import (use another ``--db``).

Times are stored as GeoPackage DATETIME text in UTC (``2026-03-14T21:15:00.000Z``) and read
back as Europe/Stockholm timestamps; dates as DATE text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from pyproj import CRS

from hotspots._errors import CRSError, InputFileError, InputSchemaError
from hotspots.crs import DEFAULT_METRIC_CRS, check_metric
from hotspots.schema import INCIDENT_COLUMNS, SURVEY_COLUMNS, TIMEZONE

__all__ = [
    "ACTION_COLUMNS",
    "IMPORT_COLUMNS",
    "LAYERS",
    "Store",
    "StoreImport",
    "UpsertCounts",
]

logger = logging.getLogger(__name__)

_APPLICATION_ID = 0x47504B47  # "GPKG"
_USER_VERSION = 10300  # GeoPackage 1.3.0

#: column -> pandas dtype of the ``actions`` layer (besides ``geometry``).
ACTION_COLUMNS: dict[str, str] = {
    "id": "string",
    "place_kind": "string",  # hotspot, district, place, road, ...
    "place_ref": "string",  # e.g. hotspot rank, district or place name
    "date": "datetime64[ns]",
    "problem": "string",
    "actor": "string",
    "action": "string",
    "follow_up": "string",  # free text or an ISO date
    "status": "string",
    "note": "string",
    "created": "string",  # local time the action was logged, YYYY-MM-DDTHH:MM
    "updated": "string",  # local time of the last change, YYYY-MM-DDTHH:MM
    "closed": "string",  # ISO date the action was closed, or empty while open
}

#: column -> pandas dtype of the ``imports`` table (provenance, no geometry).
IMPORT_COLUMNS: dict[str, str] = {
    "file_name": "string",
    "path": "string",
    "sha256": "string",
    "kind": "string",
    "format": "string",
    "imported_at": f"datetime64[ns, {TIMEZONE}]",
    "rows_read": "int64",
    "accepted": "int64",
    "inserted": "int64",
    "updated": "int64",
    "unchanged": "int64",
    "rejected": "int64",
    "rejects_path": "string",
    "crs": "string",
}

_SPATIAL: dict[str, dict[str, str]] = {
    "incidents": INCIDENT_COLUMNS,
    "survey": SURVEY_COLUMNS,
    "actions": ACTION_COLUMNS,
}
#: Every layer of the store.
LAYERS: tuple[str, ...] = ("incidents", "survey", "actions", "imports")


class UpsertCounts(NamedTuple):
    """What an upsert did, counted over distinct ids."""

    inserted: int
    updated: int
    unchanged: int

    def __add__(self, other: object) -> UpsertCounts:  # type: ignore[override]
        if not isinstance(other, UpsertCounts):
            return NotImplemented
        return UpsertCounts(
            self.inserted + other.inserted,
            self.updated + other.updated,
            self.unchanged + other.unchanged,
        )


def _table_columns(con: sqlite3.Connection, name: str) -> set[str]:
    """The columns a table of the store has."""
    return {str(row[1]) for row in con.execute(f'PRAGMA table_info("{name}")')}


def _add_missing_columns(con: sqlite3.Connection, name: str, columns: Mapping[str, str]) -> None:
    """Add the columns a store written by an earlier version lacks (inside a transaction)."""
    present = _table_columns(con, name)
    for col, dtype in columns.items():
        if col not in present:
            con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{col}" {_sql_type(dtype)}')


def _sql_type(dtype: str) -> str:
    if dtype.startswith("datetime64[ns,"):
        return "DATETIME"
    if dtype.startswith("datetime64"):
        return "DATE"
    if dtype == "int64":
        return "INTEGER"
    if dtype == "float64":
        return "REAL"
    return "TEXT"


def _now_text() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# --- GeoPackage binary geometry -----------------------------------------------------------

_POINT_DTYPE = np.dtype(
    [
        ("magic", "S2"),
        ("version", "u1"),
        ("flags", "u1"),
        ("srs_id", "<i4"),
        ("byte_order", "u1"),
        ("wkb_type", "<u4"),
        ("x", "<f8"),
        ("y", "<f8"),
    ]
)
_POINT_SIZE = _POINT_DTYPE.itemsize  # 29 bytes
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def encode_points(x: np.ndarray, y: np.ndarray, srs_id: int) -> list[bytes]:
    """GeoPackage binary blobs (little endian, no envelope) of 2-D points."""
    n = len(x)
    arr = np.zeros(n, dtype=_POINT_DTYPE)
    arr["magic"] = b"GP"
    arr["flags"] = 0x01  # little endian, no envelope, not empty
    arr["srs_id"] = srs_id
    arr["byte_order"] = 1
    arr["wkb_type"] = 1
    arr["x"] = x
    arr["y"] = y
    buf = arr.tobytes()
    return [buf[i : i + _POINT_SIZE] for i in range(0, n * _POINT_SIZE, _POINT_SIZE)]


def decode_points(blobs: list[bytes | None]) -> np.ndarray:
    """Decode GeoPackage blobs to a shapely geometry array (fast path for plain points)."""
    n = len(blobs)
    if n and all(b is not None and len(b) == _POINT_SIZE and b[3] == 0x01 for b in blobs):
        arr = np.frombuffer(b"".join(blobs), dtype=_POINT_DTYPE)  # type: ignore[arg-type]
        if (arr["wkb_type"] == 1).all():
            return shapely.points(arr["x"], arr["y"])
    wkbs: list[bytes | None] = []
    for blob in blobs:
        if blob is None:
            wkbs.append(None)
            continue
        flags = blob[3]
        env = _ENVELOPE_BYTES.get((flags >> 1) & 0x07, 0)
        wkbs.append(bytes(blob[8 + env :]) if not (flags & 0x10) else None)
    return shapely.from_wkb(np.asarray(wkbs, dtype=object))


def _register_spatial_functions(con: sqlite3.Connection) -> None:
    """The SQL functions that GeoPackage R-tree triggers call (ST_IsEmpty, ST_MinX, ...).

    GDAL and QGIS add such triggers when they build a spatial index; without these functions
    our own inserts would then fail.
    """

    def _bound(blob: bytes | None, which: int) -> float | None:
        if blob is None or len(blob) < 8 or blob[3] & 0x10:
            return None
        geom = decode_points([blob])[0]
        return None if geom is None or geom.is_empty else float(geom.bounds[which])

    def _is_empty(blob: bytes | None) -> int | None:
        if blob is None:
            return None
        return int(bool(blob[3] & 0x10) or bool(decode_points([blob])[0].is_empty))

    con.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    con.create_function("ST_MinX", 1, lambda b: _bound(b, 0), deterministic=True)
    con.create_function("ST_MinY", 1, lambda b: _bound(b, 1), deterministic=True)
    con.create_function("ST_MaxX", 1, lambda b: _bound(b, 2), deterministic=True)
    con.create_function("ST_MaxY", 1, lambda b: _bound(b, 3), deterministic=True)


# --- value conversion -----------------------------------------------------------------------


def _datetime_texts(values: pd.Series) -> list[str | None]:
    idx = pd.DatetimeIndex(values)
    if idx.tz is None:
        idx = idx.tz_localize(TIMEZONE)
    utc = idx.tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[ms]")
    nat = np.isnat(utc)
    if nat.all():
        return [None] * len(utc)
    return list(_iso_ms_texts(utc, nat).to_numpy(zero_copy_only=False))


def _digits(buf: np.ndarray, col: int, values: np.ndarray, width: int) -> None:
    """Write ``values`` as zero-padded decimal digits into ``buf[:, col:col + width]``."""
    for k in range(width - 1, -1, -1):
        buf[:, col + k] = 48 + values % 10
        values = values // 10


def _iso_ms_texts(utc: np.ndarray, nat: np.ndarray) -> pa.StringArray:
    """``YYYY-MM-DDTHH:MM:SS.mmmZ`` of UTC times (null where ``nat``), as one Arrow buffer.

    Several times faster than ``numpy.datetime_as_string`` plus string concatenation; years
    outside 0..9999 take the slow path.
    """
    filled = np.where(nat, np.datetime64(0, "ms"), utc)
    days = filled.astype("datetime64[D]")
    years = days.astype("datetime64[Y]")
    year = years.astype(np.int64) + 1970
    if ((year < 0) | (year > 9999)).any():
        text = np.char.add(np.datetime_as_string(utc, unit="ms"), "Z").astype(object)
        text[nat] = None
        return pa.array(text, type=pa.string())
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    ms = (filled - days).astype(np.int64)
    n = len(utc)
    buf = np.empty((n, 24), dtype=np.uint8)
    buf[:] = np.frombuffer(b"0000-00-00T00:00:00.000Z", dtype=np.uint8)
    _digits(buf, 0, year, 4)
    _digits(buf, 5, month, 2)
    _digits(buf, 8, day, 2)
    _digits(buf, 11, ms // 3_600_000, 2)
    _digits(buf, 14, ms // 60_000 % 60, 2)
    _digits(buf, 17, ms // 1000 % 60, 2)
    _digits(buf, 20, ms % 1000, 3)
    offsets = np.arange(0, 24 * (n + 1), 24, dtype=np.int32)
    validity = None if not nat.any() else pa.array(~nat).buffers()[1]
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(buf), validity, int(nat.sum())
    )


def _date_texts(values: pd.Series) -> list[str | None]:
    idx = pd.DatetimeIndex(pd.to_datetime(values, errors="coerce"))
    if idx.tz is not None:
        idx = idx.tz_convert(TIMEZONE).tz_localize(None)
    days = idx.to_numpy(dtype="datetime64[D]")
    text = np.datetime_as_string(days, unit="D").astype(object)
    text[np.isnat(days)] = None
    return list(text)


def _column_values(series: pd.Series, dtype: str) -> list[Any]:
    if dtype.startswith("datetime64[ns,"):
        return _datetime_texts(series)
    if dtype.startswith("datetime64"):
        return _date_texts(series)
    if dtype == "int64":
        return [None if pd.isna(v) else int(v) for v in series.tolist()]
    text = series.astype("string").array
    return list(text.to_numpy(dtype=object, na_value=None))


def _parse_column(values: list[Any], dtype: str) -> pd.Series:
    if dtype.startswith("datetime64[ns,"):
        parsed = pd.to_datetime(pd.Series(values, dtype=object), utc=True, format="ISO8601")
        return parsed.dt.tz_convert(TIMEZONE).astype(dtype)
    if dtype.startswith("datetime64"):
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601", errors="coerce")
        if parsed.dt.tz is not None:
            parsed = parsed.dt.tz_convert(TIMEZONE).dt.tz_localize(None)
        return parsed.astype(dtype)
    if dtype == "int64":
        ser = pd.Series(values, dtype="Int64")
        return ser.astype("int64") if not ser.isna().any() else ser
    return pd.Series(values, dtype=dtype)


# --- the store ------------------------------------------------------------------------------


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many row tuples.

    Each chunk creates about a million small objects (tuples, strings) without cycles; the
    collector would rescan them all over again and take most of the time.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _id_index_name(layer: str) -> str:
    return f"{layer}_id_unique"


def _id_index_sql(layer: str) -> str:
    """The unique index on ``id`` (a named index, so a bulk load can build it once)."""
    return f'CREATE UNIQUE INDEX "{_id_index_name(layer)}" ON "{layer}" (id)'


@dataclass
class StoreImport:
    """An open import transaction of :meth:`Store.importing` (use :meth:`add` per chunk).

    Attributes
    ----------
    counts
        Running counts over the chunks added so far.
    """

    _store: Store
    _con: sqlite3.Connection
    _layer: str
    _pending_create: bool = False
    counts: UpsertCounts = UpsertCounts(0, 0, 0)  # noqa: RUF009 - immutable tuple
    #: Ids written by this import when the layer was empty at its start (``None`` otherwise):
    #: then they are all the layer holds, and no id lookup in the file is needed.
    _fresh_ids: set[str] | None = None
    #: A unique id index dropped for a bulk load into an empty layer, rebuilt by ``_finish``.
    _dropped_index: str | None = None
    _started: bool = False

    def _ensure_created(self, crs: object | None) -> None:
        if self._pending_create:
            self._store._create(self._con, self._store._new_crs or Store._crs_of(crs))
            self._pending_create = False

    def _start(self) -> None:
        """On the first chunk: an empty layer is bulk-loaded (index built once at the end)."""
        self._started = True
        con, layer = self._con, self._layer
        if con.execute(f'SELECT 1 FROM "{layer}" LIMIT 1').fetchone() is not None:
            return
        self._fresh_ids = set()
        name = _id_index_name(layer)
        found = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).fetchone()
        if found is not None:  # stores created before the index was named keep their own
            con.execute(f'DROP INDEX "{name}"')
            self._dropped_index = name

    def _finish(self) -> None:
        if self._dropped_index is not None:
            self._con.execute(_id_index_sql(self._layer))
            self._dropped_index = None

    def add(self, frame: gpd.GeoDataFrame) -> UpsertCounts:
        """Upsert one chunk inside the open transaction; returns that chunk's counts.

        A new store takes the CRS of the first chunk.
        """
        self._ensure_created(frame.crs)
        if not self._started:
            self._start()
        got = self._store._upsert(self._con, self._layer, frame, fresh_ids=self._fresh_ids)
        self.counts = self.counts + got
        return got


class Store:
    """The GeoPackage store at ``path`` (default ``data/hotspots.gpkg``).

    Parameters
    ----------
    path
        The GeoPackage file; created on the first write.
    crs
        Metric CRS for a new store; ``None`` takes it from the first frame written (EPSG:3006
        for Swedish data). An existing store keeps the CRS it was created with.
    """

    def __init__(self, path: Path | str, *, crs: object | None = None) -> None:
        self.path = Path(path)
        self._new_crs = check_metric(crs, argument="crs") if crs is not None else None

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- state --------------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the store file exists and holds the store's layers."""
        if not self.path.is_file() or self.path.stat().st_size == 0:
            return False
        try:
            with contextlib.closing(self._connect(readonly=True)) as con:
                names = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
        except sqlite3.DatabaseError:
            return False
        return {"incidents", "survey"} <= names

    def data_version(self) -> str:
        """A token that changes whenever the store's content changes (a cache key).

        Built from the file's modification time (ns) and size: every committed write changes
        it, reads never do. ``"absent"`` when there is no store.
        """
        if not self.path.is_file():
            return "absent"
        st = self.path.stat()
        raw = f"{self.path.resolve()}|{st.st_mtime_ns}|{st.st_size}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]

    def layer_version(self, name: str) -> str:
        """A token that changes whenever layer ``name`` changes (a narrower cache key).

        Built from the layer's ``last_change`` in ``gpkg_contents`` (set by every write to
        it), its row count and largest row id; writes to other layers (the actions log) leave
        it as it is. ``"absent"`` when there is no store.
        """
        self._columns(name)  # an unknown layer is an error, not a silent token
        if not self.path.is_file():
            return "absent"
        with contextlib.closing(self._connect(readonly=True)) as con:
            change = con.execute(
                "SELECT last_change FROM gpkg_contents WHERE table_name = ?", (name,)
            ).fetchone()
            rows = con.execute(f'SELECT count(*), max(fid) FROM "{name}"').fetchone()
        raw = f"{self.path.resolve()}|{name}|{change[0] if change else ''}|{rows[0]}|{rows[1]}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]

    @property
    def crs(self) -> CRS | None:
        """The store's metric CRS, or ``None`` when the store does not exist yet."""
        if not self.exists():
            return None
        with contextlib.closing(self._connect(readonly=True)) as con:
            row = con.execute(
                "SELECT s.organization, s.organization_coordsys_id FROM gpkg_geometry_columns g "
                "JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE g.table_name = ?",
                ("incidents",),
            ).fetchone()
        if row is None:
            return None
        return CRS.from_user_input(f"{row[0]}:{row[1]}")

    # -- reading ------------------------------------------------------------------------------

    def incidents(self) -> gpd.GeoDataFrame:
        """All incidents in the store's CRS (columns: ``hotspots.schema.INCIDENT_COLUMNS``)."""
        return self.read_layer("incidents")  # type: ignore[return-value]

    def survey(self) -> gpd.GeoDataFrame:
        """All survey and dialogue marks, in the store's CRS."""
        return self.read_layer("survey")  # type: ignore[return-value]

    def imports(self) -> pd.DataFrame:
        """The provenance of every import, oldest first."""
        return self.read_layer("imports")

    def read_layer(self, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
        """Read one layer: a GeoDataFrame for incidents/survey/actions, a DataFrame for imports.

        Raises
        ------
        InputSchemaError
            For an unknown layer name.
        InputFileError
            When the store does not exist.
        """
        columns = self._columns(name)
        if not self.exists():
            raise InputFileError(
                self.path,
                "no store here; import data with `hotspots import FILE` or run `hotspots demo`",
            )
        spatial = name in _SPATIAL
        with contextlib.closing(self._connect(readonly=True)) as con:
            present = _table_columns(con, name)
        stored = {c: t for c, t in columns.items() if c in present}
        try:
            frame = self._read_arrow(name, stored, spatial=spatial)
        except Exception:
            logger.debug("reading %s through GDAL failed; falling back to SQL", name)
            frame = self._read_sql(name, stored, spatial=spatial)
        # a store written by an earlier version lacks newer columns: they read as empty
        for col, dtype in columns.items():
            if col not in frame.columns:
                frame[col] = pd.Series(pd.NA, index=frame.index, dtype=dtype)
        cols = [*columns, "geometry"] if spatial else list(columns)
        return frame[cols]

    def _read_arrow(
        self, name: str, columns: dict[str, str], *, spatial: bool
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        """Read a layer through GDAL's Arrow stream (several times faster than row tuples)."""
        import pyogrio  # noqa: PLC0415 - GDAL is only needed for reading

        meta, table = pyogrio.read_arrow(self.path, layer=name, columns=list(columns))
        data: dict[str, pd.Series] = {}
        for col, dtype in columns.items():
            arr = table.column(col)
            if dtype.startswith("datetime64[ns,"):
                ser = pd.Series(arr.to_pandas()).dt.tz_convert(TIMEZONE).astype(dtype)
            elif dtype.startswith("datetime64"):
                ser = pd.to_datetime(pd.Series(arr.to_pandas())).astype(dtype)
            elif dtype == "int64":
                ser = pd.Series(arr.to_pandas())
                ser = ser.astype("int64") if not ser.isna().any() else ser.astype("Int64")
            else:
                ser = pd.Series(arr.to_pandas()).astype(dtype)
            data[col] = ser.reset_index(drop=True)
        frame = pd.DataFrame(data)
        if not spatial:
            return frame
        geom_col = meta.get("geometry_name") or "geom"
        wkb = table.column(geom_col).to_numpy(zero_copy_only=False)
        geoms = shapely.from_wkb(wkb) if len(wkb) else np.array([], dtype=object)
        crs = CRS.from_user_input(meta["crs"])
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)

    def _read_sql(
        self, name: str, columns: dict[str, str], *, spatial: bool
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        cols = list(columns)
        select = ", ".join([f'"{c}"' for c in cols] + (["geom"] if spatial else []))
        with contextlib.closing(self._connect(readonly=True)) as con:
            rows = con.execute(f'SELECT {select} FROM "{name}" ORDER BY fid').fetchall()
            crs = self._layer_crs(con, name) if spatial else None
        data = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(cols) + spatial)]
        frame = pd.DataFrame(
            {c: _parse_column(list(data[i]), columns[c]) for i, c in enumerate(cols)}
        )
        if not spatial:
            return frame
        geoms = decode_points(list(data[-1])) if rows else np.array([], dtype=object)
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)

    # -- writing ------------------------------------------------------------------------------

    def upsert_incidents(
        self, frame: gpd.GeoDataFrame, *, provenance: Mapping[str, Any] | None = None
    ) -> UpsertCounts:
        """Insert or update incidents by ``id`` in one transaction.

        Rows whose content (all columns but ``import_id``) equals the stored row are left
        unchanged. ``provenance`` (file_name, sha256, ...; see :data:`IMPORT_COLUMNS`) adds a
        row to ``imports``.
        """
        with self.importing("incidents", provenance=provenance, crs=frame.crs) as imp:
            imp.add(frame)
        return imp.counts

    def upsert_survey(
        self, frame: gpd.GeoDataFrame, *, provenance: Mapping[str, Any] | None = None
    ) -> UpsertCounts:
        """Insert or update survey marks by ``id`` in one transaction (as for incidents)."""
        with self.importing("survey", provenance=provenance, crs=frame.crs) as imp:
            imp.add(frame)
        return imp.counts

    @contextlib.contextmanager
    def importing(
        self,
        layer: str,
        *,
        provenance: Mapping[str, Any] | None = None,
        crs: object | None = None,
    ) -> Iterator[StoreImport]:
        """One transaction for a whole (possibly chunked) import into ``layer``.

        Everything added inside the ``with`` block, and the provenance row written at its end
        (with the final counts unless given), commits together; an exception rolls it all back
        and, for a store created by this call, removes the file.

        Parameters
        ----------
        layer
            ``incidents`` or ``survey``.
        provenance
            Values for the ``imports`` row; ``None`` writes none.
        crs
            CRS for a new store that receives no rows (default EPSG:3006); a new store takes the
            CRS of the first chunk added; ignored for an existing one.
        """
        if layer not in ("incidents", "survey"):
            msg = f"layer {layer!r} cannot be upserted; use incidents or survey"
            raise InputSchemaError(msg)
        created = not self.exists()
        if created and self.path.exists() and self.path.stat().st_size > 0:
            raise InputFileError(self.path, "exists but is not a hotspots store (GeoPackage)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            imp = StoreImport(self, con, layer, _pending_create=created)
            yield imp
            imp._ensure_created(crs)
            imp._finish()
            if provenance is not None:
                self._write_provenance(con, layer, provenance, imp.counts)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            con.close()
            if created:
                self.path.unlink(missing_ok=True)
            raise
        con.close()

    def write_layer(self, name: str, frame: pd.DataFrame) -> None:
        """Replace a whole layer (e.g. ``actions``) with ``frame`` in one transaction.

        Columns missing from ``frame`` are stored empty; a spatial frame in another CRS is
        reprojected to the store's.
        """
        columns = self._columns(name)
        created = not self.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            if created:
                frame_crs = getattr(frame, "crs", None)
                self._create(con, self._new_crs or self._crs_of(frame_crs))
            _add_missing_columns(con, name, columns)
            con.execute(f'DELETE FROM "{name}"')
            if len(frame):
                if name in _SPATIAL:
                    values, cols = self._rows(con, name, frame)
                else:
                    cols = [c for c in columns if c in frame.columns]
                    values = list(
                        zip(*[_column_values(frame[c], columns[c]) for c in cols], strict=True)
                    )
                marks = ", ".join("?" * len(cols))
                names = ", ".join(f'"{c}"' for c in cols)
                con.executemany(f'INSERT INTO "{name}" ({names}) VALUES ({marks})', values)
            bounds = None
            if name in _SPATIAL and len(frame) and isinstance(frame, gpd.GeoDataFrame):
                bounds = tuple(frame.to_crs(self._layer_crs(con, name)).total_bounds)
            self._touch(con, name, bounds, replace=True)  # type: ignore[arg-type]
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            con.close()
            if created:
                self.path.unlink(missing_ok=True)
            raise
        con.close()

    # -- internals ----------------------------------------------------------------------------

    @staticmethod
    def _columns(name: str) -> dict[str, str]:
        if name in _SPATIAL:
            return _SPATIAL[name]
        if name == "imports":
            return IMPORT_COLUMNS
        msg = f"layer {name!r} does not exist; use one of {', '.join(LAYERS)}"
        raise InputSchemaError(msg)

    @staticmethod
    def _crs_of(crs: object | None) -> CRS:
        return check_metric(crs if crs is not None else DEFAULT_METRIC_CRS, argument="store CRS")

    def _connect(self, *, readonly: bool = False) -> sqlite3.Connection:
        if readonly:
            uri = f"file:{self.path.resolve()}?mode=ro"
            con = sqlite3.connect(uri, uri=True, isolation_level=None)
        else:
            con = sqlite3.connect(self.path, isolation_level=None, timeout=30.0)
            con.execute("PRAGMA cache_size = -262144")  # 256 MiB for large imports
            con.execute("PRAGMA temp_store = MEMORY")  # the upsert's staging table
            _register_spatial_functions(con)
        return con

    @staticmethod
    def _layer_crs(con: sqlite3.Connection, name: str) -> CRS:
        row = con.execute(
            "SELECT s.organization, s.organization_coordsys_id FROM gpkg_geometry_columns g "
            "JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE g.table_name = ?",
            (name,),
        ).fetchone()
        return CRS.from_user_input(f"{row[0]}:{row[1]}")

    def _create(self, con: sqlite3.Connection, crs: CRS) -> None:
        auth = crs.to_authority()
        if auth is None or auth[0].upper() != "EPSG":
            msg = f"the store CRS must have an EPSG code (got {crs.to_string()})"
            raise CRSError(msg)
        srs_id = int(auth[1])
        con.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {_USER_VERSION}")
        ddl = """
            CREATE TABLE gpkg_spatial_ref_sys (
              srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
              organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
              definition TEXT NOT NULL, description TEXT);
            CREATE TABLE gpkg_contents (
              table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
              identifier TEXT UNIQUE, description TEXT DEFAULT '',
              last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
              min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
              CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id)
                REFERENCES gpkg_spatial_ref_sys(srs_id));
            CREATE TABLE gpkg_geometry_columns (
              table_name TEXT NOT NULL, column_name TEXT NOT NULL,
              geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
              z TINYINT NOT NULL, m TINYINT NOT NULL,
              CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
              CONSTRAINT uk_gc_table_name UNIQUE (table_name),
              CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
              CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
            """
        # executescript() would commit: run the statements one by one inside the transaction
        for statement in ddl.split(";"):
            if statement.strip():
                con.execute(statement)
        srs_rows = [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
            (
                "WGS 84 geodetic",
                4326,
                "EPSG",
                4326,
                CRS.from_epsg(4326).to_wkt("WKT1_GDAL"),
                "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
            ),
        ]
        if srs_id != 4326:
            srs_rows.append((crs.name, srs_id, "EPSG", srs_id, crs.to_wkt("WKT1_GDAL"), crs.name))
        con.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", srs_rows)
        for name, columns in _SPATIAL.items():
            defs = ", ".join(
                f'"{c}" {_sql_type(t)}' + (" NOT NULL" if c == "id" else "")
                for c, t in columns.items()
            )
            con.execute(
                f'CREATE TABLE "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, '
                f"geom POINT, {defs})"
            )
            con.execute(_id_index_sql(name))
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES (?, 'features', ?, ?)",
                (name, name, srs_id),
            )
            con.execute(
                "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', ?, 0, 0)",
                (name, srs_id),
            )
        defs = ", ".join(f'"{c}" {_sql_type(t)}' for c, t in IMPORT_COLUMNS.items())
        con.execute(
            f'CREATE TABLE "imports" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {defs})'
        )
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
            "VALUES ('imports', 'attributes', 'imports')"
        )

    def _rows(
        self, con: sqlite3.Connection, layer: str, frame: pd.DataFrame
    ) -> tuple[list[tuple[Any, ...]], list[str]]:
        columns = _SPATIAL[layer]
        crs = self._layer_crs(con, layer)
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            msg = f"{layer}: the frame needs point geometries with a CRS (the store is in {crs})"
            raise CRSError(msg)
        if not frame.crs.equals(crs):
            frame = frame.to_crs(crs)
        geom = frame.geometry
        if len(geom) and not (geom.geom_type == "Point").all():
            msg = f"{layer}: every geometry must be a point"
            raise InputSchemaError(msg)
        if "id" not in frame.columns or frame["id"].isna().any():
            msg = f"{layer}: every row needs an id"
            raise InputSchemaError(msg)
        auth = crs.to_authority()
        x, y = shapely.get_x(geom.values), shapely.get_y(geom.values)
        blobs = encode_points(x, y, int(auth[1]) if auth else 0)
        cols = [c for c in columns if c in frame.columns]
        values = [_column_values(frame[c], columns[c]) for c in cols]
        return list(zip(*values, blobs, strict=True)), [*cols, "geom"]

    def _upsert(
        self,
        con: sqlite3.Connection,
        layer: str,
        frame: gpd.GeoDataFrame,
        *,
        fresh_ids: set[str] | None = None,
    ) -> UpsertCounts:
        """Upsert ``frame`` into ``layer`` (inside the caller's transaction).

        Within the frame the last row of an id wins. Ids not yet stored are inserted directly
        (in frame order); only rows whose id exists are staged in a temporary table and
        compared column by column with the stored row (updated when any differs).
        ``fresh_ids``, when given, holds every id of the layer (an import into an empty
        layer); it is updated with the ids inserted.
        """
        if not len(frame):
            return UpsertCounts(0, 0, 0)
        with _gc_paused():
            return self._upsert_rows(con, layer, frame, fresh_ids=fresh_ids)

    def _upsert_rows(
        self,
        con: sqlite3.Connection,
        layer: str,
        frame: gpd.GeoDataFrame,
        *,
        fresh_ids: set[str] | None,
    ) -> UpsertCounts:
        crs = self._layer_crs(con, layer)
        if isinstance(frame, gpd.GeoDataFrame) and frame.crs is not None:
            if not frame.crs.equals(crs):
                frame = frame.to_crs(crs)
        full = frame  # the extent covers every row given, as before the de-duplication
        if "id" in frame.columns and frame["id"].notna().all():
            last = ~frame["id"].duplicated(keep="last").to_numpy()
            if not last.all():
                frame = frame[last]
        rows, cols = self._rows(con, layer, frame)
        id_pos = cols.index("id")
        ids = [r[id_pos] for r in rows]
        existing: set[str] = set()
        if fresh_ids is not None:
            existing = {i for i in ids if i in fresh_ids}
        elif con.execute(f'SELECT 1 FROM "{layer}" LIMIT 1').fetchone() is not None:
            existing = {
                r[0]
                for r in con.execute(
                    f'SELECT t.id FROM json_each(?) j JOIN "{layer}" t ON t.id = j.value',
                    (json.dumps(ids),),
                )
            }
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" * len(cols))
        new_rows = [r for r, i in zip(rows, ids, strict=True) if i not in existing]
        old_rows = [r for r, i in zip(rows, ids, strict=True) if i in existing]
        if new_rows:
            con.executemany(f'INSERT INTO "{layer}" ({names}) VALUES ({marks})', new_rows)
            if fresh_ids is not None:
                fresh_ids.update(i for i in ids if i not in existing)
        updated = unchanged = 0
        if old_rows:
            stage = f"_stage_{layer}"
            con.execute(
                f'CREATE TEMP TABLE IF NOT EXISTS "{stage}" AS SELECT {names} FROM "{layer}" '
                "WHERE 0"
            )
            con.execute(f'DELETE FROM temp."{stage}"')
            con.executemany(f'INSERT INTO temp."{stage}" ({names}) VALUES ({marks})', old_rows)
            compared = [c for c in cols if c not in ("id", "import_id")]
            differs = " OR ".join(f't."{c}" IS NOT s."{c}"' for c in compared) or "0"
            updated, unchanged = con.execute(
                f"SELECT COALESCE(SUM({differs}), 0), COALESCE(SUM(NOT ({differs})), 0) "
                f'FROM temp."{stage}" s JOIN "{layer}" t ON t.id = s.id'
            ).fetchone()
            if updated:
                sets = ", ".join(f'"{c}" = s."{c}"' for c in cols if c != "id")
                con.execute(
                    f'UPDATE "{layer}" AS t SET {sets} FROM temp."{stage}" AS s '
                    f"WHERE t.id = s.id AND ({differs})"
                )
        if new_rows or updated:
            geom = full.geometry.values
            x, y = shapely.get_x(geom), shapely.get_y(geom)
            bounds = (float(x.min()), float(y.min()), float(x.max()), float(y.max()))
            self._touch(con, layer, bounds)
        return UpsertCounts(len(new_rows), int(updated), int(unchanged))

    @staticmethod
    def _touch(
        con: sqlite3.Connection,
        layer: str,
        bounds: tuple[float, float, float, float] | None = None,
        *,
        replace: bool = False,
    ) -> None:
        """Record a change of ``layer``: ``last_change`` and (widened) extent for QGIS."""
        con.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (_now_text(), layer)
        )
        if replace:
            con.execute(
                "UPDATE gpkg_contents SET min_x = NULL, min_y = NULL, max_x = NULL, "
                "max_y = NULL WHERE table_name = ?",
                (layer,),
            )
        if bounds is not None and all(np.isfinite(bounds)):
            x0, y0, x1, y1 = (float(v) for v in bounds)
            con.execute(
                "UPDATE gpkg_contents SET min_x = min(COALESCE(min_x, ?), ?), "
                "min_y = min(COALESCE(min_y, ?), ?), max_x = max(COALESCE(max_x, ?), ?), "
                "max_y = max(COALESCE(max_y, ?), ?) WHERE table_name = ?",
                (x0, x0, y0, y0, x1, x1, y1, y1, layer),
            )

    @staticmethod
    def _write_provenance(
        con: sqlite3.Connection,
        layer: str,
        provenance: Mapping[str, Any],
        counts: UpsertCounts,
    ) -> None:
        record: dict[str, Any] = {
            "kind": layer,
            "imported_at": pd.Timestamp.now(tz=TIMEZONE),
            "inserted": counts.inserted,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            **dict(provenance),
        }
        cols = [c for c in IMPORT_COLUMNS if c in record]
        frame = pd.DataFrame({c: [record[c]] for c in cols})
        values = list(
            zip(*[_column_values(frame[c], IMPORT_COLUMNS[c]) for c in cols], strict=True)
        )
        names = ", ".join(f'"{c}"' for c in cols)
        con.executemany(
            f'INSERT INTO "imports" ({names}) VALUES ({", ".join("?" * len(cols))})', values
        )
        con.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE table_name = 'imports'",
            (_now_text(),),
        )
