"""Stops of patrol units and their passages through places, from GPS pings.

Stop detection
--------------
The stay-point rule of Li et al. (2008), as movingpandas' stop detector applies it, made
robust to the two things that split real stops: an anchor taken on the approach and single
GPS spikes. The pings of one unit, in time order, are cut into *segments* wherever two pings
lie more than ``max_gap_s`` apart (the tracker was off: where the unit was in between is
unknown). Within a segment:

1. A ping *i* can **anchor** a stop when every ping up to ``min_stop_s`` after it lies within
   ``radius_m`` of it (Li's rule).
2. From the first anchor on, the stop's centre is the median position of that first
   ``min_stop_s`` of pings; the stop begins at the first of them within ``radius_m`` of the
   centre and runs on while the pings stay within ``radius_m`` of the centre. Pings outside
   for no longer than ``exit_s`` (a spike, a step aside) do not end it; the stop ends at the
   last ping inside. The search for the next anchor resumes after it.
3. Two stops of one segment less than ``merge_s`` apart whose positions lie within
   ``radius_m`` of each other are one stop.

A stop's time is from its first to its last ping, its position the mean of its pings. A
walker's stop is found about ``radius_m / speed`` early and late (20 s each side at 30 m
and 1.4 m/s), so its length is right to within a minute.

The rule is sequential, but only anchors need the forward scan. Whether a ping can anchor is
vectorised over all pings at once (one pass per ping offset, over the pings still in
question), and the walk then visits only such candidates.

Passages
--------
A **passage** of a unit through a place (an area in metres) is a maximal run of consecutive
pings of one segment inside the area; its time is from the first to the last ping inside. A
passage during which the unit made a stop inside the area is a visit; one without a stop is a
**drive-through** (passing through without stopping).

References
----------
Li, Q., Zheng, Y., Xie, X., Chen, Y., Liu, W. & Ma, W.-Y. (2008). Mining user similarity
based on location history. *ACM SIGSPATIAL GIS '08*, 34:1-34:10.

Graser, A. (2019). MovingPandas: efficient structures for movement data in Python.
*GI_Forum* 7(1), 54-68 (``TrajectoryStopDetector``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from hotspots.core.errors import InputSchemaError

__all__ = [
    "StopParams",
    "detect_stops",
    "empty_passages",
    "empty_stops",
    "passages_through",
    "segments",
    "sorted_pings",
]

_MS = 1000


@dataclass(frozen=True, slots=True)
class StopParams:
    """Parameters of stop detection.

    Attributes
    ----------
    radius_m
        Pings within this distance of a stop's first ping belong to the stop, metres (GPS
        jitter of a standing officer is 5-20 m in a town centre).
    min_stop_s
        Shortest stop, seconds; shorter halts are movement (a red light, a look around).
    max_gap_s
        Two pings further apart than this end a segment, seconds: no stop or passage spans
        such a gap.
    exit_s
        Pings outside the stop's radius for up to this long do not end it, seconds.
    merge_s
        Stops of one segment this close in time and within ``radius_m`` of each other are
        merged, seconds.
    """

    radius_m: float = 30.0
    min_stop_s: float = 180.0
    max_gap_s: float = 300.0
    exit_s: float = 30.0
    merge_s: float = 60.0

    def __post_init__(self) -> None:
        if not (np.isfinite(self.exit_s) and self.exit_s >= 0):
            msg = f"exit_s must be a non-negative number (got {self.exit_s})"
            raise InputSchemaError(msg)
        if not (np.isfinite(self.merge_s) and self.merge_s >= 0):
            msg = f"merge_s must be a non-negative number (got {self.merge_s})"
            raise InputSchemaError(msg)
        for name in ("radius_m", "min_stop_s", "max_gap_s"):
            value = getattr(self, name)
            if not (np.isfinite(value) and value > 0):
                msg = f"{name} must be a positive number (got {value})"
                raise InputSchemaError(msg)


def empty_stops() -> pd.DataFrame:
    """A stop frame without rows."""
    return pd.DataFrame(
        {
            "unit": pd.Series(dtype=object),
            "officer": pd.Series(dtype=object),
            "start_ms": pd.Series(dtype="int64"),
            "end_ms": pd.Series(dtype="int64"),
            "x": pd.Series(dtype="float64"),
            "y": pd.Series(dtype="float64"),
            "n_pings": pd.Series(dtype="int64"),
        }
    )


def empty_passages() -> pd.DataFrame:
    """A passage frame without rows."""
    return pd.DataFrame(
        {
            "place_id": pd.Series(dtype=object),
            "unit": pd.Series(dtype=object),
            "start_ms": pd.Series(dtype="int64"),
            "end_ms": pd.Series(dtype="int64"),
            "stopped": pd.Series(dtype=bool),
        }
    )


def sorted_pings(pings: pd.DataFrame) -> pd.DataFrame:
    """``pings`` sorted by unit and time, with a fresh index (a no-op when already so)."""
    codes, _ = pd.factorize(pings["unit"], sort=True)
    t = pings["t_ms"].to_numpy(dtype=np.int64)
    if len(codes) > 1:
        step = np.diff(codes)
        if bool(np.all((step > 0) | ((step == 0) & (np.diff(t) >= 0)))):
            return pings.reset_index(drop=True)
    order = np.lexsort((t, codes))
    return pings.iloc[order].reset_index(drop=True)


def _unit_codes(pings: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Integer code of each ping's unit (sorted pings: codes ascend) and the unit names."""
    codes, uniques = pd.factorize(pings["unit"], sort=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def segments(unit: np.ndarray, t_ms: np.ndarray, *, max_gap_s: float) -> np.ndarray:
    """Segment number of each ping (pings sorted by unit and time; ``unit`` names or codes).

    A new segment starts at each unit's first ping and after each gap longer than
    ``max_gap_s``.
    """
    n = len(t_ms)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    new = np.ones(n, dtype=bool)
    new[1:] = (unit[1:] != unit[:-1]) | (np.diff(t_ms) > max_gap_s * _MS)
    return np.cumsum(new) - 1


def _segment_ends(seg: np.ndarray) -> np.ndarray:
    """Index after the last ping of each ping's segment."""
    n = len(seg)
    starts = np.flatnonzero(np.r_[True, seg[1:] != seg[:-1]])
    ends = np.r_[starts[1:], n]
    return np.repeat(ends, np.diff(np.r_[starts, n]))


def _candidates(
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    *,
    seg: np.ndarray,
    seg_end: np.ndarray,
    radius_m: float,
    min_ms: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Pings that may anchor a stop, and the first ping ``min_ms`` after each ping.

    A ping anchors a stop when a ping ``min_ms`` later exists in its segment and every ping
    up to the first such one lies within the radius. This returns a superset of the anchors,
    cheaply: a ping is ruled out when its window has no such end, or when the first
    power-of-two number of pings of its window (at least half of it) already holds a ping
    further than the radius from it along x or y. Bounding boxes of those windows are built
    by doubling (one vectorised pass per power of two).
    """
    n = len(t)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # A key that increases through every segment and jumps by more than min_ms between
    # segments: the first ping min_ms after each ping is found by one binary search.
    rel = t - t.min()
    spacing = int(rel.max()) + min_ms + 1
    key = seg.astype(np.int64) * spacing + rel
    reach = np.searchsorted(key, key + min_ms, side="left")
    possible = reach < seg_end
    idx = np.flatnonzero(possible)
    length = reach[idx] - idx + 1  # pings in the window, at least 2
    level = np.floor(np.log2(length)).astype(np.int64)
    xmax, xmin, ymax, ymin = x.copy(), x.copy(), y.copy(), y.copy()
    width = 1
    for lev in range(int(level.max()) + 1 if len(level) else 0):
        at = idx[level == lev]
        if len(at):
            out = (
                (xmax[at] - x[at] > radius_m)
                | (x[at] - xmin[at] > radius_m)
                | (ymax[at] - y[at] > radius_m)
                | (y[at] - ymin[at] > radius_m)
            )
            possible[at[out]] = False
        if width < n:  # windows of 2 * width pings (cut at the end of the array)
            xmax[:-width] = np.maximum(xmax[:-width], xmax[width:])
            xmin[:-width] = np.minimum(xmin[:-width], xmin[width:])
            ymax[:-width] = np.maximum(ymax[:-width], ymax[width:])
            ymin[:-width] = np.minimum(ymin[:-width], ymin[width:])
        width *= 2
    return np.flatnonzero(possible), reach


def _median(values: np.ndarray) -> float:
    """Median of a short array (``np.median`` costs more than the sort for a few dozen)."""
    v = np.sort(values)
    m = len(v) // 2
    return float(v[m]) if len(v) % 2 else float((v[m - 1] + v[m]) / 2)


def _anchors(x: np.ndarray, y: np.ndarray, i: int, *, reach: int, r2: float) -> bool:
    """Whether every ping from ``i`` to ``reach`` lies within the radius of ping ``i``."""
    dx = x[i + 1 : reach + 1] - x[i]
    dy = y[i + 1 : reach + 1] - y[i]
    return bool(np.all(dx * dx + dy * dy <= r2))


def _scan_end(
    x: np.ndarray,
    y: np.ndarray,
    t: np.ndarray,
    *,
    centre: tuple[float, float],
    start: int,
    end: int,
    r2: float,
    exit_ms: int,
) -> int:
    """Index after the stop's last ping inside the radius of ``centre``.

    The scan starts at ping ``start`` (taken as inside) and ends before ``end`` or at the
    first ping outside that comes more than ``exit_ms`` after the last ping inside.
    """
    cx, cy = centre
    last_in = start
    j = start + 1
    block = 256
    while j < end:
        stop = min(end, j + block)
        dx = x[j:stop] - cx
        dy = y[j:stop] - cy
        inside = dx * dx + dy * dy <= r2
        idx = np.arange(j, stop)
        last = np.maximum.accumulate(np.where(inside, idx, last_in))
        gone = np.flatnonzero(~inside & (t[j:stop] - t[last] > exit_ms))
        if len(gone):
            return int(last[gone[0]]) + 1
        last_in = int(last[-1])
        j = stop
        block *= 2
    return last_in + 1


def _merge(
    a: np.ndarray,
    b: np.ndarray,
    *,
    cx: np.ndarray,
    cy: np.ndarray,
    t: np.ndarray,
    seg: np.ndarray,
    r2: float,
    merge_ms: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Merge consecutive stops ``[a, b]`` of one segment that are close in time and space.

    ``cx``/``cy`` are cumulative sums of x and y after a leading 0 (the mean of any range).
    """
    out_a = [int(a[0])]
    out_b = [int(b[0])]
    for s0, s1 in zip(a[1:], b[1:], strict=True):
        p0, p1 = out_a[-1], out_b[-1]
        if seg[s0] == seg[p1] and t[s0] - t[p1] <= merge_ms:
            n0, n1 = p1 - p0 + 1, s1 - s0 + 1
            dx = (cx[p1 + 1] - cx[p0]) / n0 - (cx[s1 + 1] - cx[s0]) / n1
            dy = (cy[p1 + 1] - cy[p0]) / n0 - (cy[s1 + 1] - cy[s0]) / n1
            if dx * dx + dy * dy <= r2:
                out_b[-1] = int(s1)
                continue
        out_a.append(int(s0))
        out_b.append(int(s1))
    return np.asarray(out_a, dtype=np.int64), np.asarray(out_b, dtype=np.int64)


def detect_stops(pings: pd.DataFrame, params: StopParams | None = None) -> pd.DataFrame:
    """The stops in ``pings`` (see the module notes).

    Parameters
    ----------
    pings
        Ping frame (``unit``, ``officer``, ``t_ms``, ``x``, ``y``; metres).
    params
        :class:`StopParams`.

    Returns
    -------
    pandas.DataFrame
        One row per stop: ``unit``, ``officer`` (of its first ping), ``start_ms``,
        ``end_ms``, ``x``, ``y`` (mean of its pings, metres), ``n_pings``; by unit and time.
    """
    p = params or StopParams()
    if len(pings) == 0:
        return empty_stops()
    pings = sorted_pings(pings)
    codes, names = _unit_codes(pings)
    t = pings["t_ms"].to_numpy(dtype=np.int64)
    x = pings["x"].to_numpy(dtype=float)
    y = pings["y"].to_numpy(dtype=float)
    seg = segments(codes, t, max_gap_s=p.max_gap_s)
    seg_end = _segment_ends(seg)
    r2 = float(p.radius_m) ** 2
    min_ms = round(p.min_stop_s * _MS)
    exit_ms = round(p.exit_s * _MS)
    cand, reach = _candidates(
        x, y, t, seg=seg, seg_end=seg_end, radius_m=float(p.radius_m), min_ms=min_ms
    )
    first: list[int] = []
    last: list[int] = []
    pos = 0
    k = 0
    n_cand = len(cand)
    while k < n_cand:
        i = int(cand[k])
        if i < pos:
            k = int(np.searchsorted(cand, pos, side="left"))
            continue
        if not _anchors(x, y, i, reach=int(reach[i]), r2=r2):
            k += 1
            continue
        r = int(reach[i])
        centre = (_median(x[i : r + 1]), _median(y[i : r + 1]))
        d2 = (x[i : r + 1] - centre[0]) ** 2 + (y[i : r + 1] - centre[1]) ** 2
        near = np.flatnonzero(d2 <= r2)
        s0 = i + int(near[0]) if len(near) else i
        e = _scan_end(x, y, t, centre=centre, start=r, end=int(seg_end[i]), r2=r2, exit_ms=exit_ms)
        first.append(s0)
        last.append(e - 1)
        pos = e
        k += 1
    if not first:
        return empty_stops()
    cx = np.cumsum(np.r_[0.0, x])
    cy = np.cumsum(np.r_[0.0, y])
    a, b = _merge(
        np.asarray(first, dtype=np.int64),
        np.asarray(last, dtype=np.int64),
        cx=cx,
        cy=cy,
        t=t,
        seg=seg,
        r2=r2,
        merge_ms=round(p.merge_s * _MS),
    )
    counts = b - a + 1
    return pd.DataFrame(
        {
            "unit": names[codes[a]],
            "officer": pings["officer"].to_numpy(dtype=object)[a],
            "start_ms": t[a],
            "end_ms": t[b],
            "x": (cx[b + 1] - cx[a]) / counts,
            "y": (cy[b + 1] - cy[a]) / counts,
            "n_pings": counts,
        }
    )


def passages_through(
    pings: pd.DataFrame,
    areas: dict[str, BaseGeometry],
    *,
    stops: pd.DataFrame | None = None,
    params: StopParams | None = None,
) -> pd.DataFrame:
    """The passages of each unit through each area, and whether it stopped there.

    Parameters
    ----------
    pings
        Ping frame (metres).
    areas
        Place id -> area (polygon, metres).
    stops
        The stops of ``pings`` (found when not given).
    params
        :class:`StopParams` (segments and stops).

    Returns
    -------
    pandas.DataFrame
        ``place_id``, ``unit``, ``start_ms``, ``end_ms`` (first and last ping inside),
        ``stopped`` (a stop of the unit with its position inside the area overlaps the
        passage in time).
    """
    p = params or StopParams()
    if len(pings) == 0 or not areas:
        return empty_passages()
    pings = sorted_pings(pings)
    if stops is None:
        stops = detect_stops(pings, p)
    codes, names = _unit_codes(pings)
    t = pings["t_ms"].to_numpy(dtype=np.int64)
    x = pings["x"].to_numpy(dtype=float)
    y = pings["y"].to_numpy(dtype=float)
    seg = segments(codes, t, max_gap_s=p.max_gap_s)
    code_of = {str(u): k for k, u in enumerate(names)}
    s_unit = np.asarray([code_of.get(str(u), -1) for u in stops["unit"]], dtype=np.int64)
    s_x = stops["x"].to_numpy(dtype=float)
    s_y = stops["y"].to_numpy(dtype=float)
    s_start = stops["start_ms"].to_numpy(dtype=np.int64)
    s_end = stops["end_ms"].to_numpy(dtype=np.int64)
    parts: list[pd.DataFrame] = []
    for place_id, area in areas.items():
        if area is None or area.is_empty:
            continue
        x0, y0, x1, y1 = area.bounds
        box = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
        if not len(box):
            continue
        shapely.prepare(area)
        idx = box[shapely.contains_xy(area, x[box], y[box])]
        if not len(idx):
            continue
        # runs of consecutive ping indices within one segment
        new = np.r_[True, (np.diff(idx) != 1) | (seg[idx[1:]] != seg[idx[:-1]])]
        starts = idx[new]
        ends = idx[np.r_[np.flatnonzero(new)[1:] - 1, len(idx) - 1]]
        run_unit = codes[starts]
        stopped = np.zeros(len(starts), dtype=bool)
        if len(s_unit):
            inside = shapely.contains_xy(area, s_x, s_y)
            for k in np.flatnonzero(inside):
                hit = (run_unit == s_unit[k]) & (t[starts] <= s_end[k]) & (t[ends] >= s_start[k])
                stopped |= hit
        parts.append(
            pd.DataFrame(
                {
                    "place_id": place_id,
                    "unit": names[run_unit],
                    "start_ms": t[starts],
                    "end_ms": t[ends],
                    "stopped": stopped,
                }
            )
        )
    if not parts:
        return empty_passages()
    return pd.concat(parts, ignore_index=True)
