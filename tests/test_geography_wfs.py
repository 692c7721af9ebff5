"""The kommun's districts from its WFS: the real OWSLib client and the real CLI against a
real HTTP server on this machine (tests/wfs_server.py) speaking WFS 2.0.0 (GML 3.2 in
SWEREF 99 TM, northing first), 1.1.0 (GML 3.1.1 in WGS84, latitude first) and GeoJSON, with
paging; provenance and licence in the geography; and the failures (server down, HTTP 500,
an unknown layer, a refusal, no features) as one line and exit code 2, never a fallback."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely
from numpy.testing import assert_allclose
from osm_town import MUNICIPALITY_3006, write_town_pbf
from wfs_server import WfsServer

from hotspots.cli import run
from hotspots.cli.geography_cmd import WFS_LICENCE_UNKNOWN
from hotspots.core.errors import InputSchemaError
from hotspots.io.wfs import fetch_wfs_layer

X0, Y0 = MUNICIPALITY_3006[:2]

#: Three districts inside the municipality and one outside it (east of x = 416 000).
DISTRICTS = [
    (
        {"stadsdelsnamn": "Inre staden", "kod": 1},
        shapely.box(X0 + 500, Y0 + 500, X0 + 1500, Y0 + 1500),
    ),
    ({"stadsdelsnamn": "Haga", "kod": 2}, shapely.box(X0 + 1500, Y0 + 500, X0 + 2000, Y0 + 1700)),
    (
        {"stadsdelsnamn": "Våxnäs", "kod": 3},
        shapely.Polygon([(X0 + 2500, Y0 + 2500), (X0 + 3500, Y0 + 2500), (X0 + 3000, Y0 + 3300)]),
    ),
    ({"stadsdelsnamn": "Utanför", "kod": 4}, shapely.box(X0 + 5000, Y0, X0 + 5500, Y0 + 500)),
]
AREAS_M2 = [1_000_000.0, 600_000.0, 400_000.0, 250_000.0]


@pytest.fixture(scope="module")
def pbf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_town_pbf(tmp_path_factory.mktemp("osm") / "town.osm.pbf")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------------------------------
# the client
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("version", "output", "page_size"),
    [
        ("2.0.0", "gml", None),
        ("1.1.0", "gml", None),
        ("2.0.0", "geojson", None),
        ("2.0.0", "gml", 3),
        ("1.1.0", "gml", 2),
    ],
    ids=["2.0.0-gml32", "1.1.0-gml311", "2.0.0-geojson", "2.0.0-paged", "1.1.0-paged"],
)
def test_fetch_reprojects_every_feature(version: str, output: str, page_size: int | None) -> None:
    with WfsServer(DISTRICTS, output=output, page_size=page_size) as server:  # type: ignore[arg-type]
        got = fetch_wfs_layer(server.url, "stadsdelar", version=version)
    frame = got.frame
    assert frame.crs.to_epsg() == 3006
    assert frame["stadsdelsnamn"].tolist() == [p["stadsdelsnamn"] for p, _ in DISTRICTS]
    assert frame["kod"].astype(int).tolist() == [1, 2, 3, 4]
    # the same polygons, whatever the axis order and CRS on the wire (WGS84: 8 decimals)
    tol = 0.01 if output == "gml" and version == "2.0.0" else 0.5
    assert_allclose(frame.area.to_numpy(), AREAS_M2, atol=tol * 2000)
    for got_poly, (_, poly) in zip(frame.geometry, DISTRICTS, strict=True):
        assert shapely.hausdorff_distance(got_poly, poly) < tol
    assert got.typename == "kk:stadsdelar"  # the short name found the prefixed one
    assert got.version == version
    assert got.provider == "Testkommun"
    assert got.access_constraints == "Öppna data, CC0 1.0"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", got.fetched_at)
    assert got.source == f"WFS {server.url} (layer kk:stadsdelar, fetched {got.fetched_at})"
    asked = [r.get("request") for r in server.requests]
    assert asked[0] == "GetCapabilities"
    features = [r for r in server.requests if r.get("request") == "GetFeature"]
    if page_size is None:
        assert len(features) == 1 + (version == "1.1.0")  # 1.1.0: then how many (hits)
    else:  # pages of the server's size until all are read
        starts = [int(r.get("startindex", 0)) for r in features if "resulttype" not in r]
        assert starts == list(range(0, len(DISTRICTS), page_size))


def test_fetch_errors_are_one_line_naming_the_service() -> None:
    url = f"http://127.0.0.1:{_closed_port()}/wfs"
    with pytest.raises(InputSchemaError) as down:
        fetch_wfs_layer(url, "stadsdelar", timeout_s=5, alternative="give a file")
    assert str(down.value) == (
        f"WFS {url}: GetCapabilities: cannot connect (Connection refused); "
        "check the address and the network, or give a file"
    )
    with WfsServer(DISTRICTS, fail="capabilities") as server:
        with pytest.raises(InputSchemaError, match=r"GetCapabilities: HTTP 500 .*try again later"):
            fetch_wfs_layer(server.url, "stadsdelar")
    with WfsServer(DISTRICTS, fail="getfeature") as server:
        with pytest.raises(InputSchemaError, match=r"GetFeature kk:stadsdelar: HTTP 500"):
            fetch_wfs_layer(server.url, "stadsdelar")
    with WfsServer(DISTRICTS, fail="refuse") as server:
        with pytest.raises(InputSchemaError) as refused:
            fetch_wfs_layer(server.url, "stadsdelar")
    assert "the service refused (Feature type kk:stadsdelar unknown)" in str(refused.value)
    with WfsServer(DISTRICTS) as server:
        with pytest.raises(InputSchemaError) as unknown:
            fetch_wfs_layer(server.url, "gator")
    assert str(unknown.value) == (
        f"WFS {server.url}: no layer 'gator' (the service offers: kk:stadsdelar); "
        "give one of them with --districts-wfs-layer"
    )
    # a server that ignores startIndex answers every page with the first: never doubled
    with WfsServer(DISTRICTS, page_size=2, ignore_paging=True) as server:
        with pytest.raises(InputSchemaError, match="ignores startIndex"):
            fetch_wfs_layer(server.url, "stadsdelar")
    with WfsServer([]) as server:
        with pytest.raises(InputSchemaError, match="returned no features"):
            fetch_wfs_layer(server.url, "stadsdelar")
    with pytest.raises(InputSchemaError, match="not supported"):
        fetch_wfs_layer(url, "stadsdelar", version="1.0.0")


# ------------------------------------------------------------------------------------------
# the command: hotspots geography build --districts-wfs
# ------------------------------------------------------------------------------------------
def test_cli_builds_districts_from_the_wfs(
    pbf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "geo.gpkg"
    with WfsServer(DISTRICTS) as server:
        code = run(
            [
                "geography", "build", str(pbf), "--out", str(out),
                "--districts-wfs", server.url, "--districts-wfs-layer", "stadsdelar",
                "--districts-name-field", "stadsdelsnamn",
                "--districts-licence", "CC0 1.0",
            ]
        )  # fmt: skip
    printed = capsys.readouterr().out
    assert code == 0
    districts = pyogrio.read_dataframe(out, layer="districts")
    assert districts.crs.to_epsg() == 3006
    assert districts["name"].tolist() == ["Inre staden", "Haga", "Våxnäs"]  # Utanför clipped
    assert_allclose(districts.area.to_numpy(), AREAS_M2[:3], rtol=1e-9)
    table = pyogrio.read_dataframe(out, layer="layers").set_index("layer")
    row = table.loc["districts"]
    assert re.fullmatch(
        rf"WFS {re.escape(server.url)} \(layer kk:stadsdelar, fetched \d{{4}}-\d\d-\d\dT[\d:]+Z\)",
        row["source"],
    )
    assert (row["licence"], row["attribution"], row["features"]) == ("CC0 1.0", "Testkommun", 3)
    assert table.loc["streets", "attribution"] == "© OpenStreetMap contributors"
    assert "Testkommun (CC0 1.0)" in printed
    assert f"districts            3 features  WFS {server.url}" in printed


def test_cli_default_licence_says_to_check_the_source(
    pbf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "geo.gpkg"
    named = [({"namn": p["stadsdelsnamn"]}, g) for p, g in DISTRICTS]
    with WfsServer(named, typename="stadsdelar") as server:  # no prefix; names found as namn
        code = run(
            [
                "geography", "build", str(pbf), "--out", str(out),
                "--districts-wfs", server.url, "--districts-wfs-layer", "stadsdelar",
                "--districts-wfs-version", "1.1.0", "--districts-attribution", "Karlstads kommun",
            ]
        )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    row = pyogrio.read_dataframe(out, layer="layers").set_index("layer").loc["districts"]
    assert row["licence"] == (f"{WFS_LICENCE_UNKNOWN} (the service states: Öppna data, CC0 1.0)")
    assert row["attribution"] == "Karlstads kommun"
    assert pyogrio.read_dataframe(out, layer="districts")["name"].tolist() == [
        "Inre staden",
        "Haga",
        "Våxnäs",
    ]


@pytest.mark.parametrize(
    ("server_kw", "layer", "expected"),
    [
        (None, "stadsdelar", r"GetCapabilities: cannot connect \(Connection refused\); check "
         r"the address and the network, or give the districts as a file with "
         r"--layer districts=FILE"),
        ({"fail": "capabilities"}, "stadsdelar", r"GetCapabilities: HTTP 500 Internal Server "
         r"Error; the service has a problem"),
        ({"fail": "getfeature"}, "stadsdelar", r"GetFeature kk:stadsdelar: HTTP 500"),
        ({}, "gator", r"no layer 'gator' \(the service offers: kk:stadsdelar\)"),
        ({"fail": "refuse"}, "stadsdelar", r"the service refused"),
    ],
    ids=["server-down", "http-500-capabilities", "http-500-getfeature", "unknown-layer",
         "refused"],
)  # fmt: skip
def test_cli_wfs_failure_is_one_line_and_exit_2(  # noqa: PLR0917 - pytest passes fixtures
    pbf: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    server_kw: dict[str, str] | None,
    layer: str,
    expected: str,
) -> None:
    out = tmp_path / "geo.gpkg"

    def build(url: str) -> int:
        return run(
            [
                "geography", "build", str(pbf), "--out", str(out),
                "--districts-wfs", url, "--districts-wfs-layer", layer, "--wfs-timeout", "10",
            ]
        )  # fmt: skip

    if server_kw is None:
        url = f"http://127.0.0.1:{_closed_port()}/wfs"
        code = build(url)
    else:
        with WfsServer(DISTRICTS, **server_kw) as server:  # type: ignore[arg-type]
            url = server.url
            code = build(url)
    captured = capsys.readouterr()
    assert code == 2
    err = captured.err.strip()
    assert "\n" not in err
    assert "Traceback" not in err
    assert err.startswith(f"hotspots: error: WFS {url}: ")
    assert re.search(expected, err), err
    assert not out.exists()  # nothing written, no fallback to OpenStreetMap's districts


def test_cli_wfs_options_go_together(
    pbf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "geo.gpkg"
    base = ["geography", "build", str(pbf), "--out", str(out)]
    assert run([*base, "--districts-wfs", "http://127.0.0.1:9/wfs"]) == 2
    assert "go together" in capsys.readouterr().err
    with WfsServer(DISTRICTS) as server:
        both = [
            "--districts-wfs", server.url, "--districts-wfs-layer", "stadsdelar",
            "--layer", f"districts={tmp_path / 'x.gpkg'}",
        ]  # fmt: skip
        assert run([*base, *both]) == 2
        assert "not both" in capsys.readouterr().err
        assert server.requests == []  # refused before the network is asked
        wrong = ["--districts-wfs", server.url, "--districts-wfs-layer", "stadsdelar"]
        assert run([*base, *wrong, "--districts-name-field", "namn"]) == 2
    err = capsys.readouterr().err
    assert "no column 'namn' for the districts names (found gml_id, stadsdelsnamn, kod)" in err
    assert not out.exists()


def test_name_field_and_polygons_for_a_districts_file(
    pbf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "stadsdelar.gpkg"
    gpd.GeoDataFrame(
        [p for p, _ in DISTRICTS], geometry=[g for _, g in DISTRICTS], crs=3006
    ).to_file(path, layer="stadsdelar")
    out = tmp_path / "geo.gpkg"
    base = ["geography", "build", str(pbf), "--out", str(out)]
    named = ["--layer", f"districts={path}#stadsdelar", "--districts-name-field", "stadsdelsnamn"]
    assert run([*base, *named]) == 0
    districts = pyogrio.read_dataframe(out, layer="districts")
    assert districts["name"].tolist() == ["Inre staden", "Haga", "Våxnäs"]
    points = tmp_path / "punkter.gpkg"
    gpd.GeoDataFrame({"namn": ["A"]}, geometry=[shapely.Point(X0 + 10, Y0 + 10)], crs=3006).to_file(
        points
    )
    capsys.readouterr()
    assert run([*base, "--layer", f"districts={points}"]) == 2
    assert "the districts layer must hold polygons (found Point)" in capsys.readouterr().err
