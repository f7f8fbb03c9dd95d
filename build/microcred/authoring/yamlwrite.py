"""Writing plain data as readable block YAML that our loader reads back unchanged.

PyYAML's dumper follows YAML 1.1, our loader YAML 1.2 core (yamlload): a
string PyYAML leaves plain could come back as a number. So scalars are left
plain only when yamlload would read them back as the same string, and quoted
JSON-style otherwise (a JSON string is a valid YAML double-quoted scalar).
"""

from __future__ import annotations

import functools
import json
import re

import yaml

from ..contract.yamlload import resolve_plain

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/()+,'@:?=&%-]*\Z")
FLOW_WIDTH = 72


def scalar(value, flow: bool = False) -> str:
    """One value; in flow context (`[a, b]`) a comma would end the value, so it is quoted."""
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if (_PLAIN.match(text) and not text.endswith((" ", ":")) and "  " not in text and ": " not in text
            and not (flow and "," in text)
            and resolve_plain(text) == text and _yaml11_text(text)):
        return text
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


# Characters YAML does not allow raw (or that editors mangle): written as escapes in double quotes.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


@functools.lru_cache(maxsize=4096)
def _yaml11_text(text: str) -> bool:
    """Whether YAML 1.1 tools (PyYAML, older editors) read it as this text too: not 0714, yes, 2026-09-01.

    Asked of every plain-looking value written: libyaml's parser where it is there (the same reading as
    the pure-Python one, ten times faster), and each text once."""
    try:
        return yaml.load(text, Loader=_SafeLoader) == text
    except (yaml.YAMLError, ValueError):  # PyYAML raises ValueError for a date-like text that is no date
        return False


try:  # libyaml; the pure-Python parser is the fallback only where libyaml is missing
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


def _is_scalar(value) -> bool:
    return not isinstance(value, (dict, list))


def field_lines(key: str, value) -> list[str]:
    """`key: value` as lines, nested values indented by two spaces."""
    if _is_scalar(value):
        return [f"{key}: {scalar(value)}"]
    if isinstance(value, list) and all(_is_scalar(v) for v in value):
        flow = f"{key}: [{', '.join(scalar(v, flow=True) for v in value)}]"
        if len(flow) <= FLOW_WIDTH:
            return [flow]
    if isinstance(value, dict) and not value:
        return [f"{key}: {{}}"]
    return [f"{key}:"] + ["  " + line for line in block_lines(value)]


def block_lines(value) -> list[str]:
    """A mapping or list as block YAML lines at indentation 0."""
    if isinstance(value, dict):
        return [line for k, v in value.items() for line in field_lines(k, v)]
    out = []
    for item in value:
        lines = block_lines(item) if not _is_scalar(item) else [scalar(item)]
        out += item_lines(lines)
    return out


def item_lines(lines: list[str]) -> list[str]:
    """Lines of one list item: '- ' before its first line that is not a comment, '  ' before the rest."""
    first = next((i for i, line in enumerate(lines) if not line.lstrip().startswith("#")), 0)
    return ["  " + line for line in lines[:first]] + [
        ("- " if i == first else "  ") + line for i, line in enumerate(lines[first:], start=first)]


def dump(value) -> str:
    return "\n".join(block_lines(value)) + "\n"
