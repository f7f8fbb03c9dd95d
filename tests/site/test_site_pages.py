"""The generated pages of the fixture catalogue, read as HTML (no browser)."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from babel.dates import format_date
import yaml

from microcred.site.l10n import load_language
from microcred.contract import vocabularies as vocab
from opendatahelp import leaves
from sitehtml import page, parse, table_titles
from sitetree import search_parts

from conftest import SITE_CATALOGUE

FULL = "acme-academy/full-entry"


def credential(site: Path, cid: str):
    return page(site, f"credentials/{cid}/")


def main_text(doc) -> str:
    return doc.find("div", class_="mc-credential").clean_text()


# --- a credential page -------------------------------------------------------------------

# How a coded value of the record reads on the page.
LABELS = {
    "participation": vocab.PARTICIPATION, "supervision": vocab.SUPERVISION, "mode": vocab.STACKABILITY,
    "qf_ehea": vocab.QF_EHEA_CYCLES, "unit": vocab.DURATION_UNITS, "status": vocab.STATUSES,
}


def shown_as(path: tuple, value) -> str | None:
    """What a leaf value of the YAML looks like on the page (None: not shown as text)."""
    key = next((p for p in reversed(path) if isinstance(p, str)), "")
    if isinstance(value, bool):
        return None
    if key == "type" and "assessment" in path:
        return vocab.ASSESSMENT_TYPES[value]
    if key == "type" and "quality_assurance" in path:
        return vocab.QUALITY_ASSURANCE_TYPES[value]
    if key in LABELS:
        return LABELS[key][value]
    if key == "learning_setting":
        return vocab.LEARNING_SETTINGS[value].split(" (")[0]  # the label without its explanation
    if key == "scheme":
        return vocab.IDENTIFIER_SCHEMES[value].split(" (")[0]
    if key == "field":
        return vocab.isced_fields()[value]
    if key == "sector":
        return vocab.nace_sections()[value]
    if key == "languages":
        return vocab.language_name(value)
    if key in ("countries", "country"):
        return vocab.countries()[value]
    if key in ("url", "uri"):
        return None  # links: checked as hrefs
    if isinstance(value, date):
        return format_date(value, "long", locale="en")  # as the English pages write dates: May 1, 2026
    if key == "amount":
        return f"{value:,}"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    return str(value)




def test_every_element_of_a_full_entry_is_on_its_page(built_site):
    data = yaml.safe_load((SITE_CATALOGUE / f"{FULL}.yaml").read_text("utf-8"))
    doc = credential(built_site, FULL)
    text = main_text(doc)
    hrefs = {a.attrs.get("href") for a in doc.find_all("a")}
    missing = []
    for path, value in leaves(data):
        if path[0] == "description":
            continue  # Markdown: checked below
        if path[:2] == ("stackability", "stacks_into"):
            value = f"../../../credentials/{value}/"  # shown as a link to the other credential
        if isinstance(value, str) and value.startswith(("http", "../")):
            if value not in hrefs:
                missing.append((path, value))
            continue
        expected = shown_as(path, value)
        if expected is not None and " ".join(expected.split()) not in text:
            missing.append((path, expected))
    assert not missing, f"not on the page: {missing}"


def test_page_elements_come_in_one_fixed_order(built_site):
    orders = set()
    for path in SITE_CATALOGUE.glob("*/*.yaml"):
        if path.name == "provider.yaml":
            continue
        doc = credential(built_site, f"{path.parent.name}/{path.stem}")
        orders.add(tuple(n.attrs["data-compare"] for n in doc.find_all(data_compare=True)))
    assert len(orders) == 1
    assert list(orders.pop())[:3] == ["level", "workload", "participation"]


def test_description_is_markdown_subset_and_sanitised(built_site):
    doc = credential(built_site, FULL)
    description = doc.find("section", data_compare="description")
    assert description.find("strong").clean_text() == "every element"
    assert [li.clean_text() for li in description.find_all("li")] == ["first point", "second point"]
    assert description.find("a", href="https://acme-academy.example/full").clean_text() == "course page"
    assert not description.find_all("script")
    assert all(not (a.attrs.get("href") or "").startswith("javascript") for a in description.find_all("a"))
    # the raw HTML a provider wrote is shown as text, not run
    assert '<script>alert("x")</script>' in description.clean_text()


def test_title_with_markup_characters_displays_exactly(built_site):
    raw = (built_site / "credentials/acme-academy/cpp-java/index.html").read_text("utf-8")
    doc = parse(raw)
    assert doc.find("h1").clean_text() == "C++ & <Java>"
    assert doc.find("title").clean_text().startswith("C++ & <Java> - ")
    assert "<Java>" not in raw
    assert "<script>alert(1)" not in raw
    assert "C++ & <Java>" in table_titles(page(built_site, "levels/eqf-5/"))


def test_json_ld_describes_the_course_and_cannot_break_out(built_site):
    raw = (built_site / "credentials/acme-academy/cpp-java/index.html").read_text("utf-8")
    scripts = [s for s in parse(raw).find_all("script", type="application/ld+json")]
    assert len(scripts) == 1
    body = scripts[0].text()
    assert "<" not in body and ">" not in body
    data = json.loads(body)
    assert data["@type"] == "Course"
    assert data["name"] == "C++ & <Java>"
    assert data["educationalCredentialAwarded"]["@type"] == "EducationalOccupationalCredential"
    assert "</script>" in data["description"]  # the text survives, encoded


def json_ld(built_site, cid: str) -> dict:
    raw = (built_site / f"credentials/{cid}/index.html").read_text("utf-8")
    (script,) = parse(raw).find_all("script", type="application/ld+json")
    return json.loads(script.text())


def test_json_ld_has_a_course_instance_per_start_date_and_the_offer(built_site):
    data = json_ld(built_site, FULL)
    assert data["offers"] == {"@type": "Offer", "price": 950, "priceCurrency": "EUR", "category": "Paid",
                              "url": "https://acme-academy.example/full/enrol"}  # where to enrol
    instances = data["hasCourseInstance"]
    assert [i["startDate"] for i in instances] == ["2027-02-01", "2027-09-06"]
    for instance in instances:
        assert instance["@type"] == "CourseInstance" and instance["courseMode"] == "blended"
        assert instance["courseWorkload"] == "PT110H"  # the hours the entry gives, as an ISO 8601 duration
        assert instance["courseSchedule"] == {"@type": "Schedule", "duration": "P6W"}
        assert instance["location"] == [{"@type": "Place", "address": {
            "@type": "PostalAddress", "addressCountry": "NL", "addressLocality": "Eindhoven",
            "addressRegion": "NL41"}}]


def test_json_ld_of_an_online_course_without_dates_has_one_instance_and_no_invented_workload(built_site):
    data = json_ld(built_site, "acme-academy/cpp-java")
    (instance,) = data["hasCourseInstance"]
    assert instance["courseMode"] == "online" and "startDate" not in instance and "location" not in instance
    assert "courseWorkload" not in instance  # the entry gives ECTS only: not turned into hours
    assert data["offers"] == {"@type": "Offer", "price": 0, "category": "Free"}  # no currency, no link invented


def test_translations_are_shown_with_their_language(built_site):
    doc = credential(built_site, FULL)
    dutch = [n for n in doc.find_all(lang="nl")]
    texts = {n.clean_text() for n in dutch}
    assert "Volledig beschreven voorbeeldcredential" in texts
    assert "Leerresultaat een over lasplannen." in texts
    # a plain string is in the entry's first language; the page's language is English
    german = credential(built_site, "gamma-college/cloud-ops")
    assert german.find("h1").clean_text() == "Cloud operations"
    assert "Cloud-Betrieb" in {n.clean_text() for n in german.find_all(lang="de")}


def test_stackability_links_both_ways(built_site):
    full = credential(built_site, FULL).find("section", data_compare="stackability")
    assert full.find("a", href="../../../credentials/beta-institute/stacked-core/")
    core = credential(built_site, "beta-institute/stacked-core").find("section", data_compare="stackability")
    assert core.find("a", href="../../../credentials/acme-academy/full-entry/")
    assert "Credentials that stack into this one" in core.clean_text()


def test_withdrawn_entry_says_so_at_the_top(built_site):
    doc = credential(built_site, "beta-institute/old-course")
    first = doc.find("div", class_="mc-credential").find(class_="mc-banner")
    assert first is not None and "Withdrawn on May 1, 2026" in first.clean_text()
    assert "Replaced by the core certificate." in first.clean_text()
    assert not credential(built_site, FULL).find(class_="mc-banner--withdrawn")


def test_entry_overdue_for_review_says_so_at_the_top(built_site):
    banner = credential(built_site, "beta-institute/data-basics").find(class_="mc-banner--expired")
    assert banner is not None and "due to review this entry by December 31, 2025" in banner.clean_text()
    assert not credential(built_site, FULL).find(class_="mc-banner--expired")


def test_a_previous_id_redirects_to_the_credential(built_site):
    doc = page(built_site, "credentials/acme-academy/old-full-entry/")
    assert doc.find("a").attrs["href"] == "../../../credentials/acme-academy/full-entry/"
    assert "url=../../../credentials/acme-academy/full-entry/" in doc.find("meta", http_equiv="refresh").attrs["content"]


def test_only_http_links_leave_the_site(built_site):
    for html_file in built_site.rglob("*.html"):
        if "pagefind" in html_file.parts:
            continue
        for a in parse(html_file.read_text("utf-8")).find_all("a", href=True):
            scheme = a.attrs["href"].split(":", 1)[0] if ":" in a.attrs["href"].split("/")[0] else ""
            assert scheme in ("", "http", "https"), (html_file, a.attrs["href"])


def test_illustrative_providers_are_marked(built_site):
    assert "Illustrative example data" in main_text(credential(built_site, FULL))
    assert "Illustrative example data" in page(built_site, "providers/acme-academy/").clean_text()
    assert "Illustrative example data" not in main_text(credential(built_site, "beta-institute/data-basics"))


def test_links_to_json_record_compare_and_error_report(built_site):
    doc = credential(built_site, FULL)
    hrefs = [a.attrs.get("href", "") for a in doc.find_all("a")]
    assert "../../../api/v1/credentials/acme-academy/full-entry.json" in hrefs
    assert (built_site / "api/v1/credentials/acme-academy/full-entry.json").exists()
    report = [h for h in hrefs if h.startswith("https://github.com/open-microcredentials/register/issues/new?")]
    assert report and "template=report-error.yml" in report[0] and "acme-academy%2Ffull-entry" in report[0]
    assert doc.find("input", class_="mc-pick", value=FULL)


def test_provider_page_has_facts_and_a_table_of_its_credentials(built_site):
    doc = page(built_site, "providers/beta-institute/")
    assert doc.find("h1").clean_text() == "Beta Institute"
    assert "Vocational education and training provider" in doc.clean_text()
    assert table_titles(doc) == ["Core certificate in welding technology", "Data basics", "Withdrawn soldering course"]


def test_only_credential_pages_are_indexed_for_search(built_site):
    for html_file in built_site.rglob("*.html"):
        if "pagefind" in html_file.parts:
            continue
        text = html_file.read_text("utf-8")
        is_credential = html_file.relative_to(built_site).parts[0] == "credentials" and 'http-equiv="refresh"' not in text
        assert bool(re.search(r"<[^<>]*\sdata-pagefind-body[\s>]", text)) == is_credential, html_file
    assert (search_parts(built_site)[0] / "pagefind.js").exists()
    doc = credential(built_site, FULL)
    filters = {(n.attrs["data-pagefind-filter"], n.clean_text()) for n in doc.find_all(data_pagefind_filter=True)}
    # codes, the same in every language: the home page of each language says how they read there
    assert {("level", "5"), ("cost", "paid"), ("country", "BE"), ("status", "active"),
            ("workload", "2-to-5-ects"), ("participation", "blended"),
            ("language", "nl"), ("sector", "C"), ("provider", "acme-academy"),
            ("field", "07"), ("field", "071")} <= filters
    labels = json.loads(parse((built_site / "nl" / "index.html").read_text("utf-8"))
                        .find("script", id="mc-filter-labels").text())
    assert labels["country"]["BE"] == "België" and labels["language"]["nl"] == "Nederlands"
    assert labels["participation"]["blended"].startswith("Gemengd")
    assert ("ects", "4") in filters  # the workload sort goes through this hidden filter (register.js)
    # Pagefind keeps no sort orders: each costs every visitor a download (docs/performance.md)
    assert not doc.find_all(data_pagefind_sort=True)


def test_search_indexes_what_the_credential_is_about_not_the_page_furniture(built_site):
    contents = {}
    for fragment in (search_parts(built_site)[0] / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        record = json.loads(data[data.index(b"{"):])
        contents[record["url"].strip("/").split("/", 1)[1]] = record["content"]
    assert len(contents) == 6
    assert all(f.stat().st_size for f in (built_site / "pagefind").rglob("*") if f.is_file())  # all written out
    # only the indexed part of each page is sent to Pagefind, with the page's language (for stemming)
    assert list(json.loads((search_parts(built_site)[0] / "pagefind-entry.json").read_text())["languages"]) == ["en"]
    full = contents[FULL]
    for searched in ("Fully described sample credential", "Acme Academy", "071 Engineering and engineering trades",
                     "C Manufacturing"):
        assert searched in full
    for furniture in ("Key facts", "Report an error", "Illustrative example data", "Last reviewed", "Stacks into"):
        assert furniture not in full


def test_credential_pages_stay_within_budget_and_out_of_the_nav(built_site):
    for html_file in (built_site / "credentials").rglob("index.html"):
        assert html_file.stat().st_size <= 40 * 1024, html_file
        nav = parse(html_file.read_text("utf-8")).find("nav", class_="md-nav--primary")
        if nav is None:  # the redirect from a previous id
            continue
        assert not [a for a in nav.find_all("a") if "/credentials/" in a.attrs.get("href", "")]


# --- browse pages ------------------------------------------------------------------------


@pytest.mark.parametrize("path, titles", [
    ("levels/eqf-5/", ["C++ & <Java>", "Fully described sample credential"]),
    ("levels/eqf-6/", ["Cloud operations", "Core certificate in welding technology"]),
    ("fields/07/", ["Core certificate in welding technology", "Fully described sample credential",
                    "Withdrawn soldering course"]),
    ("fields/061/", ["C++ & <Java>", "Cloud operations", "Data basics"]),
    ("workload/up-to-2-ects/", ["C++ & <Java>", "Data basics", "Withdrawn soldering course"]),
    ("workload/over-10-ects/", ["Cloud operations", "Core certificate in welding technology"]),
    ("countries/be/", ["Fully described sample credential"]),
    ("countries/fr/", ["Core certificate in welding technology", "Data basics", "Withdrawn soldering course"]),
    ("providers/gamma-college/", ["Cloud operations"]),
])
def test_browse_pages_list_the_right_entries(built_site, path, titles):
    assert table_titles(page(built_site, path)) == titles


@pytest.mark.parametrize("prefix, caption, headers, cells", [
    ("", "EQF level 5", ["Title", "Provider", "Level", "ECTS", "Hours", "Participation", "Language", "Cost", "Compare"],
     ["EQF 5", "4", "110", "Blended (online and on site)", "English, Dutch", "€950.00"]),
    ("nl/", "EQF-niveau 5", ["Titel", "Aanbieder", "Niveau", "ECTS", "Uren", "Deelname", "Taal", "Kosten", "Vergelijken"],
     ["EQF 5", "4", "110", "Gemengd (online en op locatie)", "Engels, Nederlands", "€ 950,00"]),
], ids=["en", "nl"])
def test_browse_tables_have_captions_headers_and_comparable_columns(built_site, prefix, caption, headers, cells):
    table = page(built_site, prefix + "levels/eqf-5/").find("table", class_="mc-table")
    assert caption in table.find("caption").clean_text()
    assert [th.clean_text() for th in table.find("thead").find_all("th")] == headers
    row = [c.clean_text() for c in table.find("tbody").find_all("tr")[1].children if not isinstance(c, str)]
    assert row[1:8] == ["Acme Academy (illustrative example)", *cells]


def test_browse_indexes_list_values_with_counts(built_site):
    levels = page(built_site, "levels/")
    rows = {th.clean_text(): th.parent.find("td").clean_text() for th in levels.find_all("th", scope="row")}
    assert rows == {"EQF level 3": "1", "EQF level 4": "1", "EQF level 5": "2", "EQF level 6": "2"}
    fields = page(built_site, "fields/").clean_text()
    assert "071 Engineering and engineering trades" in fields
    assert "0715" not in fields  # detailed fields are shown on pages, browsed by their narrow field


def test_home_has_counts_search_and_recently_added(built_site):
    doc = parse((built_site / "index.html").read_text("utf-8"))
    counts = doc.find("ul", class_="mc-counts").clean_text()
    assert "6 credentials (5 active)" in counts and "3 providers" in counts and "4 countries" in counts
    assert doc.find("input", id="mc-q") and doc.find("section", id="mc-search")
    assert len(table_titles(doc)) == 6  # every credential of the fixture: it has fewer than eight
    assert "what the register is" not in doc.clean_text()  # the hand-written intro is there instead
    assert "Short courses that end in a certificate" in doc.clean_text()


def test_site_settings_come_from_mkdocs_yml(built_site):
    raw = (built_site / "index.html").read_text("utf-8")
    assert '<html lang="en"' in raw
    assert "https://open-microcredentials.github.io/register/" in raw  # canonical link from site_url
    assert "CC0-1.0" in raw


# --- pagination --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def big_site(tmp_path_factory) -> Path:
    """205 credentials at EQF 4: three pages of the level's table."""
    from microcred.build import build

    from conftest import REPO

    root = tmp_path_factory.mktemp("big") / "catalogue"
    (root / "many").mkdir(parents=True)
    (root / "many" / "provider.yaml").write_text(
        "name: Many Courses\ncountry: IE\ntype: other\nwebsite: https://many.example\nmaintainers: [many]\n")
    for i in range(205):
        (root / "many" / f"course-{i:03d}.yaml").write_text(
            f"title: Course {i:03d}\nlearning_outcomes: [Do thing {i}.]\nworkload: {{ects: 1}}\n"
            "level: {eqf: 4}\nassessment: {type: [project]}\nparticipation: online\n"
            "quality_assurance: [{type: internal}]\nfield: '0011'\nlanguages: [en]\ncost: {amount: 0}\n")
    out = root.parent / "site"
    build(REPO, root, out)
    return out


def test_tables_of_more_than_100_rows_are_paginated(big_site):
    first, second, third = (page(big_site, p) for p in ("levels/eqf-4/", "levels/eqf-4/page/2/", "levels/eqf-4/page/3/"))
    assert table_titles(first) == [f"Course {i:03d}" for i in range(100)]
    assert table_titles(second) == [f"Course {i:03d}" for i in range(100, 200)]
    assert table_titles(third) == [f"Course {i:03d}" for i in range(200, 205)]
    assert not (big_site / "levels/eqf-4/page/4").exists()
    pager = second.find("nav", class_="mc-pager")
    assert pager.find("a", rel="prev").attrs["href"] == "../../../../levels/eqf-4/"
    assert pager.find("a", rel="next").attrs["href"] == "../../../../levels/eqf-4/page/3/"
    assert pager.find("a", aria_current="page").clean_text() == "2"
    assert "credentials 101–200 of 205" in second.find("caption").clean_text()
    # the provider page paginates the same way
    assert table_titles(page(big_site, "providers/many/page/3/")) == [f"Course {i:03d}" for i in range(200, 205)]


def test_recently_added_lists_the_newest_first():
    from microcred.catalogue.history import Dates, History
    from microcred.site.pages import Renderer
    from microcred.settings import load_settings
    from microcred.validate import validate

    from conftest import REPO

    catalogue = validate(SITE_CATALOGUE).catalogue
    day = {cid: datetime(2026, 1, 1 + i, tzinfo=timezone.utc) for i, cid in enumerate(sorted(catalogue.credentials))}
    history = History({cid: Dates(d, d, "git") for cid, d in day.items()}, None, max(day.values()))
    block = Renderer(catalogue, load_settings(REPO), date(2026, 11, 1), history, load_language("en", True)).home_block()
    assert table_titles(parse(block)) == [
        "Cloud operations", "Core certificate in welding technology", "Withdrawn soldering course",
        "Data basics", "Fully described sample credential", "C++ & <Java>"]
