"""``hotspots actions add|edit|list|close``: the EST actions log (the store's ``actions`` layer)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer

from hotspots.cli._options import BusyTimeoutOpt, DbOpt, open_db, parse_date
from hotspots.core.config import TIMEZONE
from hotspots.core.errors import InputSchemaError
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S, StoreRef

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry import Point

    from hotspots.store.base import Store

__all__ = ["actions_app", "register", "resolve_place"]

actions_app = typer.Typer(
    name="actions",
    help="The EST actions log: add, edit, list and close actions per place.",
    no_args_is_help=True,
    add_completion=False,
)

DateOpt = Annotated[str | None, typer.Option("--date", help="Start date, YYYY-MM-DD.")]
ProblemOpt = Annotated[
    str | None,
    typer.Option("--problem", help="Problem area (violence, unsafe, drugs_alcohol) or category."),
]
ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="Who acts: polis, kommun, bostadsbolag, ...")
]
ActionOpt = Annotated[
    str | None,
    typer.Option("--action", help="What: fotpatrull, trafikkontroll, belysning, röjning, ..."),
]
FollowOpt = Annotated[
    str | None, typer.Option("--follow-up", help="Follow-up date, YYYY-MM-DD (none clears).")
]
StatusOpt = Annotated[
    str | None, typer.Option("--status", help="planerad, pågår, klar or avbruten.")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Free text.")]
NameOpt = Annotated[
    str | None, typer.Option("--name", help="Name of the place as shown in the report.")
]


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo(TIMEZONE)).date()


def _pair(text: str, option: str) -> tuple[float, float]:
    try:
        a, b = (float(v.strip()) for v in text.replace(";", ",").split(","))
    except ValueError as exc:
        example = "413650,6584250" if option == "--point" else "13.503,59.381"
        msg = f"{option}: {text!r} is not two numbers A,B; e.g. {option} {example}"
        raise InputSchemaError(msg) from exc
    return a, b


def _match(frame: gpd.GeoDataFrame, name: str, what: str) -> gpd.GeoDataFrame:
    names = frame["name"].astype(str)
    exact = frame[names.str.casefold() == name.strip().casefold()]
    if len(exact):
        return exact
    partial = frame[names.str.casefold().str.contains(name.strip().casefold(), regex=False)]
    if len(partial) == 1:
        return partial
    if len(partial) > 1:
        options = "; ".join(sorted(partial["name"].astype(str).unique())[:8])
        msg = f"--{what}: {name!r} matches several: {options}; give the full name"
        raise InputSchemaError(msg)
    some = ", ".join(sorted(names.unique())[:12])
    msg = f"--{what}: {name!r} is not a known {what}; known: {some}, ..."
    raise InputSchemaError(msg)


def resolve_place(
    *,
    point: str | None,
    lonlat: str | None,
    place: str | None,
    district: str | None,
    hotspot: int | None,
    name: str | None,
    db: StoreRef,
    crs: object = "EPSG:3006",
) -> tuple[str, str, Point]:
    """Resolve the location options of ``actions add`` into ``(place_kind, place_ref, point)``.

    Exactly one of ``point`` (``E,N`` metres in ``crs``), ``lonlat`` (``LON,LAT`` degrees),
    ``place`` (a named place of the geography), ``district`` (a district name) or ``hotspot``
    (rank in the hotspot analysis of the last four complete weeks in the store) is allowed.

    Raises
    ------
    InputSchemaError
        When none or several are given, or a name is unknown.
    """
    given = [
        opt
        for opt, value in (
            ("--point", point),
            ("--lonlat", lonlat),
            ("--place", place),
            ("--district", district),
            ("--hotspot", hotspot),
        )
        if value is not None
    ]
    if len(given) != 1:
        msg = (
            "give exactly one location: --point E,N, --lonlat LON,LAT, --place NAME, "
            f"--district NAME or --hotspot RANK (got {', '.join(given) or 'none'})"
        )
        raise InputSchemaError(msg)
    import geopandas as gpd  # noqa: PLC0415 (heavy: loaded only when a command runs)
    from shapely.geometry import Point  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    from hotspots.spatial.geography import default_geography  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    geography = default_geography(str(crs))
    if point is not None or lonlat is not None:
        if point is not None:
            x, y = _pair(point, "--point")
            pt = gpd.GeoSeries([Point(x, y)], crs=crs)
        else:
            lon, lat = _pair(lonlat or "", "--lonlat")
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                msg = f"--lonlat: {lonlat!r} is not LON,LAT in degrees, e.g. 13.503,59.381"
                raise InputSchemaError(msg)
            pt = gpd.GeoSeries([Point(lon, lat)], crs=4326).to_crs(crs)
        geom = pt.iloc[0]
        if name is None:
            found = geography.district_of(pt).iloc[0]
            where = f"{found}, " if isinstance(found, str) else ""
            name = f"{where}{geom.x:.0f},{geom.y:.0f}"
        return "point", name, geom
    if place is not None:
        row = _match(geography.places, place, "place").iloc[0]
        geom = row.geometry
        return "place", name or str(row["name"]), geom.representative_point()
    if district is not None:
        row = _match(geography.districts, district, "district").iloc[0]
        return "district", name or str(row["name"]), row.geometry.representative_point()
    return _hotspot_place(int(hotspot or 0), name=name, db=db, geography=geography)


def _hotspot_place(
    rank: int, *, name: str | None, db: StoreRef, geography: Any
) -> tuple[str, str, Point]:
    from hotspots.core.periods import last_complete_week, weeks4_period  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.est.lagesbild import hotspot_config  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.forecast.analysis import run_analysis  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.load.sources import load_incidents  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    incidents = load_incidents(None, db=db)
    if len(incidents) == 0:
        msg = "--hotspot: the store has no incidents; import data first"
        raise InputSchemaError(msg)
    window = weeks4_period(*last_complete_week(incidents["occurred_at"].max()))
    result = run_analysis(
        incidents.to_crs(geography.crs), config=hotspot_config(window), geography=geography
    )
    hot = result.hotspots[result.hotspots["kind"] == "crime"]
    row = hot[hot["rank"] == rank]
    if row.empty:
        msg = f"--hotspot: rank {rank} does not exist ({len(hot)} hotspots in {window.label})"
        raise InputSchemaError(msg)
    r = row.iloc[0]
    district = f" ({r['district']})" if isinstance(r.get("district"), str) else ""
    label = name or f"Hotspot {rank}{district}, {window.label}"
    return "hotspot", label, r.geometry.representative_point()


def _store(db: str | None, busy_timeout_s: float) -> Store:
    return open_db(db, busy_timeout_s=busy_timeout_s)


def _store_crs(store: Store) -> object:
    return store.crs or "EPSG:3006"


@actions_app.command("add")
def add(  # noqa: PLR0917 (a Typer command takes its options as parameters)
    problem: ProblemOpt = None,
    actor: ActorOpt = None,
    action: ActionOpt = None,
    date: DateOpt = None,
    follow_up: FollowOpt = None,
    status: StatusOpt = "planerad",
    note: NoteOpt = None,
    name: NameOpt = None,
    point: Annotated[
        str | None, typer.Option("--point", help="E,N in metres (the store's CRS).")
    ] = None,
    lonlat: Annotated[str | None, typer.Option("--lonlat", help="LON,LAT in degrees.")] = None,
    place: Annotated[str | None, typer.Option("--place", help="A named place.")] = None,
    district: Annotated[str | None, typer.Option("--district", help="A district name.")] = None,
    hotspot: Annotated[
        int | None, typer.Option("--hotspot", help="Hotspot rank (last four complete weeks).")
    ] = None,
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Add an action for a place; prints its id."""
    from hotspots.est.actions import add_action, change_actions  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    for opt, value in (("--problem", problem), ("--actor", actor), ("--action", action)):
        if value is None:
            msg = f"{opt} is required for `hotspots actions add`"
            raise InputSchemaError(msg)
    path = _store(db, busy_timeout)
    crs = _store_crs(path)
    kind, ref, geom = resolve_place(
        point=point,
        lonlat=lonlat,
        place=place,
        district=district,
        hotspot=hotspot,
        name=name,
        db=path,
        crs=crs,
    )
    new_ids: list[str] = []

    def add_one(current: Any) -> Any:
        frame, new_id = add_action(
            current,
            date=parse_date(date, "--date") or _today(),
        place_kind=kind,
        place_ref=ref,
        problem=str(problem),
        actor=str(actor),
        action=str(action),
        geometry=geom,
        follow_up=parse_date(follow_up, "--follow-up")
        if follow_up and follow_up.strip().casefold() not in ("none", "ingen", "-")
        else None,
        status=status or "planerad",
            note=note or "",
            lang="en",
        )
        new_ids[:] = [new_id]
        return frame

    change_actions(path, add_one, lang="en")
    typer.echo(f"{new_ids[0]}: {action} ({actor}) at {ref} -> {path}")


@actions_app.command("edit")
def edit(  # noqa: PLR0917
    action_id: Annotated[str, typer.Argument(help="Id of the action, e.g. A-0003.")],
    problem: ProblemOpt = None,
    actor: ActorOpt = None,
    action: ActionOpt = None,
    date: DateOpt = None,
    follow_up: FollowOpt = None,
    status: StatusOpt = None,
    note: NoteOpt = None,
    name: NameOpt = None,
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Change fields of an action."""
    from hotspots.est.actions import change_actions, edit_action  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    path = _store(db, busy_timeout)
    changes: dict[str, Any] = {
        "problem": problem,
        "actor": actor,
        "action": action,
        "date": parse_date(date, "--date"),
        "follow_up": follow_up,
        "status": status,
        "note": note,
        "place_ref": name,
    }
    if all(v is None for v in changes.values()):
        msg = "nothing to change; give e.g. --status pågår or --follow-up 2026-12-18"
        raise InputSchemaError(msg)
    frame = change_actions(
        path, lambda current: edit_action(current, action_id, changes, lang="en"), lang="en"
    )
    row = frame[frame["id"] == action_id.strip()].iloc[0]
    typer.echo(f"{row['id']}: {row['action']} at {row['place_ref']}, status {row['status']}")


@actions_app.command("close")
def close(  # noqa: PLR0917
    action_id: Annotated[str, typer.Argument(help="Id of the action, e.g. A-0003.")],
    status: Annotated[str, typer.Option("--status", help="klar or avbruten.")] = "klar",
    date: Annotated[
        str | None, typer.Option("--date", help="Closing date (default today).")
    ] = None,
    note: NoteOpt = None,
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Close an action as done (klar) or cancelled (avbruten)."""
    from hotspots.est.actions import change_actions, close_action  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    path = _store(db, busy_timeout)
    closed = parse_date(date, "--date")
    frame = change_actions(
        path,
        lambda current: close_action(
            current, action_id, status=status, closed=closed, note=note, lang="en"
        ),
        lang="en",
    )
    typer.echo(
        f"{action_id.strip()}: closed ({frame.set_index('id').loc[action_id.strip(), 'status']})"
    )


@actions_app.command("list")
def list_actions(  # noqa: PLR0917 (a Typer command takes its options as parameters)
    status: Annotated[
        str,
        typer.Option("--status", help="open (planerad+pågår), all, or one status."),
    ] = "open",
    due: Annotated[
        str | None,
        typer.Option("--due", help="Only follow-ups due within 7 days of this date."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    csv_out: Annotated[
        Path | None,
        typer.Option("--csv", help="Also write the list as a CSV file for Excel."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the CSV: sv or en.")] = "sv",
    db: DbOpt = None,
) -> None:
    """List actions (open ones by default)."""
    from hotspots.core.i18n import check_lang  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.est.actions import (  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        OPEN_STATUSES,
        STATUSES,
        due_follow_ups,
        load_actions,
    )

    path = _store(db, DEFAULT_BUSY_TIMEOUT_S)
    frame = load_actions(path, crs=_store_crs(path))
    if due is not None:
        frame = due_follow_ups(frame, on=parse_date(due, "--due") or _today())
    if status == "open":
        frame = frame[frame["status"].isin(OPEN_STATUSES)]
    elif status != "all":
        if status not in STATUSES:
            msg = f"--status: {status!r} is not open, all or one of {', '.join(STATUSES)}"
            raise InputSchemaError(msg)
        frame = frame[frame["status"] == status]
    cols = [
        "id",
        "date",
        "status",
        "place_kind",
        "place_ref",
        "problem",
        "actor",
        "action",
        "follow_up",
        "note",
        "closed",
        "created",
        "updated",
    ]
    if csv_out is not None:
        from hotspots.io.csv_safety import write_excel_csv  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.render.labels import action_status  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        language = check_lang(lang)
        table = frame[cols].copy()
        table["status"] = [action_status(v, language) for v in table["status"]]
        write_excel_csv(table, csv_out, lang=language)
        typer.echo(f"{len(table)} actions -> {csv_out}", err=True)
    if as_json:
        for rec in frame[cols].to_dict("records"):
            typer.echo(json.dumps(rec, ensure_ascii=False))
        return
    if frame.empty:
        typer.echo("no actions")
        return
    for rec in frame[cols].to_dict("records"):
        follow = f", uppföljning {rec['follow_up']}" if rec["follow_up"] else ""
        follow += f", stängd {rec['closed']}" if rec["closed"] else ""
        note_text = f" – {rec['note']}" if rec["note"] else ""
        typer.echo(
            f"{rec['id']}  {rec['date']}  {rec['status']:<9} {rec['action']} ({rec['actor']}) "
            f"at {rec['place_ref']} [{rec['problem']}]{follow}{note_text}"
        )


def register(app: typer.Typer) -> None:
    """Add the ``actions`` command group to ``app``."""
    app.add_typer(actions_app, name="actions")
