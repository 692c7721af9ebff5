"""``hotspots snapshot`` through hotspots.cli.run."""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import pytest

from hotspots.cli import run


@pytest.fixture
def csv_file(tmp_path: Path, town_incidents: gpd.GeoDataFrame) -> Path:
    inc = town_incidents
    frame = inc.drop(columns="geometry").copy()
    frame["x"] = inc.geometry.x
    frame["y"] = inc.geometry.y
    frame["occurred_at"] = frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    cols = ["id", "occurred_at", "category", "x", "y", "precision", "source", "description"]
    path = tmp_path / "incidents.csv"
    frame[cols].to_csv(path, index=False)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("suffix", [".html", ".png", ".pdf"])
def test_snapshot_writes(tmp_path: Path, csv_file: Path, capsys, suffix: str) -> None:
    out = tmp_path / f"map{suffix}"
    code = run(["snapshot", str(csv_file), "--out", str(out), "--privacy", "public", "--lang", "en",
                "--db", str(tmp_path / "none.gpkg")])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert out.stat().st_size > 1000
    assert "public profile" in capsys.readouterr().out


@pytest.mark.slow
def test_snapshot_html_has_incident_points_only_internally(
    tmp_path: Path, csv_file: Path, town_incidents: gpd.GeoDataFrame, capsys
) -> None:
    """The internal page carries the incident points (ids included), the public one none."""
    lone_id = town_incidents.loc[town_incidents["category"] == "robbery", "id"].item()
    pages = {}
    for privacy in ("internal", "public"):
        out = tmp_path / f"{privacy}.html"
        code = run(["snapshot", str(csv_file), "--out", str(out), "--privacy", privacy,
                    "--lang", "en", "--db", str(tmp_path / "none.gpkg")])  # fmt: skip
        assert code == 0, capsys.readouterr().err
        pages[privacy] = out.read_text(encoding="utf-8")
    assert "maxClusterRadius: 40" in pages["internal"]  # the incident layer
    assert f'"{lone_id}"' in pages["internal"]  # the lone robbery among its points
    assert "maxClusterRadius: 40" not in pages["public"]
    assert re.findall(r'"syn\d+"', pages["public"]) == []  # no incident id at all


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "map.svg"], ".html, .png or .pdf"),
        (["--out", "map.html", "--privacy", "open"], "internal, planning or public"),
        (["--out", "map.html", "--lang", "de"], "sv or en"),
        (["--out", "map.html", "--tiles", "bad"], "HOTSPOTS_TILES"),
        ([], "--out"),
    ],
)
def test_snapshot_bad_arguments(tmp_path: Path, csv_file: Path, capsys, args, message) -> None:
    code = run(["snapshot", str(csv_file), *args])
    assert code == 2
    assert message in capsys.readouterr().err


def test_snapshot_is_registered(csv_file: Path, capsys) -> None:
    assert run(["snapshot", "--help"]) == 0
    assert "--privacy" in capsys.readouterr().out
