"""Offline assets: every script and style of the map comes from the installed XStatic packages."""

from __future__ import annotations

import base64
import re
import subprocess
import sys

import pytest

from hotspots.core.errors import HotspotsError
from hotspots.render import assets


def test_every_asset_is_a_packaged_file() -> None:
    for asset in assets.ASSETS:
        assert asset.path.is_file(), asset
        assert "xstatic" in str(asset.path)


def test_versions_are_the_packaged_ones() -> None:
    versions = assets.asset_versions()
    assert versions["leaflet"].startswith("1.9")
    assert versions["jquery"].startswith("3.")


def test_css_images_are_inlined_and_no_url_left() -> None:
    css = assets.asset_text("leaflet_css")
    urls = re.findall(r"url\(([^)]*)\)", css)
    assert urls, "leaflet.css refers to its layer images"
    # behavior URLs of old IE (#default#VML) are fragment references and never fetched
    assert all(u.startswith(("data:image/", "#")) or u == "none" for u in urls), urls
    assert "images/layers.png" not in css


def test_source_map_comments_are_removed() -> None:
    for name in ("leaflet", "jquery", "markercluster"):
        assert "sourceMappingURL" not in assets.asset_text(name)


def test_data_urls_roundtrip() -> None:
    js, css = assets.js_css_links()
    assert [n for n, _ in js] == ["leaflet", "jquery", "markercluster", "proj4", "proj4leaflet"]
    plain, _ = assets.js_css_links(assets.map_asset_names(projected=False))
    assert [n for n, _ in plain] == ["leaflet", "jquery", "markercluster"]
    for _, url in js + css:
        assert url.startswith(("data:text/javascript;base64,", "data:text/css;base64,"))
    payload = js[0][1].split(",", 1)[1]
    assert base64.b64decode(payload).decode("utf-8") == assets.asset_text("leaflet")


def test_inline_tags_hold_the_text() -> None:
    tags = assets.inline_tags(("leaflet", "leaflet_css"))
    assert tags.count("<script>") == 1
    assert tags.count("<style>") == 1
    assert "L.version" in tags or "Leaflet" in tags


def test_unknown_asset_is_an_error() -> None:
    with pytest.raises(HotspotsError, match="unknown asset"):
        assets.asset_text("bootstrap")


def test_map_component_page_is_self_contained() -> None:
    page = assets.map_component_page()
    # Leaflet and the plugins inline (their own text may mention tags); nothing to fetch
    rest = page
    for asset in assets.ASSETS + assets.PROJ_ASSETS:
        text = assets.asset_text(asset.name)
        assert text in page, asset.name
        rest = rest.replace(text, "")
    assert "<script src=" not in rest
    assert "<link" not in rest
    assert not re.search(r"https?:", rest)
    # the Streamlit component protocol (version 1) and the overlay bookkeeping
    assert '"streamlit:componentReady", {apiVersion: 1}' in page
    assert '"streamlit:render"' in page
    assert "L.Layer.addInitHook" in page
    assert rest.count("<script>") == 6  # five assets and the component


def test_projection_assets_come_from_django_leaflet_without_django() -> None:
    """proj4js and Proj4Leaflet are files of the installed django-leaflet; Django is not run."""
    code = (
        "import sys; from hotspots.render import assets; "
        "print(assets.PROJ_ASSETS[0].path); "
        "print(assets.asset_text('proj4leaflet').splitlines()[0].strip()); "
        "print('django' in sys.modules, 'leaflet' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out[0].endswith("site-packages/leaflet/static/leaflet/proj4.js")
    assert out[1].startswith("(function (factory)")
    assert out[2] == "False False"  # neither Django nor django-leaflet's package was imported
    versions = assets.asset_versions()
    assert versions["proj4"] == "2.6.1"
    assert versions["proj4leaflet"] == "1.0.2"  # the file is that release's, by its digest
    text = assets.asset_text("proj4leaflet")
    assert "L.Proj.CRS = L.Class.extend" in text
    assert "sourceMappingURL" not in assets.asset_text("proj4")
    tags = assets.inline_tags(assets.map_asset_names(projected=True))
    assert tags.index("proj4.js 2.6.1") < tags.index("proj4leaflet.js 1.0.2")
    assert tags.index("leaflet.js 1.9") < tags.index("proj4.js")
