"""The GeoPackage backend: a valid GeoPackage for GDAL/QGIS, WAL recovery, old stores upgraded,
files that are not stores left alone."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point

from hotspots.core.errors import StoreError
from hotspots.store import SCHEMA_VERSION, UpsertCounts, open_store
from hotspots.store._gpkg_geometry import decode_points, encode_points
from hotspots.store._values import _iso_ms_texts
from hotspots.store.base import columns_of
from hotspots.store.gpkg import GeoPackageStore

INJECTED = "injected failure"


@pytest.fixture
def incidents(
    make_incidents: Callable[..., gpd.GeoDataFrame], lattice_points: np.ndarray
) -> gpd.GeoDataFrame:
    frame = make_incidents(lattice_points[:, 0], lattice_points[:, 1])
    frame.loc[2, "description"] = 'Bråk; "citat", och komma'
    frame.loc[3, "occurred_until"] = frame.loc[3, "occurred_at"] + pd.Timedelta(hours=3)
    return frame


def test_valid_geopackage_for_gdal(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    open_store(tmp_db).upsert_incidents(incidents, provenance={"file_name": "a.csv"})
    layers = dict(pyogrio.list_layers(tmp_db))
    assert layers == {"incidents": "Point", "survey": "Point", "actions": "Point", "imports": None}
    info = pyogrio.read_info(tmp_db, layer="incidents")
    assert info["crs"] == "EPSG:3006"
    assert info["features"] == 6
    x0, y0, x1, y1 = info["total_bounds"]
    assert (x0, y0, x1, y1) == (414_900.0, 6_583_400.0, 415_200.0, 6_583_600.0)
    gdal = pyogrio.read_dataframe(tmp_db, layer="incidents")
    assert list(gdal["id"]) == list(incidents["id"])
    assert np.allclose(gdal.geometry.x, incidents.geometry.x)
    assert (
        gdal["occurred_at"].dt.tz_convert("UTC") == incidents["occurred_at"].dt.tz_convert("UTC")
    ).all()
    with sqlite3.connect(tmp_db) as con:
        assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_reads_rows_written_by_gdal(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    """A row added by QGIS/GDAL (blob with an envelope) reads back."""
    store = open_store(tmp_db)
    store.upsert_incidents(incidents.iloc[:2])
    extra = incidents.iloc[2:3].rename_geometry("geom")
    pyogrio.write_dataframe(extra, tmp_db, layer="incidents", append=True)
    back = store.incidents()
    assert len(back) == 3
    assert back.geometry.iloc[2].equals(incidents.geometry.iloc[2])


def test_point_blob_codec() -> None:
    x = np.array([413_600.5, -1.0, 0.0])
    y = np.array([6_584_200.25, 2.0, 0.0])
    blobs = encode_points(x, y, 3006)
    assert all(len(b) == 29 and b[:2] == b"GP" for b in blobs)
    geoms = decode_points(blobs)
    assert [(g.x, g.y) for g in geoms] == list(zip(x, y, strict=True))


def test_a_file_that_is_not_a_store_is_left_alone(
    tmp_db: Path, incidents: gpd.GeoDataFrame
) -> None:
    store = open_store(tmp_db)
    tmp_db.write_text("not a geopackage " * 100)
    with pytest.raises(StoreError, match="cannot be read as a hotspots store"):
        store.upsert_incidents(incidents)
    with pytest.raises(StoreError, match="cannot be read as a hotspots store"):
        store.exists()
    assert tmp_db.read_text() == "not a geopackage " * 100
    other = tmp_db.with_name("other.gpkg")
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs=3006).to_file(other, layer="x")
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not a hotspots store"):
        open_store(other).upsert_incidents(incidents)
    assert other.read_bytes() == before


def test_reads_go_through_gdal_arrow_and_sql_agrees(
    tmp_db: Path, incidents: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(tmp_db)
    store.upsert_incidents(incidents)
    with store._read() as con:
        via_sql = store._read_sql(con, "incidents", columns_of("incidents"), spatial=True)

    def _no_sql(*args: object, **kwargs: object) -> None:
        msg = "the SQL fallback was used"
        raise AssertionError(msg)

    monkeypatch.setattr(GeoPackageStore, "_read_sql", _no_sql)
    via_arrow = store.incidents()
    assert_geodataframe_equal(via_arrow, via_sql, check_crs=True)
    assert_geodataframe_equal(via_arrow, incidents, check_crs=True)


def test_upsert_works_with_a_gdal_style_spatial_index(
    tmp_db: Path, incidents: gpd.GeoDataFrame
) -> None:
    """QGIS/GDAL add R-tree triggers calling ST_* functions; our inserts must still work."""
    store = open_store(tmp_db)
    store.upsert_incidents(incidents.iloc[:2])
    with sqlite3.connect(tmp_db) as con:
        con.execute(
            "CREATE VIRTUAL TABLE rtree_incidents_geom USING rtree(id, minx, maxx, miny, maxy)"
        )
        con.execute(
            "CREATE TRIGGER rtree_incidents_geom_insert AFTER INSERT ON incidents "
            "WHEN (new.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)) BEGIN "
            "INSERT OR REPLACE INTO rtree_incidents_geom VALUES (NEW.fid, ST_MinX(NEW.geom), "
            "ST_MaxX(NEW.geom), ST_MinY(NEW.geom), ST_MaxY(NEW.geom)); END"
        )
    assert store.upsert_incidents(incidents) == UpsertCounts(4, 0, 2)
    with sqlite3.connect(tmp_db) as con:
        rows = con.execute("SELECT minx, miny FROM rtree_incidents_geom ORDER BY id").fetchall()
    assert len(rows) == 4
    # R-tree stores 32-bit floats: within a metre of the points inserted
    assert np.allclose(
        np.array(rows), incidents[["geometry"]].iloc[2:].get_coordinates().to_numpy(), atol=1
    )


def test_bulk_load_into_an_empty_layer_keeps_ids_unique(
    tmp_db: Path, incidents: gpd.GeoDataFrame
) -> None:
    store = open_store(tmp_db)
    changed = incidents.copy()
    changed.loc[0, "category"] = "robbery"
    with store.importing("incidents") as imp:
        first = imp.add(incidents)
        second = imp.add(changed)  # the same ids again in a later chunk of the same import
    assert first == UpsertCounts(6, 0, 0)
    assert second == UpsertCounts(0, 1, 5)
    assert store.incidents().set_index("id").loc["t0", "category"] == "robbery"
    with sqlite3.connect(tmp_db) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
        assert "incidents_id_unique" in names
        with pytest.raises(sqlite3.IntegrityError):
            con.execute("INSERT INTO incidents (id) VALUES ('t1')")


def test_failed_bulk_load_into_an_existing_store_rolls_back(
    tmp_db: Path, incidents: gpd.GeoDataFrame
) -> None:
    store = open_store(tmp_db)
    store.upsert_survey(gpd.GeoDataFrame(store_survey_frame(), crs=incidents.crs))
    before = tmp_db.read_bytes()

    def half_way() -> None:
        with store.importing("incidents") as imp:
            imp.add(incidents)
            raise RuntimeError(INJECTED)

    with pytest.raises(RuntimeError, match="injected"):
        half_way()
    assert tmp_db.read_bytes() == before
    assert len(store.incidents()) == 0
    with sqlite3.connect(tmp_db) as con:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert "incidents_id_unique" in names


def store_survey_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "id": ["s1"],
            "unsafe": [4],
            "time_of_day": ["natt"],
            "reason": ["belysning"],
            "source": ["trygghetsvandring"],
            "date": [pd.Timestamp("2026-05-01")],
            "import_id": ["x"],
            "geometry": [Point(413_600.0, 6_584_100.0)],
        }
    )


def test_iso_texts_agree_with_numpy(rng: np.random.Generator) -> None:
    utc = np.datetime64("1970-01-01T00:00:00.000") + rng.integers(-(10**12), 10**13, 5_000).astype(
        "timedelta64[ms]"
    )
    utc[3] = np.datetime64("NaT")
    utc[4] = np.datetime64("2024-02-29T23:59:59.999")
    nat = np.isnat(utc)
    expected = np.char.add(np.datetime_as_string(utc, unit="ms"), "Z").astype(object)
    expected[nat] = None
    assert _iso_ms_texts(utc, nat).to_pylist() == list(expected)


def test_a_write_killed_mid_transaction_is_recovered_before_reading(
    tmp_db: Path, incidents: gpd.GeoDataFrame
) -> None:
    """A writer that dies inside its transaction leaves a WAL (or a hot journal in an old
    store); the next command opens the file read-write, recovers it and reads the last
    committed state."""
    store = open_store(tmp_db)
    store.upsert_incidents(incidents.iloc[:3])
    script = (
        "import sqlite3, os, sys\n"
        f"con = sqlite3.connect({str(tmp_db)!r}, isolation_level=None)\n"
        "con.execute('PRAGMA cache_size = 1')\n"  # spill pages to the file before commit
        "con.execute('BEGIN IMMEDIATE')\n"
        "con.execute(\"UPDATE incidents SET category = 'robbery'\")\n"
        "con.execute(\"INSERT INTO incidents (id, category) SELECT id || 'x', category "
        "FROM incidents\")\n"
        "os.kill(os.getpid(), 9)\n"
    )
    for mode in ("WAL", "DELETE"):
        with contextlib.closing(sqlite3.connect(tmp_db, isolation_level=None)) as con:
            con.execute(f"PRAGMA journal_mode = {mode}")
        proc = subprocess.run([sys.executable, "-c", script], check=False)
        assert proc.returncode == -9
        assert store.exists()
        back = store.incidents()
        assert back["category"].tolist() == ["assault_public"] * 3
        assert store.upsert_incidents(incidents) == UpsertCounts(3, 0, 3)
        store.upsert_incidents(incidents.iloc[:3])  # back to three rows' content
        with contextlib.closing(sqlite3.connect(tmp_db, isolation_level=None)) as con:
            con.execute("DELETE FROM incidents WHERE id NOT IN ('t0', 't1', 't2')")


def test_an_old_store_is_upgraded_in_place(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    store = open_store(tmp_db)
    store.upsert_incidents(incidents, provenance={"file_name": "a.csv"})
    with contextlib.closing(sqlite3.connect(tmp_db, isolation_level=None)) as con:  # version 1
        con.execute("PRAGMA journal_mode = DELETE")
        con.execute("DROP TABLE hotspots_meta")
        con.execute("ALTER TABLE imports DROP COLUMN merged")
    assert store.check().schema_version == 1
    assert any("db upgrade" in p for p in store.check().problems)
    assert_geodataframe_equal(store.incidents(), incidents, check_crs=True)
    version = store.data_version()
    done = store.upgrade()
    assert done
    assert done[0].startswith("2:")
    check = store.check()
    assert (check.schema_version, check.problems) == (SCHEMA_VERSION, [])
    with sqlite3.connect(tmp_db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.data_version() != version
    assert_geodataframe_equal(store.incidents(), incidents, check_crs=True)
    assert store.imports()["merged"].isna().all()


def test_an_empty_file_is_no_store_and_becomes_one(
    tmp_db: Path, incidents: gpd.GeoDataFrame
) -> None:
    tmp_db.touch()
    store = open_store(tmp_db)
    assert not store.exists()
    store.upsert_incidents(incidents)
    assert len(store.incidents()) == 6
    assert sorted(p.name for p in tmp_db.parent.iterdir()) == ["store.gpkg"]


def test_temporaries_of_dead_processes_are_cleaned(
    tmp_db: Path, incidents: gpd.GeoDataFrame
) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    pid = int(dead.stdout)
    left = tmp_db.parent / f".{tmp_db.name}.{pid}.abcd1234.creating"
    left.write_bytes(b"half a store")
    live = tmp_db.parent / f".{tmp_db.name}.{os.getpid()}.abcd1234.creating"
    live.write_bytes(b"being made")
    open_store(tmp_db).upsert_incidents(incidents)
    assert not left.exists()
    assert live.exists()  # a live process's file is never touched


_RACE = """
import sys, threading
from hotspots.store import open_store
store = open_store(sys.argv[1])
stop = threading.Event()
def write():
    i = 0
    while not stop.is_set():
        store.append_audit([{"user": "t", "event": "page_view", "detail": {"i": i}}])
        i += 1
def read():
    for _ in range(int(sys.argv[2])):
        store.read_layer("incidents")
    stop.set()
threads = [threading.Thread(target=f) for f in (write, read, read)]
for t in threads: t.start()
for t in threads: t.join()
print("ok")
"""


@pytest.mark.slow
def test_writes_and_gdal_reads_in_one_process_never_crash(tmp_path: Path) -> None:
    """Audit appends (sqlite3) in one thread while others read layers (GDAL): no SIGBUS.

    Python's sqlite3 and GDAL's SQLite are two copies of SQLite in one process; without the
    store's library gate one of them truncated the WAL index the other had mapped, and the
    process died with SIGBUS (1 run in 3 of this script on the development machine).
    """
    from hotspots.demo.store import ensure_demo_store

    db = tmp_path / "store.gpkg"
    ensure_demo_store(db)
    script = tmp_path / "race.py"
    script.write_text(_RACE, encoding="utf-8")
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, str(script), str(db), "40"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
        assert done.stdout.strip() == "ok"
