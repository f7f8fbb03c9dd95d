"""The YAML reader: what a provider's text turns into, and that nothing in a file can crash it."""

from datetime import timedelta

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.contract.models import Credential
from microcred.validate.records import check_record
from microcred.contract.yamlload import LoadFailed, parse


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


def test_a_million_open_brackets_do_not_recurse():
    with pytest.raises(LoadFailed) as failed:
        parse("f.yaml", b"x: " + b"[" * 1_000_000)
    assert failed.value.problems[0].code in ("yaml-too-deep", "file-too-large")


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
