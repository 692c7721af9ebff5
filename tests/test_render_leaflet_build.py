"""The folium map of :mod:`hotspots.render.leaflet.build`: no CDN, escaped text, profiles."""

from __future__ import annotations

import re

import geopandas as gpd
from privacy_town import analysed
from shapely.geometry import box

from hotspots.render.leaflet.build import build_map, main_hotspots, map_html
from hotspots.render.leaflet.options import MapOptions
from hotspots.render.privacy import apply_privacy


def _page(profile: str = "internal", **options: object) -> str:
    content = apply_privacy(analysed(), profile=profile)
    m = build_map(content, options=MapOptions(**options))  # type: ignore[arg-type]
    return map_html(m)


def test_no_request_leaves_the_machine() -> None:
    page = _page()
    remote = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", page)
    assert remote == []
    for lib in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "fontawesome", "d3js"):
        assert lib not in page
    assert "tile.openstreetmap.org" not in page


def test_script_in_description_is_escaped_in_the_page() -> None:
    page = _page()
    assert '<script>alert("x")' not in page
    # the escaped text reaches the page as a JSON string (tojson turns & and < into \\u...)
    assert "\\u0026lt;script\\u0026gt;alert" in page


def test_public_page_has_no_incident_layer_or_description() -> None:
    page = _page("public")
    assert "maxClusterRadius: 40" not in page
    assert "alert" not in page
    assert "\\u0026lt;script" not in page
    internal = _page("internal")
    assert "maxClusterRadius: 40" in internal


def test_parameters_and_units_are_on_the_map() -> None:
    page = _page(lang="en")
    # the box reaches the page as a JSON string: non-ASCII is \u-escaped
    for text in ("bandwidth 200 m", "cell 25 \\u00d7 25 m", "incidents per km\\u00b2"):
        assert text in page, text


def test_incident_cap_is_announced() -> None:
    content = apply_privacy(analysed(), profile="internal")
    m = build_map(content, options=MapOptions(max_incident_points=10))
    page = map_html(m)
    assert f"10 senaste av {content.n_incidents}" in page


def test_opening_view_shows_the_main_hotspots_not_a_far_small_one() -> None:
    """Hotspots holding 90 % of the hotspot incidents set the view; a far, small one does not."""
    frame = gpd.GeoDataFrame(
        {"incidents": [500, 300, 150, 20], "kind": ["crime"] * 4},
        geometry=[
            box(413_000, 6_584_000, 413_200, 6_584_200),
            box(413_600, 6_584_400, 413_800, 6_584_600),
            box(414_000, 6_583_800, 414_100, 6_583_900),
            box(400_000, 6_590_000, 400_050, 6_590_050),  # 14 km away, 2 % of the incidents
        ],
        crs=3006,
    )
    main = main_hotspots(frame)
    # 500 + 300 = 82 % < 90 %, with 150 it is 97 %: the three town hotspots
    assert main["incidents"].tolist() == [500, 300, 150]
    assert main.total_bounds[0] == 413_000
    # a single hotspot, or none with incidents, is kept as it is
    assert len(main_hotspots(frame.iloc[:1])) == 1
    zero = frame.assign(incidents=0)
    assert len(main_hotspots(zero)) == 4
