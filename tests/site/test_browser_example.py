"""The search on the example catalogue (24 credentials: more than one screen of results)
in a real headless Chromium: the first cards come with the page, "Show more" goes on from
them in the same order, and sorts hold across screens."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


# conftest's page fixture serves this site instead of the fixture catalogue's
@pytest.fixture(scope="module")
def site_url(example_site_url):
    return example_site_url


def titles(page) -> list[str]:
    return page.locator("#mc-results .mc-card__title a").all_inner_texts()


def test_show_more_goes_on_from_the_cards_in_the_page(page, site_url):
    fragments = []
    page.on("request", lambda r: fragments.append(r.url) if r.url.endswith(".pf_fragment") else None)
    page.goto(site_url)
    page.wait_for_function("document.querySelector('#mc-status').textContent.startsWith('24 credentials match')")
    first = titles(page)
    assert len(first) == 20 and fragments == []
    page.click("#mc-more")
    page.wait_for_function("document.querySelectorAll('#mc-results .mc-card').length === 24")
    everything = titles(page)
    assert everything[:20] == first
    assert everything == sorted(everything, key=str.casefold) and len(set(everything)) == 24
    assert len(fragments) == 4  # only the cards not in the page
    assert page.is_hidden("#mc-more")


@pytest.mark.parametrize("sort, key", [
    ("level:asc", lambda facts: int(facts.split("EQF ")[1].split(" ")[0])),
    ("level:desc", lambda facts: -int(facts.split("EQF ")[1].split(" ")[0])),
])
def test_a_sort_holds_across_screens(page, site_url, sort, key):
    page.goto(f"{site_url}?sort={sort}")
    page.wait_for_function("document.querySelectorAll('#mc-results .mc-card').length === 20")
    page.click("#mc-more")
    page.wait_for_function("document.querySelectorAll('#mc-results .mc-card').length === 24")
    facts = page.locator("#mc-results .mc-card__facts").all_inner_texts()
    ranks = [key(f) for f in facts]
    assert ranks == sorted(ranks)
    # within one level, by title (the order Pagefind was given the pages in)
    shown = list(zip(ranks, (title.casefold() for title in titles(page))))
    assert shown == sorted(shown)
