"""Generic and Swedish-Excel CSV reading: encodings, separators, decimal commas, aliases, and
one test per row-level rejection reason."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pyproj import Transformer
from rejects_csv import read_rejects

from hotspots.core.errors import InputFileError
from hotspots.core.schema import INCIDENT_COLUMNS, SURVEY_COLUMNS, TIMEZONE
from hotspots.io import detect_format, open_file, read_file
from hotspots.io._location import to_number

NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)
TO_SWEREF = Transformer.from_crs(4326, 3006, always_xy=True)

SWEDISH_ROWS = (
    "Tidpunkt;Kategori;Latitud;Longitud;Källa;Beskrivning\r\n"
    "2026-03-14 22:15;Misshandel i offentlig miljö;59,37935;13,50350;polis;Bråk vid torget\r\n"
    "2026-03-15 01.40;Skadegörelse / klotter;59,38120;13,49870;kommun;Klotter på vägg\r\n"
    "2026-03-16;RATTFYLLERI / DROGRATTFYLLERI;59,39000;13,52000;polis;Kontroll\r\n"
)


def write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_swedish_excel_csv_reads_in_every_encoding(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "händelser.csv", SWEDISH_ROWS, encoding)
    frame, rejects = read_file(path, now=NOW)
    assert len(rejects) == 0
    assert list(frame.columns) == [*INCIDENT_COLUMNS, "geometry"]
    assert frame.crs.to_epsg() == 3006
    assert list(frame["category"]) == ["assault_public", "vandalism", "dui"]
    assert frame["source_category"][0] == "Misshandel i offentlig miljö"
    assert list(frame["description"]) == ["Bråk vid torget", "Klotter på vägg", "Kontroll"]
    # decimal commas: the same point as pyproj gives for 59.37935 N, 13.50350 E
    ex, ey = TO_SWEREF.transform(13.50350, 59.37935)
    assert_allclose([frame.geometry.x[0], frame.geometry.y[0]], [ex, ey], atol=1e-6)
    # central Karlstad: within 2 km of the conftest lattice near Stora torget
    assert abs(ex - 413_600) < 2_000
    assert abs(ey - 6_584_200) < 2_000
    # local time, "01.40" with a dot, a date alone is a day interval
    assert frame["occurred_at"][0] == pd.Timestamp("2026-03-14 22:15", tz=TIMEZONE)
    assert frame["occurred_at"][1] == pd.Timestamp("2026-03-15 01:40", tz=TIMEZONE)
    assert list(frame["time_precision"]) == ["exact", "exact", "day"]
    assert frame["occurred_until"][2] == pd.Timestamp("2026-03-17", tz=TIMEZONE)
    assert frame["occurred_until"][:2].isna().all()


def test_excel_sep_line_and_datum_tid_columns(tmp_path: Path) -> None:
    text = (
        "sep=;\r\nDatum;Tid;kategori;E;N;Precision\r\n2026-05-01;23:30;dui;413600;6584200;gata\r\n"
    )
    path = write(tmp_path / "x.csv", text, "cp1252")
    frame, rejects = read_file(path, now=NOW, crs="EPSG:3006")
    assert len(rejects) == 0
    assert frame["occurred_at"][0] == pd.Timestamp("2026-05-01 23:30", tz=TIMEZONE)
    assert frame["precision"][0] == "street"
    assert (frame.geometry.x[0], frame.geometry.y[0]) == (413_600.0, 6_584_200.0)


def test_xy_in_another_crs_is_projected(tmp_path: Path) -> None:
    # RT90 2.5 gon V (EPSG:3021) coordinates of a Karlstad point
    to_rt90 = Transformer.from_crs(3006, 3021, always_xy=True)
    x, y = to_rt90.transform(413_600.0, 6_584_200.0)
    path = tmp_path / "rt90.csv"
    path.write_text(f"occurred_at,category,x,y\n2026-01-01 12:00,robbery,{x:.3f},{y:.3f}\n")
    frame, rejects = read_file(path, now=NOW, crs="EPSG:3021")
    assert len(rejects) == 0
    assert_allclose([frame.geometry.x[0], frame.geometry.y[0]], [413_600, 6_584_200], atol=0.01)


def test_iso_offsets_and_utc(tmp_path: Path) -> None:
    path = tmp_path / "tz.csv"
    path.write_text(
        "occurred_at,category,lat,lon\n"
        "2026-03-14T21:15:00Z,robbery,59.38,13.5\n"
        "2026-03-14T23:15:00+02:00,robbery,59.38,13.5\n"
    )
    frame, _ = read_file(path, now=NOW)
    expected = pd.Timestamp("2026-03-14 22:15", tz=TIMEZONE)
    assert list(frame["occurred_at"]) == [expected, expected]


def _rejects_of(tmp_path: Path, body: str, **kwargs: object) -> tuple[pd.DataFrame, pd.DataFrame]:
    path = tmp_path / "bad.csv"
    path.write_text("occurred_at,category,lat,lon\n" + body, encoding="utf-8")
    return read_file(path, now=NOW, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("row", "column", "needle"),
    [
        ("igår kväll,robbery,59.38,13.5", "occurred_at", "unparseable time"),
        ("2026-02-30 10:00,robbery,59.38,13.5", "occurred_at", "unparseable time"),
        ("0026-03-14 10:00,robbery,59.38,13.5", "occurred_at", "unparseable time"),
        ("2026-03-14 22:60,robbery,59.38,13.5", "occurred_at", "unparseable time"),
        ("2027-01-01 10:00,robbery,59.38,13.5", "occurred_at", "time in the future"),
        ("2026-01-01 10:00,cykelstöld,59.38,13.5", "category", "unknown category"),
        ("2026-01-01 10:00,robbery,,", "lat/lon", "missing location"),
        ("2026-01-01 10:00,robbery,59.38,", "lat/lon", "missing location"),
        ("2026-01-01 10:00,robbery,abc,13.5", "lat/lon", "not a number"),
        ("2026-01-01 10:00,robbery,13.5,59.38", "lat/lon", "swapped lat/lon"),
        (
            "2026-01-01 10:00,robbery,6584200,413600",
            "lat/lon",
            "SWEREF 99 TM metres given as degrees",
        ),
        ("2026-01-01 10:00,robbery,48.85,2.35", "lat/lon", "outside the area of use"),
        ("2026-01-01 10:00,robbery,95,13.5", "lat/lon", "outside -90..90"),
    ],
)
def test_each_bad_row_is_rejected_with_its_reason(
    tmp_path: Path, row: str, column: str, needle: str
) -> None:
    good = "2026-01-01 10:00,robbery,59.38,13.5\n"
    frame, rejects = _rejects_of(tmp_path, good + row + "\n" + good)
    assert len(frame) == 2
    assert len(rejects) == 1
    got = rejects.iloc[0]
    assert got["row"] == 3  # header is row 1, first good row 2
    assert got["column"] == column
    assert needle in got["reason"]
    if needle == "unknown category":
        assert "assault_public" in got["reason"]
        assert "--category-map" in got["reason"]


def test_xy_mistakes_are_named(tmp_path: Path) -> None:
    path = tmp_path / "xy.csv"
    path.write_text(
        "occurred_at,category,x,y\n"
        "2026-01-01 10:00,robbery,413600,6584200\n"
        "2026-01-01 10:00,robbery,6584200,413600\n"
        "2026-01-01 10:00,robbery,13.5,59.38\n"
        "2026-01-01 10:00,robbery,9900000,9900000\n"
    )
    frame, rejects = read_file(path, now=NOW)
    assert len(frame) == 1
    reasons = dict(zip(rejects["row"], rejects["reason"], strict=True))
    assert "look swapped (easting/northing)" in reasons[3]
    assert "look like WGS84 degrees given as metres" in reasons[4]
    assert "outside the area of use of EPSG:3006" in reasons[5]


def test_category_map_csv_and_json(tmp_path: Path) -> None:
    body = "2026-01-01 10:00,Langning,59.38,13.5\n2026-01-01 10:00,Cykelstöld,59.38,13.5\n"
    cmap_csv = tmp_path / "map.csv"
    cmap_csv.write_text("label;code\nlangning;drug_dealing\nCYKELSTÖLD;Övrigt\n", "cp1252")
    frame, rejects = _rejects_of(tmp_path, body, category_map=cmap_csv)
    assert len(rejects) == 0
    assert list(frame["category"]) == ["drug_dealing", "other"]
    assert list(frame["source_category"]) == ["Langning", "Cykelstöld"]
    cmap_json = tmp_path / "map.json"
    cmap_json.write_text('{"Langning": "drug_dealing"}', encoding="utf-8")
    frame, rejects = _rejects_of(tmp_path, body, category_map=cmap_json)
    assert list(frame["category"]) == ["drug_dealing"]
    assert "unknown category" in rejects["reason"][0]


def test_category_map_to_unknown_code_is_a_file_error(tmp_path: Path) -> None:
    cmap = tmp_path / "map.json"
    cmap.write_text('{"Langning": "smuggling"}', encoding="utf-8")
    with pytest.raises(InputFileError, match=r"map\.json: label 'Langning' maps to 'smuggling'"):
        _rejects_of(tmp_path, "2026-01-01 10:00,Langning,59.38,13.5\n", category_map=cmap)


def test_hash_ids_are_stable_and_duplicates_kept_across_chunks(tmp_path: Path) -> None:
    row = "2026-01-01 10:00,robbery,59.38,13.5\n"
    path = tmp_path / "dups.csv"
    path.write_text("occurred_at,category,lat,lon\n" + row * 5)
    ids_a = [i for c in open_file(path, now=NOW, chunksize=2) for i in c.frame["id"]]
    ids_b = [i for c in open_file(path, now=NOW, chunksize=3) for i in c.frame["id"]]
    assert ids_a == ids_b
    assert len(set(ids_a)) == 5
    assert ids_a[0].startswith("h")
    assert len(ids_a[0]) == 17
    assert ids_a[1:] == [f"{ids_a[0]}-{k}" for k in range(1, 5)]


def test_row_numbers_follow_the_spreadsheet_across_chunks_and_blank_lines(
    tmp_path: Path,
) -> None:
    lines = ["2026-01-01 10:00,robbery,59.38,13.5"] * 7
    lines[5] = "2026-01-01 10:00,robbery,,"  # spreadsheet row 7
    lines.insert(2, "")  # a blank line is row 4
    path = tmp_path / "rows.csv"
    path.write_text("occurred_at,category,lat,lon\n" + "\n".join(lines) + "\n")
    chunks = list(open_file(path, now=NOW, chunksize=3))
    rejects = pd.concat([c.rejects for c in chunks])
    assert list(rejects["row"]) == [8]
    assert sum(len(c.frame) for c in chunks) == 6


def test_semicolon_detected_without_decimal_comma_confusion(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.csv",
        "id;tidpunkt;kategori;lat;lon\nA1;2026-01-01 10:00;rån;59,38;13,5\n",
        "utf-8",
    )
    frame, _ = read_file(path, now=NOW)
    assert list(frame["id"]) == ["A1"]
    assert frame["category"][0] == "robbery"


def test_detect_format(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", SWEDISH_ROWS, "cp1252")
    assert detect_format(path) == "csv"


def test_survey_marks(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(
        "datum;otrygghet;tid på dygnet;orsak;källa;lat;lon\n"
        "2026-04-01;4;kväll;belysning;trygghetsundersökning;59,38;13,50\n"
        "2026-04-02;ja;natt;grupperingar, narkotika;medborgardialog;59,38;13,50\n"
        "2026-04-03;nej;;;;59,38;13,50\n"
        "2026-04-04;7;dag;belysning;;59,38;13,50\n"
        "2026-04-05;3;middag;belysning;;59,38;13,50\n"
        "2026-04-06;3;dag;väder;;59,38;13,50\n",
        encoding="utf-8",
    )
    frame, rejects = read_file(path, kind="survey", now=NOW)
    assert list(frame.columns) == [*SURVEY_COLUMNS, "geometry"]
    assert list(frame["unsafe"]) == [4, 5, 1]
    assert list(frame["time_of_day"].fillna("-")) == ["kvall", "natt", "-"]
    assert list(frame["reason"].fillna("-")) == ["belysning", "grupperingar,narkotika", "-"]
    assert list(frame["source"].fillna("-")) == ["trygghetsundersokning", "medborgardialog", "-"]
    assert frame["date"][0] == pd.Timestamp("2026-04-01")
    by_row = dict(zip(rejects["row"], rejects["reason"], strict=True))
    assert "unsafe must be a whole number 1-5" in by_row[5]
    assert "time_of_day must be dag, kvall or natt" in by_row[6]
    assert "unknown reason" in by_row[7]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "the file is empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 50, "binary"),
        (b"occurred_at,category,lat,lon\n", "header but no data rows"),
        (b"occurred_at,category,place\n2026-01-01,robbery,torget\n", "no location columns"),
        (b"when,category,lat,lon\n2026-01-01,robbery,59.4,13.5\n", "no time column"),
        (b"occurred_at,lat,lon\n2026-01-01,59.4,13.5\n", "no category column"),
    ],
)
def test_unreadable_files_raise_one_line(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        read_file(path, now=NOW)
    message = str(info.value)
    assert message.startswith(str(path))
    assert needle in message
    assert "\n" not in message


def test_big_chunked_file_equals_single_chunk(tmp_path: Path, rng: np.random.Generator) -> None:
    n = 2_000
    lat = 59.38 + rng.normal(0, 0.01, n)
    lon = 13.5 + rng.normal(0, 0.02, n)
    lines = [
        f"2026-01-{1 + i % 28:02d} {i % 24:02d}:00;dui;{a:.6f};{b:.6f}".replace(".", ",")
        for i, (a, b) in enumerate(zip(lat, lon, strict=True))
    ]
    lines = [ln.replace(",", ".", 0) for ln in lines]
    path = tmp_path / "big.csv"
    path.write_text("tidpunkt;kategori;lat;lon\n" + "\n".join(lines) + "\n", encoding="cp1252")
    whole = pd.concat([c.frame for c in open_file(path, now=NOW, chunksize=10_000)])
    parts = pd.concat([c.frame for c in open_file(path, now=NOW, chunksize=333)])
    assert len(whole) == n
    assert list(whole["id"]) == list(parts["id"])
    assert_allclose(whole.geometry.x, parts.geometry.x)


def test_lines_with_too_many_fields_are_rejected_and_rows_stay_aligned(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_text(
        "tidpunkt;kategori;lat;lon\n"
        "2026-01-01 10:00;rån;59,38;13,50\n"
        "2026-01-01 10:00;rån;59,38;13,50;extra\n"  # row 3
        "2026-01-01 10:00;rån;59,38;13,50\n"
        "2026-01-01 10:00;okänd;59,38;13,50\n"  # row 5
        "2026-01-01 10:00;rån;59,38;13,50\n",
        encoding="cp1252",
    )
    for chunksize in (2, 100):
        chunks = list(open_file(path, now=NOW, chunksize=chunksize))
        rejects = pd.concat([c.rejects for c in chunks], ignore_index=True)
        assert list(rejects["row"]) == [3, 5]
        assert "wrong number of fields" in rejects["reason"][0]
        assert "double quotes" in rejects["reason"][0]
        assert "unknown category" in rejects["reason"][1]
        assert sum(len(c.frame) for c in chunks) == 3
        assert sum(c.rows_read for c in chunks) == 5


def test_utf16_excel_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    text = "tidpunkt\tkategori\tlat\tlon\r\n2026-01-01 10:00\tRån\t59,38\t13,50\r\n"
    path.write_bytes(text.encode("utf-16"))
    frame, rejects = read_file(path, now=NOW)
    assert len(rejects) == 0
    assert frame["category"][0] == "robbery"


def test_common_swedish_labels_map_without_a_category_map(tmp_path: Path) -> None:
    labels = ["Klotter", "Misshandel", "Narkotikabrott", "Olaga hot", "Fylleri/LOB", "Mord/dråp"]
    body = "".join(f"2026-01-01 10:00,{lab},59.38,13.5\n" for lab in labels)
    frame, rejects = _rejects_of(tmp_path, body)
    assert list(frame["category"]) == [
        "vandalism",
        "assault_public",
        "drug_use",
        "threat_harassment",
        "intoxication",
    ]
    assert list(rejects["value"]) == ["Mord/dråp"]  # no taxonomy code: needs a category map


def test_hash_id_is_the_pandas_row_hash(tmp_path: Path) -> None:
    # ids of earlier versions must not change (a re-import would duplicate every row): the id
    # is "h" + hex of pandas' row hash of the cells as written plus the two location cells
    text = (
        "Tidpunkt;Kategori;Latitud;Longitud;Beskrivning\n"
        "2026-03-14 22:15;Rån;59,38;13,5;a\n"
        "2026-03-14 22:16;robbery;59,381;13,5;\n"
    )
    path = write(tmp_path / "ids.csv", text, "utf-8")
    frame, _ = read_file(path, now=NOW)
    cells = pd.DataFrame(
        {
            "Tidpunkt": ["2026-03-14 22:15", "2026-03-14 22:16"],
            "Kategori": ["Rån", "robbery"],
            "Latitud": ["59,38", "59,381"],
            "Longitud": ["13,5", "13,5"],
            "Beskrivning": ["a", ""],
            "__a": ["59,38", "59,381"],
            "__b": ["13,5", "13,5"],
        },
        dtype=object,
    )
    hashes = pd.util.hash_pandas_object(cells, index=False).to_numpy()
    assert list(frame["id"]) == [f"h{int(h):016x}" for h in hashes]


def test_given_and_made_ids_mix(tmp_path: Path) -> None:
    text = (
        "id,occurred_at,category,lat,lon\n"
        "A1,2026-03-14 22:15,robbery,59.38,13.5\n"
        ",2026-03-14 22:15,robbery,59.38,13.5\n"
        "A2,2026-03-14 22:15,robbery,59.38,13.5\n"
        ",2026-03-14 22:15,robbery,59.38,13.5\n"
    )
    frame, _ = read_file(write(tmp_path / "mix.csv", text, "utf-8"), now=NOW)
    ids = list(frame["id"])
    assert ids[0] == "A1"
    assert ids[2] == "A2"
    assert ids[1].startswith("h")
    assert len(ids[1]) == 17
    assert ids[3] == f"{ids[1]}-1"
    assert frame["id"].dtype == INCIDENT_COLUMNS["id"]


def test_plain_numbers_agree_with_pandas_to_numeric(rng: np.random.Generator) -> None:
    # the fast Arrow cast and pandas' parser must give the same floats (stored geometries of
    # a re-imported file must not change in the last bit)
    values = np.concatenate(
        [
            (59.38 + rng.normal(0, 0.02, 20_000)).round(6),
            (6_583_000 + rng.normal(0, 5_000, 20_000)).round(3),
            rng.normal(0, 1e6, 20_000),
        ]
    ).astype(str)
    text = pd.Series(values, dtype="string")
    comma = text.str.replace(".", ",", regex=False)
    expected = pd.to_numeric(text).to_numpy(dtype=float)
    for series in (text, comma):
        got, empty, bad = to_number(series)
        assert not empty.any()
        assert not bad.any()
        np.testing.assert_array_equal(got, expected)
    # with both "," and "." the comma is a thousands separator (1,234.5)
    mixed = pd.Series(["59,38", "", "1 234,5", "1,234.5", "\u22125", "abc", "inf"], dtype="string")
    got, empty, bad = to_number(mixed)
    np.testing.assert_array_equal(got[[0, 2, 3, 4]], [59.38, 1234.5, 1234.5, -5.0])
    assert list(empty) == [False, True, False, False, False, False, False]
    assert list(bad) == [False, False, False, False, False, True, True]


_JUNK = (
    "",
    " ",
    "nan",
    "inf",
    "-inf",
    "1e400",
    "0026-01-01 10:00",
    "2026-02-29 10:00",
    "24:00",
    "2026-01-01T10:00:00+25:00",
    "2026",
    "13/13/2026",
    "31.12.2025 23:59",
    "59,38",
    "6584000",
    "91",
    "-181",
    "<script>alert(1)</script>",
    "våld",
    "domestic_violence",
    "\u2212 13,5",
    "1 234,5",
    "ÅÄÖ",
    '"',
    ";",
    ",",
    "🙂",
    "9" * 40,
    "2026-01-01 10:00:00.123456789",
)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_junk_cells_are_rejected_row_by_row_and_nothing_is_lost(tmp_path: Path, seed: int) -> None:
    """Valid rows with one junk cell each: every row is either stored or in the rejects file."""
    from hotspots.load.ingest import import_file

    rng = np.random.default_rng(seed)
    n = 300
    rows = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(n)],
            "occurred_at": [
                f"2026-0{rng.integers(1, 10)}-1{rng.integers(0, 10)} 21:15" for _ in range(n)
            ],
            "category": "drug_use",
            "lat": "59.38",
            "lon": "13.51",
            "description": "ok",
        }
    )
    junk_rows = rng.choice(n, size=n // 2, replace=False)
    for r in junk_rows:
        rows.iat[r, int(rng.integers(0, 6))] = _JUNK[int(rng.integers(0, len(_JUNK)))]
    src = tmp_path / "junk.csv"
    rows.to_csv(src, index=False)
    summary = import_file(src, db=tmp_path / "s.gpkg")
    assert summary.accepted + summary.rejected == n
    assert summary.accepted >= n // 2  # the untouched rows at least
    # a junk id may repeat (two rows with id "ÅÄÖ"): the second is merged, and listed
    assert summary.accepted == (
        summary.inserted + summary.updated + summary.unchanged + summary.merged
    )
    if summary.rejected or summary.merged:
        rejects = read_rejects(summary.rejects_path, reasons="en")
        merged = rejects["reason"].str.contains("the row was merged into it")
        assert rejects.loc[~merged, "row"].nunique() == summary.rejected
        assert rejects.loc[merged, "row"].nunique() == summary.merged
        assert rejects["reason"].notna().all()


def _junk_file(tmp_path: Path, seed: int, n: int = 400) -> Path:
    """Valid rows, a third of them with one junk cell (every kind of rejection)."""
    rng = np.random.default_rng(seed)
    rows = pd.DataFrame(
        {
            "id": [f"r{i}" for i in range(n)],
            "occurred_at": [
                f"2026-0{rng.integers(1, 10)}-1{rng.integers(0, 10)} 21:15" for _ in range(n)
            ],
            "category": rng.choice(["drug_use", "assault_public", "dui"], n),
            "x": (413_600 + rng.normal(0, 800, n)).round(1).astype(str),
            "y": (6_584_200 + rng.normal(0, 800, n)).round(1).astype(str),
            "precision": rng.choice(["exact", "street", "district"], n),
            "occurred_until": "",
        }
    )
    for r in rng.choice(n, size=n // 3, replace=False):
        rows.iat[r, int(rng.integers(1, 6))] = _JUNK[int(rng.integers(0, len(_JUNK)))]
    path = tmp_path / f"junk{seed}.csv"
    rows.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("seed", [4, 5])
def test_analysis_only_reads_the_same_rows_as_a_full_read(tmp_path: Path, seed: int) -> None:
    from hotspots.core.schema import ANALYSIS_COLUMNS
    from hotspots.spatial.points import frame_crs, point_xy

    path = _junk_file(tmp_path, seed)
    full, full_rejects = read_file(path, now=NOW)
    for workers in (1, 2):
        lean, lean_rejects = read_file(path, now=NOW, analysis_only=True, workers=workers)
        assert not isinstance(lean, gpd.GeoDataFrame)
        assert list(lean.columns) == [*ANALYSIS_COLUMNS, "x", "y"]
        assert frame_crs(lean).equals(full.crs)
        pd.testing.assert_frame_equal(
            pd.DataFrame(lean[list(ANALYSIS_COLUMNS)]), pd.DataFrame(full[list(ANALYSIS_COLUMNS)])
        )
        x, y = point_xy(lean)
        assert_allclose(x, full.geometry.x, rtol=0, atol=0)
        assert_allclose(y, full.geometry.y, rtol=0, atol=0)
        pd.testing.assert_frame_equal(lean_rejects, full_rejects)
    assert len(full_rejects) > 0


def test_two_processes_validate_chunks_as_one_does(tmp_path: Path) -> None:
    """Many small chunks shared between two processes: the same rows, rejects and row numbers."""
    path = _junk_file(tmp_path, 6, n=1_000)
    one = list(open_file(path, now=NOW, chunksize=64, analysis_only=True, workers=1))
    two = list(open_file(path, now=NOW, chunksize=64, analysis_only=True, workers=2))
    one_rej = pd.concat([c.rejects for c in one], ignore_index=True)
    two_rej = pd.concat([c.rejects for c in two], ignore_index=True)
    pd.testing.assert_frame_equal(one_rej, two_rej)
    assert one_rej["row"].is_monotonic_increasing
    pd.testing.assert_frame_equal(
        pd.concat([c.frame for c in one], ignore_index=True),
        pd.concat([c.frame for c in two], ignore_index=True),
    )
    assert sum(c.rows_read for c in two) == 1_000


def test_target_crs_of_the_first_chunk_holds_in_the_second_process(tmp_path: Path) -> None:
    """Foreign lat/lon: the first chunk picks the UTM zone, also for the chunks a child reads."""
    rng = np.random.default_rng(8)
    n = 600
    lines = [
        f"2025-05-{1 + i % 28:02d}T22:00,robbery,{51.5 + rng.normal(0, 0.01):.5f},"
        f"{-0.12 + rng.normal(0, 0.01):.5f}"
        for i in range(n)
    ]
    path = tmp_path / "london.csv"
    path.write_text("occurred_at,category,lat,lon\n" + "\n".join(lines) + "\n", encoding="utf-8")
    one, _ = read_file(path, now=NOW, analysis_only=True, workers=1)
    from hotspots.spatial.points import frame_crs

    reading = open_file(path, now=NOW, chunksize=50, analysis_only=True, workers=2)
    chunks = list(reading)
    assert len(chunks) > 10
    assert {frame_crs(c.frame).to_epsg() for c in chunks} == {32630}
    assert frame_crs(one).to_epsg() == 32630
    assert_allclose(pd.concat([c.frame for c in chunks])["x"], one["x"])


@pytest.mark.parametrize(
    ("tail", "expected"),
    [
        ("ö".encode(), "utf-8"),  # a two-byte character split across the 1 MiB blocks
        (b"\xf6", "cp1252"),  # Windows-1252 'ö' at the very end of a long ASCII file
        (b"\xc3", "cp1252"),  # a UTF-8 lead byte whose continuation never comes
    ],
)
def test_encoding_is_judged_on_the_whole_file(tmp_path: Path, tail: bytes, expected: str) -> None:
    from hotspots.io._text import _BLOCK_BYTES, sniff_text

    header = b"occurred_at,category,lat,lon,description\n"
    row = b"2026-01-01 10:00,dui,59.38,13.5,ok\n"
    body = header + row * ((_BLOCK_BYTES - len(header)) // len(row) - 1)
    body += b"2026-01-01 10:00,dui,59.38,13.5,"
    body += b"x" * (_BLOCK_BYTES - 1 - len(body))  # a long description up to the boundary
    path = tmp_path / "long.csv"
    # the tail starts on the last byte of the first block; plain ASCII rows follow it
    path.write_bytes(body + tail + b"\n" + row * 10)
    assert sniff_text(path).encoding == expected
