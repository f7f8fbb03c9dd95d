"""Comparing two built sites file by file (incremental, sharded and clean builds)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def register_copy(root: Path) -> Path:
    """A register of our own at `root`: the example catalogue, the docs and the settings, free to edit."""
    for name in ("catalogue", "docs"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return root

# Pagefind's filter files, its metadata (pagefind.*) and its entry file, in each part's folder
UNSTABLE = re.compile(r"pagefind/[0-9a-f]+/(filter/|pagefind\.|pagefind-entry\.json$)")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def unstable(path: str) -> bool:
    """Pagefind's filter files, and the files naming them, differ from run to run of the same pages
    (two clean builds differ there too); its word index and fragments do not. The search index is
    in parts (site/parts.py), each a bundle of Pagefind's in pagefind/<part>/."""
    return UNSTABLE.match(path) is not None


def same_site(site: Path, expected_site: Path) -> None:
    """The same files with the same bytes, and no empty folder more."""
    made, expected = tree(site), tree(expected_site)
    for files in (made, expected):
        assert sum(1 for path in files if "/filter/" in path and UNSTABLE.match(path)) > 5
        for path in [path for path in files if unstable(path)]:
            del files[path]
    assert sorted(made) == sorted(expected), {"only in the site": sorted(set(made) - set(expected))[:5],
                                              "only in the expected": sorted(set(expected) - set(made))[:5]}
    differ = [path for path in expected if made[path] != expected[path]]
    assert not differ, f"{len(differ)} files differ, e.g. {differ[:5]}"
    assert folders(site) == folders(expected_site), "empty folders left behind"


def search_parts(site: Path) -> list[Path]:
    """The folders of the search index's parts (site/parts.py), in order, as pagefind/parts.json lists them."""
    import json

    return [site / "pagefind" / name.rstrip("/")
            for name in json.loads((site / "pagefind" / "parts.json").read_text("utf-8"))["parts"]]
