"""The GeoPackage store: one SQLite file that QGIS and GDAL open as a GeoPackage (1.3).

Written directly with :mod:`sqlite3` so that an import is a single transaction: rows are
upserted by ``id`` (a row whose content is unchanged is left alone), and a failure half-way
rolls everything back. Geometries are GeoPackage binary points in the store's metric CRS.

Safe for several commands at once:

- The file is in WAL mode: readers (the app, ``detect``) never wait for a writer and never
  see half an import; a writer killed at any point leaves the last committed state, which the
  next connection recovers before anything is read.
- One writer at a time (``BEGIN IMMEDIATE``); a writer waits up to ``busy_timeout_s`` and then
  raises :class:`~hotspots.core.errors.StoreBusyError` naming who holds the lock and since when.
- A new store is built in a temporary file and linked into place without replacing anything,
  so two first imports both land in one store, and a killed creation leaves no half-made file.
- Nothing here deletes a store: a file that cannot be opened is an error, never "absent".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import secrets
import sqlite3
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from hotspots.core.errors import (
    CRSError,
    InputFileError,
    InputSchemaError,
    StoreBusyError,
    StoreError,
)
from hotspots.store._gpkg_geometry import decode_points, encode_points, register_spatial_functions
from hotspots.store._gpkg_schema import (
    add_missing_columns,
    create_layout,
    id_index_name,
    id_index_sql,
    is_busy,
    meta_sql,
    table_columns,
)
from hotspots.store._values import arrow_columns, column_values, parse_column, sql_type
from hotspots.store._writer import (
    clean_stale_temporaries,
    fault_point,
    read_writer_note,
    writer_note,
)
from hotspots.store.base import (
    ATTRIBUTE_TABLES,
    IMPORT_COLUMNS,
    SCHEMA_VERSION,
    SPATIAL_LAYERS,
    Store,
    StoreCheck,
    StoreImport,
    UpsertCounts,
    columns_of,
    metric_crs_of,
    provenance_record,
    utc_now_text,
)
from hotspots.store.sqlite_gate import GatedConnection, enter_library, try_library_gate

__all__ = ["GeoPackageStore"]

logger = logging.getLogger(__name__)

#: Seconds a read waits for this process's sqlite3 connections to the file to close before
#: it reads through sqlite3 instead of GDAL.
_GDAL_WAIT_S = 2.0


class _GdalUnavailableError(Exception):
    """GDAL may not open the file now (this process has it open through sqlite3)."""


class _GeoPackageImport(StoreImport):
    """An open import transaction of :meth:`GeoPackageStore.importing`."""

    def __init__(self, store: GeoPackageStore, layer: str) -> None:
        self._store = store
        self._layer = layer
        self._con: sqlite3.Connection | None = None
        self._stack = contextlib.ExitStack()
        self.counts = UpsertCounts(0, 0, 0)
        #: Ids written by this import when the layer was empty at its start (``None``
        #: otherwise): then they are all the layer holds, and no id lookup is needed.
        self._fresh_ids: set[str] | None = None
        #: A unique id index dropped for a bulk load into an empty layer, rebuilt at the end.
        self._dropped_index: str | None = None

    def _open(self, crs: object | None) -> sqlite3.Connection:
        """The transaction's connection; creates the store (in ``crs``) if there is none."""
        if self._con is None:
            if not self._store.exists():
                self._store.init(crs=self._store._new_crs or crs)
            self._con = self._stack.enter_context(self._store._write("import"))
            self._start()
        return self._con

    def _start(self) -> None:
        """On the first chunk: an empty layer is bulk-loaded (index built once at the end)."""
        con, layer = self._con, self._layer
        assert con is not None
        if con.execute(f'SELECT 1 FROM "{layer}" LIMIT 1').fetchone() is not None:
            return
        self._fresh_ids = set()
        name = id_index_name(layer)
        found = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)
        ).fetchone()
        if found is not None:  # stores created before the index was named keep their own
            con.execute(f'DROP INDEX "{name}"')
            self._dropped_index = name

    def add(self, frame: gpd.GeoDataFrame, *, counted: bool = True) -> UpsertCounts:
        """Upsert one chunk inside the open transaction (see :meth:`StoreImport.add`)."""
        con = self._open(frame.crs)
        got = self._store._upsert(con, self._layer, frame, fresh_ids=self._fresh_ids)
        fault_point("chunk")
        if not counted:
            return UpsertCounts(0, 0, 0)
        self.counts = self.counts + got
        return got

    def _finish(self, provenance: Mapping[str, Any] | None, crs: object | None) -> None:
        con = self._open(crs)
        if self._dropped_index is not None:
            con.execute(id_index_sql(self._layer))
            self._dropped_index = None
        if provenance is not None:
            self._store._write_provenance(con, self._layer, provenance, self.counts)


class GeoPackageStore(Store):
    """The GeoPackage store at ``path``.

    Parameters
    ----------
    path
        The GeoPackage file; created on the first write.
    crs
        Metric CRS for a new store; ``None`` takes it from the first frame written (EPSG:3006
        for Swedish data). An existing store keeps the CRS it was created with.
    busy_timeout_s
        Seconds to wait for another command's write lock.
    """

    backend = "geopackage"

    def __init__(
        self, path: Path | str, *, crs: object | None = None, busy_timeout_s: float = 60.0
    ) -> None:
        super().__init__(crs=crs, busy_timeout_s=busy_timeout_s)
        self.path = Path(path)

    @property
    def location(self) -> str:
        """The store's file."""
        return str(self.path)

    # -- connections -------------------------------------------------------------------------

    def _connect(self, path: Path | None = None) -> sqlite3.Connection:
        """A connection (autocommit; transactions are explicit).

        Opened read-write whenever the file allows it, so that SQLite recovers what a killed
        writer left (a hot journal, a WAL) before anything is read; read-only otherwise.
        """
        target = path or self.path
        release = enter_library(target, "sqlite3")  # not while GDAL has it open (see there)
        try:
            if target.exists() and not os.access(target, os.W_OK):
                uri = f"file:{target.resolve()}?mode=ro"
                con = sqlite3.connect(uri, uri=True, isolation_level=None, factory=GatedConnection)
            else:
                con = sqlite3.connect(
                    target,
                    isolation_level=None,
                    timeout=self.busy_timeout_s,
                    factory=GatedConnection,
                )
                con.execute("PRAGMA cache_size = -262144")  # 256 MiB for large imports
                con.execute("PRAGMA temp_store = MEMORY")  # the upsert's staging table
                register_spatial_functions(con)
            con.release = release
        except sqlite3.Error as exc:
            release()
            raise self._error(exc) from exc
        except BaseException:
            release()
            raise
        return con

    def _error(self, exc: sqlite3.Error) -> StoreError:
        """The store error an SQLite error stands for."""
        if is_busy(exc):
            note = read_writer_note(self.path)
            who = note.describe() if note is not None else "another command is writing"
            return StoreBusyError(
                f"store is busy: {who}; waited {self.busy_timeout_s:g} s; try again "
                f"(or give a longer --busy-timeout) [{self.path}]"
            )
        return StoreError(
            f"{self.path}: cannot be read as a hotspots store (GeoPackage): {exc}. Nothing was "
            "changed; check the file or give another --db"
        )

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        con = self._connect()
        try:
            yield con
        except sqlite3.Error as exc:
            raise self._error(exc) from exc
        finally:
            con.close()

    @contextlib.contextmanager
    def _write(self, doing: str, *, bump: bool = True) -> Iterator[sqlite3.Connection]:
        """The store's write lock and one transaction: commits on success, else rolls back.

        ``bump`` counts the transaction as a change of the data (the cache key of the app);
        accounts and the audit log are not data.
        """
        con = self._connect()
        try:
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc) from exc
            with writer_note(self.path, f"hotspots {doing}"):
                self._migrated = self._migrate(con)
                yield con
                if bump:
                    con.execute(
                        "UPDATE hotspots_meta SET value = CAST(value AS INTEGER) + 1 "
                        "WHERE key = 'revision'"
                    )
                fault_point("commit")
                try:
                    con.execute("COMMIT")
                except sqlite3.Error as exc:
                    raise self._error(exc) from exc
                fault_point("committed")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    # -- state -------------------------------------------------------------------------------

    def exists(self) -> bool:
        """Whether the store file exists and holds the store's layers (see :class:`Store`)."""
        try:
            if not self.path.is_file() or self.path.stat().st_size == 0:
                return False
        except OSError as exc:
            msg = f"{self.path}: cannot be read ({exc}); check the path and its permissions"
            raise StoreError(msg) from exc
        with self._read() as con:
            try:
                names = {r[0] for r in con.execute("SELECT table_name FROM gpkg_contents")}
            except sqlite3.OperationalError as exc:
                if is_busy(exc):
                    raise
                msg = (
                    f"{self.path}: exists but is not a hotspots store (no GeoPackage tables); "
                    "nothing was changed. Give another --db, or move the file away"
                )
                raise StoreError(msg) from exc
        if not {"incidents", "survey"} <= names:
            msg = (
                f"{self.path}: is a GeoPackage but not a hotspots store (no incidents and "
                "survey layers); nothing was changed. Give another --db"
            )
            raise StoreError(msg)
        return True

    def occupied(self) -> bool:
        """Whether a file (of any kind) is at the store's path."""
        return self.path.exists()

    def _schema_version(self, con: sqlite3.Connection) -> int:
        has_meta = con.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'hotspots_meta'"
        ).fetchone()
        if has_meta is None:
            return 1
        row = con.execute("SELECT value FROM hotspots_meta WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row else 1

    def _migrate(self, con: sqlite3.Connection) -> list[str]:
        """Bring the schema up to date inside the caller's write transaction."""
        done: list[str] = []
        version = self._schema_version(con)
        if version < 2:
            for statement in meta_sql():
                con.execute(statement)
            done.append("2: hotspots_meta (schema version, change counters), WAL journal")
        if version < 3:  # internal tables, not GeoPackage layers: GIS programs do not list them
            for name, columns in ATTRIBUTE_TABLES.items():
                defs = ", ".join(f'"{c}" {sql_type(t)}' for c, t in columns.items())
                key = "name" if name == "users" else "seq"
                con.execute(
                    f'CREATE TABLE IF NOT EXISTS "{name}" (fid INTEGER PRIMARY KEY AUTOINCREMENT '
                    f'NOT NULL, {defs}, UNIQUE ("{key}"))'
                )
            con.execute("UPDATE hotspots_meta SET value = '3' WHERE key = 'schema_version'")
            done.append("3: users and audit tables (accounts, hash-chained audit log)")
        for name in (*SPATIAL_LAYERS, "imports"):
            add_missing_columns(con, name, columns_of(name))
        return done

    def _meta(self, con: sqlite3.Connection, key: str) -> str | None:
        try:
            row = con.execute("SELECT value FROM hotspots_meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:  # a version 1 store
            return None
        return None if row is None else str(row[0])

    def data_version(self) -> str:
        """A token that changes with every committed write (a cache key)."""
        if not self.exists():
            return "absent"
        with self._read() as con:
            revision = self._meta(con, "revision")
            if revision is None:  # a version 1 store: every write touches gpkg_contents
                last = con.execute("SELECT max(last_change) FROM gpkg_contents").fetchone()
                revision = str(last[0])
        raw = f"{self.path.resolve()}|{revision}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]

    def layer_version(self, name: str) -> str:
        """A token that changes whenever layer ``name`` changes; writes to others leave it."""
        columns_of(name)  # an unknown layer is an error, not a silent token
        if not self.exists():
            return "absent"
        with self._read() as con:
            revision = self._meta(con, f"revision:{name}")
            if revision is None:
                change = con.execute(
                    "SELECT last_change FROM gpkg_contents WHERE table_name = ?", (name,)
                ).fetchone()
                rows = con.execute(f'SELECT count(*), max(fid) FROM "{name}"').fetchone()
                revision = f"{change[0] if change else ''}|{rows[0]}|{rows[1]}"
        raw = f"{self.path.resolve()}|{name}|{revision}"
        return hashlib.sha1(raw.encode()).hexdigest()[:16]

    @property
    def crs(self) -> CRS | None:
        """The store's metric CRS, or ``None`` when the store does not exist yet."""
        if not self.exists():
            return None
        with self._read() as con:
            return self._layer_crs(con, "incidents")

    def check(self) -> StoreCheck:
        """Schema version, rows per layer and SQLite's and GeoPackage's integrity checks."""
        if not self.exists():
            return StoreCheck(self.backend, self.location, 0, SCHEMA_VERSION, {}, [], None)
        problems: list[str] = []
        with self._read() as con:
            version = self._schema_version(con)
            counts = {
                name: int(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])
                for name in (*SPATIAL_LAYERS, "imports")
            }
            result = [str(r[0]) for r in con.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems.extend(f"integrity_check: {r}" for r in result[:20])
            problems.extend(
                f"foreign key: {r}" for r in con.execute("PRAGMA foreign_key_check").fetchall()
            )
            for name in SPATIAL_LAYERS:
                dup = con.execute(f'SELECT count(*) - count(DISTINCT id) FROM "{name}"').fetchone()[
                    0
                ]
                if dup:
                    problems.append(f"{name}: {dup} duplicate ids")
                null = con.execute(f'SELECT count(*) FROM "{name}" WHERE id IS NULL').fetchone()
                if null[0]:
                    problems.append(f"{name}: {null[0]} rows without an id")
            crs = self._layer_crs(con, "incidents").to_string()
        if version < SCHEMA_VERSION:
            problems.append(
                f"schema version {version} < {SCHEMA_VERSION}: run `hotspots db upgrade`"
            )
        return StoreCheck(
            self.backend, self.location, version, SCHEMA_VERSION, counts, problems, crs
        )

    # -- schema ------------------------------------------------------------------------------

    def init(self, *, crs: object | None = None) -> bool:
        """Create the store atomically if there is none; ``True`` when this call made it.

        The store is built in a temporary file beside the target and linked into place
        without replacing anything: when another command created the store meanwhile, that
        store stays and this call returns ``False``.
        """
        if self.exists():
            return False
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True)
        clean_stale_temporaries(folder, self.path.name)
        tmp = folder / f".{self.path.name}.{os.getpid()}.{secrets.token_hex(4)}.creating"
        try:
            con = self._connect(tmp)
            try:
                con.execute("BEGIN IMMEDIATE")
                create_layout(con, metric_crs_of(self._new_crs or crs))
                self._migrate(con)
                con.execute("COMMIT")
                con.execute("PRAGMA journal_mode = WAL")
            finally:
                con.close()
            try:
                os.link(tmp, self.path)
            except FileExistsError:
                if self.path.stat().st_size > 0:
                    logger.info("%s was created by another command meanwhile", self.path)
                    return False
                os.replace(tmp, self.path)  # an empty file (e.g. touched by hand) is no store
            logger.info("created the store %s", self.path)
            return True
        finally:
            for extra in ("", "-journal", "-wal", "-shm"):
                Path(f"{tmp}{extra}").unlink(missing_ok=True)

    def upgrade(self) -> list[str]:
        """Apply the pending schema migrations (and switch an old store to WAL)."""
        if not self.exists():
            raise InputFileError(self.path, "no store here; run `hotspots db init` first")
        with self._write("db"):
            done = list(self._migrated)
        with self._read() as con:
            mode = con.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                con.execute("PRAGMA journal_mode = WAL")
        return done

    # -- plain tables (accounts, audit) ------------------------------------------------------

    def _table_write(
        self, doing: str, *, audit: bool = False
    ) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        """The store's one write lock (SQLite has a single writer), not counted as a change."""
        del audit
        return self._write(doing, bump=False)

    def _table_read(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return self._read()

    # -- reading -----------------------------------------------------------------------------

    def read_layer(self, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
        """Read one layer (see :meth:`Store.read_layer`)."""
        columns = columns_of(name)
        if not self.exists():
            raise InputFileError(
                self.path,
                "no store here; import data with `hotspots import FILE` or run `hotspots demo`",
            )
        spatial = name in SPATIAL_LAYERS
        with self._read() as con:
            present = table_columns(con, name)
        stored = {c: t for c, t in columns.items() if c in present}
        try:
            # GDAL's own SQLite must not open the file while sqlite3 has it open in this
            # process (a long import, say): then read through sqlite3 instead
            with try_library_gate(self.path, "gdal", timeout_s=_GDAL_WAIT_S) as free:
                if not free:
                    raise _GdalUnavailableError(name)
                frame = self._read_arrow(name, stored, spatial=spatial)
        except Exception:
            logger.debug("reading %s through GDAL failed; falling back to SQL", name)
            with self._read() as con:
                frame = self._read_sql(con, name, stored, spatial=spatial)
        return _complete(frame, columns, spatial=spatial)

    def _read_arrow(
        self, name: str, columns: dict[str, str], *, spatial: bool
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        """Read a layer through GDAL's Arrow stream (several times faster than row tuples)."""
        meta, table = pyogrio.read_arrow(self.path, layer=name, columns=list(columns))
        frame = arrow_columns(table, columns)
        if not spatial:
            return frame
        geom_col = meta.get("geometry_name") or "geom"
        wkb = table.column(geom_col).to_numpy(zero_copy_only=False)
        geoms = shapely.from_wkb(wkb) if len(wkb) else np.array([], dtype=object)
        crs = CRS.from_user_input(meta["crs"])
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)

    def _read_sql(
        self, con: sqlite3.Connection, name: str, columns: dict[str, str], *, spatial: bool
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        cols = list(columns)
        select = ", ".join([f'"{c}"' for c in cols] + (["geom"] if spatial else []))
        rows = con.execute(f'SELECT {select} FROM "{name}" ORDER BY fid').fetchall()
        crs = self._layer_crs(con, name) if spatial else None
        data = list(zip(*rows, strict=True)) if rows else [() for _ in range(len(cols) + spatial)]
        frame = pd.DataFrame(
            {c: parse_column(list(data[i]), columns[c]) for i, c in enumerate(cols)}
        )
        if not spatial:
            return frame
        geoms = decode_points(list(data[-1])) if rows else np.array([], dtype=object)
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)

    # -- writing -----------------------------------------------------------------------------

    def _new_import(self, layer: str) -> StoreImport:
        return _GeoPackageImport(self, layer)

    def _actions_write(self) -> contextlib.AbstractContextManager[sqlite3.Connection]:
        return self._write("actions")

    def _read_actions(self, con: sqlite3.Connection) -> gpd.GeoDataFrame:
        present = table_columns(con, "actions")
        columns = {c: t for c, t in columns_of("actions").items() if c in present}
        frame = self._read_sql(con, "actions", columns, spatial=True)
        return _complete(frame, columns_of("actions"), spatial=True)  # type: ignore[return-value]

    # -- internals ---------------------------------------------------------------------------

    @staticmethod
    def _layer_crs(con: sqlite3.Connection, name: str) -> CRS:
        row = con.execute(
            "SELECT s.organization, s.organization_coordsys_id FROM gpkg_geometry_columns g "
            "JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id WHERE g.table_name = ?",
            (name,),
        ).fetchone()
        return CRS.from_user_input(f"{row[0]}:{row[1]}")

    def _rows(
        self, con: sqlite3.Connection, layer: str, frame: pd.DataFrame
    ) -> tuple[list[tuple[Any, ...]], list[str]]:
        columns = SPATIAL_LAYERS[layer]
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
        values = [column_values(frame[c], columns[c]) for c in cols]
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
        """Record a change of ``layer``: its change counter, ``last_change`` and extent."""
        con.execute(
            "UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (utc_now_text(), layer)
        )
        con.execute(
            "UPDATE hotspots_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = ?",
            (f"revision:{layer}",),
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
        record = provenance_record(layer, provenance, counts)
        cols = [c for c in IMPORT_COLUMNS if c in record]
        frame = pd.DataFrame({c: [record[c]] for c in cols})
        values = list(zip(*[column_values(frame[c], IMPORT_COLUMNS[c]) for c in cols], strict=True))
        names = ", ".join(f'"{c}"' for c in cols)
        con.executemany(
            f'INSERT INTO "imports" ({names}) VALUES ({", ".join("?" * len(cols))})', values
        )
        GeoPackageStore._touch(con, "imports")


def _complete(
    frame: gpd.GeoDataFrame | pd.DataFrame, columns: Mapping[str, str], *, spatial: bool
) -> gpd.GeoDataFrame | pd.DataFrame:
    """``frame`` with every column of the layer, in order.

    A store written by an earlier version lacks newer columns: they read as empty.
    """
    for col, dtype in columns.items():
        if col not in frame.columns:
            frame[col] = pd.Series(pd.NA, index=frame.index, dtype=dtype)
    cols = [*columns, "geometry"] if spatial else list(columns)
    return frame[cols]
