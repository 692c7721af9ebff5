"""``hotspots tracks import|reduce|visits|keygen``: patrol GPS tracks in, stops and visits out.

Tracks live in the store's database when it is PostgreSQL, else in a tracks file beside the
store (``data/hotspots.tracks.gpkg``); ``--tracks-db FILE`` names another tracks file. Unit
and officer ids are pseudonymised on import with a key that never enters the data
(``--key-file`` or ``$HOTSPOTS_TRACKS_KEY``; ``hotspots tracks keygen FILE`` makes one).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hotspots.cli._options import BusyTimeoutOpt, CrsOpt, DbOpt, resolve_db
from hotspots.core.errors import InputFileError, InputSchemaError
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S

if TYPE_CHECKING:
    import pandas as pd

    from hotspots.dosage.storage import TrackStore

__all__ = ["KeyFileOpt", "TracksDbOpt", "register", "rejects_target", "tracks_store"]

tracks_app = typer.Typer(
    name="tracks",
    help="Patrol GPS tracks: import (pseudonymised), reduce old pings, visits per place.",
    no_args_is_help=True,
)

TracksDbOpt = Annotated[
    Path | None,
    typer.Option(
        "--tracks-db",
        help="Tracks file (GeoPackage); default: the store's database when it is PostgreSQL, "
        "else <store>.tracks.gpkg beside the store, or $HOTSPOTS_TRACKS_DB.",
    ),
]
KeyFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        help="File holding the pseudonymisation key (default $HOTSPOTS_TRACKS_KEY); "
        "create one with hotspots tracks keygen FILE.",
    ),
]
KeepDaysOpt = Annotated[
    float,
    typer.Option(
        "--keep-days", min=0, help="Days raw pings are kept before they are reduced to stops."
    ),
]


def tracks_store(
    db: str | None, tracks_db: Path | None, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S
) -> TrackStore:
    """The tracks store named by ``--tracks-db``, else the one of ``--db``."""
    from hotspots.dosage.storage import open_track_store  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    return open_track_store(resolve_db(db), tracks_db=tracks_db, busy_timeout_s=busy_timeout_s)


def rejects_target(file: Path, store: TrackStore, given: Path | None) -> Path:
    """``--rejects``, else ``<file stem>.rejects.csv`` beside the tracks file (or the file)."""
    if given is not None:
        return given
    return (store.folder or file.parent) / f"{file.stem}.rejects.csv"


def _write_rejects(target: Path, rejects: pd.DataFrame) -> Path | None:
    from hotspots.io.rejects_file import RejectsFile  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    with RejectsFile(target) as out:
        out.write(rejects)
        return out.commit(keep=len(rejects) > 0)


@tracks_app.command("import")
def import_tracks(  # noqa: PLR0917 - Typer passes options positionally
    file: Annotated[Path, typer.Argument(help="GPX, or CSV/GeoJSON pings (unit, time, position).")],
    fmt: Annotated[str, typer.Option("--format", help="auto, gpx, csv or geojson.")] = "auto",
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="Unit id for every ping (a file of one unit)."),
    ] = None,
    crs: CrsOpt = None,
    key_file: KeyFileOpt = None,
    keep_days: KeepDaysOpt = 30.0,
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
    """Validate FILE, pseudonymise unit and officer ids and store the pings in one go."""
    from hotspots.dosage.pings import read_pings  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.pseudonym import load_key  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.retention import cutoff_ms, reduce_tracks  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.storage import ImportRecord  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io import file_sha256  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    key = load_key(key_file)
    store = tracks_store(db, tracks_db, busy_timeout_s=busy_timeout)
    stored = store.key_id()
    if stored is not None and stored != key.key_id:
        msg = (
            f"{store.location}: the key ({key.source}, key id {key.key_id}) is not the one the "
            f"stored tracks were pseudonymised with (key id {stored}); use that key, or "
            "another --tracks-db"
        )
        raise InputSchemaError(msg)
    reading = read_pings(file, key=key, fmt=fmt, unit=unit, crs=crs)
    target = rejects_target(file, store, rejects)
    if not len(reading.pings):
        kept = _write_rejects(target, reading.rejects)
        where = f"; see {kept}" if kept is not None else ""
        raise InputFileError(
            file, f"no usable ping ({reading.rejected} of {reading.rows_read} rows rejected){where}"
        )
    record = ImportRecord(
        import_id=file_sha256(file),
        file=file.name,
        kind="pings",
        rows_read=reading.rows_read,
        accepted=len(reading.pings),
        rejected=reading.rejected,
        key_id=key.key_id,
    )
    from hotspots.io.rejects_file import RejectsFile  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    with RejectsFile(target) as out:
        out.write(reading.rejects)
        counts = store.add_pings(reading.pings, record)
        kept_path = out.commit(keep=len(reading.rejects) > 0)
    units = reading.pings["unit"].nunique()
    typer.echo(f"{file.name} ({reading.fmt}) -> {store.location}")
    typer.echo(f"rows: {reading.rows_read}")
    typer.echo(f"accepted: {len(reading.pings)}")
    typer.echo(f"  inserted: {counts.inserted}")
    typer.echo(f"  unchanged: {counts.unchanged}")
    typer.echo(f"rejected: {reading.rejected}")
    if kept_path is not None:
        typer.echo(f"rejects: {kept_path}")
    typer.echo(f"units: {units} (pseudonymised, key id {key.key_id})")
    summary = reduce_tracks(store, before_ms=cutoff_ms(keep_days))
    if summary.pings_removed:
        typer.echo(
            f"reduced: {summary.pings_removed} pings older than {keep_days:g} days -> "
            f"{summary.stops} stops, {summary.passages} passages"
        )


def _parse_day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        msg = f"{option}: {text!r} is not a date; write YYYY-MM-DD"
        raise InputSchemaError(msg) from exc


@tracks_app.command("reduce")
def reduce_command(  # noqa: PLR0917 - Typer passes options positionally
    keep_days: KeepDaysOpt = 30.0,
    before: Annotated[
        str | None,
        typer.Option("--before", help="Reduce the pings before this date (overrides --keep-days)."),
    ] = None,
    places: Annotated[
        list[Path] | None,
        typer.Option(
            "--places",
            help="Areas whose passages are kept (GeoJSON/GPKG with an id or name); repeatable. "
            "They stay registered for later reductions.",
        ),
    ] = None,
    radius_m: Annotated[
        float, typer.Option("--radius-m", min=1, help="Radius of point places, metres.")
    ] = 100.0,
    tracks_db: TracksDbOpt = None,
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Replace raw pings older than --keep-days by their stops and passages."""
    from hotspots.dosage.places import read_places  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.retention import cutoff_ms, reduce_tracks  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.visits import local_day_start_ms  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    store = tracks_store(db, tracks_db, busy_timeout_s=busy_timeout)
    for path in places or []:
        frame = read_places(path, radius_m=radius_m)
        frame = frame.assign(wkt=frame.geometry.to_wkt())
        n = store.register_places(frame[["place_id", "name", "kind", "wkt"]])
        typer.echo(f"places: {n} from {path.name} registered")
    before_ms = (
        local_day_start_ms(_parse_day(before, "--before"))
        if before is not None
        else cutoff_ms(keep_days)
    )
    summary = reduce_tracks(store, before_ms=before_ms)
    typer.echo(
        f"{store.location}: {summary.pings_removed} pings of {summary.units} units reduced to "
        f"{summary.stops} stops and {summary.passages} passages"
    )


@tracks_app.command("visits")
def visits_command(  # noqa: PLR0917 - Typer passes options positionally
    since: Annotated[str, typer.Option("--since", help="First date, YYYY-MM-DD.")],
    until: Annotated[str, typer.Option("--until", help="Date after the last, YYYY-MM-DD.")],
    places: Annotated[
        Path | None,
        typer.Option(
            "--places",
            help="Areas (GeoJSON/GPKG with an id or name); default the geography's named "
            "places (venues, schools, squares ...).",
        ),
    ] = None,
    radius_m: Annotated[
        float, typer.Option("--radius-m", min=1, help="Radius of point places, metres.")
    ] = 100.0,
    by: Annotated[
        str, typer.Option("--by", help="Comma list of place_id, day, shift, week.")
    ] = "place_id,day,shift",
    shifts: Annotated[
        str,
        typer.Option("--shifts", help="Shifts, e.g. dag=07-15,kväll=15-23,natt=23-07."),
    ] = "dag=07-15,kväll=15-23,natt=23-07",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    csv_out: Annotated[Path | None, typer.Option("--csv", help="Write the table as CSV.")] = None,
    geography_config: Annotated[
        Path | None, typer.Option("--geography", help="Geography config (TOML) for the places.")
    ] = None,
    tracks_db: TracksDbOpt = None,
    db: DbOpt = None,
) -> None:
    """Visits, Koper-compliant visits, minutes and drive-throughs per place, day and shift."""
    from hotspots.dosage.movement import load_movement  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.places import places_frame, read_places  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.dosage.visits import (  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        local_day_start_ms,
        parse_shifts,
        visit_summary,
    )
    from hotspots.io.csv_safety import write_excel_csv  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    d0, d1 = _parse_day(since, "--since"), _parse_day(until, "--until")
    if d1 <= d0:
        msg = f"--until: {d1} must be after --since {d0} (until is the date after the last)"
        raise InputSchemaError(msg)
    shift_list = parse_shifts(shifts)
    keys = tuple(k.strip() for k in by.split(",") if k.strip())
    if places is not None:
        frame = read_places(places, radius_m=radius_m)
    else:
        from hotspots.load.settings import base_geography  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        geo = base_geography(geography_config, metric_crs="EPSG:3006")
        named = geo.places[geo.places["name"].astype(str).str.strip() != ""]
        frame = places_frame(named.drop_duplicates("name"), radius_m=radius_m)
    areas = dict(zip(frame["place_id"], frame.geometry, strict=True))
    store = tracks_store(db, tracks_db)
    movement = load_movement(
        store, areas, start_ms=local_day_start_ms(d0), end_ms=local_day_start_ms(d1)
    )
    table = visit_summary(movement.visits, movement.passages, by=keys, shifts=shift_list)
    if "day" in table:
        table["day"] = table["day"].astype(str)
    if csv_out is not None:
        write_excel_csv(table, csv_out, lang="sv")
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "since": d0.isoformat(),
                    "until": d1.isoformat(),
                    "incomplete_places": list(movement.incomplete_places),
                    "rows": json.loads(table.to_json(orient="records", force_ascii=False)),
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    typer.echo(
        f"{len(movement.stops)} stops, {len(movement.visits)} visits at {len(areas)} places, "
        f"{d0} to {d1 - dt.timedelta(days=1)}"
    )
    if len(table):
        typer.echo(table.to_string(index=False))
    if movement.incomplete_places:
        typer.echo(
            "note: part of the period was reduced before these places were registered; "
            "their drive-throughs and presence minutes are missing there"
        )


@tracks_app.command("keygen")
def keygen(
    file: Annotated[Path, typer.Argument(help="Where to write the new key (never overwritten).")],
) -> None:
    """Write a new random pseudonymisation key, readable by its owner only."""
    from hotspots.dosage.pseudonym import write_new_key  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    path = write_new_key(file)
    typer.echo(
        f"key written to {path} (mode 600); keep it outside the store, back it up, and give "
        f"--key-file {path} to every tracks import"
    )


def register(app: typer.Typer) -> None:
    """Add the ``tracks`` command group to ``app``."""
    app.add_typer(tracks_app, name="tracks")
