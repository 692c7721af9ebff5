"""``hotspots import FILE``: validate a file and load it into the store."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer

from hotspots.cli._geo import geography_config
from hotspots.cli._options import BusyTimeoutOpt, CrsOpt, DbOpt, open_db
from hotspots.store import DEFAULT_BUSY_TIMEOUT_S

__all__ = ["register"]


def import_command(  # noqa: PLR0917 - Typer passes options positionally
    file: Annotated[
        Path,
        typer.Argument(help="CSV, GeoJSON, GeoPackage, Shapefile, police.uk CSV or Polisen JSON."),
    ],
    kind: Annotated[
        str, typer.Option("--kind", help="incidents, or survey (survey and dialogue marks).")
    ] = "incidents",
    fmt: Annotated[
        str,
        typer.Option("--format", help="auto, csv, geojson, gpkg, shp, policeuk or polisen."),
    ] = "auto",
    crs: CrsOpt = None,
    category_map: Annotated[
        Path | None,
        typer.Option("--category-map", help="CSV or JSON mapping source labels to category codes."),
    ] = None,
    db: DbOpt = None,
    busy_timeout: BusyTimeoutOpt = DEFAULT_BUSY_TIMEOUT_S,
    addresses: Annotated[
        str | None,
        typer.Option(
            "--addresses",
            help="Address register (Lantmäteriet's Belägenhetsadresser as CSV or GeoPackage, "
            "a geography GeoPackage with an addresses layer, or FILE.gpkg#LAYER): rows with "
            "an adress/address column and no coordinates are located by it.",
        ),
    ] = None,
    register_crs: Annotated[
        str | None,
        typer.Option("--register-crs", help="CRS of the register's x/y (default EPSG:3006)."),
    ] = None,
    geography: Annotated[
        Path | None,
        typer.Option(
            "--geography",
            help="A geography GeoPackage with an addresses layer (hotspots geography build "
            "--addresses): without --addresses, rows with an address and no coordinates are "
            "located by it (default $HOTSPOTS_GEOGRAPHY).",
        ),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", help="Language of the rejects file: sv (default) or en.")
    ] = "sv",
) -> None:
    """Validate FILE and load it into the store; rejected rows go to a rejects CSV."""
    from hotspots.core.i18n import check_lang  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    language = check_lang(lang)
    store = open_db(db, busy_timeout_s=busy_timeout)
    from hotspots.load.ingest import import_file  # noqa: PLC0415 (heavy: only when it runs)

    geocoder = None
    if addresses is not None:
        from hotspots.load.geocode import open_geocoder  # noqa: PLC0415 (heavy: only when it runs)

        geocoder = open_geocoder(addresses, crs=register_crs)  # points go to the store's CRS
    elif (geo := geography_config(geography)) is not None:  # --geography or HOTSPOTS_GEOGRAPHY
        from hotspots.load.geocode import geography_geocoder  # noqa: PLC0415 (heavy: only when it runs)

        geocoder = geography_geocoder(geo)  # its addresses layer, when it has one
    summary = import_file(
        file,
        db=store,
        kind=kind,  # type: ignore[arg-type]
        fmt=fmt,
        crs=crs,
        category_map=category_map,
        lang=language,
        geocoder=geocoder,
        user=f"{getpass.getuser()}@cli",
    )
    typer.echo(f"{file.name} ({summary.fmt}, {kind}) -> {store} [{summary.crs}]")
    typer.echo(f"accepted: {summary.accepted}")
    typer.echo(f"  inserted: {summary.inserted}")
    typer.echo(f"  updated: {summary.updated}")
    typer.echo(f"  unchanged: {summary.unchanged}")
    typer.echo(f"  merged: {summary.merged}")
    typer.echo(f"rejected: {summary.rejected}")
    if summary.rejects_path is not None:
        typer.echo(f"rejects: {summary.rejects_path}")
    if geocoder is not None:
        found = summary.located_by_address
        by = ", ".join(f"{k} {v}" for k, v in sorted(found.items())) or "none"
        typer.echo(f"located by address: {sum(found.values())} ({by})")
        typer.echo(f"addresses: {geocoder.register.attribution}")


def register(app: typer.Typer) -> None:
    """Add the ``import`` command to ``app``."""
    app.command("import")(import_command)
