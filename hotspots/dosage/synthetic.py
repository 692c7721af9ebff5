"""Synthetic patrol tracks with known stops: for tests, benchmarks and the demo.

A unit walks (or drives) in straight lines between waypoints at a constant speed, pinging
every ``interval_s`` seconds with a uniform jitter of up to ``jitter_m`` metres on each axis,
and stays at each waypoint for its dwell time. The ground truth (arrival and departure at
each waypoint) comes with the pings.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hotspots.core.errors import InputSchemaError

__all__ = ["Waypoint", "simulate_track"]


@dataclass(frozen=True, slots=True)
class Waypoint:
    """A point the unit goes to and the time it stays there.

    Attributes
    ----------
    x, y
        Position, metres (EPSG:3006).
    dwell_s
        Seconds spent there (0 = passes through).
    """

    x: float
    y: float
    dwell_s: float = 0.0


def simulate_track(
    waypoints: Sequence[Waypoint],
    *,
    unit: str,
    start: pd.Timestamp,
    speed_m_s: float = 1.4,
    interval_s: float = 10.0,
    jitter_m: float = 5.0,
    rng: np.random.Generator,
    officer: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pings of one unit visiting ``waypoints`` in order, and the truth.

    Parameters
    ----------
    waypoints
        Where the unit goes; it starts at the first.
    unit
        Unit id (already a pseudonym, or any text for tests).
    start
        Time of the first ping (timezone-aware).
    speed_m_s
        Speed between waypoints, metres per second (1.4 walking, 8-14 driving in town).
    interval_s
        Seconds between pings.
    jitter_m
        Largest position error on each axis, metres.
    rng
        Random generator for the jitter.
    officer
        Officer id for every ping.

    Returns
    -------
    tuple of pandas.DataFrame
        The pings (``unit``, ``officer``, ``t_ms``, ``x``, ``y``) and the truth, one row per
        waypoint: ``x``, ``y``, ``arrive_ms``, ``leave_ms``, ``dwell_s``.
    """
    if not waypoints:
        msg = "waypoints: give at least one"
        raise InputSchemaError(msg)
    if speed_m_s <= 0 or interval_s <= 0 or jitter_m < 0:
        msg = "speed_m_s and interval_s must be positive, jitter_m non-negative"
        raise InputSchemaError(msg)
    t0 = int(pd.Timestamp(start).tz_convert("UTC").as_unit("ms").asm8.astype(np.int64))
    # the piecewise path: knots of (time s, x, y)
    times = [0.0]
    xs = [waypoints[0].x]
    ys = [waypoints[0].y]
    arrive: list[float] = []
    leave: list[float] = []
    now = 0.0
    for k, wp in enumerate(waypoints):
        if k > 0:
            dist = float(np.hypot(wp.x - xs[-1], wp.y - ys[-1]))
            now += dist / speed_m_s
            times.append(now)
            xs.append(wp.x)
            ys.append(wp.y)
        arrive.append(now)
        if wp.dwell_s > 0:
            now += float(wp.dwell_s)
            times.append(now)
            xs.append(wp.x)
            ys.append(wp.y)
        leave.append(now)
    n = int(np.floor(now / interval_s)) + 1
    ts = np.arange(n) * interval_s
    px = np.interp(ts, times, xs) + rng.uniform(-jitter_m, jitter_m, n)
    py = np.interp(ts, times, ys) + rng.uniform(-jitter_m, jitter_m, n)
    pings = pd.DataFrame(
        {
            "unit": unit,
            "officer": officer,
            "t_ms": t0 + np.round(ts * 1000).astype(np.int64),
            "x": px,
            "y": py,
        }
    )
    truth = pd.DataFrame(
        {
            "x": [w.x for w in waypoints],
            "y": [w.y for w in waypoints],
            "arrive_ms": t0 + np.round(np.asarray(arrive) * 1000).astype(np.int64),
            "leave_ms": t0 + np.round(np.asarray(leave) * 1000).astype(np.int64),
            "dwell_s": [float(w.dwell_s) for w in waypoints],
        }
    )
    return pings, truth
