"""The demo-like lägesbild the report tests share (built once per process)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from typing import Any

import geopandas as gpd
from shapely.geometry import Point

from hotspots.core.config import AnalysisConfig
from hotspots.core.periods import iso_week
from hotspots.core.taxonomy import CATEGORIES
from hotspots.est.actions import add_action, close_action, empty_actions
from hotspots.est.lagesbild import Lagesbild, build_lagesbild

#: Labels of the restricted categories (both languages): never on a place, map or public page.
RESTRICTED_LABELS = [w for c in CATEGORIES if c.restricted for w in (c.sv, c.en)]
PERIOD = iso_week(2026, 47)
#: The day the demo report is made (the period ended the day before).
MADE = dt.datetime(2026, 11, 24, 8, 0)
HOSTILE = "<script>alert(1)</script>"
FAST = AnalysisConfig(cell_m=100.0, bandwidth_m=300.0)


@functools.cache
def demo() -> tuple[Any, Any]:
    """The demo geography and one year of demo data ending 2026-11-22."""
    from hotspots.demo import generate_demo
    from hotspots.spatial.geography import default_geography

    geo = default_geography()
    return geo, generate_demo(geo, seed=7, end=dt.date(2026, 11, 23), years=1)


def demo_actions(geo: Any) -> gpd.GeoDataFrame:
    """Three actions: ongoing foot patrol (A-0001), done lighting (A-0002), cancelled (A-0003)."""
    torget = geo.places[geo.places["name"] == "Stora torget"].geometry.iloc[0]
    frame, _ = add_action(
        empty_actions(),
        date="2026-10-05",
        place_kind="place",
        place_ref="Stora torget",
        problem="violence",
        actor="polis",
        action="fotpatrull",
        geometry=torget.representative_point(),
        follow_up="2026-11-27",
        status="pågår",
        note="<b>Fre-lör</b> & 22-03",
    )
    kp = geo.districts[geo.districts["name"] == "Kronoparken"].geometry.iloc[0]
    frame, _ = add_action(
        frame,
        date="2026-09-14",
        place_kind="district",
        place_ref="Kronoparken",
        problem="unsafe",
        actor="bostadsbolag",
        action="belysning",
        geometry=kp.representative_point(),
        follow_up="2026-11-20",
        status="klar",
    )
    frame, _ = add_action(
        frame,
        date="2026-11-01",
        place_kind="point",
        place_ref="Parkeringen",
        problem="drugs_alcohol",
        actor="kommun",
        action="röjning",
        geometry=Point(413_000.0, 6_584_000.0),
        follow_up="2026-11-25",
    )
    return close_action(frame, "A-0003", status="avbruten", closed=dt.date(2026, 11, 10))


@functools.cache
def lagesbild(privacy: str = "internal", lang: str = "sv", *, hostile: bool = False) -> Lagesbild:
    """The W47 lägesbild of the demo; ``hostile`` renames every place but Stora torget."""
    geo, data = demo()
    if hostile:
        places = geo.places.copy()
        places.loc[places["name"] != "Stora torget", "name"] = HOSTILE
        geo = dataclasses.replace(geo, places=places)
    return build_lagesbild(
        data.incidents,
        period=PERIOD,
        geography=geo,
        survey=data.survey,
        actions=demo_actions(geo),
        config=FAST,
        privacy=privacy,  # type: ignore[arg-type]
        lang=lang,  # type: ignore[arg-type]
        generated_at=MADE,
    )
