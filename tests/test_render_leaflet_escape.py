"""Escaping of :mod:`hotspots.render.leaflet.escape`: markup and template syntax made inert."""

from __future__ import annotations

from privacy_town import SCRIPT

from hotspots.render.leaflet.escape import escape_html


def test_escape_html_makes_markup_and_template_syntax_inert() -> None:
    out = escape_html(SCRIPT)
    assert "<" not in out
    assert ">" not in out
    assert "`" not in out
    assert "$" not in out
    assert "\\" not in out
    assert out.startswith("&lt;script&gt;")
    assert escape_html(None) == ""
    assert escape_html(float("nan")) == ""
