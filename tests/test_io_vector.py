"""GeoJSON, GeoPackage and Shapefile (.shp and zipped) readers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from numpy.testing import assert_allclose
from shapely.geometry import LineString, Point

from hotspots.core.errors import InputFileError
from hotspots.core.schema import TIMEZONE
from hotspots.io import detect_format, read_file

NOW = pd.Timestamp("2026-06-01 12:00", tz=TIMEZONE)


def sample(crs: str = "EPSG:3006") -> gpd.GeoDataFrame:
    pts = [Point(413_600, 6_584_200), Point(413_700, 6_584_300), Point(413_800, 6_584_100)]
    frame = gpd.GeoDataFrame(
        {
            "tidpunkt": ["2026-03-14 22:15", "2026-03-15 01:40", "2026-03-16 12:00"],
            "kategori": ["Rån", "dui", "Skadegörelse / klotter"],
            "text": ["a", "b", "c"],
        },
        geometry=pts,
        crs="EPSG:3006",
    )
    return frame.to_crs(crs)


@pytest.mark.parametrize(
    ("suffix", "driver", "crs"),
    [
        (".geojson", "GeoJSON", "EPSG:4326"),
        (".gpkg", "GPKG", "EPSG:3006"),
        (".gpkg", "GPKG", "EPSG:3021"),
        (".shp", "ESRI Shapefile", "EPSG:3006"),
    ],
)
def test_vector_formats_roundtrip(tmp_path: Path, suffix: str, driver: str, crs: str) -> None:
    path = tmp_path / f"incidents{suffix}"
    pyogrio.write_dataframe(sample(crs), path, driver=driver)
    assert detect_format(path) == {"GeoJSON": "geojson", "GPKG": "gpkg"}.get(driver, "shp")
    frame, rejects = read_file(path, now=NOW)
    assert len(rejects) == 0
    assert frame.crs.to_epsg() == 3006
    assert_allclose(frame.geometry.x, [413_600, 413_700, 413_800], atol=0.01)
    assert_allclose(frame.geometry.y, [6_584_200, 6_584_300, 6_584_100], atol=0.01)
    assert list(frame["category"]) == ["robbery", "dui", "vandalism"]
    assert frame["occurred_at"][0] == pd.Timestamp("2026-03-14 22:15", tz=TIMEZONE)


def test_zipped_shapefile(tmp_path: Path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    pyogrio.write_dataframe(sample(), folder / "incidents.shp")
    archive = tmp_path / "incidents.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in folder.iterdir():
            zf.write(part, part.name)
    assert detect_format(archive) == "shp"
    frame, rejects = read_file(archive, now=NOW)
    assert len(frame) == 3
    assert len(rejects) == 0


def test_shapefile_without_prj_needs_crs(tmp_path: Path) -> None:
    path = tmp_path / "noprj.shp"
    pyogrio.write_dataframe(sample(), path)
    path.with_suffix(".prj").unlink()
    with pytest.raises(InputFileError, match=r"noprj\.shp: has no CRS .*--crs"):
        read_file(path, now=NOW)
    frame, _ = read_file(path, now=NOW, crs="EPSG:3006")
    assert len(frame) == 3


def test_non_point_and_empty_geometries_are_rejected(tmp_path: Path) -> None:
    frame = sample()
    frame.loc[1, "geometry"] = LineString([(413_600, 6_584_200), (413_700, 6_584_300)])
    frame.loc[2, "geometry"] = None
    path = tmp_path / "mixed.gpkg"
    pyogrio.write_dataframe(frame, path, geometry_type="Unknown")
    out, rejects = read_file(path, now=NOW)
    assert len(out) == 1
    reasons = dict(zip(rejects["row"], rejects["reason"], strict=True))
    assert reasons[2] == "geometry is a LineString, not a point"
    assert reasons[3] == "missing location: geometry is empty"


def test_gpkg_layer_choice(tmp_path: Path) -> None:
    """Of several layers, the one named after the kind is read, whatever its position."""
    other = sample().iloc[[2]].assign(kategori="dui", text="other layer")
    path = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(other, path, layer="other")  # first in the file
    pyogrio.write_dataframe(sample(), path, layer="incidents")
    assert [str(n) for n in pyogrio.list_layers(path)[:, 0]] == ["other", "incidents"]
    frame, _ = read_file(path, now=NOW)
    assert list(frame["category"]) == ["robbery", "dui", "vandalism"]
    assert list(frame["description"]) == ["a", "b", "c"]
    # with no layer named after the kind, several spatial layers are an error naming them
    path = tmp_path / "neither.gpkg"
    pyogrio.write_dataframe(other, path, layer="other")
    pyogrio.write_dataframe(sample(), path, layer="more")
    with pytest.raises(InputFileError, match=r"several layers \(other, more\)"):
        read_file(path, now=NOW)


def test_geojson_survey(tmp_path: Path) -> None:
    marks = gpd.GeoDataFrame(
        {"unsafe": [5, 2], "time_of_day": ["natt", "dag"], "reason": ["belysning", "annat"]},
        geometry=[Point(13.5, 59.38), Point(13.51, 59.381)],
        crs="EPSG:4326",
    )
    path = tmp_path / "survey.geojson"
    pyogrio.write_dataframe(marks, path, driver="GeoJSON")
    frame, rejects = read_file(path, kind="survey", now=NOW)
    assert len(rejects) == 0
    assert list(frame["unsafe"]) == [5, 2]
    assert frame.crs.to_epsg() == 3006


@pytest.mark.shared_data
def test_real_geojson_without_incident_fields(shared_data: Path) -> None:
    path = shared_data / "karlstad" / "karlstad_parker_points.geojson"
    with pytest.raises(InputFileError, match="has no time column"):
        read_file(path, now=NOW)


@pytest.mark.shared_data
def test_real_geojson_points_as_survey_marks(shared_data: Path, tmp_path: Path) -> None:
    """Real Karlstad park points, given an unsafe score, read as survey marks in EPSG:3006."""
    parks = pyogrio.read_dataframe(shared_data / "karlstad" / "karlstad_parker_points.geojson")
    parks["otrygghet"] = 3
    path = tmp_path / "parks.geojson"
    pyogrio.write_dataframe(parks, path, driver="GeoJSON")
    frame, rejects = read_file(path, kind="survey", now=NOW)
    assert len(frame) + rejects["row"].nunique() == len(parks)
    assert len(frame) == len(parks)
    expected = parks.to_crs(3006)
    assert_allclose(frame.geometry.x, expected.geometry.x, atol=1e-6)


def test_empty_feature_collection(tmp_path: Path) -> None:
    path = tmp_path / "empty.geojson"
    path.write_text('{"type": "FeatureCollection", "features": []}')
    with pytest.raises(InputFileError, match=r"empty\.geojson: .*no features"):
        read_file(path, now=NOW)


def test_geopackage_given_as_csv_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "store.gpkg"
    pyogrio.write_dataframe(sample(), path)
    with pytest.raises(InputFileError, match=r"store\.gpkg: is not a text file"):
        read_file(path, fmt="csv", now=NOW)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"nope\.csv: file not found"):
        read_file(tmp_path / "nope.csv", now=NOW)
