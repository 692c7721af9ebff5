"""The in-memory frames that flow between ingest, store and analysis.

An *incident frame* is a GeoDataFrame of points in a projected metric CRS with the columns of
:data:`INCIDENT_COLUMNS`; a *survey frame* likewise with :data:`SURVEY_COLUMNS`. Readers in
:mod:`hotspots.io` produce them, :mod:`hotspots.store` persists them, and every analysis module
consumes them.

A *point incident frame* is the lighter form one analysis of a file needs: a plain DataFrame
with the columns of :data:`ANALYSIS_COLUMNS`, the coordinates in float columns ``x`` and ``y``
(metres) and the CRS in ``attrs["crs"]``; no geometry objects (see :mod:`hotspots.spatial.points`).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from hotspots.core.config import DEFAULT_METRIC_CRS, TIMEZONE

__all__ = [
    "ANALYSIS_COLUMNS",
    "INCIDENT_COLUMNS",
    "KDE_PRECISIONS",
    "PRECISIONS",
    "STREET_TEXT",
    "SURVEY_COLUMNS",
    "TIMEZONE",
    "empty_incidents",
    "empty_survey",
]


#: A street named in a free text (a Polisen event's summary): on the street, but where on it,
#: and whether there at all, is uncertain; never in a density.
STREET_TEXT = "street_text"
#: Location precisions, finest first.
PRECISIONS: tuple[str, ...] = (
    "exact",
    "address",
    "street",
    STREET_TEXT,
    "district",
    "municipality",
)
#: Precisions fine enough to enter a kernel density.
KDE_PRECISIONS: tuple[str, ...] = ("exact", "address", "street")

#: column -> pandas dtype of an incident frame (besides ``geometry``).
INCIDENT_COLUMNS: dict[str, str] = {
    "id": "string",
    "occurred_at": f"datetime64[ns, {TIMEZONE}]",  # start of the (possibly uncertain) time
    "occurred_until": f"datetime64[ns, {TIMEZONE}]",  # NaT unless the time is an interval
    "time_precision": "string",  # "exact", "day" or "month"
    "category": "string",  # a taxonomy code
    "source_category": "string",  # the label in the source file, kept as given
    "precision": "string",  # one of PRECISIONS
    "source": "string",
    "description": "string",
    "import_id": "string",  # sha256 of the file it came from
    "source_id": "string",  # police.uk: the Crime ID the id is made from; else empty
}

#: The incident columns the analysis engine reads (a point incident frame holds only these).
ANALYSIS_COLUMNS: tuple[str, ...] = (
    "occurred_at",
    "occurred_until",
    "time_precision",
    "category",
    "precision",
)

#: column -> pandas dtype of a survey frame (besides ``geometry``).
SURVEY_COLUMNS: dict[str, str] = {
    "id": "string",
    "unsafe": "int64",  # 1..5, 5 = very unsafe
    "time_of_day": "string",  # "dag", "kvall", "natt" or <NA>
    "reason": "string",  # belysning, grupperingar, narkotika, alkohol, trafik, skadegorelse, annat
    "source": "string",  # trygghetsundersokning, medborgardialog, trygghetsvandring
    "date": "datetime64[ns]",
    "import_id": "string",
}


def _empty(columns: dict[str, str], crs: object) -> gpd.GeoDataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def empty_incidents(crs: object = DEFAULT_METRIC_CRS) -> gpd.GeoDataFrame:
    """An incident frame with no rows, in ``crs``."""
    return _empty(INCIDENT_COLUMNS, crs)


def empty_survey(crs: object = DEFAULT_METRIC_CRS) -> gpd.GeoDataFrame:
    """A survey frame with no rows, in ``crs``."""
    return _empty(SURVEY_COLUMNS, crs)
