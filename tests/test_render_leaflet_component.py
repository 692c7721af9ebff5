"""The app's split map (:mod:`hotspots.render.leaflet.component`): base kept, overlay replaced."""

from __future__ import annotations

import re

import pytest
from privacy_town import analysed

from hotspots.app.cache_harm import map_profile
from hotspots.render.leaflet import component
from hotspots.render.leaflet.build import build_map, map_html
from hotspots.render.leaflet.component import BaseMapCache, MapParts, map_parts
from hotspots.render.leaflet.options import MapOptions
from hotspots.render.privacy import apply_privacy
from hotspots.spatial.geography import default_geography


def _parts(profile: str = "internal", **options: object) -> MapParts:
    content = apply_privacy(analysed(), profile=profile)
    return map_parts(content, options=MapOptions(**options))  # type: ignore[arg-type]


def test_map_parts_base_is_the_same_for_another_analysis() -> None:
    internal, public = _parts("internal"), _parts("public")
    assert internal.base == public.base  # same geography and options: the browser keeps it
    assert internal.overlay != public.overlay
    assert internal.map_name == "map_hs"
    assert internal.base.lstrip().startswith("var map_hs = L.map(")
    assert internal.html == '<div class="folium-map" id="map_hs" ></div>'
    # the overlay holds the analysis and only refers to the map by its global name
    assert "L.map(" not in internal.overlay
    assert "image_overlay_" in internal.overlay
    assert ".addTo(map_hs)" in internal.overlay
    assert "maxClusterRadius: 40" in internal.overlay
    assert "maxClusterRadius: 40" not in public.overlay


def test_map_parts_hold_the_same_scripts_as_the_page() -> None:
    content = apply_privacy(analysed(), profile="internal")
    parts = map_parts(content)
    page = map_html(build_map(content))
    # apart from element ids, every line of both scripts is in the standalone page
    strip = re.compile(r"_[0-9a-f]{32}|_hs\d*\b")
    page_lines = {strip.sub("", line).strip() for line in page.splitlines()}
    for script in (parts.base, parts.overlay):
        for line in script.splitlines():
            assert strip.sub("", line).strip() in page_lines, line[:120]
    bounds = parts.bounds
    assert bounds is not None
    assert bounds[0][0] < bounds[1][0]
    assert bounds[0][1] < bounds[1][1]
    assert ".hs-box" in parts.style
    assert "<style>" not in parts.style


def test_map_parts_escape_descriptions() -> None:
    overlay = _parts("internal").overlay
    assert '<script>alert("x")' not in overlay
    assert "\\u0026lt;script\\u0026gt;alert" in overlay
    public = _parts("public").overlay
    assert "alert" not in public


def test_map_parts_geography_is_in_the_base_in_the_language() -> None:
    content = apply_privacy(analysed(), profile="public")
    geo = default_geography()
    sv = map_parts(content, geography=geo, options=MapOptions(lang="sv"))
    en = map_parts(content, geography=geo, options=MapOptions(lang="en"))
    assert "L.geoJSON(" in sv.base
    assert sv.base != en.base
    # the layer control (overlay) names the geography layers the base made
    names = set(re.findall(r"vector_layer_hs\d+", sv.base))
    assert names
    assert names <= set(re.findall(r"vector_layer_hs\d+", sv.overlay))


def test_map_parts_direct_rendering_equals_folium_rendering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    content = apply_privacy(analysed(), profile="internal")
    geo = default_geography()
    strip = re.compile(r"_[0-9a-f]{32}")

    def lines(parts: MapParts) -> list[str]:
        return [s for line in parts.overlay.splitlines() if (s := strip.sub("", line).strip())]

    direct = map_parts(content, geography=geo)
    monkeypatch.setattr(component, "_DIRECT", ())  # every element through folium's render
    folium_made = map_parts(content, geography=geo)
    assert lines(direct) == lines(folium_made)
    assert direct.base == folium_made.base
    assert set(direct.style.split("\n")) == set(folium_made.style.split("\n"))
    assert any(line.endswith(".addTo(map_hs);") for line in lines(direct))


def test_lazy_incidents_leave_the_points_out_but_keep_the_layer() -> None:
    content = apply_privacy(analysed(), profile="internal")
    lazy = map_parts(content, options=MapOptions(lazy_incidents=True))
    full = map_parts(content, options=MapOptions())
    assert "maxClusterRadius: 40" in lazy.overlay  # the layer is there (layer control)
    assert "window.hsRequest('incidents')" in lazy.overlay
    assert "\\u0026lt;script\\u0026gt;alert" not in lazy.overlay  # no description
    assert "\\u0026lt;script\\u0026gt;alert" in full.overlay
    assert len(lazy.overlay) < len(full.overlay)
    # the cap is announced the same way with or without the points
    capped = MapOptions(max_incident_points=10, lazy_incidents=True)
    assert f"10 senaste av {content.n_incidents}" in map_parts(content, options=capped).overlay
    # the standalone page never leaves them out
    assert "hsRequest" in map_html(build_map(content))  # the code path exists
    assert "\\u0026lt;script\\u0026gt;alert" in map_html(build_map(content))


def test_public_map_parts_have_no_incident_points_even_when_asked_for() -> None:
    """At street zoom the app asks for the points; in the public profile there are none."""
    content = apply_privacy(analysed(), profile="public")
    for lazy in (True, False):
        parts = map_parts(content, options=MapOptions(lazy_incidents=lazy))
        assert "maxClusterRadius: 40" not in parts.overlay
        assert "hsRequest('incidents')" not in parts.overlay
        assert "alert" not in parts.overlay
        assert "alert" not in parts.base


def test_base_map_cache_reuses_a_base_per_geography_and_language() -> None:
    """The caller's cache gives the same base as rendering afresh, and renders it once."""
    content = apply_privacy(analysed(), profile="public")
    geo = default_geography()
    bases = BaseMapCache(max_entries=2)
    sv = MapOptions(lang="sv")
    first = map_parts(content, geography=geo, options=sv, bases=bases)
    kept = bases.base(geo, sv)
    assert bases.base(geo, sv) is kept  # kept, not rendered again
    assert len(bases) == 1
    fresh = map_parts(content, geography=geo, options=sv)  # the same base without a cache
    assert (first.map_name, first.html, first.style, first.base, first.bounds) == (
        fresh.map_name,
        fresh.html,
        fresh.style,
        fresh.base,
        fresh.bounds,
    )
    en = map_parts(content, geography=geo, options=MapOptions(lang="en"), bases=bases)
    assert en.base != first.base
    assert len(bases) == 2
    map_parts(content, geography=None, options=sv, bases=bases)  # a third key: oldest goes
    assert len(bases) == 2
    assert bases.base(geo, sv) is not kept  # rendered again after it was dropped


def test_base_map_caches_are_separate_objects() -> None:
    """No module state: one cache never sees what another rendered."""
    content = apply_privacy(analysed(), profile="public")
    a, b = BaseMapCache(), BaseMapCache()
    map_parts(content, options=MapOptions(), bases=a)
    assert len(a) == 1
    assert len(b) == 0


def test_a_planner_s_map_without_points_is_the_analyst_s() -> None:
    """The two profiles differ only in the incidents' descriptions: until the points are asked
    for (street zoom) the planner's map is byte for byte the analyst's, so the app renders it
    once for both (hotspots.app.cache_harm.map_profile)."""
    internal = apply_privacy(analysed(), profile="internal")
    planning = apply_privacy(analysed(), profile="planning")
    lazy = MapOptions(lazy_incidents=True)
    assert _ids_out(map_parts(planning, options=lazy)) == _ids_out(
        map_parts(internal, options=lazy)
    )
    # with the points they differ: the analyst's carry the descriptions
    full = MapOptions()
    planner_full = _ids_out(map_parts(planning, options=full))
    assert planner_full != _ids_out(map_parts(internal, options=full))
    assert "\\u0026lt;script\\u0026gt;alert" not in planner_full[4]
    assert map_profile("planning", incidents=False) == "internal"
    assert map_profile("planning", incidents=True) == "planning"
    assert map_profile("public", incidents=True) == "public"


def _ids_out(parts: MapParts) -> tuple[object, ...]:
    """The parts with folium's random element ids (32 hex digits) made equal."""
    return tuple(
        re.sub(r"[0-9a-f]{32}", "ID", v) if isinstance(v, str) else v
        for v in (parts.map_name, parts.html, parts.style, parts.base, parts.overlay, parts.bounds)
    )
