"""JSON Schemas of what the API publishes, published beside the data under api/v1/schemas/.

The record schemas extend the schemas of the catalogue files (schema.py) with
the derived fields, so a field means the same in a file and in the API.
"""

from __future__ import annotations

import copy

from .records import API_VERSION, SCHEMA_VERSION
from ..contract.schema import SCHEMA_DIALECT, schema_of

TEXT = {"anyOf": [{"type": "string"}, {"type": "object", "additionalProperties": {"type": "string"}}],
        "description": "Text, or translations keyed by BCP 47 language tag"}
URL = {"type": "string", "format": "uri"}
URL_OR_NULL = {"anyOf": [URL, {"type": "null"}]}
ID = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$"}
PROVIDER_ID = {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}
DATETIME = {"type": "string", "format": "date-time"}
DATETIME_OR_NULL = {"anyOf": [DATETIME, {"type": "null"}]}
STRING_OR_NULL = {"type": ["string", "null"]}
CODE_LABELS = {"type": "object", "additionalProperties": {"type": "string"}}


def _obj(properties: dict, description: str = "", optional: tuple = ()) -> dict:
    out = {"type": "object", "additionalProperties": False, "properties": properties,
           "required": [k for k in properties if k not in optional]}
    if description:
        out["description"] = description
    return out


def _list(item: dict) -> dict:
    return {"type": "array", "items": item}


SUMMARY = _obj({"id": ID, "title": TEXT, "status": {"type": "string"}, "api": URL},
               "A credential in short; its full record is at api")

CREDENTIAL_DERIVED = {
    "id": {**ID, "description": "<provider-id>/<slug>: the file's path in the catalogue; never reused"},
    "provider": _obj({"id": PROVIDER_ID, "name": TEXT, "country": STRING_OR_NULL, "illustrative": {"type": "boolean"},
                      "page": URL, "api": URL}, "The provider whose folder holds the credential (the awarding body)"),
    "urls": _obj({"page": URL, "api": URL, "source": URL_OR_NULL},
                 "The credential's page, this record, and its YAML file in the repository"),
    "labels": {"type": "object", "description": "Readable English labels of the coded values",
               "properties": {k: (CODE_LABELS if k in ("assessment", "quality_assurance", "languages", "countries")
                                  else STRING_OR_NULL)
                              for k in ("level", "field", "sector", "participation", "learning_setting",
                                        "assessment", "supervision",
                                        "quality_assurance", "qf_ehea", "stackability", "languages", "countries",
                                        "currency", "status", "workload_band", "cost")}},
    "uris": _obj({"eqf": URL, "isced_f": URL, "skills": _list(URL), "occupations": _list(URL),
                  "countries": _list(URL), "languages": _list(URL), "currency": URL_OR_NULL},
                 "Official vocabulary URIs: EQF, ISCED-F 2013, ESCO, EU authority tables"),
    "facets": {"type": "object", "description": "The values the site filters by; facets.json counts them",
               "properties": {"level": {"type": "string"}, "fields": _list({"type": "string"}),
                              "sector": STRING_OR_NULL, "workload_band": STRING_OR_NULL,
                              "participation": {"type": "string"}, "languages": _list({"type": "string"}),
                              "countries": _list({"type": "string"}), "provider": {"type": "string"},
                              "cost": {"enum": ["free", "paid"]}, "status": {"type": "string"},
                              "ects_equivalent": {"type": ["number", "null"]}}},
    "stacked_from": {**_list(ID), "description": "Ids of credentials that stack into this one"},
    "history": _obj({"added": DATETIME_OR_NULL, "modified": DATETIME_OR_NULL, "from": {"enum": ["git", "record"]}},
                    "When the file was first published and last changed (git history of the catalogue; "
                    "the record's own dates where there is none; null when neither gives one)"),
}

PROVIDER_DERIVED = {
    "id": PROVIDER_ID,
    "urls": _obj({"page": URL, "api": URL, "source": URL_OR_NULL}),
    "labels": _obj({"country": {"type": "string"}, "type": {"type": "string"}}),
    "uris": _obj({"country": URL}),
    "credentials": {**_list(SUMMARY), "description": "The provider's credentials, withdrawn ones included"},
}

REDIRECT = _obj({"id": ID, "redirect_to": ID, "api": URL, "page": URL},
                "An id a credential had before a rename: where it lives now")

FACETS = _obj({"counts": {"type": "object", "additionalProperties": {
                   "type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}},
               "labels": {"type": "object", "additionalProperties": CODE_LABELS}},
              "Number of credentials by each value of each facet, with readable labels")

INDEX = _obj({"title": {"type": "string"}, "description": {"type": "string"},
              "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
              "links": {"type": "object", "additionalProperties": {"type": "string"}},
              "schemas": {"type": "object", "additionalProperties": URL},
              "aliases": {"type": "object", "additionalProperties": ID,
                          "description": "Previous id -> current id, for renamed credentials"}},
             "The entry point: what there is and where")

# type of an envelope -> schema of its data
KINDS = {
    "index": {"$ref": "#/$defs/index"},
    "credentials": _list({"$ref": "credential-record.schema.json"}),
    "credential": {"$ref": "credential-record.schema.json"},
    "providers": _list({"$ref": "provider-record.schema.json"}),
    "provider": {"$ref": "provider-record.schema.json"},
    "redirect": {"$ref": "#/$defs/redirect"},
    "facets": {"$ref": "#/$defs/facets"},
}


def _with_derived(kind: str, derived: dict, base: str, title: str) -> dict:
    schema = copy.deepcopy(schema_of(kind))
    written = list(schema["properties"])
    schema["properties"].update(copy.deepcopy(derived))
    # every field of the file is present in a record (defaults filled in), and every derived one
    schema["required"] = sorted(set(written) | set(derived))
    schema["$id"] = f"{base}{kind}-record.schema.json"
    schema["title"] = title
    schema["description"] = (f"A {kind} as the open data API publishes it: the fields of the {kind} file with "
                             f"the provider's values, plus derived fields ({', '.join(derived)}).")
    return schema


def published_schemas(api_url: str) -> dict[str, dict]:
    """File name under schemas/ -> schema; api_url ends with /api/v1/."""
    base = f"{api_url}schemas/"
    file_schemas = {}
    for kind in ("credential", "provider"):
        s = copy.deepcopy(schema_of(kind))
        s["$id"] = f"{base}{kind}-file.schema.json"
        file_schemas[f"{kind}-file.schema.json"] = s
    envelope = {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{base}envelope.schema.json",
        "title": "Open Micro-credential Register: the envelope of every JSON response",
        "type": "object",
        "additionalProperties": False,
        "required": ["api_version", "schema_version", "generated_at", "licence", "source", "self", "type", "data"],
        "properties": {
            "api_version": {"const": API_VERSION},
            "schema_version": {"const": SCHEMA_VERSION, "description": "Version of the record schemas (semver)"},
            "generated_at": {**DATETIME, "description": "SOURCE_DATE_EPOCH, else the newest commit of the catalogue"},
            "licence": _obj({"id": {"type": "string", "description": "SPDX id"}, "url": URL}),
            "source": URL_OR_NULL,
            "self": URL,
            "type": {"enum": list(KINDS)},
            "count": {"type": "integer", "minimum": 0, "description": "Number of items in data (collections only)"},
            "data": {},
        },
        "allOf": [{"if": {"properties": {"type": {"const": kind}}},
                   "then": {"properties": {"data": data}}} for kind, data in KINDS.items()],
        "$defs": {"index": INDEX, "redirect": REDIRECT, "facets": FACETS},
    }
    return {
        "credential-record.schema.json": _with_derived(
            "credential", CREDENTIAL_DERIVED, base, "Open Micro-credential Register: credential record"),
        "provider-record.schema.json": _with_derived(
            "provider", PROVIDER_DERIVED, base, "Open Micro-credential Register: provider record"),
        "envelope.schema.json": envelope,
        **file_schemas,
    }
