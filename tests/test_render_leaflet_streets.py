"""The street, name and building layers of the web map (render/leaflet/streets.py) and the
basemap from a WMS or WMTS server (render/leaflet/basemap.py): what the page carries, how
small it is, and the tile URLs (no network: only the URLs are built)."""

from __future__ import annotations

import json
import math
import re
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest
from numpy.testing import assert_allclose
from street_town import STREETS, lonlat, write_town

from hotspots.core.errors import InputSchemaError
from hotspots.render.leaflet import MapOptions
from hotspots.render.leaflet.basemap import (
    Basemap,
    parse_basemap,
    wms_getmap_url,
    wmts_tile_template,
)
from hotspots.render.leaflet.build import base_map
from hotspots.render.leaflet.component import BaseMapCache, render_base
from hotspots.render.leaflet.streets import (
    BUILDING_QUANTUM,
    STREET_QUANTUM,
    building_payload,
    compact_json,
    encode_polyline,
    payload_bytes,
    street_payload,
)
from hotspots.render.streetmap import STREET_CLASSES
from hotspots.spatial.build import build_geography, write_geography
from hotspots.spatial.geography import default_geography, load_geography

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("town")
    pbf = write_town(folder / "town.osm.pbf")
    return load_geography(config=write_geography(build_geography(pbf), folder / "town.gpkg"))


def decode(text: str, at: list[int]) -> list[tuple[int, int]]:
    """The page's decoder (hsDecode) in Python: integer points, moving ``at``."""
    points, i = [], 0
    while i < len(text):
        for k in range(2):
            shift = value = 0
            while True:
                b = ord(text[i]) - 63
                i += 1
                value |= (b & 31) << shift
                shift += 5
                if b < 32:
                    break
            at[k] += ~(value >> 1) if value & 1 else value >> 1
        points.append((at[0], at[1]))
    return points


# ------------------------------------------------------------------------------------------
# encoding
# ------------------------------------------------------------------------------------------
def test_encode_polyline_golden() -> None:
    # Google's example: (38.5, -120.2), (40.7, -120.95), (43.252, -126.453) at 1e5
    pts = np.round(np.array([[38.5, -120.2], [40.7, -120.95], [43.252, -126.453]]) * 1e5)
    deltas = np.diff(pts.astype(np.int64), axis=0, prepend=[[0, 0]])
    text, counts = encode_polyline(deltas.ravel())
    assert text == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
    assert counts.sum() == len(text)
    assert decode(text, [0, 0]) == [tuple(p) for p in pts.astype(int).tolist()]


@pytest.mark.parametrize("value", [0, 1, -1, 15, 16, -16, 511, 512, -70_000, 2**30])
def test_encode_polyline_round_trip(value: int) -> None:
    text, _ = encode_polyline(np.array([value, -value]))
    assert decode(text, [0, 0]) == [(value, -value)]


def test_compact_json_is_safe_in_a_script() -> None:
    text = compact_json({"n": ["</script><b>&'", "Å\u2028"]})
    assert "<" not in text
    assert "&" not in text
    assert json.loads(text) == {"n": ["</script><b>&'", "Å\u2028"]}
    assert " " not in compact_json({"a": [1, 2, 3]})


# ------------------------------------------------------------------------------------------
# the street payload
# ------------------------------------------------------------------------------------------
def test_street_payload_decodes_to_the_streets(town) -> None:
    data = street_payload(town)
    assert data is not None
    assert data["q"] == STREET_QUANTUM
    keys = [c["k"] for c in data["classes"]]
    assert keys == [c.key for c in STREET_CLASSES]
    lines: dict[str, list[list[tuple[int, int]]]] = {}
    at = list(data["o"])  # the differences run on through the band, class by class
    for key, parts in zip(keys, data["fine"], strict=True):
        lines[key] = [decode(s, at) for s in parts]
    # Storgatan, a residential street from (2, 10) to (28, 10): one line, its ends within
    # a quantum of the extract's nodes
    streets = lines["street"]
    lat10 = round(lonlat(0, 10)[1] * STREET_QUANTUM)
    storgatan = [line for line in streets if abs(line[0][0] - lat10) <= 1 and len(line) >= 2]
    assert len(storgatan) == 1
    ends = sorted([storgatan[0][0], storgatan[0][-1]], key=lambda p: p[1])
    for (lat, lon), i in zip(ends, (2, 28), strict=True):
        want_lon, want_lat = lonlat(i, 10)
        assert abs(lat - want_lat * STREET_QUANTUM) <= 1
        assert abs(lon - want_lon * STREET_QUANTUM) <= 1
    assert len(lines["primary"]) == 1  # Järnvägsgatan
    assert len(lines["pedestrian"]) == 1  # Gågatan
    assert len(lines["path"]) == 1  # the footway
    # the main roads at city zoom: Järnvägsgatan and Kungsgatan only
    assert [len(p) for p in data["coarse"]] == [0, 1, 1, 0, 0, 0, 0]


def test_street_labels(town) -> None:
    data = street_payload(town)
    labels = data["labels"]
    names = [labels["names"][n] for n in labels["n"]]
    assert set(names) == set(STREETS)
    n = len(names)
    assert len(labels["y"]) == len(labels["x"]) == len(labels["a"]) == len(labels["r"]) == n
    # Storgatan runs east (angle about 0), Drottninggatan north (about 90, the grid of
    # degrees turned by the meridian convergence of about 1.3 degrees)
    angle = dict(zip(names, labels["a"], strict=True))
    assert abs(angle["Storgatan"]) <= 2
    assert abs(abs(angle["Drottninggatan"]) - 90) <= 2
    # the main road's name comes first
    assert names[0] == "Järnvägsgatan"


def test_names_are_escaped(tmp_path: Path, town) -> None:
    from dataclasses import replace

    streets = town.streets.copy()
    streets.loc[streets["name"] == "Storgatan", "name"] = "<img src=x onerror=alert(1)>"
    evil = replace(town, streets=streets)
    data = street_payload(evil)
    assert "&lt;img src=x onerror=alert(1)&gt;" in data["labels"]["names"]
    html = base_map(evil, MapOptions(), []).get_root().render()
    assert "<img src=x" not in html


def test_building_payload_decodes_to_the_buildings(town) -> None:
    data = building_payload(town)
    assert data is not None
    assert data["q"] == BUILDING_QUANTUM
    assert len(data["p"]) == len(town.buildings)
    at = list(data["o"])
    rings = [decode(b if isinstance(b, str) else b[0], at) for b in data["p"]]
    assert all(len(r) == 4 for r in rings)  # rectangles, the closing point left out
    # the first building's south-west corner is at (3, 10.3), to a quantum
    lon, lat = lonlat(3, 10.3)
    first = min(rings, key=lambda r: min(p[1] for p in r))
    corner = min(first, key=lambda p: (p[0], p[1]))
    assert abs(corner[0] - lat * BUILDING_QUANTUM) <= 1
    assert abs(corner[1] - lon * BUILDING_QUANTUM) <= 1


def test_the_map_carries_the_layers(town) -> None:
    base = render_base(town, MapOptions(lang="en"))
    names = [layer[1] for layer in base.layers]
    assert "Streets and street names" in names
    assert "Buildings" in names
    assert "Main roads" not in names  # the street layer replaced it
    assert "hs-street-label" in base.style
    assert "\\u00a9 OpenStreetMap contributors" in base.script  # the attribution, as JSON
    assert "hsDecode" in base.script
    # the demo geography: its roads are the streets, it has no buildings
    demo = render_base(default_geography(), MapOptions(lang="sv"))
    demo_names = [layer[1] for layer in demo.layers]
    assert "Gator och gatunamn" in demo_names
    assert "Byggnader" not in demo_names


# ------------------------------------------------------------------------------------------
# the payload stays small
# ------------------------------------------------------------------------------------------
def test_demo_payload_is_small() -> None:
    """Measured 4.0 KB (benchmarks/street_payload_bench.py): its 23 roads and 117 names."""
    demo = default_geography()
    assert payload_bytes(street_payload(demo)) < 8 * 1024
    assert building_payload(demo) is None


@pytest.mark.slow
def test_city_payload_is_bounded(tmp_path: Path) -> None:
    """A synthetic city of 20 x 20 blocks of 100 m (2 x 2 km; 42 streets of 2 km with a node
    every 12.5 m and a 2 m wobble, 3,200 buildings): measured 134 bytes per km of street at
    street zoom, 16 bytes per building, 67 KB in all; the 6 x 6 km city of the benchmark
    (28,800 buildings) carries 134 KB of streets and names and 459 KB of buildings."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from street_payload_bench import write_city
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    pbf = tmp_path / "city.osm.pbf"
    counts = write_city(pbf, blocks=20, per_block=8, seed=1)
    city = load_geography(config=write_geography(build_geography(pbf), tmp_path / "city.gpkg"))
    streets = street_payload(city)
    buildings = building_payload(city)
    street_km = 2 * 21 * 2.0
    assert payload_bytes(streets["fine"]) / street_km < 160
    assert payload_bytes(streets["coarse"]) < 1024  # the main roads, simplified at 8 m
    assert payload_bytes(streets["labels"]) / len(streets["labels"]["n"]) < 24
    assert len(buildings["p"]) == counts["buildings"]
    assert payload_bytes(buildings) / counts["buildings"] < 20
    assert payload_bytes(streets) + payload_bytes(buildings) < 80 * 1024


# ------------------------------------------------------------------------------------------
# basemap from a WMS or WMTS server
# ------------------------------------------------------------------------------------------
def test_parse_basemap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTSPOTS_BASEMAP", raising=False)
    assert parse_basemap(None) is None
    assert parse_basemap("none") is None
    wms = parse_basemap("wms:https://kartor.example.se/geoserver/wms#topo:karta,topo:text")
    assert wms == Basemap("wms", "https://kartor.example.se/geoserver/wms", "topo:karta,topo:text")
    wmts = parse_basemap("WMTS:https://kartor.example.se/wmts?token=abc#topowebb@3857")
    assert wmts == Basemap("wmts", "https://kartor.example.se/wmts?token=abc", "topowebb", "3857")
    assert parse_basemap("wmts:https://x.se/wmts#topo").matrix_set == "GoogleMapsCompatible"
    monkeypatch.setenv("HOTSPOTS_BASEMAP", "wms:http://127.0.0.1:8080/wms#bas")
    assert parse_basemap(None) == Basemap("wms", "http://127.0.0.1:8080/wms", "bas")


@pytest.mark.parametrize(
    ("value", "match"),
    [
        ("osm", "wms:URL#LAYER"),
        ("wms:https://x.se/wms", "wms:URL#LAYER"),  # no layer
        ("wms:ftp://x.se/wms#a", "wms:URL#LAYER"),
        ("tms:https://x.se/#a", "wms:URL#LAYER"),
        ("wmts:https://x.se/wmts#topowebb@3006", "Web Mercator.*3857"),
        ("wmts:https://x.se/{Layer}/{TileMatrix}/{TileRow}.png#a", "TileCol"),
        ("wmts:https://x.se/{Layer}/{Zoom}/{TileRow}/{TileCol}.png#a", "Zoom"),
    ],
)
def test_parse_basemap_refuses(value: str, match: str) -> None:
    with pytest.raises(InputSchemaError, match=match):
        parse_basemap(value)


def test_wms_getmap_url() -> None:
    wms = Basemap("wms", "https://kartor.example.se/wms?map=bas", "topo:karta")
    url = wms_getmap_url(wms, 1, 1, 0)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://kartor.example.se/wms"
    query = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    bbox = [float(v) for v in query.pop("BBOX").split(",")]
    assert query == {
        "map": "bas",
        "SERVICE": "WMS",
        "REQUEST": "GetMap",
        "LAYERS": "topo:karta",
        "STYLES": "",
        "FORMAT": "image/png",
        "TRANSPARENT": "false",
        "VERSION": "1.3.0",
        "WIDTH": "256",
        "HEIGHT": "256",
        "CRS": "EPSG:3857",
    }
    # tile 1/1/0 is the north-east quarter of the Web Mercator square
    half = math.pi * 6378137.0
    assert_allclose(bbox, [0.0, 0.0, half, half], atol=1e-6)
    assert "LAYERS=topo%3Akarta" in url


def test_wmts_tile_templates() -> None:
    kvp = Basemap("wmts", "https://kartor.example.se/wmts", "topo karta", "GoogleMapsCompatible")
    assert wmts_tile_template(kvp) == (
        "https://kartor.example.se/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
        "&LAYER=topo%20karta&STYLE=default&TILEMATRIXSET=GoogleMapsCompatible"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&FORMAT=image%2Fpng"
    )
    gwc = Basemap("wmts", "https://k.se/gwc/service/wmts?a=1", "bas", "EPSG:3857")
    assert "&TILEMATRIXSET=EPSG:3857&TILEMATRIX=EPSG:3857:{z}&" in wmts_tile_template(gwc)
    assert wmts_tile_template(gwc).startswith("https://k.se/gwc/service/wmts?a=1&SERVICE=WMTS")
    rest = parse_basemap(
        "wmts:https://api.lantmateriet.se/open/topowebb-ccby/v1/wmts/token/T/1.0.0/"
        "{Layer}/{Style}/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}.png#topowebb@3857"
    )
    assert wmts_tile_template(rest) == (
        "https://api.lantmateriet.se/open/topowebb-ccby/v1/wmts/token/T/1.0.0/"
        "topowebb/default/3857/{z}/{y}/{x}.png"
    )
    assert rest.attribution == "© Lantmäteriet"


def test_basemap_on_the_map(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOTSPOTS_BASEMAP", raising=False)
    monkeypatch.delenv("HOTSPOTS_TILES", raising=False)
    demo = default_geography()
    opts = MapOptions(basemap="wms:https://kartor.example.se/wms#topo")
    script = render_base(demo, opts).script
    assert re.search(r"L\.tileLayer\.wms\(\s*\"https://kartor\.example\.se/wms\"", script)
    assert '"layers": "topo"' in script
    assert '"uppercase": true' in script
    assert '"version": "1.3.0"' in script
    offline = render_base(demo, MapOptions()).script
    assert "tileLayer" not in offline
    # the land and water drawn offline are left to the basemap; streets stay
    assert offline.count("vector_layer_") > script.count("vector_layer_")
    assert "hsDecode" in script
    wmts = render_base(demo, MapOptions(basemap="wmts:https://k.se/wmts#bas")).script
    assert "TILEMATRIX={z}" in wmts
    with pytest.raises(InputSchemaError, match="not both"):
        render_base(demo, MapOptions(basemap="wms:https://k.se/wms#a", tiles="osm"))
    # the app's cache keeps one base per basemap
    cache = BaseMapCache()
    a = cache.base(demo, MapOptions())
    b = cache.base(demo, opts)
    assert a is not b
    assert len(cache) == 2
    assert cache.base(demo, MapOptions(basemap="wms:https://kartor.example.se/wms#topo")) is b
