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
    build_config,
    build_filters,
    resolve_db,
)
from hotspots.core.errors import InputSchemaError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["register", "suggestions_csv"]

logger = logging.getLogger(__name__)

#: Columns of the suggestion CSV, in order (plus lon/lat and WKT in WGS84).
CSV_COLUMNS: tuple[str, ...] = (
    "id",
    "rank",
    "kind",
    "focus",
    "place",
    "district",
    "weekdays",
    "hours",
    "incidents",
    "incidents_in_window",
    "incidents_per_week",
    "expected_share",
    "survey_marks",
    "hotspot_rank",
    "loop_length_m",
    "stops",
    "stop_minutes",
    "visit_minutes",
    "allocated_minutes",
    "evidence",
    "reason_sv",
    "reason_en",
)
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


def suggestions_csv(suggestions: gpd.GeoDataFrame) -> str:
    """The suggestions as CSV text: one row each, lon/lat of the first point, WKT in WGS84."""
    import pandas as pd  # noqa: PLC0415 (heavy: loaded only when a command runs)

    from hotspots.spatial.crs import to_wgs84  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    frame = pd.DataFrame({c: suggestions[c] for c in CSV_COLUMNS if c in suggestions})
    frame["weekdays"] = [",".join(v) for v in suggestions["weekdays"]]
    frame["evidence"] = [
        ";".join(f"{k}:{n}" for k, n in ev.items()) for ev in suggestions["evidence"]
    ]
    if len(suggestions):
        wgs = to_wgs84(suggestions)
        first = [g.interpolate(0) if g.geom_type == "LineString" else g for g in wgs.geometry]
        frame["lon"] = [round(p.x, 6) for p in first]
        frame["lat"] = [round(p.y, 6) for p in first]
        frame["wkt"] = [g.wkt for g in wgs.geometry.set_precision(1e-6)]
    else:
        frame["lon"] = frame["lat"] = frame["wkt"] = []
    return frame.to_csv(index=False, lineterminator="\n")


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
        lang: Annotated[str, typer.Option("--lang", help="Schedule language: sv or en.")] = "sv",
        week: Annotated[
            str | None,
            typer.Option("--week", help="ISO week of the plan, e.g. 2026-W48 (default: next)."),
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
        method: MethodOpt = "kde",
        bandwidth_m: BandwidthOpt = "200",
        cell_m: CellOpt = 25.0,
        coverage: CoverageOpt = 0.05,
        min_incidents: MinIncidentsOpt = 5,
        study_area: StudyAreaOpt = "urban",
        geography_config: GeographyOpt = None,
    ) -> None:
        """Foot patrols, traffic checks, pub checks, school visits and youth outreach."""
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
        kind_list = tuple(k.strip() for k in kinds.split(",") if k.strip()) if kinds else KINDS
        options = PlanOptions(
            patrol_hours_per_week=patrol_hours_per_week,
            randomise_order=randomise,
            seed=seed,
            week=week,
            lang=lang,  # type: ignore[arg-type]
            kinds=kind_list,
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
        data = load_analysis_input(
            input_path,
            db=resolve_db(db),
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
        result = run_analysis(
            incidents, config=config, geography=data.study_geography, survey=marks
        )
        echo_tuning(result.parameters)
        plan_ = make_plan(
            result, geography=geography, incidents=incidents, survey=marks, options=options
        )
        params = getattr(result, "parameters", {}) or {}
        properties = {
            "week": plan_.week,
            "period": [str(d) for d in plan_.period] if plan_.period else None,
            "n_incidents": plan_.n_incidents,
            "patrol_hours_per_week": patrol_hours_per_week,
            "stop_minutes": stop_minutes,
            "parameters": {k: v for k, v in params.items() if _is_plain(v)},
        }
        write_geojson(_public(plan_.suggestions), out, properties=properties)
        if csv is not None:
            csv.write_text(suggestions_csv(plan_.suggestions), encoding="utf-8")
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


def _is_plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or value is None
