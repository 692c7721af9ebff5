"""police.uk street-level CSV: detection, crime-type mapping, month precision, real files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hotspots.io import detect_format, read_file
from hotspots.io.policeuk import POLICEUK_CATEGORIES
from hotspots.schema import TIMEZONE
from hotspots.taxonomy import CODES

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
