"""The store contract: one interface, two backends (GeoPackage file, PostgreSQL/PostGIS).

Every module outside :mod:`hotspots.store` talks to a :class:`Store` obtained from
:func:`hotspots.store.open_store` and never learns which backend it is.

The guarantees every backend gives:

- Nothing is deleted or replaced by accident: a store that cannot be opened is an error
  (:class:`~hotspots.core.errors.StoreError`), never "absent"; only a target that does not exist
  yet is created, atomically, and two creators both land in the same store.
- One writer at a time: imports and action edits take the store's write lock; a lock held
  longer than ``busy_timeout_s`` gives :class:`~hotspots.core.errors.StoreBusyError` naming who
  holds it and since when. Readers never wait for a writer.
- An import is one transaction: everything commits or nothing does.
- Counts close: every row handed to :meth:`StoreImport.add` with ``counted=True`` is exactly
  one of inserted, updated or unchanged.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import geopandas as gpd
import pandas as pd
from pyproj import CRS

from hotspots.core.errors import CRSError, InputSchemaError, StoreError
from hotspots.core.schema import INCIDENT_COLUMNS, SURVEY_COLUMNS, TIMEZONE
from hotspots.spatial.crs import DEFAULT_METRIC_CRS, check_metric
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S
from hotspots.store._audit import GENESIS, entry_hash

__all__ = [
    "ACTION_COLUMNS",
    "ATTRIBUTE_TABLES",
    "AUDIT_COLUMNS",
    "DEFAULT_BUSY_TIMEOUT_S",
    "IMPORT_COLUMNS",
    "LAYERS",
    "SCHEMA_VERSION",
    "SPATIAL_LAYERS",
    "USER_COLUMNS",
    "Store",
    "StoreCheck",
    "StoreImport",
    "UpsertCounts",
    "columns_of",
]

#: Seconds a command waits for another command's write lock before giving up.

#: The schema version this code writes (see each backend's migrations).
SCHEMA_VERSION = 3

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
    "changed_by": "string",  # account that made the last change, or empty when not known
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
    "merged": "int64",
    "rejected": "int64",
    "rejects_path": "string",
    "crs": "string",
}

#: column -> pandas dtype of the ``users`` table (accounts; no geometry).
USER_COLUMNS: dict[str, str] = {
    "name": "string",
    "role": "string",  # analytiker, planerare, est, publik, admin
    "password_hash": "string",  # argon2id, never the password
    "disabled": "int64",  # 1 when the account may not log in
    "created": "string",  # UTC, ISO 8601
    "updated": "string",
    "failed_logins": "int64",  # failures since the last successful login
    "locked_until": "string",  # UTC, ISO 8601, or empty
}

#: column -> pandas dtype of the ``audit`` table (append-only, hash-chained).
AUDIT_COLUMNS: dict[str, str] = {
    "seq": "int64",  # 1, 2, 3, ... in order of appending
    "at": "string",  # UTC, ISO 8601 with milliseconds
    "user": "string",
    "event": "string",  # login, login_failed, logout, page_view, export, import, ...
    "detail": "string",  # JSON object
    "prev_hash": "string",  # hash of the entry before (64 zeros for the first)
    "hash": "string",  # sha256 over prev_hash and this entry's fields
}

#: table -> its columns, for the tables without geometry besides ``imports``.
ATTRIBUTE_TABLES: dict[str, dict[str, str]] = {"users": USER_COLUMNS, "audit": AUDIT_COLUMNS}

#: layer -> its columns, for the point layers.
SPATIAL_LAYERS: dict[str, dict[str, str]] = {
    "incidents": INCIDENT_COLUMNS,
    "survey": SURVEY_COLUMNS,
    "actions": ACTION_COLUMNS,
}
#: Every layer of the store.
LAYERS: tuple[str, ...] = ("incidents", "survey", "actions", "imports")


def columns_of(name: str) -> dict[str, str]:
    """The columns (name -> pandas dtype) of layer ``name``.

    Raises
    ------
    InputSchemaError
        For a name that is not a layer of the store.
    """
    if name in SPATIAL_LAYERS:
        return SPATIAL_LAYERS[name]
    if name == "imports":
        return IMPORT_COLUMNS
    if name in ATTRIBUTE_TABLES:
        return ATTRIBUTE_TABLES[name]
    msg = f"layer {name!r} does not exist; use one of {', '.join(LAYERS)}"
    raise InputSchemaError(msg)


def metric_crs_of(crs: object | None) -> CRS:
    """The metric CRS a new store takes: ``crs``, else EPSG:3006."""
    return check_metric(crs if crs is not None else DEFAULT_METRIC_CRS, argument="store CRS")


def epsg_of(crs: CRS) -> int:
    """The EPSG code of a store CRS (a store CRS must have one)."""
    auth = crs.to_authority()
    if auth is None or auth[0].upper() != "EPSG":
        msg = f"the store CRS must have an EPSG code (got {crs.to_string()})"
        raise CRSError(msg)
    return int(auth[1])


class UpsertCounts(NamedTuple):
    """What an upsert did, counted over the rows handed to it with ``counted=True``."""

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


class StoreCheck(NamedTuple):
    """The answer of :meth:`Store.check` (``hotspots db check``).

    Attributes
    ----------
    backend
        ``geopackage`` or ``postgresql``.
    location
        The file, or the URL without its password.
    schema_version
        The version the store is at (0: no store yet).
    current_version
        The version this code writes.
    counts
        Rows per layer.
    problems
        What the integrity checks found (empty when the store is sound).
    crs
        The store's CRS (``EPSG:nnnn``), or ``None`` without a store.
    """

    backend: str
    location: str
    schema_version: int
    current_version: int
    counts: dict[str, int]
    problems: list[str]
    crs: str | None

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "backend": self.backend,
            "location": self.location,
            "schema_version": self.schema_version,
            "current_version": self.current_version,
            "up_to_date": self.schema_version == self.current_version,
            "counts": dict(self.counts),
            "ok": not self.problems,
            "problems": list(self.problems),
            "crs": self.crs,
        }


class StoreImport(abc.ABC):
    """An open import transaction of :meth:`Store.importing` (call :meth:`add` per chunk).

    Attributes
    ----------
    counts
        Running counts over the chunks added with ``counted=True``.
    """

    counts: UpsertCounts
    #: The transaction (and the lock) the import holds once its first chunk arrives.
    _stack: contextlib.ExitStack

    @abc.abstractmethod
    def _finish(self, provenance: Mapping[str, Any] | None, crs: object | None) -> None:
        """End of the import, inside its transaction: indexes, the provenance row."""

    @abc.abstractmethod
    def add(self, frame: gpd.GeoDataFrame, *, counted: bool = True) -> UpsertCounts:
        """Upsert one chunk by ``id`` inside the open transaction.

        Within the chunk the last row of an id wins. A new store takes the CRS of the first
        chunk. Rows handed with ``counted=False`` (repeats of an id earlier in the same file)
        are written but not counted.

        Returns
        -------
        UpsertCounts
            This chunk's counts (zeros when ``counted`` is false).
        """


class Store(abc.ABC):
    """A hotspots store: layers ``incidents``, ``survey``, ``actions`` and ``imports``.

    Obtain one with :func:`hotspots.store.open_store`.
    """

    #: ``geopackage`` or ``postgresql``.
    backend: str

    def __init__(self, *, crs: object | None, busy_timeout_s: float) -> None:
        self._new_crs = check_metric(crs, argument="crs") if crs is not None else None
        if busy_timeout_s < 0:
            msg = f"--busy-timeout must be 0 or more seconds (got {busy_timeout_s})"
            raise InputSchemaError(msg)
        self.busy_timeout_s = float(busy_timeout_s)
        #: What the last write transaction migrated (for :meth:`upgrade`).
        self._migrated: list[str] = []

    # -- identity ---------------------------------------------------------------------------

    @property
    @abc.abstractmethod
    def location(self) -> str:
        """The store's file path, or its URL without the password (for messages)."""

    def __str__(self) -> str:
        return self.location

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"

    # -- state ------------------------------------------------------------------------------

    @abc.abstractmethod
    def exists(self) -> bool:
        """Whether the store holds the hotspots layers.

        ``False`` only when there is nothing there yet (no file, or a database without the
        layers). Anything that is there but cannot be read raises
        :class:`~hotspots.core.errors.StoreError`; a store locked beyond the busy timeout raises
        :class:`~hotspots.core.errors.StoreBusyError`.
        """

    def occupied(self) -> bool:
        """Whether anything is at the store's location: a store, or something that may be one.

        Demo data goes only where nothing is; a file that cannot be opened is occupied.
        """
        return self.exists()

    @abc.abstractmethod
    def data_version(self) -> str:
        """A token that changes with every committed write (a cache key); ``"absent"``."""

    @abc.abstractmethod
    def layer_version(self, name: str) -> str:
        """A token that changes whenever layer ``name`` changes; ``"absent"`` without a store."""

    @property
    @abc.abstractmethod
    def crs(self) -> CRS | None:
        """The store's metric CRS, or ``None`` when the store does not exist yet."""

    @abc.abstractmethod
    def check(self) -> StoreCheck:
        """Schema version, rows per layer and the result of the integrity checks."""

    # -- schema -----------------------------------------------------------------------------

    @abc.abstractmethod
    def init(self, *, crs: object | None = None) -> bool:
        """Create the store's layers (in ``crs``, default EPSG:3006) if absent.

        Returns
        -------
        bool
            ``True`` when this call created the store.
        """

    @abc.abstractmethod
    def upgrade(self) -> list[str]:
        """Apply the pending schema migrations; returns their descriptions (empty: none)."""

    # -- reading ----------------------------------------------------------------------------

    @abc.abstractmethod
    def read_layer(self, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
        """One layer: a GeoDataFrame (store CRS) for the point layers, a DataFrame for imports.

        Raises
        ------
        InputSchemaError
            For an unknown layer name.
        InputFileError
            When there is no store.
        """

    def incidents(self) -> gpd.GeoDataFrame:
        """All incidents in the store's CRS (columns: ``hotspots.core.schema.INCIDENT_COLUMNS``)."""
        return self.read_layer("incidents")  # type: ignore[return-value]

    def survey(self) -> gpd.GeoDataFrame:
        """All survey and dialogue marks, in the store's CRS."""
        return self.read_layer("survey")  # type: ignore[return-value]

    def imports(self) -> pd.DataFrame:
        """The provenance of every import, oldest first."""
        return self.read_layer("imports")

    # -- writing ----------------------------------------------------------------------------

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
        (with the final counts unless given), commits together; an exception rolls it all
        back. The write lock is taken with the first chunk; a store that does not exist yet
        is created (atomically) in that chunk's CRS.

        Parameters
        ----------
        layer
            ``incidents`` or ``survey``.
        provenance
            Values for the ``imports`` row; ``None`` writes none.
        crs
            CRS for a new store that receives no rows (default EPSG:3006).
        """
        if layer not in ("incidents", "survey"):
            msg = f"layer {layer!r} cannot be upserted; use incidents or survey"
            raise InputSchemaError(msg)
        self.exists()  # an unreadable or unreachable store stops here, before any work
        imp = self._new_import(layer)
        with imp._stack:
            yield imp
            imp._finish(provenance, crs)

    @abc.abstractmethod
    def _new_import(self, layer: str) -> StoreImport:
        """An import into ``layer`` that opens its transaction with its first chunk."""

    def upsert_incidents(
        self, frame: gpd.GeoDataFrame, *, provenance: Mapping[str, Any] | None = None
    ) -> UpsertCounts:
        """Insert or update incidents by ``id`` in one transaction."""
        with self.importing("incidents", provenance=provenance, crs=frame.crs) as imp:
            imp.add(frame)
        return imp.counts

    def upsert_survey(
        self, frame: gpd.GeoDataFrame, *, provenance: Mapping[str, Any] | None = None
    ) -> UpsertCounts:
        """Insert or update survey marks by ``id`` in one transaction."""
        with self.importing("survey", provenance=provenance, crs=frame.crs) as imp:
            imp.add(frame)
        return imp.counts

    def edit_actions(
        self, change: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame]
    ) -> gpd.GeoDataFrame:
        """Change the actions log in one write transaction.

        ``change`` receives the log as it is inside the transaction (so an id it allocates
        cannot be taken by a concurrent writer) and returns the whole new log; rows that are
        new or differ are inserted or updated in place. A row that ``change`` leaves out is an
        error: the log is never shortened.

        Returns
        -------
        geopandas.GeoDataFrame
            The log as committed.
        """
        if not self.exists():
            self.init(crs=self._new_crs)
        with self._actions_write() as con:
            current = self._read_actions(con)
            new = change(current)
            missing = set(current["id"].astype(str)) - set(new["id"].astype(str))
            if missing:
                msg = f"actions are never deleted (would lose {', '.join(sorted(missing))})"
                raise StoreError(msg)
            self._upsert(con, "actions", new)
        return new

    @abc.abstractmethod
    def _actions_write(self) -> contextlib.AbstractContextManager[Any]:
        """The write transaction of an actions change (a DB-API connection)."""

    @abc.abstractmethod
    def _read_actions(self, con: Any) -> gpd.GeoDataFrame:
        """The actions log as it is inside ``con``'s transaction."""

    @abc.abstractmethod
    def _upsert(self, con: Any, layer: str, frame: gpd.GeoDataFrame) -> UpsertCounts:
        """Upsert ``frame`` into ``layer`` by id inside ``con``'s transaction."""

    # -- accounts and the audit log (plain tables; the same SQL on both backends) ------------

    @abc.abstractmethod
    def _table_write(
        self, doing: str, *, audit: bool = False
    ) -> contextlib.AbstractContextManager[Any]:
        """A write transaction for the plain tables: yields a DB-API connection.

        ``audit`` takes the audit log's own lock where the backend has one, so that logging
        does not wait for an import.
        """

    @abc.abstractmethod
    def _table_read(self) -> contextlib.AbstractContextManager[Any]:
        """A read-only connection for the plain tables."""

    #: The parameter placeholder of the backend's driver (``?`` or ``%s``).
    _ph: str = "?"

    def _select(
        self, con: Any, table: str, where: str = "", params: Sequence[Any] = ()
    ) -> pd.DataFrame:
        columns = columns_of(table)
        names = ", ".join(f'"{c}"' for c in columns)
        order = "seq" if table == "audit" else "name"
        rows = con.execute(
            f'SELECT {names} FROM "{table}" {where} ORDER BY {order}', tuple(params)
        ).fetchall()
        data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
        frame = pd.DataFrame(data, columns=list(columns))
        for col, dtype in columns.items():
            frame[col] = frame[col].astype("Int64" if dtype == "int64" else dtype)
        return frame

    def users(self) -> pd.DataFrame:
        """Every account (``USER_COLUMNS``), by name; empty when there is no store."""
        if not self.exists():
            return pd.DataFrame(
                {
                    c: pd.Series(dtype="Int64" if t == "int64" else t)
                    for c, t in USER_COLUMNS.items()
                }
            )
        with self._table_read() as con:
            return self._select(con, "users")

    def count_login_failure(self, name: str) -> int:
        """Add one to the failed logins of account ``name`` atomically; the new count.

        Concurrent failures each count (a read, then a write of the read value plus one,
        would lose all but one of them). 0 when there is no such account.
        """
        if not self.exists():
            return 0
        with self._table_write("users") as con:
            con.execute(
                'UPDATE "users" SET "failed_logins" = COALESCE("failed_logins", 0) + 1, '
                f'"updated" = {self._ph} WHERE name = {self._ph}',
                (utc_now_text(), name),
            )
            row = con.execute(
                f'SELECT "failed_logins" FROM "users" WHERE name = {self._ph}', (name,)
            ).fetchone()
        return int(row[0]) if row is not None else 0

    def save_user(self, record: Mapping[str, Any]) -> None:
        """Insert or update one account by ``name`` (accounts are disabled, never deleted)."""
        if "name" not in record or not str(record["name"]).strip():
            msg = "an account needs a name"
            raise InputSchemaError(msg)
        if not self.exists():
            self.init(crs=self._new_crs)
        now = utc_now_text()
        values = {c: record.get(c) for c in USER_COLUMNS if c in record}
        values["updated"] = now
        with self._table_write("users") as con:
            found = con.execute(
                f'SELECT 1 FROM "users" WHERE name = {self._ph}', (values["name"],)
            ).fetchone()
            if found is None:
                values.setdefault("created", now)
                values.setdefault("disabled", 0)
                values.setdefault("failed_logins", 0)
                cols = list(values)
                marks = ", ".join([self._ph] * len(cols))
                names = ", ".join(f'"{c}"' for c in cols)
                con.execute(
                    f'INSERT INTO "users" ({names}) VALUES ({marks})',
                    tuple(values[c] for c in cols),
                )
            else:
                cols = [c for c in values if c != "name"]
                sets = ", ".join(f'"{c}" = {self._ph}' for c in cols)
                con.execute(
                    f'UPDATE "users" SET {sets} WHERE name = {self._ph}',
                    (*(values[c] for c in cols), values["name"]),
                )

    def append_audit(self, events: Sequence[Mapping[str, Any]]) -> list[int]:
        """Append events (``user``, ``event``, ``detail`` mapping, optional ``at``) in order.

        Each gets the next ``seq`` and its place in the hash chain, inside one transaction
        under the audit log's lock.

        Returns
        -------
        list of int
            The ``seq`` of each event appended.
        """
        if not events:
            return []
        if not self.exists():
            self.init(crs=self._new_crs)
        with self._table_write("audit", audit=True) as con:
            return self._append_audit(con, events)

    def _append_audit(self, con: Any, events: Sequence[Mapping[str, Any]]) -> list[int]:
        last = con.execute('SELECT seq, hash FROM "audit" ORDER BY seq DESC LIMIT 1').fetchone()
        seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
        out: list[int] = []
        cols = list(AUDIT_COLUMNS)
        marks = ", ".join([self._ph] * len(cols))
        names = ", ".join(f'"{c}"' for c in cols)
        for event in events:
            seq += 1
            at = str(event.get("at") or utc_now_text())
            user = str(event.get("user") or "")
            kind = str(event["event"])
            detail = json.dumps(
                dict(event.get("detail") or {}), ensure_ascii=False, sort_keys=True, default=str
            )
            digest = entry_hash(prev, seq, at, user, kind, detail)
            con.execute(
                f'INSERT INTO "audit" ({names}) VALUES ({marks})',
                (seq, at, user, kind, detail, prev, digest),
            )
            prev = digest
            out.append(seq)
        return out

    def audit_log(self, *, since: str | None = None, user: str | None = None) -> pd.DataFrame:
        """Audit entries in ``seq`` order, from ``since`` (ISO date or time, UTC), of ``user``."""
        if not self.exists():
            return self._empty_audit()
        clauses, params = [], []
        if since:
            clauses.append(f"at >= {self._ph}")
            params.append(since)
        if user:
            clauses.append(f'"user" = {self._ph}')
            params.append(user)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        with self._table_read() as con:
            return self._select(con, "audit", where, params)

    @staticmethod
    def _empty_audit() -> pd.DataFrame:
        return pd.DataFrame(
            {c: pd.Series(dtype="Int64" if t == "int64" else t) for c, t in AUDIT_COLUMNS.items()}
        )

    def prune_audit(self, *, before: str, user: str = "") -> int:
        """Delete audit entries older than ``before`` (UTC ISO); the deletion is itself logged.

        The retention entry records the hash of the last entry deleted, so the shortened log
        still verifies.

        Returns
        -------
        int
            Entries deleted.
        """
        if not self.exists():
            return 0
        with self._table_write("audit", audit=True) as con:
            last = con.execute(
                f'SELECT seq, hash FROM "audit" WHERE at < {self._ph} ORDER BY seq DESC LIMIT 1',
                (before,),
            ).fetchone()
            if last is None:
                return 0
            count = con.execute(
                f'SELECT count(*) FROM "audit" WHERE seq <= {self._ph}', (int(last[0]),)
            ).fetchone()[0]
            con.execute(f'DELETE FROM "audit" WHERE seq <= {self._ph}', (int(last[0]),))
            self._append_audit(
                con,
                [
                    {
                        "user": user,
                        "event": "audit_retention",
                        "detail": {"deleted": int(count), "before": before, "anchor": str(last[1])},
                    }
                ],
            )
        return int(count)


def utc_now_text() -> str:
    """The current UTC time, ``YYYY-MM-DDTHH:MM:SS.mmmZ`` (GeoPackage DATETIME text)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def provenance_record(
    layer: str, provenance: Mapping[str, Any], counts: UpsertCounts
) -> dict[str, Any]:
    """The values of an ``imports`` row: the import's counts, then what the caller gives."""
    return {
        "kind": layer,
        "imported_at": pd.Timestamp.now(tz=TIMEZONE),
        "inserted": counts.inserted,
        "updated": counts.updated,
        "unchanged": counts.unchanged,
        **dict(provenance),
    }
