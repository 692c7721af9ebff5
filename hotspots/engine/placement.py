"""Nothing dropped silently, for an analysis: its incidents placed on the study area's land.

An analysis keeps only incidents on the study area's land. :func:`place_selected` takes the
incidents an analysis would use (its filters applied, restricted categories and coarse
locations out, as :func:`hotspots.engine.select.select_incidents` does) and places them on
the land (:func:`hotspots.spatial.placement.place_on_land`): points just off a shore are
moved onto it, the rest off the land are left out with a reason. :class:`PlacementCounts`
says what that did in counts only (no incident, no place), for an output's parameters, the
app's banner and the lägesbild's note (:func:`left_out_text`). The CLI (``detect``,
``snapshot``), the app and the lägesbild all place their incidents through here, so each
leaves out the same incidents and says so.

Pure: frames in, frames and frozen dataclasses out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from hotspots.core.i18n import Lang, t
from hotspots.core.numbers import number_text
from hotspots.engine.select import select_incidents
from hotspots.spatial.placement import DEFAULT_SNAP_TO_LAND_M, IN_WATER, Placement, place_on_land

if TYPE_CHECKING:
    from hotspots.core.config import Filters
    from hotspots.spatial.geography import Geography

__all__ = [
    "DEFAULT_SNAP_TO_LAND_M",
    "PlacementCounts",
    "left_out_text",
    "moved_text",
    "place_selected",
    "placement_counts",
]


@dataclass(frozen=True, slots=True)
class PlacementCounts:
    """What placing an analysis's incidents on land did, in counts (nothing else).

    Attributes
    ----------
    n_outside
        Incidents left out because they lie outside the study area.
    n_in_water
        Incidents left out because they lie in water farther than ``snap_to_land_m`` from
        land.
    n_moved
        Incidents in water within ``snap_to_land_m`` of land, moved onto it and kept.
    snap_to_land_m
        Largest move onto land, metres.
    study_area
        What the land covers: ``urban`` (the districts) or ``municipality``.
    """

    n_outside: int
    n_in_water: int
    n_moved: int
    snap_to_land_m: float
    study_area: str

    @property
    def n_left_out(self) -> int:
        """Incidents left out of the analysis (outside the study area or in water)."""
        return self.n_outside + self.n_in_water

    @classmethod
    def of(
        cls,
        placement: Placement,
        *,
        snap_to_land_m: float,
        study_area: str,
        since: pd.Timestamp | None = None,
        until: pd.Timestamp | None = None,
    ) -> PlacementCounts:
        """The counts of ``placement``; of the incidents in ``[since, until)`` when given.

        Parameters
        ----------
        placement
            What :func:`place_selected` returned.
        snap_to_land_m
            The largest move it used, metres.
        study_area
            ``urban`` or ``municipality`` (the geography's ``study_area``).
        since, until
            Count only incidents whose ``occurred_at`` lies in ``[since, until)`` (e.g. a
            report's period within the hotspot window); ``None``: no bound.
        """
        dropped = placement.dropped
        in_time = _in_time(dropped, since, until)
        water = np.asarray(dropped["reason"] == IN_WATER, dtype=bool) & in_time
        kept = placement.kept
        moved = kept[np.asarray(kept.index.isin(placement.snapped.index), dtype=bool)]
        return cls(
            n_outside=int((in_time & ~water).sum()),
            n_in_water=int(water.sum()),
            n_moved=int(_in_time(moved, since, until).sum()),
            snap_to_land_m=float(snap_to_land_m),
            study_area=str(study_area),
        )

    def parameters(self) -> dict[str, object]:
        """The counts for an output's parameters (e.g. a GeoJSON's properties)."""
        return {
            "n_left_out": self.n_left_out,
            "n_outside_study_area": self.n_outside,
            "n_in_water": self.n_in_water,
            "n_moved_onto_land": self.n_moved,
            "snap_to_land_m": self.snap_to_land_m,
        }


def _in_time(
    frame: pd.DataFrame, since: pd.Timestamp | None, until: pd.Timestamp | None
) -> np.ndarray:
    """Rows of ``frame`` whose ``occurred_at`` lies in ``[since, until)`` (all without bounds)."""
    keep = np.ones(len(frame), dtype=bool)
    if since is None and until is None:
        return keep
    times = frame["occurred_at"]
    if since is not None:
        keep &= np.asarray(times >= since, dtype=bool)
    if until is not None:
        keep &= np.asarray(times < until, dtype=bool)
    return keep


def place_selected(
    incidents: pd.DataFrame,
    filters: Filters,
    geography: Geography | None,
    *,
    snap_to_land_m: float = DEFAULT_SNAP_TO_LAND_M,
) -> Placement | None:
    """The incidents an analysis under ``filters`` uses, placed on ``geography``'s land.

    Parameters
    ----------
    incidents
        Incident frame (see :mod:`hotspots.core.schema`), every category.
    filters
        The analysis's selection; restricted categories and locations too coarse for a
        density are always left out first (they are not the analysis's and are not counted).
    geography
        The study geography (its ``land`` the study area); ``None``: the data's extent is
        the study area and nothing is placed.
    snap_to_land_m
        Largest move of an incident in water onto land, metres (0: none).

    Returns
    -------
    Placement or None
        The kept incidents (snapped ones moved), the left-out ones with their reason and the
        moves; ``None`` without a geography or when nothing is selected (the analysis then
        says why).

    Raises
    ------
    InputSchemaError
        When ``snap_to_land_m`` is negative or not finite.
    """
    selected = select_incidents(incidents, filters)
    if geography is None or not len(selected):
        return None
    return place_on_land(selected, geography, snap_to_land_m=snap_to_land_m)


def placement_counts(placement: Placement, *, snap_to_land_m: float) -> dict[str, object]:
    """What a placement did, for an output's parameters (counts of incidents, metres)."""
    counts = PlacementCounts.of(placement, snap_to_land_m=snap_to_land_m, study_area="")
    return counts.parameters()


def left_out_text(counts: PlacementCounts, lang: Lang = "sv", *, period: bool = False) -> str:
    """One sentence: how many incidents are left out of the analysis, and why.

    Parameters
    ----------
    counts
        The counts (:meth:`PlacementCounts.of`).
    lang
        ``sv`` or ``en``.
    period
        Say "of the period's incidents" (a report) rather than "incidents" (a map).

    Returns
    -------
    str
        E.g. ``12 händelser ligger utanför studieområdet eller i vatten och ingår inte i
        analysen: 9 utanför studieområdet (stadsdelarnas land) och 3 i vatten.``; empty when
        none is left out.
    """
    n = counts.n_left_out
    if not n:
        return ""
    key = "placement_period_left_out" if period else "placement_left_out"
    if n == 1 and not period:
        key = "placement_left_out_one"
    code = counts.study_area
    area = t(f"placement_area_{code}", lang) if code in ("urban", "municipality") else code
    return t(
        key,
        lang,
        n=number_text(n, lang),
        outside=number_text(counts.n_outside, lang),
        water=number_text(counts.n_in_water, lang),
        area=area,
    )


def moved_text(counts: PlacementCounts, lang: Lang = "sv") -> str:
    """One sentence: how many incidents just off a shore were moved onto land (or empty)."""
    if not counts.n_moved:
        return ""
    metres = f"{counts.snap_to_land_m:g}".replace(".", "," if lang == "sv" else ".")
    return t("placement_moved", lang, n=number_text(counts.n_moved, lang), metres=metres)
