"""``hotspots report``: the EST lägesbild as PDF or HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hotspots.cli._basemap import page_backdrop, resolve_basemap
from hotspots.cli._geo import GeographyOpt, StudyAreaOpt, base_geography
from hotspots.cli._options import (
    BandwidthOpt,
    BasemapCrsOpt,
    BasemapGridOpt,
    BasemapOpt,
    CellOpt,
    CoverageOpt,
    DbOpt,
    KernelOpt,
    MetricCrsOpt,
    WeightsOpt,
    build_config,
    parse_date,
    parse_weights,
    resolve_db,
)
from hotspots.cli.tracks_cmd import TracksDbOpt
from hotspots.core.config import Filters
from hotspots.core.errors import InputSchemaError

__all__ = ["register"]


def report(  # noqa: PLR0917 (a Typer command takes its options as parameters)
    out: Annotated[Path, typer.Option("--out", help="Report file, .pdf or .html.")],
    week: Annotated[
        str | None,
        typer.Option("--week", help="ISO week, e.g. 2026-W47 (default: the last ended with data)."),
    ] = None,
    weeks4: Annotated[
        bool, typer.Option("--weeks4", help="Four weeks ending with --week or the last complete.")
    ] = False,
    month: Annotated[str | None, typer.Option("--month", help="Month, e.g. 2026-10.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="First date, YYYY-MM-DD.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Date after the last, YYYY-MM-DD.")
    ] = None,
    privacy: Annotated[
        str, typer.Option("--privacy", help="internal (default) or public.")
    ] = "internal",
    lang: Annotated[str, typer.Option("--lang", help="sv (default) or en.")] = "sv",
    top: Annotated[int, typer.Option("--top", help="Number of top places.")] = 5,
    kernel: KernelOpt = "quartic",
    bandwidth_m: BandwidthOpt = "200",
    cell_m: CellOpt = 25.0,
    coverage: CoverageOpt = 0.05,
    metric_crs: MetricCrsOpt = None,
    study_area: StudyAreaOpt = "urban",
    geography_config: GeographyOpt = None,
    patrol_hours_per_week: Annotated[
        float,
        typer.Option(
            "--patrol-hours-per-week",
            min=0.5,
            help="Hours each week's plan allocates in the follow-up of the citizen promise.",
        ),
    ] = 10.0,
    tracks_db: TracksDbOpt = None,
    db: DbOpt = None,
    weights: WeightsOpt = "count",
    basemap: BasemapOpt = None,
    basemap_crs: BasemapCrsOpt = None,
    basemap_grid: BasemapGridOpt = None,
) -> None:
    """The EST lägesbild: comparison, hotspots, emerging hotspots, actions, survey.

    With ``--basemap`` in SWEREF 99 TM (a WMTS set in it, or a WMS with ``--basemap-crs
    3006``) its maps lie on that basemap, fetched once per map.

    With ``--weights harm|FILE`` it adds harm hotspots beside the count hotspots (their
    overlap and the concentration of harm), and the suggestions are ranked by harm.

    With patrol tracks or an activity log in the store (hotspots tracks import, hotspots
    activities import) it also follows up the citizen promise: each week's plan against
    what was delivered, the effect, and a map of delivered minutes.

    A period that has not ended yet, or that lies outside the data, is refused (exit 2) with
    the latest complete week that has data.
    """
    import pandas as pd  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    from hotspots.core.periods import resolve_period  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.est.lagesbild import lagesbild_for_store, latest_week  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.render.privacy import check_profile  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.render.report import render_html, render_pdf  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.store import open_store  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    suffix = out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        msg = f"--out: {out} must end in .pdf or .html"
        raise InputSchemaError(msg)
    if lang not in ("sv", "en"):
        msg = f"--lang: {lang!r} is not a language; use sv or en"
        raise InputSchemaError(msg)
    profile = check_profile(privacy)
    harm_weights = parse_weights(weights)  # a bad table fails before the store is read
    backdrop = page_backdrop(*resolve_basemap(basemap, crs=basemap_crs, grid=basemap_grid))
    config = build_config(
        filters=Filters(),
        kernel=kernel,
        bandwidth_m=bandwidth_m,
        cell_m=cell_m,
        coverage=coverage,
        metric_crs=metric_crs,
    )
    if top < 1:
        msg = f"--top: must be at least 1 (got {top})"
        raise InputSchemaError(msg)
    path = resolve_db(db)
    store = open_store(path)
    if not store.exists():
        msg = f"--db: no store at {path}; import data with `hotspots import` or run `hotspots demo`"
        raise InputSchemaError(msg)
    last = None
    if week is None and month is None and since is None and until is None:
        # the latest week that has ended and has data (its last instant)
        latest = latest_week(store.incidents())
        last = latest.end_ts - pd.Timedelta(seconds=1) if latest is not None else None
    period = resolve_period(
        week=week,
        weeks4=weeks4,
        month=month,
        since=parse_date(since, "--since"),
        until=parse_date(until, "--until"),
        last_time=last,
    )
    crs = metric_crs or (store.crs.to_string() if store.crs is not None else "EPSG:3006")
    geography = base_geography(geography_config, metric_crs=crs).with_study_area(study_area)
    lb = lagesbild_for_store(
        store,
        geography=geography,
        period=period,
        privacy=profile,
        lang=lang,  # type: ignore[arg-type]
        config=config,
        top_n=top,
        weights=harm_weights,
    )
    from hotspots.dosage.followup import with_followup  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    lb = with_followup(
        lb, path, tracks_db=tracks_db, config=config, patrol_hours_per_week=patrol_hours_per_week
    )
    data = render_pdf(lb, backdrop) if suffix == ".pdf" else render_html(lb, backdrop)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    typer.echo(
        f"lägesbild {period.label} ({period.start} – {period.last_day}), {profile}, {lang}: "
        f"{lb.parameters['n_incidents_period']} incidents -> {out}"
    )


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to ``app``."""
    app.command("report")(report)
