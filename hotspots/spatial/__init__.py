"""Space: CRS choice, the analysis grid, point frames, the geography (base layers)."""
