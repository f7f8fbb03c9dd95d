"""Safe YAML reading: plain data with the line and column of every key and value.

Most files never reach libyaml: yamlplain.read takes the plain block layout
nearly every catalogue file has, a line at a time, in about two thirds of the
time libyaml's events take, and hands anything else on. It gives exactly what
the reading below gives, or nothing.

Values are built from libyaml's event stream rather than from composed nodes:
the stream is flat, so nothing recurses however deep a hostile file nests, and
each refusal (tags, anchors, duplicate keys, a second document) gets the
position of the event that caused it.

Plain scalars are resolved with the YAML 1.2 core schema, not PyYAML's 1.1
rules: `NO` (Norway) stays text instead of becoming false, and numbers with a
leading zero (`0714`, an ISCED-F code) stay text instead of becoming octal.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field

import yaml
from yaml import events as ev

from .problems import Problem
from .yamlplain import MAX_DEPTH, PLAIN_START, resolve_plain
from .yamlplain import read as read_plain

try:  # libyaml; the pure-Python parser is the fallback only where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1 << 20

Path = tuple  # keys and list indexes from the document root


def _pos(mark) -> tuple[int, int]:
    """1-based (line, column) of a mark: libyaml's, or yamlplain's 0-based (line, column)."""
    if mark.__class__ is tuple:
        return (mark[0] + 1, mark[1] + 1)
    return (mark.line + 1, mark.column + 1)


@dataclass
class Document:
    """A parsed file: its data and where each piece of it stands (1-based).

    Positions are kept as libyaml's own mark objects (or yamlplain's 0-based
    (line, column) pairs, for a file it read), one list per container
    (`marks[id(container)]`: key, value, key, value, ... for a mapping; one per
    item for a list), and turned into (line, column) only when asked for. Building
    a (line, column) tuple and a path tuple for every value of every file cost
    more than parsing (2.5 s of CPU on 10,000 files); positions are needed only
    for the few values a problem is reported at. A Document made without marks
    (e.g. from data built in code) reports every position as (1, 1).
    """

    file: str
    data: object
    marks: dict[int, list] | None = field(default=None, repr=False)
    root_mark: object = field(default=None, repr=False)

    def _find(self, path: Path):
        """(key position or None, value position) of a path that exists in the file, else None."""
        marks = self.marks
        if marks is None or self.root_mark is None:
            return None
        node, key_mark, value_mark = self.data, None, self.root_mark
        for part in path:
            own = marks.get(id(node))
            if own is None or len(own) != (2 * len(node) if node.__class__ is dict else len(node)):
                return None  # not a container of the file, or changed since it was read
            if node.__class__ is dict:
                if part.__class__ is not str or part not in node:
                    return None
                i = next(i for i, k in enumerate(node) if k == part)
                key_mark, value_mark = own[2 * i], own[2 * i + 1]
            elif node.__class__ is list:
                if part.__class__ is not int or not 0 <= part < len(node):
                    return None
                key_mark, value_mark = None, own[part]
            else:
                return None
            node = node[part]
        return (_pos(key_mark) if key_mark is not None else None), _pos(value_mark)

    def position(self, path: Path, at_key: bool = False) -> tuple[int, int]:
        """Position of a path, or of its nearest ancestor that exists in the file."""
        path = tuple(path)
        while True:
            found = self._find(path)
            if found is not None:
                key_position, value_position = found
                return key_position if at_key and key_position else value_position
            if not path:
                return (1, 1)
            path = path[:-1]
            at_key = True  # a missing field is reported at its parent's key

    @property
    def value_marks(self) -> dict[Path, tuple[int, int]]:
        """Position of every value, by path (built on demand: tools and tests, not the validator)."""
        return self._all_marks()[0]

    @property
    def key_marks(self) -> dict[Path, tuple[int, int]]:
        """Position of every mapping key, by path (built on demand)."""
        return self._all_marks()[1]

    def _all_marks(self):
        values: dict[Path, tuple[int, int]] = {}
        keys: dict[Path, tuple[int, int]] = {}
        if self.marks is None or self.root_mark is None:
            return values, keys
        values[()] = _pos(self.root_mark)
        todo = [((), self.data)]  # an explicit stack: nothing recurses
        while todo:
            path, node = todo.pop()
            own = self.marks.get(id(node))
            if own is None or len(own) != (2 * len(node) if node.__class__ is dict else len(node)):
                continue  # a scalar, or a container changed since the file was read
            if node.__class__ is dict:
                items = enumerate(node.items())
                for i, (key, value) in items:
                    sub = path + (key,)
                    keys[sub], values[sub] = _pos(own[2 * i]), _pos(own[2 * i + 1])
                    todo.append((sub, value))
            elif node.__class__ is list:
                for i, value in enumerate(node):
                    sub = path + (i,)
                    values[sub] = _pos(own[i])
                    todo.append((sub, value))
        return values, keys


class LoadFailed(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems[0].message if problems else "load failed")
        self.problems = problems


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
    built = read_plain(text)  # most files; None hands the file to libyaml, which reads all of YAML
    if built is not None:
        root, root_mark, marks = built
        return Document(file, root, marks, root_mark)
    problems: list[Problem] = []
    built = _read(text, _Loader, file, problems)
    if problems and problems[0].message.startswith(_LIBYAML_NESTING) and _Loader is not yaml.SafeLoader:
        # libyaml 0.2.5 (in PyYAML 6.0.4 wheels) stops deep flow nesting itself while it scans
        # ahead, before it has handed over the events that would reach MAX_DEPTH. The pure-Python
        # parser reads the same text without a limit of its own, so it stops at ours: the
        # message is the same whichever libyaml is installed.
        problems.clear()
        built = _read(text, yaml.SafeLoader, file, problems)
    if problems:
        raise LoadFailed(problems)
    root, root_mark, marks = built
    if root is None:
        raise LoadFailed([Problem.of("empty-file", file, 1, 1, "the file holds no YAML document")])
    if not isinstance(root, dict):
        raise LoadFailed([Problem.of("yaml-not-mapping", file, *_pos(root_mark),
                                     "the document must be a mapping of field names to values, "
                                     f"not {_kind(root)}")])
    return Document(file, root, marks, root_mark)


_LIBYAML_NESTING = "exceeded maximum nesting depth"


def _read(text: str, loader_class, file: str, problems: list[Problem]):
    """The values and marks of `text` (see _build); None, with the problems recorded, on a refusal."""
    loader = loader_class(text)
    try:
        return _build(loader, text, file, problems)
    except yaml.MarkedYAMLError as e:
        line, col, message, hint = explain(e, text)
        problems.append(Problem.of("yaml-syntax", file, line, col, message, hint=hint))
    except yaml.YAMLError as e:  # reader errors (control characters) carry an offset, not a mark
        position = getattr(e, "position", 0) or 0
        line, col = _line_col_of_offset(text, min(position, len(text)))
        reason = getattr(e, "reason", None) or str(e).splitlines()[0]
        character = getattr(e, "character", None)
        if isinstance(character, str):
            reason = f"character U+{ord(character):04X} is not allowed ({reason})"
        problems.append(Problem.of("yaml-syntax", file, line, col, reason,
                                   hint="delete the invisible character at this position; retype the text around it "
                                        "if you cannot see it"))
    finally:
        loader.dispose()
    return None


def _kind(value) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return "a single value"


_NO_KEY = object()
_SCALAR, _MAPPING, _SEQUENCE = ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent
_ENDS = (ev.MappingEndEvent, ev.SequenceEndEvent)


def _build(loader, text: str, file: str, problems: list[Problem]):
    """Read events into values and marks; on a refusal, record it and stop.

    One flat loop over the event stream (hot: it runs for every value of
    every file), with the containers being filled kept on an explicit stack.
    The container being filled, its marks, whether it is a mapping, and the
    key waiting for its value are kept in local variables; per value the loop
    only appends libyaml's start mark to the container's mark list (see
    Document for why no positions or paths are built here). Quoted, block and
    flow values, which plain block values are not, also get the layout checks
    libyaml leaves out (_layout_problem).
    """
    get_event = loader.get_event
    marks: dict[int, list] = {}
    # (container, its marks, is a mapping, pending key, block column, flow line) of the enclosing containers
    stack: list[tuple] = []
    container = own = None  # the container being filled (None: the document's top) and its marks
    is_map, key = False, _NO_KEY
    # the column of the innermost block collection's entries; the line the [...] or {...} we are in starts on (0: none)
    block_column, flow_line = -1, 0
    root, root_mark, documents = None, None, 0
    SCALAR, MAPPING, SEQUENCE = _SCALAR, _MAPPING, _SEQUENCE
    MAPPING_END, SEQUENCE_END = _ENDS

    def fail(code: str, mark, message: str):
        problems.append(Problem.of(code, file, mark.line + 1, mark.column + 1, message))
        return None

    while True:
        event = get_event()
        kind = event.__class__
        if kind is SCALAR:
            if event.anchor is not None or event.tag is not None:
                return _refuse_node(event, fail)
            if (event.style or flow_line) and (found := _layout_problem(text, event, block_column, flow_line)):
                return _misplaced(problems, file, *found)
            raw = event.value
            if is_map and key is _NO_KEY:  # this scalar is a key
                if raw in container:
                    first = own[2 * next(i for i, k in enumerate(container) if k == raw)]
                    fail("yaml-duplicate-key", event.start_mark,
                         f"key '{raw}' is given twice (first on line {first.line + 1})")
                    key = _DuplicateKey(raw)  # keep reading: report every duplicate
                else:
                    own.append(event.start_mark)
                    key = raw
                continue
            if not event.style and (not raw or raw[0] in PLAIN_START):
                value = resolve_plain(raw)
            else:
                value = raw
            if is_map:
                if key.__class__ is not _DuplicateKey:
                    container[key] = value
                    own.append(event.start_mark)
                key = _NO_KEY
            elif container is not None:
                container.append(value)
                own.append(event.start_mark)
            else:
                root, root_mark = value, event.start_mark
            continue
        if kind is MAPPING or kind is SEQUENCE:
            if event.anchor is not None or event.tag is not None:
                return _refuse_node(event, fail)
            if len(stack) >= MAX_DEPTH:
                return fail("yaml-too-deep", event.start_mark, f"values nest more than {MAX_DEPTH} levels deep")
            if is_map and key is _NO_KEY:
                return fail("yaml-key-not-text", event.start_mark, "a key must be plain text, not a list or mapping")
            if flow_line and event.start_mark.column <= block_column:
                return _misplaced(problems, file, *_shallow_in_flow(event.start_mark.line + 1, event.start_mark.column,
                                                                     block_column, flow_line))
            value = {} if kind is MAPPING else []
            value_marks: list = []
            if is_map:
                if key.__class__ is not _DuplicateKey:
                    container[key] = value
                    own.append(event.start_mark)
                    marks[id(value)] = value_marks
                stack.append((container, own, True, _NO_KEY, block_column, flow_line))
            else:
                if container is not None:
                    container.append(value)
                    own.append(event.start_mark)
                else:
                    root, root_mark = value, event.start_mark
                marks[id(value)] = value_marks
                stack.append((container, own, False, _NO_KEY, block_column, flow_line))
            container, own, is_map, key = value, value_marks, kind is MAPPING, _NO_KEY
            if event.flow_style:
                flow_line = flow_line or event.start_mark.line + 1
            else:
                block_column = event.start_mark.column
            continue
        if kind is MAPPING_END or kind is SEQUENCE_END:
            container, own, is_map, key, block_column, flow_line = stack.pop()
            continue
        if kind is ev.StreamEndEvent or event is None:
            break
        if kind is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                return fail("yaml-multiple-documents", event.start_mark,
                            "a second YAML document starts here; a file holds exactly one")
            continue
        if kind is ev.AliasEvent:
            return fail("yaml-alias", event.start_mark,
                        f"alias *{event.anchor} is not allowed; write the value out in full")
        # StreamStartEvent, DocumentEndEvent
    if problems:
        return None
    return root, root_mark, marks


# --- layout that YAML 1.2 refuses and libyaml lets through (cases of the yaml-test-suite) ---------
# Each check runs only for quoted, block or flow values, and mostly compares two numbers.

_COMMENT_HINT = "put a space before '#' (`key: \"text\" # comment`), or quote the '#' as part of the text"


def _layout_problem(text: str, event, block_column: int, flow_line: int) -> tuple[int, int, str, str] | None:
    """(line, column, message, hint) of what is wrong with a scalar's layout, if anything."""
    start, end, style = event.start_mark, event.end_mark, event.style
    if flow_line and start.column <= block_column:
        return _shallow_in_flow(start.line + 1, start.column, block_column, flow_line)
    if style == '"' or style == "'":
        if text[end.index:end.index + 1] == "#":  # yaml-test-suite SU5Z
            return end.line + 1, end.column + 1, "a comment needs a space before '#'", _COMMENT_HINT
    elif style == "|" or style == ">":
        return _block_scalar_problem(text, start, block_column)
    if end.line == start.line or block_column < 0:
        return None
    shallow = _shallow_line(block_column).search(text, start.index, end.index)
    if shallow is None:
        return None
    line = text.count("\n", start.index, shallow.start()) + start.line + 2
    spaces = shallow.end() - shallow.start() - 1
    if flow_line:  # yaml-test-suite 9C9N; or a bracket left open
        return _shallow_in_flow(line, spaces, block_column, flow_line)
    # yaml-test-suite QB6E, DK95
    what = "starts with a tab: YAML indents with spaces" if text[shallow.end()] == "\t" else \
        f"is not indented past column {block_column + 1}, where its key or list item starts"
    unclosed = f"; if the text was meant to end on line {start.line + 1}, close its quote there" \
        if style in ("'", '"') else ""
    return (line, spaces + 1, f"this line continues the quoted text begun on line {start.line + 1} but {what}",
            "indent it with spaces, further than the key or list item it belongs to, or write the text on one "
            f"line{unclosed}")


def _misplaced(problems: list[Problem], file: str, line: int, column: int, message: str, hint: str) -> None:
    problems.append(Problem.of("yaml-syntax", file, line, column, message, hint=hint))


def _shallow_in_flow(line: int, column: int, block_column: int, flow_line: int) -> tuple[int, int, str, str]:
    return (line, column + 1, f"this line is inside the [...] or {{...}} that starts on line {flow_line} but is "
            f"not indented past column {block_column + 1}, where its key or list item starts",
            "close the bracket on the line where it starts, or indent the lines inside it further than its key")


@functools.cache
def _shallow_line(block_column: int) -> re.Pattern:
    """A line break, then at most `block_column` spaces, then something other than a space or the line's end."""
    return re.compile(r"\n {0,%d}(?=[^ \r\n])" % block_column)


_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][+-]?|[+-][1-9]?)?")


def _block_scalar_problem(text: str, start, block_column: int) -> tuple[int, int, str, str] | None:
    """A `|` or `>` text: a space before a comment on its first line (X4QW), and no leading blank
    line with more spaces than its first line of text, unless an indentation number says how far (S98Z)."""
    header = _BLOCK_HEADER.match(text, start.index)
    after = header.end() if header else start.index + 1
    if text[after:after + 1] == "#":
        return start.line + 1, start.column + 1 + after - start.index, "a comment needs a space before '#'", \
            "write `key: > # comment`, with a space before the '#'"
    if header is None or any(c.isdigit() for c in header.group()):
        return None
    line_end = text.find("\n", after)
    widest, widest_line, line_number = 0, 0, start.line + 1
    while line_end >= 0:
        next_end = text.find("\n", line_end + 1)
        line = text[line_end + 1:next_end if next_end >= 0 else len(text)].rstrip("\r")
        line_end, line_number = next_end, line_number + 1
        spaces = len(line) - len(line.lstrip(" "))
        if spaces == len(line):  # a blank line before the text
            if spaces > widest:
                widest, widest_line = spaces, line_number
            continue
        if block_column < spaces < widest:  # the first line of the text: the blank lines set no deeper indent
            return (widest_line, 1, f"this blank line at the start of a block text has {widest} spaces, more than "
                    f"the text's first line ({spaces})",
                    "remove the spaces from the blank lines, or give the indentation, e.g. `key: |2`")
        return None
    return None


def _refuse_node(event, fail):
    if event.anchor is not None:
        return fail("yaml-alias", event.start_mark,
                    f"anchor &{event.anchor} is not allowed; write the value out in full")
    tag = event.tag.replace("tag:yaml.org,2002:", "!!", 1)
    return fail("yaml-tag", event.start_mark,
                f"tag {tag} is not allowed; a catalogue file holds plain data only")


class _DuplicateKey(str):
    """A key seen twice: its value is read (to report more) but not kept."""


# --- libyaml's syntax errors in plain words ---------------------------------------------------
# libyaml says what its scanner met ("found character that cannot start any token"); a provider
# needs what is wrong in the file and what to write instead. Each case is recognised from the
# error and the text around its position; the position stays libyaml's, or moves to the start of
# the thing to fix (the quote that is never closed, the key that lacks its colon).

_GENERIC_HINT = "check the indentation (spaces only), a colon and a space after each key, and quotes around " \
                "text that holds ': ' or ' #'"
_KEY_VALUE = re.compile(r"(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):(?:\s+|$)(.*)")


def _line_text(text: str, line: int) -> str:
    """Line `line` (1-based) of the text, without its line break; '' past the end."""
    lines = text.split("\n")
    return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _lines_above(text: str, line: int):
    """(line number, text) of the lines above `line` that hold something besides a comment, nearest first."""
    lines = text.split("\n")
    for n in range(min(line - 1, len(lines)), 0, -1):
        body = lines[n - 1].rstrip("\r")
        if body.strip() and not body.lstrip().startswith("#"):
            yield n, body


def _quoted(value: str) -> str:
    """Text in double quotes, as YAML reads it back (json's escapes are YAML's)."""
    return json.dumps(value, ensure_ascii=False)


def _value_text(text: str) -> str:
    """A value as written on its line, without a comment after it."""
    return re.split(r"\s#", text, 1)[0].strip()


def explain(e: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str, str]:
    """(line, column, message, hint) of a syntax error, in plain words; libyaml's own when no case fits."""
    problem, context = (e.problem or "").strip(), (e.context or "").strip()
    mark = e.problem_mark or e.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    here = _line_text(text, line)
    char = here[col - 1] if 0 < col <= len(here) else ""
    found = _explained(problem, context, e.context_mark, text, line, col, here, char)
    if found is not None:
        return found
    message = problem or "not valid YAML"
    return line, col, f"{message} ({context})" if context else message, _GENERIC_HINT


def _explained(problem: str, context: str, context_mark, text: str, line: int, col: int, here: str, char: str):
    if char == "\t" or "tab character" in problem or "'\\t'" in problem:
        lead = here[:len(here) - len(here.lstrip(" \t"))]
        if "\t" in lead:
            return (line, lead.index("\t") + 1, "this line is indented with a tab; YAML indents with spaces only",
                    "replace the tab with spaces, as many as the lines around it use, and set your editor to "
                    "insert spaces for the Tab key")
        return line, col, "a tab here, where YAML expects a space", "replace the tab with a space"
    if "cannot start any token" in problem and char:
        value = _value_text(here[col - 1:])
        prefix = here[:col - 1].strip()
        return (line, col, f"a value cannot start with '{char}' unless it is in quotes",
                f"write `{prefix + ' ' if prefix else ''}{_quoted(value)}`")
    if "end of stream" in problem and "quoted scalar" in context and context_mark is not None:
        q_line, q_col = context_mark.line + 1, context_mark.column + 1
        quote = _line_text(text, q_line)[q_col - 1:q_col] or '"'
        inside = 'inside it, write \\" for a quote mark' if quote == '"' else \
            "inside it, write '' for an apostrophe, as in 'it''s'"
        return (q_line, q_col, f"the text in quotes that starts here with {quote} is never closed",
                f"end it with {quote} on the same line; {inside}")
    if "could not find expected ':'" in problem and "simple key" in context and context_mark is not None:
        k_line = context_mark.line + 1
        if squeezed := _SQUEEZED.match(_line_text(text, k_line)):
            return _no_space(k_line, squeezed, _line_text(text, k_line))
        content = _value_text(_line_text(text, k_line))
        words = re.fullmatch(r"(-\s+)?([^\s:]+)(?:\s+(.+))?", content)
        fix = f"write `{(words.group(1) or '')}{words.group(2)}: {words.group(3) or '...'}`" if words else \
            "write the key, a colon and a space, then the value"
        return (k_line, context_mark.column + 1, "this line is not a key followed by ': ', and not indented as part "
                "of the value above it", f"{fix}; if the line continues the text above, indent it further than "
                "that text's key")
    if problem.startswith("mapping values are not allowed"):
        return _colon_problem(text, line, col, here)
    if "expected '-' indicator" in problem or ("block collection" in context and problem.startswith("expected <block end>")):
        return _list_item_problem(text, line, col, context_mark)
    if problem == "did not find expected key" or problem.startswith("expected <block end>"):
        return _block_problem(text, line, col, here, char)
    if problem.startswith(("block sequence entries are not allowed", "sequence entries are not allowed")):
        key = _KEY_VALUE.match(here)
        name, items = (key.group(2), _value_text(key.group(3)).lstrip("- ").strip()) if key else ("key", "...")
        return (line, col, "a list cannot start on the line of its key",
                f"write the items on lines of their own under `{name}:`, each as `  - item`, or write "
                f"`{name}: [{items}]`")
    if "unknown escape character" in problem:
        if char != "\\" and here[col - 2:col - 1] == "\\":  # the pure-Python parser points after the backslash
            col -= 1
        return (line, col, "a backslash in double-quoted text starts an escape sequence, and this one is not one YAML "
                "knows", "write \\\\ for a backslash, or put the text in single quotes")
    if "node content" in problem and "flow node" in context:
        return line, col, "an empty item between two commas", "remove the extra comma"
    if "flow sequence" in context or "flow mapping" in context:
        bracket, close = ("[", "]") if "sequence" in context else ("{", "}")
        opened = f" that starts on line {context_mark.line + 1}" if context_mark is not None else ""
        if "node content" in problem:
            return line, col, f"an empty item in the {bracket}...{close}{opened}", "remove the extra comma"
        return (line, col, f"the {bracket}...{close}{opened} is not closed, or two of its items have no comma between "
                "them", f"separate the items with ', ' and end with {close}; put an item that holds a comma or "
                "a colon in quotes")
    if "block scalar" in context:
        return (line, col, "after '|' or '>' the text starts on the next line",
                "write the '|' or '>' last on the key's line and the text on the lines below it, indented")
    return None


def _colon_problem(text: str, line: int, col: int, here: str):
    """"mapping values are not allowed here": a ': ' where YAML cannot start a key."""
    key = _KEY_VALUE.match(here)
    if key and len(key.group(1)) + len(key.group(2)) + 1 < col - 1:  # a ': ' inside the value of this line's key
        lead, name, value = key.groups()
        return (line, col, "': ' inside a value that is not in quotes: YAML reads it as the start of another key",
                f"put the value in quotes: `{lead.strip() + ' ' if lead.strip() else ''}{name}: "
                f"{_quoted(_value_text(value))}`")
    above = next(_lines_above(text, line), None)
    if above is not None:
        n, body = above
        if squeezed := _SQUEEZED.match(body):
            return _no_space(n, squeezed, body)
        if _indent(here) > _indent(body):
            return (line, _indent(here) + 1, "this line is indented more than the line above, so YAML reads it as "
                    "part of that line's value", f"start it in column {_indent(body) + 1}, like the key above, or "
                    "put a value with ': ' in quotes")
    return (line, col, "': ' starts a key here, where YAML does not expect one",
            "put the text in quotes if the ':' belongs to it")


# a key and a value with no space after the colon: `title:Course` (a URL's "https:" is no key: it has no "//" here)
_SQUEEZED = re.compile(r"(\s*(?:-\s+)?[^\s:#'\"][^\s:#]*):(?=[^\s/])")


def _no_space(line: int, squeezed: re.Match, body: str):
    rest = _value_text(body[squeezed.end():])
    return (line, squeezed.end() + 1, "no space after ':', so YAML reads this line as text, not as a key and "
            "its value", f"write `{squeezed.group(1).strip()}: {rest}`")


def _block_problem(text: str, line: int, col: int, here: str, char: str):
    """"did not find expected key": something in a mapping that is not its next key."""
    before = here[:col - 1].rstrip()
    if char == "-":
        above = next(_lines_above(text, line), None)
        if above is not None and above[1].lstrip().startswith("- ") and _indent(above[1]) != col - 1:
            column = _indent(above[1]) + 1
            return (line, col, f"this list item's '-' is in column {col}, the item above it in column {column}",
                    f"start every item of a list in the same column: put the '-' in column {column}")
        return (line, col, "a list item where a key is expected",
                "a list belongs under its key: write the key (e.g. `languages:`) on the line above, and indent "
                "the items under it")
    if before.endswith(('"', "'")) and before.count(before[-1]) >= 2:
        quote = before[-1]
        inside = 'write each " inside it as \\", as in "He said \\"hi\\""' if quote == '"' else \
            "write each ' inside it twice, as in 'it''s', or use double quotes"
        return (line, col, f"text goes on after the closing {quote}",
                f"put the whole value in quotes and {inside}")
    columns, deepest = [], None
    for _, body in _lines_above(text, line):  # the keys that could own this one: each less indented than the last
        indent = _indent(body)
        if deepest is None or indent < deepest:
            columns.append(indent)
            deepest = indent
        if indent == 0:
            break
    shown = " or ".join(str(c) for c in sorted(set(columns))) or "0"
    return (line, col, f"this line is indented by {col - 1} spaces, like no key above it",
            f"indent it like the keys it belongs with: {shown} spaces")


def _list_item_problem(text: str, line: int, col: int, context_mark):
    """"did not find expected '-' indicator": a line in a list of mappings that lines up with nothing."""
    dash = context_mark.column + 1 if context_mark is not None else col
    fields = dash + 2
    for _, body in _lines_above(text, line):
        stripped = body.lstrip(" ")
        if _indent(body) == dash - 1 and stripped.startswith("-"):
            fields = dash + len(stripped) - len(stripped[1:].lstrip(" "))
            break
    return (line, col, "this line is neither a new list item nor in line with the fields of the item above",
            f"start a new item with '-' in column {dash}, or indent the field to column {fields}, like the fields "
            "of the item above")


def flow(value) -> str:
    """A value written as one line of flow YAML that reads back as the same value (for hints)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{flow(k)}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    if value is None:
        return "null"
    if value is ...:  # a value left to fill in
        return "..."
    if isinstance(value, bool):
        return "true" if value else "false"
    if not isinstance(value, str):
        return str(value)
    plain = (value and value == value.strip() and resolve_plain(value) == value and not value.isdigit()
             and re.fullmatch(r"[^-?:,\[\]{}#&*!|>'\"%@`\s][^,\[\]{}]*", value) is not None
             and ": " not in value and " #" not in value and not value.endswith(":"))
    return value if plain else _quoted(value)
