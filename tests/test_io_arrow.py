"""Chunked Arrow text columns (as pandas' CSV reader makes for large chunks) validate alike."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from hotspots.io._arrow import arrow_strings
from hotspots.io._ids import text_hash
from hotspots.io._location import to_number
from hotspots.io._times import parse_times


def _chunked(values: list[str]) -> pd.Series:
    half = len(values) // 2
    arr = pa.chunked_array([values[:half], values[half:]], type=pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(arr))


def test_arrow_strings_combines_chunks() -> None:
    got = arrow_strings(_chunked(["a", "b", "c", "d"]))
    assert isinstance(got, pa.Array)
    assert got.to_pylist() == ["a", "b", "c", "d"]
    assert arrow_strings(pd.Series([], dtype="string")).to_pylist() == []


def test_chunked_columns_give_the_same_results_as_plain_ones() -> None:
    texts = ["polis", "kommun", "polis", "polis"] * 500  # few distinct: the dictionary path
    plain = pd.Series(texts, dtype="string")
    assert np.array_equal(text_hash(_chunked(texts)), text_hash(plain))
    numbers = ["59,38", "13.5", "x", "1e3"] * 3
    for a, b in zip(to_number(_chunked(numbers)), to_number(pd.Series(numbers)), strict=True):
        assert np.array_equal(a, b, equal_nan=True)
    times = ["2026-03-14 22:15", "2026-02-30 10:00", "2026-03-14", "2026-01-31 23:59"] * 3
    chunked, flat = parse_times(_chunked(times)), parse_times(pd.Series(times))
    assert chunked.start.equals(flat.start)
    assert list(chunked.bad) == list(flat.bad) == [False, True, False, False] * 3
