"""``--weights count|harm|FILE`` on evaluate, snapshot and report (plan: test_cli_plan_priorities).

evaluate, golden by hand: two addresses in Stockholm 2 km apart (outside the demo geography,
so the study area is the data's surroundings), every incident of one address at one point.
Before the split, address A has 10 incidents and B 5; after it, A has 4 vandalism (harm 2
each, 8 in all) and B 2 robberies (harm 20 each, 40 in all). At a coverage of one cell the
plain counts pick A's cell:

- by count they capture 4 of 6 test incidents (hit rate 0.6667), the best cell too (PEI* 1);
- by harm they capture 8 of 48 (0.1667), and the best cell (B, 40 of 48) would have held
  0.8333, so PEI* = 0.1667 / 0.8333 = 0.2.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from hotspots.cli import run

pytestmark = pytest.mark.slow

X0, Y0 = 674_000.0, 6_580_000.0
RESTRICTED = ("domestic_violence", "sexual_offence", "Våld i nära relation", "Sexualbrott",
              "Violence in close relationships", "Sexual offence")  # fmt: skip


def _two_addresses(path: Path) -> Path:
    rows = []

    def add(n: int, start: str, x: float, category: str) -> None:
        for i in range(n):
            t = pd.Timestamp(start) + pd.Timedelta(days=9 * i, hours=i % 5)
            rows.append({"occurred_at": t.isoformat(), "category": category, "x": x, "y": Y0})

    add(10, "2025-01-03 20:00", X0 + 12.5, "assault_public")
    add(5, "2025-02-03 20:00", X0 + 2012.5, "assault_public")
    add(4, "2025-10-02 21:00", X0 + 12.5, "vandalism")
    add(2, "2025-10-04 21:00", X0 + 2012.5, "robbery")
    frame = pd.DataFrame(rows)
    frame.insert(0, "id", [f"e{i}" for i in range(len(frame))])
    frame.to_csv(path, index=False)
    return path


def _evaluate(src: Path, *extra: str, capsys: pytest.CaptureFixture[str]) -> dict:
    code = run(["evaluate", str(src), "--split", "2025-10-01", "--method", "naive",
                "--cell-m", "50", "--buffer-m", "100", "--json", *extra])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_evaluate_weights_harm_scores_the_share_of_harm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _two_addresses(tmp_path / "two.csv")
    first = _evaluate(src, capsys=capsys)
    cells = round(first["study_area_km2"] / 0.05**2)
    one_cell = f"{1.5 / cells:.6f}"  # floor(1.5) = 1 cell
    count = _evaluate(src, "--coverage", one_cell, capsys=capsys)
    harm = _evaluate(src, "--coverage", one_cell, "--weights", "harm", capsys=capsys)
    (c,) = count["methods"]["naive"].values()
    (h,) = harm["methods"]["naive"].values()
    assert c["hit_rate"] == pytest.approx(4 / 6, abs=1e-6)
    assert c["pei"] == pytest.approx(1.0)
    assert h["hit_rate"] == pytest.approx(8 / 48, abs=1e-6)
    assert h["pei"] == pytest.approx((8 / 48) / (40 / 48), abs=1e-6)
    assert h["pai"] == pytest.approx(c["pai"] * (8 / 48) / (4 / 6), rel=1e-6)
    assert count["n_test"] == 6
    assert harm["n_test"] == pytest.approx(48.0)
    assert harm["n_train"] == count["n_train"] == 15  # training stays on counts
    assert harm["weights"]["name"] == "harm"
    assert set(harm["weights"]["weights"]).isdisjoint(RESTRICTED)

    # a file with halves: whole test rows at scale 2, the shares unchanged by the scale
    table = tmp_path / "halves.csv"
    lines = ["code;weight;source;date"]
    from hotspots.core.taxonomy import CODES

    for code in CODES:
        weight = {"vandalism": "0,5", "robbery": "2,5"}.get(code, "1")
        lines.append(f"{code};{weight};test;2026-01-01")
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    halves = _evaluate(src, "--coverage", one_cell, "--weights", str(table), capsys=capsys)
    (f,) = halves["methods"]["naive"].values()
    assert f["hit_rate"] == pytest.approx(2 / 7, abs=1e-6)  # 4 x 0.5 of 4 x 0.5 + 2 x 2.5
    assert halves["n_test"] == pytest.approx(7.0)


def test_evaluate_text_says_it_scores_harm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = _two_addresses(tmp_path / "two.csv")
    code = run(["evaluate", str(src), "--split", "2025-10-01", "--method", "naive",
                "--cell-m", "50", "--weights", "harm"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "weights: harm (months of average sentence)" in out
    assert "test: 48.0 harm" in out
    assert "share of test harm captured" in out


@pytest.mark.parametrize("command", ["evaluate", "snapshot", "report", "detect", "plan"])
def test_bad_weights_file_exit_2_naming_file_row_column(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "weights.csv"
    bad.write_text("code;weight;source;date\nrobbery;20;x;2026-13-01\n", encoding="utf-8")
    src = _two_addresses(tmp_path / "two.csv")
    args = {
        "evaluate": ["evaluate", str(src), "--split", "2025-10-01"],
        "snapshot": ["snapshot", str(src), "--out", str(tmp_path / "m.html")],
        "report": ["report", "--out", str(tmp_path / "r.html")],
        "detect": ["detect", str(src), "--out", str(tmp_path / "h.geojson")],
        "plan": ["plan", str(src), "--out", str(tmp_path / "p.geojson")],
    }[command]
    code = run([*args, "--weights", str(bad), "--db", str(tmp_path / "none.gpkg")])
    err = capsys.readouterr().err
    assert code == 2
    assert "weights.csv, line 2, column date: '2026-13-01' is not a date" in err
    assert "Traceback" not in err
    assert run([*args, "--weights", "severity", "--db", str(tmp_path / "none.gpkg")]) == 2
    assert "neither count, harm nor an existing file" in capsys.readouterr().err


def _weights_file(path: Path, **weights: str) -> Path:
    from hotspots.core.taxonomy import CODES

    lines = ["code;weight;source;date"]
    lines += [f"{c};{weights.get(c, '1')};test figure;2026-01-01" for c in CODES]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("privacy", ["internal", "public"])
def test_snapshot_weights_draws_harm_without_restricted_harm(
    privacy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from test_cli_detect import _csv

    src = _csv(tmp_path)  # 80 + 80 restricted incidents in one tight place
    table = _weights_file(tmp_path / "w.csv", domestic_violence="1000", sexual_offence="1000")
    out = tmp_path / "map.html"
    code = run(["snapshot", str(src), "--out", str(out), "--weights", str(table),
                "--privacy", privacy, "--db", str(tmp_path / "none.gpkg")])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "harm hotspots from 250 incidents" in captured.out  # 100 planted + 150 background
    page = out.read_text(encoding="utf-8")
    assert "Skadev\\u00e4rde per km\\u00b2" in page or "Skadevärde per km²" in page
    for word in RESTRICTED:
        assert word not in page
        assert json.dumps(word)[1:-1] not in page
    png = tmp_path / "map.png"
    assert run(["snapshot", str(src), "--out", str(png), "--weights", "harm",
                "--privacy", privacy, "--db", str(tmp_path / "none.gpkg")]) == 0  # fmt: skip
    assert png.stat().st_size > 10_000


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one year of demo incidents ending 2026-11-22."""
    import datetime as dt

    from hotspots.demo import generate_demo
    from hotspots.spatial.geography import default_geography
    from hotspots.store import open_store

    db = tmp_path_factory.mktemp("weights") / "store.gpkg"
    data = generate_demo(default_geography(), seed=11, end=dt.date(2026, 11, 23), years=1)
    open_store(db).upsert_incidents(data.incidents.assign(import_id="demo"))
    return db


def test_report_weights_harm_adds_the_harm_section(
    demo_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pypdf import PdfReader

    out = tmp_path / "lagesbild.pdf"
    code = run(["report", "--db", str(demo_store), "--week", "2026-W47", "--out", str(out),
                "--weights", "harm", "--privacy", "public"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(out).pages)
    assert "Skadevägda hotspots" in text
    assert "Förhöjd risk" in text
    assert "brottsskadeindex" in text
    for word in RESTRICTED:
        assert word not in text
    html = tmp_path / "lagesbild.html"
    assert run(["report", "--db", str(demo_store), "--week", "2026-W47", "--out", str(html),
                "--lang", "en"]) == 0  # fmt: skip
    page = html.read_text(encoding="utf-8")
    assert "Raised risk" in page
    assert "Harm-weighted hotspots" not in page  # count weights: no harm section
