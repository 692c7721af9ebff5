"""The folium map: no CDN, metre-true density overlay, escaped text, layers by profile."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pyproj import CRS, Transformer
from test_privacy import SCRIPT, analysed

from hotspots import mapping
from hotspots._errors import InputSchemaError
from hotspots.export.privacy import apply_privacy
from hotspots.grid import Grid
from hotspots.symbology import DensityClasses


def _page(profile: str = "internal", **options: object) -> str:
    content = apply_privacy(analysed(), profile=profile)
    m = mapping.build_map(content, options=mapping.MapOptions(**options))  # type: ignore[arg-type]
    return mapping.map_html(m)


def test_escape_html_makes_markup_and_template_syntax_inert() -> None:
    out = mapping.escape_html(SCRIPT)
    assert "<" not in out
    assert ">" not in out
    assert "`" not in out
    assert "$" not in out
    assert "\\" not in out
    assert out.startswith("&lt;script&gt;")
    assert mapping.escape_html(None) == ""
    assert mapping.escape_html(float("nan")) == ""


def test_no_request_leaves_the_machine() -> None:
    page = _page()
    remote = re.findall(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", page)
    assert remote == []
    for lib in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "fontawesome", "d3js"):
        assert lib not in page
    assert "tile.openstreetmap.org" not in page


def test_tiles_setting() -> None:
    assert mapping.resolve_tiles("none") is None
    assert mapping.resolve_tiles("osm") == mapping.OSM_URL
    url = "http://localhost:8080/{z}/{x}/{y}.png"
    assert mapping.resolve_tiles(url) == url
    with pytest.raises(InputSchemaError, match="HOTSPOTS_TILES"):
        mapping.resolve_tiles("satellite")
    assert "tile.openstreetmap.org" in _page(tiles="osm")


def test_tiles_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOTSPOTS_TILES", "http://127.0.0.1:9000/{z}/{x}/{y}.png")
    assert mapping.resolve_tiles() == "http://127.0.0.1:9000/{z}/{x}/{y}.png"
    monkeypatch.delenv("HOTSPOTS_TILES")
    assert mapping.resolve_tiles() is None


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


def test_density_overlay_is_metre_true() -> None:
    # one 100 m cell lit in a 10 x 10 grid: the image's lit pixels must lie at that cell's
    # corners once mapped back through Web Mercator to EPSG:3006
    crs = CRS.from_epsg(3006)
    grid = Grid(x0=413_000.0, y0=6_584_000.0, cell_m=100.0, nx=10, ny=10, crs=crs)
    values = np.zeros(grid.shape)
    values[3, 6] = 10.0  # row 3 from the north, column 6 from the west
    values[0, 0] = 5.0
    classes = DensityClasses((1.0, 8.0), ("#ffff00", "#ff0000"))
    out = mapping.density_overlay(values, grid, classes)
    assert out is not None
    png, bounds = out
    img = np.array(Image.open(io.BytesIO(png)))
    (s, w), (n, e) = bounds
    merc = Transformer.from_crs(4326, 3857, always_xy=True)
    (mw, me), (ms, mn) = merc.transform([w, e], [s, n])
    rows, cols = np.nonzero(img == 2)  # palette index 2 = second class (red)
    px_x = mw + (cols.mean() + 0.5) * (me - mw) / img.shape[1]
    px_y = mn - (rows.mean() + 0.5) * (mn - ms) / img.shape[0]
    back = Transformer.from_crs(3857, 3006, always_xy=True)
    x, y = back.transform(px_x, px_y)
    assert abs(x - (413_000.0 + 650.0)) < 15.0
    assert abs(y - (6_585_000.0 - 350.0)) < 15.0
    # the lit area is one cell: 100 m x 100 m, give or take a pixel
    merc_scale = 1 / np.cos(np.radians((s + n) / 2))
    px_m = (me - mw) / img.shape[1] / merc_scale
    assert abs(len(rows) * px_m * px_m - 100.0 * 100.0) < 0.25 * 100.0 * 100.0


def test_density_overlay_empty_is_none() -> None:
    grid = Grid(x0=0.0, y0=6_500_000.0, cell_m=50.0, nx=4, ny=4, crs=CRS.from_epsg(3006))
    classes = DensityClasses((1.0,), ("#ff0000",))
    assert mapping.density_overlay(np.zeros(grid.shape), grid, classes) is None


def test_incident_cap_is_announced() -> None:
    content = apply_privacy(analysed(), profile="internal")
    m = mapping.build_map(content, options=mapping.MapOptions(max_incident_points=10))
    page = mapping.map_html(m)
    assert f"10 senaste av {content.n_incidents}" in page


# ---------------------------------------------------------------------------------------------
# the app's split map (base kept in the browser, overlay replaced)


def _parts(profile: str = "internal", **options: object) -> mapping.MapParts:
    content = apply_privacy(analysed(), profile=profile)
    return mapping.map_parts(content, options=mapping.MapOptions(**options))  # type: ignore[arg-type]


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
    parts = mapping.map_parts(content)
    page = mapping.map_html(mapping.build_map(content))
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
    from hotspots.geography import default_geography

    content = apply_privacy(analysed(), profile="public")
    geo = default_geography()
    sv = mapping.map_parts(content, geography=geo, options=mapping.MapOptions(lang="sv"))
    en = mapping.map_parts(content, geography=geo, options=mapping.MapOptions(lang="en"))
    assert "L.geoJSON(" in sv.base
    assert sv.base != en.base
    # the layer control (overlay) names the geography layers the base made
    names = set(re.findall(r"vector_layer_hs\d+", sv.base))
    assert names
    assert names <= set(re.findall(r"vector_layer_hs\d+", sv.overlay))


def test_incident_points_decode_to_the_incidents() -> None:
    from hotspots.crs import to_wgs84

    content = apply_privacy(analysed(), profile="internal")
    layer = mapping._incident_layer(content, mapping.MapOptions(), [])
    assert layer is not None
    d = layer.points
    inc = content.incidents
    assert len(inc) < 5000  # all of them, in their order (no cap)
    wgs = to_wgs84(inc)
    n = len(inc)
    assert len(d["lat"]) == len(d["lon"]) == len(d["c"]) == len(d["t"]) == len(d["d"]) == n
    lat = (d["lat0"] + np.asarray(d["lat"])) / 1e6
    lon = (d["lon0"] + np.asarray(d["lon"])) / 1e6
    assert np.abs(lat - wgs.geometry.y.to_numpy()).max() <= 0.6e-6
    assert np.abs(lon - wgs.geometry.x.to_numpy()).max() <= 0.6e-6
    # the browser formats t with UTC getters: the same as the local wall clock here
    for minutes, when in zip(d["t"][:50], inc["occurred_at"][:50], strict=True):
        shown = pd.Timestamp(minutes * 60, unit="s").strftime("%Y-%m-%d %H:%M")
        assert shown == when.strftime("%Y-%m-%d %H:%M")
    # distinct values listed once, escaped; every index points into its list
    assert len(set(d["dd"])) == len(d["dd"])
    assert max(d["d"]) < len(d["dd"])
    assert all("<script>" not in v for v in d["dd"])
    assert mapping.escape_html(SCRIPT) in d["dd"]
    categories = [layer.categories[c] for c in d["c"]]
    assert "Sexualbrott" not in categories
    assert d["i"] == [mapping.escape_html(v) for v in inc["id"]]


def test_map_parts_direct_rendering_equals_folium_rendering(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from hotspots.geography import default_geography

    content = apply_privacy(analysed(), profile="internal")
    geo = default_geography()
    strip = re.compile(r"_[0-9a-f]{32}")

    def lines(parts: mapping.MapParts) -> list[str]:
        return [s for line in parts.overlay.splitlines() if (s := strip.sub("", line).strip())]

    direct = mapping.map_parts(content, geography=geo)
    monkeypatch.setattr(mapping, "_DIRECT", ())  # every element through folium's render
    folium_made = mapping.map_parts(content, geography=geo)
    assert lines(direct) == lines(folium_made)
    assert direct.base == folium_made.base
    assert set(direct.style.split("\n")) == set(folium_made.style.split("\n"))
    assert any(line.endswith(".addTo(map_hs);") for line in lines(direct))


def test_lazy_incidents_leave_the_points_out_but_keep_the_layer() -> None:
    content = apply_privacy(analysed(), profile="internal")
    lazy = mapping.map_parts(content, options=mapping.MapOptions(lazy_incidents=True))
    full = mapping.map_parts(content, options=mapping.MapOptions())
    assert "maxClusterRadius: 40" in lazy.overlay  # the layer is there (layer control)
    assert "window.hsRequest('incidents')" in lazy.overlay
    assert "\\u0026lt;script\\u0026gt;alert" not in lazy.overlay  # no description
    assert "\\u0026lt;script\\u0026gt;alert" in full.overlay
    assert len(lazy.overlay) < len(full.overlay)
    # the cap is announced the same way with or without the points
    capped = mapping.MapOptions(max_incident_points=10, lazy_incidents=True)
    assert (
        f"10 senaste av {content.n_incidents}" in mapping.map_parts(content, options=capped).overlay
    )
    # the standalone page never leaves them out
    assert "hsRequest" in mapping.map_html(mapping.build_map(content))  # the code path exists
    assert "\\u0026lt;script\\u0026gt;alert" in mapping.map_html(mapping.build_map(content))


def test_opening_view_shows_the_main_hotspots_not_a_far_small_one() -> None:
    """Hotspots holding 90 % of the hotspot incidents set the view; a far, small one does not."""
    import geopandas as gpd
    from shapely.geometry import box

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
    main = mapping._main_hotspots(frame)
    # 500 + 300 = 82 % < 90 %, with 150 it is 97 %: the three town hotspots
    assert main["incidents"].tolist() == [500, 300, 150]
    assert main.total_bounds[0] == 413_000
    # a single hotspot, or none with incidents, is kept as it is
    assert len(mapping._main_hotspots(frame.iloc[:1])) == 1
    zero = frame.assign(incidents=0)
    assert len(mapping._main_hotspots(zero)) == 4


def test_public_map_parts_have_no_incident_points_even_when_asked_for() -> None:
    """At street zoom the app asks for the points; in the public profile there are none."""
    content = apply_privacy(analysed(), profile="public")
    for lazy in (True, False):
        parts = mapping.map_parts(content, options=mapping.MapOptions(lazy_incidents=lazy))
        assert "maxClusterRadius: 40" not in parts.overlay
        assert "hsRequest('incidents')" not in parts.overlay
        assert "alert" not in parts.overlay
        assert "alert" not in parts.base
