"""A basemap under PNG and PDF pages: the server's image where the server says it is.

A local map server (tests/wmts_server.py) draws a magenta square centred on a SWEREF 99 TM
point in every tile and GetMap image; the backdrop of a page must have that square at that
point, from a WMTS tile matrix set (tiles stitched) and from a WMS (one GetMap).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from wmts_server import BACKGROUND, MARK_PX, RESOLUTIONS, serve

from hotspots.cli import run
from hotspots.cli._basemap import resolve_basemap
from hotspots.core.errors import InputSchemaError
from hotspots.export.backdrop import MAX_TILES, basemap_backdrop
from hotspots.render.leaflet.basemap import Basemap, parse_basemap
from hotspots.render.static_map import Backdrop

MARK = (511_537.0, 6_571_418.0)
EXTENT = (MARK[0] - 1500.0, MARK[1] - 1000.0, MARK[0] + 1500.0, MARK[1] + 1000.0)


@pytest.fixture(scope="module")
def server() -> Iterator[object]:
    with serve(MARK) as running:
        yield running


def _wmts(server: object) -> str:
    url = server.url  # type: ignore[attr-defined]
    return (
        f"wmts:{url}/wmts/1.0.0/topowebb/default/3006/{{TileMatrix}}/{{TileRow}}/"
        "{TileCol}.png#topowebb@3006"
    )


def _basemap(spec: str, crs: str | None = None) -> Basemap:
    setting, grid = resolve_basemap(spec, crs=crs, grid=None)  # as the commands read it
    basemap = parse_basemap(setting, grid)
    assert basemap is not None
    return basemap


def _mark_at(backdrop: Backdrop) -> tuple[float, float, float]:
    """Where the magenta square's centre is in the backdrop (metres) and its pixel size."""
    px = backdrop.pixels
    hit = (px[..., 0] == 255) & (px[..., 1] == 0) & (px[..., 2] == 255)
    rows, cols = np.nonzero(hit)
    assert len(rows), "no mark in the backdrop"
    xmin, ymin, xmax, ymax = backdrop.extent
    res = (xmax - xmin) / px.shape[1]
    assert res == pytest.approx((ymax - ymin) / px.shape[0])  # square pixels
    return xmin + (cols.mean() + 0.5) * res, ymax - (rows.mean() + 0.5) * res, res


def test_wmts_tiles_are_stitched_with_the_mark_where_it_is(server: object) -> None:
    requests = server.requests  # type: ignore[attr-defined]
    requests.clear()
    backdrop = basemap_backdrop(_basemap(_wmts(server)))(EXTENT, 800)
    xmin, ymin, xmax, ymax = backdrop.extent
    assert xmin <= EXTENT[0]  # the page's extent is covered
    assert ymin <= EXTENT[1]
    assert xmax >= EXTENT[2]
    assert ymax >= EXTENT[3]
    x, y, res = _mark_at(backdrop)
    # 3 000 m over 800 px asks for 3.75 m a pixel: matrix 11 (2 m), the coarsest as fine
    assert res == RESOLUTIONS[11] == 2.0
    assert abs(x - MARK[0]) <= res
    assert abs(y - MARK[1]) <= res
    tiles = [p for p in requests if "/topowebb/default/3006/" in p]
    assert tiles
    assert all(p.split("/")[6] == "11" for p in tiles)
    assert len(tiles) == len(set(tiles)) <= MAX_TILES
    assert backdrop.credit == "127.0.0.1"


def test_a_wide_page_takes_a_coarser_matrix_than_too_many_tiles(server: object) -> None:
    wide = (MARK[0] - 60_000.0, MARK[1] - 40_000.0, MARK[0] + 60_000.0, MARK[1] + 40_000.0)
    requests = server.requests  # type: ignore[attr-defined]
    requests.clear()
    backdrop = basemap_backdrop(_basemap(_wmts(server)))(wide, 4000)  # 30 m a pixel asked
    tiles = [p for p in requests if "/topowebb/default/3006/" in p]
    assert len(tiles) <= MAX_TILES
    x, y, res = _mark_at(backdrop)
    assert res > 30.0 / 2  # coarser than asked: the tiles would have been too many
    assert abs(x - MARK[0]) <= res
    assert abs(y - MARK[1]) <= res


def test_wms_gives_one_image_of_the_page_with_the_mark_where_it_is(server: object) -> None:
    requests = server.requests  # type: ignore[attr-defined]
    requests.clear()
    spec = f"wms:{server.url}/wms#topo"  # type: ignore[attr-defined]
    backdrop = basemap_backdrop(_basemap(spec, crs="3006"))(EXTENT, 600)
    assert backdrop.extent == EXTENT
    assert backdrop.pixels.shape[:2] == (400, 600)
    x, y, res = _mark_at(backdrop)
    assert res == pytest.approx(5.0)
    assert abs(x - MARK[0]) <= res
    assert abs(y - MARK[1]) <= res
    assert [p for p in requests if p.startswith("/wms")] != []
    square = (backdrop.pixels[..., 1] == 0).sum()
    assert square == pytest.approx(MARK_PX**2, rel=0.5)


def test_a_web_mercator_basemap_is_refused_for_a_page() -> None:
    with pytest.raises(InputSchemaError, match="Web Mercator"):
        basemap_backdrop(Basemap("wms", "https://kartor.example.se/wms", "topo"))


def test_a_server_that_cannot_be_reached_stops_the_page_in_one_line(server: object) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nobody listens there
    spec = _wmts(server).replace(server.url, f"http://127.0.0.1:{port}")  # type: ignore[attr-defined]
    basemap = _basemap(_wmts(server))
    gone = Basemap(basemap.kind, spec.split(":", 1)[1].rpartition("#")[0], basemap.layer,
                   basemap.matrix_set, basemap.grid)  # fmt: skip
    with pytest.raises(InputSchemaError, match=r"^basemap 127\.0\.0\.1: cannot connect") as err:
        basemap_backdrop(gone, timeout_s=5)(EXTENT, 200)
    assert "\n" not in str(err.value)


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory: pytest.TempPathFactory, town_incidents: object) -> Path:
    inc = town_incidents
    frame = inc.drop(columns="geometry").copy()  # type: ignore[attr-defined]
    frame["x"] = inc.geometry.x  # type: ignore[attr-defined]
    frame["y"] = inc.geometry.y  # type: ignore[attr-defined]
    frame["occurred_at"] = frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    cols = ["id", "occurred_at", "category", "x", "y", "precision", "source", "description"]
    path = tmp_path_factory.mktemp("backdrop") / "incidents.csv"
    frame[cols].to_csv(path, index=False)
    return path


def _share_of_basemap_pixels(path: Path) -> float:
    pixels = np.asarray(Image.open(path).convert("RGB"))
    return float((pixels == np.array(BACKGROUND, dtype=np.uint8)).all(axis=-1).mean())


def test_snapshot_pages_draw_the_basemap_under_the_map(
    tmp_path: Path, csv_file: Path, server: object, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["snapshot", str(csv_file), "--db", str(tmp_path / "none.gpkg"), "--lang", "en"]
    plain, over = tmp_path / "plain.png", tmp_path / "over.png"
    assert run([*base, "--out", str(plain)]) == 0, capsys.readouterr().err
    assert run([*base, "--out", str(over), "--basemap", _wmts(server)]) == 0, (
        capsys.readouterr().err
    )
    assert _share_of_basemap_pixels(plain) == 0.0
    assert _share_of_basemap_pixels(over) > 0.05  # the server's pale ground shows on the page
    pdf = tmp_path / "over.pdf"
    assert run([*base, "--out", str(pdf), "--basemap", _wmts(server)]) == 0
    assert b"/Subtype /Image" in pdf.read_bytes()


def test_snapshot_with_a_web_mercator_basemap_for_a_page_says_so(
    tmp_path: Path, csv_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "map.png"
    code = run(["snapshot", str(csv_file), "--db", str(tmp_path / "none.gpkg"), "--out",
                str(out), "--basemap", "wms:https://kartor.example.se/wms#topo"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "Web Mercator" in err
    assert "Traceback" not in err
    assert not out.exists()


# ------------------------------------------------------------------------------ the app's


def _app_exports(
    db: Path, app_script: Path, monkeypatch: pytest.MonkeyPatch, basemap: str
) -> tuple[dict[str, bytes], list[str]]:
    from streamlit.testing.v1 import AppTest

    setting, grid = resolve_basemap(basemap, crs=None, grid=None)  # as `hotspots app` does
    monkeypatch.setenv("HOTSPOTS_DB", str(db))
    monkeypatch.setenv("HOTSPOTS_BASEMAP", setting)
    monkeypatch.setenv("HOTSPOTS_BASEMAP_GRID", grid)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)
    app = AppTest.from_file(str(app_script), default_timeout=240)
    app.run()
    app.button(key="prepare_exports").click().run()
    assert not app.exception, app.exception
    files = {label: data for label, data, _, _ in app.session_state["exports"]["files"]}
    return files, [w.value for w in app.warning]


def test_the_app_s_pages_carry_its_basemap_and_say_when_it_cannot(
    tmp_path: Path,
    tuned_demo_store_template: Path,
    app_script: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app_server import copy_store

    from hotspots.core.i18n import t

    db = copy_store(tuned_demo_store_template, tmp_path)
    with serve((413_700.0, 6_584_300.0)) as karlstad:
        files, warnings = _app_exports(db, app_script, monkeypatch, _wmts(karlstad))
        assert [p for p in karlstad.requests if "/topowebb/default/3006/" in p]
    png = tmp_path / "page.png"
    png.write_bytes(files["PNG"])
    assert _share_of_basemap_pixels(png) > 0.05
    assert b"/Subtype /Image" in files["PDF"]
    assert warnings == []
    # the server is gone: the pages are made without the basemap, and the page says why
    files, warnings = _app_exports(db, app_script, monkeypatch, _wmts(karlstad))
    png.write_bytes(files["PNG"])
    assert _share_of_basemap_pixels(png) == 0.0
    said = t("app_basemap_failed", "sv", reason="")
    assert any(w.startswith(said) and "cannot connect" in w for w in warnings), warnings
