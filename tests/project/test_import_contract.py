"""The package's shape holds: imports go one way through the pipeline's stages, with no cycle.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter checks them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "build" / "microcred"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"  # installed beside this Python from the lock


def lint_imports(package_parent: Path, cwd: Path) -> subprocess.CompletedProcess:
    """`lint-imports` on the package found in package_parent, with the repository's contracts."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    command = [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(REPO / "pyproject.toml")]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)


def test_the_package_keeps_its_import_contracts(tmp_path):
    run = lint_imports(REPO / "build", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 kept, 0 broken" in run.stdout


@pytest.mark.parametrize("module, added, broken", [
    # the contract reaching up into a stage: a cycle between layers
    ("contract/problems.py", "from ..validate import validate", "Imports go one way"),
    # a stage reaching up into the build
    ("opendata/feed.py", "from .. import build", "Imports go one way"),
    # two stages that must stay apart
    ("site/views.py", "from ..opendata import records", "Imports go one way"),
    # a cycle inside one folder
    ("validate/files.py", "from . import run", "No module of a folder imports"),
    # a stage below the site reaching for the site's tools
    ("opendata/tabular.py", "import jinja2", "Only the site stage"),
])
def test_a_change_that_breaks_the_shape_fails(tmp_path, module, added, broken):
    copy = tmp_path / "pkg"
    shutil.copytree(PACKAGE, copy / "microcred", ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "microcred" / module
    target.write_text(target.read_text("utf-8") + f"\n{added}  # noqa\n", "utf-8")
    run = lint_imports(copy, tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert f"{broken}" in run.stdout and "BROKEN" in run.stdout
