"""``hotspots snapshot`` through hotspots.cli.run."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_privacy import X0, incidents

from hotspots.cli import run


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    inc = incidents()
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
    if suffix == ".html":
        page = out.read_text(encoding="utf-8")
        assert "maxClusterRadius: 40" not in page  # no incident layer
        assert f"{X0 + 600.0:.0f}" not in page


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "map.svg"], ".html, .png or .pdf"),
        (["--out", "map.html", "--privacy", "open"], "internal or public"),
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
