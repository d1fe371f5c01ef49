"""OGP Progress Dashboard library: ingest, store, charts, maps, themes, url state."""
