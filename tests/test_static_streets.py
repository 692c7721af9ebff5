"""Streets, names and buildings on the PNG/PDF map at the page's scale
(render/static_streets.py), on a synthetic town built from a pyosmium-written extract."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.path import Path as MplPath
from numpy.testing import assert_allclose
from PIL import Image
from pyproj import Transformer
from street_town import lonlat, town_incidents, write_town

from hotspots.core.config import AnalysisConfig
from hotspots.export.static_map import write_static_map
from hotspots.forecast.analysis import run_analysis
from hotspots.render.privacy import apply_privacy
from hotspots.render.static_map import render_static_map
from hotspots.render.static_streets import metres_per_point, scale_denominator
from hotspots.render.streetmap import BUILDING_FILL, style_of
from hotspots.spatial.build import build_geography, write_geography
from hotspots.spatial.geography import load_geography

TO_METRIC = Transformer.from_crs(4326, 3006, always_xy=True)


def _xy(i: float, j: float) -> tuple[float, float]:
    return TO_METRIC.transform(*lonlat(i, j))


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("town")
    pbf = write_town(folder / "town.osm.pbf")
    return load_geography(config=write_geography(build_geography(pbf), folder / "town.gpkg"))


@pytest.fixture(scope="module")
def content(town):
    result = run_analysis(
        town_incidents(), config=AnalysisConfig(bandwidth_m=150.0), geography=town
    )
    return apply_privacy(result, profile="internal")


def _rgb(fig) -> np.ndarray:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    return np.asarray(Image.open(buffer).convert("RGB")).astype(int)


def _pixel(fig, image: np.ndarray, x: float, y: float) -> np.ndarray:
    px, py = fig.axes[0].transData.transform((x, y))
    return image[round(image.shape[0] - py), round(px)]


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def _storgatan_share_white(fig, image: np.ndarray) -> tuple[float, float, int]:
    """Share of white pixels on Storgatan and 30 m south of it, and how many were sampled."""
    white = np.array([255, 255, 255])
    on_street, off_street = [], []
    xmin, xmax = fig.axes[0].get_xlim()
    for i in np.linspace(3.0, 14.0, 45):
        x, y = _xy(i, 10.0)
        if xmin < x < xmax:
            on_street.append(_pixel(fig, image, x, y))
            off_street.append(_pixel(fig, image, x, y - 30.0))  # no street there
    on = np.all(np.abs(np.array(on_street) - white) <= 12, axis=1)
    off = np.all(np.abs(np.array(off_street) - white) <= 12, axis=1)
    return float(np.mean(on)), float(np.mean(off)), len(on_street)


def test_png_shows_the_street_along_its_line(content, town, tmp_path: Path) -> None:
    fig = render_static_map(content, geography=town)
    # Storgatan's fill is white (street class), drawn above the density; a few samples fall
    # under its name, the hotspot's number and the district's name
    assert style_of("street").fill == "#ffffff"
    on, off, n = _storgatan_share_white(fig, _rgb(fig))
    assert n >= 20
    assert on >= 0.75
    assert off <= 0.1
    # the file the snapshot writes (200 dpi) shows it too
    out = write_static_map(content, tmp_path / "map.png", geography=town)
    image = np.asarray(Image.open(out).convert("RGB")).astype(int)
    small = np.asarray(
        Image.fromarray(image.astype(np.uint8)).resize(
            (image.shape[1] // 2, image.shape[0] // 2), Image.Resampling.NEAREST
        )
    ).astype(int)
    on_file, _, _ = _storgatan_share_white(fig, small)
    assert on_file >= 0.75
    # its name is written along it, and the map credits OpenStreetMap
    assert "Storgatan" in _texts(fig)
    assert "© OpenStreetMap contributors" in _texts(fig)


def test_buildings_and_names_follow_the_scale(content, town) -> None:
    street_page = render_static_map(content, geography=town)
    ax = street_page.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    m_per_pt = metres_per_point(ax, (x0, y0, x1, y1))
    assert scale_denominator(m_per_pt) < 20_000
    # the buildings: one light grey compound path (all 15 buildings) below the density
    grey = tuple(int(BUILDING_FILL[k : k + 2], 16) / 255 for k in (1, 3, 5))
    patches = [p for p in ax.patches if np.allclose(p.get_facecolor()[:3], grey)]
    assert len(patches) == 1
    codes = patches[0].get_path().codes
    assert int(np.sum(codes == MplPath.MOVETO)) == 15
    assert patches[0].get_zorder() < 3  # the density's
    # the whole municipality and 30 km around: 1:90 000 or so, no names and no buildings
    wide = render_static_map(content, geography=town, bounds=(*_xy(-200, -100), *_xy(230, 130)))
    ax = wide.axes[0]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    m_per_pt = metres_per_point(ax, (x0, y0, x1, y1))
    assert scale_denominator(m_per_pt) > 30_000
    assert "Storgatan" not in _texts(wide)
    assert not [p for p in ax.patches if np.allclose(p.get_facecolor()[:3], grey)]


def test_scale_denominator() -> None:
    # one point is 0.3528 mm: 3.528 m per point is 1:10 000
    assert_allclose(scale_denominator(0.0254 / 72 * 10_000), 10_000)


def test_pdf_shows_the_street(content, town, tmp_path: Path) -> None:
    out = write_static_map(content, tmp_path / "map.pdf", geography=town)
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is absent")
    fig = render_static_map(content, geography=town)  # the same page: its transform
    subprocess.run(
        ["pdftoppm", "-r", str(int(fig.dpi)), "-png", str(out), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    image = np.asarray(Image.open(page).convert("RGB")).astype(int)
    assert image.shape[:2] == _rgb(fig).shape[:2]
    on, off, _ = _storgatan_share_white(fig, image)
    assert on >= 0.75
    assert off <= 0.1
