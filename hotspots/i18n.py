"""Moved to :mod:`hotspots.core.i18n`; this alias goes away in the final sweep."""

import importlib
import sys

sys.modules[__name__] = importlib.import_module("hotspots.core.i18n")
