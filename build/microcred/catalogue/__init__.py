"""The checked catalogue: each entry with what is derived from it once (countries, facets), the counts, and the history of its files (one `git log`)."""
