"""The full analysis: the engine's run_analysis with automatic choices made by backtest.

Method, kernel and bandwidth are chosen by rolling backtest when asked (``method="auto"`` or
an automatic bandwidth). Every command and page calls this one.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from hotspots.core.config import AnalysisConfig
from hotspots.engine import analysis as engine
from hotspots.engine.analysis import HotspotResult
from hotspots.forecast import methods, tuning
from hotspots.forecast.streets import Streets, street_lines
from hotspots.spatial.geography import Geography
from hotspots.spatial.grid import Grid
from hotspots.spatial.points import point_xy

__all__ = ["BacktestTuner", "run_analysis"]


class BacktestTuner:
    """The engine's :class:`~hotspots.engine.analysis.Tuner`, by rolling backtest.

    Parameters
    ----------
    roads
        The geography's road layer: street segments are then a candidate of ``auto``.
    """

    def __init__(self, roads: gpd.GeoDataFrame | None = None) -> None:
        self._roads = roads
        self._streets: dict[str, Streets | None] = {}

    def streets(self, crs: object) -> Streets | None:
        """The road lines in ``crs`` (cached), or ``None`` without a road layer."""
        key = str(crs)
        if key not in self._streets:
            roads = self._roads
            if roads is not None and len(roads) and roads.crs is not None:
                roads = roads.to_crs(crs)
            self._streets[key] = street_lines(roads)
        return self._streets[key]

    def choose(
        self, selected: pd.DataFrame, *, grid: Grid, study_mask: np.ndarray, config: AnalysisConfig
    ) -> Any:
        """Backtest choice (:func:`hotspots.forecast.tuning.auto_tune`).

        ``--method auto`` lets every method compete; ``--bandwidth-m auto`` alone tunes the
        bandwidth of the kernel asked for.
        """
        scope = "method" if config.method == "auto" else "bandwidth"
        return tuning.auto_tune(
            selected,
            grid=grid,
            study_mask=study_mask,
            config=config,
            scope=scope,
            streets=self.streets(grid.crs) if scope == "method" else None,
        )

    def density(
        self, choice: Any, selected: pd.DataFrame, *, grid: Grid, mask: np.ndarray
    ) -> np.ndarray:
        """Density per km² of the chosen method, rebuilt exactly as it was scored."""
        times = selected["occurred_at"]
        age = ((times.max() - times).dt.total_seconds() / 86_400.0).to_numpy(dtype=float)
        x, y = point_xy(selected)
        history = methods.History(x, y, age, grid, streets=self.streets(grid.crs))
        dens = np.asarray(methods.density_per_km2(methods.score(choice.spec, history), grid.cell_m))
        dens = dens.astype(float, copy=True)
        dens[~mask] = np.nan
        return dens


def run_analysis(
    incidents: pd.DataFrame,
    *,
    config: AnalysisConfig,
    geography: Geography | None,
    survey: gpd.GeoDataFrame | None = None,
) -> HotspotResult:
    """Run a hotspot analysis, choosing automatic settings by rolling backtest.

    See :func:`hotspots.engine.analysis.run_analysis` for the parameters.
    """
    tuner = BacktestTuner(roads=None if geography is None else geography.roads)
    return engine.run_analysis(
        incidents, config=config, geography=geography, survey=survey, tuner=tuner
    )
