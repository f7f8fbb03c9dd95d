"""Open Micro-credential Register: catalogue validation, site and open data build."""

__version__ = "0.1.0"
