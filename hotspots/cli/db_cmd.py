"""``hotspots db init|upgrade|check``: create, migrate and inspect the store (either backend).

``check`` also reports the patrol tracks (:mod:`hotspots.dosage.storage`): the ``tracks_*``
tables of a PostgreSQL store, or the ``<store>.tracks.gpkg`` file beside a GeoPackage store
(or ``--tracks-db``), with their rows per table.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer

from hotspots.cli._options import BusyTimeoutOpt, DbOpt, open_db
from hotspots.cli.tracks_cmd import TracksDbOpt, tracks_store
from hotspots.core.errors import HotspotsError
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S

if TYPE_CHECKING:
    from pathlib import Path

    from hotspots.dosage.storage import TracksCheck

__all__ = ["register"]

db_app = typer.Typer(
    name="db",
    help="Create, upgrade and check the store (GeoPackage file or PostgreSQL database).",
    no_args_is_help=True,
)


@db_app.command("init")
def init(
    crs: Annotated[
        str, typer.Option("--crs", help="Metric CRS of a new store (EPSG code).")
    ] = "EPSG:3006",
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Create the store's layers if there is no store yet; an existing store is left as is."""
    store = open_db(db, busy_timeout_s=busy_timeout)
    created = store.init(crs=crs)
    check = store.check()
    state = "created" if created else "already there, left as it was"
    typer.echo(f"{store}: {state} (schema version {check.schema_version}, {check.crs})")


@db_app.command("upgrade")
def upgrade(db: DbOpt = None, busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S) -> None:
    """Apply the pending schema migrations (in one transaction, under the write lock)."""
    store = open_db(db, busy_timeout_s=busy_timeout)
    done = store.upgrade()
    if not done:
        typer.echo(f"{store}: up to date (schema version {store.check().schema_version})")
        return
    for step in done:
        typer.echo(f"{store}: {step}")


def _tracks_check(
    db: str | None, tracks_db: Path | None, busy_timeout_s: float
) -> tuple[TracksCheck | None, str | None, str]:
    """The tracks' check, or the reason it could not be made, and where they were sought."""
    store = tracks_store(db, tracks_db, busy_timeout_s=busy_timeout_s)
    try:
        return store.check(), None, store.location
    except HotspotsError as exc:
        return None, str(exc), store.location


def _echo_tracks(tracks: TracksCheck | None, location: str) -> None:
    if tracks is None:
        typer.echo(f"tracks: {location}")
        return
    where = "file beside the store" if tracks.backend == "geopackage" else "tables in the store"
    if not tracks.present:
        none = "no file" if tracks.backend == "geopackage" else "no tracks_* tables"
        typer.echo(f"tracks: none yet ({none} at {tracks.location}; hotspots tracks import)")
        return
    typer.echo(
        f"tracks: {tracks.location} ({tracks.backend}, {where}; schema version "
        f"{tracks.schema_version})"
    )
    for table, count in tracks.counts.items():
        typer.echo(f"  {table}: {count}")


@db_app.command("check")
def check(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOpt = None,
    tracks_db: TracksDbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Schema version, rows per layer, integrity and the tracks' tables; exit 1 on a problem."""
    result = open_db(db, busy_timeout_s=busy_timeout).check()
    tracks, tracks_error, tracks_location = _tracks_check(db, tracks_db, busy_timeout)
    tracks_problems = (
        [f"tracks: {tracks_error}"]
        if tracks_error is not None
        else [f"tracks: {p}" for p in (tracks.problems if tracks is not None else ())]
    )
    if as_json:
        out: dict[str, Any] = result.as_dict()
        out["tracks"] = (
            tracks.as_dict()
            if tracks is not None
            else {"location": tracks_location, "ok": False, "problems": [tracks_error]}
        )
        out["ok"] = bool(out["ok"]) and not tracks_problems
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"store: {result.location} ({result.backend})")
        if result.schema_version == 0:
            typer.echo("no store here yet (hotspots db init, or an import, creates one)")
        else:
            typer.echo(
                f"schema version: {result.schema_version} (this program writes "
                f"{result.current_version}); CRS {result.crs}"
            )
            for layer, count in result.counts.items():
                typer.echo(f"  {layer}: {count}")
        _echo_tracks(tracks, tracks_location)
        for problem in [*result.problems, *tracks_problems]:
            typer.echo(f"problem: {problem}")
        if result.schema_version and not result.problems and not tracks_problems:
            typer.echo("integrity: ok")
    if result.problems or tracks_problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``db`` command group to ``app``."""
    app.add_typer(db_app)
