"""The synthetic town of the privacy, map and export tests: planted incidents, one analysis.

Shared by several test modules (imported as ``from privacy_town import ...``); the incidents'
descriptions hold a script so every view can be checked for escaping.
"""

from __future__ import annotations

import functools

import pandas as pd

from hotspots.core.config import AnalysisConfig, HourWindow
from hotspots.demo.synthetic import PlantedCluster, planted_incidents
from hotspots.forecast.analysis import run_analysis

__all__ = ["LONE", "SCRIPT", "X0", "Y0", "analysed", "incidents"]

X0, Y0 = 514_000.0, 6_570_000.0


#: A lone incident far from the others: its place must not be readable from a public map.
LONE = (X0 + 2900.0, Y0 + 100.0)


SCRIPT = '<script>alert("x")</script> ${1+1} `b` \\u'


@functools.cache
def incidents() -> object:
    clusters = [
        PlantedCluster(X0 + 600.0, Y0 + 400.0, radius_m=60.0, n=80, category="assault_public"),
        PlantedCluster(
            X0 + 2000.0, Y0 + 2000.0, radius_m=60.0, n=60, hours=HourWindow(13, 18),
            weekdays=(0, 1, 2), category="drug_dealing",
        ),
        PlantedCluster(X0 + 1500.0, Y0 + 2800.0, radius_m=40.0, n=40, category="sexual_offence"),
        PlantedCluster(*LONE, radius_m=1.0, n=1, category="robbery"),
    ]  # fmt: skip
    frame = planted_incidents(
        clusters,
        background_n=150,
        bounds=(X0, Y0, X0 + 2500.0, Y0 + 2500.0),
        days=364,
        seed=3,
        background_categories=["disorder", "vandalism", "drug_use"],
    )
    frame["description"] = pd.array([SCRIPT] * len(frame), dtype="string")
    return frame


@functools.cache
def analysed(coverage: float = 0.05) -> object:
    """A hotspot analysis of the synthetic incidents (no geography: convex-hull study area)."""
    return run_analysis(
        incidents(), config=AnalysisConfig(bandwidth_m=200.0, coverage=coverage), geography=None
    )
