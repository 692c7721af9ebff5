"""The synthetic Karlstad data: the seeded generator, planted test data and the demo store.

:func:`generate_demo` (:mod:`~hotspots.demo.generator`) makes the incidents and survey marks
with their planted truth without touching files; :mod:`~hotspots.demo.synthetic` plants
clusters for tests and benchmarks; :mod:`~hotspots.demo.store` writes the demo as CSV files
and loads it into a store (imported from there: it does I/O).
"""

from __future__ import annotations

from hotspots.demo.generator import demo_period, generate_demo
from hotspots.demo.model import DemoData, PlantedCluster
from hotspots.demo.survey import FEAR_MIN_DISTANCE_M

__all__ = ["FEAR_MIN_DISTANCE_M", "DemoData", "PlantedCluster", "demo_period", "generate_demo"]
