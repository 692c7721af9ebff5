"""import_file: every bad input gives its message, its rejects file and an unchanged store;
re-imports change nothing; a failure half-way rolls back."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from rejects_csv import read_rejects

from hotspots.core.errors import InputFileError
from hotspots.core.schema import TIMEZONE
from hotspots.io import readers
from hotspots.load.ingest import ImportSummary, import_file
from hotspots.store import open_store

NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)
GOOD = (
    "id;tidpunkt;kategori;lat;lon\n"
    "A1;2026-03-14 22:15;Misshandel i offentlig miljö;59,37935;13,50350\n"
    "A2;2026-03-15 01:40;Skadegörelse / klotter;59,38120;13,49870\n"
)


@pytest.fixture
def store_with_data(tmp_path: Path) -> Path:
    db = tmp_path / "data" / "hotspots.gpkg"
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="cp1252")
    summary = import_file(good, db=db, now=NOW)
    assert (summary.accepted, summary.inserted, summary.rejected) == (2, 2, 0)
    return db


def snapshot(db: Path) -> tuple[bytes, int]:
    return db.read_bytes(), db.stat().st_mtime_ns


BAD_ROWS = [
    ("A3;igår;rån;59,38;13,50", 4, "tidpunkt", "unparseable time"),
    ("A3;2026-12-24 18:00;rån;59,38;13,50", 4, "tidpunkt", "time in the future"),
    ("A3;2026-03-14 22:15;cykelstöld;59,38;13,50", 4, "kategori", "unknown category"),
    ("A3;2026-03-14 22:15;rån;;", 4, "lat/lon", "missing location"),
    ("A3;2026-03-14 22:15;rån;48,85;2,35", 4, "lat/lon", "outside the area of use"),
    ("A3;2026-03-14 22:15;rån;13,50;59,38", 4, "lat/lon", "swapped lat/lon"),
    (
        "A3;2026-03-14 22:15;rån;6584200;413600",
        4,
        "lat/lon",
        "SWEREF 99 TM metres given as degrees",
    ),
]


@pytest.mark.parametrize(("line", "row", "column", "needle"), BAD_ROWS)
def test_bad_rows_go_to_the_rejects_file(  # noqa: PLR0917
    tmp_path: Path, store_with_data: Path, line: str, row: int, column: str, needle: str
) -> None:
    db = store_with_data
    before = open_store(db).incidents()
    path = tmp_path / "mixed.csv"
    path.write_text(GOOD + line + "\n", encoding="cp1252")
    summary = import_file(path, db=db, now=NOW)
    assert (summary.accepted, summary.inserted, summary.updated, summary.unchanged) == (2, 0, 0, 2)
    assert summary.rejected == 1
    assert summary.rejects_path == db.parent / "mixed.rejects.csv"
    rejects = read_rejects(summary.rejects_path, reasons="en")
    assert list(rejects.columns) == ["row", "column", "value", "reason"]
    assert rejects["row"].tolist() == [str(row)]
    assert rejects["column"][0] == column
    assert needle in rejects["reason"][0]
    # the good rows are stored unchanged and the bad one is not stored
    assert_geodataframe_equal(open_store(db).incidents(), before)


def test_degrees_given_as_metres_with_crs(tmp_path: Path, store_with_data: Path) -> None:
    path = tmp_path / "xy.csv"
    path.write_text("id,occurred_at,category,x,y\nX1,2026-01-01 10:00,dui,13.5,59.38\n")
    summary = import_file(path, db=store_with_data, crs="EPSG:3006", now=NOW)
    rejects = read_rejects(summary.rejects_path, reasons="en")
    assert "look like WGS84 degrees given as metres" in rejects["reason"][0]
    assert rejects["column"][0] == "x/y"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04\x00\x00garbage\x00\x01" * 20, "zip"),
        (b"\x00\x01\x02binary\xff\xfe\x00" * 50, "binary"),
        (b"tidpunkt;kategori;lat;lon\r\n", "header but no data rows"),
        (b"tidpunkt;kategori;plats\r\n2026-01-01;r\xe5n;torget\r\n", "no location columns"),
        (b"n\xe4r;kategori;lat;lon\r\n2026-01-01;r\xe5n;59,4;13,5\r\n", "no time column"),
    ],
)
def test_unreadable_file_leaves_store_unchanged(
    tmp_path: Path, store_with_data: Path, content: bytes, needle: str
) -> None:
    db = store_with_data
    before = snapshot(db)
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        import_file(path, db=db, now=NOW)
    assert str(info.value).startswith(f"{path}: ")
    assert needle in str(info.value)
    assert snapshot(db) == before
    assert not (db.parent / "bad.rejects.csv").exists()
    assert sorted(p.name for p in db.parent.iterdir()) == ["hotspots.gpkg"]  # no temp files


def test_unreadable_file_creates_no_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    db = tmp_path / "new" / "store.gpkg"
    with pytest.raises(InputFileError):
        import_file(path, db=db, now=NOW)
    assert not db.exists()


def test_reimport_changes_nothing(tmp_path: Path, store_with_data: Path) -> None:
    db = store_with_data
    before = open_store(db).incidents()
    good = tmp_path / "good.csv"
    summary = import_file(good, db=db, now=NOW)
    assert (summary.accepted, summary.inserted, summary.updated, summary.unchanged) == (2, 0, 0, 2)
    assert summary.rejects_path is None
    assert_geodataframe_equal(open_store(db).incidents(), before)
    imports = open_store(db).imports()
    assert list(imports["file_name"]) == ["good.csv", "good.csv"]
    assert list(imports["unchanged"]) == [0, 2]
    assert imports["sha256"].nunique() == 1
    assert len(imports["sha256"][0]) == 64


def test_edited_file_updates(tmp_path: Path, store_with_data: Path) -> None:
    path = tmp_path / "good.csv"
    path.write_text(GOOD.replace("Skadegörelse / klotter", "Rån"), encoding="cp1252")
    summary = import_file(path, db=store_with_data, now=NOW)
    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 1)
    back = open_store(store_with_data).incidents().set_index("id")
    assert back.loc["A2", "category"] == "robbery"


def test_failure_half_way_leaves_store_as_it_was(
    tmp_path: Path, store_with_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = store_with_data
    before = snapshot(db)
    rows = "".join(f"B{i};2026-03-14 22:15;rån;59,38;13,50\n" for i in range(10))
    path = tmp_path / "many.csv"
    path.write_text(GOOD.replace("Skadegörelse / klotter", "Rån") + rows, encoding="cp1252")
    real = readers.build_incidents
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] == 3:
            msg = "injected failure in chunk 3"
            raise RuntimeError(msg)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(readers, "build_incidents", failing)
    with pytest.raises(RuntimeError, match="injected"):
        import_file(path, db=db, now=NOW, chunksize=4)
    assert calls["n"] == 3  # two chunks (an update and inserts) were written first
    assert snapshot(db) == before
    assert not (db.parent / "many.rejects.csv").exists()


def test_stale_rejects_file_is_removed(tmp_path: Path, store_with_data: Path) -> None:
    path = tmp_path / "fix.csv"
    path.write_text(GOOD + "A3;igår;rån;59,38;13,50\n", encoding="cp1252")
    first = import_file(path, db=store_with_data, now=NOW)
    assert first.rejects_path is not None
    assert first.rejects_path.exists()
    path.write_text(GOOD, encoding="cp1252")
    second = import_file(path, db=store_with_data, now=NOW)
    assert second.rejects_path is None
    assert not first.rejects_path.exists()


def test_survey_import(tmp_path: Path) -> None:
    path = tmp_path / "enkät.csv"
    path.write_text(
        "lat;lon;otrygg;tid på dygnet\n59,38;13,50;ja;natt\n59,38;13,50;2;dag\n", "cp1252"
    )
    db = tmp_path / "s.gpkg"
    summary = import_file(path, db=db, kind="survey", now=NOW)
    assert (summary.accepted, summary.inserted) == (2, 2)
    assert list(open_store(db).survey()["unsafe"]) == [5, 2]
    assert len(open_store(db).incidents()) == 0


def test_policeuk_into_a_swedish_store_is_rejected_row_by_row(
    tmp_path: Path, store_with_data: Path
) -> None:
    path = tmp_path / "uk.csv"
    path.write_text(
        "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
        "LSOA name,Crime type,Last outcome category,Context\n"
        "x1,2019-11,City,City,-0.1,51.5,On or near X,E1,C,Drugs,,\n"
    )
    summary = import_file(path, db=store_with_data, now=NOW)
    assert summary.rejected == 1
    reason = read_rejects(summary.rejects_path, reasons="en")["reason"][0]
    assert "outside the area of use of the store's CRS EPSG:3006" in reason
    assert "--db" in reason
    uk = import_file(path, db=tmp_path / "uk.gpkg", now=NOW)
    assert uk.inserted == 1
    assert uk.crs == "EPSG:32630"


@pytest.mark.shared_data
def test_real_files_into_stores(shared_data: Path, tmp_path: Path) -> None:
    db = tmp_path / "se.gpkg"
    path = shared_data / "polisen" / "polisen_api_events_sample.json"
    first = import_file(path, db=db)
    again = import_file(path, db=db)
    assert (first.inserted, again.unchanged, again.inserted, again.updated) == (300, 300, 0, 0)
    uk = tmp_path / "uk.gpkg"
    month = shared_data / "policeuk" / "city-of-london" / "2019-11-city-of-london-street.csv"
    s = import_file(month, db=uk)
    assert s.accepted + s.rejected == sum(1 for _ in month.open(encoding="utf-8")) - 1
    assert open_store(uk).crs.to_epsg() == 32630


# --- every accepted row is accounted for -------------------------------------------------


def _accounted(summary: ImportSummary) -> None:
    """The invariant of every import."""
    assert summary.accepted == (
        summary.inserted + summary.updated + summary.unchanged + summary.merged
    )


def _csv(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("id;tidpunkt;kategori;lat;lon\n" + "".join(f"{x}\n" for x in lines), "utf-8")
    return path


REPEATS = [
    "A1;2026-03-14 22:15;rån;59,37935;13,50350",  # row 2
    "A2;2026-03-15 01:40;rån;59,38120;13,49870",  # row 3
    "A3;2026-03-16 01:40;rån;59,38120;13,49870",  # row 4
    "A1;2026-03-17 23:00;klotter;59,38000;13,50000",  # row 5: A1 again, other content
    "A2;2026-03-15 01:40;rån;59,38120;13,49870",  # row 6: A2 again, identical
]


@pytest.mark.parametrize("chunksize", [100, 2, 1])
def test_repeated_ids_are_merged_and_listed(tmp_path: Path, chunksize: int) -> None:
    """Within a chunk or across chunks: counted once, the last row wins, both repeats listed."""
    path = _csv(tmp_path, "rep.csv", REPEATS)
    db = tmp_path / "s.gpkg"
    summary = import_file(path, db=db, now=NOW, chunksize=chunksize)
    _accounted(summary)
    assert (summary.accepted, summary.inserted, summary.merged, summary.rejected) == (5, 3, 2, 0)
    stored = open_store(db).incidents().set_index("id")
    assert sorted(stored.index) == ["A1", "A2", "A3"]
    assert stored.loc["A1", "category"] == "vandalism"  # the last row of A1
    assert stored.loc["A1", "occurred_at"] == pd.Timestamp("2026-03-17 23:00", tz=TIMEZONE)
    assert stored["source_id"].isna().all()  # only police.uk ids are made from another
    assert summary.rejects_path == tmp_path / "rep.rejects.csv"
    rejects = read_rejects(summary.rejects_path, reasons="en")
    assert rejects["row"].tolist() == ["5", "6"]
    assert rejects["column"].tolist() == ["id", "id"]
    assert rejects["value"].tolist() == ["A1", "A2"]
    assert rejects["reason"][0].startswith('id "A1" is already on row 2; the row was merged')
    assert rejects["reason"][1].startswith('id "A2" is already on row 3')
    imports = open_store(db).imports()
    assert imports["merged"].tolist() == [2]
    assert imports["accepted"].tolist() == [5]
    assert imports["rejects_path"].tolist() == [str(summary.rejects_path)]


def test_reimport_with_repeats_in_one_chunk_changes_nothing(tmp_path: Path) -> None:
    path = _csv(tmp_path, "rep.csv", REPEATS)
    db = tmp_path / "s.gpkg"
    import_file(path, db=db, now=NOW)
    again = import_file(path, db=db, now=NOW)
    _accounted(again)
    assert (again.inserted, again.updated, again.unchanged, again.merged) == (0, 0, 3, 2)
    assert open_store(db).imports()["unchanged"].tolist() == [0, 3]
    assert len(open_store(db).incidents()) == 3


def test_repeat_of_a_stored_id_is_counted_once(tmp_path: Path, store_with_data: Path) -> None:
    """A1 is stored: its first row in the file updates it, the repeat is merged."""
    path = _csv(tmp_path, "upd.csv", [REPEATS[0], REPEATS[3]])
    summary = import_file(path, db=store_with_data, now=NOW, chunksize=1)
    _accounted(summary)
    assert (summary.inserted, summary.updated, summary.unchanged, summary.merged) == (0, 1, 0, 1)
    stored = open_store(store_with_data).incidents().set_index("id")
    assert stored.loc["A1", "category"] == "vandalism"
    assert len(stored) == 2


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_accounting_closes_for_random_files(tmp_path: Path, seed: int) -> None:
    """Random ids with repeats, random chunk sizes, a store that holds some of them already:
    the counts close and the store holds the last row of every id."""
    rng = np.random.default_rng(seed)
    db = tmp_path / "s.gpkg"
    for step in range(3):
        n = int(rng.integers(5, 60))
        ids = [f"i{k}" for k in rng.integers(0, 40, n)]
        cats = rng.choice(["robbery", "vandalism", "drug_use"], n)
        days = rng.integers(1, 28, n)
        path = _csv(
            tmp_path,
            f"r{step}.csv",
            [
                f"{i};2026-03-{d:02d} 12:00;{c};59,38;13,50"
                for i, c, d in zip(ids, cats, days, strict=True)
            ],
        )
        before = set(open_store(db).incidents()["id"]) if db.exists() else set()
        summary = import_file(path, db=db, now=NOW, chunksize=int(rng.integers(1, 25)))
        _accounted(summary)
        assert summary.merged == n - len(set(ids))
        assert summary.inserted == len(set(ids) - before)
        stored = open_store(db).incidents().set_index("id")
        last = {i: (c, d) for i, c, d in zip(ids, cats, days, strict=True)}
        for i, (c, d) in last.items():
            assert stored.loc[i, "source_category"] == c
            assert stored.loc[i, "occurred_at"].day == d
        assert len(stored) == len(before | set(ids))
        if summary.merged:
            rejects = read_rejects(summary.rejects_path, reasons="en")
            assert len(rejects) == summary.merged
            first_row = {i: ids.index(i) + 2 for i in set(ids)}
            for row, value, reason in zip(
                rejects["row"], rejects["value"], rejects["reason"], strict=True
            ):
                assert ids[int(row) - 2] == value
                assert f"already on row {first_row[value]};" in reason
        else:
            assert summary.rejects_path is None


# --- temporary files of killed imports ---------------------------------------------------


def _ended_pid() -> int:
    """The pid of a process that has ended (and was reaped)."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(proc.stdout)


def test_stale_rejects_temp_files_are_removed_live_ones_kept(
    tmp_path: Path, store_with_data: Path
) -> None:
    folder = store_with_data.parent
    dead = folder / f".old.rejects.csv.{_ended_pid()}.ab12_x.tmp"
    live = folder / f".other.rejects.csv.{os.getpid()}.cd34yz.tmp"
    unrelated = folder / f".notes.txt.{_ended_pid()}.ef56.tmp"
    for p in (dead, live, unrelated):
        p.write_text("row,column,value,reason\n")
    summary = import_file(tmp_path / "good.csv", db=store_with_data, now=NOW)
    assert summary.unchanged == 2
    assert not dead.exists()
    assert live.exists()  # a running import may be writing it
    assert unrelated.exists()  # not a rejects file


@pytest.mark.slow
def test_killed_import_leaves_a_temp_file_the_next_import_removes(tmp_path: Path) -> None:
    """A real import killed with SIGKILL while it writes; the next import cleans up."""
    n = 300_000
    rng = np.random.default_rng(7)
    big = tmp_path / "big.csv"
    pd.DataFrame(
        {
            "id": [f"k{i}" for i in range(n)],
            "occurred_at": "2026-03-14 22:15",
            "category": rng.choice(["drug_use", "vandalism"], n),
            "x": np.round(413_600 + rng.normal(0, 800, n), 1),
            "y": np.round(6_584_200 + rng.normal(0, 800, n), 1),
        }
    ).to_csv(big, index=False)
    db = tmp_path / "data" / "s.gpkg"
    proc = subprocess.Popen(
        [sys.executable, "-m", "hotspots", "import", str(big), "--db", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    pattern = f".big.rejects.csv.{proc.pid}.*.tmp"
    temps: list[Path] = []
    while not temps and proc.poll() is None:
        temps = list(db.parent.glob(pattern)) if db.parent.is_dir() else []
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    assert temps, f"the import ended before its temp file was seen: {err.decode()}"
    assert proc.returncode == -signal.SIGKILL
    assert temps[0].exists()  # a killed process cannot clean up
    small = tmp_path / "small.csv"
    small.write_text(GOOD, encoding="cp1252")
    summary = import_file(small, db=db, now=NOW)
    assert summary.inserted == 2  # the killed import committed nothing
    assert not temps[0].exists()
    assert not list(db.parent.glob(".*.tmp"))


def test_ids_sharing_a_hash_are_still_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Within a chunk ids are compared exactly: a forced hash collision merges nothing."""
    from hotspots.io._ids import text_hash
    from hotspots.load import ingest

    monkeypatch.setattr(ingest, "text_hash", lambda s: text_hash(s) % np.uint64(3))
    ids = ["a", "b", "c", "d", "a", "e", "b", "f"]
    path = _csv(tmp_path, "c.csv", [f"{i};2026-03-14 22:15;rån;59,38;13,50" for i in ids])
    summary = import_file(path, db=tmp_path / "s.gpkg", now=NOW)
    _accounted(summary)
    assert (summary.inserted, summary.merged) == (6, 2)
    assert sorted(open_store(tmp_path / "s.gpkg").incidents()["id"]) == list("abcdef")
    rejects = read_rejects(summary.rejects_path, reasons="en")
    assert rejects["row"].tolist() == ["6", "8"]
    assert rejects["value"].tolist() == ["a", "b"]
    assert "already on row 2;" in rejects["reason"][0]
    assert "already on row 3;" in rejects["reason"][1]
