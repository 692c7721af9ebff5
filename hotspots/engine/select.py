"""Selection of incidents by category, period, hours, weekdays and origin (pure, no I/O).

Origin (see :mod:`hotspots.core.taxonomy`): *reactive* incidents are reported by the public,
*proactive* ones are found by police activity (drug possession, drink-driving found in checks,
weapons found in searches, ...). Proactive incidents are recorded where the police already
are, so a patrol plan ranked on them sends patrols back where patrols were, finds more there
and feeds on itself. :func:`select_reactive` is the enforcement-bias safeguard the planner
applies by default; :func:`split_by_origin` gives the proactive picture to show beside it.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.core.config import Filters, HourWindow
from hotspots.core.schema import KDE_PRECISIONS, TIMEZONE
from hotspots.core.taxonomy import codes_of_origin, public_codes

__all__ = [
    "drop_restricted",
    "night_weekday",
    "select_incidents",
    "select_origin",
    "select_reactive",
    "split_by_origin",
]


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
        Incident frame (see :mod:`hotspots.core.schema`).
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
        keep &= np.asarray(night_weekday(t, filters.hours).isin(filters.weekdays))
    return incidents if keep.all() else incidents[keep]


def night_weekday(times: pd.Series, hours: HourWindow | None) -> pd.Series:
    """The weekday (Monday = 0) each time counts to: a night counts to the day it starts.

    With an hour window that wraps midnight (``22-04``), the hours after midnight belong to
    the evening before: Friday-Saturday 22-04 is Friday 22:00 to Saturday 04:00 and Saturday
    22:00 to Sunday 04:00, as a patrol planner means it (and as the planner schedules it).
    Otherwise the calendar day.
    """
    day = times.dt.weekday
    if hours is None or not 0 < hours.end < hours.start:
        return day
    early = np.asarray(times.dt.hour < hours.end)
    return day.where(~early, (day - 1) % 7)


def select_origin(incidents: pd.DataFrame, origin: str) -> pd.DataFrame:
    """The incidents of public categories of one origin, ``reactive`` or ``proactive``.

    Parameters
    ----------
    incidents
        Incident frame or point incident frame (see :mod:`hotspots.core.schema`).
    origin
        ``"reactive"`` (reported by the public) or ``"proactive"`` (found by police activity).

    Returns
    -------
    pandas.DataFrame
        The selected rows, same columns (and CRS); restricted categories are always dropped.

    Raises
    ------
    InputSchemaError
        For an unknown ``origin``.
    """
    return incidents[np.asarray(incidents["category"].isin(codes_of_origin(origin)), dtype=bool)]


def select_reactive(incidents: pd.DataFrame) -> pd.DataFrame:
    """The incidents reported by the public only: the planner's default selection.

    Ranking patrol places on incidents the police find themselves (drug possession,
    drink-driving found in checks, weapons found in searches) sends patrols back where they
    already were; ranking on what the public reports does not feed back on itself. Show
    the proactive picture beside it (:func:`split_by_origin`), not mixed into it.

    Parameters
    ----------
    incidents
        Incident frame or point incident frame.

    Returns
    -------
    pandas.DataFrame
        Rows of reactive, public categories (restricted ones always dropped).
    """
    return select_origin(incidents, "reactive")


def split_by_origin(incidents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(reactive, proactive)`` incidents of public categories (restricted ones dropped)."""
    return select_origin(incidents, "reactive"), select_origin(incidents, "proactive")
