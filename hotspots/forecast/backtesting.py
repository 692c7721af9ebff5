"""Backtests: train/test windows in time, the methods scored on each, and stability.

A backtest trains each forecasting method (:mod:`hotspots.forecast.methods`) on the incidents
before a forecast origin and scores it on the incidents after it, with the metrics of
:mod:`hotspots.forecast.metrics` (hit rate, PAI, PEI*). Windows are either one explicit split
(:func:`split_window`) or rolling origins over the incidents' own history
(:func:`rolling_windows`); training never sees an incident of its test period.
:func:`stability` measures how much the hotspot cells move under small changes of the
analysis (grid shift, bandwidth).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.forecast.methods import GridLike, History, MethodSpec, bin_points, score
from hotspots.forecast.metrics import (
    COVERAGES,
    captured_count,
    coverage_cells,
    jaccard,
    json_float,
    top_slice,
)
from hotspots.forecast.streets import Streets

__all__ = [
    "BacktestResult",
    "PreparedWindow",
    "Window",
    "backtest",
    "captured_counts",
    "prepare_windows",
    "rolling_windows",
    "split_window",
    "stability",
    "window_masks",
]


# --------------------------------------------------------------------------------------------
# Backtest windows
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """One train/test split in time.

    Training uses incidents with ``train_start <= t < origin`` (``train_start`` ``None`` = all
    history); the test uses ``origin <= t < test_end``. The two never overlap.

    Attributes
    ----------
    origin
        Forecast origin: first instant of the test period.
    test_end
        End of the test period (exclusive).
    train_start
        First instant of the training period, or ``None`` for all earlier history.
    """

    origin: pd.Timestamp
    test_end: pd.Timestamp
    train_start: pd.Timestamp | None = None

    def __post_init__(self) -> None:
        if not self.test_end > self.origin:
            msg = (
                f"the test period must end after it starts (got {self.origin.date()} .. "
                f"{self.test_end.date()}); give --until after --split"
            )
            raise InputSchemaError(msg)
        if self.train_start is not None and not self.train_start < self.origin:
            msg = "the training period must start before the split date"
            raise InputSchemaError(msg)

    def label(self) -> str:
        """``"..2019-07-01 | 2019-07-01..2020-01-01"``."""
        start = "" if self.train_start is None else str(self.train_start.date())
        return f"{start}..{self.origin.date()} | {self.origin.date()}..{self.test_end.date()}"


def _timestamp(value: object, tz: object) -> pd.Timestamp:
    ts = pd.Timestamp(value)  # type: ignore[arg-type]
    if tz is not None:
        ts = ts.tz_localize(tz) if ts.tz is None else ts.tz_convert(tz)
    return ts


def split_window(
    split: object, until: object | None, *, times: pd.Series | pd.DatetimeIndex
) -> Window:
    """The explicit split: train before ``split``, test on ``split .. until``.

    Parameters
    ----------
    split
        First day of the test period (date or timestamp; naive = the times' zone).
    until
        End of the test period (exclusive); ``None`` = just after the last incident.
    times
        Incident times, used for the zone and the default end.
    """
    t = pd.DatetimeIndex(times)
    origin = _timestamp(split, t.tz)
    if until is None:
        if len(t) == 0 or t.max() < origin:
            msg = f"no incident on or after the split date {origin.date()}; nothing to score"
            raise InsufficientDataError(msg)
        end = t.max() + pd.Timedelta(seconds=1)
    else:
        end = _timestamp(until, t.tz)
    return Window(origin=origin, test_end=end)


def window_masks(
    times: pd.Series | pd.DatetimeIndex, window: Window
) -> tuple[np.ndarray, np.ndarray]:
    """Boolean masks ``(train, test)`` of the incidents in a window; never both true."""
    t = pd.DatetimeIndex(times)
    train = np.asarray(t < window.origin)
    if window.train_start is not None:
        train &= np.asarray(t >= window.train_start)
    test = np.asarray((t >= window.origin) & (t < window.test_end))
    return train, test


def rolling_windows(
    times: pd.Series | pd.DatetimeIndex,
    *,
    horizon: pd.Timedelta | None = None,
    n_windows: int = 3,
    min_train: int = 20,
    min_test: int = 10,
    end: pd.Timestamp | None = None,
) -> list[Window]:
    """Rolling-origin windows over the incidents' own history, latest first.

    The last test period ends at ``end`` (default: just after the latest incident) and lasts
    ``horizon``; each earlier window moves back by one ``horizon``. Training uses all the
    history before the origin (expanding window). Windows whose training or test period has too
    few incidents are skipped (police.uk extracts may have gaps of whole years).

    Parameters
    ----------
    times
        Incident times.
    horizon
        Length of each test period; default a quarter of the history, at least one day.
    n_windows
        Most windows to return.
    min_train, min_test
        Fewest incidents in a window's training and test periods.
    end
        End (exclusive) of the last test period.

    Returns
    -------
    list of Window
        At most ``n_windows`` windows, latest first.

    Raises
    ------
    InsufficientDataError
        When no window has enough incidents.
    """
    t = pd.DatetimeIndex(times).sort_values()
    if len(t) == 0:
        msg = "no incidents to backtest on; widen the filters"
        raise InsufficientDataError(msg)
    stop = t[-1] + pd.Timedelta(seconds=1) if end is None else end
    span = stop - t[0]
    if horizon is None:
        horizon = max(span / 4, pd.Timedelta(days=1))
    windows: list[Window] = []
    test_end = stop
    # enough steps to cross gaps in the history, bounded by the span
    max_steps = int(span / horizon) + 2
    for _ in range(max_steps):
        origin = test_end - horizon
        if origin <= t[0]:
            break
        n_train = int(t.searchsorted(origin, side="left"))
        n_test = int(t.searchsorted(test_end, side="left")) - n_train
        if n_train >= min_train and n_test >= min_test:
            windows.append(Window(origin=origin, test_end=test_end))
            if len(windows) == n_windows:
                break
        test_end = origin
    if not windows:
        msg = (
            f"too little history for a rolling backtest ({len(t)} incidents over "
            f"{span.days} days; need {min_train} before and {min_test} in a test period)"
        )
        raise InsufficientDataError(msg)
    return windows


# --------------------------------------------------------------------------------------------
# Backtests
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreparedWindow:
    """One window's training history (binned once) and test counts on the evaluation grid.

    Attributes
    ----------
    window
        The time split.
    history
        Training incidents (only those before the origin), binned on the grid.
    test_flat
        Test incidents per study-area cell, flattened in mask order.
    n_train
        Training incidents on the grid.
    n_test
        Test incidents inside the study area.
    best
        Best possible captured count per coverage of the owning backtest (oracle).
    """

    window: Window
    history: History
    test_flat: np.ndarray
    n_train: int
    n_test: float
    best: dict[float, float]


def prepare_windows(
    x: np.ndarray,
    y: np.ndarray,
    times: pd.Series | pd.DatetimeIndex,
    *,
    grid: GridLike,
    mask: np.ndarray,
    windows: Sequence[Window],
    coverages: Iterable[float] = COVERAGES,
    extra_zero_cells: int = 0,
    streets: Streets | None = None,
) -> list[PreparedWindow]:
    """Split incidents by each window and bin them once.

    Training sees only incidents strictly before the origin (and after ``train_start``); test
    counts only incidents in ``origin <= t < test_end`` inside the study area.

    Parameters
    ----------
    x, y
        Incident coordinates, metres in the grid's CRS.
    times
        Incident times.
    grid, mask
        Evaluation grid and its study area (bool ``ny x nx``).
    windows
        The splits.
    coverages
        Coverages whose oracle counts are precomputed.
    extra_zero_cells
        Study-area cells outside ``grid`` (a crop around the incidents): they score 0 for
        every method and hold no incident.
    streets
        The geography's road lines, for the ``street`` method (``None``: none).
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    t = pd.DatetimeIndex(times)
    m = np.asarray(mask, dtype=bool)
    covs = list(coverages)
    out: list[PreparedWindow] = []
    for w in windows:
        train, test = window_masks(t, w)
        age = np.asarray((w.origin - t[train]) / pd.Timedelta(days=1), dtype=float)
        hist = History(x=xa[train], y=ya[train], age_days=age, grid=grid, streets=streets)
        test_counts = bin_points(xa[test], ya[test], grid)
        flat = test_counts[m]
        n_cells = int(m.sum()) + extra_zero_cells
        best = {c: captured_count(flat, flat, coverage_cells(c, n_cells)) for c in covs}
        out.append(
            PreparedWindow(
                window=w,
                history=hist,
                test_flat=flat,
                n_train=int(hist.counts().sum()),
                n_test=float(flat.sum()),
                best=best,
            )
        )
    return out


def captured_counts(
    spec: MethodSpec,
    prepared: Sequence[PreparedWindow],
    coverages: Sequence[float],
    *,
    mask: np.ndarray,
    extra_zero_cells: int = 0,
) -> np.ndarray:
    """Captured test incidents of one method, ``n_windows x n_coverages``.

    ``extra_zero_cells``: study-area cells outside the (cropped) grid, see
    :func:`prepare_windows`.
    """
    m = np.asarray(mask, dtype=bool)
    n_cells = int(m.sum()) + extra_zero_cells
    out = np.zeros((len(prepared), len(coverages)))
    for i, p in enumerate(prepared):
        s = score(spec, p.history)[m]
        for j, c in enumerate(coverages):
            k = coverage_cells(c, n_cells)
            out[i, j] = captured_count(s, p.test_flat, k, extra_zero_cells=extra_zero_cells)
    return out


@dataclass(frozen=True)
class BacktestResult:
    """Hit rates, PAI and PEI* of several methods over one or more windows.

    Attributes
    ----------
    specs
        The methods, in input order.
    windows
        The splits.
    coverages
        Shares of the study area.
    captured
        Captured test incidents, ``n_specs x n_windows x n_coverages``.
    best
        Oracle captured counts, ``n_windows x n_coverages``.
    n_train, n_test
        Training incidents on the grid and test incidents in the study area, per window.
    area_share
        Share of the study area actually selected per coverage (``k / n_cells``).
    """

    specs: tuple[MethodSpec, ...]
    windows: tuple[Window, ...]
    coverages: tuple[float, ...]
    captured: np.ndarray
    best: np.ndarray
    n_train: np.ndarray
    n_test: np.ndarray
    area_share: np.ndarray

    def hit_rate(self) -> np.ndarray:
        """Hit rate pooled over windows, ``n_specs x n_coverages``."""
        total = float(self.n_test.sum())
        return self.captured.sum(axis=1) / total if total > 0 else self.captured[:, 0] * np.nan

    def pai(self) -> np.ndarray:
        """PAI pooled over windows, ``n_specs x n_coverages`` (NaN where no cell is selected)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.area_share > 0, self.hit_rate() / self.area_share, np.nan)

    def pei(self) -> np.ndarray:
        """PEI* pooled over windows: captured over oracle-captured, ``n_specs x n_coverages``."""
        best = self.best.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(best > 0, self.captured.sum(axis=1) / best, np.nan)

    def table(self) -> dict[str, dict[str, dict[str, float | None]]]:
        """``{label: {"0.05": {"hit_rate", "pai", "pei"}}}`` for JSON output."""
        hr, pai, pei = self.hit_rate(), self.pai(), self.pei()
        out: dict[str, dict[str, dict[str, float | None]]] = {}
        for i, spec in enumerate(self.specs):
            out[spec.label()] = {
                f"{c:g}": {
                    "hit_rate": json_float(hr[i, j]),
                    "pai": json_float(pai[i, j]),
                    "pei": json_float(pei[i, j]),
                }
                for j, c in enumerate(self.coverages)
            }
        return out


def backtest(
    x: np.ndarray,
    y: np.ndarray,
    times: pd.Series | pd.DatetimeIndex,
    *,
    grid: GridLike,
    mask: np.ndarray,
    windows: Sequence[Window],
    specs: Sequence[MethodSpec],
    coverages: Sequence[float] = COVERAGES,
    streets: Streets | None = None,
) -> BacktestResult:
    """Score every method on every window (explicit split or rolling origin).

    Parameters
    ----------
    x, y
        Incident coordinates, metres in the grid's CRS.
    times
        Incident times.
    grid, mask
        Evaluation grid and study area (bool ``ny x nx``).
    windows
        Train/test splits, e.g. ``[split_window(...)]`` or :func:`rolling_windows`.
    specs
        Methods to score.
    coverages
        Shares of the study area.
    streets
        The geography's road lines, for the ``street`` method.

    Raises
    ------
    InsufficientDataError
        When no window has a test incident in the study area or a training incident.
    """
    covs = tuple(float(c) for c in coverages)
    prepared = prepare_windows(
        x, y, times, grid=grid, mask=mask, windows=windows, coverages=covs, streets=streets
    )
    n_test = np.array([p.n_test for p in prepared])
    n_train = np.array([p.n_train for p in prepared])
    if n_test.sum() <= 0:
        msg = "no test incident falls inside the study area; choose another split or --until"
        raise InsufficientDataError(msg)
    if n_train.sum() <= 0:
        msg = "no training incident before the split date; choose a later --split"
        raise InsufficientDataError(msg)
    captured = np.stack([captured_counts(s, prepared, covs, mask=mask) for s in specs])
    best = np.array([[p.best[c] for c in covs] for p in prepared])
    n_cells = int(np.asarray(mask, dtype=bool).sum())
    share = np.array([coverage_cells(c, n_cells) / n_cells for c in covs])
    return BacktestResult(
        specs=tuple(specs),
        windows=tuple(windows),
        coverages=covs,
        captured=captured,
        best=best,
        n_train=n_train,
        n_test=n_test,
        area_share=share,
    )


# --------------------------------------------------------------------------------------------
# Stability
# --------------------------------------------------------------------------------------------


def stability(
    spec: MethodSpec,
    history: History,
    *,
    mask: np.ndarray,
    coverage: float,
) -> dict[str, float]:
    """How much the hotspot cells change under small changes of the analysis.

    Returns the Jaccard overlap (weighted by the tie-sharing weights of :func:`top_slice`) of
    the hotspot cells at ``coverage`` with those after

    * ``grid_shift``: moving the grid by half a cell in x and y (compared on half-cells), and
    * ``bandwidth_minus_25`` / ``bandwidth_plus_25``: a bandwidth 25 % smaller / larger (for
      ``naive`` the count cell size changes instead, for ``street`` the segment length, and
      ``sepp``, which has no scale to change, scores 1).

    Parameters
    ----------
    spec
        The method.
    history
        Its training incidents binned on the evaluation grid.
    mask
        Study area on that grid.
    coverage
        Share of the study area that is hotspot.
    """
    grid = history.grid
    m = np.asarray(mask, dtype=bool)
    base = top_slice(score(spec, history), coverage, mask=m)
    half = grid.cell_m / 2
    # half a cell east and half a cell south: the shifted cell (i, j) is centred on the corner
    # shared by the original cells (i, j), (i, j+1), (i+1, j) and (i+1, j+1) (north-up rows)
    shifted_grid = replace(grid, x0=grid.x0 + half, y0=grid.y0 - half)
    shifted_hist = History(
        history.x, history.y, history.age_days, shifted_grid, streets=history.streets
    )
    shifted_mask = np.zeros_like(m)
    shifted_mask[:-1, :-1] = m[1:, 1:] & m[:-1, :-1] & m[1:, :-1] & m[:-1, 1:]
    moved = top_slice(score(spec, shifted_hist), coverage, mask=shifted_mask)
    fine_a = np.zeros((2 * grid.ny + 1, 2 * grid.nx + 1))
    fine_b = np.zeros_like(fine_a)
    fine_a[: 2 * grid.ny, : 2 * grid.nx] = np.kron(base, np.ones((2, 2)))
    fine_b[1:, 1:] = np.kron(moved, np.ones((2, 2)))
    out = {"grid_shift": jaccard(fine_a, fine_b)}
    for name, factor in (("bandwidth_minus_25", 0.75), ("bandwidth_plus_25", 1.25)):
        if spec.method == "sepp":
            out[name] = 1.0
            continue
        if spec.method == "naive":
            changed = replace(spec, cell_m=float(spec.cell_m or grid.cell_m) * factor)
        elif spec.method == "street":
            changed = replace(spec, segment_m=float(spec.segment_m or 100.0) * factor)
        else:
            changed = replace(spec, bandwidth_m=float(spec.bandwidth_m or 0) * factor)
        out[name] = jaccard(base, top_slice(score(changed, history), coverage, mask=m))
    return out
