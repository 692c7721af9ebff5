"""The store contract, on both backends: round trip, upsert counts, one transaction, versions,
the actions log edited in place, schema init/upgrade/check."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point

from hotspots.cli import run
from hotspots.core.errors import InputFileError, InputSchemaError, StoreError
from hotspots.store import ACTION_COLUMNS, SCHEMA_VERSION, UpsertCounts, open_store

INJECTED = "injected failure"


@pytest.fixture
def incidents(
    make_incidents: Callable[..., gpd.GeoDataFrame], lattice_points: np.ndarray
) -> gpd.GeoDataFrame:
    frame = make_incidents(lattice_points[:, 0], lattice_points[:, 1])
    frame.loc[2, "description"] = 'Bråk; "citat", och komma\nny rad'
    frame.loc[4, "description"] = pd.NA  # a missing text stays missing, "" stays ""
    frame.loc[3, "occurred_until"] = frame.loc[3, "occurred_at"] + pd.Timedelta(hours=3)
    return frame


def _survey() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
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
        {"id": "string", "time_of_day": "string", "reason": "string", "source": "string",
         "import_id": "string"}
    )


def test_roundtrip_is_exact(store_db: str, incidents: gpd.GeoDataFrame) -> None:
    store = open_store(store_db)
    assert not store.exists()
    assert store.crs is None
    assert store.upsert_incidents(incidents) == UpsertCounts(6, 0, 0)
    assert store.exists()
    assert store.crs.to_epsg() == 3006
    back = store.incidents()
    assert_geodataframe_equal(back, incidents, check_crs=True)
    assert back["description"][0] == ""
    assert pd.isna(back["description"][4])


def test_upsert_counts_and_idempotence(store_db: str, incidents: gpd.GeoDataFrame) -> None:
    store = open_store(store_db)
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


def test_within_a_chunk_the_last_row_of_an_id_wins(
    store_db: str, incidents: gpd.GeoDataFrame
) -> None:
    store = open_store(store_db)
    twice = pd.concat([incidents.iloc[:2], incidents.iloc[:1]], ignore_index=True)
    twice.loc[2, "category"] = "robbery"
    got = store.upsert_incidents(gpd.GeoDataFrame(twice, crs=incidents.crs))
    assert got == UpsertCounts(2, 0, 0)  # counted over distinct ids
    back = store.incidents().set_index("id")
    assert back.loc["t0", "category"] == "robbery"


def test_uncounted_rows_are_written_but_not_counted(
    store_db: str, incidents: gpd.GeoDataFrame
) -> None:
    store = open_store(store_db)
    repeat = incidents.iloc[:1].copy()
    repeat["category"] = "weapons"
    with store.importing("incidents", provenance={"file_name": "f.csv"}) as imp:
        assert imp.add(incidents) == UpsertCounts(6, 0, 0)
        assert imp.add(repeat, counted=False) == UpsertCounts(0, 0, 0)
    assert imp.counts == UpsertCounts(6, 0, 0)
    assert store.incidents().set_index("id").loc["t0", "category"] == "weapons"
    imports = store.imports()
    assert (imports["inserted"].tolist(), imports["updated"].tolist()) == ([6], [0])


def test_failure_half_way_rolls_back(store_db: str, incidents: gpd.GeoDataFrame) -> None:
    store = open_store(store_db)
    store.upsert_incidents(incidents.iloc[:3], provenance={"file_name": "a"})
    before_rows = store.incidents()
    before_imports = store.imports()
    version = store.data_version()
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
    assert store.data_version() == version


def test_failed_first_import_leaves_an_empty_store(
    store_db: str, incidents: gpd.GeoDataFrame
) -> None:
    store = open_store(store_db)

    def half_way() -> None:
        with store.importing("incidents") as imp:
            imp.add(incidents)
            raise RuntimeError(INJECTED)

    with pytest.raises(RuntimeError, match="injected"):
        half_way()
    # the store was created (atomically) before the import's transaction; nothing of the
    # import is in it
    assert store.exists()
    assert len(store.incidents()) == 0
    assert len(store.imports()) == 0


def test_survey_layer(store_db: str) -> None:
    store = open_store(store_db)
    assert store.upsert_survey(_survey()) == UpsertCounts(2, 0, 0)
    back = store.survey()
    assert list(back["unsafe"]) == [5, 1]
    assert back["date"][0] == pd.Timestamp("2026-04-01")
    assert pd.isna(back["date"][1])
    assert pd.isna(back["reason"][1])


def test_actions_are_edited_in_place(store_db: str) -> None:
    store = open_store(store_db)
    action = gpd.GeoDataFrame(
        {
            "id": ["A-0001"],
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
    store.init()
    version = store.data_version()
    incidents_version = store.layer_version("incidents")
    store.edit_actions(lambda current: pd.concat([current, action.to_crs(3006)]))
    assert store.data_version() != version
    assert store.layer_version("incidents") == incidents_version
    got = store.read_layer("actions")
    assert list(got.columns) == [*ACTION_COLUMNS, "geometry"]
    assert got.crs.to_epsg() == 3006
    assert got["action"][0] == "Fotpatrull fre-lör 22-03"
    assert got.geometry[0].distance(action.to_crs(3006).geometry[0]) < 1e-6

    def close(current: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        current = current.copy()
        current.loc[0, "status"] = "klar"
        return current

    store.edit_actions(close)
    got = store.read_layer("actions")
    assert got["status"].tolist() == ["klar"]
    with pytest.raises(StoreError, match="never deleted"):
        store.edit_actions(lambda current: current.iloc[:0])
    assert len(store.read_layer("actions")) == 1


def test_data_and_layer_versions(store_db: str, incidents: gpd.GeoDataFrame) -> None:
    store = open_store(store_db)
    assert store.data_version() == "absent"
    assert store.layer_version("incidents") == "absent"
    store.upsert_incidents(incidents)
    v1, l1 = store.data_version(), store.layer_version("incidents")
    store.incidents()
    assert (store.data_version(), store.layer_version("incidents")) == (v1, l1)
    store.upsert_survey(_survey())
    assert store.data_version() != v1
    assert store.layer_version("incidents") == l1
    changed = incidents.copy()
    changed.loc[0, "category"] = "robbery"
    store.upsert_incidents(changed)
    assert store.layer_version("incidents") != l1
    with pytest.raises(InputSchemaError, match="does not exist"):
        store.layer_version("nonsense")


def test_foreign_store_keeps_its_utm_crs(store_db: str, incidents: gpd.GeoDataFrame) -> None:
    utm = incidents.to_crs(32633)
    store = open_store(store_db)
    store.upsert_incidents(utm)
    assert store.crs.to_epsg() == 32633
    # a frame in another CRS is reprojected to the store's
    assert store.upsert_incidents(incidents) == UpsertCounts(0, 0, 6)
    assert store.incidents().crs.to_epsg() == 32633


def test_errors(store_db: str) -> None:
    store = open_store(store_db)
    with pytest.raises(InputFileError, match="no store here"):
        store.incidents()
    with pytest.raises(InputSchemaError, match="layer 'nope' does not exist"):
        store.read_layer("nope")
    with pytest.raises(InputSchemaError, match="cannot be upserted"), store.importing("actions"):
        pass
    with pytest.raises(InputSchemaError, match="busy-timeout"):
        open_store(store_db, busy_timeout_s=-1)


def test_init_upgrade_and_check(store_db: str, incidents: gpd.GeoDataFrame) -> None:
    store = open_store(store_db)
    empty = store.check()
    assert (empty.schema_version, empty.counts, empty.crs) == (0, {}, None)
    assert store.init(crs="EPSG:3006") is True
    assert store.init(crs="EPSG:3006") is False
    store.upsert_incidents(incidents, provenance={"file_name": "a.csv"})
    report = store.check().as_dict()
    assert report["schema_version"] == SCHEMA_VERSION
    assert report["up_to_date"]
    assert report["ok"], report["problems"]
    assert report["counts"] == {"incidents": 6, "survey": 0, "actions": 0, "imports": 1}
    assert report["crs"] == "EPSG:3006"
    assert store.upgrade() == []
    assert_geodataframe_equal(store.incidents(), incidents, check_crs=True)


def test_roundtrip_at_scale(
    store_db: str, rng: np.random.Generator, make_incidents: Callable[..., gpd.GeoDataFrame]
) -> None:
    n = 30_000
    frame = make_incidents(
        413_000 + rng.uniform(0, 5000, n),
        6_582_000 + rng.uniform(0, 5000, n),
        times=pd.date_range("2024-01-01", periods=n, freq="17min", tz="Europe/Stockholm"),
    )
    frame["id"] = pd.array([f"i{k}" for k in range(n)], dtype="string")
    store = open_store(store_db)
    with store.importing("incidents") as imp:
        for start in range(0, n, 10_000):
            imp.add(frame.iloc[start : start + 10_000])
    assert imp.counts == UpsertCounts(n, 0, 0)
    assert_geodataframe_equal(store.incidents(), frame.reset_index(drop=True), check_crs=True)


def test_detect_gives_the_same_geojson_on_both_backends(
    pg_url: str, tmp_path: Path, rng: np.random.Generator
) -> None:
    """The same file imported into a GeoPackage and into PostgreSQL: byte-identical hotspots."""
    n = 3_000
    hot = rng.normal(0, 60, (n // 3, 2)) + np.array([413_900.0, 6_584_400.0])
    spread = rng.normal(0, 900, (n - n // 3, 2)) + np.array([413_600.0, 6_584_200.0])
    xy = np.vstack([hot, spread])
    times = pd.Timestamp("2025-03-03 21:00") + pd.to_timedelta(
        rng.integers(0, 200 * 24 * 60, n), unit="min"
    )
    csv = tmp_path / "incidents.csv"
    pd.DataFrame(
        {
            "occurred_at": times.strftime("%Y-%m-%dT%H:%M"),
            "category": rng.choice(["assault_public", "robbery", "vandalism"], n),
            "x": xy[:, 0].round(2),
            "y": xy[:, 1].round(2),
        }
    ).to_csv(csv, index=False)
    outputs = []
    for db in (str(tmp_path / "store.gpkg"), pg_url):
        assert run(["import", str(csv), "--db", db]) == 0
        out = tmp_path / f"hotspots-{len(outputs)}.geojson"
        assert run(["detect", "--db", db, "--out", str(out), "--bandwidth-m", "150"]) == 0
        outputs.append(out.read_bytes())
    assert json.loads(outputs[0])["features"], "the planted cluster must give a hotspot"
    assert outputs[0] == outputs[1]
