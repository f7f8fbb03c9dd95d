"""Plain YAML: the YAML 1.2 reading of plain text, and a line reader for the plain block
layout nearly every catalogue file has.

libyaml's events are most of a file's check: PyYAML makes a Python event and two
marks for every value, 0.13 ms for a typical 2.8 KB file, where libyaml's own
parsing takes 0.03 ms. Catalogue files use a small, regular part of YAML: block
mappings and lists; plain, quoted, `|` and `>` text, also over several lines;
lists of words in `[...]`; comments on lines of their own. `read` reads exactly
that part, a line at a time, and gives up (returns None) on anything else, however
harmless: a comment after a value, a tab, an escape, `{...}`, an anchor, a tag, a
duplicate key, a blank line inside `|` text, a line it cannot place. The caller
then reads the file with libyaml (yamlload), which also finds and explains every
problem; this reader reports none.

For the files it reads it gives what libyaml's reading gives: the same values of
the same types, and the same position for every key and value.
tests/contract/test_yaml_plain.py holds it to that on the whole yaml-test-suite,
the catalogue, the test fixtures, and generated and randomly edited files.
"""

from __future__ import annotations

import re

MAX_DEPTH = 12  # levels of nesting a file may have (yamlload refuses more, with a message)

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")


def resolve_plain(text: str):
    """Plain text as the YAML 1.2 core schema reads it: `NO` (Norway) stays text, `0714` (an ISCED-F
    code) stays text rather than octal, and only true/false, null, ~ and decimal numbers are other than text."""
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


# A character outside these makes libyaml's reader stop, or (U+0085, U+2028, U+2029) counts as a
# line break in YAML 1.1; tabs, carriage returns and the byte order mark are left to libyaml too.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# A key this reader takes: a field name or a language code.
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_KEYS: set[str] = set()  # keys seen to match _KEY: a set lookup is a fifth of a regular expression's cost
_KEYS_KEPT = 4096
# The first character of a plain value that YAML may read as something else.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
PLAIN_START = frozenset("-+.0123456789tTfFnN~")  # plain text that might be a number, true/false or null
# For each quote: a line of quoted text that goes on (no quote that could end it, and in double
# quotes no escape), and the end of quoted text (what comes before the closing quote).
_QUOTES = {
    "'": (re.compile(r"(?:[^']|'')*\Z"), re.compile(r"((?:[^']|'')*)'(?!')")),
    '"': (re.compile(r'[^"\\]*\Z'), re.compile(r'([^"\\]*)"')),
}
# A list of plain items on one line, `[project, portfolio]`, and each item in it.
_ITEM = r"[^ ,\[\]{}#&*!|>'\"%@`?:\-](?:[^,\[\]{}:#]*[^ ,\[\]{}:#])?"
_ITEMS = re.compile(r"\[ *(?:%s(?: *, *%s)*)? *\]\Z" % (_ITEM, _ITEM))
_EACH_ITEM = re.compile(_ITEM)
# The header of block text this reader takes: `|` or `>`, with `-` to drop the last line break.
_BLOCK_HEADERS = {"|": ("\n", "\n"), "|-": ("\n", ""), ">": (" ", "\n"), ">-": (" ", "")}

_QUOTED, _BLOCK = 0, 1


def read(text: str):
    """(root, root mark, marks) as yamlload._build gives them, or None where this reader gives up.

    Hot: it runs for every line of every file, so the innermost open container is kept in
    local variables, and the common lines (a key and its value, a list item, a line that
    goes on with the text above) take the first branches.
    """
    if _UNUSUAL.search(text):
        return None
    indicators, plain_start, keys = _INDICATORS, PLAIN_START, _KEYS
    root: dict = {}
    marks: dict[int, list] = {id(root): []}
    # the innermost open container, its marks, whether it is a mapping, the column of its keys or dashes
    container, own, is_map, column_of = root, marks[id(root)], True, 0
    stack: list[tuple] = []  # the open containers around it, outermost first
    pending = None  # (key, line, column after ':') of a key of `container` whose value is on the lines below
    plain = None  # (container, key or index, text) of plain text that may go on over the lines below
    plain_lines: list | None = None  # its lines, once it has gone on
    going = None  # quoted text that goes on, or block text: [kind, container, key, its lines, quote or header, indent]
    for number, line in enumerate(text.split("\n")):
        content = line.lstrip(" ")
        column = len(line) - len(content)
        if going is not None:
            if going[0] == _QUOTED:
                if content and column <= column_of:
                    return None  # not indented past its key: yamlload explains
                goes_on, end = _QUOTES[going[4]]
                if goes_on.match(content) is not None:
                    going[3].append(content.rstrip(" "))
                    continue
                closing = end.match(content)
                if closing is None or closing.end() != len(content):
                    return None  # something after the closing quote
                going[3].append(closing.group(1))
                _close_quoted(going)
                going = None
                continue
            parts = going[3]
            if not content:
                if line or not parts:
                    return None  # a blank line at the start, or one with spaces: yamlload reads it
                parts.append(None)  # a blank line: what it means depends on what follows
                continue
            if going[5] < 0:  # the first line sets the indentation
                if column <= column_of:
                    return None
                going[5] = column
            if column >= going[5]:
                if column > going[5] or (parts and parts[-1] is None) or content[-1] == " ":
                    return None
                parts.append(content)
                continue
            _close_block(going)
            going = None
        if not content or content[0] == "#":  # a blank line or a comment: it ends plain text
            if plain_lines is not None:
                _close_plain(plain, plain_lines)
            plain = plain_lines = None
            continue
        if plain is not None:
            if column > column_of:  # the text goes on
                if (content[0] in indicators or ": " in content or " #" in content or content[-1] in ": "
                        or "[" in content or "]" in content or "{" in content or "}" in content):
                    return None
                if plain_lines is None:
                    plain_lines = [plain[2]]
                plain_lines.append(content)
                continue
            if plain_lines is not None:
                _close_plain(plain, plain_lines)
            plain = plain_lines = None
        if pending is not None:
            key, key_line, after = pending
            pending = None
            if column > column_of or (column == column_of and content[:2] == "- "):  # a block under the key
                if content[:2] == "- ":
                    inner, inner_is_map = [], False
                elif column > column_of and _starts_with_key(content):
                    inner, inner_is_map = {}, True
                else:
                    return None
                if len(stack) >= MAX_DEPTH - 1:
                    return None
                container[key] = inner
                own.append((number, column))
                stack.append((container, own, is_map, column_of))
                container, is_map, column_of = inner, inner_is_map, column
                marks[id(inner)] = own = []
            else:  # nothing under the key: an empty value
                own.append((key_line, after))
        if column != column_of or not is_map and content[:2] != "- ":
            while column < column_of or (column == column_of and not is_map and content[:2] != "- "
                                         and stack and stack[-1][3] == column):
                container, own, is_map, column_of = stack.pop()
            if column != column_of:
                return None
        if is_map:
            key, colon, rest = content.partition(":")
            if not colon or rest[:1] not in " " or not (key in keys or _new_key(key)) or key in container:
                return None
            own.append((number, column))
            rest = rest.lstrip(" ")
            if not rest:
                pending = (key, number, column + len(key) + 1)
                container[key] = None  # keeps the key's place; the value follows
                continue
            value_column = column + len(content) - len(rest)
        else:
            if content[:2] != "- ":
                return None
            rest = content[2:].lstrip(" ")
            if not rest:
                return None
            value_column = column + len(content) - len(rest)
            key, colon, after = rest.partition(":")
            if colon and after[:1] in " " and (key in keys or _new_key(key)):  # a mapping starts on the item's line
                if len(stack) >= MAX_DEPTH - 1:
                    return None
                item: dict = {}
                container.append(item)
                own.append((number, value_column))
                stack.append((container, own, is_map, column_of))
                container, is_map, column_of = item, True, value_column
                marks[id(item)] = own = [(number, value_column)]
                after = after.lstrip(" ")
                if not after:
                    pending = (key, number, value_column + len(key) + 1)
                    item[key] = None
                    continue
                value_column += len(rest) - len(after)
                rest = after
            else:
                key = len(container)
                container.append(None)
        # a value on this line
        own.append((number, value_column))
        first = rest[0]
        if first in indicators:
            if first == "'" or first == '"':
                goes_on, end = _QUOTES[first]
                closing = end.match(rest, 1)
                if closing is None:  # the text goes on below
                    if goes_on.match(rest, 1) is None:
                        return None
                    going = [_QUOTED, container, key, [rest[1:].rstrip(" ")], first, -1]
                elif closing.end() != len(rest):
                    return None
                else:
                    container[key] = closing.group(1).replace("''", "'") if first == "'" else closing.group(1)
            elif first == "[":
                if _ITEMS.match(rest) is None or len(stack) >= MAX_DEPTH - 1:
                    return None
                items: list = []
                items_own: list = []
                container[key] = items
                marks[id(items)] = items_own
                for item_match in _EACH_ITEM.finditer(rest):
                    value = item_match.group()
                    items.append(resolve_plain(value) if value[0] in plain_start else value)
                    items_own.append((number, value_column + item_match.start()))
            elif (first == "|" or first == ">") and rest in _BLOCK_HEADERS:
                going = [_BLOCK, container, key, [], rest, -1]
            else:
                return None
        elif ": " in rest or " #" in rest or rest[-1] in ": " or "[" in rest or "]" in rest or "{" in rest \
                or "}" in rest:
            return None
        else:
            container[key] = resolve_plain(rest) if first in plain_start else rest
            plain = (container, key, rest)
    if going is not None:
        if going[0] == _QUOTED:
            return None
        # block text on the file's last line, with no line break after it, keeps none
        _close_block(going, text.endswith("\n") or going[3][-1:] == [None])
    if plain_lines is not None:
        _close_plain(plain, plain_lines)
    if pending is not None:
        own.append(pending[1:])
    if not root:
        return None
    return root, marks[id(root)][0], marks


def _new_key(key: str) -> bool:
    """Whether `key` is a key this reader takes; remembered if it is (the same field names come again and again)."""
    if _KEY.match(key) is None:
        return False
    if len(_KEYS) < _KEYS_KEPT:
        _KEYS.add(key)
    return True


def _starts_with_key(content: str) -> bool:
    key, colon, after = content.partition(":")
    return bool(colon) and after[:1] in " " and (key in _KEYS or _new_key(key))


def _close_plain(plain: tuple, lines: list) -> None:
    """Plain text that ran over several lines is joined by spaces, then read as YAML 1.2 does (a number, true, ...)."""
    container, key, first_line = plain
    text = " ".join(lines)
    container[key] = resolve_plain(text) if first_line[0] in PLAIN_START else text


def _close_quoted(going: list) -> None:
    """Quoted text over several lines: a line break is a space; n blank lines are n line breaks."""
    _, container, key, parts, quote, _indent = going
    text, blank = parts[0], 0
    for part in parts[1:-1]:
        if not part:
            blank += 1
            continue
        text += ("\n" * blank if blank else " ") + part
        blank = 0
    text += ("\n" * blank if blank else " ") + parts[-1]  # the closing line, perhaps only its quote
    container[key] = text.replace("''", "'") if quote == "'" else text


def _close_block(going: list, broken: bool = True) -> None:
    """`|` keeps each line break, `>` makes them spaces; `-` drops the last one (`broken`: the last line has one)."""
    _, container, key, parts, header, _indent = going
    while parts and parts[-1] is None:  # blank lines after the text belong to no one
        parts.pop()
    if not parts:
        container[key] = ""
        return
    joiner, last = _BLOCK_HEADERS[header]
    container[key] = joiner.join(parts) + (last if broken else "")
