"""The open data under api/v1: records, envelopes, schemas, nothing lost, nothing random."""

from __future__ import annotations

import filecmp
import json
import typing
from pathlib import Path

import pytest
import yaml
from pydantic import BaseModel

from conftest import REPO

from microcred.contract.models import Credential, Provider
from microcred.errors import OpenDataError
from microcred.opendata.writer import Writer
from microcred.opendata.records import DERIVED_CREDENTIAL, DERIVED_PROVIDER
from microcred.validate import validate
from opendatahelp import no_network  # noqa: F401 (autouse: no test here reaches the network)
from opendatahelp import (API, FIXTURE, copy_catalogue, env, envelopes, export, leaves, load,
                          schema_validator)

EXAMPLES = REPO / "catalogue"
EPOCH = "1790000000"  # 2026-09-21T14:13:20Z


@pytest.fixture(scope="module")
def fixture_api(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("fixture")
    with env(SOURCE_DATE_EPOCH=EPOCH):
        return export(copy_catalogue(FIXTURE, base / "catalogue"), base / "api")


@pytest.fixture(scope="module")
def example_api(tmp_path_factory) -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip("no example catalogue in this checkout")
    with env(SOURCE_DATE_EPOCH=EPOCH):
        return export(EXAMPLES, tmp_path_factory.mktemp("examples") / "api")


# --- the published schemas, checked by jsonschema ------------------------------


@pytest.mark.parametrize("which", ["fixture_api", "example_api"])
def test_every_response_is_valid_against_the_published_schemas(which, request):
    api = request.getfixturevalue(which)
    envelope = schema_validator(api, "envelope.schema.json")
    record = schema_validator(api, "credential-record.schema.json")
    provider = schema_validator(api, "provider-record.schema.json")
    responses = envelopes(api)
    assert "index.json" in responses and "credentials.json" in responses
    for rel, doc in responses.items():
        errors = [f"{rel}: {'/'.join(map(str, e.absolute_path))}: {e.message}" for e in envelope.iter_errors(doc)]
        assert not errors, errors[:5]
    for doc in responses["credentials.json"]["data"]:
        assert not list(record.iter_errors(doc)), doc["id"]
    for doc in responses["providers.json"]["data"]:
        assert not list(provider.iter_errors(doc)), doc["id"]


def test_the_envelope_schema_rejects_a_broken_record(fixture_api):
    envelope = schema_validator(fixture_api, "envelope.schema.json")
    doc = load(fixture_api / "credentials/fixture-academy/minimal.json")
    assert envelope.is_valid(doc)
    del doc["data"]["title"]
    assert not envelope.is_valid(doc)  # so the valid verdicts above mean something
    doc = load(fixture_api / "credentials/fixture-academy/minimal.json")
    doc["data"]["history"]["added"] = "yesterday"
    assert not envelope.is_valid(doc)  # date-time formats are checked


def test_catalogue_files_are_valid_against_the_published_file_schema(fixture_api):
    credential = schema_validator(fixture_api, "credential-file.schema.json")
    provider = schema_validator(fixture_api, "provider-file.schema.json")
    for path in FIXTURE.rglob("*.yaml"):
        # BaseLoader keeps every scalar as text; JSON Schema needs the typed values, so use json round trip
        data = json.loads(json.dumps(yaml.safe_load(path.read_text("utf-8")), default=str))
        validator = provider if path.name == "provider.yaml" else credential
        assert not list(validator.iter_errors(data)), path.name


def test_one_envelope_shared_by_every_response(fixture_api):
    responses = envelopes(fixture_api)
    shapes = {frozenset(doc) - {"count"} for doc in responses.values()}
    assert len(shapes) == 1
    for rel, doc in responses.items():
        assert doc["self"] == API + rel
        assert doc["generated_at"] == "2026-09-21T14:13:20Z"
        assert doc["licence"] == {"id": "CC0-1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
        assert doc["api_version"] == "v1" and doc["schema_version"]
        if isinstance(doc["data"], list):
            assert doc["count"] == len(doc["data"])


def test_index_links_to_every_file(fixture_api):
    index = load(fixture_api / "index.json")["data"]
    for name, url in {**index["links"], **index["schemas"]}.items():
        if url.startswith(API) and "{" not in url:
            assert (fixture_api / url.removeprefix(API)).is_file(), name
    assert index["counts"] == {"credentials": 3, "providers": 2, "aliases": 1,
                               "active": 1, "suspended": 1, "withdrawn": 1}


# --- nothing lost --------------------------------------------------------------




def _same(written: str, published) -> bool:
    if isinstance(published, bool):
        return written.lower() == str(published).lower()
    if isinstance(published, (int, float)):
        return float(written) == published
    if published is None:
        return written in ("", "~", "null", "Null", "NULL")
    return written == published


def _walk_every_value(catalogue: Path, api: Path) -> int:
    found = 0
    for path in sorted(catalogue.rglob("*.yaml")):
        written = yaml.load(path.read_text("utf-8"), Loader=yaml.BaseLoader)
        rel = path.relative_to(catalogue)
        if path.name == "provider.yaml":
            record = load(api / "providers" / f"{rel.parent}.json")["data"]
        else:
            record = load(api / "credentials" / rel.with_suffix(".json"))["data"]
            listed = {r["id"]: r for r in load(api / "credentials.json")["data"]}
            assert listed[record["id"]] == record  # the bulk file carries the same record
        for keys, text in leaves(written):
            value = record
            for k in keys:
                value = value[k]
            assert _same(text, value), f"{rel}: {keys}: wrote {text!r}, published {value!r}"
            found += 1
    return found


def test_every_value_of_the_fixture_is_in_its_record(fixture_api):
    assert _walk_every_value(FIXTURE, fixture_api) > 100


def test_every_value_of_the_examples_is_in_its_record(example_api):
    assert _walk_every_value(EXAMPLES, example_api) > 500


def _fields(model: type[BaseModel], prefix="") -> set[str]:
    """Dotted names of every field of a model and of the models inside it."""
    out = set()
    for name, info in model.model_fields.items():
        out.add(prefix + name)
        inner = [a for a in typing.get_args(info.annotation) or (info.annotation,)]
        for arg in inner:
            while typing.get_origin(arg) in (list, typing.Union, typing.Annotated) or typing.get_args(arg):
                args = [a for a in typing.get_args(arg) if a is not type(None)]
                if not args:
                    break
                arg = args[0]
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                out |= _fields(arg, prefix + name + ".")
    return out


def _written(data, prefix="") -> set[str]:
    out = set()
    if isinstance(data, list):
        for item in data:
            out |= _written(item, prefix)
    elif isinstance(data, dict):
        for k, v in data.items():
            out.add(prefix + k)
            out |= _written(v, prefix + k + ".")
    return out


def test_the_fixture_fills_every_field_of_the_model():
    # otherwise "nothing lost" would not cover a field added to the model later
    everything = yaml.safe_load((FIXTURE / "fixture-academy/everything.yaml").read_text("utf-8"))
    provider = yaml.safe_load((FIXTURE / "fixture-academy/provider.yaml").read_text("utf-8"))
    assert _fields(Credential) - _written(everything) == set()
    assert _fields(Provider) - _written(provider) == set()


def test_derived_fields_never_shadow_a_written_field():
    from microcred.opendata.schemas import CREDENTIAL_DERIVED, PROVIDER_DERIVED

    assert not set(DERIVED_CREDENTIAL) & set(Credential.model_fields)
    assert not set(DERIVED_PROVIDER) & set(Provider.model_fields)
    assert set(CREDENTIAL_DERIVED) == set(DERIVED_CREDENTIAL)  # the schema describes each one
    assert set(PROVIDER_DERIVED) == set(DERIVED_PROVIDER)


def test_text_is_carried_unaltered(fixture_api):
    record = load(fixture_api / "credentials/fixture-academy/everything.json")["data"]
    assert record["title"] == '=HYPERLINK("https://evil.example","Click") Everything course'
    assert '<script>alert("x")</script>' in record["description"]
    assert "line\u2028separator" in record["keywords"] and "\ttab first" in record["keywords"]
    raw = (fixture_api / "credentials/fixture-academy/everything.json").read_text("utf-8")
    assert "\\ttab first" in raw and "🎓" in raw and "＝full-width" in raw  # escaped where JSON must, readable elsewhere


def test_defaults_are_filled_and_derived_fields_added(fixture_api):
    record = load(fixture_api / "credentials/fixture-academy/minimal.json")["data"]
    assert record["status"] == "active" and record["self_paced"] is False
    assert record["countries"] == ["DE"]  # the provider's country
    assert record["description"] is None and record["skills"] == []
    assert record["stacked_from"] == ["fixture-academy/everything"]
    assert record["uris"]["eqf"] == "http://data.europa.eu/snb/eqf/2"
    assert record["uris"]["isced_f"] == "http://data.europa.eu/snb/isced-f/06"
    assert record["uris"]["countries"] == ["http://publications.europa.eu/resource/authority/country/DEU"]
    assert record["uris"]["languages"] == ["http://publications.europa.eu/resource/authority/language/ENG"]
    assert record["urls"] == {"page": "https://register.example/credentials/fixture-academy/minimal/",
                              "api": API + "credentials/fixture-academy/minimal.json",
                              "source": "https://github.com/example/register/blob/HEAD/catalogue/"
                                        "fixture-academy/minimal.yaml"}
    assert record["provider"]["illustrative"] is True
    assert record["history"] == {"added": None, "modified": None, "from": "record"}  # no date known


def test_withdrawn_credentials_stay_and_old_ids_redirect(fixture_api):
    record = load(fixture_api / "credentials/fixture-academy/everything.json")["data"]
    assert (record["status"], record["withdrawn_on"]) == ("withdrawn", "2026-06-30")
    old = load(fixture_api / "credentials/fixture-academy/old-everything.json")
    assert old["type"] == "redirect"
    assert old["data"]["redirect_to"] == "fixture-academy/everything"
    index = load(fixture_api / "index.json")["data"]
    assert index["aliases"] == {"fixture-academy/old-everything": "fixture-academy/everything"}


def test_facets_json_counts_what_the_site_counts(fixture_api, tmp_path):
    facets = load(fixture_api / "facets.json")["data"]
    result = validate(copy_catalogue(FIXTURE, tmp_path / "catalogue"))
    assert facets["counts"] == result.catalogue.counts
    assert facets["labels"]["level"]["eqf-5"] == "EQF level 5"
    assert facets["labels"]["provider"]["second-provider"] == "Second Provider"


def test_provider_record_lists_its_credentials(fixture_api):
    provider = load(fixture_api / "providers/fixture-academy.json")["data"]
    assert [c["id"] for c in provider["credentials"]] == ["fixture-academy/everything", "fixture-academy/minimal"]
    assert provider["uris"]["country"].endswith("/country/DEU")


# --- nothing random ------------------------------------------------------------


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def test_two_builds_are_byte_identical(tmp_path):
    catalogue = copy_catalogue(FIXTURE, tmp_path / "catalogue")
    with env(SOURCE_DATE_EPOCH=EPOCH):
        first = export(catalogue, tmp_path / "one")
        second = export(catalogue, tmp_path / "two")
    assert _tree(first) == _tree(second)
    files = [p for p in _tree(first) if (first / p).is_file()]
    match, mismatch, errors = filecmp.cmpfiles(first, second, files, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert len(match) == len(files) > 10


def test_licence_is_configurable(tmp_path):
    catalogue = copy_catalogue(FIXTURE, tmp_path / "catalogue")
    with env(SOURCE_DATE_EPOCH=EPOCH):
        api = export(catalogue, tmp_path / "api", licence="CC-BY-4.0")
    for doc in envelopes(api).values():
        assert doc["licence"]["id"] == "CC-BY-4.0"
    assert load(api / "datapackage.json")["licenses"][0]["name"] == "CC-BY-4.0"


def test_generated_at_without_git_or_epoch_is_the_newest_record_date(tmp_path):
    catalogue = copy_catalogue(FIXTURE, tmp_path / "catalogue")
    with env(SOURCE_DATE_EPOCH=None):
        api = export(catalogue, tmp_path / "api")
    assert load(api / "index.json")["generated_at"] == "2026-06-30T00:00:00Z"  # everything's withdrawn_on


# --- writing safely ------------------------------------------------------------


def test_the_writer_refuses_paths_outside_its_folder(tmp_path):
    out = Writer(tmp_path / "api")
    for bad in ("../escape.json", "/etc/passwd", "credentials/../../escape.json", "."):
        with pytest.raises(OpenDataError, match="outside"):
            out.path(bad)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "api" / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OpenDataError, match="outside"):
        out.path("link/file.json")
    assert not (tmp_path / "escape.json").exists()


def test_the_writer_refuses_one_path_twice(tmp_path):
    out = Writer(tmp_path)
    out.json("credentials/a/b.json", {})
    with pytest.raises(OpenDataError, match="twice"):
        out.json("credentials/a/../a/b.json", {})


def test_record_facets_carry_every_facet_the_site_uses(fixture_api):
    from dataclasses import fields

    from microcred.catalogue.facets import Facets

    record = load(fixture_api / "credentials/fixture-academy/everything.json")["data"]
    assert set(record["facets"]) == {f.name for f in fields(Facets)} | {"ects_equivalent"}
