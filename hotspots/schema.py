"""Moved to :mod:`hotspots.core.schema`; this alias goes away in the final sweep."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("hotspots.core.schema")
