"""Build the HTML site with MkDocs (mkdocs-material) from a folder of Markdown pages."""

from __future__ import annotations

import html
import logging
import shutil
from pathlib import Path

HOME_MARKER = "<!-- register:home -->"
THEME = Path(__file__).parent / "templates" / "theme"


class SiteFailed(Exception):
    """MkDocs refused the configuration or a page; the message says why."""


def copy_hand_written(docs: Path, pages: Path) -> str:
    """Copy docs/ into the page folder; return the home page's hand-written part.

    The generated home block (counts, search, recently added) goes where
    docs/index.md has the marker, or after its text.
    """
    if docs.is_dir():
        shutil.copytree(docs, pages, dirs_exist_ok=True)
    intro_file = pages / "index.md"
    intro = intro_file.read_text("utf-8") if intro_file.exists() else "# Open Micro-credential Register\n"
    intro_file.unlink(missing_ok=True)
    return intro


def home_page(intro: str, slot: str) -> str:
    """The hand-written home page with the slot for the generated part at its marker (or at the end)."""
    if HOME_MARKER in intro:
        return intro.replace(HOME_MARKER, slot, 1)
    return intro.rstrip("\n") + "\n\n" + slot + "\n"


def fill_slots(site: Path, plan, slot: str, body=None) -> None:
    """Put each generated page's body into the page MkDocs built, at the slot.

    `body(i)` gives the body of plan[i] (default: render it now), one at a time,
    so a 10,000-page build never holds them all in memory.
    """
    for i, page in enumerate(plan):
        target = site / page.html_file()
        built = target.read_text("utf-8")
        at = built.find(slot)
        if at < 0:
            raise SiteFailed(f"{target}: the page has no slot for its content (a theme override drops page.content?)")
        content = body(i) if body else page.body()
        target.write_text(built[:at] + content + built[at + len(slot):], "utf-8")


REDIRECT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Moved: {old}</title>
<meta name="robots" content="noindex"><link rel="canonical" href="{target}">
<meta http-equiv="refresh" content="0; url={target}"></head>
<body><p>This credential's id changed from <code>{old}</code> to <code>{new}</code>:
<a href="{target}">go to its page</a>.</p></body></html>
"""


def write_redirects(site: Path, redirects: dict[str, str]) -> None:
    """A page at each credential's previous id that sends visitors on: ids never break."""
    for old, new in sorted(redirects.items()):
        target = site / "credentials" / old / "index.html"
        if target.exists():  # never over a page (the validator refuses reused ids anyway)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        # ids are lowercase letters, digits, hyphens and one slash (checked), escaped all the same
        target.write_text(REDIRECT.format(old=html.escape(old), new=html.escape(new),
                                          target=html.escape(f"../../../credentials/{new}/")), "utf-8")


def build_site(config_file: Path, pages: Path, out: Path) -> None:
    """Run `mkdocs build` on `pages` (instead of the configured docs_dir) into `out`."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    # MkDocs reports pages that exist but are not in `nav` at INFO level; say only what matters.
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file), docs_dir=str(pages), site_dir=str(out))
        # the theme overrides come with the package, wherever it is installed
        if str(THEME) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME))
        build(config)
    except exceptions.MkDocsException as e:
        raise SiteFailed(f"{config_file}: {e}") from None
