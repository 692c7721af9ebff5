"""``import_file``: validate a file and upsert it into the store in one transaction.

The rejects go to ``<store folder>/<file stem>.rejects.csv`` (row, column, value, reason; the
file's own separator, UTF-8 with BOM so Excel shows Swedish letters); a stale rejects file of an
earlier import of the same file is removed when nothing is rejected. On any error the store is
left exactly as it was and no rejects file is written.
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from hotspots.io import REJECT_COLUMNS, file_sha256, open_file
from hotspots.store import StoreRef, open_store, store_folder

__all__ = ["ImportSummary", "import_file", "rejects_path_for"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did.

    Attributes
    ----------
    accepted
        Rows that passed validation.
    inserted
        New ids stored.
    updated
        Existing ids whose content changed.
    rejected
        Rows rejected (see the rejects file).
    rejects_path
        The rejects CSV, or ``None`` when nothing was rejected.
    unchanged
        Existing ids whose content was already stored.
    rows_read
        Data rows read from the file.
    fmt
        The format read.
    crs
        The store's CRS, e.g. ``"EPSG:3006"``.
    """

    accepted: int
    inserted: int
    updated: int
    rejected: int
    rejects_path: Path | None
    unchanged: int = 0
    rows_read: int = 0
    fmt: str = ""
    crs: str = ""


def rejects_path_for(path: Path, db: StoreRef) -> Path:
    """Where the rejects of ``path`` go: ``<stem>.rejects.csv``.

    Beside a GeoPackage store, or beside the file for a PostgreSQL store.
    """
    folder = store_folder(db)
    name = f"{Path(path).stem}.rejects.csv"
    return (folder if folder is not None else Path(path).parent) / name


def import_file(
    path: Path,
    *,
    db: StoreRef,
    kind: Literal["incidents", "survey"] = "incidents",
    fmt: str = "auto",
    crs: str | None = None,
    category_map: Path | Mapping[str, str] | None = None,
    now: pd.Timestamp | None = None,
    chunksize: int = 100_000,
) -> ImportSummary:
    """Validate ``path`` and upsert its rows into the store ``db``.

    Parameters
    ----------
    path
        Input file in any import format.
    db
        The GeoPackage store (created when absent).
    kind
        ``incidents`` or ``survey``.
    fmt
        ``auto``, ``csv``, ``geojson``, ``gpkg``, ``shp``, ``policeuk`` or ``polisen``.
    crs
        CRS of x/y columns (``--crs``).
    category_map
        ``--category-map`` file or mapping.
    now
        Current time for the future-time check (default: the clock).
    chunksize
        CSV rows per chunk.

    Returns
    -------
    ImportSummary
        Counts and the rejects path.

    Raises
    ------
    InputFileError
        When the file cannot be read as a whole; the store is unchanged.
    """
    path = Path(path)
    store = open_store(db)
    sha = file_sha256(path) if path.is_file() else ""
    reading = open_file(
        path,
        kind=kind,
        fmt=fmt,
        crs=crs,
        category_map=category_map,
        target_crs=store.crs,
        now=now,
        import_id=sha or None,
        chunksize=chunksize,
    )
    final_rejects = rejects_path_for(path, db)
    final_rejects.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{final_rejects.name}.", suffix=".tmp", dir=final_rejects.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    rows_read = accepted = rejected = 0
    try:
        first = True
        provenance: dict[str, object] = {}
        with store.importing(kind, provenance=provenance) as imp:
            for chunk in reading:
                rows_read += chunk.rows_read
                accepted += len(chunk.frame)
                rejected += chunk.rejected
                imp.add(chunk.frame)
                if len(chunk.rejects) or first:
                    chunk.rejects[list(REJECT_COLUMNS)].to_csv(
                        tmp,
                        mode="w" if first else "a",
                        header=first,
                        index=False,
                        sep=reading.delimiter,
                        encoding="utf-8-sig" if first else "utf-8",
                    )
                    first = False
            provenance.update(
                file_name=path.name,
                path=str(path.resolve()),
                sha256=sha,
                format=reading.fmt,
                rows_read=rows_read,
                accepted=accepted,
                rejected=rejected,
                rejects_path=str(final_rejects) if rejected else None,
                crs=reading.target.crs.to_string() if reading.target.crs else None,
            )
        counts = imp.counts
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if rejected:
        tmp.replace(final_rejects)
    else:
        tmp.unlink(missing_ok=True)
        final_rejects.unlink(missing_ok=True)
    logger.info("%s: %d rows, %d accepted, %d rejected", path.name, rows_read, accepted, rejected)
    return ImportSummary(
        accepted=accepted,
        inserted=counts.inserted,
        updated=counts.updated,
        rejected=rejected,
        rejects_path=final_rejects if rejected else None,
        unchanged=counts.unchanged,
        rows_read=rows_read,
        fmt=reading.fmt,
        crs=reading.target.crs.to_string() if reading.target.crs else "",
    )
