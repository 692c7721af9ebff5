"""The place-day comparison: a hand-checked estimate, invariants, honest wording."""

from __future__ import annotations

import dataclasses
import datetime as dt

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point

from hotspots.core.errors import CRSError, InputSchemaError
from hotspots.dosage.effect import (
    _did_point,
    effect_text,
    patrol_effect,
    place_day_status,
    reconcile_key,
)
from hotspots.est.effect import weighted_displacement_quotient

TZ = "Europe/Stockholm"
START = dt.date(2026, 11, 2)
X0, Y0 = 414_000.0, 6_583_000.0


def _visit(place: str, day: dt.date, minutes: float = 12.0) -> tuple[str, int, float]:
    t = pd.Timestamp(day).tz_localize(TZ) + pd.Timedelta(hours=21)
    return place, int(t.tz_convert("UTC").value // 1_000_000), minutes


def _incidents(rows: list[tuple[dt.date, float, float]], category: str = "assault_public"):
    return gpd.GeoDataFrame(
        {
            "occurred_at": [
                pd.Timestamp(d).tz_localize(TZ) + pd.Timedelta(hours=20) for d, _, _ in rows
            ],
            "category": category,
        },
        geometry=gpd.points_from_xy([x for _, x, _ in rows], [y for _, _, y in rows]),
        crs="EPSG:3006",
    )


def test_hand_checked_estimate() -> None:
    # one treated place over 4 days, visited on days 0 and 2; two comparison places
    y = np.array([[1, 3, 0, 2]])
    status = np.array([[1, 0, 1, 0]])
    controls = np.array([[1, 1, 0, 2], [1, 3, 0, 0]], dtype=float)
    m = controls.mean(axis=0)  # 1, 2, 0, 1
    est, obs, n1, n0, places, incidents = _did_point(y, status, m)
    # adjusted: 0, 1, 0, 1 -> visited mean 0, other mean 1 -> DiD -1
    assert est == pytest.approx(-1.0)
    assert obs == pytest.approx(0.5)  # (1 + 0) / 2
    assert (n1, n0, places, incidents) == (2, 2, 1, 6)


def test_status_of_place_days() -> None:
    visits = pd.DataFrame(
        [
            _visit("A", START, 12),
            _visit("A", START + dt.timedelta(days=1), 4),
            _visit("B", START + dt.timedelta(days=1), 4),
            _visit("B", START + dt.timedelta(days=1), 11),
            _visit("A", START + dt.timedelta(days=9), 30),
        ],
        columns=["place_id", "start_ms", "minutes"],
    )
    status = place_day_status(
        visits, ["A", "B", "C"], start=START, end=START + dt.timedelta(days=3)
    )
    assert status.tolist() == [[1, -1, 0], [0, 1, 0], [0, 0, 0]]


def _world(rng: np.random.Generator, *, effect: float, weekend_shock: float = 0.0):
    """30 places 1 km apart; the first 10 visited on 40 % of the days of 8 weeks."""
    end = START + dt.timedelta(weeks=8)
    places = {
        f"P{k}": Point(X0 + 1000 * (k % 6), Y0 + 1000 * (k // 6)).buffer(80) for k in range(30)
    }
    rows, visits = [], []
    for k, (pid, area) in enumerate(places.items()):
        c = area.centroid
        for d in range(-56, 56):
            day = START + dt.timedelta(days=d)
            lam = 0.7 + (weekend_shock if day.weekday() >= 4 else 0.0)
            visited = k < 10 and d >= 0 and rng.random() < 0.4
            if visited:
                visits.append(_visit(pid, day))
                lam *= 1.0 - effect
            for _ in range(rng.poisson(lam)):
                rows.append((day, c.x + rng.uniform(-40, 40), c.y + rng.uniform(-40, 40)))
    frame = pd.DataFrame(visits, columns=["place_id", "start_ms", "minutes"])
    return _incidents(rows), places, frame, end


def test_a_real_reduction_is_found_and_worded_without_claiming_an_effect() -> None:
    incidents, places, visits, end = _world(np.random.default_rng(7), effect=0.6)
    got = patrol_effect(
        incidents, places, visits, start=START, end=end, rng=np.random.default_rng(1)
    )
    assert got.treated == tuple(f"P{k}" for k in range(10))
    assert len(got.controls) == 20
    assert got.place is not None
    assert got.place.high < 0  # the interval excludes zero
    assert got.place.low < -0.7 * 0.6 < got.place.high  # and holds the true difference
    assert got.warnings == ()
    text = " ".join(effect_text(got, "en"))
    assert "Fewer incidents on visit days than expected" in text
    assert "not randomised" in text
    assert "association" in text
    assert "effect of the patrols" not in text
    sv = " ".join(effect_text(got, "sv"))
    assert "lottades inte ut" in sv


def test_no_difference_is_not_called_one() -> None:
    incidents, places, visits, end = _world(np.random.default_rng(11), effect=0.0)
    got = patrol_effect(
        incidents, places, visits, start=START, end=end, rng=np.random.default_rng(2)
    )
    assert got.place is not None
    assert got.place.includes_zero
    text = effect_text(got, "en")
    assert any("cannot be told from chance" in line for line in text)
    assert not any(line.startswith(("Fewer", "More")) for line in text)


def test_day_shocks_shared_by_all_places_cancel(rng: np.random.Generator) -> None:
    """Busy Fridays to Sundays everywhere do not move the estimate (the comparison places
    take them out), however the visits fall on the week."""
    a = _world(np.random.default_rng(3), effect=0.5, weekend_shock=0.0)
    b = _world(np.random.default_rng(3), effect=0.5, weekend_shock=0.0)
    got_a = patrol_effect(*a[:3], start=START, end=a[3], rng=np.random.default_rng(0))
    got_b = patrol_effect(*b[:3], start=START, end=b[3], rng=np.random.default_rng(0))
    assert got_a.place == got_b.place  # seeded: identical
    # add the same extra incidents on every place on Saturdays
    incidents, places, visits, end = a
    extra = [
        (START + dt.timedelta(days=d), area.centroid.x, area.centroid.y)
        for d in range(56)
        if (START + dt.timedelta(days=d)).weekday() == 5
        for area in places.values()
    ]
    shocked = pd.concat([incidents, _incidents(extra)], ignore_index=True)
    got = patrol_effect(shocked, places, visits, start=START, end=end, rng=np.random.default_rng(0))
    assert got.place is not None
    assert got_a.place is not None
    assert got.place.estimate == pytest.approx(got_a.place.estimate)


def test_wdq_is_the_one_of_est_effect() -> None:
    incidents, places, visits, end = _world(np.random.default_rng(5), effect=0.5)
    got = patrol_effect(
        incidents, places, visits, start=START, end=end, rng=np.random.default_rng(0)
    )
    assert got.wdq is not None
    w = got.wdq
    again = weighted_displacement_quotient(
        a_before=w.a_before,
        a_after=w.a_after,
        b_before=w.b_before,
        b_after=w.b_after,
        c_before=w.c_before,
        c_after=w.c_after,
    )
    assert again == w
    assert got.wdq_before == START - dt.timedelta(weeks=8)
    assert w.a_before > w.a_after  # fewer at the treated places in the patrol period


def test_days_without_incident_data_are_cut() -> None:
    incidents, places, visits, end = _world(np.random.default_rng(5), effect=0.5)
    got = patrol_effect(
        incidents,
        places,
        visits,
        start=START,
        end=end + dt.timedelta(days=14),
        rng=np.random.default_rng(0),
    )
    assert "cut_at_data_end" in got.warnings
    assert got.end == end
    late = patrol_effect(
        incidents,
        places,
        visits,
        start=end + dt.timedelta(days=3),
        end=end + dt.timedelta(days=10),
        rng=np.random.default_rng(0),
    )
    assert "no_incident_data" in late.warnings
    assert late.place is None
    assert "no incident data" in effect_text(late, "en")[0]


def test_police_found_incidents_are_left_out_by_default() -> None:
    day = START + dt.timedelta(days=1)
    places = {"A": Point(X0, Y0).buffer(80)}
    visits = pd.DataFrame([_visit("A", day)], columns=["place_id", "start_ms", "minutes"])
    found = _incidents([(day, X0, Y0)] * 5, category="drug_use")  # found by the police
    got = patrol_effect(
        found,
        places,
        visits,
        start=START,
        end=START + dt.timedelta(days=3),
        rng=np.random.default_rng(0),
        data_end=START + dt.timedelta(days=3),
    )
    assert got.place is not None
    assert got.place.incidents == 0
    everything = patrol_effect(
        found,
        places,
        visits,
        start=START,
        end=START + dt.timedelta(days=3),
        rng=np.random.default_rng(0),
        data_end=START + dt.timedelta(days=3),
        reactive_only=False,
    )
    assert everything.place is not None
    assert everything.place.incidents == 5
    assert "few_visit_days" in got.warnings
    assert any("Too few" in line for line in effect_text(got, "en"))


def test_bad_input() -> None:
    incidents, places, visits, end = _world(np.random.default_rng(5), effect=0.5)
    with pytest.raises(CRSError):
        patrol_effect(
            incidents.to_crs(4326),
            places,
            visits,
            start=START,
            end=end,
            rng=np.random.default_rng(0),
        )
    with pytest.raises(InputSchemaError, match="empty"):
        patrol_effect(incidents, places, visits, start=end, end=START, rng=np.random.default_rng(0))
    with pytest.raises(InputSchemaError, match="n_boot"):
        patrol_effect(
            incidents, places, visits, start=START, end=end, rng=np.random.default_rng(0), n_boot=10
        )


# ---------------------------------------------------------- place-days against the WDQ


def _trouble_world(rng: np.random.Generator):
    """Visits go where and when trouble is expected, and they help.

    30 places 1 km apart over 8 weeks before and 8 weeks of patrols. On any day a place has
    trouble expected with probability 0.3 (3 incidents expected, else 0.5; 0.3 a day in its
    surroundings, 150 m away, whatever happens). In the patrol
    weeks the first 10 places are visited on 90 % of their trouble days and 10 % of the
    others, and a visit cuts the expected incidents by 30 %. Visit days still have more
    incidents than other days (they are the trouble days), while the visited places fall
    against the others after the patrols began.
    """
    end = START + dt.timedelta(weeks=8)
    places = {
        f"P{k}": Point(X0 + 1000 * (k % 6), Y0 + 1000 * (k // 6)).buffer(80) for k in range(30)
    }
    rows, visits = [], []
    for k, (pid, area) in enumerate(places.items()):
        c = area.centroid
        for d in range(-56, 56):
            day = START + dt.timedelta(days=d)
            trouble = rng.random() < 0.3
            lam = 3.0 if trouble else 0.5
            if k < 10 and d >= 0 and rng.random() < (0.9 if trouble else 0.1):
                visits.append(_visit(pid, day))
                lam *= 0.7
            for _ in range(rng.poisson(lam)):
                rows.append((day, c.x + rng.uniform(-40, 40), c.y + rng.uniform(-40, 40)))
            for _ in range(rng.poisson(0.3)):  # the surroundings, 150 m away
                rows.append((day, c.x + 150.0, c.y + rng.uniform(-40, 40)))
    frame = pd.DataFrame(visits, columns=["place_id", "start_ms", "minutes"])
    return _incidents(rows), places, frame, end


def test_more_on_visit_days_but_fewer_by_the_wdq_is_explained_as_the_choice_of_days() -> None:
    incidents, places, visits, end = _trouble_world(np.random.default_rng(3))
    got = patrol_effect(
        incidents, places, visits, start=START, end=end, rng=np.random.default_rng(0)
    )
    assert got.place is not None
    assert got.wdq is not None
    assert got.place.estimate > 0  # confounded: visits fall on the trouble days
    assert got.wdq.success_measure < 0  # the places fell against the others
    assert not got.wdq.too_few
    assert reconcile_key(got) == "dosage_reconcile_more"
    en = effect_text(got, "en")
    wdq_at = next(k for k, line in enumerate(en) if "WDQ:" in line)
    assert en[wdq_at + 1].startswith("The WDQ compares the whole time since the first visit")
    assert "not whether the visit days themselves were" in en[wdq_at + 1]
    assert en[wdq_at + 2].startswith("The two comparisons point different ways")
    assert "where and when trouble is expected" in en[wdq_at + 2]
    assert "confounded" in en[wdq_at + 2]
    assert "does not show that the visits raised crime" in en[wdq_at + 2]
    sv = effect_text(got, "sv")
    assert sv[wdq_at + 1].startswith("WDQ jämför hela tiden sedan första besöket")
    assert sv[wdq_at + 2].startswith("Jämförelserna pekar åt olika håll")
    assert "där och när något väntas hända" in sv[wdq_at + 2]
    assert "snedvriden" in sv[wdq_at + 2]
    assert "lottades inte ut" in " ".join(sv)  # the design caveat stays


def _with(effect, *, estimate: float, wdq_counts: tuple[int, ...]):
    """``effect`` with another place-day estimate and a WDQ of the given six counts."""
    a_b, a_a, b_b, b_a, c_b, c_a = wdq_counts
    wdq = weighted_displacement_quotient(
        a_before=a_b, a_after=a_a, b_before=b_b, b_after=b_a, c_before=c_b, c_after=c_a
    )
    place = dataclasses.replace(effect.place, estimate=estimate)
    return dataclasses.replace(effect, place=place, wdq=wdq)


def test_the_reconciling_sentence_is_chosen_by_the_two_directions() -> None:
    incidents, places, visits, end = _world(np.random.default_rng(5), effect=0.5)
    base = patrol_effect(
        incidents, places, visits, start=START, end=end, rng=np.random.default_rng(0)
    )
    fell = (100, 60, 40, 40, 200, 200)  # the places fell against the comparison places
    rose = (60, 100, 40, 40, 200, 200)  # the places rose
    few = (5, 2, 1, 1, 200, 200)  # too few at the places to say anything
    assert reconcile_key(_with(base, estimate=0.4, wdq_counts=fell)) == "dosage_reconcile_more"
    assert reconcile_key(_with(base, estimate=-0.4, wdq_counts=rose)) == "dosage_reconcile_fewer"
    assert reconcile_key(_with(base, estimate=-0.4, wdq_counts=fell)) is None  # they agree
    assert reconcile_key(_with(base, estimate=0.4, wdq_counts=rose)) is None
    assert reconcile_key(_with(base, estimate=0.4, wdq_counts=few)) is None  # WDQ says too few
    assert reconcile_key(dataclasses.replace(base, place=None)) is None
    fewer = effect_text(_with(base, estimate=-0.4, wdq_counts=rose), "en")
    assert any(line.startswith("The two comparisons point different ways. Fewer") for line in fewer)
    assert any("when it is quiet" in line for line in fewer)
    sv = effect_text(_with(base, estimate=-0.4, wdq_counts=rose), "sv")
    assert any("när det är lugnt" in line for line in sv)
    agree = effect_text(_with(base, estimate=-0.4, wdq_counts=fell), "en")
    assert not any("point different ways" in line for line in agree)
    assert any(line.startswith("The WDQ compares") for line in agree)  # said every time
