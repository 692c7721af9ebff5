"""Address geocoding: Swedish normalisation, exact/fuzzy/street matches, rejections with
candidates, the reader hook, Polisen street names, the register reader and the CLI."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pyproj import CRS
from rejects_csv import read_rejects

from hotspots.cli import run
from hotspots.core.errors import InputFileError
from hotspots.io.address_register import AddressRegister, read_register, split_number
from hotspots.io.addresses import address_columns, resolve_addresses
from hotspots.load.geocode import (
    Geocoder,
    Match,
    ParsedAddress,
    Rejection,
    normalise_address,
    normalise_postcode,
    street_in_text,
    street_key,
)

REGISTER_ROWS = [
    # street, number, letter, postcode, post_town, x, y
    ("Drottninggatan", 12, "", "65224", "Karlstad", 1000.0, 5000.0),
    ("Drottninggatan", 12, "B", "65224", "Karlstad", 1005.0, 5000.0),
    ("Drottninggatan", 14, "", "65224", "Karlstad", 1020.0, 5000.0),
    ("Drottninggatan", 20, "", "65224", "Karlstad", 1100.0, 5000.0),
    # Storgatan in two towns 20 km apart
    ("Storgatan", 1, "", "65224", "Karlstad", 2000.0, 5000.0),
    ("Storgatan", 3, "", "65224", "Karlstad", 2010.0, 5000.0),
    ("Storgatan", 1, "", "66530", "Molkom", 22000.0, 5000.0),
    ("Storgatan", 5, "", "66530", "Molkom", 22030.0, 5000.0),
    # Älvgatan crossing a post town boundary: two towns 300 m apart
    ("Älvgatan", 1, "", "65350", "Karlstad", 3000.0, 5000.0),
    ("Älvgatan", 2, "", "65350", "Karlstad", 3010.0, 5000.0),
    ("Älvgatan", 40, "", "65460", "Skattkärr", 3300.0, 5000.0),
    ("Östra Torggatan", 5, "", "65224", "Karlstad", 4000.0, 5000.0),
    ("Karlbergsvägen", 3, "", "65350", "Karlstad", 5000.0, 5000.0),
    ("1:a Villagatan", 2, "", "65341", "Karlstad", 6000.0, 5000.0),
    ("Kungsgatan", 7, "", "65224", "Karlstad", 7000.0, 5000.0),
    ("Kungsgatan", 9, "", "65224", "Karlstad", 7010.0, 5000.0),
    # two names one letter apart: a typo between them is told apart by the number
    ("Lundagatan", 3, "", "65224", "Karlstad", 8000.0, 5000.0),
    ("Lundegatan", 5, "", "65224", "Karlstad", 9000.0, 5000.0),
]


@pytest.fixture
def register() -> AddressRegister:
    frame = pd.DataFrame(
        REGISTER_ROWS, columns=["street", "number", "letter", "postcode", "post_town", "x", "y"]
    )
    frame["number"] = frame["number"].astype("Int64")
    frame["municipality"] = "Karlstad"
    frame["kind"] = "address"
    return AddressRegister(frame=frame, crs=CRS.from_epsg(3006))


@pytest.fixture
def geocoder(register: AddressRegister) -> Geocoder:
    return Geocoder(register)


# ------------------------------------------------------------------------------------------
# normalisation
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Drottningg. 12 b, 1 tr, 652 24 Karlstad",
            ParsedAddress("drottninggatan", "drottninggatan", 12, "B", "65224", "Karlstad"),
        ),
        ("DROTTNINGGATAN 12B", ParsedAddress("drottninggatan", "drottninggatan", 12, "B", "", "")),
        (
            "drottninggatan 12 b 65224",
            ParsedAddress("drottninggatan", "drottninggatan", 12, "B", "65224", ""),
        ),
        ("Drottning g. 4", ParsedAddress("drottninggatan", "drottninggatan", 4, "", "", "")),
        ("Östra Torgg. 5", ParsedAddress("östra torggatan", "ostratorggatan", 5, "", "", "")),
        ("Karlbergsv. 3", ParsedAddress("karlbergsvägen", "karlbergsvagen", 3, "", "", "")),
        ("Karlbergsväg 3", ParsedAddress("karlbergsvägen", "karlbergsvagen", 3, "", "", "")),
        ("Kungsgata 7", ParsedAddress("kungsgatan", "kungsgatan", 7, "", "", "")),
        ("1:a Villagatan 2", ParsedAddress("1:a villagatan", "1avillagatan", 2, "", "", "")),
        ("Storgatan 12-14, lgh 1102", ParsedAddress("storgatan", "storgatan", 12, "", "", "")),
        ("Storgatan 3 2 tr", ParsedAddress("storgatan", "storgatan", 3, "", "", "")),
        (
            "c/o Svensson, Storgatan 3, Karlstad",
            ParsedAddress("storgatan", "storgatan", 3, "", "", "Karlstad"),
        ),
        ("Storgatan", ParsedAddress("storgatan", "storgatan", None, "", "", "")),
        ("", ParsedAddress("", "", None, "", "", "")),
    ],
)
def test_normalise_address(text: str, expected: ParsedAddress) -> None:
    assert normalise_address(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("652 24", "65224"), ("65224", "65224"), ("SE-652 24", "65224"), ("6522", ""), (None, "")],
)
def test_normalise_postcode(text: str | None, expected: str) -> None:
    assert normalise_postcode(text) == expected


def test_street_key_folds_case_letters_spacing_and_abbreviations() -> None:
    assert street_key("Östra Torgg.") == street_key("ÖSTRA TORGGATAN") == "ostratorggatan"
    assert street_key("Älvgatan") == street_key("alv gatan") == "alvgatan"


def test_split_number() -> None:
    number, letter = split_number(pd.Series(["12B", "12 b", "7", "x", ""]))
    assert number.tolist()[:3] == [12, 12, 7]
    assert number.isna().tolist() == [False, False, False, True, True]
    assert letter.tolist() == ["B", "B", "", "", ""]


# ------------------------------------------------------------------------------------------
# matching
# ------------------------------------------------------------------------------------------
def test_exact_address_with_letter(geocoder: Geocoder) -> None:
    m = geocoder.match("Drottningg. 12 b")
    assert isinstance(m, Match)
    assert (m.x, m.y, m.precision, m.number, m.score) == (1005.0, 5000.0, "address", "12B", 100.0)


def test_number_given_separately_overrides_the_text(geocoder: Geocoder) -> None:
    m = geocoder.match("Drottninggatan", "14")
    assert isinstance(m, Match)
    assert (m.x, m.precision) == (1020.0, "address")


def test_unknown_letter_falls_back_to_the_number(geocoder: Geocoder) -> None:
    m = geocoder.match("Drottninggatan 14 C")
    assert isinstance(m, Match)
    assert (m.x, m.precision, m.number) == (1020.0, "address", "14")


def test_missing_or_unknown_number_gives_street_precision(geocoder: Geocoder) -> None:
    # Drottninggatan's points: x = 1000, 1005, 1020, 1100; mean 1031.25; the nearest
    # address point to the mean is x = 1020 (the representative point lies on the street)
    for text in ("Drottninggatan", "Drottninggatan 99"):
        m = geocoder.match(text)
        assert isinstance(m, Match)
        assert (m.x, m.y, m.precision, m.number) == (1020.0, 5000.0, "street", "")


def test_fuzzy_typo_matches_with_score(geocoder: Geocoder) -> None:
    m = geocoder.match("Drotningatan 12")
    assert isinstance(m, Match)
    assert m.street == "Drottninggatan"
    # rapidfuzz ratio of "drotningatan" (12) and "drottninggatan" (14): 2*12/26 = 92.3
    assert_allclose(m.score, 2 * 12 / 26 * 100)


def test_near_tied_fuzzy_candidates_are_told_apart_by_the_number(geocoder: Geocoder) -> None:
    # "lundgatan" scores 2*9/19 = 94.7 against both Lundagatan and Lundegatan
    m = geocoder.match("Lundgatan 5")
    assert isinstance(m, Match)
    assert (m.street, m.x) == ("Lundegatan", 9000.0)
    for text in ("Lundgatan", "Lundgatan 4"):
        assert isinstance(geocoder.match(text), Rejection)


def test_bare_abbreviation_without_dot(geocoder: Geocoder) -> None:
    m = geocoder.match("Karlbergsv 3")
    assert isinstance(m, Match)
    assert (m.street, m.precision) == ("Karlbergsvägen", "address")


def test_unknown_street_is_rejected_with_closest_candidates(geocoder: Geocoder) -> None:
    r = geocoder.match("Drakgränd 4")
    assert isinstance(r, Rejection)
    assert "not in the address register" in r.reason
    assert len(r.candidates) == 3
    assert all(c.split(" (")[0] in r.reason for c in r.candidates)


def test_empty_address_is_rejected(geocoder: Geocoder) -> None:
    assert isinstance(geocoder.match("  "), Rejection)


def test_street_in_two_distant_towns_needs_postcode_or_town(geocoder: Geocoder) -> None:
    r = geocoder.match("Storgatan 1")
    assert isinstance(r, Rejection)
    assert "Karlstad" in r.reason
    assert "Molkom" in r.reason
    assert "postnummer" in r.reason
    by_pc = geocoder.match("Storgatan 1", postcode="665 30")
    by_town = geocoder.match("Storgatan 1", town="molkom")
    in_text = geocoder.match("Storgatan 1, 665 30 Molkom")
    for m in (by_pc, by_town, in_text):
        assert isinstance(m, Match)
        assert (m.x, m.post_town) == (22000.0, "Molkom")


def test_number_found_in_one_town_only_decides(geocoder: Geocoder) -> None:
    m = geocoder.match("Storgatan 5")
    assert isinstance(m, Match)
    assert (m.x, m.post_town, m.precision) == (22030.0, "Molkom", "address")


def test_same_street_across_a_post_town_boundary_is_one_street(geocoder: Geocoder) -> None:
    m = geocoder.match("Älvgatan")
    assert isinstance(m, Match)
    assert m.precision == "street"
    assert m.post_town == "Karlstad"  # the town with more addresses


def test_geocode_is_aligned_and_matches_each_distinct_address_once(geocoder: Geocoder) -> None:
    address = pd.Series(
        ["Drottninggatan 12", "", "Drakgränd 1", "Drottninggatan 12", "Storgatan 1"],
        index=[10, 11, 12, 13, 14],
    )
    postcode = pd.Series(["", "", "", "", "66530"], index=address.index)
    out = geocoder.geocode(address, postcode=postcode)
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert_allclose(out["x"].to_numpy(), [1000.0, np.nan, np.nan, 1000.0, 22000.0])
    assert out["precision"].tolist()[0] == "address"
    assert out["reason"].isna().tolist() == [True, False, False, True, True]
    assert out["reason"].iloc[1] == "missing address"
    assert out["matched"].iloc[4] == "Storgatan 1, Molkom"


# ------------------------------------------------------------------------------------------
# the reader hook
# ------------------------------------------------------------------------------------------
def test_address_columns_finds_swedish_and_english_names() -> None:
    cols = address_columns(["Tidpunkt", "Adress", "Postnummer", "Postort"])
    assert cols is not None
    assert (cols.address, cols.postcode, cols.town) == ("Adress", "Postnummer", "Postort")
    assert address_columns(["lat", "lon"]) is None


def test_resolve_addresses_returns_points_precisions_and_reasons(geocoder: Geocoder) -> None:
    raw = pd.DataFrame(
        {
            "adress": ["Drottninggatan 12B", "Storgatan 1", "Nowhere 1", "Kungsgatan"],
            "postnummer": ["", "665 30", "", ""],
        },
        index=[5, 6, 7, 8],  # a chunk's index need not start at 0
    )
    res = resolve_addresses(raw, geocoder)
    assert res.crs.equals(CRS.from_epsg(3006))
    assert_allclose(res.x, [1005.0, 22000.0, np.nan, 7000.0])
    assert res.precision.tolist() == ["address", "address", None, "street"]
    assert res.reason[[0, 1, 3]].tolist() == [None, None, None]
    assert "not in the address register" in res.reason[2]
    assert res.located.tolist() == [True, True, False, True]


# ------------------------------------------------------------------------------------------
# Polisen: a street name in the text
# ------------------------------------------------------------------------------------------
def test_street_in_text_unambiguous(geocoder: Geocoder) -> None:
    m = street_in_text(
        "En man misshandlades på Östra Torggatan i natt.",
        municipality="Karlstad",
        geocoder=geocoder,
    )
    assert isinstance(m, Match)
    assert (m.x, m.precision, m.street) == (4000.0, "street", "Östra Torggatan")


def test_street_in_text_summary_wins_over_body(geocoder: Geocoder) -> None:
    m = street_in_text(
        ["Bråk på Kungsgatan.", "Polisen kom från Drottninggatan."],
        municipality="Karlstad",
        geocoder=geocoder,
    )
    assert isinstance(m, Match)
    assert m.street == "Kungsgatan"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Bråk på Kungsgatan och Drottninggatan.", "several streets"),
        ("En man greps i centrum.", "no street"),
        ("Bråk på storgatan.", "no street"),  # a name is written with a capital
        ("Bråk på Storgatan.", "several post towns"),
    ],
)
def test_street_in_text_rejects_when_ambiguous(geocoder: Geocoder, text: str, why: str) -> None:
    r = street_in_text(text, municipality="Karlstad", geocoder=geocoder)
    assert isinstance(r, Rejection)
    assert why in r.reason


def test_street_in_text_town_named_in_text_decides(geocoder: Geocoder) -> None:
    m = street_in_text("Bråk på Storgatan i Molkom.", municipality="Karlstad", geocoder=geocoder)
    assert isinstance(m, Match)
    assert m.post_town == "Molkom"


def test_street_in_text_other_municipality(geocoder: Geocoder) -> None:
    r = street_in_text("Bråk på Kungsgatan.", municipality="Kil", geocoder=geocoder)
    assert isinstance(r, Rejection)
    assert "Kil" in r.reason


# ------------------------------------------------------------------------------------------
# the register reader
# ------------------------------------------------------------------------------------------
def test_read_register_csv_latlon_semicolon_and_popular_names(tmp_path: Path) -> None:
    path = tmp_path / "adresser.csv"
    path.write_text(
        "Gata;Nummer;Postnummer;Postort;Kommun;lat;lon;kind\n"
        "Fogdegatan;29;652 24;Karlstad;Karlstad;59,38869;13,5246;address\n"
        "Fogdegatan;31B;65224;Karlstad;Karlstad;59.3887;13.5247;address\n"
        "Kulturhuset;Fogdegatan 29;65224;Karlstad;Karlstad;59.38869;13.5246;popular_name\n"
        "Affären;Stenåsen 234;65598;Molkom;Karlstad;59.6;13.7;popular_name\n"
        ";5;65224;Karlstad;Karlstad;59.3;13.5;address\n",
        encoding="utf-8",
    )
    reg = read_register(path)
    f = reg.frame
    # the popular name "Kulturhuset" repeats Fogdegatan 29 (dropped); "Affären" names
    # Stenåsen 234 (kept as that address); the row without a street is left out
    assert f["street"].tolist() == ["Fogdegatan", "Fogdegatan", "Stenåsen"]
    assert f["number"].tolist() == [29, 31, 234]
    assert f["letter"].tolist() == ["", "B", ""]
    assert f["postcode"].tolist() == ["65224", "65224", "65598"]
    # 59.38869 N, 13.5246 E in SWEREF 99 TM (pyproj)
    assert_allclose(f[["x", "y"]].to_numpy()[0], [416196.6, 6584262.9], atol=0.1)


def test_read_register_gpkg_with_lantmateriet_names(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {
            "adressomrade_faststalltnamn": ["Kungsgatan", "Kungsgatan"],
            "adressplatsnummer": ["7", "9"],
            "bokstavstillagg": ["A", None],
            "postnummer": [65224, 65224],
            "postort": ["Karlstad", "Karlstad"],
            "kommunnamn": ["Karlstad", "Karlstad"],
        },
        geometry=gpd.points_from_xy([414900.0, 414910.0], [6583400.0, 6583400.0]),
        crs="EPSG:3006",
    )
    path = tmp_path / "belagenhetsadress.gpkg"
    gdf.to_file(path, layer="belagenhetsadress", driver="GPKG")
    f = read_register(path).frame
    assert f["street"].tolist() == ["Kungsgatan", "Kungsgatan"]
    assert f["number"].tolist() == [7, 9]
    assert f["letter"].tolist() == ["A", ""]
    assert f["municipality"].tolist() == ["Karlstad", "Karlstad"]
    assert_allclose(f["x"], [414900.0, 414910.0])


def test_read_register_errors(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        read_register(tmp_path / "none.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no point columns"):
        read_register(bad)


# ------------------------------------------------------------------------------------------
# the CLI
# ------------------------------------------------------------------------------------------
def _write_register(path: Path) -> None:
    lines = ["street,number,postcode,post_town,municipality,x,y"]
    for street, number, letter, pc, town, x, y in REGISTER_ROWS:
        lines.append(f"{street},{number}{letter},{pc},{town},Karlstad,{x},{y}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_cli_geocode_writes_located_rows_and_rejects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = tmp_path / "register.csv"
    _write_register(reg)
    src = tmp_path / "in.csv"
    src.write_text(
        "id;tidpunkt;kategori;adress;postnummer\n"
        "1;2026-01-03 22:10;misshandel;Drottningg. 12 b;652 24\n"
        "2;2026-01-04 01:10;rån;Kungsgatan;\n"
        "3;2026-01-04 02:10;rån;Drakgränd 4;\n"
        "4;2026-01-04 03:10;rån;Storgatan 1;665 30\n",
        encoding="utf-8",
    )
    out = tmp_path / "out" / "located.csv"
    assert run(["geocode", str(src), "--addresses", str(reg), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "4 rows: 2 at address precision, 1 at street precision, 1 rejected" in printed
    located = pd.read_csv(out, sep=";", dtype=str, encoding="utf-8-sig")
    assert located["id"].tolist() == ["1", "2", "4"]  # the input's own column names
    assert located["precision"].tolist() == ["address", "street", "address"]
    # Swedish Excel CSV: decimal comma (hotspots import reads it back)
    assert located["x"].str.replace(",", ".").astype(float).tolist() == [1005.0, 7000.0, 22000.0]
    rejects = read_rejects(out.with_name("located.rejects.csv"))
    assert rejects["row"].tolist() == ["4"]  # spreadsheet row of "Drakgränd 4"
    assert rejects["column"].tolist() == ["adress"]
    assert "närmast" in rejects["reason"].iloc[0]  # the closest streets, in Swedish


def test_cli_geocode_refuses_a_file_without_address_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reg = tmp_path / "register.csv"
    _write_register(reg)
    src = tmp_path / "in.csv"
    src.write_text("id,lat,lon\n1,59.1,13.5\n", encoding="utf-8")
    code = run(["geocode", str(src), "--addresses", str(reg), "--out", str(tmp_path / "o.csv")])
    assert code == 2
    assert "no address column" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# the real register (Lantmäteriet, CC BY 4.0), read where ../shared/data is present
# ------------------------------------------------------------------------------------------
@pytest.mark.shared_data
def test_real_register_geocodes_its_own_addresses(shared_data: Path) -> None:
    reg = read_register(shared_data / "karlstad" / "karlstad_addresses_lantmateriet.csv")
    assert len(reg) > 28_000
    geocoder = Geocoder(reg)
    f = reg.frame.sample(300, random_state=7)
    text = f["street"] + " " + f["number"].astype("string").fillna("") + f["letter"]
    out = geocoder.geocode(
        text.reset_index(drop=True), postcode=f["postcode"].reset_index(drop=True)
    )
    assert (out["precision"] == "address").all()
    dist = np.hypot(
        out["x"].to_numpy() - f["x"].to_numpy(), out["y"].to_numpy() - f["y"].to_numpy()
    )
    assert np.median(dist) == 0.0
    # Fogdegatan 29, 652 xx Karlstad: 59.38869 N, 13.5246 E in the register
    m = geocoder.match("FOGDEG. 29", postcode="652 16")
    assert isinstance(m, Match)
    assert_allclose([m.x, m.y], [416196.6, 6584262.9], atol=0.1)


@pytest.mark.shared_data
def test_real_polisen_events_street_names(shared_data: Path) -> None:
    import json

    reg = read_register(shared_data / "karlstad" / "karlstad_addresses_lantmateriet.csv")
    geocoder = Geocoder(reg)
    events = json.loads(
        (shared_data / "polisen" / "polisen_varmland_events_with_text.json").read_text("utf-8")
    )
    karlstad = [e for e in events if e["location"]["name"] == "Karlstad"]
    results = [
        street_in_text(
            [e["summary"] or "", e.get("body_text") or ""],
            municipality="Karlstad",
            geocoder=geocoder,
        )
        for e in karlstad
    ]
    matched = [r for r in results if isinstance(r, Match)]
    # a minority of the events name one street; every match is street precision
    assert 20 <= len(matched) <= len(karlstad) // 4
    assert {r.precision for r in matched} == {"street"}
    by_summary = {
        e["summary"]: r for e, r in zip(karlstad, results, strict=True) if isinstance(r, Match)
    }
    hit = [r for s, r in by_summary.items() if "på Konduktörsgatan i Karlstad" in s]
    assert hit
    assert hit[0].street == "Konduktörsgatan"


def test_read_register_needs_a_street_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nx,59.3,13.5\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="no street column"):
        read_register(bad)
