"""`.github/CODEOWNERS`: generated from provider.yaml maintainers, and checked by validation."""

from __future__ import annotations

import shutil

import pytest
import yaml

from microcred.settings import DEFAULT_MAINTAINERS
from microcred.validate import codeowners as co
from microcred.validate import validate
from microcred.validate.files import find_files
from provider_repo import FIXTURE, git, make_upstream, run


def rules(text: str) -> list[tuple[str, list[str]]]:
    return [(line.split()[0], line.split()[1:]) for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.fixture
def repo(tmp_path):
    return make_upstream(tmp_path)


def codeowners_problems(repo):
    return [p for p in validate(repo / "catalogue").problems if p.code == "codeowners-stale"]


def test_every_provider_folder_maps_to_exactly_its_maintainers(repo):
    text = (repo / co.CODEOWNERS).read_text("utf-8")
    got = dict(rules(text))
    assert got == {
        "*": list(DEFAULT_MAINTAINERS),
        "/catalogue/acme-academy/": ["@acme-jane", "@acme-bot"],
        "/catalogue/beta-uni/": ["@beta-admin"],
    }
    # the last matching pattern wins in CODEOWNERS: the fallback must come before the folders
    assert rules(text)[0][0] == "*"
    for pid, path in find_files(repo / "catalogue").provider_files.items():
        record = yaml.safe_load(path.read_text("utf-8"))
        assert got[f"/catalogue/{pid}/"] == [f"@{h}" for h in record["maintainers"]]


def test_an_up_to_date_codeowners_passes_validation(repo):
    assert validate(repo / "catalogue").problems == []


def test_changed_maintainers_make_codeowners_stale_at_the_folders_line(repo, monkeypatch):
    monkeypatch.chdir(repo)
    provider = repo / "catalogue/acme-academy/provider.yaml"
    provider.write_text(provider.read_text("utf-8").replace("acme-bot", "acme-robot"), "utf-8")
    [p] = codeowners_problems(repo)
    lines = (repo / co.CODEOWNERS).read_text("utf-8").splitlines()
    assert p.file == ".github/CODEOWNERS"
    assert lines[p.line - 1].startswith("/catalogue/acme-academy/ ")
    assert p.column == len("/catalogue/acme-academy/ ") + 1
    assert p.severity == "error"
    assert "/catalogue/acme-academy/ @acme-jane @acme-robot" in p.hint


def test_a_new_provider_without_a_line_is_stale(repo):
    shutil.copytree(repo / "catalogue/beta-uni", repo / "catalogue/gamma-labs")
    [p] = codeowners_problems(repo)
    assert "no line for catalogue/gamma-labs/" in p.message
    assert "/catalogue/gamma-labs/ @beta-admin" in p.hint


def test_a_line_for_a_removed_folder_is_stale(repo):
    shutil.rmtree(repo / "catalogue/beta-uni")
    [p] = codeowners_problems(repo)
    assert "'/catalogue/beta-uni/' is not a provider folder" in p.message
    assert p.line == len((repo / co.CODEOWNERS).read_text("utf-8").splitlines())


def test_wrong_fallback_duplicates_and_hand_edits_are_stale(repo):
    path = repo / co.CODEOWNERS
    good = path.read_text("utf-8")
    path.write_text(good.replace(f"* {DEFAULT_MAINTAINERS[0]}", "* @someone"), "utf-8")
    assert [p.message for p in codeowners_problems(repo)] == [f"fallback owners are not {DEFAULT_MAINTAINERS[0]}"]
    path.write_text(good + "/catalogue/beta-uni/ @beta-admin\n", "utf-8")
    assert "given twice" in codeowners_problems(repo)[0].message
    path.write_text(good.replace("# Do not edit by hand", "# Edited by hand"), "utf-8")
    [p] = codeowners_problems(repo)
    assert p.line == 2 and "differs from what `microcred codeowners` writes" in p.message
    # the fallback moved below the folders would override them (the last match wins)
    lines = good.splitlines()
    star = next(i for i, line in enumerate(lines) if line.startswith("* "))
    moved = lines[:star] + lines[star + 1:] + [lines[star]]
    path.write_text("\n".join(moved) + "\n", "utf-8")
    assert codeowners_problems(repo)


def test_fallback_owners_come_from_mkdocs_yml(repo):
    (repo / "mkdocs.yml").write_text("site_name: x\nextra:\n  register:\n    maintainers: [\"@org/team\", alice]\n")
    assert co.fallback_owners(repo) == ("@org/team", "@alice")
    [p] = codeowners_problems(repo)
    assert "* @org/team @alice" in p.hint


def test_no_check_without_codeowners_or_outside_the_repository_top(repo, tmp_path):
    (repo / co.CODEOWNERS).unlink()
    provider = repo / "catalogue/acme-academy/provider.yaml"
    provider.write_text(provider.read_text("utf-8").replace("acme-bot", "acme-robot"), "utf-8")
    assert codeowners_problems(repo) == []
    # a fixture catalogue deep inside a repository is not checked against that repository's file
    assert co.repository_of(FIXTURE / "catalogue") is None


def test_checking_single_files_checks_codeowners_only_with_a_provider_file(repo):
    provider = repo / "catalogue/acme-academy/provider.yaml"
    provider.write_text(provider.read_text("utf-8").replace("acme-bot", "acme-robot"), "utf-8")
    credential = repo / "catalogue/acme-academy/plc-basics.yaml"
    assert validate(repo / "catalogue", only=[credential]).problems == []
    assert [p.code for p in validate(repo / "catalogue", only=[provider]).problems] == ["codeowners-stale"]


def test_an_unreadable_provider_file_is_reported_by_validation_not_by_codeowners(repo):
    provider = repo / "catalogue/acme-academy/provider.yaml"
    provider.write_text("name: [unclosed\n", "utf-8")
    codes = [p.code for p in validate(repo / "catalogue").problems]
    assert "yaml-syntax" in codes and "codeowners-stale" not in codes


def test_command_writes_checks_and_refuses_unreadable_maintainers(tmp_path):
    repo = make_upstream(tmp_path, codeowners=False)
    check = run(repo, "codeowners", "--check")
    assert check.returncode == 1 and "[codeowners-stale]" in check.stdout
    wrote = run(repo, "codeowners")
    assert wrote.returncode == 0 and wrote.stdout == "wrote .github/CODEOWNERS\n"
    assert run(repo, "codeowners", "--check").returncode == 0
    assert run(repo, "codeowners").stdout == ".github/CODEOWNERS is up to date\n"
    git(repo, "add", "-A")  # a committed, current file passes validation
    assert run(repo, "validate").returncode == 0

    provider = repo / "catalogue/beta-uni/provider.yaml"
    provider.write_text(provider.read_text("utf-8").replace("[beta-admin]", "[\"not a handle\"]"), "utf-8")
    refused = run(repo, "codeowners")
    assert refused.returncode == 1
    assert "catalogue/beta-uni/provider.yaml:1:1: error: cannot read its maintainers" in refused.stderr
    assert "Traceback" not in refused.stderr
