"""Golden files: output users depend on, committed under tests/golden/ so a change shows as a diff.

`make golden` (UPDATE_GOLDEN=1) rewrites them from the current code; review the diff, then commit.
"""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def check(name: str, actual: str) -> None:
    """`actual` must equal tests/golden/<name> byte for byte (or, when updating, becomes it)."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, "utf-8")
    assert path.exists(), f"no golden file {path}: run `make golden`, review and commit it"
    assert actual == path.read_text("utf-8"), f"{name} differs from its golden file; if meant, run `make golden`"
