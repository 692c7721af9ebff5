"""GeoJSON, GeoPackage and GeoTIFF exports after the privacy profile."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
from privacy_town import analysed

from hotspots.export.package import gpkg_frame, package_zip
from hotspots.render.privacy import SUPPRESS_BELOW, apply_privacy


def _unzip(data: bytes, folder: Path) -> dict[str, Path]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        zf.extractall(folder)
        return {n: folder / n for n in zf.namelist()}


def test_public_package(tmp_path: Path) -> None:
    result = analysed()
    content = apply_privacy(result, profile="public")
    files = _unzip(package_zip(content, result), tmp_path)
    assert set(files) == {"hotspots.geojson", "hotspots.gpkg", "density.tif"}
    fc = json.loads(files["hotspots.geojson"].read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection"
    assert len(fc["features"]) == len(content.hotspots)
    text = files["hotspots.geojson"].read_text(encoding="utf-8")
    assert "sexual_offence" not in text
    layers = {name for name, _ in pyogrio.list_layers(files["hotspots.gpkg"])}
    assert layers == {"hotspots", "cells"}
    cells = gpd.read_file(files["hotspots.gpkg"], layer="cells")
    assert (cells["incidents"] >= SUPPRESS_BELOW).all()
    with rasterio.open(files["density.tif"]) as src:
        band = src.read(1, masked=True)
    # the suppressed cells are blank in the GeoTIFF too
    assert int(np.ma.count_masked(band)) >= content.suppressed_cells > 0


def test_gpkg_frame_turns_lists_into_json() -> None:
    hot = analysed().hotspots
    out = gpkg_frame(hot)
    for col in ("top_categories", "peak_hours", "peak_weekdays", "hour_weekday"):
        assert all(isinstance(v, str) for v in out[col])
        assert [json.loads(v) for v in out[col]] == hot[col].tolist()  # the same values
    assert out["incidents"].tolist() == hot["incidents"].tolist()  # other columns untouched
