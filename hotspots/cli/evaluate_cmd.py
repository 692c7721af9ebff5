"""``hotspots evaluate``: out-of-sample hit rate, PAI and PEI* of the forecasting methods."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hotspots.cli._geo import GeographyOpt, StudyAreaOpt, analysis_geography
from hotspots.cli._options import (
    AreaOpt,
    BandwidthOpt,
    CategoryOpt,
    CellOpt,
    CrsOpt,
    DbOpt,
    HoursOpt,
    KernelOpt,
    MetricCrsOpt,
    SinceOpt,
    UntilOpt,
    WeekdaysOpt,
    WeightsOpt,
    build_filters,
    parse_date,
    parse_weights,
    resolve_db,
)
from hotspots.core.errors import InputSchemaError

if TYPE_CHECKING:
    import geopandas as gpd

    from hotspots.engine.harm_weights import HarmWeights
    from hotspots.forecast import SplitEvaluation

__all__ = [
    "format_table",
    "harm_test_rows",
    "parse_coverages",
    "register",
    "write_curves_png",
]

#: Scales tried so that every harm weight times the scale is a whole number of test rows.
_HARM_SCALES: tuple[int, ...] = (1, 2, 4, 5, 10)

logger = logging.getLogger(__name__)


def parse_coverages(text: str | None) -> tuple[float, ...]:
    """Parse ``"0.01,0.05,0.10"`` (shares) or ``"1,5,10%"``; default 1, 2, 5, 10 and 20 %."""
    from hotspots.forecast import COVERAGES  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    if text is None or not text.strip():
        return COVERAGES
    out: list[float] = []
    for raw in text.split(","):
        token = raw.strip().rstrip("%")
        try:
            value = float(token)
        except ValueError as exc:
            msg = f"--coverage: {raw.strip()!r} is not a share; write e.g. 0.01,0.05,0.10"
            raise InputSchemaError(msg) from exc
        if raw.strip().endswith("%"):
            value /= 100
        if not 0 < value <= 1:
            msg = f"--coverage: {raw.strip()!r} must be a share between 0 and 1, e.g. 0.05"
            raise InputSchemaError(msg)
        out.append(value)
    return tuple(dict.fromkeys(out))


def format_table(evaluation: SplitEvaluation, *, harm: bool = False) -> str:
    """A readable table: one row per method, hit rate / PAI / PEI* per coverage.

    With ``harm`` the test period is counted in harm (``--weights``) and the hit rate is the
    share of its harm captured.
    """
    ev = evaluation
    covs = ev.coverages
    width = max([len(k) for k in ev.metrics] + [8])
    test = f"{ev.n_test:.1f} harm" if harm else f"{round(ev.n_test)} incidents"
    lines = [
        f"train: {ev.n_train} incidents before {ev.window.origin.date()}; "
        f"test: {test} {ev.window.origin.date()}..{ev.window.test_end.date()}"
        f" inside the study area ({ev.study_area_km2:.2f} km², {ev.cell_m:g} m cells)",
        "",
        "share of test harm captured (PAI, PEI*) at coverage"
        if harm
        else "hit rate (PAI, PEI*) at coverage",
        f"{'method':<{width}}  " + "  ".join(f"{f'{100 * c:g} %':>20}" for c in covs),
    ]
    for key, ms in ev.metrics.items():
        cells = [
            f"{100 * m.hit_rate:5.1f} % ({m.pai:5.1f}, {m.pei:4.2f})".rjust(20)
            if m.pai == m.pai
            else f"{100 * m.hit_rate:5.1f} %".rjust(20)
            for m in ms
        ]
        lines.append(f"{key:<{width}}  " + "  ".join(cells))
    first = next(iter(ev.metrics.values()))
    lines.append(
        f"{'best':<{width}}  "
        + "  ".join(f"{f'{100 * m.best_hit_rate:5.1f} %':>20}" for m in first)
    )
    lines.append("")
    lines.append(
        f"stability at {100 * ev.stability_coverage:g} % (Jaccard overlap of hotspot cells): "
        "half-cell shift / bandwidth -25 % / +25 %"
    )
    for key, s in ev.stability.items():
        lines.append(
            f"{key:<{width}}  {s['grid_shift']:.2f} / {s['bandwidth_minus_25']:.2f} / "
            f"{s['bandwidth_plus_25']:.2f}"
        )
    for cov, t in ev.tuning.items():
        lines.append(f"auto at {100 * cov:g} %: {t['label']}")
    return "\n".join(lines)


def write_curves_png(
    evaluation: SplitEvaluation, path: Path, *, max_coverage: float = 0.25
) -> None:
    """Hit-rate curves of every method (and the best possible) as a PNG (matplotlib, Agg)."""
    import matplotlib as mpl  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    mpl.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    ev = evaluation
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    try:
        for key, (cov, rate) in ev.curves.items():
            keep = cov <= max_coverage
            ax.plot(100 * cov[keep], 100 * rate[keep], label=key, linewidth=1.5)
        for c in ev.coverages:
            if c <= max_coverage:
                ax.axvline(100 * c, color="0.85", linewidth=0.8, zorder=0)
        ax.set_xlabel("share of the study area (%)")
        ax.set_ylabel("share of test incidents captured (%)")
        ax.set_title(f"Hit rate, test {ev.window.origin.date()}..{ev.window.test_end.date()}")
        ax.set_xlim(0, 100 * max_coverage)
        ax.set_ylim(0, 100)
        ax.legend(loc="lower right", fontsize=8)
        fig.tight_layout()
        fig.savefig(path)
    finally:
        plt.close(fig)


def register(app: typer.Typer) -> None:
    """Add the ``evaluate`` command to ``app``."""

    @app.command("evaluate")
    def evaluate(  # noqa: PLR0917 (a Typer command takes its options as parameters)
        input_path: Annotated[
            Path | None,
            typer.Argument(help="Incident file (any import format); the store when omitted."),
        ] = None,
        split: Annotated[
            str | None,
            typer.Option("--split", help="First day of the test period, YYYY-MM-DD (required)."),
        ] = None,
        coverage: Annotated[
            str | None,
            typer.Option(
                "--coverage",
                help="Shares of the study area, e.g. 0.01,0.05,0.10 (default "
                "0.01,0.02,0.05,0.10,0.20).",
            ),
        ] = None,
        method: Annotated[
            str | None,
            typer.Option(
                "--method",
                help="Comma list: naive[:CELL_M], kde[:KERNEL][:BW_M], recency_kde[:DAYS], "
                "hybrid[:WEIGHT], fine[:WEIGHT][:BW_M], sepp[:HORIZON_DAYS], street[:SEGMENT_M] "
                "(needs a street layer), auto, all (default naive,kde,recency_kde,hybrid,auto).",
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        png: Annotated[
            Path | None, typer.Option("--png", help="Write the hit-rate curves as a PNG.")
        ] = None,
        budget: Annotated[
            int, typer.Option("--budget", help="Most candidate methods per auto tuning.")
        ] = 64,
        buffer_m: Annotated[
            float,
            typer.Option(
                "--buffer-m",
                help="Study area for data no geography covers: within this many metres of "
                "incidents.",
            ),
        ] = 500.0,
        weights: WeightsOpt = "count",
        study_area: StudyAreaOpt = "urban",
        geography_config: GeographyOpt = None,
        db: DbOpt = None,
        category: CategoryOpt = None,
        area: AreaOpt = None,
        since: SinceOpt = None,
        until: UntilOpt = None,
        hours: HoursOpt = None,
        weekdays: WeekdaysOpt = None,
        crs: CrsOpt = None,
        metric_crs: MetricCrsOpt = None,
        kernel: KernelOpt = "quartic",
        bandwidth_m: BandwidthOpt = "200",
        cell_m: CellOpt = 25.0,
    ) -> None:
        """Train on incidents before --split, score hit rate, PAI and PEI* on --split..--until."""
        from hotspots.core.config import KERNELS  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.engine.select import select_incidents  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.forecast import evaluate_split, parse_methods  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.load.sources import load_incidents  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.spatial.crs import to_metric  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        if split is None:
            msg = "--split: give the first day of the test period, e.g. --split 2026-10-01"
            raise InputSchemaError(msg)
        split_date = parse_date(split, "--split")
        harm_weights = parse_weights(weights)  # a bad table fails before the data are read
        covs = parse_coverages(coverage)
        if kernel not in KERNELS:
            msg = f"--kernel: {kernel!r} is not a kernel; use one of {', '.join(KERNELS)}"
            raise InputSchemaError(msg)
        if not cell_m > 0:
            msg = f"--cell-m: must be a positive number of metres (got {cell_m})"
            raise InputSchemaError(msg)
        bw_text = str(bandwidth_m).strip().lower()
        try:
            bw = 200.0 if bw_text == "auto" else float(bw_text)
        except ValueError as exc:
            msg = f"--bandwidth-m: {bandwidth_m!r} is not a number of metres or auto"
            raise InputSchemaError(msg) from exc
        if not bw > 0:
            msg = f"--bandwidth-m: must be positive (got {bandwidth_m})"
            raise InputSchemaError(msg)
        filters = build_filters(
            category=category, area=area, since=since, until=until, hours=hours, weekdays=weekdays
        )
        if filters.until is not None and split_date is not None and filters.until <= split_date:
            msg = f"--until {filters.until} must be after --split {split_date}"
            raise InputSchemaError(msg)
        frame = load_incidents(input_path, db=resolve_db(db), crs=crs)
        frame = to_metric(frame, metric_crs) if metric_crs else frame
        geography = analysis_geography(
            frame, metric_crs=frame.crs.to_string(), config=geography_config, study_area=study_area
        )
        frame = select_incidents(frame, filters)
        train_days = _train_days(frame, split_date)
        methods = parse_methods(
            method,
            kernel=kernel,
            bandwidth_m=bw,
            cell_m=cell_m,
            half_life_days=max(round(train_days / 4, 1), 1.0),
        )
        scored, scale = frame, 1
        if harm_weights is not None:
            scored, scale = harm_test_rows(
                frame, harm_weights, split=split_date, until=filters.until
            )
        ev = evaluate_split(
            scored,
            split=split_date,
            until=filters.until,
            methods=methods,
            coverages=covs,
            cell_m=cell_m,
            budget=budget,
            buffer_m=buffer_m,
            land=None if geography is None else geography.land,
            roads=None if geography is None else geography.roads,
        )
        area_label = (
            f"within {buffer_m:g} m of incidents"
            if geography is None
            else geography.study_area_label
        )
        if scale != 1:  # back from whole test rows to harm
            ev = dataclasses.replace(
                ev, n_test=ev.n_test / scale, n_test_outside=round(ev.n_test_outside / scale)
            )
        for t in ev.tuning.values():
            logger.info("auto: %s", t["label"])
        if png is not None:
            write_curves_png(ev, png)
        if as_json:
            doc = ev.to_json()
            doc["study_area"] = area_label
            if harm_weights is not None:
                doc["n_test"] = round(ev.n_test, 3)  # in harm
                doc["weights"] = harm_weights.describe()
                doc["scored_on"] = "harm of the test incidents; trained on incident counts"
            typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        else:
            typer.echo(f"study area: {area_label}")
            if harm_weights is not None:
                described = harm_weights.describe()
                typer.echo(
                    f"weights: {described['name']} ({described['unit']}"
                    f"{', ' + str(described['file']) if described['file'] else ''})"
                )
            typer.echo(format_table(ev, harm=harm_weights is not None))


def harm_test_rows(
    frame: gpd.GeoDataFrame,
    weights: HarmWeights,
    *,
    split: object,
    until: object | None,
) -> tuple[gpd.GeoDataFrame, int]:
    """The incidents with each test incident repeated by its harm weight, and the scale.

    The methods train on the incidents before ``split`` as they are (counts); each incident
    from ``split`` (to ``until``) appears ``round(weight * scale)`` times, so that every
    hit rate, PAI and PEI* becomes a share of the test period's harm (``scale`` is the
    smallest of 1, 2, 4, 5 and 10 that makes every weight a whole number of rows, else 10
    with the weights rounded to tenths; the shares do not depend on it). A weight of zero
    leaves its incidents out of the test.

    Parameters
    ----------
    frame
        Selected incidents (restricted categories already dropped), metric CRS.
    weights
        The harm weights.
    split, until
        First day and end (exclusive) of the test period (dates, local time).

    Returns
    -------
    tuple
        The frame (index renumbered) and the scale.
    """
    import numpy as np  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    import pandas as pd  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    from hotspots.core.schema import TIMEZONE  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.engine.harm import incident_weights  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    w = incident_weights(frame["category"].to_numpy(dtype=object), weights)
    scale = next(
        (s for s in _HARM_SCALES if np.allclose(w * s, np.round(w * s), rtol=0, atol=1e-9)),
        _HARM_SCALES[-1],
    )
    t = pd.DatetimeIndex(frame["occurred_at"])
    test = np.asarray(t >= pd.Timestamp(split, tz=TIMEZONE))  # type: ignore[arg-type]
    if until is not None:
        test &= np.asarray(t < pd.Timestamp(until, tz=TIMEZONE))  # type: ignore[arg-type]
    repeats = np.where(test, np.round(w * scale).astype(np.int64), 1)
    out = frame.iloc[np.repeat(np.arange(len(frame)), repeats)].reset_index(drop=True)
    return out, int(scale)


def _train_days(frame: object, split: object) -> float:
    """Days between the first incident and the split (at least 1)."""
    import pandas as pd  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    from hotspots.core.schema import TIMEZONE  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    t = pd.DatetimeIndex(frame["occurred_at"])  # type: ignore[index]
    origin = pd.Timestamp(split, tz=TIMEZONE)  # type: ignore[arg-type]
    before = t[t < origin]
    if len(before) == 0:
        return 1.0
    return max(float((origin - before.min()) / pd.Timedelta(days=1)), 1.0)
