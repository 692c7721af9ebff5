"""Incident ids: a stable hash of a row's content when the file gives none.

``h`` + 16 hex digits of the row's 64-bit content hash (the one
:func:`pandas.util.hash_pandas_object` gives); repeats of one content within a file get
``-2``, ``-3`` … in file order (:class:`IdMaker`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hotspots.io._arrow import arrow_strings

__all__ = ["IdMaker", "combine_hashes", "text_hash"]


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
#: byte value -> its two hex digits (ASCII)
_HEX_PAIRS = np.stack([_HEX_DIGITS[np.arange(256) >> 4], _HEX_DIGITS[np.arange(256) & 15]], axis=1)
_ID_CHARS = 17  # "h" + 16 hex digits


def combine_hashes(hashes: list[np.ndarray]) -> np.ndarray:
    """Combine per-column 64-bit hashes into one per row.

    The same combination as :func:`pandas.util.hash_pandas_object` applies to the columns of
    a frame (a tuple-hash in the style of CPython's), so the ids stay those of earlier
    versions; a test checks the agreement.
    """
    num_items = len(hashes)
    mult = np.uint64(1000003)
    out = np.zeros_like(hashes[0]) + np.uint64(0x345678)
    for i, arr in enumerate(hashes):
        inverse_i = num_items - i
        out ^= arr
        out *= mult
        mult += np.uint64(82520 + inverse_i + inverse_i)
    out += np.uint64(97531)
    return out


def text_hash(values: pd.Series) -> np.ndarray:
    """64-bit hash of each cell's text (empty for missing), hashing each distinct text once.

    Equal to ``pandas.util.hash_array`` of the texts.
    """
    text = values.astype("string").fillna("")
    if not len(text):
        return np.zeros(0, dtype=np.uint64)
    sample = text.iloc[:1000]
    if sample.nunique() > len(sample) // 2:  # mostly distinct texts: hash them directly
        return pd.util.hash_array(text.to_numpy(dtype=object), categorize=False)
    encoded = pc.dictionary_encode(arrow_strings(text))
    uniques = encoded.dictionary.to_numpy(zero_copy_only=False).astype(object)
    hashed = pd.util.hash_array(uniques, categorize=False)
    return hashed[encoded.indices.to_numpy(zero_copy_only=False)]


def _hex_ids(h: np.ndarray) -> pa.StringArray:
    """``"h"`` + 16 lowercase hex digits of each hash, built as one Arrow buffer."""
    n = len(h)
    octets = np.ascontiguousarray(h, dtype=">u8").view(np.uint8).reshape(n, 8)
    buf = np.empty((n, _ID_CHARS), dtype=np.uint8)
    buf[:, 0] = ord("h")
    buf[:, 1:] = _HEX_PAIRS[octets].reshape(n, 16)
    offsets = np.arange(0, _ID_CHARS * (n + 1), _ID_CHARS, dtype=np.int32)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(buf))


class IdMaker:
    """Stable ids from row content: ``h`` + 16 hex digits of a 64-bit hash of the row.

    Identical rows (police.uk has many: same month, snapped point and type) get ``-1``, ``-2``
    ... by order of appearance, counted across chunks, so re-importing the same file gives the
    same ids and no row is lost.
    """

    def __init__(self) -> None:
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted hashes seen in earlier chunks
        self._counts = np.zeros(0, dtype=np.int64)  # rows seen per hash

    def make(self, content: pd.DataFrame) -> np.ndarray:
        """Ids for the rows of ``content`` (the row values that identify an incident)."""
        if not len(content):
            return np.array([], dtype=object)
        h = pd.util.hash_pandas_object(content, index=False).to_numpy(dtype=np.uint64)
        return self.from_hashes(h).to_numpy(zero_copy_only=False).astype(object)

    def from_hashes(self, h: np.ndarray) -> pa.StringArray:
        """Ids for rows whose content hashes are ``h`` (uint64), in order."""
        n = len(h)
        if not n:
            return pa.array([], type=pa.string())
        order = np.argsort(h, kind="stable")
        hs = h[order]
        first = np.ones(n, dtype=bool)
        first[1:] = hs[1:] != hs[:-1]
        group_sorted = np.cumsum(first) - 1
        starts = np.flatnonzero(first)
        group = np.empty(n, dtype=np.intp)
        group[order] = group_sorted
        within = np.empty(n, dtype=np.int64)
        within[order] = np.arange(n) - starts[group_sorted]
        uniq = hs[starts]
        counts = np.diff(np.append(starts, n)).astype(np.int64)
        prior = np.zeros(len(uniq), dtype=np.int64)
        pos = np.searchsorted(self._keys, uniq)
        found = np.zeros(len(uniq), dtype=bool)
        if len(self._keys):
            clipped = np.minimum(pos, len(self._keys) - 1)
            found = self._keys[clipped] == uniq
            prior[found] = self._counts[clipped[found]]
            self._counts[clipped[found]] += counts[found]
        self._keys = np.insert(self._keys, pos[~found], uniq[~found])
        self._counts = np.insert(self._counts, pos[~found], counts[~found])
        ordinal = prior[group] + within
        ids = _hex_ids(h)
        dup = ordinal > 0
        if dup.any():
            suffix = np.where(dup, np.char.add("-", ordinal.astype(str)), "")
            ids = pc.binary_join_element_wise(ids, pa.array(suffix, type=pa.string()), "")
        return ids


