"""Placing a week's visits in time: inside their windows, never in the past, one place per team.

Times are wall-clock minutes from Monday 00:00 of the ISO week (a window of Sunday night may
run into the next Monday, minute 10,080 and on).

A suggestion's *windows* are its time window on each of its weekdays, cut at ``not_before``
(the moment the plan is made: nothing is scheduled before it) and dropped when nothing is
left. Visits go round-robin to the windows, heaviest day first, and are spread evenly inside a
window (several visits in one evening are spaced apart, Koper-style).

With ``teams`` patrols, a visit is placed only where one team is free for its whole length:
a team is never in two places at once, and between two of its visits at different places it
has :data:`CHANGEOVER_MINUTES` to get from one to the other. When the preferred start is taken,
the nearest free start in the same window is used (5-minute steps), then in the suggestion's
other windows; a visit that fits nowhere is reported as not placed, and the schedule gives
its time to other suggestions (:func:`hotspots.planning.schedule.build_schedule`).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "CHANGEOVER_MINUTES",
    "MINUTES_PER_WEEK",
    "STEP_MINUTES",
    "Placed",
    "TeamBook",
    "Window",
    "place_visits",
    "suggestion_windows",
]

#: Minutes a team needs between two visits at different places (to get from one to the other).
CHANGEOVER_MINUTES = 10
#: Starts are multiples of this many minutes.
STEP_MINUTES = 5
#: Minutes in a week.
MINUTES_PER_WEEK = 7 * 1440


@dataclass(frozen=True, slots=True)
class Window:
    """One day's time window of a suggestion.

    Attributes
    ----------
    day
        Weekday the window belongs to (Monday = 0): the day it starts on.
    start, end
        Minutes from Monday 00:00 of the week; ``end`` exclusive.
    """

    day: int
    start: int
    end: int

    @property
    def minutes(self) -> int:
        """Length of the window, minutes."""
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Placed:
    """A visit placed in time.

    Attributes
    ----------
    start
        Minutes from Monday 00:00 of the week.
    minutes
        Length of the visit.
    team
        The team that makes it, 1 to the number of teams.
    """

    start: int
    minutes: int
    team: int


def _ceil_step(minute: int) -> int:
    return -(-minute // STEP_MINUTES) * STEP_MINUTES


def suggestion_windows(
    days: Sequence[int],
    day_weights: Sequence[float],
    *,
    start_hour: int,
    hours: int,
    not_before: int | None = None,
) -> list[Window]:
    """The windows of one suggestion in the week, heaviest day first.

    Parameters
    ----------
    days
        Its weekdays (Monday = 0); empty for every day.
    day_weights
        Weight of each weekday (7 values), or anything else for equal weights.
    start_hour, hours
        First hour of the window and its length in hours (it may run past midnight).
    not_before
        Minute of the week before which nothing is scheduled; a window is cut there (to a
        5-minute step) and dropped when nothing is left.

    Returns
    -------
    list of Window
        The windows that are left, ordered by weight (heaviest first), then by day.
    """
    weights = list(day_weights) if len(day_weights) == 7 else [1.0] * 7
    order = sorted(days or range(7), key=lambda d: (-float(weights[d]), d))
    out: list[Window] = []
    for day in order:
        start = day * 1440 + start_hour * 60
        end = start + hours * 60
        if not_before is not None:
            start = max(start, _ceil_step(not_before))
        if end - start >= STEP_MINUTES:
            out.append(Window(day=int(day), start=int(start), end=int(end)))
    return out


class TeamBook:
    """Who is busy when: the visits booked for each team.

    Parameters
    ----------
    teams
        Number of teams (at least 1).
    changeover_minutes
        Gap a team needs between visits at different places.
    """

    def __init__(self, teams: int, *, changeover_minutes: int = CHANGEOVER_MINUTES) -> None:
        self.teams = int(teams)
        self.changeover = int(changeover_minutes)
        # per team: sorted starts, and (start, end, place) in the same order
        self._starts: list[list[int]] = [[] for _ in range(self.teams)]
        self._spans: list[list[tuple[int, int, str]]] = [[] for _ in range(self.teams)]

    def _free(self, team: int, start: int, end: int, place: str) -> bool:
        spans = self._spans[team]
        i = bisect.bisect_left(self._starts[team], start)
        for j in (i - 1, i):
            if 0 <= j < len(spans):
                s, e, p = spans[j]
                gap = 0 if p == place else self.changeover
                if start < e + gap and s < end + gap:
                    return False
        return True

    def free_team(self, start: int, minutes: int, place: str) -> int | None:
        """The first team (0-based) free from ``start`` for ``minutes`` at ``place``, or None."""
        end = start + minutes
        for team in range(self.teams):
            if self._free(team, start, end, place):
                return team
        return None

    def book(self, team: int, start: int, minutes: int, place: str) -> None:
        """Mark ``team`` (0-based) busy from ``start`` for ``minutes`` at ``place``."""
        i = bisect.bisect_left(self._starts[team], start)
        self._starts[team].insert(i, start)
        self._spans[team].insert(i, (start, start + minutes, place))


def _candidates(window: Window, minutes: int, preferred: int) -> list[int]:
    """Starts in ``window`` for a visit of ``minutes``, nearest to ``preferred`` first."""
    last = window.end - minutes
    if last < window.start:
        return []
    first = _ceil_step(window.start)
    if first > last:
        return [window.start]
    starts = np.arange(first, last + 1, STEP_MINUTES)
    order = np.argsort(np.abs(starts - preferred), kind="stable")
    return [int(s) for s in starts[order]]


def place_visits(
    lengths: Sequence[int],
    windows: Sequence[Window],
    *,
    book: TeamBook,
    place: str,
) -> tuple[list[Placed], int]:
    """Place the visits of one suggestion and book their teams.

    Parameters
    ----------
    lengths
        Visit lengths, minutes, in the order the allocation gave them.
    windows
        The suggestion's windows (:func:`suggestion_windows`), heaviest first.
    book
        The teams' bookings so far (updated).
    place
        The suggestion's place (a team moving between visits at one place needs no
        changeover).

    Returns
    -------
    placed : list of Placed
        The visits placed.
    failed : int
        How many visits fit in no window with a free team.
    """
    if not windows:
        return [], len(lengths)
    per_window: dict[int, list[int]] = {}
    for k, length in enumerate(lengths):
        per_window.setdefault(k % len(windows), []).append(int(length))
    placed: list[Placed] = []
    failed = 0
    for w_index, visit_lengths in per_window.items():
        window = windows[w_index]
        slot = window.minutes / len(visit_lengths)
        for k, length in enumerate(visit_lengths):
            preferred = window.start + k * slot + max(0.0, (slot - length) / 2.0)
            preferred = int(STEP_MINUTES * np.floor(preferred / STEP_MINUTES))
            spot = _first_free(window, length, preferred, book, place)
            if spot is None:  # the other windows, nearest their middle
                for other in windows:
                    if other is window:
                        continue
                    middle = (other.start + other.end - length) // 2
                    spot = _first_free(other, length, middle, book, place)
                    if spot is not None:
                        break
            if spot is None:
                failed += 1
                continue
            start, team = spot
            book.book(team, start, length, place)
            placed.append(Placed(start=start, minutes=length, team=team + 1))
    return placed, failed


def _first_free(
    window: Window, minutes: int, preferred: int, book: TeamBook, place: str
) -> tuple[int, int] | None:
    for start in _candidates(window, minutes, preferred):
        team = book.free_team(start, minutes, place)
        if team is not None:
            return start, team
    return None
