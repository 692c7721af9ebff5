"""The plan's tables as people read them: codes turned into words of the interface language.

The schedule and the suggestions carry codes (``fri``, ``foot_patrol``, ``drink_driving``) so
that programs can read them; a person reads Swedish or English words. These functions are the
one place that turns the plan's codes into words, for the CSV files
(:func:`hotspots.io.csv_safety.write_excel_csv` then gives the headers in the same language),
the printable schedule and the app's tables.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from hotspots.core.config import WEEKDAYS
from hotspots.core.i18n import Lang, check_lang, column_label, t, weekday_names
from hotspots.core.taxonomy import label

__all__ = [
    "SUGGESTION_TABLE_COLUMNS",
    "days_words",
    "kind_word",
    "schedule_table",
    "suggestion_table",
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


def days_words(days: Iterable[str], lang: Lang) -> str:
    """Weekday codes as short names, comma separated (``["fri", "sat"]`` -> ``fre, lör``).

    Examples
    --------
    >>> days_words(["fri", "sat"], "sv"), days_words(["fri", "sat"], "en")
    ('fre, lör', 'Fri, Sat')
    """
    codes = [str(d) for d in days]
    known = [WEEKDAYS.index(d) for d in codes if d in WEEKDAYS]
    if len(known) != len(codes):  # not weekday codes: leave them as they are
        return ", ".join(codes)
    return ", ".join(weekday_names(known, lang))


def schedule_table(schedule: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """The schedule with its weekday and kind in words; the columns keep their names.

    Parameters
    ----------
    schedule
        Output of :func:`hotspots.planning.schedule.build_schedule`.
    lang
        ``"sv"`` or ``"en"``.
    """
    language = check_lang(lang)
    out = schedule.copy()
    if "day" in out:
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
        frame["weekdays"] = [days_words(v, language) for v in frame["weekdays"]]
    if "evidence" in frame:
        frame["evidence"] = [_evidence_words(v, language) for v in frame["evidence"]]
    return frame.reset_index(drop=True)


def with_headers(table: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """``table`` with its column names as headers in ``lang`` (for showing it in the app)."""
    return table.rename(columns=lambda c: column_label(str(c), check_lang(lang)))
