"""Hostile pull requests: a corpus of files that must be refused, each with its exact message.

Most of the corpus is committed (tests/fixtures/hostile/refused). Names that Windows cannot
check out (reserved device names, trailing dots) are made at test time instead, so the
repository stays clonable everywhere.
"""

import shutil

import pytest

from clihelp import run_cli
from conftest import FIXTURES
from test_validate_cli import golden

HOSTILE = FIXTURES / "hostile"
# made at test time: (path under catalogue/, is a provider folder)
WINDOWS_HOSTILE = ["con/", "lpt1/", "trailing./", "evil/aux.yaml", "evil/com1.yaml", "evil/nul.yaml",
                   "evil/trailing-dot..yaml", "evil/course.yaml."]


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


def test_hostile_corpus_is_refused_with_exact_messages(corpus):
    code, out, err = run_cli(["validate", "catalogue"], corpus)
    assert code == 1
    assert "Traceback" not in out + err
    golden("validate-hostile.txt", out)


def test_every_hostile_file_and_folder_is_refused(corpus):
    _, out, _ = run_cli(["validate", "catalogue"], corpus)
    refused = {line.split(":", 1)[0] for line in out.splitlines()[:-1]}
    files = {f"catalogue/{p.parent.name}/{p.name}" for p in (corpus / "catalogue").glob("*/*.yaml*")
             if p.name != "provider.yaml"}
    folders = {f"catalogue/{p.name}" for p in (corpus / "catalogue").iterdir() if p.name != "evil"}
    assert files - refused == set()
    assert folders - refused == set()
