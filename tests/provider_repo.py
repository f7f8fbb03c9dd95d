"""A throw-away git repository holding a fixture catalogue, for the provider-path tests.

`upstream` plays the register on GitHub (branch main); `clone` plays the
checkout a pull-request job gets (actions/checkout with fetch-depth 0), where
origin/main is the base branch. Git runs with no user or system config and
with the identity given on the command line; nothing touches the network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "provider_path"
REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent  # where the venv's `microcred` script is

GIT_ENV = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test Provider", "-c", "user.email=provider@example.invalid",
         "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert done.returncode == 0, f"git {' '.join(args)} failed: {done.stderr}"
    return done.stdout


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, **GIT_ENV, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", **extra}


def run(cwd: Path, *args: str, **kw) -> subprocess.CompletedProcess:
    """`microcred ARGS` in cwd, as a user would type it."""
    return subprocess.run([str(BIN / "microcred"), *args], cwd=cwd, capture_output=True, text=True,
                          env=env(), **kw)


def make_upstream(tmp_path: Path, codeowners: bool = True) -> Path:
    from microcred.validate import codeowners as co
    from microcred.validate.files import find_files

    up = tmp_path / "upstream"
    shutil.copytree(FIXTURE, up)
    git(up, "init", "-q")
    if codeowners:
        (up / ".github").mkdir()
        cat = up / "catalogue"
        (up / co.CODEOWNERS).write_text(co.render(co.owners(up, cat, find_files(cat).provider_files)), "utf-8")
    git(up, "add", "-A")
    git(up, "commit", "-q", "-m", "register with two providers")
    return up


def clone(upstream: Path, tmp_path: Path, branch: str = "pr") -> Path:
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(upstream), str(work))
    git(work, "checkout", "-q", "-b", branch)
    return work


def commit_all(work: Path, message: str) -> None:
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", message)
