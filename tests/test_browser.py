"""Real-browser tests with Playwright and Debian's chromium, every off-machine request blocked.

The app (the session's ``hotspots app`` on a copy of the demo store, tests/conftest.py) shows
the map and its layers, a filter change updates the map; the standalone HTML snapshot
renders from a file with no network, and a script in a description stays inert.

Set ``HOTSPOTS_SCREENSHOT=1`` to (re)write ``docs/screenshot.png`` from the app test.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_server import CHROMIUM, NO_CHROMIUM, ROOT, AppServer, is_local
from privacy_town import SCRIPT, X0, Y0, analysed, incidents
from pyproj import Transformer

from hotspots.export.html import write_html
from hotspots.render.leaflet import MapOptions
from hotspots.render.privacy import apply_privacy
from hotspots.spatial.crs import to_wgs84

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]


@pytest.fixture
def offline_page(browser: Any) -> Iterator[Any]:
    """A page whose every request to another machine is aborted and recorded."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    blocked: list[str] = []

    def route(r) -> None:
        if is_local(r.request.url):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    dialogs: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def on_dialog(d) -> None:
        dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", on_dialog)
    page.blocked = blocked  # type: ignore[attr-defined]
    page.errors = errors  # type: ignore[attr-defined]
    page.dialogs = dialogs  # type: ignore[attr-defined]
    yield page
    context.close()


# ---------------------------------------------------------------------------------------------
# snapshots


def _snapshot(tmp_path: Path, profile: str) -> Path:
    content = apply_privacy(analysed(), profile=profile)
    return write_html(content, tmp_path / f"{profile}.html", options=MapOptions(lang="sv"))


def test_snapshot_renders_offline_and_script_is_inert(tmp_path: Path, offline_page) -> None:
    page = offline_page
    path = _snapshot(tmp_path, "internal")
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-image-layer", state="attached")
    assert page.evaluate("typeof L") == "object"
    assert page.locator(".leaflet-interactive").count() >= 1  # hotspot polygons
    # the info box opens folded, as in the app; its details are in the folded part
    assert page.locator(".hs-info details").get_attribute("open") is None
    assert "bandbredd 200 m" in (page.locator(".hs-info").text_content() or "")
    assert page.locator(".leaflet-control-layers-overlays label").count() >= 3
    # zoom to street level on the densest cluster: incident points appear (zoom-gated)
    assert page.locator(".leaflet-marker-icon, .leaflet-marker-pane *").count() == 0
    lon, lat = Transformer.from_crs(3006, 4326, always_xy=True).transform(X0 + 600.0, Y0 + 400.0)
    page.evaluate(
        """([lat, lon]) => { for (const k in window) { const v = window[k];
            if (v && v instanceof L.Map) { v.setView([lat, lon], 18); } } }""",
        [lat, lon],
    )
    page.wait_for_timeout(800)
    markers = page.locator("path.leaflet-interactive[fill='#fff']")
    assert markers.count() > 0, "no incident point at street zoom"
    visible = [
        m
        for m in markers.all()[:200]
        if (box := m.bounding_box()) is not None
        and 0 < box["x"] < 1300
        and 0 < box["y"] < 900
        and box["width"] > 0
    ]
    assert visible, "no incident point on screen"
    visible[0].click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert '<script>alert("x")</script>' in popup.inner_text()  # shown as text
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.errors == []  # type: ignore[attr-defined]
    assert page.blocked == []  # type: ignore[attr-defined]


def test_public_snapshot_has_no_incident_coordinates_or_restricted(tmp_path: Path) -> None:
    text = _snapshot(tmp_path, "public").read_text(encoding="utf-8")
    wgs = to_wgs84(incidents())
    found = [
        (round(p.y, 6), round(p.x, 6))
        for p in wgs.geometry
        if f"{round(p.y, 6)}, {round(p.x, 6)}" in text
        or f"{round(p.x, 6)}, {round(p.y, 6)}" in text
    ]
    assert found == []
    for word in ("sexual_offence", "Sexualbrott", "domestic_violence", "Våld i nära relation"):
        assert word not in text
    assert SCRIPT not in text


# ---------------------------------------------------------------------------------------------
# the app


@pytest.fixture(scope="module")
def app_url(demo_app: AppServer) -> str:
    """The session's ``hotspots app`` on the demo store (tests/conftest.py); nothing here
    writes to its store."""
    return demo_app.url


MAP_FRAME = "iframe[title$='hotspots_map']"


def _open_map(page: Any, url: str) -> Any:
    """Open the app at ``url`` and wait until its map shows the info box; the map frame."""
    page.goto(url, wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(".hs-info").wait_for(timeout=120_000)
    return frame


@pytest.mark.slow
def test_app_map_renders_offline_and_filter_updates_it(app_url: str, offline_page) -> None:
    page = offline_page
    shot = ROOT / "docs" / "screenshot.png"
    plan = "&plan=1" if os.environ.get("HOTSPOTS_SCREENSHOT") else ""
    page.goto(f"{app_url}/?bw=200&cell=50{plan}", wait_until="domcontentloaded")
    frame = page.frame_locator(MAP_FRAME).first
    frame.locator(".leaflet-image-layer").first.wait_for(state="attached", timeout=120_000)
    frame.locator(".hs-info").wait_for(timeout=30_000)
    # the box is folded to one line; its details (bandwidth, cells) are in the folded part
    info = frame.locator(".hs-info").text_content() or ""
    assert "200 m" in info
    assert "alla (utom skyddade)" in frame.locator(".hs-info").inner_text()
    frame.locator(".leaflet-control-layers").hover()  # the app folds the control
    labels = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    for name in ("Täthet", "Brottskoncentrationer", "Stadsdelar", "Gator och", "Händelser"):
        assert any(name in lab for lab in labels), (name, labels)
    assert frame.locator("path.leaflet-interactive").count() > 10
    assert page.blocked == []  # type: ignore[attr-defined]  # nothing needed off the machine
    page.mouse.move(5, 5)  # fold the layer control again
    page.wait_for_timeout(500)
    if plan:
        shot.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(shot))

    # the map component's document: it must survive the filter change (no frame reload)
    doc = next(f for f in page.frames if "hotspots_map" in f.url)
    doc.evaluate("window.__hsProbe = 42; map_hs.setView([59.40, 13.51], 15);")
    page.wait_for_timeout(300)
    districts_before = doc.evaluate(
        "Object.values(map_hs._layers).filter(l => l === window.vector_layer_hs5).length"
    )

    # filter change: the problem area -> narcotics and alcohol; the map follows
    page.get_by_test_id("stSelectbox").filter(has_text="Problemområde").click()
    page.get_by_role("option", name="Narkotika- och alkoholrelaterad brottslighet").click()
    frame = page.frame_locator(MAP_FRAME).first
    narcotics = "Narkotika- och alkoholrelaterad brottslighet"
    frame.get_by_text(narcotics).first.wait_for(timeout=120_000)
    frame.locator(".leaflet-image-layer").first.wait_for(state="attached", timeout=30_000)
    assert page.blocked == []  # type: ignore[attr-defined]
    assert page.errors == []  # type: ignore[attr-defined]
    # same document, same view and base layers; the old overlay is gone, not stacked
    assert doc.evaluate("window.__hsProbe") == 42
    assert doc.evaluate("map_hs.getZoom()") == 15
    assert (
        doc.evaluate(
            "Object.values(map_hs._layers).filter(l => l === window.vector_layer_hs5).length"
        )
        == districts_before
    )
    assert frame.locator(".hs-info").count() == 1
    assert frame.locator(".leaflet-control-layers").count() == 1
    assert frame.locator(".leaflet-image-layer").count() == 1
    assert "alla (utom skyddade)" not in frame.locator(".hs-info").inner_text()


def test_command_line_binds_localhost() -> None:
    from hotspots.cli.app_cmd import streamlit_command

    cmd = streamlit_command(app_file=ROOT / "app.py", host="127.0.0.1", port=8501)
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--browser.gatherUsageStats") + 1] == "false"
    assert cmd[:3] == [sys.executable, "-m", "streamlit"]


@pytest.mark.slow
def test_app_language_switch_rebuilds_the_base_map(app_url: str, offline_page) -> None:
    page = offline_page
    frame = _open_map(page, f"{app_url}/?bw=200&cell=50")
    frame.locator(".leaflet-control-layers").hover()
    labels = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("Stadsdelar" in lab for lab in labels), labels
    page.get_by_text("English").click()
    frame.locator(".hs-info").get_by_text("all (except restricted)").first.wait_for(
        timeout=120_000
    )
    # a new base map in the same frame: one map, one info box, English layer names
    assert frame.locator(".leaflet-container").count() == 1
    assert frame.locator(".hs-info").count() == 1
    frame.locator(".leaflet-control-layers").hover()
    labels = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("Districts" in lab for lab in labels), labels
    assert not any("Stadsdelar" in lab for lab in labels), labels
    assert page.blocked == []  # type: ignore[attr-defined]
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.slow
def test_app_incident_points_arrive_at_street_zoom(app_url: str, offline_page) -> None:
    page = offline_page
    frame = _open_map(page, f"{app_url}/?bw=200")
    doc = next(f for f in page.frames if "hotspots_map" in f.url)
    assert frame.locator("path.leaflet-interactive[fill='#fff']").count() == 0
    doc.evaluate("window.__hsProbe = 7")
    # the opening view must have settled: an animated fitBounds still running would land
    # after the zoom below and take the map back out
    doc.wait_for_function("() => window.map_hs && map_hs._loaded && !map_hs._animatingZoom")
    # zoom to street level on the first hotspot: the layer asks for the points, the app
    # reruns with them, and they appear without the frame being reloaded
    doc.evaluate(
        """() => { const layers = Object.values(map_hs._layers)
                .filter(l => l.feature && l.feature.geometry.type.endsWith('Polygon'));
            map_hs.setView(layers[layers.length - 1].getBounds().getCenter(), 17,
                           {animate: false}); }"""
    )
    doc.wait_for_function("() => map_hs.getZoom() === 17")
    frame.locator("path.leaflet-interactive[fill='#fff']").first.wait_for(
        state="attached", timeout=60_000
    )
    assert doc.evaluate("window.__hsProbe") == 7
    assert doc.evaluate("map_hs.getZoom()") == 17
    assert page.blocked == []  # type: ignore[attr-defined]
    assert page.errors == []  # type: ignore[attr-defined]
