"""What an analysis command works on: incidents, survey, user or demo geography, study area."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hotspots.core.errors import InputSchemaError
from hotspots.load.settings import analysis_geography, base_geography, geography_config
from hotspots.store import StoreRef, open_store

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from hotspots.core.config import AnalysisConfig
    from hotspots.spatial.geography import Geography

__all__ = [
    "AnalysisInput",
    "GeographyOpt",
    "StudyAreaOpt",
    "analysis_geography",
    "base_geography",
    "echo_tuning",
    "geography_config",
    "load_analysis_input",
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
        help="A geography GeoPackage (hotspots geography build) or a TOML file replacing demo "
        "layers with official ones (default $HOTSPOTS_GEOGRAPHY).",
    ),
]


@dataclass(frozen=True)
class AnalysisInput:
    """What an analysis command works on, loaded once.

    Attributes
    ----------
    incidents
        The incidents in the working (metric) CRS: an incident frame, or a point incident
        frame when loaded with ``analysis_only``.
    geography
        The whole geography (every road and place), or ``None`` for data outside it.
    study_geography
        ``geography`` with its land cut to the study area; what the density is computed on.
    survey
        Survey marks (a ``--survey`` file, or the store's when reading the store), or ``None``.
    config
        The analysis configuration with the working CRS filled in.
    """

    incidents: pd.DataFrame
    geography: Geography | None
    study_geography: Geography | None
    survey: gpd.GeoDataFrame | None
    config: AnalysisConfig


def load_analysis_input(
    input_path: Path | None,
    *,
    db: StoreRef,
    fmt: str,
    crs: str | None,
    config: AnalysisConfig,
    geography_config: Path | None,
    study_area: str,
    survey_path: Path | None = None,
    analysis_only: bool = False,
    meanwhile: Callable[[], object] | None = None,
) -> AnalysisInput:
    """Load incidents (a file, or the store when ``input_path`` is None), geography and survey.

    With ``analysis_only`` a file's incidents are read as a point incident frame, for a
    command that only analyses them (see :func:`hotspots.load.sources.load_incidents`);
    ``meanwhile`` is other work for this process while they are read.

    Raises
    ------
    InputSchemaError
        For a missing input file or an unknown study area, before anything is read.
    """
    from hotspots.load.sources import load_incidents, load_survey  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.spatial.crs import to_metric  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.spatial.geography import check_study_area  # noqa: PLC0415 (loads geopandas)
    from hotspots.spatial.points import frame_crs  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    check_study_area(study_area)
    if input_path is not None and not input_path.exists():
        msg = f"{input_path}: no such file; give an incident file or omit it to use the store"
        raise InputSchemaError(msg)
    loaded = load_incidents(
        input_path, db=db, fmt=fmt, crs=crs, analysis_only=analysis_only, meanwhile=meanwhile
    )
    incidents = to_metric(loaded, config.metric_crs)
    work_crs = frame_crs(incidents).to_string()
    geography = analysis_geography(
        incidents, metric_crs=work_crs, config=geography_config, study_area="municipality"
    )
    marks = None
    if survey_path is not None:
        marks = load_survey(survey_path, db=db, crs=crs)
    elif input_path is None and open_store(db).exists():
        marks = load_survey(None, db=db)
    return AnalysisInput(
        incidents=incidents,
        geography=geography,
        study_geography=None if geography is None else geography.with_study_area(study_area),
        survey=marks if marks is not None and len(marks) else None,
        config=config.replace(metric_crs=work_crs),
    )


def echo_tuning(parameters: dict[str, object]) -> None:
    """Say on stderr what ``--bandwidth-m auto`` / ``--method auto`` picked, and why."""
    tuning = parameters.get("tuning")
    if isinstance(tuning, dict) and "label" in tuning:
        from hotspots.forecast.tuning import summarize  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

        typer.echo(summarize(tuning, "sv"), err=True)
