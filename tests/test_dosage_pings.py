"""Ping files: GPX, CSV and GeoJSON in, pseudonymised pings and rejects that add up out."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.core.errors import InputFileError, InputSchemaError
from hotspots.dosage.pings import read_pings
from hotspots.dosage.pseudonym import PseudonymKey, pseudonymise

KEY = PseudonymKey(secret=b"0123456789abcdef0123456789abcdef")
NOW = pd.Timestamp("2026-12-04 12:00", tz="Europe/Stockholm")

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>Patrull 2010</name><trkseg>
  <trkpt lat="59.3793" lon="13.5035"><time>2026-12-03T20:15:07Z</time></trkpt>
  <trkpt lat="59.3794" lon="13.5036"><time>2026-12-03T20:15:17Z</time></trkpt>
  <trkpt lat="59.3795" lon="13.5037"></trkpt>
 </trkseg></trk>
 <trk><name>Patrull 2020</name><trkseg>
  <trkpt lat="59.3800" lon="13.5100"><time>2026-12-03T20:15:07Z</time></trkpt>
 </trkseg></trk>
</gpx>
"""


def test_gpx_tracks_are_units_and_times_are_utc(tmp_path: Path) -> None:
    path = tmp_path / "t.gpx"
    path.write_text(GPX, encoding="utf-8")
    reading = read_pings(path, key=KEY, now=NOW)
    assert reading.fmt == "gpx"
    assert (reading.rows_read, len(reading.pings), reading.rejected) == (4, 3, 1)
    assert reading.rejects[["row", "column", "reason"]].values.tolist() == [
        [3, "time", "time is empty"]
    ]
    units = pseudonymise(["Patrull 2010", "Patrull 2020"], KEY, kind="unit")
    assert reading.pings["unit"].tolist() == [units[0], units[0], units[1]]
    first = pd.Timestamp(int(reading.pings["t_ms"].iloc[0]), unit="ms", tz="UTC")
    assert first == pd.Timestamp("2026-12-03 20:15:07", tz="UTC")
    # EPSG:3006 metres near Karlstad
    assert reading.pings["x"].between(400_000, 430_000).all()
    assert reading.pings["y"].between(6_570_000, 6_600_000).all()


def test_gpx_unit_option_overrides_track_names(tmp_path: Path) -> None:
    path = tmp_path / "t.gpx"
    path.write_text(GPX, encoding="utf-8")
    reading = read_pings(path, key=KEY, unit="Bil 7", now=NOW)
    assert reading.pings["unit"].nunique() == 1
    assert reading.pings["unit"].iloc[0] == pseudonymise(["Bil 7"], KEY, kind="unit")[0]


CSV = (
    "enhet;tid;lat;lon;polis\n"
    "Patrull 2010;2026-12-03 21:15:07;59,3793;13,5035;A123\n"  # row 2: fine
    "Patrull 2010;2026-12-03 21:15:17;59,3794;13,5036;A123\n"  # 3: fine
    "Patrull 2010;2026-12-03 21:15:17;59,3794;13,5036;A123\n"  # 4: repeats row 3
    ";2026-12-03 21:15:27;59,3794;13,5036;A123\n"  # 5: no unit
    "Patrull 2010;2026-12-03;59,3794;13,5036;A123\n"  # 6: no clock time
    "Patrull 2010;2026-12-03 21:16;13,5;59,38;\n"  # 7: lat/lon swapped; no officer is fine
    'Patrull 2010;=HYPERLINK("x");59,3794;13,5036;\n'  # 8: not a time
    "Patrull 2010;2026-12-09 10:00;59,3794;13,5036;\n"  # 9: future
    "Patrull 2010;2026-12-03 21:17;;13,5036;\n"  # 10: no latitude
    "a;b\n"  # 11: wrong number of fields
    "Patrull 2010;2026-12-03 21:18;59,3795;13,5037;B9\n"  # 12: fine
    "Patrull 2010;2026-12-03 21:19;59,3796;13,5038;\n"  # 13: fine, no officer
)


def test_csv_rejects_name_row_column_and_reason_and_add_up(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(CSV, encoding="utf-8")
    reading = read_pings(path, key=KEY, now=NOW)
    assert reading.fmt == "csv"
    assert reading.delimiter == ";"
    assert reading.rows_read == 12
    assert len(reading.pings) == 4  # rows 2, 3, 12 and 13
    rej = reading.rejects
    by_row = {int(r): (c, why) for r, c, why in rej[["row", "column", "reason"]].values}
    assert sorted(by_row) == [4, 5, 6, 7, 8, 9, 10, 11]
    assert by_row[4] == ("tid", "repeats the unit and time of row 3")
    assert by_row[5][0] == "enhet"
    assert "unit is empty" in by_row[5][1]
    assert by_row[6][0] == "tid"
    assert "no clock time" in by_row[6][1]
    assert by_row[7][0] == "lat/lon"
    assert "swapped" in by_row[7][1]
    assert by_row[8][0] == "tid"
    assert "not a date and time" in by_row[8][1]
    assert by_row[9][0] == "tid"
    assert "future" in by_row[9][1]
    assert by_row[10][0] == "lat/lon"
    assert "empty" in by_row[10][1]
    assert by_row[11] == ("", "has 2 fields; the header has 5")
    assert reading.rows_read == len(reading.pings) + reading.rejected
    # ids never appear in the pings or the rejects
    assert not (reading.pings == "Patrull 2010").any().any()
    assert not rej["value"].str.contains("Patrull|A123", regex=True).any()
    officers = reading.pings["officer"].tolist()
    a123, b9 = pseudonymise(["A123", "B9"], KEY, kind="officer")
    assert officers.count(a123) == 2
    assert officers.count(b9) == 1
    assert sum(bool(pd.isna(o)) for o in officers) == 1


def test_csv_with_x_y_metres(tmp_path: Path) -> None:
    path = tmp_path / "xy.csv"
    path.write_text(
        "unit,timestamp,x,y\nP1,2026-12-03T21:15:07+01:00,414000,6583000\n"
        "P1,2026-12-03T21:15:17+01:00,414010.5,6583001\n",
        encoding="utf-8",
    )
    reading = read_pings(path, key=KEY, now=NOW)
    np.testing.assert_allclose(reading.pings["x"], [414000.0, 414010.5])
    assert np.diff(reading.pings["t_ms"].to_numpy()).tolist() == [10_000]


def test_geojson_points(tmp_path: Path) -> None:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [13.5035, 59.3793]},
                "properties": {"unit": "P1", "time": "2026-12-03 21:15:07"},
            },
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
                "properties": {"unit": "P1", "time": "2026-12-03 21:15:17"},
            },
        ],
    }
    path = tmp_path / "p.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    reading = read_pings(path, key=KEY, now=NOW)
    assert (reading.rows_read, len(reading.pings), reading.rejected) == (2, 1, 1)
    assert reading.rejects["reason"].iloc[0] == "geometry is LineString, not a Point"


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("bad.gpx", "<gpx><trk", "not a readable GPX file"),
        ("empty.gpx", '<?xml version="1.0"?><gpx version="1.1"></gpx>', "no track points"),
        ("bin.csv", "\x00\x01\x02" * 50, "binary"),
        ("empty.csv", "", "empty"),
        ("head.csv", "unit;time;lat;lon\n", "no data rows"),
        ("notime.csv", "unit;lat;lon\nP;59.3;13.5\n", "no time column"),
        ("nounit.csv", "time;lat;lon\n2026-12-03 21:00;59.3;13.5\n", "no unit column"),
        ("noloc.csv", "unit;time\nP;2026-12-03 21:00\n", "no location columns"),
        ("bad.geojson", "{not json", "not readable JSON"),
    ],
)
def test_unreadable_files_name_the_file(
    tmp_path: Path, name: str, content: str, match: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="latin-1")
    with pytest.raises(InputFileError, match=match) as info:
        read_pings(path, key=KEY, now=NOW)
    assert str(path) in str(info.value)


def test_missing_file_and_bad_format(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="file not found"):
        read_pings(tmp_path / "nope.csv", key=KEY)
    with pytest.raises(InputSchemaError, match="--format"):
        read_pings(tmp_path / "nope.csv", key=KEY, fmt="kml")


@pytest.mark.parametrize(
    ("encoding", "prefix"), [("utf-8", ""), ("utf-8-sig", "sep=;\n"), ("cp1252", "")]
)
def test_fast_and_slow_csv_readers_agree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, prefix: str
) -> None:
    import hotspots.dosage.pings as pings_mod

    path = tmp_path / "p.csv"
    path.write_text(prefix + CSV.replace("Patrull", "Bil åtta"), encoding=encoding)
    fast = read_pings(path, key=KEY, now=NOW)
    assert pings_mod._read_csv_fast(path, pings_mod.sniff_text(path)) is not None
    monkeypatch.setattr(pings_mod, "_read_csv_fast", lambda *_: None)
    slow = read_pings(path, key=KEY, now=NOW)
    pd.testing.assert_frame_equal(fast.pings, slow.pings)
    pd.testing.assert_frame_equal(fast.rejects, slow.rejects)
    shift = 1 if prefix else 0
    assert fast.rejects["row"].min() == 4 + shift
    assert fast.rows_read == slow.rows_read == 12
