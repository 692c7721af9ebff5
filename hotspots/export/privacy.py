"""Moved to :mod:`hotspots.render.privacy`; this alias goes away in the final sweep."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("hotspots.render.privacy")
