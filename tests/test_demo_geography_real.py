"""The demo geography against the real town (issue 15, part 6).

Real data (read where ../shared/data is present): the municipality's official stadsdelar
(Karlstads kommun, CC0) and every address point of Lantmäteriet's Belägenhetsadresser (CC BY
4.0). Targets: at least 99 % of the real address points inside the real stadsdelar fall on the
demo's land and inside its districts; the demo districts cover at least 95 % of the real
stadsdelar's area.

Measured when the demo was redrawn to meet them (hotspots/spatial/demo_geo/README.md says how):
all 18,479 real address points inside the 66 real stadsdelar lie on the demo's land inside its
districts (100.0 %, none in its water; before: 86.8 %, with Stodene, Edsgatan, Stockfallet,
Ilanda, Steffensminne and Dingelsundet outside its districts and 811 points in its water), and
the demo districts cover 99.94 % of the real stadsdelar's 101.9 km² (before: 73.4 %; the least
covered, Knappstad, 96.7 %). The demo districts take 114 km² (without Vålberg): their outline
reaches 100-300 m beyond the official outer edge, 12.0 % of the real area lies beyond it. The
floor tests (and that ceiling) keep the demo from getting worse.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from hotspots.io.address_register import read_register
from hotspots.spatial.geography import default_geography

pytestmark = pytest.mark.shared_data

#: Targets of the issue.
ADDRESS_TARGET = 0.99
AREA_TARGET = 0.95
#: Measured on the demo geography (issue 15, part 6): the floors below.
ADDRESS_MEASURED = 1.0
AREA_MEASURED = 0.9994
#: Demo district area beyond the real stadsdelar, as a share of theirs (Vålberg, a locality
#: of its own 18 km west, left out): generous outlines, but only a bit beyond the real edges.
BEYOND_MEASURED = 0.1203


@dataclass(frozen=True)
class RealTown:
    stadsdelar: shapely.Geometry
    x: np.ndarray  # address points inside the real stadsdelar, EPSG:3006
    y: np.ndarray


@pytest.fixture
def real_town(shared_data: Path) -> RealTown:
    return _load(shared_data / "karlstad")


@functools.cache
def _load(folder: Path) -> RealTown:
    real = gpd.read_file(folder / "karlstad_stadsdelar_epsg3006.geojson").to_crs(3006)
    union = shapely.make_valid(shapely.union_all(real.geometry.to_numpy()))
    shapely.prepare(union)
    reg = read_register(folder / "karlstad_addresses_lantmateriet.csv").frame
    inside = shapely.contains_xy(union, reg["x"].to_numpy(), reg["y"].to_numpy())
    return RealTown(union, reg["x"].to_numpy()[inside], reg["y"].to_numpy()[inside])


def _address_share(town: RealTown) -> float:
    urban = default_geography().urban  # the demo's land inside its districts
    shapely.prepare(urban)
    return float(np.mean(shapely.contains_xy(urban, town.x, town.y)))


def _area_share(town: RealTown) -> float:
    districts = shapely.union_all(default_geography().districts.geometry.to_numpy())
    return float(town.stadsdelar.intersection(districts).area / town.stadsdelar.area)


def test_real_town_data_is_what_we_expect(real_town: RealTown) -> None:
    assert len(real_town.x) > 18_000  # 18,479 address points inside the 66 stadsdelar
    assert 95e6 < real_town.stadsdelar.area < 110e6  # about 102 km²


def test_demo_addresses_do_not_get_worse(real_town: RealTown) -> None:
    assert _address_share(real_town) >= ADDRESS_MEASURED - 0.005


def test_demo_area_does_not_get_worse(real_town: RealTown) -> None:
    assert _area_share(real_town) >= AREA_MEASURED - 0.005


def test_demo_districts_reach_only_a_bit_beyond_the_real_town(real_town: RealTown) -> None:
    districts = default_geography().districts.geometry.to_numpy()
    town = shapely.union_all(districts[shapely.intersects(districts, real_town.stadsdelar)])
    beyond = town.difference(real_town.stadsdelar).area / real_town.stadsdelar.area
    assert beyond <= BEYOND_MEASURED + 0.005


def test_demo_land_and_districts_hold_99_percent_of_real_addresses(real_town: RealTown) -> None:
    assert _address_share(real_town) >= ADDRESS_TARGET


def test_demo_districts_cover_95_percent_of_real_stadsdelar(real_town: RealTown) -> None:
    assert _area_share(real_town) >= AREA_TARGET
