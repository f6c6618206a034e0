"""Ingest: sources -> fetch -> parse -> normalise -> archive -> index."""
