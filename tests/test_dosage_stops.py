"""Stop detection and passages on synthetic tracks with known dwell times."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from hotspots.core.errors import InputSchemaError
from hotspots.dosage.stops import (
    StopParams,
    _candidates,
    _segment_ends,
    detect_stops,
    passages_through,
    segments,
    sorted_pings,
)
from hotspots.dosage.synthetic import Waypoint, simulate_track
from hotspots.dosage.visits import place_visits, visit_summary

X0, Y0 = 414_000.0, 6_583_000.0
START = pd.Timestamp("2026-12-01 19:00", tz="Europe/Stockholm")


def _track(
    dwell_min: list[float],
    *,
    rng: np.random.Generator,
    spacing_m: float = 500.0,
    speed: float = 1.4,
    interval_s: float = 10.0,
    jitter_m: float = 5.0,
    unit: str = "A",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    wps = [Waypoint(X0 - spacing_m, Y0)]
    wps += [Waypoint(X0 + k * spacing_m, Y0, d * 60) for k, d in enumerate(dwell_min)]
    wps += [Waypoint(X0 + len(dwell_min) * spacing_m, Y0)]
    pings, truth = simulate_track(
        wps,
        unit=unit,
        start=START,
        speed_m_s=speed,
        interval_s=interval_s,
        jitter_m=jitter_m,
        rng=rng,
    )
    return pings, truth[truth["dwell_s"] > 0].reset_index(drop=True)


@pytest.mark.parametrize(
    ("speed", "interval_s", "jitter_m"),
    [(1.4, 10.0, 5.0), (1.4, 5.0, 10.0), (1.0, 15.0, 8.0), (10.0, 5.0, 5.0), (12.0, 10.0, 3.0)],
    ids=["walk-10s", "walk-5s-jittery", "slow-15s", "drive-5s", "drive-10s"],
)
def test_known_dwell_times_within_one_minute(
    rng: np.random.Generator, speed: float, interval_s: float, jitter_m: float
) -> None:
    dwell = [4.0, 10.0, 12.5, 15.0, 22.0, 45.0]
    pings, truth = _track(dwell, rng=rng, speed=speed, interval_s=interval_s, jitter_m=jitter_m)
    stops = detect_stops(pings)
    assert len(stops) == len(dwell)
    minutes = (stops["end_ms"] - stops["start_ms"]).to_numpy() / 60_000
    np.testing.assert_allclose(minutes, dwell, atol=1.0)
    # positions: the waypoints, to within the jitter
    np.testing.assert_allclose(stops["x"], truth["x"], atol=jitter_m)
    np.testing.assert_allclose(stops["y"], truth["y"], atol=jitter_m)
    # each detected stop overlaps its true stay
    assert (stops["start_ms"].to_numpy() < truth["leave_ms"].to_numpy()).all()
    assert (stops["end_ms"].to_numpy() > truth["arrive_ms"].to_numpy()).all()


def test_halts_shorter_than_the_minimum_are_not_stops(rng: np.random.Generator) -> None:
    pings, _ = _track([1.0, 2.0, 6.0], rng=rng)
    stops = detect_stops(pings, StopParams(min_stop_s=180))
    assert len(stops) == 1
    assert abs((stops["end_ms"].iloc[0] - stops["start_ms"].iloc[0]) / 60_000 - 6.0) <= 1.0


def test_a_gps_spike_does_not_split_a_stop(rng: np.random.Generator) -> None:
    pings, _ = _track([20.0], rng=rng, jitter_m=3.0)
    inside = np.flatnonzero((np.abs(pings["x"] - X0) < 5).to_numpy())
    spike = inside[len(inside) // 2]
    pings.loc[spike, "x"] += 120.0  # one ping 120 m off, mid-stop
    stops = detect_stops(pings)
    assert len(stops) == 1
    assert abs((stops["end_ms"].iloc[0] - stops["start_ms"].iloc[0]) / 60_000 - 20.0) <= 1.0


def test_no_stop_spans_a_gap_in_the_pings(rng: np.random.Generator) -> None:
    pings, _ = _track([30.0], rng=rng)
    t = pings["t_ms"].to_numpy()
    mid = t[0] + (t[-1] - t[0]) // 2
    gone = (t > mid - 5 * 60_000) & (t < mid + 5 * 60_000)  # tracker off for 10 minutes
    stops = detect_stops(pings[~gone], StopParams(max_gap_s=300))
    assert len(stops) == 2
    assert (stops["end_ms"] < mid).sum() == 1
    assert (stops["start_ms"] > mid).sum() == 1


def test_units_are_kept_apart_whatever_the_row_order(rng: np.random.Generator) -> None:
    a, _ = _track([12.0, 5.0], rng=rng, unit="A")
    b, _ = _track([20.0], rng=rng, unit="B", spacing_m=700.0)
    mixed = pd.concat([a, b], ignore_index=True).sample(frac=1.0, random_state=1)
    stops = detect_stops(mixed)
    assert stops["unit"].tolist() == ["A", "A", "B"]
    again = detect_stops(pd.concat([b, a], ignore_index=True))
    pd.testing.assert_frame_equal(stops, again)


def test_stops_are_ordered_and_disjoint(rng: np.random.Generator) -> None:
    pings, _ = _track([3.5, 8.0, 3.2, 11.0, 4.0], rng=rng, spacing_m=80.0, jitter_m=12.0)
    stops = detect_stops(pings)
    assert (stops["start_ms"] <= stops["end_ms"]).all()
    assert (stops["start_ms"].to_numpy()[1:] > stops["end_ms"].to_numpy()[:-1]).all()
    assert (stops["n_pings"] >= 2).all()


def _anchors_brute(
    x: np.ndarray, y: np.ndarray, t: np.ndarray, seg: np.ndarray, *, radius: float, min_ms: int
) -> np.ndarray:
    """Li's anchor rule ping by ping (the reference)."""
    n = len(t)
    out = np.zeros(n, dtype=bool)
    for i in range(n):
        j = i + 1
        while j < n and seg[j] == seg[i] and t[j] - t[i] < min_ms:
            j += 1
        if j >= n or seg[j] != seg[i]:
            continue
        d = np.hypot(x[i + 1 : j + 1] - x[i], y[i + 1 : j + 1] - y[i])
        out[i] = bool((d <= radius).all())
    return out


def test_vectorised_candidates_include_every_anchor(rng: np.random.Generator) -> None:
    """The cheap bound may keep a ping that cannot anchor, never drop one that can."""
    n = 3000
    steps = rng.normal(0, 6.0, size=(n, 2)) * (rng.random((n, 1)) < 0.5)
    pings = pd.DataFrame(
        {
            "unit": np.repeat(["A", "B", "C"], n // 3),
            "officer": None,
            "t_ms": np.tile(np.cumsum(rng.integers(3_000, 20_000, n // 3)), 3),
            "x": X0 + np.cumsum(steps[:, 0]),
            "y": Y0 + np.cumsum(steps[:, 1]),
        }
    )
    pings = sorted_pings(pings)
    codes = pd.factorize(pings["unit"], sort=True)[0]
    t = pings["t_ms"].to_numpy()
    x, y = pings["x"].to_numpy(), pings["y"].to_numpy()
    seg = segments(codes, t, max_gap_s=15.0)
    truth = _anchors_brute(x, y, t, seg, radius=30.0, min_ms=60_000)
    cand, _ = _candidates(
        x, y, t, seg=seg, seg_end=_segment_ends(seg), radius_m=30.0, min_ms=60_000
    )
    assert truth.sum() > 50
    assert set(np.flatnonzero(truth)) <= set(cand.tolist())
    assert len(cand) < 2 * truth.sum() + 200  # and the bound does prune


def test_koper_and_drive_through_counts_are_exact(rng: np.random.Generator) -> None:
    # stops of 5, 12, 20, 8 and 14 minutes at places P0..P4, then the unit walks through
    # P5 and P6 without stopping and comes back through P6
    dwell = [5.0, 12.0, 20.0, 8.0, 14.0]
    wps = [Waypoint(X0 - 500, Y0)]
    wps += [Waypoint(X0 + 500 * k, Y0, d * 60) for k, d in enumerate(dwell)]
    wps += [Waypoint(X0 + 2500, Y0 + 500), Waypoint(X0 + 2500, Y0 + 2500)]
    wps += [Waypoint(X0 + 2500, Y0 + 1500)]
    pings, _ = simulate_track(wps, unit="A", start=START, rng=rng)
    areas = {f"P{k}": Point(X0 + 500 * k, Y0).buffer(60) for k in range(5)}
    areas["P5"] = Point(X0 + 2500, Y0 + 1000).buffer(60)
    areas["P6"] = Point(X0 + 2500, Y0 + 2000).buffer(60)
    stops = detect_stops(pings)
    passages = passages_through(pings, areas, stops=stops)
    visits = place_visits(stops, areas)
    assert visits["place_id"].tolist() == ["P0", "P1", "P2", "P3", "P4"]
    assert visits["koper"].tolist() == ["short", "koper", "long", "short", "koper"]
    summary = visit_summary(visits, passages, by=("place_id",)).set_index("place_id")
    assert summary["visits"].to_dict() == {f"P{k}": (1 if k < 5 else 0) for k in range(7)}
    assert int(summary["koper_visits"].sum()) == 3  # 12, 20 and 14 minutes
    assert int(summary["long_visits"].sum()) == 1  # 20 minutes, flagged
    assert int(summary["short_visits"].sum()) == 2
    assert summary["drive_throughs"].to_dict() == {
        "P0": 0,
        "P1": 0,
        "P2": 0,
        "P3": 0,
        "P4": 0,
        "P5": 1,
        "P6": 2,
    }
    # presence at a visited place: its stop plus the walk in and out of the 60 m circle
    for k, d in enumerate(dwell):
        assert d - 1 <= summary.loc[f"P{k}", "presence_minutes"] <= d + 60 * 2 / 1.4 / 60 + 1


def test_a_patrol_loop_is_one_passage_with_its_stops(rng: np.random.Generator) -> None:
    loop = LineString([(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 300), (X0, Y0 + 300), (X0, Y0)])
    wps = [
        Waypoint(X0 - 400, Y0),
        Waypoint(X0, Y0, 11 * 60),
        Waypoint(X0 + 300, Y0),
        Waypoint(X0 + 300, Y0 + 300, 13 * 60),
        Waypoint(X0, Y0 + 300),
        Waypoint(X0, Y0),
        Waypoint(X0 - 400, Y0),
    ]
    pings, _ = simulate_track(wps, unit="A", start=START, rng=rng)
    area = {"FP1": loop.buffer(50)}
    passages = passages_through(pings, area)
    assert len(passages) == 1
    assert bool(passages["stopped"].iloc[0])
    walked_min = 1200 / 1.4 / 60  # the loop
    got = (passages["end_ms"].iloc[0] - passages["start_ms"].iloc[0]) / 60_000
    assert 24 + walked_min - 1 <= got <= 24 + walked_min + 2


def test_parameters_are_checked() -> None:
    with pytest.raises(InputSchemaError, match="radius_m"):
        StopParams(radius_m=0)
    with pytest.raises(InputSchemaError, match="exit_s"):
        StopParams(exit_s=-1)


def test_empty_input_gives_empty_frames() -> None:
    empty = pd.DataFrame({"unit": [], "officer": [], "t_ms": [], "x": [], "y": []})
    assert detect_stops(empty).empty
    assert passages_through(empty, {"a": Point(0, 0).buffer(1)}).empty
