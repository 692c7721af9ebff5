"""Moved to :mod:`hotspots.planning.schedule`; this alias goes away in the final sweep."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("hotspots.planning.schedule")
