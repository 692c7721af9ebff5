"""The grid self-exciting point process: EM recovers planted parameters; the O(n) pair sums
agree with the O(n^2) definition; forecasts follow the formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from hotspots.core.errors import InputSchemaError
from hotspots.forecast import sepp
from hotspots.forecast.methods import History, MethodSpec, score
from hotspots.forecast.sepp import SeppFit, fit_sepp, simulate_sepp
from hotspots.spatial.grid import Grid


@pytest.mark.parametrize(
    ("theta", "omega", "seed"),
    [(0.5, 1 / 5, 1), (0.4, 1 / 2, 2), (0.7, 1.0, 3)],
)
def test_em_recovers_planted_parameters(theta: float, omega: float, seed: int) -> None:
    # 100 cells with about 30 background incidents each over 1500 days; the trigger (mean
    # delay 1-5 days) rises well above each cell's background rate. (With few incidents per
    # cell and a long, weak trigger the free background of each cell absorbs part of the
    # triggering: see the module's notes.)
    rng = np.random.default_rng(seed)
    mu = rng.gamma(2.0, 0.01, 100)
    period = 1500.0
    cells, times = simulate_sepp(mu, theta=theta, omega=omega, period_days=period, rng=rng)
    fit = fit_sepp(cells, times, n_cells=mu.size, period_days=period)
    assert fit.converged
    assert fit.theta == pytest.approx(theta, rel=0.2)
    assert fit.omega == pytest.approx(omega, rel=0.2)
    # the background: its total rate, and where it is
    assert fit.mu.sum() == pytest.approx(mu.sum(), rel=0.2)
    assert np.corrcoef(fit.mu, mu)[0, 1] > 0.8


def test_no_triggering_gives_a_branching_ratio_near_zero() -> None:
    rng = np.random.default_rng(5)
    mu = np.full(200, 0.01)
    cells, times = simulate_sepp(mu, theta=0.0, omega=0.2, period_days=1000.0, rng=rng)
    fit = fit_sepp(cells, times, n_cells=mu.size, period_days=1000.0)
    assert fit.theta < 0.05
    assert_allclose(fit.mu.sum(), len(cells) / 1000.0, rtol=0.06)


def _brute_force_sums(
    cells: np.ndarray, times: np.ndarray, omega: float
) -> tuple[np.ndarray, np.ndarray]:
    """A_i and B_i of every incident from the definition (pairs in one cell, strictly earlier)."""
    a = np.zeros(cells.size)
    b = np.zeros(cells.size)
    for i in range(cells.size):
        same = (cells == cells[i]) & (times < times[i])
        lag = times[i] - times[same]
        a[i] = np.exp(-omega * lag).sum()
        b[i] = (lag * np.exp(-omega * lag)).sum()
    return a, b


def test_the_recursive_pair_sums_agree_with_the_definition() -> None:
    rng = np.random.default_rng(11)
    cells = rng.integers(0, 7, 300)
    times = np.round(rng.uniform(0, 200, 300), 0)  # whole days: many ties within a cell
    omega = 0.15
    g_cell, g_time, g_count, rank = sepp._groups(cells, times)
    a, b = sepp._exclusive_sums(g_time, g_count, rank, omega, 200.0)
    want_a, want_b = _brute_force_sums(cells, times, omega)
    # every incident of a (cell, time) group shares its sums
    key = {(c, t): i for i, (c, t) in enumerate(zip(g_cell, g_time, strict=True))}
    idx = np.array([key[(c, t)] for c, t in zip(cells, times, strict=True)])
    assert_allclose(a[idx], want_a, rtol=1e-9, atol=1e-12)
    assert_allclose(b[idx], want_b, rtol=1e-7, atol=1e-9)


def test_forecast_formula_by_hand() -> None:
    fit = SeppFit(
        mu=np.array([0.1, 0.0, 0.02]),
        theta=0.5,
        omega=0.25,
        period_days=100.0,
        n_events=3,
        n_iter=1,
        converged=True,
        log_likelihood=0.0,
    )
    cells = np.array([0, 0, 2])
    ages = np.array([0.0, 4.0, 8.0])
    out = fit.forecast(cells, ages, horizon_days=10.0)
    k = 0.5 * (1 - math.exp(-2.5))  # theta (1 - exp(-omega h))
    # cell 0: 0.1 * 10 + k (1 + e^-1); cell 1: nothing; cell 2: 0.02 * 10 + k e^-2
    assert_allclose(out, [1.0 + k * (1 + math.exp(-1)), 0.0, 0.2 + k * math.exp(-2)])
    rate = fit.forecast(cells, ages, horizon_days=None)
    assert_allclose(rate[0], 0.1 + 0.5 * 0.25 * (1 + math.exp(-1)))


def test_bad_input_is_refused() -> None:
    with pytest.raises(InputSchemaError, match="cells"):
        fit_sepp(np.array([0, 5]), np.array([1.0, 2.0]), n_cells=3)
    with pytest.raises(InputSchemaError, match="times_days"):
        fit_sepp(np.array([0, 1]), np.array([1.0, -2.0]), n_cells=3)
    with pytest.raises(InputSchemaError, match="theta"):
        simulate_sepp(
            np.ones(2), theta=1.2, omega=1.0, period_days=5.0, rng=np.random.default_rng()
        )


def test_an_empty_history_fits_nothing() -> None:
    fit = fit_sepp(np.array([], dtype=int), np.array([]), n_cells=4)
    assert fit.n_events == 0
    assert_allclose(fit.mu, 0.0)


def test_sepp_method_on_the_grid_ranks_a_recent_burst_first() -> None:
    # two cells with the same count: one's incidents long ago, the other's a burst just now
    grid = Grid(x0=0.0, y0=0.0, cell_m=50.0, nx=4, ny=4, crs="EPSG:3006")
    rng = np.random.default_rng(2)
    # a background all over the grid over 400 days, so the process has something to fit
    n_bg = 200
    bx, by = rng.uniform(0, 200, n_bg), rng.uniform(0, 200, n_bg)
    bage = rng.uniform(0, 400, n_bg)
    # old cell (centre 25, 175): 10 incidents 300-390 days ago; burst cell (175, 25): 10 in
    # the last 5 days, each a day or so after the previous
    ox, oy, oage = np.full(10, 25.0), np.full(10, 175.0), np.linspace(300, 390, 10)
    nx_, ny_, nage = np.full(10, 175.0), np.full(10, 25.0), np.linspace(0.5, 5, 10)
    h = History(
        x=np.concatenate([bx, ox, nx_]),
        y=np.concatenate([by, oy, ny_]),
        age_days=np.concatenate([bage, oage, nage]),
        grid=grid,
    )
    s = score(MethodSpec("sepp", horizon_days=7.0), h)
    assert s.shape == grid.shape
    assert (s >= 0).all()
    assert s[3, 3] > s[0, 0]  # burst (south-east) above the old cluster (north-west)
    assert h.sepp().theta > 0
