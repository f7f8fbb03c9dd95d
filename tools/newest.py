"""Run the tests against the newest versions pyproject.toml allows, and name the package that broke them.

    python tools/newest.py            # what .github/workflows/newest.yml runs every week

requirements.lock pins what `make` installs, so a new release of a dependency
never breaks a fresh checkout by surprise. This finds such a release before the
next `make lock` does:

1. a fresh virtual environment with the newest allowed versions of everything;
2. the test suite; if it passes, the upgrades are listed and that is all;
3. if it fails, for each upgraded package alone: a fresh environment from the
   lock with only that package (and whatever it needs) upgraded, and the tests
   again. The packages whose upgrade alone fails the tests are named.

The report goes to stdout and, in GitHub Actions, to the job summary. Exit 0:
the newest versions pass; 1: they fail (the report says which package broke).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import venv
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LOCK = REPO / "requirements.lock"
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s\\;]+)", re.M)


def canonical(name: str) -> str:
    """A package name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock_text: str) -> dict[str, str]:
    """Package -> version, as a pip-compile lock file pins them."""
    return {canonical(name): version for name, version in PIN.findall(lock_text)}


@dataclass(frozen=True)
class Upgrade:
    name: str
    locked: str
    newest: str


def upgrades(locked: dict[str, str], installed: dict[str, str]) -> list[Upgrade]:
    """The packages whose installed version differs from the lock, by name."""
    return [Upgrade(name, version, installed[name]) for name, version in sorted(locked.items())
            if name in installed and installed[name] != version]


def report(upgraded: list[Upgrade], passed: bool, culprits: dict[str, bool] | None = None) -> str:
    """The Markdown report: what moved, and which upgrade alone fails the tests."""
    out = ["## Tests against the newest dependency versions", ""]
    if not upgraded:
        out.append("Every dependency is already at its newest allowed version: nothing to test.")
        return "\n".join(out) + "\n"
    out.append(("✅ The tests pass" if passed else "❌ The tests fail") +
               f" with {len(upgraded)} package{'s' if len(upgraded) != 1 else ''} newer than requirements.lock.")
    out += ["", "| package | locked | newest |" + ("" if culprits is None else " tests with only this upgrade |"),
            "|---|---|---|" + ("" if culprits is None else "---|")]
    for u in upgraded:
        row = f"| {u.name} | {u.locked} | {u.newest} |"
        if culprits is not None:
            row += " pass |" if culprits.get(u.name) else " **fail** |"
        out.append(row)
    if passed:
        out += ["", "Refresh the lock with `make lock` and commit it."]
    elif culprits is not None:
        broke = [u for u in upgraded if not culprits.get(u.name)]
        if broke:
            out += ["", "Broken by: " + ", ".join(f"**{u.name}** {u.locked} → {u.newest}" for u in broke) + "."]
        else:
            out += ["", "No single upgrade fails the tests: the failure needs several of them together."]
    return "\n".join(out) + "\n"


# --- environments and test runs ------------------------------------------------------


class Environment:
    """A fresh virtual environment with the project installed (editable) into it."""

    def __init__(self, folder: Path):
        venv.EnvBuilder(with_pip=True, clear=True).create(folder)
        self.python = str(folder / "bin" / "python")

    def pip(self, *args: str) -> None:
        subprocess.run([self.python, "-m", "pip", "--disable-pip-version-check", "-q", *args], cwd=REPO, check=True)

    def from_lock(self) -> "Environment":
        self.pip("install", "--require-hashes", "--no-deps", "-r", str(LOCK))
        self.pip("install", "--no-deps", "--no-build-isolation", "--no-index", "-e", ".")
        return self

    def versions(self) -> dict[str, str]:
        listed = subprocess.run([self.python, "-m", "pip", "list", "--format", "json"], capture_output=True,
                                check=True, text=True).stdout
        return {canonical(p["name"]): p["version"] for p in json.loads(listed)}

    def tests_pass(self, *pytest_args: str) -> bool:
        return subprocess.run([self.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *pytest_args],
                              cwd=REPO).returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pytest_args", nargs="*", help="passed on to pytest")
    args = parser.parse_args()
    locked = pins(LOCK.read_text("utf-8"))
    work = Path(tempfile.mkdtemp(prefix="newest-"))
    try:
        newest = Environment(work / "newest")
        newest.pip("install", "--upgrade", "--upgrade-strategy", "eager", "-e", ".[test]")
        upgraded = upgrades(locked, newest.versions())
        passed = not upgraded or newest.tests_pass(*args.pytest_args)
        culprits = None
        if not passed:
            culprits = {}
            for u in upgraded:
                alone = Environment(work / f"only-{u.name}").from_lock()
                alone.pip("install", f"{u.name}=={u.newest}")
                culprits[u.name] = alone.tests_pass("-x", *args.pytest_args)
                shutil.rmtree(work / f"only-{u.name}", ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(upgraded, passed, culprits)
    print(text)
    if summary := os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(summary, "a", encoding="utf-8") as f:
            f.write(text)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
