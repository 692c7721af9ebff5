"""``hotspots plan --weights`` and the reactive default (``--include-proactive``), end to end."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point
from test_cli_plan import _write_incidents

from hotspots.cli import run
from hotspots.core.schema import TIMEZONE
from hotspots.io.csv_safety import read_excel_csv
from hotspots.spatial.crs import to_metric
from hotspots.spatial.geography import default_geography

pytestmark = pytest.mark.slow

RESTRICTED = ("domestic_violence", "Våld i nära relation", "Violence in close relationships")


def _with_dealing(path: Path) -> tuple[float, float]:
    """The plan test's incidents plus 50 drug-dealing incidents at a square (proactive only)."""
    spots = _write_incidents(path)
    geo = default_geography()
    minx, miny, maxx, maxy = geo.urban.bounds
    centre = Point((minx + maxx) / 2, (miny + maxy) / 2)
    taken = [Point(*spots["night"]), Point(*spots["dui"]), centre]
    squares = geo.places[geo.places["kind"].isin(["square", "park"])].geometry
    squares = squares[squares.within(geo.urban)]
    far = squares.apply(lambda g: min(g.distance(p) for p in taken))
    square = squares[far == far.max()].iloc[0].representative_point()
    rng = np.random.default_rng(5)
    monday = pd.Timestamp("2026-01-05", tz=TIMEZONE)
    weeks, minutes = rng.integers(0, 40, 50), rng.integers(0, 120, 50)
    times = [monday + pd.Timedelta(days=7 * int(w) + 2, hours=15, minutes=int(m))
             for w, m in zip(weeks, minutes, strict=True)]  # fmt: skip
    extra = pd.DataFrame(
        {
            "id": [f"d{i}" for i in range(50)],
            "occurred_at": [t.tz_localize(None).isoformat() for t in times],
            "category": "drug_dealing",
            "x": np.round(rng.normal(square.x, 30, 50), 1),
            "y": np.round(rng.normal(square.y, 30, 50), 1),
        }
    )
    frame = pd.concat([pd.read_csv(path), extra], ignore_index=True)
    frame.to_csv(path, index=False)
    return square.x, square.y


def _plan(tmp_path: Path, src: Path, *extra: str) -> dict:
    out = tmp_path / "plan.geojson"
    code = run(["plan", str(src), "--db", str(tmp_path / "none.gpkg"), "--out", str(out),
                "--cell-m", "50", "--kinds", "foot_patrol,pub_check", *extra])  # fmt: skip
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8"))


def _near(doc: dict, xy: tuple[float, float], within_m: float = 300.0) -> list[dict]:
    if not doc["features"]:
        return []
    frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    frame = to_metric(frame, "EPSG:3006")
    near = frame.geometry.distance(Point(*xy)) <= within_m
    return [f["properties"] for f, ok in zip(doc["features"], near, strict=True) if ok]


def test_proactive_cluster_is_planned_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "incidents.csv"
    square = _with_dealing(src)
    default = _plan(tmp_path, src)
    out = capsys.readouterr().out
    assert not _near(default, square)
    assert default["include_proactive"] is False
    assert default["n_proactive"] == 50 + 30  # the dealing and the drink driving
    assert "proactive incidents (found by police activity), not ranked on: 80" in out
    assert all("proactive_nearby" in f["properties"] for f in default["features"])

    asked = _plan(tmp_path, src, "--include-proactive")
    out = capsys.readouterr().out
    near = _near(asked, square)
    assert near, "no suggestion at the drug-dealing square with --include-proactive"
    assert any(p["evidence"].get("drug_dealing", 0) >= 30 for p in near)
    assert any(p["proactive_nearby"] >= 30 for p in near)
    assert "ranked on too: 80" in out


def test_only_proactive_categories_need_the_flag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "incidents.csv"
    _with_dealing(src)
    code = run(["plan", str(src), "--db", str(tmp_path / "none.gpkg"), "--out",
                str(tmp_path / "p.geojson"), "--category", "drug_dealing"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "--include-proactive" in err
    assert "Traceback" not in err


def test_plan_weights_harm_ranks_by_harm_without_restricted_harm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "incidents.csv"
    _write_incidents(src)
    csv = tmp_path / "plan.csv"
    doc = _plan(tmp_path, src, "--weights", "harm", "--csv", str(csv))
    assert doc["harm"]["weights"]["name"] == "harm"
    assert set(doc["harm"]["weights"]["weights"]).isdisjoint(RESTRICTED)
    ranked = [f["properties"] for f in doc["features"]]
    assert ranked
    assert all("harm_per_week" in p for p in ranked)
    # ranked by harm per week: the harm column falls along the ranks
    harm = [p["harm_per_week"] for p in ranked]
    assert harm == sorted(harm, reverse=True)
    text = json.dumps(doc, ensure_ascii=False)
    for word in RESTRICTED:
        assert word not in text
    table = read_excel_csv(csv.read_bytes())
    assert "Skadevärde per vecka" in table.columns
    assert "Proaktiva händelser i närheten" in table.columns


def test_plan_bad_weights_file_exit_2_naming_file_line_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "weights.csv"
    bad.write_text("code;weight;source;date\nrobbery;-3;mine;2026-01-01\n", encoding="utf-8")
    code = run(["plan", "--db", str(tmp_path / "none.gpkg"), "--out",
                str(tmp_path / "p.geojson"), "--weights", str(bad)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "weights.csv, line 2, column weight" in err
    assert "Traceback" not in err
