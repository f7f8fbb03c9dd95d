"""The open data under /api/v1/: records, JSON Schemas, the change feed, CSV with its Data Package, OpenAPI, and the writer that puts them on disk."""
