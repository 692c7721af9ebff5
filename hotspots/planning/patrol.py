"""Geometry and time helpers of the patrol planner (pure, metric CRS, no I/O).

Everything here works on plain numpy arrays, shapely geometries and pandas timestamps in a
projected CRS with metre units. :mod:`hotspots.planning` composes these helpers into suggestions.

Time windows are :class:`hotspots.core.config.HourWindow` (whole hours, may wrap midnight). A
window that wraps midnight belongs to the day on which it *starts*: the night "fri 22-04"
runs from Friday 22:00 to Saturday 04:00, so an incident on Saturday at 01:30 counts for
Friday. :func:`shift_weekday` applies that rule everywhere.

References
----------
Koper, C. S. (1995). Just enough police presence: reducing crime and disorderly behavior by
optimizing patrol time in crime hot spots. *Justice Quarterly* 12(4), 649-672. (Stops of
about 10-15 minutes give the longest residual deterrence per minute spent.)
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from hotspots.core.config import WEEKDAYS, HourWindow
from hotspots.core.errors import InputSchemaError

__all__ = [
    "WALKING_SPEED_M_PER_MIN",
    "Loop",
    "allowed_hours",
    "circular_window_mass",
    "dry_loop_line",
    "hour_weekday_profile",
    "in_window",
    "iso_week_index",
    "loop_minutes",
    "pick_centres",
    "place_on_walkable",
    "rotation_choice",
    "shift_weekday",
    "snap_to_lines",
    "split_by_water",
    "walkable_lines",
    "walking_loop",
    "weekdays_from_weights",
    "weekdays_text",
    "window_from_profile",
]

logger = logging.getLogger(__name__)

#: Patrol walking speed including short pauses, metres per minute (4 km/h).
WALKING_SPEED_M_PER_MIN = 4000.0 / 60.0


# ---------------------------------------------------------------------------------------------
# time


def hour_weekday_profile(
    occurred_at: pd.Series,
    *,
    occurred_until: pd.Series | None = None,
    weights: np.ndarray | None = None,
    max_spread_h: float = 24.0,
) -> np.ndarray:
    """Weekday × hour profile of incidents (7 × 24, Monday first, local time).

    An incident with a known end (``occurred_until``) no longer than ``max_spread_h`` hours
    has its weight spread evenly over the hours it touches (aoristic); longer or open
    intervals count at their start.

    Parameters
    ----------
    occurred_at, occurred_until
        Timezone-aware timestamps (Europe/Stockholm); ``occurred_until`` may be NaT.
    weights
        Weight of each incident (default 1).
    max_spread_h
        Longest interval, hours, that is spread aoristically.

    Returns
    -------
    numpy.ndarray
        ``(7, 24)`` array of summed weights.
    """
    out = np.zeros((7, 24))
    t0 = pd.DatetimeIndex(occurred_at)
    n = len(t0)
    if n == 0:
        return out
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    point = np.ones(n, dtype=bool)
    if occurred_until is not None:
        t1 = pd.DatetimeIndex(occurred_until)
        span_h = np.asarray((t1 - t0).total_seconds(), dtype=float) / 3600.0
        spread = np.isfinite(span_h) & (span_h > 1.0) & (span_h <= max_spread_h)
        point &= ~spread
        for i in np.flatnonzero(spread):
            start = t0[i].floor("h")
            hours = pd.date_range(start, t1[i], freq="h", inclusive="left")
            if len(hours) == 0:
                hours = pd.DatetimeIndex([start])
            share = w[i] / len(hours)
            np.add.at(out, (hours.weekday.to_numpy(), hours.hour.to_numpy()), share)
    idx = np.flatnonzero(point)
    np.add.at(out, (t0.weekday.to_numpy()[idx], t0.hour.to_numpy()[idx]), w[idx])
    return out


def circular_window_mass(hour_weight: np.ndarray, length: int) -> np.ndarray:
    """Sum of ``hour_weight`` over each circular window of ``length`` hours, by start hour."""
    hw = np.asarray(hour_weight, dtype=float)
    ext = np.concatenate([hw, hw])
    csum = np.concatenate([[0.0], np.cumsum(ext)])
    starts = np.arange(24)
    return csum[starts + length] - csum[starts]


def allowed_hours(*windows: HourWindow | Iterable[int] | None) -> frozenset[int] | None:
    """The hours of the day (0-23) inside every one of ``windows``; ``None`` when none is given.

    Each window is an :class:`~hotspots.core.config.HourWindow` or a collection of hours;
    ``None`` leaves the hours open. Two windows may meet in two pieces (``20-06`` and
    ``02-23`` share 20-22 and 02-05).

    Examples
    --------
    >>> sorted(allowed_hours(HourWindow(20, 6), HourWindow(22, 4)))
    [0, 1, 2, 3, 22, 23]
    >>> allowed_hours(None, None) is None
    True
    """
    out: frozenset[int] | None = None
    for window in windows:
        if window is None:
            continue
        hours = frozenset(window.hours() if isinstance(window, HourWindow) else window)
        out = hours if out is None else out & hours
    return out


def window_from_profile(
    hour_weight: np.ndarray,
    *,
    share: float = 0.6,
    min_hours: int = 2,
    max_hours: int = 6,
    allowed: HourWindow | Iterable[int] | None = None,
) -> HourWindow | None:
    """Shortest window (wrapping midnight if needed) holding ``share`` of the hourly weight.

    Lengths from ``min_hours`` to ``max_hours`` are tried in turn; the first whose best
    placement holds at least ``share`` of the total wins, else the best ``max_hours`` window.
    Ties go to the earliest start hour, counted from where the first run of hours with weight
    begins (an even night 22-03 gives 22-01, not 00-03), or from midnight when every hour
    has weight.

    Parameters
    ----------
    hour_weight
        24 weights, one per hour of day (0-23).
    share
        Target share of the weight inside the window (0-1].
    min_hours, max_hours
        Shortest and longest window, hours.
    allowed
        When given (a window, or the hours of several windows' overlap from
        :func:`allowed_hours`), only hours inside it count and the result lies wholly inside
        it (e.g. school hours 07-17). Where no run of ``min_hours`` allowed hours holds
        weight, a shorter window is taken.

    Returns
    -------
    HourWindow or None
        ``None`` when there is no weight (inside ``allowed``) at all.
    """
    hw = np.asarray(hour_weight, dtype=float).copy()
    if hw.shape != (24,):
        msg = f"hour_weight must have 24 values (got shape {hw.shape})"
        raise InputSchemaError(msg)
    inside: frozenset[int] | None = None
    if allowed is not None:
        inside = allowed_hours(allowed)
        mask = np.zeros(24, dtype=bool)
        mask[sorted(inside or ())] = True
        hw[~mask] = 0.0
        max_hours = min(max_hours, len(inside or ()))
    total = float(hw.sum())
    if total <= 0:
        return None
    # the order in which start hours win ties: from the first hour of a run of hours with
    # weight (an even night 22-03 gives 22-01, not 00-03), from midnight when every hour has
    order = (_first_run_start(hw > 0) + np.arange(24)) % 24
    lengths = list(range(max(1, min_hours), max_hours + 1))
    if inside is not None:  # too few hours in a row: shorter windows, longest first
        lengths += list(range(min(max(1, min_hours), max_hours + 1) - 1, 0, -1))
    best: tuple[int, int] | None = None
    for length in lengths:
        if length < min_hours and best is not None:
            break  # shorter windows only when no window of min_hours fits
        mass = circular_window_mass(hw, length)
        if inside is not None:
            # Windows must lie wholly inside the allowed hours and hold some weight.
            ok = np.array([all((s + i) % 24 in inside for i in range(length)) for s in range(24)])
            mass = np.where(ok & (mass > 0), mass, -1.0)
        # the first start in ``order`` that holds the most, up to rounding of the sums
        top = float(mass.max())
        start = int(order[int(np.argmax(mass[order] >= top - 1e-9 * max(1.0, abs(top))))])
        if mass[start] < 0:
            if best is not None:
                break  # longer windows do not fit either
            continue
        best = (start, length)
        if mass[start] >= share * total - 1e-12 or length < min_hours:
            break
    if best is None:  # pragma: no cover - an allowed hour with weight is a window of 1 h
        return None
    start, length = best
    end = (start + length) % 24 or 24
    return HourWindow(start, end)


def _first_run_start(on: np.ndarray) -> int:
    """The earliest hour that is on while the hour before it is off (0 when none is)."""
    starts = np.flatnonzero(on & ~np.roll(on, 1))
    return int(starts[0]) if len(starts) else 0


def shift_weekday(weekday: np.ndarray, hour: np.ndarray, window: HourWindow) -> np.ndarray:
    """Weekday on which ``window`` *started* for events at ``weekday``/``hour``.

    For a window wrapping midnight (e.g. 22-04), hours after midnight belong to the previous
    day's window. For other windows, and hours outside the window, the weekday is unchanged.
    """
    wd = np.asarray(weekday, dtype=int)
    hr = np.asarray(hour, dtype=int)
    wraps = window.start >= (window.end % 24 or 24) and window.end % 24 != 0
    if not wraps:
        return wd.copy()
    after_midnight = hr < window.end % 24
    return np.where(after_midnight, (wd - 1) % 7, wd)


def in_window(
    occurred_at: pd.Series, window: HourWindow, weekdays: Sequence[int] | None = None
) -> np.ndarray:
    """Whether each timestamp falls inside ``window`` on one of ``weekdays``.

    The weekday is the one on which the window started (see :func:`shift_weekday`): with
    ``window=22-04`` and ``weekdays=[4]`` (Friday), Saturday 01:30 is inside and Friday 01:30
    is not.
    """
    t = pd.DatetimeIndex(occurred_at)
    hr = t.hour.to_numpy()
    inside = np.isin(hr, list(window.hours()))
    if weekdays is None:
        return inside
    wd = shift_weekday(t.weekday.to_numpy(), hr, window)
    return inside & np.isin(wd, list(weekdays))


def weekdays_from_weights(
    day_weight: np.ndarray, *, share: float = 0.7, max_days: int = 7
) -> tuple[int, ...]:
    """Fewest weekdays (Monday = 0) holding ``share`` of the weight, heaviest first.

    Days whose weight is at least the mean of the chosen days' weight are kept together, so
    that an even week gives every day. Returns all seven days when there is no weight.
    """
    dw = np.asarray(day_weight, dtype=float)
    total = float(dw.sum())
    if total <= 0:
        return tuple(range(7))
    order = np.argsort(-dw, kind="stable")
    chosen: list[int] = []
    acc = 0.0
    for d in order:
        if len(chosen) >= max_days:
            break
        if acc >= share * total - 1e-12 and dw[d] < 0.999 * dw[chosen[-1]]:
            break
        chosen.append(int(d))
        acc += float(dw[d])
    return tuple(sorted(chosen))


def weekdays_text(weekdays: Sequence[int]) -> list[str]:
    """Weekday codes (``mon``..``sun``) of weekday numbers."""
    return [WEEKDAYS[d] for d in sorted(weekdays)]


def iso_week_index(week: str | dt.date) -> int:
    """Consecutive number of an ISO week (``"2026-W47"`` or any date in it).

    Consecutive weeks get consecutive numbers, also across a year boundary.

    Raises
    ------
    InputSchemaError
        When the text is not ``YYYY-Www``.
    """
    if isinstance(week, dt.date):
        monday = week - dt.timedelta(days=week.weekday())
    else:
        text = str(week).strip()
        try:
            year_s, wk_s = text.upper().split("-W")
            monday = dt.date.fromisocalendar(int(year_s), int(wk_s), 1)
        except ValueError as exc:
            msg = f"week: {week!r} is not an ISO week; write YYYY-Www, e.g. 2026-W47"
            raise InputSchemaError(msg) from exc
    return (monday - dt.date(1970, 1, 5)).days // 7  # 1970-01-05 is a Monday


def rotation_choice(n_candidates: int, week_index: int, *, offset: int = 0) -> int:
    """Candidate used in week ``week_index`` when ``n_candidates`` sites rotate.

    Round-robin: each site is used once every ``n_candidates`` weeks, so with two or more
    candidates the same site is never suggested in two consecutive weeks. ``offset``
    staggers zones so they do not all switch in step.
    """
    if n_candidates <= 0:
        msg = "rotation needs at least one candidate site"
        raise InputSchemaError(msg)
    return (week_index + offset) % n_candidates


# ---------------------------------------------------------------------------------------------
# geometry


def walkable_lines(
    roads: Sequence[BaseGeometry] | np.ndarray,
    *,
    land: BaseGeometry | None,
    water: BaseGeometry | None,
    margin_m: float = 3.0,
) -> np.ndarray:
    """Road lines clipped to land, at least ``margin_m`` metres from water.

    Bridges are cut out, so a point snapped to the result never lies in water.

    Returns
    -------
    numpy.ndarray
        Array of non-empty (multi)line geometries.
    """
    geoms = np.asarray(list(roads), dtype=object)
    if len(geoms) == 0:
        return geoms
    if water is not None and not water.is_empty:
        geoms = shapely.difference(geoms, water.buffer(margin_m))
    if land is not None and not land.is_empty:
        geoms = shapely.intersection(geoms, land)
    keep = ~shapely.is_empty(geoms) & (shapely.length(geoms) > 0)
    return geoms[keep]


def snap_to_lines(xy: np.ndarray, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest point on any of ``lines`` for each point.

    Parameters
    ----------
    xy
        ``(n, 2)`` coordinates, metres.
    lines
        Line geometries in the same CRS.

    Returns
    -------
    snapped, distance_m, line_index
        ``(n, 2)`` snapped coordinates, the distance moved in metres, and the index of the line.
    """
    pts = shapely.points(np.asarray(xy, dtype=float).reshape(-1, 2))
    if len(lines) == 0:
        msg = "no road lines to snap to; the geography needs a roads layer"
        raise InputSchemaError(msg)
    tree = shapely.STRtree(lines)
    (ip, il), dist = tree.query_nearest(pts, return_distance=True, all_matches=False)
    order = np.argsort(ip, kind="stable")
    ip, il, dist = ip[order], il[order], dist[order]
    chosen = np.asarray(lines, dtype=object)[il]
    at = shapely.line_locate_point(chosen, pts[ip])
    snapped = shapely.line_interpolate_point(chosen, at)
    return shapely.get_coordinates(snapped), np.asarray(dist, dtype=float), il


def place_on_walkable(
    xy: np.ndarray,
    *,
    lines: np.ndarray,
    land: BaseGeometry | None,
    water: BaseGeometry | None,
    max_snap_m: float = 80.0,
) -> np.ndarray:
    """Move points onto walkable land near a street.

    A point within ``max_snap_m`` of a walkable street line (see :func:`walkable_lines`) is
    snapped onto it. Any other point is kept, or moved to the nearest point at least 3 m
    inside ``land`` when it lies in water or off land.

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` coordinates, metres.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    out = xy.copy()
    if len(lines):
        snapped, dist, _ = snap_to_lines(xy, lines)
        near = dist <= max_snap_m
        out[near] = snapped[near]
    inner = land.buffer(-3.0) if land is not None and not land.is_empty else None
    for i, (x, y) in enumerate(out):
        p = Point(x, y)
        wet = water is not None and water.intersects(p)
        dry = land is None or land.intersects(p)
        if (wet or not dry) and inner is not None and not inner.is_empty:
            q = shapely.ops.nearest_points(inner, p)[0]
            out[i] = (q.x, q.y)
    return out


def pick_centres(
    xy: np.ndarray,
    *,
    weights: np.ndarray | None = None,
    radius_m: float = 80.0,
    max_centres: int = 5,
    min_share: float = 0.2,
) -> list[tuple[np.ndarray, float, np.ndarray]]:
    """Greedy maximum-coverage choice of patrol points among incident locations.

    Repeatedly take the incident location with the most (weighted) not-yet-covered incidents
    within ``radius_m``; its point is the weighted mean of those incidents. Stop after
    ``max_centres`` or when the next point would cover less than ``min_share`` of what the
    first point covers.

    Returns
    -------
    list of (centre, weight, member_index)
        Centre ``(2,)`` in metres, the covered weight, and indices of covered incidents.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    if n == 0:
        return []
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=float)
    d2 = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    near = d2 <= radius_m**2
    covered = np.zeros(n, dtype=bool)
    out: list[tuple[np.ndarray, float, np.ndarray]] = []
    while len(out) < max_centres:
        free = np.where(covered, 0.0, w)
        gain = near @ free
        best = int(np.argmax(gain))
        if gain[best] <= 0 or (out and gain[best] < min_share * out[0][1]):
            break
        members = np.flatnonzero(near[best] & ~covered)
        centre = np.average(xy[members], axis=0, weights=w[members])
        out.append((centre, float(gain[best]), members))
        covered[members] = True
    return out


def split_by_water(
    xy: np.ndarray, water: BaseGeometry | None, *, tolerance_m: float = 2.0
) -> list[np.ndarray]:
    """Group points that can be joined by straight walks not crossing water.

    Two points are linked when the segment between them does not cross ``water`` (shrunk by
    ``tolerance_m`` so that touching a shore does not count); groups are the connected
    components. Each group becomes its own walking loop.

    Returns
    -------
    list of numpy.ndarray
        Index arrays, largest group first.
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    if n <= 1 or water is None or water.is_empty:
        return [np.arange(n)]
    wet = water.buffer(-tolerance_m)
    shapely.prepare(wet)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if not wet.intersects(LineString([xy[i], xy[j]])):
                parent[find(i)] = find(j)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return sorted((np.array(g) for g in groups.values()), key=lambda g: (-len(g), int(g[0])))


def dry_loop_line(
    coords: np.ndarray, water: BaseGeometry | None, *, tolerance_m: float = 2.0
) -> LineString | Point:
    """The closed loop through ``coords`` in order, as straight legs that never cross water.

    A leg whose straight line would cross ``water`` (shrunk by ``tolerance_m``, so that
    touching a shore does not count) is replaced by the shortest way over the loop's other
    stops whose own legs stay dry: a patrol walks back along the shore instead of over the
    river. The stops of one loop are joined by dry legs (:func:`split_by_water`), so such a
    way exists; were it not to, the leg stays straight.

    Parameters
    ----------
    coords
        ``(n, 2)`` stops in visiting order, metres.
    water
        Water in the same CRS, or ``None``.

    Returns
    -------
    shapely.LineString or shapely.Point
        The closed walk (a Point for one stop); its length is the walk's, metres.
    """
    xy = np.asarray(coords, dtype=float).reshape(-1, 2)
    n = len(xy)
    if n == 1:
        return Point(xy[0])
    ring = [*range(n), 0]
    if water is None or water.is_empty:
        return LineString(xy[ring])
    from scipy.sparse.csgraph import shortest_path  # noqa: PLC0415 - only with water near

    wet = water.buffer(-tolerance_m)
    shapely.prepare(wet)
    i, j = np.triu_indices(n, k=1)
    legs = shapely.linestrings(np.stack([xy[i], xy[j]], axis=1))
    crossing = np.asarray(wet.intersects(legs), dtype=bool) if len(legs) else np.zeros(0, bool)
    if not crossing.any():
        return LineString(xy[ring])
    dist = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    dry = np.zeros((n, n), dtype=bool)
    dry[i[~crossing], j[~crossing]] = True
    dry |= dry.T
    graph = np.where(dry, dist, 0.0)  # 0: no leg (scipy's dense graphs)
    _, before = shortest_path(graph, directed=False, return_predecessors=True)
    walk = [0]
    for a, b in itertools.pairwise(ring):
        if dry[a, b] or before[a, b] < 0:
            walk.append(b)
            continue
        way = [b]
        while way[-1] != a:
            way.append(int(before[a, way[-1]]))
        walk.extend(reversed(way[:-1]))
    return LineString(xy[walk])


@dataclass(frozen=True, slots=True)
class Loop:
    """A closed walking loop through patrol points.

    Attributes
    ----------
    order
        Visiting order (indices into the points given).
    coords
        ``(n, 2)`` coordinates in visiting order, metres.
    length_m
        Length of the closed loop (back to the first point), metres.
    """

    order: tuple[int, ...]
    coords: np.ndarray
    length_m: float

    def line(self) -> LineString | Point:
        """The loop as a closed LineString (a Point when there is a single stop)."""
        if len(self.coords) == 1:
            return Point(self.coords[0])
        ring = np.vstack([self.coords, self.coords[:1]])
        return LineString(ring)


def _tour_length(xy: np.ndarray, order: Sequence[int]) -> float:
    pts = xy[[*order, order[0]]]
    return float(np.hypot(*np.diff(pts, axis=0).T).sum())


def walking_loop(xy: np.ndarray, *, rng: np.random.Generator | None = None) -> Loop:
    """Short closed loop through points: nearest neighbour from the first point, then 2-opt.

    With ``rng``, the optimised loop starts at a random stop and runs in a random direction:
    the visiting order changes while the length stays the same.

    Parameters
    ----------
    xy
        ``(n, 2)`` coordinates in metres, n >= 1.
    rng
        Optional generator for the randomised start and direction.

    Returns
    -------
    Loop
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    n = len(xy)
    if n == 0:
        msg = "a walking loop needs at least one point"
        raise InputSchemaError(msg)
    # nearest neighbour from point 0
    order = [0]
    left = set(range(1, n))
    while left:
        last = xy[order[-1]]
        nxt = min(left, key=lambda j: (float(np.hypot(*(xy[j] - last))), j))
        order.append(nxt)
        left.remove(nxt)
    # 2-opt on the closed tour
    improved = n > 3
    while improved:
        improved = False
        for i in range(1, n - 1):
            for k in range(i + 1, n):
                a, b = xy[order[i - 1]], xy[order[i]]
                c, d = xy[order[k]], xy[order[(k + 1) % n]]
                before = np.hypot(*(a - b)) + np.hypot(*(c - d))
                after = np.hypot(*(a - c)) + np.hypot(*(b - d))
                if after < before - 1e-9:
                    order[i : k + 1] = order[i : k + 1][::-1]
                    improved = True
    if rng is not None and n > 1:
        start = int(rng.integers(n))
        order = order[start:] + order[:start]
        if n > 2 and rng.random() < 0.5:
            order = [order[0], *order[1:][::-1]]
    length = _tour_length(xy, order) if n > 1 else 0.0
    return Loop(order=tuple(order), coords=xy[order], length_m=length)


def loop_minutes(length_m: float, n_stops: int, stop_minutes: float) -> int:
    """Minutes for one round of a loop: walking at 4 km/h plus the stops, rounded up to 5."""
    minutes = length_m / WALKING_SPEED_M_PER_MIN + n_stops * stop_minutes
    return int(5 * np.ceil(minutes / 5.0 - 1e-9))
