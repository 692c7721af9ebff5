from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from hotspots.cli import run
from hotspots.store import open_store

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with one year of demo incidents and survey marks ending 2026-11-22."""
    from hotspots.demo import generate_demo
    from hotspots.spatial.geography import default_geography

    db = tmp_path_factory.mktemp("report") / "store.gpkg"
    data = generate_demo(default_geography(), seed=11, end=dt.date(2026, 11, 23), years=1)
    s = open_store(db)
    s.upsert_incidents(data.incidents.assign(import_id="demo"))
    s.upsert_survey(data.survey.assign(import_id="demo"))
    return db


def test_actions_added_and_edited_appear_in_the_next_report(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(store)
    out = tmp_path / "lagesbild.html"
    fast = ["--cell-m", "100", "--bandwidth-m", "300"]
    assert run(["report", "--week", "2026-W47", "--out", str(out), "--db", db, *fast]) == 0
    assert "2026-W47" in capsys.readouterr().out
    first = out.read_text(encoding="utf-8")
    assert "Inga öppna åtgärder" in first

    code = run(
        [
            "actions",
            "add",
            "--db",
            db,
            "--place",
            "Stora torget",
            "--problem",
            "violence",
            "--actor",
            "polis",
            "--action",
            "fotpatrull",
            "--date",
            "2026-10-05",
            "--follow-up",
            "2026-11-26",
            "--note",
            "<script>x</script>",
        ]
    )
    assert code == 0
    assert run(["actions", "edit", "A-0001", "--db", db, "--status", "pågår"]) == 0
    capsys.readouterr()
    assert run(["report", "--week", "2026-W47", "--out", str(out), "--db", db, *fast]) == 0
    page = out.read_text(encoding="utf-8")
    assert "A-0001" in page
    assert "pågår" in page
    assert "Uppföljningar att göra" in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    assert "<script>" not in page

    public = tmp_path / "public.html"
    assert (
        run(
            [
                "report",
                "--week",
                "2026-W47",
                "--out",
                str(public),
                "--db",
                db,
                "--privacy",
                "public",
                "--lang",
                "en",
                *fast,
            ]
        )
        == 0
    )
    text = public.read_text(encoding="utf-8")
    assert "A-0001" not in text
    assert "Sexual offence" not in text
    assert "Public version" in text


def test_pdf_report_default_week(store: Path, tmp_path: Path) -> None:
    out = tmp_path / "lagesbild.pdf"
    # no period option: the last complete ISO week in the data, W47
    fast = ["--cell-m", "100", "--bandwidth-m", "300"]
    assert run(["report", "--out", str(out), "--db", str(store), *fast]) == 0
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b", data)) >= 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "x.docx"], "must end in .pdf or .html"),
        (["--out", "x.pdf", "--week", "2026-W47", "--month", "2026-10"], "only one kind"),
        (["--out", "x.pdf", "--week", "2026-W60"], "does not exist"),
        (["--out", "x.pdf", "--week", "2026-W53"], "latest complete week with data is 2026-W47"),
        (["--out", "x.pdf", "--since", "2026-11-01"], "go together"),
        (["--out", "x.pdf", "--privacy", "secret"], "not a profile"),
        (["--out", "x.pdf", "--lang", "de"], "not a language"),
    ],
)
def test_report_errors_exit_2(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    assert run(["report", "--db", str(store), *args]) == 2
    assert message in capsys.readouterr().err


def test_report_without_store_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["report", "--out", str(tmp_path / "x.pdf"), "--db", str(tmp_path / "none.gpkg")])
    assert code == 2
    assert "no store" in capsys.readouterr().err


def test_the_report_s_maps_lie_on_the_basemap(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import base64
    import io

    import numpy as np
    from PIL import Image
    from wmts_server import BACKGROUND, serve

    out = tmp_path / "lagesbild.html"
    fast = ["--cell-m", "100", "--bandwidth-m", "300", "--week", "2026-W47"]
    with serve((413_700.0, 6_584_300.0)) as server:
        spec = (
            f"wmts:{server.url}/wmts/1.0.0/topowebb/default/3006/{{TileMatrix}}/{{TileRow}}/"
            "{TileCol}.png#topowebb@3006"
        )
        code = run(["report", "--out", str(out), "--db", str(store), *fast, "--basemap", spec])
        assert code == 0, capsys.readouterr().err
        tiles = [p for p in server.requests if "/topowebb/default/3006/" in p]
    assert tiles
    page = out.read_text(encoding="utf-8")
    images = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", page)
    assert images
    shares = []
    for data in images:
        pixels = np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))
        shares.append(float((pixels == np.array(BACKGROUND, dtype=np.uint8)).all(axis=-1).mean()))
    assert max(shares) > 0.05  # the hotspot map lies on the server's pale ground
