"""tools/newest.py, which the weekly workflow runs: how it reads the lock and names what broke."""

from __future__ import annotations

from conftest import REPO, tool

newest = tool("newest")

LOCK = """\
#    pip-compile --generate-hashes ...
PyYAML==6.0.3 \\
    --hash=sha256:aaaa \\
    --hash=sha256:bbbb
    # via microcred (pyproject.toml)
jinja2==3.1.6 \\
    --hash=sha256:cccc
markdown_it_py==4.0.0 \\
    --hash=sha256:dddd
"""


def test_pins_are_read_by_their_canonical_names():
    assert newest.pins(LOCK) == {"pyyaml": "6.0.3", "jinja2": "3.1.6", "markdown-it-py": "4.0.0"}


def test_the_repository_lock_is_read_whole():
    pins = newest.pins((REPO / "requirements.lock").read_text("utf-8"))
    assert {"pyyaml", "pydantic", "mkdocs", "pagefind", "hatchling"} <= set(pins)


def test_upgrades_are_the_packages_whose_version_moved():
    moved = newest.upgrades(newest.pins(LOCK), {"pyyaml": "6.0.4", "jinja2": "3.1.6", "markdown-it-py": "4.0.0",
                                                "extra": "1.0"})
    assert moved == [newest.Upgrade("pyyaml", "6.0.3", "6.0.4")]


def test_the_report_names_the_package_that_broke_the_tests():
    moved = [newest.Upgrade("jinja2", "3.1.6", "3.2.0"), newest.Upgrade("pyyaml", "6.0.3", "6.0.4")]
    text = newest.report(moved, passed=False, culprits={"jinja2": True, "pyyaml": False})
    assert "❌ The tests fail with 2 packages newer than requirements.lock." in text
    assert "| pyyaml | 6.0.3 | 6.0.4 | **fail** |" in text and "| jinja2 | 3.1.6 | 3.2.0 | pass |" in text
    assert text.rstrip().endswith("Broken by: **pyyaml** 6.0.3 → 6.0.4.")


def test_the_report_says_when_only_upgrades_together_break_the_tests():
    moved = [newest.Upgrade("jinja2", "3.1.6", "3.2.0")]
    text = newest.report(moved, passed=False, culprits={"jinja2": True})
    assert "No single upgrade fails the tests" in text


def test_a_passing_run_asks_for_a_new_lock():
    text = newest.report([newest.Upgrade("jinja2", "3.1.6", "3.2.0")], passed=True)
    assert "✅ The tests pass with 1 package newer" in text and "make lock" in text
