"""One contiguous Arrow string array from a pandas text column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["arrow_strings", "blank"]


def arrow_strings(values: pd.Series) -> pa.Array:
    """The column as one Arrow string array (a chunked column is combined into one chunk).

    pandas' Arrow-backed strings may hold several chunks (the CSV reader makes them for large
    chunks); Arrow kernels then return chunked results, which lack ``dictionary`` and
    ``indices`` and do not line up with NumPy masks. One chunk keeps every caller simple.
    """
    arr = pa.array(values.array, type=pa.string()) if len(values) else pa.array([], pa.string())
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def blank(values: pd.Series) -> np.ndarray:
    """Cells that are empty, missing or only whitespace, without stripping every cell."""
    arr = arrow_strings(values.astype("string"))
    empty = pc.or_kleene(pc.equal(pc.binary_length(arr), 0), pc.utf8_is_space(arr))
    return np.asarray(pc.fill_null(empty, True), dtype=bool)
