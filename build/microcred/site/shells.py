"""The site's HTML around every page: MkDocs (mkdocs-material) builds it, the build fills it.

MkDocs gets the hand-written docs, a stub for each generated page in the
navigation (front matter with the title, and a slot marker), and one stub
("shell") per folder and depth of the generated pages outside it. After MkDocs
has built the site, each page's body replaces the slot (fill_slots), and each
page outside the navigation is its shell with its title, address and body
filled in (Shell.page). So provider text never goes through Markdown at all
(`*x*` and `<Java>` stay exactly as written), and MkDocs does not build 10,000
pages that differ only in title, address and content.
"""

from __future__ import annotations

import gzip
import html
import json
import logging
import os
import re
import shutil
from pathlib import Path
from ..errors import SiteFailed
from ..settings import Settings
from .l10n import SHOWN_SETTINGS, Language, read_template, script_messages
from .plan import Page, Plan

HOME_MARKER = "<!-- register:home -->"
SLOT = "<!-- microcred:body -->"  # where a page's body goes once MkDocs has built the page
THEME = Path(__file__).parent / "templates" / "theme"


def write_sources(docs: Path, plans: list[Plan], pages: Path) -> None:
    """Everything MkDocs reads, in `pages/<language>/`: the hand-written docs, the stubs and the shells,
    and assets/i18n.js, the messages of register.js in that language."""
    codes = [plan.language.code for plan in plans]
    template = read_template()
    for plan in plans:
        target = pages / plan.language.code
        intro = copy_hand_written(docs, target, plan.language, codes)
        write_stubs(plan.pages, target, home_page(intro, SLOT))
        write_shell_stubs(target, shell_keys(plan.pages), SLOT)
        script = plan.language.script(script_messages(plan.language, template))
        (target / "assets").mkdir(parents=True, exist_ok=True)
        (target / "assets" / "i18n.js").write_text(script, "utf-8")


def copy_hand_written(docs: Path, pages: Path, language: Language, codes: list[str]) -> str:
    """Copy the language's hand-written pages into the page folder; return its home page's hand-written part.

    The default language's pages are docs/ without the other languages' folders; another
    language's are docs/<code>/, with docs/assets. The generated home block (counts,
    search, recently added) goes where the home page has the marker, or after its text.
    """
    if language.default and docs.is_dir():
        shutil.copytree(docs, pages, dirs_exist_ok=True,
                        ignore=lambda folder, names: [n for n in names if Path(folder) == docs and n in codes])
    elif docs.is_dir():
        if (docs / "assets").is_dir():
            shutil.copytree(docs / "assets", pages / "assets", dirs_exist_ok=True)
        if (docs / language.code).is_dir():
            shutil.copytree(docs / language.code, pages, dirs_exist_ok=True)
    pages.mkdir(parents=True, exist_ok=True)
    intro_file = pages / "index.md"
    intro = intro_file.read_text("utf-8") if intro_file.exists() else "# Open Micro-credential Register\n"
    intro_file.unlink(missing_ok=True)
    return intro


def home_page(intro: str, slot: str) -> str:
    """The hand-written home page with the slot for the generated part at its marker (or at the end)."""
    if HOME_MARKER in intro:
        return intro.replace(HOME_MARKER, slot, 1)
    return intro.rstrip("\n") + "\n\n" + slot + "\n"


def write_stubs(plan: list[Page], pages_dir: Path, home_intro: str) -> None:
    """The Markdown MkDocs reads: front matter and the slot where the body will go."""
    made: set[Path] = set()
    for page in plan:
        if page.in_shell:  # built from its depth's shell instead
            continue
        if page.home:  # the hand-written home page, with the slot at its marker
            text = home_intro
        else:
            # Material prints page.meta.title into <title> unescaped: the title goes in HTML-escaped.
            title = json.dumps(html.escape(page.title, quote=False), ensure_ascii=False)  # a JSON string is YAML
            text = f"---\ntitle: {title}\nhide: [toc]\n---\n\n{SLOT}\n"
        target = pages_dir / page.stub_file()
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_text(text, "utf-8")


def fill_slots(site: Path, pages: list[Page], slot: str) -> None:
    """Put each page's body into the page MkDocs built, at the slot, rendering one at a time."""
    for page in pages:
        target = site / page.html_file()
        built = target.read_text("utf-8")
        at = built.find(slot)
        if at < 0:
            raise SiteFailed(f"{target}: the page has no slot for its content (a theme override drops page.content?)")
        target.unlink()  # a new file: the one MkDocs built may be the build cache's too (a hard link)
        target.write_text(built[:at] + page.body() + built[at + len(slot):], "utf-8")


REDIRECT = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{moved}</title>
<meta name="robots" content="noindex"><link rel="canonical" href="{target}">
<meta http-equiv="refresh" content="0; url={target}"></head>
<body><p>{text}</p></body></html>
"""


def write_redirects(site: Path, redirects: dict[str, str], languages: list[Language]) -> None:
    """A page at each credential's previous id, in every language, that sends visitors on: ids never break."""
    for language in languages:
        for old, new in sorted(redirects.items()):
            target = site / language.prefix / "credentials" / old / "index.html"
            if target.exists():  # never over a page (the validator refuses reused ids anyway)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            # ids are lowercase letters, digits, hyphens and one slash (checked), escaped all the same
            target.write_text(REDIRECT.format(
                lang=html.escape(language.code), old=html.escape(old), new=html.escape(new),
                target=html.escape(f"../../../credentials/{new}/"),
                moved=html.escape(language.gettext("Moved: %(id)s") % {"id": old}),
                text=language.gettext("This credential's id changed from %(old)s to %(new)s: "
                                      "%(link)sgo to its page%(end)s.") % {
                    "old": f"<code>{html.escape(old)}</code>", "new": f"<code>{html.escape(new)}</code>",
                    "link": f'<a href="{html.escape(f"../../../credentials/{new}/")}">', "end": "</a>"}),
                "utf-8")


def language_links(pages: Path, plans: list[Plan], settings: Settings) -> LanguageLinks:
    """Which pages exist in which language, from what MkDocs reads (write_sources)."""
    return LanguageLinks(settings.site_url, [plan.language for plan in plans],
                         {plan.language.code: _page_urls(pages / plan.language.code) for plan in plans})


def build_sites(config_file: Path, pages: Path, out: Path, plans: list[Plan], settings: Settings,
                links: LanguageLinks) -> None:
    """Run `mkdocs build` for each language: `pages/<code>` into `out`, the default language at its
    root and every other in out/<code>/, each with its own navigation and links to the others."""
    for plan in plans:  # the default language first: MkDocs empties the folder it builds into
        language = plan.language
        build_site(config_file, pages / language.code, out / language.prefix, language, settings, links)


def build_site(config_file: Path, pages: Path, out: Path, language: Language, settings: Settings,
               links: "LanguageLinks") -> None:
    """Run `mkdocs build` on `pages` (instead of the configured docs_dir) into `out`, in `language`."""
    from mkdocs import exceptions
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    # MkDocs reports pages that exist but are not in `nav` at INFO level; say only what matters.
    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    try:
        # absolute: MkDocs reads a relative docs_dir or site_dir from the config file's folder, not
        # from where the command runs (`--repo elsewhere --output site` would look in elsewhere/)
        config = load_config(str(config_file), docs_dir=str(pages.absolute()), site_dir=str(out.absolute()),
                             site_url=settings.site_url + language.prefix)
        # the theme overrides come with the package, wherever it is installed
        if str(THEME) not in config.theme.dirs:
            config.theme.dirs.insert(0, str(THEME))
        config.theme["language"] = language.code  # Material's own texts, and <html lang>
        config.extra["alternate"] = links  # the language menu and hreflang (templates/theme)
        if not language.default:
            config.nav = translated_nav(config.nav, pages, language)
            for key in SHOWN_SETTINGS:  # the page's header, head and footer
                if config[key]:
                    config[key] = language.gettext(config[key])
        build(config)
    except exceptions.MkDocsException as e:
        raise SiteFailed(f"{config_file}: {e}") from None


def translated_nav(nav: list, pages: Path, language: Language) -> list:
    """The navigation of mkdocs.yml for a language: its pages that exist in that language, titles
    translated. A section with none of its pages in the language (the guides for providers, in
    English only) becomes the language's page that points to them, for-providers.md, if it has one."""
    replacement = ["for-providers.md"] if (pages / "for-providers.md").exists() else []

    def walk(items: list) -> list:
        kept = []
        for item in items:
            if isinstance(item, str):
                item = {"": item}
            for title, value in item.items():
                name = language.gettext(title) if title else title
                if isinstance(value, list):
                    inner = walk(value)
                    if inner:
                        kept.append({name: inner})
                    elif replacement:
                        kept.append({name: replacement.pop()})
                elif isinstance(value, str) and (pages / value).exists():
                    kept.append({name: value} if name else value)
        return kept

    return walk(nav or [])


class LanguageLinks:
    """The same page in the site's other languages: the language menu's links and the hreflang
    alternates of each page's head (templates/theme/main.html and partials/alternate.html).

    Truthy, so Material shows its language menu, and not iterable, so Material prints no
    alternates of its own (it would link every page to the other languages' home pages).
    """

    def __init__(self, site_url: str, languages: list[Language], urls: dict[str, set[str]]):
        self.site_url = site_url
        self.languages = languages
        self.urls = urls  # the addresses of each language's pages, relative to its root

    def __bool__(self) -> bool:
        return len(self.languages) > 1

    def of(self, page_url: str, base_url: str, current: str, everywhere: bool = False) -> list[dict]:
        """The languages `page_url` exists in, each with its absolute and its relative address.
        A shell, and `everywhere`, stand for generated pages, which every language has."""
        here = next(language for language in self.languages if language.code == current)
        root = base_url.rstrip("/") + ("/" if here.default else "/../")
        everywhere = everywhere or SHELL in page_url
        return [{"code": language.code, "name": language.name, "current": language.code == current,
                 "url": self.site_url + language.prefix + page_url, "href": root + language.prefix + page_url}
                for language in self.languages if everywhere or page_url in self.urls[language.code]]

    def default_url(self, page_url: str) -> str:
        return self.site_url + page_url


def _page_urls(pages: Path) -> set[str]:
    return {_url_of(p.relative_to(pages).as_posix()) for p in pages.rglob("*.md")}


# --- shells: one MkDocs-built page per depth, filled for every generated page ------
# MkDocs took ~3 ms a page (31 s of a 10,000-credential build) to build pages that
# differ only in title, canonical URL and content. Every generated page outside the
# navigation in the same top folder at the same depth gets the same theme HTML (its
# relative links depend only on those two), so MkDocs builds one shell for each and
# the build fills it.

SHELL = "_microcred-shell_"  # "_" is allowed in no id or code: never a real page
SHELL_TITLE = "Shell&Title"  # "&" shows whether the theme printed the title raw or escaped it again


def shell_key(path: str) -> tuple[str, int]:
    """Pages with the same top folder and depth share a shell."""
    return path.split("/", 1)[0], path.count("/")


def shell_keys(plan: list[Page]) -> set[tuple[str, int]]:
    return {shell_key(page.path) for page in plan if page.in_shell}


def shell_path(key: tuple[str, int]) -> str:
    top, depth = key
    return f"{top}/{SHELL}/" + "x/" * (depth - 2)


def write_shell_stubs(pages: Path, keys: set[tuple[str, int]], slot: str) -> None:
    title = html.escape(SHELL_TITLE, quote=False)  # as write_stubs escapes a real title
    for key in keys:
        stub = pages / (shell_path(key).rstrip("/") + ".md")
        stub.parent.mkdir(parents=True, exist_ok=True)
        stub.write_text(f"---\ntitle: \"{title}\"\nhide: [toc]\n---\n\n{slot}\n", "utf-8")


class Shell:
    """The built shell of one depth, split around the title, its path and the slot."""

    def __init__(self, built: str, path: str, slot: str, where: Path):
        raw = html.escape(SHELL_TITLE, quote=False)
        if html.escape(raw) in built or built.count(slot) != 1:
            raise SiteFailed(f"{where}: the theme prints the page title escaped twice or drops page.content; "
                             "generated pages cannot be filled in")
        before, after = (_without_indentation(part) for part in built.split(slot))
        self.before = _split(before, raw, path)
        self.after = _split(after, raw, path)
        if any(SHELL in piece for part in self.before + self.after for piece in part):
            raise SiteFailed(f"{where}: the shell's path appears in a form the build cannot fill in")

    def page(self, title: str, path: str, body: str) -> str:
        t = html.escape(title, quote=False)
        return _join(self.before, t, path) + body + _join(self.after, t, path)


INDENTATION = re.compile(r"\n[ \t]+")


def _without_indentation(html_text: str) -> str:
    """The theme's HTML without the indentation of its templates: a fifth of every page's bytes
    (6 KB of 32), written and deleted again tens of thousands of times. A line break stays
    where one was, so the page reads the same; text that keeps its spaces is left alone."""
    if re.search(r"<(pre|textarea)\b", html_text, re.I):
        return html_text
    return INDENTATION.sub("\n", html_text)


def _split(text: str, title: str, path: str) -> list[list[str]]:
    return [part.split(path) for part in text.split(title)]


def _join(parts: list[list[str]], title: str, path: str) -> str:
    return title.join(path.join(p) for p in parts)


def read_shells(site: Path, keys: set[tuple[str, int]], slot: str) -> dict[tuple[str, int], Shell]:
    """Read each shell from the built site and remove it from there."""
    shells = {}
    for key in keys:
        target = site / shell_path(key) / "index.html"
        shells[key] = Shell(target.read_text("utf-8"), shell_path(key), slot, target)
    for top, _depth in keys:
        shutil.rmtree(site / top / SHELL, ignore_errors=True)
    return shells


def write_page(site: Path, page, shell: Shell, body: str, made: set) -> None:
    target = site / page.html_file()
    if target.parent not in made:
        target.parent.mkdir(parents=True, exist_ok=True)
        made.add(target.parent)
    target.write_text(shell.page(page.title, page.path, body), "utf-8")


SITEMAP_URLS = 50_000  # the sitemap protocol's limits of one file: addresses,
SITEMAP_BYTES = 50 * 1024 * 1024  # and bytes uncompressed
SITEMAP_GZIP_LEVEL = 6  # not gzip's 9: a fifth of the time (0.04 s, not 0.21 s, for 10 MB) for 3 % more


def write_sitemap(site: Path, pages: Path, filled: list[str], links: LanguageLinks | None = None,
                  language: Language | None = None) -> list[str]:
    """sitemap.xml(.gz) as MkDocs writes them, with the filled pages instead of the shells, and each
    page's versions in the site's languages (hreflang alternates, x-default the default language's).

    Entries are in MkDocs' order (its walk of the docs folder: in each folder the
    files, index first, then the subfolders), so the file is what it was when
    MkDocs built every page itself. More pages than one sitemap may hold (SITEMAP_URLS,
    SITEMAP_BYTES: 100,000 credentials are 103,000 pages in each language) go into
    sitemap-1.xml, sitemap-2.xml, ..., and sitemap.xml is their index. Returns the files written.
    """
    xml = site / "sitemap.xml"
    if not xml.exists():
        return []
    text = xml.read_text("utf-8")
    entries = re.findall(r"    <url>.*?</url>", text, re.S)
    if not entries:
        return []
    head, tail = text[:text.index(entries[0])], text[text.rindex(entries[-1]) + len(entries[-1]):]
    loc = re.search(r"<loc>(.*?)</loc>", entries[0]).group(1)
    base = loc[:len(loc) - len(_url_of("index.md"))] if loc.endswith(_url_of("index.md")) else None
    if base is None:
        return []
    sources = [p.relative_to(pages).as_posix() for p in pages.rglob("*.md")]
    sources = [s for s in sources if f"/{SHELL}" not in s] + filled
    sources.sort(key=_walk_key)
    # the alternates come last in each entry: the sitemap schema allows other elements after its own
    template = entries[0].replace(f"<loc>{loc}</loc>", "<loc>{}</loc>").replace("\n    </url>", "{}\n    </url>")
    shelled = set(filled)

    def link(code: str, url: str) -> str:
        return f'\n         <xhtml:link rel="alternate" hreflang="{code}" href="{html.escape(url)}"/>'

    # a generated page is in every language: its links are the same but for its address (escaped
    # on its own, as escaping goes character by character), so they are made once with a hole
    everywhere = "".join([link(lang.code, links.site_url + lang.prefix + "\0") for lang in links.languages] +
                         [link("x-default", links.default_url("\0"))]) if links and len(links.languages) > 1 else ""

    def alternates(source: str) -> str:
        if not links:
            return ""
        url = _url_of(source)
        if everywhere and source in shelled:
            return everywhere.replace("\0", html.escape(url))
        shown = links.of(url, ".", language.code)
        if len(shown) < 2:
            return ""
        return "".join(link(alt["code"], alt["url"]) for alt in shown) + link("x-default", links.default_url(url))

    urls = [template.format(html.escape(base + _url_of(s)), alternates(s)) for s in sources]
    if links:
        head = head.replace('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                            'xmlns:xhtml="http://www.w3.org/1999/xhtml">')
    gz = site / "sitemap.xml.gz"
    mtime = int.from_bytes(gz.read_bytes()[4:8], "little") if gz.exists() else 0
    chunks = _sitemap_chunks(urls, len(head) + len(tail))
    if len(chunks) == 1:
        _write_sitemap(site, "sitemap.xml", (head + "\n".join(urls) + tail).encode("utf-8"), mtime)
        return ["sitemap.xml", "sitemap.xml.gz"]
    # Too many pages for one sitemap (the protocol allows 50,000 addresses and 50 MB): sitemap-1.xml
    # and on, and sitemap.xml the index of them, where search engines look for it.
    index = [f"{head[:head.index('<urlset')]}<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"]
    for n, (start, end) in enumerate(chunks, 1):
        name = f"sitemap-{n}.xml"
        _write_sitemap(site, name, (head + "\n".join(urls[start:end]) + tail).encode("utf-8"), mtime)
        index.append(f"    <sitemap>\n         <loc>{html.escape(base + name)}</loc>\n    </sitemap>")
    index.append("</sitemapindex>\n")
    _write_sitemap(site, "sitemap.xml", "\n".join(index).encode("utf-8"), mtime)
    return [f"sitemap{part}.xml{gz}" for part in ["", *(f"-{n}" for n in range(1, len(chunks) + 1))] for gz in ("", ".gz")]


def _sitemap_chunks(urls: list[str], frame: int) -> list[tuple[int, int]]:
    """(start, end) of runs of `urls` that each fit in one sitemap file with `frame` bytes around them."""
    chunks, start, size = [], 0, frame
    for i, url in enumerate(urls):
        grown = size + len(url.encode("utf-8")) + 1
        if i > start and (i - start >= SITEMAP_URLS or grown > SITEMAP_BYTES):
            chunks.append((start, i))
            start, grown = i, frame + len(url.encode("utf-8")) + 1
        size = grown
    chunks.append((start, len(urls)))
    return chunks


def _write_sitemap(site: Path, name: str, xml: bytes, mtime: int) -> None:
    """A sitemap and its gzip'd copy, as MkDocs writes them (the gzip header's time is MkDocs' own)."""
    (site / name).unlink(missing_ok=True)  # new files, as in fill_slots
    (site / name).write_bytes(xml)
    gz = site / f"{name}.gz"
    gz.unlink(missing_ok=True)
    with open(gz, "wb") as f, gzip.GzipFile(fileobj=f, filename=str(gz), mode="wb", mtime=mtime,
                                            compresslevel=SITEMAP_GZIP_LEVEL) as z:
        z.write(xml)


def _url_of(source: str) -> str:
    stem = source[:-3]
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def _walk_key(source: str) -> list:
    *folders, name = source.split("/")
    stem = os.path.splitext(name)[0]
    return [(1, d) for d in folders] + [(0, stem not in ("index", "README"), name)]
