"""The hotspot engine: kernel density, significance, hotspot polygons, time profiles, survey."""
