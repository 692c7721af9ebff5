"""Data into the analysis: files into the store (ingest), incidents from a file or the store."""
