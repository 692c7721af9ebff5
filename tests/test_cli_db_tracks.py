"""``hotspots db check`` lists the patrol tracks' tables with their rows, in both backends.

A GeoPackage store keeps its tracks in ``<store>.tracks.gpkg`` beside it, a PostgreSQL store
in its own ``tracks_*`` tables; the tracks are put there by the real commands (``tracks
import``, ``activities import``) and counted back by ``db check``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.cli import run
from hotspots.dosage.synthetic import Waypoint, simulate_track
from hotspots.store import is_database_url

X0, Y0 = 414_000.0, 6_583_000.0
TZ = "Europe/Stockholm"
TABLES = ("pings", "stops", "passages", "places", "reduced", "activities", "imports")


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOTSPOTS_TRACKS_DB", "HOTSPOTS_TRACKS_KEY", "HOTSPOTS_DB"):
        monkeypatch.delenv(name, raising=False)


def _check(store_db: str, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, dict]:
    code = run(["db", "check", "--json", "--db", store_db, *more])
    return code, json.loads(capsys.readouterr().out)


def _import_tracks(store_db: str, tmp_path: Path) -> int:
    """Import one unit's evening (one 12-minute stop) and one logged school visit."""
    key = tmp_path / "k.key"
    assert run(["tracks", "keygen", str(key)]) == 0
    wps = [Waypoint(X0 - 500, Y0), Waypoint(X0, Y0, 12 * 60), Waypoint(X0 + 800, Y0 + 800)]
    pings, _ = simulate_track(
        wps,
        unit="Patrull 2010",
        start=pd.Timestamp("2026-12-01 19:00", tz=TZ),
        rng=np.random.default_rng(4),
    )
    local = pd.to_datetime(pings["t_ms"], unit="ms", utc=True).dt.tz_convert(TZ)
    csv = tmp_path / "pings.csv"
    pd.DataFrame(
        {
            "enhet": pings["unit"],
            "tid": local.dt.strftime("%Y-%m-%d %H:%M:%S"),
            "x": pings["x"].round(2),
            "y": pings["y"].round(2),
        }
    ).to_csv(csv, sep=";", index=False)
    args = ["tracks", "import", str(csv), "--db", store_db, "--key-file", str(key)]
    assert run([*args, "--keep-days", "36500"]) == 0
    log = tmp_path / "log.csv"
    log.write_text("datum;typ;plats;minuter\n2026-12-02;skolbesök;Skolan;45\n", encoding="utf-8")
    assert run(["activities", "import", str(log), "--db", store_db]) == 0
    return len(pings)


def test_db_check_lists_the_tracks_tables_with_their_rows(
    store_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pg = is_database_url(store_db)
    assert run(["db", "init", "--db", store_db]) == 0
    capsys.readouterr()
    # no tracks yet: said so, and not a problem
    code, got = _check(store_db, capsys)
    assert code == 0
    assert got["ok"]
    tracks = got["tracks"]
    assert tracks["present"] is False
    assert tracks["counts"] == {}
    if pg:
        assert tracks["backend"] == "postgresql"
        assert tracks["location"].startswith("postgresql://")
    else:
        assert tracks["backend"] == "geopackage"
        assert tracks["location"] == str(tmp_path / "store.tracks.gpkg")
    n_pings = _import_tracks(store_db, tmp_path)
    capsys.readouterr()
    code, got = _check(store_db, capsys)
    assert code == 0
    assert got["ok"]
    tracks = got["tracks"]
    assert tracks["present"] is True
    assert tracks["schema_version"] == tracks["current_version"] == 1
    names = [f"tracks_{t}" for t in TABLES] if pg else list(TABLES)
    assert list(tracks["counts"]) == names
    counts = dict(zip(TABLES, tracks["counts"].values(), strict=True))
    assert counts == {
        "pings": n_pings,
        "stops": 0,  # nothing reduced yet: the stops are found from the raw pings
        "passages": 0,
        "places": 0,
        "reduced": 0,
        "activities": 1,
        "imports": 2,  # the pings file and the log
    }
    assert got["counts"]["incidents"] == 0  # the store's own layers as before
    # the text lists the same tables and rows
    assert run(["db", "check", "--db", store_db]) == 0
    out = capsys.readouterr().out.splitlines()
    at = next(k for k, line in enumerate(out) if line.startswith("tracks: "))
    assert ("tables in the store" if pg else "file beside the store") in out[at]
    assert out[at + 1 : at + 1 + len(TABLES)] == [
        f"  {name}: {count}" for name, count in zip(names, counts.values(), strict=True)
    ]
    assert out[-1] == "integrity: ok"


def test_a_broken_tracks_file_is_a_problem_of_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store.gpkg")
    assert run(["db", "init", "--db", store]) == 0
    (tmp_path / "store.tracks.gpkg").write_bytes(b"not a database at all" * 100)
    capsys.readouterr()
    code, got = _check(store, capsys)
    assert code == 1
    assert not got["ok"]
    assert got["schema_version"] >= 1  # the store itself was still checked
    assert got["tracks"]["location"] == str(tmp_path / "store.tracks.gpkg")
    assert "tracks file" in got["tracks"]["problems"][0]
    assert run(["db", "check", "--db", store]) == 1
    out = capsys.readouterr().out
    assert "problem: tracks: " in out
    assert "integrity: ok" not in out


def test_tracks_db_names_another_tracks_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = str(tmp_path / "store.gpkg")
    other = tmp_path / "elsewhere" / "t.gpkg"
    assert run(["db", "init", "--db", store]) == 0
    capsys.readouterr()
    code, got = _check(store, capsys, "--tracks-db", str(other))
    assert code == 0
    assert got["tracks"]["location"] == str(other)
    assert got["tracks"]["present"] is False
