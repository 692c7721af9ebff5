"""``import_file``: validate a file and upsert it into the store in one transaction.

The rejects go to ``<store folder>/<file stem>.rejects.csv`` (row, column, value, reason, as
:func:`hotspots.io.csv_safety.write_excel_csv` writes every CSV: ``;``, UTF-8 with BOM so Excel
shows Swedish letters, headers in the interface language); a stale rejects file of an
earlier import of the same file is removed when nothing is rejected. On any error the store is
left exactly as it was and no rejects file is written (see :mod:`hotspots.io.rejects_file`).

Every accepted row is accounted for: ``accepted = inserted + updated + unchanged + merged``.
With a geocoder (``hotspots import --addresses REGISTER``) the rows that carry an address and
no coordinates are located by it (see :func:`hotspots.io.open_file`): they are accepted with
precision ``address`` or ``street``, or rejected under the address column with the closest
register streets; ``located_by_address`` counts the accepted ones.
A row whose id repeats an earlier accepted row of the same file is *merged*: it is still
applied (the last row of an id wins) and it is listed in the rejects file with the row it
merged into, but it is not counted again as inserted, updated or unchanged.

Each chunk goes to the store in two parts: the ids new to the file, counted (each compared
with the store in its last form within the chunk), then the ids of earlier chunks, uncounted
(``StoreImport.add(..., counted=False)``). Importing the same file again therefore counts
every id as unchanged, except an id whose rows differ across chunks (its first chunk's form
is compared with the stored last form, and counted as updated).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, NamedTuple

import numpy as np
import pandas as pd

from hotspots.core.i18n import Lang
from hotspots.io import REJECT_COLUMNS, file_sha256, open_file
from hotspots.io._ids import text_hash
from hotspots.io.addresses import AddressGeocoder
from hotspots.io.rejects_file import RejectsFile
from hotspots.store import IMPORT_COLUMNS, StoreRef, open_store, store_folder

__all__ = ["ImportSummary", "import_file", "rejects_path_for"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import did.

    ``accepted == inserted + updated + unchanged + merged``.

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
        The rejects CSV, or ``None`` when nothing was rejected or merged.
    unchanged
        Existing ids whose content was already stored.
    rows_read
        Data rows read from the file.
    fmt
        The format read.
    crs
        The store's CRS, e.g. ``"EPSG:3006"``.
    merged
        Accepted rows whose id repeats an earlier accepted row of the file (applied over it,
        listed in the rejects file).
    located_by_address
        Accepted rows located by their address (or a Polisen event by the street its text
        names), by precision (``address``, ``street``, ``street_text``); empty without a
        geocoder.
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
    merged: int = 0
    located_by_address: Mapping[str, int] = field(default_factory=dict)


def rejects_path_for(path: Path, db: StoreRef) -> Path:
    """Where the rejects of ``path`` go: ``<stem>.rejects.csv``.

    Beside a GeoPackage store, or beside the file for a PostgreSQL store.
    """
    folder = store_folder(db)
    name = f"{Path(path).stem}.rejects.csv"
    return (folder if folder is not None else Path(path).parent) / name


class _Repeats(NamedTuple):
    """Where each row of a chunk stands among the rows of its id in the file."""

    earlier: np.ndarray  # row number of the id's first accepted row, -1 for that row itself
    before_chunk: np.ndarray  # the id was accepted in an earlier chunk
    last_in_chunk: np.ndarray  # the last row of its id in this chunk


class _SeenIds:
    """The ids accepted so far in one file and the row of each one's first accepted row.

    Within a chunk ids are compared exactly; across chunks by a 64-bit hash, kept in two
    sorted NumPy arrays (16 bytes per id: 16 MB for a million). Two different ids of
    different chunks with the same hash (odds about 1 in 30 million for a million ids) would
    make the later row count as merged; it is stored all the same. The readers know nothing
    of this, so ``hotspots detect`` pays nothing for it.
    """

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.uint64)
        self._rows = np.zeros(0, dtype=np.int64)

    def see(self, ids: pd.Series, rows: np.ndarray) -> _Repeats:
        """Record the ids of one chunk (file order) and place each row among its id's rows."""
        n = len(ids)
        if not n:
            empty = np.zeros(0, dtype=bool)
            return _Repeats(np.zeros(0, dtype=np.int64), empty, empty)
        ids = ids.reset_index(drop=True)
        codes, first, last, key, order = _groups(ids)
        # look the distinct ids up in sorted order (the arrays are large: keep it cache-wise)
        pos = np.searchsorted(self._keys, key[order])
        known = np.zeros(len(key), dtype=bool)
        first_row = np.asarray(rows, dtype=np.int64)[first]
        if len(self._keys):
            clipped = np.minimum(pos, len(self._keys) - 1)
            hit = self._keys[clipped] == key[order]
            known[order[hit]] = True
            first_row[order[hit]] = self._rows[clipped[hit]]
        fresh = ~known[order]
        self._keys = np.insert(self._keys, pos[fresh], key[order][fresh])
        self._rows = np.insert(self._rows, pos[fresh], first_row[order][fresh])
        earlier = first_row[codes]
        earlier[first[~known]] = -1
        in_chunk_last = np.zeros(n, dtype=bool)
        in_chunk_last[last] = True
        return _Repeats(earlier, known[codes], in_chunk_last)


def _groups(ids: pd.Series) -> tuple[np.ndarray, ...]:
    """The rows of each distinct id of a chunk: ``(codes, first, last, key, key_order)``.

    ``codes`` numbers each row's id; ``first`` and ``last`` are the first and last row of
    each, ``key`` its 64-bit hash and ``key_order`` the order that sorts ``key``. Grouped by
    the hashes and checked exactly; only when two different ids of the chunk share a hash are
    they grouped by their text instead.
    """
    n = len(ids)
    h = text_hash(ids)
    order = np.argsort(h, kind="stable")  # stable: a group's rows stay in file order
    hs = h[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = hs[1:] != hs[:-1]
    if starts.all():  # every id once
        every = np.arange(n)
        return every, every, every, h, order
    group = np.cumsum(starts) - 1
    begin = np.flatnonzero(starts)
    ends = np.append(begin[1:], n) - 1
    first, last = order[begin], order[ends]
    later = order[~starts]
    text = ids.to_numpy(dtype=object)
    if (text[later] == text[first[group[~starts]]]).all():
        codes = np.empty(n, dtype=np.intp)
        codes[order] = group
        return codes, first, last, hs[begin], np.arange(len(begin))
    factor, uniques = pd.factorize(ids)  # a hash collision in the chunk (very rare)
    codes = np.asarray(factor, dtype=np.intp)
    first = np.unique(codes, return_index=True)[1]
    last = n - 1 - np.unique(codes[::-1], return_index=True)[1]
    key = text_hash(pd.Series(uniques, dtype="string"))
    return codes, first, last, key, np.argsort(key, kind="stable")


def _merged_lines(
    frame: pd.DataFrame, rows: np.ndarray, repeats: _Repeats, id_column: str | None
) -> pd.DataFrame:
    """Rejects lines for the merged rows of a chunk: the row, the id cell and its first row."""
    mask = repeats.earlier >= 0
    at = np.flatnonzero(mask)
    ids = frame["id"].iloc[at].to_numpy(dtype=object, na_value=None)
    given = (
        frame["source_id"].iloc[at].to_numpy(dtype=object, na_value=None)
        if "source_id" in frame.columns
        else ids
    )
    value = [g if g is not None else i for g, i in zip(given, ids, strict=True)]
    reason = [
        f'id "{i}" is already on row {r}; the row was merged into it (the last row of an id wins)'
        for i, r in zip(ids, repeats.earlier[mask], strict=True)
    ]
    return pd.DataFrame(
        {
            "row": np.asarray(rows, dtype=np.int64)[mask],
            "column": id_column or "id",
            "value": value,
            "reason": reason,
        }
    ).astype({"row": "int64", "column": "string", "value": "string", "reason": "string"})


def _rows_of(chunk_rows: np.ndarray | None, n: int) -> np.ndarray:
    """The row numbers of a chunk's accepted rows (``-1`` when the reader gave none)."""
    return chunk_rows if chunk_rows is not None else np.full(n, -1, dtype=np.int64)


def import_file(
    path: Path,
    *,
    db: StoreRef,
    kind: Literal["incidents", "survey"] = "incidents",
    fmt: str = "auto",
    crs: str | None = None,
    category_map: Path | Mapping[str, str] | None = None,
    now: pd.Timestamp | None = None,
    lang: Lang = "sv",
    chunksize: int = 100_000,
    geocoder: AddressGeocoder | None = None,
    user: str = "",
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
    lang
        Interface language of the rejects file (headers and reasons), ``"sv"`` or ``"en"``.
    geocoder
        Locates rows by their address (an address register's geocoder, e.g.
        :class:`hotspots.load.geocode.Geocoder`); ``None`` reads coordinates only.
    user
        Who imports (an account, or ``<os user>@cli``), for the audit log's entry.

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
        geocoder=geocoder,
    )
    seen = _SeenIds()
    rows_read = accepted = rejected = merged = 0
    geocoded: dict[str, int] = {}
    with RejectsFile(rejects_path_for(path, db), lang=lang) as rejects:
        provenance: dict[str, object] = {}
        with store.importing(kind, provenance=provenance) as imp:
            for chunk in reading:
                frame = chunk.frame
                rows = _rows_of(chunk.rows, len(frame))
                rows_read += chunk.rows_read
                accepted += len(frame)
                rejected += chunk.rejected
                if chunk.by_address is not None and chunk.by_address.any():
                    found = frame["precision"][chunk.by_address].value_counts()
                    for prec, k in found.items():
                        geocoded[str(prec)] = geocoded.get(str(prec), 0) + int(k)
                repeats = seen.see(frame["id"], rows)
                # ids new to the file are counted (their last row in the chunk is compared
                # with the store); ids of earlier chunks are applied over them uncounted
                new = repeats.last_in_chunk & ~repeats.before_chunk
                imp.add(frame if new.all() else frame[new], counted=True)
                again = repeats.last_in_chunk & repeats.before_chunk
                if again.any():
                    imp.add(frame[again], counted=False)
                lines = chunk.rejects
                n_merged = int((repeats.earlier >= 0).sum())
                if n_merged:
                    merged += n_merged
                    more = _merged_lines(frame, rows, repeats, chunk.id_column)
                    lines = pd.concat([lines, more], ignore_index=True).sort_values(
                        "row", kind="stable", ignore_index=True
                    )
                rejects.write(lines[list(REJECT_COLUMNS)])
            keep = bool(rejected or merged)
            provenance.update(
                file_name=path.name,
                path=str(path.resolve()),
                sha256=sha,
                format=reading.fmt,
                rows_read=rows_read,
                accepted=accepted,
                rejected=rejected,
                rejects_path=str(rejects.target) if keep else None,
                crs=reading.target.crs.to_string() if reading.target.crs else None,
            )
            if "merged" in IMPORT_COLUMNS:  # stores before the column was added lack it
                provenance["merged"] = merged
        counts = imp.counts
        rejects_path = rejects.commit(keep=keep)
    logger.info(
        "%s: %d rows, %d accepted (%d merged), %d rejected",
        path.name,
        rows_read,
        accepted,
        merged,
        rejected,
    )
    store.append_audit(
        [
            {
                "user": user,
                "event": "import",
                "detail": {
                    "kind": kind,
                    "file": path.name,
                    "sha256": sha,
                    "rows_read": rows_read,
                    "accepted": accepted,
                    "rejected": rejected,
                    "inserted": counts.inserted,
                    "updated": counts.updated,
                },
            }
        ]
    )
    return ImportSummary(
        accepted=accepted,
        inserted=counts.inserted,
        updated=counts.updated,
        rejected=rejected,
        rejects_path=rejects_path,
        unchanged=counts.unchanged,
        rows_read=rows_read,
        fmt=reading.fmt,
        crs=reading.target.crs.to_string() if reading.target.crs else "",
        merged=merged,
        located_by_address=geocoded,
    )
