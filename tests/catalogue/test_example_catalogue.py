"""The bundled example catalogue: valid, varied enough to show the register, and marked illustrative."""

from collections import Counter

import pytest
from conftest import REPO

from microcred.validate import validate

CATALOGUE = REPO / "catalogue"


@pytest.fixture(scope="module")
def result():
    return validate(CATALOGUE)


def test_example_catalogue_validates_without_errors_or_warnings(result):
    assert [p for p in result.problems] == []


def test_example_catalogue_covers_the_register(result):
    cat = result.catalogue
    creds = [c.record for c in cat.credentials.values()]
    assert len(creds) >= 15
    assert len(cat.providers) >= 5
    assert len({p.record.country for p in cat.providers.values()}) >= 4
    assert len({c.level.eqf for c in creds}) >= 5
    assert len({c.field for c in creds}) >= 5
    assert {c.participation for c in creds} >= {"online", "onsite", "blended"}
    assert len({lang for c in creds for lang in c.languages}) >= 3
    ects = [e.facets.ects_equivalent for e in cat.credentials.values()]
    assert min(ects) <= 1.5 and max(ects) >= 12
    assert any(c.stackability and c.stackability.stacks_into for c in creds)
    assert Counter(c.status for c in creds)["withdrawn"] >= 1


def test_every_provider_is_marked_illustrative(result):
    for provider in result.catalogue.providers.values():
        assert provider.record.illustrative is True, provider.file
        assert provider.record.website.split("/")[2].endswith(".example"), provider.file


def test_every_file_names_its_schema_for_editors():
    for path in CATALOGUE.glob("*/*.yaml"):
        kind = "provider" if path.name == "provider.yaml" else "credential"
        first = path.read_text("utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../../docs/schema/{kind}.schema.json", path
        assert (path.parent / "../../docs/schema" / f"{kind}.schema.json").resolve().exists()
