"""``hotspots geography build``: one geography GeoPackage from OpenStreetMap and official data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hotspots.core.errors import InputSchemaError

__all__ = ["build", "parse_layer_options", "register"]

geography_app = typer.Typer(
    name="geography",
    help="Build the study area's geography (streets, water, buildings, places).",
    no_args_is_help=True,
)


def _pairs(values: list[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip() or not rest.strip():
            msg = f"{option} {value!r}: write LAYER=VALUE, e.g. {option} districts=..."
            raise InputSchemaError(msg)
        out[name.strip()] = rest.strip()
    return out


def parse_layer_options(
    layers: list[str], licences: list[str], attributions: list[str]
) -> dict[str, object]:
    """``--layer NAME=PATH[#GPKG_LAYER]`` with ``--licence``/``--attribution NAME=TEXT``.

    Returns
    -------
    dict
        Layer name -> :class:`hotspots.spatial.build.LayerSource`.

    Raises
    ------
    InputSchemaError
        A malformed option, or a licence/attribution for a layer not given by ``--layer``.
    """
    from hotspots.spatial.build import LayerSource  # noqa: PLC0415 (heavy)

    files = _pairs(layers, "--layer")
    lic = _pairs(licences, "--licence")
    att = _pairs(attributions, "--attribution")
    stray = sorted((set(lic) | set(att)) - set(files))
    if stray:
        msg = f"--licence/--attribution for {stray} without --layer {stray[0]}=FILE"
        raise InputSchemaError(msg)
    out: dict[str, object] = {}
    for name, spec in files.items():
        path, _, layer = spec.partition("#")
        out[name] = LayerSource(
            path=Path(path).expanduser(),
            layer=layer or None,
            attribution=att.get(name, ""),
            licence=lic.get(name, ""),
        )
    return out


@geography_app.command("build")
def build(  # noqa: PLR0917 - Typer passes options positionally
    pbf: Annotated[Path, typer.Argument(help="OpenStreetMap extract (.osm.pbf).")],
    out: Annotated[Path, typer.Option("--out", help="Geography GeoPackage to write.")],
    municipality: Annotated[
        str | None,
        typer.Option(
            "--municipality",
            help="The municipality (OSM admin level 7 name) when the extract holds several.",
        ),
    ] = None,
    layer: Annotated[
        list[str] | None,
        typer.Option(
            "--layer",
            help="Official layer replacing OSM's: NAME=PATH[#GPKG_LAYER], e.g. "
            "districts=stadsdelar.geojson (repeatable).",
        ),
    ] = None,
    licence: Annotated[
        list[str] | None,
        typer.Option("--licence", help='Licence of a --layer: NAME="CC BY 4.0" (repeatable).'),
    ] = None,
    attribution: Annotated[
        list[str] | None,
        typer.Option("--attribution", help="Whom to credit for a --layer: NAME=Lantmäteriet."),
    ] = None,
    metric_crs: Annotated[
        str, typer.Option("--metric-crs", help="Projected CRS in metres of the output.")
    ] = "EPSG:3006",
    clip: Annotated[
        bool, typer.Option("--clip/--no-clip", help="Keep only what touches the municipality.")
    ] = True,
) -> None:
    """Build one geography GeoPackage (EPSG:3006) with provenance and licence per layer."""
    from hotspots.spatial.build import build_geography, write_geography  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    sources = parse_layer_options(layer or [], licence or [], attribution or [])
    built = build_geography(
        pbf,
        sources=sources,  # type: ignore[arg-type]
        municipality=municipality,
        metric_crs=metric_crs,
        clip=clip,
    )
    write_geography(built, out)
    for row in built.provenance.itertuples(index=False):
        typer.echo(f"{row.layer:<13} {row.features:>8} features  {row.source}")
    typer.echo(f"wrote {out} ({built.crs.to_string()})")
    credits = sorted({f"{r.attribution} ({r.licence})" for r in built.provenance.itertuples()})
    typer.echo("attribution: " + "; ".join(credits))


def register(app: typer.Typer) -> None:
    """Add the ``geography`` command group to ``app``."""
    app.add_typer(geography_app, name="geography")
