"""`microcred export` and openapi.yaml."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi
from openapi_spec_validator.readers import read_from_filename

from clihelp import run_cli
from conftest import REPO
from opendatahelp import no_network  # noqa: F401 (autouse: no test here reaches the network)
from opendatahelp import FIXTURE, load



@pytest.fixture
def register(tmp_path) -> Path:
    """A register folder: mkdocs.yml and a catalogue, outside any git checkout."""
    shutil.copytree(FIXTURE, tmp_path / "register" / "catalogue")
    (tmp_path / "register" / "mkdocs.yml").write_text(
        "site_name: Test Register\nsite_url: https://register.example/\n"
        "repo_url: https://github.com/example/register\n"
        "extra:\n  register:\n    data_licence: CC-BY-4.0\n", "utf-8")
    return tmp_path / "register"


def test_export_writes_the_open_data(register, tmp_path):
    code, out, err = run_cli(["export", "--output", tmp_path / "out"], register)
    assert (code, err) == (0, "")
    assert "wrote" in out and "3 credentials and 2 providers" in out
    index = load(tmp_path / "out" / "index.json")
    assert index["licence"]["id"] == "CC-BY-4.0"  # from mkdocs.yml
    assert index["self"] == "https://register.example/api/v1/index.json"


def test_export_replaces_an_earlier_export_but_nothing_else(register, tmp_path):
    assert run_cli(["export", "-o", tmp_path / "out"], register)[0] == 0
    (tmp_path / "out" / "stale.json").write_text("{}", "utf-8")
    assert run_cli(["export", "-o", tmp_path / "out"], register)[0] == 0
    assert not (tmp_path / "out" / "stale.json").exists()
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "index.json").write_text("{}", "utf-8")  # not ours
    (tmp_path / "other" / "keep.txt").write_text("mine", "utf-8")
    code, _, err = run_cli(["export", "-o", tmp_path / "other"], register)
    assert code == 2 and "not empty" in err and "Traceback" not in err
    assert (tmp_path / "other" / "keep.txt").read_text("utf-8") == "mine"
    code, _, err = run_cli(["export", "-o", register], register)
    assert code == 2 and "outside the catalogue" in err


def test_export_writes_nothing_when_the_catalogue_has_errors(register, tmp_path):
    (register / "catalogue" / "fixture-academy" / "minimal.yaml").write_text("title: [broken\n", "utf-8")
    code, out, err = run_cli(["export", "-o", tmp_path / "out"], register)
    assert code == 1
    assert "minimal.yaml:2:1: error:" in err and "nothing written" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_export_explains_a_missing_mkdocs_yml(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "catalogue")
    code, _, err = run_cli(["export", "-o", tmp_path / "out"], tmp_path)
    assert code == 2 and "mkdocs.yml" in err and "--repo" in err


def test_openapi_document_is_valid_and_its_schema_refs_resolve(register, tmp_path):
    assert run_cli(["export", "-o", tmp_path / "out"], register)[0] == 0
    spec, base = read_from_filename(str(tmp_path / "out" / "openapi.yaml"))
    validate_openapi(spec, base_uri=base)  # resolves schemas/*.json next to it, offline
    assert spec["servers"] == [{"url": "https://register.example/api/v1"}]
    for path in spec["paths"]:
        if "{" not in path:
            assert (tmp_path / "out" / path.lstrip("/")).is_file(), path


def test_the_repository_mkdocs_yml_gives_a_working_export(tmp_path):
    if not (REPO / "catalogue").is_dir():
        pytest.skip("no example catalogue in this checkout")
    code, out, err = run_cli(["export", "-o", tmp_path / "out"], REPO)
    assert code == 0, err
    assert yaml.safe_load((tmp_path / "out" / "openapi.yaml").read_text("utf-8"))["openapi"] == "3.1.0"


def test_builds_in_separate_processes_are_byte_identical(register, tmp_path):
    # different hash seeds and working folders: nothing may depend on set order or where it runs
    import filecmp
    import os
    import subprocess
    import sys

    trees = []
    for seed, cwd in (("1", register), ("4242", tmp_path)):
        out = tmp_path / f"out-{seed}"
        environment = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "1790000000"}
        subprocess.run([sys.executable, "-m", "microcred", "export", "-o", str(out),
                        "--catalogue", str(register / "catalogue")], cwd=cwd, env=environment,
                       check=True, capture_output=True)
        trees.append(out)
    files = sorted(p.relative_to(trees[0]).as_posix() for p in trees[0].rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(trees[1]).as_posix() for p in trees[1].rglob("*") if p.is_file())
    assert filecmp.cmpfiles(trees[0], trees[1], files, shallow=False)[1:] == ([], [])
