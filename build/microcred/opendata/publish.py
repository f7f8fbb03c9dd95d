"""The open data under /api/v1/ of the built site.

Records are built once and passed on to every output (JSON, feed, CSV), so
all of them say the same. Output is byte-stable: sorted keys, records in id
order, dates from git or the records, never from the build's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..catalogue.history import History, rfc3339
from ..catalogue.model import Catalogue
from ..contract import vocabularies as vocab
from ..settings import Settings
from .feed import feed
from .elm import elm_document
from .loq import loq_xml
from .ob3 import ob3_achievement
from .openapi import openapi, openapi_text
from .records import API_VERSION, SCHEMA_VERSION, Urls, all_records, display_text, redirect_record
from .schemas import published_schemas
from .tabular import csv_text, datapackage
from .writer import Writer

DOCS_PAGE = "api/"  # docs/api.md on the site


def _labels() -> dict[str, dict[str, str]]:
    """Readable names of every facet value counted in facets.json."""
    return {
        "level": {f"eqf-{n}": f"EQF level {n}" for n in vocab.EQF_LEVELS},
        "field": vocab.isced_fields(),
        "sector": vocab.nace_sections(),
        "workload_band": {band: label for band, label, *_ in vocab.WORKLOAD_BANDS},
        "participation": dict(vocab.PARTICIPATION),
        "cost": {"free": "Free", "paid": "Paid"},
        "status": dict(vocab.STATUSES),
    }


@dataclass(frozen=True)
class Records:
    """The records every open-data file is made from, built once (records.py)."""

    credentials: list[dict]  # by id
    providers: list[dict]  # by id
    urls: Urls

    @classmethod
    def of(cls, catalogue: Catalogue, history: History, settings: Settings) -> "Records":
        urls = Urls(settings)
        return cls(*all_records(catalogue, history, urls), urls)


def credential_files(cid: str) -> list[str]:
    """The files of one credential below api/v1/: its record and its ELM and Open Badges documents.
    Everything else depends on more than one entry."""
    return [f"credentials/{cid}.json", f"elm/credentials/{cid}.jsonld", f"ob3/achievements/{cid}.json"]


def write_open_data(catalogue: Catalogue, history: History, api_dir: Path, settings: Settings,
                    kept: frozenset[str] = frozenset()) -> list[Path]:
    """Write every open-data file of the catalogue below api_dir (the site's api/v1/); return the files.

    `kept`: credentials whose own files (credential_files) the output holds already as they would be
    written now (an incremental build); everything else is written."""
    records = Records.of(catalogue, history, settings)
    return sorted(write_formats(records, api_dir, kept) + write_api(records, catalogue, history, api_dir, settings,
                                                                    kept))


def write_formats(records: Records, api_dir: Path, kept: frozenset[str] = frozenset()) -> list[Path]:
    """Europe's formats, from the same records: ELM v3 (Europass) and Open Badges 3.0 per credential,
    LOQ XML (the QDR's upload format) per provider; return the files.

    Each document is written at once: holding 10,000 of them first made building them four
    times slower (the collector's scans). The files are in elm/ and ob3/ only, so a second
    process can write them beside write_api (build.py).
    """
    out = Writer(api_dir)
    urls = records.urls
    provider_of = {p["id"]: p for p in records.providers}
    records_by_id = {r["id"]: r for r in records.credentials}
    by_provider: dict[str, list[dict]] = {}
    for record in records.credentials:
        provider = provider_of[record["provider"]["id"]]
        by_provider.setdefault(provider["id"], []).append(record)
        if record["id"] in kept:
            continue
        _own, elm, ob3 = credential_files(record["id"])
        out.json(elm, elm_document(record, provider, urls, records_by_id), compact=True, sort_keys=False)
        out.json(ob3, ob3_achievement(record, provider, urls), compact=True, sort_keys=False)
    for provider in records.providers:  # every provider: one with no active credential gets an empty, valid list
        out.text(f"elm/providers/{provider['id']}.xml", loq_xml(provider, by_provider.get(provider["id"], []), urls))
    return sorted(out.written)


def write_api(records: Records, catalogue: Catalogue, history: History, api_dir: Path,
              settings: Settings, kept: frozenset[str] = frozenset()) -> list[Path]:
    """The register's own files: records, collections, facets, schemas, feed, CSV, OpenAPI, index."""
    out = Writer(api_dir)
    urls = records.urls
    credentials, providers = records.credentials, records.providers
    when = rfc3339(history.generated_at)
    licence = {"id": settings.data_licence, "url": settings.data_licence_url}
    source = settings.repo_url or None

    def envelope(kind: str, rel: str, data, count: bool = False) -> dict:
        env = {"api_version": API_VERSION, "schema_version": SCHEMA_VERSION, "generated_at": when,
               "licence": licence, "source": source, "self": urls.api + rel, "type": kind, "data": data}
        if count:
            env["count"] = len(data)
        return env

    for record in credentials:
        if record["id"] not in kept:
            rel = credential_files(record["id"])[0]
            out.json(rel, envelope("credential", rel, record), compact=True)
    aliases = dict(sorted(catalogue.redirects.items()))
    for old, new in aliases.items():
        rel = f"credentials/{old}.json"
        out.json(rel, envelope("redirect", rel, redirect_record(old, new, urls)), compact=True)
    out.json("credentials.json", envelope("credentials", "credentials.json", credentials, count=True), compact=True)
    for record in providers:
        rel = f"providers/{record['id']}.json"
        out.json(rel, envelope("provider", rel, record), compact=True)
    out.json("providers.json", envelope("providers", "providers.json", providers, count=True), compact=True)

    facet_labels = _labels()
    facet_counts = catalogue.counts
    facet_labels["language"] = {t: vocab.language_name(t) for t in facet_counts["language"]}
    facet_labels["country"] = {c: vocab.countries().get(c, c) for c in facet_counts["country"]}
    facet_labels["provider"] = {p["id"]: display_text(p["name"]) for p in providers}
    used = {name: {v: facet_labels[name][v] for v in values if v in facet_labels[name]}
            for name, values in facet_counts.items()}
    out.json("facets.json", envelope("facets", "facets.json", {"counts": facet_counts, "labels": used}))

    schemas = published_schemas(urls.api)
    for name, schema in schemas.items():
        out.json(f"schemas/{name}", schema)

    out.json("feed.json", feed(credentials, settings.site_name, settings.site_url, urls.api + "feed.json",
                               settings.default_language))

    table = csv_text(credentials).encode("utf-8")
    out.bytes("credentials.csv", table)
    out.json("datapackage.json", datapackage(
        table, name="open-micro-credential-register", title=settings.site_name, homepage=settings.site_url,
        licence=settings.data_licence, licence_url=settings.data_licence_url, source=source, created=when,
        version=SCHEMA_VERSION))

    docs = settings.site_url + DOCS_PAGE
    out.text("openapi.yaml", openapi_text(openapi(urls.api, settings.site_name, settings.data_licence,
                                                   settings.data_licence_url, docs)))

    status = {s: 0 for s in vocab.STATUSES}
    for record in credentials:
        status[record["status"]] += 1
    index = {
        "title": settings.site_name,
        "description": "Open data of the register: every micro-credential and provider, a change feed, "
                       "CSV with a Data Package, JSON Schemas and an OpenAPI description.",
        "counts": {"credentials": len(credentials), "providers": len(providers), "aliases": len(aliases),
                   **status},
        "links": {
            "credentials": urls.api + "credentials.json",
            "credential": urls.api + "credentials/{provider_id}/{slug}.json",
            "providers": urls.api + "providers.json",
            "provider": urls.api + "providers/{provider_id}.json",
            "facets": urls.api + "facets.json",
            "feed": urls.api + "feed.json",
            "csv": urls.api + "credentials.csv",
            "datapackage": urls.api + "datapackage.json",
            "openapi": urls.api + "openapi.yaml",
            "elm_credential": urls.api + "elm/credentials/{provider_id}/{slug}.jsonld",
            "elm_provider": urls.api + "elm/providers/{provider_id}.xml",
            "ob3_achievement": urls.api + "ob3/achievements/{provider_id}/{slug}.json",
            "docs": docs,
            "site": settings.site_url,
            **({"repository": source} if source else {}),
        },
        "schemas": {name.removesuffix(".schema.json"): urls.api + f"schemas/{name}" for name in schemas},
        "aliases": aliases,
    }
    out.json("index.json", envelope("index", "index.json", index))
    return sorted(out.written)

