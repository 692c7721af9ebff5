"""The map's accuracy badge: a short rolling backtest of the settings shown."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pyproj import CRS

from hotspots.core.errors import InsufficientDataError
from hotspots.core.schema import TIMEZONE
from hotspots.forecast.backtesting import backtest, rolling_windows
from hotspots.forecast.badge import BADGE_WINDOWS, accuracy_badge
from hotspots.forecast.methods import MethodSpec
from hotspots.spatial.grid import Grid

GRID = Grid(x0=0.0, y0=0.0, cell_m=25.0, nx=80, ny=80, crs=CRS.from_epsg(3006))  # 2 x 2 km
MASK = np.ones(GRID.shape, dtype=bool)


def _times(days: np.ndarray) -> pd.Series:
    start = pd.Timestamp("2026-01-01 12:00", tz=TIMEZONE)
    return pd.Series(start + pd.to_timedelta(np.sort(days), unit="D"))


def test_a_place_that_never_moves_is_found_every_time(rng: np.random.Generator) -> None:
    t = _times(rng.integers(0, 365, 600))
    x = np.full(len(t), 1012.5)  # every incident in one cell
    badge = accuracy_badge(
        x, x.copy(), t, grid=GRID, mask=MASK, kernel="quartic", bandwidth_m=100, coverage=0.01
    )
    assert badge.windows == BADGE_WINDOWS
    assert badge.hit_rate == pytest.approx(1.0)
    # 1 % of 6,400 cells = 64 cells; PAI = hit rate / area share
    assert badge.pai == pytest.approx(1.0 / (64 / 6400))


def test_the_badge_is_the_backtest_of_the_settings(rng: np.random.Generator) -> None:
    t = _times(rng.integers(0, 365, 900))
    x = rng.normal(1000, 250, len(t)).clip(0, 1999)
    y = rng.normal(900, 300, len(t)).clip(0, 1999)
    badge = accuracy_badge(
        x, y, t, grid=GRID, mask=MASK, kernel="gaussian", bandwidth_m=150, coverage=0.05
    )
    spec = MethodSpec("kde", kernel="gaussian", bandwidth_m=150)
    windows = rolling_windows(t, n_windows=BADGE_WINDOWS)
    direct = backtest(
        x, y, t, grid=GRID, mask=MASK, windows=windows, specs=[spec], coverages=[0.05]
    )
    assert_allclose([badge.hit_rate, badge.pai], [direct.hit_rate()[0, 0], direct.pai()[0, 0]])
    assert 0.05 < badge.hit_rate < 1.0


def test_too_short_a_history_says_so() -> None:
    t = _times(np.array([0, 1, 2]))
    x = np.full(3, 500.0)
    with pytest.raises(InsufficientDataError):
        accuracy_badge(
            x, x.copy(), t, grid=GRID, mask=MASK, kernel="quartic", bandwidth_m=100, coverage=0.05
        )
