from __future__ import annotations

import numpy as np
import pytest
import rasterio

from hotspots.core.config import AnalysisConfig
from hotspots.core.errors import InputSchemaError
from hotspots.export.raster import NODATA, write_density_geotiff
from hotspots.forecast.analysis import run_analysis


def test_geotiff_round_trip(tmp_path, make_incidents, rng) -> None:
    x = rng.normal(500_000, 80, 200)
    y = rng.normal(6_600_000, 80, 200)
    res = run_analysis(make_incidents(x, y), config=AnalysisConfig(cell_m=20), geography=None)
    path = write_density_geotiff(res, tmp_path / "d.tif")
    with rasterio.open(path) as src:
        assert src.crs.to_epsg() == 3006
        assert src.dtypes == ("float32",)
        assert src.nodata == NODATA
        assert src.transform == res.grid.transform
        assert (src.height, src.width) == res.grid.shape
        assert src.tags()["units"] == "incidents per km2"
        assert src.tags(1)["units"] == "incidents per km2"
        data = src.read(1)
    mask = res.study_mask
    assert (data[~mask] == NODATA).all()
    np.testing.assert_allclose(data[mask], res.density[mask], rtol=1e-6)
    # north-up: the densest cell is at the same row/col in the file and the array
    assert np.unravel_index(np.argmax(data), data.shape) == np.unravel_index(
        np.nanargmax(res.density), res.density.shape
    )
    with pytest.raises(InputSchemaError, match="survey"):
        write_density_geotiff(res, tmp_path / "s.tif", surface="survey")
