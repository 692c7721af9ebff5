"""Why a row was rejected, in Swedish and English, for :mod:`hotspots.core.i18n`.

The readers (:mod:`hotspots.io`), the importer (:mod:`hotspots.load.ingest`), the geocoder
(:mod:`hotspots.load.geocode`) and the tracks reader (:mod:`hotspots.dosage.pings`) write
their reasons in English; each reason they can give is a key of :data:`REJECT_STRINGS`
whose ``en`` text is that reason with its values as ``{placeholders}``.

:func:`localise_reason` reads a reason in either language (each template becomes a pattern,
its placeholders the values) and writes it in the language asked for: the rejects file of an
import is written in the interface language, and a page shows a file written in the other
language in its own. A text no template matches is returned as it is.

:data:`DROPPED_STRINGS` are the words of the list of incidents an analysis left out (in water
or outside the study area).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from hotspots.core.i18n import Lang

__all__ = ["DROPPED_STRINGS", "REJECT_STRINGS", "localise_reason", "localise_reasons"]

#: Reason key -> its text in each language (the same placeholders in both). Tried in this
#: order: a more specific text comes before a more general one that would also match it.
REJECT_STRINGS: dict[str, dict[str, str]] = {
    # times (hotspots.io._validate)
    "reject_time_missing": {
        "sv": "tid saknas: cellen är tom",
        "en": "missing time: the cell is empty",
    },
    "reject_time_unparseable": {
        "sv": "tiden går inte att läsa; skriv ÅÅÅÅ-MM-DD TT:MM (t.ex. 2026-03-14 22:15), "
        "svensk lokal tid",
        "en": "unparseable time; write YYYY-MM-DD HH:MM (e.g. 2026-03-14 22:15), local "
        "Swedish time",
    },
    "reject_time_future": {
        "sv": "tid i framtiden (efter {when})",
        "en": "time in the future (after {when})",
    },
    "reject_end_unparseable": {
        "sv": "sluttiden går inte att läsa; skriv ÅÅÅÅ-MM-DD TT:MM",
        "en": "unparseable end time; write YYYY-MM-DD HH:MM",
    },
    "reject_end_before_start": {
        "sv": "sluttiden ligger före starttiden",
        "en": "end time before the start time",
    },
    # categories and precision
    "reject_category_missing": {
        "sv": "kategori saknas: cellen är tom",
        "en": "missing category: the cell is empty",
    },
    "reject_category_unknown": {
        "sv": "okänd kategori; skriv en av kategorierna (svensk eller engelsk benämning, som i "
        "tabellen på sidan Data), eller översätt egna namn med --category-map FIL",
        "en": "unknown category; write one of the categories (its Swedish or English label, "
        "as in the table of the Data page), or translate your own names with --category-map "
        "FILE",
    },
    "reject_precision_unknown": {
        "sv": "okänd lägesnoggrannhet; använd en av {precisions}",
        "en": "unknown precision; use one of {precisions}",
    },
    # locations (hotspots.io._location, hotspots.io.readers)
    "reject_location_both_empty": {
        "sv": "läge saknas: {a} och {b} är tomma",
        "en": "missing location: {a} and {b} are empty",
    },
    "reject_location_one_empty": {
        "sv": "läge saknas: {a} eller {b} är tom",
        "en": "missing location: {a} or {b} is empty",
    },
    "reject_location_empty": {
        "sv": "läge saknas: {a} är tom",
        "en": "missing location: {a} is empty",
    },
    "reject_location_not_number": {
        "sv": "{a}/{b} är inte ett tal (skriv t.ex. 59,3793 eller 59.3793)",
        "en": "{a}/{b} is not a number (write e.g. 59.3793 or 59,3793)",
    },
    "reject_location_sweref_as_degrees": {
        "sv": "{a}/{b} ser ut som SWEREF 99 TM-meter angivna som grader; döp kolumnerna till "
        "x/y (eller e/n) och ange --crs EPSG:3006",
        "en": "{a}/{b} look like SWEREF 99 TM metres given as degrees; name the columns x/y "
        "(or e/n, easting/northing) and give --crs EPSG:3006",
    },
    "reject_location_degrees_range": {
        "sv": "{a}/{b} utanför -90..90 / -180..180 grader",
        "en": "{a}/{b} outside -90..90 / -180..180 degrees",
    },
    "reject_location_degrees_as_metres": {
        "sv": "{a}/{b} ser ut som WGS84-grader angivna som meter i {crs}; döp kolumnerna till "
        "lat/lon (eller ange --crs EPSG:4326)",
        "en": "{a}/{b} look like WGS84 degrees given as metres of {crs}; name the columns "
        "lat/lon (or give --crs EPSG:4326)",
    },
    "reject_location_xy_swapped": {
        "sv": "{a}/{b} ser ut att vara omkastade (öst/nord); byt plats på kolumnerna",
        "en": "{a}/{b} look swapped (easting/northing); put the easting in {a} and the "
        "northing in {b}",
    },
    "reject_location_latlon_swapped": {
        "sv": "{a}/{b} ser ut som omkastade lat/lon; byt plats på kolumnerna",
        "en": "{a}/{b} look like swapped lat/lon (the {a} values are longitudes and the {b} "
        "values latitudes); swap the two columns",
    },
    "reject_location_outside_store_crs": {
        "sv": "läget ligger utanför databasens koordinatsystem {crs}; importera till en annan "
        "databas med --db",
        "en": "location outside the area of use of the store's CRS {crs}; import it into "
        "another store with --db",
    },
    "reject_location_outside_crs": {
        "sv": "läget ligger utanför koordinatsystemets användningsområde {crs}",
        "en": "location outside the area of use of the CRS {crs}",
    },
    "reject_location_outside_source_crs": {
        "sv": "{a}/{b} utanför användningsområdet för {crs}",
        "en": "{a}/{b} outside the area of use of {crs}",
    },
    "reject_geometry_not_point": {
        "sv": "geometrin är en {kind}, inte en punkt",
        "en": "geometry is a {kind}, not a point",
    },
    "reject_wrong_fields": {
        "sv": "fel antal fält (väntade {expected}, fick {seen}); ett värde som innehåller "
        "{delimiter} måste stå inom citattecken",
        "en": "wrong number of fields (expected {expected} fields, saw {seen}); a value "
        "containing {delimiter} must be in double quotes",
    },
    # addresses (hotspots.load.geocode)
    "reject_address_missing": {"sv": "adress saknas", "en": "missing address"},
    "reject_address_no_street": {
        "sv": "inget gatunamn i {text}",
        "en": "no street name in {text}",
    },
    "reject_address_unknown_near": {
        "sv": "gatan {street} finns inte i adressregistret; närmast: {candidates}",
        "en": "street {street} not in the address register; closest: {candidates}",
    },
    "reject_address_unknown": {
        "sv": "gatan {street} finns inte i adressregistret",
        "en": "street {street} not in the address register",
    },
    "reject_address_several_towns": {
        "sv": "gatan {street} finns i flera postorter ({towns}); ange postnummer eller postort",
        "en": "street {street} is in several post towns ({towns}); give postnummer or postort",
    },
    # the import (hotspots.load.ingest)
    "reject_merged": {
        "sv": 'id "{id}" finns redan på rad {row}; raden slogs ihop med den (den sista raden '
        "med ett id gäller)",
        "en": 'id "{id}" is already on row {row}; the row was merged into it (the last row of '
        "an id wins)",
    },
    # survey marks (hotspots.io._validate)
    "reject_unsafe_missing": {
        "sv": "otrygghetsvärde saknas: cellen är tom",
        "en": "missing unsafe value: the cell is empty",
    },
    "reject_unsafe_invalid": {
        "sv": "otrygghet ska vara ett heltal 1–5 (5 = mycket otryggt) eller ja/nej",
        "en": "unsafe must be a whole number 1-5 (5 = very unsafe) or ja/nej",
    },
    "reject_time_of_day": {
        "sv": "tid på dygnet ska vara dag, kvall eller natt",
        "en": "time_of_day must be dag, kvall or natt",
    },
    "reject_survey_reason": {
        "sv": "okänt skäl; använd belysning, grupperingar, narkotika, alkohol, trafik, "
        "skadegorelse eller annat (flera åtskilda med komma)",
        "en": "unknown reason; use belysning, grupperingar, narkotika, alkohol, trafik, "
        "skadegorelse or annat (several separated by commas)",
    },
    "reject_date_unparseable": {
        "sv": "datumet går inte att läsa; skriv ÅÅÅÅ-MM-DD",
        "en": "unparseable date; write YYYY-MM-DD",
    },
    "reject_date_future": {
        "sv": "datum i framtiden (efter {when})",
        "en": "date in the future (after {when})",
    },
    # patrol positions (hotspots.dosage.pings)
    "reject_ping_unit_missing": {
        "sv": "enhet saknas (ange --unit NAMN för en fil med en enda enhet)",
        "en": "unit is empty (give --unit NAME for a file of one unit)",
    },
    "reject_ping_time_missing": {"sv": "tid saknas", "en": "time is empty"},
    "reject_ping_time_unparseable": {
        "sv": "tiden är inte ett datum med klockslag (skriv t.ex. 2026-12-03 21:15:07)",
        "en": "time is not a date and time (write e.g. 2026-12-03 21:15:07)",
    },
    "reject_ping_time_coarse": {
        "sv": "tiden saknar klockslag; en position behöver datum, timme och minut",
        "en": "time has no clock time; a ping needs date, hour and minute",
    },
    "reject_ping_time_future": {
        "sv": "tiden ligger i framtiden (efter {when})",
        "en": "time is in the future (after {when})",
    },
    "reject_ping_repeat": {
        "sv": "upprepar enheten och tiden på rad {row}",
        "en": "repeats the unit and time of row {row}",
    },
}

#: The list of incidents an analysis left out (``hotspots detect --dropped``, see
#: :mod:`hotspots.spatial.placement`): its reasons and the headers of its columns.
DROPPED_STRINGS: dict[str, dict[str, str]] = {
    "dropped_in_water": {"sv": "i vatten", "en": "in water"},
    "dropped_outside": {"sv": "utanför studieområdet", "en": "outside the study area"},
    "col_occurred_at": {"sv": "Tidpunkt", "en": "Time"},
    "col_category": {"sv": "Kategori", "en": "Category"},
    "col_precision": {"sv": "Lägesnoggrannhet", "en": "Location precision"},
    "col_x": {"sv": "X (m)", "en": "X (m)"},
    "col_y": {"sv": "Y (m)", "en": "Y (m)"},
    "col_distance_to_land_m": {"sv": "Avstånd till land (m)", "en": "Distance to land (m)"},
}

#: Other English texts of a key: what a reader writes where the key's text says it in other
#: words (the unknown category's reason lists every code; a reader reads words).
_ALSO_EN: dict[str, tuple[str, ...]] = {
    "reject_category_unknown": (r"unknown category; use a code or .*",),
}

_FIELD = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    """``template`` as an anchored pattern: each placeholder a group, repeated ones equal."""
    parts: list[str] = []
    seen: set[str] = set()
    last = 0
    for m in _FIELD.finditer(template):
        parts.append(re.escape(template[last : m.start()]))
        name = m.group(1)
        parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
        seen.add(name)
        last = m.end()
    parts.append(re.escape(template[last:]))
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(key, pattern) of every text of every key, in the order of :data:`REJECT_STRINGS`."""
    out: list[tuple[str, re.Pattern[str]]] = []
    for key, texts in REJECT_STRINGS.items():
        out.extend((key, _pattern(texts[lang])) for lang in ("en", "sv"))
        out.extend((key, re.compile("^" + also + "$", re.DOTALL)) for also in _ALSO_EN.get(key, ()))
    return tuple(out)


def localise_reason(reason: str, lang: Lang) -> str:
    """A rejected row's reason, given in English or Swedish, in ``lang``.

    Parameters
    ----------
    reason
        A reason as a reader, the importer or the geocoder writes it (or as a rejects file
        written in either language holds it).
    lang
        ``"sv"`` or ``"en"``.

    Returns
    -------
    str
        The reason in ``lang`` with its values (column names, times, streets) kept;
        ``reason`` itself when it is none of :data:`REJECT_STRINGS`.

    Examples
    --------
    >>> localise_reason("missing location: lat or lon is empty", "sv")
    'läge saknas: lat eller lon är tom'
    >>> localise_reason("läge saknas: lat eller lon är tom", "en")
    'missing location: lat or lon is empty'
    """
    text = str(reason)
    for key, pattern in _patterns():
        match = pattern.match(text)
        if match is not None:
            return REJECT_STRINGS[key][lang].format(**match.groupdict())
    return text


def localise_reasons(reasons: pd.Series, lang: Lang) -> pd.Series:
    """:func:`localise_reason` of a column of reasons (each distinct reason once).

    Missing values stay missing; the index is kept.
    """
    import numpy as np  # noqa: PLC0415 - i18n imports this module, and the CLI starts without NumPy
    import pandas as pd  # noqa: PLC0415 - as NumPy

    codes, uniques = pd.factorize(reasons, use_na_sentinel=True)
    if not len(uniques):
        return reasons.astype("string")
    words = np.array([*(localise_reason(str(u), lang) for u in uniques), None], dtype=object)
    taken = pd.array(words[codes], dtype="string")  # code -1 (missing) takes the last: None
    return pd.Series(taken, index=reasons.index, name=reasons.name)
