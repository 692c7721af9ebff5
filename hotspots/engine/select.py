"""Selection of incidents by category, period, hours and weekdays (pure, no I/O)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.config import Filters
from hotspots.schema import KDE_PRECISIONS, TIMEZONE
from hotspots.taxonomy import public_codes

__all__ = ["drop_restricted", "select_incidents"]


def drop_restricted(incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Remove restricted categories (they never reach a map, a density or an export)."""
    return incidents[incidents["category"].isin(public_codes())]


def select_incidents(
    incidents: gpd.GeoDataFrame,
    filters: Filters,
    *,
    for_density: bool = True,
) -> gpd.GeoDataFrame:
    """Apply ``filters`` to an incident frame.

    Restricted categories are always dropped. With ``for_density`` only precisions fine enough
    for a kernel density (exact, address, street) are kept.

    Parameters
    ----------
    incidents
        Incident frame (see :mod:`hotspots.schema`).
    filters
        The selection.
    for_density
        Keep only points precise enough to enter a density.

    Returns
    -------
    geopandas.GeoDataFrame
        The selected rows, same columns and CRS (``incidents`` itself when every row is
        selected: do not modify it in place).
    """
    public = public_codes()
    keep = np.array(incidents["category"].isin(public), dtype=bool)
    if filters.categories:
        keep &= np.asarray(incidents["category"].isin(filters.categories))
    if for_density and "precision" in incidents:
        prec = incidents["precision"].fillna("exact")
        keep &= np.asarray(prec.isin(KDE_PRECISIONS))
    t = incidents["occurred_at"]
    if filters.since is not None:
        keep &= np.asarray(t >= pd.Timestamp(filters.since, tz=TIMEZONE))
    if filters.until is not None:
        keep &= np.asarray(t < pd.Timestamp(filters.until, tz=TIMEZONE))
    if filters.hours is not None:
        keep &= np.asarray(t.dt.hour.isin(filters.hours.hours()))
    if filters.weekdays is not None:
        keep &= np.asarray(t.dt.weekday.isin(filters.weekdays))
    return incidents if keep.all() else incidents[keep]
