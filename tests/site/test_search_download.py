"""What a visitor's browser downloads for a search: browsing by filters needs no word index, nor
Pagefind's WebAssembly, metadata or filter files (the browse index answers it, site/browse.py)."""

from __future__ import annotations

from test_browser_site import wait_for_search


def _fetched(page) -> list[str]:
    urls: list[str] = []
    page.context.on("requestfinished", lambda r: urls.append(r.url))  # the page's and the search worker's
    return urls


def test_browsing_by_filters_downloads_only_the_browse_index_and_the_cards(page, site_url):
    urls = _fetched(page)
    page.goto(site_url)
    wait_for_search(page, 6)
    page.check("details[data-filter=level] input[value='5']")
    assert set(wait_for_search(page, 2)) == {"C++ & <Java>", "Fully described sample credential"}
    assert any("/pagefind/browse/" in u for u in urls) and any(u.endswith(".pf_fragment") for u in urls)
    assert not [u for u in urls if u.endswith((".pf_index", ".pf_meta", ".pf_filter")) or "/wasm." in u]


def test_searching_words_still_downloads_their_part_of_the_index(page, site_url):
    urls = _fetched(page)
    page.goto(site_url + "?q=welding")
    wait_for_search(page, 2)
    assert [u for u in urls if u.endswith(".pf_index")]
