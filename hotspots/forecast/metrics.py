"""Prediction metrics: hit rate, PAI, PEI*, hit-rate curves and the overlap of selections.

Everything here is pure computation on numpy grids (``ny x nx`` arrays in the metric CRS). The
backtests that produce the scores and the test counts live in :mod:`hotspots.forecast.backtesting`.
The vocabulary follows open_cp: :func:`top_slice` selects the
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
from dataclasses import dataclass

import numpy as np

from hotspots.core.errors import InputSchemaError, InsufficientDataError

__all__ = [
    "COVERAGES",
    "CoverageMetrics",
    "best_hit_rates",
    "captured_count",
    "coverage_cells",
    "hit_counts",
    "hit_rate_curve",
    "hit_rates",
    "jaccard",
    "json_float",
    "metrics_at",
    "pooled_hit_rate",
    "top_slice",
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


def captured_count(
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
            return captured_count(flat_scores, flat_counts, k)
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
    return np.array([captured_count(s, c, coverage_cells(cov, s.size)) for cov in coverages])


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
    captured = [captured_count(s, c, coverage_cells(cov, s.size)) for cov in coverages]
    return np.array(captured) / total


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
            "hit_rate": json_float(self.hit_rate),
            "pai": json_float(self.pai),
            "pei": json_float(self.pei),
        }


def json_float(value: float) -> float | None:
    """``value`` rounded to 6 decimals for JSON, or ``None`` when it is NaN or infinite."""
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
        captured = captured_count(s, c, k)
        best = captured_count(c, c, k)
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


def pooled_hit_rate(captured: Sequence[float], totals: Sequence[float]) -> float:
    """Hit rate pooled over windows: total captured over total test incidents."""
    tot = float(np.sum(totals))
    return float(np.sum(captured)) / tot if tot > 0 else math.nan
