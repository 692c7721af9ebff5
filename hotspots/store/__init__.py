"""The store: incidents, survey marks, the actions log and the imports, in one place.

:func:`open_store` picks the backend from ``--db``: a ``postgresql://`` URL opens the shared
PostgreSQL/PostGIS store (:mod:`hotspots.store.postgis`), anything else is the path of the
embedded GeoPackage store (:mod:`hotspots.store.gpkg`). Nothing outside this package knows
which one it talks to.
"""

from __future__ import annotations

from pathlib import Path

from hotspots.store.base import (
    ACTION_COLUMNS,
    DEFAULT_BUSY_TIMEOUT_S,
    IMPORT_COLUMNS,
    LAYERS,
    SCHEMA_VERSION,
    Store,
    StoreCheck,
    StoreImport,
    UpsertCounts,
)

__all__ = [
    "ACTION_COLUMNS",
    "DEFAULT_BUSY_TIMEOUT_S",
    "IMPORT_COLUMNS",
    "LAYERS",
    "SCHEMA_VERSION",
    "Store",
    "StoreCheck",
    "StoreImport",
    "StoreRef",
    "UpsertCounts",
    "is_database_url",
    "open_store",
    "store_folder",
]

_URL_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")

#: What names a store: a :class:`Store`, a GeoPackage path, or a ``postgresql://`` URL.
StoreRef = Store | Path | str


def store_folder(db: StoreRef) -> Path | None:
    """The folder of a GeoPackage store (for files written beside it); ``None`` for a URL."""
    if isinstance(db, Store):
        path = getattr(db, "path", None)
        return Path(path).parent if path is not None else None
    if is_database_url(db):
        return None
    return Path(db).parent


def is_database_url(db: object) -> bool:
    """Whether ``db`` names a PostgreSQL database (``postgresql://…``) rather than a file."""
    return isinstance(db, str) and db.strip().lower().startswith(_URL_SCHEMES)


def open_store(
    db: StoreRef,
    *,
    crs: object | None = None,
    busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S,
) -> Store:
    """The store named by ``db``: a GeoPackage path or a ``postgresql://`` URL.

    Parameters
    ----------
    db
        A store (returned as it is), a GeoPackage path, or a PostgreSQL URL
        (``postgresql://user@host:port/dbname``; the password from ``PGPASSWORD`` or
        ``~/.pgpass`` rather than the URL).
    crs
        Metric CRS for a store that does not exist yet.
    busy_timeout_s
        Seconds to wait for another command's write lock before
        :class:`~hotspots._errors.StoreBusyError`.
    """
    if isinstance(db, Store):
        return db
    if is_database_url(db):
        from hotspots.store.postgis import PostgisStore  # noqa: PLC0415 - psycopg on demand

        return PostgisStore(str(db).strip(), crs=crs, busy_timeout_s=busy_timeout_s)
    from hotspots.store.gpkg import GeoPackageStore  # noqa: PLC0415 - one backend per process

    return GeoPackageStore(Path(db), crs=crs, busy_timeout_s=busy_timeout_s)
