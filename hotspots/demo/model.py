"""The planted truth of the demo data and the description of one generating process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import geopandas as gpd

__all__ = ["ALL_DAYS", "ALL_MONTHS", "FRI_SAT", "Component", "DemoData", "PlantedCluster"]

#: Every month (1-12), every weekday (Monday = 0), and Friday and Saturday.
ALL_MONTHS = tuple(range(1, 13))
ALL_DAYS = tuple(range(7))
FRI_SAT = (4, 5)


@dataclass(frozen=True, slots=True)
class PlantedCluster:
    """One planted structure of the demo data.

    Attributes
    ----------
    name
        Swedish name of the place.
    kind
        ``"crime"`` (a point cluster), ``"road"`` (along roads) or ``"fear"`` (survey marks
        with high unsafety where crime is low).
    x, y
        Centre in metres in the geography's CRS.
    radius_m
        Radius in metres holding most (about 86 %) of the planted points.
    categories
        Taxonomy codes planted (empty for ``fear``).
    hours
        Hours of day (0-23) of the planted times.
    weekdays
        Weekdays (Monday = 0) of the evening the planted times belong to; for night windows
        the hours after midnight fall on the next day.
    months
        Months (1-12) with planted times.
    n
        Number of planted incidents (survey marks for ``fear``).
    """

    name: str
    kind: str
    x: float
    y: float
    radius_m: float
    categories: tuple[str, ...]
    hours: tuple[int, ...]
    weekdays: tuple[int, ...]
    months: tuple[int, ...]
    n: int


class DemoData(NamedTuple):
    """Result of :func:`generate_demo`: incident frame, survey frame and planted truth."""

    incidents: gpd.GeoDataFrame
    survey: gpd.GeoDataFrame
    truth: list[PlantedCluster]


@dataclass(frozen=True, slots=True)
class Component:
    """A process that places incidents: where (centres), when (days, hours) and what."""

    name: str
    n: int
    categories: dict[str, float]
    hour_offsets: dict[int, float]  # hours after the base day's midnight (may exceed 23)
    weekday_weights: tuple[float, ...]  # Monday first
    month_weights: tuple[float, ...]  # January first
    sources: dict[str, float]
