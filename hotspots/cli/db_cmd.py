"""``hotspots db init|upgrade|check``: create, migrate and inspect the store (either backend)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from hotspots.cli._options import BusyTimeoutOpt, DbOpt, open_db
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S

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


@db_app.command("check")
def check(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Schema version, rows per layer and integrity; exit 1 when a check fails."""
    result = open_db(db, busy_timeout_s=busy_timeout).check()
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
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
        for problem in result.problems:
            typer.echo(f"problem: {problem}")
        if result.schema_version and not result.problems:
            typer.echo("integrity: ok")
    if result.problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add the ``db`` command group to ``app``."""
    app.add_typer(db_app)
