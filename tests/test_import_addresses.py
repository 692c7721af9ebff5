"""`hotspots import --addresses`: rows located by their address, street precision, rejections
with the closest streets, counts that close, reasons in Swedish or English, the forked
reader, a geography's address layer, Polisen events on a street their text names, and the
real register (Lantmäteriet, CC BY 4.0) where ../shared/data is present."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose
from register_csv import REGISTER, stored_points, write_csv, write_register
from rejects_csv import read_rejects

from hotspots.cli import run
from hotspots.core.config import Filters
from hotspots.core.errors import InputFileError
from hotspots.core.schema import KDE_PRECISIONS, STREET_TEXT, TIMEZONE
from hotspots.core.strings_rejects import REJECT_STRINGS, localise_reason
from hotspots.engine.select import select_incidents
from hotspots.io import open_file, read_file
from hotspots.io.address_register import read_register
from hotspots.io.csv_safety import read_excel_csv
from hotspots.load.geocode import Geocoder, open_geocoder
from hotspots.load.ingest import import_file

NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)

#: rows 2-7 of the file: address, street, rejected (unknown street), rejected (ambiguous
#: street), address again with the postcode in the cell, no address and no coordinates
INCIDENTS = """id;tidpunkt;kategori;adress;postnummer
1;2026-01-03 22:10;misshandel;Drottningg. 12 b, 1 tr;652 24
2;2026-01-04 01:10;rån;KUNGSGATAN;
3;2026-01-04 02:10;rån;Drakgränd 4;
4;2026-01-04 03:10;rån;Storgatan 1;
5;2026-01-04 04:10;rån;drottninggatan 14 65224 Karlstad;
6;2026-01-04 05:10;rån;;
"""


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return write_register(tmp_path)


@pytest.fixture
def incidents(tmp_path: Path) -> Path:
    return write_csv(tmp_path / "brott.csv", INCIDENTS)


def test_import_locates_rows_by_address_golden(
    tmp_path: Path, register: Path, incidents: Path
) -> None:
    db = tmp_path / "s.gpkg"
    summary = import_file(incidents, db=db, now=NOW, geocoder=open_geocoder(register))
    assert (summary.rows_read, summary.accepted, summary.rejected) == (6, 3, 3)
    assert (
        summary.accepted == summary.inserted + summary.updated + summary.unchanged + summary.merged
    )
    assert dict(summary.located_by_address) == {"address": 2, "street": 1}
    stored = stored_points(db)
    assert stored["id"].tolist() == ["1", "2", "5"]
    assert stored["precision"].tolist() == ["address", "street", "address"]
    # 12 B is its own point; Kungsgatan without a number: the street's address point
    # nearest the mean of its points (7 and 9 are equally near: the first, number 7)
    assert stored["x"].tolist() == [413005.0, 413500.0, 413020.0]
    assert stored["y"].tolist() == [6583000.0, 6583200.0, 6583000.0]

    rejects = read_rejects(summary.rejects_path)
    assert rejects["row"].tolist() == ["4", "5", "7"]  # spreadsheet rows
    assert rejects["column"].tolist() == ["adress", "adress", "adress"]
    assert rejects["value"].tolist() == ["Drakgränd 4", "Storgatan 1", ""]
    unknown, ambiguous, missing = rejects["reason"].tolist()
    assert unknown.startswith("gatan 'drakgränd' finns inte i adressregistret; närmast: ")
    assert "Drottninggatan, Karlstad (" in unknown
    assert ambiguous == (
        "gatan 'Storgatan' finns i flera postorter (Storgatan, Karlstad, Storgatan, Molkom); "
        "ange postnummer eller postort"
    )
    assert missing == "adress saknas"

    again = import_file(incidents, db=db, now=NOW, geocoder=open_geocoder(register))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)


def test_rows_with_coordinates_keep_them_and_the_rest_are_geocoded(
    tmp_path: Path, register: Path
) -> None:
    src = tmp_path / "mixed.csv"
    src.write_text(
        "id;tidpunkt;kategori;adress;lat;lon\n"
        "a;2026-01-03 22:10;rån;Kungsgatan 9;;\n"  # no coordinates: the address
        "b;2026-01-03 22:10;rån;Kungsgatan 9;59,38;13,50\n"  # coordinates win
        "c;2026-01-03 22:10;rån;;59,38;\n"  # half a coordinate and no address
        "d;2026-01-03 22:10;rån;Kungsgatan 7;;13,50\n",  # half a coordinate: the address
        encoding="utf-8",
    )
    db = tmp_path / "s.gpkg"
    summary = import_file(src, db=db, now=NOW, geocoder=open_geocoder(register))
    assert (summary.accepted, summary.rejected) == (3, 1)
    stored = stored_points(db).set_index("id")
    assert stored.loc["a", ["precision", "x", "y"]].tolist() == ["address", 413510.0, 6583200.0]
    assert stored.loc["b", "precision"] == "exact"
    assert stored.loc["b", "x"] != 413510.0
    assert stored.loc["d", ["precision", "x"]].tolist() == ["address", 413500.0]
    rejects = read_rejects(summary.rejects_path, reasons="en")
    assert rejects[["row", "column"]].values.tolist() == [["4", "lat/lon"]]
    assert rejects["reason"][0] == "missing location: lat or lon is empty"


def test_rejects_reasons_follow_the_language(
    tmp_path: Path, register: Path, incidents: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "data" / "s.gpkg"
    args = ["import", str(incidents), "--db", str(db), "--addresses", str(register)]
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "accepted: 3" in out
    assert "rejected: 3" in out
    assert "located by address: 3 (address 2, street 1)" in out
    assert "addresses: Lantmäteriet (CC BY 4.0)" in out
    swedish = read_excel_csv(db.parent / "brott.rejects.csv")
    assert list(swedish.columns) == ["Rad", "Kolumn", "Värde", "Orsak"]
    assert swedish["Orsak"].tolist()[2] == "adress saknas"

    assert run([*args, "--lang", "en"]) == 0
    capsys.readouterr()
    english = read_excel_csv(db.parent / "brott.rejects.csv")
    assert list(english.columns) == ["Row", "Column", "Value", "Reason"]
    assert english[["Row", "Column"]].values.tolist() == [
        ["4", "adress"],
        ["5", "adress"],
        ["7", "adress"],
    ]
    assert english["Reason"][0].startswith(
        "street 'drakgränd' not in the address register; closest: "
    )
    assert "Drottninggatan, Karlstad (" in english["Reason"][0]
    assert english["Reason"][2] == "missing address"
    # the same reasons, one file read in the other's language
    back = [localise_reason(r, "en") for r in swedish["Orsak"]]
    assert back == english["Reason"].tolist()

    assert run([*args, "--lang", "de"]) == 2
    assert "sv or en" in capsys.readouterr().err


def test_swedish_reasons_of_every_kind_of_bad_row(tmp_path: Path) -> None:
    src = tmp_path / "bad.csv"
    src.write_text(
        "id;tidpunkt;kategori;lat;lon\n"
        "1;igår;rån;59,38;13,50\n"
        "2;2026-03-14 22:15;cykelstöld;59,38;13,50\n"
        "3;2026-03-14 22:15;rån;;\n"
        "4;2026-03-14 22:15;rån;13,50;59,38\n"
        "5;2026-03-14 22:15;rån;59,38;13,50\n"
        "5;2026-03-14 23:15;rån;59,38;13,50\n",
        encoding="utf-8",
    )
    summary = import_file(src, db=tmp_path / "s.gpkg", now=NOW)
    rejects = read_rejects(summary.rejects_path)
    assert rejects["row"].tolist() == ["2", "3", "4", "5", "7"]
    assert rejects["column"].tolist() == ["tidpunkt", "kategori", "lat/lon", "lat/lon", "id"]
    assert rejects["reason"].tolist() == [
        REJECT_STRINGS["reject_time_unparseable"]["sv"],
        REJECT_STRINGS["reject_category_unknown"]["sv"],
        "läge saknas: lat och lon är tomma",
        "lat/lon ser ut som omkastade lat/lon; byt plats på kolumnerna",
        'id "5" finns redan på rad 6; raden slogs ihop med den (den sista raden med ett id gäller)',
    ]


@pytest.mark.parametrize("key", sorted(REJECT_STRINGS))
def test_every_reason_reads_back_in_both_languages(key: str) -> None:
    texts = REJECT_STRINGS[key]
    values = {"a": "lat", "b": "lon", "when": "2026-06-01 12:00", "crs": "EPSG:3006 (SWEREF99 TM)"}
    values |= {"precisions": "exact, address", "kind": "Polygon", "expected": "5", "seen": "7"}
    values |= {"delimiter": "';'", "text": "'12'", "street": "'x'", "candidates": "A (90) | B"}
    values |= {"towns": "A, B", "id": "A1", "row": "2"}
    en = texts["en"].format(**values)
    sv = texts["sv"].format(**values)
    assert localise_reason(en, "sv") == sv
    assert localise_reason(sv, "en") == en
    assert localise_reason(en, "en") == en
    assert localise_reason(sv, "sv") == sv


def test_unknown_reason_is_left_as_it_is() -> None:
    assert localise_reason("something new", "sv") == "something new"


def test_file_without_coordinates_needs_a_register(tmp_path: Path, incidents: Path) -> None:
    with pytest.raises(InputFileError, match="holds addresses: give an address register"):
        import_file(incidents, db=tmp_path / "s.gpkg", now=NOW)
    assert not (tmp_path / "s.gpkg").exists()


def test_forked_reader_geocodes_as_one_process(
    tmp_path: Path, register: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The parallel reader's child inherits the geocoder: the same rows, points and rejects."""
    rng = np.random.default_rng(5)
    cells = np.array(["Drottningg. 12", "Kungsgatan 9", "Kungsgatan", "Drakgränd 4", "Storgatan 1"])
    n = 400
    lines = ["tidpunkt;kategori;adress"]
    lines += [
        f"2026-01-03 22:{i % 60:02d};rån;{cells[k]}" for i, k in enumerate(rng.integers(0, 5, n))
    ]
    src = tmp_path / "many.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    geocoder = open_geocoder(register)
    out = {}
    for workers in (1, 2):
        reading = open_file(
            src, now=NOW, analysis_only=True, workers=workers, chunksize=64, geocoder=geocoder
        )
        chunks = list(reading)
        assert len(chunks) > 1
        frame = pd.concat([c.frame for c in chunks], ignore_index=True)
        rejects = pd.concat([c.rejects for c in chunks], ignore_index=True)
        out[workers] = (frame, rejects)
    assert "validation worker failed" not in caplog.text  # the child did its share
    one, two = out[1], out[2]
    pd.testing.assert_frame_equal(pd.DataFrame(one[0]), pd.DataFrame(two[0]))
    pd.testing.assert_frame_equal(one[1], two[1])
    assert len(one[0]) + one[1]["row"].nunique() == n
    assert set(one[0]["precision"]) == {"address", "street"}


def test_register_layer_of_a_geography_geopackage(tmp_path: Path, incidents: Path) -> None:
    reg = read_register_frame(REGISTER)
    geo = tmp_path / "geography.gpkg"
    gpd.GeoDataFrame(
        {"name": ["Karlstad"]},
        geometry=[shapely.box(400_000, 6_570_000, 430_000, 6_610_000)],
        crs=3006,
    ).to_file(geo, layer="municipality")
    reg.to_file(geo, layer="addresses")
    db = tmp_path / "s.gpkg"
    summary = import_file(incidents, db=db, now=NOW, geocoder=open_geocoder(geo))
    assert (summary.accepted, summary.rejected) == (3, 3)
    # the layer named after a '#' (a GeoPackage of several layers without an addresses one)
    other = tmp_path / "other.gpkg"
    reg.to_file(other, layer="belagenhetsadresser")
    gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.Point(0, 0)], crs=3006).to_file(other, layer="x")
    with pytest.raises(InputFileError, match="none named 'addresses'"):
        open_geocoder(other)
    assert len(open_geocoder(f"{other}#belagenhetsadresser").register) == 7


def read_register_frame(text: str) -> gpd.GeoDataFrame:
    """The register CSV above as a point layer (x/y in EPSG:3006)."""
    from io import StringIO

    frame = pd.read_csv(StringIO(text), sep=";", dtype=str)
    points = gpd.points_from_xy(frame.pop("x").astype(float), frame.pop("y").astype(float))
    return gpd.GeoDataFrame(frame, geometry=points, crs=3006)


# ------------------------------------------------------------------------------------------
# Polisen events: a street named in the text, only where unambiguous in the municipality
# ------------------------------------------------------------------------------------------
def _event(i: int, summary: str, *, body: str = "", place: str = "Karlstad") -> dict:
    return {
        "id": i,
        "datetime": "2026-05-03 8:01:00 +02:00",
        "name": f"2 maj 22.05, Misshandel, {place}",
        "summary": summary,
        "body_text": body,
        "url": f"/aktuellt/handelser/{i}/",
        "type": "Misshandel",
        "location": {"name": place, "gps": "59.402181,13.511498"},
    }


def test_polisen_events_on_a_named_street_stay_out_of_densities(
    tmp_path: Path, register: Path
) -> None:
    events = [
        _event(1, "En man misshandlades på Kungsgatan i natt."),
        _event(2, "Bråk i centrum.", body="Polisen kallades till Drottninggatan vid 22."),
        _event(3, "Bråk mellan Kungsgatan och Drottninggatan."),  # two streets: ambiguous
        _event(4, "En man misshandlades på Storgatan."),  # in two post towns far apart
        _event(5, "Inget gatunamn här."),
        _event(6, "Slagsmål på Kungsgatan.", place="Värmlands län"),  # a county: no streets
    ]
    path = tmp_path / "events.json"
    path.write_text(json.dumps(events, ensure_ascii=False), encoding="utf-8")
    geocoder = Geocoder(read_register(register))
    frame, rejects = read_file(path, now=NOW, geocoder=geocoder)
    assert len(rejects) == 0
    assert frame["precision"].tolist() == [
        STREET_TEXT,
        STREET_TEXT,
        "municipality",
        "municipality",
        "municipality",
        "municipality",
    ]
    assert_allclose(frame.geometry.x[:2], [413500.0, 413005.0])  # each street's middle point
    assert STREET_TEXT not in KDE_PRECISIONS
    assert len(select_incidents(frame, Filters(), for_density=True)) == 0
    # without a register every event keeps the municipality's centroid, with the same ids
    plain, _ = read_file(path, now=NOW)
    assert set(plain["precision"]) == {"municipality"}
    assert plain["id"].tolist() == frame["id"].tolist()


# ------------------------------------------------------------------------------------------
# the real register (Lantmäteriet, CC BY 4.0), read where ../shared/data is present
# ------------------------------------------------------------------------------------------
@pytest.mark.shared_data
def test_real_register_import_places_real_addresses(shared_data: Path, tmp_path: Path) -> None:
    reg_path = shared_data / "karlstad" / "karlstad_addresses_lantmateriet.csv"
    geocoder = open_geocoder(reg_path)
    frame = geocoder.register.frame
    rng = np.random.default_rng(11)
    pool = frame[frame["number"].notna()].reset_index(drop=True)
    truth = pool.iloc[rng.choice(len(pool), 200, replace=False)].reset_index(drop=True)
    cells = truth["street"] + " " + truth["number"].astype(str) + truth["letter"]
    cells[::4] = cells[::4].str.upper()  # as people write them
    lines = ["id;tidpunkt;kategori;adress;postnummer"]
    lines += [
        f"r{i};2026-01-03 22:10;rån;{c};{p}"
        for i, (c, p) in enumerate(zip(cells, truth["postcode"], strict=True))
    ]
    lines += ["x1;2026-01-03 22:10;rån;Påhittade Gatan 3;", "x2;2026-01-03 22:10;rån;Fogdegatan;"]
    src = tmp_path / "real.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "s.gpkg"
    summary = import_file(src, db=db, now=NOW, geocoder=geocoder)
    assert summary.rows_read == 202
    assert summary.accepted + summary.rejected == 202
    assert (
        summary.accepted == summary.inserted + summary.updated + summary.unchanged + summary.merged
    )
    assert summary.rejected == 1
    assert dict(summary.located_by_address) == {"address": 200, "street": 1}
    stored = stored_points(db).set_index("id")
    got = stored.loc[[f"r{i}" for i in range(200)]]
    assert_allclose(got["x"], truth["x"].round(3), atol=0.01)
    assert_allclose(got["y"], truth["y"].round(3), atol=0.01)
    assert stored.loc["x2", "precision"] == "street"
    rejects = read_rejects(summary.rejects_path)
    assert rejects["value"].tolist() == ["Påhittade Gatan 3"]
    assert "närmast:" in rejects["reason"][0]


@pytest.mark.shared_data
def test_real_polisen_events_with_the_real_register(shared_data: Path) -> None:
    geocoder = open_geocoder(shared_data / "karlstad" / "karlstad_addresses_lantmateriet.csv")
    path = shared_data / "polisen" / "polisen_varmland_events_with_text.json"
    frame, rejects = read_file(path, geocoder=geocoder)
    assert len(rejects) == 0
    on_street = frame[frame["precision"] == STREET_TEXT]
    karlstad = frame["source_category"].notna()  # every event
    assert 20 <= len(on_street) <= karlstad.sum() // 10
    assert set(frame["precision"]) == {"municipality", STREET_TEXT}
    assert len(select_incidents(frame, Filters(), for_density=True)) == 0
    x0, y0, x1, y1 = on_street.total_bounds
    assert 395_000 < x0 < x1 < 440_000  # Karlstad municipality in SWEREF 99 TM
    assert 6_570_000 < y0 < y1 < 6_620_000


def test_geojson_features_without_geometry_are_located_by_address(
    tmp_path: Path, register: Path
) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": None,
            "properties": {"tidpunkt": "2026-01-03 22:10", "kategori": "rån", "adress": cell},
        }
        for cell in ("Kungsgatan 9", "Drakgränd 4")
    ]
    path = tmp_path / "utan_punkter.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    frame, rejects = read_file(path, now=NOW, geocoder=open_geocoder(register))
    assert frame["precision"].tolist() == ["address"]
    assert_allclose([frame.geometry.x[0], frame.geometry.y[0]], [413510.0, 6583200.0])
    assert rejects[["row", "column"]].values.tolist() == [[2, "adress"]]  # feature numbers
