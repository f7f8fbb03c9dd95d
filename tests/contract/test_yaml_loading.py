"""The YAML reader: what a provider's text turns into, and that nothing in a file can crash it."""

import json
from datetime import timedelta

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES

from microcred.contract import yamlload
from microcred.contract.models import Credential
from microcred.contract.yamlload import LoadFailed, parse
from microcred.validate.records import check_record

SUITE = json.loads((FIXTURES / "yaml-test-suite" / "cases.json").read_text("utf-8"))
# What the register refuses on purpose in a valid YAML file, with its own code (see problems.md).
OWN_REFUSALS = {"yaml-alias", "yaml-tag", "yaml-not-mapping", "empty-file", "yaml-multiple-documents",
                "yaml-key-not-text", "yaml-duplicate-key", "yaml-too-deep"}


def load(text: str):
    return parse("f.yaml", text.encode()).data


@pytest.mark.parametrize("text, value", [
    ("x: NO", "NO"),  # Norway stays a country code (YAML 1.1 would say false)
    ("x: yes", "yes"),
    ("x: 0714", "0714"),  # ISCED-F codes keep their leading zero (YAML 1.1 would read octal)
    ("x: 1:20", "1:20"),
    ("x: 2026-09-01", "2026-09-01"),
    ("x: 12", 12),
    ("x: -3", -3),
    ("x: 2.5", 2.5),
    ("x: true", True),
    ("x: ~", None),
    ("x: '12'", "12"),
    ("x: .inf", ".inf"),
])
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text, value):
    assert load(text) == {"x": value}


def test_positions_of_keys_and_values_are_one_based():
    doc = parse("f.yaml", b"title: A\nlevel:\n  eqf: 4\nlanguages:\n  - de\n  - en\n")
    assert doc.value_marks[("level", "eqf")] == (3, 8)
    assert doc.key_marks[("level", "eqf")] == (3, 3)
    assert doc.value_marks[("languages", 1)] == (6, 5)
    assert doc.position(("level", "nqf"), at_key=True) == (2, 1)  # a missing key: its parent


def test_byte_order_mark_is_accepted():
    assert parse("f.yaml", "\ufefftitle: A\n".encode()).data == {"title": "A"}


def test_every_duplicate_key_is_reported():
    with pytest.raises(LoadFailed) as failed:
        parse("f.yaml", b"a: 1\nb: 2\na: 3\nb: 4\n")
    assert [(p.line, p.column, p.code) for p in failed.value.problems] == [
        (3, 1, "yaml-duplicate-key"), (4, 1, "yaml-duplicate-key")]


def refusal(text: bytes):
    with pytest.raises(LoadFailed) as failed:
        parse("f.yaml", text)
    return [(p.code, p.line, p.column, p.message) for p in failed.value.problems]


TOO_DEEP = [("yaml-too-deep", 1, 15, "values nest more than 12 levels deep")]  # at the 13th bracket


@pytest.mark.parametrize("depth", [13, 1_000, 1_000_000])
def test_deep_nesting_gets_the_same_message_however_deep(depth):
    # libyaml 0.2.5 (PyYAML 6.0.4) stops a thousand levels itself, with a message of its own
    assert refusal(b"x: " + b"[" * depth) == TOO_DEEP


def test_deep_nesting_gets_the_same_message_without_libyaml(monkeypatch):
    monkeypatch.setattr(yamlload, "_Loader", yaml.SafeLoader)  # the pure-Python parser: no limit of its own
    assert refusal(b"x: " + b"[" * 1_000_000) == TOO_DEEP


@pytest.mark.parametrize("case", [c for c in SUITE if c["fail"]], ids=lambda c: f"{c['id']}-{c['case']}")
def test_every_invalid_case_of_the_yaml_test_suite_is_refused(case):
    with pytest.raises(LoadFailed):
        parse("f.yaml", case["yaml"].encode())


def test_no_valid_case_of_the_yaml_test_suite_is_refused_by_the_layout_checks():
    # Valid cases may be refused on purpose (anchors, tags, a list at the top) or by libyaml
    # itself (directives, empty keys: forms no catalogue file needs), never by the register's
    # own layout checks, whose messages all say how to write the line instead.
    ours = ("a comment needs a space", "this line is inside the [...]", "this line continues the quoted text",
            "this blank line at the start of a block text")
    for case in (c for c in SUITE if not c["fail"]):
        try:
            parse("f.yaml", case["yaml"].encode())
        except LoadFailed as failed:
            for p in failed.problems:
                assert p.code in OWN_REFUSALS or (p.code == "yaml-syntax" and not p.message.startswith(ours)), case


IN_BRACKETS = "this line is inside the [...] or {...} that starts on line %d but is not indented past column %d, " \
              "where its key or list item starts"


@pytest.mark.parametrize("text, where, message", [
    ('title: "x"# text\n', (1, 11), "a comment needs a space before '#'"),  # SU5Z
    ("title: 'x'# text\n", (1, 11), "a comment needs a space before '#'"),
    ("description: ># text\n  more\n", (1, 15), "a comment needs a space before '#'"),  # X4QW
    ("languages: [en,\nde]\n", (2, 1), IN_BRACKETS % (1, 1)),  # 9C9N
    ("languages: [en\nde]\n", (2, 1), IN_BRACKETS % (1, 1)),  # one item over two lines
    ("level:\n  nqf: {country: DE,\n  level: '5'}\n", (3, 3), IN_BRACKETS % (2, 3)),
    ("title: [unclosed\nfield: x\n", (2, 1), IN_BRACKETS % (1, 1)),  # the usual cause: a bracket left open
    ('title: "a\nb"\n', (2, 1), "this line continues the quoted text begun on line 1 but is not indented past "
                                "column 1, where its key or list item starts"),  # QB6E
    ('title: "a\n\tb"\n', (2, 1), "this line continues the quoted text begun on line 1 but starts with a tab: "
                                   "YAML indents with spaces"),  # DK95
    ("note: >\n \n  \n   \n # text\n", (4, 1), "this blank line at the start of a block text has 3 spaces, "
                                              "more than the text's first line (1)"),  # S98Z
])
def test_layout_that_yaml_refuses_is_refused_with_the_line_to_fix(text, where, message):
    with pytest.raises(LoadFailed) as failed:
        parse("f.yaml", text.encode())
    [problem] = failed.value.problems
    assert (problem.code, (problem.line, problem.column), problem.message) == ("yaml-syntax", where, message)
    assert problem.hint and not problem.path  # says what to write instead


@pytest.mark.parametrize("text", [
    'title: "x" # text\n',
    "languages: [en,\n  de]\n",
    "languages: [\n  en,\n  de\n]\n",  # the closing bracket may stand under its key
    'title: "a\n  b"\n',
    'title: "a\n\n b"\n',  # a blank line inside the text
    'title: "a\r\n b"\r\n',
    "description: >\n  one\n  two\n",
    "description: >-\n\n  after a blank line\n",
    "description: |2\n   \n  indented as given\n",
    "outcomes:\n- \"a\n  b\"\n",
])
def test_layout_that_yaml_allows_is_read(text):
    assert isinstance(load(text), dict)


def test_billion_laughs_is_refused_at_the_first_anchor():
    bomb = b'a: &a ["lol","lol"]\nb: &b [*a,*a,*a]\nc: [*b,*b,*b]\n'
    with pytest.raises(LoadFailed) as failed:
        parse("f.yaml", bomb)
    assert [(p.code, p.line, p.column) for p in failed.value.problems] == [("yaml-alias", 1, 4)]


# Bounded time: a few hundred bytes parse in well under a millisecond; the bounds are generous
# so a loaded 2-core machine does not flake, yet catch anything that blows up with its input.
PARSE_BOUND = timedelta(seconds=1)
CATALOGUE_BOUND = timedelta(seconds=5)


def _parse_or_refuse(raw: bytes):
    try:
        doc = parse("f.yaml", raw)
    except LoadFailed as failed:
        assert failed.problems
        for p in failed.problems:
            assert p.line >= 1 and p.column >= 1 and p.message
        return None
    assert isinstance(doc.data, dict)
    return doc


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=PARSE_BOUND)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise(raw):
    _parse_or_refuse(raw)


YAML_ALPHABET = st.sampled_from(list("ab:- \n\t[]{},'\"!&*#|>%@`?~0123456789.\\") + ["\u00e9", "\u202e", "\x00", "\r"])


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=PARSE_BOUND)
@given(st.lists(YAML_ALPHABET, max_size=200).map("".join))
def test_arbitrary_yaml_like_text_never_raises(text):
    _parse_or_refuse(text.encode("utf-8", "surrogatepass"))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)
FIELD_NAMES = list(Credential.model_fields) + ["unknown", "ects", "eqf", "type"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=PARSE_BOUND)
@given(st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=12))
@example(record={"title": {"\x00\x80\x80": None}})  # a language tag langcodes' name search crashed on
def test_arbitrary_records_are_refused_with_positions_never_raised(record):
    raw = yaml.safe_dump(record, allow_unicode=True).encode()
    doc = _parse_or_refuse(raw)
    if doc is None:
        return
    _, problems = check_record(doc, Credential)
    for p in problems:
        assert p.code and p.message and p.line >= 1 and p.column >= 1


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=CATALOGUE_BOUND)
@given(st.lists(st.binary(max_size=200), min_size=1, max_size=4))
def test_whole_catalogue_of_garbage_is_reported_not_raised(tmp_path_factory, contents):
    from microcred.validate import validate

    root = tmp_path_factory.mktemp("cat")
    (root / "p").mkdir()
    for i, raw in enumerate(contents):
        (root / "p" / f"c{i}.yaml").write_bytes(raw)
    result = validate(root)
    assert result.errors  # at least the missing provider.yaml


# --- libyaml's syntax errors, in plain words ------------------------------------------------------------

SYNTAX_IN_PLAIN_WORDS = [
    # (text, (line, column), message, hint)
    ("title: x\nlevel:\n\teqf: 5\n", (3, 1), "this line is indented with a tab; YAML indents with spaces only",
     "replace the tab with spaces, as many as the lines around it use, and set your editor to insert spaces "
     "for the Tab key"),
    ('title: x\nnote: "Replaced soon\n', (2, 7), 'the text in quotes that starts here with " is never closed',
     'end it with " on the same line; inside it, write \\" for a quote mark'),
    ("title: x\nnote: 'It is\n", (2, 7), "the text in quotes that starts here with ' is never closed",
     "end it with ' on the same line; inside it, write '' for an apostrophe, as in 'it''s'"),
    ("title: Course\nurl https://x.example\nfield: x\n", (2, 1),
     "this line is not a key followed by ': ', and not indented as part of the value above it",
     "write `url: https://x.example`; if the line continues the text above, indent it further than that "
     "text's key"),
    ("title:Course\nurl: x\n", (1, 7), "no space after ':', so YAML reads this line as text, not as a key and its value",
     "write `title: Course`"),
    ("languages:\n  - nl\n - en\n", (3, 2), "this list item's '-' is in column 2, the item above it in column 3",
     "start every item of a list in the same column: put the '-' in column 3"),
    ("title: x\n- y\n", (2, 1), "a list item where a key is expected",
     "a list belongs under its key: write the key (e.g. `languages:`) on the line above, and indent the items "
     "under it"),
    ("title: Data: the basics\n", (1, 12),
     "': ' inside a value that is not in quotes: YAML reads it as the start of another key",
     'put the value in quotes: `title: "Data: the basics"`'),
    ("title: x\n  url: y\n", (2, 3),
     "this line is indented more than the line above, so YAML reads it as part of that line's value",
     "start it in column 1, like the key above, or put a value with ': ' in quotes"),
    ("level:\n    eqf: 5\n  nqf: x\n", (3, 3), "this line is indented by 2 spaces, like no key above it",
     "indent it like the keys it belongs with: 0 or 4 spaces"),
    ('title: "Data" literacy\n', (1, 15), 'text goes on after the closing "',
     'put the whole value in quotes and write each " inside it as \\", as in "He said \\"hi\\""'),
    ("title: 'it's'\n", (1, 12), "text goes on after the closing '",
     "put the whole value in quotes and write each ' inside it twice, as in 'it''s', or use double quotes"),
    ("quality_assurance:\n  - type: internal\n   body: x\n", (3, 4),
     "this line is neither a new list item nor in line with the fields of the item above",
     "start a new item with '-' in column 3, or indent the field to column 5, like the fields of the item above"),
    ("languages: - nl\n", (1, 12), "a list cannot start on the line of its key",
     "write the items on lines of their own under `languages:`, each as `  - item`, or write `languages: [nl]`"),
    ("title: @home\n", (1, 8), "a value cannot start with '@' unless it is in quotes", 'write `title: "@home"`'),
    ("title: `x`\n", (1, 8), "a value cannot start with '`' unless it is in quotes", 'write `title: "`x`"`'),
    ('title: "a\\qb"\n', (1, 10),
     "a backslash in double-quoted text starts an escape sequence, and this one is not one YAML knows",
     "write \\\\ for a backslash, or put the text in single quotes"),
    ("languages: [nl, en}\n", (1, 19),
     "the [...] that starts on line 1 is not closed, or two of its items have no comma between them",
     "separate the items with ', ' and end with ]; put an item that holds a comma or a colon in quotes"),
    ("languages: [nl, , en]\n", (1, 17), "an empty item between two commas", "remove the extra comma"),
    ("description: |x\n", (1, 15), "after '|' or '>' the text starts on the next line",
     "write the '|' or '>' last on the key's line and the text on the lines below it, indented"),
]


@pytest.mark.parametrize("loader", ["libyaml", "python"])
@pytest.mark.parametrize("text, where, message, hint", SYNTAX_IN_PLAIN_WORDS, ids=lambda v: repr(v)[:40])
def test_syntax_errors_say_what_is_wrong_and_what_to_write(monkeypatch, loader, text, where, message, hint):
    if loader == "python":  # the same words where libyaml is missing
        monkeypatch.setattr(yamlload, "_Loader", yaml.SafeLoader)
    with pytest.raises(LoadFailed) as failed:
        parse("f.yaml", text.encode())
    [problem] = failed.value.problems
    assert (problem.code, (problem.line, problem.column), problem.message, problem.hint) == (
        "yaml-syntax", where, message, hint)


@settings(max_examples=400, deadline=PARSE_BOUND)
@given(st.text(st.sampled_from("ab: -#'\"\t\n[]{},|>@`%\\"), max_size=60))
def test_any_syntax_error_is_explained_without_raising(text):
    try:
        parse("f.yaml", text.encode())
    except LoadFailed as failed:
        for p in failed.problems:
            assert p.message and p.line >= 1 and p.column >= 1
