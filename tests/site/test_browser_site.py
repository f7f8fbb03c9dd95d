"""The built site in a real headless Chromium: search, filters, sorting, compare, keyboard,
pages without JavaScript, and axe-core accessibility checks."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import REPO
from microcred.settings import load_settings

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser


def results(page) -> list[str]:
    page.wait_for_function("document.querySelector('#mc-status').textContent.includes('match')")
    return page.locator("#mc-results .mc-card__title a").all_inner_texts()


def wait_for_search(page, expected_count: int) -> list[str]:
    word = "credential matches" if expected_count == 1 else "credentials match"
    text = f"{expected_count} {word}" if expected_count else "No credentials match"
    page.wait_for_function(f"document.querySelector('#mc-status').textContent.startsWith({text!r})")
    return page.locator("#mc-results .mc-card__title a").all_inner_texts()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


# --- search ------------------------------------------------------------------------------


def test_search_by_words_shows_result_cards_with_key_facts(page, site_url):
    page.goto(site_url)
    wait_for_search(page, 6)  # without a query, every credential is listed
    page.fill("#mc-q", "welding")
    page.press("#mc-q", "Enter")
    titles = wait_for_search(page, 2)
    assert set(titles) == {"Core certificate in welding technology", "Fully described sample credential"}
    card = page.locator(".mc-card", has_text="Core certificate").inner_text()
    for fact in ("Beta Institute", "EQF 6", "12 ECTS", "330 h", "On site", "French", "€2,400.00", "FR"):
        assert fact in card
    assert query(page)["q"] == ["welding"]


def test_result_titles_show_exactly_as_written(page, site_url):
    # (without the filter "java" also finds "javascript", written as text in another description)
    page.goto(site_url + "?q=java&participation=online")
    assert wait_for_search(page, 1) == ["C++ & <Java>"]


def test_filters_narrow_results_show_counts_and_live_in_the_url(page, site_url):
    page.goto(site_url)
    wait_for_search(page, 6)
    level = page.locator("details[data-filter=level] label", has_text="EQF 5")
    assert "(2)" in level.inner_text()
    page.check("details[data-filter=level] input[value='5']")
    titles = wait_for_search(page, 2)
    assert set(titles) == {"C++ & <Java>", "Fully described sample credential"}
    assert query(page)["level"] == ["5"]  # codes, the same in every language
    # counts of another filter now count within the chosen level
    page.click("details[data-filter=cost] summary")  # opening a group counts its values
    expect(page.locator("details[data-filter=cost] label", has_text="Free")).to_contain_text("(1)")
    page.check("details[data-filter=cost] input[value='free']")
    assert wait_for_search(page, 1) == ["C++ & <Java>"]
    assert query(page) == {"level": ["5"], "cost": ["free"]}


def test_values_of_one_filter_widen_the_choice(page, site_url):
    page.goto(site_url + "?level=5&level=6")
    assert len(wait_for_search(page, 4)) == 4
    assert page.is_checked("details[data-filter=level] input[value='6']")


@pytest.mark.parametrize("state, expected", [
    ("country=FR", {"Core certificate in welding technology", "Data basics", "Withdrawn soldering course"}),
    ("status=withdrawn", {"Withdrawn soldering course"}),
    ("workload=over-10-ects", {"Cloud operations", "Core certificate in welding technology"}),
    ("language=nl", {"Fully described sample credential"}),
    ("participation=online", {"C++ & <Java>", "Cloud operations"}),
    ("provider=gamma-college", {"Cloud operations"}),
    ("sector=C", {"Fully described sample credential"}),
    ("field=061", {"C++ & <Java>", "Cloud operations", "Data basics"}),
])
def test_browse_by_filters_alone_from_a_shared_url(page, site_url, state, expected):
    page.goto(f"{site_url}?{state}")
    assert set(wait_for_search(page, len(expected))) == expected
    assert page.input_value("#mc-q") == ""


def test_sorting_by_title_level_and_workload(page, site_url):
    page.goto(site_url + "?sort=title:asc")
    titles = wait_for_search(page, 6)
    assert titles == sorted(titles, key=str.casefold)
    page.select_option("#mc-sort", "level:desc")
    page.wait_for_function("new URLSearchParams(location.search).get('sort') === 'level:desc'")
    wait_for_search(page, 6)
    facts = page.locator(".mc-card__facts").all_inner_texts()
    levels = [int(f.split("EQF ")[1].split(" ")[0]) for f in facts]
    assert levels == sorted(levels, reverse=True)
    page.select_option("#mc-sort", "workload:asc")
    page.wait_for_function("new URLSearchParams(location.search).get('sort') === 'workload:asc'")
    wait_for_search(page, 6)
    titles = page.locator("#mc-results .mc-card__title a").all_inner_texts()
    assert titles[-2:] == ["Cloud operations", "Core certificate in welding technology"]  # 300 h ≈ 10.9 ECTS, 12 ECTS


def test_sorting_results_of_words_by_title_and_within_chosen_levels(page, site_url):
    welding = ["Core certificate in welding technology", "Fully described sample credential"]
    page.goto(site_url + "?q=welding&sort=title:asc")
    assert wait_for_search(page, 2) == welding
    page.select_option("#mc-sort", "title:desc")
    page.wait_for_function("new URLSearchParams(location.search).get('sort') === 'title:desc'")
    page.wait_for_function(f"document.querySelector('#mc-results a').textContent === {welding[1]!r}")
    assert page.locator("#mc-results .mc-card__title a").all_inner_texts() == welding[::-1]
    # a level sort keeps to the levels chosen
    page.goto(site_url + "?level=5&level=6&sort=level:asc")
    wait_for_search(page, 4)
    facts = page.locator(".mc-card__facts").all_inner_texts()
    assert [int(f.split("EQF ")[1].split(" ")[0]) for f in facts] == [5, 5, 6, 6]


def test_first_results_come_with_the_page(page, site_url):
    fragments = []
    page.on("request", lambda r: fragments.append(r.url) if r.url.endswith(".pf_fragment") else None)
    page.goto(site_url)
    before = page.locator("#mc-results .mc-card__title a").all_inner_texts()
    assert wait_for_search(page, 6) == before == sorted(before, key=str.casefold)
    assert fragments == []  # the cards in the page are the search's first results: nothing to fetch
    expect(page.locator("#mc-results .mc-pick-label").first).to_be_visible()
    page.check("details[data-filter=level] input[value='6']")
    assert wait_for_search(page, 2) == ["Cloud operations", "Core certificate in welding technology"]
    assert len(fragments) == 2


def test_search_state_is_restored_from_the_url(page, site_url):
    page.goto(site_url + "?q=soldering&cost=paid&sort=title:asc")
    titles = wait_for_search(page, 1)
    assert titles == ["Withdrawn soldering course"]
    assert page.input_value("#mc-q") == "soldering"
    assert page.input_value("#mc-sort") == "title:asc"
    assert page.is_checked("details[data-filter=cost] input[value='paid']")
    page.click("#mc-clear")
    wait_for_search(page, 6)
    assert urlsplit(page.url).query == ""


def test_search_works_by_keyboard(page, site_url):
    page.goto(site_url)
    wait_for_search(page, 6)
    for _ in range(40):  # Tab from the top of the page to the search box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "mc-q":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    page.keyboard.type("cloud")
    page.keyboard.press("Enter")
    assert wait_for_search(page, 1) == ["Cloud operations"]
    # open a filter group and tick a value with the keyboard
    page.focus("details[data-filter=cost] summary")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.value") == "free"
    page.keyboard.press("Space")
    assert wait_for_search(page, 1) == ["Cloud operations"]
    assert query(page)["cost"] == ["free"]


# --- compare -----------------------------------------------------------------------------


def test_compare_from_search_results(page, site_url):
    page.goto(site_url + "?sort=title:asc")
    wait_for_search(page, 6)
    page.locator(".mc-card", has_text="Cloud operations").locator("input.mc-pick").check()
    page.locator(".mc-card", has_text="Data basics").locator("input.mc-pick").check()
    tray = page.locator(".mc-tray")
    assert "2 credentials picked" in tray.inner_text()
    tray.locator("a", has_text="Compare").click()
    page.wait_for_selector(".mc-compare-table")
    assert query(page)["ids"] == ["gamma-college/cloud-ops,beta-institute/data-basics"]
    heads = page.locator(".mc-compare-table thead th a").all_inner_texts()
    assert heads == ["Cloud operations", "Data basics"]
    level = page.locator(".mc-compare-table tr[data-key=level]")
    assert "differs" in level.locator("th").inner_text()
    assert level.locator("td").all_inner_texts() == ["EQF 6", "EQF 4"]
    status = page.locator(".mc-compare-table tr[data-key=status]")
    assert "differs" not in status.locator("th").inner_text()
    page.check("#mc-only-diff")
    assert not status.is_visible() and level.is_visible()


def test_compare_page_from_a_shared_url_and_removing_one(page, site_url):
    ids = "acme-academy/full-entry,beta-institute/stacked-core,acme-academy/cpp-java"
    page.goto(f"{site_url}compare/?ids={ids}")
    page.wait_for_selector(".mc-compare-table")
    assert page.locator(".mc-compare-table thead th a").all_inner_texts() == [
        "Fully described sample credential", "Core certificate in welding technology", "C++ & <Java>"]
    outcomes = page.locator(".mc-compare-table tr[data-key=learning_outcomes] td").all_inner_texts()
    assert "Lead a small welding team." in outcomes[1]
    # links inside the compared elements still lead to the right pages
    href = page.locator(".mc-compare-table tr[data-key=level] td a").first.get_attribute("href")
    assert href == f"{site_url}levels/eqf-5/"
    page.click("button[aria-label='Remove Core certificate in welding technology from the comparison']")
    page.wait_for_url("**/compare/?ids=acme-academy/full-entry,acme-academy/cpp-java")
    page.wait_for_selector(".mc-compare-table")
    assert page.locator(".mc-compare-table thead th a").count() == 2


def test_a_credential_page_shows_its_setting_codes_and_where_to_enrol(page, site_url):
    page.goto(site_url + "credentials/acme-academy/full-entry/")
    facts = page.locator("table.mc-facts")
    assert facts.locator("tr:has(th:text-is('Learning setting')) td").inner_text() == "Formal learning"
    assert facts.locator("tr:has(th:text-is('Codes in registers')) td").inner_text() == \
        "Crebo code: 00000\nThe provider's own course code: ACME-FULL-1"
    enrol = page.get_by_role("link", name="Enrol")
    assert enrol.get_attribute("href") == "https://acme-academy.example/full/enrol"
    # an entry without them says so, in the same place
    page.goto(site_url + "credentials/acme-academy/cpp-java/")
    assert facts.locator("tr:has(th:text-is('Learning setting')) td").inner_text() == "Not stated"
    assert page.get_by_role("link", name="Enrol").count() == 0


def test_compare_shows_the_learning_setting_side_by_side(page, site_url):
    page.goto(f"{site_url}compare/?ids=acme-academy/full-entry,acme-academy/cpp-java")
    page.wait_for_selector(".mc-compare-table")
    cells = page.locator(".mc-compare-table tr[data-key=learning_setting] td").all_inner_texts()
    assert cells == ["Formal learning", "Not stated"]


def test_compare_from_a_browse_table_and_a_credential_page(page, site_url):
    page.goto(site_url + "levels/eqf-6/")
    page.check("input.mc-pick[value='gamma-college/cloud-ops']")
    page.goto(site_url + "credentials/acme-academy/cpp-java/")
    page.check("input.mc-pick[value='acme-academy/cpp-java']")
    page.click(".mc-tray a")
    page.wait_for_selector(".mc-compare-table")
    assert sorted(page.locator(".mc-compare-table thead th a").all_inner_texts()) == ["C++ & <Java>", "Cloud operations"]


def test_at_most_four_can_be_compared(page, site_url):
    page.goto(site_url + "?sort=title:asc")
    wait_for_search(page, 6)
    boxes = page.locator("#mc-results input.mc-pick")
    for i in range(5):
        boxes.nth(i).check() if i < 4 else boxes.nth(i).click()
    assert not boxes.nth(4).is_checked()
    assert "up to 4" in page.locator(".mc-tray").inner_text()


def test_compare_with_unknown_id_says_so(page, site_url):
    page.goto(f"{site_url}compare/?ids=acme-academy/cpp-java,nobody/nothing")
    page.wait_for_selector(".mc-compare-table")
    assert "Not found in the register" in page.locator(".mc-compare-table thead").inner_text()


# --- without JavaScript ------------------------------------------------------------------


def test_browse_pages_work_without_javascript(nojs_page, site_url):
    page = nojs_page
    page.goto(site_url)
    assert page.locator("noscript").count() >= 1
    cards = page.locator("#mc-results .mc-card__title a").all_inner_texts()  # every credential, by title
    assert len(cards) == 6 and cards == sorted(cards, key=str.casefold)
    assert not page.locator("#mc-results .mc-pick-label").first.is_visible()  # compare needs JavaScript
    page.click("text=By EQF level")
    page.click("text=EQF level 6")
    rows = page.locator("table.mc-table tbody th").all_inner_texts()
    assert rows == ["Cloud operations", "Core certificate in welding technology"]
    page.click("text=Core certificate in welding technology")
    assert page.locator("h1").inner_text() == "Core certificate in welding technology"
    assert "Key facts" in page.locator("table.mc-facts caption").inner_text()
    page.click(".mc-offered >> text=Beta Institute")
    assert page.locator("h1").inner_text() == "Beta Institute"
    assert page.locator("table.mc-table tbody th").count() == 3


# --- accessibility -----------------------------------------------------------------------

LANGUAGES = load_settings(REPO).languages  # every page in every language of the site
A11Y_PAGES = {
    "home": ("", "#mc-results li"),
    "search": ("?q=welding&level=6&sort=title:asc", "#mc-results li"),
    "credential": ("credentials/acme-academy/full-entry/", None),
    "withdrawn credential": ("credentials/beta-institute/old-course/", None),
    "browse": ("levels/eqf-5/", None),
    "browse index": ("fields/", None),
    "provider": ("providers/acme-academy/", None),
    "compare": ("compare/?ids=acme-academy/full-entry,gamma-college/cloud-ops", ".mc-compare-table"),
    "how to read": ("how-to-read-an-entry/", None),
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", A11Y_PAGES)
def test_no_serious_accessibility_violations(page, site_url, name, lang):
    from axe_playwright_python.sync_playwright import Axe

    path, ready = A11Y_PAGES[name]
    page.goto(site_url + ("" if lang == LANGUAGES[0] else f"{lang}/") + path)
    assert page.evaluate("document.documentElement.lang") == lang
    if ready:
        page.wait_for_selector(ready)
    found = Axe().run(page).response["violations"]
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in found if v["impact"] in ("serious", "critical")]
    assert not serious, serious
