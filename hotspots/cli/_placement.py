"""Nothing dropped silently: the options and the one line of an analysis command.

An analysis keeps only incidents on the study area's land. The placing is the library's
(:func:`hotspots.engine.placement.place_selected`: the incidents the analysis would use, those
just off a shoreline moved onto land) and so is the list (:func:`hotspots.render.placement
.dropped_table`); here are the Typer options (``--snap-to-land-m``, ``--dropped FILE.csv``)
and :func:`place_incidents`, which says in one line on stderr how many are left out (outside
the study area, in water) and writes their list (Swedish Excel CSV).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from hotspots.core.errors import InputSchemaError

if TYPE_CHECKING:
    import pandas as pd

    from hotspots.cli._geo import AnalysisInput
    from hotspots.core.i18n import Lang
    from hotspots.spatial.placement import Placement

__all__ = [
    "DEFAULT_SNAP_TO_LAND_M",
    "DroppedOpt",
    "SnapToLandOpt",
    "check_dropped",
    "dropped_table",
    "place_incidents",
    "placement_counts",
]

#: Default largest move (metres) of an incident in water onto the nearest land (as
#: :data:`hotspots.spatial.placement.DEFAULT_SNAP_TO_LAND_M`, here without loading shapely).
DEFAULT_SNAP_TO_LAND_M = 25.0

SnapToLandOpt = Annotated[
    float,
    typer.Option(
        "--snap-to-land-m",
        min=0,
        help="Move incidents in water within this many metres of land onto it (0: none); "
        "the others in water or outside the study area are counted and left out.",
    ),
]
DroppedOpt = Annotated[
    Path | None,
    typer.Option(
        "--dropped",
        help="CSV listing the incidents left out of the analysis (outside the study area or "
        "in water), with the reason.",
    ),
]


def check_dropped(dropped: Path | None) -> None:
    """Raise :class:`InputSchemaError` unless ``--dropped`` is ``None`` or a ``.csv`` file."""
    if dropped is not None and dropped.suffix.lower() != ".csv":
        msg = f"--dropped: {dropped} must end in .csv"
        raise InputSchemaError(msg)


def dropped_table(placement: Placement, lang: Lang = "sv") -> pd.DataFrame:
    """The incidents left out, for reading (:func:`hotspots.render.placement.dropped_table`)."""
    from hotspots.render.placement import dropped_table as table  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    return table(placement, lang)


def placement_counts(placement: Placement, *, snap_to_land_m: float) -> dict[str, object]:
    """What a placement did, for an output's parameters (counts of incidents, metres).

    See :func:`hotspots.engine.placement.placement_counts`.
    """
    from hotspots.engine.placement import placement_counts as counts  # noqa: PLC0415 - as dropped_table

    return counts(placement, snap_to_land_m=snap_to_land_m)


def place_incidents(
    data: AnalysisInput,
    *,
    snap_to_land_m: float,
    dropped: Path | None = None,
    lang: Lang = "sv",
) -> tuple[AnalysisInput, Placement | None]:
    """``data`` with its incidents on the study area's land, and where each went.

    The incidents the analysis would select (its filters) are placed on the study
    geography's land; one line on stderr (beside the settings) counts those left out and
    those moved, and
    ``dropped`` (when given) lists the left-out ones. Without a study geography (data
    outside it: the data's extent is the study area) nothing is left out.

    Parameters
    ----------
    data
        The analysis input.
    snap_to_land_m
        Largest move of an incident in water onto land, metres (0: none).
    dropped
        CSV file for the list of left-out incidents (written even when it is empty).
    lang
        Language of the list (headers, categories, reasons).

    Returns
    -------
    tuple
        The input with the incidents kept (snapped ones moved), and the
        :class:`~hotspots.spatial.placement.Placement` (``None`` without a geography).

    Raises
    ------
    InputSchemaError
        When ``dropped`` is not a ``.csv`` file.
    """
    check_dropped(dropped)
    from hotspots.engine.placement import place_selected  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io.csv_safety import write_excel_csv  # noqa: PLC0415 - as place_selected

    placement = place_selected(
        data.incidents, data.config.filters, data.study_geography, snap_to_land_m=snap_to_land_m
    )
    if placement is None:  # no geography or nothing selected (the engine says why)
        if dropped is not None:
            typer.echo(f"no study geography: nothing left out; {dropped} not written", err=True)
        return data, None
    typer.echo(placement.summary(), err=True)  # beside the settings; stdout keeps the result
    if dropped is not None:
        dropped.parent.mkdir(parents=True, exist_ok=True)
        write_excel_csv(dropped_table(placement, lang), dropped, lang=lang)
        typer.echo(f"left out, listed: {dropped}", err=True)
    return dataclasses.replace(data, incidents=placement.kept), placement
