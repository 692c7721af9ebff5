"""Synthetic patrol tracks for the demo lägesbild (tests/lagesbild_demo.py), with known minutes.

Each week of the W47 lägesbild's hotspot window (W44-W47) gets the plan
:func:`hotspots.dosage.followup.week_plan` makes for it, and its schedule is carried out by
units that drive (8 m/s) from a base 1.5 km away to the suggestion's point, stop there for a
known share of the scheduled minutes, and drive back; one unit per visit. Foot patrols get
75 % of their minutes, youth outreach all of them, and every third visit is skipped; the log
adds a pub check at the plan's first pub check (timed inside no tracked visit) and an
unplanned school visit.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from lagesbild_demo import FAST, demo

from hotspots.core.periods import iso_week
from hotspots.dosage.followup import week_plan
from hotspots.dosage.storage import ACTIVITY_COLUMNS, GpkgTrackStore, ImportRecord, TrackStore
from hotspots.dosage.synthetic import Waypoint, simulate_track

TZ = "Europe/Stockholm"
WEEKS = ((2026, 44), (2026, 45), (2026, 46), (2026, 47))
#: Share of the scheduled minutes a unit stays, per kind (the rest: not delivered).
STAY = {"foot_patrol": 0.75, "youth_outreach": 1.0}
HOURS = 10.0


@functools.cache
def plans() -> dict[str, Any]:
    """The plan of each week of the hotspot window (as the follow-up makes them)."""
    geo, data = demo()
    return {
        f"{y}-W{w:02d}": week_plan(
            iso_week(y, w),
            data.incidents,
            geography=geo,
            survey=data.survey,
            config=FAST,
            patrol_hours_per_week=HOURS,
        )
        for y, w in WEEKS
    }


def _point(geom: Any) -> tuple[float, float]:
    """Where a unit stops: a loop's first corner, else the point itself."""
    if geom.geom_type == "LineString":
        x, y = geom.coords[0]
        return float(x), float(y)
    p = geom.representative_point()
    return float(p.x), float(p.y)


def expected_and_pings() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The visits carried out (week, suggestion, kind, minutes stayed) and all pings."""
    rng = np.random.default_rng(2026)
    rows = []
    frames = []
    k = 0
    for week, plan in plans().items():
        geoms = dict(zip(plan.suggestions["id"], plan.suggestions.geometry, strict=True))
        for n, visit in enumerate(plan.schedule.itertuples(index=False)):
            if n % 3 == 2 or visit.kind not in STAY:
                continue
            stay = float(visit.minutes) * STAY[visit.kind]
            x, y = _point(geoms[visit.suggestion])
            start = pd.Timestamp(f"{visit.date} {visit.start}", tz=TZ) - pd.Timedelta(minutes=4)
            wps = [
                Waypoint(x + 1500.0, y),
                Waypoint(x, y, stay * 60.0),
                Waypoint(x + 1500.0, y + 200.0),
            ]
            pings, _ = simulate_track(
                wps, unit=f"U-{k:03d}", start=start, rng=rng, speed_m_s=8.0, interval_s=5.0
            )
            frames.append(pings)
            rows.append({"week": week, "id": visit.suggestion, "kind": visit.kind, "minutes": stay})
            k += 1
    return pd.DataFrame(rows), pd.concat(frames, ignore_index=True)


def activity_log() -> pd.DataFrame:
    """A logged pub check at W47's first pub check, and an unplanned school visit."""
    plan = plans()["2026-W47"]
    pubs = plan.suggestions[plan.suggestions["kind"] == "pub_check"]
    place = str(pubs["place"].iloc[0])
    stamps = pd.DatetimeIndex(["2026-11-20 21:00", "2026-11-18 10:00"], tz=TZ)
    return pd.DataFrame(
        {
            "start_ms": stamps.tz_convert("UTC").as_unit("ms").asi8,
            "day": ["2026-11-20", "2026-11-18"],
            "time": ["21:00", "10:00"],
            "kind": ["pub_check", "school_visit"],
            "place": [place, "Skolan i stan"],
            "minutes": [30.0, 45.0],
            "unit": [None, None],
            "officer": [None, None],
            "row_hash": ["log-1", "log-2"],
        }
    )[list(ACTIVITY_COLUMNS)]


def fill(store: TrackStore) -> pd.DataFrame:
    """Store the demo tracks and log in ``store``; returns the visits carried out."""
    expected, pings = expected_and_pings()
    store.add_pings(
        pings,
        ImportRecord("demo", "demo.csv", "pings", len(pings), len(pings), 0, key_id="demo"),
    )
    log = activity_log()
    store.add_activities(
        log, ImportRecord("log", "log.csv", "activities", len(log), len(log), 0, key_id="")
    )
    return expected


def demo_store(folder: Path) -> Path:
    """A GeoPackage store of the demo year (incidents, survey) with these tracks beside it."""
    from hotspots.store import open_store

    _, data = demo()
    db = folder / "store.gpkg"
    store = open_store(db)
    store.upsert_incidents(data.incidents.assign(import_id="demo"))
    store.upsert_survey(data.survey.assign(import_id="demo"))
    fill(GpkgTrackStore(folder / "store.tracks.gpkg"))
    return db
