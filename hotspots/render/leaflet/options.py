"""What the map is built with: its options, the basemap tiles and the Leaflet panes."""

from __future__ import annotations

import os
from dataclasses import dataclass

from hotspots.core.errors import InputSchemaError
from hotspots.core.i18n import Lang

__all__ = [
    "BASE_PANE",
    "DENSITY_PANE",
    "OSM_ATTRIBUTION",
    "OSM_URL",
    "MapOptions",
    "resolve_tiles",
]

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
#: Panes (Leaflet z-index): the geography basemap above tiles (200), the density rasters
#: above that and below the vector overlays (400), so outlines stay on top of the surface.
BASE_PANE, DENSITY_PANE = "hsBase", "hsDensity"


def resolve_tiles(setting: str | None = None) -> str | None:
    """The basemap tile URL template, or ``None`` for no basemap.

    Parameters
    ----------
    setting
        ``"none"`` (offline, the default), ``"osm"`` (OpenStreetMap, needs the internet),
        or a URL template with ``{z}``, ``{x}`` and ``{y}`` (e.g. a local tile server
        ``http://localhost:8080/tiles/{z}/{x}/{y}.png``). ``None`` reads ``HOTSPOTS_TILES``.

    Raises
    ------
    InputSchemaError
        For anything else.
    """
    value = setting if setting is not None else os.environ.get("HOTSPOTS_TILES", "none")
    v = value.strip()
    if v.lower() in ("", "none", "off", "offline"):
        return None
    if v.lower() in ("osm", "openstreetmap"):
        return OSM_URL
    if all(k in v for k in ("{z}", "{x}", "{y}")) and v.startswith(("http://", "https://", "/")):
        return v
    msg = (
        f"tiles / HOTSPOTS_TILES: {value!r} is not none, osm or a tile URL template such as "
        "http://localhost:8080/{z}/{x}/{y}.png"
    )
    raise InputSchemaError(msg)


@dataclass(frozen=True, slots=True)
class MapOptions:
    """Options of :func:`build_map`.

    Attributes
    ----------
    lang
        ``"sv"`` or ``"en"``.
    tiles
        Tile setting for :func:`resolve_tiles` (``None`` reads ``HOTSPOTS_TILES``).
    incident_min_zoom
        Incident points appear from this zoom level (street level; 16 is about 2.4 m per
        pixel at Karlstad's latitude).
    max_incident_points
        Most incident points put on the map (the latest ones); the info box says so when
        more were analysed.
    title
        Title of the info box; default the translated "Crime hotspots".
    show_density, show_geography
        Whether those layers are on when the map opens.
    collapse_layers
        Fold the layer control into an icon that opens on hover (for small map frames).
    info_open
        Whether the info box (the settings behind the map) opens unfolded. Folded (the
        default, in the app and in every file) it shows one line (the categories, hours and
        days) and does not cover the map; a click unfolds it.
    lazy_incidents
        Leave the incident points out and let the layer ask for them when the map first
        reaches street zoom (``window.hsRequest("incidents")``, which the app's map
        component turns into a rerun that includes them). Only for the app.
    basemap
        A basemap from a WMS or WMTS server (``wms:URL#LAYER``, ``wmts:URL#LAYER[@SET]``,
        see :mod:`hotspots.render.leaflet.basemap`); ``None`` reads ``HOTSPOTS_BASEMAP``,
        default none (offline). Not together with ``tiles``.
    basemap_grid
        The basemap's tile grid when it is not in Web Mercator (``crs=3006 origin=..
        resolutions=..`` or ``lantmateriet-3006``; the map is then in that CRS); ``None``
        reads ``HOTSPOTS_BASEMAP_GRID``, default none.
    """

    lang: Lang = "sv"
    tiles: str | None = None
    incident_min_zoom: int = 16
    max_incident_points: int = 5000
    title: str | None = None
    show_density: bool = True
    show_geography: bool = True
    collapse_layers: bool = False
    info_open: bool = False
    lazy_incidents: bool = False
    basemap: str | None = None
    basemap_grid: str | None = None
