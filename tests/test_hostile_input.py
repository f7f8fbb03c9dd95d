"""Hostile pull requests: a committed corpus of files that must be refused, each with its exact message."""

from clihelp import run_cli
from conftest import FIXTURES
from test_validate_cli import golden

HOSTILE = FIXTURES / "hostile"


def test_hostile_corpus_is_refused_with_exact_messages():
    code, out, err = run_cli(["validate", "catalogue"], HOSTILE / "refused")
    assert code == 1
    assert "Traceback" not in out + err
    golden("validate-hostile.txt", out)


def test_every_hostile_file_is_refused():
    _, out, _ = run_cli(["validate", "catalogue"], HOSTILE / "refused")
    refused = {line.split(":", 1)[0] for line in out.splitlines()[:-1]}
    corpus = {f"catalogue/{p.parent.name}/{p.name}" for p in (HOSTILE / "refused/catalogue").glob("*/*.yaml")
              if p.name != "provider.yaml"}
    assert corpus - refused == set()
