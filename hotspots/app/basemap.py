"""The app's basemap on its PNG and PDF pages (the map page's exports, the lägesbild)."""

from __future__ import annotations

from typing import Any

__all__ = ["page_backdrop"]


def page_backdrop() -> Any:
    """The app's basemap (``hotspots app --basemap``) for PNG and PDF pages, or ``None``.

    Only a basemap in the pages' CRS (SWEREF 99 TM) is drawn on them
    (:func:`hotspots.export.backdrop.basemap_backdrop`); a Web Mercator one stays on the
    interactive and HTML maps.
    """
    from hotspots.export.backdrop import basemap_backdrop  # noqa: PLC0415 - on demand only
    from hotspots.render.leaflet.basemap import parse_basemap  # noqa: PLC0415 - on demand only

    basemap = parse_basemap(None, None)  # what `hotspots app` left in the environment
    if basemap is None or basemap.grid is None:
        return None
    return basemap_backdrop(basemap)
