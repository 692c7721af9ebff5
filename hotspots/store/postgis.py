"""The PostgreSQL/PostGIS store: the same layers as the GeoPackage, shared by many users.

Tables ``incidents``, ``survey``, ``actions`` (PostGIS ``geometry(Point, srid)`` columns with
GiST indexes, registered in ``geometry_columns`` so QGIS lists them), ``imports`` and
``hotspots_meta`` (schema version, CRS and change counters) in the connection's schema.

- An import stages each chunk with ``COPY`` into a temporary table and applies it with one
  ``INSERT … ON CONFLICT (id) DO UPDATE … WHERE <something differs>``; the whole import is one
  transaction.
- Writers serialise on a transaction-level advisory lock, waited for up to ``busy_timeout_s``;
  the busy message names the holder (``application_name``) and since when. Readers never wait.
- Reads stream the rows out with ``COPY … TO STDOUT`` into Arrow.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Iterator, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa
import shapely
from psycopg import sql
from pyproj import CRS

from hotspots.core.errors import (
    CRSError,
    InputFileError,
    InputSchemaError,
    StoreError,
)
from hotspots.core.schema import TIMEZONE
from hotspots.store import pg_common
from hotspots.store._values import _iso_ms_texts, arrow_columns
from hotspots.store._writer import current_command, fault_point
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
    epsg_of,
    metric_crs_of,
    provenance_record,
)
from hotspots.store.pg_common import AUDIT_LOCK, WRITER_LOCK

__all__ = ["PostgisStore"]

logger = logging.getLogger(__name__)


def _pg_type(dtype: str) -> str:
    if dtype.startswith("datetime64[ns,"):
        return "timestamptz"
    if dtype.startswith("datetime64"):
        return "date"
    if dtype == "int64":
        return "bigint"
    if dtype == "float64":
        return "double precision"
    return "text"


def _ident(name: str) -> sql.Identifier:
    return sql.Identifier(name)


def _layer_ddl(name: str, srid: int) -> list[sql.Composed]:
    """``CREATE TABLE`` and indexes of one layer (schema version 1)."""
    columns = columns_of(name)
    defs = [sql.SQL("fid bigserial PRIMARY KEY")]
    for col, dtype in columns.items():
        not_null = sql.SQL(" NOT NULL") if col == "id" and name in SPATIAL_LAYERS else sql.SQL("")
        defs.append(sql.SQL("{} {}{}").format(_ident(col), sql.SQL(_pg_type(dtype)), not_null))
    if name in SPATIAL_LAYERS:
        defs.append(sql.SQL("geom geometry(Point, {})").format(sql.Literal(srid)))
    out = [
        sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(_ident(name), sql.SQL(", ").join(defs))
    ]
    if name in ATTRIBUTE_TABLES:
        key = "name" if name == "users" else "seq"
        out.append(
            sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} ({})").format(
                _ident(f"{name}_{key}_unique"), _ident(name), _ident(key)
            )
        )
    if name in SPATIAL_LAYERS:
        out.append(
            sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} (id)").format(
                _ident(f"{name}_id_unique"), _ident(name)
            )
        )
        if name == "actions":  # the imported layers get theirs after their first load
            out.append(_gist_sql(name))
    return out


def _gist_sql(name: str) -> sql.Composed:
    """The spatial index of a point layer (``CREATE INDEX IF NOT EXISTS``).

    Incidents and survey marks get it at the end of an import's transaction: building it once
    after a bulk load costs a fraction of keeping it up to date row by row (a 1,000,000-row
    first import: 17 s with the index against 5 s plus 3-6 s to build it). It takes a SHARE
    lock, so readers never wait; later imports keep it up to date.
    """
    return sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gist (geom)").format(
        _ident(f"{name}_geom_gist"), _ident(name)
    )


def _ensure_gist(con: psycopg.Connection[Any], name: str) -> None:
    """Build the spatial index of ``name`` if it is missing and this role owns the table.

    A role that may only write rows (README: PostgreSQL roles) leaves it to the next import
    or ``hotspots db upgrade`` by the owner; ``db check`` reports the missing index.
    """
    found = con.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{name}_geom_gist",)).fetchone()
    if found and found[0]:
        return
    con.execute("SAVEPOINT spatial_index")
    try:
        con.execute("SET LOCAL maintenance_work_mem = '256MB'")
        con.execute(_gist_sql(name))
    except psycopg.errors.InsufficientPrivilege:
        con.execute("ROLLBACK TO SAVEPOINT spatial_index")
        logger.warning("%s: no spatial index yet (only the table's owner can build it)", name)
    else:
        con.execute("RELEASE SAVEPOINT spatial_index")


class _PostgisImport(StoreImport):
    """An open import transaction of :meth:`PostgisStore.importing`."""

    def __init__(self, store: PostgisStore, layer: str) -> None:
        self._store = store
        self._layer = layer
        self._con: psycopg.Connection[Any] | None = None
        self._stack = contextlib.ExitStack()
        self.counts = UpsertCounts(0, 0, 0)

    def _open(self, crs: object | None) -> psycopg.Connection[Any]:
        if self._con is None:
            if not self._store.exists():
                self._store.init(crs=self._store._new_crs or crs)
            self._con = self._stack.enter_context(self._store._write("import", self._layer))
        return self._con

    def add(self, frame: gpd.GeoDataFrame, *, counted: bool = True) -> UpsertCounts:
        """Upsert one chunk inside the open transaction (see :meth:`StoreImport.add`)."""
        con = self._open(frame.crs)
        got = self._store._upsert(con, self._layer, frame)
        fault_point("chunk")
        if not counted:
            return UpsertCounts(0, 0, 0)
        self.counts = self.counts + got
        return got

    def _finish(self, provenance: Mapping[str, Any] | None, crs: object | None) -> None:
        con = self._open(crs)
        _ensure_gist(con, self._layer)
        if provenance is not None:
            self._store._write_provenance(con, self._layer, provenance, self.counts)


class PostgisStore(Store):
    """The store in the PostgreSQL database at ``url`` (PostGIS required).

    Parameters
    ----------
    url
        ``postgresql://user@host:port/dbname`` (the password from ``PGPASSWORD`` or
        ``~/.pgpass`` rather than the URL).
    crs
        Metric CRS for a new store; ``None`` takes it from the first frame written.
    busy_timeout_s
        Seconds to wait for another command's write lock.
    """

    backend = "postgresql"

    def __init__(
        self, url: str, *, crs: object | None = None, busy_timeout_s: float = 60.0
    ) -> None:
        super().__init__(crs=crs, busy_timeout_s=busy_timeout_s)
        self.url = pg_common.normalise_url(url)

    @property
    def location(self) -> str:
        """The URL without its password."""
        return pg_common.url_location(self.url)

    # -- connections -------------------------------------------------------------------------

    def _connect(self, doing: str = "read") -> psycopg.Connection[Any]:
        con = pg_common.connect(
            self.url,
            application_name=f"{current_command()} ({doing})",
            busy_timeout_s=self.busy_timeout_s,
        )
        con.execute("SET TIME ZONE 'UTC'")
        return con

    def _read(self) -> contextlib.AbstractContextManager[psycopg.Connection[Any]]:
        return pg_common.reading(self._connect(), location=self.location)

    def _busy_message(self, con: psycopg.Connection[Any], key: tuple[int, int]) -> str:
        return pg_common.busy_message(
            con,
            key,
            location=self.location,
            busy_timeout_s=self.busy_timeout_s,
            describe=lambda name: (
                "an import is running" if "import" in name else f"{name} is writing"
            ),
            nobody="another command is writing",
        )

    @contextlib.contextmanager
    def _write(
        self,
        doing: str,
        layer: str | None = None,
        *,
        key: tuple[int, int] = WRITER_LOCK,
        bump: bool = True,
    ) -> Iterator[psycopg.Connection[Any]]:
        """A writers' lock and one transaction: commits on success, else rolls back.

        ``bump`` counts the transaction as a change of the data (the app's cache key).
        """
        with pg_common.locked_transaction(
            self._connect(doing),
            key,
            busy_timeout_s=self.busy_timeout_s,
            busy=lambda con: self._busy_message(con, key),
            location=self.location,
            after_commit=lambda: fault_point("committed"),
        ) as con:
            self._migrated = self._migrate(con)
            yield con
            if bump:
                bumped = ["revision"] + ([f"revision:{layer}"] if layer else [])
                con.execute(
                    "UPDATE hotspots_meta SET value = (value::bigint + 1)::text "
                    "WHERE key = ANY(%s)",
                    (bumped,),
                )
            fault_point("commit")

    # -- state -------------------------------------------------------------------------------

    @staticmethod
    def _has_layers(con: psycopg.Connection[Any]) -> bool:
        row = con.execute(
            "SELECT to_regclass('incidents') IS NOT NULL AND to_regclass('survey') IS NOT NULL"
        ).fetchone()
        return bool(row and row[0])

    def exists(self) -> bool:
        """Whether the database holds the store's layers (see :class:`Store`)."""
        with self._read() as con:
            return self._has_layers(con)

    @staticmethod
    def _meta(con: psycopg.Connection[Any], key: str) -> str | None:
        row = con.execute("SELECT value FROM hotspots_meta WHERE key = %s", (key,)).fetchone()
        return None if row is None else str(row[0])

    def data_version(self) -> str:
        """A token that changes with every committed write (a cache key)."""
        with self._read() as con:
            if not self._has_layers(con):
                return "absent"
            revision = self._meta(con, "revision")
        return hashlib.sha1(f"{self.location}|{revision}".encode()).hexdigest()[:16]

    def layer_version(self, name: str) -> str:
        """A token that changes whenever layer ``name`` changes."""
        columns_of(name)
        with self._read() as con:
            if not self._has_layers(con):
                return "absent"
            revision = self._meta(con, f"revision:{name}")
        return hashlib.sha1(f"{self.location}|{name}|{revision}".encode()).hexdigest()[:16]

    @property
    def crs(self) -> CRS | None:
        """The store's metric CRS, or ``None`` when the store does not exist yet."""
        with self._read() as con:
            if not self._has_layers(con):
                return None
            code = self._meta(con, "crs")
        return CRS.from_user_input(code) if code else None

    def check(self) -> StoreCheck:
        """Schema version, rows per layer and integrity checks (ids, SRIDs, validity)."""
        with self._read() as con:
            if not self._has_layers(con):
                return StoreCheck(self.backend, self.location, 0, SCHEMA_VERSION, {}, [], None)
            version = int(self._meta(con, "schema_version") or 0)
            crs = self._meta(con, "crs")
            srid = epsg_of(CRS.from_user_input(crs)) if crs else 0
            counts: dict[str, int] = {}
            problems: list[str] = []
            for name in (*SPATIAL_LAYERS, "imports"):
                counts[name] = int(
                    con.execute(sql.SQL("SELECT count(*) FROM {}").format(_ident(name))).fetchone()[
                        0
                    ]  # type: ignore[index]
                )
            for name in SPATIAL_LAYERS:
                bad = con.execute(
                    sql.SQL(
                        "SELECT count(*) FILTER (WHERE id IS NULL), "
                        "count(*) - count(DISTINCT id), "
                        "count(*) FILTER (WHERE geom IS NOT NULL AND ST_SRID(geom) <> {}), "
                        "count(*) FILTER (WHERE geom IS NOT NULL AND NOT ST_IsValid(geom)) "
                        "FROM {}"
                    ).format(sql.Literal(srid), _ident(name))
                ).fetchone()
                assert bad is not None
                for count, what in zip(
                    bad,
                    ("rows without an id", "duplicate ids", "wrong SRID", "invalid points"),
                    strict=True,
                ):
                    if count:
                        problems.append(f"{name}: {count} {what}")
            for name in SPATIAL_LAYERS:
                index = con.execute(
                    "SELECT to_regclass(%s) IS NOT NULL", (f"{name}_geom_gist",)
                ).fetchone()
                if counts.get(name) and not (index and index[0]):
                    problems.append(f"{name}: no spatial index (the next import builds it)")
            registered = con.execute(
                "SELECT count(*) FROM geometry_columns WHERE f_table_name = ANY(%s) "
                "AND f_table_schema = current_schema()",
                (list(SPATIAL_LAYERS),),
            ).fetchone()
            if registered is None or registered[0] != len(SPATIAL_LAYERS):
                problems.append("geometry columns are not all registered in geometry_columns")
        if version < SCHEMA_VERSION:
            problems.append(
                f"schema version {version} < {SCHEMA_VERSION}: run `hotspots db upgrade`"
            )
        return StoreCheck(
            self.backend, self.location, version, SCHEMA_VERSION, counts, problems, crs
        )

    # -- schema ------------------------------------------------------------------------------

    def init(self, *, crs: object | None = None) -> bool:
        """Create PostGIS (if the role may), the layers and ``hotspots_meta`` if absent."""
        con = self._connect("db init")
        try:
            con.execute("BEGIN")
            pg_common.take_lock(
                con,
                WRITER_LOCK,
                self.busy_timeout_s,
                lambda c: self._busy_message(c, WRITER_LOCK),
            )
            if self._has_layers(con):
                con.execute("ROLLBACK")
                return False
            has_postgis = con.execute(
                "SELECT 1 FROM pg_extension WHERE extname = 'postgis'"
            ).fetchone()
            if has_postgis is None:
                try:
                    con.execute("CREATE EXTENSION IF NOT EXISTS postgis")
                except psycopg.Error as exc:
                    msg = (
                        f"{self.location}: PostGIS is not installed in this database and this "
                        f"role cannot install it ({str(exc).strip()}); ask the database owner "
                        "to run CREATE EXTENSION postgis"
                    )
                    raise StoreError(msg) from exc
            target = metric_crs_of(self._new_crs or crs)
            srid = epsg_of(target)
            for name in (*SPATIAL_LAYERS, "imports", *ATTRIBUTE_TABLES):
                for statement in _layer_ddl(name, srid):
                    con.execute(statement)
            con.execute(
                "CREATE TABLE IF NOT EXISTS hotspots_meta (key text PRIMARY KEY, value text)"
            )
            rows = [
                ("schema_version", str(SCHEMA_VERSION)),
                ("crs", f"EPSG:{srid}"),
                ("revision", "0"),
            ]
            rows += [(f"revision:{name}", "0") for name in (*SPATIAL_LAYERS, "imports")]
            with con.cursor() as cur:
                cur.executemany(
                    "INSERT INTO hotspots_meta VALUES (%s, %s) ON CONFLICT (key) DO NOTHING", rows
                )
            con.execute("COMMIT")
            logger.info("created the store in %s (EPSG:%s)", self.location, srid)
            return True
        except BaseException:
            if not con.closed and con.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def _migrate(self, con: psycopg.Connection[Any]) -> list[str]:
        """Bring the schema up to date inside the caller's write transaction."""
        done: list[str] = []
        if int(self._meta(con, "schema_version") or 0) < 3:
            for name in ATTRIBUTE_TABLES:
                for statement in _layer_ddl(name, 0):
                    con.execute(statement)
            con.execute("UPDATE hotspots_meta SET value = '3' WHERE key = 'schema_version'")
            done.append("3: users and audit tables (accounts, hash-chained audit log)")
        for name in (*SPATIAL_LAYERS, "imports"):
            present = {
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM information_schema.columns "
                    "WHERE table_schema = current_schema() AND table_name = %s",
                    (name,),
                )
            }
            for col, dtype in columns_of(name).items():
                if col not in present:
                    con.execute(
                        sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                            _ident(name), _ident(col), sql.SQL(_pg_type(dtype))
                        )
                    )
                    done.append(f"{name}.{col} added")
        return done

    def upgrade(self) -> list[str]:
        """Apply the pending schema migrations."""
        if not self.exists():
            raise InputFileError(self.location, "no store here; run `hotspots db init` first")
        with self._write("db upgrade") as con:
            for name in SPATIAL_LAYERS:
                _ensure_gist(con, name)
            return list(self._migrated)

    # -- plain tables (accounts, audit) ------------------------------------------------------

    _ph = "%s"

    def _table_write(
        self, doing: str, *, audit: bool = False
    ) -> contextlib.AbstractContextManager[psycopg.Connection[Any]]:
        """A write transaction not counted as a change; the audit log has its own lock."""
        return self._write(doing, key=AUDIT_LOCK if audit else WRITER_LOCK, bump=False)

    def _table_read(self) -> contextlib.AbstractContextManager[psycopg.Connection[Any]]:
        return self._read()

    # -- reading -----------------------------------------------------------------------------

    def read_layer(self, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
        """Read one layer (see :meth:`Store.read_layer`)."""
        columns = columns_of(name)
        with self._read() as con:
            if not self._has_layers(con):
                raise InputFileError(
                    self.location,
                    "no store here; import data with `hotspots import FILE --db URL` or run "
                    "`hotspots db init --db URL`",
                )
            return self._read_with(con, name, columns)

    def _read_with(
        self, con: psycopg.Connection[Any], name: str, columns: Mapping[str, str]
    ) -> gpd.GeoDataFrame | pd.DataFrame:
        spatial = name in SPATIAL_LAYERS
        selects: list[sql.Composable] = []
        types: dict[str, pa.DataType] = {}
        for col, dtype in columns.items():
            if dtype.startswith("datetime64[ns,"):
                selects.append(
                    sql.SQL("(extract(epoch FROM {}) * 1000)::bigint").format(_ident(col))
                )
                types[col] = pa.int64()
            elif dtype.startswith("datetime64"):
                selects.append(sql.SQL("to_char({}, 'YYYY-MM-DD')").format(_ident(col)))
                types[col] = pa.string()
            elif dtype == "int64":
                selects.append(_ident(col))
                types[col] = pa.int64()
            elif dtype == "float64":
                selects.append(_ident(col))
                types[col] = pa.float64()
            else:
                selects.append(_ident(col))
                types[col] = pa.string()
        if spatial:
            selects += [sql.SQL("ST_X(geom)"), sql.SQL("ST_Y(geom)")]
            types["_x"] = pa.float64()
            types["_y"] = pa.float64()
        query = sql.SQL("SELECT {} FROM {} ORDER BY fid").format(
            sql.SQL(", ").join(selects), _ident(name)
        )
        table = pg_common.copy_out_arrow(con, query, (), types)
        for col, dtype in columns.items():
            if dtype.startswith("datetime64[ns,"):
                idx = table.schema.get_field_index(col)
                table = table.set_column(
                    idx, col, table.column(col).cast(pa.timestamp("ms", tz="UTC"))
                )
        frame = arrow_columns(table, dict(columns))
        if not spatial:
            return frame
        crs = CRS.from_user_input(self._meta(con, "crs") or "EPSG:3006")
        x = table.column("_x").to_numpy(zero_copy_only=False)
        y = table.column("_y").to_numpy(zero_copy_only=False)
        geoms = shapely.points(x, y) if len(x) else np.array([], dtype=object)
        return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)

    # -- writing -----------------------------------------------------------------------------

    def _new_import(self, layer: str) -> StoreImport:
        return _PostgisImport(self, layer)

    def _actions_write(self) -> contextlib.AbstractContextManager[psycopg.Connection[Any]]:
        return self._write("actions", "actions")

    def _read_actions(self, con: psycopg.Connection[Any]) -> gpd.GeoDataFrame:
        return self._read_with(con, "actions", columns_of("actions"))  # type: ignore[return-value]

    def _upsert(
        self, con: psycopg.Connection[Any], layer: str, frame: gpd.GeoDataFrame
    ) -> UpsertCounts:
        """Stage ``frame`` with COPY and upsert it by id (the last row of an id wins)."""
        if not len(frame):
            return UpsertCounts(0, 0, 0)
        columns = SPATIAL_LAYERS[layer]
        crs = CRS.from_user_input(self._meta(con, "crs") or "EPSG:3006")
        if not isinstance(frame, gpd.GeoDataFrame) or frame.crs is None:
            msg = f"{layer}: the frame needs point geometries with a CRS (the store is in {crs})"
            raise CRSError(msg)
        if not frame.crs.equals(crs):
            frame = frame.to_crs(crs)
        geom = frame.geometry
        if not (geom.geom_type == "Point").all():
            msg = f"{layer}: every geometry must be a point"
            raise InputSchemaError(msg)
        if "id" not in frame.columns or frame["id"].isna().any():
            msg = f"{layer}: every row needs an id"
            raise InputSchemaError(msg)
        cols = [c for c in columns if c in frame.columns]
        table = _arrow_rows(frame, cols, columns)
        table = table.append_column("_x", pa.array(shapely.get_x(geom.values)))
        table = table.append_column("_y", pa.array(shapely.get_y(geom.values)))
        table = table.append_column("_ord", pa.array(np.arange(len(frame), dtype=np.int64)))
        stage = _ident(f"_stage_{layer}")
        con.execute(
            sql.SQL(
                "CREATE TEMP TABLE IF NOT EXISTS {} ({}, _x double precision, "
                "_y double precision, _ord bigint) ON COMMIT DROP"
            ).format(
                stage,
                sql.SQL(", ").join(
                    sql.SQL("{} {}").format(_ident(c), sql.SQL(_pg_type(columns[c]))) for c in cols
                ),
            )
        )
        con.execute(sql.SQL("TRUNCATE {}").format(stage))
        names = sql.SQL(", ").join(_ident(c) for c in [*cols, "_x", "_y", "_ord"])
        pg_common.copy_in_arrow(
            con, sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(stage, names), table
        )
        srid = epsg_of(crs)
        target = _ident(layer)
        data_cols = sql.SQL(", ").join(_ident(c) for c in cols)
        compared = [c for c in cols if c not in ("id", "import_id")]
        left = sql.SQL(", ").join(
            [sql.SQL("t.{}").format(_ident(c)) for c in compared]
            + [sql.SQL("ST_X(t.geom)"), sql.SQL("ST_Y(t.geom)")]
        )
        right = sql.SQL(", ").join(
            [sql.SQL("EXCLUDED.{}").format(_ident(c)) for c in compared]
            + [sql.SQL("ST_X(EXCLUDED.geom)"), sql.SQL("ST_Y(EXCLUDED.geom)")]
        )
        sets = sql.SQL(", ").join(
            [sql.SQL("{} = EXCLUDED.{}").format(_ident(c), _ident(c)) for c in cols if c != "id"]
            + [sql.SQL("geom = EXCLUDED.geom")]
        )
        row = con.execute(
            sql.SQL(
                "WITH src AS (SELECT DISTINCT ON (id) * FROM {stage} ORDER BY id, _ord DESC), "
                "up AS (INSERT INTO {target} AS t ({cols}, geom) "
                "SELECT {cols}, ST_SetSRID(ST_MakePoint(_x, _y), {srid}) FROM src ORDER BY _ord "
                "ON CONFLICT (id) DO UPDATE SET {sets} WHERE ({left}) IS DISTINCT FROM ({right}) "
                "RETURNING (xmax = 0) AS inserted) "
                "SELECT (SELECT count(*) FROM src), count(*) FILTER (WHERE inserted), "
                "count(*) FILTER (WHERE NOT inserted) FROM up"
            ).format(
                stage=stage,
                target=target,
                cols=data_cols,
                srid=sql.Literal(srid),
                sets=sets,
                left=left,
                right=right,
            )
        ).fetchone()
        assert row is not None
        distinct, inserted, updated = (int(v) for v in row)
        return UpsertCounts(inserted, updated, distinct - inserted - updated)

    def _write_provenance(
        self,
        con: psycopg.Connection[Any],
        layer: str,
        provenance: Mapping[str, Any],
        counts: UpsertCounts,
    ) -> None:
        record = provenance_record(layer, provenance, counts)
        cols = [c for c in IMPORT_COLUMNS if c in record]
        values = []
        for c in cols:
            value = record[c]
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                values.append(None)
            elif isinstance(value, pd.Timestamp):
                values.append(value.to_pydatetime())
            elif IMPORT_COLUMNS[c] == "int64":
                values.append(int(value))
            else:
                values.append(str(value))
        con.execute(
            sql.SQL("INSERT INTO imports ({}) VALUES ({})").format(
                sql.SQL(", ").join(_ident(c) for c in cols),
                sql.SQL(", ").join(sql.Placeholder() * len(cols)),
            ),
            values,
        )
        con.execute(
            "UPDATE hotspots_meta SET value = (value::bigint + 1)::text "
            "WHERE key = 'revision:imports'"
        )


def _arrow_rows(frame: pd.DataFrame, cols: list[str], columns: Mapping[str, str]) -> pa.Table:
    """The columns of ``frame`` as Arrow text/number arrays ready for a CSV ``COPY``."""
    arrays: dict[str, pa.Array] = {}
    for col in cols:
        dtype = columns[col]
        ser = frame[col]
        if dtype.startswith("datetime64[ns,"):
            idx = pd.DatetimeIndex(ser)
            if idx.tz is None:
                idx = idx.tz_localize(TIMEZONE)
            utc = idx.tz_convert("UTC").tz_localize(None).to_numpy(dtype="datetime64[ms]")
            arrays[col] = _iso_ms_texts(utc, np.isnat(utc))
        elif dtype.startswith("datetime64"):
            idx = pd.DatetimeIndex(pd.to_datetime(ser, errors="coerce"))
            if idx.tz is not None:
                idx = idx.tz_convert(TIMEZONE).tz_localize(None)
            days = idx.to_numpy(dtype="datetime64[D]")
            text = np.datetime_as_string(days, unit="D").astype(object)
            text[np.isnat(days)] = None
            arrays[col] = pa.array(text, type=pa.string())
        elif dtype == "int64":
            arrays[col] = pa.array(pd.array(ser, dtype="Int64"), type=pa.int64())
        elif dtype == "float64":
            arrays[col] = pa.array(pd.array(ser, dtype="Float64"), type=pa.float64())
        else:
            arrays[col] = pa.array(ser.astype("string").array, type=pa.string())
    return pa.table(arrays)
