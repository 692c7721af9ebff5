from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose
from shapely.geometry import LineString, Point, box

from hotspots.core.config import HourWindow
from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.planning import patrol


def _ts(*texts: str) -> pd.Series:
    return pd.Series(pd.DatetimeIndex(list(texts)).tz_localize(TIMEZONE))


# --- time windows -----------------------------------------------------------------------------


def test_window_from_profile_wraps_midnight_golden() -> None:
    w = np.zeros(24)
    w[[22, 23, 0, 1]] = 1.0
    # 2 h windows hold at most 2/4 < 0.6; the first 3 h window with 3/4 starts at 22.
    assert patrol.window_from_profile(w, share=0.6) == HourWindow(22, 1)
    assert str(patrol.window_from_profile(w, share=1.0)) == "22-02"


def test_window_from_profile_daytime_and_empty() -> None:
    w = np.zeros(24)
    w[[9, 10, 11]] = [1.0, 4.0, 1.0]
    assert patrol.window_from_profile(w, share=0.6) == HourWindow(9, 11)
    assert patrol.window_from_profile(np.zeros(24)) is None
    with pytest.raises(InputSchemaError, match="24 values"):
        patrol.window_from_profile(np.zeros(7))


def test_window_from_profile_respects_allowed_window() -> None:
    w = np.zeros(24)
    w[[21, 22]] = 10.0  # evening peak outside school hours
    w[[14, 15]] = 1.0
    win = patrol.window_from_profile(w, allowed=HourWindow(7, 17))
    assert win is not None
    assert set(win.hours()) <= set(range(7, 17))
    assert {14, 15} <= set(win.hours())


def test_shift_weekday_assigns_after_midnight_to_previous_day() -> None:
    night = HourWindow(22, 4)
    # Saturday 01:00 -> Friday; Friday 23:00 -> Friday; Monday 02:00 -> Sunday; Monday 12 stays
    got = patrol.shift_weekday(np.array([5, 4, 0, 0]), np.array([1, 23, 2, 12]), night)
    assert got.tolist() == [4, 4, 6, 0]
    # a window that does not wrap never shifts
    assert patrol.shift_weekday(np.array([5]), np.array([1]), HourWindow(0, 6)).tolist() == [5]
    assert patrol.shift_weekday(np.array([5]), np.array([23]), HourWindow(20, 24)).tolist() == [5]


def test_in_window_across_midnight() -> None:
    t = _ts(
        "2026-11-27 22:00",  # Friday 22:00 -> in
        "2026-11-28 01:30",  # Saturday 01:30, Friday night -> in
        "2026-11-28 03:59",  # Saturday 03:59 -> in
        "2026-11-28 04:00",  # Saturday 04:00 -> out (end exclusive)
        "2026-11-27 01:30",  # Friday 01:30 is Thursday night -> out
        "2026-11-28 23:00",  # Saturday 23:00 -> Saturday night, not Friday -> out
    )
    got = patrol.in_window(t, HourWindow(22, 4), [4])
    assert got.tolist() == [True, True, True, False, False, False]
    # without weekdays only the hours matter
    assert patrol.in_window(t, HourWindow(22, 4)).tolist() == [True, True, True, False, True, True]


def test_weekdays_from_weights() -> None:
    assert patrol.weekdays_from_weights(np.array([0, 0, 0, 0, 5, 5, 0.0])) == (4, 5)
    assert patrol.weekdays_from_weights(np.ones(7)) == tuple(range(7))
    assert patrol.weekdays_from_weights(np.zeros(7)) == tuple(range(7))
    # 10 + 6 of 20 = 80 % >= 70 %: two days
    assert patrol.weekdays_from_weights(np.array([1, 1, 1, 1, 10, 6, 0.0])) == (4, 5)


def test_hour_weekday_profile_aoristic() -> None:
    t0 = _ts("2026-11-27 22:00", "2026-11-25 12:10")  # Friday 22-02 (4 h), Wednesday 12:10
    t1 = _ts("2026-11-28 02:00", "2026-11-25 12:10")
    prof = patrol.hour_weekday_profile(t0, occurred_until=t1)
    assert prof.sum() == pytest.approx(2.0)
    assert prof[4, 22] == prof[4, 23] == prof[5, 0] == prof[5, 1] == pytest.approx(0.25)
    assert prof[2, 12] == pytest.approx(1.0)


# --- weeks and rotation -----------------------------------------------------------------------


def test_iso_week_index_is_consecutive_across_years() -> None:
    # 2026 is a long ISO year (1 January is a Thursday): it has a week 53.
    assert patrol.iso_week_index("2026-W01") - patrol.iso_week_index("2025-W52") == 1
    assert patrol.iso_week_index("2027-W01") - patrol.iso_week_index("2026-W53") == 1
    import datetime as dt

    assert patrol.iso_week_index(dt.date(2026, 11, 26)) == patrol.iso_week_index("2026-W48")
    with pytest.raises(InputSchemaError, match="YYYY-Www"):
        patrol.iso_week_index("week 48")


@pytest.mark.parametrize("n", [2, 3, 4])
def test_rotation_never_repeats_in_consecutive_weeks(n: int) -> None:
    start = patrol.iso_week_index("2026-W50")
    picks = [patrol.rotation_choice(n, start + k, offset=1) for k in range(10)]
    assert all(a != b for a, b in itertools.pairwise(picks))
    assert set(picks) == set(range(n))  # every site gets its turn


# --- geometry ---------------------------------------------------------------------------------


def test_snap_to_lines_golden() -> None:
    lines = np.array([LineString([(0, 0), (10, 0)]), LineString([(0, 10), (10, 10)])])
    snapped, dist, idx = patrol.snap_to_lines(np.array([[5.0, 3.0], [2.0, 9.0]]), lines)
    assert_allclose(snapped, [[5.0, 0.0], [2.0, 10.0]])
    assert_allclose(dist, [3.0, 1.0])
    assert idx.tolist() == [0, 1]


@pytest.fixture
def river() -> tuple[shapely.Geometry, shapely.Geometry]:
    water = box(90, -1000, 110, 1000)  # a 20 m wide river along x = 100
    land = box(-1000, -1000, 1000, 1000).difference(water)
    return water, land


def test_walkable_lines_cut_bridges(river: tuple[shapely.Geometry, shapely.Geometry]) -> None:
    water, land = river
    lines = patrol.walkable_lines([LineString([(0, 0), (200, 0)])], land=land, water=water)
    assert len(lines) == 1
    assert not lines[0].intersects(water)
    # a point on the bridge snaps to a bank, never into the river
    snapped, _, _ = patrol.snap_to_lines(np.array([[100.0, 0.0]]), lines)
    assert not water.intersects(Point(snapped[0]))


def test_place_on_walkable_moves_points_out_of_water(
    river: tuple[shapely.Geometry, shapely.Geometry],
) -> None:
    water, land = river
    lines = patrol.walkable_lines([LineString([(0, 500), (0, -500)])], land=land, water=water)
    xy = np.array([[100.0, 300.0], [20.0, 0.0], [500.0, 500.0]])
    out = patrol.place_on_walkable(xy, lines=lines, land=land, water=water, max_snap_m=50)
    for p in out:
        assert not water.intersects(Point(p))
        assert land.intersects(Point(p))
    assert_allclose(out[1], [0.0, 0.0])  # within 50 m of the street: snapped onto it
    assert_allclose(out[2], [500.0, 500.0])  # far from streets, on land: kept
    assert abs(out[0][0] - 100.0) >= 10.0 + 3.0 - 1e-6  # left the 20 m river, 3 m inland


def test_split_by_water(river: tuple[shapely.Geometry, shapely.Geometry]) -> None:
    water, _ = river
    xy = np.array([[0.0, 0.0], [50.0, 50.0], [200.0, 0.0], [20.0, -40.0]])
    groups = patrol.split_by_water(xy, water)
    assert [sorted(g.tolist()) for g in groups] == [[0, 1, 3], [2]]
    assert len(patrol.split_by_water(xy, None)) == 1


def test_pick_centres_finds_two_clusters(rng: np.random.Generator) -> None:
    a = rng.normal((0, 0), 20, size=(30, 2))
    b = rng.normal((500, 0), 20, size=(10, 2))
    centres = patrol.pick_centres(np.vstack([a, b]), radius_m=80, max_centres=5)
    assert len(centres) == 2
    assert np.hypot(*(centres[0][0] - a.mean(axis=0))) < 15
    assert np.hypot(*(centres[1][0] - b.mean(axis=0))) < 25
    assert centres[0][1] >= centres[1][1]


def test_walking_loop_uncrosses_square() -> None:
    xy = np.array([[0.0, 0.0], [100.0, 100.0], [100.0, 0.0], [0.0, 100.0]])
    loop = patrol.walking_loop(xy)
    assert loop.length_m == pytest.approx(400.0)  # the perimeter, not the crossed tour
    assert sorted(loop.order) == [0, 1, 2, 3]
    line = loop.line()
    assert line.is_closed
    assert line.length == pytest.approx(400.0)


def test_walking_loop_close_to_optimal(rng: np.random.Generator) -> None:
    for _ in range(5):
        xy = rng.uniform(0, 1000, size=(7, 2))
        loop = patrol.walking_loop(xy)
        best = min(
            patrol._tour_length(xy, [0, *perm]) for perm in itertools.permutations(range(1, 7))
        )
        assert best - 1e-6 <= loop.length_m <= 1.1 * best


def test_walking_loop_randomised_keeps_length(rng: np.random.Generator) -> None:
    xy = rng.uniform(0, 500, size=(5, 2))
    base = patrol.walking_loop(xy)
    orders = set()
    for seed in range(8):
        loop = patrol.walking_loop(xy, rng=np.random.default_rng(seed))
        assert loop.length_m == pytest.approx(base.length_m)
        assert sorted(loop.order) == list(range(5))
        orders.add(loop.order)
    assert len(orders) > 1
    # the same seed gives the same order
    again = patrol.walking_loop(xy, rng=np.random.default_rng(3))
    assert again.order == patrol.walking_loop(xy, rng=np.random.default_rng(3)).order


def test_single_stop_loop_is_a_point() -> None:
    loop = patrol.walking_loop(np.array([[5.0, 6.0]]))
    assert loop.length_m == 0.0
    assert loop.line().equals(Point(5, 6))


def test_loop_minutes_golden() -> None:
    # 1000 m at 4 km/h = 15 min, + 3 stops x 12 min = 51 min -> rounded up to 55
    assert patrol.loop_minutes(1000.0, 3, 12.0) == 55
    assert patrol.loop_minutes(0.0, 1, 15.0) == 15


# ---------------------------------------------------------------------- loops and water


def test_a_loop_leg_over_water_goes_back_along_the_shore() -> None:
    dry_loop_line = patrol.dry_loop_line
    lake = box(100.0, -200.0, 300.0, 150.0)  # between the west and east shores
    a, b, c = (0.0, 0.0), (200.0, 300.0), (400.0, 0.0)  # west, north (dry), east
    line = dry_loop_line(np.array([a, b, c]), lake)
    assert [tuple(p) for p in line.coords] == [a, b, c, b, a]  # not c -> a over the lake
    assert not lake.buffer(-2.0).intersects(line)
    leg = float(np.hypot(200.0, 300.0))
    assert line.length == pytest.approx(4 * leg)
    # without water, or with water that no leg crosses, the loop is the plain ring
    assert [tuple(p) for p in dry_loop_line(np.array([a, b, c]), None).coords] == [a, b, c, a]
    far = box(1000.0, 1000.0, 1100.0, 1100.0)
    assert [tuple(p) for p in dry_loop_line(np.array([a, b, c]), far).coords] == [a, b, c, a]


@pytest.mark.parametrize("seed", range(12))
def test_loops_of_stops_joined_by_dry_legs_never_cross_water(seed: int) -> None:
    rng = np.random.default_rng(seed)
    water = shapely.union_all(
        [Point(rng.uniform(0, 1000, 2)).buffer(rng.uniform(40, 160)) for _ in range(4)]
    )
    xy = rng.uniform(0, 1000, (30, 2))
    xy = xy[~np.asarray(shapely.contains_xy(water, xy[:, 0], xy[:, 1]))][:12]
    for group in patrol.split_by_water(xy, water):
        loop = patrol.walking_loop(xy[group])
        line = patrol.dry_loop_line(loop.coords, water)
        assert not water.buffer(-2.0).intersects(line), (seed, group)
        assert line.length >= loop.length_m - 1e-6  # never shorter than the straight tour
        visited = {tuple(p) for p in line.coords}
        assert visited == {tuple(p) for p in xy[group]}  # the loop's stops, nothing else
