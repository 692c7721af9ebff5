from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hotspots.cli import run


@pytest.fixture
def incidents_csv(tmp_path: Path) -> Path:
    """A year of incidents around 30 addresses in Karlstad (EPSG:3006 x/y)."""
    rng = np.random.default_rng(7)
    n = 500
    addr = rng.uniform(0, 2000, size=(30, 2)) + np.array([413_000, 6_584_000])
    k = rng.integers(0, 30, n)
    x = addr[k, 0] + rng.normal(0, 40, n)
    y = addr[k, 1] + rng.normal(0, 40, n)
    t = pd.Timestamp("2025-01-01") + pd.to_timedelta(rng.uniform(0, 365, n), "D")
    path = tmp_path / "incidents.csv"
    pd.DataFrame(
        {
            "occurred_at": t.strftime("%Y-%m-%dT%H:%M"),
            "category": "assault_public",
            "x": x.round(1),
            "y": y.round(1),
        }
    ).to_csv(path, index=False)
    return path


def test_json_shape(incidents_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "evaluate",
            str(incidents_csv),
            "--split",
            "2025-10-01",
            "--coverage",
            "0.01,0.05,0.10",
            "--method",
            "naive,kde,auto",
            "--json",
            "--budget",
            "64",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    doc = json.loads(out)
    assert doc["n_train"] + doc["n_test"] + doc["n_test_outside_study_area"] == 500
    assert doc["n_test"] > 0
    assert doc["study_area_km2"] > 0
    assert set(doc["methods"]) == {"naive", "kde", "auto"}
    for per in doc["methods"].values():
        assert set(per) == {"0.01", "0.05", "0.1"}
        for m in per.values():
            assert set(m) == {"hit_rate", "pai", "pei"}
            assert 0 <= m["hit_rate"] <= 1
            assert 0 <= m["pei"] <= 1 + 1e-9
            assert m["pai"] >= 0
    assert set(doc["stability"]) == {"coverage", "naive", "kde", "auto"}
    assert set(doc["stability"]["kde"]) == {"grid_shift", "bandwidth_minus_25", "bandwidth_plus_25"}
    assert set(doc["auto"]) == {"0.01", "0.05", "0.1"}
    assert doc["auto"]["0.05"]["backtest"]["coverage"] == 0.05


def test_table_and_png(
    incidents_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    png = tmp_path / "curves.png"
    code = run(
        [
            "evaluate",
            str(incidents_csv),
            "--split",
            "2025-10-01",
            "--method",
            "naive,kde:150",
            "--png",
            str(png),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "hit rate (PAI, PEI*)" in out
    assert "kde:150" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--coverage", "0.05,2"], "--coverage"),
        (["--coverage", "abc"], "--coverage"),
        (["--method", "magic"], "--method"),
        (["--method", "kde:wide"], "--method"),
        (["--split", "2025-13-01"], "--split"),
        (["--split", "2025-10-01", "--until", "2025-09-01"], "--until"),
        (["--split", "2030-01-01"], "split"),
        (["--split", "2024-01-01"], "split"),
        (["--kernel", "boxy"], "--kernel"),
        (["--bandwidth-m", "-5"], "--bandwidth-m"),
    ],
)
def test_bad_arguments_exit_2(
    incidents_csv: Path, args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["evaluate", str(incidents_csv)]
    if "--split" not in args:
        base += ["--split", "2025-10-01"]
    code = run(base + args + ["--method", "naive"] if "--method" not in args else base + args)
    err = capsys.readouterr().err
    assert code == 2
    assert needle in err
    assert "Traceback" not in err


def test_missing_split_exits_2(incidents_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["evaluate", str(incidents_csv)]) == 2
    assert "--split" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["evaluate", str(tmp_path / "nope.csv"), "--split", "2025-10-01"]) == 2
    assert "nope.csv" in capsys.readouterr().err


def test_study_area_is_the_land_of_the_geography(
    incidents_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Karlstad data: the same study area as detect and the app (land, no water)."""
    from hotspots.spatial.geography import default_geography

    geo = default_geography()
    areas = {}
    for study in ("urban", "municipality"):
        args = ["evaluate", str(incidents_csv), "--split", "2025-10-01", "--method", "naive"]
        assert run([*args, "--json", "--study-area", study]) == 0
        doc = json.loads(capsys.readouterr().out)
        areas[study] = doc["study_area_km2"]
        land = geo.with_study_area(study).land.area / 1e6
        assert doc["study_area_km2"] == pytest.approx(land, rel=0.02)
    assert doc["study_area"] == "land of the municipality"
    assert areas["urban"] < areas["municipality"]
