"""``hotspots plan``: foot-patrol, traffic-check and related suggestions, and a weekly schedule."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hotspots.cli._geo import GeographyOpt, StudyAreaOpt, echo_tuning, load_analysis_input
from hotspots.cli._options import (
    AreaOpt,
    BandwidthOpt,
    CategoryOpt,
    CellOpt,
    CoverageOpt,
    CrsOpt,
    DbOpt,
    HoursOpt,
    KernelOpt,
    MethodOpt,
    MetricCrsOpt,
    MinIncidentsOpt,
    SinceOpt,
    UntilOpt,
    WeekdaysOpt,
    WeightsOpt,
    build_config,
    build_filters,
    parse_weights,
    resolve_db,
)
from hotspots.cli._settings import APP_BANDWIDTH, app_settings, echo_settings
from hotspots.core.config import OPENING
from hotspots.core.errors import InputSchemaError

if TYPE_CHECKING:
    import geopandas as gpd

    from hotspots.core.config import Filters
    from hotspots.planning import Plan

__all__ = ["proactive_text", "register", "suggestions_csv"]

logger = logging.getLogger(__name__)

_INTERNAL = (
    "priority",
    "day_weights",
    "window_minutes_per_week",
    "max_visits_per_week",
    "overlap_share",
)


def _public(suggestions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The suggestions without the internal allocation columns (``priority``, ...)."""
    return suggestions.drop(columns=[c for c in _INTERNAL if c in suggestions])


def suggestions_csv(suggestions: gpd.GeoDataFrame, *, lang: str = "sv") -> bytes:
    """The suggestions as the bytes of a CSV file for Excel, in words of ``lang``.

    One row each (:func:`hotspots.planning.tables.suggestion_table`: kinds, weekdays and
    categories in words, the reason in ``lang``), then ``lon``/``lat`` of the first point
    and the geometry as WKT in WGS84; written by :func:`hotspots.io.csv_safety.excel_csv_bytes`
    (``;``, UTF-8 with BOM, decimal comma in Swedish, headers in ``lang``, cells neutralised).
    """
    from hotspots.core.i18n import check_lang  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io.csv_safety import excel_csv_bytes  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.planning.tables import suggestion_table  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.spatial.crs import to_wgs84  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    language = check_lang(lang)
    frame = suggestion_table(suggestions, language)
    if len(suggestions):
        wgs = to_wgs84(suggestions)
        first = [g.interpolate(0) if g.geom_type == "LineString" else g for g in wgs.geometry]
        frame["lon"] = [round(p.x, 6) for p in first]
        frame["lat"] = [round(p.y, 6) for p in first]
        frame["wkt"] = [g.wkt for g in wgs.geometry.set_precision(1e-6)]
    else:
        frame["lon"] = frame["lat"] = frame["wkt"] = []
    return excel_csv_bytes(frame, lang=language)


def register(app: typer.Typer) -> None:
    """Add the ``plan`` command to ``app``."""

    @app.command("plan")
    def plan(  # noqa: PLR0917 (a Typer command takes its options as parameters)
        input_path: Annotated[
            Path | None,
            typer.Argument(help="Incident file (any import format); the store when omitted."),
        ] = None,
        out: Annotated[Path, typer.Option("--out", help="Suggestions as GeoJSON (WGS84).")] = Path(
            "plan.geojson"
        ),
        csv: Annotated[Path | None, typer.Option("--csv", help="Suggestions as CSV.")] = None,
        schedule_path: Annotated[
            Path | None,
            typer.Option("--schedule", help="Weekly schedule, .html (printable) or .csv."),
        ] = None,
        patrol_hours_per_week: Annotated[
            float | None,
            typer.Option("--patrol-hours-per-week", help="Patrol hours to allocate per week."),
        ] = None,
        randomise: Annotated[
            bool, typer.Option("--randomise", help="Randomise the stop order of each loop.")
        ] = False,
        seed: Annotated[int | None, typer.Option("--seed", help="Seed for --randomise.")] = None,
        teams: Annotated[
            int,
            typer.Option(
                "--teams",
                min=1,
                help="Patrols on duty at once; visits at the same time go to different teams "
                "and no team is in two places at once.",
            ),
        ] = 1,
        lang: Annotated[
            str, typer.Option("--lang", help="Language of the schedule and the CSV: sv or en.")
        ] = "sv",
        week: Annotated[
            str | None,
            typer.Option(
                "--week",
                help="ISO week of the plan, e.g. 2026-W48 (default: next week); nothing is "
                "scheduled before now.",
            ),
        ] = None,
        kinds: Annotated[
            str | None,
            typer.Option(
                "--kinds",
                help="Comma list of foot_patrol, traffic_check, pub_check, youth_outreach, "
                "school_visit (default all).",
            ),
        ] = None,
        stop_minutes: Annotated[
            float, typer.Option("--stop-minutes", help="Minutes per patrol point, 10-15.")
        ] = 15.0,
        survey: Annotated[
            Path | None, typer.Option("--survey", help="Survey marks file (default: the store).")
        ] = None,
        weights: WeightsOpt = "count",
        include_proactive: Annotated[
            bool,
            typer.Option(
                "--include-proactive",
                help="Rank also on proactive incidents (found by police activity: drugs, "
                "drink-driving, weapons, drunkenness). By default only incidents reported by "
                "the public are ranked on, and the proactive ones are counted beside.",
            ),
        ] = False,
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
        method: MethodOpt = "kde",
        bandwidth_m: BandwidthOpt = APP_BANDWIDTH,
        cell_m: CellOpt = float(OPENING.cell_m),
        coverage: CoverageOpt = OPENING.coverage,
        min_incidents: MinIncidentsOpt = 5,
        study_area: StudyAreaOpt = OPENING.study,
        geography_config: GeographyOpt = None,
    ) -> None:
        """Foot patrols, traffic checks, pub checks, school visits and youth outreach."""
        from hotspots.engine.harm import as_harm_result, harm_analysis  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.engine.select import select_origin  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.export.geojson import write_geojson  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.forecast.analysis import run_analysis  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.planning import KINDS, PlanOptions, make_plan  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.planning.schedule import write_schedule  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        if out.suffix.lower() not in (".geojson", ".json"):
            msg = f"--out: {out} must end in .geojson or .json"
            raise InputSchemaError(msg)
        if schedule_path is not None and patrol_hours_per_week is None:
            msg = "--schedule needs --patrol-hours-per-week N (the hours to allocate)"
            raise InputSchemaError(msg)
        if schedule_path is not None and schedule_path.suffix.lower() not in (
            ".html",
            ".htm",
            ".csv",
        ):
            msg = f"--schedule: {schedule_path} must end in .html or .csv"
            raise InputSchemaError(msg)
        if lang not in ("sv", "en"):
            msg = f"--lang: {lang!r} is not a language; use sv or en"
            raise InputSchemaError(msg)
        harm_weights = parse_weights(weights)  # a bad table fails before the data are read
        kind_list = tuple(k.strip() for k in kinds.split(",") if k.strip()) if kinds else KINDS
        options = PlanOptions(
            patrol_hours_per_week=patrol_hours_per_week,
            randomise_order=randomise,
            seed=seed,
            week=week,
            teams=teams,
            lang=lang,  # type: ignore[arg-type]
            kinds=kind_list,
            include_proactive=include_proactive,
            stop_minutes=stop_minutes,
        )
        filters = build_filters(
            category=category,
            area=area,
            since=since,
            until=until,
            hours=hours,
            weekdays=weekdays,
        )
        if not include_proactive:
            _check_reactive(filters)
        config = build_config(
            filters=filters,
            kernel=kernel,
            bandwidth_m=bandwidth_m,
            cell_m=cell_m,
            coverage=coverage,
            metric_crs=metric_crs,
            method=method,
            min_incidents=min_incidents,
        )
        store_ref = resolve_db(db)
        data = load_analysis_input(
            input_path,
            db=store_ref,
            fmt="auto",
            crs=crs,
            config=config,
            geography_config=geography_config,
            study_area=study_area,
            survey_path=survey,
        )
        if data.geography is None or data.study_geography is None:
            msg = (
                "no geography covers these incidents, and a plan needs its roads and places; "
                "give --geography FILE (a TOML naming the municipality's layers, see README)"
            )
            raise InputSchemaError(msg)
        geography = data.geography
        incidents, marks, config = data.incidents, data.survey, data.config
        auto = config.bandwidth_m is None
        # the hotspots that anchor the patrols: on reactive incidents unless told otherwise
        ranked = incidents if include_proactive else select_origin(incidents, "reactive")
        result = run_analysis(
            ranked,
            config=app_settings(data, db=store_ref, input_path=input_path),
            geography=data.study_geography,
            survey=marks,
        )
        echo_tuning(result.parameters)
        echo_settings(result.config, study_area=study_area, auto=auto)
        harm_params = None
        if harm_weights is not None:  # harm spots anchor the patrols, ranked by harm
            harm = harm_analysis(result, harm_weights, geography=data.study_geography)
            result = as_harm_result(result, harm)
            harm_params = result.parameters["harm"]
        plan_ = make_plan(
            result,
            geography=geography,
            incidents=incidents,
            survey=marks,
            options=options,
            weights=harm_weights,
        )
        params = getattr(result, "parameters", {}) or {}
        properties = {
            "week": plan_.week,
            "period": [str(d) for d in plan_.period] if plan_.period else None,
            "n_incidents": plan_.n_incidents,
            "patrol_hours_per_week": patrol_hours_per_week,
            "teams": teams,
            "stop_minutes": stop_minutes,
            "parameters": {k: v for k, v in params.items() if _is_plain(v)},
            "include_proactive": include_proactive,
            "n_proactive": plan_.n_proactive,
        }
        if harm_params is not None:
            properties["harm"] = harm_params
        write_geojson(_public(plan_.suggestions), out, properties=properties)
        if csv is not None:
            csv.write_bytes(suggestions_csv(plan_.suggestions, lang=lang))
        if schedule_path is not None:
            write_schedule(
                schedule_path,
                plan_.schedule,
                plan_.suggestions,
                week=plan_.week,
                lang=lang,  # type: ignore[arg-type]
            )
        counts = plan_.suggestions["kind"].value_counts()
        summary = ", ".join(f"{k} {int(counts.get(k, 0))}" for k in KINDS if k in counts)
        typer.echo(
            f"{len(plan_.suggestions)} suggestions for week {plan_.week}"
            f" ({summary or 'none'}) -> {out}"
        )
        if schedule_path is not None:
            typer.echo(
                f"schedule: {len(plan_.schedule)} visits, "
                f"{int(plan_.schedule['minutes'].sum())} minutes -> {schedule_path}"
            )
        typer.echo(proactive_text(plan_))
        paths = plan_.suggestions.get("loop_path")
        if paths is not None and (paths == "straight").any():
            typer.echo(
                "foot patrols: loops drawn as straight lines between the stops (the geography "
                "has no walking network; hotspots geography build makes one)",
                err=True,
            )


def _check_reactive(filters: Filters) -> None:
    """Refuse a category selection with no reactive category (nothing would be ranked)."""
    from hotspots.core.taxonomy import is_proactive  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    chosen = filters.categories
    if chosen and all(is_proactive(c) for c in chosen):
        msg = (
            f"--category: {', '.join(chosen)} are found by police activity (proactive), and "
            "patrol priorities are computed on incidents reported by the public by default; "
            "add --include-proactive to plan on them"
        )
        raise InputSchemaError(msg)


def proactive_text(plan: Plan) -> str:
    """The proactive picture beside the plan: the incidents police activity found, in words.

    One line for the period, then one per suggestion with proactive incidents in its
    catchment (``proactive_nearby``), strongest suggestion first.
    """
    used = "ranked on too" if plan.options.include_proactive else "not ranked on"
    lines = [
        f"proactive incidents (found by police activity), {used}: {plan.n_proactive} "
        "in the period"
    ]
    s = plan.suggestions
    if len(s) and "proactive_nearby" in s:
        for row in s[s["proactive_nearby"] > 0].itertuples():
            lines.append(f"  {row.id} {row.place}: {int(row.proactive_nearby)} nearby")
    return "\n".join(lines)


def _is_plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None
