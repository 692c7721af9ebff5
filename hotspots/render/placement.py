"""The list of incidents left out of an analysis, for reading and for Excel, by profile.

:func:`dropped_table` turns a :class:`~hotspots.spatial.placement.Placement`'s left-out
incidents into a table a person reads (time, category and reason in words, metres rounded);
:func:`dropped_csv` makes it a Swedish Excel CSV file (:mod:`hotspots.io.csv_safety`). The
CLI writes it (``--dropped FILE.csv``) and the app offers it on the map page.

Privacy: the list holds ids, times and coordinates of single incidents, so only the
``internal`` and ``planning`` profiles get it (the planning profile sees the same incident
points on its map); it never holds a description, and never a restricted category (they are
not selected for an analysis, and are removed here again); ``public`` gets the counts only
(:class:`hotspots.engine.placement.PlacementCounts`), and asking for the list raises.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import Lang, t
from hotspots.core.taxonomy import restricted_mask
from hotspots.io.csv_safety import excel_csv_bytes
from hotspots.render import labels
from hotspots.render.privacy import check_profile
from hotspots.spatial.placement import IN_WATER, Placement
from hotspots.spatial.points import point_xy

__all__ = ["DROPPED_COLUMNS", "dropped_csv", "dropped_table"]

#: Columns of the list of left-out incidents, in order (those the incidents have). No
#: description: the list is about where an incident lies.
DROPPED_COLUMNS: tuple[str, ...] = (
    "id",
    "occurred_at",
    "category",
    "precision",
    "x",
    "y",
    "reason",
    "distance_to_land_m",
)


def dropped_table(
    placement: Placement, lang: Lang = "sv", *, profile: str = "internal"
) -> pd.DataFrame:
    """The incidents left out, for reading: categories and reasons in words, metres rounded.

    Parameters
    ----------
    placement
        Where the analysis's incidents lie (:func:`hotspots.engine.placement.place_selected`).
    lang
        Language of the categories and reasons.
    profile
        ``internal`` or ``planning``; the list has the same columns for both (no
        description).

    Returns
    -------
    pandas.DataFrame
        Columns of :data:`DROPPED_COLUMNS` the incidents have (``x``/``y`` in the metric CRS,
        0.1 m; ``occurred_at`` as ``YYYY-MM-DD HH:MM`` local time), one row per incident left
        out, restricted categories never.

    Raises
    ------
    InputSchemaError
        For the ``public`` profile (it gets the counts only) or an unknown profile.
    """
    prof = check_profile(profile)
    if prof == "public":
        msg = "the public profile gets the counts of the incidents left out, not their list"
        raise InputSchemaError(msg)
    dropped = placement.dropped
    if len(dropped):
        restricted = restricted_mask(dropped["category"])
        dropped = dropped[~restricted]
    x, y = point_xy(dropped) if len(dropped) else (np.zeros(0), np.zeros(0))
    table = dropped.drop(columns=["geometry", "x", "y"], errors="ignore").assign(
        x=np.round(x, 1), y=np.round(y, 1)
    )
    table["category"] = [labels.category(c, lang) for c in table["category"].tolist()]
    if "precision" in table:
        table["precision"] = [labels.precision(p, lang) for p in table["precision"].tolist()]
    if "occurred_at" in table:
        table["occurred_at"] = table["occurred_at"].dt.strftime("%Y-%m-%d %H:%M")
    water = t("dropped_in_water", lang)
    outside = t("dropped_outside", lang)
    table["reason"] = np.where(table["reason"].to_numpy() == IN_WATER, water, outside)
    return table[[c for c in DROPPED_COLUMNS if c in table.columns]].reset_index(drop=True)


def dropped_csv(placement: Placement, lang: Lang = "sv", *, profile: str = "internal") -> bytes:
    """:func:`dropped_table` as a CSV file for Excel in ``lang`` (headers in ``lang``).

    Raises
    ------
    InputSchemaError
        For the ``public`` profile, as :func:`dropped_table`.
    """
    return excel_csv_bytes(dropped_table(placement, lang, profile=profile), lang=lang)
