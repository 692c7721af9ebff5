from __future__ import annotations

import numpy as np
import pytest

from hotspots.core.errors import CRSError
from hotspots.spatial.crs import check_metric, choose_metric_crs, parse_crs


def test_sweden_gets_sweref_and_london_utm30() -> None:
    assert choose_metric_crs(np.array([13.50]), np.array([59.38])).to_epsg() == 3006
    assert choose_metric_crs(np.array([-0.09]), np.array([51.515])).to_epsg() == 32630
    assert choose_metric_crs(np.array([-1.55]), np.array([53.8])).to_epsg() == 32630


def test_geographic_crs_refused_with_hint() -> None:
    with pytest.raises(CRSError, match="EPSG:3006"):
        check_metric("EPSG:4326")
    with pytest.raises(CRSError, match="no CRS"):
        check_metric(None)


def test_parse_crs_accepts_bare_codes() -> None:
    assert parse_crs("3006").to_epsg() == 3006
    with pytest.raises(CRSError, match="--crs"):
        parse_crs("EPSG:999999")
