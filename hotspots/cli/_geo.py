"""The geography an analysis command uses: user layers or the demo, and the study area."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hotspots._errors import InputSchemaError

if TYPE_CHECKING:
    import geopandas as gpd

    from hotspots.geography import Geography

__all__ = ["STUDY_AREAS", "GeographyOpt", "StudyAreaOpt", "analysis_geography", "with_study_area"]

#: ``urban``: the land of the districts (the town, where patrols walk); ``municipality``: all
#: land of the municipality.
STUDY_AREAS: tuple[str, ...] = ("urban", "municipality")

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


def with_study_area(geography: Geography, study_area: str) -> Geography:
    """Return ``geography`` with its ``land`` cut to the chosen study area.

    ``urban`` keeps the land of the districts, so that coverage shares and PAI refer to the
    town rather than to a municipality that is mostly forest and lake (5 % of Karlstad's
    1,380 km² of land is larger than the whole town). Without districts the land is kept.
    """
    if study_area not in STUDY_AREAS:
        msg = f"--study-area: {study_area!r} is not one of {', '.join(STUDY_AREAS)}"
        raise InputSchemaError(msg)
    if study_area == "municipality" or len(geography.districts) == 0:
        return geography
    urban = geography.urban
    if urban.is_empty:
        return geography
    return dataclasses.replace(geography, land=urban)


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
    if study_area not in STUDY_AREAS:
        msg = f"--study-area: {study_area!r} is not one of {', '.join(STUDY_AREAS)}"
        raise InputSchemaError(msg)
    if config is None and os.environ.get("HOTSPOTS_GEOGRAPHY"):
        config = Path(os.environ["HOTSPOTS_GEOGRAPHY"])
    if config is not None:
        from hotspots.geography import load_geography  # noqa: PLC0415

        geography: Geography | None = load_geography(config=config, metric_crs=metric_crs)
    else:
        from hotspots.cli.detect_cmd import choose_geography  # noqa: PLC0415

        geography = choose_geography(incidents, metric_crs)
    return None if geography is None else with_study_area(geography, study_area)
