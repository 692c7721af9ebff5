"""Moved to :mod:`hotspots.forecast.tuning_cache`; this alias goes away in the final sweep."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("hotspots.forecast.tuning_cache")
