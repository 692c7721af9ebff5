"""The tracks file: a GeoPackage, one transaction per write, reduction without double counts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from hotspots.core.errors import InputSchemaError
from hotspots.dosage.movement import load_movement, movement_from_pings
from hotspots.dosage.retention import cutoff_ms, reduce_pings, reduce_tracks
from hotspots.dosage.stops import StopParams
from hotspots.dosage.storage import (
    GpkgTrackStore,
    ImportRecord,
    TrackStore,
    default_tracks_path,
)
from hotspots.dosage.synthetic import Waypoint, simulate_track

X0, Y0 = 414_000.0, 6_583_000.0


def _record(kind: str = "pings", key_id: str = "k1") -> ImportRecord:
    return ImportRecord("sha", "f.csv", kind, rows_read=1, accepted=1, rejected=0, key_id=key_id)


def _day(unit: str, day: str, rng: np.random.Generator, dwell: tuple[float, ...]) -> pd.DataFrame:
    wps = [Waypoint(X0 - 600, Y0)]
    wps += [Waypoint(X0 + 400 * k, Y0, d * 60) for k, d in enumerate(dwell)]
    wps += [Waypoint(X0 + 400 * len(dwell), Y0 + 600)]
    start = pd.Timestamp(f"{day} 19:00", tz="Europe/Stockholm")
    pings, _ = simulate_track(wps, unit=unit, start=start, rng=rng)
    return pings


def test_default_path_beside_the_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTSPOTS_TRACKS_DB", raising=False)
    assert default_tracks_path(tmp_path / "h.gpkg") == tmp_path / "h.tracks.gpkg"
    assert default_tracks_path("x.gpkg", tmp_path / "t.gpkg") == tmp_path / "t.gpkg"
    assert default_tracks_path("postgresql://u@h/db") is None  # in the store's database
    monkeypatch.setenv("HOTSPOTS_TRACKS_DB", str(tmp_path / "env.gpkg"))
    assert default_tracks_path("postgresql://u@h/db") == tmp_path / "env.gpkg"


def test_the_tracks_file_is_a_geopackage(tmp_path: Path, rng: np.random.Generator) -> None:
    store = GpkgTrackStore(tmp_path / "t.gpkg")
    assert isinstance(store, TrackStore)
    assert not store.exists()
    assert store.pings().empty  # reading creates nothing
    assert not (tmp_path / "t.gpkg").exists()
    pings = _day("U-1", "2026-12-01", rng, (12.0,))
    counts = store.add_pings(pings, _record())
    assert (counts.inserted, counts.unchanged) == (len(pings), 0)
    layers = {name for name, _ in pyogrio.list_layers(tmp_path / "t.gpkg")}
    assert {"pings", "stops", "passages", "activities", "imports"} <= layers
    back = store.pings()
    np.testing.assert_array_equal(back["t_ms"], pings["t_ms"])
    np.testing.assert_allclose(back["x"], pings["x"])
    again = store.add_pings(pings, _record())
    assert (again.inserted, again.unchanged) == (0, len(pings))
    assert store.imports()["inserted"].tolist() == [len(pings), 0]


def test_another_key_is_refused_and_nothing_is_stored(
    tmp_path: Path, rng: np.random.Generator
) -> None:
    store = GpkgTrackStore(tmp_path / "t.gpkg")
    first = _day("U-1", "2026-12-01", rng, (12.0,))
    store.add_pings(first, _record(key_id="k1"))
    second = _day("U-2", "2026-12-02", rng, (12.0,))
    with pytest.raises(InputSchemaError, match="key differs"):
        store.add_pings(second, _record(key_id="k2"))
    assert len(store.pings()) == len(first)
    assert len(store.imports()) == 1
    assert store.key_id() == "k1"


def test_reduction_keeps_visits_and_drive_throughs(
    tmp_path: Path, rng: np.random.Generator
) -> None:
    store = GpkgTrackStore(tmp_path / "t.gpkg")
    pings = pd.concat(
        [
            _day("U-1", "2026-11-02", rng, (12.0, 20.0)),
            _day("U-1", "2026-11-03", rng, (5.0,)),
            _day("U-2", "2026-11-03", rng, (16.0,)),
            _day("U-1", "2026-12-01", rng, (11.0,)),
        ],
        ignore_index=True,
    )
    store.add_pings(pings, _record())
    areas = {"A": Point(X0, Y0).buffer(60), "B": Point(X0 + 400, Y0).buffer(60)}
    areas["road"] = Point(X0 + 800, Y0 + 300).buffer(500)  # driven through, never stopped in
    store.register_places(
        pd.DataFrame(
            {
                "place_id": list(areas),
                "name": list(areas),
                "kind": "",
                "wkt": [a.wkt for a in areas.values()],
            }
        )
    )
    start = int(pd.Timestamp("2026-11-01", tz="Europe/Stockholm").value // 1_000_000)
    end = int(pd.Timestamp("2026-12-07", tz="Europe/Stockholm").value // 1_000_000)
    before = load_movement(store, areas, start_ms=start, end_ms=end)
    cut = int(pd.Timestamp("2026-11-20", tz="Europe/Stockholm").value // 1_000_000)
    summary = reduce_tracks(store, before_ms=cut)
    assert summary.pings_removed == int((pings["t_ms"] < cut).sum())
    assert summary.stops == 4
    assert len(store.pings()) == int((pings["t_ms"] >= cut).sum())
    after = load_movement(store, areas, start_ms=start, end_ms=end)
    cols = ["place_id", "unit", "start_ms", "end_ms", "koper"]
    pd.testing.assert_frame_equal(
        before.visits[cols].sort_values(cols, ignore_index=True),
        after.visits[cols].sort_values(cols, ignore_index=True),
    )
    key = ["place_id", "unit", "start_ms"]
    pd.testing.assert_frame_equal(
        before.passages.sort_values(key, ignore_index=True)[[*key, "end_ms", "stopped"]],
        after.passages.sort_values(key, ignore_index=True)[[*key, "end_ms", "stopped"]],
        check_dtype=False,
    )
    assert after.incomplete_places == ()
    # a place registered after the reduction has no passages for the reduced weeks
    late = {**areas, "late": Point(X0, Y0).buffer(80)}
    later = load_movement(store, late, start_ms=start, end_ms=end)
    assert later.incomplete_places == ("late",)
    # reducing again changes nothing
    assert reduce_tracks(store, before_ms=cut).pings_removed == 0


def test_a_stop_running_at_the_cut_off_is_left_whole(rng: np.random.Generator) -> None:
    pings = _day("U-1", "2026-11-02", rng, (30.0,))
    stops = movement_from_pings(pings, {}).stops
    assert len(stops) == 1
    mid = int(stops["start_ms"].iloc[0] + 10 * 60_000)  # ten minutes into the stop
    reduction = reduce_pings(
        pings[pings["t_ms"] < mid],
        pd.DataFrame(columns=["place_id", "wkt"]),
        before_ms=mid,
        params=StopParams(),
    )
    assert reduction.stops.empty
    assert reduction.cut_ms["U-1"] == int(stops["start_ms"].iloc[0])


def test_cutoff_is_local_midnight() -> None:
    now = pd.Timestamp("2026-12-04 12:00", tz="Europe/Stockholm")
    got = pd.Timestamp(cutoff_ms(30, now=now), unit="ms", tz="UTC").tz_convert("Europe/Stockholm")
    assert got == pd.Timestamp("2026-11-04 00:00", tz="Europe/Stockholm")
    with pytest.raises(InputSchemaError, match="--keep-days"):
        cutoff_ms(-1)
