"""Street segments: cutting roads, snapping incidents, spreading segment counts over cells;
the street method and its place among auto's candidates."""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from shapely.geometry import LineString

from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import CRSError, InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.forecast.methods import History, MethodSpec, score
from hotspots.forecast.streets import SNAP_M, street_lines
from hotspots.forecast.tuning import auto_tune
from hotspots.spatial.grid import Grid

# 8 x 6 cells of 50 m; south-west corner (0, 0), north edge y = 300
GRID = Grid(x0=0.0, y0=0.0, cell_m=50.0, nx=8, ny=6, crs="EPSG:3006")


def _roads(*lines: LineString, crs: str = "EPSG:3006") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": [f"r{i}" for i in range(len(lines))]}, geometry=list(lines), crs=crs
    )


def test_no_layer_or_no_line_is_no_street_network() -> None:
    assert street_lines(None) is None
    assert street_lines(_roads()) is None


def test_a_geographic_road_layer_is_refused() -> None:
    with pytest.raises(CRSError, match="EPSG"):
        street_lines(_roads(LineString([(11.5, 59.3), (11.6, 59.3)]), crs="EPSG:4326"))


def test_roads_are_cut_into_equal_segments_no_longer_than_asked() -> None:
    streets = street_lines(_roads(LineString([(0, 25), (250, 25)]), LineString([(0, 0), (0, 80)])))
    assert streets is not None
    net = streets.network(100.0)
    # 250 m -> 3 pieces of 83.3 m; 80 m -> one piece
    assert net.n_segments == 4
    assert_allclose(sorted(net.length_m), [80.0, 250 / 3, 250 / 3, 250 / 3])
    # the sample points of each segment stand for all of it
    share = np.bincount(net.sample_segment, weights=net.sample_share)
    assert_allclose(share, 1.0)
    assert streets.network(100.0) is net  # cached per length
    with pytest.raises(InputSchemaError, match="segment_m"):
        streets.network(0.0)


def test_incidents_snap_to_the_nearest_segment_within_reach() -> None:
    streets = street_lines(_roads(LineString([(0, 25), (200, 25)])))
    assert streets is not None
    net = streets.network(100.0)  # two segments: x 0-100 and 100-200
    x = np.array([10.0, 90.0, 150.0, 150.0, 50.0])
    y = np.array([30.0, 25.0 - SNAP_M + 1, 25.0, 25.0 + SNAP_M + 5, 200.0])
    seg = net.nearest(x, y)
    first = int(seg[0])
    assert seg[1] == first
    assert seg[2] != first
    assert seg[2] >= 0
    assert (seg[3:] == -1).all()  # beyond SNAP_M: on no segment
    assert_allclose(sorted(net.segment_counts(x, y)), [1.0, 2.0])


def test_segment_counts_spread_over_the_cells_by_length() -> None:
    # a road along the middle of the bottom row of cells (y = 25), x 0..200: four cells
    streets = street_lines(_roads(LineString([(0, 25), (200, 25)])))
    assert streets is not None
    net = streets.network(200.0)  # one segment
    s = net.cell_scores(np.array([8.0]), GRID)
    assert s.shape == GRID.shape
    assert_allclose(s[5, :4], 2.0)  # 8 incidents over 4 cells of equal length
    assert_allclose(s.sum(), 8.0)
    assert s[:5].sum() == 0


def test_the_street_method_ranks_the_busy_stretch() -> None:
    roads = _roads(LineString([(0, 25), (400, 25)]), LineString([(0, 275), (400, 275)]))
    rng = np.random.default_rng(4)
    # 30 incidents beside the southern road at x 100-200, 5 beside the northern one
    x = np.concatenate([rng.uniform(100, 200, 30), rng.uniform(0, 400, 5)])
    y = np.concatenate([25 + rng.normal(0, 5, 30), 275 + rng.normal(0, 5, 5)])
    h = History(x=x, y=y, age_days=np.zeros(x.size), grid=GRID, streets=street_lines(roads))
    s = score(MethodSpec("street", segment_m=100.0), h)
    top = np.unravel_index(np.argsort(s, axis=None)[::-1][:2], s.shape)
    assert set(top[0]) == {5}  # bottom row
    assert set(top[1]) <= {2, 3}  # x 100-200
    assert_allclose(s.sum(), 35.0)


def test_the_street_method_needs_a_street_network() -> None:
    h = History(x=np.array([10.0]), y=np.array([10.0]), age_days=np.zeros(1), grid=GRID)
    with pytest.raises(InputSchemaError, match="street"):
        score(MethodSpec("street", segment_m=100.0), h)


def _frame(make_incidents: Callable[..., gpd.GeoDataFrame], x, y, rng) -> gpd.GeoDataFrame:
    start = pd.Timestamp("2025-01-01", tz=TIMEZONE)
    t = pd.DatetimeIndex(sorted(start + pd.to_timedelta(rng.uniform(0, 365, len(x)), "D")))
    return make_incidents(x, y, times=t)


def test_street_segments_are_a_candidate_only_with_a_street_layer(
    make_incidents: Callable[..., gpd.GeoDataFrame],
) -> None:
    rng = np.random.default_rng(8)
    grid = Grid(x0=0.0, y0=0.0, cell_m=25.0, nx=40, ny=40, crs="EPSG:3006")
    mask = np.ones(grid.shape, dtype=bool)
    # incidents along three streets, busiest on the first
    x = np.concatenate(
        [rng.uniform(0, 1000, 250), rng.uniform(0, 1000, 100), rng.normal(500, 5, 80)]
    )
    y = np.concatenate([rng.normal(300, 4, 250), rng.normal(700, 4, 100), rng.uniform(0, 1000, 80)])
    inc = _frame(make_incidents, x, y, rng)
    roads = _roads(
        LineString([(0, 300), (1000, 300)]),
        LineString([(0, 700), (1000, 700)]),
        LineString([(500, 0), (500, 1000)]),
    )
    without = auto_tune(inc, grid=grid, study_mask=mask, config=AnalysisConfig())
    assert without.figures["not_candidates"]["street"]["en"].startswith("street segments")
    assert not any(c.startswith("street") for c in without.figures["candidates"])
    assert "Not a candidate: street segments" in without.summary("en")
    assert "Ej kandidat: gatusegment" in without.summary("sv")
    with_streets = auto_tune(
        inc, grid=grid, study_mask=mask, config=AnalysisConfig(), streets=street_lines(roads)
    )
    assert "not_candidates" not in with_streets.figures
    assert {"street segments 50 m", "street segments 100 m"} <= set(
        with_streets.figures["candidates"]
    )
    # the floor holds either way
    for res in (without, with_streets):
        assert res.figures["chosen"]["hit_rate"] >= res.figures["plain_counts"]["hit_rate"]
