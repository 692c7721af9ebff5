from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from shapely.geometry import Point, box

from hotspots.core.errors import CRSError, InputSchemaError
from hotspots.core.schema import TIMEZONE
from hotspots.est.effect import (
    WDQResult,
    effect_areas,
    evaluate_effect,
    interpretation_text,
    weighted_displacement_quotient,
)


def _wdq(*counts: int) -> WDQResult:
    ab, aa, bb, ba, cb, ca = counts
    return weighted_displacement_quotient(
        a_before=ab, a_after=aa, b_before=bb, b_after=ba, c_before=cb, c_after=ca
    )


def test_wdq_golden_diffusion() -> None:
    # A: 40 -> 20, B: 30 -> 18, C: 200 -> 180.
    # SM = 20/180 - 40/200 = 0.111111 - 0.2 = -0.0888889
    # DM = 18/180 - 30/200 = 0.1 - 0.15 = -0.05
    # WDQ = -0.05 / -0.0888889 = 0.5625 (diffusion of benefits, smaller than the direct effect)
    # TNE = (40 * 0.9 - 20) + (30 * 0.9 - 18) = 16 + 9 = 25 incidents prevented
    r = _wdq(40, 20, 30, 18, 200, 180)
    assert_allclose(r.success_measure, -0.08888888888888889, rtol=1e-12)
    assert_allclose(r.displacement_measure, -0.05, rtol=1e-12)
    assert_allclose(r.wdq, 0.5625, rtol=1e-12)
    assert_allclose(r.total_net_effect, 25.0, rtol=1e-12)
    assert r.interpretation == "diffusion"
    assert not r.too_few
    # Target test: A_a = 20 vs A_b = 40 with exposures 180 vs 200: p0 = 180/380, n = 60.
    assert r.target_test is not None
    assert_allclose(r.target_test.expected, 36.0)
    assert r.target_test.verdict == "decrease"


def test_wdq_golden_displacement() -> None:
    # Same target, B: 30 -> 36: DM = 36/180 - 0.15 = 0.05, WDQ = -0.5625;
    # TNE = 16 + (27 - 36) = 7: some displacement, still a net gain.
    r = _wdq(40, 20, 30, 36, 200, 180)
    assert_allclose(r.wdq, -0.5625, rtol=1e-12)
    assert_allclose(r.total_net_effect, 7.0, rtol=1e-12)
    assert r.interpretation == "displacement_less"
    # B: 30 -> 60: DM = 60/180 - 0.15 = 0.183333; WDQ = -2.0625: displacement exceeds the gain.
    r = _wdq(40, 20, 30, 60, 200, 180)
    assert_allclose(r.wdq, 0.18333333333333335 / -0.08888888888888889, rtol=1e-12)
    assert r.interpretation == "displacement_greater"
    assert r.total_net_effect < 0


def test_wdq_no_success_and_small_numbers() -> None:
    # The target got worse relative to the control: WDQ is not interpretable.
    r = _wdq(10, 20, 10, 10, 200, 200)
    assert r.interpretation == "no_success"
    # Tiny counts: warned.
    r = _wdq(3, 1, 2, 2, 10, 12)
    assert r.too_few
    assert {"too_few_target", "too_few_buffer", "too_few_control"} <= set(r.warnings)
    assert "För få" in interpretation_text(r.warnings[0], "sv")
    # No control incidents: undefined.
    r = _wdq(30, 10, 20, 20, 0, 5)
    assert r.interpretation == "undefined"
    assert math.isnan(r.wdq)
    assert "no_control" in r.warnings
    with pytest.raises(InputSchemaError, match="non-negative"):
        _wdq(-1, 0, 0, 0, 1, 1)


def test_effect_areas_do_not_overlap() -> None:
    study = box(0, 0, 5000, 5000)
    a = effect_areas(Point(2500, 2500), study_area=study, target_radius_m=100, buffer_m=200)
    assert_allclose(a.target.area, math.pi * 100**2, rtol=1e-2)
    assert a.target.intersection(a.buffer).area == pytest.approx(0.0, abs=1e-6)
    assert a.control.intersection(a.target.buffer(200)).area == pytest.approx(0.0, abs=1e-6)
    assert a.control.area > 0.9 * study.area
    with pytest.raises(InputSchemaError, match="study area"):
        effect_areas(Point(0, 0))


def test_evaluate_effect_counts_planted_data(
    make_incidents: Callable[..., gpd.GeoDataFrame], rng: np.random.Generator
) -> None:
    action = dt.date(2026, 6, 1)
    place = Point(2500.0, 2500.0)
    study = box(0, 0, 5000, 5000)
    # Target (within 100 m): 40 before, 20 after; buffer (100-300 m): 30 before, 18 after;
    # control (beyond 550 m): 200 before, 180 after; all within 56 days of the action.
    xs: list[float] = []
    ys: list[float] = []
    times: list[pd.Timestamp] = []

    def put(n: int, r0: float, r1: float, after: bool) -> None:
        ang = rng.uniform(0, 2 * np.pi, n)
        rad = rng.uniform(r0, r1, n)
        xs.extend(2500 + rad * np.cos(ang))
        ys.extend(2500 + rad * np.sin(ang))
        day0 = pd.Timestamp(action.isoformat(), tz=TIMEZONE)
        offs = rng.uniform(0, 55, n)
        times.extend(day0 + pd.to_timedelta(offs if after else -offs - 0.5, unit="D"))

    for n, r0, r1, after in [
        (40, 0, 95, False),
        (20, 0, 95, True),
        (30, 105, 295, False),
        (18, 105, 295, True),
        (200, 600, 2400, False),
        (180, 600, 2400, True),
    ]:
        put(n, r0, r1, after)
    inc = make_incidents(np.array(xs), np.array(ys), times=pd.DatetimeIndex(times))
    res = evaluate_effect(
        inc,
        place=place,
        action_date=action,
        study_area=study,
        target_radius_m=100,
        buffer_m=200,
        data_end=dt.date(2026, 8, 1),
    )
    w = res.wdq
    assert (w.a_before, w.a_after, w.b_before, w.b_after, w.c_before, w.c_after) == (
        40,
        20,
        30,
        18,
        200,
        180,
    )
    assert_allclose(w.wdq, 0.5625, rtol=1e-12)
    assert res.days_after == 56
    assert "too_early" not in res.warnings


def test_evaluate_effect_errors(make_incidents: Callable[..., gpd.GeoDataFrame]) -> None:
    inc = make_incidents([1.0, 2.0], [1.0, 2.0], times=["2026-01-01 10:00", "2026-01-02 10:00"])
    with pytest.raises(InputSchemaError, match="no data after"):
        evaluate_effect(
            inc, place=Point(0, 0), action_date=dt.date(2026, 2, 1), study_area=box(0, 0, 9e3, 9e3)
        )
    short = evaluate_effect(
        inc, place=Point(0, 0), action_date=dt.date(2026, 1, 2), study_area=box(0, 0, 9e3, 9e3)
    )
    assert "too_early" in short.warnings
    with pytest.raises(CRSError):
        evaluate_effect(
            inc.set_crs(4326, allow_override=True),
            place=Point(0, 0),
            action_date=dt.date(2026, 1, 2),
            study_area=box(0, 0, 1, 1),
        )
