from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_array_equal
from pyproj import CRS

from hotspots.core.errors import InputSchemaError
from hotspots.engine.polygons import (
    CellIncidents,
    describe_hotspots,
    label_cells,
    parse_threshold,
    polygons_of,
    select_cells,
)
from hotspots.spatial.grid import Grid

CRS3006 = CRS.from_epsg(3006)


def test_select_cells_by_coverage_and_thresholds() -> None:
    dens = np.arange(1.0, 11.0).reshape(2, 5)  # 1..10
    mask = np.ones((2, 5), dtype=bool)
    cells, cut = select_cells(dens, mask, coverage=0.2)  # 0.2 * 10 = 2 cells: 10 and 9
    assert cut == 9.0
    assert_array_equal(np.sort(dens[cells]), [9.0, 10.0])
    # mean 5.5, x 1.5 = 8.25 -> 9, 10
    cells, cut = select_cells(dens, mask, threshold="mean:1.5")
    assert cut == pytest.approx(8.25)
    assert cells.sum() == 2
    # 75th percentile of 1..10 (linear) = 7.75 -> 8, 9, 10
    cells, cut = select_cells(dens, mask, threshold="pct:75")
    assert cut == pytest.approx(7.75)
    assert cells.sum() == 3
    # outside the study area never selected; zero density never selected
    mask[1, 4] = False
    cells, _ = select_cells(dens, mask, coverage=0.2)
    assert not cells[1, 4]
    cells, _ = select_cells(np.zeros((2, 5)), np.ones((2, 5), bool), coverage=0.5)
    assert not cells.any()


@pytest.mark.parametrize("text", ["mean", "mean:-1", "pct:100", "max:3", "pct:abc"])
def test_bad_thresholds(text: str) -> None:
    with pytest.raises(InputSchemaError, match="--threshold"):
        parse_threshold(text)


def test_four_connected_labels_and_polygons() -> None:
    cells = np.array(
        [
            [1, 1, 0, 0],
            [0, 0, 1, 0],
            [0, 0, 1, 1],
        ],
        dtype=bool,
    )
    labels, n = label_cells(cells)
    assert n == 2  # the diagonal contact does not join
    g = Grid(x0=0.0, y0=0.0, cell_m=10.0, nx=4, ny=3, crs=CRS3006)
    polys = polygons_of(labels, n, g)
    areas = sorted(p.area for p in polys)
    assert areas == [200.0, 300.0]
    top = polys[labels[0, 0] - 1]
    assert top.bounds == (0.0, 20.0, 20.0, 30.0)  # row 0 is the northern row


def test_describe_hotspots_golden() -> None:
    g = Grid(x0=0.0, y0=0.0, cell_m=100.0, nx=4, ny=1, crs=CRS3006)  # cells of 0.01 km2
    labels = np.array([[1, 0, 2, 2]], dtype=np.int32)
    dens = np.array([[50.0, 1.0, 30.0, 40.0]])
    inc = CellIncidents(
        label=np.array([1, 1, 1, 2, 2, 0]),
        weight=np.ones(6),
        category=np.array(["robbery", "robbery", "dui", "dui", "dui", "dui"]),
        start=np.array([4 * 24 + 22, 4 * 24 + 23, 5 * 24 + 0, 10, 11, 3]),
        n_hours=np.ones(6, dtype=np.int64),
        district=["A", "A", "B", None, "C", None],
    )
    out = describe_hotspots(
        labels, 2, grid=g, kind="crime", density=dens, incidents=inc, n_incidents=10,
        study_area_km2=0.04,
    )  # fmt: skip
    assert out["rank"].tolist() == [1, 2]
    first, second = out.iloc[0], out.iloc[1]
    assert first["incidents"] == 3
    assert first["area_km2"] == pytest.approx(0.01)
    # share 3/10 = 0.3 of incidents on 0.01/0.04 = 0.25 of the area -> PAI 1.2
    assert first["share_of_incidents"] == pytest.approx(0.3)
    assert first["pai"] == pytest.approx(1.2)
    assert first["peak_density_per_km2"] == 50.0
    assert [c["code"] for c in first["top_categories"]] == ["robbery", "dui"]
    assert first["top_categories"][0]["count"] == 2
    assert first["district"] == "A"
    assert first["peak_hours"] == [22, 23]  # 2 of 3 = at least half, the earlier run wins
    assert first["peak_weekdays"] == ["fri"]
    assert second["area_km2"] == pytest.approx(0.02)
    assert second["peak_density_per_km2"] == 40.0
    assert second["district"] == "C"
    assert np.asarray(first["hour_weekday"]).shape == (7, 24)
    assert second.geometry.area == pytest.approx(20_000.0)


def test_month_only_times_give_no_peak_but_a_flat_profile() -> None:
    g = Grid(x0=0.0, y0=0.0, cell_m=100.0, nx=2, ny=1, crs=CRS3006)
    labels = np.array([[1, 2]], dtype=np.int32)
    inc = CellIncidents(
        label=np.array([1, 1, 2, 2]),
        weight=np.ones(4),
        category=np.array(["robbery"] * 4),
        start=np.array([0, 0, 4 * 24 + 22, 0]),
        n_hours=np.array([168, 168, 1, 168]),  # police.uk month-only times, one exact time
    )
    out = describe_hotspots(
        labels, 2, grid=g, kind="crime", density=np.ones((1, 2)), incidents=inc,
        n_incidents=4, study_area_km2=0.02,
    )  # fmt: skip
    month_only = out[out.geometry.bounds["minx"] == 0].iloc[0]
    assert month_only["peak_hours"] == []
    assert pd.isna(month_only["peak_window"])
    assert month_only["peak_weekdays"] == []
    assert np.asarray(month_only["hour_weekday"]).sum() == pytest.approx(2.0, abs=1e-3)
    mixed = out[out.geometry.bounds["minx"] == 100].iloc[0]
    assert mixed["peak_hours"] == [22]
    assert mixed["peak_weekdays"] == ["fri"]


def test_drop_small_groups_keeps_groups_with_enough_incidents() -> None:
    from hotspots.engine.polygons import drop_small_groups

    cells = np.array(
        [
            [1, 1, 0, 0, 1],
            [0, 0, 0, 0, 1],
            [1, 0, 0, 0, 0],
        ],
        dtype=bool,
    )
    counts = np.array(
        [
            [2.0, 3.0, 9.0, 0.0, 1.0],  # group A (top left) holds 5; the 9 is not a hotspot cell
            [0.0, 0.0, 0.0, 0.0, 3.0],  # group B (right) holds 1 + 3 = 4
            [4.0, 0.0, 0.0, 0.0, 0.0],  # group C (bottom left) holds 4
        ]
    )
    kept = drop_small_groups(cells, counts, min_incidents=5)
    expected = np.zeros_like(cells)
    expected[0, :2] = True
    np.testing.assert_array_equal(kept, expected)
    np.testing.assert_array_equal(drop_small_groups(cells, counts, min_incidents=4), cells)
    assert drop_small_groups(cells, counts, min_incidents=1) is cells


def test_min_incidents_applies_in_run_analysis(make_incidents, rng) -> None:
    from hotspots.core.config import AnalysisConfig
    from hotspots.forecast.analysis import run_analysis

    # a cluster of 40 and three lone incidents far apart: only the cluster is a hotspot
    x = np.r_[rng.normal(500_000, 30, 40), [503_000.0, 506_000.0, 509_000.0]]
    y = np.r_[rng.normal(6_600_000, 30, 40), [6_603_000.0, 6_606_000.0, 6_609_000.0]]
    frame = make_incidents(x, y)
    strict = run_analysis(frame, config=AnalysisConfig(coverage=0.05), geography=None)
    loose = run_analysis(
        frame, config=AnalysisConfig(coverage=0.05, min_incidents=1), geography=None
    )
    assert len(strict.hotspots) == 1
    assert int(strict.hotspots.iloc[0]["incidents"]) >= 38
    assert len(loose.hotspots) > 1
