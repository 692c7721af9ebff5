"""In a real browser (Playwright, Debian's chromium): the plan page's map and the snapshot's
info box (issue 14).

* The first Patrullplan visit showed an empty grey map box for seconds. The page now shows a
  spinner where the map will be and the map only once it is drawn: every moment of the first
  visit (sampled while the script runs, against a real ``hotspots app``) shows no map frame
  that is empty, nor the previous page's map left faded in its place.
* The standalone HTML snapshot opens with its info box folded, as the app's map does.

Screenshots go to ``$HOTSPOTS_BROWSER_SHOTS`` (default: a temporary folder).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from app_server import CHROMIUM, NO_CHROMIUM, AppServer
from privacy_town import analysed

from hotspots.export.html import write_html
from hotspots.render.leaflet import MapOptions
from hotspots.render.privacy import apply_privacy

MAP_FRAME = "iframe[title$='hotspots_map']"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]

#: Every map frame of the page: where it is, whether its map is drawn (the info box of the
#: overlay is there), and whether it is a faded element left from the previous page.
FRAMES = """() => Array.from(document.querySelectorAll("iframe[title$='hotspots_map']")).map(f => {
  const r = f.getBoundingClientRect();
  let drawn = false;
  try { drawn = !!f.contentDocument.querySelector('.hs-info'); } catch (e) {}
  let faded = false;
  for (let e = f; e && e.nodeType === 1; e = e.parentElement) {
    if (parseFloat(getComputedStyle(e).opacity) < 0.99) { faded = true; }
  }
  return {top: r.top, bottom: r.bottom, height: r.height, drawn: drawn, faded: faded};
})"""


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("HOTSPOTS_BROWSER_SHOTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("browser-shots")
    path.mkdir(parents=True, exist_ok=True)
    return path


# ------------------------------------------------------------------------ the snapshot (6)


def test_the_snapshot_opens_with_its_info_box_folded(
    browser: Any, tmp_path: Path, shots: Path
) -> None:
    content = apply_privacy(analysed(), profile="internal")
    path = write_html(content, tmp_path / "snapshot.html", options=MapOptions(lang="sv"))
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.goto(path.as_uri())
        box = page.locator(".hs-info")
        box.wait_for()
        assert page.locator(".hs-info details").get_attribute("open") is None
        # folded: one line saying what is analysed; the settings table hidden
        assert page.locator(".hs-info summary").inner_text().startswith("Brottskoncentrationer")
        assert "alla (utom skyddade)" in page.locator(".hs-info summary").inner_text()
        assert not page.locator(".hs-info table").is_visible()
        folded = box.bounding_box()
        page.screenshot(path=str(shots / "snapshot-info-folded.png"))
        # a click unfolds it, as in the app
        page.locator(".hs-info summary").click()
        assert page.locator(".hs-info details").get_attribute("open") is not None
        assert page.locator(".hs-info table").is_visible()
        assert "bandbredd 200 m" in box.inner_text()
        unfolded = box.bounding_box()
        assert folded is not None
        assert unfolded is not None
        assert unfolded["height"] > 2 * folded["height"]
        page.screenshot(path=str(shots / "snapshot-info-unfolded.png"))
    finally:
        page.close()


# ---------------------------------------------------------------------- the plan's map (5)


@pytest.fixture(scope="module")
def app_url(demo_app: AppServer) -> str:
    """The session's ``hotspots app`` as a person starts it, on the demo store tuned for the
    opening map (tests/conftest.py); nothing here writes to its store."""
    return demo_app.url


def _running(page: Any) -> bool:
    state = page.evaluate(
        "() => { const a = document.querySelector('[data-testid=stApp]');"
        " return a ? a.getAttribute('data-test-script-state') : null; }"
    )
    return state != "notRunning"


def test_the_first_plan_visit_never_shows_an_empty_map(
    browser: Any, app_url: str, shots: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(f"{app_url}/?lang=sv", wait_until="domcontentloaded")
        page.frame_locator(MAP_FRAME).first.locator(".hs-info").wait_for(timeout=240_000)
        page.wait_for_function(
            "() => document.querySelector('[data-testid=stApp]')"
            ".getAttribute('data-test-script-state') === 'notRunning'",
            timeout=240_000,
        )
        page.get_by_test_id("stSidebar").get_by_text("Patrullplan", exact=True).click()
        page.get_by_role("heading", name="Patrullplan").wait_for(timeout=60_000)
        # every moment of the first visit, until the script is done: a map frame in view is
        # drawn, never an empty box, nor the Karta page's map faded in its place
        seen_spinner = False
        samples = 0
        deadline = time.monotonic() + 600
        while True:
            running = _running(page)
            for frame in page.evaluate(FRAMES):
                in_view = frame["height"] > 50 and frame["bottom"] > 0 and frame["top"] < 1400
                if in_view:
                    assert frame["drawn"], f"an empty map frame after {samples} samples"
                    assert not frame["faded"], "the previous page's map left in the plan's"
            if page.get_by_test_id("stSpinner").count() and not seen_spinner:
                seen_spinner = True
                page.screenshot(path=str(shots / "plan-first-visit-computing.png"))
            samples += 1
            if not running or time.monotonic() > deadline:
                break
            page.wait_for_timeout(200)
        assert not _running(page), "the plan page did not finish"
        # done: the plan's map is drawn between its suggestions and its schedule
        frame = page.frame_locator(MAP_FRAME).first
        frame.locator(".hs-info").wait_for(timeout=30_000)
        assert page.locator(MAP_FRAME).count() == 1
        assert page.get_by_test_id("stDataFrame").count() == 2  # suggestions, schedule
        assert frame.locator(".hs-legend").count() == 1
        assert page.get_by_test_id("stException").count() == 0
        assert errors == []
        page.locator(MAP_FRAME).first.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / "plan-first-visit-done.png"))
    finally:
        page.close()
