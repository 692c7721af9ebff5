"""A basemap in SWEREF 99 TM (EPSG:3006): the tile grid, its capabilities, the map, the command.

The grid is read from WMTS capabilities shaped like Lantmäteriet's topographic web map
(tests/wmts_server.py) with OWSLib, or given; the map becomes a Proj4Leaflet map in EPSG:3006
whose zoom levels keep their Web Mercator meaning; the density raster is laid out in the
map's CRS; ``hotspots snapshot`` reads the grid from a real local server and stops with exit
code 2 and one line when a 3006 basemap is asked with a set it cannot use.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import geopandas as gpd
import numpy as np
import pytest
from numpy.testing import assert_allclose
from pyproj import CRS, Transformer
from wmts_server import capabilities, serve

from hotspots.cli import run
from hotspots.cli._basemap import resolve_basemap
from hotspots.core.errors import InputSchemaError
from hotspots.io.wmts import capabilities_url, read_capabilities, tile_grid_from_capabilities
from hotspots.render.leaflet.basemap import (
    Basemap,
    map_crs,
    map_crs_script,
    parse_basemap,
    wms_getmap_url,
    wmts_tile_template,
)
from hotspots.render.leaflet.density import density_overlay
from hotspots.spatial.grid import Grid
from hotspots.spatial.tile_grid import (
    LANTMATERIET_3006,
    TileGrid,
    choose_origin,
    parse_tile_grid,
    proj4_definition,
)

TOPOWEBB = "/wmts/1.0.0/topowebb/default/3006/{TileMatrix}/{TileRow}/{TileCol}.png"


@pytest.fixture(autouse=True)
def _no_basemap_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOTSPOTS_BASEMAP", "HOTSPOTS_BASEMAP_CRS", "HOTSPOTS_BASEMAP_GRID"):
        monkeypatch.delenv(name, raising=False)


# --- the tile grid ----------------------------------------------------------------------------


def test_lantmateriet_grid_zooms_keep_their_meaning() -> None:
    grid = LANTMATERIET_3006
    # matrix 0 (4096 m) is map zoom 4: Web Mercator zoom 4 at 62 degrees N is 4596 m per pixel
    assert grid.zoom_offset() == 4
    res = grid.map_resolutions()
    assert len(res) == 20
    assert res[4] == 4096.0
    assert res[16] == 1.0  # street zoom 16: 1 m (Web Mercator: 1.22 m at Karlstad)
    assert res[17] == 0.5  # the last matrix
    assert res[19] == 0.125  # its tiles enlarged
    assert res[0] == 65536.0
    assert grid.native_zooms() == (4, 17)
    lat = math.radians(59.38)  # each zoom within a factor 2**0.5 of Web Mercator's there
    for z in range(20):
        mercator = 2 * math.pi * 6378137.0 * math.cos(lat) / 256 / 2**z
        assert 2**-0.5 < res[z] / mercator < 2**0.5, z


def test_grid_setting_round_trip_and_preset() -> None:
    assert parse_tile_grid("lantmateriet-3006") is LANTMATERIET_3006
    assert parse_tile_grid(LANTMATERIET_3006.to_setting()) == LANTMATERIET_3006
    given = parse_tile_grid("crs=3006; origin=-1200000,8500000 resolutions=4096,2048,1024")
    assert given == TileGrid(
        "EPSG:3006", (-1200000.0, 8500000.0), (4096.0, 2048.0, 1024.0), ("0", "1", "2")
    )
    odd = parse_tile_grid(
        "crs=EPSG:3006 origin=0,7000000 resolutions=100,50,10 ids=a,b,c tile=512 "
        "extent=0,6000000,1000000,7000000"
    )
    assert odd.matrix_ids == ("a", "b", "c")
    assert odd.tile_px == 512
    assert parse_tile_grid(odd.to_setting()) == odd


@pytest.mark.parametrize(
    ("setting", "match"),
    [
        ("origin=0,0 resolutions=1", "lacks crs="),
        ("crs=3006 origin=0 resolutions=1", "takes 2 numbers"),
        ("crs=3006 origin=0,0 resolutions=1,x", "not a list of numbers"),
        ("crs=3006 origin=0,0 resolutions=1,2", "finer"),
        ("crs=3006 origin=0,0 resolutions=2,1 ids=a", "2 resolutions"),
        ("crs=4326 origin=0,0 resolutions=2,1", "not a projected CRS in metres"),
        ("crs=3006 origin=0,0 resolutions=2,1 zoom=3", "zoom=3"),
        ("crs=3006 origin=0,0 resolutions=2,1 tile=2.5", "whole number"),
        ("lantmateriet", "preset: lantmateriet-3006"),
    ],
)
def test_grid_setting_refused(setting: str, match: str) -> None:
    with pytest.raises(InputSchemaError, match=match):
        parse_tile_grid(setting)


def test_corner_axis_order() -> None:
    # northing first (the EPSG order of 3006 in a URN) and easting first give one origin
    assert choose_origin("EPSG:3006", (8500000.0, -1200000.0), northing_first=True) == (
        -1200000.0,
        8500000.0,
    )
    assert choose_origin("EPSG:3006", (-1200000.0, 8500000.0), northing_first=False) == (
        -1200000.0,
        8500000.0,
    )
    # a server that declares northing first but writes easting first is understood too
    assert choose_origin("EPSG:3006", (-1200000.0, 8500000.0), northing_first=True) == (
        -1200000.0,
        8500000.0,
    )
    with pytest.raises(InputSchemaError, match="above and left"):
        choose_origin("EPSG:3006", (5000000.0, 9000000.0), northing_first=False)


def test_proj4_definition_of_sweref() -> None:
    assert proj4_definition("EPSG:3006") == (
        "+proj=utm +zone=33 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
    )
    assert proj4_definition("EPSG:3011").startswith("+proj=tmerc +lat_0=0 +lon_0=18")


# --- WMTS capabilities ------------------------------------------------------------------------


def test_grid_from_capabilities_is_lantmateriets() -> None:
    xml = capabilities()
    grid = tile_grid_from_capabilities(xml, "3006", layer="topowebb")
    assert grid == LANTMATERIET_3006  # corner written northing first in the URN form
    short = tile_grid_from_capabilities(xml, "epsg:3006", layer="topowebb")  # any case
    assert short.origin == (-1200000.0, 8500000.0)  # easting first under EPSG:3006
    assert short.matrix_ids[:2] == ("EPSG:3006:0", "EPSG:3006:1")
    # a URN set written easting first (against the standard) still gets the right corner
    swapped = xml.replace(b"8500000.0 -1200000.0", b"-1200000.0 8500000.0")
    assert tile_grid_from_capabilities(swapped, "3006").origin == (-1200000.0, 8500000.0)


@pytest.mark.parametrize(
    ("matrix_set", "layer", "match"),
    [
        ("nosuch", "topowebb", "no tile matrix set 'nosuch'.*it has: 3006"),
        ("3006", "nosuch", "no layer 'nosuch'"),
        ("3006", "other", "not served in tile matrix set '3006'"),
        ("corners", None, "different corners"),
        ("mixed", None, "256x256, 512x512"),
        ("wgs", None, "not a projected CRS in metres"),
    ],
)
def test_capabilities_refused(matrix_set: str, layer: str | None, match: str) -> None:
    with pytest.raises(InputSchemaError, match=match):
        tile_grid_from_capabilities(capabilities(), matrix_set, layer=layer)


def test_not_capabilities(tmp_path: Path) -> None:
    with pytest.raises(InputSchemaError, match="not a WMTS capabilities document"):
        tile_grid_from_capabilities(b"<html><body>login</body></html>", "3006")
    with pytest.raises(InputSchemaError, match="cannot read the capabilities file"):
        read_capabilities(str(tmp_path / "missing.xml"))


def test_capabilities_url() -> None:
    assert capabilities_url("https://k.se/gwc/service/wmts?token=a") == (
        "https://k.se/gwc/service/wmts?token=a&SERVICE=WMTS&REQUEST=GetCapabilities&VERSION=1.0.0"
    )
    assert capabilities_url(
        "https://maps.lantmateriet.se/open/topowebb-ccby/v1/wmts/1.0.0/topowebb/default/3006/"
        "{TileMatrix}/{TileRow}/{TileCol}.png"
    ) == ("https://maps.lantmateriet.se/open/topowebb-ccby/v1/wmts/1.0.0/WMTSCapabilities.xml")
    assert capabilities_url("https://k.se/tiles/{TileMatrix}/{TileRow}/{TileCol}.png") is None


# --- the map ---------------------------------------------------------------------------------


def test_parse_basemap_with_a_grid(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = f"wmts:https://k.se{TOPOWEBB}#topowebb@3006"
    basemap = parse_basemap(spec, "lantmateriet-3006")
    assert basemap is not None
    assert basemap.grid == LANTMATERIET_3006
    assert map_crs(basemap) == "EPSG:3006"
    assert map_crs(parse_basemap("wms:https://k.se/wms#a", "")) == "EPSG:3857"
    assert wmts_tile_template(basemap) == (
        "https://k.se/wmts/1.0.0/topowebb/default/3006/{z}/{y}/{x}.png"
    )
    monkeypatch.setenv("HOTSPOTS_BASEMAP_GRID", LANTMATERIET_3006.to_setting())
    assert parse_basemap(spec) == basemap  # the app reads both from its environment
    with pytest.raises(InputSchemaError, match="is Web Mercator, but a grid in EPSG:3006"):
        parse_basemap("wmts:https://k.se/wmts#topowebb@3857")
    monkeypatch.setenv("HOTSPOTS_BASEMAP_GRID", "https://k.se/wmts/1.0.0/WMTSCapabilities.xml")
    with pytest.raises(InputSchemaError, match="read by the hotspots command"):
        parse_basemap(spec)
    monkeypatch.delenv("HOTSPOTS_BASEMAP_GRID")
    with pytest.raises(InputSchemaError, match=r"'3006' is not in Web Mercator.*--basemap-grid"):
        parse_basemap(spec)


def test_crs_script() -> None:
    script = map_crs_script(LANTMATERIET_3006)
    assert script.startswith('new L.Proj.CRS("EPSG:3006", "+proj=utm +zone=33 +ellps=GRS80')
    assert '"origin": [-1200000.0, 8500000.0]' in script
    assert '"resolutions": [65536.0, 32768.0, 16384.0, 8192.0, 4096.0, 2048.0' in script
    assert "L.bounds([-1200000.0, 4305696.0], [2994304.0, 8500000.0])" in script


def test_wms_getmap_in_sweref() -> None:
    wms = Basemap("wms", "https://k.se/wms", "topo", grid=LANTMATERIET_3006)
    query = parse_qs(urlsplit(wms_getmap_url(wms, 16, 6400, 7000)).query)
    assert query["SRS"] == ["EPSG:3006"]
    assert query["VERSION"] == ["1.1.1"]  # BBOX stays easting, northing
    assert "CRS" not in query
    bbox = [float(v) for v in query["BBOX"][0].split(",")]
    # zoom 16: 1 m per pixel, 256 m tiles from (-1 200 000, 8 500 000)
    x0 = -1200000.0 + 6400 * 256
    y1 = 8500000.0 - 7000 * 256
    assert_allclose(bbox, [x0, y1 - 256, x0 + 256, y1], rtol=0, atol=1e-6)


def _grid_3006(nx: int = 40, ny: int = 30, cell_m: float = 25.0) -> Grid:
    """A grid whose north-west corner is (514 000, 6 572 000) in EPSG:3006."""
    y0 = 6_572_000.0 - ny * cell_m
    return Grid(x0=514_000.0, y0=y0, cell_m=cell_m, nx=nx, ny=ny, crs=CRS.from_epsg(3006))


def test_density_in_a_sweref_map_is_the_cells() -> None:
    """In a 3006 map the density image is the grid's cells and its corners are the window's."""
    from hotspots.render.symbology import density_classes

    grid = _grid_3006()
    values = np.zeros((grid.ny, grid.nx))
    values[10:14, 5:9] = 100.0  # one block of cells: the window is it plus one cell
    classes = density_classes(values, coverage=0.5)
    assert classes is not None
    png, bounds = density_overlay(values, grid, classes, dst_crs="EPSG:3006")  # type: ignore[misc]
    from io import BytesIO

    from PIL import Image

    image = Image.open(BytesIO(png))
    assert image.size == (6, 6)  # 4 cells and a margin of one on each side
    (se_lat, nw_lon), (nw_lat, se_lon) = bounds
    to_3006 = Transformer.from_crs(4326, 3006, always_xy=True)
    nw = to_3006.transform(nw_lon, nw_lat)
    se = to_3006.transform(se_lon, se_lat)
    assert_allclose(nw, (514_000.0 + 4 * 25.0, 6_572_000.0 - 9 * 25.0), atol=1e-3)
    assert_allclose(se, (514_000.0 + 10 * 25.0, 6_572_000.0 - 15 * 25.0), atol=1e-3)
    # in Web Mercator the same cells are resampled, and the bounds are south-west, north-east
    _, bounds_m = density_overlay(values, grid, classes)  # type: ignore[misc]
    (south, west), (north, east) = bounds_m
    assert south < north
    assert west < east
    assert (west, north) != (nw_lon, nw_lat)  # a Mercator-aligned image, not the 3006 one


def test_map_page_in_sweref(town_incidents: gpd.GeoDataFrame) -> None:
    from privacy_town import analysed

    from hotspots.export.html import standalone_html
    from hotspots.render.leaflet.options import MapOptions
    from hotspots.render.privacy import apply_privacy

    content = apply_privacy(analysed(), profile="internal")
    spec = f"wmts:http://127.0.0.1:9{TOPOWEBB}#topowebb@3006"
    page = standalone_html(
        content, options=MapOptions(basemap=spec, basemap_grid="lantmateriet-3006")
    )
    assert '"crs": new L.Proj.CRS("EPSG:3006"' in page
    assert "/* proj4.js 2.6.1 */" in page
    assert "/* proj4leaflet.js 1.0.2 */" in page
    assert "minNativeZoom: first, maxNativeZoom: 17" in page
    assert '"http://127.0.0.1:9/wmts/1.0.0/topowebb/default/3006/{z}/{y}/{x}.png"' in page
    plain = standalone_html(content, options=MapOptions())
    assert "proj4" not in plain  # a Web Mercator map carries neither library
    assert "L.Proj" not in plain


# --- the command --------------------------------------------------------------------------------


def test_resolve_reads_the_servers_capabilities() -> None:
    with serve((0.0, 0.0)) as server:
        spec = f"wmts:{server.url}{TOPOWEBB}#topowebb@3006"
        basemap, grid = resolve_basemap(spec, crs=None, grid=None)
        assert basemap == spec
        assert parse_tile_grid(grid) == LANTMATERIET_3006
        assert server.requests == ["/wmts/1.0.0/WMTSCapabilities.xml"]
        # the same from a capabilities URL given, and with the CRS spelled out
        _, again = resolve_basemap(
            spec, crs="EPSG:3006", grid=f"{server.url}/wmts/1.0.0/WMTSCapabilities.xml"
        )
        assert again == grid
    # a WMS in 3006 takes Lantmäteriet's grid; Web Mercator basemaps need none
    assert resolve_basemap("wms:https://k.se/wms#a", crs="3006", grid=None) == (
        "wms:https://k.se/wms#a",
        LANTMATERIET_3006.to_setting(),
    )
    assert resolve_basemap("wms:https://k.se/wms#a", crs=None, grid=None) == (
        "wms:https://k.se/wms#a",
        "",
    )
    assert resolve_basemap(None, crs=None, grid=None) == ("none", "")


def test_resolve_from_a_saved_file(tmp_path: Path) -> None:
    saved = tmp_path / "topowebb.xml"
    saved.write_bytes(capabilities())
    spec = f"wmts:https://maps.example.se{TOPOWEBB}#topowebb@3006"
    _, grid = resolve_basemap(spec, crs="3006", grid=str(saved))
    assert parse_tile_grid(grid) == LANTMATERIET_3006


@pytest.mark.parametrize(
    "case",
    [
        ("wmts:{url}/wmts#topowebb@GoogleMapsCompatible", "3006", None, "is Web Mercator"),
        ("wmts:{url}" + TOPOWEBB + "#topowebb@3006", "3857", None, "not Web Mercator"),
        ("wmts:{url}" + TOPOWEBB + "#topowebb@nosuch", None, None, "no tile matrix set"),
        ("wmts:{url}" + TOPOWEBB + "#topowebb@corners", "3006", None, "different corners"),
        ("wmts:{url}" + TOPOWEBB + "#topowebb@3006", "3011", None, "in EPSG:3006, not EPSG:3011"),
        ("wmts:{url}/t/{TileMatrix}/{TileRow}/{TileCol}.png#a@3006", None, None, "cannot be told"),
        ("none", "3006", None, "need a basemap"),
        ("wms:{url}/wms#a", "3011", None, "needs its grid"),
        ("wms:{url}/wms#a", None, "{url}/wmts/1.0.0/WMTSCapabilities.xml", "no tile matrix sets"),
    ],
)
def test_snapshot_refuses_a_bad_sweref_basemap(
    case: tuple[str, str | None, str | None, str], tmp_path: Path, capsys
) -> None:
    """Exit code 2 and one line on stderr, before any data is read."""
    basemap, crs, grid, match = case
    with serve((0.0, 0.0)) as server:
        args = ["snapshot", str(tmp_path / "absent.csv"), "--out", str(tmp_path / "m.html"),
                "--basemap", basemap.replace("{url}", server.url)]  # fmt: skip
        if crs is not None:
            args += ["--basemap-crs", crs]
        if grid is not None:
            args += ["--basemap-grid", grid.replace("{url}", server.url)]
        code = run(args)
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1
    assert re.search(match, err), err


def test_unreachable_capabilities_exit_2(tmp_path: Path, capsys) -> None:
    spec = f"wmts:http://127.0.0.1:9{TOPOWEBB}#topowebb@3006"  # nothing listens on port 9
    code = run(["snapshot", str(tmp_path / "absent.csv"), "--out", str(tmp_path / "m.html"),
                "--basemap", spec])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot read the WMTS capabilities at http://127.0.0.1:9/wmts/1.0.0/" in err


def test_app_refuses_a_bad_sweref_basemap_before_the_server(tmp_path: Path, capsys) -> None:
    with serve((0.0, 0.0)) as server:
        spec = f"wmts:{server.url}{TOPOWEBB}#topowebb@mixed"
        code = run(["app", "--db", str(tmp_path / "s.gpkg"), "--basemap", spec])
    err = capsys.readouterr().err
    assert code == 2
    assert "256x256, 512x512" in err
    assert not (tmp_path / "s.gpkg").exists()  # nothing started, nothing filled
