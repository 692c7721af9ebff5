"""Codes to words: the one place that turns the program's codes into the reader's language.

The analysis, the planner and the store speak in codes (``assault_public``,
``high_crime_high_fear``, ``foot_patrol``, ``fri``, ``planerad``, ``naive 25 m``); a person reads
words. Every page of the app, every map pop-up, table and export asks this module for the
words, so a code never reaches a reader and both languages say the same thing.

* one value: :func:`category`, :func:`problem_area`, :func:`crime_fear`,
  :func:`hotspot_kind`, :func:`suggestion_kind`, :func:`weekday`, :func:`place_kind`,
  :func:`action_status`, :func:`gi_class`, :func:`survey_reason`, :func:`time_of_day`,
  :func:`method`, :func:`reject_reason`, :func:`import_kind`;
* lists: :func:`categories_text` (``top_categories`` of a hotspot in any of its shapes),
  :func:`weekdays_text`, :func:`hours_text`;
* frames: :func:`column` (a header, from ``STRINGS["col_..."]``), :func:`column_code` (back)
  and :func:`localise_frame` (headers and the coded values of the known columns), for tables
  and CSV files; :data:`IMPORT_COLUMNS` for the imports table.

Unknown codes come back as they are (never an error): a new code shows up readable enough to
be reported, and the tests list every known one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from hotspots.core.config import WEEKDAYS
from hotspots.core.i18n import STRINGS, Lang, check_lang, t, weekday_names
from hotspots.core.numbers import number_text
from hotspots.core.strings_rejects import localise_reason
from hotspots.core.taxonomy import PROBLEM_AREA_LABELS
from hotspots.core.taxonomy import label as _category_label

__all__ = [
    "ACTION_STATUSES",
    "CRIME_FEAR",
    "HOTSPOT_KINDS",
    "IMPORT_COLUMNS",
    "PRECISION_WORDS",
    "SUGGESTION_KINDS",
    "action_status",
    "categories_text",
    "category",
    "column",
    "column_code",
    "crime_fear",
    "gi_class",
    "hotspot_kind",
    "hours_text",
    "import_kind",
    "localise_frame",
    "method",
    "place_kind",
    "precision",
    "problem_area",
    "reject_reason",
    "suggestion_kind",
    "survey_reason",
    "time_of_day",
    "weekday",
    "weekdays_text",
]

#: The crime × fear classes of a hotspot (``HotspotResult.hotspots["crime_fear"]``).
CRIME_FEAR: dict[str, dict[str, str]] = {
    "high_crime_high_fear": {
        "sv": "Många brott och upplevd otrygghet",
        "en": "Much crime and perceived unsafety",
    },
    "high_crime_low_fear": {
        "sv": "Många brott, upplevs inte otryggt",
        "en": "Much crime, not perceived as unsafe",
    },
    "perceived_unsafe": {
        "sv": "Upplevs otryggt, få brott",
        "en": "Perceived as unsafe, few incidents",
    },
    "low": {"sv": "Få brott, upplevs inte otryggt", "en": "Little crime, not perceived unsafe"},
}

#: Hotspot kinds: concentrations of incidents, or places the survey marks as unsafe.
HOTSPOT_KINDS: dict[str, dict[str, str]] = {
    "crime": {"sv": "Brottskoncentration", "en": "Crime hotspot"},
    "perceived": {"sv": "Otrygg plats (enkät)", "en": "Unsafe place (survey)"},
}

#: Suggestion kinds of the planner (words from :data:`hotspots.core.i18n.STRINGS`).
SUGGESTION_KINDS: tuple[str, ...] = (
    "foot_patrol",
    "traffic_check",
    "pub_check",
    "youth_outreach",
    "school_visit",
)

#: Statuses of the actions log (stored in Swedish: ``planerad``, ``pågår``, ``klar``,
#: ``avbruten``).
ACTION_STATUSES: dict[str, dict[str, str]] = {
    "planerad": {"sv": "planerad", "en": "planned"},
    "pågår": {"sv": "pågår", "en": "ongoing"},
    "klar": {"sv": "klar", "en": "done"},
    "avbruten": {"sv": "avbruten", "en": "cancelled"},
}

#: Location precisions (:data:`hotspots.core.schema.PRECISIONS`) in words.
PRECISION_WORDS: dict[str, dict[str, str]] = {
    "exact": {"sv": "exakt punkt", "en": "exact point"},
    "address": {"sv": "adress", "en": "address"},
    "street": {"sv": "gata", "en": "street"},
    "street_text": {"sv": "gata (ur texten)", "en": "street (from the text)"},
    "district": {"sv": "stadsdel", "en": "district"},
    "municipality": {"sv": "kommun", "en": "municipality"},
}

_IMPORT_KINDS: dict[str, dict[str, str]] = {
    "incidents": {"sv": "händelser", "en": "incidents"},
    "survey": {"sv": "trygghetsenkät", "en": "survey"},
    "actions": {"sv": "åtgärder", "en": "actions"},
    "tracks": {"sv": "patrullspår", "en": "patrol tracks"},
    "activities": {"sv": "aktiviteter", "en": "activities"},
}

#: Headers of the imports table (provenance of each file) where they differ from
#: :func:`column` (``updated`` counts rows there, not a time).
IMPORT_COLUMNS: dict[str, dict[str, str]] = {
    "file_name": {"sv": "Fil", "en": "File"},
    "path": {"sv": "Sökväg", "en": "Path"},
    "sha256": {"sv": "Kontrollsumma (SHA-256)", "en": "Checksum (SHA-256)"},
    "kind": {"sv": "Innehåll", "en": "Content"},
    "format": {"sv": "Format", "en": "Format"},
    "imported_at": {"sv": "Importerad", "en": "Imported"},
    "rows_read": {"sv": "Lästa rader", "en": "Rows read"},
    "accepted": {"sv": "Godkända", "en": "Accepted"},
    "inserted": {"sv": "Nya", "en": "New"},
    "updated": {"sv": "Uppdaterade", "en": "Updated"},
    "unchanged": {"sv": "Oförändrade", "en": "Unchanged"},
    "merged": {"sv": "Sammanslagna", "en": "Merged"},
    "rejected": {"sv": "Avvisade", "en": "Rejected"},
    "rejects_path": {"sv": "Fil med avvisade rader", "en": "Rejected rows file"},
    "crs": {"sv": "Koordinatsystem", "en": "Coordinate system"},
}

#: Which values each known column holds, for :func:`localise_frame`.
_VALUE_COLUMNS: dict[str, str] = {
    "day": "weekday",
    "weekdays": "weekdays",
    "kind": "kind",
    "category": "category",
    "status": "status",
    "crime_fear": "crime_fear",
    "reason": "reject_reason",
    "place_kind": "place_kind",
    "precision": "precision",
}


def _word(table: Mapping[str, Mapping[str, str]], code: Any, lang: Lang) -> str:
    text = "" if code is None else str(code)
    entry = table.get(text)
    return entry[check_lang(lang)] if entry is not None else text


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or an array is never "missing"
        return False


def category(code: Any, lang: Lang = "sv") -> str:
    """The label of an incident category code (``assault_public`` -> ``Misshandel ...``)."""
    return "" if _missing(code) else _category_label(str(code), check_lang(lang))


def problem_area(area: Any, lang: Lang = "sv") -> str:
    """The name of a problem area (``violence`` -> ``Våld i offentlig miljö``)."""
    return "" if _missing(area) else _word(PROBLEM_AREA_LABELS, area, lang)


def crime_fear(code: Any, lang: Lang = "sv") -> str:
    """The crime × fear class of a hotspot in words (empty without a survey)."""
    return "" if _missing(code) else _word(CRIME_FEAR, code, lang)


def hotspot_kind(kind: Any, lang: Lang = "sv") -> str:
    """``crime`` or ``perceived`` in words."""
    return "" if _missing(kind) else _word(HOTSPOT_KINDS, kind, lang)


def suggestion_kind(kind: Any, lang: Lang = "sv") -> str:
    """A plan suggestion kind in words (``foot_patrol`` -> ``Fotpatrull``)."""
    if _missing(kind):
        return ""
    key = f"kind_{kind}"
    return t(key, check_lang(lang)) if key in STRINGS else str(kind)


def place_kind(kind: Any, lang: Lang = "sv") -> str:
    """A kind of named place in words (``nightlife_street`` -> ``krogstråk``)."""
    if _missing(kind):
        return ""
    key = f"place_{kind}"
    return t(key, check_lang(lang)) if key in STRINGS else str(kind)


def weekday(day: Any, lang: Lang = "sv") -> str:
    """A weekday, given as 0-6 (Monday = 0) or as a code ``mon`` ... ``sun``, in words."""
    if _missing(day):
        return ""
    if isinstance(day, int | np.integer) and 0 <= int(day) < 7:
        return weekday_names([int(day)], check_lang(lang))[0]
    text = str(day).strip().lower()
    if text in WEEKDAYS:
        return weekday_names([WEEKDAYS.index(text)], check_lang(lang))[0]
    return str(day)


def weekdays_text(days: Any, lang: Lang = "sv") -> str:
    """Weekdays (a list of numbers or codes, or ``"fri,sat"``) as ``fre, lör``."""
    if days is None or (isinstance(days, float) and np.isnan(days)):
        return ""
    if isinstance(days, str):
        days = [d for d in re.split(r"[,;\s]+", days) if d]
    return ", ".join(weekday(d, lang) for d in days)


def hours_text(value: Any) -> str:
    """An hour window for reading: ``"22-04"`` -> ``"22–04"``; hours ``[22, 23]`` -> ``"22, 23"``.

    Empty for a missing value (a table never shows ``None``).
    """
    if value is None:
        return ""
    if isinstance(value, list | tuple | np.ndarray):
        return ", ".join(f"{int(h):02d}" for h in value)
    if _missing(value):
        return ""
    text = str(value).strip()
    return "" if text.lower() in ("none", "nan", "<na>") else text.replace("-", "–")


def precision(code: Any, lang: Lang = "sv") -> str:
    """A location precision in words (``"address"`` -> ``"adress"``); unknown codes as given."""
    return _word(PRECISION_WORDS, code, lang)


def action_status(status: Any, lang: Lang = "sv") -> str:
    """A status of the actions log in words (``planerad`` -> ``planned`` in English)."""
    return "" if _missing(status) else _word(ACTION_STATUSES, status, lang)


def gi_class(code: Any, lang: Lang = "sv") -> str:
    """The Gi* significance class (``hot_95`` -> ``95 %``, ``not_significant`` -> ``ej sign.``)."""
    if _missing(code):
        return ""
    key = f"report_gi_{code}"
    return t(key, check_lang(lang)) if key in STRINGS else str(code)


def survey_reason(code: Any, lang: Lang = "sv") -> str:
    """A survey reason code (``belysning``) in words; several separated by commas."""
    if _missing(code):
        return ""
    parts = [p.strip() for p in str(code).split(",") if p.strip()]
    return ", ".join(
        t(f"report_reason_{p}", check_lang(lang)) if f"report_reason_{p}" in STRINGS else p
        for p in parts
    )


def time_of_day(code: Any, lang: Lang = "sv") -> str:
    """A survey time of day (``dag``, ``kvall``, ``natt``) in words."""
    if _missing(code):
        return ""
    key = f"report_time_{code}"
    return t(key, check_lang(lang)) if key in STRINGS else str(code)


def import_kind(kind: Any, lang: Lang = "sv") -> str:
    """What an import held (``incidents``, ``survey`` ...) in words."""
    return "" if _missing(kind) else _word(_IMPORT_KINDS, kind, lang)


_METHOD_WORDS: dict[str, dict[str, str]] = {
    "naive": {
        "sv": "Förra periodens brottsrutor ({cell})",
        "en": "Last period's crime cells ({cell})",
    },
    "kde": {
        "sv": "Täthetskarta, {kernel}, {bandwidth}",
        "en": "Density map, {kernel}, {bandwidth}",
    },
}


def method(label: str, lang: Lang = "sv") -> str:
    """A forecasting method's short label in words.

    ``"naive 25 m"`` (last period's counts per 25 m cell, the simplest forecast) becomes
    ``"Förra periodens brottsrutor (25 m)"``; ``"kde quartic 200 m"`` becomes
    ``"Täthetskarta, quartic, 200 m"``. Other labels are returned unchanged.
    """
    lang = check_lang(lang)
    parts = str(label).split()
    if len(parts) == 3 and parts[0] == "naive" and parts[2] == "m":
        return _METHOD_WORDS["naive"][lang].format(cell=f"{parts[1]} m")
    if len(parts) == 4 and parts[0] == "kde" and parts[3] == "m":
        return _METHOD_WORDS["kde"][lang].format(kernel=parts[1], bandwidth=f"{parts[2]} m")
    return str(label)


def reject_reason(reason: Any, lang: Lang = "sv") -> str:
    """Why an import rejected a row, in ``lang``.

    The reason as the importer writes it (English) or as a rejects file holds it (in the
    language of the import), said in ``lang`` with its values (column names, dates) kept;
    see :func:`hotspots.core.strings_rejects.localise_reason`. The reason for an unknown
    category, which lists every category code, is said in words in both languages. An
    unknown reason is returned as it is.
    """
    if _missing(reason):
        return ""
    return localise_reason(str(reason), check_lang(lang))


def column(name: str, lang: Lang = "sv") -> str:
    """The header of a known column in ``lang`` (``STRINGS["col_" + name]``; else unchanged)."""
    entry = STRINGS.get(f"col_{name}")
    return entry[check_lang(lang)] if entry is not None else str(name)


def column_code(header: str) -> str:
    """The column name behind a header in either language (``Orsak`` -> ``reason``).

    For reading back a file the project wrote with translated headers; an unknown header
    is returned as it is.
    """
    text = str(header).strip().lstrip("\ufeff")
    for key, entry in STRINGS.items():
        if key.startswith("col_") and text in (entry["sv"], entry["en"], key[4:]):
            return key[4:]
    return text


def categories_text(value: Any, lang: Lang = "sv", *, limit: int | None = None) -> str:
    """The categories of a hotspot (``top_categories``) as ``Misshandel ... (1 459), ...``.

    Accepts every shape the program holds them in: a list of ``{"code", "count", ...}``
    records (the analysis), the same as JSON text (a file), a mapping code -> count,
    ``(code, count)`` pairs, a list of codes, or a comma-separated string. ``limit`` keeps
    the first that many.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    items: list[tuple[str, Any]]
    if isinstance(value, str) and value.lstrip().startswith(("[", "{")):
        try:  # the JSON text a GeoPackage or GeoJSON file holds
            value = json.loads(value)
        except ValueError:
            pass
    if isinstance(value, str):
        items = [(p.strip(), None) for p in value.split(",") if p.strip()]
    elif isinstance(value, Mapping):
        if "code" in value:
            items = [(str(value["code"]), value.get("count"))]
        else:
            items = [(str(k), v) for k, v in value.items()]
    else:
        items = [_category_item(item) for item in _as_list(value)]
    if limit is not None:
        items = items[:limit]
    return ", ".join(
        category(code, lang) + ("" if _missing(n) else f" ({_count(n, lang)})") for code, n in items
    )


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, Iterable):
        return list(value)
    return [value]


def _category_item(item: Any) -> tuple[str, Any]:
    if isinstance(item, Mapping):
        return str(item.get("code", "")), item.get("count")
    if isinstance(item, list | tuple) and len(item) == 2:
        return str(item[0]), item[1]
    return str(item), None


def _count(n: Any, lang: Lang) -> str:
    """A count as ``lang`` writes it (:func:`hotspots.core.numbers.number_text`)."""
    try:
        number = float(n)
    except (TypeError, ValueError):
        return str(n)
    return number_text(number, check_lang(lang), digits=0 if number.is_integer() else 1)


def _localise_value(kind: str, value: Any, lang: Lang) -> Any:
    if kind == "weekday":
        return weekday(value, lang)
    if kind == "weekdays":
        return weekdays_text(value, lang)
    if kind == "kind":
        text = "" if _missing(value) else str(value)
        if f"kind_{text}" in STRINGS:
            return suggestion_kind(text, lang)
        if text in HOTSPOT_KINDS:
            return hotspot_kind(text, lang)
        return import_kind(text, lang) if text in _IMPORT_KINDS else text
    if kind == "category":
        return category(value, lang)
    if kind == "status":
        return action_status(value, lang)
    if kind == "crime_fear":
        return crime_fear(value, lang)
    if kind == "reject_reason":  # a rejects file's reason, or a survey's reason codes
        text = reject_reason(value, lang)
        return survey_reason(text, lang) if text == value else text
    if kind == "place_kind":
        return place_kind(value, lang)
    if kind == "precision":
        return precision(value, lang)
    return value


def localise_frame(
    frame: pd.DataFrame, lang: Lang = "sv", *, values: bool = True, headers: bool = True
) -> pd.DataFrame:
    """``frame`` for a reader: coded values of known columns in words, headers translated.

    Parameters
    ----------
    frame
        A table the program made (a schedule, rejects, imports, actions ...).
    lang
        ``"sv"`` or ``"en"``.
    values
        Translate the coded values of the known columns (``day``, ``kind``, ``category``,
        ``status``, ``crime_fear``, ``reason`` ...).
    headers
        Translate the column names (:func:`column`; unknown names stay).

    Returns
    -------
    pandas.DataFrame
        A new frame; ``frame`` is not changed. Missing values become empty strings in the
        translated columns.
    """
    lang = check_lang(lang)
    out = frame.copy()
    if values:
        for name, kind in _VALUE_COLUMNS.items():
            if name in out.columns:
                out[name] = [_localise_value(kind, v, lang) for v in out[name].tolist()]
    if headers:
        out = out.rename(columns={c: column(str(c), lang) for c in out.columns})
    return out
