"""The geography an analysis command uses: user layers or the demo, and the study area."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hotspots.geography import STUDY_AREAS, check_study_area

if TYPE_CHECKING:
    import geopandas as gpd

    from hotspots.geography import Geography

__all__ = [
    "STUDY_AREAS",
    "GeographyOpt",
    "StudyAreaOpt",
    "analysis_geography",
    "base_geography",
    "geography_config",
]

StudyAreaOpt = Annotated[
    str,
    typer.Option(
        "--study-area",
        help="urban (land of the districts, default) or municipality (all its land).",
    ),
]
GeographyOpt = Annotated[
    Path | None,
    typer.Option(
        "--geography",
        help="TOML file replacing demo layers with official ones (default $HOTSPOTS_GEOGRAPHY).",
    ),
]


def geography_config(config: Path | None) -> Path | None:
    """The geography config file: ``--geography``, else ``HOTSPOTS_GEOGRAPHY``, else none."""
    if config is not None:
        return config
    env = os.environ.get("HOTSPOTS_GEOGRAPHY")
    return Path(env) if env else None


def base_geography(config: Path | None, *, metric_crs: str) -> Geography:
    """The user's layers when a config file is given (or set in the environment), else the demo."""
    from hotspots.geography import default_geography, load_geography  # noqa: PLC0415

    path = geography_config(config)
    if path is not None:
        return load_geography(config=path, metric_crs=metric_crs)
    return default_geography(metric_crs)


def analysis_geography(
    incidents: gpd.GeoDataFrame,
    *,
    metric_crs: str,
    config: Path | None,
    study_area: str,
) -> Geography | None:
    """The geography for an analysis of ``incidents``, cut to ``study_area``.

    With a config file (``--geography`` or ``HOTSPOTS_GEOGRAPHY``) its layers are used; else
    the demo geography when most incidents lie in Karlstad; else ``None`` (foreign data: the
    engine takes the data's extent as study area).
    """
    check_study_area(study_area)
    if geography_config(config) is not None:
        return base_geography(config, metric_crs=metric_crs).with_study_area(study_area)
    from hotspots.cli.detect_cmd import choose_geography  # noqa: PLC0415

    geography = choose_geography(incidents, metric_crs)
    return None if geography is None else geography.with_study_area(study_area)
