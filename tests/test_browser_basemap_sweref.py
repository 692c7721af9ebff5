"""Real browser: a snapshot over a basemap in SWEREF 99 TM puts every overlay on the basemap.

A local server (tests/wmts_server.py, on 127.0.0.1; no other request leaves the page) serves
WMTS capabilities shaped like Lantmäteriet's topographic web map and its ``3006`` tiles, and
a WMS answering GetMap in EPSG:3006; every tile paints a magenta square on one known
SWEREF 99 TM point. ``hotspots snapshot`` reads the grid from the server and writes the map;
headless chromium (Debian's) opens it at street zoom on that point, a circle marker is put
at the point's latitude and longitude (pyproj's), and the screenshot must show the marker
around the square: the tiles are where proj4js and Proj4Leaflet put latitude and longitude,
so the cells, hotspots, districts, streets and points, all given in latitude and longitude,
are where they belong. The density raster's corners are checked the same way, from the
pixel geometry of the 3006 grid (1 m per pixel at zoom 16).
"""

from __future__ import annotations

import dataclasses
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import geopandas as gpd
import numpy as np
import pytest
from app_server import CHROMIUM, NO_CHROMIUM
from PIL import Image
from pyproj import Transformer
from wmts_server import MARK_PX, ORIGIN, serve

from hotspots.cli import run
from hotspots.cli._basemap import resolve_basemap
from hotspots.core.config import OPENING
from hotspots.render.assets import map_component_page
from hotspots.render.leaflet import MapOptions, map_parts
from hotspots.render.privacy import apply_privacy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]
#: The point the tiles mark: west of the synthetic town's incidents (nothing drawn over it).
MARK = (511_537.0, 6_571_418.0)
TO_LL = Transformer.from_crs(3006, 4326, always_xy=True)
TO_3006 = Transformer.from_crs(4326, 3006, always_xy=True)
ZOOM = 16  # street zoom: matrix 12 of the 3006 set, 1 m per pixel


@pytest.fixture(scope="module")
def server() -> Iterator[object]:
    with serve(MARK) as running:
        yield running


@pytest.fixture(scope="module")
def csv_file(tmp_path_factory: pytest.TempPathFactory, town_incidents: gpd.GeoDataFrame) -> Path:
    inc = town_incidents
    frame = inc.drop(columns="geometry").copy()
    frame["x"] = inc.geometry.x
    frame["y"] = inc.geometry.y
    frame["occurred_at"] = frame["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    cols = ["id", "occurred_at", "category", "x", "y", "precision", "source", "description"]
    path = tmp_path_factory.mktemp("sweref") / "incidents.csv"
    frame[cols].to_csv(path, index=False)
    return path


@pytest.fixture
def page(browser, server) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1000, "height": 700})
    blocked: list[str] = []

    def route(r) -> None:
        url = r.request.url
        if url.startswith(("data:", "blob:", "about:", "file:", server.url + "/")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.blocked = blocked  # type: ignore[attr-defined]
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def _snapshot(tmp_path: Path, csv_file: Path, args: list[str], capsys) -> Path:
    out = tmp_path / "map.html"
    code = run(["snapshot", str(csv_file), "--out", str(out), "--lang", "en",
                "--db", str(tmp_path / "none.gpkg"), *args])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    return out


def _open_at_mark(pg, path: Path | None) -> tuple[float, float]:
    """Open the map (``None``: already open), set street zoom on the mark, wait for its tiles.

    Returns the mark's latitude and longitude.
    """
    lon, lat = TO_LL.transform(*MARK)
    if path is not None:
        pg.goto(path.as_uri())
    pg.wait_for_function("() => window.map_hs && map_hs._loaded && !map_hs._animatingZoom")
    pg.wait_for_timeout(300)  # the opening fitBounds has ended
    pg.evaluate(
        """([lat, lon, z]) => new Promise((done) => {
            map_hs.once('moveend', () => requestAnimationFrame(() => requestAnimationFrame(done)));
            map_hs.setView([lat, lon], z, {animate: false});
        })""",
        [lat, lon, ZOOM],
    )
    # loaded, and faded in: Leaflet raises a new tile's opacity over 200 ms after it loads
    pg.wait_for_function(
        """() => { const t = document.querySelectorAll('.leaflet-tile-pane img.leaflet-tile');
            return t.length > 0 && Array.from(t).every(
                (i) => i.classList.contains('leaflet-tile-loaded') && i.complete
                       && getComputedStyle(i).opacity === '1'); }"""
    )
    pg.evaluate(
        """([lat, lon]) => new Promise((done) => {
            L.circleMarker([lat, lon], {radius: 14, color: '#00b400', weight: 3, opacity: 1,
                                        fill: false, interactive: false}).addTo(map_hs);
            requestAnimationFrame(() => requestAnimationFrame(done));
        })""",
        [lat, lon],
    )
    return lat, lon


def _centroid(mask: np.ndarray) -> tuple[float, float, int]:
    """Centre of the ``True`` pixels in screen coordinates (pixel ``i`` spans ``[i, i+1)``)."""
    ys, xs = np.nonzero(mask)
    assert xs.size, "no such pixel in the screenshot"
    return float(xs.mean()) + 0.5, float(ys.mean()) + 0.5, int(mask.sum())


def _check_mark_under_marker(pg, lat: float, lon: float) -> tuple[float, float]:
    """The magenta square and the green ring share a centre (screenshot pixels); that centre.

    It is also where Leaflet says the point's latitude and longitude are on the screen.
    """
    shot = np.asarray(Image.open(io.BytesIO(pg.screenshot())).convert("RGB")).astype(int)
    r, g, b = shot[..., 0], shot[..., 1], shot[..., 2]
    mx, my, n_mark = _centroid((r > 220) & (g < 60) & (b > 220))  # the tiles' square
    gx, gy, n_ring = _centroid((g > 140) & (r < 90) & (b < 90))  # the marker's ring
    assert n_mark >= (MARK_PX - 2) ** 2, n_mark  # the whole square is visible, once
    assert n_mark <= (MARK_PX + 2) ** 2, n_mark
    assert n_ring > 50, n_ring
    assert math.hypot(mx - gx, my - gy) < 1.5, ((mx, my), (gx, gy))
    px, py = pg.evaluate(
        """([lat, lon]) => { const c = map_hs.getContainer().getBoundingClientRect();
            const p = map_hs.latLngToContainerPoint([lat, lon]);
            return [p.x + c.left, p.y + c.top]; }""",
        [lat, lon],
    )
    assert math.hypot(mx - px, my - py) < 1.5, ((mx, my), (px, py))
    return px, py


def _check_density_corners(pg, mark_px: tuple[float, float]) -> None:
    """The density image's corners on the screen are its 3006 corners at 1 m per pixel."""
    found = pg.evaluate(
        """() => { let out = null;
            map_hs.eachLayer((l) => {
                if (l instanceof L.ImageOverlay && l.getElement() && !out) {
                    const b = l.getBounds(), r = l.getElement().getBoundingClientRect();
                    out = {nw: [b.getNorth(), b.getWest()], se: [b.getSouth(), b.getEast()],
                           rect: [r.left, r.top, r.right, r.bottom],
                           natural: [l.getElement().naturalWidth, l.getElement().naturalHeight]};
                } });
            return out; }"""
    )
    assert found is not None, "no density image on the map"
    nw = TO_3006.transform(found["nw"][1], found["nw"][0])
    se = TO_3006.transform(found["se"][1], found["se"][0])
    mx, my = mark_px  # screen position of the mark; 1 m per pixel east and south of it

    def screen(e: float, n: float) -> tuple[float, float]:
        return mx + (e - MARK[0]), my + (MARK[1] - n)

    left, top = screen(*nw)
    right, bottom = screen(*se)
    np.testing.assert_allclose(found["rect"], [left, top, right, bottom], atol=1.5)
    # not stretched: every cell of the image is cell_m metres, i.e. cell_m pixels wide
    width_px, height_px = found["natural"]
    np.testing.assert_allclose(
        [right - left, bottom - top],
        [width_px * OPENING.cell_m, height_px * OPENING.cell_m],
        atol=1.5,
    )


def test_wmts_3006_overlays_on_the_basemap(tmp_path: Path, csv_file, server, page, capsys) -> None:
    spec = (
        f"wmts:{server.url}/wmts/1.0.0/topowebb/default/3006/{{TileMatrix}}/{{TileRow}}/"
        "{TileCol}.png#topowebb@3006"
    )
    path = _snapshot(tmp_path, csv_file, ["--basemap", spec], capsys)
    assert "/wmts/1.0.0/WMTSCapabilities.xml" in server.requests  # the grid came from there
    lat, lon = _open_at_mark(page, path)
    mark_px = _check_mark_under_marker(page, lat, lon)
    _check_density_corners(page, mark_px)
    # the tile holding the mark was asked for as matrix 12, its row and column
    col = math.floor((MARK[0] - ORIGIN[0]) / 256)
    row = math.floor((ORIGIN[1] - MARK[1]) / 256)
    assert f"/wmts/1.0.0/topowebb/default/3006/12/{row}/{col}.png" in server.requests
    tiles = [p for p in server.requests if re.match(r"^/wmts/1\.0\.0/topowebb/", p)]
    assert {p.split("/")[6] for p in tiles} <= {str(k) for k in range(14)}  # matrix ids
    assert page.blocked == []
    assert page.errors == []


def test_wms_3006_overlays_on_the_basemap(tmp_path: Path, csv_file, server, page, capsys) -> None:
    path = _snapshot(
        tmp_path,
        csv_file,
        ["--basemap", f"wms:{server.url}/wms#topo", "--basemap-crs", "3006"],
        capsys,
    )
    lat, lon = _open_at_mark(page, path)
    mark_px = _check_mark_under_marker(page, lat, lon)
    _check_density_corners(page, mark_px)
    getmaps = [parse_qs(urlsplit(p).query) for p in server.requests if p.startswith("/wms?")]
    assert getmaps
    assert all(q["SRS"] == ["EPSG:3006"] and q["VERSION"] == ["1.1.1"] for q in getmaps)
    boxes = [[float(v) for v in q["BBOX"][0].split(",")] for q in getmaps]
    holding = [b for b in boxes if b[0] <= MARK[0] < b[2] and b[1] <= MARK[1] < b[3]]
    assert holding, "no GetMap covered the mark"
    assert page.blocked == []
    assert page.errors == []


def test_app_map_component_in_3006(tmp_path: Path, server, page) -> None:
    """The app's map component (its page, a base and an overlay message) in EPSG:3006."""
    from privacy_town import analysed  # builds the town on first use

    spec = (
        f"wmts:{server.url}/wmts/1.0.0/topowebb/default/3006/{{TileMatrix}}/{{TileRow}}/"
        "{TileCol}.png#topowebb@3006"
    )
    _, grid = resolve_basemap(spec, crs=None, grid=None)  # what `hotspots app` puts in its env
    content = apply_privacy(analysed(), profile="internal")
    parts = map_parts(content, options=MapOptions(basemap=spec, basemap_grid=grid))
    index = tmp_path / "index.html"
    index.write_text(map_component_page(), encoding="utf-8")
    page.goto(index.as_uri())
    page.evaluate(
        "(args) => window.postMessage({type: 'streamlit:render', args: args}, '*')",
        {**dataclasses.asdict(parts), "height": 700},
    )
    lat, lon = _open_at_mark(page, None)
    mark_px = _check_mark_under_marker(page, lat, lon)
    _check_density_corners(page, mark_px)
    assert page.blocked == []
    assert page.errors == []
