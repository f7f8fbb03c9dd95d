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
    loader = _Loader(text)
    problems: list[Problem] = []
    built = None
    try:
        built = _build(loader, file, problems)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = (e.problem or "not valid YAML").strip()
        if e.context:
            message = f"{message} ({e.context.strip()})"
        problems.append(Problem.of("yaml-syntax", file, line, col, message))
    except yaml.YAMLError as e:  # reader errors (control characters) carry an offset, not a mark
        position = getattr(e, "position", 0) or 0
        line, col = _line_col_of_offset(text, min(position, len(text)))
        reason = getattr(e, "reason", None) or str(e).splitlines()[0]
        character = getattr(e, "character", None)
        if isinstance(character, str):
            reason = f"character U+{ord(character):04X} is not allowed ({reason})"
        problems.append(Problem.of("yaml-syntax", file, line, col, reason))
    finally:
        loader.dispose()
    if problems:
        raise LoadFailed(problems)
    root, root_mark, value_marks, key_marks = built
    if root is None:
        raise LoadFailed([Problem.of("empty-file", file, 1, 1, "the file holds no YAML document")])
    if not isinstance(root, dict):
        raise LoadFailed([Problem.of("yaml-not-mapping", file, *root_mark,
                                     "the document must be a mapping of field names to values, "
                                     f"not {_kind(root)}")])
    return Document(file, root, value_marks, key_marks)


def _kind(value) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return "a single value"


_NO_KEY = object()
_PLAIN_START = frozenset("-+.0123456789tTfFnN~")


def _build(loader, file: str, problems: list[Problem]):
    """Read events into values and marks; on a refusal, record it and stop.

    One flat loop over the event stream (hot: it runs for every value of
    every file), with the containers being filled kept on an explicit stack.
    """
    get_event = loader.get_event
    value_marks: dict[Path, tuple[int, int]] = {}
    key_marks: dict[Path, tuple[int, int]] = {}
    stack: list[list] = []  # [container, path, pending key or _NO_KEY]
    root, root_mark, documents = None, (1, 1), 0

    def fail(code: str, mark, message: str):
        problems.append(Problem.of(code, file, mark.line + 1, mark.column + 1, message))
        return None

    while True:
        event = get_event()
        kind = type(event)
        if kind is ev.StreamEndEvent or event is None:
            break
        if kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                return fail("yaml-multiple-documents", event.start_mark,
                            "a second YAML document starts here; a file holds exactly one")
            continue
        if kind is ev.StreamStartEvent or kind is ev.DocumentEndEvent:
            continue
        if kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            stack.pop()
            continue
        if kind is ev.AliasEvent:
            return fail("yaml-alias", event.start_mark,
                        f"alias *{event.anchor} is not allowed; write the value out in full")
        if event.anchor is not None:
            return fail("yaml-alias", event.start_mark,
                        f"anchor &{event.anchor} is not allowed; write the value out in full")
        if event.tag is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
            return fail("yaml-tag", event.start_mark,
                        f"tag {tag} is not allowed; a catalogue file holds plain data only")
        mark = event.start_mark
        position = (mark.line + 1, mark.column + 1)
        if kind is ev.ScalarEvent:
            raw = event.value
            if not event.style and (not raw or raw[0] in _PLAIN_START):
                value = resolve_plain(raw)
            else:
                value = raw
            is_container = False
        else:
            if len(stack) >= MAX_DEPTH:
                return fail("yaml-too-deep", mark, f"values nest more than {MAX_DEPTH} levels deep")
            value = {} if kind is ev.MappingStartEvent else []
            is_container = True
        if not stack:
            root, root_mark = value, position
            value_marks[()] = position
            path = ()
        else:
            frame = stack[-1]
            container = frame[0]
            if container.__class__ is list:
                path = frame[1] + (len(container),)
                container.append(value)
                value_marks[path] = position
            elif frame[2] is _NO_KEY:  # this node is a key
                if is_container:
                    return fail("yaml-key-not-text", mark, "a key must be plain text, not a list or mapping")
                key_path = frame[1] + (raw,)
                if raw in container:
                    fail("yaml-duplicate-key", mark,
                         f"key '{raw}' is given twice (first on line {key_marks[key_path][0]})")
                    frame[2] = _DuplicateKey(raw)  # keep reading: report every duplicate
                else:
                    key_marks[key_path] = position
                    frame[2] = raw
                continue
            else:
                key, frame[2] = frame[2], _NO_KEY
                path = frame[1] + (key,)
                if key.__class__ is not _DuplicateKey:
                    container[key] = value
                    value_marks[path] = position
        if is_container:
            stack.append([value, path, _NO_KEY])
    if problems:
        return None
    return root, root_mark, value_marks, key_marks


class _DuplicateKey(str):
    """A key seen twice: its value is read (to report more) but not kept."""
