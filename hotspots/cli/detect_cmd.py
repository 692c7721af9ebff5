"""``hotspots detect``: hotspot polygons as GeoJSON, and the density as GeoTIFF/GeoPackage."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import logging
from pathlib import Path
from typing import Annotated

import typer

from hotspots.cli._geo import (
    GeographyOpt,
    StudyAreaOpt,
    echo_tuning,
    load_analysis_input,
)
from hotspots.cli._geo import geography_config as geography_config_path
from hotspots.cli._options import (
    AreaOpt,
    BandwidthOpt,
    CategoryOpt,
    CellOpt,
    CoverageOpt,
    CrsOpt,
    DbOpt,
    HoursOpt,
    KernelOpt,
    MethodOpt,
    MetricCrsOpt,
    MinIncidentsOpt,
    SinceOpt,
    UntilOpt,
    WeekdaysOpt,
    WeightsOpt,
    build_config,
    build_filters,
    parse_weights,
    resolve_db,
)
from hotspots.cli._placement import (
    DEFAULT_SNAP_TO_LAND_M,
    DroppedOpt,
    SnapToLandOpt,
    place_incidents,
    placement_counts,
)
from hotspots.cli._settings import APP_BANDWIDTH, app_settings, echo_settings
from hotspots.core.config import OPENING
from hotspots.core.errors import InputSchemaError

__all__ = ["register"]

logger = logging.getLogger(__name__)

#: FeatureCollection members always written (README, Command line), then the rest of the parameters.
_PARAMETER_KEYS: tuple[str, ...] = (
    "kernel",
    "bandwidth_m",
    "cell_m",
    "coverage",
    "metric_crs",
    "study_area_km2",
    "n_incidents",
)


def _check_suffix(path: Path | None, option: str, suffixes: tuple[str, ...]) -> None:
    if path is not None and path.suffix.lower() not in suffixes:
        msg = f"{option}: {path} must end in {' or '.join(suffixes)}"
        raise InputSchemaError(msg)


def _prepare_engine(*, demo_geography: bool) -> None:
    """Import the engine and, when it may be needed, load the demo geography (both cached)."""
    importlib.import_module("hotspots.engine.analysis")
    importlib.import_module("hotspots.export.geojson")
    if demo_geography:
        from hotspots.spatial.geography import default_geography  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        default_geography()


def register(app: typer.Typer) -> None:
    """Add the ``detect`` command to ``app``."""

    @app.command("detect")
    def detect(  # noqa: PLR0917 (a Typer command takes its options as parameters)
        input_path: Annotated[
            Path | None,
            typer.Argument(help="Incident file (any import format); the store when omitted."),
        ] = None,
        out: Annotated[
            Path | None, typer.Option("--out", help="Hotspot polygons as GeoJSON (WGS84).")
        ] = None,
        density_out: Annotated[
            Path | None,
            typer.Option("--density-out", help="Density surface as GeoTIFF (metric CRS)."),
        ] = None,
        gpkg_out: Annotated[
            Path | None,
            typer.Option("--gpkg-out", help="Hotspot polygons as a GeoPackage layer."),
        ] = None,
        threshold: Annotated[
            str | None,
            typer.Option("--threshold", help="Instead of --coverage: mean:K or pct:P."),
        ] = None,
        edge_correction: Annotated[
            bool,
            typer.Option(
                "--edge-correction/--no-edge-correction",
                help="Divide by the kernel mass on land (default on).",
            ),
        ] = True,
        survey: Annotated[
            Path | None,
            typer.Option("--survey", help="Survey marks file (default: the store's survey)."),
        ] = None,
        input_format: Annotated[
            str, typer.Option("--format", help="Input format (auto, csv, geojson, ...).")
        ] = "auto",
        weights: WeightsOpt = "count",
        db: DbOpt = None,
        category: CategoryOpt = None,
        area: AreaOpt = None,
        since: SinceOpt = None,
        until: UntilOpt = None,
        hours: HoursOpt = None,
        weekdays: WeekdaysOpt = None,
        crs: CrsOpt = None,
        metric_crs: MetricCrsOpt = None,
        kernel: KernelOpt = OPENING.kernel,
        method: MethodOpt = "kde",
        bandwidth_m: BandwidthOpt = APP_BANDWIDTH,
        cell_m: CellOpt = float(OPENING.cell_m),
        coverage: CoverageOpt = OPENING.coverage,
        min_incidents: MinIncidentsOpt = 5,
        study_area: StudyAreaOpt = OPENING.study,
        geography_config: GeographyOpt = None,
        snap_to_land_m: SnapToLandOpt = DEFAULT_SNAP_TO_LAND_M,
        dropped: DroppedOpt = None,
    ) -> None:
        """Hotspot polygons ranked by incidents, with significance, fear and time profiles."""
        if out is None:
            msg = "--out FILE.geojson is required (where to write the hotspot polygons)"
            raise InputSchemaError(msg)
        _check_suffix(out, "--out", (".geojson", ".json"))
        _check_suffix(density_out, "--density-out", (".tif", ".tiff"))
        _check_suffix(gpkg_out, "--gpkg-out", (".gpkg",))
        _check_suffix(dropped, "--dropped", (".csv",))
        if threshold is not None:
            from hotspots.engine.polygons import parse_threshold  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

            parse_threshold(threshold)
        harm_weights = parse_weights(weights)  # a bad table fails before the data are read
        filters = build_filters(
            category=category, area=area, since=since, until=until, hours=hours, weekdays=weekdays
        )
        config = build_config(
            filters=filters,
            kernel=kernel,
            bandwidth_m=bandwidth_m,
            cell_m=cell_m,
            coverage=coverage,
            metric_crs=metric_crs,
            threshold=threshold,
            edge_correction=edge_correction,
            method=method,
            min_incidents=min_incidents,
        )
        store_ref = resolve_db(db)
        data = load_analysis_input(
            input_path,
            db=store_ref,
            fmt=input_format,
            crs=crs,
            config=config,
            geography_config=geography_config,
            study_area=study_area,
            survey_path=survey,
            analysis_only=True,
            # the engine's imports, while a second process validates the file
            meanwhile=functools.partial(
                _prepare_engine, demo_geography=geography_config_path(geography_config) is None
            ),
        )
        from hotspots.export.geojson import write_geojson  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
        from hotspots.forecast.analysis import run_analysis  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        # incidents off the study area's land: moved onto it when just off a shore, else
        # counted and listed (the bandwidth is still chosen on all of them, as the app does)
        placed, placement = place_incidents(data, snap_to_land_m=snap_to_land_m, dropped=dropped)
        auto = data.config.bandwidth_m is None
        result = run_analysis(
            placed.incidents,
            config=app_settings(data, db=store_ref, input_path=input_path),
            geography=data.study_geography,
            survey=data.survey,
        )
        echo_tuning(result.parameters)
        echo_settings(result.config, study_area=study_area, auto=auto)
        params = dict(result.parameters)
        ordered = {k: params.pop(k) for k in _PARAMETER_KEYS}
        ordered.update(params)
        if placement is not None:
            ordered.update(placement_counts(placement, snap_to_land_m=snap_to_land_m))
        if harm_weights is not None:  # harm spots replace the count spots
            from hotspots.engine.harm import harm_analysis  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

            harm = harm_analysis(result, harm_weights, geography=data.study_geography)
            result = dataclasses.replace(result, hotspots=harm.hotspots, density=harm.harm_density)
            ordered.update(n_hotspots=len(harm.hotspots), n_perceived=0, harm=harm.parameters())
        write_geojson(result.hotspots, out, properties=ordered)
        if density_out is not None:
            from hotspots.export.raster import write_density_geotiff  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

            write_density_geotiff(result, density_out)
        if gpkg_out is not None:
            from hotspots.export.gpkg import write_hotspots_gpkg  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

            write_hotspots_gpkg(result.hotspots, gpkg_out, properties=ordered)
        n_crime = int((result.hotspots["kind"] == "crime").sum())
        n_perceived = len(result.hotspots) - n_crime
        extra = f" + {n_perceived} perceived" if n_perceived else ""
        kind = "harm hotspots" if harm_weights is not None else "hotspots"
        typer.echo(
            f"{n_crime} {kind}{extra} from {ordered['n_incidents']} incidents "
            f"({ordered['kernel']} {ordered['bandwidth_m']:g} m, {ordered['cell_m']:g} m cells, "
            f"{ordered['study_area_km2']:.1f} km2) -> {out}"
        )
