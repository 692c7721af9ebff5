"""Raised risk after recent incidents ("Förhöjd risk") for the lägesbild.

:func:`near_repeat_picture` runs the Knox test per category (:mod:`hotspots.engine.nearrepeat`)
on the year of incidents that ends with the report period, and keeps only the categories
whose near-repeat extent is significant. For those it lists the alert zones in force at the
period's end: a circle of the category's distance around each incident of the last days, for
as many days as the Knox result says.

Privacy: restricted categories are never tested (an alert zone would locate one incident).
``internal`` lists each zone by district and nearest named place, with its dates and radius
(no ids, no descriptions, no coordinates); ``public`` shows the zones only as counts per
district and category, counts under :data:`MIN_PUBLIC_COUNT` suppressed (``None``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from hotspots.core.config import TIMEZONE
from hotspots.core.taxonomy import label
from hotspots.engine.nearrepeat import (
    DEFAULT_ALPHA,
    DEFAULT_DAY_BANDS,
    DEFAULT_DISTANCE_BANDS_M,
    DEFAULT_MIN_RATIO,
    alert_zones,
    knox_by_category,
)
from hotspots.est.lagesbild_tables import MIN_PUBLIC_COUNT, nearest_place

if TYPE_CHECKING:
    import geopandas as gpd

    from hotspots.core.periods import Period
    from hotspots.spatial.geography import Geography

__all__ = [
    "CATEGORY_COLUMNS",
    "DISTRICT_COLUMNS",
    "HISTORY_DAYS",
    "PERMUTATIONS",
    "SEED",
    "ZONE_COLUMNS",
    "NearRepeatPicture",
    "near_repeat_picture",
]

Language = Literal["sv", "en"]
Privacy = Literal["internal", "public"]

#: Days of incidents before the period's end that the Knox test looks at.
HISTORY_DAYS = 365
#: Monte Carlo permutations of the Knox test (p-values down to 0.005).
PERMUTATIONS = 199
#: Seed of the permutations: the same data give the same report.
SEED = 0

#: Columns of :attr:`NearRepeatPicture.categories`.
CATEGORY_COLUMNS: tuple[str, ...] = (
    "category",
    "label",
    "n_events",
    "ratio",
    "p_value",
    "distance_m",
    "days",
    "zones",
)
#: Columns of :attr:`NearRepeatPicture.zones` (internal only).
ZONE_COLUMNS: tuple[str, ...] = (
    "category",
    "label",
    "district",
    "near",
    "near_m",
    "occurred",
    "valid_until",
    "distance_m",
)
#: Columns of :attr:`NearRepeatPicture.districts`.
DISTRICT_COLUMNS: tuple[str, ...] = ("district", "category", "label", "zones")


@dataclass(frozen=True, eq=False)
class NearRepeatPicture:
    """The lägesbild's near-repeat section, privacy applied.

    Attributes
    ----------
    categories
        Categories with a significant near-repeat extent (:data:`CATEGORY_COLUMNS`): Knox
        ratio and p-value of the closest, soonest cell, the distance (m) and days of raised
        risk, and the zones in force at the period's end (``None`` when suppressed).
    tested
        Codes tested without a significant extent (for the reader: "tested, nothing found").
    zones
        Internal: each zone in force (:data:`ZONE_COLUMNS`), newest first; public: empty.
    districts
        Zones in force per district and category (:data:`DISTRICT_COLUMNS`), the most first;
        in public, counts under :data:`MIN_PUBLIC_COUNT` are ``None``.
    parameters
        ``first`` and ``last`` day of the incidents tested, ``as_of`` (the period's end),
        ``permutations``, ``seed``, ``alpha``, ``min_ratio``, the bands and ``history_days``.
    zone_areas
        Internal: the zones' circles (metric CRS) with ``category`` and ``label``, for a map
        layer; public: ``None``.
    """

    categories: pd.DataFrame
    tested: tuple[str, ...]
    zones: pd.DataFrame
    districts: pd.DataFrame
    parameters: dict[str, Any] = field(default_factory=dict)
    zone_areas: gpd.GeoDataFrame | None = None

    @property
    def n_zones(self) -> int:
        """Number of zones in force at the period's end (also in public: a total)."""
        return int(pd.to_numeric(self.categories["zones"], errors="coerce").fillna(0).sum())


def _district_of(geography: Geography | None, points: gpd.GeoSeries) -> list[str]:
    if geography is None or not len(points):
        return [""] * len(points)
    names = geography.district_of(points)
    return ["" if pd.isna(v) else str(v) for v in names]


def _date(value: Any) -> dt.date:
    return pd.Timestamp(value).tz_convert(TIMEZONE).date()


def near_repeat_picture(
    incidents: pd.DataFrame,
    *,
    period: Period,
    geography: Geography | None,
    privacy: Privacy,
    lang: Language,
    history_days: int = HISTORY_DAYS,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> NearRepeatPicture:
    """Knox test per category over the year up to the period's end, and the zones in force.

    Parameters
    ----------
    incidents
        Every incident (restricted categories are never tested), projected metric CRS.
    period
        The report period; the test uses the ``history_days`` before its end, the zones are
        those in force at its end.
    geography
        For the zones' districts and nearest places (or ``None``).
    privacy
        ``"internal"`` or ``"public"``.
    lang
        Language of the category labels.
    history_days, permutations, seed
        The incidents' window (days), the Monte Carlo permutations and their seed.

    Returns
    -------
    NearRepeatPicture

    Raises
    ------
    hotspots.core.errors.InputSchemaError
        When the incidents are not in a projected metric CRS.
    """
    end = period.end_ts
    start = end - pd.Timedelta(days=history_days)
    at = incidents["occurred_at"]
    window = incidents[np.asarray((at >= start) & (at < end), dtype=bool)]
    analysis = knox_by_category(
        window, permutations=permutations, rng=np.random.default_rng(seed)
    )
    extents = analysis.extents(alpha=DEFAULT_ALPHA, min_ratio=DEFAULT_MIN_RATIO)
    zones = alert_zones(
        window, analysis, as_of=end, alpha=DEFAULT_ALPHA, min_ratio=DEFAULT_MIN_RATIO
    )
    zones = zones[np.asarray(zones["active"], dtype=bool)] if len(zones) else zones
    centres = zones.geometry.centroid if len(zones) else zones.geometry
    districts = _district_of(geography, centres)
    per_category = pd.Series([str(c) for c in zones["category"]], dtype=object).value_counts()
    categories = pd.DataFrame(
        [
            {
                "category": code,
                "label": label(code, lang),
                "n_events": analysis.tables[code].n_events,
                "ratio": extent.ratio,
                "p_value": extent.p_value,
                "distance_m": extent.distance_m,
                "days": extent.days,
                "zones": _public_count(int(per_category.get(code, 0)), privacy),
            }
            for code, extent in sorted(extents.items())
        ],
        columns=list(CATEGORY_COLUMNS),
    )
    tested = tuple(sorted(c for c in analysis.tables if c not in extents))
    by_district = _by_district(zones, districts, privacy=privacy, lang=lang)
    zone_rows = pd.DataFrame(columns=list(ZONE_COLUMNS))
    areas = None
    if privacy == "internal" and len(zones):
        near = [nearest_place(geography, p) for p in centres]
        zone_rows = pd.DataFrame(
            {
                "category": [str(c) for c in zones["category"]],
                "label": [label(str(c), lang) for c in zones["category"]],
                "district": districts,
                "near": [n for n, _ in near],
                "near_m": [d for _, d in near],
                "occurred": [_date(v) for v in zones["occurred_at"]],
                "valid_until": [_date(v) for v in zones["valid_until"]],
                "distance_m": zones["distance_m"].astype(float).to_numpy(),
            },
            columns=list(ZONE_COLUMNS),
        )
        areas = zones[["category", "geometry"]].assign(
            label=[label(str(c), lang) for c in zones["category"]]
        )
    parameters = {
        "first": _date(analysis.start).isoformat() if analysis.start is not None else None,
        "last": _date(analysis.end).isoformat() if analysis.end is not None else None,
        "as_of": _date(end - pd.Timedelta(seconds=1)).isoformat(),
        "permutations": permutations,
        "seed": seed,
        "alpha": DEFAULT_ALPHA,
        "min_ratio": DEFAULT_MIN_RATIO,
        "distance_bands_m": list(DEFAULT_DISTANCE_BANDS_M),
        "day_bands": list(DEFAULT_DAY_BANDS),
        "history_days": history_days,
    }
    return NearRepeatPicture(
        categories=categories,
        tested=tested,
        zones=zone_rows,
        districts=by_district,
        parameters=parameters,
        zone_areas=areas,
    )


def _public_count(n: int, privacy: Privacy) -> int | None:
    return None if privacy == "public" and 0 < n < MIN_PUBLIC_COUNT else n


def _by_district(
    zones: gpd.GeoDataFrame, districts: list[str], *, privacy: Privacy, lang: Language
) -> pd.DataFrame:
    if not len(zones):
        return pd.DataFrame(columns=list(DISTRICT_COLUMNS))
    frame = pd.DataFrame({"district": districts, "category": [str(c) for c in zones["category"]]})
    counts = frame.value_counts(["district", "category"]).rename("zones").reset_index()
    counts = counts.sort_values(["zones", "district", "category"], ascending=[False, True, True])
    counts["label"] = [label(c, lang) for c in counts["category"]]
    counts["zones"] = [_public_count(int(n), privacy) for n in counts["zones"]]
    return counts[list(DISTRICT_COLUMNS)].reset_index(drop=True)
