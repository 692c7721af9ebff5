"""Forecasting and its evaluation: methods, metrics, backtests, tuning and the tuning cache.

* :mod:`~hotspots.forecast.methods`: counts, KDE, recency-weighted KDE, counts + KDE (on the
  grid and on 10 m cells), the self-exciting point process and street segments, scored on one
  grid;
* :mod:`~hotspots.forecast.sepp`: the grid self-exciting point process, fitted by EM;
* :mod:`~hotspots.forecast.streets`: the geography's roads cut into street segments;
* :mod:`~hotspots.forecast.metrics`: hit rate, PAI, PEI*, hit-rate curves (pure numpy);
* :mod:`~hotspots.forecast.backtesting`: train/test windows, backtests and stability;
* :mod:`~hotspots.forecast.tuning`: the self-tuning by rolling backtest (a budget of
  candidates, plain counts per grid cell as its floor);
* :mod:`~hotspots.forecast.evaluate`: the out-of-sample evaluation of one split;
* :mod:`~hotspots.forecast.tuning_cache`: tuned bandwidths kept beside the store (imported
  from there: it reads and writes files).

Imports run one way: sepp, streets <- methods; metrics <- backtesting <- tuning <- evaluate.
The names of the former ``hotspots.forecast`` are re-exported here.
"""

from __future__ import annotations

from hotspots.forecast.backtesting import (
    BacktestResult,
    PreparedWindow,
    Window,
    backtest,
    captured_counts,
    prepare_windows,
    rolling_windows,
    split_window,
    stability,
    window_masks,
)
from hotspots.forecast.evaluate import (
    DEFAULT_METHODS,
    SplitEvaluation,
    evaluate_split,
    parse_methods,
    study_area,
)
from hotspots.forecast.metrics import (
    COVERAGES,
    CoverageMetrics,
    best_hit_rates,
    coverage_cells,
    hit_counts,
    hit_rate_curve,
    hit_rates,
    jaccard,
    metrics_at,
    pooled_hit_rate,
    top_slice,
)

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
