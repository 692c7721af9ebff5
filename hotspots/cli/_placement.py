"""Nothing dropped silently: the incidents of an analysis command put on the study area's land.

An analysis keeps only incidents on the study area's land (:mod:`hotspots.spatial.placement`).
:func:`place_incidents` takes the incidents an analysis would use (its filters applied,
restricted categories and coarse locations out, as :func:`hotspots.engine.select
.select_incidents` does), moves those just off a shoreline onto land (``--snap-to-land-m``),
says in one line how many are left out (outside the study area, in water) and writes their
list (``--dropped FILE.csv``, Swedish Excel CSV).
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

#: Columns of the list of left-out incidents, in order (those the incidents have).
_DROPPED_COLUMNS: tuple[str, ...] = (
    "id",
    "occurred_at",
    "category",
    "precision",
    "x",
    "y",
    "reason",
    "distance_to_land_m",
)


def check_dropped(dropped: Path | None) -> None:
    """Raise :class:`InputSchemaError` unless ``--dropped`` is ``None`` or a ``.csv`` file."""
    if dropped is not None and dropped.suffix.lower() != ".csv":
        msg = f"--dropped: {dropped} must end in .csv"
        raise InputSchemaError(msg)


def dropped_table(placement: Placement, lang: Lang = "sv") -> pd.DataFrame:
    """The incidents left out, for reading: categories and reasons in words, metres rounded.

    No description is listed (the list is about where an incident lies).
    """
    import numpy as np  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast

    from hotspots.core.i18n import t  # noqa: PLC0415 - as NumPy
    from hotspots.render import labels  # noqa: PLC0415 - as NumPy
    from hotspots.spatial.placement import IN_WATER  # noqa: PLC0415 - as NumPy
    from hotspots.spatial.points import point_xy  # noqa: PLC0415 - as NumPy

    dropped = placement.dropped
    x, y = point_xy(dropped) if len(dropped) else (np.zeros(0), np.zeros(0))
    table = dropped.drop(columns=["geometry", "x", "y"], errors="ignore").assign(
        x=np.round(x, 1), y=np.round(y, 1)
    )
    table["category"] = [labels.category(c, lang) for c in table["category"].tolist()]
    if "occurred_at" in table:
        table["occurred_at"] = table["occurred_at"].dt.strftime("%Y-%m-%d %H:%M")
    water = t("dropped_in_water", lang)
    outside = t("dropped_outside", lang)
    table["reason"] = np.where(table["reason"].to_numpy() == IN_WATER, water, outside)
    return table[[c for c in _DROPPED_COLUMNS if c in table.columns]].reset_index(drop=True)


def placement_counts(placement: Placement, *, snap_to_land_m: float) -> dict[str, object]:
    """What a placement did, for an output's parameters (counts of incidents, metres)."""
    return {
        "n_left_out": len(placement.dropped),
        "n_outside_study_area": placement.n_outside,
        "n_in_water": placement.n_in_water,
        "n_moved_onto_land": placement.n_snapped,
        "snap_to_land_m": float(snap_to_land_m),
    }


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
    from hotspots.engine.select import select_incidents  # noqa: PLC0415 - loaded when used, so --help and the first page stay fast
    from hotspots.io.csv_safety import write_excel_csv  # noqa: PLC0415 - as select_incidents
    from hotspots.spatial.placement import place_on_land  # noqa: PLC0415 - as select_incidents

    geography = data.study_geography
    selected = select_incidents(data.incidents, data.config.filters)
    if geography is None or not len(selected):  # nothing to place (the engine says why)
        if dropped is not None:
            typer.echo(f"no study geography: nothing left out; {dropped} not written", err=True)
        return data, None
    placement = place_on_land(selected, geography, snap_to_land_m=snap_to_land_m)
    typer.echo(placement.summary(), err=True)  # beside the settings; stdout keeps the result
    if dropped is not None:
        dropped.parent.mkdir(parents=True, exist_ok=True)
        write_excel_csv(dropped_table(placement, lang), dropped, lang=lang)
        typer.echo(f"left out, listed: {dropped}", err=True)
    return dataclasses.replace(data, incidents=placement.kept), placement
