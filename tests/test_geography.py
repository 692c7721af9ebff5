"""The demo geography of Karlstad and its replacement by official layers."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import CRS, Transformer
from shapely.geometry import Point, box

from hotspots.core.errors import CRSError, InputSchemaError
from hotspots.spatial.geography import (
    DEMO_GEO_DIR,
    PLACE_KINDS,
    ROAD_KINDS,
    Geography,
    default_geography,
    load_geography,
)

# Stora torget, 59.3806 N 13.5025 E; in SWEREF 99 TM (pyproj): E 414 921, N 6 583 390.
TORGET_E, TORGET_N = 414_921.0, 6_583_390.0


@pytest.fixture(scope="module")
def geo() -> Geography:
    return default_geography()


def _pts(xy: list[tuple[float, float]], crs: object = "EPSG:3006") -> gpd.GeoSeries:
    return gpd.GeoSeries([Point(x, y) for x, y in xy], crs=crs)


def test_stora_torget_golden_position(geo: Geography) -> None:
    e, n = Transformer.from_crs(4326, 3006, always_xy=True).transform(13.5025, 59.3806)
    assert abs(e - TORGET_E) < 1.0
    assert abs(n - TORGET_N) < 1.0
    torget = geo.places[geo.places["name"] == "Stora torget"].geometry.iloc[0]
    assert torget.distance(Point(e, n)) < 5.0


def test_layers_are_valid_and_in_metric_crs(geo: Geography) -> None:
    assert geo.crs.equals(CRS.from_epsg(3006))
    for frame in (geo.districts, geo.roads, geo.places):
        assert frame.crs.equals(geo.crs)
        assert frame.geometry.is_valid.all()
        assert not frame.geometry.is_empty.any()
    assert geo.municipality.is_valid
    assert geo.water.is_valid
    assert geo.land.is_valid
    # land is the municipality minus water
    assert geo.land.intersection(geo.water).area < 1.0
    assert geo.land.area == pytest.approx(geo.municipality.difference(geo.water).area, rel=1e-6)
    assert geo.land.area < geo.municipality.area


def test_districts_count_names_and_population(geo: Geography) -> None:
    assert 15 <= len(geo.districts) <= 40
    assert geo.districts["name"].is_unique
    assert set(geo.districts.geom_type) <= {"Polygon", "MultiPolygon"}
    assert (geo.districts["population"] > 0).all()
    # districts do not overlap
    total = geo.districts.geometry.area.sum()
    assert shapely.union_all(geo.districts.geometry.to_numpy()).area == pytest.approx(total)


def test_districts_cover_the_city(geo: Geography) -> None:
    # every land point within 3 km of Stora torget lies in a district
    xs, ys = np.meshgrid(np.arange(-3000, 3001, 100.0), np.arange(-3000, 3001, 100.0))
    xy = np.column_stack([xs.ravel() + TORGET_E, ys.ravel() + TORGET_N])
    xy = xy[np.hypot(xy[:, 0] - TORGET_E, xy[:, 1] - TORGET_N) <= 3000]
    pts = gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=geo.crs)
    on_land = geo.on_land(pts)
    names = geo.district_of(pts[on_land])
    assert on_land.mean() > 0.6  # the square is not in the lake
    assert names.notna().all()


def test_district_of_golden(geo: Geography) -> None:
    uni = geo.places[geo.places["kind"] == "university"].geometry.iloc[0]
    pts = _pts([(TORGET_E, TORGET_N), (uni.x, uni.y), (TORGET_E + 10_000, TORGET_N - 8_000)])
    names = geo.district_of(pts)
    assert names.tolist()[:2] == ["Tingvallastaden (centrum)", "Kronoparken"]
    assert pd.isna(names.iloc[2])  # out in Vänern
    assert names.index.equals(pts.index)
    # WGS84 points are reprojected
    assert geo.district_of(_pts([(13.5025, 59.3806)], crs=4326)).iloc[0] == (
        "Tingvallastaden (centrum)"
    )


def test_district_of_needs_a_crs(geo: Geography) -> None:
    with pytest.raises(CRSError, match="no CRS"):
        geo.district_of(gpd.GeoSeries([Point(TORGET_E, TORGET_N)]))


def test_water_where_the_river_and_lake_are(geo: Geography) -> None:
    # Östra bron crosses the eastern arm (59.38462 N 13.51320 E); Vänern 8 km south-east.
    bridge = Transformer.from_crs(4326, 3006, always_xy=True).transform(13.51320, 59.38462)
    pts = _pts([bridge, (TORGET_E + 10_000, TORGET_N - 8_000), (TORGET_E, TORGET_N)])
    assert geo.on_land(pts).tolist() == [False, False, True]
    assert shapely.Point(bridge).within(geo.water)


def test_roads_are_lines_with_refs_and_kinds(geo: Geography) -> None:
    assert set(geo.roads.geom_type) <= {"LineString", "MultiLineString"}
    assert set(geo.roads["kind"]) <= set(ROAD_KINDS)
    assert {"E18", "E45", "61", "62", "63"} <= set(geo.roads["ref"])
    streets = set(geo.roads.loc[geo.roads["kind"] == "street", "name"])
    assert {"Drottninggatan", "Västra Torggatan", "Östra Torggatan", "Kungsgatan"} <= streets


def test_places_kinds_and_on_land(geo: Geography) -> None:
    assert set(geo.places.geom_type) == {"Point"}
    assert set(geo.places["kind"]) == set(PLACE_KINDS)  # every kind present
    assert geo.on_land(geo.places.geometry).all()
    names = set(geo.places["name"])
    assert {"Stora torget", "Karlstad C / Resecentrum", "Mitt i City", "Bergvik köpcentrum"} <= (
        names
    )
    assert "Karlstads universitet" in names
    # every place lies in a district, except the Vålberg school inside Vålberg's polygon
    assert geo.district_of(geo.places.geometry).notna().all()


def test_places_of_filters_and_validates(geo: Geography) -> None:
    parks = geo.places_of("park")
    assert len(parks) >= 3
    assert set(parks["kind"]) == {"park"}
    with pytest.raises(InputSchemaError, match="unknown"):
        geo.places_of("pub")


def test_demo_files_are_small() -> None:
    files = sorted(DEMO_GEO_DIR.glob("*.geojson"))
    assert {p.stem for p in files} == {"municipality", "water", "districts", "roads", "places"}
    assert all(p.stat().st_size < 50_000 for p in files)


def test_default_geography_is_cached() -> None:
    assert default_geography() is default_geography()


def test_other_metric_crs(geo: Geography) -> None:
    utm = load_geography(metric_crs="EPSG:32633")
    assert utm.crs.equals(CRS.from_epsg(32633))
    assert utm.districts.crs.equals(utm.crs)
    assert utm.land.area == pytest.approx(geo.land.area, rel=1e-3)
    with pytest.raises(CRSError, match="projected"):
        load_geography(metric_crs="EPSG:4326")


# ------------------------------------------------------------------------------------------
# Replacement by user layers
# ------------------------------------------------------------------------------------------
def _write(frame: gpd.GeoDataFrame, path: Path, **kwargs: object) -> Path:
    frame.to_file(path, **kwargs)
    return path


def test_replace_districts_through_overrides_with_column_mapping(
    tmp_path: Path, geo: Geography
) -> None:
    # a user layer in WGS84 with a Swedish name column, as a GeoPackage with a named layer
    cells = gpd.GeoDataFrame(
        {"namn": ["Väst", "Öst"], "folkmangd": [100, 300]},
        geometry=[
            box(TORGET_E - 2000, TORGET_N - 2000, TORGET_E, TORGET_N + 2000),
            box(TORGET_E, TORGET_N - 2000, TORGET_E + 2000, TORGET_N + 2000),
        ],
        crs=3006,
    ).to_crs(4326)
    path = _write(cells, tmp_path / "mina.gpkg", layer="omraden", driver="GPKG")
    out = load_geography(
        overrides={"districts": path, "districts_name": "namn", "districts_layer": "omraden"}
    )
    assert out.districts["name"].tolist() == ["Väst", "Öst"]
    assert out.districts.crs.equals(CRS.from_epsg(3006))
    assert out.districts["population"].tolist() == [100.0, 300.0]
    names = out.district_of(_pts([(TORGET_E - 500, TORGET_N), (TORGET_E + 500, TORGET_N)]))
    assert names.tolist() == ["Väst", "Öst"]
    assert out.sources["districts"] == str(path)
    # the other layers stay the demo ones
    assert len(out.places) == len(geo.places)


def test_config_file_relative_paths_and_constant_place_kind(tmp_path: Path) -> None:
    parks = gpd.GeoDataFrame(
        {"parknamn": ["Park A", "Park B"]},
        geometry=[Point(13.50, 59.38), Point(13.51, 59.385)],
        crs=4326,
    )
    _write(parks, tmp_path / "parker.geojson", driver="GeoJSON")
    cfg = tmp_path / "geo.toml"
    cfg.write_text(
        '[layers]\nplaces = "parker.geojson"\nplaces_name = "parknamn"\nplaces_kind = "park"\n',
        encoding="utf-8",
    )
    out = load_geography(config=cfg)
    assert out.places["kind"].tolist() == ["park", "park"]
    assert out.places["name"].tolist() == ["Park A", "Park B"]
    assert out.places.crs.equals(CRS.from_epsg(3006))


def test_missing_column_error_names_file_and_fix(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame({"kod": ["a"]}, geometry=[box(0, 0, 1, 1)], crs=3006)
    path = _write(frame, tmp_path / "omr.geojson", driver="GeoJSON")
    with pytest.raises(InputSchemaError) as err:
        load_geography(overrides={"districts": path})
    text = str(err.value)
    assert str(path) in text
    assert 'districts_name = "<column>"' in text
    assert "kod" in text
    with pytest.raises(InputSchemaError, match=r"column 'namn' \(from districts_name\)"):
        load_geography(overrides={"districts": path, "districts_name": "namn"})


def test_layer_without_crs_errors_then_works_with_crs_option(tmp_path: Path) -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["Vatten"]},
        geometry=[box(TORGET_E, TORGET_N - 300, TORGET_E + 300, TORGET_N)],
    )
    with pytest.warns(UserWarning, match="crs"):
        path = _write(frame, tmp_path / "vatten.shp")
    assert not path.with_suffix(".prj").exists()
    with pytest.raises(CRSError) as err:
        load_geography(overrides={"water": path})
    assert str(path) in str(err.value)
    assert 'water_crs = "EPSG:3006"' in str(err.value)
    out = load_geography(overrides={"water": path, "water_crs": "EPSG:3006"})
    assert out.on_land(_pts([(TORGET_E + 150, TORGET_N - 150)])).tolist() == [False]


def test_wrong_geometry_unknown_key_missing_file(tmp_path: Path) -> None:
    polys = gpd.GeoDataFrame({"name": ["x"]}, geometry=[box(0, 0, 1, 1)], crs=3006)
    path = _write(polys, tmp_path / "vagar.geojson", driver="GeoJSON")
    with pytest.raises(InputSchemaError, match="LineString"):
        load_geography(overrides={"roads": path})
    with pytest.raises(InputSchemaError, match="unknown key 'district'"):
        load_geography(overrides={"district": path})
    with pytest.raises(InputSchemaError, match="not found"):
        load_geography(overrides={"roads": tmp_path / "saknas.gpkg"})
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[lager]\n", encoding="utf-8")
    with pytest.raises(InputSchemaError, match=r"no \[layers\] table"):
        load_geography(config=cfg)


def test_unknown_road_kind_is_refused(tmp_path: Path) -> None:
    roads = gpd.GeoDataFrame(
        {"name": ["a", "b"], "highway": ["primary", "bridleway"]},
        geometry=[shapely.LineString([(0, 0), (1, 1)]), shapely.LineString([(1, 1), (2, 2)])],
        crs=3006,
    )
    path = _write(roads, tmp_path / "v.geojson", driver="GeoJSON")
    with pytest.raises(InputSchemaError, match="bridleway"):
        load_geography(overrides={"roads": path})


# ------------------------------------------------------------------------------------------
# Real official layers (../shared/data/karlstad), never copied into the project
# ------------------------------------------------------------------------------------------
@pytest.mark.shared_data
def test_official_stadsdelar_and_municipality_replace_demo(
    shared_data: Path, tmp_path: Path
) -> None:
    k = shared_data / "karlstad"
    cfg = tmp_path / "karlstad.toml"
    cfg.write_text(
        "[layers]\n"
        f'districts = "{k / "karlstad_stadsdelar_epsg3006.geojson"}"\n'
        'districts_name = "namn"\n'
        f'municipality = "{k / "karlstad_municipality_from_deso.geojson"}"\n',
        encoding="utf-8",
    )
    geo = load_geography(config=cfg)
    assert geo.crs.equals(CRS.from_epsg(3006))
    assert len(geo.districts) == 66
    assert geo.district_of(_pts([(TORGET_E, TORGET_N)])).iloc[0] == "TINGVALLASTADEN"
    # the official outline (WGS84) includes Vänern; the land mask must still exclude it
    lake_in_outline = geo.municipality.intersection(geo.water)
    assert lake_in_outline.area > 50e6  # tens of km² of Vänern inside the outline
    lake = lake_in_outline.representative_point()
    assert geo.municipality.contains(lake)
    assert not geo.land.contains(lake)
    assert geo.land.intersection(geo.water).area < 1.0
    assert geo.land.area < 0.95 * geo.municipality.area
    assert geo.on_land(_pts([(TORGET_E, TORGET_N)])).tolist() == [True]


@pytest.mark.shared_data
def test_official_deso_and_regso_with_name_columns(shared_data: Path) -> None:
    k = shared_data / "karlstad"
    deso = load_geography(
        overrides={"districts": k / "karlstad_deso_2025.geojson", "districts_name": "desokod"}
    )
    assert len(deso.districts) == 57
    assert deso.districts["name"].str.startswith("1780").all()
    regso = load_geography(overrides={"districts": k / "karlstad_regso_2025.geojson"})
    assert len(regso.districts) == 31  # regsonamn found without a mapping
    assert "Tingvallastaden-Haga" in set(regso.districts["name"])
    with pytest.raises(InputSchemaError) as err:
        load_geography(
            overrides={"districts": k / "karlstad_deso_2025.geojson", "districts_name": "namn"}
        )
    assert "karlstad_deso_2025.geojson" in str(err.value)
    assert "desokod" in str(err.value)


@pytest.mark.shared_data
def test_official_parks_as_places(shared_data: Path) -> None:
    path = shared_data / "karlstad" / "karlstad_parker_points.geojson"
    columns = [c for c in gpd.read_file(path).columns if c != "geometry"]
    name_col = next(
        (c for c in ("name", "namn", "NAMN", "Name", "NAME") if c in columns), columns[0]
    )
    geo = load_geography(overrides={"places": path, "places_name": name_col, "places_kind": "park"})
    assert len(geo.places) == 85
    assert set(geo.places["kind"]) == {"park"}
    assert geo.places.crs.equals(CRS.from_epsg(3006))


def test_zipped_shapefile_layer(tmp_path: Path) -> None:
    import zipfile

    frame = gpd.GeoDataFrame(
        {"namn": ["Ruta"]},
        geometry=[box(TORGET_E - 1000, TORGET_N - 1000, TORGET_E + 1000, TORGET_N + 1000)],
        crs=3006,
    ).to_crs(3021)  # RT90, another Swedish CRS
    _write(frame, tmp_path / "omr.shp")
    archive = tmp_path / "omr.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in tmp_path.glob("omr.*"):
            if part.suffix != ".zip":
                z.write(part, arcname=part.name)
    geo = load_geography(overrides={"districts": archive, "districts_name": "namn"})
    assert geo.district_of(_pts([(TORGET_E, TORGET_N)])).tolist() == ["Ruta"]
    assert geo.districts.geometry.iloc[0].area == pytest.approx(4e6, rel=1e-3)


def test_urban_study_area_is_the_land_of_the_districts() -> None:
    from hotspots.spatial.geography import default_geography

    geo = default_geography()
    urban = geo.with_study_area("urban")
    whole = geo.with_study_area("municipality")
    assert whole is geo
    # the town is a small part of the municipality's land, and lies inside it
    assert urban.land.area < 0.2 * geo.land.area
    assert urban.land.difference(geo.land).area < 1.0
    assert urban.land.area == pytest.approx(geo.urban.area)
    # the other layers are untouched (plans still see every road and place)
    assert urban.roads is geo.roads
    assert urban.water is geo.water


def test_unknown_study_area_is_refused() -> None:
    from hotspots.core.errors import InputSchemaError
    from hotspots.spatial.geography import default_geography

    with pytest.raises(InputSchemaError, match="--study-area: 'county'"):
        default_geography().with_study_area("county")


def test_cli_geography_from_the_environment(shared_data, tmp_path, monkeypatch) -> None:
    from hotspots.cli._geo import base_geography

    districts = shared_data / "karlstad" / "karlstad_stadsdelar_epsg3006.geojson"
    config = tmp_path / "geo.toml"
    config.write_text(
        f'[layers]\ndistricts = "{districts}"\ndistricts_name = "namn"\n', encoding="utf-8"
    )
    assert len(base_geography(None, metric_crs="EPSG:3006").districts) < 40  # the demo's
    monkeypatch.setenv("HOTSPOTS_GEOGRAPHY", str(config))
    official = base_geography(None, metric_crs="EPSG:3006")
    assert len(official.districts) == 66


def test_district_containing_a_cell_or_none_when_it_straddles(geo: Geography) -> None:
    inner = shapely.box(TORGET_E - 10, TORGET_N - 10, TORGET_E + 10, TORGET_N + 10)
    # a box across the boundary of the centre district, and one out in Vänern
    centre = geo.districts.loc[geo.districts["name"] == "Tingvallastaden (centrum)"]
    edge = shapely.get_coordinates(centre.geometry.iloc[0].boundary)[0]
    across = shapely.box(edge[0] - 25, edge[1] - 25, edge[0] + 25, edge[1] + 25)
    lake = shapely.box(TORGET_E + 10_000, TORGET_N - 8_000, TORGET_E + 10_025, TORGET_N - 7_975)
    got = geo.district_containing(gpd.GeoSeries([inner, across, lake], crs=geo.crs))
    assert got.iloc[0] == "Tingvallastaden (centrum)"
    assert pd.isna(got.iloc[1])
    assert pd.isna(got.iloc[2])
