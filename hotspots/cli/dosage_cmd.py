"""``hotspots dosage --week W`` and ``hotspots activities import FILE``.

``dosage`` sets a week's plan (``--plan FILE`` written by ``hotspots plan``, or computed here
as ``hotspots plan`` does from the store) against what the tracks and the activity log say
was delivered, and with ``--effect-weeks N`` compares place-days with and without a visit.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hotspots.cli._options import BusyTimeoutOpt, DbOpt, resolve_db
from hotspots.cli.tracks_cmd import KeyFileOpt, TracksDbOpt, rejects_target, tracks_store
from hotspots.core.errors import InputFileError, InputSchemaError
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from hotspots.dosage.delivery import DosageReport
    from hotspots.dosage.effect import PatrolEffect

__all__ = ["register"]

activities_app = typer.Typer(
    name="activities",
    help="The activity log: traffic checks, pub checks, school visits ... not tracked by GPS.",
    no_args_is_help=True,
)


@activities_app.command("import")
def import_activities(  # noqa: PLR0917 - Typer passes options positionally
    file: Annotated[Path, typer.Argument(help="CSV: date, time, kind, place, minutes.")],
    key_file: KeyFileOpt = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            help="Rejects CSV (default <file stem>.rejects.csv beside the tracks file).",
        ),
    ] = None,
    tracks_db: TracksDbOpt = None,
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Validate an activity log and store it (a line already stored is left as it is)."""
    from hotspots.dosage.activities import read_activities  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.storage import ImportRecord  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io import file_sha256  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io.rejects_file import RejectsFile  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    store = tracks_store(db, tracks_db, busy_timeout_s=busy_timeout)
    reading = read_activities(file, key_file=key_file)
    target = rejects_target(file, store, rejects)
    with RejectsFile(target) as out:
        out.write(reading.rejects)
        if not len(reading.activities):
            kept = out.commit(keep=len(reading.rejects) > 0)
            where = f"; see {kept}" if kept is not None else ""
            raise InputFileError(
                file,
                f"no usable line ({reading.rejected} of {reading.rows_read} rows rejected){where}",
            )
        record = ImportRecord(
            import_id=file_sha256(file),
            file=file.name,
            kind="activities",
            rows_read=reading.rows_read,
            accepted=len(reading.activities),
            rejected=reading.rejected,
            key_id=reading.key_id,
        )
        counts = store.add_activities(reading.activities, record)
        kept_path = out.commit(keep=len(reading.rejects) > 0)
    typer.echo(f"{file.name} (activities) -> {store.location}")
    typer.echo(f"rows: {reading.rows_read}")
    typer.echo(f"accepted: {len(reading.activities)}")
    typer.echo(f"  inserted: {counts.inserted}")
    typer.echo(f"  unchanged: {counts.unchanged}")
    typer.echo(f"rejected: {reading.rejected}")
    if kept_path is not None:
        typer.echo(f"rejects: {kept_path}")


def _computed_plan(
    *,
    week: str,
    db: str | None,
    hours: float | None,
    kinds: str | None,
    stop_minutes: float,
    geography_config: Path | None,
    study_area: str,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame | None, Any, gpd.GeoDataFrame]:
    """The week's plan as ``hotspots plan`` makes it with its default analysis options."""
    from hotspots.cli._geo import load_analysis_input  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.cli._options import build_config, build_filters  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.forecast.analysis import run_analysis  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.planning import KINDS, PlanOptions, make_plan  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    kind_list = tuple(k.strip() for k in kinds.split(",") if k.strip()) if kinds else KINDS
    options = PlanOptions(
        patrol_hours_per_week=hours, week=week, kinds=kind_list, stop_minutes=stop_minutes
    )
    filters = build_filters(
        category=None, area=None, since=None, until=None, hours=None, weekdays=None
    )
    config = build_config(
        filters=filters,
        kernel="quartic",
        bandwidth_m="200",
        cell_m=25.0,
        coverage=0.05,
        metric_crs=None,
        method="kde",
        min_incidents=5,
    )
    data = load_analysis_input(
        None,
        db=resolve_db(db),
        fmt="auto",
        crs=None,
        config=config,
        geography_config=geography_config,
        study_area=study_area,
    )
    if data.geography is None or data.study_geography is None:
        msg = (
            "no geography covers the store's incidents, and a plan needs one; give "
            "--geography FILE, or --plan FILE written by hotspots plan"
        )
        raise InputSchemaError(msg)
    result = run_analysis(
        data.incidents, config=data.config, geography=data.study_geography, survey=data.survey
    )
    plan = make_plan(
        result,
        geography=data.geography,
        incidents=data.incidents,
        survey=data.survey,
        options=options,
    )
    schedule = plan.schedule if hours is not None else None
    return plan.suggestions, schedule, result, data.incidents


def _plain(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 4)
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def _effect_dict(effect: PatrolEffect, lang: str) -> dict[str, Any]:
    from hotspots.dosage.effect import effect_text  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    def est(e: Any) -> dict[str, Any] | None:
        if e is None:
            return None
        return {k: _plain(getattr(e, k)) for k in e.__dataclass_fields__}

    wdq = effect.wdq
    return {
        "start": effect.start.isoformat(),
        "end": effect.end.isoformat(),
        "treated": list(effect.treated),
        "controls": list(effect.controls),
        "excluded_place_days": effect.excluded_place_days,
        "place": est(effect.place),
        "buffer": est(effect.buffer),
        "buffer_m": effect.buffer_m,
        "min_visit_minutes": effect.min_visit_minutes,
        "n_boot": effect.n_boot,
        "alpha": effect.alpha,
        "wdq": None
        if wdq is None
        else {
            "before_start": effect.wdq_before.isoformat() if effect.wdq_before else None,
            "counts": [
                wdq.a_before,
                wdq.a_after,
                wdq.b_before,
                wdq.b_after,
                wdq.c_before,
                wdq.c_after,
            ],
            "wdq": _plain(wdq.wdq),
            "interpretation": wdq.interpretation,
            "warnings": list(wdq.warnings),
        },
        "warnings": list(effect.warnings),
        "text": effect_text(effect, lang),  # type: ignore[arg-type]
    }


_HEAD = {
    "sv": (
        "Förslag",
        "Typ",
        "Plats",
        "Planerat",
        "Levererat",
        "Andel",
        "Besök",
        "Koper",
        ">15",
        "Genomfart",
        "Logg",
    ),
    "en": (
        "Suggestion",
        "Kind",
        "Place",
        "Planned",
        "Delivered",
        "Share",
        "Visits",
        "Koper",
        ">15",
        "Drive-thr.",
        "Logged",
    ),
}


def _fmt_min(value: float) -> str:
    return "-" if not math.isfinite(value) else f"{value:.0f}"


def _echo_report(report: DosageReport, lang: str) -> None:
    from hotspots.core.i18n import t  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.planning.tables import kind_word  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    head = _HEAD[lang]
    rows = [head]
    for r in report.table.itertuples(index=False):
        share = "-" if not math.isfinite(r.share_delivered) else f"{100 * r.share_delivered:.0f} %"
        rows.append(
            (
                r.id,
                kind_word(str(r.kind), lang),  # type: ignore[arg-type]
                str(r.place)[:28],
                _fmt_min(r.planned_minutes),
                _fmt_min(r.delivered_minutes),
                share,
                str(r.visits),
                str(r.koper_visits),
                str(r.long_visits),
                str(r.drive_throughs),
                str(r.logged_activities),
            )
        )
    widths = [max(len(str(row[k])) for row in rows) for k in range(len(head))]
    typer.echo(t("dosage_cli_title", lang, week=report.week))
    for row in rows:
        typer.echo("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    typer.echo("")
    for r in report.by_kind.itertuples(index=False):
        share = "-" if not math.isfinite(r.share_delivered) else f"{100 * r.share_delivered:.0f} %"
        typer.echo(
            t(
                "dosage_cli_kind",
                lang,
                kind=kind_word(str(r.kind), lang),  # type: ignore[arg-type]
                planned=_fmt_min(r.planned_minutes),
                delivered=_fmt_min(r.delivered_minutes),
                share=share,
                visits=r.visits,
                koper=r.koper_visits,
                drive=r.drive_throughs,
                unplanned=r.unplanned_activities,
            )
        )
    total = report.total
    share = (
        "-"
        if not math.isfinite(total["share_delivered"])
        else f"{100 * total['share_delivered']:.0f} %"
    )
    typer.echo(
        t(
            "dosage_cli_total",
            lang,
            planned=_fmt_min(total["planned_minutes"]),
            delivered=_fmt_min(total["delivered_minutes"]),
            share=share,
        )
    )
    for note in report.notes:
        typer.echo(t("dosage_cli_note", lang, text=_NOTES[note][lang]))


_NOTES = {
    "no_allocation": {
        "sv": "planen fördelade inga minuter; ge --patrol-hours-per-week (eller en plan "
        "gjord med den) för planerade minuter",
        "en": "the plan allocated no minutes; give --patrol-hours-per-week (or a plan made "
        "with it) for planned minutes",
    },
    "incomplete_passages": {
        "sv": "en del av veckan reducerades innan förslagens ytor registrerades; där räknas "
        "stoppminuter i stället för närvaro",
        "en": "part of the week was reduced before the suggestion areas were registered; "
        "stop minutes stand in for presence there",
    },
    "no_tracks": {
        "sv": "inga GPS-spår för veckan (hotspots tracks import)",
        "en": "no GPS tracks for the week (hotspots tracks import)",
    },
}


def dosage_command(  # noqa: PLR0917 - Typer passes options positionally
    week: Annotated[str, typer.Option("--week", help="ISO week, e.g. 2026-W49.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    plan_path: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="The week's plan GeoJSON from hotspots plan (default: "
            "computed from the store as hotspots plan does).",
        ),
    ] = None,
    patrol_hours_per_week: Annotated[
        float | None,
        typer.Option("--patrol-hours-per-week", help="Patrol hours of the computed plan."),
    ] = None,
    kinds: Annotated[
        str | None, typer.Option("--kinds", help="Kinds of the computed plan (comma list).")
    ] = None,
    stop_minutes: Annotated[
        float, typer.Option("--stop-minutes", help="Minutes per patrol point of the plan.")
    ] = 15.0,
    places: Annotated[
        Path | None,
        typer.Option("--places", help="More candidate places for the effect (hotspots GeoJSON)."),
    ] = None,
    effect_weeks: Annotated[
        int,
        typer.Option(
            "--effect-weeks",
            min=0,
            help="Weeks up to --week compared for the effect (0: no effect section).",
        ),
    ] = 0,
    buffer_m: Annotated[
        float, typer.Option("--buffer-m", min=1, help="Displacement buffer, metres.")
    ] = 250.0,
    boot: Annotated[int, typer.Option("--boot", min=99, help="Bootstrap resamples.")] = 999,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the bootstrap.")] = 0,
    lang: Annotated[str, typer.Option("--lang", help="sv or en.")] = "sv",
    geography_config: Annotated[
        Path | None, typer.Option("--geography", help="Geography config (TOML).")
    ] = None,
    study_area: Annotated[
        str, typer.Option("--study-area", help="urban or municipality.")
    ] = "urban",
    tracks_db: TracksDbOpt = None,
    db: DbOpt = None,
) -> None:
    """Planned against delivered for each suggestion of a week's plan (and the effect)."""
    import numpy as np  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    from hotspots.core.periods import iso_week, parse_iso_week  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.delivery import dosage_report, suggestion_areas  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.movement import load_movement  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.places import read_places, read_plan  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.visits import local_day_start_ms  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    if lang not in ("sv", "en"):
        msg = f"--lang: {lang!r} is not a language; use sv or en"
        raise InputSchemaError(msg)
    year, wk = parse_iso_week(week)
    period = iso_week(year, wk)
    label = f"{year}-W{wk:02d}"
    result = incidents = None
    if plan_path is not None:
        suggestions = read_plan(plan_path, week=label)
        schedule = None
    else:
        suggestions, schedule, result, incidents = _computed_plan(
            week=label,
            db=db,
            hours=patrol_hours_per_week,
            kinds=kinds,
            stop_minutes=stop_minutes,
            geography_config=geography_config,
            study_area=study_area,
        )
    areas = suggestion_areas(suggestions)
    store = tracks_store(db, tracks_db)
    start_ms, end_ms = local_day_start_ms(period.start), local_day_start_ms(period.end)
    movement = load_movement(store, areas, start_ms=start_ms, end_ms=end_ms)
    activities = store.activities(start_ms=start_ms, end_ms=end_ms)
    report = dosage_report(
        suggestions, movement, week=label, activities=activities, schedule=schedule
    )
    effect = None
    if effect_weeks > 0:
        from hotspots.dosage.effect import patrol_effect  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        candidates = dict(areas)
        hot = getattr(result, "hotspots", None)
        if hot is not None and len(hot):
            for rank, geom in zip(
                hot.get("rank", range(1, len(hot) + 1)), hot.geometry, strict=True
            ):
                candidates[f"H{int(rank)}"] = geom
        if places is not None:
            extra = read_places(places)
            candidates.update(zip(extra["place_id"], extra.geometry, strict=True))
        if incidents is None:
            from hotspots.load.sources import load_incidents  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
            from hotspots.spatial.crs import to_metric  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

            incidents = to_metric(load_incidents(None, db=resolve_db(db)), "EPSG:3006")
        e_start = period.start - dt.timedelta(weeks=effect_weeks - 1)
        e_movement = load_movement(
            store, candidates, start_ms=local_day_start_ms(e_start), end_ms=end_ms
        )
        effect = patrol_effect(
            incidents,
            candidates,
            e_movement.visits,
            start=e_start,
            end=period.end,
            rng=np.random.default_rng(seed),
            buffer_m=buffer_m,
            n_boot=boot,
        )
    if as_json:
        out: dict[str, Any] = {
            "week": report.week,
            "suggestions": _records(report.table),
            "by_kind": _records(report.by_kind),
            "total": {k: _plain(v) for k, v in report.total.items()},
            "days": _records(report.days),
            "unplanned_activities": _records(
                report.unplanned.drop(columns=["row_hash"], errors="ignore")
            ),
            "notes": list(report.notes),
        }
        if effect is not None:
            out["effect"] = _effect_dict(effect, lang)
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    _echo_report(report, lang)
    if effect is not None:
        from hotspots.core.i18n import t  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.dosage.effect import effect_text  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        typer.echo("")
        typer.echo(t("dosage_cli_effect", lang))
        for line in effect_text(effect, lang):  # type: ignore[arg-type]
            typer.echo(f"  {line}")


def register(app: typer.Typer) -> None:
    """Add ``dosage`` and the ``activities`` command group to ``app``."""
    app.command("dosage")(dosage_command)
    app.add_typer(activities_app, name="activities")
