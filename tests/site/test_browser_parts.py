"""The search index in parts (site/parts.py), in the browser, against one index of the same pages.

The example catalogue is built with parts of a few pages (at least three parts) and served
beside its one-part site; in headless Chromium, in every language, a search by filters alone
(the browse index across the parts) shows the same cards in the same order, the same count and
the same counts beside the filters on both, and fetches none of Pagefind's WebAssembly,
metadata or filter files; each card's fragment comes from its page's part. A search with words
(Pagefind, every part merged into the first, one WebAssembly) finds every page the one index
finds; where a part has no page with a word, Pagefind 1.5 matches the longest word of that part
that the searched one begins with ("C", of °C, for "certificate": its fallback works index by
index), so it may find more: the last test holds that difference in view (xfail, strict).
"""

from __future__ import annotations

import os
import re

import pytest

from conftest import REPO, serving
from sitetree import search_parts
from test_browser_browse import LANGUAGES, PAGEFINDS_OWN, prefix, settled, shown, tick

SMALL = 4  # pages to a part


@pytest.fixture(scope="module")
def parts_site(tmp_path_factory):
    from microcred.build import build
    from microcred.site import parts

    out = tmp_path_factory.mktemp("parts-build") / "site"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parts, "PART_SIZE", SMALL)
        patch.setenv("SOURCE_DATE_EPOCH", os.environ.get("TEST_SOURCE_DATE_EPOCH", "1790000000"))
        build(REPO, REPO / "catalogue", out, out=open(os.devnull, "w"))
    assert len(search_parts(out)) >= 3
    return out


@pytest.fixture(scope="module")
def parts_site_url(parts_site):
    with serving(parts_site) as url:
        yield url


@pytest.fixture
def open_site(local_pages):
    def open_page(url: str, folder, path: str):
        page, requested = local_pages(url, folder, path)
        settled(page)
        return page, requested

    return open_page


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_search_by_filters_alone_across_the_parts_is_the_one_index_search(
        open_site, parts_site, parts_site_url, example_site, example_site_url, lang):
    states = []
    for url, folder in ((parts_site_url, parts_site), (example_site_url, example_site)):
        page, requested = open_site(url, folder, prefix(lang) + "?sort=title:desc")
        seen = [shown(page)]
        page.click("#mc-more")  # every card: fragments of every part
        page.wait_for_function("document.querySelectorAll('#mc-results .mc-card').length === 24")
        settled(page)
        seen.append(shown(page))
        for name, value in (("level", "4"), ("cost", "paid"), ("level", "6")):
            tick(page, name, value)
            seen.append(shown(page))
        assert not [u for u in requested if PAGEFINDS_OWN.search(u)], "Pagefind's metadata, filters or WebAssembly"
        states.append(seen)
        if url == parts_site_url:
            folders = {m.group(1) for u in requested for m in [re.search(r"/pagefind/([0-9a-f]+)/fragment/", u)] if m}
            assert folders == {f.name for f in search_parts(parts_site)}
    assert states[0] == states[1]
    assert [state["count"] for state in states[0]] == [24, 24, 8, 6, 9]


def word_searches(open_site, parts_site, parts_site_url, example_site, example_site_url, path: str):
    states = []
    for url, folder in ((parts_site_url, parts_site), (example_site_url, example_site)):
        page, requested = open_site(url, folder, path)
        page.wait_for_function("document.querySelector('#mc-status').textContent.match(/\\d/)")
        states.append(shown(page))
        if url == parts_site_url:  # every part's metadata, one WebAssembly for all
            wasm = [u for u in requested if "/wasm." in u]
            assert len(wasm) == 1 and f"/pagefind/{search_parts(parts_site)[0].name}/" in wasm[0]
            assert {u.split("/pagefind/")[1].split("/")[0] for u in requested if u.endswith(".pf_meta")} == {
                f.name for f in search_parts(parts_site)}
    return states


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("query", ["certificate", "safety&level=4", "care&sort=title:asc", "cloud&sort=level:desc"])
def test_a_search_with_words_across_the_parts_finds_what_the_one_index_finds(
        open_site, parts_site, parts_site_url, example_site, example_site_url, lang, query):
    """Every page the one index finds, the parts find, with the same counts or more beside each
    filter value; sorted by title, in the same order. (Not only those: see the next test.)"""
    ours, theirs = word_searches(open_site, parts_site, parts_site_url, example_site, example_site_url,
                                 prefix(lang) + "?q=" + query)
    assert theirs["count"] >= 1 and ours["count"] >= theirs["count"]
    assert set(theirs["ids"]) <= set(ours["ids"]) and ours["chosen"] == theirs["chosen"]
    assert all(ours["counts"][name][value] >= n for name, values in theirs["counts"].items() for value, n in values.items())
    if "sort=title" in query:
        assert [i for i in ours["ids"] if i in theirs["ids"]] == theirs["ids"]


@pytest.mark.browser
@pytest.mark.xfail(strict=True, reason="Pagefind 1.5, in an index with no word beginning with the searched one, "
                                        "matches the longest word it begins with: in a part without 'certificate', 'C'")
def test_a_search_with_words_across_the_parts_finds_only_what_the_one_index_finds(
        open_site, parts_site, parts_site_url, example_site, example_site_url):
    ours, theirs = word_searches(open_site, parts_site, parts_site_url, example_site, example_site_url, "?q=certificate")
    assert ours == theirs
