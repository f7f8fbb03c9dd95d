"""Searches without words come from the browse index (site/browse.py), not from Pagefind.

The build re-encodes what Pagefind's bundle says about its pages and filters into
pagefind/browse/; register.js answers every search without words from it, so a first
filtered search downloads neither Pagefind's WebAssembly nor its metadata (a hash for
every page). These tests hold the browse index to Pagefind's own answers on the same
built site (the example catalogue's, 24 credentials), in every language of the site, in
headless Chromium: the same cards in the same order, the same count, the same counts
beside the filters. The index's files are checked against Pagefind's fragments too (each
fragment names its page's filter values).
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from microcred.settings import load_settings
from microcred.site import browse
from sitetree import search_parts

LANGUAGES = list(load_settings(REPO).languages)  # the first at the site's root, the others at /<code>/
PAGEFINDS_OWN = re.compile(r"(\.pf_meta|\.pf_filter|/wasm\.[^/]*)(\?|$)")
# Pagefind itself with every part of the index merged (site/parts.py), as register.js merges them: a
# module of its own (pagefind.js?merged), made once a page, so register.js's own is left as it is.
MERGED_PAGEFIND = """((root, baseUrl) => window.mergedPagefind = window.mergedPagefind || (async () => {
    const bundle = new URL('pagefind/', root);
    const parts = (await (await fetch(new URL('parts.json', bundle))).json()).parts;
    const pagefind = await import(new URL(parts[0] + 'pagefind.js?merged', bundle).href);
    await pagefind.options({baseUrl, noWorker: true});
    for (const part of parts.slice(1)) await pagefind.mergeIndex(new URL(part, bundle).href, {baseUrl});
    return pagefind;
})())"""


def prefix(lang: str) -> str:
    return "" if lang == LANGUAGES[0] else f"{lang}/"


# --- the index's files, against Pagefind's ------------------------------------------------


def fragment(bundle: Path, hash_: str) -> dict:
    data = gzip.decompress((bundle / "fragment" / f"{hash_}.pf_fragment").read_bytes())
    assert data.startswith(browse.SIGNATURE)
    return json.loads(data[len(browse.SIGNATURE):])


def test_pagefinds_pages_and_filters_are_read_as_its_fragments_tell(example_site):
    [bundle] = search_parts(example_site)  # one part: 24 credentials
    pages, filters = browse.read_bundle(bundle)
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert len(pages) == len(set(pages)) == sum(lang["page_count"] for lang in entry["languages"].values()) == 24
    assert set(pages) == {p.name.removesuffix(".pf_fragment") for p in (bundle / "fragment").iterdir()}
    # every page's values, by the filter files, are the ones its fragment names
    for number, hash_ in enumerate(pages):
        named = fragment(bundle, hash_)["filters"]
        held = {name: sorted(v for v, numbers in values.items() if number in numbers) for name, values in filters.items()}
        assert {name: sorted(values) for name, values in named.items()} == {k: v for k, v in held.items() if v}
    # in title order: the order the build gave Pagefind the pages in (search.py)
    titles = [fragment(bundle, hash_)["meta"]["title"] for hash_ in pages]
    assert titles == sorted(titles, key=str.casefold)


def test_the_browse_files_hold_the_same_pages_and_filters(example_site):
    bundle = example_site / "pagefind"
    [part] = search_parts(example_site)
    pages, filters = browse.read_bundle(part)
    manifest = json.loads((bundle / browse.FOLDER / browse.MANIFEST).read_text("utf-8"))
    folder = bundle / browse.FOLDER / manifest["folder"]
    assert manifest["pages"] == len(pages) and manifest["chunk"] == browse.CHUNK
    assert manifest["parts"] == [[f"{part.name}/", 0]]
    assert sorted(manifest["filters"]) == sorted(filters)
    for name, file in manifest["filters"].items():
        assert browse.decode_filter(gzip.decompress((folder / file).read_bytes())) == filters[name]
    chunks = sorted(folder.glob("pages-*.gz"), key=lambda p: int(p.stem.split("-")[1].split(".")[0]))
    hashes = [manifest["prefix"] + line for chunk in chunks
              for line in gzip.decompress(chunk.read_bytes()).decode("utf-8").split("\n")]
    assert hashes == pages


def test_the_browse_index_is_a_pure_function_of_pagefinds_files(example_site, tmp_path):
    bundle = tmp_path / "pagefind"
    shutil.copytree(example_site / "pagefind", bundle)
    made = {p.relative_to(bundle).as_posix(): p.read_bytes() for p in (bundle / "browse").rglob("*") if p.is_file()}
    (bundle / "browse" / "stale-file").write_text("from an earlier build")
    assert browse.write_browse_index(bundle)
    assert {p.relative_to(bundle).as_posix(): p.read_bytes() for p in (bundle / "browse").rglob("*") if p.is_file()} == made
    # a bundle not as Pagefind 1.x writes it: no browse index (register.js asks Pagefind instead)
    meta = next(bundle.glob("*/pagefind.*.pf_meta"))
    meta.write_bytes(gzip.compress(browse.SIGNATURE + b"\xff"))
    assert not browse.write_browse_index(bundle)
    assert not (bundle / "browse").exists()


@pytest.mark.parametrize("data, value", [
    (b"\x00", 0), (b"\x17", 23), (b"\x18\x18", 24), (b"\x19\x01\x00", 256), (b"\x1a\x00\x01\x00\x00", 65536),
    (b"\x1b" + (2**40).to_bytes(8, "big"), 2**40), (b"\x20", -1), (b"\x38\x63", -100),
    (b"\x43abc", b"abc"), (b"\x65caf\xc3\xa9", "café"), (b"\x60", ""),
    (b"\x82\x01\x82\x02\x03", [1, [2, 3]]), (b"\xa2\x61a\x01\x61b\x80", {"a": 1, "b": []}),
    (b"\xf4", False), (b"\xf5", True), (b"\xf6", None),
])
def test_the_cbor_reader(data, value):
    assert browse.read_cbor(data) == (value, len(data))


@pytest.mark.parametrize("data", [b"", b"\x19\x01", b"\x62a", b"\x82\x01", b"\x9f\x01\xff", b"\xc1\x00", b"\xfb" + bytes(8),
                                  b"\x1c", b"\x62\xff\xfe"])
def test_the_cbor_reader_refuses_what_pagefind_does_not_write(data):
    with pytest.raises(browse.UnexpectedBundle):
        browse.read_cbor(data)


# --- in the browser ---------------------------------------------------------------------


@pytest.fixture
def visit(local_pages, example_site_url, example_site):
    """visit(path, before=…): a page of the example site in a context of its own; the list of
    every URL the context requested (the page's and its workers') comes with it."""
    return lambda path, before=None: local_pages(example_site_url, example_site, path, before)


def settled(page) -> None:
    page.wait_for_function("document.querySelector('#mc-filters details.mc-filter-group')"
                           " && !document.querySelector('#mc-results').hasAttribute('aria-busy')")


def tick(page, name: str, value: str) -> None:
    group = page.locator(f"details[data-filter={name}]")
    if not group.evaluate("d => d.open"):
        group.locator("summary").click()
        settled(page)
    page.check(f"details[data-filter={name}] input[value='{value}']")
    page.wait_for_function(f"new URLSearchParams(location.search).getAll({name!r}).includes({value!r})")
    settled(page)


def shown(page) -> dict:
    """What the search shows: the cards' ids, the count in the status line, the count beside each
    value of each open filter, and the values ticked."""
    return page.evaluate("""() => {
        const counts = {}, chosen = {};
        for (const group of document.querySelectorAll('#mc-filters details.mc-filter-group')) {
            const name = group.dataset.filter, ticked = [...group.querySelectorAll('input:checked')].map(i => i.value);
            if (ticked.length) chosen[name] = ticked;
            if (!group.open) continue;
            counts[name] = Object.fromEntries([...group.querySelectorAll('.mc-filter__option')]
                .map(o => [o.dataset.value, Number(o.querySelector('.mc-count').textContent.replace(/\\D/g, ''))]));
        }
        return {ids: [...document.querySelectorAll('#mc-results li.mc-card input.mc-pick')].map(b => b.value),
                count: Number((document.querySelector('#mc-status').textContent.match(/\\d+/) || [0])[0]),
                counts, chosen};
    }""")


def pagefinds(page, site_url: str, state: dict, words: str | None = None) -> dict:
    """What Pagefind itself finds (in the page, the module register.js loaded) for the search
    `state` shows (shown()): its filters as register.js asks for them: the values ticked, the
    groups open with no condition (so that they are counted), a chosen filter's counts from a
    search without it."""
    return page.evaluate("""async ([root, state, words]) => {
        const pagefind = await (""" + MERGED_PAGEFIND + """)(root, new URL(root).pathname);
        const chosen = state.chosen, open = Object.keys(state.counts);
        const filters = except => Object.fromEntries(open.map(n => [n, {any: n === except ? [] : (chosen[n] || [])}]));
        const found = await pagefind.search(words, {filters: filters(null)});
        const counts = {};
        for (const name of open) {
            const tally = name in chosen ? (await pagefind.search(words, {filters: filters(name)})).filters : found.filters;
            counts[name] = tally[name];
        }
        const first = await Promise.all(found.results.slice(0, 20).map(r => r.data()));
        return {ids: first.map(d => d.meta.id), count: found.results.length, counts, chosen};
    }""", [site_url, state, words])


def title_order(page, site_url: str) -> list[str]:
    """Every credential's id in the order of Pagefind's search by filters alone (by title)."""
    return page.evaluate("""async root => {
        const pagefind = await (""" + MERGED_PAGEFIND + """)(root, new URL(root).pathname);
        const found = await pagefind.search(null, {filters: {}});
        return (await Promise.all(found.results.map(r => r.data()))).map(d => d.meta.id);
    }""", site_url)


@pytest.mark.browser
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_search_by_filters_shows_what_pagefind_finds_without_its_files(visit, example_site_url, lang):
    page, requested = visit(prefix(lang))
    settled(page)
    states = [shown(page)]
    for name, value in (("level", "4"), ("cost", "paid"), ("level", "6")):  # the last: either of two levels
        tick(page, name, value)
        states.append(shown(page))
    assert not [u for u in requested if PAGEFINDS_OWN.search(u)], "Pagefind's metadata, filters or WebAssembly"
    assert any("/pagefind/browse/" in u and u.endswith(".gz") for u in requested)
    assert [state["count"] for state in states] == [24, 8, 6, 9]
    # what Pagefind answers to the same searches (fetching its files now); the first cards of
    # a language's home page come with it, in the order of its own titles (register.js)
    for state in states:
        expected = pagefinds(page, example_site_url, state)
        if state is states[0]:
            del state["ids"], expected["ids"]
        assert state == expected


@pytest.mark.browser
def test_the_first_screen_and_show_more_come_from_the_browse_index(visit, example_site_url):
    page, requested = visit("nl/?sort=title:desc")  # another language: its first cards are checked against the index
    settled(page)
    assert len(shown(page)["ids"]) == 20
    page.click("#mc-more")
    page.wait_for_function("document.querySelectorAll('#mc-results .mc-card').length === 24")
    settled(page)
    ids = shown(page)["ids"]
    assert not [u for u in requested if PAGEFINDS_OWN.search(u)]
    assert ids == title_order(page, example_site_url)[::-1] and len(set(ids)) == 24


@pytest.mark.browser
def test_a_search_with_words_still_asks_pagefind(visit, example_site_url):
    page, requested = visit("de/")
    settled(page)
    assert not [u for u in requested if PAGEFINDS_OWN.search(u)]
    page.fill("#mc-q", "cloud")  # searched as typed (one search, after a pause)
    page.wait_for_function("new URLSearchParams(location.search).get('q') === 'cloud'")
    settled(page)
    assert any(u.endswith(".pf_meta") for u in requested) and any(u.endswith(".pf_index") for u in requested)
    with_words = shown(page)
    assert with_words == pagefinds(page, example_site_url, with_words, "cloud") and with_words["count"] >= 1
    # words sorted by title: Pagefind's title order for both parts of it
    page.select_option("#mc-sort", "title:asc")
    page.wait_for_function("new URLSearchParams(location.search).get('sort') === 'title:asc'")
    settled(page)
    assert shown(page)["ids"] == [i for i in title_order(page, example_site_url) if i in with_words["ids"]]
    # and without the words again: the browse index, as Pagefind would answer
    page.fill("#mc-q", "")
    page.wait_for_function("!new URLSearchParams(location.search).has('q')")
    settled(page)
    assert not shown(page)["chosen"] and shown(page)["ids"] == pagefinds(page, example_site_url, shown(page))["ids"]


@pytest.mark.browser
def test_without_the_browse_index_pagefind_answers_searches_by_filters(visit, example_site_url):
    missing = lambda p: p.context.route("**/pagefind/browse/**", lambda r: r.fulfill(status=404, body=""))  # noqa: E731
    page, requested = visit("fr/", before=missing)
    settled(page)
    tick(page, "level", "4")
    assert shown(page) == pagefinds(page, example_site_url, shown(page))
    assert any(u.endswith(".pf_meta") for u in requested)


# Pagefind's filter forms (register.js uses {name: {any: [...]}} only; the others as Pagefind 1.5 reads them)
FILTER_FORMS = [
    {}, {"level": {"any": []}}, {"level": {"any": ["5"]}}, {"level": {"all": []}}, {"level": []}, {"level": "5"},
    {"level": ["5", "6"]}, {"level": {"any": ["5", "no-such-value"]}}, {"no-such-filter": {"any": []}},
    {"no-such-filter": {"any": ["x"]}}, {"level": {"none": ["5"]}}, {"level": {"not": ["5"]}},
    {"level": {"any": ["4"]}, "cost": {"any": []}}, {"level": {"none": []}}, {"level": {"any": [], "all": ["5"]}},
    {"level": [{"any": ["5", "6"]}, "6"]}, {"any": [{"level": "5"}, {"cost": "free"}]},
    {"all": [{"level": "5"}, {"cost": "paid"}]}, {"none": [{"level": "5"}]}, {"any": {"level": "5", "cost": "free"}},
    {"level": {"any": []}, "no-such-filter": "x"}, {"level": 5}, {"level": {"any": [5]}}, {"level": {"xyz": ["5"]}},
    {"level": {"none": ["5"], "any": ["5", "6"]}}, {"language": {"all": ["en", "de"]}},
    {"field": {"any": ["06", "07"]}, "language": {"any": ["en"]}, "country": {"any": []}, "status": {"any": ["active"]}},
]


@pytest.mark.browser
def test_the_browse_index_answers_every_filter_form_as_pagefind_does(visit, example_site_url):
    """register.js's browse index itself (its source, from `// --- searches without words` to
    `function setUpSearch(`) against Pagefind, one search after the other in the same page,
    on a page that runs no search of its own, under a base path: results, their data(), counts."""
    page, _ = visit("compare/")
    answers = page.evaluate("""async ([root, forms]) => {
        const source = await (await fetch(new URL('assets/register.js', root))).text();
        const start = source.indexOf('  // --- searches without words'), end = source.indexOf('  function setUpSearch(');
        const own = source.slice(source.indexOf('  function own('), source.indexOf('  function readJson('));
        if (start < 0 || end < start || !own) return 'register.js: the browse index is not where this test looks';
        const browseIndex = new Function(own + source.slice(start, end) + '; return browseIndex;')();
        const bundle = new URL('pagefind/', root);
        const browse = await browseIndex(bundle, '/register/');
        const pagefind = await (""" + MERGED_PAGEFIND + """)(root, '/register/');
        const answer = async found => ({count: found.results.length, filters: found.filters, totalFilters: found.totalFilters,
            unfilteredResultCount: found.unfilteredResultCount, scores: found.results.map(r => r.score),
            data: JSON.stringify(await Promise.all(found.results.map(r => r.data())))});
        const out = [];
        for (const filters of forms) {
            const theirs = await answer(await pagefind.search(null, {filters}));
            out.push([theirs, await answer(await browse.search({filters}))]);
        }
        return out;
    }""", [example_site_url, FILTER_FORMS])
    assert isinstance(answers, list), answers
    for filters, (theirs, ours) in zip(FILTER_FORMS, answers):
        assert ours == theirs, filters
    assert {theirs["count"] for theirs, _ in answers} >= {0, 3, 24}
    assert '"url":"/register/credentials/' in answers[0][0]["data"]
