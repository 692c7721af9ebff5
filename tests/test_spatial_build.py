"""``geography build``: a small synthetic OpenStreetMap extract written with pyosmium's writer
becomes one GeoPackage with streets split at junctions, water, land, buildings, places and
a provenance table; the file loads through today's geography loader."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from numpy.testing import assert_allclose
from osm_town import grid_lonlat, write_osm_pbf
from pyproj import Geod

from hotspots.cli import run
from hotspots.core.errors import InputFileError, InputSchemaError
from hotspots.spatial.build import (
    BUILD_LAYERS,
    LayerSource,
    build_geography,
    classify_place,
    read_osm,
    street_flags,
    write_geography,
)
from hotspots.spatial.geography import load_geography

#: node id -> grid position (i east, j north), 0.001 degree steps (osm_town.grid_lonlat)
NODES: dict[int, tuple[float, float]] = {
    # municipality boundary (a 20 x 20 square)
    1: (0, 0),
    2: (20, 0),
    3: (20, 20),
    4: (0, 20),
    # Storgatan: 10 -> 11 -> 12 (junction with the footway at 11)
    10: (2, 5),
    11: (4, 5),
    12: (6, 5),
    # footway 11 -> 13
    13: (4, 8),
    # motorway 20 -> 21 -> 22
    20: (1, 15),
    21: (8, 15),
    22: (15, 15),
    # private service road 30 -> 31, path with foot=no 31 -> 32
    30: (10, 2),
    31: (12, 2),
    32: (14, 2),
    # lake (closed way) 40..43
    40: (10, 8),
    41: (14, 8),
    42: (14, 12),
    43: (10, 12),
    # building 50..53
    50: (2, 2),
    51: (3, 2),
    52: (3, 3),
    53: (2, 3),
    # school grounds 60..63 and park 70..73
    60: (5, 10),
    61: (7, 10),
    62: (7, 12),
    63: (5, 12),
    70: (16, 4),
    71: (18, 4),
    72: (18, 6),
    73: (16, 6),
    # suburb "Centrum" 80..83
    80: (1, 1),
    81: (9, 1),
    82: (9, 9),
    83: (1, 9),
}

POINT_PLACES = [
    (100, (3, 6), {"amenity": "pub", "name": "Krogen"}),
    (101, (3.5, 6), {"amenity": "nightclub", "name": "Klubben"}),
    (102, (5, 6), {"shop": "alcohol", "name": "Systembolaget"}),
    (103, (6, 7), {"amenity": "parking"}),
    (104, (7, 4), {"railway": "station", "name": "Centralen"}),
    (105, (8, 4), {"amenity": "bus_station", "name": "Busstorget"}),
    (
        106,
        (8, 6),
        {"amenity": "community_centre", "community_centre": "youth_centre", "name": "Fritid"},
    ),
    (107, (30, 30), {"amenity": "pub", "name": "Utanför"}),  # outside the municipality
    (108, (4, 4), {"amenity": "cafe", "name": "Kaffe"}),  # not a place of interest
]


@pytest.fixture(scope="module")
def pbf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_osm_pbf(
        tmp_path_factory.mktemp("osm") / "town.osm.pbf",
        nodes={nid: grid_lonlat(i, j) for nid, (i, j) in NODES.items()},
        tagged_nodes=[(nid, grid_lonlat(i, j), tags) for nid, (i, j), tags in POINT_PLACES],
        ways=[
            (1, [1, 2, 3, 4, 1], {}),
            (2, [10, 11, 12], {"highway": "residential", "name": "Storgatan"}),
            (3, [11, 13], {"highway": "footway"}),
            (4, [20, 21, 22], {"highway": "motorway", "ref": "E18", "bridge": "yes"}),
            (5, [30, 31], {"highway": "service", "access": "private"}),
            (6, [31, 32], {"highway": "path", "foot": "no"}),
            (7, [40, 41, 42, 43, 40], {"natural": "water", "name": "Sjön"}),
            (8, [50, 51, 52, 53, 50], {"building": "house"}),
            (9, [60, 61, 62, 63, 60], {"amenity": "school", "name": "Skolan"}),
            (10, [70, 71, 72, 73, 70], {"leisure": "park", "name": "Parken"}),
            (11, [80, 81, 82, 83, 80], {"place": "suburb", "name": "Centrum"}),
        ],
    )


def _geod_length(i0: float, j0: float, i1: float, j1: float) -> float:
    (lon0, lat0), (lon1, lat1) = grid_lonlat(i0, j0), grid_lonlat(i1, j1)
    return float(Geod(ellps="GRS80").inv(lon0, lat0, lon1, lat1)[2])


# ------------------------------------------------------------------------------------------
# tag rules
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({"highway": "residential"}, (True, True)),
        ({"highway": "footway"}, (True, False)),
        ({"highway": "motorway"}, (False, True)),
        ({"highway": "trunk"}, (False, True)),
        ({"highway": "trunk", "foot": "yes"}, (True, True)),
        ({"highway": "service", "access": "private"}, (False, False)),
        ({"highway": "path", "foot": "no"}, (False, False)),
        ({"highway": "pedestrian", "area": "yes"}, (False, False)),
        ({"highway": "residential", "motor_vehicle": "no"}, (True, False)),
        ({"building": "yes"}, (False, False)),
    ],
)
def test_street_flags(tags: dict[str, str], expected: tuple[bool, bool]) -> None:
    assert street_flags(tags) == expected


@pytest.mark.parametrize(
    ("tags", "kind"),
    [
        ({"amenity": "pub"}, "venue"),
        ({"amenity": "bar"}, "venue"),
        ({"amenity": "nightclub"}, "venue"),
        ({"shop": "alcohol"}, "systembolaget"),
        ({"amenity": "school"}, "school"),
        ({"amenity": "community_centre", "community_centre": "youth_centre"}, "youth_centre"),
        ({"amenity": "bus_station"}, "bus_terminal"),
        ({"railway": "station"}, "station"),
        ({"leisure": "park"}, "park"),
        ({"amenity": "parking"}, "car_park"),
        ({"amenity": "cafe"}, None),
        ({"amenity": "community_centre"}, None),
    ],
)
def test_classify_place(tags: dict[str, str], kind: str | None) -> None:
    got = classify_place(tags)
    assert (got[0] if got else None) == kind


# ------------------------------------------------------------------------------------------
# reading the extract
# ------------------------------------------------------------------------------------------
def test_read_osm_streets_split_at_junctions(pbf: Path) -> None:
    layers = read_osm(pbf)
    streets = layers["streets"]
    assert streets.crs.to_epsg() == 3006
    # Storgatan splits at node 11 (shared with the footway): 2 edges; footway 1; motorway 1
    # (node 21 is used by no other way); the private service road and the foot=no path are
    # neither walkable nor drivable
    got = sorted(zip(streets["osm_id"], streets["u"], streets["v"], strict=True))
    assert got == [(2, 10, 11), (2, 11, 12), (3, 11, 13), (4, 20, 22)]
    st = streets.set_index(["osm_id", "u"])
    assert st.loc[(2, 10), "name"] == "Storgatan"
    assert st.loc[(2, 10), ["walk", "drive"]].tolist() == [True, True]
    assert st.loc[(3, 11), ["walk", "drive"]].tolist() == [True, False]
    motorway = st.loc[(4, 20)]
    assert (motorway["kind"], motorway["ref"]) == ("motorway", "E18")
    assert motorway[["oneway", "bridge", "walk"]].tolist() == [True, True, False]
    # lengths in EPSG:3006 agree with geodesic lengths on GRS80 (scale error < 0.1 %)
    expected = [
        _geod_length(2, 5, 4, 5),
        _geod_length(4, 5, 6, 5),
        _geod_length(4, 5, 4, 8),
        _geod_length(1, 15, 8, 15) + _geod_length(8, 15, 15, 15),
    ]
    order = np.lexsort((streets["u"].to_numpy(), streets["osm_id"].to_numpy()))
    assert_allclose(streets["length_m"].to_numpy()[order], expected, rtol=1e-3)


def test_read_osm_areas_and_places(pbf: Path) -> None:
    layers = read_osm(pbf)
    assert layers["water"]["name"].tolist() == ["Sjön"]
    assert layers["water"]["kind"].tolist() == ["lake"]
    assert layers["buildings"]["building"].tolist() == ["house"]
    assert layers["districts"]["name"].tolist() == ["Centrum"]
    assert layers["municipality"]["name"].tolist() == ["Testkommun"]
    places = layers["places"].set_index("name")
    assert places.loc["Krogen", "kind"] == "venue"
    assert places.loc["Klubben", "kind"] == "venue"
    assert places.loc["Systembolaget", "kind"] == "systembolaget"
    assert places.loc["Centralen", "kind"] == "station"
    assert places.loc["Busstorget", "kind"] == "bus_terminal"
    assert places.loc["Fritid", "kind"] == "youth_centre"
    assert places.loc["Skolan", "kind"] == "school"  # an area: a point inside it
    assert places.loc["Parken", "kind"] == "park"
    assert "Kaffe" not in places.index
    assert (layers["places"]["kind"] == "car_park").sum() == 1


def test_read_osm_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not found"):
        read_osm(tmp_path / "none.osm.pbf")


# ------------------------------------------------------------------------------------------
# the build and the GeoPackage
# ------------------------------------------------------------------------------------------
def test_build_clips_to_the_municipality_and_derives_land(pbf: Path) -> None:
    built = build_geography(pbf)
    layers = built.layers
    assert list(layers) == list(BUILD_LAYERS)
    assert "Utanför" not in set(layers["places"]["name"])
    muni = layers["municipality"].geometry.iloc[0]
    water = layers["water"].geometry.iloc[0]
    land = layers["land"].geometry.iloc[0]
    assert_allclose(land.area, muni.area - water.area, rtol=1e-9)
    assert not land.contains(water.representative_point())
    # the roads are the drivable streets
    assert sorted(layers["roads"]["osm_id"]) == [2, 2, 4]
    prov = built.provenance.set_index("layer")
    assert prov.loc["streets", "attribution"] == "© OpenStreetMap contributors"
    assert prov.loc["streets", "licence"].startswith("ODbL")
    assert prov.loc["land", "source"] == "derived: municipality minus water"
    assert prov.loc["places", "features"] == len(layers["places"])


def test_official_layer_replaces_osm_with_its_licence(pbf: Path, tmp_path: Path) -> None:
    x0, y0 = read_osm(pbf)["municipality"].geometry.iloc[0].bounds[:2]
    stadsdelar = gpd.GeoDataFrame(
        {"namn": ["Inre staden", "Yttre staden"]},
        geometry=[
            shapely.box(x0, y0, x0 + 500, y0 + 500),
            shapely.box(x0 + 500, y0, x0 + 900, y0 + 500),
        ],
        crs="EPSG:3006",
    ).to_crs(4326)
    path = tmp_path / "stadsdelar.gpkg"
    stadsdelar.to_file(path, layer="stadsdelar", driver="GPKG")
    src = LayerSource(path, layer="stadsdelar", attribution="Testkommun", licence="CC0 1.0")
    built = build_geography(pbf, sources={"districts": src})
    districts = built.layers["districts"]
    assert districts["name"].tolist() == ["Inre staden", "Yttre staden"]
    assert districts.crs.to_epsg() == 3006
    assert_allclose(districts.area.to_numpy(), [250_000.0, 200_000.0], rtol=1e-6)
    prov = built.provenance.set_index("layer")
    assert prov.loc["districts", "source"] == "stadsdelar.gpkg (layer stadsdelar)"
    assert (prov.loc["districts", "licence"], prov.loc["districts", "attribution"]) == (
        "CC0 1.0",
        "Testkommun",
    )


def test_unknown_layer_or_municipality_is_refused(pbf: Path, tmp_path: Path) -> None:
    with pytest.raises(InputSchemaError, match="cannot be given"):
        build_geography(pbf, sources={"land": LayerSource(tmp_path / "x.gpkg")})
    with pytest.raises(InputSchemaError, match="Testkommun"):
        build_geography(pbf, municipality="Hammarö")


def test_written_geopackage_loads_as_a_geography(pbf: Path, tmp_path: Path) -> None:
    out = write_geography(build_geography(pbf), tmp_path / "geo" / "town.gpkg")
    names = [str(n) for n in pyogrio.list_layers(out)[:, 0]]
    assert names == [*BUILD_LAYERS, "layers"]
    table = pyogrio.read_dataframe(out, layer="layers")
    assert table["layer"].tolist() == list(BUILD_LAYERS)
    overrides: dict[str, str | Path] = {}
    for layer in ("municipality", "water", "districts", "roads", "places"):
        overrides[layer] = out
        overrides[f"{layer}_layer"] = layer
    geo = load_geography(overrides=overrides)
    assert geo.districts["name"].tolist() == ["Centrum"]
    assert set(geo.roads["kind"]) == {"street", "motorway"}
    assert set(geo.places["kind"]) >= {"venue", "school", "park", "station"}
    # a point in the lake is not on land; one on Storgatan is
    lake = gpd.GeoSeries(gpd.points_from_xy(*np.array(grid_lonlat(12, 10))[:, None]), crs=4326)
    street = gpd.GeoSeries(gpd.points_from_xy(*np.array(grid_lonlat(3, 5))[:, None]), crs=4326)
    assert geo.on_land(lake).tolist() == [False]
    assert geo.on_land(street).tolist() == [True]


def test_cli_geography_build(pbf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "geo.gpkg"
    assert run(["geography", "build", str(pbf), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "streets" in printed
    assert "© OpenStreetMap contributors" in printed
    assert out.is_file()
    code = run(["geography", "build", str(pbf), "--out", str(out), "--licence", "x=CC0"])
    assert code == 2
    assert "without --layer" in capsys.readouterr().err
