"""Hostile input, safe output: a valid catalogue whose every text field tries to inject markup.

tests/fixtures/hostile/accepted/catalogue holds entries the validator accepts (they are only
text) whose titles, outcomes, notes, names and descriptions carry <script>, event handlers,
`javascript:` links, `</script>`, SVG, styles, entities, template syntax, right-to-left text
and spreadsheet formulas. The built site must show every one of them as written and run none;
the open data must carry them unaltered. (Browser checks: test_browser_hostile.py.)
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from microcred import build as pipeline

from conftest import HOSTILE_CATALOGUE, REPO
from opendatahelp import leaves
from sitehtml import Node, parse

SOURCES = {f"hostile-provider/{p.stem}": yaml.safe_load(p.read_text("utf-8"))
           for p in sorted((HOSTILE_CATALOGUE / "hostile-provider").glob("*.yaml")) if p.name != "provider.yaml"}
PROVIDER = yaml.safe_load((HOSTILE_CATALOGUE / "hostile-provider" / "provider.yaml").read_text("utf-8"))
SITE_NAME = "Open Micro-credential Register"
BODIES = ("mc-credential", "mc-provider", "mc-browse", "mc-home", "mc-listing", "mc-compare")
# Every element our templates make inside a page body; a description adds its Markdown subset.
OUR_TAGS = {"div", "nav", "ol", "ul", "li", "a", "p", "strong", "span", "h1", "h2", "h3", "table", "caption",
            "thead", "tbody", "tr", "th", "td", "br", "code", "details", "summary", "small", "section", "form",
            "input", "label", "button", "script", "em", "blockquote", "noscript", "select", "option"}


def title_of(cid: str) -> str:
    return SOURCES[cid]["title"]["en"]


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def bodies(doc: Node) -> list[Node]:
    return [n for n in doc.iter() if n.tag == "div" and set(n.attrs.get("class", "").split()) & set(BODIES)]


# --- nothing executes: checked on every page of the built site ---------------------------


def test_no_page_gains_a_script_handler_or_script_link(hostile_site):
    for path in html_files(hostile_site):
        doc = parse(path.read_text("utf-8"))
        where = path.relative_to(hostile_site)
        for node in doc.iter():
            for name, value in node.attrs.items():
                assert not name.startswith("on"), (where, node.tag, name, value)
                if name in ("href", "src", "action", "formaction", "srcdoc"):
                    assert not value.strip().lower().startswith(("javascript:", "data:", "vbscript:")), (where, value)
            if node.tag == "script":
                # ours: the JSON blocks, MkDocs' and our script files, Material's inline set-up
                code = node.text()
                if node.attrs.get("type") in ("application/ld+json", "application/json"):
                    json.loads(code)  # still one JSON value: nothing broke out of it
                else:
                    assert "__pwned" not in code and "alert" not in code, (where, code[:200])
        for body in bodies(doc):
            for node in body.iter():
                assert node.tag in OUR_TAGS, (where, node.tag)
                assert "style" not in node.attrs, (where, node.tag)
                if node.tag == "script":
                    assert node.attrs.get("type") in ("application/ld+json", "application/json"), where


def test_credential_pages_show_every_text_as_written(hostile_site):
    for cid, src in SOURCES.items():
        doc = parse((hostile_site / "credentials" / cid / "index.html").read_text("utf-8"))
        body = bodies(doc)[0]
        assert body.find("h1").text() == title_of(cid)
        assert doc.find("title").text() == f"{title_of(cid)} - {SITE_NAME}"
        outcomes = body.find("section", data_compare="learning_outcomes").find_all("li")
        assert [li.find("span").text() for li in outcomes] == src["learning_outcomes"]
        assert body.find("section", data_compare="prerequisites").find("p").text() == src["prerequisites"]
        cells = {tr.attrs["data-compare"]: tr.find("td") for tr in body.find_all("tr", data_compare=True)}
        assert src["cost"]["note"] in [s.text() for s in cells["cost"].find_all("span")]
        assert src["workload"]["note"] in [s.text() for s in cells["workload"].find_all("span")]
        subtitle = body.find("p", class_="mc-subtitle").find("span", lang="ar")
        assert subtitle.text() == src["title"]["ar"]
        meta = {s.attrs["data-pagefind-meta"]: s.text() for s in body.find_all("span", data_pagefind_meta=True)}
        assert meta["provider"] == PROVIDER["name"]
        assert meta["id"] == cid


def test_first_search_results_on_the_home_page_show_titles_as_written(hostile_site):
    doc = parse((hostile_site / "index.html").read_text("utf-8"))
    cards = doc.find("ol", id="mc-results").find_all("li", class_="mc-card")
    shown = [card.find("a").text() for card in cards]
    assert sorted(shown) == sorted(title_of(cid) for cid in SOURCES)
    assert all(card.find("p", class_="mc-card__facts").text().startswith(PROVIDER["name"] + " · ") for card in cards)


def test_json_ld_carries_the_text_unaltered(hostile_site):
    for cid, src in SOURCES.items():
        doc = parse((hostile_site / "credentials" / cid / "index.html").read_text("utf-8"))
        (block,) = doc.find_all("script", type="application/ld+json")
        raw = block.text()
        assert "</" not in raw and "<!--" not in raw  # cannot end or bend the script element
        data = json.loads(raw)
        assert data["name"] == title_of(cid)
        assert data["teaches"] == src["learning_outcomes"]
        assert data["description"] == src["description"]
        assert data["provider"]["name"] == PROVIDER["name"]


def test_descriptions_keep_only_the_markdown_subset_and_http_links(hostile_site):
    for cid in SOURCES:
        doc = parse((hostile_site / "credentials" / cid / "index.html").read_text("utf-8"))
        description = bodies(doc)[0].find("section", data_compare="description").find("div", class_="mc-value")
        for node in description.iter():
            assert node.tag in {"div", "p", "em", "strong", "a", "br", "ul", "ol", "li", "code", "blockquote"}, node.tag
            if node.tag == "a":
                assert node.attrs["href"].startswith("https://example.org/"), node.attrs
        text = description.text()
        # raw HTML and links to other schemes stay visible as the text they are
        assert ("<script>window.__pwned=1</script>" in text and "[click me](javascript:window.__pwned=1)" in text
                or '<a href="javascript:alert(1)" onclick="window.__pwned=1">x</a>' in text
                and "[w](%6Aavascript:alert(1))" in text), text


def test_tables_and_provider_page_show_titles_and_names_as_written(hostile_site):
    provider = parse((hostile_site / "providers/hostile-provider/index.html").read_text("utf-8"))
    body = bodies(provider)[0]
    assert body.find("h1").text() == PROVIDER["name"]
    assert provider.find("title").text() == f"{PROVIDER['name']} - {SITE_NAME}"
    facts = {tr.find("th").text(): tr.find("td") for tr in body.find("table", class_="mc-facts").find_all("tr")}
    assert facts["Short name"].text() == PROVIDER["short_name"]
    shown = {a.text() for a in body.find_all("a") if a.attrs.get("href", "").startswith("../../credentials/")}
    assert shown == {title_of(cid) for cid in SOURCES}
    # the compare box's accessible name is an attribute built from the title
    labels = {box.attrs["aria-label"] for box in body.find_all("input", class_="mc-pick")}
    assert labels == {f"Compare {title_of(cid)}" for cid in SOURCES}
    for page in ("levels/eqf-5/", "countries/nl/", ""):
        doc = parse((hostile_site / page / "index.html").read_text("utf-8"))
        rows = [th.find("a") for table in doc.find_all("table", class_="mc-table") for th in table.find_all("th", scope="row")]
        assert rows and {a.text() for a in rows} <= {title_of(cid) for cid in SOURCES}, page
    listing = parse((hostile_site / "providers/index.html").read_text("utf-8"))
    assert PROVIDER["name"] in [a.text() for a in listing.find_all("a")]


def test_search_filter_values_are_json_not_markup(hostile_site):
    doc = parse((hostile_site / "index.html").read_text("utf-8"))
    order = json.loads(doc.find("script", id="mc-filter-order").text())
    labels = json.loads(doc.find("script", id="mc-filter-labels").text())
    assert order["provider"] == ["hostile-provider"]
    assert labels["provider"] == {"hostile-provider": PROVIDER["name"]}


# --- open data: the text unaltered, safely encoded -------------------------------------


def _at(data, path):
    for key in path:
        data = data[key]
    return data


def test_json_records_round_trip_every_value_exactly(hostile_site):
    api = hostile_site / "api" / "v1"
    for cid, src in SOURCES.items():
        record = json.loads((api / "credentials" / f"{cid}.json").read_text("utf-8"))["data"]
        for path, value in leaves(src):
            expected = value.isoformat() if isinstance(value, date) else value
            assert _at(record, path) == expected, (cid, path)
    providers = json.loads((api / "providers.json").read_text("utf-8"))["data"]
    for path, value in leaves(PROVIDER):
        assert _at(providers[0], path) == value, path


def test_feed_carries_titles_and_names_unaltered(hostile_site):
    feed = json.loads((hostile_site / "api/v1/feed.json").read_text("utf-8"))
    for item in feed["items"]:
        cid = item["_register"]["credential_id"]
        assert item["authors"][0]["name"] == PROVIDER["name"]
        assert f"“{title_of(cid)}”" in item["content_text"]
        assert "content_html" not in item  # text only: no reader renders provider text as HTML


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_csv_cells_are_never_formulas_and_recover_the_text(hostile_site):
    with open(hostile_site / "api/v1/credentials.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["id"] for r in rows} == set(SOURCES)
    for row in rows:
        for name, value in row.items():
            assert not value.startswith(FORMULA_START), (name, value)
        src = SOURCES[row["id"]]
        for column, text in (("title", src["title"]["en"]), ("description", src["description"]),
                             ("prerequisites", src["prerequisites"]), ("provider_name", PROVIDER["name"]),
                             ("status_note", src["status_note"])):
            # what a reader gets back: the text, behind a ' where it would start a formula
            assert row[column] == ("'" + text if text.startswith(FORMULA_START) else text), (row["id"], column)
        assert json.loads(row["learning_outcomes"]) == src["learning_outcomes"]
        assert json.loads(row["keywords"]) == src["keywords"]
    assert {r["title"] for r in rows} >= {"'=HYPERLINK(\"http://evil.example\",\"x\")", "'+1+2", "'-2+3",
                                          "'@SUM(A1:A2)", "'\tTAB=1+1"}


# --- paths: nothing is written outside the output folder ----------------------------------


def test_the_build_writes_nothing_outside_its_output_folder(hostile_build):
    tmp, out = hostile_build
    cache = tmp / ".out-cache"  # beside the output: what the next build may keep (build/cache.py)
    outside = [p for p in tmp.rglob("*") if out not in p.parents and p != out and cache not in p.parents
               and p != cache]
    assert outside == []
    assert sorted(p.name for p in cache.iterdir()) == [
        "browsed.pickle", "checked.pickle", "collections.pickle", "manifest.marshal", "mkdocs", "templates"]
    assert (out / "credentials/hostile-provider/script-tag/index.html").exists()


@pytest.mark.parametrize("where", ["repo", "catalogue", "parent of the catalogue", "a folder of notes"])
def test_the_build_refuses_an_output_folder_it_did_not_make(tmp_path, where):
    catalogue = tmp_path / "repo" / "catalogue"
    shutil.copytree(HOSTILE_CATALOGUE, catalogue)
    (tmp_path / "repo" / "mkdocs.yml").write_text("site_name: x\n", "utf-8")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "n.txt").write_text("keep", "utf-8")
    target = {"repo": REPO, "catalogue": catalogue, "parent of the catalogue": catalogue.parent,
              "a folder of notes": tmp_path / "notes"}[where]
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(pipeline.BuildFailed, match="not a site built by microcred"):
        pipeline.build(REPO, catalogue, target)
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert not list(REPO.glob(".*-build-*"))


def test_the_build_makes_no_network_request(tmp_path, monkeypatch):
    # In-process stages (validation, MkDocs, templates, open data); Pagefind and git run as
    # local programs on local files.
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access during the build: {args[:2]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    pipeline.build(REPO, HOSTILE_CATALOGUE, tmp_path / "out", out=io.StringIO())
    assert (tmp_path / "out" / "index.html").exists()


@pytest.mark.parametrize("inside", ["catalogue", "docs"])
def test_the_build_refuses_an_output_folder_inside_its_sources(tmp_path, inside):
    repo = tmp_path / "repo"
    shutil.copytree(HOSTILE_CATALOGUE, repo / "catalogue")
    shutil.copytree(REPO / "docs", repo / "docs")
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    with pytest.raises(pipeline.BuildFailed, match=f"overlaps the {inside} folder"):
        pipeline.build(repo, repo / "catalogue", repo / inside / "site", out=io.StringIO())
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
