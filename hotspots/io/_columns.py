"""Column aliases of the data contract (README, Your own data); matching a header to them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "INCIDENT_ALIASES",
    "SURVEY_ALIASES",
    "ColumnMatch",
    "match_columns",
    "normalise_name",
]

Kind = Literal["incidents", "survey"]

_COMMON: dict[str, tuple[str, ...]] = {
    "id": (
        "id",
        "incident_id",
        "handelse_id",
        "handelseid",
        "arende",
        "arendenummer",
        "arendenr",
        "diarienummer",
        "crime_id",
        "lopnummer",
        "lopnr",
        "fid_id",
    ),
    "lat": ("lat", "latitude", "latitud", "breddgrad", "wgs84_lat", "lat_wgs84"),
    "lon": ("lon", "lng", "long", "longitude", "longitud", "langdgrad", "wgs84_lon", "lon_wgs84"),
    "x": ("x", "e", "easting", "ost", "ostlig", "x_koordinat", "e_koordinat", "sweref_e"),
    "y": ("y", "n", "northing", "nord", "nordlig", "y_koordinat", "n_koordinat", "sweref_n"),
    "source": ("source", "kalla", "uppgiftskalla", "datakalla"),
}

#: canonical incident field -> accepted (normalised) column names, most specific first.
INCIDENT_ALIASES: dict[str, tuple[str, ...]] = {
    **_COMMON,
    "occurred_at": (
        "occurred_at",
        "tidpunkt",
        "datetime",
        "date_time",
        "timestamp",
        "datum_tid",
        "datum_och_tid",
        "starttid",
        "tidpunkt_fran",
        "fran_tidpunkt",
        "occurred",
        "month",
        "manad",
    ),
    "date": ("datum", "date", "handelsedatum"),
    "time": ("tid", "time", "klockslag", "kl", "klocka"),
    "occurred_until": (
        "occurred_until",
        "tidpunkt_till",
        "till_tidpunkt",
        "till",
        "until",
        "sluttid",
        "tidpunkt_slut",
    ),
    "category": (
        "category",
        "kategori",
        "brottstyp",
        "brottskategori",
        "handelsetyp",
        "typ",
        "type",
        "crime_type",
    ),
    "precision": (
        "precision",
        "noggrannhet",
        "lagesnoggrannhet",
        "lagesprecision",
        "platsprecision",
        "location_precision",
    ),
    "description": (
        "description",
        "beskrivning",
        "text",
        "kommentar",
        "notering",
        "fritext",
        "anteckning",
    ),
}

#: canonical survey field -> accepted (normalised) column names.
SURVEY_ALIASES: dict[str, tuple[str, ...]] = {
    **_COMMON,
    "unsafe": (
        "unsafe",
        "otrygg",
        "otrygghet",
        "otryggt",
        "kanns_otryggt",
        "upplevd_otrygghet",
        "otrygghet_1_5",
        "unsafe_1_5",
    ),
    "time_of_day": ("time_of_day", "tid_pa_dygnet", "tid_pa_dygn", "dygnsdel", "tid"),
    "reason": ("reason", "orsak", "anledning", "skal"),
    "date": ("date", "datum", "tidpunkt", "svarsdatum"),
}

_TRANSLATE = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u", "æ": "a", "ø": "o"})


def normalise_name(name: str) -> str:
    r"""Normalise a column name for matching: case-folded, Swedish letters folded, ``_``.

    ``"Källa"`` -> ``"kalla"``, ``"Crime type"`` -> ``"crime_type"``, ``"\\ufeffTidpunkt "`` ->
    ``"tidpunkt"``.
    """
    text = str(name).replace("\ufeff", "").strip().strip('"').casefold().translate(_TRANSLATE)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


@dataclass(frozen=True, slots=True)
class ColumnMatch:
    """Which column of a file feeds which canonical field.

    Attributes
    ----------
    fields
        canonical field -> original column name in the file.
    """

    fields: Mapping[str, str]

    def get(self, field: str) -> str | None:
        """The file's column for ``field``, or ``None``."""
        return self.fields.get(field)

    def has(self, *fields: str) -> bool:
        """Whether every one of ``fields`` has a column."""
        return all(f in self.fields for f in fields)


def match_columns(header: Iterable[str], kind: Kind) -> ColumnMatch:
    """Match a header to the canonical fields of ``kind``; the first matching column wins."""
    aliases = INCIDENT_ALIASES if kind == "incidents" else SURVEY_ALIASES
    by_norm: dict[str, str] = {}
    for col in header:
        by_norm.setdefault(normalise_name(col), col)
    fields: dict[str, str] = {}
    used: set[str] = set()
    for field, names in aliases.items():
        for name in names:
            col = by_norm.get(name)
            if col is not None and col not in used:
                fields[field] = col
                used.add(col)
                break
    return ColumnMatch(fields=fields)
