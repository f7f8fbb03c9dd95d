"""Committed generated files (schemas, reference pages) must match the code that generates them."""

import json

import jsonschema
import pytest
from conftest import FIXTURES, REPO

from microcred.authoring.generate import stale
from microcred.contract.yamlload import parse


def test_committed_generated_files_are_up_to_date():
    assert stale(REPO) == [], "run `microcred generate` and commit the result"


def test_problem_codes_page_lists_every_code():
    from microcred.contract.problems import KINDS

    page = (REPO / "docs/reference/problems.md").read_text()
    for code in KINDS:
        assert f"## {code}\n" in page


@pytest.mark.parametrize("kind", ["credential", "provider"])
def test_published_schema_accepts_valid_files_and_refuses_unknown_keys(kind):
    schema = json.loads((REPO / f"docs/schema/{kind}.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted((FIXTURES / "validate/good/catalogue").glob("*/*.yaml"))
    files = [f for f in files if (f.name == "provider.yaml") == (kind == "provider")]
    assert files
    for f in files:
        data = json.loads(json.dumps(parse(str(f), f.read_bytes()).data, default=str))
        assert list(validator.iter_errors(data)) == [], f
        assert list(validator.iter_errors({**data, "colour": "red"})), "unknown keys must be refused"
