"""Hostile pull requests: a corpus of files that must be refused, each with its exact message.

Most of the corpus is committed (tests/fixtures/hostile/refused). Names that Windows cannot
check out (reserved device names, trailing dots, line breaks) are made at test time, so the
repository stays clonable everywhere.
"""

import re
import shutil

import pytest

from clihelp import run_cli
from conftest import FIXTURES
from goldenfiles import check as golden

HOSTILE = FIXTURES / "hostile"
# made at test time: (path under catalogue/, is a provider folder)
WINDOWS_HOSTILE = ["con/", "lpt1/", "trailing./", "evil/aux.yaml", "evil/com1.yaml", "evil/nul.yaml",
                   "evil/trailing-dot..yaml", "evil/course.yaml.", "evil/line\n::error::break.yaml"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("refused")
    shutil.copytree(HOSTILE / "refused", root, symlinks=True, dirs_exist_ok=True)  # keep the link a link
    catalogue = root / "catalogue"
    provider = (catalogue / "evil" / "provider.yaml").read_text("utf-8")
    valid = (catalogue / "evil" / "with space.yaml").read_text("utf-8")  # only its name is wrong
    for name in WINDOWS_HOSTILE:
        if name.endswith("/"):
            (catalogue / name).mkdir()
            (catalogue / name / "provider.yaml").write_text(provider, "utf-8")
        else:
            (catalogue / name).write_text(valid, "utf-8")
    return root


@pytest.mark.golden
def test_hostile_corpus_is_refused_with_exact_messages(corpus):
    code, out, err = run_cli(["validate", "catalogue"], corpus)
    assert code == 1
    assert "Traceback" not in out + err
    golden("validate-hostile.txt", out)


def test_each_problem_is_one_line_whatever_the_file_holds(corpus):
    # values and file names with line breaks must not start lines of their own: editors would
    # misread them, and CI runners obey lines starting with `::` (workflow commands)
    _, out, _ = run_cli(["validate", "catalogue"], corpus)
    lines = out.splitlines()
    assert all(line.startswith("catalogue/") for line in lines[:-1]) and "errors" in lines[-1]
    assert "catalogue/evil/line\\n::error::break.yaml:1:1: error:" in out


def test_every_hostile_file_and_folder_is_refused(corpus):
    _, out, _ = run_cli(["validate", "catalogue"], corpus)
    # FILE:LINE:COL: (a file name may hold ':' and an escaped line break)
    refused = {re.match(r"(.*?):\d+:\d+: error:", line).group(1).replace("\\n", "\n")
               for line in out.splitlines()[:-1]}
    files = {f"catalogue/{p.parent.name}/{p.name}" for p in (corpus / "catalogue").glob("*/*.yaml*")
             if p.name != "provider.yaml"}
    folders = {f"catalogue/{p.name}" for p in (corpus / "catalogue").iterdir() if p.name != "evil"}
    assert files - refused == set()
    assert folders - refused == set()
