"""The streets, names and buildings the maps draw (render/streetmap.py), and a built geography
GeoPackage given to --geography: a synthetic town written with pyosmium's writer, built with
``hotspots geography build``'s code, loaded as a user would."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from numpy.testing import assert_allclose
from pyproj import Transformer
from shapely.geometry import LineString
from street_town import BUILDINGS, STREETS, lonlat, write_town

from hotspots.core.errors import InputSchemaError
from hotspots.load.settings import base_geography
from hotspots.render import streetmap
from hotspots.render.streetmap import (
    drawn_buildings,
    drawn_streets,
    label_anchors,
    map_area,
    street_class,
    street_lines,
)
from hotspots.spatial.build import build_geography, write_geography
from hotspots.spatial.geography import default_geography, load_geography

TO_METRIC = Transformer.from_crs(4326, 3006, always_xy=True)


def _xy(i: float, j: float) -> tuple[float, float]:
    return TO_METRIC.transform(*lonlat(i, j))


@pytest.fixture(scope="module")
def town_gpkg(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("town")
    pbf = write_town(folder / "town.osm.pbf")
    return write_geography(build_geography(pbf), folder / "town.gpkg")


@pytest.fixture(scope="module")
def town(town_gpkg: Path):
    return load_geography(config=town_gpkg)


# ------------------------------------------------------------------------------------------
# a built geography given to --geography
# ------------------------------------------------------------------------------------------
def test_built_gpkg_loads_as_the_geography(town, town_gpkg: Path) -> None:
    assert sorted(town.districts["name"]) == ["Centrum", "Öster"]
    assert set(town.streets["name"]) >= set(STREETS)
    assert len(town.buildings) == len(BUILDINGS)
    assert town.attribution == "© OpenStreetMap contributors"
    assert town.sources["buildings"] == str(town_gpkg)
    # the lake is water, Storgatan is on land
    lake = shapely.Point(_xy(24, 5))
    assert town.water.contains(lake)
    assert town.land.contains(shapely.Point(_xy(10, 10)))
    # the same through --geography / HOTSPOTS_GEOGRAPHY
    geo = base_geography(town_gpkg, metric_crs="EPSG:3006")
    assert len(geo.buildings) == len(BUILDINGS)


def test_built_gpkg_with_empty_layers_keeps_them_empty(tmp_path: Path, town_gpkg: Path) -> None:
    """A town without districts or buildings: no demo layer fills in (Karlstad's districts
    would be wrong for another town)."""
    out = tmp_path / "bare.gpkg"
    for layer in [str(n) for n in pyogrio.list_layers(town_gpkg)[:, 0]]:
        frame = pyogrio.read_dataframe(town_gpkg, layer=layer)
        if layer in ("districts", "buildings"):
            frame = frame.iloc[:0]
        pyogrio.write_dataframe(frame, out, layer=layer, driver="GPKG")
    geo = load_geography(config=out)
    assert len(geo.districts) == 0
    assert geo.buildings is None
    assert geo.sources["districts"] == str(out)  # not the demo's file
    assert not geo.urban.is_empty or len(geo.districts) == 0


def test_a_gpkg_that_is_not_a_built_geography_is_refused(tmp_path: Path, town_gpkg: Path) -> None:
    out = tmp_path / "streets_only.gpkg"
    pyogrio.write_dataframe(
        pyogrio.read_dataframe(town_gpkg, layer="streets"), out, layer="streets", driver="GPKG"
    )
    with pytest.raises(InputSchemaError, match="not a built geography"):
        load_geography(config=out)
    with pytest.raises(InputSchemaError, match="not found"):
        load_geography(config=tmp_path / "missing.gpkg")


# ------------------------------------------------------------------------------------------
# classes, merging, labels, buildings
# ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("highway", "kind", "expected"),
    [
        ("trunk", "", "motorway"),
        ("primary_link", "", "primary"),
        ("tertiary", "secondary", "secondary"),
        ("residential", "street", "street"),
        ("living_street", "", "street"),
        ("service", "street", "service"),
        ("pedestrian", "", "pedestrian"),
        ("footway", "", "path"),
        ("steps", "", "path"),
        ("", "motorway", "motorway"),  # a roads layer with kinds only (the demo)
        ("", "", "street"),
        ("bogus", "primary", "primary"),
    ],
)
def test_street_class(highway: str, kind: str, expected: str) -> None:
    assert street_class(highway, kind) == expected


def test_streets_are_merged_per_name_and_class(town) -> None:
    lines = drawn_streets(town, area=None, tolerance_m=1.0)
    # Storgatan is split at four crossings in the street network, drawn as one line
    assert (town.streets["name"] == "Storgatan").sum() > 1
    storgatan = lines[lines["name"] == "Storgatan"]
    assert len(storgatan) == 1
    assert storgatan["cls"].iloc[0] == "street"
    # 26 steps of 0.001 degrees east at 59.39 N: 26 * 56.8 m, true to a few metres
    assert_allclose(storgatan.geometry.iloc[0].length, 26 * 56.8, rtol=0.01)
    # the most important class first
    ranks = [streetmap.style_of(c).rank for c in lines["cls"]]
    assert ranks == sorted(ranks)
    assert lines["cls"].iloc[0] == "primary"  # Järnvägsgatan


def test_streets_are_cut_to_the_area(town) -> None:
    # the grid of degrees is turned about 1.3 degrees against SWEREF 99 TM's: take the edge
    # where Storgatan (j = 10) crosses i = 10
    x0, y0 = _xy(0, 0)
    x1, y1 = _xy(10, 10)[0], _xy(0, 30)[1]
    lines = drawn_streets(town, area=shapely.box(x0, y0, x1, y1), tolerance_m=1.0)
    storgatan = lines[lines["name"] == "Storgatan"].geometry.iloc[0]
    # from i = 2 to the box's edge at i = 10: 8 steps
    assert_allclose(storgatan.length, 8 * 56.8, rtol=0.01)
    assert "Järnvägsgatan" not in set(lines["name"])  # at i = 20, outside


def test_label_anchors_sit_on_the_street_along_it() -> None:
    import geopandas as gpd

    lines = gpd.GeoDataFrame(
        {
            "name": ["Långgatan", "Tvärgatan", "", "Kort"],
            "cls": ["street", "primary", "street", "street"],
        },
        geometry=[
            LineString([(0, 0), (1000, 0)]),  # east-west, 1000 m: two labels
            LineString([(500, 300), (500, -300)]),  # drawn southwards: still read upwards
            LineString([(0, 50), (900, 50)]),  # no name: no label
            LineString([(0, 100), (30, 100)]),  # too short
        ],
        crs=3006,
    )
    anchors = label_anchors(lines, spacing_m=400.0, min_length_m=40.0)
    assert anchors["name"].tolist() == ["Tvärgatan", "Långgatan", "Långgatan"]
    tvar = anchors.iloc[0]
    assert (tvar["x"], tvar["y"]) == (500.0, 0.0)
    assert tvar["angle_deg"] == 90.0  # (-90, 90]: text reads bottom to top, not upside down
    lang = anchors.iloc[1:]
    # 1000 m // 400 m = 2 labels, each in the middle of its 500 m
    assert sorted(lang["x"]) == [250.0, 750.0]
    assert set(lang["angle_deg"]) == {0.0}
    assert set(lang["room_m"]) == {500.0}


def test_map_area_is_the_districts_land_widened(town) -> None:
    area = map_area(town, buffer_m=200.0)
    urban = town.urban
    assert area.contains(urban.buffer(-1.0))
    assert area.area < urban.buffer(260.0).area
    assert area.area > urban.buffer(140.0).area


def test_buildings_in_the_area_and_none_in_the_demo(town) -> None:
    x0, y0 = _xy(0, 0)
    x1, y1 = _xy(6.1, 10.4)[0], _xy(0, 30)[1]
    polys = drawn_buildings(town, area=shapely.box(x0, y0, x1, y1))
    # the buildings west of i = 6.1 (they start at i = 3 + 0.6 k: k <= 5)
    assert len(polys) == 6
    assert all(p.geom_type == "Polygon" for p in polys)
    assert len(drawn_buildings(default_geography(), area=None)) == 0


def test_the_demo_roads_are_its_streets() -> None:
    demo = default_geography()
    lines = street_lines(demo)
    assert len(lines) == len(demo.roads)
    assert {"Drottninggatan", "Kungsgatan"} <= set(lines["name"])
    # a road without a name is named by its number
    unnamed = demo.roads[(demo.roads["name"] == "") & (demo.roads["ref"] != "")]
    if len(unnamed):
        assert set(unnamed["ref"]) <= set(lines["name"])
    assert np.isin(lines["cls"], [c.key for c in streetmap.STREET_CLASSES]).all()
