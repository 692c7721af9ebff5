"""``hotspots demo``: write the synthetic Karlstad data set and load it into the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hotspots.cli._options import BusyTimeoutOpt, DbOpt, open_db, parse_date
from hotspots.core.errors import InputSchemaError
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S

__all__ = ["register"]

DEFAULT_OUT = Path("data/demo")


def demo(  # noqa: PLR0917 - Typer passes options positionally
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", help="Seed of the generator (default: the standard demo, the same each time)."
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for incidents.csv and survey.csv.")
    ] = DEFAULT_OUT,
    end: Annotated[
        str | None,
        typer.Option(
            "--end",
            help="Data end with the last complete ISO week before this date (default today).",
        ),
    ] = None,
    years: Annotated[int, typer.Option("--years", help="Length in years (52 weeks each).")] = 2,
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
) -> None:
    """Write a synthetic Karlstad data set (incidents.csv, survey.csv) into a NEW store."""
    from hotspots.demo.store import DEFAULT_SEED, load_demo  # noqa: PLC0415 (heavy)

    store = open_db(db, busy_timeout_s=busy_timeout)
    if store.occupied():
        msg = (
            f"--db {store}: a store is already there; the synthetic demo data goes only into a "
            "new store, never beside real data. Give a new path, e.g. --db data/demo.gpkg"
        )
        raise InputSchemaError(msg)
    typer.echo(f"filling the new store {store} with synthetic demo data ...")
    result = load_demo(
        store,
        seed=DEFAULT_SEED if seed is None else seed,
        end=parse_date(end, "--end"),
        out_dir=out,
        years=years,
    )
    inc, sv = result.incidents, result.survey
    typer.echo(f"wrote {result.incidents_csv} and {result.survey_csv} (x/y in EPSG:3006)")
    typer.echo(
        f"incidents: {inc.accepted} accepted, {inc.inserted} inserted, {inc.updated} updated, "
        f"{inc.rejected} rejected"
    )
    typer.echo(
        f"survey marks: {sv.accepted} accepted, {sv.inserted} inserted, {sv.updated} updated, "
        f"{sv.rejected} rejected"
    )
    typer.echo(f"store: {store}")


def register(app: typer.Typer) -> None:
    """Add the ``demo`` command to ``app``."""
    app.command("demo")(demo)
