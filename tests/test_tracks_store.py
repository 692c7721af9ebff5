"""The tracks store in both store backends: the same contract, the same rows back.

``store_db`` runs each test once with a GeoPackage store (tracks in ``<store>.tracks.gpkg``
beside it) and once with a PostgreSQL store (tracks in the store's own database).
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import sqlite3
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
import pytest
from shapely.geometry import Point

from hotspots.cli import run
from hotspots.core.errors import InputSchemaError, StoreBusyError, StoreError
from hotspots.dosage.movement import load_movement
from hotspots.dosage.retention import reduce_tracks
from hotspots.dosage.storage import (
    ACTIVITY_COLUMNS,
    GpkgTrackStore,
    ImportRecord,
    TracksCheck,
    TrackStore,
    open_track_store,
)
from hotspots.dosage.storage_pg import PgTrackStore
from hotspots.dosage.synthetic import Waypoint, simulate_track
from hotspots.store import is_database_url

X0, Y0 = 414_000.0, 6_583_000.0
TZ = "Europe/Stockholm"


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTSPOTS_TRACKS_DB", raising=False)
    monkeypatch.delenv("HOTSPOTS_TRACKS_KEY", raising=False)
    monkeypatch.delenv("HOTSPOTS_DB", raising=False)


def _record(kind: str = "pings", key_id: str = "k1", import_id: str = "sha") -> ImportRecord:
    return ImportRecord(
        import_id, "f.csv", kind, rows_read=1, accepted=1, rejected=0, key_id=key_id
    )


def _day(unit: str, day: str, rng: np.random.Generator, dwell: tuple[float, ...]) -> pd.DataFrame:
    wps = [Waypoint(X0 - 600, Y0)]
    wps += [Waypoint(X0 + 400 * k, Y0, d * 60) for k, d in enumerate(dwell)]
    wps += [Waypoint(X0 + 400 * len(dwell), Y0 + 600)]
    pings, _ = simulate_track(wps, unit=unit, start=pd.Timestamp(f"{day} 19:00", tz=TZ), rng=rng)
    return pings


def _activities() -> pd.DataFrame:
    start = pd.DatetimeIndex(
        ["2026-11-03 21:15", "2026-11-02 10:00", "2026-11-03 21:15"], tz=TZ
    ).tz_convert("UTC")
    return pd.DataFrame(
        {
            "start_ms": start.as_unit("ms").asi8,
            "day": ["2026-11-03", "2026-11-02", "2026-11-03"],
            "time": ["21:15", None, "21:15"],
            "kind": ["pub_check", "school_visit", "pub_check"],
            "place": ["Krogen", 'Skolan \' ; "x"', "Krogen"],
            "minutes": [30.0, 45.5, 30.0],
            "unit": [None, "u-ps", None],
            "officer": [None, None, None],
            "row_hash": ["h1", "h2", "h3"],
        }
    )[list(ACTIVITY_COLUMNS)]


def _ms(day: str) -> int:
    return int(pd.Timestamp(day, tz=TZ).value // 1_000_000)


def test_open_track_store_follows_the_store(store_db: str, tmp_path: Path) -> None:
    store = open_track_store(store_db)
    assert isinstance(store, TrackStore)
    if is_database_url(store_db):
        assert isinstance(store, PgTrackStore)
        assert store.folder is None
        assert store.location.startswith("postgresql://")
    else:
        assert isinstance(store, GpkgTrackStore)
        assert store.path == Path(store_db).with_name("store.tracks.gpkg")
        assert store.folder == Path(store_db).parent
    named = open_track_store(store_db, tracks_db=tmp_path / "other.gpkg")
    assert isinstance(named, GpkgTrackStore)  # --tracks-db wins for either backend
    assert named.path == tmp_path / "other.gpkg"


def test_pings_round_trip_once(store_db: str, rng: np.random.Generator) -> None:
    store = open_track_store(store_db)
    assert not store.exists()
    assert store.pings().empty  # reading creates nothing
    assert store.activities().empty
    assert store.key_id() is None
    assert store.data_version() == "absent"
    assert not store.exists()
    pings = pd.concat(
        [_day("U-2", "2026-12-01", rng, (12.0,)), _day("U-1", "2026-12-01", rng, (3.0,))],
        ignore_index=True,
    )
    pings.loc[::7, "officer"] = "o-ps"
    counts = store.add_pings(pings, _record())
    assert (counts.inserted, counts.unchanged) == (len(pings), 0)
    assert store.exists()
    v1 = store.data_version()
    back = store.pings()
    expected = pings.sort_values(["unit", "t_ms"], ignore_index=True)
    np.testing.assert_array_equal(back["unit"], expected["unit"])
    np.testing.assert_array_equal(back["t_ms"], expected["t_ms"])
    np.testing.assert_array_equal(back["x"], expected["x"])  # exact: no rounding on the way
    np.testing.assert_array_equal(back["y"], expected["y"])
    assert back["officer"].tolist() == [
        None if pd.isna(v) else v for v in expected["officer"].tolist()
    ]
    assert back["t_ms"].dtype == np.int64
    again = store.add_pings(pings, _record())
    assert (again.inserted, again.unchanged) == (0, len(pings))
    assert store.imports()["inserted"].tolist() == [len(pings), 0]
    assert store.data_version() not in (v1, "absent")
    assert store.key_id() == "k1"
    mid = int(pings["t_ms"].median())
    part = store.pings(start_ms=mid)
    assert len(part) == int((pings["t_ms"] >= mid).sum())
    assert len(store.pings(end_ms=mid)) == int((pings["t_ms"] < mid).sum())


def test_another_key_is_refused_and_nothing_is_stored(
    store_db: str, rng: np.random.Generator
) -> None:
    store = open_track_store(store_db)
    first = _day("U-1", "2026-12-01", rng, (12.0,))
    store.add_pings(first, _record(key_id="k1"))
    with pytest.raises(InputSchemaError, match="key differs"):
        store.add_pings(_day("U-2", "2026-12-02", rng, (12.0,)), _record(key_id="k2"))
    assert len(store.pings()) == len(first)
    assert len(store.imports()) == 1
    with pytest.raises(InputSchemaError, match="key differs"):
        store.add_activities(_activities(), _record("activities", key_id="k2"))
    assert store.activities().empty


def test_activities_once_in_time_order(store_db: str) -> None:
    store = open_track_store(store_db)
    acts = _activities()
    counts = store.add_activities(acts, _record("activities", key_id=""))
    assert (counts.inserted, counts.unchanged) == (3, 0)
    again = store.add_activities(acts.iloc[:2], _record("activities", key_id=""))
    assert (again.inserted, again.unchanged) == (0, 2)
    back = store.activities()
    assert back["row_hash"].tolist() == ["h2", "h1", "h3"]  # time, then file order
    assert back["place"].tolist()[0] == 'Skolan \' ; "x"'
    assert [None if pd.isna(v) else v for v in back["time"]] == [None, "21:15", "21:15"]
    assert back["minutes"].tolist() == [45.5, 30.0, 30.0]
    assert list(back.columns) == list(ACTIVITY_COLUMNS)
    day = store.activities(start_ms=_ms("2026-11-03"), end_ms=_ms("2026-11-04"))
    assert day["row_hash"].tolist() == ["h1", "h3"]
    assert store.key_id() is None  # no pseudonym, no key recorded


def test_reduction_keeps_visits_and_drive_throughs(store_db: str, rng: np.random.Generator) -> None:
    store = open_track_store(store_db)
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
    assert (
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
        == 3
    )
    assert store.places()["place_id"].tolist() == ["A", "B", "road"]
    start, end = _ms("2026-11-01"), _ms("2026-12-07")
    before = load_movement(store, areas, start_ms=start, end_ms=end)
    cut = _ms("2026-11-20")
    summary = reduce_tracks(store, before_ms=cut)
    assert summary.pings_removed == int((pings["t_ms"] < cut).sum())
    assert summary.stops == 4
    assert len(store.pings()) == int((pings["t_ms"] >= cut).sum())
    assert set(store.reduced_before()) == {"U-1", "U-2"}
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
    assert store.passages()["stopped"].dtype == bool
    assert reduce_tracks(store, before_ms=cut).pings_removed == 0  # again: nothing


@pytest.mark.postgres
def test_both_backends_give_the_same_frames(
    pg_url: str, tmp_path: Path, rng: np.random.Generator
) -> None:
    pings = pd.concat(
        [_day("U-1", "2026-11-02", rng, (12.0, 20.0)), _day("U-2", "2026-11-03", rng, (16.0,))],
        ignore_index=True,
    )
    places = pd.DataFrame(
        {
            "place_id": ["A"],
            "name": ["Torget"],
            "kind": "square",
            "wkt": [Point(X0, Y0).buffer(60).wkt],
        }
    )
    frames = []
    for store in (GpkgTrackStore(tmp_path / "t.gpkg"), PgTrackStore(pg_url)):
        store.add_pings(pings, _record())
        store.add_activities(_activities(), _record("activities"))
        store.register_places(places)
        reduce_tracks(store, before_ms=_ms("2026-11-03"))
        frames.append(
            {
                "pings": store.pings(),
                "stops": store.stops(),
                "passages": store.passages(),
                "places": store.places(),
                "activities": store.activities(),
                "imports": store.imports().drop(columns="imported_at"),
                "reduced": store.reduced_before(),
            }
        )
    gpkg, pg = frames
    assert gpkg["reduced"] == pg["reduced"]
    for name in ("pings", "stops", "passages", "places", "activities", "imports"):
        pd.testing.assert_frame_equal(gpkg[name], pg[name], check_dtype=False, obj=name)
    assert len(gpkg["stops"]) > 0


def test_check_counts_the_tables_and_tells_of_a_newer_schema(
    store_db: str, rng: np.random.Generator
) -> None:
    store = open_track_store(store_db)
    pg = isinstance(store, PgTrackStore)
    backend = "postgresql" if pg else "geopackage"
    assert store.check() == TracksCheck(backend, store.location, False, 0, 1, {})
    pings = _day("U-1", "2026-12-01", rng, (12.0,))
    store.add_pings(pings, _record())
    check = store.check()
    assert (check.present, check.schema_version, check.problems) == (True, 1, ())
    assert check.counts["tracks_pings" if pg else "pings"] == len(pings)
    assert sum(check.counts.values()) == len(pings) + 1  # and the import's row
    newer = "UPDATE {}meta SET value = '99' WHERE name = 'schema_version'"
    if pg:
        with psycopg.connect(store_db) as con:
            con.execute(newer.format("tracks_"))
            con.execute("DROP TABLE tracks_stops")
    else:
        with contextlib.closing(sqlite3.connect(store.path)) as con, con:
            con.execute(newer.format(""))
    check = store.check()
    assert check.schema_version == 99
    expected = ["tracks schema version 99 is newer than this hotspots knows (1); upgrade hotspots"]
    if pg:  # each missing table is named before the version
        expected.insert(0, "tracks_stops: table missing (the next tracks write creates it)")
        assert "tracks_stops" not in check.counts
    assert list(check.problems) == expected
    assert not check.as_dict()["ok"]


@pytest.mark.postgres
def test_tables_live_in_the_store_database(pg_url: str, rng: np.random.Generator) -> None:
    store = open_track_store(pg_url)
    store.add_pings(_day("U-1", "2026-12-01", rng, (12.0,)), _record())
    with psycopg.connect(pg_url) as con:
        names = {
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        }
        version = con.execute(
            "SELECT value FROM tracks_meta WHERE name = 'schema_version'"
        ).fetchone()
    assert {
        "tracks_pings",
        "tracks_stops",
        "tracks_passages",
        "tracks_places",
        "tracks_reduced",
        "tracks_activities",
        "tracks_imports",
        "tracks_meta",
    } <= names
    assert version == ("1",)


@pytest.mark.postgres
def test_a_newer_schema_is_refused(pg_url: str, rng: np.random.Generator) -> None:
    store = PgTrackStore(pg_url)
    store.add_pings(_day("U-1", "2026-12-01", rng, (12.0,)), _record())
    with psycopg.connect(pg_url) as con:
        con.execute("UPDATE tracks_meta SET value = '99' WHERE name = 'schema_version'")
    with pytest.raises(StoreError, match="newer hotspots"):
        store.add_pings(_day("U-2", "2026-12-02", rng, (12.0,)), _record())


def _hold_tracks_lock(url: str, seconds: float, ready: multiprocessing.Event) -> None:
    with psycopg.connect(url, application_name="hotspots tracks (import)") as con:
        con.execute("SELECT pg_advisory_xact_lock(%s, %s)", (0x686F7473, 3))
        ready.set()
        time.sleep(seconds)


@pytest.mark.postgres
def test_a_busy_writer_is_named_and_nothing_is_half_written(
    pg_url: str, rng: np.random.Generator
) -> None:
    store = PgTrackStore(pg_url, busy_timeout_s=0.5)
    store.add_pings(_day("U-1", "2026-12-01", rng, (12.0,)), _record())
    n = len(store.pings())
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_tracks_lock, args=(pg_url, 5.0, ready))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreBusyError, match=r"hotspots tracks \(import\) is writing"):
            store.add_pings(_day("U-2", "2026-12-02", rng, (12.0,)), _record())
        assert len(store.pings()) == n  # readers never wait
    finally:
        holder.join(30)
    assert holder.exitcode == 0


@pytest.mark.postgres
def test_cli_keeps_the_tracks_in_the_postgresql_store(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "k.key"
    assert run(["tracks", "keygen", str(key)]) == 0
    rng = np.random.default_rng(4)
    wps = [Waypoint(X0 - 500, Y0), Waypoint(X0, Y0, 12 * 60), Waypoint(X0 + 800, Y0 + 800)]
    pings, _ = simulate_track(
        wps, unit="Patrull 2010", start=pd.Timestamp("2026-12-01 19:00", tz=TZ), rng=rng
    )
    local = pd.to_datetime(pings["t_ms"], unit="ms", utc=True).dt.tz_convert(TZ)
    csv = tmp_path / "in" / "pings.csv"
    csv.parent.mkdir()
    text = pd.DataFrame(
        {
            "enhet": pings["unit"],
            "tid": local.dt.strftime("%Y-%m-%d %H:%M:%S"),
            "x": pings["x"].round(2),
            "y": pings["y"].round(2),
        }
    ).to_csv(sep=";", index=False)
    csv.write_text(text + "Patrull 2010;inte en tid;1;2\n", encoding="utf-8")
    args = ["tracks", "import", str(csv), "--db", pg_url, "--key-file", str(key)]
    assert run([*args, "--keep-days", "36500"]) == 0
    out = capsys.readouterr().out
    assert "-> postgresql://" in out
    assert f"inserted: {len(pings)}" in out
    assert (tmp_path / "in" / "pings.rejects.csv").exists()  # beside the file read
    assert not list(tmp_path.glob("*.tracks.gpkg"))
    log = tmp_path / "log.csv"
    log.write_text("datum;typ;plats;minuter\n2026-12-02;skolbesök;Skolan;45\n", encoding="utf-8")
    assert run(["activities", "import", str(log), "--db", pg_url]) == 0
    assert "inserted: 1" in capsys.readouterr().out
    assert (
        run(
            [
                "tracks",
                "visits",
                "--since",
                "2026-11-30",
                "--until",
                "2026-12-07",
                "--places",
                str(_places(tmp_path)),
                "--db",
                pg_url,
                "--json",
            ]
        )
        == 0
    )
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [(r["place_id"], r["koper_visits"]) for r in rows] == [("A", 1)]
    store = PgTrackStore(pg_url)
    assert len(store.pings()) == len(pings)
    assert len(store.activities()) == 1


def _places(tmp_path: Path) -> Path:
    import geopandas as gpd

    path = tmp_path / "places.geojson"
    gpd.GeoDataFrame(
        {"id": ["A"], "name": ["Torget"]}, geometry=[Point(X0, Y0).buffer(60)], crs="EPSG:3006"
    ).to_crs(4326).to_file(path, driver="GeoJSON")
    return path
