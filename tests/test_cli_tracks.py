"""`hotspots tracks`, `hotspots activities` and `hotspots dosage` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point

from hotspots.cli import run
from hotspots.dosage.synthetic import Waypoint, simulate_track

X0, Y0 = 414_000.0, 6_583_000.0
TZ = "Europe/Stockholm"
#: The tracks are of December 2026: keep them raw whenever the tests run.
KEEP = ("--keep-days", "36500")


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "tracks.key"
    assert run(["tracks", "keygen", str(path)]) == 0
    return path


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTSPOTS_TRACKS_KEY", raising=False)
    monkeypatch.delenv("HOTSPOTS_TRACKS_DB", raising=False)
    monkeypatch.delenv("HOTSPOTS_DB", raising=False)


def _pings_csv(path: Path, rng: np.random.Generator, *, extra: str = "") -> pd.DataFrame:
    wps = [
        Waypoint(X0 - 500, Y0 - 500),
        Waypoint(X0, Y0, 12 * 60),
        Waypoint(X0 + 300, Y0),
        Waypoint(X0 + 300, Y0 + 300, 11 * 60),
        Waypoint(X0, Y0 + 300),
        Waypoint(X0, Y0),
        Waypoint(X0 + 2000, Y0, 45 * 60),
        Waypoint(X0 + 1000, Y0 + 1500),
        Waypoint(X0 + 1000, Y0 + 2500),
    ]
    start = pd.Timestamp("2026-12-01 19:00", tz=TZ)
    pings, _ = simulate_track(wps, unit="Patrull 2010", start=start, rng=rng)
    local = pd.to_datetime(pings["t_ms"], unit="ms", utc=True).dt.tz_convert(TZ)
    frame = pd.DataFrame(
        {
            "enhet": pings["unit"],
            "tid": local.dt.strftime("%Y-%m-%d %H:%M:%S"),
            "x": pings["x"].round(2),
            "y": pings["y"].round(2),
        }
    )
    text = frame.to_csv(sep=";", index=False) + extra
    path.write_text(text, encoding="utf-8")
    return pings


def _plan(path: Path, week: str = "2026-W49") -> None:
    loop = LineString([(X0, Y0), (X0 + 300, Y0), (X0 + 300, Y0 + 300), (X0, Y0 + 300), (X0, Y0)])
    gdf = gpd.GeoDataFrame(
        {
            "id": ["FP1", "TC1", "PC1"],
            "kind": ["foot_patrol", "traffic_check", "pub_check"],
            "place": ["Stora torget", "Hamngatan", "Krogen"],
            "allocated_minutes": [120, 60, 30],
            "visit_minutes": [60, 60, 30],
        },
        geometry=[loop, Point(X0 + 2000, Y0), Point(X0 + 1000, Y0 + 1500)],
        crs="EPSG:3006",
    )
    doc = json.loads(gdf.to_crs(4326).to_json())
    doc["properties"] = {"week": week}
    path.write_text(json.dumps(doc), encoding="utf-8")


def test_import_counts_pseudonymises_and_writes_safe_rejects(
    tmp_path: Path,
    key_file: Path,
    rng: np.random.Generator,
    capsys: pytest.CaptureFixture[str],
) -> None:
    csv = tmp_path / "pings.csv"
    pings = _pings_csv(
        csv,
        rng,
        extra='Patrull 2010;=HYPERLINK("http://x");414000;6583000\n;2026-12-01 22:00:00;1;2\n',
    )
    db = tmp_path / "data" / "h.gpkg"
    args = ["tracks", "import", str(csv), "--db", str(db), "--key-file", str(key_file), *KEEP]
    assert run(args) == 0
    out = capsys.readouterr().out
    n = len(pings)
    assert f"rows: {n + 2}" in out
    assert f"accepted: {n}" in out
    assert f"inserted: {n}" in out
    assert "rejected: 2" in out
    tracks = tmp_path / "data" / "h.tracks.gpkg"
    assert tracks.exists()
    assert b"Patrull 2010" not in tracks.read_bytes()  # only the pseudonym is stored
    rejects = tmp_path / "data" / "pings.rejects.csv"
    raw = rejects.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Rad;Kolumn;Värde;Orsak"  # Swedish headers
    assert lines[1].startswith(f"{n + 2};tid;\"'=HYPERLINK(")  # neutralised formula
    assert lines[2].startswith(f"{n + 3};enhet;")
    rejected_rows = {line.split(";")[0] for line in lines[1:]}
    assert rejected_rows == {str(n + 2), str(n + 3)}  # row n + 3 has two problems
    assert len(rejected_rows) + n == n + 2  # rejected + accepted = rows read
    # the same file again: unchanged
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "inserted: 0" in out
    assert f"unchanged: {n}" in out


def test_no_key_no_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "p.csv"
    _pings_csv(csv, np.random.default_rng(0))
    db = tmp_path / "h.gpkg"
    assert run(["tracks", "import", str(csv), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "hotspots tracks keygen" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "h.tracks.gpkg").exists()


def test_another_key_is_refused(
    tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "p.csv"
    _pings_csv(csv, np.random.default_rng(0))
    db = tmp_path / "h.gpkg"
    assert (
        run(["tracks", "import", str(csv), "--db", str(db), "--key-file", str(key_file), *KEEP])
        == 0
    )
    other = tmp_path / "other.key"
    assert run(["tracks", "keygen", str(other)]) == 0
    capsys.readouterr()
    assert run(["tracks", "import", str(csv), "--db", str(db), "--key-file", str(other)]) == 2
    assert "is not the one" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.gpx", "<gpx><trk><trkseg><trkpt lat="),
        ("bad.csv", "\x00\x01binary\x00" * 20),
        ("head.csv", "enhet;tid;lat;lon\n"),
    ],
)
def test_unreadable_file_exit_2_names_it_and_stores_nothing(
    tmp_path: Path,
    key_file: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: str,
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="latin-1")
    db = tmp_path / "h.gpkg"
    assert (
        run(["tracks", "import", str(path), "--db", str(db), "--key-file", str(key_file), *KEEP])
        == 2
    )
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert str(path) in err[0]
    assert not (tmp_path / "h.tracks.gpkg").exists()


def test_all_rows_rejected_stores_nothing(
    tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("enhet;tid;lat;lon\nP;igår;59,38;13,50\nP;2026-12-01 10:00;;\n", "utf-8")
    db = tmp_path / "h.gpkg"
    assert (
        run(["tracks", "import", str(path), "--db", str(db), "--key-file", str(key_file), *KEEP])
        == 2
    )
    assert "no usable ping (2 of 2 rows rejected)" in capsys.readouterr().err
    assert not (tmp_path / "h.tracks.gpkg").exists()
    assert (tmp_path / "bad.rejects.csv").exists()


def test_dosage_week_json(
    tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "pings.csv"
    _pings_csv(csv, np.random.default_rng(4))
    plan = tmp_path / "plan.geojson"
    _plan(plan)
    log = tmp_path / "log.csv"
    log.write_text(
        "datum;tid;typ;plats;minuter\n"
        "2026-12-02;22:00;krogkontroll;Krogen;30\n"
        "2026-12-02;;skolbesök;Skolan;45\n"
        "2026-12-02;;skolbesök;Skolan;-5\n",
        encoding="utf-8",
    )
    db = tmp_path / "h.gpkg"
    assert (
        run(["tracks", "import", str(csv), "--db", str(db), "--key-file", str(key_file), *KEEP])
        == 0
    )
    assert run(["activities", "import", str(log), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "accepted: 2" in out
    assert "rejected: 1" in out
    assert (
        run(["dosage", "--week", "2026-W49", "--plan", str(plan), "--db", str(db), "--json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["week"] == "2026-W49"
    rows = {r["id"]: r for r in doc["suggestions"]}
    assert (rows["FP1"]["visits"], rows["FP1"]["koper_visits"]) == (2, 2)
    assert (rows["TC1"]["visits"], rows["TC1"]["long_visits"]) == (1, 1)
    assert 44 <= rows["TC1"]["tracked_minutes"] <= 48
    assert rows["PC1"]["drive_throughs"] == 1
    assert rows["PC1"]["delivered_minutes"] == 30.0
    assert rows["PC1"]["share_delivered"] == 1.0
    assert [a["place"] for a in doc["unplanned_activities"]] == ["Skolan"]
    assert doc["notes"] == []
    # the text table
    assert (
        run(["dosage", "--week", "2026-W49", "--plan", str(plan), "--db", str(db), "--lang", "en"])
        == 0
    )
    text = capsys.readouterr().out
    assert "Planned against delivered, 2026-W49" in text
    assert "PC1" in text


def test_dosage_refuses_another_weeks_plan(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "plan.geojson"
    _plan(plan, week="2026-W48")
    assert (
        run(["dosage", "--week", "2026-W49", "--plan", str(plan), "--db", str(tmp_path / "h.gpkg")])
        == 2
    )
    assert "plan of 2026-W48" in capsys.readouterr().err


def test_reduce_then_visits_per_place_day_and_shift(
    tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv = tmp_path / "pings.csv"
    _pings_csv(csv, np.random.default_rng(4))
    plan = tmp_path / "plan.geojson"
    _plan(plan)
    db = tmp_path / "h.gpkg"
    assert (
        run(["tracks", "import", str(csv), "--db", str(db), "--key-file", str(key_file), *KEEP])
        == 0
    )
    visits = [
        "tracks",
        "visits",
        "--since",
        "2026-11-30",
        "--until",
        "2026-12-07",
        "--places",
        str(plan),
        "--db",
        str(db),
        "--json",
    ]
    capsys.readouterr()
    assert run(visits) == 0
    before = json.loads(capsys.readouterr().out)["rows"]
    assert (
        run(["tracks", "reduce", "--before", "2026-12-03", "--places", str(plan), "--db", str(db)])
        == 0
    )
    out = capsys.readouterr().out
    assert "places: 3 from plan.geojson registered" in out
    assert "reduced to 3 stops" in out
    assert run(visits) == 0
    after = json.loads(capsys.readouterr().out)["rows"]
    assert after == before
    by_place = {r["place_id"]: r for r in after}
    assert by_place["FP1"]["shift"] == "kväll"
    assert by_place["FP1"]["koper_visits"] == 2
    assert by_place["PC1"]["drive_throughs"] == 1
