"""Pub checks: nightlife venues ranked by violence, intoxication and drug incidents at night."""

from __future__ import annotations

import geopandas as gpd

from hotspots.core.config import HourWindow
from hotspots.core.taxonomy import codes_in_area
from hotspots.planning.context import Context
from hotspots.planning.model import Draft
from hotspots.planning.places import place_drafts

__all__ = ["NIGHT", "PUB_CATEGORIES", "pub_checks"]

#: Categories a pub check addresses (violence, intoxication and drugs in nightlife).
PUB_CATEGORIES: tuple[str, ...] = (
    *codes_in_area("violence"),
    "intoxication",
    "drug_use",
    "drug_dealing",
)
#: Hours counted as "night" for pub checks (20:00-06:00).
NIGHT = HourWindow(20, 6)


def pub_checks(ctx: Context, hot: gpd.GeoDataFrame) -> list[Draft]:
    """Pub checks at venues and nightlife streets, 30 minutes each, in the night window.

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
        kind="pub_check",
        place_kinds=("venue", "nightlife_street"),
        categories=PUB_CATEGORIES,
        radius_m=ctx.opt.venue_radius_m,
        allowed=NIGHT,
        allowed_days=None,
        mark_times=("kvall", "natt"),
        intro=(
            "Krogkontroll (våld, fylleri och narkotika nattetid)",
            "Pub check (violence, intoxication and drugs at night)",
        ),
        visit_minutes=30,
    )
