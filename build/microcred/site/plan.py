"""The plan of a build's generated pages: what each is called, where it goes, how its body is made."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .l10n import Language


@dataclass(slots=True)  # 100,000 credentials make 400,000 of them
class Page:
    """One generated page: MkDocs gets a stub with its title; `body` renders the content."""

    path: str  # "credentials/acme/x/", "" for home
    title: str
    body: Callable[[], str]
    credential: bool = False
    home: bool = False
    in_nav: bool = False  # a page deep down that the navigation names all the same (its stub is written)
    # What its body is made from, as a hash (pages outside the navigation only; build/cache.py):
    # the same key, theme and package give the same page, which an incremental build keeps.
    key: str | None = None
    kept: bool = False  # the output holds it already as it would be made now: not rendered

    def stub_file(self) -> str:
        # "a/b/" -> a/b.md, "" -> index.md: with directory URLs MkDocs makes /a/b/
        return self.path.rstrip("/") + ".md" if self.path else "index.md"

    def html_file(self) -> str:
        return self.path + "index.html"

    @property
    def in_shell(self) -> bool:
        """Pages two folders deep or more (credentials, browse tables, providers) are outside the
        navigation: each is filled into its folder and depth's shell (shells.py)."""
        return self.path.count("/") >= 2 and not self.in_nav


@dataclass
class Plan:
    """The generated pages of one language of the site."""

    pages: list[Page]
    search_order: list[str]  # the credential pages' files in the order search lists them (by title)
    language: Language

    def __iter__(self):
        return iter(self.pages)

    @property
    def credentials(self) -> int:
        return sum(page.credential for page in self.pages)

    @property
    def shelled(self) -> int:
        """Pages to fill into a shell: those outside the navigation that the output does not hold yet."""
        return sum(page.in_shell and not page.kept for page in self.pages)
