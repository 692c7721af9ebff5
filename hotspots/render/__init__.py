"""Presentation pieces: privacy choke point, symbology, web assets, maps and report documents."""
