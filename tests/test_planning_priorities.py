"""The planner ranks by harm on request, and on reactive incidents by default (issue 16).

Golden values on a tiny town: a row of vandalism (12 incidents of harm 2) and a few
robberies (7 of harm 20) on four Friday nights, 2026-01-02 to 2026-01-23 (22 days, so
``weeks = 22 / 7``), every incident inside its patrol's window:

- by count the vandalism comes first: ``12 / (22/7) = 3.8182`` against ``7 / (22/7) = 2.2273``
  incidents per week;
- by harm the robberies do: ``7 * 20 / (22/7) = 44.545`` against ``12 * 2 / (22/7) = 7.6364``.

A drug-dealing cluster (proactive: found by police activity) gets no suggestion by default
and one with ``include_proactive``; four drug-use incidents beside the robberies are counted
as ``proactive_nearby`` there.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from shapely.geometry import Point
from test_planning_plan import CRS, X0, Y0, _frame, _geography

from hotspots.core.config import AnalysisConfig
from hotspots.core.schema import TIMEZONE
from hotspots.engine.harm_weights import load_weights
from hotspots.planning import PlanOptions, make_plan
from hotspots.planning.tables import suggestion_table

VANDALISM = (X0 + 800.0, Y0 + 3200.0)
ROBBERY = (X0 + 2000.0, Y0 + 1000.0)
DEALING = (X0 + 1700.0, Y0 + 5000.0)
WEEKS = 22 / 7  # 2026-01-02 .. 2026-01-23


def _town() -> tuple[gpd.GeoDataFrame, SimpleNamespace]:
    rng = np.random.default_rng(1)
    fridays = [pd.Timestamp("2026-01-02 23:10", tz=TIMEZONE) + pd.Timedelta(weeks=k)
               for k in range(4)]  # fmt: skip
    xs, ys, ts, cs = [], [], [], []

    def add(place: tuple[float, float], n: int, category: str) -> None:
        for i in range(n):
            xs.append(place[0] + rng.normal(0, 15))
            ys.append(place[1] + rng.normal(0, 15))
            ts.append(fridays[i % 4] + pd.Timedelta(minutes=int(rng.integers(0, 40))))
            cs.append(category)

    add(VANDALISM, 12, "vandalism")
    add(ROBBERY, 7, "robbery")
    add(DEALING, 15, "drug_dealing")
    add(ROBBERY, 4, "drug_use")
    add(ROBBERY, 6, "domestic_violence")  # restricted: never ranked, weighed or counted
    incidents = _frame(np.array(xs), np.array(ys), ts, cs)
    hot = gpd.GeoDataFrame(
        {"rank": [1, 2, 3], "kind": "crime"},
        geometry=[Point(*p).buffer(150) for p in (VANDALISM, ROBBERY, DEALING)],
        crs=CRS,
    )
    return incidents, SimpleNamespace(hotspots=hot, config=AnalysisConfig())


OPTIONS = PlanOptions(week="2026-W10", kinds=("foot_patrol",))


def _near(plan, place: tuple[float, float]) -> pd.DataFrame:
    s = plan.suggestions
    return s[s.geometry.distance(Point(*place)) <= 200.0]


def test_count_ranks_the_vandalism_row_first() -> None:
    incidents, result = _town()
    plan = make_plan(result, geography=_geography(), incidents=incidents, options=OPTIONS)
    s = plan.suggestions
    assert len(s) == 2
    assert_allclose(_near(plan, VANDALISM)["priority"], [12 / WEEKS])  # 3.8182
    assert_allclose(_near(plan, ROBBERY)["priority"], [7 / WEEKS])  # 2.2273
    assert _near(plan, VANDALISM)["rank"].item() == 1
    assert "harm_per_week" not in s
    assert plan.weights is None


def test_harm_ranks_the_robberies_first() -> None:
    incidents, result = _town()
    harm = load_weights("harm")
    assert (harm.weight("robbery"), harm.weight("vandalism")) == (20, 2)
    plan = make_plan(
        result, geography=_geography(), incidents=incidents, options=OPTIONS, weights=harm
    )
    robbery, vandalism = _near(plan, ROBBERY), _near(plan, VANDALISM)
    assert robbery["rank"].item() == 1
    assert vandalism["rank"].item() == 2
    assert_allclose(robbery["priority"], [7 * 20 / WEEKS])  # 44.545
    assert_allclose(vandalism["priority"], [12 * 2 / WEEKS])  # 7.6364
    assert robbery["harm_in_window"].item() == 140.0
    assert robbery["harm_per_week"].item() == pytest.approx(44.545, abs=1e-3)
    assert robbery["incidents_in_window"].item() == 7  # the counts stay counts
    assert plan.weights["name"] == "harm"
    assert "domestic_violence" not in plan.weights["weights"]
    table = suggestion_table(plan.suggestions, "sv")
    assert "harm_per_week" in table


def test_proactive_cluster_gets_no_suggestion_by_default() -> None:
    incidents, result = _town()
    plan = make_plan(result, geography=_geography(), incidents=incidents, options=OPTIONS)
    assert _near(plan, DEALING).empty
    assert plan.n_incidents == 12 + 7  # reactive, public
    assert plan.n_proactive == 15 + 4
    assert _near(plan, ROBBERY)["proactive_nearby"].item() == 4
    assert _near(plan, VANDALISM)["proactive_nearby"].item() == 0
    assert _near(plan, ROBBERY)["evidence"].item() == {"robbery": 7}


def test_include_proactive_plans_on_the_dealing_cluster_too() -> None:
    incidents, result = _town()
    options = dataclasses.replace(OPTIONS, include_proactive=True)
    plan = make_plan(result, geography=_geography(), incidents=incidents, options=options)
    dealing = _near(plan, DEALING)
    assert len(dealing) == 1
    assert dealing["incidents_in_window"].item() == 15
    assert dealing["proactive_nearby"].item() == 15
    assert dealing["rank"].item() == 1  # 15 / (22/7) = 4.7727 per week, the most
    assert_allclose(dealing["priority"], [15 / WEEKS])
    assert _near(plan, ROBBERY)["evidence"].item() == {"robbery": 7, "drug_use": 4}
    assert plan.n_incidents == 12 + 7 + 15 + 4
