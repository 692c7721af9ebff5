"""When incidents happen: aoristic hour x weekday profiles and peak windows (pure).

A time known only as an interval (``occurred_at`` .. ``occurred_until``, e.g. a burglary found
in the morning) is spread evenly over the whole hours it covers, the *aoristic* method
(Ratcliffe 2002). Intervals of a week or longer, and month-only times (police.uk), carry no
hour-of-week information and are spread evenly over all 168 hours of the week. Hours are local
wall-clock hours in Europe/Stockholm (the zone of the frames).

References
----------
Ratcliffe, J. H. (2002). Aoristic signatures and the spatio-temporal analysis of high volume
crime patterns. *Journal of Quantitative Criminology* 18(1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hotspots.core.config import WEEKDAYS, HourWindow

__all__ = [
    "HOURS_PER_WEEK",
    "aoristic_slots",
    "hour_weekday_matrix",
    "night_weekday_profile",
    "peak_hours_window",
    "peak_weekdays",
]

HOURS_PER_WEEK = 168


def aoristic_slots(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Start slot and length in hours of each incident's time, for aoristic spreading.

    Parameters
    ----------
    frame
        Incident frame with ``occurred_at`` (tz-aware), optionally ``occurred_until`` and
        ``time_precision`` (``exact``, ``day``, ``month``).

    Returns
    -------
    start, n_hours
        ``start`` = local weekday * 24 + hour (0-167, Monday 00:00 = 0) of the first hour;
        ``n_hours`` >= 1 whole hours covered, 168 meaning "any hour of the week".
    """
    at = frame["occurred_at"]
    n = len(frame)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # local wall-clock seconds since 1970-01-01 (a Thursday), from one conversion
    local = pd.DatetimeIndex(at).tz_localize(None).as_unit("s").asi8
    day, second_of_day = np.divmod(local, 86_400)
    start = ((day + 3) % 7) * 24 + second_of_day // 3600
    n_hours = np.ones(n, dtype=np.int64)
    if "occurred_until" in frame:
        until = frame["occurred_until"]
        secs = (until - at).dt.total_seconds().to_numpy(dtype=float, na_value=np.nan)
        offset = (second_of_day % 3600).astype(float)  # into the first hour
        span = np.ceil((secs + offset) / 3600.0 - 1e-9)
        ok = np.isfinite(span) & (span > 1)
        n_hours[ok] = np.minimum(span[ok], HOURS_PER_WEEK).astype(np.int64)
    if "time_precision" in frame:
        prec = frame["time_precision"].astype("string").fillna("exact")
        n_hours[np.asarray(prec == "day", dtype=bool) & (n_hours < 24)] = 24
        n_hours[np.asarray(prec == "month", dtype=bool)] = HOURS_PER_WEEK
    return start, np.minimum(n_hours, HOURS_PER_WEEK)


def hour_weekday_matrix(
    start: np.ndarray,
    n_hours: np.ndarray,
    *,
    groups: np.ndarray | None = None,
    n_groups: int = 1,
    weights: np.ndarray | None = None,
) -> np.ndarray:
    """Aoristic weekday x hour counts per group.

    Each incident adds ``weight / n_hours`` to each of its ``n_hours`` hours (wrapping from
    Sunday into Monday), so every incident contributes exactly its weight.

    Parameters
    ----------
    start, n_hours
        From :func:`aoristic_slots`.
    groups
        Group (e.g. hotspot) index per incident, 0..n_groups-1; negative = ignored.
        ``None`` puts all in group 0.
    n_groups
        Number of groups.
    weights
        Weight per incident (default one).

    Returns
    -------
    numpy.ndarray
        ``(n_groups, 7, 24)`` float64, Monday first.
    """
    start = np.asarray(start, dtype=np.int64)
    n_hours = np.asarray(n_hours, dtype=np.int64)
    g = np.zeros(len(start), dtype=np.int64) if groups is None else np.asarray(groups, np.int64)
    w = np.ones(len(start)) if weights is None else np.asarray(weights, dtype=float)
    keep = g >= 0
    start, n_hours, g, w = start[keep], n_hours[keep], g[keep], w[keep]
    # Difference array over two weeks, folded: +w/n at start, -w/n at start + n.
    width = 2 * HOURS_PER_WEEK + 1
    per_hour = w / n_hours
    size = n_groups * width
    diff = np.bincount(g * width + start, weights=per_hour, minlength=size)
    diff -= np.bincount(g * width + start + n_hours, weights=per_hour, minlength=size)
    dense = np.cumsum(diff.reshape(n_groups, width), axis=1)[:, : 2 * HOURS_PER_WEEK]
    week = dense[:, :HOURS_PER_WEEK] + dense[:, HOURS_PER_WEEK:]
    return week.reshape(n_groups, 7, 24)


def peak_hours_window(hour_profile: np.ndarray, *, share: float = 0.5) -> HourWindow | None:
    """The shortest run of consecutive hours (may wrap midnight) holding ``share`` of the weight.

    Ties between runs of the same length go to the one with more weight, then the earliest.

    Parameters
    ----------
    hour_profile
        24 weights, hour 0 first.
    share
        Share of the total weight the window must hold (0-1].

    Returns
    -------
    HourWindow or None
        ``None`` when the profile has no weight.
    """
    prof = np.asarray(hour_profile, dtype=float).ravel()
    total = float(prof.sum())
    if prof.size != 24 or total <= 0:
        return None
    need = share * total * (1 - 1e-9)
    doubled = np.concatenate((prof, prof))
    csum = np.concatenate(([0.0], np.cumsum(doubled)))
    for length in range(1, 25):
        sums = csum[length : length + 24] - csum[:24]
        best = int(np.argmax(sums))
        if sums[best] >= need:
            if length == 24:
                return HourWindow(0, 24)
            return HourWindow(best, (best + length) % 24 or 24)
    return HourWindow(0, 24)


def night_weekday_profile(matrix: np.ndarray, window: HourWindow | None) -> np.ndarray:
    """Weight per weekday of a weekday x hour ``matrix`` (7 x 24), nights to their evening.

    With a ``window`` that wraps midnight (22-04), the hours after midnight count to the
    weekday before, so a Friday-night hotspot's days read Friday, not Saturday (as the
    filters and the planner read a night: :func:`hotspots.engine.select.night_weekday`).
    """
    m = np.asarray(matrix, dtype=float).reshape(7, 24)
    if window is None or not 0 < window.end < window.start:
        return m.sum(axis=1)
    early = np.arange(24) < window.end
    shifted = m.copy()
    shifted[:, early] = np.roll(m[:, early], -1, axis=0)  # Saturday 01:00 -> Friday
    return shifted.sum(axis=1)


def peak_weekdays(weekday_profile: np.ndarray, *, share: float = 0.5) -> list[str]:
    """Fewest weekdays (by weight, not necessarily consecutive) holding ``share`` of the weight.

    Returns weekday codes in calendar order (``["fri", "sat"]``); empty without weight.
    """
    prof = np.asarray(weekday_profile, dtype=float).ravel()
    total = float(prof.sum())
    if total <= 0:
        return []
    order = np.argsort(-prof, kind="stable")
    cum = np.cumsum(prof[order])
    k = int(np.searchsorted(cum, share * total * (1 - 1e-9))) + 1
    return [WEEKDAYS[i] for i in sorted(order[:k].tolist())]
