"""The analysis settings of ``detect``, ``snapshot`` and ``plan``: the app's, unless told otherwise.

The commands default to the app's opening settings (:data:`hotspots.core.config.OPENING`):
the same kernel, cell, coverage and study area, and the same *automatic* bandwidth, chosen as
the app chooses it: tuned by rolling backtest on all incidents of the chosen categories (the
period, hours and weekdays do not change it), and for the store kept in the store's tuning
file (:mod:`hotspots.forecast.tuning_cache`), so a command and the app on the same store use
the very same number and find the same hotspots.

Each command says on stderr which settings it used and where they differ from the app's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from hotspots.core.config import OPENING, AnalysisConfig

if TYPE_CHECKING:
    from pathlib import Path

    from hotspots.cli._geo import AnalysisInput
    from hotspots.store import StoreRef

__all__ = ["APP_BANDWIDTH", "app_settings", "describe_settings", "echo_settings"]

#: The default of ``--bandwidth-m``: automatic, as the app opens.
APP_BANDWIDTH = "auto"


def app_settings(data: AnalysisInput, *, db: StoreRef, input_path: Path | None) -> AnalysisConfig:
    """``data.config`` with an automatic bandwidth chosen as the app chooses it (metres).

    Parameters
    ----------
    data
        What the command analyses (:func:`hotspots.cli._geo.load_analysis_input`).
    db
        The store; its tuning file is used when the incidents come from it.
    input_path
        The incident file, or ``None`` when the incidents are the store's.

    Returns
    -------
    AnalysisConfig
        The configuration unchanged when the bandwidth is given or ``--method auto`` chooses
        everything; else with the bandwidth tuned on all incidents of the chosen categories.
    """
    from hotspots.core.config import Filters  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.forecast.analysis import run_analysis  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.forecast.tuning_cache import tuned_bandwidth  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    config = data.config
    if config.bandwidth_m is not None or config.method != "kde":
        return config
    categories = config.filters.categories
    if input_path is None:
        bandwidth = tuned_bandwidth(
            db,
            incidents=data.incidents,
            geography=data.study_geography,
            kernel=config.kernel,
            cell_m=config.cell_m,
            categories=categories,
        )
    else:  # the same rule on the file's incidents (nothing to keep it beside)
        tuning = AnalysisConfig(
            kernel=config.kernel,
            bandwidth_m=None,
            cell_m=config.cell_m,
            filters=Filters(categories=categories),
            metric_crs=config.metric_crs,
        )
        tuned = run_analysis(data.incidents, config=tuning, geography=data.study_geography)
        bandwidth = float(tuned.config.bandwidth_m)  # type: ignore[arg-type]
    return config.replace(bandwidth_m=bandwidth)


def describe_settings(config: AnalysisConfig, *, study_area: str, auto: bool) -> str:
    """One line: the settings used and how they differ from the app's opening settings.

    Parameters
    ----------
    config
        The configuration the analysis ran with (bandwidth resolved).
    study_area
        ``urban`` or ``municipality``.
    auto
        Whether the bandwidth was chosen automatically.

    Examples
    --------
    >>> cfg = AnalysisConfig(bandwidth_m=150.0)
    >>> describe_settings(cfg, study_area="urban", auto=True)  # doctest: +NORMALIZE_WHITESPACE
    'settings: kernel quartic, bandwidth 150 m (automatic), cell 25 m, coverage 5 %, study
    area urban; the same as the app opens with'
    >>> describe_settings(cfg, study_area="urban", auto=False)  # doctest: +NORMALIZE_WHITESPACE
    'settings: kernel quartic, bandwidth 150 m, cell 25 m, coverage 5 %, study area urban;
    the app opens with: bandwidth automatic'
    """
    bandwidth = (
        "chosen by --method auto"
        if config.bandwidth_m is None
        else f"{config.bandwidth_m:g} m" + (" (automatic)" if auto else "")
    )
    used = (
        f"settings: kernel {config.kernel}, bandwidth {bandwidth}, cell {config.cell_m:g} m, "
        f"coverage {100 * config.coverage:g} %, study area {study_area}"
    )
    if config.threshold is not None:
        used += f", threshold {config.threshold}"
    app_bw = "automatic" if OPENING.bandwidth_m is None else f"{OPENING.bandwidth_m:g} m"
    differ = [
        f"{name} {app}"
        for name, mine, app in (
            ("kernel", config.kernel, OPENING.kernel),
            ("bandwidth", "automatic" if auto else bandwidth, app_bw),
            ("cell", f"{config.cell_m:g} m", f"{OPENING.cell_m:g} m"),
            ("coverage", f"{100 * config.coverage:g} %", f"{100 * OPENING.coverage:g} %"),
            ("study area", study_area, OPENING.study),
        )
        if mine != app
    ]
    if config.method != "kde":
        differ.insert(0, "method kde")
    if not differ:
        return used + "; the same as the app opens with"
    return used + "; the app opens with: " + ", ".join(differ)


def echo_settings(config: AnalysisConfig, *, study_area: str, auto: bool) -> None:
    """Say :func:`describe_settings` on stderr."""
    typer.echo(describe_settings(config, study_area=study_area, auto=auto), err=True)
