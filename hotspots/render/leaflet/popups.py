"""The pop-ups of hotspots and suggestions: escaped HTML tables in the map's language."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from hotspots.core.days import after_midnight, days_words
from hotspots.core.i18n import Lang, t
from hotspots.render import labels
from hotspots.render.leaflet.escape import escape_html
from hotspots.render.symbology import KIND_COLOURS, format_number

__all__ = ["KIND_KEYS", "hotspot_popup", "suggestion_popup", "value_of"]


def _rows(rows: Iterable[tuple[str, Any]]) -> str:
    cells = "".join(
        f"<tr><th>{escape_html(k)}</th><td>{escape_html(v)}</td></tr>"
        for k, v in rows
        if v not in (None, "")
    )
    return f"<table>{cells}</table>"


def value_of(row: Mapping[str, Any], key: str) -> Any:
    """``row[key]``, or ``None`` when it is missing or NaN/NA."""
    value = row.get(key)
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def _fmt(value: Any, unit: str = "", *, digits: int = 2, lang: Lang) -> str | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return format_number(number, digits=digits, lang=lang) + (f" {unit}" if unit else "")


def _peak_hours(row: Mapping[str, Any]) -> str:
    """The peak window (``22–04``), else the peak hours listed; never ``None``."""
    window = labels.hours_text(value_of(row, "peak_window"))
    return window or labels.hours_text(row.get("peak_hours"))


def _count(row: Mapping[str, Any], key: str, lang: Lang) -> str | None:
    if bool(row.get(f"{key}_suppressed", False)):
        return t("suppressed", lang)
    return _fmt(value_of(row, key), digits=3, lang=lang)


def hotspot_popup(row: Mapping[str, Any], lang: Lang) -> str:
    """The pop-up of a hotspot (crime or perceived): its statistics as an escaped table."""
    perceived = str(row.get("kind", "crime")) == "perceived"
    title = t("perceived_hotspot" if perceived else "hotspot", lang)
    rank = value_of(row, "rank")
    head = f"<b>{escape_html(title)}{' ' + escape_html(rank) if rank is not None else ''}</b>"
    share = value_of(row, "share_of_incidents")
    gi_z, gi_p = value_of(row, "gi_z"), value_of(row, "gi_p_fdr")
    gi = None
    if gi_z is not None:
        p_text = None if gi_p is None else f"{float(gi_p):.3f}"
        if gi_p is not None and float(gi_p) < 0.001:
            p_text = "< 0.001"  # not 0.000: a p-value is never zero
        gi = f"{float(gi_z):.1f}" + (f" ({p_text})" if p_text else "")
    rows = [
        (t("district", lang), value_of(row, "district")),
        (t("incidents", lang), _count(row, "incidents", lang)),
        (t("area_km2", lang), _fmt(value_of(row, "area_km2"), "km²", digits=2, lang=lang)),
        (t("share", lang), None if share is None else f"{100 * float(share):.1f} %"),
        (t("pai", lang), _fmt(value_of(row, "pai"), digits=3, lang=lang)),
        (
            t("peak_density", lang),
            _fmt(value_of(row, "peak_density_per_km2"), t("per_km2", lang), digits=3, lang=lang),
        ),
        (t("gi", lang), gi),
        (t("top_categories", lang), labels.categories_text(row.get("top_categories"), lang)),
        (t("peak_hours", lang), _peak_hours(row)),
        (t("peak_weekdays", lang), labels.weekdays_text(row.get("peak_weekdays"), lang)),
        (t("crime_fear", lang), labels.crime_fear(value_of(row, "crime_fear"), lang)),
    ]
    return f'<div class="hs-pop">{head}{_rows(rows)}</div>'


def suggestion_popup(row: Mapping[str, Any], lang: Lang) -> str:
    """The pop-up of a plan suggestion: when, why and how much, as an escaped table."""
    kind_text = labels.suggestion_kind(row.get("kind", ""), lang)
    head = f"<b>{escape_html(kind_text)}: {escape_html(value_of(row, 'place') or '')}</b>"
    days = labels.weekdays_text(row.get("weekdays"), lang)
    if after_midnight(value_of(row, "hours")):  # a night's small hours: named by the night
        days = days_words(row.get("weekdays") or [], lang, hours=value_of(row, "hours"))
    hours = labels.hours_text(value_of(row, "hours"))
    when = " ".join(x for x in (days, hours) if x)
    share = value_of(row, "expected_share")
    loop = value_of(row, "loop_length_m")
    rows = [
        ("ID", value_of(row, "id")),
        (t("when", lang), when or None),
        (t("why", lang), value_of(row, f"reason_{lang}") or value_of(row, "reason")),
        (t("expected_share", lang), None if share is None else f"{100 * float(share):.1f} %"),
        (t("stops", lang), ", ".join(map(str, row.get("stop_names") or [])) or None),
        (t("loop_length", lang), _fmt(loop, "m", digits=3, lang=lang)),
        (t("district", lang), value_of(row, "district")),
    ]
    return f'<div class="hs-pop">{head}{_rows(rows)}</div>'


KIND_KEYS = {f"kind_{k}" for k in KIND_COLOURS}
