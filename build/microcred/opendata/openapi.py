"""openapi.yaml: the static API described in OpenAPI 3.1.

Schemas are referenced from the published JSON Schema files (relative to the
document), so the description and the data never disagree.
"""

from __future__ import annotations

import yaml

from .records import API_VERSION, SCHEMA_VERSION


def _envelope(kind: str) -> dict:
    return {"$ref": "schemas/envelope.schema.json",
            "description": f"An envelope whose type is {kind}"}


def _get(summary: str, description: str, responses: dict, parameters: list | None = None, tag: str = "data") -> dict:
    op = {"get": {"summary": summary, "description": description, "tags": [tag],
                  "operationId": summary.lower().replace(" ", "-").replace("'", ""),
                  "responses": responses}}
    if parameters:
        op["parameters"] = parameters
    return op


def _param(name: str, pattern: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "pattern": pattern}}


NOT_FOUND = {"404": {"description": "No such record (the site's not-found page)"}}
PROVIDER_ID = _param("provider_id", "^[a-z0-9]+(-[a-z0-9]+)*$", "Provider id (its folder in the catalogue)")
SLUG = _param("slug", "^[a-z0-9]+(-[a-z0-9]+)*$", "The credential's file name without .yaml")


def openapi(server: str, title: str, licence: str, licence_url: str, docs_url: str) -> dict:
    """The OpenAPI document; server is the absolute URL of api/v1/."""
    paths = {
        "/index.json": _get("Index", "Entry point: links to every file, counts, schema version, licence and "
                            "the aliases of renamed credentials.", {"200": {
                                "description": "Envelope of type index",
                                "content": {"application/json": {"schema": _envelope("index")}}}}),
        "/credentials.json": _get("All credentials", "Every credential, withdrawn ones included, ordered by id.", {
            "200": {"description": "Envelope of type credentials",
                    "content": {"application/json": {"schema": _envelope("credentials")}}}}),
        "/credentials/{provider_id}/{slug}.json": _get(
            "One credential", "One credential record. The address of an id the credential had before a rename "
            "answers an envelope of type redirect naming the current id.", {
                "200": {"description": "Envelope of type credential (or redirect)",
                        "content": {"application/json": {"schema": _envelope("credential")}}}, **NOT_FOUND},
            [PROVIDER_ID, SLUG]),
        "/providers.json": _get("All providers", "Every provider, with its credentials in short.", {
            "200": {"description": "Envelope of type providers",
                    "content": {"application/json": {"schema": _envelope("providers")}}}}),
        "/providers/{provider_id}.json": _get("One provider", "One provider record.", {
            "200": {"description": "Envelope of type provider",
                    "content": {"application/json": {"schema": _envelope("provider")}}}, **NOT_FOUND},
            [PROVIDER_ID]),
        "/facets.json": _get("Facets", "Number of credentials by level, field, sector, workload band, "
                             "participation, language, country, provider, cost and status.", {
                                 "200": {"description": "Envelope of type facets",
                                         "content": {"application/json": {"schema": _envelope("facets")}}}}),
        "/feed.json": _get("Change feed", "JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of the latest "
                           "additions, changes and withdrawals, newest first.", {
                               "200": {"description": "A JSON Feed",
                                       "content": {"application/feed+json": {"schema": {
                                           "type": "object", "required": ["version", "title", "items"]}}}}},
                           tag="changes"),
        "/credentials.csv": _get("Credentials as CSV", "One row per credential; the columns are described in "
                                 "datapackage.json.", {"200": {"description": "CSV, UTF-8, with a header row",
                                                               "content": {"text/csv": {"schema": {"type": "string"}}}}},
                                 tag="tabular"),
        "/datapackage.json": _get("Data Package", "Frictionless Data Package v2 descriptor of credentials.csv: "
                                  "table schema, licence, checksum.", {
                                      "200": {"description": "Data Package descriptor",
                                              "content": {"application/json": {"schema": {"type": "object"}}}}},
                                  tag="tabular"),
        "/elm/credentials/{provider_id}/{slug}.jsonld": _get(
            "One credential in ELM", "The credential as a European Learning Model v3 LearningOpportunity with its "
            "learning achievement specification (or qualification), in JSON-LD; it conforms to the Commission's "
            "SHACL shapes of the LOQ profile (Europass, Qualifications Dataset Register).", {
                "200": {"description": "ELM v3 JSON-LD",
                        "content": {"application/ld+json": {"schema": {"type": "object"}}}}, **NOT_FOUND},
            [PROVIDER_ID, SLUG], tag="standards"),
        "/elm/providers/{provider_id}.xml": _get(
            "A provider's courses in LOQ XML", "The provider's active credentials in the Qualifications Dataset "
            "Register's LOQ XML upload format, valid against loq.xsd: the address a provider gives the QDR for "
            "automatic updates.", {
                "200": {"description": "LOQ XML (<Courses>)",
                        "content": {"application/xml": {"schema": {"type": "string"}}}}, **NOT_FOUND},
            [PROVIDER_ID], tag="standards"),
        "/ob3/achievements/{provider_id}/{slug}.json": _get(
            "One credential as an Open Badges achievement", "The credential as an Open Badges 3.0 Achievement "
            "(achievementType MicroCredential), valid against 1EdTech's JSON Schema.", {
                "200": {"description": "OB 3.0 Achievement",
                        "content": {"application/json": {"schema": {"type": "object"}}}}, **NOT_FOUND},
            [PROVIDER_ID, SLUG], tag="standards"),
        "/schemas/{name}.schema.json": _get(
            "JSON Schema", "JSON Schemas (draft 2020-12): credential-record, provider-record, envelope, "
            "credential-file, provider-file.", {
                "200": {"description": "A JSON Schema", "content": {"application/schema+json": {"schema": {
                    "type": "object"}}}}, **NOT_FOUND},
            [_param("name", "^[a-z-]+$", "Name of the schema")], tag="schemas"),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{title} open data API",
            "version": f"{API_VERSION} (schema {SCHEMA_VERSION})",
            "description": "A static, versioned API: plain files, regenerated on every change of the register. "
                           "Every JSON response shares one envelope (schemas/envelope.schema.json). "
                           "Paths under /api/v1/ keep their meaning; additions are backward compatible, "
                           "anything else comes as /api/v2/.",
            "license": {"name": f"Data: {licence}", "url": licence_url},
        },
        "externalDocs": {"description": "Guide for aggregators", "url": docs_url},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": server.rstrip("/")}],
        "tags": [{"name": "data"}, {"name": "changes"}, {"name": "tabular"}, {"name": "standards"},
                 {"name": "schemas"}],
        "paths": paths,
    }


def openapi_text(document: dict) -> str:
    # insertion order is fixed by the code, so the text is stable without sorting
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
