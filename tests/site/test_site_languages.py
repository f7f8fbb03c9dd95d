"""The site's languages as search engines, readers of the reference and translators meet them:
the sitemaps name every page's versions, the vocabularies page lists every label in every
language, and a new language is one catalogue and one line of mkdocs.yml."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from conftest import REPO, SITE_CATALOGUE
from microcred.settings import load_settings
from microcred.site import l10n
from sitehtml import page

SETTINGS = load_settings(REPO)
LANGUAGES = SETTINGS.languages
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def prefix(code: str) -> str:
    return "" if code == LANGUAGES[0] else f"{code}/"


def test_each_language_s_sitemap_names_every_page_s_versions(built_site):
    path = "credentials/acme-academy/full-entry/"
    for code in LANGUAGES:
        root = ET.parse(built_site / prefix(code) / "sitemap.xml").getroot()
        urls = {u.find("s:loc", NS).text: u for u in root.findall("s:url", NS)}
        entry = urls[SETTINGS.site_url + prefix(code) + path]
        alternates = [(link.get("hreflang"), link.get("href")) for link in entry.findall("x:link", NS)]
        assert alternates == [(c, SETTINGS.site_url + prefix(c) + path) for c in LANGUAGES] + \
            [("x-default", SETTINGS.site_url + path)]
        # the sitemap schema's own elements first, the alternates after them
        assert [child.tag.split("}")[1] for child in entry][:2] == ["loc", "lastmod"]
    # a guide in English only has no alternates to name
    english = ET.parse(built_site / "sitemap.xml").getroot()
    guide = next(u for u in english.findall("s:url", NS)
                 if u.find("s:loc", NS).text == SETTINGS.site_url + "contributing/")
    assert guide.findall("x:link", NS) == []


def _named(url: ET.Element) -> tuple:
    return url.find("s:loc", NS).text, [(link.get("hreflang"), link.get("href")) for link in url.findall("x:link", NS)]


def test_more_pages_than_one_sitemap_holds_go_into_sitemaps_named_by_an_index(built_site, tmp_path, monkeypatch):
    """The sitemap protocol allows 50,000 addresses in one file (100,000 credentials are about
    103,000 pages in each language): beyond that, sitemap.xml is an index of sitemap-1.xml, ..."""
    from microcred.build import build
    from microcred.site import shells

    monkeypatch.setattr(shells, "SITEMAP_URLS", 7)
    out = tmp_path / "site"
    build(REPO, SITE_CATALOGUE, out, out=open(os.devnull, "w"))
    index = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    for code in LANGUAGES:
        whole = ET.parse(built_site / prefix(code) / "sitemap.xml").getroot()
        root = ET.parse(out / prefix(code) / "sitemap.xml").getroot()
        assert root.tag == f"{index}sitemapindex"
        named = [s.find("s:loc", NS).text for s in root.findall("s:sitemap", NS)]
        base = SETTINGS.site_url + prefix(code)
        assert named == [f"{base}sitemap-{n}.xml" for n in range(1, len(named) + 1)] and len(named) > 1
        parts = [ET.parse(out / prefix(code) / f"sitemap-{n}.xml").getroot() for n in range(1, len(named) + 1)]
        assert all(len(part.findall("s:url", NS)) <= 7 for part in parts)
        # every page, in order, with its alternates, as the one sitemap names them
        assert [_named(u) for part in parts for u in part.findall("s:url", NS)] == \
            [_named(u) for u in whole.findall("s:url", NS)]
        with gzip.open(out / prefix(code) / "sitemap-1.xml.gz") as packed:
            assert packed.read() == (out / prefix(code) / "sitemap-1.xml").read_bytes()


def test_the_vocabularies_page_lists_every_label_in_every_language(built_site):
    doc = page(built_site, "reference/vocabularies/")
    assert "the register's own translation" in doc.clean_text()
    rows = {tr.find("th").clean_text(): [td.clean_text() for td in tr.find_all("td")]
            for tr in doc.find_all("tr") if tr.find("th", scope="row")}
    assert rows["041"] == [l10n.load_language(code, i == 0).field_label("041") for i, code in enumerate(LANGUAGES)]
    assert rows["041"][0] == "Business and administration" and len(set(rows["041"])) == len(LANGUAGES)
    assert rows["online-test"] == [l10n.load_language(code, i == 0).label("assessment", "online-test")
                                   for i, code in enumerate(LANGUAGES)]
    assert not (built_site / "nl" / "reference" / "vocabularies").exists()  # a reference page, in English


def test_a_new_language_is_one_catalogue_and_one_line(tmp_path, monkeypatch):
    # one catalogue, made from the template as docs/contributing/translate.md says (here with
    # one message translated, the rest still English), in a copy of the package's locale folder
    locale = tmp_path / "locale"
    shutil.copytree(l10n.LOCALE_DIR, locale)
    with (locale / "messages.pot").open("rb") as f:
        template = read_po(f)
    catalog = Catalog(locale="pl", domain="messages")
    for message in template:
        if message.id:
            catalog.add(message.id, context=message.context, locations=message.locations)
    catalog.get("Key facts").string = "Najważniejsze informacje"
    (locale / "pl" / "LC_MESSAGES").mkdir(parents=True)
    with (locale / "pl" / "LC_MESSAGES" / "messages.po").open("wb") as f:
        write_po(f, catalog)
    monkeypatch.setattr(l10n, "LOCALE_DIR", locale)
    monkeypatch.setattr(l10n, "TEMPLATE_FILE", locale / "messages.pot")
    # one line: the language added to mkdocs.yml's list
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "docs").symlink_to(REPO / "docs")
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    added = re.sub(r"languages: \[([^\]]*)\]", r"languages: [\1, pl]", config, count=1)
    assert [a != b for a, b in zip(config.splitlines(), added.splitlines(), strict=True)].count(True) == 1
    (repo / "mkdocs.yml").write_text(added, "utf-8")

    from microcred.build import build

    out = tmp_path / "site"
    build(repo, SITE_CATALOGUE, out, out=open("/dev/null", "w"))
    polish = page(out, "pl/credentials/acme-academy/full-entry/")
    assert polish.find("html").attrs["lang"] == "pl"
    assert polish.find("table", class_="mc-facts").find("caption").clean_text() == "Najważniejsze informacje"
    hreflangs = [link.attrs["hreflang"] for link in polish.find_all("link") if "hreflang" in link.attrs]
    assert hreflangs == [*LANGUAGES, "pl", "x-default"]
    english = page(out, "credentials/acme-academy/full-entry/")
    assert "Polski" in [a.clean_text() for a in english.find_all("a", class_="md-select__link")]
    assert (out / "pl" / "index.html").exists() and (out / "pl" / "sitemap.xml").exists()
