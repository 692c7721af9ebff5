"""Texts of the street map: its layers and the basemap from a WMS or WMTS server.

Swedish and English, for :mod:`hotspots.core.i18n` (merged into its ``STRINGS``).
"""

STREETS_STRINGS: dict[str, dict[str, str]] = {
    "layer_streets": {"sv": "Gator och gatunamn", "en": "Streets and street names"},
    "layer_buildings": {"sv": "Byggnader", "en": "Buildings"},
    "layer_wms_basemap": {"sv": "Bakgrundskarta ({name})", "en": "Basemap ({name})"},
}
