"""Weekdays and nights in words, as a patrol planner reads a plan's times.

A night counts to the weekday it starts (:func:`hotspots.engine.select.night_weekday`). A visit
after midnight of a night shift (Saturday 01:00 in the window 23-04, or in a window wholly
after midnight such as 00-03) is therefore named by its night, ``natten fre/lör`` /
``Fri/Sat night``, not by its calendar day: "lör, sön 00–03" would read as visits on Saturday
and Sunday rather than the small hours of two nights.

Light on purpose (no pandas): the map's pop-ups, the plan's tables, the schedule and the
lägesbild all name the plan's days through here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from hotspots.core.config import WEEKDAYS, HourWindow, parse_hours
from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import Lang, t, weekday_names

__all__ = ["NIGHT_END_HOUR", "after_midnight", "days_words", "nights_words", "visit_in_night"]

#: A window wholly between midnight and this hour (``00-03``) is the late part of a night.
NIGHT_END_HOUR = 6


def _window(hours: object) -> HourWindow | None:
    """``hours`` (``"23-04"``) as a window; ``None`` for a missing or unreadable value."""
    if hours is None or (isinstance(hours, float) and math.isnan(hours)):
        return None
    try:
        return parse_hours(str(hours))
    except InputSchemaError:
        return None


def after_midnight(hours: object) -> bool:
    """Whether the window ``hours`` lies wholly after midnight of a night (``00-03``, ``01-05``).

    Examples
    --------
    >>> after_midnight("00-03"), after_midnight("23-04"), after_midnight("08-12")
    (True, False, False)
    """
    window = _window(hours)
    return window is not None and 0 <= window.start < window.end <= NIGHT_END_HOUR


def visit_in_night(start: object, hours: object) -> bool:
    """Whether a visit at ``start`` in the window ``hours`` is in a night's small hours.

    True in a window that wraps midnight (``23-04``) before its end, and in a window wholly
    after midnight (:func:`after_midnight`).

    Examples
    --------
    >>> visit_in_night("01:30", "23-04"), visit_in_night("23:30", "23-04")
    (True, False)
    >>> visit_in_night("00:15", "00-03"), visit_in_night("00:15", "20-00")
    (True, False)
    """
    window = _window(hours)
    try:
        hour = int(str(start).split(":")[0])
    except ValueError:
        return False
    if window is None:
        return False
    if 0 < window.end < window.start:
        return hour < window.end
    return after_midnight(hours)


def nights_words(days: Iterable[int], lang: Lang) -> str:
    """The nights whose late hours fall on the calendar ``days`` (Monday = 0), in words.

    Examples
    --------
    >>> nights_words([5], "sv"), nights_words([5, 6], "sv")
    ('natten fre/lör', 'nätterna fre/lör, lör/sön')
    >>> nights_words([5], "en"), nights_words([0, 5], "en")
    ('Fri/Sat night', 'Sun/Mon, Fri/Sat nights')
    """
    ends = sorted({int(d) % 7 for d in days})
    names = weekday_names(list(range(7)), lang)
    pairs = ", ".join(f"{names[(d - 1) % 7]}/{names[d]}" for d in ends)
    return t("plan_night" if len(ends) == 1 else "plan_nights", lang, nights=pairs)


def days_words(days: Iterable[str | int] | str, lang: Lang, *, hours: object = None) -> str:
    """Weekday codes as short names, comma separated (``["fri", "sat"]`` -> ``fre, lör``).

    ``days`` may also be weekday numbers (Monday = 0) or one text (``"fri,sat"``).

    With ``hours`` wholly after midnight (:func:`after_midnight`), the days are those nights'
    late hours and are named by their nights (``["sat", "sun"]``, ``"00-03"`` ->
    ``nätterna fre/lör, lör/sön``).

    Examples
    --------
    >>> days_words(["fri", "sat"], "sv"), days_words(["fri", "sat"], "en")
    ('fre, lör', 'Fri, Sat')
    >>> days_words(["sat", "sun"], "en", hours="00-03"), days_words([5], "sv", hours="00-03")
    ('Fri/Sat, Sat/Sun nights', 'natten fre/lör')
    """
    items = [d for d in re.split(r"[,;\s]+", days) if d] if isinstance(days, str) else days
    codes = [str(d) for d in items]
    known = [
        WEEKDAYS.index(d) if d in WEEKDAYS else int(d)
        for d in codes
        if d in WEEKDAYS or (d.isdigit() and int(d) < 7)
    ]
    if len(known) != len(codes):  # not weekday codes: leave them as they are
        return ", ".join(codes)
    if known and after_midnight(hours):
        return nights_words(known, lang)
    return ", ".join(weekday_names(known, lang))
