"""Swedish police events JSON (the public events API shape).

Each event: ``{id, datetime, name, summary, url, type, location: {name, gps: "lat,lon"}}``.
``datetime`` is the publication time (hours not always zero-padded); the event time is only in
``name`` (``"22 augusti 17.59, Brand, Kävlinge"``): Swedish month name, no year. The year is
the publication year, the year before or the year after, whichever puts the event closest to
its publication (an event named "31 december" published 2026-01-01 happened in 2025).
``location.gps`` is the centroid of the municipality or county, so every event gets
``municipality`` precision and never enters a density. With an address register, an event
whose summary (or body) names exactly one street of its municipality, unambiguously, is
placed on that street instead, at precision ``street_text`` (a street named in a text: where
on it, and whether there at all, is uncertain), which stays out of densities as well.
``type`` maps onto the taxonomy; other types are stored as ``other``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from hotspots.core.errors import InputFileError
from hotspots.core.schema import TIMEZONE
from hotspots.io._times import parse_times

__all__ = [
    "POLISEN_CATEGORIES",
    "SWEDISH_MONTHS",
    "event_times",
    "looks_like_polisen",
    "read_events",
]

SWEDISH_MONTHS: dict[str, int] = {
    m: i
    for i, m in enumerate(
        (
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ),
        start=1,
    )
}

#: Polisen event type (folded) -> taxonomy code. Homicide (Mord/dråp) has no code of its
#: own and is not necessarily in a public place: it stays ``other`` with its label kept.
POLISEN_CATEGORIES: dict[str, str] = {
    "misshandel": "assault_public",
    "misshandel, grov": "assault_public",
    "misshandel, grov, forsok": "assault_public",
    "ran": "robbery",
    "ran vapnat": "robbery",
    "ran ovrigt": "robbery",
    "ran, forsok": "robbery",
    "ran, vapnat": "robbery",
    "olaga hot": "threat_harassment",
    "ofredande/forargelse": "threat_harassment",
    "vald/hot mot tjansteman": "threat_harassment",
    "knivlagen": "weapons",
    "vapenlagen": "weapons",
    "skottlossning": "weapons",
    "skottlossning, misstankt": "weapons",
    "brak": "disorder",
    "ordningslagen": "disorder",
    "skadegorelse": "vandalism",
    "narkotikabrott": "drug_use",
    "rattfylleri": "dui",
    "fylleri/lob": "intoxication",
    "fylleri": "intoxication",
    "alkohollagen": "intoxication",
    "valdtakt": "sexual_offence",
    "valdtakt, forsok": "sexual_offence",
    "sexualbrott": "sexual_offence",
    "sedlighetsbrott": "sexual_offence",
}

_NAME = (
    r"^\s*(?P<day>\d{1,2})\s+(?P<month>[A-Za-zÅÄÖåäö]+)\s+(?P<hour>\d{1,2})[.:](?P<minute>\d{2})"
)


def looks_like_polisen(data: object) -> bool:
    """Whether parsed JSON looks like a list of Polisen events."""
    events = data.get("events") if isinstance(data, dict) else data
    if not isinstance(events, list) or not events or not isinstance(events[0], dict):
        return False
    return {"name", "datetime", "location"} <= set(events[0])


def read_events(path: Path) -> pd.DataFrame:
    """Read the events into a flat frame (all strings).

    Columns: ``id`` (``polisen-<id>``), ``name``, ``datetime``, ``type``, ``summary``,
    ``url``, ``location`` (place name), ``lat``, ``lon`` and ``body`` (the event page's text,
    ``body_text`` or ``body`` when the file carries it, else empty).

    Raises
    ------
    InputFileError
        When the file is not JSON or not a list of events.
    """
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputFileError(path, f"is not valid JSON ({exc})") from exc
    events = data.get("events") if isinstance(data, dict) else data
    if not isinstance(events, list):
        raise InputFileError(path, "is not a list of Polisen events (expected a JSON array)")
    if not events:
        raise InputFileError(path, "has no events (empty JSON array)")
    rows = []
    for ev in events:
        if not isinstance(ev, dict):
            raise InputFileError(path, "is not a list of Polisen events (an item is not an object)")
        loc = ev.get("location") or {}
        gps = str(loc.get("gps") or "") if isinstance(loc, dict) else ""
        lat, _, lon = gps.partition(",")
        rows.append(
            {
                "id": f"polisen-{ev['id']}" if ev.get("id") not in (None, "") else "",
                "name": str(ev.get("name") or ""),
                "datetime": str(ev.get("datetime") or ""),
                "type": str(ev.get("type") or ""),
                "summary": str(ev.get("summary") or ""),
                "url": str(ev.get("url") or ""),
                "location": str(loc.get("name") or "") if isinstance(loc, dict) else "",
                "lat": lat.strip(),
                "lon": lon.strip(),
                "body": str(ev.get("body_text") or ev.get("body") or ""),
            }
        )
    frame = pd.DataFrame(rows, dtype="string")
    if not {"name", "datetime"} <= set(events[0]):
        raise InputFileError(path, "is not a list of Polisen events (no name/datetime fields)")
    return frame


def event_times(name: pd.Series, published: pd.Series) -> pd.Series:
    """The event time of each event as ``YYYY-MM-DD HH:MM`` local time (or the name if unreadable).

    Parameters
    ----------
    name
        Event names, ``"22 augusti 17.59, Brand, Kävlinge"``.
    published
        Publication times, ``"2026-08-22 9:48:12 +02:00"``.
    """
    parts = name.astype("string").str.extract(_NAME)
    month = parts["month"].str.casefold().map(SWEDISH_MONTHS)
    pub = parse_times(published.astype("string").reset_index(drop=True)).start
    pub_local = pub.tz_convert(TIMEZONE)
    year = pd.Series(pub_local.year, dtype="Float64")
    comp = pd.DataFrame(
        {
            "year": year,
            "month": pd.to_numeric(month, errors="coerce"),
            "day": pd.to_numeric(parts["day"], errors="coerce"),
            "hour": pd.to_numeric(parts["hour"], errors="coerce"),
            "minute": pd.to_numeric(parts["minute"], errors="coerce"),
        }
    ).astype("Float64")
    ok = comp.notna().all(axis=1).to_numpy() & (comp["hour"].fillna(99) <= 23).to_numpy()
    filled = comp.fillna(1).astype("int64")
    # The year is the one (publication year, the year before or after) that puts the event
    # closest to its publication: "31 december" published on 1 January is last year's.
    pub_naive = pub_local.tz_localize(None)
    best = pd.DatetimeIndex(np.full(len(filled), np.datetime64("NaT", "ns")))
    best_gap = np.full(len(filled), np.inf)
    for shift in (0, -1, 1):
        cand = pd.DatetimeIndex(
            pd.to_datetime(filled.assign(year=filled["year"] + shift), errors="coerce")
        ).as_unit("ns")
        gap = np.abs((cand - pub_naive).total_seconds().to_numpy())
        better = np.nan_to_num(gap, nan=np.inf) < best_gap
        best = best.where(~better, cand)
        best_gap = np.where(better, gap, best_gap)
    at = best
    ok &= np.asarray(at.notna(), dtype=bool)
    text = pd.Series(at.strftime("%Y-%m-%d %H:%M"), dtype="string")
    return text.where(ok, name.astype("string").reset_index(drop=True))
