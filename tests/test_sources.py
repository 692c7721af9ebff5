"""load_incidents / load_survey: a file (validated, not stored) or the store."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from geopandas.testing import assert_geodataframe_equal

from hotspots.core.errors import InputFileError
from hotspots.load.ingest import import_file
from hotspots.load.sources import load_incidents, load_survey

CSV = (
    "tidpunkt;kategori;lat;lon\n"
    "2026-03-14 22:15;Misshandel i offentlig miljö;59,37935;13,50350\n"
    "2026-03-15 01:40;Rån;59,38120;13,49870\n"
    "2026-03-15 01:40;okänd;59,38120;13,49870\n"
)


def test_file_is_read_without_a_store(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="cp1252")
    db = tmp_path / "never.gpkg"
    with caplog.at_level(logging.WARNING):
        frame = load_incidents(path, db=db)
    assert len(frame) == 2
    assert frame.crs.to_epsg() == 3006
    assert not db.exists()
    assert "1 row(s) rejected" in caplog.text
    assert "unknown category" in caplog.text


def test_store_is_read_when_no_input(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(CSV, encoding="cp1252")
    db = tmp_path / "s.gpkg"
    import_file(path, db=db)
    from_store = load_incidents(None, db=db)
    from_file = load_incidents(path, db=db)
    assert_geodataframe_equal(from_store, from_file, check_crs=True)


def test_foreign_file_gets_its_utm_zone(tmp_path: Path) -> None:
    path = tmp_path / "paris.csv"
    path.write_text("occurred_at,category,lat,lon\n2026-01-01 10:00,robbery,48.8566,2.3522\n")
    frame = load_incidents(path, db=tmp_path / "x.gpkg")
    assert frame.crs.to_epsg() == 32631


def test_missing_store(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no store here"):
        load_incidents(None, db=tmp_path / "none.gpkg")


def test_survey(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("lat,lon,unsafe\n59.38,13.5,4\n")
    frame = load_survey(path, db=tmp_path / "x.gpkg")
    assert list(frame["unsafe"]) == [4]
    import_file(path, db=tmp_path / "x.gpkg", kind="survey")
    assert list(load_survey(None, db=tmp_path / "x.gpkg")["unsafe"]) == [4]


@pytest.mark.shared_data
def test_real_policeuk_file(shared_data: Path, tmp_path: Path) -> None:
    path = shared_data / "policeuk" / "city-of-london" / "2018-04-city-of-london-street.csv"
    frame = load_incidents(path, db=tmp_path / "x.gpkg")
    assert frame.crs.to_epsg() == 32630
    assert set(frame["time_precision"]) == {"month"}
