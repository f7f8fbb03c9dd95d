"""Register-wide settings, read from mkdocs.yml so the site and the open data agree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_DATA_LICENCE = "CC0-1.0"


@dataclass(frozen=True)
class Settings:
    repo_root: Path
    site_name: str
    site_url: str  # with a trailing slash
    repo_url: str
    default_language: str
    data_licence: str  # SPDX id
    data_licence_url: str


def load_settings(repo_root: Path) -> Settings:
    # mkdocs.yml is ours and holds no Python tags, so the safe loader reads it.
    config = yaml.safe_load((repo_root / "mkdocs.yml").read_text("utf-8")) or {}
    extra = config.get("extra") or {}
    register = extra.get("register") or {}
    licence = register.get("data_licence", DEFAULT_DATA_LICENCE)
    site_url = (config.get("site_url") or "http://127.0.0.1:8000/").rstrip("/") + "/"
    return Settings(
        repo_root=repo_root,
        site_name=config.get("site_name", "Open Micro-credential Register"),
        site_url=site_url,
        repo_url=(config.get("repo_url") or "").rstrip("/"),
        default_language=(config.get("theme") or {}).get("language", "en"),
        data_licence=licence,
        data_licence_url=register.get(
            "data_licence_url",
            "https://creativecommons.org/publicdomain/zero/1.0/" if licence == "CC0-1.0"
            else f"https://spdx.org/licenses/{licence}.html"),
    )
