"""The app's basemap on its PNG and PDF pages (the map page's exports, the lägesbild)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from hotspots.app.session import tr
from hotspots.core.errors import BasemapError

__all__ = ["on_basemap", "page_backdrop"]

_T = TypeVar("_T")


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


def on_basemap(make: Callable[[Any], _T], failed: str) -> _T:
    """``make(backdrop)`` on the app's basemap; ``make(None)`` without one.

    When the basemap's server fails (:class:`~hotspots.core.errors.BasemapError`), the files
    are made without it and the page says why (the text ``failed``, with ``reason``).
    """
    backdrop = page_backdrop()
    if backdrop is None:
        return make(None)
    try:
        return make(backdrop)
    except BasemapError as exc:
        st.warning(tr(failed, reason=str(exc)))
        return make(None)
