"""Zones of raised risk ("Förhöjd risk") in force at a moment, for a map layer.

The Knox test per category (:func:`hotspots.engine.nearrepeat.knox_by_category`) on the
incidents of the ``history_days`` before ``as_of``, and the alert zones
(:func:`hotspots.engine.nearrepeat.alert_zones`) of the categories with a significant
near-repeat extent that are still in force at ``as_of``: a circle of the category's distance
around each incident of its last days. The same test and seed as the lägesbild's section
(:mod:`hotspots.est.lagesbild_nearrepeat`), so a map and a report of the same data agree.

Privacy is not applied here: :mod:`hotspots.render.risk_zones` turns :class:`RecentZones`
into what a profile may see. Restricted categories never take part (the Knox test leaves
them out).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.core.config import TIMEZONE, Filters
from hotspots.engine.nearrepeat import (
    DEFAULT_ALPHA,
    DEFAULT_DAY_BANDS,
    DEFAULT_DISTANCE_BANDS_M,
    DEFAULT_MIN_RATIO,
    NearRepeatExtent,
    alert_zones,
    knox_by_category,
)
from hotspots.engine.select import select_incidents

__all__ = [
    "HISTORY_DAYS",
    "PERMUTATIONS",
    "SEED",
    "RecentZones",
    "recent_zones",
    "zone_filters",
    "zones_for_filters",
]

#: Days of incidents before ``as_of`` that the Knox test looks at (as the lägesbild).
HISTORY_DAYS = 365
#: Monte Carlo permutations of the Knox test (p-values down to 0.005).
PERMUTATIONS = 199
#: Seed of the permutations: the same data give the same zones.
SEED = 0


@dataclass(frozen=True, eq=False)
class RecentZones:
    """The zones of raised risk in force at one moment, before any privacy profile.

    Attributes
    ----------
    zones
        The zones in force at ``as_of`` (:data:`hotspots.engine.nearrepeat.ZONE_COLUMNS`:
        category, labels, the incident's time, valid until, distance, days, Knox ratio, p),
        circles in the incidents' metric CRS, newest first.
    extents
        Category code -> its near-repeat extent, for every category with a significant one
        (also those without a zone in force).
    as_of
        The moment the zones are looked at (tz-aware), or ``None`` without incidents.
    parameters
        ``history_days``, ``permutations``, ``seed``, ``alpha``, ``min_ratio``, the bands,
        ``n_tested`` (categories with enough incidents for the test).
    """

    zones: gpd.GeoDataFrame
    extents: dict[str, NearRepeatExtent]
    as_of: pd.Timestamp | None
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def n_zones(self) -> int:
        """Number of zones in force."""
        return len(self.zones)


def recent_zones(
    incidents: pd.DataFrame,
    *,
    as_of: pd.Timestamp | None = None,
    history_days: int = HISTORY_DAYS,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> RecentZones:
    """The Knox test over the ``history_days`` before ``as_of`` and the zones then in force.

    Parameters
    ----------
    incidents
        Incident frame in a projected metric CRS (restricted categories never take part;
        only precise places and times do, see :mod:`hotspots.engine.nearrepeat`).
    as_of
        The moment (tz-aware); default just after the last incident.
    history_days
        Days of incidents before ``as_of`` that the test uses.
    permutations, seed
        Monte Carlo permutations of the Knox test and their seed.

    Returns
    -------
    RecentZones

    Raises
    ------
    hotspots.core.errors.InputSchemaError
        When the incidents are not in a projected metric CRS.
    """
    at = incidents["occurred_at"]
    if as_of is None:
        last = at.max() if len(incidents) else None
        as_of = None if last is None or pd.isna(last) else last + pd.Timedelta(seconds=1)
    if as_of is None:
        window = incidents.iloc[:0]
    else:
        start = as_of - pd.Timedelta(days=history_days)
        window = incidents[np.asarray((at >= start) & (at < as_of), dtype=bool)]
    analysis = knox_by_category(window, permutations=permutations, rng=np.random.default_rng(seed))
    extents = analysis.extents(alpha=DEFAULT_ALPHA, min_ratio=DEFAULT_MIN_RATIO)
    zones = alert_zones(
        window, analysis, as_of=as_of, alpha=DEFAULT_ALPHA, min_ratio=DEFAULT_MIN_RATIO
    )
    if len(zones):
        zones = zones[np.asarray(zones["active"], dtype=bool)].reset_index(drop=True)
    parameters = {
        "history_days": history_days,
        "permutations": permutations,
        "seed": seed,
        "alpha": DEFAULT_ALPHA,
        "min_ratio": DEFAULT_MIN_RATIO,
        "distance_bands_m": list(DEFAULT_DISTANCE_BANDS_M),
        "day_bands": list(DEFAULT_DAY_BANDS),
        "n_tested": len(analysis.tables),
    }
    return RecentZones(zones=zones, extents=extents, as_of=as_of, parameters=parameters)


def zone_filters(filters: Filters) -> Filters:
    """The part of an analysis' filters that the zones of raised risk follow.

    A near repeat is about place and recency: the categories and the end of the period
    choose the zones, not the hours, weekdays or start asked for (a night-only map shows
    the zones in force, made from every hour's incidents). Callers that cache zones key
    them on this, so the app and ``snapshot`` draw the same zones for the same filters.
    """
    return Filters(categories=filters.categories, until=filters.until)


def zones_for_filters(incidents: pd.DataFrame, filters: Filters) -> RecentZones:
    """The zones of raised risk for an analysis' filters (the app's map, ``snapshot``).

    The filters' categories choose the incidents (restricted categories never; hours,
    weekdays and the period's start do not, see :func:`zone_filters`); the Knox test looks
    at the year before the end of the filters' period (default: just after the last
    incident), so a short period still has a year of history; the zones are those in force
    at that end.

    Parameters
    ----------
    incidents
        Incident frame in a projected metric CRS.
    filters
        The analysis' :class:`~hotspots.core.config.Filters`.

    Returns
    -------
    RecentZones
    """
    chosen = select_incidents(incidents, zone_filters(filters), for_density=False)
    as_of = pd.Timestamp(filters.until, tz=TIMEZONE) if filters.until is not None else None
    return recent_zones(chosen, as_of=as_of)
