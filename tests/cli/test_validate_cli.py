"""`microcred validate` as a provider and CI meet it: exact lines, exit codes, formats."""

import json
import os
import shutil
from pathlib import Path

import pytest
from clihelp import run_cli
from conftest import FIXTURES, REPO
from goldenfiles import GOLDEN, check as golden

from microcred.contract import yamlload, yamlplain
from microcred.contract.problems import KINDS

VALIDATE = FIXTURES / "validate"

# Codes whose fixtures cannot be committed as files (or belong to other commands), with the test that covers them.
COVERED_ELSEWHERE = {
    "file-too-large": "test_file_over_one_mebibyte_is_refused",
    "codeowners-stale": "tests of `microcred codeowners`",
    "credential-deleted": "tests of `microcred diff`",
}


@pytest.mark.golden
def test_broken_catalogue_reports_every_problem_with_its_position():
    code, out, err = run_cli(["validate", "catalogue"], VALIDATE / "broken")
    assert code == 1
    assert err == ""
    golden("validate-broken.txt", out)
    assert out.splitlines()[-1].endswith("in 41 files")


@pytest.mark.golden
def test_github_format_prints_annotations():
    code, out, _ = run_cli(["validate", "--format", "github", "catalogue"], VALIDATE / "broken")
    assert code == 1
    golden("validate-broken.github.txt", out)
    assert "::error file=catalogue/acme/python-tag.yaml,line=1,col=8,title=yaml-tag::" in out


def test_json_format_agrees_with_text():
    _, text, _ = run_cli(["validate", "catalogue"], VALIDATE / "broken")
    code, out, _ = run_cli(["validate", "--format", "json", "catalogue"], VALIDATE / "broken")
    assert code == 1
    report = json.loads(out)
    assert len(report["problems"]) == len(text.splitlines()) - 1
    assert report["files"] == 41
    first = report["problems"][0]
    assert set(first) == {"code", "file", "line", "column", "message", "path", "hint", "severity"}


def test_every_problem_code_is_exercised():
    # in a golden report of any command: validate-*.txt, and e.g. the spreadsheet import's messages
    seen = set()
    for path in GOLDEN.glob("*.txt"):
        seen |= {line.rsplit("[", 1)[1].rstrip("]") for line in path.read_text("utf-8").splitlines() if line.endswith("]")}
    assert set(KINDS) - seen - set(COVERED_ELSEWHERE) == set()


def test_good_catalogue_passes_strict():
    code, out, _ = run_cli(["validate", "--strict", "catalogue"], VALIDATE / "good")
    assert (code, out) == (0, "0 errors, 0 warnings in 4 files\n")


def test_warnings_fail_only_with_strict(tmp_path):
    shutil.copytree(VALIDATE / "good" / "catalogue", tmp_path / "catalogue")
    course = tmp_path / "catalogue" / "nordlicht-academy" / "automation-technician.yaml"
    course.write_text(course.read_text() + "review_by: 2020-01-31\n")
    code, out, _ = run_cli(["validate", "catalogue"], tmp_path)
    assert code == 0
    assert out.splitlines() == [
        "catalogue/nordlicht-academy/automation-technician.yaml:14:12: warning: review_by: the review date "
        "2020-01-31 has passed; check the entry and set a new review_by [review-overdue]",
        "0 errors, 1 warning in 4 files",
    ]
    code, _, _ = run_cli(["validate", "--strict", "catalogue"], tmp_path)
    assert code == 1


@pytest.mark.parametrize("args", [["validate", "no-such-folder"], ["validate", "--format", "xml"], ["frobnicate"]])
def test_usage_errors_exit_2_without_traceback(args):
    code, out, err = run_cli(args, VALIDATE / "good")
    assert code == 2
    assert "Traceback" not in out + err
    assert "error" in err


def test_file_over_one_mebibyte_is_refused(tmp_path):
    shutil.copytree(VALIDATE / "good" / "catalogue", tmp_path / "catalogue")
    big = tmp_path / "catalogue" / "nordlicht-academy" / "huge.yaml"
    big.write_bytes(b"title: " + b"a" * (1 << 20) + b"\n")
    code, out, _ = run_cli(["validate", "catalogue"], tmp_path)
    assert code == 1
    assert out.splitlines()[0] == (
        "catalogue/nordlicht-academy/huge.yaml:1:1: error: file is 1,048,584 bytes; "
        "at most 1,048,576 bytes are allowed [file-too-large]")


def test_validating_single_files_reports_only_those(tmp_path):
    broken = VALIDATE / "broken"
    code, out, _ = run_cli(["validate", "catalogue/acme/unresolved.yaml", "catalogue/acme/unknown-field.yaml"], broken)
    assert code == 1
    assert out.splitlines() == [
        "catalogue/acme/unknown-field.yaml:13:1: error: durration: unknown field 'durration' (did you mean 'duration'?) [unknown-field]",
        "catalogue/acme/unresolved.yaml:13:47: error: stackability.stacks_into[0]: no credential 'acme/no-such-course' in the register [unresolved-reference]",
        "catalogue/acme/unresolved.yaml:13:68: error: stackability.stacks_into[1]: a credential cannot stack into itself [unresolved-reference]",
        "3 errors, 0 warnings in 3 files",  # the two files and their provider.yaml
    ]


def test_single_file_reference_to_an_unparsed_credential_resolves():
    good = VALIDATE / "good"
    code, out, _ = run_cli(["validate", "--strict", "catalogue/nordlicht-academy/plc-programming.yaml"], good)
    assert (code, out) == (0, "0 errors, 0 warnings in 2 files\n")


def test_ids_differing_only_in_case_are_refused(tmp_path):
    # Made here, not committed: two such files cannot coexist in a checkout on macOS or Windows.
    shutil.copytree(VALIDATE / "good" / "catalogue", tmp_path / "catalogue")
    folder = tmp_path / "catalogue" / "nordlicht-academy"
    shutil.copy(folder / "automation-technician.yaml", folder / "Automation-Technician.yaml")
    code, out, _ = run_cli(["validate", "catalogue"], tmp_path)
    assert code == 1
    assert ("catalogue/nordlicht-academy/automation-technician.yaml:1:1: error: id 'nordlicht-academy/automation-technician' "
            "differs only in letter case from 'catalogue/nordlicht-academy/Automation-Technician.yaml' [duplicate-id]") in out.splitlines()


def test_problems_in_a_file_the_line_reader_reads_print_where_libyaml_puts_them(tmp_path, monkeypatch):
    """Most files are read a line at a time, without libyaml (contract/yamlplain.py): their problems
    print at the same file, line and column, with the same words, as when libyaml reads them."""
    shutil.copytree(REPO / "catalogue" / "polderkust-university", tmp_path / "catalogue" / "polderkust-university")
    path = tmp_path / "catalogue" / "polderkust-university" / "cloud-architecture-professional.yaml"
    text = path.read_text("utf-8")
    for written, wrong in (("  eqf: 6\n", "  eqf: 9\n"), ("participation: blended\n", "participation: hybrid\n"),
                           ("  - en: Automate infrastructure", "  - english: Automate infrastructure")):
        assert written in text
        text = text.replace(written, wrong)
    path.write_text(text, "utf-8")
    assert yamlplain.read(text) is not None
    code, out, _ = run_cli(["validate", "catalogue"], tmp_path)
    with monkeypatch.context() as libyaml_only:
        libyaml_only.setattr(yamlload, "read_plain", lambda text: None)
        assert run_cli(["validate", "catalogue"], tmp_path) == (code, out, "")
    assert code == 1
    shown = "catalogue/polderkust-university/cloud-architecture-professional.yaml"
    lines = out.splitlines()
    for line, column, problem in ((18, 5, "unknown-language"), (31, 8, "out-of-range"), (37, 16, "invalid-value")):
        assert any(entry.startswith(f"{shown}:{line}:{column}: error: ") and entry.endswith(f"[{problem}]")
                   for entry in lines), (line, column, problem, out)
