"""Point checks: the box known to lie in a CRS's area of use gives the same verdicts as
projecting every point to degrees."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import CRS, Transformer

from hotspots.io import _location
from hotspots.io._location import AREA_MARGIN_DEG, TargetCRS, locate, safe_box


@pytest.mark.parametrize("epsg", [3006, 3021, 32633, 27700, 3857])
def test_every_point_of_the_safe_box_is_in_the_area_of_use(epsg: int) -> None:
    crs = CRS.from_epsg(epsg)
    box = safe_box(crs)
    assert box is not None
    rng = np.random.default_rng(epsg)
    x = rng.uniform(box[0], box[2], 20_000)
    y = rng.uniform(box[1], box[3], 20_000)
    # the corners and edges too
    x = np.r_[x, box[0], box[2], box[0], box[2], np.linspace(box[0], box[2], 500)]
    y = np.r_[y, box[1], box[3], box[3], box[1], np.full(500, box[3])]
    lon, lat = Transformer.from_crs(crs, 4326, always_xy=True).transform(x, y)
    area = crs.area_of_use
    m = AREA_MARGIN_DEG
    assert (np.asarray(lon) >= area.west - m).all()
    assert (np.asarray(lon) <= area.east + m).all()
    assert (np.asarray(lat) >= area.south - m).all()
    assert (np.asarray(lat) <= area.north + m).all()


def test_no_box_for_degrees() -> None:
    assert safe_box(CRS.from_epsg(4326)) is None


def _verdicts(a: np.ndarray, b: np.ndarray, target: TargetCRS) -> _location.LocationResult:
    return locate(
        pd.Series(a), pd.Series(b), mode="xy", src_crs=CRS.from_epsg(3006), target=target,
        names=("x", "y"),
    )  # fmt: skip


def test_locate_with_the_box_agrees_with_projecting_every_point(monkeypatch) -> None:
    rng = np.random.default_rng(3)
    n = 5_000
    # all over and around Sweden, swapped pairs, degrees given as metres, junk
    x = rng.uniform(-500_000, 1_500_000, n)
    y = rng.uniform(5_500_000, 8_000_000, n)
    x[:200], y[:200] = y[:200].copy(), x[:200].copy()
    x[200:300], y[200:300] = rng.uniform(10, 20, 100), rng.uniform(55, 65, 100)
    x[300:310] = np.nan
    target = TargetCRS(crs=CRS.from_epsg(3006), from_store=True)
    fast = _verdicts(x, y, target)
    monkeypatch.setattr(_location, "safe_box", lambda crs: None)
    slow = _verdicts(x, y, target)
    assert list(fast.reason) == list(slow.reason)
    np.testing.assert_array_equal(fast.x, slow.x)
    np.testing.assert_array_equal(fast.y, slow.y)
    assert (np.equal(fast.reason, None)).sum() > n // 4
    assert len({r for r in fast.reason if r is not None}) >= 3  # several kinds of reason
