"""The field reference page (docs/reference/fields.md), generated from the models.

Every field of both records with its type, allowed values, description and an
example (contract/examples.py), and the table of national qualifications
frameworks that `level.nqf` is checked against. `microcred generate` writes the page and
`generate --check` fails when it has drifted, so it always says what the
validator accepts. `microcred new` uses the same descriptions as hints.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from datetime import date

from pydantic import BaseModel, WithJsonSchema

from ..contract import examples as ex
from ..contract import vocabularies as vocab
from ..contract.models import RECORDS
from .yamlwrite import field_lines

# Descriptions for fields the models leave undescribed (the models' own descriptions win).
FALLBACK_DESCRIPTIONS = {
    "provider.short_name": "Short name or acronym, shown where space is tight",
    "provider.type": "Kind of organisation",
    "provider.website": "The provider's website",
    "provider.description": "What the provider does, in a sentence or two",
    "provider.contact_email": "Public address for questions about the provider's courses",
    "quality_assurance.description": "What the quality assurance covers",
    "duration.unit": "Unit of the duration value",
    "duration.note": "How the time is spread, e.g. evenings or block weeks",
    "location.city": "City or town",
    "location.country": "Country of the place",
    "awarding_body.name": "Name of the awarding body",
    "awarding_body.country": "Country of the awarding body",
    "awarding_body.url": "Website of the awarding body",
    "esco_occupation.label": "The occupation's name as learners should read it",
    "recognising_body.name": "Name of the recognising body",
    "recognising_body.url": "Website of the recognising body",
    "recognising_body.description": "What the recognition means (admission, credit, licensing)",
    "recognition.note": "Anything else learners should know about recognition",
}


@dataclass
class FieldDoc:
    path: str  # dotted, "[]" after a list of mappings: quality_assurance[].type
    name: str
    required: bool
    type: str
    allowed: str
    description: str
    default: str
    example: object
    children: list["FieldDoc"] = field(default_factory=list)


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() and i else c.lower() for i, c in enumerate(name))


def _strip_optional(annotation):
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def _number(schema: dict, whole: bool) -> tuple[str, str]:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum")
    if "exclusiveMinimum" in schema:
        allowed = f"more than {low:g}, at most {high:g}"
    else:
        allowed = f"{low:g} to {high:g}"
    return ("whole number" if whole else "number"), allowed


def _from_schema(schema: dict) -> tuple[str, str]:
    if "oneOf" in schema:
        return "text", ", ".join(f"`{o['const']}` ({o['title']})" for o in schema["oneOf"])
    if "enum" in schema:
        return "text", ", ".join(f"`{v}`" for v in schema["enum"])
    if "anyOf" in schema:
        return "text, or translations", ""
    kind = schema.get("type")
    if kind in ("number", "integer"):
        return _number(schema, kind == "integer")
    if schema.get("format") == "date":
        return "date", "YYYY-MM-DD"
    if schema.get("format") == "uri":
        return "URL", "an absolute address starting with https:// (or http://)"
    if "pattern" in schema and "description" in schema:
        return "text", schema["description"]
    return "text", ""


def describe(annotation) -> tuple[str, str, type[BaseModel] | None]:
    """(type, allowed values, nested model) of a field's annotation."""
    annotation = _strip_optional(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        kind, allowed, model = describe(typing.get_args(annotation)[0])
        return f"list of {'mappings' if model else kind}", allowed, model
    if origin is typing.Annotated:
        for meta in getattr(annotation, "__metadata__", ()):
            if isinstance(meta, WithJsonSchema) and meta.json_schema:
                kind, allowed = _from_schema(meta.json_schema)
                return kind, allowed, None
        return describe(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping", "", annotation
    if annotation is bool:
        return "true or false", "`true`, `false`", None
    if annotation is date:
        return "date", "YYYY-MM-DD", None
    return "text", "", None


def _default(info) -> str:
    if info.is_required() or info.default is None or info.default_factory is not None:
        return ""
    value = info.default
    return "true" if value is True else "false" if value is False else str(value)


def field_docs(model: type[BaseModel], examples: dict, owner: str, prefix: str = "") -> list[FieldDoc]:
    out = []
    for name, info in model.model_fields.items():
        kind, allowed, sub = describe(info.rebuild_annotation())
        key = f"{owner}.{name}"
        description = info.description or FALLBACK_DESCRIPTIONS.get(key, "")
        example = examples.get(name)
        doc = FieldDoc(prefix + name, name, info.is_required(), kind, allowed, description,
                       _default(info), example)
        if sub is not None:
            sub_example = example[0] if isinstance(example, list) and example else example
            doc.children = field_docs(sub, sub_example if isinstance(sub_example, dict) else {},
                                      _snake(sub.__name__),
                                      f"{prefix}{name}{'[].' if kind.startswith('list') else '.'}")
        out.append(doc)
    return out


def all_fields(docs: list[FieldDoc]):
    for d in docs:
        yield d
        yield from all_fields(d.children)


def record_docs(kind: str) -> list[FieldDoc]:
    return field_docs(RECORDS[kind], ex.EXAMPLES[kind], kind)


# --- the page -------------------------------------------------------------------

_INTRO = {
    "credential": ("Credential file", "`catalogue/<provider-id>/<slug>.yaml`: one micro-credential. "
                   "Its id is `<provider-id>/<slug>`, taken from the folder and file name; ids are never "
                   "reused. Start one with `microcred new <provider-id> <slug>`."),
    "provider": ("Provider file", "`catalogue/<provider-id>/provider.yaml`: the organisation whose folder "
                 "holds the credentials. Its `maintainers` are the GitHub accounts that may change the "
                 "folder. Start one with `microcred new-provider <provider-id>`."),
}


def _cell(text: str) -> str:
    return (text or "—").replace("|", "\\|").replace("\n", " ")


def _example_block(doc: FieldDoc) -> list[str]:
    return ["```yaml", *field_lines(doc.name, doc.example), "```"]


def _field_section(doc: FieldDoc) -> list[str]:
    need = "required" if doc.required else "optional"
    out = [f"### `{doc.path}`", "", f"*{need}* · {doc.type}" + (f" · default `{doc.default}`" if doc.default else ""),
           "", doc.description + ("." if doc.description and not doc.description.endswith(".") else "")]
    if doc.allowed:
        out += ["", f"Allowed: {doc.allowed}"]
    if doc.children:
        out += ["", "| field | required | type | allowed | description |", "|---|---|---|---|---|"]
        for child in all_fields(doc.children):
            out.append(f"| `{child.path}` | {'yes' if child.required else 'no'} | {_cell(child.type)} | "
                       f"{_cell(child.allowed)} | {_cell(child.description)} |")
    out += ["", "Example:", "", *_example_block(doc), ""]
    return out


def fields_markdown() -> str:
    out = [
        "# Field reference",
        "",
        "<!-- generated by `microcred generate` from build/microcred/contract/models.py and contract/examples.py; do not edit -->",
        "",
        "Every catalogue file is YAML. This page lists every field the validator accepts; any other field "
        "is refused. The same rules are published as JSON Schemas "
        "([credential](../schema/credential.schema.json), [provider](../schema/provider.schema.json)) "
        "so that editors can complete and check the fields as you type.",
        "",
        "*Text* fields take plain text in the entry's first language, or translations keyed by "
        "language tag, e.g. `title: {en: PLC basics, de: SPS-Grundlagen}`. Write codes that start "
        "with a zero in quotes (`field: \"0714\"`).",
        "",
    ]
    for kind in RECORDS:
        title, intro = _INTRO[kind]
        docs = record_docs(kind)
        out += [f"## {title}", "", intro, "", "| field | required | type | description |", "|---|---|---|---|"]
        for doc in docs:
            out.append(f"| `{doc.path}` | {'yes' if doc.required else 'no'} | {_cell(doc.type)} | "
                       f"{_cell(doc.description)} |")
        out.append("")
        for doc in docs:
            out += _field_section(doc)
    out += _nqf_section()
    return "\n".join(out).rstrip("\n") + "\n"


def _nqf_section() -> list[str]:
    """The table of NQF levels (contract/vocab/nqf.tsv) that `level.nqf` is checked against."""
    out = ["## National qualifications frameworks", "",
           "`level.nqf.level` is checked for the countries below: a level their framework does not have is an "
           "error (`unknown-nqf-level`), and a level that corresponds to another EQF level than `level.eqf` "
           "a warning (`nqf-eqf-mismatch`). Levels may be written as the QDR writes them, e.g. `Level 4+`. "
           "For every other country the level is free text, written as the country's framework writes it. "
           "The table is `build/microcred/contract/vocab/nqf.tsv`, which names the source of each row.",
           "", "| country | framework | level → EQF level | source |", "|---|---|---|---|"]
    for country, framework in vocab.nqf_frameworks().items():
        levels = ", ".join(f"{row.level} → {row.eqf if row.eqf is not None else 'none'}"
                           for row in framework.levels.values())
        out.append(f"| {country} | {_cell(framework.name)} | {levels} | {_cell(framework.source)} |")
    return out + [""]
