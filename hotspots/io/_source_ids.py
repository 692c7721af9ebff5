"""Repeated source ids that name different rows (police.uk ``Crime ID``), told apart.

police.uk gives each crime a ``Crime ID``, but a month's file sometimes holds two or three
rows with the same one at different places (a crime with several locations, or two crimes
that police.uk merged by mistake); police.uk counts each row as a crime. Rows that share an id
and are identical in every cell are one crime written twice.

:class:`RepeatedIds` numbers the distinct contents of each id in file order, over all chunks
of a file: the first keeps the id, the second gets ``-2``, the third ``-3``; identical rows get
the same number (and so the same stored id, which the import merges). The numbering depends
only on the file, so importing it again gives the same ids.
"""

from __future__ import annotations

import numpy as np

__all__ = ["RepeatedIds", "with_suffixes"]


class RepeatedIds:
    """The distinct contents seen per id, across the chunks of one file.

    Keys and contents are 64-bit hashes (of the id's text and of the whole row); the state is
    four sorted NumPy arrays, about 32 bytes per distinct row.
    """

    def __init__(self) -> None:
        self._contents = np.zeros(0, dtype=np.uint64)  # sorted content hashes seen
        self._ordinals = np.zeros(0, dtype=np.int64)  # 0-based number of each within its id
        self._keys = np.zeros(0, dtype=np.uint64)  # sorted id hashes seen
        self._distinct = np.zeros(0, dtype=np.int64)  # distinct contents seen per id

    def ordinals(self, keys: np.ndarray, contents: np.ndarray) -> np.ndarray:
        """Number each row's content within its id: 0 for the first distinct content.

        Parameters
        ----------
        keys
            uint64 hash of each row's id, in file order.
        contents
            uint64 hash of each row's content (every cell; equal contents have equal ids).

        Returns
        -------
        numpy.ndarray
            int64 ordinal of each row: the same for identical rows of an id, and counted on
            from the earlier chunks of the file.
        """
        keys = np.asarray(keys, dtype=np.uint64)
        contents = np.asarray(contents, dtype=np.uint64)
        if not len(contents):
            return np.zeros(0, dtype=np.int64)
        uniq, first, inverse = np.unique(contents, return_index=True, return_inverse=True)
        ordinal = np.empty(len(uniq), dtype=np.int64)
        known = _lookup(self._contents, uniq)
        found = known >= 0
        ordinal[found] = self._ordinals[known[found]]
        new = np.flatnonzero(~found)
        if len(new):
            new_first = first[new]
            new_keys = keys[new_first]
            order = np.lexsort((new_first, new_keys))  # by id, then by first appearance
            sorted_keys = new_keys[order]
            starts = np.ones(len(order), dtype=bool)
            starts[1:] = sorted_keys[1:] != sorted_keys[:-1]
            group = np.cumsum(starts) - 1
            start_at = np.flatnonzero(starts)
            rank = np.arange(len(order)) - start_at[group]
            group_keys = sorted_keys[start_at]
            group_sizes = np.diff(np.append(start_at, len(order)))
            seen = _lookup(self._keys, group_keys)
            prior = np.zeros(len(group_keys), dtype=np.int64)
            prior[seen >= 0] = self._distinct[seen[seen >= 0]]
            ordinal[new[order]] = prior[group] + rank
            self._remember_keys(group_keys, group_sizes, seen)
            self._contents, self._ordinals = _merge_sorted(
                self._contents, self._ordinals, uniq[new], ordinal[new]
            )
        return ordinal[np.asarray(inverse).reshape(-1)]

    def _remember_keys(self, keys: np.ndarray, added: np.ndarray, seen: np.ndarray) -> None:
        old = seen >= 0
        self._distinct[seen[old]] += added[old]
        self._keys, self._distinct = _merge_sorted(
            self._keys, self._distinct, keys[~old], added[~old]
        )


def _lookup(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Position of each of ``values`` in ``sorted_values``, -1 where absent."""
    if not len(sorted_values):
        return np.full(len(values), -1, dtype=np.intp)
    pos = np.searchsorted(sorted_values, values)
    clipped = np.minimum(pos, len(sorted_values) - 1)
    return np.where(sorted_values[clipped] == values, clipped, -1)


def _merge_sorted(
    keys: np.ndarray, values: np.ndarray, new_keys: np.ndarray, new_values: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``keys`` (sorted) with ``new_keys`` (absent from it) inserted, values alongside."""
    order = np.argsort(new_keys, kind="stable")
    new_keys, new_values = new_keys[order], new_values[order]
    pos = np.searchsorted(keys, new_keys)
    return np.insert(keys, pos, new_keys), np.insert(values, pos, new_values)


def with_suffixes(ids: np.ndarray, ordinals: np.ndarray) -> np.ndarray:
    """``ids`` (object array of str) with ``-<ordinal + 1>`` appended where the ordinal is > 0.

    ``"abc"`` with ordinals 0, 1, 2 gives ``"abc"``, ``"abc-2"``, ``"abc-3"``.
    """
    out = np.asarray(ids, dtype=object).copy()
    for i in np.flatnonzero(ordinals > 0):
        out[i] = f"{out[i]}-{int(ordinals[i]) + 1}"
    return out
