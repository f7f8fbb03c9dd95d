"""What the register runs with, read in one place and passed on.

- The register's settings, from mkdocs.yml, so the site, the open data and the
  CODEOWNERS check agree: the site's name and address, the repository, the data
  licence, the register maintainers.
- The environment: SOURCE_DATE_EPOCH (pins "now" and "today" for reproducible
  builds) and MICROCRED_JOBS (how many processes may share the work), and
  whether this process can fork worker processes at all.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import threading
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import yaml

from .errors import SettingsError

CONFIG_FILE = "mkdocs.yml"
DEFAULT_DATA_LICENCE = "CC0-1.0"
DEFAULT_MAINTAINERS = ("@open-microcredentials/maintainers",)


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str  # with a trailing slash
    repo_url: str
    default_language: str  # the first of `languages`: the site's root is in it
    data_licence: str  # SPDX id
    data_licence_url: str
    # who owns what no provider folder claims (CODEOWNERS): mkdocs.yml `extra.register.maintainers`
    maintainers: tuple[str, ...] = DEFAULT_MAINTAINERS
    # the site's languages, mkdocs.yml `extra.register.languages`: the first at the root, each other at /<code>/
    languages: tuple[str, ...] = ("en",)


def load_settings(repo: Path) -> Settings:
    """The settings in repo/mkdocs.yml; SettingsError (with the file and position) when it cannot be read."""
    path = repo / CONFIG_FILE
    try:
        # mkdocs.yml is ours and holds no Python tags, so the safe loader reads it.
        config = yaml.safe_load(path.read_text("utf-8")) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise SettingsError(f"{path}{where}: error: {getattr(e, 'problem', None) or e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SettingsError(f"{path}: cannot read the site settings: {getattr(e, 'strerror', None) or e}") from None
    if not isinstance(config, dict):
        raise SettingsError(f"{path}:1:1: error: the settings must be a mapping")
    register = _mapping(_mapping(config.get("extra")).get("register"))
    licence = register.get("data_licence", DEFAULT_DATA_LICENCE)
    site_url = (config.get("site_url") or "http://127.0.0.1:8000/").rstrip("/") + "/"
    languages = _languages(path, register.get("languages"), _mapping(config.get("theme")).get("language", "en"))
    return Settings(
        site_name=config.get("site_name", "Open Micro-credential Register"),
        site_url=site_url,
        repo_url=(config.get("repo_url") or "").rstrip("/"),
        default_language=languages[0],
        data_licence=licence,
        data_licence_url=register.get(
            "data_licence_url",
            "https://creativecommons.org/publicdomain/zero/1.0/" if licence == "CC0-1.0"
            else f"https://spdx.org/licenses/{licence}.html"),
        maintainers=_maintainers(register.get("maintainers")),
        languages=languages,
    )


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Z][a-z]{3})?(?:-[A-Z]{2})?$")  # nl, pt-BR, sr-Latn


def _languages(path: Path, listed, theme_language: str) -> tuple[str, ...]:
    """The site's languages, default first; without the setting, the theme's language alone."""
    if listed is None:
        return (theme_language,)
    if (not isinstance(listed, list) or not listed
            or not all(isinstance(code, str) and LANGUAGE_CODE.match(code) for code in listed)):
        raise SettingsError(f"{path}: error: extra.register.languages must be a list of language codes "
                            f"such as [en, nl, de, fr], the default language first; got {listed!r}")
    if len(set(listed)) != len(listed):
        raise SettingsError(f"{path}: error: extra.register.languages names a language twice: {listed!r}")
    if listed[0] != theme_language:
        raise SettingsError(f"{path}: error: the first of extra.register.languages ({listed[0]}) is the "
                            f"site's default language and must be theme.language ({theme_language}) too")
    return tuple(listed)


def _maintainers(listed) -> tuple[str, ...]:
    if isinstance(listed, str):
        listed = [listed]
    if not listed or not isinstance(listed, list) or not all(isinstance(h, str) and h.strip() for h in listed):
        return DEFAULT_MAINTAINERS
    return tuple(h if h.startswith("@") else f"@{h}" for h in (h.strip() for h in listed))


# --- the environment ---------------------------------------------------------------


def source_date() -> datetime | None:
    """SOURCE_DATE_EPOCH as a UTC time, if set (reproducible-builds.org)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else None


def today() -> date:
    """The run's notion of today (review dates are compared with it); SOURCE_DATE_EPOCH pins it."""
    pinned = source_date()
    return pinned.date() if pinned else date.today()


def jobs() -> int:
    """Processes that may share the work: MICROCRED_JOBS, else the CPUs this process may use."""
    wanted = os.environ.get("MICROCRED_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether worker processes may be forked from this one.

    Forked workers share what is loaded (models, the checked catalogue, compiled
    templates) at no cost; spawned ones would import and build it all again. macOS
    system libraries are not fork-safe, and forking while other threads run (a dev
    server, say) can leave a lock held in the child.
    """
    return ("fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
            and threading.active_count() == 1)
