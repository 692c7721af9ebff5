from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from pyproj import CRS

from hotspots.engine.survey import CRIME_FEAR_CLASSES, crime_fear_cells, fear_density, fear_weights
from hotspots.spatial.grid import Grid


def _survey(x: list[float], y: list[float], unsafe: list[int | None]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"unsafe": pd.array(unsafe, dtype="Int64")},
        geometry=gpd.points_from_xy(x, y),
        crs="EPSG:3006",
    )


def test_fear_weights_golden() -> None:
    s = _survey([0, 0, 0, 0], [0, 0, 0, 0], [1, 3, 5, None])
    assert_allclose(fear_weights(s), [0.0, 0.5, 1.0, 0.0])


def test_fear_density_integrates_to_weights() -> None:
    g = Grid(0.0, 0.0, 10.0, 60, 60, CRS.from_epsg(3006))
    s = _survey([300, 310, 200], [300, 290, 250], [5, 3, 1])
    mask = np.ones(g.shape, bool)
    d = fear_density(s, grid=g, kernel="quartic", bandwidth_m=50, study_mask=mask)
    assert np.nansum(d) * g.cell_area_km2 == pytest.approx(1.5)


def test_crime_fear_classes_golden() -> None:
    crime = np.array([[True, True, False, False]])
    fear = np.array([[5.0, 0.0, 4.0, 0.0]])
    mask = np.ones((1, 4), bool)
    codes, cut = crime_fear_cells(crime, fear, mask, coverage=0.5)  # 2 densest fear cells
    assert cut == 4.0
    assert_array_equal(codes, [[3, 1, 2, 0]])
    assert [CRIME_FEAR_CLASSES[c] for c in codes[0]] == [
        "high_crime_high_fear",
        "high_crime_low_fear",
        "perceived_unsafe",
        "low",
    ]
    mask[0, 3] = False
    codes, _ = crime_fear_cells(crime, fear, mask, coverage=0.5)
    assert codes[0, 3] == -1
