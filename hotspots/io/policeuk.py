"""police.uk street-level crime CSV: detection and the mapping of crime types to the taxonomy.

Columns: ``Crime ID, Month, Reported by, Falls within, Longitude, Latitude, Location,
LSOA code, LSOA name, Crime type, Last outcome category, Context``. Times are months only
(``time_precision = "month"``: ``occurred_at`` the first of the month, ``occurred_until`` the
first of the next). Locations are snapped to anonymous "On or near" points, so they get
``street`` precision. Crime types without a counterpart in the taxonomy are stored as ``other``
with the original label in ``source_category``; rows without coordinates are rejected.
"""

from __future__ import annotations

from collections.abc import Iterable

from hotspots.io._columns import normalise_name

__all__ = ["POLICEUK_CATEGORIES", "POLICEUK_FIELDS", "is_policeuk_header"]

#: police.uk crime type -> taxonomy code. "Violence and sexual offences" is broader than
#: ``assault_public`` (it includes domestic and sexual offences, which police.uk does not
#: separate); it is the nearest code and the original label stays in ``source_category``.
POLICEUK_CATEGORIES: dict[str, str] = {
    "violence and sexual offences": "assault_public",
    "violent crime": "assault_public",
    "robbery": "robbery",
    "possession of weapons": "weapons",
    "public order": "disorder",
    "public disorder and weapons": "disorder",
    "anti-social behaviour": "disorder",
    "criminal damage and arson": "vandalism",
    "drugs": "drug_use",
}

#: canonical field -> police.uk column.
POLICEUK_FIELDS: dict[str, str] = {
    "id": "Crime ID",
    "occurred_at": "Month",
    "category": "Crime type",
    "lat": "Latitude",
    "lon": "Longitude",
    "description": "Location",
}

_REQUIRED = {"crime_id", "month", "longitude", "latitude", "crime_type"}


def is_policeuk_header(header: Iterable[str]) -> bool:
    """Whether a CSV header is the police.uk street-level header."""
    return _REQUIRED <= {normalise_name(h) for h in header}
