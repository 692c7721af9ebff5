"""GeoTIFF export of the density surface in the metric CRS (float32, nodata outside land)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import rasterio

from hotspots.core.errors import InputSchemaError

if TYPE_CHECKING:
    from hotspots.engine.analysis import HotspotResult

__all__ = ["NODATA", "write_density_geotiff"]

#: Value of cells outside the study area (water, outside the municipality).
NODATA = -9999.0


def write_density_geotiff(result: HotspotResult, path: Path, *, surface: str = "density") -> Path:
    """Write the density surface of ``result`` as a single-band GeoTIFF.

    Parameters
    ----------
    result
        An analysis result.
    path
        Output ``.tif``.
    surface
        ``"density"`` (incidents per km²) or ``"survey"`` (fear-weighted marks per km²).

    Returns
    -------
    pathlib.Path
        The path written: float32, north-up, in the metric CRS of the analysis, ``nodata``
        :data:`NODATA` outside the study area, units and parameters in its tags.
    """
    if surface == "density":
        data = result.density
        units = "incidents per km2"
    else:
        if result.survey_density is None:
            msg = "this analysis has no survey density; pass --survey"
            raise InputSchemaError(msg)
        data = result.survey_density
        units = "fear-weighted survey marks per km2"
    arr = np.where(np.isfinite(data) & result.study_mask, data, NODATA).astype(np.float32)
    grid = result.grid
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    profile = {
        "driver": "GTiff",
        "width": grid.nx,
        "height": grid.ny,
        "count": 1,
        "dtype": "float32",
        "crs": grid.crs.to_wkt(),
        "transform": grid.transform,
        "nodata": NODATA,
        "compress": "deflate",
        "predictor": 3,
        "tiled": True,
    }
    params = result.parameters
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(arr, 1)
        dst.set_band_description(1, f"{surface} ({units})")
        dst.update_tags(
            units=units,
            kernel=str(params.get("kernel")),
            bandwidth_m=str(params.get("bandwidth_m")),
            cell_m=str(grid.cell_m),
            metric_crs=str(params.get("metric_crs")),
            n_incidents=str(params.get("n_incidents")),
            edge_correction=str(params.get("edge_correction")),
        )
        dst.update_tags(1, units=units)
    return path
