"""Moved to :mod:`hotspots.load.ingest`; this alias goes away in the final sweep."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("hotspots.load.ingest")
