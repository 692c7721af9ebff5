"""The follow-up of the citizen promise (medborgarlöfte) as data: promised against delivered.

The lägesbild's section "Uppföljning av medborgarlöftet" shows, for the promised kinds of
activity (foot patrols at unsafe places, traffic checks, pub checks, school visits and youth
outreach), what the week's plans asked for against what the GPS tracks and the activity log
say was done, per week and for the whole period; the place-day comparison of incidents with
and without visits (:mod:`hotspots.dosage.effect`) with its intervals; and the delivered
minutes per place for the map.

This module only holds and combines the tables (no I/O, no tracks): the tables are made from
the tracks store by :func:`hotspots.dosage.followup.lagesbild_followup`, which sits above this
layer, and are drawn by :mod:`hotspots.render.report`.

Privacy: :meth:`FollowUp.public` keeps the totals per kind and the effect estimates and drops
the places (where and when the police patrol is not for a public page).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

__all__ = [
    "EFFECT_COLUMNS",
    "FOLLOWUP_KINDS",
    "KIND_TOTAL_COLUMNS",
    "PLACE_COLUMNS",
    "TOTAL_COLUMNS",
    "FollowUp",
    "kind_totals",
    "period_totals",
    "share",
]

#: The promised kinds of activity, in the order of the report.
FOLLOWUP_KINDS: tuple[str, ...] = (
    "foot_patrol",
    "traffic_check",
    "pub_check",
    "school_visit",
    "youth_outreach",
)
#: Columns of the per-week and per-period tables (``week`` first in the per-week one).
KIND_TOTAL_COLUMNS: tuple[str, ...] = (
    "kind",
    "suggestions",
    "planned_minutes",
    "delivered_minutes",
    "share_delivered",
    "visits",
    "koper_visits",
    "drive_throughs",
    "logged_activities",
    "unplanned_activities",
    "unplanned_minutes",
)
#: Columns of the totals of each week (all kinds together, each minute of presence once).
TOTAL_COLUMNS: tuple[str, ...] = ("week", "planned_minutes", "delivered_minutes", "share_delivered")
#: Columns of the places (the map and its table); ``geometry`` is the area, metres.
PLACE_COLUMNS: tuple[str, ...] = (
    "label",
    "kind",
    "place",
    "weeks",
    "planned_minutes",
    "delivered_minutes",
    "tracked_minutes",
    "logged_minutes",
    "share_delivered",
    "visits",
    "koper_visits",
    "drive_throughs",
)
#: Columns of the effect table: one row for the places, one for their surroundings.
EFFECT_COLUMNS: tuple[str, ...] = (
    "where",
    "observed_mean",
    "counterfactual_mean",
    "estimate",
    "low",
    "high",
    "relative",
    "visit_days",
    "other_days",
    "places",
    "incidents",
)
_SUMMED = (
    "suggestions",
    "planned_minutes",
    "delivered_minutes",
    "visits",
    "koper_visits",
    "drive_throughs",
    "logged_activities",
    "unplanned_activities",
    "unplanned_minutes",
)


def share(delivered: float, planned: float) -> float:
    """``delivered / planned``, ``nan`` when nothing (or an unknown amount) was planned."""
    if planned is None or not math.isfinite(planned) or planned <= 0:
        return math.nan
    return round(float(delivered) / float(planned), 3)


def kind_totals(by_kind: pd.DataFrame) -> pd.DataFrame:
    """One row per promised kind (:data:`FOLLOWUP_KINDS` first, then any other kind).

    Parameters
    ----------
    by_kind
        Rows with ``kind`` and the summed columns of :data:`KIND_TOTAL_COLUMNS` (e.g. a
        week's :attr:`hotspots.dosage.delivery.DosageReport.by_kind`); several rows of one
        kind are added up.

    Returns
    -------
    pandas.DataFrame
        :data:`KIND_TOTAL_COLUMNS`; a kind without rows has zeros and ``nan`` planned minutes
        (nothing was planned), and ``share_delivered`` is recomputed from the sums.
    """
    kinds = list(FOLLOWUP_KINDS) + [
        k for k in dict.fromkeys(by_kind.get("kind", pd.Series(dtype=object)).astype(str))
        if k not in FOLLOWUP_KINDS
    ]  # fmt: skip
    rows = []
    for kind in kinds:
        part = by_kind[by_kind["kind"].astype(str) == kind] if len(by_kind) else by_kind
        row: dict[str, object] = {"kind": kind}
        for col in _SUMMED:
            values = pd.to_numeric(part[col], errors="coerce") if col in part else pd.Series()
            if col == "planned_minutes":
                row[col] = float(values.sum(min_count=1)) if len(values) else math.nan
            elif col in ("delivered_minutes", "unplanned_minutes"):
                row[col] = round(float(values.sum()), 1)
            else:
                row[col] = int(values.sum())
        row["share_delivered"] = share(row["delivered_minutes"], row["planned_minutes"])  # type: ignore[arg-type]
        rows.append(row)
    return pd.DataFrame(rows, columns=list(KIND_TOTAL_COLUMNS))


def period_totals(per_week: pd.DataFrame) -> pd.DataFrame:
    """The per-week table summed over the weeks: one row per kind (see :func:`kind_totals`)."""
    return kind_totals(per_week.drop(columns="week", errors="ignore"))


@dataclass(frozen=True)
class FollowUp:
    """Promised against delivered for a lägesbild's period, and what changed.

    Attributes
    ----------
    weeks
        The ISO weeks followed up (``YYYY-Www``): those with at least four days in the period.
    per_week
        ``week`` and :data:`KIND_TOTAL_COLUMNS`, one row per week and kind.
    per_period
        :data:`KIND_TOTAL_COLUMNS` summed over the weeks.
    totals
        :data:`TOTAL_COLUMNS`, one row per week: all kinds together, with a minute of
        presence where areas of several kinds overlap counted once (so ``delivered_minutes``
        may be less than the sum of the kinds'; see
        :attr:`hotspots.dosage.delivery.DosageReport.total`).
    places
        The plans' places over the period (:data:`PLACE_COLUMNS` and the area as
        ``geometry``, metres), most delivered minutes first; empty in the public profile.
    effect
        :data:`EFFECT_COLUMNS`: incidents per place-day on days with a visit against the
        counterfactual, at the places and in their surroundings; empty when no comparison
        could be made.
    effect_text
        The effect in plain words, with the design's caveats (never more than it allows).
    effect_window
        First date and the date after the last of the effect comparison, or ``None``.
    buffer_m
        Width of the surroundings of the effect comparison, metres.
    alpha
        ``1 - alpha`` is the level of the intervals.
    patrol_hours_per_week
        The hours each week's plan allocated (``None``: the plans allocated no minutes).
    tracked
        Whether any GPS track or activity line falls in the weeks.
    notes
        Codes of caveats: ``no_plan:<week>`` (no plan could be made for the week),
        ``incomplete_passages``, ``no_tracks``, ``no_allocation``, ``weeks_capped``.
    """

    weeks: tuple[str, ...]
    per_week: pd.DataFrame
    per_period: pd.DataFrame
    totals: pd.DataFrame
    places: gpd.GeoDataFrame
    effect: pd.DataFrame
    effect_text: tuple[str, ...]
    effect_window: tuple[dt.date, dt.date] | None
    buffer_m: float
    alpha: float
    patrol_hours_per_week: float | None
    tracked: bool
    notes: tuple[str, ...] = field(default_factory=tuple)

    def period_total(self) -> dict[str, float]:
        """The weeks' totals added up (the weeks do not overlap in time).

        Returns
        -------
        dict
            ``planned_minutes`` (``nan`` when no week planned any), ``delivered_minutes`` and
            ``share_delivered``.
        """
        planned = float(pd.to_numeric(self.totals["planned_minutes"]).sum(min_count=1))
        delivered = round(float(pd.to_numeric(self.totals["delivered_minutes"]).sum()), 1)
        return {
            "planned_minutes": planned,
            "delivered_minutes": delivered,
            "share_delivered": share(delivered, planned),
        }

    def public(self) -> FollowUp:
        """The follow-up for a public page: totals and effect, no places."""
        return dataclasses.replace(self, places=self.places.iloc[0:0])

    @classmethod
    def from_weeks(
        cls,
        by_kind: Mapping[str, pd.DataFrame],
        *,
        totals: Mapping[str, Mapping[str, float]],
        places: gpd.GeoDataFrame,
        effect: pd.DataFrame | None = None,
        effect_text: tuple[str, ...] = (),
        effect_window: tuple[dt.date, dt.date] | None = None,
        buffer_m: float = 250.0,
        alpha: float = 0.05,
        patrol_hours_per_week: float | None = None,
        tracked: bool = True,
        notes: tuple[str, ...] = (),
    ) -> FollowUp:
        """Build the follow-up from each week's totals per kind.

        Parameters
        ----------
        by_kind
            Week label -> that week's rows per kind (see :func:`kind_totals`), in week order.
        totals
            Week label -> that week's total (``planned_minutes``, ``delivered_minutes``; see
            :attr:`hotspots.dosage.delivery.DosageReport.total`).
        places
            The places with :data:`PLACE_COLUMNS` (any order; sorted here).
        effect, effect_text, effect_window, buffer_m, alpha, patrol_hours_per_week, tracked, notes
            As the attributes.
        """
        frames = [kind_totals(frame).assign(week=week) for week, frame in by_kind.items()]
        columns = ["week", *KIND_TOTAL_COLUMNS]
        per_week = (
            pd.concat(frames, ignore_index=True)[columns]
            if frames
            else pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        )
        total_rows = []
        for week in by_kind:
            planned = float(totals[week]["planned_minutes"])
            delivered = round(float(totals[week]["delivered_minutes"]), 1)
            total_rows.append(
                {
                    "week": week,
                    "planned_minutes": planned,
                    "delivered_minutes": delivered,
                    "share_delivered": share(delivered, planned),
                }
            )
        total_frame = pd.DataFrame(total_rows, columns=list(TOTAL_COLUMNS))
        ordered = places
        if len(places):
            ordered = places.sort_values(
                ["delivered_minutes", "planned_minutes"], ascending=False, kind="stable"
            ).reset_index(drop=True)
        return cls(
            weeks=tuple(by_kind),
            per_week=per_week,
            per_period=period_totals(per_week),
            totals=total_frame,
            places=ordered,
            effect=(
                effect
                if effect is not None
                else pd.DataFrame({c: pd.Series(dtype=float) for c in EFFECT_COLUMNS})
            ),
            effect_text=tuple(effect_text),
            effect_window=effect_window,
            buffer_m=float(buffer_m),
            alpha=float(alpha),
            patrol_hours_per_week=patrol_hours_per_week,
            tracked=tracked,
            notes=tuple(notes),
        )
