"""The store: incidents, survey marks, the actions log and the imports, in one place.

:func:`open_store` picks the backend from ``--db``: a ``postgresql://`` URL opens the shared
PostgreSQL/PostGIS store (:mod:`hotspots.store.postgis`), anything else is the path of the
embedded GeoPackage store (:mod:`hotspots.store.gpkg`). Nothing outside this package knows
which one it talks to.

This module itself is light (no pandas): the command line names stores before it knows whether
a command needs one. The contract's classes load on first use.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

if TYPE_CHECKING:
    from hotspots.store.base import Store

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

#: Seconds a command waits for another command's write lock before giving up.
DEFAULT_BUSY_TIMEOUT_S = 60.0

#: What names a store: a :class:`Store`, a GeoPackage path, or a ``postgresql://`` URL.
StoreRef = Union["Store", Path, str]

_URL_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
#: Names re-exported from :mod:`hotspots.store.base`, loaded on first use.
_CONTRACT = (
    "ACTION_COLUMNS",
    "IMPORT_COLUMNS",
    "LAYERS",
    "SCHEMA_VERSION",
    "Store",
    "StoreCheck",
    "StoreImport",
    "UpsertCounts",
)


def __getattr__(name: str) -> Any:
    if name in _CONTRACT:
        return getattr(importlib.import_module("hotspots.store.base"), name)
    msg = f"module 'hotspots.store' has no attribute {name!r}"
    raise AttributeError(msg)


def is_database_url(db: object) -> bool:
    """Whether ``db`` names a PostgreSQL database (``postgresql://…``) rather than a file."""
    return isinstance(db, str) and db.strip().lower().startswith(_URL_SCHEMES)


def store_folder(db: StoreRef) -> Path | None:
    """The folder of a GeoPackage store (for files written beside it); ``None`` for a URL."""
    if isinstance(db, (str, Path)):
        return None if is_database_url(db) else Path(db).parent
    path = getattr(db, "path", None)
    return Path(path).parent if path is not None else None


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
        :class:`~hotspots.core.errors.StoreBusyError`.
    """
    if not isinstance(db, (str, Path)):
        return db
    if is_database_url(db):
        # each backend pulls in its driver only when it is used
        from hotspots.store.postgis import PostgisStore  # noqa: PLC0415

        return PostgisStore(str(db).strip(), crs=crs, busy_timeout_s=busy_timeout_s)
    from hotspots.store.gpkg import GeoPackageStore  # noqa: PLC0415

    return GeoPackageStore(Path(db), crs=crs, busy_timeout_s=busy_timeout_s)
