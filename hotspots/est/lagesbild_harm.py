"""Harm in the lägesbild: harm hotspots beside the count hotspots, overlap and concentration.

With harm weights (``hotspots report --weights harm|FILE``) the lägesbild weighs each incident
of its hotspot window by the harm of its offence (:mod:`hotspots.engine.harm`) on the hotspot
map's grid, kernel, bandwidth and coverage, and :func:`harm_picture` gathers what the report
shows: the harm spots ranked by harm (with how much of each is also a count spot), the overlap
of harm spots with count spots (the share of harm-spot cells that are count-spot cells), and
the concentration curves of harm and of incidents over the study area.

Privacy: restricted categories never enter (the count analysis has dropped them, and only the
public codes' weights are shown); in the public profile the harm and the count of a harm spot
of fewer than :data:`MIN_PUBLIC_COUNT` incidents are suppressed (``None``), as every count is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from hotspots.engine.harm import (
    ConcentrationCurve,
    HarmResult,
    HarmWeights,
    SpotOverlap,
    as_harm_result,
    harm_analysis,
)
from hotspots.est.lagesbild_tables import MIN_PUBLIC_COUNT

if TYPE_CHECKING:
    import geopandas as gpd

    from hotspots.engine.analysis import HotspotResult
    from hotspots.spatial.geography import Geography

__all__ = [
    "HARM_SPOT_COLUMNS",
    "REPORT_SHARES",
    "HarmPicture",
    "concentration_rows",
    "harm_picture",
    "harm_spot_table",
]

Privacy = Literal["internal", "public"]

#: Area shares of the report's concentration table (0.1 % to 10 %: harm and crime gather in
#: a few per cent of the area, so the finer shares tell the curves apart).
REPORT_SHARES: tuple[float, ...] = (0.001, 0.005, 0.01, 0.02, 0.05, 0.10)
#: Columns of :attr:`HarmPicture.spots`.
HARM_SPOT_COLUMNS: tuple[str, ...] = ("rank", "district", "harm", "incidents", "in_count_spots")


@dataclass(frozen=True, eq=False)
class HarmPicture:
    """What the lägesbild shows of harm.

    Attributes
    ----------
    weights
        The weights used (:meth:`hotspots.engine.harm_weights.HarmWeights.describe`: name,
        file, date, unit and the public codes' weights).
    view
        The hotspot analysis with the harm density and harm hotspots in place of the count
        ones (:func:`hotspots.engine.harm.as_harm_result`), for the harm map; not privacy
        filtered: maps draw it through :func:`hotspots.render.privacy.apply_privacy`.
    count_hotspots
        The count hotspots (crime kind) the harm spots are compared with, metric CRS.
    overlap
        Cells of harm spots and count spots, and how far they are the same.
    harm_curve, count_curve
        Concentration curves of harm and of incidents over the study cells.
    spots
        The top harm spots, most harm first: :data:`HARM_SPOT_COLUMNS` (``harm`` and
        ``incidents`` ``None`` when suppressed; ``in_count_spots`` the share of the spot's
        cells that are count-spot cells, 0-1).
    """

    weights: dict[str, Any]
    view: Any
    count_hotspots: gpd.GeoDataFrame
    overlap: SpotOverlap
    harm_curve: ConcentrationCurve
    count_curve: ConcentrationCurve
    spots: pd.DataFrame


def concentration_rows(
    harm_curve: ConcentrationCurve,
    count_curve: ConcentrationCurve,
    shares: Sequence[float] = REPORT_SHARES,
) -> list[tuple[float, float, float]]:
    """``(area share, share of harm, share of incidents)`` in the densest cells, per share.

    Parameters
    ----------
    harm_curve, count_curve
        :func:`hotspots.engine.harm.concentration_curve` of harm and of incidents.
    shares
        Shares of the study area (0-1).
    """
    return [(s, harm_curve.share_in(s), count_curve.share_in(s)) for s in shares]


def harm_spot_table(
    harm: HarmResult,
    *,
    privacy: Privacy,
    top_n: int,
) -> pd.DataFrame:
    """The top ``top_n`` harm spots (:data:`HARM_SPOT_COLUMNS`), most harm first.

    ``in_count_spots`` is the share of the spot's cells that are also count-spot cells.
    In the public profile a spot of fewer than :data:`MIN_PUBLIC_COUNT` incidents has its
    harm and its count suppressed (``None``).
    """
    rows = []
    for _, spot in harm.hotspots.sort_values("rank").head(top_n).iterrows():
        rank = int(spot["rank"])
        cells = harm.labels == rank
        n_cells = int(cells.sum())
        shared = float((cells & harm.count_cells).sum()) / n_cells if n_cells else 0.0
        n = int(spot["n_incidents"])
        hidden = privacy == "public" and n < MIN_PUBLIC_COUNT
        district = spot.get("district")
        rows.append(
            {
                "rank": rank,
                "district": str(district) if isinstance(district, str) and district else "",
                "harm": None if hidden else float(spot["incidents"]),
                "incidents": None if hidden else n,
                "in_count_spots": shared,
            }
        )
    return pd.DataFrame(rows, columns=list(HARM_SPOT_COLUMNS))


def harm_picture(
    result: HotspotResult,
    weights: HarmWeights,
    *,
    geography: Geography | None,
    privacy: Privacy,
    top_n: int = 5,
) -> HarmPicture:
    """Harm spots, overlap and concentration of the lägesbild's hotspot analysis.

    Parameters
    ----------
    result
        The lägesbild's count analysis over its hotspot window.
    weights
        The harm weights.
    geography
        For the harm spots' districts (or ``None``).
    privacy
        ``"internal"`` or ``"public"``.
    top_n
        Number of harm spots in :attr:`HarmPicture.spots`.

    Returns
    -------
    HarmPicture
    """
    harm = harm_analysis(result, weights, geography=geography)
    crime = result.hotspots
    if "kind" in crime:
        crime = crime[np.asarray(crime["kind"].astype(str) == "crime", dtype=bool)]
    return HarmPicture(
        weights=weights.describe(),
        view=as_harm_result(result, harm),
        count_hotspots=crime,
        overlap=harm.overlap,
        harm_curve=harm.harm_curve,
        count_curve=harm.count_curve,
        spots=harm_spot_table(harm, privacy=privacy, top_n=top_n),
    )
