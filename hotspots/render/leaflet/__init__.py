"""The interactive Leaflet map (folium): the only subpackage that imports folium.

* :mod:`~hotspots.render.leaflet.options`: map options, basemap tiles, panes;
* :mod:`~hotspots.render.leaflet.escape`: escaping of every text that reaches the page;
* :mod:`~hotspots.render.leaflet.templates`: the map's folium elements and their JavaScript;
* :mod:`~hotspots.render.leaflet.density`: the density surface as a metre-true image;
* :mod:`~hotspots.render.leaflet.popups`, :mod:`~hotspots.render.leaflet.legend`: pop-ups,
  info box and legend;
* :mod:`~hotspots.render.leaflet.layers`: geography, incident and suggestion layers;
* :mod:`~hotspots.render.leaflet.build`: the whole map (:func:`build_map`, :func:`map_html`);
* :mod:`~hotspots.render.leaflet.component`: the map split for the app's map component
  (:func:`map_parts`, with a caller-owned :class:`BaseMapCache`).

The names of the former ``hotspots.render.leaflet`` are re-exported here.
"""

from __future__ import annotations

from hotspots.render.leaflet.build import build_map, map_html
from hotspots.render.leaflet.component import BaseMapCache, MapParts, map_parts
from hotspots.render.leaflet.density import density_overlay
from hotspots.render.leaflet.escape import escape_html
from hotspots.render.leaflet.options import OSM_URL, MapOptions, resolve_tiles

__all__ = [
    "OSM_URL",
    "BaseMapCache",
    "MapOptions",
    "MapParts",
    "build_map",
    "density_overlay",
    "escape_html",
    "map_html",
    "map_parts",
    "resolve_tiles",
]
