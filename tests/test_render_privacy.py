"""Privacy profiles: restricted categories never, public without points, counts under 5 hidden."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from privacy_town import LONE, X0, Y0, analysed, incidents

from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import InputSchemaError
from hotspots.demo.synthetic import PlantedCluster, planted_incidents
from hotspots.forecast.analysis import run_analysis
from hotspots.render.privacy import (
    SUPPRESS_BELOW,
    aggregate_cells,
    apply_privacy,
    check_profile,
    neighbourhood_counts,
    scrub_restricted,
)


def test_check_profile() -> None:
    assert check_profile("public") == "public"
    with pytest.raises(InputSchemaError, match="internal, planning or public"):
        check_profile("open")


def test_scrub_restricted_values() -> None:
    assert scrub_restricted({"assault_public": 3, "sexual_offence": 2}) == {"assault_public": 3}
    assert scrub_restricted(["robbery", "domestic_violence"]) == ["robbery"]
    assert scrub_restricted("Rån, Sexualbrott (2)") == "Rån"
    assert scrub_restricted([{"code": "sexual_offence", "count": 2}, {"code": "robbery"}]) == [
        {"code": "robbery"}
    ]
    assert scrub_restricted(12) == 12


def test_neighbourhood_counts_golden() -> None:
    counts = np.zeros((5, 5))
    counts[2, 2] = 3
    counts[2, 3] = 1
    near = neighbourhood_counts(counts, radius_cells=1.0)
    # the disc of radius 1 is the cell and its 4 neighbours: 3 + 1 at (2, 2), 4 at (2, 3)
    assert near[2, 2] == 4
    assert near[2, 3] == 4
    assert near[1, 2] == 3
    assert near[0, 0] == 0
    assert near.sum() == 3 * 5 + 1 * 5


def test_internal_keeps_points_but_never_restricted() -> None:
    content = apply_privacy(analysed(), profile="internal")
    assert content.incidents is not None
    assert len(content.incidents) > 0
    assert "sexual_offence" not in set(content.incidents["category"])
    assert "description" in content.incidents
    text = content.hotspots.drop(columns="geometry").astype(str).to_string()
    assert "sexual_offence" not in text
    assert "Sexualbrott" not in text


def test_public_has_no_points_no_descriptions_no_plan() -> None:
    content = apply_privacy(analysed(), profile="public", plan=object())
    assert content.incidents is None
    assert content.suggestions is None
    assert content.schedule is None
    assert "hour_weekday" not in content.hotspots
    assert "description" not in content.hotspots


def test_public_suppresses_density_near_a_lone_incident() -> None:
    result = analysed()
    internal = apply_privacy(result, profile="internal")
    public = apply_privacy(result, profile="public")
    row, col, inside = result.grid.index(np.array([LONE[0]]), np.array([LONE[1]]))
    assert inside[0]
    assert np.isfinite(internal.density[row[0], col[0]])
    assert internal.density[row[0], col[0]] > 0
    assert np.isnan(public.density[row[0], col[0]])
    assert public.suppressed_cells > 0
    # where many incidents are near, the public surface equals the internal one
    r2, c2, _ = result.grid.index(np.array([X0 + 600.0]), np.array([Y0 + 400.0]))
    assert public.density[r2[0], c2[0]] == internal.density[r2[0], c2[0]]


def test_public_hotspot_counts_under_five_are_blank() -> None:
    """Hotspots of 60, 5 and 4 incidents (``min_incidents=1`` lets the small ones through):
    internally every count shows; in public the 4 is blanked and flagged, the 5 is not."""
    places = {
        60: (X0 + 600.0, Y0 + 600.0),
        5: (X0 + 2400.0, Y0 + 2400.0),
        4: (X0 + 600.0, Y0 + 2400.0),
    }
    clusters = [
        PlantedCluster(*at, radius_m=1.0, n=n, category="assault_public")
        for n, at in places.items()
    ]
    corners = [(X0, Y0), (X0 + 3000.0, Y0), (X0, Y0 + 3000.0), (X0 + 3000.0, Y0 + 3000.0)]
    clusters += [PlantedCluster(*at, radius_m=1.0, n=1, category="vandalism") for at in corners]
    frame = planted_incidents(clusters, background_n=0, bounds=(X0, Y0, X0 + 3000.0, Y0 + 3000.0),
                              days=364, seed=3)  # fmt: skip
    config = AnalysisConfig(bandwidth_m=200.0, coverage=0.01, min_incidents=1)
    result = run_analysis(frame, config=config, geography=None)

    def at(hotspots: pd.DataFrame, n: int) -> pd.Series:
        rows = hotspots[hotspots.contains(shapely.Point(*places[n]))]
        assert len(rows) == 1, f"no hotspot at the cluster of {n}"
        return rows.iloc[0]

    internal = apply_privacy(result, profile="internal").hotspots
    assert [int(at(internal, n)["incidents"]) for n in places] == [60, 5, 4]
    assert "incidents_suppressed" not in internal
    public = apply_privacy(result, profile="public").hotspots
    assert [at(public, n)["incidents"] for n in (60, 5)] == [60, 5]
    assert [bool(at(public, n)["incidents_suppressed"]) for n in places] == [False, False, True]
    assert pd.isna(at(public, 4)["incidents"])
    shown = pd.to_numeric(public["incidents"], errors="coerce").dropna()
    assert (shown >= SUPPRESS_BELOW).all()


def test_aggregate_cells_counts_and_suppression() -> None:
    inc = incidents()
    internal = aggregate_cells(inc, cell_m=250.0, profile="internal")
    public = aggregate_cells(inc, cell_m=250.0, profile="public")
    n_public = int((~inc["category"].isin(["sexual_offence", "domestic_violence"])).sum())
    assert internal["incidents"].sum() == n_public
    assert (public["incidents"] >= SUPPRESS_BELOW).all()
    assert len(public) < len(internal)
    lone = internal.contains(shapely.Point(*LONE))  # the lone incident's cell has one incident
    assert internal.loc[lone, "incidents"].tolist() == [1]
    assert not public.contains(shapely.Point(*LONE)).any()
    assert np.allclose(internal["incidents_per_km2"], internal["incidents"] / 0.0625)


def test_aggregate_cells_agrees_with_counting_points_one_by_one() -> None:
    import collections
    import math

    import geopandas as gpd

    rng = np.random.default_rng(11)
    n = 3000
    x = rng.normal(-400.0, 900.0, n)  # cells on both sides of the origin
    y = rng.normal(6_580_000.0, 700.0, n)
    codes = rng.choice(["assault_public", "sexual_offence", "dui", "domestic_violence"], n)
    inc = gpd.GeoDataFrame(
        {"category": pd.array(codes, dtype="string")},
        geometry=gpd.points_from_xy(x, y),
        crs="EPSG:3006",
    )
    seen = collections.Counter(
        (math.floor(a / 250.0), math.floor(b / 250.0))
        for a, b, c in zip(x, y, codes, strict=True)
        if c not in ("sexual_offence", "domestic_violence")
    )
    cells = aggregate_cells(inc, cell_m=250.0, profile="internal")
    assert list(cells["cell_id"]) == [f"{a}_{b}" for a, b in sorted(seen)]
    assert cells["incidents"].tolist() == [seen[k] for k in sorted(seen)]
    corners = shapely.get_coordinates(cells.geometry.to_numpy())
    assert corners.min(axis=0).tolist() == [250.0 * min(seen)[0], 250.0 * min(k[1] for k in seen)]


def test_neighbourhood_counts_is_the_disc_sum_of_a_brute_force_loop() -> None:

    rng = np.random.default_rng(3)
    counts = rng.poisson(0.7, size=(17, 23)).astype(float)
    radius = 2.5
    got = neighbourhood_counts(counts, radius_cells=radius)
    expected = np.zeros_like(counts)
    for i in range(counts.shape[0]):
        for j in range(counts.shape[1]):
            for di in range(-3, 4):
                for dj in range(-3, 4):
                    ii, jj = i + di, j + dj
                    inside = 0 <= ii < counts.shape[0] and 0 <= jj < counts.shape[1]
                    if inside and di * di + dj * dj <= radius * radius:
                        expected[i, j] += counts[ii, jj]
    assert np.array_equal(got, expected)
