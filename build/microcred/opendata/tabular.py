"""credentials.csv and its Frictionless Data Package (v2) descriptor.

One row per credential, flattened from the API record. COLUMNS is the one
list the CSV, the Table Schema and the column docs are made from. Text fields
that may carry translations give the text in the entry's first language; the
JSON records carry every translation.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any, Callable

from .records import display_text

LIST_DELIMITER = ";"  # codes and ids never contain it
# What a spreadsheet may read as the start of a formula: the ASCII signs, tab and carriage
# return (OWASP, CSV injection), and the full-width signs that spreadsheets in East Asian
# locales accept for them (＝ ＋ － ＠).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema v2 field type
    description: str
    value: Callable[[dict], Any]
    extra: tuple = ()  # further Table Schema field properties, as pairs

    def field(self) -> dict:
        out = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "list":
            out.update(delimiter=LIST_DELIMITER, itemType="string")
        out.update(dict(self.extra))
        return out


def _text(key: str) -> Callable[[dict], str | None]:
    return lambda r: display_text(r.get(key), r["languages"]) or None


def _get(*keys: str) -> Callable[[dict], Any]:
    def get(r: dict):
        for k in keys:
            if r is None:
                return None
            r = r.get(k)
        return r
    return get


def _texts(key: str) -> Callable[[dict], list[str]]:
    return lambda r: [display_text(t, r["languages"]) for t in r.get(key) or []]


COLUMNS = [
    Column("id", "string", "Credential id, <provider-id>/<slug>; never reused", _get("id"),
           (("constraints", {"required": True, "unique": True,
                             "pattern": "[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*"}),)),
    Column("title", "string", "Title, in the entry's first language", _text("title")),
    Column("provider_id", "string", "Id of the provider (its folder)", _get("provider", "id")),
    Column("provider_name", "string", "Name of the provider", lambda r: display_text(r["provider"]["name"], r["languages"])),
    Column("provider_country", "string", "Country of the provider, ISO 3166-1 alpha-2", _get("provider", "country")),
    Column("illustrative", "boolean", "true for example data describing no real offer", _get("provider", "illustrative")),
    Column("status", "string", "active, suspended or withdrawn", _get("status"),
           (("categories", ["active", "suspended", "withdrawn"]),)),
    Column("eqf_level", "integer", "EQF level, 1 to 8", _get("level", "eqf")),
    Column("eqf_uri", "string", "EQF level URI", _get("uris", "eqf"), (("format", "uri"),)),
    Column("nqf_country", "string", "Country of the national qualifications framework level", _get("level", "nqf", "country")),
    Column("nqf_level", "string", "Level in that national framework, as written there", _get("level", "nqf", "level")),
    Column("qf_ehea", "string", "QF-EHEA cycle", _get("level", "qf_ehea")),
    Column("ects", "number", "ECTS credits, as the provider gives them", _get("workload", "ects")),
    Column("hours", "number", "Hours of notional workload, as the provider gives them", _get("workload", "hours")),
    Column("ects_equivalent", "number", "ECTS, or hours / 27.5 where only hours are given", _get("facets", "ects_equivalent")),
    Column("workload_band", "string", "Workload band the site browses by", _get("facets", "workload_band")),
    Column("field", "string", "ISCED-F 2013 field code (2, 3 or 4 digits)", _get("field")),
    Column("field_label", "string", "ISCED-F 2013 field name", _get("labels", "field")),
    Column("field_uri", "string", "ISCED-F 2013 field URI", _get("uris", "isced_f"), (("format", "uri"),)),
    Column("sector", "string", "NACE Rev. 2 section letter", _get("sector")),
    Column("participation", "string", "Form of participation", _get("participation")),
    Column("learning_setting", "string", "formal or non-formal learning", _get("learning_setting")),
    Column("assessment_types", "list", "Types of assessment", _get("assessment", "type")),
    Column("supervision", "string", "Supervision and identity verification during assessment", _get("assessment", "supervision")),
    Column("quality_assurance_types", "list", "Types of quality assurance", lambda r: [q["type"] for q in r["quality_assurance"]]),
    Column("languages", "list", "Languages (BCP 47), the first being the language of untranslated text", _get("languages")),
    Column("countries", "list", "Countries where it is offered (ISO 3166-1 alpha-2)", _get("countries")),
    Column("cost_amount", "number", "Fee for the learner; 0 for free", _get("cost", "amount")),
    Column("cost_currency", "string", "ISO 4217 currency code", _get("cost", "currency")),
    Column("duration_value", "number", "Calendar duration", _get("duration", "value")),
    Column("duration_unit", "string", "Unit of the duration: hour, day, week or month", _get("duration", "unit")),
    Column("self_paced", "boolean", "Learners may start at any time", _get("self_paced")),
    Column("start_dates", "list", "Next start dates, YYYY-MM-DD", _get("start_dates")),
    Column("stackability", "string", "stand-alone or stackable", _get("stackability", "mode")),
    Column("stacks_into", "list", "Ids of credentials it counts towards", _get("stackability", "stacks_into")),
    Column("nqf_included", "boolean", "Included in a national qualifications framework", _get("recognition", "nqf_included")),
    Column("skill_uris", "list", "ESCO skill URIs", _get("uris", "skills")),
    Column("occupation_uris", "list", "ESCO occupation URIs", _get("uris", "occupations")),
    Column("valid_from", "date", "First day it is offered", _get("valid_from")),
    Column("last_reviewed", "date", "When the provider last checked the entry", _get("last_reviewed")),
    Column("review_by", "date", "When the entry is next due for review", _get("review_by")),
    Column("withdrawn_on", "date", "When it was withdrawn", _get("withdrawn_on")),
    Column("previous_ids", "list", "Ids it had before a rename", _get("previous_ids")),
    Column("added", "datetime", "When its file was first published (RFC 3339, UTC)", _get("history", "added")),
    Column("modified", "datetime", "When its file last changed (RFC 3339, UTC)", _get("history", "modified")),
    Column("information_url", "string", "The provider's page for the course", _get("url"), (("format", "uri"),)),
    Column("registration_url", "string", "Where learners enrol, if not on the course page", _get("registration_url"),
           (("format", "uri"),)),
    Column("identifiers", "array", "Codes in registers, as a JSON array of {scheme, value, note}", _get("identifiers")),
    Column("page_url", "string", "The credential's page in the register", _get("urls", "page"), (("format", "uri"),)),
    Column("api_url", "string", "The credential's full JSON record", _get("urls", "api"), (("format", "uri"),)),
    Column("description", "string", "Description, in the entry's first language", _text("description")),
    Column("learning_outcomes", "array", "Learning outcomes, as a JSON array of text", _texts("learning_outcomes")),
    Column("prerequisites", "string", "Prerequisites, in the entry's first language", _text("prerequisites")),
    Column("skills", "array", "Skill labels, as a JSON array of text", lambda r: [display_text(s["label"], r["languages"]) for s in r["skills"]]),
    Column("occupations", "array", "Occupation labels, as a JSON array of text", lambda r: [display_text(o["label"], r["languages"]) for o in r["occupations"]]),
    Column("keywords", "array", "Extra search words, as a JSON array of text", _get("keywords")),
    Column("status_note", "string", "Why it is suspended or withdrawn, in the entry's first language", _text("status_note")),
]


def defuse(cell: str) -> str:
    """A leading ' keeps a spreadsheet from reading the cell as a formula (OWASP CSV injection)."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell


def cell(column: Column, value: Any) -> str:
    if value is None or value == []:
        return ""
    if column.type == "boolean":
        return "true" if value else "false"
    if column.type == "list":
        return LIST_DELIMITER.join(value)
    if column.type == "array":
        return json.dumps(value, ensure_ascii=False)
    return repr(value) if isinstance(value, float) else str(value)  # repr: the shortest exact form


def csv_text(records: list[dict]) -> str:
    return csv_header() + "".join(csv_row(record) for record in records)


def csv_header() -> str:
    return _line([c.name for c in COLUMNS])


def csv_row(record: dict) -> str:
    return _line([defuse(cell(c, c.value(record))) for c in COLUMNS])


def _line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def table_schema() -> dict:
    return {
        "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
        "fields": [c.field() for c in COLUMNS],
        "primaryKey": ["id"],
        "missingValues": [""],
    }


def datapackage(size: int, sha256: str, *, name: str, title: str, homepage: str, licence: str, licence_url: str,
                source: str | None, created: str, version: str) -> dict:
    """The Data Package of credentials.csv, whose bytes number `size` and hash to `sha256` (hex)."""
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": name,
        "title": title,
        "description": "Every micro-credential of the register, one row each. Cells that would start with "
                       "=, +, -, @ (or their full-width forms ＝ ＋ － ＠), a tab or a carriage return carry a "
                       "leading ' so that spreadsheets do not run them as formulas. The JSON records "
                       "(credentials.json) carry every value in full.",
        "homepage": homepage,
        "version": version,
        "created": created,
        "licenses": [{"name": licence, "path": licence_url}],
        "sources": [{"title": "The register's git repository", "path": source}] if source else [],
        "resources": [{
            "name": "credentials",
            "type": "table",
            "path": "credentials.csv",
            "scheme": "file",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": size,
            "hash": "sha256:" + sha256,
            "dialect": {"$schema": "https://datapackage.org/profiles/2.0/tabledialect.json",
                        "header": True, "delimiter": ",", "quoteChar": "\"", "lineTerminator": "\r\n"},
            "schema": table_schema(),
        }],
    }
