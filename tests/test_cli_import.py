"""`hotspots import`: counts on stdout, exit 2 with one line on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotspots.cli import run

CSV = (
    "tidpunkt;kategori;lat;lon\n"
    "2026-03-14 22:15;Misshandel i offentlig miljö;59,37935;13,50350\n"
    "2026-03-15 01:40;rån;13,50;59,38\n"
)


def test_import_prints_counts_and_rejects_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="cp1252")
    db = tmp_path / "data" / "h.gpkg"
    assert run(["import", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "accepted: 1" in out
    assert "inserted: 1" in out
    assert "updated: 0" in out
    assert "rejected: 1" in out
    assert f"rejects: {db.parent / 'in.rejects.csv'}" in out
    assert run(["import", str(path), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "unchanged: 1" in out
    assert "inserted: 0" in out


def test_import_prints_merged_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "rep.csv"
    path.write_text(
        "id;tidpunkt;kategori;lat;lon\n"
        "A1;2026-03-14 22:15;rån;59,37935;13,50350\n"
        "A2;2026-03-15 01:40;rån;59,38120;13,49870\n"
        "A1;2026-03-16 01:40;rån;59,38120;13,49870\n",
        encoding="utf-8",
    )
    db = tmp_path / "h.gpkg"
    assert run(["import", str(path), "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()[1:]
    assert lines == [
        "accepted: 3",
        "  inserted: 2",
        "  updated: 0",
        "  unchanged: 0",
        "  merged: 1",
        "rejected: 0",
        f"rejects: {tmp_path / 'rep.rejects.csv'}",
    ]


def test_db_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="cp1252")
    db = tmp_path / "env.gpkg"
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    assert run(["import", str(path)]) == 0
    assert db.exists()
    assert str(db) in capsys.readouterr().out


def test_bad_file_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("tidpunkt;kategori;lat;lon\n")
    db = tmp_path / "h.gpkg"
    assert run(["import", str(path), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert str(path) in err
    assert "header but no data rows" in err
    assert not db.exists()


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--format", "xls"], "--format: 'xls' is not a format"),
        (["--kind", "events"], "--kind: 'events' is not a kind"),
        (["--crs", "EPSG:999999"], "--crs"),
    ],
)
def test_bad_options_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], needle: str
) -> None:
    path = tmp_path / "xy.csv"
    path.write_text("occurred_at,category,x,y\n2026-01-01 10:00,dui,413600,6584200\n")
    assert run(["import", str(path), "--db", str(tmp_path / "h.gpkg"), *args]) == 2
    assert needle in capsys.readouterr().err


def test_category_map_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "in.csv"
    path.write_text("occurred_at,category,lat,lon\n2026-01-01 10:00,Langning,59.38,13.5\n")
    cmap = tmp_path / "map.csv"
    cmap.write_text("Langning,drug_dealing\n")
    db = tmp_path / "h.gpkg"
    assert run(["import", str(path), "--db", str(db), "--category-map", str(cmap)]) == 0
    assert "accepted: 1" in capsys.readouterr().out


@pytest.mark.shared_data
def test_real_polisen_file(
    shared_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shared_data / "polisen" / "polisen_api_events_sample.json"
    db = tmp_path / "h.gpkg"
    assert run(["import", str(path), "--format", "polisen", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "accepted: 300" in out
    assert "rejected: 0" in out
