"""Where patrol tracks, stops, passages and the activity log are kept.

:class:`TrackStore` is the contract, with one implementation per store backend;
:func:`open_track_store` picks it from the store reference:

- a GeoPackage store: :class:`GpkgTrackStore` keeps everything in a GeoPackage of its own
  beside the store (``data/hotspots.tracks.gpkg`` beside ``data/hotspots.gpkg``; see
  :func:`default_tracks_path`), so the store file stays small and the tracks can be kept or
  deleted apart. The file is a valid GeoPackage (application id ``GPKG``, the metadata tables
  GDAL needs) whose tables are *attribute* tables with ``x``/``y`` columns in EPSG:3006
  metres, so QGIS and ``pyogrio`` open it as it is.
- a PostgreSQL store: :class:`~hotspots.dosage.storage_pg.PgTrackStore` keeps the same tables
  in the store's own database (``tracks_*``).

``--tracks-db FILE`` (or ``$HOTSPOTS_TRACKS_DB``) names a tracks GeoPackage for either backend.

Tables
------
``pings``
    Raw positions: ``unit``, ``officer`` (pseudonyms), ``t_ms`` (UTC ms), ``x``, ``y``,
    ``import_id``; one row per unit and time (a repeated import changes nothing).
``stops``
    Stops found when old pings were reduced (:mod:`hotspots.dosage.retention`).
``passages``
    Passages through the registered places, found at the same time.
``places``
    Areas whose passages are kept when pings are reduced: ``place_id``, ``name``, ``kind``,
    ``wkt`` (metres).
``reduced``
    Per unit, the time before which its pings were reduced (no raw pings remain there).
``activities``
    The activity log (traffic checks, pub checks, school visits ... that were not tracked).
``imports``
    One row per import: file, kind, sha256, counts, key id.
``meta``
    ``schema_version``, ``key_id`` (an id of the pseudonymisation key, never the key),
    ``revision`` (counts the writes; :meth:`GpkgTrackStore.data_version`).

Every write runs in one transaction (``BEGIN IMMEDIATE``): an import, a reduction or an
activity log is stored whole or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
import pyogrio

from hotspots.core.errors import InputSchemaError, StoreBusyError, StoreError
from hotspots.store import is_database_url
from hotspots.store.sqlite_gate import GatedConnection, enter_library, library_gate

__all__ = [
    "ACTIVITY_COLUMNS",
    "IMPORT_TABLE_COLUMNS",
    "PASSAGE_COLUMNS",
    "PLACE_COLUMNS",
    "SCHEMA_VERSION",
    "STOP_COLUMNS",
    "TRACKS_DB_ENV",
    "TRACK_TABLE_NAMES",
    "GpkgTrackStore",
    "ImportRecord",
    "Reduction",
    "TrackStore",
    "TracksCheck",
    "WriteCounts",
    "default_tracks_path",
    "key_mismatch_message",
    "open_track_store",
    "typed_pings",
]

#: Version of the tables below.
SCHEMA_VERSION = 1
#: Environment variable naming the tracks file (``--tracks-db`` wins over it).
TRACKS_DB_ENV = "HOTSPOTS_TRACKS_DB"

#: Columns of a stop frame (see :mod:`hotspots.dosage.stops`).
STOP_COLUMNS: tuple[str, ...] = ("unit", "officer", "start_ms", "end_ms", "x", "y", "n_pings")
#: Columns of a passage frame.
PASSAGE_COLUMNS: tuple[str, ...] = ("place_id", "unit", "start_ms", "end_ms", "stopped")
#: Columns of a places frame (``wkt`` in metres).
PLACE_COLUMNS: tuple[str, ...] = ("place_id", "name", "kind", "wkt")
#: Columns of an activity frame (see :mod:`hotspots.dosage.activities`).
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "start_ms",
    "day",
    "time",
    "kind",
    "place",
    "minutes",
    "unit",
    "officer",
    "row_hash",
)
#: Columns of the imports table (:meth:`TrackStore.imports`).
IMPORT_TABLE_COLUMNS: tuple[str, ...] = (
    "import_id",
    "file",
    "kind",
    "imported_at",
    "rows_read",
    "accepted",
    "inserted",
    "rejected",
    "key_id",
)

_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
#: Pings turned into Python rows at a time when stored.
_WRITE_CHUNK = 100_000
_GPKG_USER_VERSION = 10400
_SWEREF_WKT = (
    'PROJCS["SWEREF99 TM",GEOGCS["SWEREF99",DATUM["SWEREF99",SPHEROID["GRS 1980",6378137,'
    '298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],'
    'PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],'
    'PARAMETER["central_meridian",15],PARAMETER["scale_factor",0.9996],'
    'PARAMETER["false_easting",500000],PARAMETER["false_northing",0],UNIT["metre",1],'
    'AUTHORITY["EPSG","3006"]]'
)
_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],'
    'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]'
)

_TABLES: dict[str, str] = {
    "meta": "name TEXT NOT NULL UNIQUE, value TEXT",
    "imports": (
        "import_id TEXT NOT NULL, file TEXT NOT NULL, kind TEXT NOT NULL, "
        "imported_at TEXT NOT NULL, rows_read INTEGER, accepted INTEGER, inserted INTEGER, "
        "rejected INTEGER, key_id TEXT"
    ),
    "pings": (
        "unit TEXT NOT NULL, officer TEXT, t_ms INTEGER NOT NULL, x REAL NOT NULL, "
        "y REAL NOT NULL, import_id TEXT, UNIQUE (unit, t_ms)"
    ),
    "stops": (
        "unit TEXT NOT NULL, officer TEXT, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, "
        "x REAL NOT NULL, y REAL NOT NULL, n_pings INTEGER NOT NULL, UNIQUE (unit, start_ms)"
    ),
    "passages": (
        "place_id TEXT NOT NULL, unit TEXT NOT NULL, start_ms INTEGER NOT NULL, "
        "end_ms INTEGER NOT NULL, stopped INTEGER NOT NULL, UNIQUE (place_id, unit, start_ms)"
    ),
    "places": "place_id TEXT NOT NULL UNIQUE, name TEXT, kind TEXT, wkt TEXT NOT NULL",
    "reduced": "unit TEXT NOT NULL UNIQUE, before_ms INTEGER NOT NULL",
    "activities": (
        "start_ms INTEGER NOT NULL, day TEXT NOT NULL, time TEXT, kind TEXT NOT NULL, "
        "place TEXT NOT NULL, minutes REAL NOT NULL, unit TEXT, officer TEXT, "
        "row_hash TEXT NOT NULL UNIQUE, import_id TEXT"
    ),
}
#: The tables ``hotspots db check`` counts, in the order of the docstring (``meta`` is not
#: counted: it holds settings, not rows of data).
TRACK_TABLE_NAMES: tuple[str, ...] = (
    "pings",
    "stops",
    "passages",
    "places",
    "reduced",
    "activities",
    "imports",
)
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS pings_t ON pings (t_ms)",
    "CREATE INDEX IF NOT EXISTS stops_t ON stops (start_ms)",
    "CREATE INDEX IF NOT EXISTS passages_t ON passages (start_ms)",
    "CREATE INDEX IF NOT EXISTS activities_t ON activities (start_ms)",
)


def default_tracks_path(store: Path | str | None, tracks_db: Path | None = None) -> Path | None:
    """The tracks file: ``tracks_db``, else ``$HOTSPOTS_TRACKS_DB``, else beside the store.

    Parameters
    ----------
    store
        The store (a GeoPackage path or a ``postgresql://`` URL).
    tracks_db
        ``--tracks-db``.

    Returns
    -------
    pathlib.Path or None
        ``<folder>/<store stem>.tracks.gpkg`` for a GeoPackage store; ``None`` for a
        PostgreSQL store (its tracks live in its database) unless a file is named.
    """
    if tracks_db is not None:
        return Path(tracks_db)
    env = os.environ.get(TRACKS_DB_ENV, "").strip()
    if env:
        return Path(env)
    if is_database_url(store):
        return None
    text = str(store) if store is not None else ""
    path = Path(text or "data/hotspots.gpkg")
    return path.with_name(f"{path.stem}.tracks.gpkg")


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """What is recorded of one import.

    Attributes
    ----------
    import_id
        The file's sha256.
    file
        The file's name (no folder: folders can name people).
    kind
        ``pings`` or ``activities``.
    rows_read, accepted, rejected
        Counts of the validation.
    key_id
        Id of the pseudonymisation key (``""`` when no id was pseudonymised).
    """

    import_id: str
    file: str
    kind: str
    rows_read: int
    accepted: int
    rejected: int
    key_id: str = ""


@dataclass(frozen=True, slots=True)
class WriteCounts:
    """Rows written by one import.

    Attributes
    ----------
    inserted
        New rows.
    unchanged
        Rows already stored (same unit and time, or the same activity line).
    """

    inserted: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class Reduction:
    """What a reduction keeps of old pings, and up to when the pings go.

    Attributes
    ----------
    stops
        Stops (:data:`STOP_COLUMNS`).
    passages
        Passages through registered places (:data:`PASSAGE_COLUMNS`).
    cut_ms
        Per unit, the time (UTC ms) before which its pings are removed.
    """

    stops: pd.DataFrame
    passages: pd.DataFrame
    cut_ms: dict[str, int]


@dataclass(frozen=True, slots=True)
class TracksCheck:
    """What ``hotspots db check`` says of the tracks (:meth:`TrackStore.check`).

    Attributes
    ----------
    backend
        ``geopackage`` (a file of its own beside the store) or ``postgresql`` (``tracks_*``
        tables in the store's database).
    location
        The file, or the URL without its password.
    present
        Whether the tracks tables are there (``False``: nothing was imported yet).
    schema_version
        The version of the tracks tables (0 when absent).
    current_version
        The version this code writes.
    counts
        Rows per table, by the table's name in the backend (``pings`` in the file,
        ``tracks_pings`` in PostgreSQL).
    problems
        What the checks found (empty when sound).
    """

    backend: str
    location: str
    present: bool
    schema_version: int
    current_version: int
    counts: dict[str, int]
    problems: tuple[str, ...] = ()

    @classmethod
    def absent(cls, backend: str, location: str) -> TracksCheck:
        """The check of tracks whose tables are not there yet (not a problem)."""
        return cls(backend, location, False, 0, SCHEMA_VERSION, {})

    @classmethod
    def of_tables(
        cls,
        backend: str,
        location: str,
        *,
        schema_version: int,
        counts: dict[str, int],
        problems: Sequence[str] = (),
    ) -> TracksCheck:
        """The check of tracks tables that are there.

        Parameters
        ----------
        backend, location
            As in the attributes.
        schema_version
            The version stored in the tracks' ``meta`` table (0 when it holds none).
        counts
            Rows per table.
        problems
            What the backend's own checks found; a schema version newer than this code's
            is added to them.
        """
        found = list(problems)
        if schema_version > SCHEMA_VERSION:
            found.append(
                f"tracks schema version {schema_version} is newer than this hotspots knows "
                f"({SCHEMA_VERSION}); upgrade hotspots"
            )
        return cls(
            backend, location, True, schema_version, SCHEMA_VERSION, dict(counts), tuple(found)
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "backend": self.backend,
            "location": self.location,
            "present": self.present,
            "schema_version": self.schema_version,
            "current_version": self.current_version,
            "counts": dict(self.counts),
            "ok": not self.problems,
            "problems": list(self.problems),
        }


@runtime_checkable
class TrackStore(Protocol):
    """The storage patrol tracks need; a store backend can provide it beside its layers."""

    @property
    def location(self) -> str:
        """Where the tracks are, for messages (a path, or a URL without its password)."""
        ...

    @property
    def folder(self) -> Path | None:
        """The folder of a tracks file (rejects go there), ``None`` for a database."""
        ...

    def data_version(self) -> str:
        """A token that changes with every committed write (a cache key)."""
        ...

    def exists(self) -> bool:
        """Whether anything has been stored."""
        ...

    def key_id(self) -> str | None:
        """Id of the key the stored pseudonyms were made with, or ``None``."""
        ...

    def add_pings(self, pings: pd.DataFrame, record: ImportRecord) -> WriteCounts:
        """Store validated pings in one transaction; refuse another key's pseudonyms."""
        ...

    def pings(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Raw pings with ``start_ms <= t_ms < end_ms``, sorted by unit and time."""
        ...

    def stops(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Stored (reduced) stops starting in the range."""
        ...

    def passages(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Stored (reduced) passages starting in the range."""
        ...

    def reduced_before(self) -> dict[str, int]:
        """Per unit, the time before which its pings were reduced."""
        ...

    def reduce(
        self, before_ms: int, reducer: Callable[[pd.DataFrame, pd.DataFrame], Reduction]
    ) -> Reduction:
        """Reduce the pings before ``before_ms`` in one write transaction.

        ``reducer(pings, places)`` gets the pings before ``before_ms`` and the registered
        places; its stops and passages are stored and each unit's pings before its
        ``cut_ms`` are removed.
        """
        ...

    def places(self) -> pd.DataFrame:
        """The registered places (:data:`PLACE_COLUMNS`)."""
        ...

    def register_places(self, places: pd.DataFrame) -> int:
        """Add or replace places by ``place_id``; returns the number written."""
        ...

    def add_activities(self, activities: pd.DataFrame, record: ImportRecord) -> WriteCounts:
        """Store activity lines in one transaction (a line already stored is unchanged)."""
        ...

    def activities(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Activity lines starting in the range (:data:`ACTIVITY_COLUMNS`)."""
        ...

    def imports(self) -> pd.DataFrame:
        """The imports, oldest first."""
        ...

    def check(self) -> TracksCheck:
        """Rows per tracks table, the tracks' schema version and integrity."""
        ...


def key_mismatch_message(where: str, key_id: str, stored: str) -> str:
    """The message for pseudonyms of another key than the stored ones'."""
    return (
        f"{where}: the pseudonymisation key differs from the one of earlier imports "
        f"(key id {key_id}, stored {stored}); the same unit would get another "
        "pseudonym. Use the same key (--key-file), or another --tracks-db"
    )


def _range_sql(column: str, start_ms: int | None, end_ms: int | None) -> tuple[str, list[int]]:
    parts: list[str] = []
    args: list[int] = []
    if start_ms is not None:
        parts.append(f"{column} >= ?")
        args.append(int(start_ms))
    if end_ms is not None:
        parts.append(f"{column} < ?")
        args.append(int(end_ms))
    return (" WHERE " + " AND ".join(parts)) if parts else "", args


class GpkgTrackStore:
    """The tracks, stops and activity log in a GeoPackage file of their own.

    Parameters
    ----------
    path
        The file; created (with its folder) on the first write.
    busy_timeout_s
        Seconds to wait for another writer before :class:`StoreBusyError`.
    """

    def __init__(self, path: Path | str, *, busy_timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.busy_timeout_s = float(busy_timeout_s)

    def __str__(self) -> str:
        return str(self.path)

    def __repr__(self) -> str:
        return f"GpkgTrackStore({str(self.path)!r})"

    @property
    def location(self) -> str:
        """The path of the tracks file."""
        return str(self.path)

    @property
    def folder(self) -> Path:
        """The folder of the tracks file."""
        return self.path.parent

    # -- connections -----------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        # never open while GDAL (pings) has the file open in this process: see store.sqlite_gate
        release = enter_library(self.path, "sqlite3")
        try:
            con = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout_s,
                isolation_level=None,
                factory=GatedConnection,
            )
        except sqlite3.Error as exc:
            release()
            msg = f"{self.path}: cannot open the tracks file ({exc})"
            raise StoreError(msg) from exc
        con.release = release
        con.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
        return con

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection | None]:
        if not self.path.exists():
            yield None
            return
        con = self._connect()
        try:
            if not self._is_tracks_file(con):
                msg = f"{self.path} is not a tracks file of hotspots (no pings table)"
                raise StoreError(msg)
            yield con
        except sqlite3.DatabaseError as exc:
            msg = f"{self.path}: cannot read the tracks file ({exc})"
            raise StoreError(msg) from exc
        finally:
            con.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = self._connect()
        try:
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    msg = (
                        f"{self.path}: another command kept the tracks file busy for more "
                        f"than {self.busy_timeout_s:g} s; try again"
                    )
                    raise StoreBusyError(msg) from exc
                msg = f"{self.path}: cannot write the tracks file ({exc})"
                raise StoreError(msg) from exc
            try:
                self._create(con)
                yield con
                con.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', '0')")
                con.execute(
                    "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) "
                    "WHERE name = 'revision'"
                )
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            msg = f"{self.path}: cannot write the tracks file ({exc})"
            raise StoreError(msg) from exc
        finally:
            con.close()

    @staticmethod
    def _is_tracks_file(con: sqlite3.Connection) -> bool:
        row = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pings'"
        ).fetchone()
        return row is not None

    def _create(self, con: sqlite3.Connection) -> None:
        if self._is_tracks_file(con):
            version = con.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
            if version is not None and int(version[0]) > SCHEMA_VERSION:
                msg = (
                    f"{self.path} was written by a newer hotspots (tracks schema {version[0]}, "
                    f"this one knows {SCHEMA_VERSION}); upgrade hotspots"
                )
                raise StoreError(msg)
            return
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if names - {"sqlite_sequence"}:
            msg = f"{self.path} is a database of something else; give another --tracks-db"
            raise StoreError(msg)
        con.execute(f"PRAGMA application_id = {_GPKG_APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {_GPKG_USER_VERSION}")
        con.execute(
            "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, "
            "srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL, "
            "organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, "
            "description TEXT)"
        )
        con.executemany(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
            [
                ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", None),
                ("Undefined geographic SRS", 0, "NONE", 0, "undefined", None),
                ("WGS 84 geodetic", 4326, "EPSG", 4326, _WGS84_WKT, None),
                ("SWEREF99 TM", 3006, "EPSG", 3006, _SWEREF_WKT, None),
            ],
        )
        con.execute(
            "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, "
            "data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '', "
            "last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), "
            "min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, "
            "CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES "
            "gpkg_spatial_ref_sys(srs_id))"
        )
        # empty, but GDAL opens a GeoPackage only with it
        con.execute(
            "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, "
            "column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, "
            "srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, "
            "CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), "
            "CONSTRAINT uk_gc_table_name UNIQUE (table_name), "
            "CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), "
            "CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))"
        )
        for name, columns in _TABLES.items():
            con.execute(f"CREATE TABLE {name} (fid INTEGER PRIMARY KEY AUTOINCREMENT, {columns})")
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                "VALUES (?, 'attributes', ?, 3006)",
                (name, name),
            )
        for sql in _INDEXES:
            con.execute(sql)
        con.execute(
            "INSERT INTO meta (name, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )

    # -- contract --------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the file exists and holds the tracks tables."""
        with self._read() as con:
            return con is not None

    def key_id(self) -> str | None:
        """Id of the key the stored pseudonyms were made with, or ``None``."""
        with self._read() as con:
            if con is None:
                return None
            row = con.execute("SELECT value FROM meta WHERE name = 'key_id'").fetchone()
            return None if row is None else str(row[0])

    def check(self) -> TracksCheck:
        """Rows per table of the tracks file, its schema version and SQLite's quick check.

        Raises
        ------
        StoreError
            When the file is there but is not a tracks file, or cannot be read.
        """
        with self._read() as con:
            if con is None:
                return TracksCheck.absent("geopackage", self.location)
            row = con.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
            version = int(row[0]) if row is not None else 0
            counts = {
                name: int(con.execute(f"SELECT count(*) FROM {name}").fetchone()[0])
                for name in TRACK_TABLE_NAMES
            }
            result = [str(r[0]) for r in con.execute("PRAGMA quick_check")]
        problems = [] if result == ["ok"] else [f"quick_check: {r}" for r in result[:20]]
        return TracksCheck.of_tables(
            "geopackage", self.location, schema_version=version, counts=counts, problems=problems
        )

    def data_version(self) -> str:
        """A token that changes with every committed write of the tracks (a cache key)."""
        with self._read() as con:
            if con is None:
                return "absent"
            row = con.execute("SELECT value FROM meta WHERE name = 'revision'").fetchone()
        revision = "0" if row is None else str(row[0])
        return hashlib.sha1(f"{self.path.resolve()}|{revision}".encode()).hexdigest()[:16]

    @staticmethod
    def _check_key(con: sqlite3.Connection, key_id: str, path: Path) -> None:
        if not key_id:
            return
        row = con.execute("SELECT value FROM meta WHERE name = 'key_id'").fetchone()
        if row is None:
            con.execute("INSERT INTO meta (name, value) VALUES ('key_id', ?)", (key_id,))
        elif str(row[0]) != key_id:
            raise InputSchemaError(key_mismatch_message(str(path), key_id, str(row[0])))

    @staticmethod
    def _record(con: sqlite3.Connection, record: ImportRecord, inserted: int) -> None:
        con.execute(
            "INSERT INTO imports (import_id, file, kind, imported_at, rows_read, accepted, "
            "inserted, rejected, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.import_id,
                record.file,
                record.kind,
                dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                record.rows_read,
                record.accepted,
                inserted,
                record.rejected,
                record.key_id,
            ),
        )

    def add_pings(self, pings: pd.DataFrame, record: ImportRecord) -> WriteCounts:
        """Store validated pings in one transaction (unit and time already stored: unchanged).

        Raises
        ------
        InputSchemaError
            When ``record.key_id`` differs from the key id stored by earlier imports.
        """
        with self._write() as con:
            self._check_key(con, record.key_id, self.path)
            before = con.total_changes
            for lo in range(0, len(pings), _WRITE_CHUNK):  # Python rows of one chunk at a time
                part = pings.iloc[lo : lo + _WRITE_CHUNK]
                officer = part["officer"].astype(object).where(part["officer"].notna(), None)
                con.executemany(
                    "INSERT OR IGNORE INTO pings (unit, officer, t_ms, x, y, import_id) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    zip(
                        part["unit"].astype(str).tolist(),
                        officer.tolist(),
                        part["t_ms"].astype("int64").tolist(),
                        part["x"].astype(float).tolist(),
                        part["y"].astype(float).tolist(),
                        [record.import_id] * len(part),
                        strict=True,
                    ),
                )
            inserted = con.total_changes - before
            self._record(con, record, inserted)
            self._touch(con, "pings")
        return WriteCounts(inserted=inserted, unchanged=len(pings) - inserted)

    @staticmethod
    def _touch(con: sqlite3.Connection, table: str) -> None:
        con.execute(
            "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
            "WHERE table_name = ?",
            (table,),
        )

    def _frame(self, sql: str, args: list[int], columns: tuple[str, ...]) -> pd.DataFrame:
        with self._read() as con:
            if con is None:
                return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
            cur = con.execute(sql, args)
            rows = cur.fetchall()
        frame = pd.DataFrame.from_records(rows, columns=list(columns))
        return frame

    def pings(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Raw pings with ``start_ms <= t_ms < end_ms``, sorted by unit and time.

        Read through GDAL into Arrow (pyogrio), a few times faster than Python rows.
        """
        columns = ("unit", "officer", "t_ms", "x", "y")
        with self._read() as con:
            if con is None:
                return typed_pings(pd.DataFrame({c: pd.Series(dtype=object) for c in columns}))
        where, args = _range_sql("t_ms", start_ms, end_ms)
        for value in args:  # integers only: safe to write into the statement
            where = where.replace("?", str(int(value)), 1)
        try:
            with library_gate(self.path, "gdal"):
                frame = pyogrio.read_dataframe(
                    self.path,
                    sql=f"SELECT {', '.join(columns)} FROM pings{where}",
                    read_geometry=False,
                    use_arrow=True,
                )
        except pyogrio.errors.DataSourceError as exc:
            msg = f"{self.path}: cannot read the tracks file ({exc})"
            raise StoreError(msg) from exc
        if frame.empty:
            frame = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        frame["officer"] = frame["officer"].astype(object).where(frame["officer"].notna(), None)
        return typed_pings(frame[list(columns)])

    def stops(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Stored stops with ``start_ms <= start < end_ms``."""
        where, args = _range_sql("start_ms", start_ms, end_ms)
        frame = self._frame(
            f"SELECT {', '.join(STOP_COLUMNS)} FROM stops{where} ORDER BY unit, start_ms",
            args,
            STOP_COLUMNS,
        )
        return frame.astype(
            {
                "start_ms": "int64",
                "end_ms": "int64",
                "x": "float64",
                "y": "float64",
                "n_pings": "int64",
            }
        )

    def passages(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Stored passages with ``start_ms <= start < end_ms``."""
        where, args = _range_sql("start_ms", start_ms, end_ms)
        frame = self._frame(
            f"SELECT {', '.join(PASSAGE_COLUMNS)} FROM passages{where} "
            "ORDER BY place_id, unit, start_ms",
            args,
            PASSAGE_COLUMNS,
        )
        return frame.astype({"start_ms": "int64", "end_ms": "int64", "stopped": "bool"})

    def reduced_before(self) -> dict[str, int]:
        """Per unit, the time (UTC ms) before which its pings were reduced."""
        with self._read() as con:
            if con is None:
                return {}
            return {str(u): int(t) for u, t in con.execute("SELECT unit, before_ms FROM reduced")}

    def places(self) -> pd.DataFrame:
        """The registered places."""
        return self._frame(
            f"SELECT {', '.join(PLACE_COLUMNS)} FROM places ORDER BY place_id", [], PLACE_COLUMNS
        )

    def register_places(self, places: pd.DataFrame) -> int:
        """Add or replace places by ``place_id`` (one transaction)."""
        with self._write() as con:
            con.executemany(
                "INSERT INTO places (place_id, name, kind, wkt) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (place_id) DO UPDATE SET name = excluded.name, "
                "kind = excluded.kind, wkt = excluded.wkt",
                places[list(PLACE_COLUMNS)].astype(str).itertuples(index=False, name=None),
            )
            self._touch(con, "places")
        return len(places)

    def reduce(
        self, before_ms: int, reducer: Callable[[pd.DataFrame, pd.DataFrame], Reduction]
    ) -> Reduction:
        """Reduce the pings before ``before_ms`` in one write transaction (see the contract)."""
        with self._write() as con:
            rows = con.execute(
                "SELECT unit, officer, t_ms, x, y FROM pings WHERE t_ms < ?", (int(before_ms),)
            ).fetchall()
            pings = typed_pings(
                pd.DataFrame.from_records(rows, columns=["unit", "officer", "t_ms", "x", "y"])
            )
            places = pd.DataFrame.from_records(
                con.execute(f"SELECT {', '.join(PLACE_COLUMNS)} FROM places").fetchall(),
                columns=list(PLACE_COLUMNS),
            )
            result = reducer(pings, places)
            stops = result.stops
            con.executemany(
                f"INSERT OR IGNORE INTO stops ({', '.join(STOP_COLUMNS)}) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                zip(
                    stops["unit"].astype(str).tolist(),
                    stops["officer"].astype(object).where(stops["officer"].notna(), None).tolist(),
                    stops["start_ms"].astype("int64").tolist(),
                    stops["end_ms"].astype("int64").tolist(),
                    stops["x"].astype(float).tolist(),
                    stops["y"].astype(float).tolist(),
                    stops["n_pings"].astype("int64").tolist(),
                    strict=True,
                ),
            )
            passages = result.passages
            con.executemany(
                f"INSERT OR IGNORE INTO passages ({', '.join(PASSAGE_COLUMNS)}) "
                "VALUES (?, ?, ?, ?, ?)",
                zip(
                    passages["place_id"].astype(str).tolist(),
                    passages["unit"].astype(str).tolist(),
                    passages["start_ms"].astype("int64").tolist(),
                    passages["end_ms"].astype("int64").tolist(),
                    passages["stopped"].astype(bool).astype(int).tolist(),
                    strict=True,
                ),
            )
            for unit, cut in result.cut_ms.items():
                con.execute("DELETE FROM pings WHERE unit = ? AND t_ms < ?", (unit, int(cut)))
                con.execute(
                    "INSERT INTO reduced (unit, before_ms) VALUES (?, ?) ON CONFLICT (unit) "
                    "DO UPDATE SET before_ms = max(before_ms, excluded.before_ms)",
                    (unit, int(cut)),
                )
            for table in ("pings", "stops", "passages", "reduced"):
                self._touch(con, table)
        return result

    def add_activities(self, activities: pd.DataFrame, record: ImportRecord) -> WriteCounts:
        """Store activity lines in one transaction (a line already stored is unchanged)."""
        with self._write() as con:
            self._check_key(con, record.key_id, self.path)
            before = con.total_changes
            frame = activities[list(ACTIVITY_COLUMNS)].astype(object)
            frame = frame.where(frame.notna(), None)
            con.executemany(
                f"INSERT OR IGNORE INTO activities ({', '.join(ACTIVITY_COLUMNS)}, import_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((*row, record.import_id) for row in frame.itertuples(index=False, name=None)),
            )
            inserted = con.total_changes - before
            self._record(con, record, inserted)
            self._touch(con, "activities")
        return WriteCounts(inserted=inserted, unchanged=len(activities) - inserted)

    def activities(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Activity lines with ``start_ms <= start < end_ms``, in time order."""
        where, args = _range_sql("start_ms", start_ms, end_ms)
        frame = self._frame(
            f"SELECT {', '.join(ACTIVITY_COLUMNS)} FROM activities{where} ORDER BY start_ms",
            args,
            ACTIVITY_COLUMNS,
        )
        return frame.astype({"start_ms": "int64", "minutes": "float64"})

    def imports(self) -> pd.DataFrame:
        """The imports, oldest first."""
        columns = IMPORT_TABLE_COLUMNS
        return self._frame(f"SELECT {', '.join(columns)} FROM imports ORDER BY fid", [], columns)


def typed_pings(frame: pd.DataFrame) -> pd.DataFrame:
    """Pings with integer times and float coordinates, sorted by unit and time."""
    out = frame.astype({"t_ms": "int64", "x": "float64", "y": "float64"})
    if len(out):
        order = np.lexsort((out["t_ms"].to_numpy(), out["unit"].to_numpy(dtype=str)))
        out = out.iloc[order].reset_index(drop=True)
    return out


def open_track_store(
    store: Path | str | None, *, tracks_db: Path | None = None, busy_timeout_s: float = 60.0
) -> TrackStore:
    """The tracks store of ``store``: in its database, or in a file beside it.

    Parameters
    ----------
    store
        The store (a GeoPackage path or a ``postgresql://`` URL; see
        :func:`hotspots.store.is_database_url`).
    tracks_db
        ``--tracks-db``: a tracks GeoPackage that overrides the default (as does
        ``$HOTSPOTS_TRACKS_DB``).
    busy_timeout_s
        Seconds to wait for another tracks writer.

    Returns
    -------
    TrackStore
        :class:`~hotspots.dosage.storage_pg.PgTrackStore` for a PostgreSQL store without a
        tracks file named, else :class:`GpkgTrackStore` (see :func:`default_tracks_path`).
    """
    path = default_tracks_path(store, tracks_db)
    if path is None:
        # psycopg only when the store is a database
        from hotspots.dosage.storage_pg import PgTrackStore  # noqa: PLC0415

        return PgTrackStore(str(store), busy_timeout_s=busy_timeout_s)
    return GpkgTrackStore(path, busy_timeout_s=busy_timeout_s)
