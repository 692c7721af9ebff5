"""``hotspots snapshot``: the map as a standalone HTML, PNG or PDF file (privacy applied)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from hotspots.cli._basemap import page_backdrop, resolve_basemap
from hotspots.cli._geo import GeographyOpt, StudyAreaOpt, load_analysis_input
from hotspots.cli._options import (
    AreaOpt,
    BandwidthOpt,
    BasemapCrsOpt,
    BasemapGridOpt,
    BasemapOpt,
    CategoryOpt,
    CellOpt,
    CoverageOpt,
    CrsOpt,
    DbOpt,
    HoursOpt,
    KernelOpt,
    MetricCrsOpt,
    SinceOpt,
    UntilOpt,
    WeekdaysOpt,
    WeightsOpt,
    build_config,
    build_filters,
    parse_weights,
    resolve_db,
)
from hotspots.cli._placement import (
    DEFAULT_SNAP_TO_LAND_M,
    DroppedOpt,
    SnapToLandOpt,
    check_dropped,
    place_incidents,
)
from hotspots.cli._settings import APP_BANDWIDTH, app_settings, echo_settings
from hotspots.core.config import OPENING
from hotspots.core.errors import InputSchemaError

__all__ = ["SUFFIXES", "register"]

logger = logging.getLogger(__name__)

SUFFIXES: tuple[str, ...] = (".html", ".png", ".pdf")


def register(app: typer.Typer) -> None:
    """Add the ``snapshot`` command to ``app``."""

    @app.command("snapshot")
    def snapshot(  # noqa: PLR0917 (a Typer command takes its options as parameters)
        input_path: Annotated[
            Path | None,
            typer.Argument(help="Incident file (any import format); the store when omitted."),
        ] = None,
        out: Annotated[
            Path | None, typer.Option("--out", help="FILE.html, FILE.png or FILE.pdf.")
        ] = None,
        privacy: Annotated[
            str, typer.Option("--privacy", help="internal (default) or public.")
        ] = "internal",
        lang: Annotated[str, typer.Option("--lang", help="sv (default) or en.")] = "sv",
        title: Annotated[str | None, typer.Option("--title", help="Title of the map.")] = None,
        tiles: Annotated[
            str | None,
            typer.Option("--tiles", help="Basemap: none (default), osm or a tile URL template."),
        ] = None,
        basemap: BasemapOpt = None,
        basemap_crs: BasemapCrsOpt = None,
        basemap_grid: BasemapGridOpt = None,
        plan: Annotated[
            bool,
            typer.Option("--plan/--no-plan", help="Add plan suggestions (internal only)."),
        ] = True,
        study_area: StudyAreaOpt = OPENING.study,
        geography_config: GeographyOpt = None,
        input_format: Annotated[
            str, typer.Option("--format", help="Input format (auto, csv, geojson, ...).")
        ] = "auto",
        db: DbOpt = None,
        category: CategoryOpt = None,
        area: AreaOpt = None,
        since: SinceOpt = None,
        until: UntilOpt = None,
        hours: HoursOpt = None,
        weekdays: WeekdaysOpt = None,
        crs: CrsOpt = None,
        metric_crs: MetricCrsOpt = None,
        kernel: KernelOpt = OPENING.kernel,
        bandwidth_m: BandwidthOpt = APP_BANDWIDTH,
        cell_m: CellOpt = float(OPENING.cell_m),
        coverage: CoverageOpt = OPENING.coverage,
        weights: WeightsOpt = "count",
        snap_to_land_m: SnapToLandOpt = DEFAULT_SNAP_TO_LAND_M,
        dropped: DroppedOpt = None,
        raised_risk: Annotated[
            bool,
            typer.Option(
                "--raised-risk/--no-raised-risk",
                help="Add the 'Förhöjd risk' layer: zones of raised risk after recent "
                "incidents (Knox test per category over the year to the period's end; "
                "public: counts per district, five or more). Off until toggled in HTML.",
            ),
        ] = False,
    ) -> None:
        """The hotspot map as a file that needs no internet (HTML) or no browser (PNG/PDF).

        With ``--weights`` the map shows the harm density and the harm hotspots (restricted
        categories never weigh in), the plan is ranked by harm, and the parameters hold the
        overlap with the count hotspots and the concentration of harm.
        """
        from hotspots.core.i18n import check_lang  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.export.html import write_html  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.export.static_map import write_static_map  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.forecast.analysis import run_analysis  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.render.leaflet import MapOptions, resolve_tiles  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.render.privacy import apply_privacy, check_profile  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        if out is None:
            msg = "--out FILE.html|FILE.png|FILE.pdf is required (where to write the map)"
            raise InputSchemaError(msg)
        suffix = out.suffix.lower()
        if suffix not in SUFFIXES:
            msg = f"--out: {out} must end in .html, .png or .pdf"
            raise InputSchemaError(msg)
        profile = check_profile(privacy)
        language = check_lang(lang)
        harm_weights = parse_weights(weights)  # a bad table fails before the data are read
        resolve_tiles(tiles)
        # a grid of a basemap not in Web Mercator is read from the server before the data
        basemap, grid = resolve_basemap(basemap, crs=basemap_crs, grid=basemap_grid)
        # a page gets the basemap as one image of its extent
        backdrop = page_backdrop(basemap, grid) if suffix != ".html" else None
        check_dropped(dropped)
        filters = build_filters(
            category=category, area=area, since=since, until=until, hours=hours, weekdays=weekdays
        )
        config = build_config(
            filters=filters,
            kernel=kernel,
            bandwidth_m=bandwidth_m,
            cell_m=cell_m,
            coverage=coverage,
            metric_crs=metric_crs,
        )
        store_ref = resolve_db(db)
        data = load_analysis_input(
            input_path,
            db=store_ref,
            fmt=input_format,
            crs=crs,
            config=config,
            geography_config=geography_config,
            study_area=study_area,
        )
        geography = data.geography
        marks = data.survey
        # incidents just off a shore onto land; the others off land counted and listed
        placed, _ = place_incidents(
            data, snap_to_land_m=snap_to_land_m, dropped=dropped, lang=language
        )
        result = run_analysis(
            placed.incidents,
            config=app_settings(data, db=store_ref, input_path=input_path),
            geography=data.study_geography,
            survey=marks,
        )
        echo_settings(result.config, study_area=study_area, auto=config.bandwidth_m is None)
        if harm_weights is not None:  # harm density and harm spots replace the count ones
            from hotspots.engine.harm import as_harm_result, harm_analysis  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

            harm = harm_analysis(result, harm_weights, geography=data.study_geography)
            result = as_harm_result(result, harm)
        the_plan = None
        if plan and profile == "internal" and geography is not None:
            from hotspots.planning import PlanOptions, make_plan  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

            the_plan = make_plan(
                result,
                geography=geography,
                incidents=result.incidents,
                survey=marks,
                options=PlanOptions(lang=language),
                weights=harm_weights,
            )
        content = apply_privacy(result, profile=profile, plan=the_plan)
        content.parameters["bandwidth_auto"] = config.bandwidth_m is None
        if raised_risk:  # the zones pass their own privacy gate, under the content's profile
            from hotspots.engine.placement import place_selected  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
            from hotspots.engine.risk_zones import zone_filters, zones_for_filters  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
            from hotspots.render.risk_zones import with_risk_zones  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

            # every hour's incidents of the categories, on land as the analysis's (the
            # same zones as the app's map for the same filters)
            wanted = zone_filters(filters)
            on_land = place_selected(
                data.incidents, wanted, data.study_geography, snap_to_land_m=snap_to_land_m
            )
            zones = zones_for_filters(data.incidents if on_land is None else on_land.kept, wanted)
            content = with_risk_zones(content, zones, geography=geography)
        out.parent.mkdir(parents=True, exist_ok=True)
        if suffix == ".html":
            write_html(
                content,
                out,
                geography=geography,
                options=MapOptions(
                    lang=language, tiles=tiles, title=title, basemap=basemap, basemap_grid=grid
                ),
            )
        else:
            write_static_map(
                content, out, geography=geography, lang=language, title=title, backdrop=backdrop
            )
        n_hot = int((content.hotspots["kind"].astype(str) != "perceived").sum())
        kind = "harm hotspots" if harm_weights is not None else "hotspots"
        typer.echo(
            f"{n_hot} {kind} from {content.n_incidents} incidents, {profile} profile -> {out}"
        )
