"""Basemap tiles of :mod:`hotspots.render.leaflet.options`: none, OpenStreetMap or a URL."""

from __future__ import annotations

import pytest
from privacy_town import analysed

from hotspots.core.errors import InputSchemaError
from hotspots.render.leaflet.build import build_map, map_html
from hotspots.render.leaflet.options import OSM_URL, MapOptions, resolve_tiles
from hotspots.render.privacy import apply_privacy


def _page(profile: str = "internal", **options: object) -> str:
    content = apply_privacy(analysed(), profile=profile)
    m = build_map(content, options=MapOptions(**options))  # type: ignore[arg-type]
    return map_html(m)


def test_tiles_setting() -> None:
    assert resolve_tiles("none") is None
    assert resolve_tiles("osm") == OSM_URL
    url = "http://localhost:8080/{z}/{x}/{y}.png"
    assert resolve_tiles(url) == url
    with pytest.raises(InputSchemaError, match="HOTSPOTS_TILES"):
        resolve_tiles("satellite")
    assert "tile.openstreetmap.org" in _page(tiles="osm")


def test_tiles_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOTS_TILES", "http://127.0.0.1:9000/{z}/{x}/{y}.png")
    assert resolve_tiles() == "http://127.0.0.1:9000/{z}/{x}/{y}.png"
    monkeypatch.delenv("HOTSPOTS_TILES")
    assert resolve_tiles() is None
