"""Real browser (Playwright, Debian's chromium, off-machine requests blocked): the "Förhöjd
risk" layer of a snapshot HTML is off when the map opens, is toggled in the layer control,
and its legend entry shows and hides with it; in public, the layer is only aggregated areas.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from app_server import CHROMIUM, NO_CHROMIUM

from hotspots.core.config import TIMEZONE, AnalysisConfig
from hotspots.core.i18n import t
from hotspots.engine.risk_zones import recent_zones
from hotspots.export.html import write_html
from hotspots.forecast.analysis import run_analysis
from hotspots.render.leaflet import MapOptions
from hotspots.render.privacy import apply_privacy
from hotspots.render.risk_zones import RISK_COLOUR, risk_zones_of, with_risk_zones

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]

X0, Y0 = 514_000.0, 6_570_000.0
AS_OF = pd.Timestamp("2026-11-23 00:00", tz=TIMEZONE)


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    blocked: list[str] = []

    def route(r) -> None:
        if _local(r.request.url):
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


def _local(url: str) -> bool:
    return url.startswith(("data:", "blob:", "about:", "file:"))


def _frame(make_incidents, rng):
    """Robberies in pairs (30 m, 2 days apart) over a year; in its last week six robberies in
    the square 515-516 km east, 6571-6572 km north; assaults clustered; vandalism at random."""
    xs, ys, ts, cs = [], [], [], []
    for _ in range(40):
        x, y = rng.uniform(0, 3000, 2)
        when = AS_OF - pd.Timedelta(days=float(rng.uniform(30, 350)))
        xs += [X0 + x, X0 + x + 30]
        ys += [Y0 + y, Y0 + y + 10]
        ts += [when, when + pd.Timedelta(days=2)]
        cs += ["robbery", "robbery"]
    for k in range(6):
        xs.append(X0 + 1100 + 410 * (k % 2))
        ys.append(Y0 + 1100 + 410 * (k // 2))
        ts.append(AS_OF - pd.Timedelta(hours=10 + 20 * k))
        cs.append("robbery")
    for _ in range(80):
        xs.append(X0 + 600 + rng.normal(0, 50))
        ys.append(Y0 + 400 + rng.normal(0, 50))
        ts.append(AS_OF - pd.Timedelta(days=float(rng.uniform(1, 360))))
        cs.append("assault_public")
    for _ in range(150):
        xs.append(X0 + rng.uniform(0, 3000))
        ys.append(Y0 + rng.uniform(0, 3000))
        ts.append(AS_OF - pd.Timedelta(days=float(rng.uniform(1, 360))))
        cs.append("vandalism")
    times = pd.DatetimeIndex(ts).tz_convert(TIMEZONE)
    return make_incidents(np.array(xs), np.array(ys), times=times, categories=cs)


def _snapshot(tmp_path: Path, frame, profile: str, lang: str = "sv") -> tuple[Path, int]:
    result = run_analysis(frame, config=AnalysisConfig(bandwidth_m=200.0), geography=None)
    zones = recent_zones(frame, as_of=AS_OF)
    content = with_risk_zones(apply_privacy(result, profile=profile), zones)
    layer = risk_zones_of(content)
    assert layer is not None
    path = write_html(content, tmp_path / f"{profile}.html", options=MapOptions(lang=lang))
    return path, len(layer.areas)


def _zone_paths(pg) -> int:
    return pg.locator(f"path.leaflet-interactive[stroke='{RISK_COLOUR}']").count()


def _toggle(pg, name: str):
    label = pg.locator(".leaflet-control-layers-overlays label").filter(has_text=name)
    assert label.count() == 1, pg.locator(".leaflet-control-layers-overlays").inner_text()
    return label.locator("input")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_layer_is_off_until_toggled_and_its_legend_follows(
    tmp_path: Path, page, make_incidents, rng, lang: str
) -> None:
    path, n_zones = _snapshot(tmp_path, _frame(make_incidents, rng), "internal", lang)
    assert n_zones == 6
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-image-layer", state="attached")
    box = _toggle(page, t("layer_risk", lang))
    legend = page.locator('.hs-legend [data-hs="risk"]')
    assert not box.is_checked()
    assert _zone_paths(page) == 0
    assert legend.count() == 1
    assert not legend.is_visible()
    box.check()
    page.wait_for_timeout(300)
    assert _zone_paths(page) == 6  # a circle around each recent robbery
    assert legend.is_visible()
    text = legend.inner_text()
    assert t("legend_risk", lang) in text
    assert "100 m" in text
    # a zone's pop-up: the category and the date it is in force until
    page.locator(f"path.leaflet-interactive[stroke='{RISK_COLOUR}']").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert t("report_near_repeat_until", lang) in popup.inner_text()
    box.uncheck()
    page.wait_for_timeout(300)
    assert _zone_paths(page) == 0
    assert not legend.is_visible()
    assert page.errors == []  # type: ignore[attr-defined]
    assert page.blocked == []  # type: ignore[attr-defined]


def test_public_layer_shows_only_aggregated_areas(tmp_path: Path, page, make_incidents, rng):
    frame = _frame(make_incidents, rng)
    path, n_areas = _snapshot(tmp_path, frame, "public")
    assert n_areas == 1  # the six recent robberies share one km square
    page.goto(path.as_uri())
    page.wait_for_selector(".leaflet-image-layer", state="attached")
    _toggle(page, t("layer_risk", "sv")).check()
    page.wait_for_timeout(300)
    assert _zone_paths(page) == 1
    page.locator(f"path.leaflet-interactive[stroke='{RISK_COLOUR}']").first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    shown = popup.inner_text()
    assert "6" in shown
    assert "2026-11" not in shown  # no incident time, no date in force
    assert page.errors == []  # type: ignore[attr-defined]
