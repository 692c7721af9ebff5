"""police.uk street-level CSV: detection, crime-type mapping, month precision, real files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rejects_csv import read_rejects

from hotspots.core.schema import TIMEZONE
from hotspots.core.taxonomy import CODES
from hotspots.io import detect_format, open_file, read_file
from hotspots.io.policeuk import POLICEUK_CATEGORIES
from hotspots.load.ingest import import_file
from hotspots.store import open_store

NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context\n"
)
ROWS = (
    ",2019-11,City of London Police,City of London Police,-0.124342,51.527640,"
    "On or near Speedy Place,E01000941,Camden 025C,Anti-social behaviour,,\n"
    "899228a3,2019-11,City of London Police,City of London Police,-0.106038,51.519873,"
    "On or near Nightclub,E01000916,Camden 027B,Drugs,Court result unavailable,\n"
    "4c7b8bf6,2019-11,City of London Police,City of London Police,-0.113256,51.516824,"
    "On or near Old Square,E01000914,Camden 028B,Bicycle theft,Under investigation,\n"
    "77aa,2019-12,City of London Police,City of London Police,,,No Location,,,"
    "Violence and sexual offences,,\n"
    ",2019-11,City of London Police,City of London Police,-0.124342,51.527640,"
    "On or near Speedy Place,E01000941,Camden 025C,Anti-social behaviour,,\n"
)


@pytest.fixture
def policeuk_csv(tmp_path: Path) -> Path:
    path = tmp_path / "2019-11-city-of-london-street.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_detected_by_header(policeuk_csv: Path) -> None:
    assert detect_format(policeuk_csv) == "policeuk"


def test_mapping_month_precision_and_rejects(policeuk_csv: Path) -> None:
    frame, rejects = read_file(policeuk_csv, now=NOW)
    assert len(frame) == 4  # every row with coordinates, the two identical ASB rows included
    assert list(frame["category"]) == ["disorder", "drug_use", "other", "disorder"]
    assert frame["source_category"][2] == "Bicycle theft"
    assert set(frame["time_precision"]) == {"month"}
    assert set(frame["occurred_at"]) == {pd.Timestamp("2019-11-01", tz=TIMEZONE)}
    assert set(frame["occurred_until"]) == {pd.Timestamp("2019-12-01", tz=TIMEZONE)}
    assert set(frame["precision"]) == {"street"}
    assert frame["description"][1] == "On or near Nightclub"
    assert frame["id"][1] == "899228a3"
    assert frame["id"][0] != frame["id"][3]  # identical rows stay two incidents
    # London is in UTM zone 30N
    assert frame.crs.to_epsg() == 32630
    assert list(rejects["row"]) == [5]
    assert "missing location" in rejects["reason"][0]


def test_explicit_format_and_category_map_override(policeuk_csv: Path) -> None:
    frame, _ = read_file(
        policeuk_csv, fmt="policeuk", now=NOW, category_map={"Bicycle theft": "vandalism"}
    )
    assert frame["category"][2] == "vandalism"


def test_builtin_mapping_targets_are_codes() -> None:
    assert set(POLICEUK_CATEGORIES.values()) <= set(CODES)


@pytest.mark.shared_data
def test_real_west_yorkshire_file(shared_data: Path) -> None:
    path = shared_data / "policeuk" / "west-yorkshire" / "2017-07-west-yorkshire-street.csv"
    frame, rejects = read_file(path, now=NOW)
    total = sum(1 for _ in path.open(encoding="utf-8")) - 1
    assert len(frame) + rejects["row"].nunique() == total
    # every rejected row lacks coordinates; every row with coordinates is stored
    assert rejects["reason"].str.startswith("missing location").all()
    raw = pd.read_csv(path, dtype=str)
    assert len(frame) == int(raw["Longitude"].notna().sum())
    assert frame.crs.to_epsg() == 32630
    counts = frame["source_category"].value_counts()
    assert counts["Anti-social behaviour"] == (frame["category"] == "disorder").sum() - counts.get(
        "Public order", 0
    )
    assert set(frame["time_precision"]) == {"month"}
    assert frame["id"].is_unique


@pytest.mark.shared_data
def test_real_city_of_london_month(shared_data: Path) -> None:
    path = shared_data / "policeuk" / "city-of-london" / "2020-04-city-of-london-street.csv"
    frame, _ = read_file(path, now=NOW)
    assert set(frame["occurred_at"]) == {pd.Timestamp("2020-04-01", tz=TIMEZONE)}
    x0, y0, x1, y1 = frame.total_bounds
    # within about 15 km of the City in UTM 30N metres
    assert x1 - x0 < 30_000
    assert y1 - y0 < 30_000


# --- a Crime ID that names several rows ---------------------------------------------------

_ROW = (
    "{id},2019-11,City of London Police,City of London Police,{lon},{lat},On or near {place},"
    "E1,C,{kind},,\n"
)
REPEATED = HEADER + "".join(
    _ROW.format(id=i, lon=lon, lat=lat, place=place, kind=kind)
    for i, lon, lat, place, kind in [
        ("X", "-0.100", "51.510", "Alpha", "Drugs"),  # row 2: X
        ("X", "-0.110", "51.520", "Beta", "Drugs"),  # row 3: another place, X-2
        ("Y", "", "", "Nowhere", "Robbery"),  # row 4: rejected (no location)
        ("Y", "-0.090", "51.515", "Gamma", "Robbery"),  # row 5: Y (the rejected row has none)
        ("X", "-0.100", "51.510", "Alpha", "Drugs"),  # row 6: row 2 again, identical
        ("X", "-0.100", "51.510", "Alpha", "Shoplifting"),  # row 7: another type, X-3
        ("", "-0.100", "51.510", "Alpha", "Anti-social behaviour"),  # row 8: no Crime ID
    ]
)


@pytest.fixture
def repeated_csv(tmp_path: Path) -> Path:
    path = tmp_path / "2019-11-repeated-street.csv"
    path.write_text(REPEATED, encoding="utf-8")
    return path


def test_rows_sharing_a_crime_id_get_their_own_ids(repeated_csv: Path) -> None:
    frame, rejects = read_file(repeated_csv, now=NOW)
    assert list(rejects["row"]) == [4]
    ids = frame["id"].tolist()
    assert ids[:5] == ["X", "X-2", "Y", "X", "X-3"]  # identical rows share an id
    assert ids[5].startswith("h")  # no Crime ID: a content hash, as before
    assert frame["source_id"].tolist()[:5] == ["X", "X", "Y", "X", "X"]
    assert pd.isna(frame["source_id"][5])


@pytest.mark.parametrize("chunksize", [1, 2, 3])
def test_ids_do_not_depend_on_chunks(repeated_csv: Path, chunksize: int) -> None:
    whole, _ = read_file(repeated_csv, now=NOW)
    reading = open_file(repeated_csv, now=NOW, chunksize=chunksize)
    ids = [i for chunk in reading for i in chunk.frame["id"]]
    assert ids == whole["id"].tolist()


def test_analysis_reads_need_no_ids(repeated_csv: Path) -> None:
    frame, rejects = read_file(repeated_csv, now=NOW, analysis_only=True)
    assert len(frame) == 6
    assert list(rejects["row"]) == [4]
    assert "id" not in frame.columns


def test_import_counts_each_crime_and_merges_true_duplicates(
    repeated_csv: Path, tmp_path: Path
) -> None:
    db = tmp_path / "uk.gpkg"
    first = import_file(repeated_csv, db=db, now=NOW, chunksize=2)
    assert (first.accepted, first.inserted, first.merged, first.rejected) == (6, 5, 1, 1)
    stored = open_store(db).incidents().set_index("id")
    assert sorted(i for i in stored.index if not i.startswith("h")) == ["X", "X-2", "X-3", "Y"]
    assert stored.loc["X-3", "source_category"] == "Shoplifting"
    assert stored.loc["X-2", "description"] == "On or near Beta"
    assert set(stored["source_id"].dropna()) == {"X", "Y"}
    rejects = read_rejects(first.rejects_path, reasons="en")
    assert rejects["row"].tolist() == ["4", "6"]
    assert rejects["column"][1] == "Crime ID"
    assert rejects["value"][1] == "X"
    assert rejects["reason"][1].startswith('id "X" is already on row 2')
    again = import_file(repeated_csv, db=db, now=NOW)
    assert (again.inserted, again.updated, again.unchanged, again.merged) == (0, 0, 5, 1)


@pytest.mark.shared_data
def test_real_month_with_repeated_crime_ids(shared_data: Path, tmp_path: Path) -> None:
    """City of London, January 2019: four Crime IDs appear twice. One repeat has no location
    (rejected); the other three are at other places, so each is a crime of its own."""
    path = shared_data / "policeuk" / "city-of-london" / "2019-01-city-of-london-street.csv"
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    located = raw[raw["Longitude"] != ""]
    repeated = located[located["Crime ID"].ne("") & located["Crime ID"].duplicated(keep="first")]
    assert len(repeated) == 3
    db = tmp_path / "uk.gpkg"
    first = import_file(path, db=db)
    assert first.accepted == len(located) == 586
    assert (first.inserted, first.updated, first.unchanged, first.merged) == (586, 0, 0, 0)
    assert first.rejected == len(raw) - len(located)
    again = import_file(path, db=db)
    assert (again.inserted, again.updated, again.unchanged, again.merged) == (0, 0, 586, 0)
    stored = open_store(db).incidents()
    assert len(stored) == 586
    assert stored["id"].is_unique
    given_ids = stored[stored["source_id"].notna()]  # (identical rows without one: h…-1, -2)
    suffixed = given_ids[given_ids["id"] != given_ids["source_id"]]
    assert sorted(suffixed["source_id"]) == sorted(repeated["Crime ID"])
    assert (suffixed["id"] == suffixed["source_id"] + "-2").all()
    given = located["Crime ID"] != ""
    assert stored["source_id"].notna().sum() == given.sum()
    assert stored.loc[stored["source_id"].isna(), "id"].str.match(r"^h[0-9a-f]{16}").all()
