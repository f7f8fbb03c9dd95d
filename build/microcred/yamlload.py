"""Safe YAML reading: plain data with the line and column of every key and value.

Values are built from libyaml's event stream rather than from composed nodes:
the stream is flat, so nothing recurses however deep a hostile file nests, and
each refusal (tags, anchors, duplicate keys, a second document) gets the
position of the event that caused it.

Plain scalars are resolved with the YAML 1.2 core schema, not PyYAML's 1.1
rules: `NO` (Norway) stays text instead of becoming false, and numbers with a
leading zero (`0714`, an ISCED-F code) stay text instead of becoming octal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml import events as ev

from .problems import Problem

try:  # libyaml; the pure-Python parser is the fallback only where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1 << 20
MAX_DEPTH = 12

Path = tuple  # keys and list indexes from the document root


@dataclass
class Document:
    """A parsed file: its data and where each piece of it stands (1-based)."""

    file: str
    data: object
    value_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, at_key: bool = False) -> tuple[int, int]:
        """Position of a path, or of its nearest ancestor that exists in the file."""
        path = tuple(path)
        while True:
            marks = self.key_marks if at_key else self.value_marks
            if path in marks:
                return marks[path]
            if at_key and path in self.value_marks:
                return self.value_marks[path]
            if not path:
                return (1, 1)
            path = path[:-1]
            at_key = True  # a missing field is reported at its parent's key


class LoadFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message if problems else "load failed")
        self.problems = problems


_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")


def resolve_plain(text: str):
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _line_col_of_offset(data: bytes | str, offset: int) -> tuple[int, int]:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    line = data.count(newline, 0, offset) + 1
    start = data.rfind(newline, 0, offset) + 1
    return line, offset - start + 1


def decode(file: str, raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise LoadFailed([Problem.of("file-too-large", file, 1, 1,
                                     f"file is {len(raw):,} bytes; at most {MAX_BYTES:,} bytes are allowed")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line, col = _line_col_of_offset(raw, e.start)
        raise LoadFailed([Problem.of("not-utf8", file, line, col,
                                     f"byte 0x{raw[e.start]:02x} is not valid UTF-8")]) from None
    return text[1:] if text.startswith("\ufeff") else text


def parse(file: str, raw: bytes) -> Document:
    """Bytes of one catalogue file to a Document, or LoadFailed with every problem found."""
    text = decode(file, raw)
    builder = _Builder(file)
    loader = _Loader(text)
    try:
        while loader.check_event():
            if builder.feed(loader.get_event()):
                break
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = (e.problem or "not valid YAML").strip()
        if e.context:
            message = f"{message} ({e.context.strip()})"
        builder.problems.append(Problem.of("yaml-syntax", file, line, col, message))
    except yaml.YAMLError as e:  # reader errors (control characters) carry an offset, not a mark
        position = getattr(e, "position", 0) or 0
        line, col = _line_col_of_offset(text, min(position, len(text)))
        reason = getattr(e, "reason", None) or str(e).splitlines()[0]
        character = getattr(e, "character", None)
        if isinstance(character, str):
            reason = f"character U+{ord(character):04X} is not allowed ({reason})"
        builder.problems.append(Problem.of("yaml-syntax", file, line, col, reason))
    finally:
        loader.dispose()
    if builder.problems:
        raise LoadFailed(builder.problems)
    if builder.root is None:
        raise LoadFailed([Problem.of("empty-file", file, 1, 1, "the file holds no YAML document")])
    if not isinstance(builder.root, dict):
        raise LoadFailed([Problem.of("yaml-not-mapping", file, *builder.root_mark,
                                     "the document must be a mapping of field names to values, "
                                     f"not {_kind(builder.root)}")])
    return Document(file, builder.root, builder.value_marks, builder.key_marks)


def _kind(value) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return "a single value"


class _Frame:
    __slots__ = ("container", "path", "key", "key_mark")

    def __init__(self, container, path):
        self.container = container
        self.path = path
        self.key = None  # mappings: the key waiting for its value
        self.key_mark = None


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.stack: list[_Frame] = []
        self.root = None
        self.root_mark = (1, 1)
        self.documents = 0
        self.problems: list[Problem] = []
        self.value_marks: dict[Path, tuple[int, int]] = {}
        self.key_marks: dict[Path, tuple[int, int]] = {}

    def _fail(self, code: str, mark, message: str) -> bool:
        self.problems.append(Problem.of(code, self.file, mark.line + 1, mark.column + 1, message))
        return True

    def feed(self, event) -> bool:
        """Take one event; True means stop reading this file."""
        if isinstance(event, ev.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                return self._fail("yaml-multiple-documents", event.start_mark,
                                  "a second YAML document starts here; a file holds exactly one")
            return False
        if isinstance(event, (ev.StreamStartEvent, ev.StreamEndEvent, ev.DocumentEndEvent)):
            return False
        if isinstance(event, ev.AliasEvent):
            return self._fail("yaml-alias", event.start_mark,
                              f"alias *{event.anchor} is not allowed; write the value out in full")
        if getattr(event, "anchor", None):
            return self._fail("yaml-alias", event.start_mark,
                              f"anchor &{event.anchor} is not allowed; write the value out in full")
        if getattr(event, "tag", None) is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
            return self._fail("yaml-tag", event.start_mark,
                              f"tag {tag} is not allowed; a catalogue file holds plain data only")
        if isinstance(event, ev.ScalarEvent):
            plain = event.style is None or event.style == ""
            return self._place(resolve_plain(event.value) if plain else event.value,
                               event.start_mark, is_scalar=True, raw=event.value)
        if isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
            if len(self.stack) >= MAX_DEPTH:
                return self._fail("yaml-too-deep", event.start_mark,
                                  f"values nest more than {MAX_DEPTH} levels deep")
            container = {} if isinstance(event, ev.MappingStartEvent) else []
            path = self._child_path(event.start_mark)
            if path is None:
                return True
            if self._place(container, event.start_mark, is_scalar=False):
                return True
            self.stack.append(_Frame(container, path))
            return False
        if isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
            self.stack.pop()
            return False
        return False

    def _child_path(self, mark) -> Path | None:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, dict):
            if top.key is None:
                self._fail("yaml-key-not-text", mark, "a key must be plain text, not a list or mapping")
                return None
            return top.path + (top.key,)
        return top.path + (len(top.container),)

    def _place(self, value, mark, is_scalar: bool, raw: str = "") -> bool:
        position = (mark.line + 1, mark.column + 1)
        if not self.stack:
            self.root, self.root_mark = value, position
            self.value_marks[()] = position
            return False
        top = self.stack[-1]
        if isinstance(top.container, list):
            self.value_marks[top.path + (len(top.container),)] = position
            top.container.append(value)
            return False
        if top.key is None:  # this scalar is a key
            key = raw
            if key in top.container:
                first = self.key_marks[top.path + (key,)]
                self._fail("yaml-duplicate-key", mark,
                           f"key '{key}' is given twice (first on line {first[0]})")
                key = _DuplicateKey(key)  # keep reading: report every duplicate, keep the first value
            else:
                self.key_marks[top.path + (key,)] = position
            top.key = key
            return False
        key, top.key = top.key, None
        if isinstance(key, _DuplicateKey):
            return False
        self.value_marks[top.path + (key,)] = position
        top.container[key] = value
        return False


class _DuplicateKey(str):
    pass
