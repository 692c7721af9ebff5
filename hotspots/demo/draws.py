"""When and what: the random draws of times, hour weights and labels of the demo data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from hotspots.core.errors import InsufficientDataError
from hotspots.core.schema import TIMEZONE
from hotspots.demo.model import Component

__all__ = ["draw_times", "hour_weights", "pick"]


def draw_times(
    rng: np.random.Generator, comp: Component, days: pd.DatetimeIndex, stop: dt.date, n: int
) -> pd.DatetimeIndex:
    """``n`` local times: base day by month x weekday weights, then an hour offset."""
    w = (
        np.asarray(comp.month_weights)[days.month - 1]
        * np.asarray(comp.weekday_weights)[days.weekday]
    )
    if w.sum() <= 0:
        msg = f"demo component {comp.name} has no day with a positive weight"
        raise InsufficientDataError(msg)
    base = days[rng.choice(len(days), size=n, p=w / w.sum())]
    offsets = np.array(list(comp.hour_offsets), dtype=int)
    ow = np.array(list(comp.hour_offsets.values()), dtype=float)
    hours = offsets[rng.choice(len(offsets), size=n, p=ow / ow.sum())]
    minutes = rng.integers(0, 60, size=n)
    naive = base + pd.to_timedelta(hours * 60 + minutes, unit="min")
    # nights that would run past the end of the period move one week back
    late = naive >= pd.Timestamp(stop)
    naive = naive.where(~late, naive - pd.Timedelta(days=7))
    return naive.tz_localize(
        TIMEZONE, ambiguous=np.zeros(n, dtype=bool), nonexistent="shift_forward"
    )


def hour_weights(first: int, weights: tuple[float, ...]) -> dict[int, float]:
    """Hour offsets ``first, first + 1, ...`` with ``weights`` (offsets may exceed 23)."""
    return {first + i: float(w) for i, w in enumerate(weights)}


def pick(rng: np.random.Generator, table: dict[str, float], n: int) -> np.ndarray:
    """``n`` keys of ``table`` drawn with its values as (unnormalised) probabilities."""
    keys = np.array(list(table), dtype=object)
    p = np.array(list(table.values()), dtype=float)
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]
