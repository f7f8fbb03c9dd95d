"""Comparing two built sites file by file (incremental, sharded and clean builds)."""

from __future__ import annotations

from pathlib import Path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def folders(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def unstable(path: str) -> bool:
    """Pagefind's filter files, and the files naming them, differ from run to run of the same pages
    (two clean builds differ there too); its word index and fragments do not."""
    return path.startswith(("pagefind/filter/", "pagefind/pagefind.")) or path == "pagefind/pagefind-entry.json"


def same_site(site: Path, expected_site: Path) -> None:
    """The same files with the same bytes, and no empty folder more."""
    made, expected = tree(site), tree(expected_site)
    for files in (made, expected):
        assert sum(1 for path in files if path.startswith("pagefind/filter/")) > 5
        for path in [path for path in files if unstable(path)]:
            del files[path]
    assert sorted(made) == sorted(expected), {"only in the site": sorted(set(made) - set(expected))[:5],
                                              "only in the expected": sorted(set(expected) - set(made))[:5]}
    differ = [path for path in expected if made[path] != expected[path]]
    assert not differ, f"{len(differ)} files differ, e.g. {differ[:5]}"
    assert folders(site) == folders(expected_site), "empty folders left behind"
