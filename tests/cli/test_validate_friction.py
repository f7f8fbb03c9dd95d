"""What a coordinator met preparing their first entries (issue 14), as `microcred validate` reports it.

tests/fixtures/validate/friction/ holds one file per case: a workload in hours meant as ECTS, field
names no spelling distance finds, YAML mistakes, names where codes belong, a missing field, a single
value where a list belongs, http addresses, national framework levels. Every line is in the golden
file, word for word.
"""

import shutil

import pytest
from clihelp import run_cli
from conftest import FIXTURES
from goldenfiles import check as golden

FRICTION = FIXTURES / "validate" / "friction"
FOLDER = FRICTION / "catalogue" / "polderkust-hogeschool"


@pytest.mark.golden
def test_each_case_gets_a_message_that_says_what_to_write():
    code, out, err = run_cli(["validate", "catalogue"], FRICTION)
    assert (code, err) == (1, "")
    golden("validate-friction.txt", out)
    reported = {line.split(":", 1)[0] for line in out.splitlines()[:-1]}
    passing = {"provider.yaml", "nqf-free-text.yaml"}  # a country without a row in the NQF table: free text
    cases = {f"catalogue/polderkust-hogeschool/{p.name}" for p in FOLDER.glob("*.yaml") if p.name not in passing}
    assert cases <= reported  # every case file is reported: none passes silently
    assert not {f"catalogue/polderkust-hogeschool/{name}" for name in passing} & reported


def test_a_provider_folder_is_validated_like_its_files():
    code, out, _ = run_cli(["validate", "catalogue/polderkust-hogeschool"], FRICTION)
    files = sorted(str(p.relative_to(FRICTION)) for p in FOLDER.iterdir())
    assert (code, out) == run_cli(["validate", *files], FRICTION)[:2]
    assert "does not belong at the top of the catalogue" not in out
    assert "plain-http-institute" not in out  # another provider's folder is not checked
    assert out.splitlines()[-1].endswith(f"in {len(files)} files")
    assert "catalogue/polderkust-hogeschool/hours-meant-as-ects.yaml:5:19: warning:" in out


def test_a_provider_folder_from_inside_the_catalogue_and_from_inside_itself():
    _, whole, _ = run_cli(["validate", "catalogue/polderkust-hogeschool"], FRICTION)
    _, inside, _ = run_cli(["validate", "polderkust-hogeschool"], FRICTION / "catalogue")
    _, itself, _ = run_cli(["validate", "."], FOLDER)
    assert inside == whole.replace("catalogue/polderkust-hogeschool/", "polderkust-hogeschool/")
    assert itself == whole.replace("catalogue/polderkust-hogeschool/", "")


def test_a_provider_folder_gets_the_checks_across_files_that_involve_it():
    broken = FIXTURES / "validate" / "broken"
    code, out, _ = run_cli(["validate", "catalogue/acme"], broken)
    assert code == 1
    lines = out.splitlines()
    # ids reused and claimed twice: found across the folder's files
    assert any(line.endswith("[id-reused]") for line in lines)
    assert any(line.endswith("[duplicate-id]") for line in lines)
    assert all(line.startswith("catalogue/acme/") for line in lines[:-1])
    # the folder's own problems: a folder without provider.yaml, a folder name that is not an id
    assert run_cli(["validate", "catalogue/orphan"], broken)[1] == (
        "catalogue/orphan/provider.yaml:1:1: error: folder 'orphan' has no provider.yaml "
        "(run: microcred new-provider orphan) [missing-provider]\n1 error, 0 warnings in 1 file\n")
    assert run_cli(["validate", "catalogue/Upper_Case"], broken)[1].startswith(
        "catalogue/Upper_Case:1:1: error: folder name 'Upper_Case' is not a valid id")


def test_provider_folders_and_files_together_but_a_catalogue_alone(tmp_path):
    code, out, _ = run_cli(["validate", "catalogue/polderkust-hogeschool", "catalogue/plain-http-institute"], FRICTION)
    assert "plain-http-institute/provider.yaml:5:10: warning: website:" in out
    code, _, err = run_cli(["validate", "catalogue", "catalogue/polderkust-hogeschool"], FRICTION)
    assert code == 2 and "give one catalogue folder, or provider folders and catalogue files" in err


def test_a_clean_provider_folder_passes(tmp_path):
    shutil.copytree(FIXTURES / "validate" / "good" / "catalogue", tmp_path / "catalogue")
    code, out, _ = run_cli(["validate", "--strict", "catalogue/nordlicht-academy"], tmp_path)
    assert (code, out) == (0, "0 errors, 0 warnings in 4 files\n")
