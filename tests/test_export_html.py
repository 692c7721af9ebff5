"""The standalone HTML snapshot: assets inlined, nothing remote, text escaped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from privacy_town import analysed

from hotspots.core.errors import InputSchemaError
from hotspots.export.html import inline_assets, standalone_html, write_html
from hotspots.render import assets
from hotspots.render.privacy import apply_privacy


def test_assets_are_inline_not_urls(tmp_path: Path) -> None:
    path = write_html(apply_privacy(analysed(), profile="internal"), tmp_path / "map.html")
    page = path.read_text(encoding="utf-8")
    assert "data:text/javascript" not in page
    assert "data:text/css" not in page
    assert page.count("<script>/* leaflet.js") == 1
    assert page.count("<script>/* jquery.min.js") == 1
    assert "<style>/* leaflet.css" in page
    assert not re.search(r"<(?:script|link)\b[^>]*\b(?:src|href)=", page)
    assert page.index("leaflet.js") < page.index("L.map(")


def test_remote_script_is_refused() -> None:
    with pytest.raises(InputSchemaError, match="remote"):
        inline_assets('<script src="https://cdn.example.org/x.js"></script>')


def test_inline_assets_leaves_other_data_urls() -> None:
    js, _ = assets.js_css_links(("leaflet",))
    page = f'<head><script src="{js[0][1]}"></script><img src="data:image/png;base64,AA"></head>'
    out = inline_assets(page)
    assert "<script>/* leaflet.js" in out
    assert 'src="data:image/png;base64,AA"' in out


def test_public_snapshot_has_no_points_and_no_restricted() -> None:
    content = apply_privacy(analysed(), profile="public")
    page = standalone_html(content)
    assert "maxClusterRadius: 40" not in page  # no incident layer
    assert "sexual_offence" not in page
    assert "Sexualbrott" not in page
    assert "alert" not in page.split("</style>")[-1]
