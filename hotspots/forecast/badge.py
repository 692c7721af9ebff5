"""The accuracy badge of the app's map: a short rolling backtest of the settings shown.

Pure computation on arrays, so that the app can run it in a worker process (a filter change
at a meeting must not hold the server's interpreter while ten maps wait to be drawn).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from hotspots.forecast.backtesting import backtest, rolling_windows
from hotspots.forecast.methods import GridLike, MethodSpec

__all__ = ["Badge", "accuracy_badge"]

#: Rolling windows of the badge's backtest (the Utvärdering page runs the full evaluation).
BADGE_WINDOWS = 3


@dataclass(frozen=True, slots=True)
class Badge:
    """Hit rate and PAI of the settings shown, averaged over rolling windows.

    Attributes
    ----------
    hit_rate
        Share (0-1) of the test incidents inside the chosen coverage of the study area.
    pai
        Predictive accuracy index: hit rate divided by the share of the area.
    windows
        Number of rolling train/test windows scored.
    """

    hit_rate: float
    pai: float
    windows: int


def accuracy_badge(
    x: np.ndarray,
    y: np.ndarray,
    times: pd.Series,
    *,
    grid: GridLike,
    mask: np.ndarray,
    kernel: str,
    bandwidth_m: float,
    coverage: float,
) -> Badge:
    """Backtest a KDE of the settings shown on :data:`BADGE_WINDOWS` rolling windows.

    Parameters
    ----------
    x, y
        Incident coordinates, metres in the grid's CRS.
    times
        Incident times (timezone-aware).
    grid, mask
        The analysis grid and its study area (bool ``ny x nx``).
    kernel
        KDE kernel (``"quartic"``, ``"gaussian"``, ...).
    bandwidth_m
        KDE bandwidth, metres.
    coverage
        Share (0-1) of the study area flagged.

    Returns
    -------
    Badge

    Raises
    ------
    InsufficientDataError
        Too few incidents or too short a period for a window.
    """
    windows = rolling_windows(times, n_windows=BADGE_WINDOWS)
    spec = MethodSpec("kde", kernel=kernel, bandwidth_m=float(bandwidth_m))
    result = backtest(
        x, y, times, grid=grid, mask=mask, windows=windows, specs=[spec], coverages=(coverage,)
    )
    return Badge(
        hit_rate=float(result.hit_rate()[0, 0]),
        pai=float(result.pai()[0, 0]),
        windows=len(windows),
    )
