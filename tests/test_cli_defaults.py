"""The commands and the app agree by default: same settings, same bandwidth, same hotspots.

Issue 14, item 10: on one store ``snapshot`` found 16 hotspots and the app 22, because the
commands used 200 m and the app its automatic bandwidth. Now ``detect``, ``snapshot`` and
``plan`` open with the app's settings (:data:`hotspots.core.config.OPENING`) and choose the
automatic bandwidth as the app does, from the same tuning file beside the store.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotspots.cli import run
from hotspots.core.config import OPENING
from hotspots.demo.synthetic import PlantedCluster, planted_incidents
from hotspots.forecast.tuning_cache import cache_path
from hotspots.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def karlstad_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A year of incidents in central Karlstad (the demo geography and its urban area apply):
    two planted clusters (one violent at night) and background."""
    cx, cy = 413_600.0, 6_584_200.0
    frame = planted_incidents(
        [
            PlantedCluster(cx, cy, radius_m=80.0, n=150, category="assault_public"),
            PlantedCluster(cx + 900.0, cy - 500.0, radius_m=120.0, n=90, category="vandalism"),
        ],
        background_n=600,
        bounds=(cx - 2500.0, cy - 2000.0, cx + 2500.0, cy + 2000.0),
        days=364,
        seed=21,
        background_categories=["disorder", "vandalism", "assault_public", "shoplifting"],
    )
    path = tmp_path_factory.mktemp("defaults") / "store.gpkg"
    open_store(path).upsert_incidents(frame, provenance={"file_name": "karlstad.csv"})
    return path


def _app_hotspots(store: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """The number of hotspots the app's map page shows with its opening widgets."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("HOTSPOTS_DB", str(store))
    monkeypatch.delenv("HOTSPOTS_PASSWORD", raising=False)
    monkeypatch.delenv("HOTSPOTS_GEOGRAPHY", raising=False)
    at = AppTest.from_file(str(app_script), default_timeout=240)
    at.run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    return int(metrics["Brottskoncentrationer"])


def test_detect_snapshot_and_the_app_find_the_same_hotspots(
    karlstad_store: Path,
    tmp_path: Path,
    app_script: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "hotspots.geojson"
    assert run(["detect", "--db", str(karlstad_store), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    # the settings it used, and that they are the app's
    assert f"kernel {OPENING.kernel}" in err
    assert "(automatic)" in err
    assert f"cell {OPENING.cell_m} m, coverage 5 %, study area {OPENING.study}" in err
    assert "the same as the app opens with" in err
    doc = json.loads(out.read_text(encoding="utf-8"))
    detect_n = sum(f["properties"]["kind"] == "crime" for f in doc["features"])
    bandwidth = doc["bandwidth_m"]
    # the bandwidth is the one kept beside the store for the app
    saved = json.loads(cache_path(karlstad_store).read_text(encoding="utf-8"))
    assert list(saved.values()) == [bandwidth]
    assert bandwidth != 200  # not the old fixed default

    html = tmp_path / "map.html"
    assert run(["snapshot", "--db", str(karlstad_store), "--out", str(html)]) == 0
    printed = capsys.readouterr()
    assert "the same as the app opens with" in printed.err
    snapshot_n = int(printed.out.split(" hotspots")[0])

    app_n = _app_hotspots(karlstad_store, app_script, monkeypatch)
    assert detect_n >= 1
    assert detect_n == snapshot_n == app_n, (detect_n, snapshot_n, app_n, bandwidth)


def test_a_setting_that_differs_from_the_app_is_named(
    karlstad_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "h.geojson"
    args = ["detect", "--db", str(karlstad_store), "--out", str(out)]
    assert run([*args, "--bandwidth-m", "200", "--cell-m", "50"]) == 0
    err = capsys.readouterr().err
    assert "bandwidth 200 m, cell 50 m" in err
    assert "the app opens with: bandwidth automatic, cell 25 m" in err
