"""Validation: catalogue files in, every problem and the checked catalogue out.

Stages: find files -> parse YAML (yamlload) -> check each record (models)
-> check across files. Problems are collected, never raised, so one run
reports everything.

Budget: 10,000 credentials in 3 s on two cores (`make bench`). CPU time per
10,000 synthetic credentials (AMD EPYC, Python 3.11), one process:
libyaml's event stream 1.6 s (the floor: PyYAML makes a Python object and two
marks per event, ~150 events per file), building values and marks from it
1.4 s, pydantic with our value checks 0.6 s, reading files 0.1 s, listing them
0.06 s; start-up (imports) 0.3 s. Files are checked in worker processes
(check_credentials), so the run takes about 2.3-2.7 s of wall time when both
cores are free.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
import types
import typing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import codeowners
from ..contract import vocabularies as vocab
from ..catalogue.model import Catalogue, CredentialEntry, ProviderEntry
from ..contract.models import ID_PART, Credential, Provider, _kind_of
from ..contract.problems import KINDS, Problem
from ..contract.yamlload import MAX_BYTES, Document, LoadFailed, parse

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
    catalogue: Catalogue | None  # None when validate() was asked not to keep records
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
        # name a look-alike: Cyrillic 'а' in 'аcme' shows just like the ASCII letter
        odd = next((ch for ch in part if not ch.isascii()), None)
        why = f" ('{odd}' is U+{ord(odd):04X}, not an ASCII letter)" if odd else ""
        return f"{what} '{part}' is not a valid id{why}: use lowercase letters, digits and single hyphens"
    if len(part) > MAX_ID_PART:
        return f"{what} '{part}' is {len(part)} characters long; at most {MAX_ID_PART} are allowed"
    if part in RESERVED_IDS:
        return f"{what} '{part}' is a reserved name"
    return None


def _listing(folder: Path) -> list[os.DirEntry]:
    """A folder's entries in the order sorted(folder.iterdir()) gives.

    os.scandir knows from the directory listing whether an entry is a folder or
    a link, so the catalogue is walked without a stat() per file (three times
    faster than pathlib on 10,000 files). Paths compare by normcase'd name.
    """
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda e: os.path.normcase(e.name))


def find_files(root: Path) -> Layout:
    layout = Layout({}, {}, {}, [])
    seen_lower: dict[str, Path] = {}
    for top in _listing(root):
        if top.name.startswith("."):
            continue
        entry = root / top.name
        if top.is_symlink() or not top.is_dir():
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
        for listed in _listing(entry):
            name = listed.name
            if name.startswith("."):
                continue
            item = entry / name
            if listed.is_symlink() or listed.is_dir() or not name.endswith(".yaml"):
                hint = "rename it to .yaml" if item.suffix.lower() == ".yml" or item.suffix == ".YAML" else ""
                layout.problems.append(Problem.of(
                    "misplaced-file", shown(item), 1, 1,
                    f"'{item.name}' is not a credential file: the catalogue holds only "
                    f"<provider-id>/<slug>.yaml files{' and no folders or links inside a provider folder' if listed.is_dir() or listed.is_symlink() else ''}",
                    hint=hint))
                continue
            if name == PROVIDER_FILE:
                layout.provider_files[provider_id] = item
                continue
            slug = name[:-len(".yaml")]
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


def read(path: Path | str) -> bytes:
    """The file's bytes; a file over the limit is refused by its size, unread.

    Plain os calls rather than open(), and a buffer of the file's size rather than
    of the limit: allocating 1 MiB per file cost 0.2 s of system time on 10,000
    files, the buffered file object another 0.1 s.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        size = os.fstat(fd).st_size
        if size > MAX_BYTES:
            raise LoadFailed([Problem.of("file-too-large", shown(path), 1, 1,
                                         f"file is {size:,} bytes; at most {MAX_BYTES:,} bytes are allowed")])
        data = os.read(fd, size + 1)  # one byte more than expected shows a file that grew meanwhile
        if len(data) != size:  # it changed meanwhile (or a short read): read on to the end or the limit;
            while len(data) <= MAX_BYTES:  # parse() refuses what is then too large
                more = os.read(fd, MAX_BYTES + 1 - len(data))
                if not more:
                    break
                data += more
        return data
    finally:
        os.close(fd)


# --- one credential file, as the cross-file checks need it --------------------


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
    try:
        doc = parse(file, read(path))
    except LoadFailed as failed:
        return Checked(file, failed.problems)
    except OSError as e:
        return Checked(file, [Problem.of("misplaced-file", file, 1, 1, f"cannot read the file: {e.strerror}")])
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


def _check_chunk(paths: list[str], on: date, keep_records: bool) -> list[Checked]:
    folders: dict[str, str | None] = {}
    return [check_credential(path, on, keep_records, folders) for path in paths]


# Worker processes pay for themselves from a few hundred files: forking and handing
# results back cost a few tens of milliseconds, one file about 0.4 ms of CPU. Measured on
# 2 cores: 300 files break even, 1,000 files 0.47 s -> 0.33 s, 10,000 files 4.9 s -> 2.7 s.
PARALLEL_FROM = 500  # credential files
CHUNK = 50  # files per task: at the end the main process waits for the tasks a worker holds (1-2)


def _jobs() -> int:
    """Processes to check files with: MICROCRED_JOBS, else the CPUs this process may use."""
    wanted = os.environ.get("MICROCRED_JOBS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _can_fork() -> bool:
    # fork shares the loaded models with the workers at no cost; spawn would import and
    # build them again in each worker. macOS system libraries are not fork-safe, and
    # forking while other threads run (a dev server, say) can leave a lock held in the child.
    return ("fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
            and threading.active_count() == 1)


def check_credentials(paths: list[Path], on: date, keep_records: bool = True) -> list[Checked]:
    """check_credential for every path, in order; in worker processes when there are many.

    The main process works too: it takes tasks from the end of the queue (by
    cancelling those no worker has picked up yet) while the workers take them
    from the front, so no core idles and the results keep the files' order.
    """
    jobs = _jobs()
    names = [str(p) for p in paths]
    if len(paths) < PARALLEL_FROM or jobs < 2 or not _can_fork():
        return _check_chunk(names, on, keep_records)
    chunks = [names[i:i + CHUNK] for i in range(0, len(names), CHUNK)]
    done: list[list[Checked] | None] = [None] * len(chunks)
    try:
        pool = ProcessPoolExecutor(jobs - 1, mp_context=multiprocessing.get_context("fork"))
    except (OSError, ImportError, NotImplementedError):  # no working semaphores (some sandboxes)
        return _check_chunk(names, on, keep_records)
    with pool:
        tasks = [pool.submit(_check_chunk, chunk, on, keep_records) for chunk in chunks]
        for i in reversed(range(len(chunks))):
            if tasks[i].cancel():  # not started by a worker: do it here
                done[i] = _check_chunk(chunks[i], on, keep_records)
        return [checked for i, task in enumerate(tasks) for checked in (done[i] or task.result())]


# --- across files ------------------------------------------------------------


def cross_checks(credentials: dict[str, Checked], known_ids: set[str]) -> list[Problem]:
    out = []
    claimed: dict[str, str] = {}
    for cid, entry in credentials.items():
        for i, (target, line, col) in enumerate(entry.stacks_into):
            path = dotted(("stackability", "stacks_into", i))
            if target == cid:
                out.append(Problem.of("unresolved-reference", entry.file, line, col,
                                      "a credential cannot stack into itself", path=path))
            elif target not in known_ids:
                out.append(Problem.of("unresolved-reference", entry.file, line, col,
                                      f"no credential '{target}' in the register", path=path,
                                      hint=_near_id(target, known_ids)))
        for i, (old, line, col) in enumerate(entry.previous_ids):
            path = dotted(("previous_ids", i))
            if old in known_ids:
                out.append(Problem.of("id-reused", entry.file, line, col,
                                      f"'{old}' is the id of a credential in the register; ids are never reused",
                                      path=path))
            elif old.partition("/")[0] != cid.partition("/")[0]:
                # else one provider's folder (its maintainers' review alone) could take over
                # the address of another provider's retired credential
                out.append(Problem.of("unresolved-reference", entry.file, line, col,
                                      f"'{old}' is an id of another provider; previous ids must be ids this "
                                      f"provider's own credentials had", path=path,
                                      hint="the register maintainers move a credential between providers"))
            elif old in claimed:
                out.append(Problem.of("duplicate-id", entry.file, line, col,
                                      f"'{old}' is also listed as a previous id of '{claimed[old]}'",
                                      path=path))
            claimed.setdefault(old, cid)
        out += entry.warnings
    return out


def _near_id(target: str, known_ids: set[str]) -> str:
    near = vocab.suggest(target, sorted(known_ids), cutoff=0.75)
    return f"did you mean '{near}'?" if near else ""


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


# --- the whole run -------------------------------------------------------------


def catalogue_root(paths: list[Path]) -> Path:
    for p in paths:
        if p.is_dir():
            return p
    first = paths[0].resolve()
    # A file given alone: its catalogue is the nearest folder called catalogue, or else <root>/<provider>/<file>.
    named = next((parent for parent in first.parents if parent.name == "catalogue"), None)
    return named or first.parent.parent


def validate(root: Path, only: list[Path] | None = None, keep_records: bool = True) -> Result:
    """Check the catalogue at root; with `only`, just those files (and the checks that involve them).

    keep_records=False is for callers that need only the problems (the
    `validate` command): records are then not handed back from worker
    processes, and Result.catalogue is None.
    """
    # Cyclic garbage collection is paused while the files are read: every record adds
    # objects to the heap, and collections that scan it again and again cost about 1 s
    # on 10,000 files. A run makes next to no cyclic garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _validate(root, only, keep_records)
    finally:
        if collecting:
            gc.enable()


def _validate(root: Path, only: list[Path] | None, keep_records: bool) -> Result:
    layout = find_files(root)
    problems = list(layout.problems)
    wanted = {p.resolve() for p in only} if only else None
    if wanted is None:
        todo = layout.credential_files
        needed_providers = set(layout.provider_files)
    else:
        # The wanted files by id, without resolving every path of the catalogue (20,000
        # resolve() calls took 1.5 s on 10,000 files): find_files lists no links, so a
        # listed file's real path is the catalogue's real path / provider id / name.
        real_root = root.resolve()
        named = {(w.parent.name, w.name) for w in wanted if w.parent.parent == real_root}
        todo = {cid: path for cid, path in layout.credential_files.items()
                if (path.parent.name, path.name) in named}
        needed_providers = {pid for pid in layout.provider_files if (pid, PROVIDER_FILE) in named}
        needed_providers |= {cid.split("/")[0] for cid in todo}

    providers: dict[str, ProviderEntry] = {}
    credentials: dict[str, CredentialEntry] = {}
    files = 0
    for pid, path in layout.provider_files.items():
        if pid not in needed_providers:
            continue
        files += 1
        entry, found = _load(path, Provider)
        problems += found
        if entry:
            providers[pid] = ProviderEntry(pid, shown(path), path, entry[0], entry[1].data)
    files += len(todo)
    checked: dict[str, Checked] = {}
    for (cid, path), result in zip(todo.items(), check_credentials(list(todo.values()), today(), keep_records)):
        problems += result.problems
        if result.valid:
            checked[cid] = result
            if keep_records:
                pid, slug = cid.split("/")
                credentials[cid] = CredentialEntry(cid, pid, slug, result.file, path, result.record, result.data)
    problems += cross_checks(checked, set(layout.credential_files))
    if wanted is not None:
        files_wanted = {file: Path(file).resolve() in wanted for file in {p.file for p in problems}}
        problems = [p for p in problems if files_wanted[p.file]]
    problems += codeowners.check(root, layout.provider_files, only)
    problems.sort(key=Problem.sort_key)
    catalogue = Catalogue(root, providers, credentials) if keep_records else None
    return Result(catalogue, problems, files)


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
