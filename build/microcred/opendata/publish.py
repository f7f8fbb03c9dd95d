"""The open data under /api/v1/ of the built site.

Each record is built once and passed on to every output (JSON, feed, CSV, the
formats), so all of them say the same, and let go once written: memory holds
one record at a time, not the catalogue's records. Output is byte-stable:
sorted keys, records in id order, dates from git or the records, never from
the build's clock.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from ..catalogue.history import History, rfc3339
from ..catalogue.model import Catalogue
from ..contract import vocabularies as vocab
from ..settings import Settings
from .collections import Collected, Collections
from .feed import Latest, feed_of
from .elm import elm_document
from .loq import loq_xml
from .ob3 import ob3_achievement
from .openapi import openapi, openapi_text
from .records import (API_VERSION, SCHEMA_VERSION, Urls, credential_record, credential_summary, display_text,
                      provider_record, redirect_record)
from .schemas import published_schemas
from .tabular import csv_header, csv_row, datapackage
from .writer import Writer

DOCS_PAGE = "api/"  # docs/api.md on the site
COPIED_AT_ONCE = 1000  # credentials whose collections' bytes are read from the last build's files together


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


def credential_files(cid: str) -> list[str]:
    """The files of one credential below api/v1/: its record and its ELM and Open Badges documents.
    Everything else depends on more than one entry."""
    return [f"credentials/{cid}.json", f"elm/credentials/{cid}.jsonld", f"ob3/achievements/{cid}.json"]


def provider_files(pid: str) -> list[str]:
    """The file of one provider below api/v1/ that only its own entries make: its LOQ XML."""
    return [f"elm/providers/{pid}.xml"]


def write_open_data(catalogue: Catalogue, history: History, api_dir: Path, settings: Settings,
                    kept: frozenset[str] = frozenset(), kept_providers: frozenset[str] = frozenset(),
                    collections: Collections | None = None) -> list[str]:
    """Write every open-data file of the catalogue below api_dir (the site's api/v1/); return the files
    (their real paths).

    One pass over the credentials in id order (so a provider's come together): each record is
    made, written to its own files (its JSON, ELM v3 for Europass, Open Badges 3.0) and to the
    collections (credentials.json, the CSV, the feed, its provider's LOQ XML for the QDR), and let
    go; only summaries are kept. `kept`: credentials whose own files (credential_files) the output
    holds already as they would be written now (an incremental build); `kept_providers`: the same
    for providers (provider_files). `collections`: what the last build's collections hold of each
    credential (collections.py); a credential unchanged there, whose own files and provider's LOQ
    XML are kept, is copied from them and its record not made. It gets what this build's hold.
    """
    out = Writer(api_dir)
    urls = Urls(settings)
    when = rfc3339(history.generated_at)
    licence = {"id": settings.data_licence, "url": settings.data_licence_url}
    source = settings.repo_url or None
    collections = collections or Collections({})

    def envelope(kind: str, rel: str, data, count: int | None = None) -> dict:
        env = {"api_version": API_VERSION, "schema_version": SCHEMA_VERSION, "generated_at": when,
               "licence": licence, "source": source, "self": urls.api + rel, "type": kind, "data": data}
        if count is not None:
            env["count"] = count
        return env

    def record_of(cid: str) -> dict:
        return credential_record(catalogue.credentials[cid], catalogue, urls, history.credentials[cid])

    ids = sorted(catalogue.credentials)
    # the credentials copied from the last build's collections: their records are not made
    copied = {cid: before for cid in ids if cid in kept and catalogue.credentials[cid].provider_id in kept_providers
              and (before := collections.unchanged(cid)) is not None}
    # the provider as the formats name it (its credentials are not part of that)
    bare = {pid: provider_record(entry, [], urls) for pid, entry in catalogue.providers.items()}
    # the records other entries stack into: the ELM documents name them (titles, addresses)
    related = Related(record_of, catalogue.credentials)
    summaries: dict[str, list[dict]] = {pid: [] for pid in catalogue.providers}
    status = {s: 0 for s in vocab.STATUSES}
    latest = Latest()
    # credentials.json is its envelope with the records put in one by one where its data goes
    head, tail = _json(envelope("credentials", "credentials.json", [], len(ids))).split('"data":[]')
    provider_id, of_provider = None, []

    def provider_done() -> None:
        if provider_id in bare and provider_id not in kept_providers:
            out.text(provider_files(provider_id)[0], loq_xml(bare[provider_id], of_provider, urls))

    with out.stream("credentials.json") as collection, out.stream("credentials.csv") as table:
        collection.write(head + '"data":[')
        table.write(csv_header())
        for start in range(0, len(ids), COPIED_AT_ONCE):
            chunk = ids[start:start + COPIED_AT_ONCE]
            # the unchanged credentials' bytes of the last build's files, read a chunk at a time
            spans = [copied[cid] for cid in chunk if cid in copied]
            texts = iter(collections.read("credentials.json", [c.record for c in spans]) if spans else ())
            rows = iter(collections.read("credentials.csv", [c.row for c in spans]) if spans else ())
            for n, cid in enumerate(chunk, start):
                entry = catalogue.credentials[cid]
                if entry.provider_id != provider_id:
                    provider_done()
                    provider_id, of_provider = entry.provider_id, []
                before = copied.get(cid)
                if n:
                    collection.write(",")
                if before is not None:
                    summary, events = before.summary, before.events
                    at = collection.size
                    collection.write_bytes(next(texts))
                    record_span = (at, collection.size - at)
                    at = table.size
                    table.write_bytes(next(rows))
                    latest.add_known(cid, events)
                else:
                    record = record_of(cid)
                    of_provider.append(record)
                    if cid not in kept:
                        own, elm, ob3 = credential_files(cid)
                        out.json(own, envelope("credential", own, record), compact=True)
                        provider = bare[entry.provider_id]
                        out.json(elm, elm_document(record, provider, urls, related), compact=True, sort_keys=False)
                        out.json(ob3, ob3_achievement(record, provider, urls), compact=True, sort_keys=False)
                    at = collection.size
                    collection.write(_json(record))
                    record_span = (at, collection.size - at)
                    at = table.size
                    table.write(csv_row(record))
                    summary = credential_summary(record)
                    events = latest.add(record)
                collections.now[cid] = Collected(collections.keys.get(cid, ""), record_span, (at, table.size - at),
                                                 summary, events)
                summaries[entry.provider_id].append(summary)
                status[summary["status"]] += 1
        provider_done()
        collection.write("]" + tail + "\n")
    # every provider: one with no credential gets an empty, valid list
    for pid in sorted(set(catalogue.providers) - {cid.split("/")[0] for cid in ids} - kept_providers):
        out.text(provider_files(pid)[0], loq_xml(bare[pid], [], urls))

    aliases = dict(sorted(catalogue.redirects.items()))
    for old, new in aliases.items():
        rel = f"credentials/{old}.json"
        out.json(rel, envelope("redirect", rel, redirect_record(old, new, urls)), compact=True)
    providers = [provider_record(catalogue.providers[pid], summaries[pid], urls) for pid in sorted(catalogue.providers)]
    for record in providers:
        rel = f"providers/{record['id']}.json"
        out.json(rel, envelope("provider", rel, record), compact=True)
    out.json("providers.json", envelope("providers", "providers.json", providers, len(providers)), compact=True)

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

    out.json("feed.json", feed_of(latest, settings.site_name, settings.site_url, urls.api + "feed.json",
                                  settings.default_language, record_of))
    out.json("datapackage.json", datapackage(
        table.size, table.hash.hexdigest(), name="open-micro-credential-register", title=settings.site_name,
        homepage=settings.site_url, licence=settings.data_licence, licence_url=settings.data_licence_url,
        source=source, created=when, version=SCHEMA_VERSION))

    docs = settings.site_url + DOCS_PAGE
    out.text("openapi.yaml", openapi_text(openapi(urls.api, settings.site_name, settings.data_licence,
                                                   settings.data_licence_url, docs)))

    index = {
        "title": settings.site_name,
        "description": "Open data of the register: every micro-credential and provider, a change feed, "
                       "CSV with a Data Package, JSON Schemas and an OpenAPI description.",
        "counts": {"credentials": len(ids), "providers": len(providers), "aliases": len(aliases),
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


class Related:
    """The records of the credentials other entries stack into, as the ELM documents ask for them
    (`get`, as of a dictionary): made then, and the last few hundred kept, not every one (a fifth
    of the credentials are stacked into: 20,000 records, some 400 MB, at 100,000). A provider's
    credentials, which mostly stack into each other, are written one after another."""

    KEPT = 512

    def __init__(self, make, known: dict):
        self.get = functools.lru_cache(maxsize=self.KEPT)(lambda cid: make(cid) if cid in known else None)


def _json(value) -> str:
    """As Writer.json(compact=True) writes it."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

