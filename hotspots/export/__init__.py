"""Writers of the analysis results: GeoJSON (WGS84), GeoPackage, GeoTIFF, HTML and images.

Each writer lives in its own module (``geojson``, ``gpkg``, ``raster``, ...) and is imported
from there, so that importing one format never pulls in the dependencies of another.
"""
