"""Pages built from hostile entries, opened in headless Chromium: no injected script runs,
and the text shows exactly as the provider wrote it.

The entries (tests/fixtures/hostile/accepted) try `<script>`, event handlers, `javascript:`
links, `</script>` in JSON-LD, SVG, iframes and attribute break-outs; each payload sets
`window.__pwned` or opens a dialog, so either would show here. Search result cards and the
compare page are drawn by our JavaScript from Pagefind's index and from fetched credential
pages, so they are checked after the script has run.
"""

from __future__ import annotations


import pytest
import yaml

from conftest import HOSTILE_CATALOGUE, serving

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

SOURCES = {f"hostile-provider/{p.stem}": yaml.safe_load(p.read_text("utf-8"))
           for p in sorted((HOSTILE_CATALOGUE / "hostile-provider").glob("*.yaml")) if p.name != "provider.yaml"}
PROVIDER_NAME = yaml.safe_load((HOSTILE_CATALOGUE / "hostile-provider" / "provider.yaml").read_text("utf-8"))["name"]
TITLES = {cid: src["title"]["en"] for cid, src in SOURCES.items()}

# Our page bodies and what our script draws; inside them no element of these kinds may appear.
OURS = ".mc-credential, .mc-provider, .mc-browse, .mc-home, .mc-listing, #mc-results, #mc-compare-out"
INJECTED = """(ours) => {
  const bad = [];
  for (const e of document.querySelectorAll('*')) {
    for (const a of e.attributes) {
      if (a.name.startsWith('on')) bad.push(e.tagName + ' ' + a.name);
      if (['href', 'src', 'action', 'srcdoc'].includes(a.name) && /^\\s*(javascript|data|vbscript):/i.test(a.value))
        bad.push(e.tagName + ' ' + a.name + '=' + a.value);
    }
  }
  for (const root of document.querySelectorAll(ours))
    for (const e of root.querySelectorAll('img, svg, iframe, style, object, embed, link, meta, [style], script:not([type$="json"])'))
      bad.push('in body: ' + e.outerHTML.slice(0, 80));
  return bad;
}"""


@pytest.fixture(scope="module")
def site_url(hostile_site):
    """Overrides conftest's site_url: the hostile site, served on 127.0.0.1."""
    with serving(hostile_site) as url:
        yield url


@pytest.fixture
def guarded(page):
    """The page, watched: any dialog, console error or set sentinel fails the test."""
    dialogs: list[str] = []
    console: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # "Failed to load resource": the fixture blocks every request that is not to the local server
    page.on("console", lambda m: console.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)

    def check():
        page.wait_for_timeout(50)  # let an onerror/onload payload fire if one got in
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate(INJECTED, OURS) == []
        assert dialogs == [] and console == []

    page.check_safe = check
    yield page
    check()


def test_credential_pages_run_nothing_and_show_the_text(guarded, site_url):
    for cid, src in SOURCES.items():
        guarded.goto(f"{site_url}credentials/{cid}/")
        body = guarded.locator(".mc-credential")
        assert body.locator("h1").text_content() == TITLES[cid]
        # (document.title collapses white space, as the browser shows it)
        assert guarded.title() == " ".join(f"{TITLES[cid]} - Open Micro-credential Register".split())
        outcomes = body.locator("[data-compare=learning_outcomes] li > span").all_text_contents()
        assert outcomes == src["learning_outcomes"]
        assert body.locator("[data-compare=prerequisites] p").text_content() == src["prerequisites"]
        assert body.locator(".mc-offered a").first.text_content() == PROVIDER_NAME
        guarded.check_safe()


def test_visible_text_equals_the_hostile_string(guarded, site_url):
    # innerText is what a reader sees (CSS applied); titles without edge whitespace show exactly
    for cid in ("hostile-provider/script-tag", "hostile-provider/end-script", "hostile-provider/attribute-break",
                "hostile-provider/entities", "hostile-provider/right-to-left", "hostile-provider/template-syntax"):
        guarded.goto(f"{site_url}credentials/{cid}/")
        assert guarded.locator(".mc-credential h1").inner_text() == TITLES[cid]
        guarded.check_safe()


def test_provider_page(guarded, site_url):
    guarded.goto(f"{site_url}providers/hostile-provider/")
    assert guarded.locator(".mc-provider h1").inner_text() == PROVIDER_NAME
    titles = guarded.locator(".mc-provider table.mc-table tbody th a").all_text_contents()
    assert sorted(titles) == sorted(TITLES.values())
    guarded.hover(".mc-provider h1")  # a broken-out onmouseover would fire here
    guarded.check_safe()


def test_browse_table_and_recently_added(guarded, site_url):
    guarded.goto(f"{site_url}levels/eqf-5/")
    titles = guarded.locator(".mc-browse table.mc-table tbody th a").all_text_contents()
    assert sorted(titles) == sorted(TITLES.values())
    providers = set(guarded.locator(".mc-browse table.mc-table tbody td a").all_text_contents())
    assert providers == {PROVIDER_NAME}
    guarded.check_safe()
    guarded.goto(site_url)
    recent = guarded.locator(".mc-home table.mc-table tbody th a").all_text_contents()
    assert recent and set(recent) <= set(TITLES.values())
    guarded.check_safe()


def test_search_results_for_a_hostile_term(guarded, site_url):
    guarded.goto(site_url + "?q=pwned")
    guarded.wait_for_function("document.querySelector('#mc-status').textContent.includes('match')")
    assert guarded.locator("#mc-status").text_content().startswith(("1", "2", "3", "4", "5", "6", "7", "8", "9"))
    cards = guarded.locator("#mc-results .mc-card__title a").all_text_contents()
    # (Pagefind trims white space at the ends: the tab before one title)
    assert cards and set(cards) <= {t.strip() for t in TITLES.values()}, cards
    facts = guarded.locator("#mc-results .mc-card__facts").first.text_content()
    assert facts.startswith(PROVIDER_NAME + " · ")
    # the query itself is shown back as text
    assert "“pwned”" in guarded.locator("#mc-status").text_content()
    # the provider filter's label is the name as written
    guarded.click("details[data-filter=provider] summary")
    label = guarded.locator("details[data-filter=provider] label").first.text_content()
    assert label.startswith(PROVIDER_NAME + " ")
    guarded.check_safe()


def test_search_query_from_the_address_is_text(guarded, site_url):
    guarded.goto(site_url + "?q=%3Cimg+src%3Dx+onerror%3D%22window.__pwned%3D1%22%3E")
    guarded.wait_for_function("document.querySelector('#mc-status').textContent.includes('match')")
    assert guarded.input_value("#mc-q") == '<img src=x onerror="window.__pwned=1">'
    guarded.check_safe()


def test_compare_two_hostile_entries(guarded, site_url):
    a, b = "hostile-provider/script-tag", "hostile-provider/img-onerror"
    guarded.goto(f"{site_url}compare/?ids={a},{b}")
    guarded.wait_for_selector(".mc-compare-table")
    heads = guarded.locator(".mc-compare-table thead th a").all_text_contents()
    assert heads == [TITLES[a], TITLES[b]]
    assert guarded.locator(".mc-compare-provider").all_text_contents() == [PROVIDER_NAME] * 2
    outcomes = guarded.locator(".mc-compare-table tr[data-key=learning_outcomes] td")
    for i, cid in enumerate((a, b)):
        items = outcomes.nth(i).locator("li > span").all_text_contents()
        assert items == SOURCES[cid]["learning_outcomes"]
    description = guarded.locator(".mc-compare-table tr[data-key=description] td").first.text_content()
    assert "<script>window.__pwned=1</script>" in description
    # the remove buttons' accessible names are attributes built from the titles
    labels = guarded.locator(".mc-remove").evaluate_all("bs => bs.map(b => b.getAttribute('aria-label'))")
    assert labels == [f"Remove {TITLES[a]} from the comparison", f"Remove {TITLES[b]} from the comparison"]
    guarded.check_safe()
