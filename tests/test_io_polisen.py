"""Polisen events JSON: event time from the name, year from the publication, new year."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from hotspots.core.schema import TIMEZONE
from hotspots.core.taxonomy import CODES
from hotspots.io import detect_format, read_file
from hotspots.io.polisen import POLISEN_CATEGORIES, event_times

NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)


def event(i: int, name: str, published: str, typ: str, gps: str = "59.402181,13.511498") -> dict:
    return {
        "id": i,
        "datetime": published,
        "name": name,
        "summary": f"Sammanfattning {i}",
        "url": f"/aktuellt/handelser/{i}/",
        "type": typ,
        "location": {"name": "Karlstad", "gps": gps},
    }


def test_event_time_from_name_and_new_year() -> None:
    names = pd.Series(
        [
            "22 augusti 17.59, Brand, Kävlinge",
            "31 december 23:40, Misshandel, Karlstad",
            "1 januari 00:15, Rattfylleri, Karlstad",
            "Sammanfattning utan tid",
        ]
    )
    published = pd.Series(
        [
            "2025-08-22 9:48:12 +02:00",  # unpadded hour
            "2026-01-01 2:10:00 +01:00",  # published the next year
            "2026-01-01 3:00:00 +01:00",
            "2026-01-01 3:00:00 +01:00",
        ]
    )
    out = event_times(names, published)
    assert list(out) == [
        "2025-08-22 17:59",
        "2025-12-31 23:40",
        "2026-01-01 00:15",
        "Sammanfattning utan tid",
    ]


def test_read_polisen_file(tmp_path: Path) -> None:
    events = [
        event(
            1, "31 december 23:40, Misshandel, Karlstad", "2026-01-01 2:10:00 +01:00", "Misshandel"
        ),
        event(2, "2 maj 22.05, Rattfylleri, Karlstad", "2026-05-03 8:01:00 +02:00", "Rattfylleri"),
        event(3, "3 maj 14.00, Brand, Karlstad", "2026-05-03 15:00:00 +02:00", "Brand"),
        event(4, "4 maj 14.00, Stöld, Karlstad", "2026-05-04 15:00:00 +02:00", "Stöld", gps=""),
        event(5, "juni, Okänt", "2026-05-04 15:00:00 +02:00", "Misshandel"),
    ]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    assert detect_format(path) == "polisen"
    frame, rejects = read_file(path, now=NOW)
    assert list(frame["id"]) == ["polisen-1", "polisen-2", "polisen-3"]
    assert frame["occurred_at"][0] == pd.Timestamp("2025-12-31 23:40", tz=TIMEZONE)
    assert frame["occurred_at"][1] == pd.Timestamp("2026-05-02 22:05", tz=TIMEZONE)
    assert list(frame["category"]) == ["assault_public", "dui", "other"]
    assert frame["source_category"][2] == "Brand"
    assert set(frame["precision"]) == {"municipality"}
    assert set(frame["source"]) == {"polis"}
    assert frame.crs.to_epsg() == 3006
    reasons = dict(zip(rejects["row"], rejects["reason"], strict=True))
    assert "missing location" in reasons[4]
    assert "unparseable time" in reasons[5]


def test_polisen_events_never_enter_a_density(tmp_path: Path) -> None:
    from hotspots.core.config import Filters
    from hotspots.engine.select import select_incidents

    path = tmp_path / "events.json"
    path.write_text(
        json.dumps(
            [
                event(
                    1,
                    "2 maj 22.05, Misshandel, Karlstad",
                    "2026-05-03 8:01:00 +02:00",
                    "Misshandel",
                )
            ]
        ),
        encoding="utf-8",
    )
    frame, _ = read_file(path, now=NOW)
    assert len(frame) == 1
    assert len(select_incidents(frame, Filters(), for_density=True)) == 0


def test_mapping_targets_are_codes() -> None:
    assert set(POLISEN_CATEGORIES.values()) <= set(CODES)


@pytest.mark.shared_data
def test_real_varmland_events(shared_data: Path) -> None:
    path = shared_data / "polisen" / "polisen_varmland_events_with_text.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    frame, rejects = read_file(path)  # the real clock: the file runs into 2026
    assert len(frame) + rejects["row"].nunique() == len(raw)
    assert len(rejects) == 0
    assert set(frame["precision"]) == {"municipality"}
    # events are published after they happen (a few minutes' slack in the real data) and
    # within a year; none is pushed a whole year away by the new-year rule
    published = pd.to_datetime(
        pd.Series([e["datetime"] for e in raw]).str.replace(r" (\d):", r" 0\1:", regex=True),
        format="%Y-%m-%d %H:%M:%S %z",
        utc=True,
    )
    lag = published.to_numpy() - frame["occurred_at"].dt.tz_convert("UTC").to_numpy()
    assert (lag < pd.Timedelta(hours=-1)).sum() < 10  # a few events announced ahead
    assert (abs(lag) < pd.Timedelta(days=60)).all()
    assert (frame["category"] == "dui").sum() == sum(e["type"] == "Rattfylleri" for e in raw)
    x0, y0, x1, y1 = frame.total_bounds
    assert 300_000 < x0 < x1 < 500_000  # Värmland in SWEREF 99 TM
    assert 6_500_000 < y0 < y1 < 6_800_000


@pytest.mark.shared_data
def test_real_api_sample(shared_data: Path) -> None:
    path = shared_data / "polisen" / "polisen_api_events_sample.json"
    frame, rejects = read_file(path, now=NOW)
    assert len(frame) == 300
    assert len(rejects) == 0
    first = frame.iloc[0]
    # "26 september 14:21, Mord/dråp, försök, Stockholm" published 2022-09-26
    assert first["occurred_at"] == pd.Timestamp("2022-09-26 14:21", tz=TIMEZONE)
    assert first["source_category"] == "Mord/dråp, försök"
