"""Moved to test_render_privacy.py and privacy_town.py; this shim keeps ``from test_privacy
import ...`` working in other test modules until the final sweep (it holds no tests)."""

from __future__ import annotations

from privacy_town import SCRIPT, X0, Y0, analysed, incidents

__all__ = ["SCRIPT", "X0", "Y0", "analysed", "incidents"]
