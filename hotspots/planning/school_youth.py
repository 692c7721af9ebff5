"""School visits and youth outreach: schools and youth places (and parks) near youth incidents.

Schools and youth centres, and parks as risk environments, are ranked by drug and
youth-related incidents and unsafe marks nearby, with the hours they matter: school hours
for schools, evenings for youth places.
"""

from __future__ import annotations

import geopandas as gpd

from hotspots.core.config import HourWindow
from hotspots.planning.context import Context
from hotspots.planning.model import Draft
from hotspots.planning.places import place_drafts

__all__ = [
    "EVENING",
    "SCHOOL_DAYS",
    "SCHOOL_HOURS",
    "YOUTH_CATEGORIES",
    "school_visits",
    "youth_outreach",
]

#: Drug and youth-related categories for school visits and youth outreach.
YOUTH_CATEGORIES: tuple[str, ...] = ("drug_use", "drug_dealing", "vandalism", "disorder")
#: School hours (07:00-17:00), Monday to Friday.
SCHOOL_HOURS = HourWindow(7, 17)
SCHOOL_DAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
#: Evening hours for youth places (15:00-01:00).
EVENING = HourWindow(15, 1)


def school_visits(ctx: Context, hot: gpd.GeoDataFrame) -> list[Draft]:
    """School visits of an hour in school hours on school days.

    Parameters
    ----------
    ctx
        The prepared inputs.
    hot
        The ranked hotspots (for the hotspot a suggestion lies in).
    """
    return place_drafts(
        ctx,
        hot,
        kind="school_visit",
        place_kinds=("school",),
        categories=YOUTH_CATEGORIES,
        radius_m=ctx.opt.school_radius_m,
        allowed=SCHOOL_HOURS,
        allowed_days=SCHOOL_DAYS,
        mark_times=("dag",),
        intro=(
            "Skolbesök (narkotika och ungdomsrelaterade händelser)",
            "School visit (drug and youth-related incidents)",
        ),
        visit_minutes=60,
    )


def youth_outreach(ctx: Context, hot: gpd.GeoDataFrame) -> list[Draft]:
    """Outreach of 90 minutes in the evening at youth centres first, then parks.

    Parameters
    ----------
    ctx
        The prepared inputs.
    hot
        The ranked hotspots (for the hotspot a suggestion lies in).
    """
    return place_drafts(
        ctx,
        hot,
        kind="youth_outreach",
        place_kinds=("youth_centre", "park"),
        prefer_first_kind=True,
        categories=YOUTH_CATEGORIES,
        radius_m=min(ctx.opt.school_radius_m, 300.0),
        allowed=EVENING,
        allowed_days=None,
        mark_times=("kvall", "natt"),
        intro=(
            "Uppsökande arbete i riskmiljö för narkotika och ungdomar",
            "Outreach in a risk environment for drugs and youths",
        ),
        visit_minutes=90,
    )
