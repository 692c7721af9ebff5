"""Ids of imported rows: the file's own id, else a hash of the row's content.

Split from :mod:`hotspots.io._validate`, which calls these for every chunk.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from hotspots.io._arrow import arrow_strings
from hotspots.io._ids import combine_hashes, text_hash
from hotspots.io._source_ids import RepeatedIds, with_suffixes

if TYPE_CHECKING:
    from hotspots.io._validate import Context, LocationInput

__all__ = ["content_hashes", "ids_of_rows", "split_repeated", "text_column"]


def text_column(raw: pd.DataFrame, col: str | None, n: int) -> pd.Series:
    if col is None or col not in raw:
        return pd.Series(pd.array(pa.nulls(n, pa.large_string()), dtype="string"))
    out = raw[col].astype("string").str.strip()
    return out.where(out != "", pd.NA).reset_index(drop=True)


def content_hashes(raw: pd.DataFrame, loc: LocationInput, rows: np.ndarray) -> np.ndarray:
    """Row hashes of ``raw[rows]``: every cell as text plus the two location values.

    The same values as ``pandas.util.hash_pandas_object`` of those texts (the ids of earlier
    versions), computed per column on the distinct texts only.
    """
    part = raw.reset_index(drop=True)[rows]
    hashes: list[np.ndarray] = []
    by_name: dict[str, tuple[pa.Array, np.ndarray]] = {}
    for col in part.columns:
        text = part[col].astype("string").fillna("")
        hashed = text_hash(text)
        hashes.append(hashed)
        by_name[str(col)] = (arrow_strings(text), hashed)
    for series, name in ((loc.a, loc.names[0]), (loc.b, loc.names[1])):
        text = series.reset_index(drop=True)[rows].astype("string").fillna("")
        known = by_name.get(name)
        if known is not None and arrow_strings(text).equals(known[0]):
            hashes.append(known[1])  # a column of the file, hashed above
        else:
            hashes.append(text_hash(text))
    return combine_hashes(hashes)


def ids_of_rows(
    raw: pd.DataFrame,
    fields: Mapping[str, str],
    loc: LocationInput,
    ctx: Context,
    given: pd.Series | None = None,
) -> pd.Series:
    """The given id of each row, else a hash of the row's content (see :class:`IdMaker`).

    Rows with a given id never share content with rows without one (the id column is part
    of the content), so only the rows without an id are hashed. ``given`` are the id cells
    when the caller has them already.
    """
    n = len(raw)
    if given is None:
        given = text_column(raw, fields.get("id"), n)
    missing = given.isna().to_numpy()
    if not missing.any():
        return given
    made = ctx.ids.from_hashes(content_hashes(raw, loc, missing))
    if missing.all():
        return pd.Series(pd.array(made, dtype="string"))
    out = np.asarray(given.to_numpy(dtype=object, na_value=None))
    out[missing] = made.to_numpy(zero_copy_only=False)
    return pd.Series(out, dtype="string")


def split_repeated(
    ids: pd.Series,
    given: pd.Series,
    ok: np.ndarray,
    *,
    raw: pd.DataFrame,
    loc: LocationInput,
    repeated: RepeatedIds,
) -> pd.Series:
    """``ids`` where accepted rows that repeat a given id with other content get ``-2``, ``-3``.

    Only accepted rows take part, so a rejected row never takes a number; identical rows keep
    one id (see :mod:`hotspots.io._source_ids`).
    """
    mask = ok & given.notna().to_numpy()
    if not mask.any():
        return ids
    keys = text_hash(given[mask])
    contents = content_hashes(raw, loc, mask)
    ordinals = repeated.ordinals(keys, contents)
    if not (ordinals > 0).any():
        return ids
    out = ids.to_numpy(dtype=object, na_value=None).copy()
    out[mask] = with_suffixes(out[mask], ordinals)
    return pd.Series(out, dtype="string")
