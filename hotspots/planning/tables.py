"""The plan's tables as people read them: codes turned into words of the interface language.

The schedule and the suggestions carry codes (``fri``, ``foot_patrol``, ``drink_driving``) so
that programs can read them; a person reads Swedish or English words. These functions are the
one place that turns the plan's codes into words, for the CSV files
(:func:`hotspots.io.csv_safety.write_excel_csv` then gives the headers in the same language),
the printable schedule, the app's tables, the map's pop-ups and the lägesbild.

Nights
------
A night counts to the weekday it starts (:func:`hotspots.engine.select.night_weekday`), as a
patrol planner means it. A visit after midnight of a night shift (Saturday 01:00 in the window
23-04, or in a window wholly after midnight such as 00-03) is therefore named by its night,
``natten fre/lör`` / ``Fri/Sat night`` (:mod:`hotspots.core.days`), not by its calendar day:
"lör, sön 00–03" would read as two visits on Saturday and Sunday rather than two nights' late
hours.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from hotspots.core.config import WEEKDAYS
from hotspots.core.days import days_words, nights_words, visit_in_night
from hotspots.core.i18n import Lang, check_lang, column_label, t
from hotspots.core.taxonomy import label

__all__ = [
    "SUGGESTION_TABLE_COLUMNS",
    "days_words",
    "kind_word",
    "schedule_table",
    "shift_date",
    "suggestion_table",
    "visit_day_words",
    "with_headers",
]

#: Columns of :func:`suggestion_table`, in order (``lon``/``lat``/``wkt`` are added by the
#: CSV writer of ``hotspots plan``).
SUGGESTION_TABLE_COLUMNS: tuple[str, ...] = (
    "id",
    "rank",
    "kind",
    "focus",
    "place",
    "district",
    "weekdays",
    "hours",
    "incidents",
    "incidents_in_window",
    "incidents_per_week",
    "harm_per_week",
    "expected_share",
    "proactive_nearby",
    "survey_marks",
    "hotspot_rank",
    "loop_length_m",
    "walk_minutes",
    "stops",
    "stop_minutes",
    "visit_minutes",
    "allocated_minutes",
    "evidence",
    "why",
)


def kind_word(kind: str, lang: Lang) -> str:
    """The word for a suggestion kind (``foot_patrol`` -> ``Fotpatrull``); unknown kinds as given.

    Examples
    --------
    >>> kind_word("foot_patrol", "sv"), kind_word("pub_check", "en")
    ('Fotpatrull', 'Pub check')
    """
    try:
        return t(f"kind_{kind}", lang)
    except KeyError:
        return str(kind)


def visit_day_words(day: object, start: object, hours: object, lang: Lang) -> str:
    """The day of one scheduled visit: its weekday, or its night when after midnight of one.

    Examples
    --------
    >>> visit_day_words("sat", "20:00", "20-00", "sv")
    'lör'
    >>> visit_day_words("sat", "01:00", "23-04", "sv")
    'natten fre/lör'
    """
    code = str(day)
    if code in WEEKDAYS and visit_in_night(start, hours):
        return nights_words([WEEKDAYS.index(code)], lang)
    return days_words([code], lang)


def shift_date(date: object, start: object, hours: object) -> str:
    """The date of the shift a visit belongs to: the evening before for a visit after midnight.

    Examples
    --------
    >>> shift_date("2030-03-09", "01:00", "23-04"), shift_date("2030-03-09", "23:00", "23-04")
    ('2030-03-08', '2030-03-09')
    """
    day = dt.date.fromisoformat(str(date))
    if visit_in_night(start, hours):
        day -= dt.timedelta(days=1)
    return day.isoformat()


def schedule_table(schedule: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The schedule with its weekday and kind in words; the columns keep their names.

    A visit after midnight of a night shift is named by its night (``natten fre/lör``).

    Parameters
    ----------
    schedule
        Output of :func:`hotspots.planning.schedule.build_schedule`.
    lang
        ``"sv"`` or ``"en"``.
    """
    language = check_lang(lang)
    out = schedule.copy()
    if "day" in out and "start" in out and "hours" in out:
        out["day"] = [
            visit_day_words(d, s, h, language)
            for d, s, h in zip(out["day"], out["start"], out["hours"], strict=True)
        ]
    elif "day" in out:
        out["day"] = [days_words([d], language) for d in out["day"]]
    if "kind" in out:
        out["kind"] = [kind_word(k, language) for k in out["kind"]]
    return out


def _evidence_words(evidence: object, lang: Lang) -> str:
    if not isinstance(evidence, dict):
        return ""
    return "; ".join(f"{label(str(code), lang)}: {int(n)}" for code, n in evidence.items())


def suggestion_table(suggestions: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The suggestions as a table to read: words instead of codes, the reason in ``lang``.

    Parameters
    ----------
    suggestions
        The suggestions of a plan (:data:`hotspots.planning.SUGGESTION_COLUMNS`).
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`SUGGESTION_TABLE_COLUMNS` that the suggestions have (``why``:
        the reason in ``lang``), in that order; kind, focus (a category), weekdays and the
        evidence (category: count) in words.
    """
    language = check_lang(lang)
    frame = pd.DataFrame(index=suggestions.index)
    for name in SUGGESTION_TABLE_COLUMNS:
        if name == "why":
            frame[name] = suggestions[f"reason_{language}"]
        elif name in suggestions:
            frame[name] = suggestions[name]
    if "kind" in frame:
        frame["kind"] = [kind_word(k, language) for k in frame["kind"]]
    if "focus" in frame:
        frame["focus"] = [label(str(f), language) if f else "" for f in frame["focus"]]
    if "weekdays" in frame:
        hours = frame["hours"] if "hours" in frame else pd.Series([None] * len(frame))
        frame["weekdays"] = [
            days_words(v, language, hours=h) for v, h in zip(frame["weekdays"], hours, strict=True)
        ]
    if "evidence" in frame:
        frame["evidence"] = [_evidence_words(v, language) for v in frame["evidence"]]
    return frame.reset_index(drop=True)


def with_headers(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """``table`` with its column names as headers in ``lang`` (for showing it in the app)."""
    return table.rename(columns=lambda c: column_label(str(c), check_lang(lang)))
