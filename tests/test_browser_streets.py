"""Real browser (Playwright, Debian's chromium, every request but data: and file: aborted): a
synthetic extract written with pyosmium's writer, built into a geography GeoPackage, becomes a
snapshot whose map shows street names at street zoom (zoom 16), not at city zoom, without
overlaps; buildings are drawn from zoom 15; and a WMS basemap asks for exactly the GetMap
requests that :func:`hotspots.render.leaflet.basemap.wms_getmap_url` builds (the requests
are aborted: no network)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from app_server import CHROMIUM, NO_CHROMIUM
from numpy.testing import assert_allclose
from street_town import BUILDINGS, lonlat, town_incidents, write_town

from hotspots.core.config import AnalysisConfig
from hotspots.export.html import write_html
from hotspots.forecast.analysis import run_analysis
from hotspots.render.leaflet import MapOptions
from hotspots.render.leaflet.basemap import parse_basemap, wms_getmap_url
from hotspots.render.privacy import apply_privacy
from hotspots.render.streetmap import BUILDING_FILL
from hotspots.spatial.build import build_geography, write_geography
from hotspots.spatial.geography import load_geography

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]
HALF_WORLD_M = math.pi * 6378137.0


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    blocked: list[str] = []

    def route(r) -> None:
        if r.request.url.startswith(("data:", "blob:", "about:", "file:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.blocked = blocked  # type: ignore[attr-defined]
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


@pytest.fixture(scope="module")
def town_map(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("town")
    pbf = write_town(folder / "town.osm.pbf")
    geo = load_geography(config=write_geography(build_geography(pbf), folder / "town.gpkg"))
    result = run_analysis(town_incidents(), config=AnalysisConfig(bandwidth_m=150.0), geography=geo)
    return folder, geo, apply_privacy(result, profile="internal")


def _view(pg, lat: float, lon: float, zoom: int) -> None:
    """Set the view and wait until the map has moved and drawn (two animation frames).

    First the map's own opening zoom (fitBounds, animated) must be over: its end would move
    the map back to where it was going (it starts one animation frame after it is asked).
    """
    pg.wait_for_timeout(100)
    pg.wait_for_function(
        """() => { for (const k in window) { const v = window[k];
            if (v && v instanceof L.Map) { return v._loaded && !v._animatingZoom; } }
            return false; }"""
    )
    pg.wait_for_timeout(300)
    pg.evaluate(
        """([lat, lon, z]) => new Promise((done) => { for (const k in window) {
            const v = window[k];
            if (v && v instanceof L.Map) {
                v.once('moveend', () => requestAnimationFrame(() => requestAnimationFrame(done)));
                v.setView([lat, lon], z, {animate: false});
                return;
            } } })""",
        [lat, lon, zoom],
    )
    pg.wait_for_timeout(300)


def _labels(pg) -> list[dict]:
    return pg.evaluate(
        """() => Array.from(document.querySelectorAll('.hs-street-label span')).map(e => {
            const r = e.getBoundingClientRect();
            return {text: e.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom,
                    visible: getComputedStyle(e).visibility !== 'hidden' && r.width > 0};
        })"""
    )


def test_street_names_at_street_zoom(town_map, page) -> None:
    folder, geo, content = town_map
    path = write_html(content, folder / "sv.html", geography=geo, options=MapOptions(lang="sv"))
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-image-layer", state="attached")
    assert (
        page.locator(".leaflet-control-layers-overlays").get_by_text("Gator och gatunamn").count()
        == 1
    )
    lon, lat = lonlat(9.0, 10.0)
    _view(page, lat, lon, 13)  # city zoom: main roads only, no names
    assert _labels(page) == []
    _view(page, lat, lon, 16)
    labels = _labels(page)
    names = {lab["text"] for lab in labels if lab["visible"]}
    assert {"Storgatan", "Drottninggatan"} <= names
    storgatan = page.locator(".hs-street-label span", has_text="Storgatan").first
    assert storgatan.is_visible()
    # decluttered: no two names overlap
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            overlap = a["x0"] < b["x1"] and b["x0"] < a["x1"] and a["y0"] < b["y1"]
            assert not (overlap and b["y0"] < a["y1"]), (a, b)
    # street lines on their canvas in their own pane, above the density
    z = page.evaluate(
        """() => [getComputedStyle(document.querySelector('.leaflet-hsStreets-pane')).zIndex,
                  getComputedStyle(document.querySelector('.leaflet-hsDensity-pane')).zIndex]"""
    )
    assert int(z[0]) > int(z[1])
    assert page.locator(".leaflet-hsStreets-pane canvas").count() == 1
    assert "OpenStreetMap contributors" in page.locator(".leaflet-control-attribution").inner_text()
    assert page.errors == []
    assert page.blocked == []


def test_buildings_from_zoom_15(town_map, page) -> None:
    folder, geo, content = town_map
    path = write_html(
        content,
        folder / "nodensity.html",
        geography=geo,
        options=MapOptions(lang="en", show_density=False),
    )
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-control-layers", state="attached")
    # the middle of the first building
    i, j = BUILDINGS[0]
    lon, lat = lonlat(i + 0.2, j + 0.15)
    grey = np.array([int(BUILDING_FILL[k : k + 2], 16) for k in (1, 3, 5)])

    def pixel_at_building() -> np.ndarray:
        xy = page.evaluate(
            """([lat, lon]) => { for (const k in window) { const v = window[k];
                if (v && v instanceof L.Map) { const p = v.latLngToContainerPoint([lat, lon]);
                return [p.x, p.y]; } } }""",
            [lat, lon],
        )
        shot = page.screenshot(clip={"x": xy[0] - 1, "y": xy[1] - 1, "width": 3, "height": 3})
        from io import BytesIO

        from PIL import Image

        return np.asarray(Image.open(BytesIO(shot)).convert("RGB"))[1, 1].astype(int)

    _view(page, lat, lon, 14)
    assert np.abs(pixel_at_building() - grey).max() > 6  # not drawn yet
    _view(page, lat, lon, 17)
    assert_allclose(pixel_at_building(), grey, atol=6)
    assert page.locator(".leaflet-control-layers-overlays").get_by_text("Buildings").count() == 1
    assert page.errors == []


def test_wms_basemap_requests(town_map, page) -> None:
    folder, geo, content = town_map
    spec = "wms:http://127.0.0.1:9/geoserver/wms#topo:karta"
    basemap = parse_basemap(spec)
    path = write_html(content, folder / "wms.html", geography=geo, options=MapOptions(basemap=spec))
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-tile", state="attached")
    page.wait_for_timeout(500)
    requests = [u for u in page.blocked if u.startswith("http://127.0.0.1:9/geoserver/wms?")]
    assert len(requests) >= 4
    assert all(u.startswith("http://127.0.0.1:9/") for u in page.blocked)  # nothing else asked
    for url in requests:
        query = parse_qs(urlsplit(url).query, keep_blank_values=True)
        x0, y0, x1, y1 = (float(v) for v in query["BBOX"][0].split(","))
        z = round(math.log2(2 * HALF_WORLD_M / (x1 - x0)))
        x = round((x0 + HALF_WORLD_M) / (x1 - x0))
        y = round((HALF_WORLD_M - y1) / (y1 - y0))
        want = parse_qs(urlsplit(wms_getmap_url(basemap, z, x, y)).query, keep_blank_values=True)
        want_bbox = [float(v) for v in want.pop("BBOX")[0].split(",")]
        assert_allclose([x0, y0, x1, y1], want_bbox, rtol=0, atol=1e-3)
        query.pop("BBOX")
        assert query == want
    # the land and water are left to the basemap, the streets stay
    assert page.locator(".leaflet-hsStreets-pane canvas").count() == 1
