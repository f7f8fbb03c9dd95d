"""Property-based tests of the renderer: whatever text a title, an outcome or a description
holds, the page keeps the template's own elements and attributes, gains no script, handler or
script link, and shows plain-text fields exactly as written. (Loader and validator: see
test_yaml_loading.py.)"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.site.l10n import load_language
from microcred.site import texts
from microcred.catalogue.brief import Brief
from microcred.catalogue.history import history_of
from microcred.contract.models import _check_plain_text
from microcred.site.pages import Renderer
from microcred.site.views import CredentialView, Table
from microcred.settings import load_settings
from microcred.validate import validate

from conftest import REPO, SITE_CATALOGUE
from sitehtml import Node, parse

BASE_ID = "acme-academy/cpp-java"
# Generous: one page renders in milliseconds; the bound only catches runaway (super-linear) cases
# on a loaded machine.
FUZZ = settings(max_examples=100, deadline=timedelta(seconds=2),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

FRAGMENTS = ["<script>", "</script>", "<!--", "-->", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
             "javascript:", "data:text/html,", "[x](javascript:alert(1))", "[y](https://e.org)", "<https://e.org>",
             "&amp;", "&lt;", "&#x3c;", "&", '"', "'", "`", "{{", "}}", "{%", "%}", "${", "*", "_", "**", "\n",
             "\n\n", "- ", "1. ", "> ", "#", "\\", "<style>", "style=", " onmouseover=", "<a href=", "]]>",
             "\u00a0", "\u05d0", "\u0627", "\u2028", "\t", "\r", "\ufeff", "\U0001d518"]


def acceptable(text: str) -> bool:
    """What the validator lets through (no control characters, not blank, not too long)."""
    try:
        _check_plain_text(text)
    except Exception:
        return False
    return True


any_text = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.characters(blacklist_categories=("Cs",))),
             min_size=1, max_size=25).map("".join),
).filter(acceptable)


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    catalogue = validate(SITE_CATALOGUE).catalogue
    return Renderer(catalogue, load_settings(REPO), date(2026, 11, 23), history_of(catalogue), load_language("en", True))


def view_with(renderer: Renderer, **fields) -> CredentialView:
    base = renderer.views[BASE_ID]
    record = base.record.model_copy(update=fields)
    entry = dataclasses.replace(base.entry, made=record, brief=Brief.of(record))
    return CredentialView(entry, base.provider, base.lang, base.language)


def skeleton(node: Node, skip=lambda n: False) -> list[tuple[str, tuple[str, ...]]]:
    """Every element's tag and attribute names, in document order: the template's shape."""
    out = []
    for child in node.children:
        if isinstance(child, Node) and not skip(child):
            out.append((child.tag, tuple(sorted(child.attrs))))
            out += skeleton(child, skip)
    return out


def is_description(n: Node) -> bool:
    return n.attrs.get("data-compare") == "description"


def assert_inert(doc: Node) -> None:
    for n in doc.iter():
        for name, value in n.attrs.items():
            assert not name.startswith("on"), (n.tag, name)
            if name == "href":
                assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), value


@FUZZ
@given(title=any_text, outcomes=st.lists(any_text, min_size=2, max_size=2))
def test_plain_text_fields_keep_the_page_shape_and_show_as_written(renderer, title, outcomes):
    baseline = parse(renderer.credential_page(view_with(renderer, title={"en": "x"}, learning_outcomes=["a", "b"])))
    doc = parse(renderer.credential_page(view_with(renderer, title={"en": title}, learning_outcomes=outcomes)))
    assert skeleton(doc) == skeleton(baseline)  # no element or attribute of the text's own
    assert_inert(doc)
    assert doc.find("h1").text() == title
    lis = doc.find("section", data_compare="learning_outcomes").find_all("li")
    assert [li.find("span").text() for li in lis] == [o for o in outcomes]
    (ld,) = doc.find_all("script", type="application/ld+json")
    data = json.loads(ld.text())
    assert data["name"] == title and data["teaches"] == [o for o in outcomes]


@FUZZ
@given(title=any_text)
def test_titles_in_browse_tables_stay_text_and_attribute_values(renderer, title):
    view = view_with(renderer, title={"en": title})

    def table(v):
        return parse(renderer.render("table", "levels/eqf-5/", table=Table("levels/eqf-5/", "T", "T", [v]),
                                     rows=[v], page=1, pages=1, first=1, title="T", provider=None,
                                     page_path=lambda n: "levels/eqf-5/"))

    doc, baseline = table(view), table(view_with(renderer, title={"en": "x"}))
    assert skeleton(doc) == skeleton(baseline)
    assert_inert(doc)
    link = doc.find("tbody").find("th").find("a")
    assert link.text() == title
    assert doc.find("input", class_="mc-pick").attrs["aria-label"] == "Compare " + title


@FUZZ
@given(description=any_text)
def test_descriptions_keep_only_the_subset(renderer, description):
    baseline = parse(renderer.credential_page(view_with(renderer, description="x")))
    doc = parse(renderer.credential_page(view_with(renderer, description=description)))
    assert skeleton(doc, is_description) == skeleton(baseline, is_description)  # the rest of the page keeps its shape
    assert_inert(doc)
    section = doc.find("section", data_compare="description").find("div", class_="mc-value")
    for n in section.iter():
        assert n.tag in texts.DESCRIPTION_TAGS | {"div"}, n.tag
        allowed = {"href", "rel"} if n.tag == "a" else set()
        assert set(n.attrs) <= allowed, (n.tag, n.attrs)
        if n.tag == "a":
            assert texts.http_url(n.attrs["href"]), n.attrs


@FUZZ
@given(name=any_text, description=any_text)
def test_provider_names_and_descriptions_stay_text(renderer, name, description):
    from microcred.site.views import ProviderView

    base = renderer.views[BASE_ID]

    def provider_page(name, description):
        p = base.provider
        record = p.record.model_copy(update={"name": name, "description": description})
        view = ProviderView(dataclasses.replace(p.entry, record=record), texts.localise(name, "en", "en"))
        row = CredentialView(base.entry, view, base.lang, base.language)
        table = Table(view.path, view.name.text, f"Credentials of {view.name.text}", [row])
        return parse(renderer.render("provider", view.path, table=table, rows=[row], page=1, pages=1, first=1,
                                     title=view.name.text, provider=view, page_path=lambda n: view.path))

    def is_description_div(n: Node) -> bool:
        return "mc-description" in n.attrs.get("class", "")

    doc, baseline = provider_page(name, description), provider_page("x", "x")
    assert skeleton(doc, is_description_div) == skeleton(baseline, is_description_div)
    assert_inert(doc)
    assert doc.find("h1").text() == name
    assert doc.find("div", class_="mc-table-wrap").attrs["aria-label"].startswith(f"Credentials of {name}: ")
    for n in doc.find("div", class_="mc-description").iter():
        assert n.tag in texts.DESCRIPTION_TAGS and set(n.attrs) <= ({"href", "rel"} if n.tag == "a" else set())
