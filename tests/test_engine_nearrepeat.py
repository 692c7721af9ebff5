from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from hotspots.core.errors import InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.engine.nearrepeat import (
    ZONE_COLUMNS,
    alert_zones,
    knox_by_category,
    knox_test,
    parse_bands,
)

pointpats_spacetime = pytest.importorskip("pointpats.spacetime")

X0, Y0 = 674_000.0, 6_580_000.0  # Stockholm, EPSG:3006


def planted(rng: np.random.Generator, *, n_background: int = 400, n_seeds: int = 60,
            repeats: int = 2, within_m: float = 80.0, within_days: float = 5.0,
            side_m: float = 3000.0, days: float = 365.0):  # fmt: skip
    """Uniform background events in a square over a year, plus near repeats: each seed is
    followed by ``repeats`` events within ``within_m`` and ``within_days`` after it."""
    x = rng.uniform(0, side_m, n_background + n_seeds)
    y = rng.uniform(0, side_m, n_background + n_seeds)
    t = rng.uniform(0, days - within_days, n_background + n_seeds)
    seeds = np.arange(n_background, n_background + n_seeds)
    r = within_m * np.sqrt(rng.uniform(0, 1, (n_seeds, repeats)))
    a = rng.uniform(0, 2 * np.pi, (n_seeds, repeats))
    rx = (x[seeds][:, None] + r * np.cos(a)).ravel()
    ry = (y[seeds][:, None] + r * np.sin(a)).ravel()
    rt = (t[seeds][:, None] + rng.uniform(0, within_days, (n_seeds, repeats))).ravel()
    return np.concatenate([x, rx]), np.concatenate([y, ry]), np.concatenate([t, rt])


# --- golden values ------------------------------------------------------------------------
def test_knox_table_golden_by_hand(rng) -> None:
    # A (0, 0, day 0), B (50, 0, day 3), C (0, 150, day 10), D (500, 0, day 2);
    # bands 0-100, 100-200 m x 0-7, 7-14 days (upper edges inclusive). The six pairs:
    #   AB 50 m 3 d -> (0, 0);  AC 150 m 10 d -> (1, 1);  BC 158.1 m 7 d -> (1, 0)
    #   AD 500 m, BD 450 m, CD 522 m: beyond the space bands (times 2, 1 and 8 days)
    x = np.array([0.0, 50.0, 0.0, 500.0])
    y = np.array([0.0, 0.0, 150.0, 0.0])
    t = np.array([0.0, 3.0, 10.0, 2.0])
    k = knox_test(x, y, t, distance_bands_m=(100, 200), day_bands=(7, 14), permutations=0,
                  rng=rng)  # fmt: skip
    assert_array_equal(k.observed, [[1, 0], [1, 1]])
    assert k.n_pairs == 6
    # NS = (1, 2) space pairs per band; NT = (4, 2): AB, AD, BC, BD within 7 days; AC, CD 8-14
    assert_array_equal(k.space_pairs, [1, 2])
    assert_array_equal(k.time_pairs, [4, 2])
    assert_allclose(k.expected, [[4 / 6, 2 / 6], [8 / 6, 4 / 6]])
    assert_allclose(k.ratio, [[1.5, 0.0], [0.75, 1.5]])
    assert_array_equal(k.p_value, np.ones((2, 2)))  # no permutations: p = 1


def _brute_force_table(x, y, t, s_edges, t_edges) -> np.ndarray:
    """Pairs per band cell by a double loop (an independent implementation)."""
    out = np.zeros((len(s_edges), len(t_edges)), dtype=int)
    for i, j in itertools.combinations(range(len(x)), 2):
        d = math.hypot(x[i] - x[j], y[i] - y[j])
        dt = abs(t[i] - t[j])
        si = next((k for k, e in enumerate(s_edges) if d <= e), None)
        ti = next((k for k, e in enumerate(t_edges) if dt <= e), None)
        if si is not None and ti is not None:
            out[si, ti] += 1
    return out


def test_p_values_match_the_exact_permutation_distribution(rng) -> None:
    # five events have 120 orderings of their times: enumerate them for the exact p-value
    # P(count >= observed), which the Monte Carlo p estimates ((k + 1) / (R + 1))
    x = np.array([0.0, 60.0, 30.0, 400.0, 420.0])
    y = np.array([0.0, 0.0, 80.0, 0.0, 50.0])
    t = np.array([0.0, 2.0, 4.0, 30.0, 9.0])
    s_edges, t_edges = (100.0, 500.0), (5.0, 40.0)
    observed = _brute_force_table(x, y, t, s_edges, t_edges)
    exact = np.zeros_like(observed, dtype=float)
    for perm in itertools.permutations(range(5)):
        exact += _brute_force_table(x, y, t[list(perm)], s_edges, t_edges) >= observed
    exact /= math.factorial(5)
    r = 4999
    k = knox_test(x, y, t, distance_bands_m=s_edges, day_bands=t_edges, permutations=r, rng=rng)
    assert_array_equal(k.observed, observed)
    se = np.sqrt(exact * (1 - exact) / r)
    assert (np.abs(k.p_value - exact) <= 4 * se + 2 / (r + 1)).all(), (k.p_value, exact)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_observed_counts_match_brute_force(seed: int) -> None:
    x, y, t = planted(np.random.default_rng(seed), n_background=80, n_seeds=10, side_m=800.0)
    edges = ((50.0, 120.0, 300.0), (3.0, 10.0, 30.0))
    k = knox_test(x, y, t, distance_bands_m=edges[0], day_bands=edges[1], permutations=0,
                  rng=np.random.default_rng(0))  # fmt: skip
    assert_array_equal(k.observed, _brute_force_table(x, y, t, *edges))


# --- agreement with PySAL pointpats -------------------------------------------------------
@pytest.fixture
def numpy_global_seed():
    """pointpats permutes with NumPy's global generator: seed it, and restore it after."""
    state = np.random.get_state()  # noqa: NPY002 (pointpats' interface)
    np.random.seed(20261204)  # noqa: NPY002
    yield
    np.random.set_state(state)  # noqa: NPY002


@pytest.mark.parametrize(
    ("seed", "n_seeds"),
    [(11, 0), (12, 0), (13, 4), (14, 60)],
    ids=["null", "null2", "weak", "strong"],
)
@pytest.mark.usefixtures("numpy_global_seed")
def test_agrees_with_pointpats_knox(seed: int, n_seeds: int) -> None:
    rng = np.random.default_rng(seed)
    x, y, t = planted(rng, n_background=300, n_seeds=n_seeds, side_m=2000.0)
    delta, tau, r = 150.0, 10.0, 999
    ours = knox_test(x, y, t, distance_bands_m=(delta,), day_bands=(tau,), permutations=r,
                     rng=rng)  # fmt: skip
    theirs = pointpats_spacetime.Knox(np.column_stack((x, y)), t.reshape(-1, 1), delta=delta,
                                      tau=tau, permutations=r)  # fmt: skip
    assert ours.observed[0, 0] == theirs.statistic_
    assert ours.expected[0, 0] == pytest.approx(theirs.expected[0, 0])
    # two independent Monte Carlo estimates of one p: within 4 standard errors of their
    # difference (plus one step of 1 / (R + 1))
    p = 0.5 * (ours.p_value[0, 0] + theirs.p_sim)
    se = math.sqrt(max(p * (1 - p), 1 / (r + 1)) * 2 / r)
    assert abs(ours.p_value[0, 0] - theirs.p_sim) <= 4 * se + 1 / (r + 1)
    if n_seeds >= 60:
        assert ours.p_value[0, 0] == theirs.p_sim == pytest.approx(1 / (r + 1))


def test_cumulative_cells_agree_with_pointpats_thresholds(rng) -> None:
    x, y, t = planted(rng, n_background=200, n_seeds=20, side_m=1500.0)
    k = knox_test(x, y, t, distance_bands_m=(100, 200), day_bands=(7, 14), permutations=0,
                  rng=rng)  # fmt: skip
    for i, delta in enumerate((100, 200)):
        for j, tau in enumerate((7, 14)):
            pp = pointpats_spacetime.Knox(np.column_stack((x, y)), t.reshape(-1, 1),
                                          delta=delta, tau=tau, permutations=0)  # fmt: skip
            assert k.observed[: i + 1, : j + 1].sum() == pp.statistic_


# --- planted pattern, null, invariants ----------------------------------------------------
def test_planted_near_repeats_are_recovered(rng) -> None:
    # repeats within 45 m of their seed are within 90 m of each other: all in the first band
    x, y, t = planted(rng, within_m=45.0)
    r = 199
    k = knox_test(x, y, t, distance_bands_m=(100, 200, 400), day_bands=(7, 14, 28),
                  permutations=r, rng=rng)  # fmt: skip
    assert k.ratio[0, 0] > 3.0
    assert k.p_value[0, 0] == pytest.approx(1 / (r + 1))
    extent = k.near_repeat_extent()
    assert extent is not None
    assert (extent.distance_m, extent.days) == (100.0, 7.0)
    assert not k.significant()[2, 2]
    assert k.as_dict()["near_repeat"] == {
        "distance_m": 100.0, "days": 7.0, "ratio": round(extent.ratio, 4),
        "p_value": round(extent.p_value, 6),
    }  # fmt: skip


def test_no_near_repeats_in_independent_data(rng) -> None:
    x, y, t = planted(rng, n_seeds=0, n_background=600)
    k = knox_test(x, y, t, distance_bands_m=(100, 200, 400), day_bands=(7, 14, 28),
                  permutations=199, rng=rng)  # fmt: skip
    assert k.near_repeat_extent() is None
    assert k.as_dict()["near_repeat"] is None
    assert np.nanmax(np.abs(np.log(k.ratio[1:, 1:]))) < 0.5


def test_invariants(rng) -> None:
    x, y, t = planted(rng, n_background=250, n_seeds=15, side_m=1200.0)
    r = 499
    k = knox_test(x, y, t, distance_bands_m=(100, 250, 500), day_bands=(5, 15, 45),
                  permutations=r, rng=rng)  # fmt: skip
    assert ((k.p_value > 0) & (k.p_value <= 1)).all()
    assert k.observed.sum() <= k.n_pairs
    assert_array_equal(k.observed.sum(axis=1) <= k.space_pairs, True)
    assert_array_equal(k.observed.sum(axis=0) <= k.time_pairs, True)
    assert k.expected.sum() == pytest.approx(k.space_pairs.sum() * k.time_pairs.sum() / k.n_pairs)
    # the permutation mean tends to the exact expectation NS_i NT_j / N
    assert (np.abs(k.simulated_mean - k.expected) <= 5 * np.sqrt(k.expected / r) + 1e-9).all()
    again = knox_test(x, y, t, distance_bands_m=(100, 250, 500), day_bands=(5, 15, 45),
                      permutations=r, rng=np.random.default_rng(12345))  # fmt: skip
    first = knox_test(x, y, t, distance_bands_m=(100, 250, 500), day_bands=(5, 15, 45),
                      permutations=r, rng=np.random.default_rng(12345))  # fmt: skip
    assert_array_equal(again.p_value, first.p_value)


def test_bad_input() -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(InputSchemaError, match="at least two"):
        knox_test([0.0], [0.0], [0.0], rng=rng)
    with pytest.raises(InputSchemaError, match="finite"):
        knox_test([0.0, np.nan], [0.0, 1.0], [0.0, 1.0], rng=rng)
    with pytest.raises(InputSchemaError, match="one value per incident"):
        knox_test([0.0, 1.0], [0.0, 1.0], [0.0], rng=rng)
    with pytest.raises(InputSchemaError, match="day_bands"):
        knox_test([0.0, 1.0], [0.0, 1.0], [0.0, 1.0], day_bands=(7, 7), rng=rng)
    assert parse_bands("100, 200;400", "--x") == (100.0, 200.0, 400.0)
    for bad in ("", "a,b", "200,100", "0,100", "inf"):
        with pytest.raises(InputSchemaError, match="--distance-bands-m"):
            parse_bands(bad, "--distance-bands-m")


# --- incident frames: per category, exclusions, alert zones -------------------------------
def _frame(make_incidents, rng):
    """Vandalism with planted near repeats, robbery without, a restricted category with
    near repeats, and rows that must be left out (coarse place, month-only time)."""
    xv, yv, tv = planted(rng, n_background=200, n_seeds=40)
    xr, yr, tr = planted(rng, n_background=150, n_seeds=0)
    xs, ys, ts = planted(rng, n_background=50, n_seeds=30)
    start = pd.Timestamp("2025-01-01", tz=TIMEZONE)
    x = np.concatenate([xv, xr, xs, [10.0, 20.0]]) + X0
    y = np.concatenate([yv, yr, ys, [10.0, 20.0]]) + Y0
    days = np.concatenate([tv, tr, ts, [3.0, 4.0]])
    times = start + pd.to_timedelta(days, unit="D")
    cats = (["vandalism"] * len(xv) + ["robbery"] * len(xr) + ["sexual_offence"] * len(xs)
            + ["vandalism", "vandalism"])  # fmt: skip
    frame = make_incidents(x, y, times=pd.DatetimeIndex(times), categories=cats)
    frame.loc[len(frame) - 2, "precision"] = "district"
    frame.loc[len(frame) - 1, "time_precision"] = "month"
    return frame, len(xv)


def test_knox_by_category_tests_public_usable_incidents(make_incidents, rng) -> None:
    frame, n_vandalism = _frame(make_incidents, rng)
    a = knox_by_category(frame, permutations=99, min_events=20, rng=rng)
    assert sorted(a.tables) == ["robbery", "vandalism"]  # restricted never tested
    assert a.tables["vandalism"].n_events == n_vandalism
    assert a.tables["robbery"].n_events == 150
    assert (a.excluded_place, a.excluded_time) == (1, 1)
    extents = a.extents()
    assert set(extents) == {"vandalism"}
    assert extents["vandalism"].distance_m == 100.0
    assert extents["vandalism"].days == 7.0
    few = knox_by_category(frame, categories=["robbery", "dui", "sexual_offence"],
                           permutations=9, min_events=200, rng=rng)  # fmt: skip
    assert few.tables == {}
    assert few.too_few == {"dui": 0, "robbery": 150}  # asked for, too few
    # one seed, one result
    b1 = knox_by_category(frame, permutations=49, rng=np.random.default_rng(5))
    b2 = knox_by_category(frame, permutations=49, rng=np.random.default_rng(5))
    assert_array_equal(b1.tables["robbery"].p_value, b2.tables["robbery"].p_value)


def test_knox_needs_a_metric_crs(make_incidents) -> None:
    frame = make_incidents([13.5, 13.6], [59.4, 59.4], crs="EPSG:4326")
    with pytest.raises(InputSchemaError, match="projected metric CRS"):
        knox_by_category(frame, rng=np.random.default_rng(0))


def test_alert_zones_around_new_incidents(make_incidents, rng) -> None:
    frame, _ = _frame(make_incidents, rng)
    a = knox_by_category(frame, permutations=99, rng=rng)
    as_of = frame["occurred_at"].max()
    zones = alert_zones(frame, a)
    assert list(zones.columns) == [*ZONE_COLUMNS, "geometry"]
    assert set(zones["category"]) == {"vandalism"}
    vand = frame[(frame["category"] == "vandalism") & (frame["precision"] == "exact")]
    recent = vand[vand["occurred_at"] >= as_of - pd.Timedelta(days=7)]
    assert len(zones) == len(recent) > 0
    assert zones["active"].all()
    assert (zones["valid_until"] == zones["occurred_at"] + pd.Timedelta(days=7)).all()
    assert zones["occurred_at"].is_monotonic_decreasing
    assert zones.crs.equals(frame.crs)
    # a circle of 100 m around the incident
    assert zones.geometry.area.to_numpy() == pytest.approx(math.pi * 100**2, rel=0.01)
    newest = recent.sort_values("occurred_at").iloc[-1]
    assert zones.geometry.iloc[0].centroid.distance(newest.geometry) < 0.5
    assert zones["label_sv"].iloc[0] == "Skadegörelse / klotter"
    # since: every zone from that date, those past their days no longer active
    since = as_of - pd.Timedelta(days=30)
    more = alert_zones(frame, a, since=since)
    assert len(more) > len(zones)
    assert (~more["active"]).any()
    assert (more.loc[more["active"], "valid_until"] >= as_of).all()
    # nothing significant, no zones
    none = alert_zones(frame[frame["category"] == "robbery"], a)
    assert len(none) == 0
    assert list(none.columns) == [*ZONE_COLUMNS, "geometry"]
