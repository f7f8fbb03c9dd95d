"""The columns of a credential sheet, and how an entry becomes a row and a row an entry.

Column names are the field reference's dotted names (docs/reference/fields.md):

- a field, or a field of a mapping: `title`, `level.eqf`, `level.nqf.country`, `cost.amount`;
- a list of mappings gets a numbered set of columns per item, counted from 1:
  `quality_assurance[1].type`, `quality_assurance[1].body`, `quality_assurance[2].type`...
  (the reference's `quality_assurance[].type` with the item's number);
  items whose cells are all empty are left out, so numbers may have gaps;
- text that may be translated: `title` holds the text in the entry's first
  language; `title.<language>` columns hold translations (`title.de`); an entry
  whose text is given as translations has it in those columns only. `title`
  and `title.de` filled in together mean {<first language>: title, de: title.de};
- a list holds one item per line within its cell (`languages`, `keywords`,
  `start_dates`, `assessment.type`...); in a list of codes, commas and
  semicolons separate items too;
- learning outcomes are a list of texts that may be translated: one outcome
  per line in `learning_outcomes`, and line by line in
  `learning_outcomes.<language>` (line 2 of `learning_outcomes.de` translates
  outcome 2); a blank line keeps the lines of the columns in step.

Paths: the validator names a value by its key path in the record
(`quality_assurance[0].type`, counted from 0); in a sheet the same value is
named as its column (`quality_assurance[1].type`), and an item of a list cell
by its place, counted from 1 (`languages[2]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ...contract import vocabularies as vocab
from ..fieldref import FieldDoc, record_docs
from . import cells as c
from .cells import Column, Note, Raw, Unreadable

ID = "id"

_KINDS = {
    "text, or translations": c.TRANSLATABLE,
    "number": c.NUMBER,
    "whole number": c.WHOLE,
    "true or false": c.BOOL,
    "date": c.DATE,
    "list of text": c.LINES,
    "list of date": c.LINES,
    "list of text, or translations": c.TRANSLATABLE_LINES,
}
MAPPING, LIST_OF_MAPPINGS = "mapping", "list of mappings"


@cache
def docs() -> tuple[FieldDoc, ...]:
    return tuple(record_docs("credential"))


_COLUMNS: dict[str, Column] = {}


def column_of(doc: FieldDoc) -> Column:
    """How a field's cells are read (asked for every cell: worked out once per field)."""
    found = _COLUMNS.get(doc.path)
    if found is None:
        kind = _KINDS.get(doc.type, c.TEXT)
        code = bool(doc.allowed) and kind in (c.TEXT, c.LINES)
        found = _COLUMNS[doc.path] = Column(kind, code=code, isced=doc.path == "field",
                                            dates=doc.type == "list of date")
    return found


def is_container(doc: FieldDoc) -> bool:
    return doc.type in (MAPPING, LIST_OF_MAPPINGS)


# --- column names -------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A column: its name, the field it fills (`steps`: field names and, after a list of mappings, the item's
    number as the sheet counts it, from 1), the translation's language, and the field's reference entry."""

    name: str
    steps: tuple
    doc: FieldDoc | None  # None: the id column
    lang: str | None = None

    @property
    def column(self) -> Column:
        return column_of(self.doc)


class BadColumn(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message, self.hint = message, hint


_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?\Z")
_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")


def parse(name: str) -> Ref:
    """The column a header names; BadColumn with a message and a hint when it names none."""
    if name == ID:
        return Ref(ID, (ID,), None)
    segments = name.split(".")
    level: tuple[FieldDoc, ...] = docs()
    steps: list = []
    for i, segment in enumerate(segments):
        m = _SEGMENT.match(segment)
        doc = next((d for d in level if m and d.name == m[1]), None)
        if doc is None:
            raise BadColumn(f"unknown column '{name}'", _near(name))
        number = m[2]
        if doc.type == LIST_OF_MAPPINGS:
            if number is None or int(number) < 1:
                near = _near(name)
                if near and number is None:
                    raise BadColumn(f"unknown column '{name}'", near)
                raise BadColumn(f"unknown column '{name}': {doc.path} is a list; its columns are numbered from 1",
                                f"e.g. {_numbered(segments, i)}")
            steps += [doc.name, int(number)]
        elif number is not None:
            raise BadColumn(f"unknown column '{name}': {doc.path} is not a list of mappings; write it without "
                            f"[{number}]", _near(name))
        else:
            steps.append(doc.name)
        rest = segments[i + 1:]
        if doc.type == MAPPING:
            if not rest:
                raise BadColumn(f"unknown column '{name}': {doc.path} is a group of fields, with a column for each",
                                "columns: " + ", ".join(_template_of(name)))
            level = tuple(doc.children)
            continue
        if doc.type == LIST_OF_MAPPINGS:
            if not rest:
                raise BadColumn(f"unknown column '{name}': {doc.path} is a list of mappings, with columns for "
                                "each item", "columns: " + ", ".join(_template_of(name)))
            level = tuple(doc.children)
            continue
        if not rest:
            return Ref(name, tuple(steps), doc)
        lang = ".".join(rest)
        if column_of(doc).kind not in (c.TRANSLATABLE, c.TRANSLATABLE_LINES):
            raise BadColumn(f"unknown column '{name}': {doc.path} is {_a(doc.type)}, which has no translations",
                            _near(name))
        if not _LANG.match(lang) or not vocab.language_ok(lang):
            raise BadColumn(f"unknown column '{name}': '{lang}' is not a known BCP 47 language tag for a translation",
                            f"name the column {'.'.join(segments[:i + 1])}.<language>, e.g. "
                            f"{'.'.join(segments[:i + 1])}.de")
        return Ref(name, tuple(steps), doc, lang)
    raise BadColumn(f"unknown column '{name}'", _near(name))  # pragma: no cover (the loop returns)


def _a(kind: str) -> str:
    return ("a " if not kind.startswith(("true", "text")) else "") + kind


def _numbered(segments: list[str], i: int) -> str:
    m = _SEGMENT.match(segments[i])
    head = m[1] if m else segments[i]
    rest = segments[i + 1:] or [_first_child(segments[:i + 1])]
    return ".".join(segments[:i] + [f"{head}[1]"] + rest)


def _first_child(segments: list[str]) -> str:
    for name in template_names():
        if name.startswith(re.sub(r"\[\d+\]", "", ".".join(segments))):
            return name.rsplit(".", 1)[-1]
    return "..."


def _template_of(name: str) -> list[str]:
    base = re.sub(r"\[\d+\]", "", name)
    out = [n for n in template_names() if re.sub(r"\[\d+\]", "", n).startswith(base + ".")]
    return out[:6] + (["..."] if len(out) > 6 else [])


def _near(name: str) -> str:
    """did you mean ...? The nearest template column; the item number and a language as the header had them."""
    number = re.search(r"\[(\d+)\]", name)
    plain = re.sub(r"\[\d+\]", "[1]", name)
    plain = re.sub(r"\.(\d+)(?=\.|$)", "[1]", plain)  # quality_assurance.1.type
    names = list(template_names())
    lang = None
    head, _, tail = plain.rpartition(".")
    if head and vocab.language_ok(tail) and _LANG.match(tail) and plain not in names:
        plain, lang = head, tail
    near = vocab.suggest(plain, names, cutoff=0.6)
    if near is None:
        near = vocab.suggest(plain.rsplit(".", 1)[-1], names, cutoff=0.8)
    if near is None:
        return ""
    if number and "[1]" in near:
        near = near.replace("[1]", f"[{number[1]}]", 1)
    elif (dotted := re.search(r"\.(\d+)(?=\.|$)", name)) and "[1]" in near:
        near = near.replace("[1]", f"[{dotted[1]}]", 1)
    if lang and near in translatable_names():
        near = f"{near}.{lang}"
    return f"did you mean '{near}'?"


@cache
def template_names() -> tuple[str, ...]:
    """The columns of a blank sheet: id, then every field, lists of mappings with one item ([1])."""
    out = [ID]

    def walk(level, prefix):
        for doc in level:
            name = prefix + doc.name
            if doc.type == MAPPING:
                walk(doc.children, name + ".")
            elif doc.type == LIST_OF_MAPPINGS:
                walk(doc.children, f"{name}[1].")
            else:
                out.append(name)

    walk(docs(), "")
    return tuple(out)


@cache
def translatable_names() -> frozenset[str]:
    return frozenset(n for n in template_names() if n != ID and parse(n).column.kind in (c.TRANSLATABLE,
                                                                                       c.TRANSLATABLE_LINES))


def sort_key(ref: Ref, languages: dict[str, int]) -> tuple:
    """Columns in the order of the field reference, items by number, a text before its translations."""
    if ref.doc is None:
        return ((-1,),)
    key, level = [], docs()
    steps = list(ref.steps)
    while steps:
        name = steps.pop(0)
        index = next(i for i, d in enumerate(level) if d.name == name)
        doc = level[index]
        number = steps.pop(0) if doc.type == LIST_OF_MAPPINGS else 0
        key.append((index, number))
        level = tuple(doc.children)
    key.append((-1, 0) if ref.lang is None else (languages.setdefault(ref.lang, len(languages)), 1))
    return tuple(key)


# --- an entry as cells (export) -------------------------------------------------------


@dataclass
class Flat:
    cells: dict[str, object] = field(default_factory=dict)  # column name -> str | int | float | bool
    issues: list[tuple[tuple, str]] = field(default_factory=list)  # (key path, why it cannot go in a cell)


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool))


def flatten(data: dict) -> Flat:
    """An entry's data as cells by column name; what no cell can hold is listed in issues."""
    flat = Flat()
    _flatten_mapping(docs(), data, "", (), flat)
    return flat


def _flatten_mapping(level, value: dict, prefix: str, path: tuple, flat: Flat) -> None:
    known = {d.name: d for d in level}
    for key in value:
        if key not in known:
            flat.issues.append((path + (key,), f"unknown field '{key}': no column holds it"))
    for doc in level:
        if doc.name not in value or value[doc.name] is None:
            continue
        _flatten_field(doc, value[doc.name], prefix + doc.name, path + (doc.name,), flat)


def _flatten_field(doc: FieldDoc, v, name: str, path: tuple, flat: Flat) -> None:
    if doc.type == MAPPING:
        if isinstance(v, dict):
            _flatten_mapping(doc.children, v, name + ".", path, flat)
        else:
            flat.issues.append((path, "a group of fields is expected here; no column holds this value"))
        return
    if doc.type == LIST_OF_MAPPINGS:
        if not isinstance(v, list):
            flat.issues.append((path, "a list is expected here; no column holds this value"))
            return
        for i, item in enumerate(v):
            if isinstance(item, dict):
                _flatten_mapping(doc.children, item, f"{name}[{i + 1}].", path + (i,), flat)
            else:
                flat.issues.append((path + (i,), "a mapping is expected here; no column holds this value"))
        return
    kind = column_of(doc).kind
    if kind == c.TRANSLATABLE and isinstance(v, dict):
        for lang, text in v.items():
            if not isinstance(lang, str) or not _LANG.match(lang) or not _scalar(text):
                flat.issues.append((path + (lang,), "a translation is expected here: text under a language tag"))
            else:
                flat.cells[f"{name}.{lang}"] = text
        return
    if kind == c.TRANSLATABLE_LINES and isinstance(v, list):
        _flatten_translated_lines(v, name, path, flat)
        return
    if kind == c.LINES and isinstance(v, list):
        lines = []
        for i, item in enumerate(v):
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                item = c.number_text(item)
            if not isinstance(item, str) or not item.strip() or "\n" in item or "\r" in item:
                flat.issues.append((path + (i,), "a list item that is not one line of text cannot go in a cell"))
                continue
            lines.append(item)
        if lines:
            flat.cells[name] = "\n".join(lines)
        return
    if _scalar(v):
        flat.cells[name] = v
    else:
        flat.issues.append((path, f"{_a(doc.type)} is expected here; no cell holds this value"))


def _flatten_translated_lines(items: list, name: str, path: tuple, flat: Flat) -> None:
    columns: dict[str | None, list[str]] = {}
    for i, item in enumerate(items):
        texts = {None: item} if isinstance(item, str) else item if isinstance(item, dict) else None
        if texts is None or not texts:
            flat.issues.append((path + (i,), "text, or translations, is expected here"))
            continue
        for lang, text in texts.items():
            if lang is not None and (not isinstance(lang, str) or not _LANG.match(lang)):
                flat.issues.append((path + (i, lang), "a translation is expected here: text under a language tag"))
            elif not isinstance(text, str) or not text.strip() or "\n" in text or "\r" in text:
                where = path + (i,) + ((lang,) if lang else ())
                flat.issues.append((where, "an item of a list that is not one line of text cannot go in a cell"))
            else:
                lines = columns.setdefault(lang, [])
                lines += [""] * (i - len(lines))
                lines.append(text)
    for lang, lines in columns.items():
        flat.cells[name if lang is None else f"{name}.{lang}"] = "\n".join(lines)


# --- a row as an entry (import) -------------------------------------------------------

SHEET, FILE = "sheet", "file"  # where a cell's value comes from: the sheet, or (a column the sheet lacks) the file


@dataclass
class Given:
    ref: Ref
    value: object  # as cells.read made it
    at: tuple[int, int] | None  # (row, column) in the sheet; None for a value from the file
    origin: str = SHEET


@dataclass
class Entry:
    """A row made into an entry: its data, and for each key path the cell it came from and its name in the sheet."""

    data: dict = field(default_factory=dict)
    cells: dict[tuple, tuple[int, int] | None] = field(default_factory=dict)
    names: dict[tuple, str] = field(default_factory=dict)
    notes: list[tuple[tuple[int, int] | None, str, Note]] = field(default_factory=list)  # (cell, path name, note)


class _Texts:
    """The parts of one text that may be translated: the plain text and translations, with their cells."""

    def __init__(self):
        self.parts: dict[str | None, Given] = {}


class _Lines:
    def __init__(self):
        self.parts: dict[str | None, Given] = {}


def assemble(given: list[Given]) -> Entry:
    """The entry a row's cells make (the cells of columns the sheet lacks come from the file: origin FILE)."""
    tree: dict = {}
    for g in given:
        node = tree
        steps = g.ref.steps
        for step in steps[:-1]:
            node = node.setdefault(step, {})
        leaf = steps[-1]
        kind = g.ref.column.kind
        if kind == c.TRANSLATABLE:
            node.setdefault(leaf, _Texts()).parts[g.ref.lang] = g
        elif kind == c.TRANSLATABLE_LINES:
            node.setdefault(leaf, _Lines()).parts[g.ref.lang] = g
        else:
            node[leaf] = g
    entry = Entry()
    languages = tree.get("languages")
    first = None
    if isinstance(languages, Given) and isinstance(languages.value, list) and languages.value \
            and isinstance(languages.value[0], str):
        first = languages.value[0]
    entry.data = _build(tree, (), "", entry, first)
    return entry


def _build(node: dict, path: tuple, name: str, entry: Entry, first: str | None):
    if node and all(isinstance(k, int) for k in node):  # the numbered items of a list of mappings
        out = []
        for number in sorted(node):
            item_path, item_name = path + (len(out),), f"{name}[{number}]"
            entry.names[item_path] = item_name
            out.append(_build(node[number], item_path, item_name, entry, first))
        _first_cell(entry, path)
        return out
    out = {}
    for key, value in node.items():
        sub_path, sub_name = path + (key,), f"{name}.{key}" if name else key
        if isinstance(value, dict):
            entry.names[sub_path] = sub_name
            built = _build(value, sub_path, sub_name, entry, first)
            if built:
                out[key] = built
        elif isinstance(value, _Texts):
            text = _text(value, sub_path, sub_name, entry, first)
            if text is not None:
                out[key] = text
        elif isinstance(value, _Lines):
            items = _lines(value, sub_path, sub_name, entry, first)
            if items:
                out[key] = items
        else:
            out[key] = value.value
            entry.cells[sub_path] = value.at
            entry.names[sub_path] = sub_name
            if isinstance(value.value, list):
                for i in range(len(value.value)):
                    entry.cells[sub_path + (i,)] = value.at
                    entry.names[sub_path + (i,)] = f"{sub_name}[{i + 1}]"
    _first_cell(entry, path)
    return out


def _first_cell(entry: Entry, path: tuple) -> None:
    """A mapping or list is shown at its first cell."""
    if path in entry.cells:
        return
    under = [at for p, at in entry.cells.items() if at and p[:len(path)] == path and len(p) > len(path)]
    entry.cells[path] = min(under, key=lambda at: at[1]) if under else None


def _combine(parts: dict[str | None, object], plain_at, plain_origin: str, origins: dict, first: str | None,
             name: str, entry: Entry):
    """Plain text and translations of one text: a string, a mapping of translations, or None (conflict noted)."""
    plain = parts.get(None)
    langs = {k: v for k, v in parts.items() if k is not None}
    if plain is None:
        return langs or None
    if not langs:
        return plain
    if first is None:
        entry.notes.append((plain_at, name, Note(
            "inconsistent-record", f"{name} and its translations ({', '.join(f'{name}.{k}' for k in langs)}) are "
            "both filled in, and languages does not say which language the text in " + name + " is in",
            f"fill in languages, or move the text to {name}.<language>")))
        return None
    if first in langs:
        if plain_origin == FILE:
            return langs  # the sheet's translation replaces the file's text
        if origins[first] == SHEET:
            entry.notes.append((plain_at, name, Note(
                "inconsistent-record", f"{name} and {name}.{first} both give the text in {first}, "
                "the entry's first language", f"keep one of them; {name} is the text in the first language")))
            return None
        langs.pop(first)  # the sheet's text replaces the file's translation
    return {first: plain, **langs}


def _text(value: _Texts, path: tuple, name: str, entry: Entry, first: str | None):
    parts = {lang: g.value for lang, g in value.parts.items()}
    origins = {lang: g.origin for lang, g in value.parts.items()}
    plain = value.parts.get(None)
    combined = _combine(parts, plain.at if plain else None, plain.origin if plain else SHEET, origins, first,
                        name, entry)
    if combined is None:
        if plain is not None:
            entry.cells[path] = plain.at
            entry.names[path] = name
        return None
    entry.names[path] = name
    if isinstance(combined, str):
        entry.cells[path] = plain.at
        return combined
    for lang in combined:
        g = value.parts.get(lang) or plain
        entry.cells[path + (lang,)] = g.at
        entry.names[path + (lang,)] = f"{name}.{lang}" if lang in value.parts else name
    entry.cells[path] = next((value.parts[k].at for k in value.parts if value.parts[k].at), None)
    return combined


def _lines(value: _Lines, path: tuple, name: str, entry: Entry, first: str | None) -> list:
    columns = {lang: (g.value if isinstance(g.value, list) else [g.value]) for lang, g in value.parts.items()}
    count = max((len(lines) for lines in columns.values()), default=0)
    items = []
    entry.names[path] = name
    for line in range(count):
        parts, origins = {}, {}
        for lang, lines in columns.items():
            if line < len(lines) and not (isinstance(lines[line], str) and not lines[line].strip()):
                parts[lang] = lines[line]
                origins[lang] = value.parts[lang].origin
        if not parts:
            continue
        item_path, item_name = path + (len(items),), f"{name}[{line + 1}]"
        plain = value.parts.get(None)
        combined = _combine(parts, plain.at if plain else None, plain.origin if plain else SHEET, origins, first,
                            item_name, entry)
        if combined is None:
            continue
        entry.names[item_path] = item_name
        at = next((value.parts[k].at for k in parts if value.parts[k].at), None)
        entry.cells[item_path] = at
        if isinstance(combined, dict):
            for lang in combined:
                g = value.parts[lang] if lang in parts else plain
                entry.cells[item_path + (lang,)] = g.at if g else at
                entry.names[item_path + (lang,)] = f"{name}.{lang}[{line + 1}]" if lang in parts \
                    else f"{name}[{line + 1}]"
        items.append(combined)
    entry.cells[path] = next((g.at for g in value.parts.values() if g.at), None)
    return items


def read_given(ref: Ref, raw: Raw, at: tuple[int, int], decimal_comma: bool | None, entry_notes: list) -> Given | None:
    """A cell of the sheet as a Given (None: empty, or unreadable: then noted)."""
    try:
        got = c.read(ref.column, raw, decimal_comma)
    except Unreadable as e:
        entry_notes.append((at, ref.name, e.note))
        return None
    for note in got.notes:
        entry_notes.append((at, ref.name, note))
    if got.value is None or got.value == []:
        return None
    return Given(ref, got.value, at)
