"""Packaging: building the wheel writes nothing into the tree, and what is installed is the lock."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import REPO, tool

newest = tool("newest")

LOCK = REPO / "requirements.lock"


def tracked_files() -> list[str]:
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the committed files are unknown")
    return [name for name in listed.decode().split("\0") if name and (REPO / name).is_file()]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the committed files, and the wheel `pip wheel .` built from it (offline, as make does)."""
    copy = tmp_path_factory.mktemp("checkout") / "register"
    for name in tracked_files():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, copy / name)
    before = tree(copy)
    out = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--no-build-isolation", "--no-index", "--wheel-dir", str(out), "."],
                   cwd=copy, check=True, capture_output=True)
    assert tree(copy) == before, "pip wheel . changed the checkout"
    (built,) = out.glob("microcred-*.whl")
    return copy, built


def test_pip_wheel_leaves_the_tree_as_committed(wheel):
    copy, _ = wheel
    assert sorted(p.name for p in (copy / "build").iterdir()) == ["microcred"]


def test_the_wheel_holds_every_file_of_the_package(wheel):
    copy, built = wheel
    package = copy / "build" / "microcred"
    expected = {f"microcred/{name}" for name in tree(package)}
    with zipfile.ZipFile(built) as z:
        names = {n for n in z.namelist() if not n.startswith("microcred-")}
        entry_points = z.read(next(n for n in z.namelist() if n.endswith("entry_points.txt"))).decode()
    assert names == expected  # templates and vocabularies too; nothing from outside the package
    assert "microcred = microcred.cli:run" in entry_points


def locked() -> dict[str, str]:
    """Package name -> version, as requirements.lock pins them (tools/newest.py reads it the same way)."""
    return newest.pins(LOCK.read_text("utf-8"))


def test_every_pin_of_the_lock_has_hashes_and_the_lock_covers_pyproject():
    pins = locked()
    hashed = re.findall(r"^[A-Za-z0-9._-]+==\S+ \\\n\s+--hash=sha256:[0-9a-f]{64}", LOCK.read_text("utf-8"), re.M)
    assert len(hashed) == len(pins) > 50  # each pin carries its hashes (pip --require-hashes)
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    wanted = [*project["project"]["dependencies"], *project["project"]["optional-dependencies"]["test"],
              *project["build-system"]["requires"]]
    for line in wanted:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in requirements.lock: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), f"{name}=={pins[name]} vs {line}"


def test_what_is_installed_is_the_lock():
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    drift = {name: (version, installed.get(name)) for name, version in locked().items()
             if installed.get(name) != version}
    assert not drift, f"installed versions differ from requirements.lock (locked, installed): {drift}; run `make test`"


def test_every_make_target_the_readme_and_docs_name_is_one_make_can_run():
    # a comment that lost its '#' once turned `make lock` into "No rule to make target 'the'"
    if shutil.which("make") is None:
        pytest.skip("no make on this machine")
    makefile = (REPO / "Makefile").read_text("utf-8")
    phony = re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()
    assert "lock" in phony and "test" in phony
    for target in phony:
        done = subprocess.run(["make", "-n", target], cwd=REPO, capture_output=True, text=True)
        assert done.returncode == 0, f"make {target}: {done.stderr}"
