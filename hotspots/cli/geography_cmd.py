"""``hotspots geography build``: one geography GeoPackage from OpenStreetMap and official data."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hotspots.core.errors import InputSchemaError

if TYPE_CHECKING:
    from hotspots.spatial.build import LayerFrame

__all__ = [
    "ADDRESSES_ATTRIBUTION",
    "ADDRESSES_LICENCE",
    "WFS_LICENCE_UNKNOWN",
    "addresses_layer",
    "build",
    "districts_from_wfs",
    "parse_layer_options",
    "register",
]

#: Licence recorded for districts from a WFS when none is given (the service rarely says).
WFS_LICENCE_UNKNOWN = "unknown: check the service's terms and give --districts-licence"
#: Licence and attribution of Lantmäteriet's address register (Belägenhetsadresser).
ADDRESSES_LICENCE = "CC BY 4.0"
ADDRESSES_ATTRIBUTION = "Lantmäteriet"

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
    layers: list[str],
    licences: list[str],
    attributions: list[str],
    *,
    name_columns: dict[str, str] | None = None,
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

    ``name_columns`` (layer -> column holding the names, e.g. from
    ``--districts-name-field``) fills :attr:`LayerSource.name_column`.
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
            name_column=(name_columns or {}).get(name),
            attribution=att.get(name, ""),
            licence=lic.get(name, ""),
        )
    return out


def districts_from_wfs(
    url: str,
    typename: str,
    *,
    version: str = "2.0.0",
    name_field: str | None = None,
    licence: str | None = None,
    attribution: str | None = None,
    metric_crs: str = "EPSG:3006",
    timeout_s: float = 30.0,
) -> LayerFrame:
    """The districts layer fetched from the kommun's WFS, with its provenance.

    Parameters
    ----------
    url, typename, version
        The service, its layer and the WFS version (see
        :func:`hotspots.io.wfs.fetch_wfs_layer`).
    name_field
        The column holding the district names (``name``/``namn`` are found without it).
    licence
        The layer's licence; when ``None``, :data:`WFS_LICENCE_UNKNOWN` with the terms the
        service states, if any.
    attribution
        Whom to credit; when ``None``, the provider the service names, else its host.
    metric_crs
        The working CRS the features are reprojected to.
    timeout_s
        Seconds to wait for each answer of the service.

    Raises
    ------
    InputSchemaError
        The service cannot be reached or answers with an error, lacks the layer, or returns
        no features (one line naming the address and what to do).
    """
    from urllib.parse import urlsplit  # noqa: PLC0415 - loaded when used, so --help stays fast

    from hotspots.io.wfs import fetch_wfs_layer  # noqa: PLC0415 - OWSLib, lxml: loaded when used
    from hotspots.spatial.build import LayerFrame  # noqa: PLC0415 (heavy)

    got = fetch_wfs_layer(
        url,
        typename,
        version=version,
        metric_crs=metric_crs,
        timeout_s=timeout_s,
        alternative="give the districts as a file with --layer districts=FILE",
    )
    if licence is None:
        stated = got.access_constraints
        licence = WFS_LICENCE_UNKNOWN + (
            f" (the service states: {stated})"
            if stated and stated.casefold() not in ("none", "-")
            else ""
        )
    return LayerFrame(
        frame=got.frame,
        source=got.source,
        name_column=name_field,
        attribution=attribution or got.provider or urlsplit(url).netloc or url,
        licence=licence,
    )


def addresses_layer(
    path: Path,
    *,
    crs: str | None = None,
    licence: str = ADDRESSES_LICENCE,
    attribution: str = ADDRESSES_ATTRIBUTION,
    metric_crs: str = "EPSG:3006",
) -> LayerFrame:
    """The address register (Lantmäteriet's Belägenhetsadresser, CSV or GPKG) as a layer.

    Parameters
    ----------
    path
        The register (``FILE.gpkg#LAYER`` names a layer of a GeoPackage of several).
    crs
        CRS of a text register's x/y columns (default EPSG:3006).
    licence, attribution
        The register's licence and whom to credit (Lantmäteriet, CC BY 4.0).
    metric_crs
        The working CRS of the points.

    Raises
    ------
    InputFileError
        The register cannot be read.
    """
    import geopandas as gpd  # noqa: PLC0415 - loaded when used, so --help stays fast

    from hotspots.io.address_register import REGISTER_COLUMNS, read_register  # noqa: PLC0415 (heavy)
    from hotspots.spatial.build import LayerFrame  # noqa: PLC0415 (heavy)

    text = str(path)
    file, sep, layer = text.rpartition("#") if "#" in text else (text, "", "")
    if sep and not Path(text).exists():
        register = read_register(Path(file), crs=crs, metric_crs=metric_crs, layer=layer or None)
    else:
        register = read_register(Path(text), crs=crs, metric_crs=metric_crs)
    frame = register.frame
    # numbers as text: a GeoPackage integer column with nulls reads back as floats ("12.0")
    columns = frame[list(REGISTER_COLUMNS)].assign(number=frame["number"].astype("string"))
    points = gpd.GeoDataFrame(
        columns.reset_index(drop=True),
        geometry=gpd.points_from_xy(frame["x"], frame["y"]),
        crs=register.crs,
    )
    return LayerFrame(
        frame=points,
        source=Path(file if sep else text).name,
        attribution=attribution,
        licence=licence,
    )


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
            help="Official layer replacing OSM's: NAME=PATH or NAME=PATH#GPKG_LAYER, e.g. "
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
    districts_wfs: Annotated[
        str | None,
        typer.Option(
            "--districts-wfs",
            help="The kommun's WFS (its address) to fetch the districts from, replacing "
            "OSM's (needs the network; give --districts-wfs-layer).",
        ),
    ] = None,
    districts_wfs_layer: Annotated[
        str | None,
        typer.Option(
            "--districts-wfs-layer", help="The districts' layer (feature type) in the WFS."
        ),
    ] = None,
    districts_wfs_version: Annotated[
        str, typer.Option("--districts-wfs-version", help="WFS version: 2.0.0 or 1.1.0.")
    ] = "2.0.0",
    districts_name_field: Annotated[
        str | None,
        typer.Option(
            "--districts-name-field",
            help="Column of the district names in the WFS layer or --layer districts file "
            "(name/namn are found without it).",
        ),
    ] = None,
    districts_licence: Annotated[
        str,
        typer.Option(
            "--districts-licence",
            help='Licence of the WFS districts, e.g. "CC0 1.0" (check the kommun\'s terms).',
        ),
    ] = WFS_LICENCE_UNKNOWN,
    districts_attribution: Annotated[
        str | None,
        typer.Option(
            "--districts-attribution",
            help="Whom to credit for the WFS districts (default: the provider the service names).",
        ),
    ] = None,
    wfs_timeout: Annotated[
        float, typer.Option("--wfs-timeout", min=1, help="Seconds to wait for the WFS.")
    ] = 30.0,
    addresses: Annotated[
        Path | None,
        typer.Option(
            "--addresses",
            help="Address register (Lantmäteriet's Belägenhetsadresser, CSV or GPKG, "
            "FILE.gpkg#LAYER) written as the layer 'addresses'; imports with --geography "
            "locate addresses by it.",
        ),
    ] = None,
    addresses_crs: Annotated[
        str | None,
        typer.Option("--addresses-crs", help="CRS of the register's x/y (default EPSG:3006)."),
    ] = None,
    addresses_licence: Annotated[
        str, typer.Option("--addresses-licence", help="Licence of the address register.")
    ] = ADDRESSES_LICENCE,
    addresses_attribution: Annotated[
        str, typer.Option("--addresses-attribution", help="Whom to credit for the addresses.")
    ] = ADDRESSES_ATTRIBUTION,
    metric_crs: Annotated[
        str, typer.Option("--metric-crs", help="Projected CRS in metres of the output.")
    ] = "EPSG:3006",
    clip: Annotated[
        bool, typer.Option("--clip/--no-clip", help="Keep only what touches the municipality.")
    ] = True,
) -> None:
    """Build one geography GeoPackage (EPSG:3006) with provenance and licence per layer."""
    from hotspots.spatial.build import build_geography, write_geography  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    if (districts_wfs is None) != (districts_wfs_layer is None):
        msg = "--districts-wfs URL and --districts-wfs-layer NAME go together; give both"
        raise InputSchemaError(msg)
    names = {"districts": districts_name_field} if districts_name_field else None
    sources = parse_layer_options(layer or [], licence or [], attribution or [], name_columns=names)
    if districts_wfs is not None and "districts" in sources:
        msg = "the districts come from --districts-wfs or --layer districts=FILE, not both"
        raise InputSchemaError(msg)
    frames = {}
    register = None
    if addresses is not None:  # read first: a bad register fails before the network is asked
        register = addresses_layer(
            addresses,
            crs=addresses_crs,
            licence=addresses_licence,
            attribution=addresses_attribution,
            metric_crs=metric_crs,
        )
    if districts_wfs is not None:
        frames["districts"] = districts_from_wfs(
            districts_wfs,
            str(districts_wfs_layer),
            version=districts_wfs_version,
            name_field=districts_name_field,
            licence=None if districts_licence == WFS_LICENCE_UNKNOWN else districts_licence,
            attribution=districts_attribution,
            metric_crs=metric_crs,
            timeout_s=wfs_timeout,
        )
    built = build_geography(
        pbf,
        sources=sources,  # type: ignore[arg-type]
        frames=frames,
        addresses=register,
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
