"""Validation: catalogue files in, every problem and the checked catalogue out.

Stages: find files -> parse YAML (yamlload) -> check each record (models)
-> check across files. Problems are collected, never raised, so one run
reports everything.
"""

from __future__ import annotations

import os
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import vocabularies as vocab
from .catalogue import Catalogue, CredentialEntry, ProviderEntry
from .models import ID_PART, Credential, Provider, _kind_of
from .problems import KINDS, Problem
from .yamlload import MAX_BYTES, Document, LoadFailed, parse

PROVIDER_FILE = "provider.yaml"
MAX_ID_PART = 64
# Names that would clash with site paths or with files on some operating systems.
RESERVED_IDS = {
    "api", "assets", "compare", "countries", "credentials", "fields", "index", "levels", "page",
    "pagefind", "providers", "schema", "search", "sectors", "workload", "con", "prn", "aux", "nul",
    *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10)),
}


@dataclass
class Result:
    catalogue: Catalogue
    problems: list[Problem]
    files: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def shown(path: Path) -> str:
    """The path as messages show it: relative to the working directory where possible."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def today() -> date:
    """The build's notion of today; SOURCE_DATE_EPOCH pins it for reproducible runs."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).date()
    return date.today()


# --- finding files -----------------------------------------------------------


@dataclass
class Layout:
    provider_files: dict[str, Path]  # provider id -> provider.yaml
    credential_files: dict[str, Path]  # id -> file
    folders: dict[str, Path]  # provider id -> folder
    problems: list[Problem]


def id_problem(part: str, what: str) -> str | None:
    if not ID_PART.match(part):
        return f"{what} '{part}' is not a valid id: use lowercase letters, digits and single hyphens"
    if len(part) > MAX_ID_PART:
        return f"{what} '{part}' is {len(part)} characters long; at most {MAX_ID_PART} are allowed"
    if part in RESERVED_IDS:
        return f"{what} '{part}' is a reserved name"
    return None


def find_files(root: Path) -> Layout:
    layout = Layout({}, {}, {}, [])
    seen_lower: dict[str, Path] = {}
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink() or not entry.is_dir():
            if entry.name.lower() not in ("readme.md",):
                layout.problems.append(Problem.of(
                    "misplaced-file", shown(entry), 1, 1,
                    f"'{entry.name}' does not belong at the top of the catalogue; "
                    "each provider has a folder catalogue/<provider-id>/"))
            continue
        provider_id = entry.name
        if message := id_problem(provider_id, "folder name"):
            layout.problems.append(Problem.of("invalid-id", shown(entry), 1, 1, message))
        layout.folders[provider_id] = entry
        for item in sorted(entry.iterdir()):
            if item.name.startswith("."):
                continue
            if item.is_symlink() or item.is_dir() or item.suffix != ".yaml":
                hint = "rename it to .yaml" if item.suffix.lower() == ".yml" or item.suffix == ".YAML" else ""
                layout.problems.append(Problem.of(
                    "misplaced-file", shown(item), 1, 1,
                    f"'{item.name}' is not a credential file: the catalogue holds only "
                    f"<provider-id>/<slug>.yaml files{' and no folders or links inside a provider folder' if item.is_dir() or item.is_symlink() else ''}",
                    hint=hint))
                continue
            if item.name == PROVIDER_FILE:
                layout.provider_files[provider_id] = item
                continue
            slug = item.stem
            if message := id_problem(slug, "file name"):
                layout.problems.append(Problem.of("invalid-id", shown(item), 1, 1, message))
            cid = f"{provider_id}/{slug}"
            if cid.lower() in seen_lower:
                layout.problems.append(Problem.of(
                    "duplicate-id", shown(item), 1, 1,
                    f"id '{cid}' differs only in letter case from '{shown(seen_lower[cid.lower()])}'"))
            seen_lower[cid.lower()] = item
            layout.credential_files[cid] = item
        if provider_id not in layout.provider_files:
            layout.problems.append(Problem.of(
                "missing-provider", shown(entry / PROVIDER_FILE), 1, 1,
                f"folder '{provider_id}' has no {PROVIDER_FILE}",
                hint=f"run: microcred new-provider {provider_id}"))
    return layout


# --- one record --------------------------------------------------------------


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


def check_record(doc: Document, model: type[BaseModel]):
    try:
        return model.model_validate(doc.data), []
    except ValidationError as error:
        return None, problems_of(error, doc, model)


def read(path: Path) -> bytes:
    """The file's bytes; a file over the limit is refused by its size, unread."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_BYTES:
            raise LoadFailed([Problem.of("file-too-large", shown(path), 1, 1,
                                         f"file is {size:,} bytes; at most {MAX_BYTES:,} bytes are allowed")])
        return f.read(MAX_BYTES + 1)  # a file growing meanwhile is still caught by parse()


# --- across files ------------------------------------------------------------


def cross_checks(credentials: dict[str, CredentialEntry], known_ids: set[str]) -> list[Problem]:
    out = []
    claimed: dict[str, str] = {}
    for cid, entry in credentials.items():
        rec, doc = entry.record, entry.doc
        if rec.stackability:
            for i, target in enumerate(rec.stackability.stacks_into):
                path = ("stackability", "stacks_into", i)
                if target == cid:
                    out.append(Problem.of("unresolved-reference", entry.file, *doc.position(path),
                                          "a credential cannot stack into itself", path=dotted(path)))
                elif target not in known_ids:
                    out.append(Problem.of("unresolved-reference", entry.file, *doc.position(path),
                                          f"no credential '{target}' in the register", path=dotted(path),
                                          hint=_near_id(target, known_ids)))
        for i, old in enumerate(rec.previous_ids):
            path = ("previous_ids", i)
            if old in known_ids:
                out.append(Problem.of("id-reused", entry.file, *doc.position(path),
                                      f"'{old}' is the id of a credential in the register; ids are never reused",
                                      path=dotted(path)))
            elif old in claimed:
                out.append(Problem.of("duplicate-id", entry.file, *doc.position(path),
                                      f"'{old}' is also listed as a previous id of '{claimed[old]}'",
                                      path=dotted(path)))
            claimed.setdefault(old, cid)
        out += record_warnings(entry)
    return out


def _near_id(target: str, known_ids: set[str]) -> str:
    near = vocab.suggest(target, sorted(known_ids), cutoff=0.75)
    return f"did you mean '{near}'?" if near else ""


def record_warnings(entry: CredentialEntry) -> list[Problem]:
    rec, doc, out = entry.record, entry.doc, []
    w = rec.workload
    if w.ects is not None and w.hours is not None and not (25 * w.ects <= w.hours <= 30 * w.ects):
        out.append(Problem.of(
            "workload-mismatch", entry.file, *doc.position(("workload", "hours")),
            f"{w.hours:g} hours for {w.ects:g} ECTS is outside 1 ECTS = 25–30 hours "
            f"(expected {25 * w.ects:g}–{30 * w.ects:g} hours)", path="workload.hours"))
    if rec.review_by and rec.status != "withdrawn" and rec.review_by < today():
        out.append(Problem.of("review-overdue", entry.file, *doc.position(("review_by",)),
                              f"the review date {rec.review_by} has passed; check the entry and set a new review_by",
                              path="review_by"))
    return out


# --- the whole run -------------------------------------------------------------


def catalogue_root(paths: list[Path]) -> Path:
    for p in paths:
        if p.is_dir():
            return p
    return paths[0].resolve().parent.parent


def validate(root: Path, only: list[Path] | None = None) -> Result:
    """Check the catalogue at root; with `only`, just those files (and the checks that involve them)."""
    layout = find_files(root)
    problems = list(layout.problems)
    wanted = {p.resolve() for p in only} if only else None

    def is_wanted(path: Path) -> bool:
        return wanted is None or path.resolve() in wanted

    providers: dict[str, ProviderEntry] = {}
    credentials: dict[str, CredentialEntry] = {}
    files = 0
    needed_providers = {cid.split("/")[0] for cid, p in layout.credential_files.items() if is_wanted(p)}
    for pid, path in layout.provider_files.items():
        if not (is_wanted(path) or pid in needed_providers):
            continue
        files += 1
        entry, found = _load(path, Provider)
        problems += found
        if entry:
            providers[pid] = ProviderEntry(pid, shown(path), path, entry[0], entry[1].data)
    for cid, path in layout.credential_files.items():
        if not is_wanted(path):
            continue
        files += 1
        entry, found = _load(path, Credential)
        problems += found
        if entry:
            pid, slug = cid.split("/")
            credentials[cid] = CredentialEntry(cid, pid, slug, shown(path), path, entry[0], entry[1].data, entry[1])
    problems += cross_checks(credentials, set(layout.credential_files))
    if wanted is not None:
        problems = [p for p in problems if Path(p.file).resolve() in wanted]
    problems.sort(key=Problem.sort_key)
    return Result(Catalogue(root, providers, credentials), problems, files)


def _load(path: Path, model):
    file = shown(path)
    try:
        doc = parse(file, read(path))
    except LoadFailed as failed:
        return None, failed.problems
    except OSError as e:
        return None, [Problem.of("misplaced-file", file, 1, 1, f"cannot read the file: {e.strerror}")]
    record, problems = check_record(doc, model)
    return ((record, doc) if record else None), problems
