"""Checking one file on its own: its YAML, its record, and the warnings it earns.

pydantic checks the record against the models (contract.models); each of its
errors becomes a Problem at the position of the value (or, for a missing field,
of its parent key), in the register's own words.
"""

from __future__ import annotations

import hashlib
import os
import re
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, TypeAdapter, ValidationError, WithJsonSchema

from ..catalogue.brief import Brief
from ..catalogue.model import Written
from ..contract import examples as ex
from ..contract import vocabularies as vocab
from ..contract.models import RECORDS, Credential, Record, Url, _kind_of
from ..contract.problems import KINDS, Problem, shown
from ..contract.yamlload import Document, LoadFailed, flow, parse
from .files import read


def _unwrap(annotation):
    """The model class inside Optional[...], list[...] and Annotated[...], if any."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = models[0] if len(models) == 1 else annotation
            if len(models) != 1:
                return None
        elif origin is list:
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def model_at(model: type[BaseModel], path: tuple) -> type[BaseModel] | None:
    for part in path:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        model = _unwrap(info.annotation) if info else None
        if model is None:
            return None
    return model


def dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_WRONG_TYPE = {
    "model_type": "a mapping of fields", "model_attributes_type": "a mapping of fields",
    "dict_type": "a mapping", "list_type": "a list", "bool_type": "true or false",
    "bool_parsing": "true or false", "string_type": "text", "int_type": "a whole number",
    "float_type": "a number",
}

_KIND_OF_MODEL = {model: kind for kind, model in RECORDS.items()}


def problems_of(error: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    out = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        kind, ctx = err["type"], err.get("ctx") or {}
        hint = ctx.get("hint", "") or ""
        if kind == "extra_forbidden":
            parent = model_at(model, loc[:-1])
            known = list(parent.model_fields) if parent else []
            where = f" in {dotted(loc[:-1])}" if loc[:-1] else ""
            code, message = "unknown-field", f"unknown field '{loc[-1]}'{where}"
            hint = _unknown_field_hint(model, loc, err.get("input"), known, doc)
            line, col = doc.position(loc, at_key=True)
        elif kind == "missing" or (kind == "missing-field" and "at" in ctx):
            if kind == "missing":
                parent = model_at(model, loc[:-1]) or model
                code = "missing-field"
                (line, col), where = _missing_position(doc, parent, loc[:-1], loc[-1])
                message = f"required field '{loc[-1]}' is missing" + (
                    f" in {dotted(loc[:-1])}" if loc[:-1] else "") + where
                hint = hint or _field_hint(model, parent, loc)
            else:
                code, message = "missing-field", err["msg"]
                line, col = doc.position(loc + (ctx["at"],), at_key=True)
                loc = loc + (ctx["at"],)
        elif kind in KINDS:
            code, message = kind, err["msg"]
            if "at" in ctx:
                loc = loc + (ctx["at"],)
                line, col = doc.position(loc, at_key=ctx.get("on") != "value")
            else:
                line, col = doc.position(loc)
        elif kind == "too_short":
            code = "missing-field" if ctx.get("actual_length") == 0 else "out-of-range"
            need = ctx.get("min_length", 1)
            message = f"must list at least {need} item{'' if need == 1 else 's'}"
            line, col = doc.position(loc)
        elif kind in _WRONG_TYPE:
            value = err.get("input")
            code, message = "wrong-type", f"expected {_WRONG_TYPE[kind]}, got {_kind_of(value)}"
            sub = model_at(model, loc)
            if kind == "list_type" and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                hint = _as_list_hint(model, loc, value)
            elif sub is not None:
                hint = _lone_value_hint(sub, loc, value) or "fields: " + ", ".join(sub.model_fields)
            line, col = doc.position(loc)
        else:  # a kind pydantic may add later: still reported, in its own words
            code, message = "wrong-type", err["msg"]
            line, col = doc.position(loc)
        out.append(Problem.of(code, doc.file, line, col, message, path=dotted(loc), hint=hint))
    return out


# --- hints: what to write instead (all on the error path: a valid file never reaches them) -------


def _name(loc: tuple) -> str:
    """The field a location is in (the last name in it)."""
    return next((str(p) for p in reversed(loc) if isinstance(p, str)), "")


def _node(data, path: tuple):
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _annotation(model: type[BaseModel], loc: tuple):
    """The annotation of the field at loc (Optional[...] taken off), if loc names one."""
    parent = model_at(model, loc[:-1])
    info = parent.model_fields.get(loc[-1]) if parent is not None and isinstance(loc[-1], str) else None
    if info is None:
        return None
    annotation = info.rebuild_annotation()
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    return annotation


_ADAPTERS: dict[str, TypeAdapter] = {}  # by the annotation's repr: rebuild_annotation() makes a new object each time


def _as_written(annotation, value):
    """value as the field takes it: itself when valid, else the validator's suggestion, else None."""
    key = repr(annotation)
    adapter = _ADAPTERS.get(key)
    if adapter is None:
        adapter = _ADAPTERS[key] = TypeAdapter(annotation)
    try:
        adapter.validate_python(value)
        return value
    except ValidationError as e:
        first = e.errors(include_url=False)[0]
        return (first.get("ctx") or {}).get("suggestion")


def _item_annotation(annotation):
    """The annotation of a list's items, if the annotation is a list (with or without a length)."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is list else None


def _as_list_hint(model: type[BaseModel], loc: tuple, value) -> str:
    """A single value where a list belongs: the list to write, each item as its field takes it."""
    item = _item_annotation(_annotation(model, loc))
    texts = [v.strip() for v in value.split(",") if v.strip()] if isinstance(value, str) else [value]
    items = []
    for text in texts or [value]:
        fixed = _as_written(item, text) if item is not None else None
        items.append(text if fixed is None else fixed)
    return f"write {_name(loc)}: {flow(items)}"


def _lone_value_hint(sub: type[BaseModel], loc: tuple, value) -> str:
    """A single value where a mapping belongs: the mapping it is meant to be part of."""
    if not sub.lone_value or not isinstance(value, (str, int, float)) or isinstance(value, bool):
        return ""
    forms = []
    for field_name in sub.lone_value:
        annotation = _annotation(sub, (field_name,))
        item = _item_annotation(annotation)
        fixed = _as_written(item if item is not None else annotation, value)
        if fixed is None:
            continue
        mapping = {field_name: [fixed] if item is not None else fixed}
        if "currency" in sub.model_fields and fixed:  # an amount: with the currency it names, or one to fill in
            found = vocab.amount_from_text(value) if isinstance(value, str) else None
            mapping["currency"] = found[1] if found and found[1] else ...
        for name, info in sub.model_fields.items():
            if info.is_required() and name not in mapping:
                mapping[name] = ...
        forms.append(f"{_name(loc)}: {flow(mapping)}")
    return "write " + " or ".join(forms) if forms else ""


def _unknown_field_hint(model: type[BaseModel], loc: tuple, value, known: list[str], doc: Document) -> str:
    name = str(loc[-1])
    parent = ".".join(p for p in loc[:-1] if isinstance(p, str))
    meant = vocab.field_synonym(_KIND_OF_MODEL.get(model, ""), parent, name)
    if meant is not None:
        target, form = meant
        parts = target.split(".")
        at = model_at(model, loc[:-1]) or model
        written = _filled(form, at, tuple(parts), value)
        present = _node(doc.data, loc[:-1])
        if len(parts) > 1 and isinstance(present, dict) and parts[0] in present:
            inner = _nested(parts[1:], written)
            return f"did you mean '{target}'? move it into {parts[0]} as {inner}"
        return f"did you mean '{target}'? write {_nested(parts, written)}"
    near = vocab.suggest(name, known)
    if near:
        return f"did you mean '{near}'?"
    return "allowed: " + ", ".join(known) if known else ""


def _filled(form: str, model: type[BaseModel], path: tuple, value) -> str:
    """How a value is written in a synonym's form: VALUE as the field takes it, VALUES as a list."""
    scalar = isinstance(value, (str, int, float)) and not isinstance(value, bool)
    annotation = _annotation(model, path) if model_at(model, path[:-1]) is not None else None
    if "VALUES" in form:
        items = value if isinstance(value, list) else [value]
        item = _item_annotation(annotation) if annotation is not None else None
        fixed = [(_as_written(item, v) if item is not None else None) or v for v in items]
        return form.replace("VALUES", flow(fixed))
    if not scalar:
        return form.replace("VALUE", flow(value) if isinstance(value, (list, dict)) else "...")
    inner = re.search(r"(\w+): VALUE", form)  # the value goes into a field of a mapping: `{scheme: rio, value: VALUE}`
    if inner is not None:
        sub = model_at(model, path)
        annotation = _annotation(sub, (inner.group(1),)) if sub is not None else None
    fixed = _as_written(annotation, value) if annotation is not None and _item_annotation(annotation) is None else None
    return form.replace("VALUE", flow(value if fixed is None else fixed))


def _nested(parts: list[str] | tuple, written: str) -> str:
    text = f"{parts[-1]}: {written}"
    for part in reversed(parts[:-1]):
        text = f"{part}: {{{text}}}"
    return text


def _missing_position(doc: Document, parent: type[BaseModel], at: tuple, name: str) -> tuple[tuple[int, int], str]:
    """Where a missing field goes: before the first field given after it in the record's order, else after
    the last one before it. The record's order is the field reference's and `microcred new`'s, so the
    field lands where the other files have it, and the position is a line of the file, inside its mapping."""
    node = _node(doc.data, at)
    if isinstance(node, dict) and node:
        order = list(parent.model_fields)
        i = order.index(name) if name in order else len(order)
        after = next((f for f in order[i + 1:] if f in node), None)
        if after is not None:
            return doc.position(at + (after,), at_key=True), f"; add it before '{after}'"
        before = next((f for f in reversed(order[:i]) if f in node), None)
        if before is not None:
            return doc.position(at + (before,), at_key=True), f"; add it after '{before}'"
    return (doc.position(at, at_key=True) if at else (1, 1)), ""


def _field_hint(model: type[BaseModel], parent: type[BaseModel], loc: tuple) -> str:
    """What a field takes, and an example of it (contract/examples.py)."""
    info = parent.model_fields.get(loc[-1])
    if info is None:
        return ""
    expected = _expected(info.rebuild_annotation())
    example = _node(ex.EXAMPLES.get(_KIND_OF_MODEL.get(model, ""), {}),
                    tuple(p for p in loc if isinstance(p, str)))
    if example is None:  # inside a list of mappings: the example's first item
        example = _example_in_lists(ex.EXAMPLES.get(_KIND_OF_MODEL.get(model, ""), {}), loc)
    shown = _trimmed(info.rebuild_annotation(), example)
    return "; ".join(filter(None, [expected, f"e.g. {loc[-1]}: {flow(shown)}" if shown is not None else ""]))


def _example_in_lists(data, loc: tuple):
    for part in loc:
        if isinstance(part, int):
            continue
        if isinstance(data, list):
            data = data[0] if data else None
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _trimmed(annotation, example):
    """An example cut to what the hint needs: a list's first item (text) or items (codes); a mapping's
    required fields and its hint_fields."""
    sub = _unwrap(annotation)
    if isinstance(example, list):
        if sub is not None or any(isinstance(v, str) and len(v) > 20 for v in example):
            example = example[:1]
        return [_trimmed(sub, v) if sub is not None else v for v in example]
    if isinstance(example, dict) and sub is not None:
        keep = {n for n, info in sub.model_fields.items() if info.is_required()} | set(sub.hint_fields)
        return {k: _trimmed(sub.model_fields[k].rebuild_annotation(), v) for k, v in example.items() if k in keep}
    return example


def _expected(annotation) -> str:
    """What a field takes, in words: its allowed values or its format."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if (item := _item_annotation(annotation)) is not None:
        inner = _expected(item)
        return {"a mapping": "a list of mappings", "text": "a list of texts", "": "a list"}.get(inner, f"a list, each {inner}")
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "a mapping"
    if annotation is bool:
        return "true or false"
    schema = next((m.json_schema for m in getattr(annotation, "__metadata__", ())
                   if isinstance(m, WithJsonSchema) and m.json_schema), {})
    if "oneOf" in schema:
        return "one of: " + ", ".join(o["const"] for o in schema["oneOf"])
    if "anyOf" in schema:
        return "text"
    if schema.get("format") == "date":
        return "a date written YYYY-MM-DD"
    if schema.get("format") == "uri":
        return "an address starting with https://"
    if schema.get("type") in ("number", "integer"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        what = "a whole number" if schema["type"] == "integer" else "a number"
        return f"{what} from {low:g} to {schema['maximum']:g}" if "minimum" in schema else \
            f"{what} above {low:g}, at most {schema['maximum']:g}"
    if "description" in schema:
        what = schema["description"]
        return what if what.startswith(("a ", "an ")) else f"{'an' if what[0] in 'AEIOUaeiou' else 'a'} {what}"
    return "text" if schema.get("type") == "string" else ""


def load(path: Path | str, file: str) -> tuple[Document | None, list[Problem]]:
    """One file read and parsed: its Document, or None and the problems that stopped it."""
    raw, problems = read_file(path, file)
    return (None, problems) if raw is None else parse_file(file, raw)


def read_file(path: Path | str, file: str) -> tuple[bytes | None, list[Problem]]:
    try:
        return read(path), []
    except LoadFailed as failed:
        return None, failed.problems
    except OSError as e:
        return None, [Problem.of("misplaced-file", file, 1, 1, f"cannot read the file: {e.strerror}")]


def parse_file(file: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    try:
        return parse(file, raw), []
    except LoadFailed as failed:
        return None, failed.problems


def source_digest(file: str, raw: bytes) -> str:
    """A file as checked: its name as shown in messages and its bytes (recall.py looks results up by it)."""
    return hashlib.blake2b(file.encode("utf-8") + b"\0" + raw, digest_size=16).hexdigest()


def check_record(doc: Document, model: type[BaseModel]):
    try:
        return model.model_validate(doc.data), []
    except ValidationError as error:
        return None, problems_of(error, doc, model)


@dataclass(slots=True)
class Checked:
    """One credential file checked on its own: what the run needs of it afterwards.

    Small and picklable, so worker processes can hand it back: the marks of
    the parsed Document stay behind, and only the positions the cross-file
    checks may report at travel (stacks_into and previous_ids items).
    """

    file: str  # as shown in messages
    problems: list[Problem]
    valid: bool = False
    stacks_into: list[tuple[str, int, int]] = field(default_factory=list)  # (id, line, column)
    previous_ids: list[tuple[str, int, int]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    record: Credential | None = None  # only when records are kept
    written: Written | None = None
    source: str | None = None  # the file as read (source_digest), when it could be read
    brief: Brief | None = None  # with the record (catalogue/model.py)


def check_credential(path: Path | str, on: date, keep_record: bool = True,
                     folders: dict[str, str | None] | None = None) -> Checked:
    """Parse and check one credential file; on: the day review dates are compared with.

    folders: a cache for shown_in(), shared by the calls of one run.
    """
    file = shown(path) if folders is None else shown_in(os.fspath(path), folders)
    raw, problems = read_file(path, file)
    if raw is None:
        return Checked(file, problems)
    source = source_digest(file, raw) if keep_record else None  # only a build recalls files (recall.py)
    doc, problems = parse_file(file, raw)
    if doc is None:
        return Checked(file, problems, source=source)
    record, problems = check_record(doc, Credential)
    if record is None:
        return Checked(file, problems, source=source)
    checked = Checked(file, problems, True, warnings=record_warnings(record, doc, on), source=source)
    if record.stackability:
        checked.stacks_into = [(target, *doc.position(("stackability", "stacks_into", i)))
                               for i, target in enumerate(record.stackability.stacks_into)]
    checked.previous_ids = [(old, *doc.position(("previous_ids", i))) for i, old in enumerate(record.previous_ids)]
    if keep_record:
        checked.record, checked.written, checked.brief = record, Written.of(file, doc.data), Brief.of(record)
    return checked


def shown_in(path: str, folders: dict[str, str | None]) -> str:
    """shown(path), with the relative form of the file's folder worked out once per folder.

    os.path.relpath costs as much as parsing a small file's header; a run shows
    thousands of files from a few hundred folders (and never changes directory).
    """
    folder, name = os.path.split(path)
    if folder in folders:
        rel = folders[folder]
    else:
        try:
            rel = os.path.relpath(folder) if folder else os.curdir
        except ValueError:  # another drive (Windows)
            rel = None
        folders[folder] = rel
    if rel is None or rel.startswith(".."):
        return path
    return name if rel == os.curdir else os.path.join(rel, name)


def record_warnings(rec: Record, doc: Document, on: date) -> list[Problem]:
    """The warnings a checked record earns: every record its addresses, a credential its workload,
    levels and review date."""
    out = url_warnings(rec, doc)
    if not isinstance(rec, Credential):
        return out
    w = rec.workload
    if w.ects is not None and w.hours is not None and not (25 * w.ects <= w.hours <= 30 * w.ects):
        out.append(Problem.of(
            "workload-mismatch", doc.file, *doc.position(("workload", "hours")),
            f"{w.hours:g} hours for {w.ects:g} ECTS is outside 1 ECTS = 25–30 hours "
            f"(expected {25 * w.ects:g}–{30 * w.ects:g} hours)", path="workload.hours"))
    if w.ects is None and w.hours is not None and w.hours < MIN_PLAUSIBLE_HOURS and w.note is None:
        out.append(Problem.of(
            "workload-implausible", doc.file, *doc.position(("workload", "hours")),
            f"{w.hours:g} hours is very little for a micro-credential: if {w.hours:g} is meant as ECTS credits, "
            f"the workload is {25 * w.hours:g}–{30 * w.hours:g} hours", path="workload.hours",
            hint=f"for ECTS write workload: {{ects: {w.hours:g}}}; if it really is {w.hours:g} hours, "
                 "say how it is made up in workload.note"))
    nqf = rec.level.nqf
    framework = vocab.nqf_frameworks().get(nqf.country) if nqf is not None else None
    row = framework.level(nqf.level) if framework is not None else None
    if row is not None and row.eqf != rec.level.eqf:
        meant = f"EQF level {row.eqf}" if row.eqf is not None else "no EQF level"
        out.append(Problem.of(
            "nqf-eqf-mismatch", doc.file, *doc.position(("level", "nqf", "level")),
            f"{framework.name} level {row.level} ({nqf.country}) corresponds to {meant}, but level.eqf is "
            f"{rec.level.eqf}", path="level.nqf.level",
            hint=f"check both levels; the referencing: {framework.source}"))
    if rec.review_by and rec.status != "withdrawn" and rec.review_by < on:
        out.append(Problem.of("review-overdue", doc.file, *doc.position(("review_by",)),
                              f"the review date {rec.review_by} has passed; check the entry and set a new review_by",
                              path="review_by"))
    return out


# A workload under this many hours, given in hours only, is more likely ECTS credits written as hours.
MIN_PLAUSIBLE_HOURS = 10
# ESCO's concept URIs are http:// by definition; they are not links to serve over https.
_ESCO = "http://data.europa.eu/esco/"
_URL_PATHS: dict[type, list[tuple]] = {}


def _url_paths(model: type[BaseModel]) -> list[tuple]:
    """The paths of a model's URL fields, with None where a list's items are; worked out once per model."""
    found = _URL_PATHS.get(model)
    if found is None:
        found = []
        for name, info in model.model_fields.items():
            annotation = info.rebuild_annotation()
            if typing.get_origin(annotation) in (typing.Union, types.UnionType):
                args = [a for a in typing.get_args(annotation) if a is not type(None)]
                annotation = args[0] if len(args) == 1 else annotation
            if annotation is Url:
                found.append((name,))
            elif (sub := _unwrap(annotation)) is not None:
                while typing.get_origin(annotation) is typing.Annotated:  # list[...] with its length
                    annotation = typing.get_args(annotation)[0]
                many = typing.get_origin(annotation) is list
                found += [(name, *((None,) if many else ()), *rest) for rest in _url_paths(sub)]
        _URL_PATHS[model] = found
    return found


def url_warnings(rec: Record, doc: Document) -> list[Problem]:
    """url-not-https for every address of the record that starts with http:// (not ESCO's URIs)."""
    out: list[Problem] = []
    for path in _url_paths(type(rec)):  # runs for every record: the common case (no value, https) costs one getattr
        value = getattr(rec, path[0])
        if value:
            _http_urls(value, path, 1, (path[0],), doc, out)
    return out


def _http_urls(value, path: tuple, i: int, loc: tuple, doc: Document, out: list[Problem]) -> None:
    if i == len(path):
        if value[:7].lower() == "http://" and not value.startswith(_ESCO):
            out.append(Problem.of(
                "url-not-https", doc.file, *doc.position(loc),
                f"'{value[:200]}' is a plain http:// address; most sites serve https://", path=dotted(loc),
                hint=f"write https://{value[7:207]} and check that it opens"))
    elif path[i] is None:  # every item of a list
        for n, item in enumerate(value):
            _http_urls(item, path, i + 1, loc + (n,), doc, out)
    elif (inner := getattr(value, path[i])) is not None:
        _http_urls(inner, path, i + 1, loc + (path[i],), doc, out)
