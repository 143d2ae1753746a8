"""Machine translation at ingest, every sentence checked before it is kept."""
