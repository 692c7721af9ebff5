"""Self-tuning: choose method, kernel, bandwidth and cell size by rolling backtest.

:func:`auto_tune` backtests a family of forecasting methods (:mod:`hotspots.forecast.methods`)
on the incidents' own history: several successive train/test windows, each training only on
incidents before its origin, scored by hit rate at the requested coverage. It keeps the method that
captured the most future incidents, pooled over the windows and extrapolated along the learning
curve to the final training size: each candidate is also scored after training on a random half
of each window's history, and ``rate + doublings * (rate - rate_half)`` ranks the candidates,
where ``doublings = log2(n_final / n_window)`` (at most 2). The final forecast trains on more
history than any backtest window, and more data favours sharper methods; without this step the
backtest systematically over-smooths.

The budget is a number of candidates, not seconds: the same incidents and settings always
give the same choice, on an idle machine or a busy one. The search is staged so that a small
budget is spent on the most useful candidates first:

1. plain counts per grid cell (always the first candidate), counts on cells of 2-8 grid
   cells, and quartic KDE over a range of bandwidths;
2. the other kernels around the bandwidth equivalent to the best quartic radius;
3. recency-weighted KDE (half-lives of 1/8, 1/4 and 1/2 of the history, where every
   window's training spans at least two half-lives) at the best kernel density;
4. counts + weight x KDE (the hybrid) with the best kernel density;
5. counts + weight x KDE on 10 m (address-level) cells (``fine``);
6. the self-exciting point process on the grid (``sepp``, Mohler et al. 2015);
7. street-segment hotspots, where the geography has a road layer (``street``; without one
   the method is not a candidate and the figures say so).

Plain counts per grid cell are the floor: a candidate is chosen only when its pooled hit rate
on the backtest windows, and its extrapolated one, are at least those of the plain counts,
so ``auto`` never does worse than the counts it also tried, at the coverage it was asked for.

Binned counts and their FFTs are computed once per window
(:class:`hotspots.forecast.methods.History`), so each candidate costs one FFT product and one
O(n) selection per window.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import numpy as np
import pandas as pd

from hotspots.core.config import KERNELS, AnalysisConfig
from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.engine.kde import CANONICAL_BANDWIDTH
from hotspots.forecast.backtesting import (
    PreparedWindow,
    captured_counts,
    prepare_windows,
    rolling_windows,
)
from hotspots.forecast.methods import GridLike, History, MethodSpec, score
from hotspots.forecast.metrics import coverage_cells
from hotspots.forecast.streets import Streets
from hotspots.spatial.grid import Grid
from hotspots.spatial.points import point_xy

__all__ = [
    "ALGORITHM_HASH",
    "DEFAULT_BUDGET",
    "TuningResult",
    "algorithm_parameters",
    "auto_tune",
    "candidate_bandwidths",
    "summarize",
    "tuned_scores",
]

logger = logging.getLogger(__name__)

#: Default budget of :func:`auto_tune`: most candidates backtested (every stage fits).
DEFAULT_BUDGET = 64
#: Bandwidths tried, as multiples of the grid cell (capped at :data:`_MAX_BANDWIDTH_M`).
_BANDWIDTH_FACTORS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0)
_MAX_BANDWIDTH_M = 1200.0
#: Count-cell sizes tried, as multiples of the grid cell.
_CELL_FACTORS = (1, 2, 3, 4, 6, 8)
_MAX_COUNT_CELL_M = 600.0
#: Bandwidths of the other kernels around the best quartic radius, as multiples of the
#: bandwidth that smooths equally (ratio of canonical bandwidths, Marron & Nolan 1988).
_KERNEL_FACTORS = (0.8, 1.0, 1.25)
_HYBRID_WEIGHTS = (0.05, 0.25, 1.0, 4.0)
_HALF_LIFE_SHARES = (0.125, 0.25, 0.5)
#: Tuning works on the grid cropped to the incidents plus this margin (beyond the reach of
#: every candidate kernel and count cell); the study-area cells outside score 0 anyway.
_CROP_MARGIN_M = 2500.0
#: Predicted hit rates closer than this count as a tie (the sharper candidate wins).
_TIE = 1e-9
#: Largest learning-curve extrapolation, in doublings of the training data.
_MAX_GROWTH = 2.0
#: Address-level cells of ``fine``, metres, and their bandwidths and weights (quartic).
_FINE_CELL_M = 10.0
_FINE_BANDWIDTHS_M = (20.0, 40.0)
_FINE_WEIGHTS = (0.05, 0.25, 1.0)
#: Longest street segments of ``street``, metres.
_SEGMENT_LENGTHS_M = (50.0, 100.0)


def algorithm_parameters() -> dict[str, object]:
    """Every constant of the tuning algorithm (its hash is part of the tuning cache's key)."""
    return {
        "default_budget": DEFAULT_BUDGET,
        "bandwidth_factors": _BANDWIDTH_FACTORS,
        "max_bandwidth_m": _MAX_BANDWIDTH_M,
        "cell_factors": _CELL_FACTORS,
        "max_count_cell_m": _MAX_COUNT_CELL_M,
        "kernel_factors": _KERNEL_FACTORS,
        "hybrid_weights": _HYBRID_WEIGHTS,
        "half_life_shares": _HALF_LIFE_SHARES,
        "crop_margin_m": _CROP_MARGIN_M,
        "tie": _TIE,
        "max_growth": _MAX_GROWTH,
        "fine_cell_m": _FINE_CELL_M,
        "fine_bandwidths_m": _FINE_BANDWIDTHS_M,
        "fine_weights": _FINE_WEIGHTS,
        "segment_lengths_m": _SEGMENT_LENGTHS_M,
        "floor": "plain counts per grid cell (pooled and extrapolated hit rate)",
    }


#: Hash of :func:`algorithm_parameters` (16 hex digits).
ALGORITHM_HASH = hashlib.sha256(
    json.dumps(algorithm_parameters(), sort_keys=True, default=str).encode()
).hexdigest()[:16]


@dataclass(frozen=True)
class TuningResult:
    """The method :func:`auto_tune` chose and the backtest figures behind the choice.

    Attributes
    ----------
    method
        ``naive``, ``kde``, ``recency_kde``, ``hybrid``, ``fine``, ``sepp`` or ``street``.
    kernel
        Kernel (``None`` for ``naive``, ``sepp`` and ``street``).
    bandwidth_m
        Bandwidth in metres (``None`` for ``naive``, ``sepp`` and ``street``).
    cell_m
        Count cell size in metres for ``naive``; else the grid cell.
    figures
        Backtest figures: coverage, windows, test counts, the chosen method's hit rate, PAI
        and PEI*, the plain grid-cell count's, the best candidates, the budget and the
        methods that were not candidates (with the reason).
    spec
        The chosen method as a :class:`~hotspots.forecast.methods.MethodSpec`.
    fallback
        Why no backtest was possible (too little history), else ``None``.
    """

    method: str
    kernel: str | None
    bandwidth_m: float | None
    cell_m: float | None
    figures: dict[str, Any]
    spec: MethodSpec
    fallback: str | None = None

    def parameters(self) -> dict[str, Any]:
        """The choice and its figures for the GeoJSON ``parameters`` (JSON-safe)."""
        return {
            "auto": True,
            **self.spec.as_dict(),
            "cell_m": self.cell_m,
            "fallback": self.fallback,
            "backtest": self.figures,
        }

    def summary(self, lang: Literal["sv", "en"] = "sv") -> str:
        """One or two readable lines on what was chosen and why (Swedish or English)."""
        return summarize(self.parameters(), lang)


def summarize(parameters: dict[str, Any], lang: Literal["sv", "en"] = "sv") -> str:
    """The :meth:`TuningResult.summary` text from :meth:`TuningResult.parameters`.

    For callers that keep only the parameters, e.g. ``result.parameters["tuning"]`` of
    :func:`hotspots.engine.analysis.run_analysis`.
    """
    label = str(parameters.get("label", "?"))
    fallback = parameters.get("fallback")
    if fallback is not None or not parameters.get("backtest"):
        reason = fallback or "?"
        if lang == "en":
            return f"Automatic choice: {label} (no backtest: {reason})."
        return f"Automatiskt val: {label} (ingen backtest: {reason})."
    f = parameters["backtest"]
    cov = _pct(f["coverage"])
    chosen = _pct(f["chosen"]["hit_rate"])
    base = f.get("plain_counts")
    n_w = len(f["windows"])
    if lang == "en":
        text = (
            f"Automatic choice: {label}. In {n_w} backtest window(s) on the data's own "
            f"history it captured {chosen} of the later incidents in {cov} of the area"
        )
        if base is not None:
            text += f" (plain counts per {base['cell_m']:g} m cell: {_pct(base['hit_rate'])})"
        text += f"; {f['n_candidates']} methods tried."
        for reason in f.get("not_candidates", {}).values():
            text += f" Not a candidate: {reason['en']}."
        return text
    text = (
        f"Automatiskt val: {label}. I {n_w} backtest(er) på datats egen historik fångade "
        f"metoden {chosen} av de senare händelserna på {cov} av ytan"
    )
    if base is not None:
        text += f" (vanlig räkning per {base['cell_m']:g} m-ruta: {_pct(base['hit_rate'])})"
    text += f"; {f['n_candidates']} metoder prövade."
    for reason in f.get("not_candidates", {}).values():
        text += f" Ej kandidat: {reason['sv']}."
    return text


def _pct(share: float | None) -> str:
    return "–" if share is None or not math.isfinite(share) else f"{100 * share:.1f} %"


def candidate_bandwidths(cell_m: float) -> list[float]:
    """Bandwidths tried for a grid cell, metres: 1-16 cells, at most 1200 m."""
    out = sorted({round(cell_m * f, 6) for f in _BANDWIDTH_FACTORS})
    capped = [b for b in out if b <= _MAX_BANDWIDTH_M]
    return capped or [cell_m]


def _count_cells(cell_m: float) -> list[float]:
    out = [cell_m * f for f in _CELL_FACTORS if cell_m * f <= _MAX_COUNT_CELL_M]
    return out or [cell_m]


@dataclass
class _Search:
    """Bookkeeping of the staged search.

    Each candidate is scored on every window twice: trained on the window's whole training
    history and on a random half of it. The score that ranks candidates is the pooled hit rate
    extrapolated along the learning curve to the size of the final training set
    (``rate + growth * (rate - rate_half)``, ``growth = log2(n_final / n_window)`` capped at
    :data:`_MAX_GROWTH`): the final forecast trains on more history than any backtest window,
    and more data favours sharper methods (counts gain more from it than smoothing does).
    """

    prepared: list[PreparedWindow]
    halves: list[PreparedWindow]
    mask: np.ndarray
    coverage: float
    budget: int
    growth: float
    extra: int = 0
    tried: dict[MethodSpec, np.ndarray] = field(default_factory=dict)
    tried_half: dict[MethodSpec, np.ndarray] = field(default_factory=dict)
    exhausted: bool = False

    def total_test(self) -> float:
        return float(sum(p.n_test for p in self.prepared))

    def rate(self, spec: MethodSpec) -> float:
        """Pooled hit rate with the windows' whole training histories."""
        return float(self.tried[spec].sum()) / self.total_test()

    def rate_half(self, spec: MethodSpec) -> float:
        """Pooled hit rate with half of each window's training history."""
        return float(self.tried_half[spec].sum()) / self.total_test()

    def predicted(self, spec: MethodSpec) -> float:
        """Hit rate extrapolated to the final training size (the ranking score)."""
        r = self.rate(spec)
        return r + self.growth * (r - self.rate_half(spec))

    def run(self, specs: Sequence[MethodSpec]) -> None:
        for spec in specs:
            if spec in self.tried:
                continue
            if len(self.tried) >= self.budget:
                self.exhausted = True
                return
            cov = [self.coverage]
            kw = {"mask": self.mask, "extra_zero_cells": self.extra}
            self.tried[spec] = captured_counts(spec, self.prepared, cov, **kw)[:, 0]
            self.tried_half[spec] = captured_counts(spec, self.halves, cov, **kw)[:, 0]

    def beats(self, spec: MethodSpec, floor: MethodSpec) -> bool:
        """Whether ``spec`` does at least as well as ``floor`` (pooled and extrapolated)."""
        if floor not in self.tried or spec == floor:
            return True
        return (
            self.rate(spec) >= self.rate(floor) - _TIE
            and self.predicted(spec) >= self.predicted(floor) - _TIE
        )

    def best(self, keep: Callable[[MethodSpec], bool] = lambda s: True) -> MethodSpec | None:
        """The candidate with the highest predicted hit rate; ties go to the sharpest."""
        pool = [spec for spec in self.tried if keep(spec)]
        if not pool:
            return None
        top = max(self.predicted(spec) for spec in pool)
        tied = [spec for spec in pool if self.predicted(spec) >= top - _TIE]
        return min(tied, key=lambda spec: _sharpness(spec, self.prepared[0].history.grid.cell_m))


def _sharpness(spec: MethodSpec, cell_m: float) -> tuple[float, float]:
    """Sort key, sharpest first.

    Counts per grid cell, then counts + a little KDE, then the smoothing methods by their
    quartic-equivalent radius (coarse count cells by their size).

    Candidates that select the same cells in every backtest window tie; the sharpest of them
    is kept, because the final forecast trains on more history and more data favours sharper
    methods (e.g. a 75 m quartic and counts + 5 % of it rank the cells alike while the counts
    hold fewer cells than the coverage, and differ once they hold more).
    """
    if spec.method == "naive":
        size = float(spec.cell_m or cell_m)
        return (0.0, 0.0) if math.isclose(size, cell_m) else (2.0, size)
    if spec.method == "sepp":
        return (0.5, 0.0)  # counts per cell with a recency boost
    if spec.method == "street":
        return (2.0, float(spec.segment_m or 0.0))
    radius = float(spec.bandwidth_m or 0.0) / _equivalent(str(spec.kernel))
    if spec.method in ("hybrid", "fine"):
        return (1.0, float(spec.weight or 0.0) * 1e6 + radius)
    return (2.0, radius + (0.5 if spec.method == "recency_kde" else 0.0))


def _half(p: PreparedWindow, rng: np.random.Generator) -> PreparedWindow:
    """The window with a random half of its training incidents (same test)."""
    h = p.history
    keep = rng.random(h.x.size) < 0.5
    half = History(
        x=h.x[keep], y=h.y[keep], age_days=h.age_days[keep], grid=h.grid, streets=h.streets
    )
    return replace(p, history=half, n_train=int(half.counts().sum()))


def auto_tune(
    incidents: pd.DataFrame,
    *,
    grid: GridLike,
    study_mask: np.ndarray,
    config: AnalysisConfig,
    budget: int = DEFAULT_BUDGET,
    horizon: pd.Timedelta | None = None,
    n_windows: int = 3,
    seed: int = 0,
    scope: Literal["method", "bandwidth"] = "method",
    streets: Streets | None = None,
) -> TuningResult:
    """Choose the forecasting method by rolling backtest on the incidents' own history.

    Parameters
    ----------
    incidents
        Selected incidents (points in the grid's metric CRS, ``occurred_at``).
    grid
        The analysis grid (its cell is the evaluation cell).
    study_mask
        Study area on the grid (bool ``ny x nx``).
    config
        The analysis configuration; ``config.coverage`` is the share the choice optimises.
    budget
        Most candidates to backtest (at least 1); the staged search stops when they are spent
        (the most useful candidates come first). A count, not a time: the same data and
        settings always give the same choice.
    horizon
        Length of each test window; default a quarter of the history.
    n_windows
        Most rolling windows.
    seed
        Seed of the random halving of the training histories (learning-curve step).
    scope
        ``"method"`` (``--method auto``): counts, every kernel, recency weighting and the
        hybrid compete. ``"bandwidth"`` (``--bandwidth-m auto`` with a chosen kernel): only the
        bandwidth of ``config.kernel`` is tuned, so the map shows the kernel that was asked for
        with the bandwidth that forecast best for it.
    streets
        The geography's road lines (:func:`hotspots.forecast.streets.street_lines`): with
        them street segments are a candidate of ``"method"``, without them they are not.

    Returns
    -------
    TuningResult
        The choice and the figures behind it. When the history is too short for a backtest the
        result falls back to the configured kernel with its bandwidth (200 m when automatic)
        and says so in ``fallback``.

    Raises
    ------
    InputSchemaError
        For a budget below one candidate.
    """
    if int(budget) < 1:
        msg = f"budget: at least one candidate must be backtested (got {budget})"
        raise InputSchemaError(msg)
    start = time.perf_counter()
    cell = float(grid.cell_m)
    x, y = point_xy(incidents)
    times = pd.DatetimeIndex(incidents["occurred_at"])
    mask = np.asarray(study_mask, dtype=bool)
    try:
        windows = rolling_windows(times, horizon=horizon, n_windows=n_windows)
    except InsufficientDataError as exc:
        return _fallback(config, cell, str(exc))
    n_cells = int(mask.sum())
    work_grid, work_mask = _crop(grid, mask, x, y, margin_m=_CROP_MARGIN_M)
    extra = n_cells - int(work_mask.sum())
    prepared = prepare_windows(
        x,
        y,
        times,
        grid=work_grid,
        mask=work_mask,
        windows=windows,
        coverages=[config.coverage],
        extra_zero_cells=extra,
        streets=streets if scope == "method" else None,
    )
    prepared = [p for p in prepared if p.n_test > 0 and p.n_train > 0]
    if not prepared:
        return _fallback(config, cell, "no test incident inside the study area")
    if coverage_cells(config.coverage, n_cells) == 0:
        return _fallback(config, cell, "the coverage selects no grid cell")
    rng = np.random.default_rng(seed)
    n_final = float(len(incidents))
    n_window = float(np.mean([p.n_train for p in prepared]))
    growth = min(max(math.log2(n_final / n_window), 0.0), _MAX_GROWTH)
    search = _Search(
        prepared,
        [_half(p, rng) for p in prepared],
        work_mask,
        config.coverage,
        budget=int(budget),
        growth=growth,
        extra=extra,
    )
    bws = candidate_bandwidths(cell)
    if scope == "bandwidth":
        chosen = _tune_bandwidth(search, config.kernel, bws)
    else:
        chosen = _tune_method(search, cell, bws, times, prepared, has_streets=streets is not None)
    figures = _figures(search, chosen, cell, time.perf_counter() - start)
    if scope == "method" and streets is None:
        figures["not_candidates"] = {"street": dict(_NO_STREETS)}
    result = TuningResult(
        method=chosen.method,
        kernel=chosen.kernel,
        bandwidth_m=chosen.bandwidth_m,
        cell_m=float(chosen.cell_m or cell),
        figures=figures,
        spec=chosen,
    )
    logger.info("%s", result.summary("en"))
    return result


def _tune_bandwidth(search: _Search, kernel: str, bws: list[float]) -> MethodSpec:
    """The best bandwidth of one kernel (candidates scaled to smooth like the quartic ones)."""
    own = [
        MethodSpec("kde", kernel=kernel, bandwidth_m=max(round(b * _equivalent(kernel)), 1.0))
        for b in bws
    ]
    search.run(own[len(own) // 2 : len(own) // 2 + 1])  # one middle candidate first
    search.run(own)
    return search.best() or own[len(own) // 2]


_NO_STREETS = {
    "sv": "gatusegment (geografin saknar gatulager)",
    "en": "street segments (the geography has no street layer)",
}


def _tune_method(
    search: _Search,
    cell: float,
    bws: list[float],
    times: pd.DatetimeIndex,
    prepared: list[PreparedWindow],
    *,
    has_streets: bool,
) -> MethodSpec:
    """The staged search; plain counts per grid cell first, and the floor of the choice."""
    # stage 1: counts on several cell sizes, quartic KDE over the bandwidths
    naive = [MethodSpec("naive", cell_m=c) for c in _count_cells(cell)]
    plain = MethodSpec("naive", cell_m=cell)
    if naive[0] != plain:
        naive.insert(0, plain)
    quartic = [MethodSpec("kde", kernel="quartic", bandwidth_m=b) for b in bws]
    search.run(naive[:1] + quartic[len(quartic) // 2 : len(quartic) // 2 + 1])
    search.run(naive + quartic)
    best_kde = search.best(lambda s: s.method == "kde") or quartic[0]
    # stage 2: the other kernels around the best quartic radius
    qbw = float(best_kde.bandwidth_m or cell)
    search.run(
        [
            MethodSpec("kde", kernel=k, bandwidth_m=max(round(qbw * f * _equivalent(k)), 1.0))
            for k in KERNELS
            if k != "quartic"
            for f in _KERNEL_FACTORS
        ]
    )
    best_kde = search.best(lambda s: s.method == "kde") or best_kde
    # stage 3: recency weighting of the best kernel density. Only half-lives the backtest can
    # see: each window's training incidents must span at least two half-lives (police.uk
    # extracts of one month a year would otherwise "choose" a weighting never tested).
    span_days = float((times.max() - times.min()) / pd.Timedelta(days=1))
    seen_days = min(float(np.ptp(p.history.age_days)) if p.n_train else 0.0 for p in prepared)
    half_lives = [
        round(span_days * share, 1)
        for share in _HALF_LIFE_SHARES
        if 2 * span_days * share <= seen_days and span_days * share >= 7
    ]
    search.run(
        [
            MethodSpec(
                "recency_kde",
                kernel=best_kde.kernel,
                bandwidth_m=best_kde.bandwidth_m,
                half_life_days=hl,
            )
            for hl in half_lives
        ]
    )
    # stage 4: plain counts with the kernel density for the cells counts cannot rank
    search.run(
        [
            MethodSpec("hybrid", kernel=best_kde.kernel, bandwidth_m=best_kde.bandwidth_m, weight=w)
            for w in _HYBRID_WEIGHTS
        ]
    )
    # stage 5: the same at address level (only where the grid cell holds several 10 m cells)
    if cell >= 2 * _FINE_CELL_M:
        search.run(
            [
                MethodSpec("fine", kernel="quartic", bandwidth_m=b, cell_m=_FINE_CELL_M, weight=w)
                for b in _FINE_BANDWIDTHS_M
                for w in _FINE_WEIGHTS
            ]
        )
    # stage 6: the self-exciting point process, forecasting one test period ahead
    span = prepared[0].window.test_end - prepared[0].window.origin
    horizon_days = max(round(span / pd.Timedelta(days=1), 1), 0.1)
    search.run([MethodSpec("sepp", horizon_days=horizon_days)])
    # stage 7: street segments on the geography's roads
    if has_streets:
        search.run([MethodSpec("street", segment_m=m) for m in _SEGMENT_LENGTHS_M])
    # the floor: nothing that did worse than plain counts per grid cell on the windows
    return search.best(lambda s: search.beats(s, plain)) or plain


def _crop(
    grid: Grid, mask: np.ndarray, x: np.ndarray, y: np.ndarray, *, margin_m: float
) -> tuple[Grid, np.ndarray]:
    """The part of ``grid`` (and ``mask``) within about ``margin_m`` of the incidents' box."""
    row, col, inside = grid.index(x, y)
    if not inside.any():
        return grid, mask
    pad = math.ceil(margin_m / grid.cell_m)
    # the corner stays a multiple of every count-cell factor from the grid's north-west
    # corner, so coarse count cells keep the alignment they have on the whole grid
    align = math.lcm(*_CELL_FACTORS)
    r0 = max(int(row[inside].min()) - pad, 0) // align * align
    r1 = min(int(row[inside].max()) + pad + 1, grid.ny)
    c0 = max(int(col[inside].min()) - pad, 0) // align * align
    c1 = min(int(col[inside].max()) + pad + 1, grid.nx)
    y_top = grid.y1 - r0 * grid.cell_m
    sub = replace(
        grid,
        x0=grid.x0 + c0 * grid.cell_m,
        y0=y_top - (r1 - r0) * grid.cell_m,
        nx=c1 - c0,
        ny=r1 - r0,
    )
    return sub, np.asarray(mask, dtype=bool)[r0:r1, c0:c1]


def _equivalent(kernel: str) -> float:
    """Bandwidth of ``kernel`` that smooths like a quartic of radius 1."""
    return CANONICAL_BANDWIDTH[kernel] / CANONICAL_BANDWIDTH["quartic"]


def _fallback(config: AnalysisConfig, cell: float, reason: str) -> TuningResult:
    bw = float(config.bandwidth_m or 200.0)
    spec = MethodSpec("kde", kernel=config.kernel, bandwidth_m=bw)
    return TuningResult(
        method="kde",
        kernel=config.kernel,
        bandwidth_m=bw,
        cell_m=cell,
        figures={},
        spec=spec,
        fallback=reason,
    )


def _metric_block(search: _Search, spec: MethodSpec) -> dict[str, Any]:
    cap = float(search.tried[spec].sum())
    best = float(sum(p.best[search.coverage] for p in search.prepared))
    n_cells = int(search.mask.sum()) + search.extra
    share = coverage_cells(search.coverage, n_cells) / n_cells
    hr = cap / search.total_test()
    return {
        "label": spec.label(),
        "hit_rate": round(hr, 6),
        "hit_rate_half_history": round(search.rate_half(spec), 6),
        "predicted_hit_rate": round(search.predicted(spec), 6),
        "pai": round(hr / share, 6) if share > 0 else None,
        "pei": round(cap / best, 6) if best > 0 else None,
        "per_window": [
            round(float(v) / p.n_test, 6)
            for v, p in zip(search.tried[spec], search.prepared, strict=True)
        ],
    }


def _figures(search: _Search, chosen: MethodSpec, cell: float, elapsed: float) -> dict[str, Any]:
    ranked = sorted(search.tried, key=search.predicted, reverse=True)
    plain = MethodSpec("naive", cell_m=cell)
    out: dict[str, Any] = {
        "coverage": search.coverage,
        "windows": [p.window.label() for p in search.prepared],
        "n_train": [p.n_train for p in search.prepared],
        "n_test": [p.n_test for p in search.prepared],
        "chosen": _metric_block(search, chosen),
        "n_candidates": len(search.tried),
        "candidates": [s.label() for s in search.tried],
        "budget": search.budget,
        "learning_curve_doublings": round(search.growth, 3),
        "budget_exhausted": search.exhausted,
        "elapsed_s": round(elapsed, 3),
        "top": [_metric_block(search, s) for s in ranked[:8]],
    }
    if plain in search.tried:
        out["plain_counts"] = {"cell_m": cell, **_metric_block(search, plain)}
    return out


def tuned_scores(
    result: TuningResult,
    incidents: pd.DataFrame,
    *,
    grid: GridLike,
    reference_time: pd.Timestamp | None = None,
    streets: Streets | None = None,
) -> np.ndarray:
    """The chosen method's surface on ``grid`` from all ``incidents``, incidents per cell.

    Divide by the cell area in km² (:func:`hotspots.forecast.methods.density_per_km2`) for a
    density.

    Parameters
    ----------
    result
        The choice of :func:`auto_tune`.
    incidents
        Incidents in the grid's metric CRS.
    grid
        The analysis grid.
    reference_time
        "Now" for recency weights; default the latest incident.
    streets
        The road lines, when the choice is ``street``.
    """
    times = pd.DatetimeIndex(incidents["occurred_at"])
    ref = reference_time if reference_time is not None else (times.max() if len(times) else None)
    age = (
        np.zeros(len(times))
        if ref is None
        else np.asarray((ref - times) / pd.Timedelta(days=1), dtype=float)
    )
    x, y = point_xy(incidents)
    hist = History(x=x, y=y, age_days=age, grid=grid, streets=streets)
    return score(result.spec, hist)
