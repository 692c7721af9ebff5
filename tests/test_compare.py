from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from hotspots.core.errors import InputSchemaError
from hotspots.core.periods import iso_week
from hotspots.core.schema import TIMEZONE
from hotspots.est.compare import change_test, compare_periods, verdict_text


def test_equal_exposure_hand_values() -> None:
    # 10 vs 5: n = 15, p0 = 1/2; P(X >= 10) = (3003+1365+455+105+15+1)/2^15 = 4944/32768.
    t = change_test(10, 5)
    assert_allclose(t.p_value, 2 * 4944 / 32768, rtol=1e-12)
    assert t.verdict == "no_change"
    assert t.expected == 5.0
    assert t.change == 5.0
    assert t.change_pct == 100.0
    # 20 vs 5: P(X >= 20 | n=25) = (53130+12650+2300+300+25+1)/2^25 = 68406/33554432.
    t = change_test(20, 5)
    assert_allclose(t.p_value, 2 * 68406 / 33554432, rtol=1e-12)
    assert t.verdict == "increase"
    assert verdict_text(t.verdict, t.p_value, "sv") == "Tydlig ökning"
    # 0 vs 6: P(0) = P(6) = 1/64; two-sided = 2/64.
    t = change_test(0, 6)
    assert_allclose(t.p_value, 2 / 64, rtol=1e-12)
    assert t.verdict == "decrease"
    assert verdict_text(t.verdict, t.p_value, "en") == "Decrease, probably more than chance"


def test_unequal_exposure_hand_values() -> None:
    # 3 vs 0 with the reference period twice as long: p0 = 1/3, n = 3.
    # P(3) = 1/27 and every other outcome is more likely, so p = 1/27.
    t = change_test(3, 0, exposure_current=1.0, exposure_reference=2.0)
    assert_allclose(t.p_value, 1 / 27, rtol=1e-9)
    assert t.verdict == "increase"
    assert t.expected == 0.0
    assert math.isnan(t.ratio)
    # 169 incidents in a 169-hour week vs 168 in a 168-hour week: exactly no change.
    t = change_test(169, 168, exposure_current=169.0, exposure_reference=168.0)
    assert_allclose(t.expected, 169.0)
    assert t.change == pytest.approx(0.0)
    assert t.p_value == pytest.approx(1.0)


def test_no_data_and_bad_input() -> None:
    t = change_test(0, 0)
    assert t.verdict == "no_data"
    assert t.p_value == 1.0
    with pytest.raises(InputSchemaError, match="non-negative"):
        change_test(-1, 3)
    with pytest.raises(InputSchemaError, match="positive"):
        change_test(1, 3, exposure_current=0.0)


def test_p_values_lie_in_unit_interval(rng: np.random.Generator) -> None:
    for _ in range(200):
        c, r = rng.integers(0, 40, size=2)
        p = change_test(int(c), int(r), exposure_reference=float(rng.uniform(0.5, 2))).p_value
        assert 0 < p <= 1


def _frame(
    make_incidents: Callable[..., pd.DataFrame], spec: list[tuple[str, str, int]]
) -> pd.DataFrame:
    times: list[pd.Timestamp] = []
    cats: list[str] = []
    for when, cat, n in spec:
        start = pd.Timestamp(when, tz=TIMEZONE)
        times += [start + pd.Timedelta(hours=3 * i) for i in range(n)]
        cats += [cat] * n
    x = np.linspace(413_000, 414_000, len(times))
    y = np.full(len(times), 6_584_000.0)
    return make_incidents(x, y, times=pd.DatetimeIndex(times), categories=cats)


def test_compare_tables(make_incidents: Callable[..., pd.DataFrame]) -> None:
    spec = [
        ("2026-11-16 08:00", "assault_public", 20),  # W47
        ("2026-11-09 08:00", "assault_public", 5),  # W46
        ("2025-11-17 08:00", "assault_public", 10),  # 2025-W47
        ("2026-11-17 08:00", "vandalism", 3),
        ("2026-11-10 08:00", "vandalism", 3),
        ("2026-11-18 08:00", "domestic_violence", 6),
        ("2026-11-11 08:00", "domestic_violence", 2),
        ("2026-10-01 08:00", "robbery", 4),  # outside all three periods
    ]
    inc = _frame(make_incidents, spec)
    districts = pd.Series(["Centrum"] * 25 + ["Kronoparken"] * (len(inc) - 25), index=inc.index)
    comp = compare_periods(inc, iso_week(2026, 47), districts=districts)
    cats = comp.categories.set_index("key")
    assert list(cats.index) == ["assault_public", "vandalism", "domestic_violence"]
    assert cats.loc["assault_public", ["current", "previous", "year_earlier"]].tolist() == [
        20,
        5,
        10,
    ]
    assert_allclose(cats.loc["assault_public", "p_prev"], 2 * 68406 / 33554432, rtol=1e-12)
    assert cats.loc["assault_public", "verdict_prev"] == "increase"
    assert cats.loc["vandalism", "verdict_prev"] == "no_change"
    assert bool(cats.loc["domestic_violence", "restricted"])
    areas = comp.areas.set_index("key")
    assert areas.loc["violence", "current"] == 20
    assert areas.loc["unsafe", "current"] == 3
    assert areas.loc["restricted", "current"] == 6
    assert areas.loc["total", "current"] == 23  # restricted not in the public total
    assert areas.loc["total", "previous"] == 8
    assert "drugs_alcohol" in areas.index  # shown even when zero
    # Districts hold public categories only: 20+5+10 assaults and 6 vandalism.
    dist = comp.districts.set_index("key")
    assert dist["current"].sum() + dist["previous"].sum() + dist["year_earlier"].sum() == 41
    assert not comp.significant().empty


def test_public_profile_suppresses(make_incidents: Callable[..., pd.DataFrame]) -> None:
    spec = [
        ("2026-11-16 08:00", "assault_public", 20),
        ("2026-11-09 08:00", "assault_public", 5),
        ("2026-11-17 08:00", "vandalism", 3),
        ("2026-11-10 08:00", "vandalism", 7),
        ("2026-11-18 08:00", "sexual_offence", 6),
    ]
    inc = _frame(make_incidents, spec)
    pub = compare_periods(inc, iso_week(2026, 47)).public()
    cats = pub.categories.set_index("key")
    assert "sexual_offence" not in cats.index
    assert "restricted" not in set(pub.areas["key"])
    assert pd.isna(cats.loc["vandalism", "current"])  # 3 < 5
    assert cats.loc["vandalism", "previous"] == 7
    assert cats.loc["vandalism", "verdict_prev"] == "suppressed"
    assert pd.isna(cats.loc["vandalism", "p_prev"])
    assert cats.loc["assault_public", "current"] == 20
    assert cats.loc["assault_public", "verdict_prev"] == "increase"
    assert pub.privacy == "public"


def test_compare_requires_columns(make_incidents: Callable[..., pd.DataFrame]) -> None:
    inc = make_incidents([1.0], [2.0])
    with pytest.raises(InputSchemaError, match="category"):
        compare_periods(inc.drop(columns="category"), iso_week(2026, 47))
