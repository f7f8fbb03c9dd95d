"""Turning the text providers write into safe HTML.

Every string in the catalogue comes from an untrusted pull request. Templates
escape everything (Jinja2 autoescape); the only HTML we make from provider text
is a `description`, which goes through Markdown with the raw HTML escaped first
and then through nh3, the sanitiser. Nothing here uses hand-written regexes to
clean HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .l10n import Language

# The Markdown subset a description may use.
DESCRIPTION_TAGS = {"p", "br", "em", "strong", "code", "ul", "ol", "li", "a", "blockquote"}


@dataclass(frozen=True)
class Localised:
    """One Text field, ready to show: the text in the page's language and its translations."""

    lang: str
    text: str
    others: tuple[tuple[str, str], ...] = ()  # (lang, text)

    def __str__(self) -> str:
        return self.text


def localise(value, entry_lang: str, site_lang: str) -> Localised | None:
    """Pick the text to show first: the site's language if given, else the entry's own.

    A plain string is in the entry's first language (entry_lang).
    """
    if value is None:
        return None
    if isinstance(value, str):
        return Localised(entry_lang, value)
    # lookups, not a search through the items: every title is localised in every language
    lang = site_lang if site_lang in value else entry_lang if entry_lang in value else next(iter(value))
    return Localised(lang, value[lang], tuple((tag, text) for tag, text in value.items() if tag != lang))


@cache
def _markdown() -> MarkdownIt:
    # CommonMark without raw HTML (markdown-it escapes it), headings, images, rules or code blocks:
    # paragraphs, lists, emphasis, inline code, quotes and links are the whole subset.
    md = MarkdownIt("commonmark", {"html": False}).disable(
        ["heading", "lheading", "image", "hr", "code", "fence", "html_block", "html_inline"])
    # Links: absolute http(s) only, as for every URL field. Anything else (relative paths,
    # `%6Aavascript:`, `mailto:`, `https:host`) stays literal text instead of becoming a link.
    md.validateLink = lambda url: http_url(url) is not None
    return md


@lru_cache(maxsize=256)  # the pages of one credential in the site's languages are made one after another
def description_html(text: str) -> Markup:
    """A description's Markdown subset as sanitised HTML.

    Raw HTML in the text stays literal text (`<Java>` shows as written); nh3 then
    keeps only the subset's tags and http(s) links, whatever the Markdown made.
    """
    rendered = _markdown().render(text)
    cleaned = nh3.clean(rendered, tags=DESCRIPTION_TAGS, attributes={"a": {"href"}},
                        url_schemes={"http", "https"}, link_rel="nofollow noopener ugc")
    return Markup(cleaned)


def http_url(value: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (the model checks this too)."""
    if not value:
        return None
    parts = urlsplit(value)
    return value if parts.scheme in ("http", "https") and parts.hostname else None


_JSON_IN_SCRIPT = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def json_for_script(data) -> Markup:
    """JSON that is safe inside <script>: no `</script>` or `<!--` can end or bend the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    # str.replace, once per character, not str.translate: a tenth of the time (0.1 ms a page)
    for char, escaped in _JSON_IN_SCRIPT:
        if char in text:
            text = text.replace(char, escaped)
    return Markup(text)


# --- small HTML pieces, used by the templates on every page -----------------------
# Written in Python rather than as Jinja2 macros: they run tens of times per page,
# and a macro call costs ten times a function call. Everything is escaped here.


def not_stated(language: Language) -> Markup:
    return Markup('<span class="mc-none">{}</span>').format(language.gettext("Not stated"))


def lang_attr(t: Localised, site_lang: str) -> Markup:
    return Markup(f' lang="{escape(t.lang)}"') if t.lang != site_lang else Markup("")


def others_html(t: Localised, language: Language) -> Markup:
    """A text's translations into other languages than the page's, each named in the page's language."""
    return Markup("".join(
        f'<span class="mc-tr"><span class="mc-tr__lang">{escape(language.language_name(lang) + language.colon.rstrip())}</span> '
        f'<span lang="{escape(lang)}">{escape(other)}</span></span>' for lang, other in t.others))


def text_html(t: Localised | None, language: Language, block: bool = False) -> Markup:
    """A text field in the page's language, its translations after it."""
    if t is None:
        return not_stated(language)
    tag = "p" if block else "span"
    lang = f' lang="{escape(t.lang)}"' if t.lang != language.code else ""
    return Markup(f"<{tag}{lang}>{escape(t.text)}</{tag}>{others_html(t, language) if t.others else ''}")


def link_html(url: str | None, label: str | None = None) -> Markup:
    """A link to an outside page; anything but http(s) is shown as plain text."""
    if http_url(url):
        return Markup(f'<a href="{escape(url)}" rel="nofollow noopener ugc">{escape(label or url)}</a>')
    return escape(label or "")
