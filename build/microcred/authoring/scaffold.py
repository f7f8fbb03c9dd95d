"""`microcred new` and `microcred new-provider`: a new file that validates as written.

The file lists every field of the record: the required ones filled in from the
options (or, in a terminal, from answers to prompts), the optional ones
commented out with an example and a hint, so a provider edits instead of
looking up field names. Each value is checked as it is given, with the
validator's own messages, and the finished text is validated before it is
written: with every required option given, the file validates.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, TypeAdapter, ValidationError

from ..contract import examples as ex
from ..contract.ids import PROVIDER_FILE, id_problem
from ..contract.problems import Problem, shown, text_line
from ..contract.yamlload import LoadFailed, parse
from ..errors import ScaffoldError, UsageError
from ..settings import today
from ..validate import codeowners as co
from ..validate.files import find_files
from ..validate.records import check_record, record_warnings
from .fieldref import RECORDS, describe, field_docs
from .yamlwrite import field_lines, item_lines

SCHEMA_LINE = "# yaml-language-server: $schema=../../docs/schema/{kind}.schema.json"
Ask = Callable[[str], str]


@dataclass(frozen=True)
class Question:
    option: str  # "--title"
    path: tuple  # where the answer goes: ("workload", "ects"); 0 = first item of a list
    prompt: str
    kind: str = "text"  # text | number | list (one line, comma-separated) | lines (one per line)
    required: bool = True
    skip: str = "optional, Enter to skip"  # said after the prompt of a question that may be left empty

    @property
    def dest(self) -> str:
        return self.option.lstrip("-").replace("-", "_")


CREDENTIAL_QUESTIONS = [
    Question("--title", ("title",), "Title"),
    Question("--outcome", ("learning_outcomes",), "Learning outcome", "lines"),
    # ECTS first: a number given as the workload is most often ECTS credits; hours only without them
    Question("--ects", ("workload", "ects"), "Workload in ECTS credits", "number", False,
             skip="Enter to give it in hours instead"),
    Question("--hours", ("workload", "hours"), "Workload in hours of notional learning (teaching, self-study, "
             "assessment)", "number", False),
    Question("--eqf", ("level", "eqf"), "EQF level (1-8)", "number"),
    Question("--assessment", ("assessment", "type"), "Type(s) of assessment, comma-separated", "list"),
    Question("--participation", ("participation",), "Form of participation"),
    Question("--qa", ("quality_assurance", 0, "type"), "Type of quality assurance"),
    Question("--field", ("field",), "ISCED-F 2013 field code, e.g. 0714"),
    Question("--language", ("languages",), "Language(s), comma-separated, e.g. de, en", "list"),
    Question("--cost", ("cost", "amount"), "Cost for the learner (0 if free)", "number"),
    Question("--currency", ("cost", "currency"), "Currency (ISO 4217, e.g. EUR)", required=False),
    Question("--url", ("url",), "The course's web page", required=False),
]

PROVIDER_QUESTIONS = [
    Question("--name", ("name",), "Name of the organisation"),
    Question("--country", ("country",), "Country (ISO 3166-1 alpha-2, e.g. DE)"),
    Question("--type", ("type",), "Type of organisation"),
    Question("--website", ("website",), "Website (https://...)"),
    Question("--maintainer", ("maintainers",), "GitHub handle(s) of who may change the folder, comma-separated", "list"),
    Question("--email", ("contact_email",), "Public contact e-mail", required=False),
]


def _option_help(q: Question) -> str:
    repeat = " (repeat for more)" if q.kind in ("lines", "list") else ""
    return q.prompt + repeat


def _add_options(parser: argparse.ArgumentParser, questions: list[Question]) -> None:
    group = parser.add_argument_group("values (asked for in a terminal when not given)")
    for q in questions:
        if q.kind in ("lines", "list"):
            group.add_argument(q.option, dest=q.dest, action="append", metavar="VALUE", help=_option_help(q))
        else:
            group.add_argument(q.option, dest=q.dest, metavar="VALUE", help=_option_help(q))


def add_credential_options(parser) -> None:
    _add_options(parser, CREDENTIAL_QUESTIONS)


def add_provider_options(parser) -> None:
    _add_options(parser, PROVIDER_QUESTIONS)


def ask_in_terminal() -> Ask | None:
    """A prompt when a person is typing (stdin is a terminal); None otherwise (CI, pipes)."""
    if not sys.stdin.isatty():
        return None

    def ask(prompt: str) -> str:
        if sys.stdout.isatty():
            try:
                return input(prompt)
            except EOFError:
                raise ScaffoldError("cancelled; nothing was written") from None
        sys.stderr.write(prompt)  # stdout is redirected: keep the questions visible
        sys.stderr.flush()
        line = sys.stdin.readline()
        if not line:
            raise ScaffoldError("cancelled; nothing was written")
        return line.rstrip("\n")

    return ask


# --- checking one answer --------------------------------------------------------


def _annotation_at(model: type[BaseModel], path: tuple):
    annotation = None
    for part in path:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].rebuild_annotation()
        _, _, sub = describe(annotation)
        model = sub or model
    return annotation


def _number(text: str):
    text = text.strip()
    if text.lower() == "free":
        return 0
    if re.fullmatch(r"[-+]?\d+", text):
        return int(text)
    try:
        return float(text.replace(",", "."))
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def convert(q: Question, raw) -> object:
    """The answer as the record holds it; ValueError with a plain message when it is not allowed."""
    if q.kind == "lines":
        value = [v.strip() for v in raw if v.strip()]
    elif q.kind == "list":
        value = [v.strip() for item in raw for v in item.split(",") if v.strip()]
    elif q.kind == "number":
        value = _number(raw)
    else:
        value = raw.strip()
    return value


def check(model: type[BaseModel], q: Question, value) -> object:
    try:
        TypeAdapter(_annotation_at(model, q.path)).validate_python(value)
        return value  # as given, not as parsed: the file shows what the provider wrote
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        hint = (err.get("ctx") or {}).get("hint")
        raise ValueError(err["msg"] + (f" ({hint})" if hint else "")) from None


def _put(data: dict, path: tuple, value) -> None:
    for i, part in enumerate(path[:-1]):
        nxt = path[i + 1]
        if isinstance(nxt, int):
            data = data.setdefault(part, [{}])[nxt]
        elif not isinstance(part, int):
            data = data.setdefault(part, {})
    data[path[-1]] = value


# --- gathering the values ---------------------------------------------------------


def _needed(q: Question, values: dict) -> bool:
    """Whether a question must be answered, given the answers so far."""
    if q.required:
        return True
    if q.option == "--hours":  # the workload in hours, when it was not given in ECTS
        return "ects" not in values.get("workload", {})
    if q.option == "--currency":
        return values.get("cost", {}).get("amount", 0) != 0
    return False


def _asked(q: Question, values: dict) -> bool:
    """Whether a terminal asks a question that may be left empty: ECTS, when no workload is given yet."""
    return q.option == "--ects" and not values.get("workload")


def _ask_one(q: Question, model, ask: Ask, must: bool):
    suffix = "" if must else f" ({q.skip})"
    _, allowed, _ = describe(_annotation_at(model, q.path))
    choices = re.findall(r"`([^`]+)` \(", allowed)
    hint = f" [{', '.join(choices)}]" if choices else ""
    while True:
        if q.kind == "lines":
            lines, n = [], 1
            while True:
                line = ask(f"{q.prompt} {n}{' (Enter when done)' if lines else ''}: ").strip()
                if not line:
                    break
                lines.append(line)
                n += 1
            raw = lines
        else:
            raw = ask(f"{q.prompt}{hint}{suffix}: ")
            raw = [raw] if q.kind == "list" else raw
        if not (raw if isinstance(raw, list) else raw.strip()):
            if not must:
                return None
            print("  an answer is needed", file=sys.stderr)
            continue
        try:
            return check(model, q, convert(q, raw))
        except ValueError as e:
            print(f"  {e}", file=sys.stderr)


def gather(model: type[BaseModel], questions: list[Question], options: dict, ask: Ask | None) -> dict:
    values: dict = {}
    for q in questions:  # options first: a wrong option is an error, not a prompt
        raw = options.get(q.dest)
        if raw is None or raw == []:
            continue
        try:
            _put(values, q.path, check(model, q, convert(q, raw)))
        except ValueError as e:
            raise ScaffoldError(f"{q.option}: {e}") from None
    missing = []
    for q in questions:
        if options.get(q.dest) not in (None, []) or not (
                _needed(q, values) or (ask and (q.required or _asked(q, values)))):
            continue
        if ask is None:
            missing.append("--ects or --hours" if q.option == "--hours" else q.option)
            continue
        answer = _ask_one(q, model, ask, _needed(q, values))
        if answer is not None:
            _put(values, q.path, answer)
    if missing:
        raise ScaffoldError(f"missing {', '.join(missing)}: give them as options, "
                            "or run the command in a terminal to be asked")
    return values


# --- the text -----------------------------------------------------------------------


def _hint(doc) -> str:
    need = "required" if doc.required else "optional"
    values = re.findall(r"`([^`]+)` \(", doc.allowed)
    allowed = f" One of: {', '.join(values)}." if values else ""
    return f"# {need}: {doc.description}.{allowed}".replace("..", ".")


def _commented(lines: list[str]) -> list[str]:
    return [f"# {line}" for line in lines]


def mapping_lines(docs, values: dict) -> list[str]:
    out = []
    for doc in docs:
        out.append(_hint(doc))
        if doc.name not in values:
            out += _commented(field_lines(doc.name, doc.example))
        elif doc.children and isinstance(values[doc.name], dict):
            out += [f"{doc.name}:"] + ["  " + line for line in mapping_lines(doc.children, values[doc.name])]
        elif doc.children and isinstance(values[doc.name], list):
            out.append(f"{doc.name}:")
            for item in values[doc.name]:
                out += ["  " + line for line in item_lines(mapping_lines(doc.children, item))]
        else:
            out += field_lines(doc.name, values[doc.name])
    return out


def render(kind: str, values: dict) -> str:
    docs = field_docs(RECORDS[kind], ex.EXAMPLES[kind], kind)
    head = [SCHEMA_LINE.format(kind=kind),
            "# Field reference: docs/reference/fields.md. Lines starting with # are ignored:",
            "# to use an optional field, delete the '# ' in front of it and write your value."]
    return "\n".join(head + [""] + mapping_lines(docs, values)) + "\n"


def _check_text(path: Path, kind: str, text: str) -> list[Problem]:
    """The warnings the new file earns; ScaffoldError when it would not validate."""
    try:
        doc = parse(shown(path), text.encode("utf-8"))
    except LoadFailed as failed:
        problems = failed.problems
    else:
        record, problems = check_record(doc, RECORDS[kind])
    if problems:  # a bug in the template, never the user's fault: say so plainly
        raise ScaffoldError("the new file would not validate: " + "; ".join(
            f"{p.path or p.file}: {p.message}" for p in problems))
    return record_warnings(record, doc, today())


def _check_id(part: str, what: str) -> None:
    if message := id_problem(part, what):
        raise ScaffoldError(message)


def _write_new(path: Path, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
            f.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{shown(path)} already exists; choose another slug, or edit that file") from None


def new_credential(catalogue: Path, provider_id: str, slug: str, options: dict, ask: Ask | None = None) -> str:
    _check_id(provider_id, "provider id")
    _check_id(slug, "slug")
    if slug == Path(PROVIDER_FILE).stem:
        raise ScaffoldError(f"slug '{slug}' is reserved for the provider's own file")
    folder = catalogue / provider_id
    if not (folder / PROVIDER_FILE).is_file():
        raise ScaffoldError(f"no provider '{provider_id}' in {shown(catalogue)}/ "
                            f"(no {shown(folder / PROVIDER_FILE)}); run: microcred new-provider {provider_id}")
    path = folder / f"{slug}.yaml"
    if path.exists():
        raise ScaffoldError(f"{shown(path)} already exists; choose another slug, or edit that file")
    values = gather(RECORDS["credential"], CREDENTIAL_QUESTIONS, options, ask)
    text = render("credential", values)
    warnings = _check_text(path, "credential", text)
    _write_new(path, text)
    for warning in warnings:  # e.g. a workload of 5 hours: said now, not first in the pull request
        print(text_line(warning), file=sys.stderr)
    return shown(path)


def new_provider(catalogue: Path, provider_id: str, options: dict, ask: Ask | None = None) -> list[str]:
    _check_id(provider_id, "provider id")
    if not catalogue.is_dir():
        raise ScaffoldError(f"{shown(catalogue)}: no such catalogue folder")
    folder = catalogue / provider_id
    path = folder / PROVIDER_FILE
    if path.exists():
        raise ScaffoldError(f"{shown(path)} already exists; edit that file instead")
    taken = {p.name.lower(): p for p in catalogue.iterdir()}
    if provider_id in taken and not folder.is_dir():
        raise ScaffoldError(f"{shown(taken[provider_id])} exists and is not a folder")
    values = gather(RECORDS["provider"], PROVIDER_QUESTIONS, options, ask)
    text = render("provider", values)
    warnings = _check_text(path, "provider", text)
    folder.mkdir(exist_ok=True)
    _write_new(path, text)
    for warning in warnings:  # e.g. a website given as http://
        print(text_line(warning), file=sys.stderr)
    written = [shown(path)]
    # A committed CODEOWNERS must name the new folder too, or validation fails: keep it in step.
    repo = co.repository_of(catalogue)
    if repo is not None and (repo / co.CODEOWNERS).is_file():
        owners = co.owners(repo, catalogue, find_files(catalogue).provider_files)
        if not co.unreadable(owners):
            (repo / co.CODEOWNERS).write_text(co.render(owners), "utf-8")
            written.append(shown(repo / co.CODEOWNERS))
    return written


def provider_folder(catalogue: Path, provider_id: str) -> Path:
    """The provider's folder in the catalogue; UsageError (exit 2), saying how to make it, when there is none."""
    if message := id_problem(provider_id, "provider id"):
        raise UsageError(message)
    if not catalogue.is_dir():
        raise UsageError(f"{shown(catalogue)}: no such catalogue folder")
    folder = catalogue / provider_id
    if not (folder / PROVIDER_FILE).is_file():
        raise UsageError(f"no provider '{provider_id}' in {shown(catalogue)}/ (no {shown(folder / PROVIDER_FILE)}); "
                         f"create it first with: microcred new-provider {provider_id}")
    return folder
