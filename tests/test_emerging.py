from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy.stats import kendalltau, norm
from shapely.geometry import box

from hotspots.core.errors import InputSchemaError
from hotspots.core.periods import weekly_bins
from hotspots.core.schema import TIMEZONE
from hotspots.est.emerging import (
    classify_series,
    emerging_hotspots,
    mann_kendall,
    mann_kendall_many,
)

# ---------------------------------------------------------------- Mann-Kendall, hand values


def test_mk_monotone_series() -> None:
    # x = 1..5: all 10 pairs increase, S = 10; Var = 5*4*15/18 = 16.6667;
    # Z = (10 - 1)/sqrt(16.6667) = 2.20454; p = 2 * (1 - Phi(2.20454)) = 0.027486.
    r = mann_kendall([1, 2, 3, 4, 5])
    assert r.s == 10
    assert_allclose(r.var_s, 300 / 18)
    assert_allclose(r.z, 9 / math.sqrt(300 / 18))
    assert_allclose(r.z, 2.2045407685, rtol=1e-9)
    assert_allclose(r.p_value, 0.0274857, rtol=1e-4)
    assert r.tau == 1.0
    assert r.trend == "increasing"


def test_mk_with_ties() -> None:
    # x = [1, 2, 2, 3]: pairs (1,2)+ (1,2)+ (1,3)+ (2,2)0 (2,3)+ (2,3)+ -> S = 5.
    # One tie group of size 2: Var = (4*3*13 - 2*1*9)/18 = 138/18 = 7.6667.
    # Z = (5 - 1)/sqrt(7.6667) = 1.444630.
    r = mann_kendall([1, 2, 2, 3])
    assert r.s == 5
    assert_allclose(r.var_s, 138 / 18)
    assert_allclose(r.z, 4 / math.sqrt(138 / 18))
    assert_allclose(r.p_value, 2 * norm.sf(4 / math.sqrt(138 / 18)))
    assert r.trend == "no_trend"


def test_mk_decreasing_with_ties() -> None:
    # x = [3, 1, 2, 1, 0]: one + (1,2), one 0 (1,1), eight - -> S = -7.
    # Ties: value 1 twice -> 2*1*9 = 18; Var = (5*4*15 - 18)/18 = 282/18 = 15.6667.
    # Z = (-7 + 1)/sqrt(15.6667) = -1.515873.
    r = mann_kendall([3, 1, 2, 1, 0])
    assert r.s == -7
    assert_allclose(r.var_s, 282 / 18)
    assert_allclose(r.z, -6 / math.sqrt(282 / 18))
    assert_allclose(r.z, -1.515873, rtol=1e-6)


def test_mk_constant_series() -> None:
    r = mann_kendall([2, 2, 2, 2])
    assert r.s == 0
    assert r.var_s == 0
    assert r.z == 0
    assert r.p_value == 1.0


def test_mk_agrees_with_scipy_kendalltau(rng: np.random.Generator) -> None:
    # Without continuity correction, MK against time equals Kendall's tau test of (t, x):
    # time has no ties, so scipy's tie-corrected variance reduces to the MK one.
    x = rng.integers(0, 5, size=(40, 15)).astype(float)
    _, _, _, p = mann_kendall_many(x, continuity=False)
    t = np.arange(15)
    for row, p_ours in zip(x, p, strict=True):
        if np.all(row == row[0]):
            continue
        ref = kendalltau(t, row, method="asymptotic")
        assert_allclose(p_ours, ref.pvalue, rtol=1e-9)


def test_mk_rejects_short_or_bad_series() -> None:
    with pytest.raises(InputSchemaError, match="at least 3"):
        mann_kendall([1, 2])
    with pytest.raises(InputSchemaError, match="NaN"):
        mann_kendall([1, np.nan, 2])


# ---------------------------------------------------------------- ArcGIS classes


def _row(pattern: str) -> np.ndarray:
    return np.array([c == "H" for c in pattern])


@pytest.mark.parametrize(
    ("pattern", "cold", "trend_z", "expected"),
    [
        ("..........H", "", 0.0, "new"),
        (".........HH", "", 0.0, "consecutive"),
        ("....H....HH", "", 0.0, "sporadic"),
        ("..H.H.H...H", "", 0.0, "sporadic"),
        ("..........H", "...C.......", 0.0, "oscillating"),
        ("HHHHHHHHHHH", "", 0.0, "persistent"),
        ("HHHHHHHHHHH", "", 3.0, "intensifying"),
        ("HHHHHHHHHHH", "", -3.0, "diminishing"),
        (".HHHHHHHHHH", "", 0.0, "persistent"),  # 10/11 >= 90 %
        ("HHHHHHHHHH.", "", 0.0, "historical"),
        ("HHHH.......", "", 0.0, "not_significant"),
        ("...........", "", 0.0, "not_significant"),
    ],
)
def test_classes_follow_arcgis(pattern: str, cold: str, trend_z: float, expected: str) -> None:
    hot = _row(pattern)[None, :]
    cold_row = np.array([c == "C" for c in cold.ljust(len(pattern), ".")])[None, :]
    p = np.array([0.001 if trend_z else 0.5])
    got = classify_series(hot, cold_row, np.array([trend_z]), p)
    assert got.tolist() == [expected]


# ---------------------------------------------------------------- planted space-time patterns


PLANTED: dict[str, list[int]] = {
    # incidents per week at the site, 13 weeks (the first only feeds the time neighbourhood)
    "persistent": [14] * 13,
    "new": [0] * 12 + [24],
    "intensifying": [6, 6, 7, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26],
    "diminishing": [26, 24, 22, 20, 18, 16, 14, 12, 10, 9, 8, 7, 7],
    "sporadic": [0, 0, 0, 20, 0, 0, 0, 0, 20, 0, 0, 0, 20],
    "consecutive": [0] * 10 + [16, 16, 16],
}


def _planted(make_incidents, rng: np.random.Generator, per_week: list[int]):
    weeks = weekly_bins((2026, 47), 13)
    site = (2625.0, 2625.0)
    xs: list[float] = []
    ys: list[float] = []
    ts: list[pd.Timestamp] = []
    for week, k in zip(weeks, per_week, strict=True):
        n = 30 + k  # uniform background plus the site, spread over a block (sd 120 m)
        xs.extend(np.concatenate([rng.uniform(0, 5000, 30), site[0] + rng.normal(0, 120, k)]))
        ys.extend(np.concatenate([rng.uniform(0, 5000, 30), site[1] + rng.normal(0, 120, k)]))
        ts.extend(week.start_ts + pd.Timedelta(hours=float(h)) for h in rng.uniform(0, 167, n))
    return make_incidents(np.array(xs), np.array(ys), times=pd.DatetimeIndex(ts)), site


@pytest.mark.parametrize("expected", list(PLANTED))
def test_planted_patterns_are_recovered(make_incidents, expected: str) -> None:
    for seed in (1, 2, 3):
        inc, (sx, sy) = _planted(make_incidents, np.random.default_rng(seed), PLANTED[expected])
        res = emerging_hotspots(
            inc, end_week=(2026, 47), n_weeks=12, cell_m=250, study_area=box(0, 0, 5000, 5000)
        )
        row, col, inside = res.grid.index(np.array([sx]), np.array([sy]))
        assert inside[0]
        assert res.classes[row[0], col[0]] == expected, (expected, seed)
    assert res.counts.shape[0] == 12
    assert res.weeks[-1].label == "2026-W47"
    assert res.weeks[0].label == "2026-W36"
    # Every incident inside the 12 weeks is in the cube.
    t = inc["occurred_at"]
    in_weeks = (t >= res.weeks[0].start_ts) & (t < res.weeks[-1].end_ts)
    assert res.counts.sum() == int(in_weeks.sum())
    assert expected in set(res.cells["cls"])
    assert res.summary()[expected] >= 1
    assert res.cells.crs.to_epsg() == 3006


def test_background_alone_has_few_patterns(make_incidents) -> None:
    inc, _ = _planted(make_incidents, np.random.default_rng(7), [0] * 13)
    res = emerging_hotspots(inc, end_week=(2026, 47), study_area=box(0, 0, 5000, 5000))
    # Under complete spatial randomness hardly any of the ~480 cells shows a pattern.
    assert len(res.cells) <= 5


def test_restricted_and_imprecise_are_left_out(make_incidents) -> None:
    t = pd.DatetimeIndex(["2026-11-17 22:00"] * 3).tz_localize(TIMEZONE)
    inc = make_incidents(
        [100.0, 200.0, 300.0],
        [100.0, 200.0, 300.0],
        times=t,
        categories=["assault_public", "domestic_violence", "robbery"],
    )
    inc.loc[2, "precision"] = "district"
    res = emerging_hotspots(inc, end_week=(2026, 47), study_area=box(0, 0, 1000, 1000))
    assert res.counts.sum() == 1


def test_emerging_needs_ten_weeks(make_incidents) -> None:
    inc = make_incidents([1.0], [1.0])
    with pytest.raises(InputSchemaError, match="at least 10"):
        emerging_hotspots(inc, end_week=(2026, 47), n_weeks=8)
