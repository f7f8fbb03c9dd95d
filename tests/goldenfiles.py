"""Golden files: output users depend on, committed under tests/golden/ so a change shows as a diff.

`make golden` (UPDATE_GOLDEN=1) rewrites them from the current code; review the diff, then commit.
"""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
REFRESH = "if the change is meant, run `make golden`, review the diff and commit it"


def check(name: str, actual: str) -> None:
    """`actual` must equal tests/golden/<name> byte for byte (or, when updating, becomes it)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, "utf-8")
    assert path.exists(), f"no golden file {path}: run `make golden`, review and commit it"
    expected = path.read_text("utf-8")
    assert actual == expected, f"{name} differs from its golden file; {REFRESH}\n" + _diff(expected, actual, name)


def check_tree(name: str, actual: Path) -> None:
    """Every file below `actual` must equal its golden copy under tests/golden/<name>/, and no file may be missing."""
    golden = GOLDEN / name
    if UPDATE:
        shutil.rmtree(golden, ignore_errors=True)
        shutil.copytree(actual, golden)
    made, kept = _files(actual), _files(golden)
    assert sorted(made) == sorted(kept), f"{name}: files added or gone; {REFRESH}"
    changed = [rel for rel in sorted(made) if made[rel] != kept[rel]]
    assert not changed, f"{name}: {len(changed)} files differ ({', '.join(changed[:5])}); {REFRESH}\n" + _diff(
        kept[changed[0]].decode("utf-8", "replace"), made[changed[0]].decode("utf-8", "replace"), changed[0])


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _diff(expected: str, actual: str, name: str, lines: int = 40) -> str:
    diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), f"golden/{name}", name, lineterm="")
    return "\n".join(line[:300] for line in list(diff)[:lines])
