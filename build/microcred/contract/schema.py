"""JSON Schemas of the two kinds of catalogue file, generated from the models."""

from __future__ import annotations

import json

from .models import RECORDS

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_of(kind: str) -> dict:
    model = RECORDS[kind]
    schema = model.model_json_schema(mode="validation")
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": f"{kind}.schema.json",
        **schema,
        "title": f"Open Micro-credential Register: {kind} file",
    }


def schema_text(kind: str) -> str:
    return json.dumps(schema_of(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
