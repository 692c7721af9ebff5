"""Out-of-sample evaluation of one explicit split (``hotspots evaluate``) and its study area.

:func:`evaluate_split` trains every method on the incidents before the split date, scores it
on the test period with the metrics of :mod:`hotspots.forecast.metrics` and measures its
stability (:func:`hotspots.forecast.backtesting.stability`); ``auto`` is tuned
(:func:`hotspots.forecast.tuning.auto_tune`) on the training incidents only. Pure
computation: the command line reads the file and writes the report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import ndimage
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import KERNELS, AnalysisConfig
from hotspots.core.errors import InputSchemaError, InsufficientDataError
from hotspots.forecast.backtesting import Window, split_window, stability, window_masks
from hotspots.forecast.methods import History, MethodSpec, bin_points, score
from hotspots.forecast.metrics import (
    COVERAGES,
    CoverageMetrics,
    hit_rate_curve,
    json_float,
    metrics_at,
)
from hotspots.forecast.streets import street_lines
from hotspots.forecast.tuning import DEFAULT_BUDGET, auto_tune
from hotspots.spatial.crs import check_metric
from hotspots.spatial.grid import Grid, grid_for_bounds

__all__ = [
    "DEFAULT_METHODS",
    "SplitEvaluation",
    "evaluate_split",
    "parse_methods",
    "study_area",
]


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
    ``hybrid:WEIGHT``; ``fine`` (counts + 0.25 x a 20 m quartic KDE on 10 m cells) or
    ``fine:WEIGHT`` or ``fine:WEIGHT:BANDWIDTH_M``; ``sepp`` (self-exciting point process,
    forecasting the next 30 days) or ``sepp:HORIZON_DAYS``; ``street`` (street segments of
    100 m, needs a road layer) or ``street:SEGMENT_M``; ``auto`` (tuned on the training
    history only); ``all``.

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
        elif name == "fine" and len(nums) <= 2:
            w = nums[0] if nums else 0.25
            bw = nums[1] if len(nums) > 1 else 20.0
            spec = MethodSpec("fine", kernel="quartic", bandwidth_m=bw, cell_m=10.0, weight=w)
        elif name == "sepp" and len(nums) <= 1:
            spec = MethodSpec("sepp", horizon_days=nums[0] if nums else 30.0)
        elif name == "street" and len(nums) <= 1:
            spec = MethodSpec("street", segment_m=nums[0] if nums else 100.0)
        else:
            msg = (
                f"--method: {token!r} is not a method; use naive[:CELL_M], kde[:KERNEL][:BW_M], "
                "recency_kde[:HALF_LIFE_DAYS], hybrid[:WEIGHT], fine[:WEIGHT][:BW_M], "
                "sepp[:HORIZON_DAYS], street[:SEGMENT_M], auto or all"
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
        """The ``evaluate --json`` document (README) plus stability and method details."""
        best = {
            f"{m.coverage:g}": json_float(m.best_hit_rate)
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
    budget: int = DEFAULT_BUDGET,
    buffer_m: float = 500.0,
    land: BaseGeometry | None = None,
    roads: gpd.GeoDataFrame | None = None,
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
    budget
        Most candidates each ``auto`` tuning backtests (a count, so the choice never depends
        on the machine's speed).
    buffer_m
        Study area without ``land``: within this distance of an incident (see
        :func:`study_area`), metres.
    land
        The study area as a geometry in the incidents' CRS (the land of a geography, as
        ``hotspots detect`` and the app use): cells whose centre lies on it. Water is never
        part of the study area then, and the scores match the app's backtest badge.
    roads
        The geography's road layer: street segments are then a method (and a candidate of
        ``auto``); without it they are not.

    Raises
    ------
    CRSError
        When the frame is not in a projected metric CRS.
    InsufficientDataError
        Without training incidents or test incidents in the study area.
    InputSchemaError
        For ``street`` without a road layer.
    """
    crs = check_metric(incidents.crs, argument="incidents")
    streets = street_lines(None if roads is None else roads.to_crs(crs))
    if streets is None and any(s is not None and s.method == "street" for s in methods.values()):
        msg = "--method street: the geography has no street layer; street segments need roads"
        raise InputSchemaError(msg)
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
    history = History(x=x[train], y=y[train], age_days=age, grid=grid, streets=streets)
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
                    budget=budget,
                    streets=streets,
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
