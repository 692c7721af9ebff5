"""Moved to :mod:`hotspots.engine.survey`; this alias goes away in the final sweep."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("hotspots.engine.survey")
