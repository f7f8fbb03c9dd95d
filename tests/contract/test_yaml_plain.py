"""The line reader for plain block YAML (contract/yamlplain.py) against libyaml.

Wherever the line reader reads a file, the result must be the one libyaml's
reading gives: the same values of the same types, and the same line and column
for every key and value. Where it gives up, libyaml reads the file. So a file
is accepted, refused and reported exactly as before the line reader existed.
"""

import json
import os
from contextlib import contextmanager
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, REPO
from microcred.contract import yamlload, yamlplain
from microcred.contract.yamlload import LoadFailed, parse

SUITE = json.loads((FIXTURES / "yaml-test-suite" / "cases.json").read_text("utf-8"))
CATALOGUE_FILES = sorted((REPO / "catalogue").rglob("*.yaml"))
FIXTURE_FILES = sorted(p for p in FIXTURES.rglob("*.yaml") if p.is_file())


@contextmanager
def libyaml_only():
    with mock.patch.object(yamlload, "read_plain", lambda text: None):
        yield


def outcome(text: str):
    """What parse() makes of the text: the values (with their types) and every position, or the problems."""
    try:
        doc = parse("f.yaml", text.encode("utf-8"))
    except LoadFailed as failed:
        return ("refused", [(p.line, p.column, p.code, p.message) for p in failed.problems])
    return ("read", _typed(doc.data), sorted(doc.value_marks.items(), key=repr),
            sorted(doc.key_marks.items(), key=repr))


def _typed(value):
    """The value with the type of every scalar beside it (1 and 1.0 and True compare equal in Python)."""
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return (type(value).__name__, value)


def assert_as_libyaml(text: str) -> bool:
    """parse() gives what libyaml alone gives; True if the line reader read the text."""
    ours = outcome(text)
    with libyaml_only():
        theirs = outcome(text)
    assert ours == theirs
    return yamlplain.read(text) is not None


@pytest.mark.parametrize("case", SUITE, ids=[f"{c['id']}-{c['case']}" for c in SUITE])
def test_every_case_of_the_yaml_test_suite_reads_as_with_libyaml(case):
    assert_as_libyaml(case["yaml"])


@pytest.mark.parametrize("path", CATALOGUE_FILES + FIXTURE_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_catalogue_and_fixture_file_reads_as_with_libyaml(path):
    text = path.read_bytes().decode("utf-8", "replace").removeprefix("\ufeff")
    assert_as_libyaml(text)


def test_the_example_catalogue_is_mostly_read_by_the_line_reader():
    # the layouts providers write: a comment first, nested keys, lists, quoted text, [a, b], `>-` text
    read = [p for p in CATALOGUE_FILES if yamlplain.read(p.read_text("utf-8")) is not None]
    assert len(read) >= 0.9 * len(CATALOGUE_FILES)


# Layouts providers write, all read by the line reader.
PLAIN_LAYOUTS = [
    "title: Welding\nlevel:\n  eqf: 4\n",
    "# yaml-language-server: $schema=x.json\ntitle:\n  en: Welding basics\n  de: Schweißen\nlanguages:\n- de\n- en\n",
    "title:\n  en: A title that goes on\n    over two lines\nects: 5\n",
    "items:\n  - a\n  - b: 1\n    c: 2\n  -   d\n",
    "a:\nb: ~\nc: null\nd: 0714\ne: 1.5\nf: True\ng: 2027-02-08\nh: C# and R&D\n",
    "t: 'it''s quoted'\nu: \"double: quoted\"\nv: '0612'\nw: ''\n",
    "t: 'a quote that\n\n  goes on, with a blank line'\nnext: 1\n",
    "t: \"a quote\n  that goes on\n  \"\n",
    "t: >-\n  folded\n  text\nu: |\n  literal\n  text\n\nv: 1\n",
    "types: [project, portfolio]\nempty: []\nwords: [kable SN, mufy]\n",
    "key: value\n   \nnext: value\n",
]
# Layouts left to libyaml: rarer, or wrong.
OTHER_LAYOUTS = [
    "h: -3\n",
    "title: x # a comment after the value\n",
    "title: x\n  # a comment\n  more\n",
    "deep:\n  a:\n    b:\n      c:\n        d:\n          e:\n            f:\n              g:\n                h:\n"
    "                  i:\n                    j:\n                      k:\n                        l: 1\n",
    "workload: {ects: 5}\n",
    "t: |\n  two paragraphs\n\n  of text\n",
    "t: \"an escape \\u00e9\"\n",
]
LAYOUTS = PLAIN_LAYOUTS + OTHER_LAYOUTS


@pytest.mark.parametrize("text", LAYOUTS)
def test_layouts_read_as_with_libyaml(text):
    assert_as_libyaml(text)


@pytest.mark.parametrize("text", PLAIN_LAYOUTS)
def test_plain_layouts_are_read_by_the_line_reader(text):
    assert assert_as_libyaml(text)  # the point of it: these files skip libyaml's events


# Lines put together at random: keys, list items and values of every kind the line reader
# takes (and a few it does not), at indentations that fit and that do not.
LINE = st.tuples(
    st.sampled_from([0, 0, 1, 2, 2, 3, 4, 4, 6, 8]),
    st.sampled_from(["", "", "- ", "-  "]),
    st.sampled_from(["", "title: ", "en: ", "a: ", "a:", "b:  ", "x_y-z: "]),
    st.sampled_from(["", "text", "two words", "12", "-4", "0714", "1.5e3", "true", "~", "null", "2027-02-08",
                     "'quoted'", "'it''s'", "'open", "close'", '"double"', '"open', 'end"', "[a, b]", "[]",
                     "[x, 1]", "|", "|-", ">", ">-", "|2", "text # note", "a: b", "C#", "R&D", "  spaced",
                     "trailing ", "#", "{a: 1}", "é ü"]))


@st.composite
def assembled_files(draw):
    lines = draw(st.lists(LINE, min_size=1, max_size=14))
    return "".join(" " * indent + dash + key + value + "\n" for indent, dash, key, value in lines)


# Files written out from nested values in every layout the line reader takes, with its
# choices made at random: how far to indent, a list's dashes in line with its key or not,
# text plain, quoted, over several lines or as a `|` or `>` block.
WORDS = st.sampled_from(["text", "two words", "12", "0714", "1.5", "true", "null", "2027-02-08", "d'avoir",
                         "R&D", "C#", "a,b", "x:y", "https://a.example/b", "Ünï", "ja", "NO", "0x1F", ".5"])
KEYS = st.sampled_from(["title", "en", "de", "a", "b_c", "x-y", "ects", "type"])


def _text(draw, value: str, column: int) -> str:
    """`value` written after a key or dash, its lines below indented to `column`."""
    pad = " " * column
    style = draw(st.sampled_from(["plain", "plain", "single", "double", "long", "block", "folded"]))
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double" and '"' not in value and "\\" not in value:
        return '"' + value + '"'
    words = value.split(" ")
    if style == "long" and len(words) > 1:  # plain text over two lines (when plain suits it)
        return words[0] + "\n" + pad + " ".join(words[1:])
    if style in ("block", "folded"):
        return ("|" if style == "block" else ">-") + "\n" + pad + value
    return value


def _write(draw, value, column: int, depth: int) -> list[str]:
    """Lines for a mapping or a list whose keys or dashes start at `column`."""
    pad = " " * column
    lines = []
    items = value.items() if isinstance(value, dict) else ((None, item) for item in value)
    for key, item in items:
        lead = pad + (f"{key}:" if key is not None else "-" + " " * draw(st.integers(1, 2)))
        if isinstance(item, (dict, list)) and item:
            if key is None and isinstance(item, dict) and draw(st.booleans()):  # `- key: value` on one line
                inner = _write(draw, item, len(lead), depth + 1)
                lines.append(lead + inner[0][len(lead):])
                lines += inner[1:]
                continue
            if key is not None and isinstance(item, list) and draw(st.booleans()):
                lines.append(lead)  # a list whose dashes stand in line with its key
                lines += _write(draw, item, column, depth + 1)
                continue
            lines.append(lead)
            lines += _write(draw, item, column + draw(st.integers(1, 4)), depth + 1)
        elif isinstance(item, list):
            lines.append(lead + " []")
        elif isinstance(item, dict):
            lines.append(lead)  # an empty value
        else:
            lines.append(lead + (" " if key is not None else "") + _text(draw, item, column + 2))
    return lines


@st.composite
def written_files(draw):
    value = draw(st.recursive(
        WORDS, lambda inner: st.lists(inner, min_size=1, max_size=3)
        | st.dictionaries(KEYS, inner, min_size=1, max_size=4), max_leaves=12))
    if not isinstance(value, dict):
        value = {"title": value}
    return "\n".join(_write(draw, value, 0, 0)) + "\n"


# Changes a provider's editor can make to a file, one character or a few at a time,
# among them every character YAML gives a meaning to.
SIGNIFICANT = st.sampled_from(list(" \n:-#'\"[]{},|>&*!%@`?\\\t~0123456789.aTn") + ["- ", ": ", " #", "\n  ", "''"])


@st.composite
def edited_files(draw):
    text = draw(st.sampled_from(LAYOUTS + [p.read_text("utf-8") for p in CATALOGUE_FILES[:8]]) | written_files())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        change = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(SIGNIFICANT)
        if change == "insert":
            text = text[:at] + piece + text[at:]
        elif change == "delete":
            text = text[:at] + text[at + len(piece):]
        else:
            text = text[:at] + piece + text[at + 1:]
    return text


@settings(max_examples=int(os.environ.get("YAML_EXAMPLES", "400")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(edited_files())
def test_edited_files_read_as_with_libyaml(text):
    assert_as_libyaml(text)


@settings(max_examples=int(os.environ.get("YAML_EXAMPLES", "400")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(assembled_files())
def test_assembled_files_read_as_with_libyaml(text):
    assert_as_libyaml(text)


@settings(max_examples=int(os.environ.get("YAML_EXAMPLES", "400")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(written_files())
def test_written_files_read_as_with_libyaml(text):
    assert_as_libyaml(text)
