"""The GeoPackage store: round trip, upsert counts, one transaction, a valid GeoPackage."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point

from hotspots._errors import InputFileError, InputSchemaError
from hotspots.store import (
    ACTION_COLUMNS,
    Store,
    UpsertCounts,
    _iso_ms_texts,
    decode_points,
    encode_points,
)

INJECTED = "injected failure"


@pytest.fixture
def incidents(
    make_incidents: Callable[..., gpd.GeoDataFrame], lattice_points: np.ndarray
) -> gpd.GeoDataFrame:
    frame = make_incidents(lattice_points[:, 0], lattice_points[:, 1])
    frame.loc[2, "description"] = 'Bråk; "citat", och komma'
    frame.loc[3, "occurred_until"] = frame.loc[3, "occurred_at"] + pd.Timedelta(hours=3)
    return frame


def test_roundtrip_is_exact(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    store = Store(tmp_db)
    assert not store.exists()
    counts = store.upsert_incidents(incidents, provenance={"file_name": "a.csv", "sha256": "x"})
    assert counts == UpsertCounts(inserted=6, updated=0, unchanged=0)
    assert store.exists()
    assert store.crs.to_epsg() == 3006
    assert_geodataframe_equal(store.incidents(), incidents, check_crs=True)


def test_upsert_counts_and_idempotence(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    store = Store(tmp_db)
    store.upsert_incidents(incidents)
    assert store.upsert_incidents(incidents) == UpsertCounts(0, 0, 6)
    changed = incidents.copy()
    changed.loc[0, "category"] = "robbery"
    changed.loc[1, "geometry"] = Point(413_651.0, 6_584_200.0)
    changed.loc[2, "import_id"] = "another file"  # provenance alone is no change
    extra = changed.iloc[:1].copy()
    extra["id"] = "new"
    both = pd.concat([changed, extra], ignore_index=True)
    assert store.upsert_incidents(gpd.GeoDataFrame(both, crs=incidents.crs)) == UpsertCounts(
        1, 2, 4
    )
    back = store.incidents().set_index("id")
    assert back.loc["t0", "category"] == "robbery"
    assert back.loc["t1", "geometry"].x == 413_651.0
    assert back.loc["t2", "import_id"] == "fixture"
    assert len(back) == 7


def test_failure_half_way_rolls_back(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    store = Store(tmp_db)
    store.upsert_incidents(incidents.iloc[:3], provenance={"file_name": "a"})
    before_rows = store.incidents()
    before_imports = store.imports()
    before_bytes = tmp_db.read_bytes()
    changed = incidents.copy()
    changed["category"] = "robbery"

    def half_way() -> None:
        with store.importing("incidents", provenance={"file_name": "b"}) as imp:
            imp.add(changed.iloc[:4])  # 3 updates + 1 insert, then the failure
            raise RuntimeError(INJECTED)

    with pytest.raises(RuntimeError, match="injected"):
        half_way()
    assert_geodataframe_equal(store.incidents(), before_rows)
    pd.testing.assert_frame_equal(store.imports(), before_imports)
    assert tmp_db.read_bytes() == before_bytes


def test_failed_first_import_leaves_no_file(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    store = Store(tmp_db)

    def half_way() -> None:
        with store.importing("incidents") as imp:
            imp.add(incidents)
            raise RuntimeError(INJECTED)

    with pytest.raises(RuntimeError, match="injected"):
        half_way()
    assert not tmp_db.exists()


def test_valid_geopackage_for_gdal(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    Store(tmp_db).upsert_incidents(incidents, provenance={"file_name": "a.csv"})
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
    store = Store(tmp_db)
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


def test_survey_and_actions_layers(tmp_db: Path) -> None:
    store = Store(tmp_db)
    survey = gpd.GeoDataFrame(
        {
            "id": ["s1", "s2"],
            "unsafe": [5, 1],
            "time_of_day": ["natt", None],
            "reason": ["belysning", None],
            "source": ["medborgardialog", None],
            "date": pd.to_datetime(["2026-04-01", None]),
            "import_id": ["f", "f"],
        },
        geometry=[Point(413_600, 6_584_200), Point(413_700, 6_584_300)],
        crs="EPSG:3006",
    ).astype(
        {
            "id": "string",
            "time_of_day": "string",
            "reason": "string",
            "source": "string",
            "import_id": "string",
        }
    )
    assert store.upsert_survey(survey) == UpsertCounts(2, 0, 0)
    back = store.survey()
    assert list(back["unsafe"]) == [5, 1]
    assert back["date"][0] == pd.Timestamp("2026-04-01")
    assert pd.isna(back["date"][1])
    actions = gpd.GeoDataFrame(
        {
            "id": ["a1"],
            "place_kind": ["hotspot"],
            "place_ref": ["1"],
            "date": pd.to_datetime(["2026-05-01"]),
            "problem": ["Våld"],
            "actor": ["Polisen"],
            "action": ["Fotpatrull fre-lör 22-03"],
            "follow_up": ["2026-06-01"],
            "status": ["pågår"],
            "note": ["<b>escaped on display</b>"],
        },
        geometry=[Point(13.5036, 59.3793)],
        crs="EPSG:4326",
    )
    version = store.data_version()
    store.write_layer("actions", actions)
    assert store.data_version() != version
    got = store.read_layer("actions")
    assert list(got.columns) == [*ACTION_COLUMNS, "geometry"]
    assert got.crs.to_epsg() == 3006
    assert got["action"][0] == "Fotpatrull fre-lör 22-03"
    expected = actions.to_crs(3006).geometry[0]
    assert got.geometry[0].distance(expected) < 1e-6
    store.write_layer("actions", actions.iloc[:0])
    assert len(store.read_layer("actions")) == 0


def test_data_version_only_changes_on_writes(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    store = Store(tmp_db)
    assert store.data_version() == "absent"
    store.upsert_incidents(incidents)
    v1 = store.data_version()
    store.incidents()
    assert store.data_version() == v1
    changed = incidents.copy()
    changed.loc[0, "category"] = "robbery"
    store.upsert_incidents(changed)
    assert store.data_version() != v1


def test_layer_version_changes_with_its_layer_only(
    tmp_db: Path, incidents: gpd.GeoDataFrame
) -> None:
    store = Store(tmp_db)
    assert store.layer_version("incidents") == "absent"
    store.upsert_incidents(incidents)
    v1 = store.layer_version("incidents")
    store.incidents()
    assert store.layer_version("incidents") == v1
    actions = gpd.GeoDataFrame(
        {"id": ["A-0001"], "note": ["x"]}, geometry=[incidents.geometry.iloc[0]], crs=incidents.crs
    )
    store.write_layer("actions", actions)  # the actions log: another layer
    assert store.layer_version("incidents") == v1
    changed = incidents.copy()
    changed.loc[0, "category"] = "robbery"
    store.upsert_incidents(changed)
    assert store.layer_version("incidents") != v1
    with pytest.raises(InputSchemaError, match="does not exist"):
        store.layer_version("nonsense")


def test_foreign_store_keeps_its_utm_crs(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    utm = incidents.to_crs(32633)
    store = Store(tmp_db)
    store.upsert_incidents(utm)
    assert store.crs.to_epsg() == 32633
    # a frame in another CRS is reprojected to the store's
    assert store.upsert_incidents(incidents) == UpsertCounts(0, 0, 6)
    assert store.incidents().crs.to_epsg() == 32633


def test_errors(tmp_db: Path, incidents: gpd.GeoDataFrame) -> None:
    store = Store(tmp_db)
    with pytest.raises(InputFileError, match="no store here"):
        store.incidents()
    with pytest.raises(InputSchemaError, match="layer 'nope' does not exist"):
        store.read_layer("nope")
    tmp_db.write_text("not a geopackage")
    with pytest.raises(InputFileError, match="not a hotspots store"):
        store.upsert_incidents(incidents)
    assert tmp_db.read_text() == "not a geopackage"


def test_roundtrip_at_scale(
    tmp_path: Path, rng: np.random.Generator, make_incidents: Callable[..., gpd.GeoDataFrame]
) -> None:
    n = 30_000
    frame = make_incidents(
        413_000 + rng.uniform(0, 5000, n),
        6_582_000 + rng.uniform(0, 5000, n),
        times=pd.date_range("2024-01-01", periods=n, freq="17min", tz="Europe/Stockholm"),
    )
    frame["id"] = [f"i{k}" for k in range(n)]
    frame["id"] = frame["id"].astype("string")
    store = Store(tmp_path / "big.gpkg")
    store.upsert_incidents(frame)
    back = store.incidents()
    assert_geodataframe_equal(back, frame, check_crs=True)


def test_reads_go_through_gdal_arrow_and_sql_agrees(
    tmp_db: Path, incidents: gpd.GeoDataFrame, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_db)
    store.upsert_incidents(incidents)
    via_sql = store._read_sql("incidents", dict(store._columns("incidents")), spatial=True)

    def _no_sql(*args: object, **kwargs: object) -> None:
        msg = "the SQL fallback was used"
        raise AssertionError(msg)

    monkeypatch.setattr(Store, "_read_sql", _no_sql)
    via_arrow = store.incidents()
    assert_geodataframe_equal(via_arrow, via_sql, check_crs=True)
    assert_geodataframe_equal(via_arrow, incidents, check_crs=True)


def test_upsert_works_with_a_gdal_style_spatial_index(
    tmp_db: Path, incidents: gpd.GeoDataFrame
) -> None:
    """QGIS/GDAL add R-tree triggers calling ST_* functions; our inserts must still work."""
    store = Store(tmp_db)
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
    store = Store(tmp_db)
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
    store = Store(tmp_db)
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
