"""Constants of the app."""

from __future__ import annotations

import importlib.util

#: The lägesbild page joins when hotspots.render.report is installed (imported on that page only:
#: it is the heaviest import, and the map must be quick on the first visit). Likewise the
#: exports, the importer, the plan and the schedule are imported where they are used.
HAS_REPORT = importlib.util.find_spec("hotspots.render.report") is not None


PAGES: tuple[str, ...] = ("map", "plan", "evaluation", "data", "report", "followup")
#: Height of the map on the Karta page: with the figures above it, it fits a laptop screen.
MAP_HEIGHT_PX = 600
