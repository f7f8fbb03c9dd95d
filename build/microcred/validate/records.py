"""Checking one file on its own: its YAML, its record, and the warnings it earns.

pydantic checks the record against the models (contract.models); each of its
errors becomes a Problem at the position of the value (or, for a missing field,
of its parent key), in the register's own words.
"""

from __future__ import annotations

import os
import types
import typing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ValidationError

from ..contract import vocabularies as vocab
from ..contract.models import Credential, _kind_of
from ..contract.problems import KINDS, Problem, shown
from ..contract.yamlload import Document, LoadFailed, parse
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


def problems_of(error: ValidationError, doc: Document, model: type[BaseModel]) -> list[Problem]:
    out = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        kind, ctx = err["type"], err.get("ctx") or {}
        hint = ctx.get("hint", "") or ""
        if kind == "extra_forbidden":
            parent = model_at(model, loc[:-1])
            known = list(parent.model_fields) if parent else []
            near = vocab.suggest(str(loc[-1]), known, cutoff=0.5)
            where = f" in {dotted(loc[:-1])}" if loc[:-1] else ""
            code, message = "unknown-field", f"unknown field '{loc[-1]}'{where}"
            hint = f"did you mean '{near}'?" if near else ("allowed: " + ", ".join(known) if known else "")
            line, col = doc.position(loc, at_key=True)
        elif kind == "missing" or (kind == "missing-field" and "at" in ctx):
            if kind == "missing":
                code, message = "missing-field", f"required field '{loc[-1]}' is missing" + (
                    f" in {dotted(loc[:-1])}" if loc[:-1] else "")
                line, col = doc.position(loc[:-1], at_key=True) if loc[:-1] else (1, 1)
                info = (model_at(model, loc[:-1]) or model).model_fields.get(loc[-1])
                hint = hint or (info.description or "" if info else "")
            else:
                code, message = "missing-field", err["msg"]
                line, col = doc.position(loc + (ctx["at"],), at_key=True)
                loc = loc + (ctx["at"],)
        elif kind in KINDS:
            code, message = kind, err["msg"]
            if "at" in ctx:
                loc = loc + (ctx["at"],)
                line, col = doc.position(loc, at_key=True)
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
            if sub is not None:
                hint = "fields: " + ", ".join(sub.model_fields)
            line, col = doc.position(loc)
        else:  # a kind pydantic may add later: still reported, in its own words
            code, message = "wrong-type", err["msg"]
            line, col = doc.position(loc)
        out.append(Problem.of(code, doc.file, line, col, message, path=dotted(loc), hint=hint))
    return out


def load(path: Path | str, file: str) -> tuple[Document | None, list[Problem]]:
    """One file read and parsed: its Document, or None and the problems that stopped it."""
    try:
        return parse(file, read(path)), []
    except LoadFailed as failed:
        return None, failed.problems
    except OSError as e:
        return None, [Problem.of("misplaced-file", file, 1, 1, f"cannot read the file: {e.strerror}")]


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
    data: dict | None = None


def check_credential(path: Path | str, on: date, keep_record: bool = True,
                     folders: dict[str, str | None] | None = None) -> Checked:
    """Parse and check one credential file; on: the day review dates are compared with.

    folders: a cache for shown_in(), shared by the calls of one run.
    """
    file = shown(path) if folders is None else shown_in(os.fspath(path), folders)
    doc, problems = load(path, file)
    if doc is None:
        return Checked(file, problems)
    record, problems = check_record(doc, Credential)
    if record is None:
        return Checked(file, problems)
    checked = Checked(file, problems, True, warnings=record_warnings(record, doc, on))
    if record.stackability:
        checked.stacks_into = [(target, *doc.position(("stackability", "stacks_into", i)))
                               for i, target in enumerate(record.stackability.stacks_into)]
    checked.previous_ids = [(old, *doc.position(("previous_ids", i))) for i, old in enumerate(record.previous_ids)]
    if keep_record:
        checked.record, checked.data = record, doc.data
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


def record_warnings(rec: Credential, doc: Document, on: date) -> list[Problem]:
    out = []
    w = rec.workload
    if w.ects is not None and w.hours is not None and not (25 * w.ects <= w.hours <= 30 * w.ects):
        out.append(Problem.of(
            "workload-mismatch", doc.file, *doc.position(("workload", "hours")),
            f"{w.hours:g} hours for {w.ects:g} ECTS is outside 1 ECTS = 25–30 hours "
            f"(expected {25 * w.ects:g}–{30 * w.ects:g} hours)", path="workload.hours"))
    if rec.review_by and rec.status != "withdrawn" and rec.review_by < on:
        out.append(Problem.of("review-overdue", doc.file, *doc.position(("review_by",)),
                              f"the review date {rec.review_by} has passed; check the entry and set a new review_by",
                              path="review_by"))
    return out
