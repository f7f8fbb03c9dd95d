"""Search and compare in each of the site's languages, in a real headless Chromium.

One Pagefind index, at the site's root, serves every language; filters read in the page's
language while the address keeps codes (the same address works in every language); result
cards read as the cards that come with the page; register.js shows its messages from the
language's assets/i18n.js (window.MC_I18N); on a phone the filters fold into one control.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import CHROMIUM, REPO, _local_only
from microcred.settings import load_settings
from sitehtml import page as static_page

if not CHROMIUM.exists():
    pytest.skip(f"no Chromium at {CHROMIUM}: the browser tests need the system's Chromium", allow_module_level=True)
pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

LANGUAGES = list(load_settings(REPO).languages)  # mkdocs.yml: the first at the site's root, the others at /<code>/
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def prefix(lang: str) -> str:
    return "" if lang == LANGUAGES[0] else f"{lang}/"


def messages_script(lang: str, messages: dict, plural: str = "n != 1") -> str:
    """An assets/i18n.js of our own, as the build writes one."""
    data = json.dumps({"lang": lang, "messages": messages}, ensure_ascii=False)
    return f"window.MC_I18N = {data};\nwindow.MC_I18N.plural = function (n) {{ return Number({plural}); }};\n"


def built_messages(site: Path, lang: str) -> str:
    return (site / prefix(lang) / "assets" / "i18n.js").read_text("utf-8")


@pytest.fixture
def visit(browser, site_url, built_site):
    """visit(path, viewport=…, i18n=…): a page of the site in a context of its own.
    i18n is the script that sets window.MC_I18N: the build's assets/i18n.js of the page's
    language unless given. It is both served for assets/i18n.js and run before the page's
    scripts, so register.js gets it whether or not the page loads the file itself."""
    contexts, errors = [], []

    def open_page(path: str, viewport=DESKTOP, i18n: str | None = None, before=None):
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        context.route("**/*", _local_only(site_url, built_site))
        if i18n is not None:  # messages of a test's own instead of the language's assets/i18n.js
            context.route("**/assets/i18n.js", lambda r: r.fulfill(body=i18n, content_type="text/javascript"))
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        if before:
            before(page)
        page.goto(site_url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"


def settled(page):
    """Wait until the search has drawn its filters and finished (the results are not aria-busy)."""
    page.wait_for_function("document.querySelector('#mc-filters details.mc-filter-group')"
                           " && !document.querySelector('#mc-results').hasAttribute('aria-busy')")


def card_ids(page) -> list[str]:
    return page.evaluate("[...document.querySelectorAll('#mc-results li.mc-card input.mc-pick')].map(b => b.value)")


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def plain(text: str) -> str:
    """Text with every kind of space as a plain one (CLDR and Intl space numbers differently)."""
    return " ".join("".join(" " if unicodedata.category(c) == "Zs" else c for c in text).split())


def js_cards(page) -> dict[str, dict]:
    return {c["id"]: c for c in page.evaluate("""[...document.querySelectorAll('#mc-results li.mc-card')].map(li => {
        const a = li.querySelector('.mc-card__title a');
        return {id: li.querySelector('input.mc-pick').value, title: a.textContent, lang: a.getAttribute('lang'),
                href: a.href, facts: li.querySelector('.mc-card__facts').textContent,
                badges: [...li.querySelectorAll('.mc-badge')].map(b => [b.textContent, b.getAttribute('title')]),
                pick: li.querySelector('.mc-pick-label').textContent.trim()};
    })""")}


def page_cards(site: Path, lang: str) -> dict[str, dict]:
    """The result cards the home page comes with (built by the templates)."""
    cards = {}
    for li in static_page(site, prefix(lang)).find_all("li", class_="mc-card"):
        a = li.find("h3").find("a")
        cards[li.find("input", class_="mc-pick").attrs["value"]] = {
            "title": a.text(), "lang": a.attrs.get("lang"), "facts": li.find("p", class_="mc-card__facts").text(),
            "badges": [[b.text(), b.attrs.get("title")] for b in li.find_all("span", class_="mc-badge")],
            "pick": li.find("label", class_="mc-pick-label").clean_text()}
    return cards


# --- messages ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_language_loads_its_messages_before_register_js(browser, site_url, lang):
    context = browser.new_context()
    context.route("**/*", _local_only(site_url))
    try:
        page = context.new_page()
        page.goto(site_url + prefix(lang))
        scripts = page.evaluate("[...document.scripts].map(s => s.getAttribute('src') || '').filter(Boolean)")
        mine = [s.rsplit("/", 1)[-1] for s in scripts if s.endswith(("/i18n.js", "/register.js"))]
        assert mine == ["i18n.js", "register.js"], f"the page's scripts: {scripts}"
        assert page.evaluate("window.MC_I18N && window.MC_I18N.lang") == lang
    finally:
        context.close()


def test_messages_plurals_and_placeholders_come_from_mc_i18n(visit):
    fake = messages_script("nl", {
        "%(num)s credential matches for “%(query)s”.": ["one %(num)s ‹%(query)s›", "other %(num)s ‹%(query)s›", "two %(num)s ‹%(query)s›"],
        "EQF %(level)s": "EQF-niveau %(level)s",
        "%(ects)s ECTS": "%(ects)s studiepunten",
        "Example": "Voorbeeld!",
        "Illustrative example data": "Verzonnen gegevens",
        "Compare": "Vergelijk!",
        "(%(num)s chosen)": ["(%(num)s gekozen)", "(%(num)s gekozen)", "(%(num)s gekozen)"],
    }, plural="n == 1 ? 0 : n == 2 ? 2 : 1")
    page = visit("nl/?q=welding", i18n=fake)
    settled(page)
    # the plural form the language's rule picks (form 2 for n == 2 here), with its placeholders filled
    assert page.inner_text("#mc-status") == "two 2 ‹welding›"
    card = js_cards(page)["acme-academy/full-entry"]
    assert "EQF-niveau 5" in card["facts"] and "4 studiepunten" in card["facts"]
    assert card["badges"] == [["Voorbeeld!", "Verzonnen gegevens"]]
    assert card["pick"] == "Vergelijk!"
    # a message without a translation reads as written (English), in its plural form
    page.locator("#mc-results input.mc-pick").first.check()
    assert page.inner_text(".mc-tray__count") == "1 credential picked to compare (pick at least 2)"
    page.check("details[data-filter=level] input[value='5']")
    page.wait_for_function("document.querySelector('#mc-status').textContent.startsWith('1 credential matches for')")
    assert page.inner_text("#mc-filters-box > summary").endswith("(1 gekozen)")


def test_search_not_available_is_said_in_the_page_language(visit):
    fake = messages_script("de", {"Search is not available here (the search index did not load). Browse the tables instead.":
                                  "Die Suche ist hier nicht verfügbar."})
    page = visit("de/", i18n=fake, before=lambda p: p.route("**/pagefind/*/pagefind.js", lambda r: r.abort()))
    page.wait_for_function("document.querySelector('#mc-status').textContent === 'Die Suche ist hier nicht verfügbar.'")


# --- one index for every language ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_searches_the_one_index_at_the_site_root(visit, site_url, lang):
    requests: list[str] = []
    page = visit(prefix(lang) + "?level=6", before=lambda p: p.on("request", lambda r: requests.append(r.url)))
    settled(page)
    assert sorted(card_ids(page)) == ["beta-institute/stacked-core", "gamma-college/cloud-ops"]
    bundle = [u for u in requests if "/pagefind/" in u]
    assert bundle and all(u.startswith(site_url + "pagefind/") for u in bundle), bundle


def test_nothing_is_requested_from_another_host(visit, site_url):
    requests: list[str] = []
    watch = lambda p: p.context.on("request", lambda r: requests.append(r.url))  # noqa: E731
    page = visit("nl/?q=cloud&participation=online", before=watch)
    settled(page)
    page.locator("#mc-results input.mc-pick").first.check()
    page = visit("nl/compare/?ids=acme-academy/full-entry,gamma-college/cloud-ops", before=watch)
    page.wait_for_selector(".mc-compare-table")
    elsewhere = [u for u in requests if not u.startswith((site_url, "data:"))]
    assert not elsewhere
    assert any(u.startswith(site_url + "nl/") for u in requests)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_page_names_itself_in_every_language_for_search_engines(visit, site_url, lang):
    page = visit(prefix(lang) + "credentials/acme-academy/full-entry/")
    links = page.evaluate("""[...document.querySelectorAll('link[hreflang]')]
        .map(l => [l.hreflang, l.href, l.relList.contains('alternate')])""")
    published = load_settings(REPO).site_url
    assert links == [[code, f"{published}{prefix(code)}credentials/acme-academy/full-entry/", True]
                     for code in LANGUAGES] + [["x-default", f"{published}credentials/acme-academy/full-entry/", True]]
    assert page.evaluate("document.documentElement.lang") == lang
    menu = page.evaluate("[...document.querySelectorAll('.md-select__link')].map(a => [a.hreflang, a.href])")
    assert menu == [[code, f"{site_url}{prefix(code)}credentials/acme-academy/full-entry/"] for code in LANGUAGES]


# --- filters: labels in the page's language, codes in the address ----------------------------------


def test_filters_read_in_the_page_language_and_the_address_keeps_codes(visit, built_site):
    page = visit("nl/?level=5&country=NL")
    settled(page)
    found = sorted(card_ids(page))
    assert found == ["acme-academy/cpp-java", "acme-academy/full-entry"]
    assert query(page) == {"level": ["5"], "country": ["NL"]}
    assert page.is_checked("details[data-filter=country] input[value='NL']")
    # each value reads as the home page's labels say, in its language
    labels = json.loads(static_page(built_site, "nl/").find("script", id="mc-filter-labels").text())

    def label(name: str, code: str) -> str:
        box = page.get_attribute(f"details[data-filter={name}] input[value='{code}']", "id")
        return page.inner_text(f"label[for={box}]")

    assert label("country", "NL") == f"{labels['country']['NL']} (2)"
    page.click("details[data-filter=participation] summary")  # opening a group counts its values
    page.wait_for_function("document.querySelector('details[data-filter=participation] .mc-count').textContent !== ''")
    assert label("participation", "online") == f"{labels['participation']['online']} (1)"
    # the same address finds the same credentials in every language
    for lang in ("en", "de", "fr"):
        other = visit(prefix(lang) + "?level=5&country=NL")
        settled(other)
        assert sorted(card_ids(other)) == found


def test_an_address_from_before_the_codes_still_finds_its_credentials(visit):
    page = visit("?language=Dutch&level=EQF+5")
    settled(page)
    assert card_ids(page) == ["acme-academy/full-entry"]
    assert query(page) == {"level": ["5"], "language": ["nl"]}


# --- result cards ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_result_cards_read_as_the_cards_that_come_with_the_page(visit, site_url, built_site, lang):
    page = visit(prefix(lang) + "?sort=title:desc")  # a sort: every card drawn by register.js
    settled(page)
    drawn, given = js_cards(page), page_cards(built_site, lang)
    assert sorted(drawn) == sorted(given)
    for id, card in drawn.items():
        assert plain(card["facts"]) == plain(given[id]["facts"]), id
        assert card["badges"] == given[id]["badges"], id
        assert card["pick"] == given[id]["pick"], id
        # the link stays in the visitor's language (the index holds the default language's pages)
        assert card["href"] == f"{site_url}{prefix(lang)}credentials/{id}/"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_result_titles_read_as_the_titles_in_the_page(visit, built_site, lang):
    page = visit(prefix(lang) + "?sort=title:desc")
    settled(page)
    drawn, given = js_cards(page), page_cards(built_site, lang)
    for id, card in drawn.items():
        assert (card["title"], card["lang"] or lang) == (given[id]["title"], given[id]["lang"] or lang), id


# --- the filters on a phone and on a wide screen --------------------------------------------------------


def test_on_a_phone_the_filters_fold_into_one_control_above_the_results(visit):
    page = visit("?level=5&level=6", viewport=PHONE)
    settled(page)
    box, summary = page.locator("#mc-filters-box"), page.locator("#mc-filters-box > summary")
    assert not page.evaluate("document.getElementById('mc-filters-box').open")
    assert summary.inner_text() == "Filters (2 chosen)"
    assert page.locator("#mc-filters h3").count() == 0
    # the results come right after the closed control
    gap = page.evaluate("document.getElementById('mc-status').getBoundingClientRect().top"
                        " - document.getElementById('mc-filters-box').getBoundingClientRect().bottom")
    assert 0 <= gap < 60
    # by keyboard: open it, untick a level, go back to the results
    summary.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('mc-filters-box').open")
    page.focus("details[data-filter=level] input[value='6']")
    page.keyboard.press("Space")
    page.wait_for_function("document.querySelector('#mc-filters-box > summary').textContent.endsWith('(1 chosen)')")
    settled(page)
    done = page.locator("#mc-filters .mc-filters-done")
    assert done.inner_text() == "Show 2 results"
    done.click()
    assert not page.evaluate("document.getElementById('mc-filters-box').open")
    assert page.evaluate("document.activeElement === document.querySelector('#mc-filters-box > summary')")
    assert box.is_visible() and page.locator("#mc-results li").first.is_visible()


def test_on_a_wide_screen_the_filters_are_a_column_with_a_heading(visit):
    page = visit("?level=5")
    settled(page)
    summary = page.locator("#mc-filters-box > summary")
    assert summary.inner_text() == "Filters (1 chosen)"
    assert summary.get_attribute("tabindex") == "-1"  # a heading there, not a control
    summary.click()
    assert page.evaluate("document.getElementById('mc-filters-box').open")
    assert page.locator("#mc-filters h3").count() == 0
    assert not page.locator("#mc-filters .mc-filters-done").is_visible()
    # narrowed to a phone's width it folds; widened again it opens
    page.set_viewport_size(PHONE)
    page.wait_for_function("!document.getElementById('mc-filters-box').open")
    page.set_viewport_size(DESKTOP)
    page.wait_for_function("document.getElementById('mc-filters-box').open")


# --- compare ---------------------------------------------------------------------------------------------


def test_compare_in_another_language_reads_that_language_pages(visit, site_url, built_site):
    requests: list[str] = []
    fake = messages_script("nl", {
        "Comparing %(num)s credential, element by element": ["%(num)s microcredential vergeleken", "%(num)s microcredentials vergeleken"],
        "Remove %(title)s from the comparison": "%(title)s uit de vergelijking halen",
        "Element": "Onderdeel",
    })
    page = visit("nl/compare/?ids=acme-academy/full-entry,gamma-college/cloud-ops", i18n=fake,
                 before=lambda p: p.on("request", lambda r: requests.append(r.url)))
    page.wait_for_selector(".mc-compare-table")
    fetched = [u for u in requests if "/credentials/" in u]
    assert fetched and all(u.startswith(site_url + "nl/credentials/") for u in fetched), fetched
    assert page.inner_text(".mc-compare-table caption") == "2 microcredentials vergeleken"
    assert page.inner_text(".mc-compare-table thead th >> nth=0") == "Onderdeel"
    links = page.evaluate("[...document.querySelectorAll('.mc-compare-table thead a')].map(a => a.href)")
    assert links == [f"{site_url}nl/credentials/acme-academy/full-entry/", f"{site_url}nl/credentials/gamma-college/cloud-ops/"]
    # the elements' names are those of the Dutch credential page
    credential = static_page(built_site, "nl/credentials/acme-academy/full-entry/")
    names = [row.attrs.get("data-label") or row.find("th").clean_text() for row in credential.find_all(data_compare=True)]
    shown = page.evaluate("[...document.querySelectorAll('.mc-compare-table tbody th')].map(th => th.firstChild.textContent)")
    assert shown == names
    title = page.evaluate("document.querySelector('.mc-compare-table thead a').textContent")
    assert page.get_attribute(".mc-compare-table thead th:nth-child(2) button", "aria-label") == \
        f"{title} uit de vergelijking halen"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compare_tables_caption_is_read_whole_on_a_phone(visit, lang):
    # the table is wider than a phone and scrolls sideways; its caption's words wrap within the screen
    page = visit(f"{prefix(lang)}compare/?ids=acme-academy/full-entry,gamma-college/cloud-ops", viewport=PHONE)
    page.wait_for_selector(".mc-compare-table caption")
    right, width = page.evaluate("""() => {
        const range = document.createRange();
        range.selectNodeContents(document.querySelector('.mc-compare-table caption'));
        return [Math.max(...[...range.getClientRects()].map(r => r.right)), document.documentElement.clientWidth];
    }""")
    assert right <= width, f"the caption runs {right - width:.0f} px past the screen's edge"
    assert page.evaluate("document.querySelector('.mc-table-wrap').scrollWidth > document.querySelector('.mc-table-wrap').clientWidth")


# --- accessibility -------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations_in_another_language(visit, viewport):
    from axe_playwright_python.sync_playwright import Axe

    page = visit("nl/?q=cloud&level=6", viewport=viewport)
    settled(page)
    if viewport is PHONE:
        page.click("#mc-filters-box > summary")
    found = Axe().run(page).response["violations"]
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in found if v["impact"] in ("serious", "critical")]
    assert not serious, serious


# --- more than one screen of results (the example catalogue) ---------------------------------------------


@pytest.fixture(scope="module")
def example_url(example_site_url):
    return example_site_url


def test_show_more_in_another_language_goes_on_in_the_index_order(browser, example_url):
    context = browser.new_context()
    context.route("**/*", _local_only(example_url))
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(example_url + "nl/?sort=title:asc")  # the index's order, every card from it
        settled(page)
        page.click("#mc-more")
        page.wait_for_function("document.querySelectorAll('#mc-results li.mc-card').length > 20")
        settled(page)
        in_order = card_ids(page)
        page.goto(example_url + "nl/")
        settled(page)
        first = card_ids(page)
        assert len(first) == 20
        page.click("#mc-more")
        page.wait_for_function("document.querySelectorAll('#mc-results li.mc-card').length > 20")
        settled(page)
        everything = card_ids(page)
        assert len(everything) == len(set(everything)) == len(in_order)
        # the page's own first cards are kept only when they are the index's first
        assert everything == (first + [i for i in in_order if i not in first] if first == in_order[:20] else in_order)
        assert page.evaluate("document.activeElement.closest('li') === document.querySelectorAll('#mc-results li')[20]")
        hrefs = page.evaluate("[...document.querySelectorAll('#mc-results .mc-card__title a')].map(a => a.href)")
        assert all(h.startswith(example_url + "nl/credentials/") for h in hrefs)
    finally:
        context.close()
    assert not errors, errors


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_search_counts_in_the_page_language_with_its_plural(visit, lang):
    from microcred.site.l10n import load_language

    language = load_language(lang, lang == LANGUAGES[0])
    page = visit(prefix(lang) + "?level=5")
    settled(page)
    n = len(card_ids(page))
    assert n > 1
    expected = language.ngettext("%(num)s credential matches with the chosen filters.",
                                 "%(num)s credentials match with the chosen filters.", n) % {"num": n}
    assert page.locator("#mc-status").inner_text() == expected


def test_the_dutch_credential_page_reads_dutch_with_dutch_amounts(browser, example_url):
    context = browser.new_context()
    context.route("**/*", _local_only(example_url))
    try:
        page = context.new_page()
        path = "credentials/polderkust-university/cloud-architecture-professional/"

        def key_facts(url: str) -> dict[str, str]:
            page.goto(url)
            rows = page.locator("table.mc-facts tr")
            return {rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td").inner_text()
                    for i in range(rows.count())}

        english, dutch = key_facts(example_url + path), key_facts(example_url + "nl/" + path)
        assert english["Cost"].startswith("€3,200.00")
        assert dutch["Kosten"].startswith("€\u00a03.200,00")  # CLDR: a no-break space after the sign
        assert (set(english) & set(dutch)) <= {"Status", "Sector", "Codes in registers"}  # those read the same in Dutch
        assert page.evaluate("document.documentElement.lang") == "nl"
        assert page.locator("table.mc-facts caption").inner_text() == "Kerngegevens"
        assert page.locator("h1").get_attribute("lang") in (None, "nl")  # the provider gave a Dutch title
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_credential_page_is_in_every_language(browser, example_url, lang):
    from microcred.validate import validate

    ids = sorted(validate(REPO / "catalogue").catalogue.credentials)
    assert ids
    published = load_settings(REPO).site_url
    context = browser.new_context()
    context.route("**/*", _local_only(example_url))
    try:
        page = context.new_page()
        for id in ids:
            response = page.goto(f"{example_url}{prefix(lang)}credentials/{id}/", wait_until="domcontentloaded")
            assert response.ok, id
            assert page.evaluate("document.documentElement.lang") == lang, id
            alternates = page.evaluate("""[...document.querySelectorAll('link[hreflang]')]
                .filter(l => l.relList.contains('alternate')).map(l => [l.hreflang, l.href])""")
            assert alternates == [[code, f"{published}{prefix(code)}credentials/{id}/"] for code in LANGUAGES] + \
                [["x-default", f"{published}credentials/{id}/"]], id
    finally:
        context.close()
