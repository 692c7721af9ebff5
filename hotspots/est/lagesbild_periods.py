"""The lägesbild's windows and period checks: which weeks a report may cover (pure).

:func:`hotspot_window` widens a report period to the window of its hotspot map;
:func:`latest_week` is the default period (the latest week that has ended and has data);
:func:`check_period` refuses a period that has not ended or lies outside the data.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import geopandas as gpd
import pandas as pd

from hotspots.core.config import TIMEZONE, AnalysisConfig, Filters
from hotspots.core.errors import InputSchemaError
from hotspots.core.periods import (
    Period,
    custom_period,
    iso_week,
    last_complete_week,
    weeks4_period,
)

__all__ = [
    "check_period",
    "dates_text",
    "hotspot_config",
    "hotspot_window",
    "latest_week",
    "local_now",
]


def local_now() -> dt.datetime:
    """The time now in Europe/Stockholm."""
    return dt.datetime.now(ZoneInfo(TIMEZONE))


# ------------------------------------------------------------------------------ windows


def hotspot_window(period: Period) -> Period:
    """Window of the hotspot analysis for a report period.

    Four ISO weeks ending with an ISO-week period; the period itself when it is at least
    28 days long; else the 28 days ending with the period.
    """
    if period.kind == "week" and period.iso_year is not None and period.iso_week is not None:
        return weeks4_period(period.iso_year, period.iso_week)
    if period.days >= 28:
        return period
    return custom_period(period.end - dt.timedelta(days=28), period.end)


def hotspot_config(window: Period, *, base: AnalysisConfig | None = None) -> AnalysisConfig:
    """The analysis configuration of the report's hotspot map: ``base`` over ``window``."""
    cfg = base or AnalysisConfig()
    filters = (cfg.filters or Filters()).replace(since=window.start, until=window.end)
    return cfg.replace(filters=filters)


def dates_text(period: Period) -> str:
    """``2026-11-16 – 2026-11-22``: the first and last day of a period."""
    return f"{period.start.isoformat()} – {period.last_day.isoformat()}"


def latest_week(incidents: gpd.GeoDataFrame, *, today: dt.date | None = None) -> Period | None:
    """The latest ISO week that has ended by ``today`` and that the data reach into.

    The last complete week in the data (see
    :func:`~hotspots.core.periods.last_complete_week`), but never a week still running:
    data dated after ``today`` (synthetic or mistyped) do not make a future week complete.
    ``None`` when there are no incidents or all lie after the weeks that have ended.

    Parameters
    ----------
    incidents
        Incidents with ``occurred_at`` (tz-aware).
    today
        The local date (default today in Europe/Stockholm).
    """
    today = today or local_now().date()
    times = incidents["occurred_at"].dropna() if len(incidents) else pd.Series(dtype=object)
    if not len(times):
        return None
    midnight = pd.Timestamp(today.year, today.month, today.day).tz_localize(TIMEZONE)
    cutoff = min(times.max(), midnight - pd.Timedelta(seconds=1))
    week = iso_week(*last_complete_week(cutoff))
    return week if week.end_ts > times.min() else None


def check_period(period: Period, incidents: gpd.GeoDataFrame, *, today: dt.date) -> None:
    """Refuse a period that has not ended by ``today`` or lies outside the data.

    Parameters
    ----------
    period
        The report period.
    incidents
        Every incident (``occurred_at`` tz-aware).
    today
        The local date the report is made on.

    Raises
    ------
    InputSchemaError
        When the period has not ended yet, when it lies wholly before or after the
        incidents, or when there are no incidents; the message names the period and the
        latest complete week with data.
    """
    times = incidents["occurred_at"].dropna() if len(incidents) else pd.Series(dtype=object)
    if not len(times):
        msg = (
            f"period {period.label} ({dates_text(period)}): there are no incidents; "
            "import data first"
        )
        raise InputSchemaError(msg)
    first = times.min().tz_convert(TIMEZONE).date()
    last = times.max().tz_convert(TIMEZONE).date()
    latest = latest_week(incidents, today=today)
    hint = (
        f"the latest complete week with data is {latest.label} ({dates_text(latest)})"
        if latest is not None
        else "no week with data has ended yet"
    )
    if period.end > today:
        msg = (
            f"period {period.label} ({dates_text(period)}) has not ended yet "
            f"(today is {today.isoformat()}); {hint}"
        )
        raise InputSchemaError(msg)
    if period.start > last or period.last_day < first:
        msg = (
            f"period {period.label} ({dates_text(period)}) has no data: the incidents run from "
            f"{first.isoformat()} to {last.isoformat()}; {hint}"
        )
        raise InputSchemaError(msg)
