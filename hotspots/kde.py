"""Moved to :mod:`hotspots.engine.kde`; this alias goes away in the final sweep."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("hotspots.engine.kde")
