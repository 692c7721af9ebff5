"""Point incident frames: the same points, CRS and analysis as the GeoDataFrame they mirror."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from numpy.testing import assert_allclose, assert_array_equal
from pyproj import CRS

from hotspots.core.config import AnalysisConfig, Filters, HourWindow
from hotspots.core.errors import CRSError
from hotspots.core.schema import ANALYSIS_COLUMNS
from hotspots.demo.synthetic import planted_incidents, random_clusters
from hotspots.forecast.analysis import run_analysis
from hotspots.spatial.crs import to_metric
from hotspots.spatial.points import (
    frame_crs,
    is_point_frame,
    point_frame,
    point_xy,
    reproject,
)


def _as_points(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The point frame of an incident frame: the analysis columns and x/y."""
    data = pd.DataFrame(frame[list(ANALYSIS_COLUMNS)]).copy()
    return point_frame(data, frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy(), frame.crs)


def test_accessors_agree_with_the_geometry(make_incidents, rng) -> None:
    x = rng.uniform(410_000, 416_000, 50)
    y = rng.uniform(6_580_000, 6_588_000, 50)
    geo = make_incidents(x, y)
    pts = _as_points(geo)
    assert is_point_frame(pts)
    assert not is_point_frame(geo)
    assert frame_crs(pts).equals(CRS.from_epsg(3006))
    assert frame_crs(geo).equals(CRS.from_epsg(3006))
    for frame in (pts, geo):
        px, py = point_xy(frame)
        assert_array_equal(px, x)
        assert_array_equal(py, y)
    pd.testing.assert_frame_equal(
        pd.DataFrame(pts[list(ANALYSIS_COLUMNS)]), pd.DataFrame(geo[list(ANALYSIS_COLUMNS)])
    )
    # the CRS follows a selection and survives a concatenation
    sub = pts[pts["x"] > 413_000]
    assert frame_crs(sub).equals(frame_crs(pts))
    assert frame_crs(pd.concat([sub, sub])).equals(frame_crs(pts))


def test_reprojection_as_geopandas_does_it(make_incidents, rng) -> None:
    geo = make_incidents(rng.uniform(410_000, 416_000, 30), rng.uniform(6_580_000, 6_588_000, 30))
    pts = _as_points(geo)
    utm = CRS.from_epsg(32633)
    moved = reproject(pts, utm)
    assert frame_crs(moved).equals(utm)
    assert_allclose(moved["x"], geo.to_crs(utm).geometry.x, atol=1e-6)
    assert_allclose(moved["y"], geo.to_crs(utm).geometry.y, atol=1e-6)
    assert reproject(pts, CRS.from_epsg(3006)) is pts
    assert frame_crs(pts).equals(CRS.from_epsg(3006))  # the original is left as it was
    # to_metric on a frame in degrees picks the CRS from the data, for either kind
    wgs = reproject(pts, CRS.from_epsg(4326))
    assert frame_crs(to_metric(wgs)).to_epsg() == 3006
    assert to_metric(geo.to_crs(4326)).crs.to_epsg() == 3006
    bare = pts.copy()
    bare.attrs = {}
    with pytest.raises(CRSError, match="no CRS"):
        reproject(bare, utm)


@pytest.mark.parametrize("seed", [7, 8])
def test_analysis_of_a_point_frame_equals_that_of_the_geodataframe(seed: int) -> None:
    """Same hotspots, densities, districts and time profiles from either kind of frame."""
    from hotspots.spatial.geography import default_geography

    geo = default_geography().with_study_area("urban")
    c = (413_600.0, 6_584_200.0)
    bounds = (c[0] - 5000, c[1] - 4000, c[0] + 5000, c[1] + 4000)
    clusters = random_clusters(8, bounds=bounds, seed=seed, n_per_cluster=40, within=geo.land)
    frame = planted_incidents(
        clusters, background_n=2000, bounds=bounds, within=geo.land, seed=seed
    )
    frame.loc[frame.index[::7], "category"] = "domestic_violence"  # restricted: never enters
    frame.loc[frame.index[::11], "precision"] = "district"  # too coarse for a density
    config = AnalysisConfig(coverage=0.03, filters=Filters(hours=HourWindow(20, 4)))
    a = run_analysis(frame, config=config, geography=geo)
    b = run_analysis(_as_points(frame), config=config, geography=geo)
    assert len(a.hotspots) >= 5
    assert_geodataframe_equal(a.hotspots, b.hotspots)
    for name in ("density", "counts", "labels", "gi_z", "gi_p_fdr"):
        assert_array_equal(getattr(a, name), getattr(b, name))
    assert a.parameters == b.parameters
    assert is_point_frame(b.incidents)
    assert len(b.incidents) == len(a.incidents)
    assert not (b.incidents["category"] == "domestic_violence").any()
