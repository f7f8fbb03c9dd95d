"""Incremental builds: after any edit, the kept-and-remade site is the clean build's, byte for byte.

A copy of the example catalogue goes through a series of random edits of every kind a provider
or maintainer makes (add, change, rename, withdraw, delete, a provider's change, a template's
change). After each, the site built on top of the last one is compared with a clean build of
the same sources: the same files with the same bytes, the search index's words and fragments
included (its filter files differ between any two runs of Pagefind).
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from microcred.build import beside, build
from microcred.build.cache import cache_folder
from microcred.site import pages

from sitetree import same_site, tree

QUIET = open(os.devnull, "w")


# --- the edits ---------------------------------------------------------------------


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def dump(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def entries(catalogue: Path) -> list[Path]:
    return sorted(p for p in catalogue.glob("*/*.yaml") if p.name != "provider.yaml")


def referenced(catalogue: Path, cid: str) -> bool:
    return any(cid in (load(p).get("stackability") or {}).get("stacks_into", []) for p in entries(catalogue))


def add(catalogue: Path, rng: random.Random) -> str:
    source = rng.choice(entries(catalogue))
    data = load(source)
    data.pop("identifiers", None)
    data.pop("previous_ids", None)
    data["title"] = f"Added course {rng.randint(1, 10**6)}"
    target = source.with_name(f"added-{rng.randint(1, 10**6)}.yaml")
    dump(target, data)
    return f"add {target.parent.name}/{target.stem}"


def change(catalogue: Path, rng: random.Random) -> str:
    path = rng.choice(entries(catalogue))
    data = load(path)
    field = rng.choice(["title", "cost", "workload", "level"])
    if field == "title":
        data["title"] = f"Changed title {rng.randint(1, 10**6)}"
    elif field == "cost":
        data["cost"] = {"amount": rng.randint(0, 900), "currency": "EUR"}
    elif field == "workload":
        data["workload"] = {"ects": rng.choice([1, 2, 3, 5])}
    else:
        data["level"] = {"eqf": rng.randint(1, 8)}
    dump(path, data)
    return f"change {field} of {path.parent.name}/{path.stem}"


def rename(catalogue: Path, rng: random.Random) -> str:
    candidates = [p for p in entries(catalogue) if not referenced(catalogue, f"{p.parent.name}/{p.stem}")]
    path = rng.choice(candidates)
    data = load(path)
    old = f"{path.parent.name}/{path.stem}"
    data["previous_ids"] = [*data.get("previous_ids", []), old]
    path.unlink()
    target = path.with_name(f"{path.stem}-renamed")
    dump(target.with_suffix(".yaml"), data)
    return f"rename {old}"


def withdraw(catalogue: Path, rng: random.Random) -> str:
    path = rng.choice([p for p in entries(catalogue) if load(p).get("status", "active") != "withdrawn"])
    data = load(path)
    data["status"] = "withdrawn"
    data["withdrawn_on"] = "2026-09-30"
    data["status_note"] = "No longer offered."
    dump(path, data)
    return f"withdraw {path.parent.name}/{path.stem}"


def delete(catalogue: Path, rng: random.Random) -> str:
    candidates = [p for p in entries(catalogue) if not referenced(catalogue, f"{p.parent.name}/{p.stem}")
                  and not load(p).get("previous_ids")]
    path = rng.choice(candidates)
    path.unlink()
    return f"delete {path.parent.name}/{path.stem}"


def provider_change(catalogue: Path, rng: random.Random) -> str:
    path = rng.choice(sorted(catalogue.glob("*/provider.yaml")))
    data = load(path)
    data["name"] = f"Renamed provider {rng.randint(1, 10**6)} (illustrative example)"
    dump(path, data)
    return f"provider {path.parent.name}"


EDITS = [add, change, rename, withdraw, delete, provider_change]



def test_incremental_builds_equal_clean_builds_over_random_edits(sources, tmp_path, monkeypatch):
    # the open data in a process of its own, as at scale (build/beside.py), collections and all
    monkeypatch.setattr(beside, "FORKED_FROM", 1)
    templates = tmp_path / "templates"
    shutil.copytree(pages.TEMPLATES, templates)
    monkeypatch.setattr(pages, "TEMPLATES", templates)
    kept_site, clean_site = tmp_path / "out" / "site", tmp_path / "clean" / "site"
    build(sources, sources / "catalogue", kept_site, out=QUIET)  # the first: clean, as there is no cache

    rng = random.Random(15)
    edits = [*EDITS, *rng.choices(EDITS, k=4)]
    rng.shuffle(edits)
    edits.insert(len(edits) // 2, "template")
    for edit in edits:
        if edit == "template":  # the templates are an input of every page: all are made again
            credential = templates / "credential.html.j2"
            credential.write_text(credential.read_text("utf-8") + "<!-- changed -->\n", "utf-8")
            done = "template change"
        else:
            done = edit(sources / "catalogue", rng)
        report = build(sources, sources / "catalogue", kept_site, out=QUIET)
        build(sources, sources / "catalogue", clean_site, out=QUIET, clean=True)
        assert (report.kept == 0) == (edit == "template"), f"{done}: kept {report.kept} of {report.units}"
        same_site(kept_site, clean_site)
        if edit == "template":
            page = next((kept_site / "credentials").glob("*/*/index.html"))
            assert "<!-- changed -->" in page.read_text("utf-8")
    assert not (kept_site / "credentials" / "unknown").exists()


def test_an_unchanged_catalogue_keeps_every_page_and_file(sources, tmp_path):
    site = tmp_path / "out" / "site"
    first = build(sources, sources / "catalogue", site, out=QUIET)
    second = build(sources, sources / "catalogue", site, out=QUIET)
    assert first.kept == 0
    assert second.kept == second.units == first.units
    # one changed entry: its pages in every language and its files, the tables it is in, the search
    path = entries(sources / "catalogue")[0]
    data = load(path)
    data["title"] = "A changed title"
    dump(path, data)
    third = build(sources, sources / "catalogue", site, out=QUIET)
    remade = third.units - third.kept
    assert 4 + 1 <= remade <= 60, remade
    assert "A changed title" in (site / "credentials" / path.parent.name / path.stem / "index.html").read_text()


def test_the_sitemaps_are_made_again_only_when_the_pages_of_their_language_change(sources, tmp_path):
    site = tmp_path / "out" / "site"
    build(sources, sources / "catalogue", site, out=QUIET)
    sitemaps = [site / "sitemap.xml", site / "sitemap.xml.gz", site / "nl" / "sitemap.xml"]
    before = [path.stat().st_ino for path in sitemaps]
    path = entries(sources / "catalogue")[0]
    data = load(path)
    data["title"] = "A changed title"  # no sitemap shows a title: all are kept, not written again
    dump(path, data)
    build(sources, sources / "catalogue", site, out=QUIET)
    assert [path.stat().st_ino for path in sitemaps] == before
    added = add(sources / "catalogue", random.Random(1)).removeprefix("add ")  # a new page in every language
    build(sources, sources / "catalogue", site, out=QUIET)
    assert all(path.stat().st_ino != inode for path, inode in zip(sitemaps, before))
    for sitemap in sitemaps[::2]:
        assert f"credentials/{added}/</loc>" in sitemap.read_text("utf-8")


def test_a_sitemap_the_build_adds_nothing_to_is_kept_through_rebuilds(sources, tmp_path, monkeypatch):
    import microcred.build as pipeline

    monkeypatch.setattr(pipeline, "write_sitemap", lambda *args: [])  # MkDocs' own sitemaps, as MkDocs wrote them
    site = tmp_path / "out" / "site"
    build(sources, sources / "catalogue", site, out=QUIET)
    path = entries(sources / "catalogue")[0]
    data = load(path)
    data["title"] = "A changed title"
    dump(path, data)
    build(sources, sources / "catalogue", site, out=QUIET)
    assert (site / "sitemap.xml").is_file() and (site / "nl" / "sitemap.xml.gz").is_file()


def test_a_rebuild_makes_only_the_changed_records_and_copies_the_rest_while_they_are_the_last_builds(
        sources, tmp_path, monkeypatch):
    """The collections (credentials.json, the CSV, the providers' lists, the feed) take an unchanged
    credential's text from the last build's files; a file changed by hand, or a damaged cache, makes
    every record again, and the site is the clean build's all the same."""
    from microcred.build.cache import COLLECTIONS
    from microcred.opendata import feed, publish

    monkeypatch.setattr(feed, "MAX_ITEMS", 3)  # the example's 24 credentials would all be news
    site, clean = tmp_path / "out" / "site", tmp_path / "clean" / "site"
    build(sources, sources / "catalogue", site, out=QUIET)
    made = []
    real = publish.credential_record
    monkeypatch.setattr(publish, "credential_record", lambda entry, *rest: made.append(entry.id) or real(entry, *rest))
    path = entries(sources / "catalogue")[0]
    total = len(entries(sources / "catalogue"))
    for damage in (None, "csv", "cache"):
        data = load(path)
        data["title"] = f"Title after {damage}"
        dump(path, data)
        if damage == "csv":  # someone edited the published CSV: its bytes are no longer where they were
            table = site / "api" / "v1" / "credentials.csv"
            table.write_text(table.read_text("utf-8") + "\r\n", "utf-8")
        elif damage == "cache":
            (cache_folder(site) / COLLECTIONS).write_bytes(b"not a pickle")
        made.clear()
        build(sources, sources / "catalogue", site, out=QUIET)
        changed = f"{path.parent.name}/{path.stem}"
        if damage is None:  # the changed record, those it stacks with, the feed's newest: not every one
            assert changed in made and len(set(made)) < total, made
        else:
            assert len(set(made)) == total
        build(sources, sources / "catalogue", clean, out=QUIET, clean=True)
        same_site(site, clean)


def test_a_cache_that_belongs_to_another_output_is_not_trusted(sources, tmp_path):
    site = tmp_path / "out" / "site"
    build(sources, sources / "catalogue", site, out=QUIET)
    # someone replaced the output by hand (or an interrupted build left it): the marker differs
    marker = site / ".microcred-site"
    marker.write_text(marker.read_text("utf-8").replace("build ", "build x"), "utf-8")
    report = build(sources, sources / "catalogue", site, out=QUIET)
    assert report.kept == 0
    assert cache_folder(site).is_dir()


def test_a_failure_while_moving_files_in_puts_the_previous_site_back(sources, tmp_path, monkeypatch):
    from microcred.build import cache

    site = tmp_path / "out" / "site"
    build(sources, sources / "catalogue", site, out=QUIET)
    before = tree(site)
    path = entries(sources / "catalogue")[0]
    data = load(path)
    data["title"] = "Never published"
    dump(path, data)
    renames = 0
    real_rename = Path.rename

    def failing_rename(self, target):
        nonlocal renames
        renames += 1
        if renames == 40:
            raise OSError(28, "No space left on device", str(target))
        return real_rename(self, target)

    monkeypatch.setattr(cache.Path, "rename", failing_rename)
    from microcred.errors import Failed
    with pytest.raises(Failed, match="No space left on device"):
        build(sources, sources / "catalogue", site, out=QUIET)
    monkeypatch.undo()
    assert tree(site) == before
    # and the next build makes the change
    report = build(sources, sources / "catalogue", site, out=QUIET)
    assert report.kept
    assert "Never published" in (site / "credentials" / path.parent.name / path.stem / "index.html").read_text()


# --- shards: one build spread over jobs, combined ------------------------------------


def test_two_shards_built_apart_and_combined_give_the_one_builds_site(sources, tmp_path):
    catalogue = sources / "catalogue"
    one = tmp_path / "one" / "site"
    build(sources, catalogue, one, out=QUIET)
    shards = [tmp_path / f"shard-{k}" for k in (1, 2)]
    made = []
    for k, shard in enumerate(shards, 1):
        build(sources, catalogue, shard, out=QUIET, shard=(k, 2))
        units = json.loads((shard / "microcred-shard.json").read_text("utf-8"))["units"]
        made.append({unit.split(":", 1)[1] for unit in units if unit.startswith("data:")})
        assert {unit for unit in units if unit.startswith("page:")} == {
            f"page:{lang}credentials/{cid}/" for cid in made[-1] for lang in ("", "nl/", "de/", "fr/")}
        assert not (shard / "pagefind").exists()  # the search is made where the shards are combined
    credentials = {f"{p.parent.name}/{p.stem}" for p in entries(catalogue)}
    assert made[0] and made[1] and not made[0] & made[1] and made[0] | made[1] == credentials

    combined = tmp_path / "combined" / "site"
    report = build(sources, catalogue, combined, out=QUIET, shards=shards)
    languages = 4
    assert report.kept == len(credentials) * (languages + 1)  # every page and record of the shards taken
    same_site(combined, one)


def test_combining_a_folder_that_is_no_shard_says_so(sources, tmp_path):
    from microcred.errors import BuildFailed

    with pytest.raises(BuildFailed, match="not the output of `microcred build --shard`"):
        build(sources, sources / "catalogue", tmp_path / "site", out=QUIET, shards=[tmp_path])


def test_the_command_says_what_it_kept_and_refuses_a_shard_that_is_not_k_of_n(sources):
    from provider_repo import run

    first = run(sources, "build", "--output", "out/site")
    assert first.returncode == 0, first.stderr
    assert "unchanged, kept" not in first.stdout
    second = run(sources, "build", "--output", "out/site")
    assert second.returncode == 0, second.stderr
    units = re.search(r"; (\d+) of (\d+) unchanged, kept \(", second.stdout)
    assert units and units.group(1) == units.group(2), second.stdout
    clean = run(sources, "build", "--output", "out/site", "--clean")
    assert clean.returncode == 0 and "unchanged, kept" not in clean.stdout
    bad = run(sources, "build", "--shard", "3/2")
    assert bad.returncode == 2
    assert "'3/2' is not K/N with 1 <= K <= N (e.g. 1/4)" in bad.stderr
