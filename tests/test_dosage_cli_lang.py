"""`hotspots dosage` speaks the language of --lang: Swedish by default, English on request."""

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


@pytest.fixture
def tracked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """A store with one evening's track (12 min at the loop) and a plan of W49."""
    for name in ("HOTSPOTS_TRACKS_KEY", "HOTSPOTS_TRACKS_DB", "HOTSPOTS_DB"):
        monkeypatch.delenv(name, raising=False)
    key = tmp_path / "k.key"
    assert run(["tracks", "keygen", str(key)]) == 0
    wps = [Waypoint(X0 - 500, Y0), Waypoint(X0, Y0, 12 * 60), Waypoint(X0 + 900, Y0 + 900)]
    pings, _ = simulate_track(
        wps, unit="P1", start=pd.Timestamp("2026-12-01 19:00", tz=TZ), rng=np.random.default_rng(2)
    )
    local = pd.to_datetime(pings["t_ms"], unit="ms", utc=True).dt.tz_convert(TZ)
    csv = tmp_path / "pings.csv"
    pd.DataFrame(
        {"unit": pings["unit"], "time": local.dt.strftime("%Y-%m-%d %H:%M:%S"),
         "x": pings["x"], "y": pings["y"]}
    ).to_csv(csv, sep=";", index=False)  # fmt: skip
    db = tmp_path / "h.gpkg"
    assert run(["tracks", "import", str(csv), "--db", str(db), "--key-file", str(key),
                "--keep-days", "36500"]) == 0  # fmt: skip
    loop = LineString([(X0, Y0), (X0 + 200, Y0), (X0 + 200, Y0 + 200), (X0, Y0)])
    plan = gpd.GeoDataFrame(
        {"id": ["FP1", "PC1"], "kind": ["foot_patrol", "pub_check"],
         "place": ["Stora torget", "Krogen"], "allocated_minutes": [60, 30],
         "visit_minutes": [15, 30]},
        geometry=[loop, Point(X0 + 3000, Y0)],
        crs="EPSG:3006",
    )  # fmt: skip
    doc = json.loads(plan.to_crs(4326).to_json())
    doc["properties"] = {"week": "2026-W49"}
    path = tmp_path / "plan.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return db, path


def _text(db: Path, plan: Path, capsys: pytest.CaptureFixture[str], *lang: str) -> str:
    capsys.readouterr()
    args = ["dosage", "--week", "2026-W49", "--plan", str(plan), "--db", str(db), *lang]
    assert run(args) == 0
    return capsys.readouterr().out


def test_swedish_by_default(tracked: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    out = _text(*tracked, capsys)
    assert "Planerat mot levererat, 2026-W49" in out
    assert "Fotpatrull: 60 min planerat" in out
    for swedish in ("besök", "genomfarter", "oplanerade i loggen"):
        assert swedish in out
    assert "Krogkontroll: 30 min planerat, 0 levererat (0 %)" in out
    for english in ("planned", "delivered", "visits", "drive-throughs", "foot_patrol", "note:"):
        assert english not in out


def test_english_on_request(tracked: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    out = _text(*tracked, capsys, "--lang", "en")
    assert "Planned against delivered, 2026-W49" in out
    assert "Foot patrol: 60 min planned" in out
    assert "Pub check: 30 min planned, 0 delivered (0 %)" in out
    assert "planerat" not in out
    assert "Fotpatrull" not in out
