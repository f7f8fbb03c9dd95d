"""Files generated from the code and committed, so the published site and editors see them.

`microcred generate` writes them; `microcred generate --check` (and the tests)
fail when a committed copy has drifted from the code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from .fieldref import fields_markdown
from ..contract.problems import problems_markdown
from ..contract.schema import SCHEMAS, schema_text


def generated_files() -> dict[str, Callable[[], str]]:
    files: dict[str, Callable[[], str]] = {
        f"docs/schema/{kind}.schema.json": (lambda kind=kind: schema_text(kind)) for kind in SCHEMAS
    }
    files["docs/reference/problems.md"] = problems_markdown
    files["docs/reference/fields.md"] = fields_markdown
    return files


def stale(repo: Path) -> list[str]:
    out = []
    for rel, make in generated_files().items():
        path = repo / rel
        if not path.exists() or path.read_text("utf-8") != make():
            out.append(rel)
    return out


def write(repo: Path) -> list[str]:
    written = []
    for rel, make in generated_files().items():
        path = repo / rel
        text = make()
        if not path.exists() or path.read_text("utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
            written.append(rel)
    return written
