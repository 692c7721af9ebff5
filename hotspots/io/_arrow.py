"""One contiguous Arrow string array from a pandas text column."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

__all__ = ["arrow_strings"]


def arrow_strings(values: pd.Series) -> pa.Array:
    """The column as one Arrow string array (a chunked column is combined into one chunk).

    pandas' Arrow-backed strings may hold several chunks (the CSV reader makes them for large
    chunks); Arrow kernels then return chunked results, which lack ``dictionary`` and
    ``indices`` and do not line up with NumPy masks. One chunk keeps every caller simple.
    """
    arr = pa.array(values.array, type=pa.string()) if len(values) else pa.array([], pa.string())
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
