"""Shared fixtures: tiny EPSG:3006 frames, a seeded rng, the shared real data, a temp store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from hotspots.schema import INCIDENT_COLUMNS, TIMEZONE

#: ../shared/data beside the project (read-only real data; absent on some machines).
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(12345)


@pytest.fixture
def shared_data() -> Path:
    """The shared real data folder; skips the test when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA} (../shared/data is absent here)")
    return SHARED_DATA


@pytest.fixture
def tmp_db(tmp_path: Path) -> Path:
    """Path of a store that does not exist yet."""
    return tmp_path / "store.gpkg"


@pytest.fixture
def make_incidents() -> Callable[..., gpd.GeoDataFrame]:
    """Build an incident frame in EPSG:3006 from x, y (metres), times and categories."""

    def _make(
        x: np.ndarray,
        y: np.ndarray,
        *,
        times: pd.DatetimeIndex | list[str] | None = None,
        categories: list[str] | str = "assault_public",
        crs: str = "EPSG:3006",
    ) -> gpd.GeoDataFrame:
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        n = len(x)
        if times is None:
            times = pd.date_range("2026-01-05 22:00", periods=n, freq="7D", tz=TIMEZONE)
        t = pd.DatetimeIndex(pd.to_datetime(times))
        if t.tz is None:
            t = t.tz_localize(TIMEZONE)
        cats = [categories] * n if isinstance(categories, str) else list(categories)
        frame = pd.DataFrame(
            {
                "id": [f"t{i}" for i in range(n)],
                "occurred_at": t.tz_convert(TIMEZONE),
                "occurred_until": pd.Series(pd.DatetimeIndex([pd.NaT] * n).tz_localize(TIMEZONE)),
                "time_precision": "exact",
                "category": cats,
                "source_category": cats,
                "precision": "exact",
                "source": "polis",
                "description": "",
                "import_id": "fixture",
            }
        )
        for col, dtype in INCIDENT_COLUMNS.items():
            frame[col] = frame[col].astype(dtype)
        return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(x, y), crs=crs)

    return _make


@pytest.fixture
def lattice_points() -> np.ndarray:
    """An esda-style six-point fixture in EPSG:3006 metres around Stora torget, Karlstad
    (59.3806 N, 13.5025 E = E 414 921, N 6 583 390)."""
    return np.array(
        [
            (414_900.0, 6_583_400.0),
            (414_950.0, 6_583_400.0),
            (415_000.0, 6_583_450.0),
            (414_900.0, 6_583_500.0),
            (415_100.0, 6_583_500.0),
            (415_200.0, 6_583_600.0),
        ]
    )
