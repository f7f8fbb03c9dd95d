"""The docs name what is there: files that exist, and the budgets the benchmark checks."""

from __future__ import annotations

import re
import sys

from conftest import REPO


def test_the_budgets_on_the_performance_page_are_the_ones_the_benchmark_checks():
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        import run
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    page = (REPO / "docs" / "performance.md").read_text("utf-8")
    section = page.split("## Budgets", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^- (.+?)(?: \(.*\))?$", section, re.M)
    assert listed == [budget.what for budget in run.BUDGETS]


def test_readme_makefile_and_docs_name_only_files_that_exist():
    # folders the tools write (benchmarks/out/, site/) are ignored by git: naming them is fine
    written = tuple(line.strip().strip("/") + "/" for line in (REPO / ".gitignore").read_text("utf-8").splitlines()
                    if line.startswith("/") and line.strip().endswith("/"))
    texts = {path: path.read_text("utf-8") for path in [REPO / "README.md", REPO / "Makefile",
                                                       *(REPO / "docs").rglob("*.md")]}
    for path, text in texts.items():
        for name in re.findall(r"`((?:build|tests|docs|benchmarks|tools|\.github)/[\w./-]*\w)`", text):
            if "<" in name or "*" in name or name.startswith(written):
                continue
            assert (REPO / name).exists(), f"{path.relative_to(REPO)} names {name}, which is not in the repository"
        assert "DESIGN.md" not in text, f"{path.relative_to(REPO)} names DESIGN.md, which is not in the repository"
