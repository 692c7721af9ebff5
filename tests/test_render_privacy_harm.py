"""The privacy gate keeps restricted categories' harm off maps and exports (issue 16).

A tight cluster of restricted incidents (violence in close relationships, sexual offences)
weighs 1000 each in an edited weights table; a cluster of public assaults weighs 4. Their
harm must appear nowhere: not in the harm total, not in a harm hotspot, not in the harm
density, not in the parameters, and in the public profile the harm of fewer than five
incidents is blanked as the count would be.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from hotspots.core.config import AnalysisConfig
from hotspots.core.taxonomy import CATEGORIES, CODES
from hotspots.engine.harm import as_harm_result, harm_analysis, read_weights
from hotspots.forecast.analysis import run_analysis
from hotspots.render.privacy import apply_privacy

RESTRICTED = [w for c in CATEGORIES if c.restricted for w in (c.code, c.sv, c.en)]
X0, Y0 = 674_000.0, 6_580_000.0


@pytest.fixture
def weights(tmp_path: Path):
    heavy = {"domestic_violence": "1000", "sexual_offence": "1000", "assault_public": "4"}
    lines = ["code;weight;source;date"]
    lines += [f"{c};{heavy.get(c, '1')};test;2026-01-01" for c in CODES]
    path = tmp_path / "w.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return read_weights(path)


def _incidents(make_incidents, rng) -> gpd.GeoDataFrame:
    n_pub, n_res = 60, 40
    x = np.concatenate([rng.normal(X0, 30, n_pub), rng.normal(X0 + 1500, 20, 2 * n_res),
                        rng.uniform(X0 - 800, X0 + 2300, 100)])  # fmt: skip
    y = np.concatenate([rng.normal(Y0, 30, n_pub), rng.normal(Y0, 20, 2 * n_res),
                        rng.uniform(Y0 - 800, Y0 + 800, 100)])  # fmt: skip
    cats = (["assault_public"] * n_pub + ["domestic_violence"] * n_res
            + ["sexual_offence"] * n_res + ["vandalism"] * 100)  # fmt: skip
    times = pd.date_range("2026-01-01", periods=len(x), freq="7h", tz="Europe/Stockholm")
    return make_incidents(x, y, times=times, categories=cats)


def test_restricted_harm_never_reaches_the_map(make_incidents, rng, weights) -> None:
    incidents = _incidents(make_incidents, rng)
    config = AnalysisConfig(bandwidth_m=150.0, cell_m=25.0, coverage=0.03, metric_crs="EPSG:3006")
    result = run_analysis(incidents, config=config, geography=None)
    harm = harm_analysis(result, weights)
    assert harm.total_harm == pytest.approx(60 * 4 + 100 * 1)  # the restricted weigh nothing
    view = as_harm_result(result, harm)
    assert view.parameters["density_unit"] == "harm"
    restricted_place = Point(X0 + 1500, Y0).buffer(150)
    for profile in ("internal", "planning", "public"):
        content = apply_privacy(view, profile=profile)
        assert not content.hotspots.intersects(restricted_place).any()
        text = repr(content.parameters) + content.hotspots.drop(columns="geometry").to_json()
        for word in RESTRICTED:
            assert word not in text, (profile, word)
        if content.incidents is not None:
            assert not content.incidents["category"].isin(["domestic_violence"]).any()
        # the harm density over the restricted cluster is only the background's
        g = content.grid
        row, col, _ = g.index(np.array([X0 + 1500.0]), np.array([Y0]))
        here = np.nan_to_num(content.density[row[0], col[0]])
        assert here < 0.1 * np.nanmax(content.density)
    assert view.parameters["harm"]["weights"]["weights"]["assault_public"] == 4
    assert "domestic_violence" not in view.parameters["harm"]["weights"]["weights"]


def test_public_profile_blanks_the_harm_of_fewer_than_five() -> None:
    hot = gpd.GeoDataFrame(
        {
            "rank": [1, 2],
            "kind": ["crime", "crime"],
            "incidents": [80.0, 40.0],  # harm: 4 robberies of 20 would tell what they were
            "n_incidents": [20, 4],
            "categories": ["assault_public: 20", "robbery: 4"],
        },
        geometry=[box(0, 0, 100, 100), box(200, 0, 300, 100)],
        crs="EPSG:3006",
    )
    grid = SimpleNamespace(crs=hot.crs, cell_m=25.0)
    result = SimpleNamespace(hotspots=hot, grid=grid, config=AnalysisConfig(), parameters={})
    public = apply_privacy(result, profile="public").hotspots
    assert public["incidents"].iloc[0] == 80.0
    assert pd.isna(public["incidents"].iloc[1])
    assert pd.isna(public["n_incidents"].iloc[1])
    assert public["incidents_suppressed"].tolist() == [False, True]
    internal = apply_privacy(result, profile="internal").hotspots
    assert internal["incidents"].tolist() == [80.0, 40.0]
