"""The open data under /api/v1/ of the built site (filled in by the open-data issue)."""

from __future__ import annotations

from pathlib import Path

from .catalogue import Catalogue
from .settings import Settings


def write_open_data(catalogue: Catalogue, api_dir: Path, settings: Settings) -> None:
    """Write every open-data file of the catalogue below api_dir (the site's api/v1/)."""
