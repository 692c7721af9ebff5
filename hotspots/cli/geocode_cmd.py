"""``hotspots geocode``: add x/y and a precision to a file of addresses, with a rejects file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from hotspots.core.errors import InputFileError, InputSchemaError
from hotspots.load.settings import geography_config

__all__ = ["geocode", "register"]

#: Columns the command adds; an input that already has one of them is refused.
ADDED_COLUMNS: tuple[str, ...] = ("x", "y", "precision")


def geocode(  # noqa: PLR0917 - Typer passes options positionally
    file: Annotated[Path, typer.Argument(help="CSV file with an adress/address column.")],
    out: Annotated[
        Path, typer.Option("--out", help="Output CSV: the located rows with x, y, precision.")
    ],
    addresses: Annotated[
        Path | None,
        typer.Option(
            "--addresses",
            help="Address register: Lantmäteriet's Belägenhetsadresser as CSV or GeoPackage.",
        ),
    ] = None,
    geography: Annotated[
        Path | None,
        typer.Option(
            "--geography",
            help="A geography GeoPackage with an addresses layer (hotspots geography build "
            "--addresses), used without --addresses (default $HOTSPOTS_GEOGRAPHY).",
        ),
    ] = None,
    column: Annotated[
        str | None,
        typer.Option("--column", help="The address column (default: adress or address)."),
    ] = None,
    register_crs: Annotated[
        str | None,
        typer.Option("--register-crs", help="CRS of the register's x/y (default EPSG:3006)."),
    ] = None,
    metric_crs: Annotated[
        str, typer.Option("--metric-crs", help="CRS of the x/y written (metres).")
    ] = "EPSG:3006",
    min_score: Annotated[
        float,
        typer.Option("--min-score", help="Lowest fuzzy street-name score accepted, 0-100."),
    ] = 85.0,
) -> None:
    """Geocode a file's addresses against an address register.

    Writes OUT with the located rows and x, y (metres) and precision (address or street)
    added, and OUT's stem + .rejects.csv with the rows that could not be located (row,
    column, value, reason with the closest register streets). Import OUT with hotspots import.
    """
    import pandas as pd  # noqa: PLC0415 (heavy)

    from hotspots.io._text import sniff_text  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io.address_register import read_register  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io.addresses import AddressColumns, address_columns, resolve_addresses  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io.csv_safety import write_excel_csv  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io.rejects_file import RejectsFile  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.load.geocode import Geocoder  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    if not file.is_file():
        raise InputFileError(file, "not found; give the path of a CSV file with addresses")
    layout = sniff_text(file)
    try:
        raw = pd.read_csv(
            file,
            sep=layout.delimiter,
            encoding=layout.encoding,
            skiprows=layout.skip_lines,
            dtype=str,
            keep_default_na=False,
        )
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(file, f"cannot be read as CSV ({exc})") from exc
    raw.columns = [str(c).strip() for c in raw.columns]
    if column is not None:
        if column not in raw.columns:
            msg = f"--column {column!r}: no such column in {file} (found {', '.join(raw.columns)})"
            raise InputSchemaError(msg)
        found = address_columns(raw.columns)
        cols = AddressColumns(
            address=column,
            postcode=found.postcode if found else None,
            town=found.town if found else None,
        )
    else:
        found = address_columns(raw.columns)
        if found is None:
            raise InputFileError(
                file,
                "has no address column; name it adress or address, or give --column "
                f"(found columns: {', '.join(raw.columns)})",
            )
        cols = found
    clash = [c for c in ADDED_COLUMNS if c in raw.columns]
    if clash:
        msg = (
            f"{file} already has column(s) {', '.join(clash)}; the command adds x, y and "
            "precision: rename those columns first"
        )
        raise InputSchemaError(msg)

    if addresses is not None:
        register_ = read_register(addresses, crs=register_crs, metric_crs=metric_crs)
        geocoder = Geocoder(register_, min_score=min_score)
    else:
        geocoder = _geography_geocoder(geography, metric_crs=metric_crs, min_score=min_score)
        register_ = geocoder.register
    res = resolve_addresses(raw, geocoder, columns=cols)

    located = res.located
    table = raw.copy()
    table["x"] = res.x.round(2)
    table["y"] = res.y.round(2)
    table["precision"] = res.precision
    rows = layout.skip_lines + 2 + pd.RangeIndex(len(raw)).to_numpy()
    rejects = pd.DataFrame(
        {
            "row": rows[~located],
            "column": cols.address,
            "value": raw.loc[~located, cols.address].to_numpy(),
            "reason": res.reason[~located],
        }
    ).astype({"row": "int64", "column": "string", "value": "string", "reason": "string"})

    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    rejects_path = out.with_name(f"{out.stem}.rejects.csv")
    try:
        # the input's own column names: the file is imported next
        write_excel_csv(table[located], tmp, lang="sv", translate_headers=False)
        with RejectsFile(rejects_path) as rf:
            rf.write(rejects)
            kept = rf.commit(keep=len(rejects) > 0)
        tmp.replace(out)
    finally:
        tmp.unlink(missing_ok=True)

    n_addr = int((res.precision == "address").sum())
    n_street = int((res.precision == "street").sum())
    typer.echo(
        f"{len(raw)} rows: {n_addr} at address precision, {n_street} at street precision, "
        f"{int((~located).sum())} rejected"
    )
    crs_opt = "" if metric_crs.upper() == "EPSG:3006" else f" --crs {metric_crs}"
    typer.echo(f"wrote {out} (x/y in {metric_crs}); import it with: hotspots import {out}{crs_opt}")
    if kept is not None:
        typer.echo(f"rejected rows and why: {kept}")
    typer.echo(f"addresses: {register_.attribution}")


def _geography_geocoder(geography: Path | None, *, metric_crs: str, min_score: float) -> Any:
    """The geocoder of ``--geography`` (or ``HOTSPOTS_GEOGRAPHY``); an error without one."""
    from hotspots.load.geocode import geography_geocoder  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    path = geography_config(geography)
    if path is None:
        msg = (
            "give an address register: --addresses FILE (Lantmäteriet's Belägenhetsadresser), "
            "or --geography FILE.gpkg built with hotspots geography build --addresses"
        )
        raise InputSchemaError(msg)
    geocoder = geography_geocoder(path, metric_crs=metric_crs, min_score=min_score)
    if geocoder is None:
        raise InputFileError(
            path,
            "has no addresses layer; build it with hotspots geography build --addresses FILE, "
            "or give --addresses FILE",
        )
    return geocoder


def register(app: typer.Typer) -> None:
    """Add the ``geocode`` command to ``app``."""
    app.command("geocode")(geocode)
