"""The search index in parts (site/parts.py): each part a unit of the incremental build.

A changed entry makes only its part's index again; the other parts' files stay as they are in
the output (not even rewritten), and the site is the clean build's all the same, the browse
index across the parts included.
"""

from __future__ import annotations

import gzip
import json
import marshal
import os
import random
from pathlib import Path

import pytest
import yaml

from microcred.build import build
from microcred.build.cache import MANIFEST, cache_folder
from microcred.site import parts
from microcred.site.browse import read_bundle

from sitetree import same_site, search_parts

QUIET = open(os.devnull, "w")
SMALL = 4  # pages to a part: the example catalogue's 24 credentials in several parts


# --- the split ------------------------------------------------------------------------


def pages(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [f"credentials/p{rng.randint(1, 40)}/c{i}-{rng.randint(1, 10**6)}/index.html" for i in range(n)]


def runs(split: list[parts.Part]) -> list[tuple[str, ...]]:
    return [tuple(part.pages) for part in split]


def test_the_parts_are_runs_of_the_pages_named_after_their_first():
    listed = pages(5000)
    split = parts.split(listed, 100)
    assert [page for part in split for page in part.pages] == listed
    assert runs(split) == runs(parts.split(list(listed), 100))  # deterministic
    assert len({part.name for part in split}) == len(split)
    assert all(50 <= len(part.pages) <= parts.MAX_PARTS * 100 for part in split[:-1])
    assert 30 <= len(split) <= 70
    assert [part.name for part in split] == [parts._part([part.pages[0]]).name for part in split]
    assert len(parts.split([])) == 1 and parts.split([])[0].pages == []


@pytest.mark.parametrize("seed", range(20))
def test_adding_or_removing_a_page_changes_its_part_and_at_most_the_next(seed):
    rng = random.Random(seed)
    listed = pages(3000, seed)
    before = runs(parts.split(listed, 100))
    changed = list(listed)
    if seed % 2:
        changed.insert(rng.randrange(len(listed) + 1), f"credentials/new/c{seed}/index.html")
    else:
        del changed[rng.randrange(len(listed))]
    after = runs(parts.split(changed, 100))
    assert len(set(after) - set(before)) <= 2, (len(set(after) - set(before)))
    assert len(set(before) - set(after)) <= 2
    # and the changed parts are neighbours
    new = [i for i, run in enumerate(after) if run not in set(before)]
    assert new and new[-1] - new[0] <= 1


# --- in the build -----------------------------------------------------------------------



def units(site: Path) -> dict[str, str]:
    return marshal.loads((cache_folder(site) / MANIFEST).read_bytes())["units"]


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def part_of(site: Path, page: str) -> str:
    """The folder of the part whose bundle indexed `page` (its fragment names the page's URL)."""
    for folder in search_parts(site):
        for fragment in (folder / "fragment").iterdir():
            data = gzip.decompress(fragment.read_bytes())
            if json.loads(data[data.index(b"{"):])["url"] == "/" + page:
                return folder.name
    raise AssertionError(f"{page} is in no part")


def test_a_changed_entry_makes_only_its_part_again(sources, tmp_path, monkeypatch):
    monkeypatch.setattr(parts, "PART_SIZE", SMALL)
    catalogue = sources / "catalogue"
    site, clean = tmp_path / "out" / "site", tmp_path / "clean" / "site"
    build(sources, catalogue, site, out=QUIET)
    folders = search_parts(site)
    assert len(folders) >= 3
    assert {unit for unit in units(site) if unit.startswith("search")} == {f"search:{f.name}" for f in folders}
    # the browse index numbers the pages across the parts, in their order
    manifest = json.loads((site / "pagefind" / "browse" / "browse.json").read_text("utf-8"))
    sizes = [len(read_bundle(folder)[0]) for folder in folders]
    assert manifest["parts"] == [[f"{f.name}/", sum(sizes[:i])] for i, f in enumerate(folders)]
    assert manifest["pages"] == sum(sizes) == 24

    # a title changed in place (its page keeps its place in the title order)
    path = catalogue / "kammerland-chamber" / "plc-programming-basics.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["title"] = {lang: f"{title} (revised)" for lang, title in data["title"].items()}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    changed = part_of(site, "credentials/kammerland-chamber/plc-programming-basics/")
    before = {f.name: stamps(f) for f in folders}
    report = build(sources, catalogue, site, out=QUIET)
    assert [f.name for f in search_parts(site)] == [f.name for f in folders]
    kept = {f.name for f in folders if f"search:{f.name}" in units(site) and stamps(f) == before[f.name]}
    assert kept == {f.name for f in folders} - {changed}
    assert stamps(site / "pagefind" / changed) != before[changed]
    assert report.kept < report.units
    build(sources, catalogue, clean, out=QUIET, clean=True)
    same_site(site, clean)
    assert any(b"(revised)" in gzip.decompress(f.read_bytes()) for f in (site / "pagefind" / changed / "fragment").iterdir())

    # an added entry: its part (and at most the next) made again, the rest kept
    source = catalogue / "kammerland-chamber" / "plc-programming-basics.yaml"
    data = yaml.safe_load(source.read_text("utf-8"))
    data.pop("identifiers", None)
    data.pop("previous_ids", None)
    data["title"] = "Added course in metalwork"
    (catalogue / "kammerland-chamber" / "added-course.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    folders = search_parts(site)
    before = {f.name: stamps(f) for f in folders}
    build(sources, catalogue, site, out=QUIET)
    now = search_parts(site)
    remade = [f.name for f in now if f.name not in before or stamps(f) != before[f.name]]
    assert 1 <= len(remade) <= 2 and len(now) >= 3
    build(sources, catalogue, clean, out=QUIET, clean=True)
    same_site(site, clean)


def test_a_shard_makes_no_part_and_combined_shards_make_them_all(sources, tmp_path, monkeypatch):
    monkeypatch.setattr(parts, "PART_SIZE", SMALL)
    catalogue = sources / "catalogue"
    one = tmp_path / "one" / "site"
    build(sources, catalogue, one, out=QUIET)
    shards = [tmp_path / f"shard-{k}" for k in (1, 2)]
    for k, shard in enumerate(shards, 1):
        build(sources, catalogue, shard, out=QUIET, shard=(k, 2))
        assert not (shard / "pagefind").exists()
    combined = tmp_path / "combined" / "site"
    build(sources, catalogue, combined, out=QUIET, shards=shards)
    assert len(search_parts(combined)) >= 3
    same_site(combined, one)
