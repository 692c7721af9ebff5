"""Prediction metrics and backtests: hit rate, PAI, PEI*, hit-rate curves, stability.

Everything here is pure computation on numpy grids (``ny x nx`` arrays in the metric CRS) and on
incident coordinates and times. The vocabulary follows open_cp: :func:`top_slice` selects the
highest-scoring share of the study area, :func:`hit_counts` and :func:`hit_rates` count the test
incidents that fall in it.

Coverage and ties
-----------------
A coverage ``c`` selects ``k = floor(c * n)`` of the ``n`` grid cells of the study area (open_cp's
``top_slice`` convention: 6 cells at 70 % gives 4 cells). Cells are ranked by score, highest
first. When the cut falls inside a group of cells with equal scores, the group is *shared*: each
tied cell receives the selection weight ``(k - n_above) / n_tied``, where ``n_above`` cells score
strictly higher. The hit count is then the expected count under a uniformly random order of the
tied cells, so it does not depend on where cells happen to lie in the array, the hit-rate curve
is piecewise linear and never decreases, and coarse methods (counts on 150 m cells aggregated to
a 50 m grid, which produce many ties) are scored fairly. Scores that are NaN count as the lowest.

Metrics
-------
hit rate
    Share of the test incidents inside the study area that fall in the selected cells.
PAI
    Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008): hit rate divided by the share
    of the study area selected, ``(n / N) / (a / A)`` with ``a / A = k / n_cells``.
PEI*
    Hit rate divided by the best hit rate possible with the same number of cells for the same
    test incidents (the test counts themselves used as scores; Hunt 2016, Chainey 2013's PEI).
    1 is a perfect forecast.

References
----------
Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot mapping for predicting
spatial patterns of crime. Security Journal 21, 4-28.

Hunt, J. M. (2016). Do crime hot spots move? Exploring the effects of the modifiable areal
unit problem and modifiable temporal unit problem on crime hot spot stability. PhD thesis,
American University (defines PEI*).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import ndimage
from shapely.geometry.base import BaseGeometry

from hotspots._errors import InputSchemaError, InsufficientDataError
from hotspots.config import KERNELS
from hotspots.grid import Grid, grid_for_bounds
from hotspots.methods import GridLike, History, MethodSpec, bin_points, score

__all__ = [
    "COVERAGES",
    "DEFAULT_METHODS",
    "BacktestResult",
    "CoverageMetrics",
    "PreparedWindow",
    "SplitEvaluation",
    "Window",
    "backtest",
    "best_hit_rates",
    "captured_counts",
    "coverage_cells",
    "evaluate_split",
    "hit_counts",
    "hit_rate_curve",
    "hit_rates",
    "jaccard",
    "metrics_at",
    "parse_methods",
    "pooled_hit_rate",
    "prepare_windows",
    "rolling_windows",
    "split_window",
    "stability",
    "study_area",
    "top_slice",
    "window_masks",
]

#: The coverages (share of the study area) every evaluation reports.
COVERAGES: tuple[float, ...] = (0.01, 0.02, 0.05, 0.10, 0.20)
_EPS = 1e-9


# --------------------------------------------------------------------------------------------
# Ranking and selection
# --------------------------------------------------------------------------------------------


def _flat(
    scores: np.ndarray, mask: np.ndarray | None, *others: np.ndarray
) -> tuple[np.ndarray, ...]:
    """Scores (NaN -> -inf) and other arrays restricted to the study-area cells, flattened."""
    s = np.asarray(scores, dtype=float)
    if mask is None:
        m = np.ones(s.shape, dtype=bool)
    else:
        m = np.asarray(mask, dtype=bool)
        if m.shape != s.shape:
            msg = f"mask has shape {m.shape} but scores have shape {s.shape}; use the same grid"
            raise InputSchemaError(msg)
    out = [np.where(np.isnan(s[m]), -np.inf, s[m])]
    for o in others:
        a = np.asarray(o, dtype=float)
        if a.shape != s.shape:
            msg = f"array has shape {a.shape} but scores have shape {s.shape}; use the same grid"
            raise InputSchemaError(msg)
        out.append(a[m])
    return tuple(out)


def coverage_cells(coverage: float, n_cells: int) -> int:
    """Number of cells a coverage selects: ``floor(coverage * n_cells)``.

    >>> coverage_cells(0.7, 6)  # 6 * 0.7 == 4.2
    4
    """
    if not 0 <= coverage <= 1:
        msg = f"coverage must be a share between 0 and 1 (got {coverage})"
        raise InputSchemaError(msg)
    return math.floor(coverage * n_cells + _EPS)


def top_slice(scores: np.ndarray, coverage: float, *, mask: np.ndarray | None = None) -> np.ndarray:
    """Selection weights of the top ``coverage`` share of the study area.

    Parameters
    ----------
    scores
        Score per cell (any unit; higher = more likely), ``ny x nx``.
    coverage
        Share of the study-area cells to select, 0-1.
    mask
        Study area (bool, same shape); ``None`` = every cell.

    Returns
    -------
    numpy.ndarray
        Float weights, same shape: 1 for selected cells, 0 for the others and outside the study
        area, and ``(k - n_above) / n_tied`` for the cells tied at the cut (see the module
        docstring). The weights sum to ``floor(coverage * n_cells)``.
    """
    s = np.asarray(scores, dtype=float)
    m = np.ones(s.shape, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    (flat,) = _flat(s, m)
    k = coverage_cells(coverage, flat.size)
    w = np.zeros(flat.size)
    if k > 0:
        thr = _kth_largest(flat, k)
        above = flat > thr
        tied = flat == thr
        w[above] = 1.0
        w[tied] = (k - int(above.sum())) / int(tied.sum())
    out = np.zeros(s.shape)
    out[m] = w
    return out


def _kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest value (1-based) of a 1-D array, in O(n)."""
    return float(np.partition(values, values.size - k)[values.size - k])


def _captured(
    flat_scores: np.ndarray, flat_counts: np.ndarray, k: int, *, extra_zero_cells: int = 0
) -> float:
    """Expected test count in the top ``k`` cells, ties at the cut shared (O(n)).

    ``extra_zero_cells`` more cells, not in the arrays, score 0 and hold no test incident
    (study-area cells far from every incident, left out of the arrays for speed; scores must
    then be >= 0).
    """
    if k <= 0:
        return 0.0
    if extra_zero_cells:
        positive = flat_scores > 0
        n_pos = int(positive.sum())
        if k <= n_pos:
            return _captured(flat_scores, flat_counts, k)
        zero = ~positive
        shared = (k - n_pos) / (int(zero.sum()) + extra_zero_cells)
        return float(flat_counts[positive].sum()) + shared * float(flat_counts[zero].sum())
    if k >= flat_scores.size:
        return float(flat_counts.sum())
    thr = _kth_largest(flat_scores, k)
    above = flat_scores > thr
    tied = flat_scores == thr
    n_above = int(above.sum())
    return float(flat_counts[above].sum()) + (k - n_above) * float(flat_counts[tied].sum()) / int(
        tied.sum()
    )


def hit_counts(
    scores: np.ndarray,
    test_counts: np.ndarray,
    coverages: Iterable[float] = COVERAGES,
    *,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """Test incidents captured by the top cells at each coverage.

    Parameters
    ----------
    scores
        Score per cell, ``ny x nx``.
    test_counts
        Test incidents per cell, same grid.
    coverages
        Shares of the study area, 0-1.
    mask
        Study area (bool); ``None`` = every cell.

    Returns
    -------
    numpy.ndarray
        Captured incidents per coverage (float: tied cells at the cut count in expectation).
    """
    s, c = _flat(scores, mask, test_counts)
    return np.array([_captured(s, c, coverage_cells(cov, s.size)) for cov in coverages])


def hit_rates(
    scores: np.ndarray,
    test_counts: np.ndarray,
    coverages: Iterable[float] = COVERAGES,
    *,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """Share of the test incidents in the study area captured at each coverage.

    Raises
    ------
    InsufficientDataError
        When there is no test incident inside the study area.
    """
    s, c = _flat(scores, mask, test_counts)
    total = float(c.sum())
    if total <= 0:
        msg = "no test incident falls inside the study area; choose a longer test period"
        raise InsufficientDataError(msg)
    return np.array([_captured(s, c, coverage_cells(cov, s.size)) for cov in coverages]) / total


def best_hit_rates(
    test_counts: np.ndarray,
    coverages: Iterable[float] = COVERAGES,
    *,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """The highest hit rate any forecast could reach with the same cells (the PEI* denominator).

    It is the hit rate of the test counts used as their own scores.
    """
    return hit_rates(test_counts, test_counts, coverages, mask=mask)


@dataclass(frozen=True, slots=True)
class CoverageMetrics:
    """Metrics of one forecast at one coverage.

    Attributes
    ----------
    coverage
        Requested share of the study area.
    area_share
        Share actually selected, ``k / n_cells``.
    captured
        Test incidents in the selected cells (expected count when ties are shared).
    n_test
        Test incidents inside the study area.
    hit_rate
        ``captured / n_test``.
    pai
        ``hit_rate / area_share`` (NaN when no cell is selected).
    best_hit_rate
        Hit rate of the perfect forecast with the same number of cells.
    pei
        PEI* = ``hit_rate / best_hit_rate`` (NaN when ``best_hit_rate`` is 0).
    """

    coverage: float
    area_share: float
    captured: float
    n_test: float
    hit_rate: float
    pai: float
    best_hit_rate: float
    pei: float

    def as_dict(self) -> dict[str, float | None]:
        """``{"hit_rate", "pai", "pei"}`` for JSON (NaN as ``None``)."""
        return {
            "hit_rate": _json_float(self.hit_rate),
            "pai": _json_float(self.pai),
            "pei": _json_float(self.pei),
        }


def _json_float(value: float) -> float | None:
    return None if not math.isfinite(value) else round(float(value), 6)


def metrics_at(
    scores: np.ndarray,
    test_counts: np.ndarray,
    coverages: Iterable[float] = COVERAGES,
    *,
    mask: np.ndarray | None = None,
) -> list[CoverageMetrics]:
    """Hit rate, PAI and PEI* of a forecast at each coverage.

    Parameters
    ----------
    scores
        Forecast score per cell, ``ny x nx``.
    test_counts
        Test incidents per cell, same grid.
    coverages
        Shares of the study area, 0-1.
    mask
        Study area (bool); ``None`` = every cell.

    Raises
    ------
    InsufficientDataError
        When no test incident falls inside the study area.
    """
    covs = list(coverages)
    s, c = _flat(scores, mask, test_counts)
    total = float(c.sum())
    if total <= 0:
        msg = "no test incident falls inside the study area; choose a longer test period"
        raise InsufficientDataError(msg)
    out: list[CoverageMetrics] = []
    for cov in covs:
        k = coverage_cells(cov, s.size)
        captured = _captured(s, c, k)
        best = _captured(c, c, k)
        share = k / s.size
        hr = captured / total
        out.append(
            CoverageMetrics(
                coverage=cov,
                area_share=share,
                captured=captured,
                n_test=total,
                hit_rate=hr,
                pai=hr / share if k > 0 else math.nan,
                best_hit_rate=best / total,
                pei=captured / best if best > 0 else math.nan,
            )
        )
    return out


def hit_rate_curve(
    scores: np.ndarray,
    test_counts: np.ndarray,
    *,
    mask: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Hit rate against coverage for every number of selected cells.

    Returns
    -------
    tuple of numpy.ndarray
        ``(coverage, hit_rate)``, each of length ``n_cells + 1``: coverage ``k / n_cells`` for
        ``k = 0..n_cells`` and the hit rate at it (ties shared, so the curve is piecewise linear
        and never decreases; it is 0 at 0 and 1 at 100 %).

    Raises
    ------
    InsufficientDataError
        When no test incident falls inside the study area.
    """
    s, c = _flat(scores, mask, test_counts)
    total = float(c.sum())
    if total <= 0:
        msg = "no test incident falls inside the study area; choose a longer test period"
        raise InsufficientDataError(msg)
    n = s.size
    order = np.argsort(-s, kind="stable")
    ss = s[order]
    cs = c[order]
    # group boundaries of equal scores in the sorted order
    new_group = np.empty(n, dtype=bool)
    new_group[:1] = True
    new_group[1:] = ss[1:] != ss[:-1]
    starts = np.flatnonzero(new_group)
    ends = np.append(starts[1:], n)
    group_of = np.cumsum(new_group) - 1
    cum = np.concatenate([[0.0], np.cumsum(cs)])
    group_sum = cum[ends] - cum[starts]
    k = np.arange(1, n + 1)
    g = group_of[k - 1]
    captured = cum[starts[g]] + (k - starts[g]) * group_sum[g] / (ends[g] - starts[g])
    coverage = np.arange(n + 1) / n
    rate = np.concatenate([[0.0], captured / total])
    return coverage, np.minimum(rate, 1.0)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard overlap of two cell selections, ``sum(min) / sum(max)``.

    With 0/1 weights this is ``|A ∩ B| / |A ∪ B|``; with the fractional weights of
    :func:`top_slice` it is the weighted (Ruzicka) form. 1 when both are empty.
    """
    wa = np.asarray(a, dtype=float)
    wb = np.asarray(b, dtype=float)
    if wa.shape != wb.shape:
        msg = f"selections have different shapes {wa.shape} and {wb.shape}"
        raise InputSchemaError(msg)
    union = float(np.maximum(wa, wb).sum())
    return 1.0 if union == 0 else float(np.minimum(wa, wb).sum()) / union


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


def pooled_hit_rate(captured: Sequence[float], totals: Sequence[float]) -> float:
    """Hit rate pooled over windows: total captured over total test incidents."""
    tot = float(np.sum(totals))
    return float(np.sum(captured)) / tot if tot > 0 else math.nan


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
        hist = History(x=xa[train], y=ya[train], age_days=age, grid=grid)
        test_counts = bin_points(xa[test], ya[test], grid)
        flat = test_counts[m]
        n_cells = int(m.sum()) + extra_zero_cells
        best = {c: _captured(flat, flat, coverage_cells(c, n_cells)) for c in covs}
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
            out[i, j] = _captured(s, p.test_flat, k, extra_zero_cells=extra_zero_cells)
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
                    "hit_rate": _json_float(hr[i, j]),
                    "pai": _json_float(pai[i, j]),
                    "pei": _json_float(pei[i, j]),
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

    Raises
    ------
    InsufficientDataError
        When no window has a test incident in the study area or a training incident.
    """
    covs = tuple(float(c) for c in coverages)
    prepared = prepare_windows(x, y, times, grid=grid, mask=mask, windows=windows, coverages=covs)
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
      ``naive`` the count cell size changes instead).

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
    shifted_hist = History(history.x, history.y, history.age_days, shifted_grid)
    shifted_mask = np.zeros_like(m)
    shifted_mask[:-1, :-1] = m[1:, 1:] & m[:-1, :-1] & m[1:, :-1] & m[:-1, 1:]
    moved = top_slice(score(spec, shifted_hist), coverage, mask=shifted_mask)
    fine_a = np.zeros((2 * grid.ny + 1, 2 * grid.nx + 1))
    fine_b = np.zeros_like(fine_a)
    fine_a[: 2 * grid.ny, : 2 * grid.nx] = np.kron(base, np.ones((2, 2)))
    fine_b[1:, 1:] = np.kron(moved, np.ones((2, 2)))
    out = {"grid_shift": jaccard(fine_a, fine_b)}
    for name, factor in (("bandwidth_minus_25", 0.75), ("bandwidth_plus_25", 1.25)):
        if spec.method == "naive":
            changed = replace(spec, cell_m=float(spec.cell_m or grid.cell_m) * factor)
        else:
            changed = replace(spec, bandwidth_m=float(spec.bandwidth_m or 0) * factor)
        out[name] = jaccard(base, top_slice(score(changed, history), coverage, mask=m))
    return out


# --------------------------------------------------------------------------------------------
# Study area
# --------------------------------------------------------------------------------------------


def study_area(
    x: np.ndarray,
    y: np.ndarray,
    *,
    cell_m: float,
    crs: object,
    buffer_m: float = 500.0,
    trim: float = 0.001,
) -> tuple[Grid, np.ndarray]:
    """Grid and study area of an evaluation without a given geography.

    The study area is every cell whose centre lies within ``buffer_m`` of an incident: the
    places where incidents happen, robust to a few stray points (police.uk extracts hold
    incidents geocoded hundreds of kilometres away). The grid covers the incidents between the
    ``trim`` and ``1 - trim`` quantiles of x and y, plus ``buffer_m``; points outside it are
    left out of the evaluation.

    Parameters
    ----------
    x, y
        Incident coordinates, metres in ``crs`` (all periods: the area is the region of
        interest, the same for every method).
    cell_m
        Grid cell, metres.
    crs
        The projected metric CRS.
    buffer_m
        Distance around incidents that belongs to the study area, metres.
    trim
        Share of extreme coordinates left outside the grid on each side.

    Raises
    ------
    InsufficientDataError
        Without any incident.
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    ok = np.isfinite(xa) & np.isfinite(ya)
    if not ok.any():
        msg = "no incident with a location; nothing to evaluate"
        raise InsufficientDataError(msg)
    xa, ya = xa[ok], ya[ok]
    lo_x, lo_y = (float(np.quantile(a, trim, method="higher")) for a in (xa, ya))
    hi_x, hi_y = (float(np.quantile(a, 1 - trim, method="lower")) for a in (xa, ya))
    grid = grid_for_bounds(
        (lo_x, lo_y, hi_x, hi_y),
        cell_m=cell_m,
        crs=crs,
        margin_m=buffer_m + cell_m,
    )
    occupied = bin_points(xa, ya, grid) > 0
    dist_m = ndimage.distance_transform_edt(~occupied) * cell_m
    return grid, np.asarray(dist_m <= buffer_m)


# --------------------------------------------------------------------------------------------
# Out-of-sample evaluation of an explicit split (``hotspots evaluate``)
# --------------------------------------------------------------------------------------------

#: Methods ``hotspots evaluate`` scores by default.
DEFAULT_METHODS: tuple[str, ...] = ("naive", "kde", "recency_kde", "hybrid", "auto")


def parse_methods(
    text: str | None, *, kernel: str, bandwidth_m: float, cell_m: float, half_life_days: float
) -> dict[str, MethodSpec | None]:
    """Parse ``--method`` into ``{key: spec}`` (``None`` for ``auto``).

    Tokens, comma-separated: ``naive`` (counts per grid cell) or ``naive:CELL_M``; ``kde`` or
    ``kde:BANDWIDTH_M`` or ``kde:KERNEL:BANDWIDTH_M``; ``recency_kde`` (half-life a quarter of
    the training period) or ``recency_kde:HALF_LIFE_DAYS``; ``hybrid`` (counts + 1 x KDE) or
    ``hybrid:WEIGHT``; ``auto`` (tuned on the training history only); ``all``.

    Raises
    ------
    InputSchemaError
        For an unknown method or a bad number.
    """
    tokens = [t.strip() for t in (text or ",".join(DEFAULT_METHODS)).split(",") if t.strip()]
    if "all" in tokens:
        tokens = [t for t in tokens if t != "all"] + list(DEFAULT_METHODS)
    out: dict[str, MethodSpec | None] = {}
    for token in tokens:
        name, *args = token.split(":")
        try:
            nums = [float(a) for a in args if a not in KERNELS]
        except ValueError as exc:
            msg = f"--method: {token!r} has a value that is not a number"
            raise InputSchemaError(msg) from exc
        kern = next((a for a in args if a in KERNELS), kernel)
        spec: MethodSpec | None
        if name == "auto" and not args:
            spec = None
        elif name == "naive" and len(nums) <= 1:
            spec = MethodSpec("naive", cell_m=nums[0] if nums else cell_m)
        elif name == "kde" and len(nums) <= 1:
            spec = MethodSpec("kde", kernel=kern, bandwidth_m=nums[0] if nums else bandwidth_m)
        elif name == "recency_kde" and len(nums) <= 1:
            hl = nums[0] if nums else half_life_days
            spec = MethodSpec(
                "recency_kde", kernel=kern, bandwidth_m=bandwidth_m, half_life_days=hl
            )
        elif name == "hybrid" and len(nums) <= 1:
            w = nums[0] if nums else 1.0
            spec = MethodSpec("hybrid", kernel=kern, bandwidth_m=bandwidth_m, weight=w)
        else:
            msg = (
                f"--method: {token!r} is not a method; use naive[:CELL_M], kde[:KERNEL][:BW_M], "
                "recency_kde[:HALF_LIFE_DAYS], hybrid[:WEIGHT], auto or all"
            )
            raise InputSchemaError(msg)
        out[token] = spec
    return out


@dataclass(frozen=True)
class SplitEvaluation:
    """Out-of-sample scores of several methods for one explicit train/test split.

    Attributes
    ----------
    window
        The split.
    n_train
        Training incidents (before the split).
    n_test
        Test incidents inside the study area (the hit-rate denominator).
    n_test_outside
        Test incidents outside the study area or the grid (left out).
    study_area_km2
        Area of the study area, km².
    cell_m
        Evaluation grid cell, metres.
    coverages
        Shares of the study area.
    metrics
        ``{method key: [CoverageMetrics per coverage]}``.
    specs
        ``{method key: {coverage: MethodSpec}}`` (``auto`` may choose per coverage).
    curves
        ``{method key: (coverage, hit_rate)}`` hit-rate curves on the test period.
    stability
        ``{method key: {"grid_shift", "bandwidth_minus_25", "bandwidth_plus_25"}}`` Jaccard
        overlaps of the hotspot cells at :attr:`stability_coverage`.
    stability_coverage
        Coverage the stability is measured at.
    tuning
        ``{coverage: TuningResult.parameters()}`` of ``auto``.
    """

    window: Window
    n_train: int
    n_test: float
    n_test_outside: int
    study_area_km2: float
    cell_m: float
    coverages: tuple[float, ...]
    metrics: dict[str, list[CoverageMetrics]]
    specs: dict[str, dict[float, MethodSpec]]
    curves: dict[str, tuple[np.ndarray, np.ndarray]]
    stability: dict[str, dict[str, float]]
    stability_coverage: float
    tuning: dict[float, dict[str, object]]

    def to_json(self) -> dict[str, object]:
        """The ``evaluate --json`` document (DESIGN.md) plus stability and method details."""
        best = {
            f"{m.coverage:g}": _json_float(m.best_hit_rate)
            for m in next(iter(self.metrics.values()), [])
        }
        return {
            "n_train": self.n_train,
            "n_test": round(self.n_test),
            "study_area_km2": round(self.study_area_km2, 4),
            "split": str(self.window.origin.date()),
            "until": str(self.window.test_end.date()),
            "cell_m": self.cell_m,
            "n_test_outside_study_area": self.n_test_outside,
            "methods": {
                key: {f"{m.coverage:g}": m.as_dict() for m in ms}
                for key, ms in self.metrics.items()
            },
            "best_possible_hit_rate": best,
            "parameters": {
                key: {f"{c:g}": s.as_dict() for c, s in per.items()}
                for key, per in self.specs.items()
            },
            "stability": {
                "coverage": self.stability_coverage,
                **{k: {n: round(v, 4) for n, v in d.items()} for k, d in self.stability.items()},
            },
            "auto": {f"{c:g}": t for c, t in self.tuning.items()},
        }


def evaluate_split(
    incidents: gpd.GeoDataFrame,
    *,
    split: object,
    until: object | None,
    methods: dict[str, MethodSpec | None],
    coverages: Sequence[float] = COVERAGES,
    cell_m: float,
    budget_s: float = 20.0,
    buffer_m: float = 500.0,
    land: BaseGeometry | None = None,
) -> SplitEvaluation:
    """Train on incidents before ``split``, score on ``split .. until`` (pure computation).

    Parameters
    ----------
    incidents
        Selected incidents in a projected metric CRS.
    split, until
        First day and end (exclusive) of the test period; ``until`` ``None`` = to the end.
    methods
        ``{key: spec}`` from :func:`parse_methods`; ``None`` = ``auto``, tuned by rolling
        backtest on the training incidents only, separately for each coverage.
    coverages
        Shares of the study area.
    cell_m
        Evaluation grid cell, metres.
    budget_s
        Time budget of each ``auto`` tuning, seconds.
    buffer_m
        Study area without ``land``: within this distance of an incident (see
        :func:`study_area`), metres.
    land
        The study area as a geometry in the incidents' CRS (the land of a geography, as
        ``hotspots detect`` and the app use): cells whose centre lies on it. Water is never
        part of the study area then, and the scores match the app's backtest badge.

    Raises
    ------
    CRSError
        When the frame is not in a projected metric CRS.
    InsufficientDataError
        Without training incidents or test incidents in the study area.
    """
    from hotspots.config import AnalysisConfig  # noqa: PLC0415
    from hotspots.crs import check_metric  # noqa: PLC0415
    from hotspots.tuning import auto_tune  # noqa: PLC0415  (tuning imports this module)

    crs = check_metric(incidents.crs, argument="incidents")
    covs = tuple(float(c) for c in coverages)
    for c in covs:
        if not 0 < c <= 1:
            msg = f"--coverage: {c:g} is not a share between 0 and 1, e.g. 0.05"
            raise InputSchemaError(msg)
    x = np.asarray(incidents.geometry.x, dtype=float)
    y = np.asarray(incidents.geometry.y, dtype=float)
    times = pd.DatetimeIndex(incidents["occurred_at"])
    window = split_window(split, until, times=times)
    train, test = window_masks(times, window)
    if not train.any():
        msg = f"no incident before the split date {window.origin.date()}; choose a later --split"
        raise InsufficientDataError(msg)
    if land is not None and not land.is_empty:
        grid = grid_for_bounds(land.bounds, cell_m=cell_m, crs=crs, margin_m=cell_m)
        mask = grid.mask(land)
    else:
        grid, mask = study_area(
            x[train | test], y[train | test], cell_m=cell_m, crs=crs, buffer_m=buffer_m
        )
    age = np.asarray((window.origin - times[train]) / pd.Timedelta(days=1), dtype=float)
    history = History(x=x[train], y=y[train], age_days=age, grid=grid)
    test_counts = bin_points(x[test], y[test], grid)
    n_test = float(test_counts[mask].sum())
    if n_test <= 0:
        msg = "no test incident falls inside the study area; choose another --split or --until"
        raise InsufficientDataError(msg)
    primary = 0.05 if 0.05 in covs else covs[0]
    metrics: dict[str, list[CoverageMetrics]] = {}
    specs: dict[str, dict[float, MethodSpec]] = {}
    curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    stab: dict[str, dict[str, float]] = {}
    tuning: dict[float, dict[str, object]] = {}
    train_frame = incidents[train]
    for key, spec in methods.items():
        if spec is None:
            per: dict[float, MethodSpec] = {}
            ms: list[CoverageMetrics] = []
            for c in covs:
                res = auto_tune(
                    train_frame,
                    grid=grid,
                    study_mask=mask,
                    config=AnalysisConfig(coverage=c, cell_m=cell_m, bandwidth_m=None),
                    budget_s=budget_s,
                )
                per[c] = res.spec
                tuning[c] = res.parameters()
                ms.extend(metrics_at(score(res.spec, history), test_counts, [c], mask=mask))
            specs[key], metrics[key] = per, ms
            chosen = per[primary]
        else:
            specs[key] = dict.fromkeys(covs, spec)
            metrics[key] = metrics_at(score(spec, history), test_counts, covs, mask=mask)
            chosen = spec
        curves[key] = hit_rate_curve(score(chosen, history), test_counts, mask=mask)
        stab[key] = stability(chosen, history, mask=mask, coverage=primary)
    return SplitEvaluation(
        window=window,
        n_train=int(train.sum()),
        n_test=n_test,
        n_test_outside=int(test.sum() - round(n_test)),
        study_area_km2=float(mask.sum()) * grid.cell_area_km2,
        cell_m=float(cell_m),
        coverages=covs,
        metrics=metrics,
        specs=specs,
        curves=curves,
        stability=stab,
        stability_coverage=primary,
        tuning=tuning,
    )
