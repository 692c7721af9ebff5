"""Patrol tracks, stops, passages and the activity log in the PostgreSQL store.

:class:`PgTrackStore` is the :class:`~hotspots.dosage.storage.TrackStore` of a store that is a
PostgreSQL database: its tables live beside the store's layers, in the connection's schema,
under names of their own (``tracks_*``), so one database (and one backup) holds everything.
They are plain attribute tables with ``x``/``y`` columns in EPSG:3006 metres, as in the
GeoPackage tracks file.

Tables
------
``tracks_pings``
    Raw positions, primary key (``unit``, ``t_ms``): a repeated import changes nothing.
``tracks_stops``, ``tracks_passages``
    What a reduction keeps of old pings.
``tracks_places``
    Areas whose passages are kept (``wkt`` in metres).
``tracks_reduced``
    Per unit, the time before which its pings were reduced.
``tracks_activities``
    The activity log (``row_hash`` unique).
``tracks_imports``
    One row per import.
``tracks_meta``
    ``schema_version``, ``key_id`` (an id of the pseudonymisation key, never the key) and
    ``revision`` (counts the writes; :meth:`PgTrackStore.data_version`).

The tables are created by the first write, inside its transaction and under the tracks'
advisory lock (``CREATE TABLE IF NOT EXISTS``), so two first imports at once create them once.
Every write is one transaction under that lock, which is apart from the store's writer lock:
a tracks import never waits for an incident import. Writers wait up to ``busy_timeout_s``,
then :class:`~hotspots.core.errors.StoreBusyError`; readers never wait. Bulk rows go in with
``COPY`` into a temporary table and one ``INSERT … ON CONFLICT DO NOTHING``, and come out with
``COPY … TO STDOUT`` into Arrow.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd
import psycopg
import pyarrow as pa

from hotspots.core.errors import InputSchemaError, StoreError
from hotspots.dosage.storage import (
    ACTIVITY_COLUMNS,
    IMPORT_TABLE_COLUMNS,
    PASSAGE_COLUMNS,
    PLACE_COLUMNS,
    SCHEMA_VERSION,
    STOP_COLUMNS,
    TRACK_TABLE_NAMES,
    ImportRecord,
    Reduction,
    TracksCheck,
    WriteCounts,
    key_mismatch_message,
    typed_pings,
)
from hotspots.store import pg_common
from hotspots.store.pg_common import TRACKS_LOCK

__all__ = ["TRACK_TABLES", "PgTrackStore"]

#: ``CREATE TABLE`` bodies of the tracks tables (schema version 1).
TRACK_TABLES: dict[str, str] = {
    "tracks_meta": "name text PRIMARY KEY, value text",
    "tracks_imports": (
        "seq bigserial PRIMARY KEY, import_id text NOT NULL, file text NOT NULL, "
        "kind text NOT NULL, imported_at text NOT NULL, rows_read bigint, accepted bigint, "
        "inserted bigint, rejected bigint, key_id text"
    ),
    "tracks_pings": (
        "unit text NOT NULL, officer text, t_ms bigint NOT NULL, x double precision NOT NULL, "
        "y double precision NOT NULL, import_id text, PRIMARY KEY (unit, t_ms)"
    ),
    "tracks_stops": (
        "unit text NOT NULL, officer text, start_ms bigint NOT NULL, end_ms bigint NOT NULL, "
        "x double precision NOT NULL, y double precision NOT NULL, n_pings bigint NOT NULL, "
        "PRIMARY KEY (unit, start_ms)"
    ),
    "tracks_passages": (
        "place_id text NOT NULL, unit text NOT NULL, start_ms bigint NOT NULL, "
        "end_ms bigint NOT NULL, stopped boolean NOT NULL, PRIMARY KEY (place_id, unit, start_ms)"
    ),
    "tracks_places": "place_id text PRIMARY KEY, name text, kind text, wkt text NOT NULL",
    "tracks_reduced": "unit text PRIMARY KEY, before_ms bigint NOT NULL",
    "tracks_activities": (
        "seq bigserial PRIMARY KEY, start_ms bigint NOT NULL, day text NOT NULL, time text, "
        "kind text NOT NULL, place text NOT NULL, minutes double precision NOT NULL, unit text, "
        "officer text, row_hash text NOT NULL UNIQUE, import_id text"
    ),
}
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS tracks_pings_t ON tracks_pings (t_ms)",
    "CREATE INDEX IF NOT EXISTS tracks_stops_t ON tracks_stops (start_ms)",
    "CREATE INDEX IF NOT EXISTS tracks_passages_t ON tracks_passages (start_ms)",
    "CREATE INDEX IF NOT EXISTS tracks_activities_t ON tracks_activities (start_ms)",
)
_PING_TYPES = {
    "unit": pa.string(),
    "officer": pa.string(),
    "t_ms": pa.int64(),
    "x": pa.float64(),
    "y": pa.float64(),
}
_STOP_TYPES = {
    "unit": pa.string(),
    "officer": pa.string(),
    "start_ms": pa.int64(),
    "end_ms": pa.int64(),
    "x": pa.float64(),
    "y": pa.float64(),
    "n_pings": pa.int64(),
}
_PASSAGE_TYPES = {
    "place_id": pa.string(),
    "unit": pa.string(),
    "start_ms": pa.int64(),
    "end_ms": pa.int64(),
    "stopped": pa.bool_(),
}
_PLACE_TYPES = {c: pa.string() for c in PLACE_COLUMNS}
_ACTIVITY_TYPES = {
    "start_ms": pa.int64(),
    "day": pa.string(),
    "time": pa.string(),
    "kind": pa.string(),
    "place": pa.string(),
    "minutes": pa.float64(),
    "unit": pa.string(),
    "officer": pa.string(),
    "row_hash": pa.string(),
}
_IMPORT_TYPES = {
    "import_id": pa.string(),
    "file": pa.string(),
    "kind": pa.string(),
    "imported_at": pa.string(),
    "rows_read": pa.int64(),
    "accepted": pa.int64(),
    "inserted": pa.int64(),
    "rejected": pa.int64(),
    "key_id": pa.string(),
}
_PG_TYPES = {
    pa.string(): "text",
    pa.int64(): "bigint",
    pa.float64(): "double precision",
    pa.bool_(): "boolean",
}


def _range_sql(column: str, start_ms: int | None, end_ms: int | None) -> tuple[str, list[int]]:
    parts: list[str] = []
    args: list[int] = []
    if start_ms is not None:
        parts.append(f"{column} >= %s")
        args.append(int(start_ms))
    if end_ms is not None:
        parts.append(f"{column} < %s")
        args.append(int(end_ms))
    return (" WHERE " + " AND ".join(parts)) if parts else "", args


def _arrow_table(frame: pd.DataFrame, types: dict[str, pa.DataType]) -> pa.Table:
    """``frame``'s columns typed as ``types`` says, ready for ``COPY … (FORMAT csv)``."""
    arrays = {}
    for col, typ in types.items():
        ser = frame[col]
        if typ == pa.string():
            arrays[col] = pa.array(ser.astype("string").array, type=typ)
        elif typ == pa.bool_():
            arrays[col] = pa.array(ser.astype(bool).to_numpy(), type=typ)
        else:
            arrays[col] = pa.array(ser.to_numpy(dtype=typ.to_pandas_dtype()), type=typ)
    return pa.table(arrays)


class PgTrackStore:
    """The tracks, stops and activity log in the PostgreSQL store at ``url``.

    Parameters
    ----------
    url
        ``postgresql://user@host:port/dbname`` (the password from ``PGPASSWORD`` or
        ``~/.pgpass`` rather than the URL).
    busy_timeout_s
        Seconds to wait for another tracks writer before :class:`StoreBusyError`.
    """

    def __init__(self, url: str, *, busy_timeout_s: float = 60.0) -> None:
        self.url = pg_common.normalise_url(url)
        self.busy_timeout_s = float(busy_timeout_s)

    def __str__(self) -> str:
        return self.location

    def __repr__(self) -> str:
        return f"PgTrackStore({self.location!r})"

    @property
    def location(self) -> str:
        """The URL without its password."""
        return pg_common.url_location(self.url)

    @property
    def folder(self) -> None:
        """No folder: files written beside the tracks (rejects) go beside the input file."""
        return None

    # -- connections -----------------------------------------------------------------------

    def _connect(self, doing: str) -> psycopg.Connection[Any]:
        return pg_common.connect(
            self.url,
            application_name=f"hotspots tracks ({doing})",
            busy_timeout_s=self.busy_timeout_s,
        )

    @staticmethod
    def _has_tables(con: psycopg.Connection[Any]) -> bool:
        row = con.execute(
            "SELECT to_regclass('tracks_pings') IS NOT NULL "
            "AND to_regclass('tracks_meta') IS NOT NULL"
        ).fetchone()
        return bool(row and row[0])

    @contextlib.contextmanager
    def _read(self) -> Iterator[psycopg.Connection[Any] | None]:
        with pg_common.reading(
            self._connect("read"), location=self.location, doing="read the tracks"
        ) as con:
            yield con if self._has_tables(con) else None

    def _busy_message(self, con: psycopg.Connection[Any]) -> str:
        return pg_common.busy_message(
            con,
            TRACKS_LOCK,
            location=self.location,
            busy_timeout_s=self.busy_timeout_s,
            describe=lambda name: f"{name} is writing the tracks",
            nobody="another command is writing the tracks",
        )

    @contextlib.contextmanager
    def _write(self, doing: str) -> Iterator[psycopg.Connection[Any]]:
        """The tracks' lock and one transaction: commits on success, else rolls back."""
        with pg_common.locked_transaction(
            self._connect(doing),
            TRACKS_LOCK,
            busy_timeout_s=self.busy_timeout_s,
            busy=self._busy_message,
            location=self.location,
            doing="write the tracks",
        ) as con:
            self._create(con)
            yield con
            con.execute(
                "UPDATE tracks_meta SET value = (value::bigint + 1)::text WHERE name = 'revision'"
            )

    def _create(self, con: psycopg.Connection[Any]) -> None:
        """Create the tables if absent (under the lock); refuse a newer schema."""
        if self._has_tables(con):
            row = con.execute(
                "SELECT value FROM tracks_meta WHERE name = 'schema_version'"
            ).fetchone()
            if row is not None and int(row[0]) > SCHEMA_VERSION:
                msg = (
                    f"{self.location}: the tracks were written by a newer hotspots (tracks "
                    f"schema {row[0]}, this one knows {SCHEMA_VERSION}); upgrade hotspots"
                )
                raise StoreError(msg)
        for name, columns in TRACK_TABLES.items():
            con.execute(f"CREATE TABLE IF NOT EXISTS {name} ({columns})")
        for statement in _INDEXES:
            con.execute(statement)
        con.execute(
            "INSERT INTO tracks_meta (name, value) VALUES ('schema_version', %s), "
            "('revision', '0') ON CONFLICT (name) DO NOTHING",
            (str(SCHEMA_VERSION),),
        )

    # -- reading ---------------------------------------------------------------------------

    def _copy_out(
        self,
        con: psycopg.Connection[Any] | None,
        query: str,
        args: Sequence[int],
        types: dict[str, pa.DataType],
    ) -> pd.DataFrame:
        """Rows of ``query`` (its columns in the order of ``types``) as a frame."""
        if con is None:
            table = pa.table({c: pa.array([], type=t) for c, t in types.items()})
        else:
            table = pg_common.copy_out_arrow(con, query, args, types)
        frame = table.to_pandas()
        if "officer" in frame:  # as the tracks file gives it: None where no officer is known
            frame["officer"] = frame["officer"].astype(object).where(frame["officer"].notna(), None)
        return frame

    def exists(self) -> bool:
        """Whether the database holds the tracks tables."""
        with self._read() as con:
            return con is not None

    def key_id(self) -> str | None:
        """Id of the key the stored pseudonyms were made with, or ``None``."""
        with self._read() as con:
            if con is None:
                return None
            row = con.execute("SELECT value FROM tracks_meta WHERE name = 'key_id'").fetchone()
            return None if row is None else str(row[0])

    def check(self) -> TracksCheck:
        """Rows per ``tracks_*`` table, the tracks' schema version, missing tables."""
        with self._read() as con:
            if con is None:
                return TracksCheck.absent("postgresql", self.location)
            row = con.execute(
                "SELECT value FROM tracks_meta WHERE name = 'schema_version'"
            ).fetchone()
            version = int(row[0]) if row is not None else 0
            counts: dict[str, int] = {}
            problems: list[str] = []
            for name in (f"tracks_{n}" for n in TRACK_TABLE_NAMES):
                there = con.execute("SELECT to_regclass(%s) IS NOT NULL", (name,)).fetchone()
                if not (there and there[0]):
                    problems.append(f"{name}: table missing (the next tracks write creates it)")
                    continue
                got = con.execute(f"SELECT count(*) FROM {name}").fetchone()
                counts[name] = int(got[0]) if got is not None else 0
        return TracksCheck.of_tables(
            "postgresql", self.location, schema_version=version, counts=counts, problems=problems
        )

    def data_version(self) -> str:
        """A token that changes with every committed write of the tracks (a cache key)."""
        with self._read() as con:
            if con is None:
                return "absent"
            row = con.execute("SELECT value FROM tracks_meta WHERE name = 'revision'").fetchone()
        revision = "0" if row is None else str(row[0])
        return hashlib.sha1(f"{self.location}|tracks|{revision}".encode()).hexdigest()[:16]

    def pings(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Raw pings with ``start_ms <= t_ms < end_ms``, sorted by unit and time."""
        where, args = _range_sql("t_ms", start_ms, end_ms)
        with self._read() as con:
            frame = self._copy_out(
                con, f"SELECT unit, officer, t_ms, x, y FROM tracks_pings{where}", args, _PING_TYPES
            )
        return typed_pings(frame)

    def stops(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Stored stops with ``start_ms <= start < end_ms``."""
        where, args = _range_sql("start_ms", start_ms, end_ms)
        with self._read() as con:
            return self._copy_out(
                con,
                f"SELECT {', '.join(STOP_COLUMNS)} FROM tracks_stops{where} "
                "ORDER BY unit, start_ms",
                args,
                _STOP_TYPES,
            )

    def passages(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Stored passages with ``start_ms <= start < end_ms``."""
        where, args = _range_sql("start_ms", start_ms, end_ms)
        with self._read() as con:
            return self._copy_out(
                con,
                f"SELECT {', '.join(PASSAGE_COLUMNS)} FROM tracks_passages{where} "
                "ORDER BY place_id, unit, start_ms",
                args,
                _PASSAGE_TYPES,
            )

    def reduced_before(self) -> dict[str, int]:
        """Per unit, the time (UTC ms) before which its pings were reduced."""
        with self._read() as con:
            if con is None:
                return {}
            rows = con.execute("SELECT unit, before_ms FROM tracks_reduced").fetchall()
        return {str(u): int(t) for u, t in rows}

    def places(self) -> pd.DataFrame:
        """The registered places."""
        with self._read() as con:
            return self._copy_out(
                con,
                f"SELECT {', '.join(PLACE_COLUMNS)} FROM tracks_places ORDER BY place_id",
                [],
                _PLACE_TYPES,
            )

    def activities(self, *, start_ms: int | None = None, end_ms: int | None = None) -> pd.DataFrame:
        """Activity lines with ``start_ms <= start < end_ms``, in time order."""
        where, args = _range_sql("start_ms", start_ms, end_ms)
        with self._read() as con:
            return self._copy_out(
                con,
                f"SELECT {', '.join(ACTIVITY_COLUMNS)} FROM tracks_activities{where} "
                "ORDER BY start_ms, seq",
                args,
                _ACTIVITY_TYPES,
            )

    def imports(self) -> pd.DataFrame:
        """The imports, oldest first."""
        with self._read() as con:
            return self._copy_out(
                con,
                f"SELECT {', '.join(IMPORT_TABLE_COLUMNS)} FROM tracks_imports ORDER BY seq",
                [],
                _IMPORT_TYPES,
            )

    # -- writing ---------------------------------------------------------------------------

    def _check_key(self, con: psycopg.Connection[Any], key_id: str) -> None:
        if not key_id:
            return
        row = con.execute("SELECT value FROM tracks_meta WHERE name = 'key_id'").fetchone()
        if row is None:
            con.execute("INSERT INTO tracks_meta (name, value) VALUES ('key_id', %s)", (key_id,))
        elif str(row[0]) != key_id:
            raise InputSchemaError(key_mismatch_message(self.location, key_id, str(row[0])))

    @staticmethod
    def _record(con: psycopg.Connection[Any], record: ImportRecord, inserted: int) -> None:
        con.execute(
            f"INSERT INTO tracks_imports ({', '.join(IMPORT_TABLE_COLUMNS)}) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
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

    @staticmethod
    def _stage(
        con: psycopg.Connection[Any], name: str, frame: pd.DataFrame, types: dict[str, pa.DataType]
    ) -> None:
        """``frame`` into the temporary table ``name`` (dropped at commit) with ``COPY``."""
        columns = ", ".join(f"{c} {_PG_TYPES[t]}" for c, t in types.items())
        con.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({columns}) ON COMMIT DROP")
        con.execute(f"TRUNCATE {name}")
        if not len(frame):
            return
        pg_common.copy_in_arrow(
            con,
            f"COPY {name} ({', '.join(types)}) FROM STDIN (FORMAT csv)",
            _arrow_table(frame, types),
        )

    def add_pings(self, pings: pd.DataFrame, record: ImportRecord) -> WriteCounts:
        """Store validated pings in one transaction (unit and time already stored: unchanged).

        Raises
        ------
        InputSchemaError
            When ``record.key_id`` differs from the key id stored by earlier imports.
        """
        with self._write("import") as con:
            self._check_key(con, record.key_id)
            self._stage(con, "_stage_pings", pings, _PING_TYPES)
            cur = con.execute(
                "INSERT INTO tracks_pings (unit, officer, t_ms, x, y, import_id) "
                "SELECT unit, officer, t_ms, x, y, %s FROM _stage_pings "
                "ON CONFLICT (unit, t_ms) DO NOTHING",
                (record.import_id,),
            )
            inserted = max(0, cur.rowcount)
            self._record(con, record, inserted)
        return WriteCounts(inserted=inserted, unchanged=len(pings) - inserted)

    def register_places(self, places: pd.DataFrame) -> int:
        """Add or replace places by ``place_id`` (one transaction)."""
        with self._write("places") as con, con.cursor() as cur:
            cur.executemany(
                "INSERT INTO tracks_places (place_id, name, kind, wkt) VALUES (%s, %s, %s, %s) "
                "ON CONFLICT (place_id) DO UPDATE SET name = EXCLUDED.name, "
                "kind = EXCLUDED.kind, wkt = EXCLUDED.wkt",
                list(places[list(PLACE_COLUMNS)].astype(str).itertuples(index=False, name=None)),
            )
        return len(places)

    def reduce(
        self, before_ms: int, reducer: Callable[[pd.DataFrame, pd.DataFrame], Reduction]
    ) -> Reduction:
        """Reduce the pings before ``before_ms`` in one write transaction (see the contract)."""
        with self._write("reduce") as con:
            pings = typed_pings(
                self._copy_out(
                    con,
                    "SELECT unit, officer, t_ms, x, y FROM tracks_pings WHERE t_ms < %s",
                    [int(before_ms)],
                    _PING_TYPES,
                )
            )
            places = self._copy_out(
                con, f"SELECT {', '.join(PLACE_COLUMNS)} FROM tracks_places", [], _PLACE_TYPES
            )
            result = reducer(pings, places)
            self._stage(con, "_stage_stops", result.stops, _STOP_TYPES)
            con.execute(
                f"INSERT INTO tracks_stops ({', '.join(STOP_COLUMNS)}) "
                f"SELECT {', '.join(STOP_COLUMNS)} FROM _stage_stops ON CONFLICT DO NOTHING"
            )
            self._stage(con, "_stage_passages", result.passages, _PASSAGE_TYPES)
            con.execute(
                f"INSERT INTO tracks_passages ({', '.join(PASSAGE_COLUMNS)}) "
                f"SELECT {', '.join(PASSAGE_COLUMNS)} FROM _stage_passages "
                "ON CONFLICT DO NOTHING"
            )
            if result.cut_ms:
                units = list(result.cut_ms)
                cuts = [int(result.cut_ms[u]) for u in units]
                con.execute(
                    "DELETE FROM tracks_pings p USING unnest(%s::text[], %s::bigint[]) "
                    "AS c(unit, cut) WHERE p.unit = c.unit AND p.t_ms < c.cut",
                    (units, cuts),
                )
                con.execute(
                    "INSERT INTO tracks_reduced (unit, before_ms) "
                    "SELECT * FROM unnest(%s::text[], %s::bigint[]) "
                    "ON CONFLICT (unit) DO UPDATE "
                    "SET before_ms = GREATEST(tracks_reduced.before_ms, EXCLUDED.before_ms)",
                    (units, cuts),
                )
        return result

    def add_activities(self, activities: pd.DataFrame, record: ImportRecord) -> WriteCounts:
        """Store activity lines in one transaction (a line already stored is unchanged)."""
        with self._write("activities") as con:
            self._check_key(con, record.key_id)
            frame = activities[list(ACTIVITY_COLUMNS)].assign(
                _ord=np.arange(len(activities), dtype=np.int64)
            )
            types = {**_ACTIVITY_TYPES, "_ord": pa.int64()}
            self._stage(con, "_stage_activities", frame, types)
            cols = ", ".join(ACTIVITY_COLUMNS)
            cur = con.execute(
                f"INSERT INTO tracks_activities ({cols}, import_id) "
                f"SELECT {cols}, %s FROM _stage_activities ORDER BY _ord "
                "ON CONFLICT (row_hash) DO NOTHING",
                (record.import_id,),
            )
            inserted = max(0, cur.rowcount)
            self._record(con, record, inserted)
        return WriteCounts(inserted=inserted, unchanged=len(activities) - inserted)
