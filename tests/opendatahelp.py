"""Shared helpers for the open-data tests: export a catalogue, read the result with third-party tools."""

from __future__ import annotations

import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from microcred.catalogue.history import history_of
from microcred.opendata.publish import write_open_data
from microcred.opendata.records import Urls, credential_record, credential_summary, provider_record
from microcred.settings import Settings
from microcred.validate import validate

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "opendata" / "catalogue"
# The catalogues every export is checked on: the examples, hostile text, and every field filled in.
EXPORT_CATALOGUES = {
    "examples": Path(__file__).resolve().parent.parent / "catalogue",
    "hostile": Path(__file__).resolve().parent / "fixtures" / "hostile" / "accepted" / "catalogue",
    "opendata-fixture": FIXTURE,
}
SITE = "https://register.example/"
API = SITE + "api/v1/"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """The validators (frictionless, openapi-spec-validator, jsonschema) must work offline: prove it."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("a test tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def settings(root: Path, licence: str = "CC0-1.0") -> Settings:
    return Settings(site_name="Test Register", site_url=SITE,
                    repo_url="https://github.com/example/register", default_language="en",
                    data_licence=licence,
                    data_licence_url="https://creativecommons.org/publicdomain/zero/1.0/" if licence == "CC0-1.0"
                    else f"https://spdx.org/licenses/{licence}.html")


@contextmanager
def env(**values):
    """Set (or, with None, remove) environment variables for a block."""
    old = {k: os.environ.get(k) for k in values}
    try:
        for k, v in values.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def copy_catalogue(source: Path, dest: Path) -> Path:
    """A copy outside any git checkout, so dates come from the records."""
    shutil.copytree(source, dest)
    return dest


def export(catalogue: Path, out: Path, licence: str = "CC0-1.0") -> Path:
    result = validate(catalogue)
    assert not result.errors, [p.message for p in result.errors]
    write_open_data(result.catalogue, history_of(result.catalogue), out, settings(catalogue.parent, licence))
    return out


def records_of(catalogue: Path) -> tuple[list[dict], list[dict], Urls]:
    """The API records of a catalogue folder (credentials, providers) and the URLs they use."""
    result = validate(catalogue)
    assert not result.errors, [p.message for p in result.errors]
    urls = Urls(settings(catalogue.parent))
    catalogue, history = result.catalogue, history_of(result.catalogue)
    credentials = [credential_record(catalogue.credentials[cid], catalogue, urls, history.credentials[cid])
                   for cid in sorted(catalogue.credentials)]
    providers = [provider_record(catalogue.providers[pid], [credential_summary(c) for c in credentials
                                                            if c["provider"]["id"] == pid], urls)
                 for pid in sorted(catalogue.providers)]
    return credentials, providers, urls


def load(path: Path):
    return json.loads(path.read_text("utf-8"))


def envelopes(api: Path) -> dict[str, dict]:
    """Every enveloped JSON file: relative path -> content (the standards' formats have no envelope)."""
    out = {}
    for path in sorted(api.rglob("*.json")):
        rel = path.relative_to(api).as_posix()
        if rel in ("feed.json", "datapackage.json") or rel.startswith(("schemas/", "elm/", "ob3/")):
            continue
        out[rel] = load(path)
    return out


def schema_validator(api: Path, name: str) -> Draft202012Validator:
    """A jsonschema validator for a published schema, resolving refs among the published files only."""
    resources = []
    for path in (api / "schemas").glob("*.schema.json"):
        schema = load(path)
        resources.append((schema["$id"], Resource.from_contents(schema)))
    registry = Registry().with_resources(resources)
    schema = load(api / "schemas" / name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def leaves(value, path=()):
    """(path, value) of every scalar in nested dicts and lists."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from leaves(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from leaves(v, path + (i,))
    else:
        yield path, value
