"""The lägesbild's follow-up of the citizen promise in a real browser (Playwright, chromium).

``hotspots report`` writes the W47 lägesbild of a demo store with patrol tracks beside it
(tests/followup_demo.py); chromium opens the file with every off-machine request blocked,
and the section "Uppföljning av medborgarlöftet", its tables and its map must be visible:
on the page, with a size, the map's PNG decoded. Set ``HOTSPOTS_SCREENSHOT=1`` to keep a
screenshot of the section beside the report (for a look, not for the test).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from app_server import CHROMIUM, NO_CHROMIUM
from followup_demo import demo_store

from hotspots.cli import run

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The W47 lägesbild (HTML) of a demo store with tracks, written by the CLI."""
    folder = tmp_path_factory.mktemp("followup-browser")
    db = demo_store(folder)
    out = folder / "lagesbild.html"
    fast = ["--cell-m", "100", "--bandwidth-m", "300"]
    assert run(["report", "--week", "2026-W47", "--out", str(out), "--db", str(db), *fast]) == 0
    return out


@pytest.fixture(scope="module")
def page(report: Path, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(report.as_uri())
    pg.wait_for_load_state("load")
    pg.blocked = blocked  # type: ignore[attr-defined]
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def test_section_table_and_map_are_visible(page: Any, report: Path) -> None:
    section = page.locator("section#followup")
    assert section.count() == 1
    heading = section.locator("h2")
    heading.scroll_into_view_if_needed()
    assert heading.is_visible()
    assert heading.inner_text() == "Uppföljning av medborgarlöftet"
    # the map: shown, with a size, its PNG decoded
    img = section.locator("figure img")
    assert img.count() == 1
    img.scroll_into_view_if_needed()
    assert img.is_visible()
    assert img.get_attribute("alt") == "Levererad tid per plats, 2026-W47"
    box = img.bounding_box()
    assert box is not None
    assert box["width"] > 400
    assert box["height"] > 250
    assert img.evaluate("i => i.complete && i.naturalWidth > 800 && i.naturalHeight > 500")
    # the tables: per week, per period, the places, the effect
    tables = section.locator("table")
    assert tables.count() == 4
    week = tables.nth(0)
    week.scroll_into_view_if_needed()
    assert week.is_visible()
    assert week.locator("caption").inner_text().startswith("Levererat mot planerat per vecka")
    headers = week.locator("thead th").all_inner_texts()
    assert headers[0] == "Vecka"
    assert "Fotpatrull på otrygga platser" in headers
    cells = week.locator("tbody tr").first.locator("td").all_inner_texts()
    assert cells[0] == "2026-W47"
    assert " / " in cells[1]  # delivered / planned minutes of the foot patrols
    effect = tables.nth(3)
    effect.scroll_into_view_if_needed()
    assert effect.is_visible()
    assert "95 % intervall" in effect.locator("thead").inner_text()
    # the caveats are on the page, not only in the file
    caveat = section.locator("p", has_text="lottades inte ut")
    caveat.scroll_into_view_if_needed()
    assert caveat.is_visible()
    # the section comes right after the actions
    order = page.evaluate("() => [...document.querySelectorAll('section')].map(s => s.id)")
    assert order.index("followup") == order.index("actions") + 1
    assert page.blocked == []
    assert page.errors == []
    if os.environ.get("HOTSPOTS_SCREENSHOT"):
        section.screenshot(path=str(report.with_suffix(".followup.png")))
