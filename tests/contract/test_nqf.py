"""The table of national qualifications frameworks (contract/vocab/nqf.tsv) and the checks it drives."""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest

from microcred.contract import vocabularies as vocab
from microcred.contract.elm_vocabulary import NQF_FRAMEWORKS
from microcred.contract.yamlload import Document
from microcred.validate.records import check_record, record_warnings

TABLE = resources.files("microcred.contract").joinpath("vocab", "nqf.tsv").read_text("utf-8")
ROWS = [line.split("\t") for line in TABLE.splitlines() if line.strip() and not line.startswith("#")]
REQUIRED = {"NL", "DE", "FR", "AT", "BE", "PL", "SE", "FI"}

BASE = {"title": "T", "learning_outcomes": ["O"], "workload": {"ects": 3}, "assessment": {"type": ["project"]},
        "participation": "online", "quality_assurance": [{"type": "internal"}], "field": "0111",
        "languages": ["nl"], "cost": {"amount": 0}}


def check(level: dict):
    from microcred.contract.models import Credential

    doc = Document("x.yaml", {**BASE, "level": level})
    record, problems = check_record(doc, Credential)
    warnings = record_warnings(record, doc, date(2026, 1, 1)) if record is not None else []
    return problems, warnings


def test_every_row_is_well_formed_and_names_its_source():
    assert REQUIRED <= {row[0] for row in ROWS}
    for row in ROWS:
        assert len(row) == 5, row
        country, framework, level, eqf, source = row
        assert country in vocab.countries() and framework and level and source.strip(), row
        assert eqf == "-" or 1 <= int(eqf) <= 8, row
    for country in {row[0] for row in ROWS}:  # each country's comment says where its rows come from
        assert f"\n# {country}: " in TABLE, country


def test_the_levels_are_the_qdrs_levels_of_each_framework():
    # The Europass QDR's NQF vocabulary (elm_vocabulary, checked against cv/nqf.xsd) lists each framework's
    # levels; the table must not invent one. France is the exception: the QDR still lists the nomenclature
    # (V to I) that décret n° 2019-14 replaced by levels 1 to 8.
    for country, framework in vocab.nqf_frameworks().items():
        if country == "FR":
            assert set(framework.levels) == {str(n) for n in range(1, 9)}
            continue
        qdr = {level.casefold() for _prefix, _fw, levels in NQF_FRAMEWORKS[country] for level in levels}
        assert set(framework.levels) == qdr, country


@pytest.mark.parametrize("country, level, eqf", [(r[0], r[2], r[3]) for r in ROWS], ids=lambda v: str(v))
def test_each_row_validates_and_matches_its_eqf_level(country, level, eqf):
    referenced = int(eqf) if eqf != "-" else None
    problems, warnings = check({"eqf": referenced or 1, "nqf": {"country": country, "level": level}})
    assert problems == []
    codes = [w.code for w in warnings]
    assert codes == ([] if referenced else ["nqf-eqf-mismatch"])
    other = 8 if referenced != 8 else 7
    problems, warnings = check({"eqf": other, "nqf": {"country": country, "level": level}})
    [mismatch] = warnings
    assert mismatch.code == "nqf-eqf-mismatch" and mismatch.path == "level.nqf.level"
    assert f"corresponds to {f'EQF level {referenced}' if referenced else 'no EQF level'}, but level.eqf is {other}" \
        in mismatch.message


def test_a_level_the_framework_does_not_have_is_an_error_naming_the_levels():
    problems, _ = check({"eqf": 5, "nqf": {"country": "NL", "level": "9"}})
    [p] = problems
    assert (p.code, p.path, p.severity) == ("unknown-nqf-level", "level.nqf.level", "error")
    assert p.message == "'9' is not a level of NL's NLQF; its levels are entry level, 1, 2, 3, 4, 4+, 5, 6, 7, 8"
    assert p.hint == 'write one of them, in quotes: level: "5"'
    [p] = check({"eqf": 8, "nqf": {"country": "IE", "level": "11"}})[0]
    assert p.message.endswith("its levels are 1, 2, 3, 4, 5, 6, 7, 8, 9, 10")


def test_the_mismatch_of_the_issue_names_both_levels():
    _, [w] = check({"eqf": 5, "nqf": {"country": "NL", "level": "6"}})
    assert w.message == "NLQF level 6 (NL) corresponds to EQF level 6, but level.eqf is 5"
    _, [w] = check({"eqf": 5, "nqf": {"country": "IE", "level": "7"}})
    assert w.message == "NFQ level 7 (IE) corresponds to EQF level 6, but level.eqf is 5"


@pytest.mark.parametrize("written, meant", [("Level 4+", "4+"), ("Entry Level", "entry level"), ("level 6", "6"),
                                            ("CFC Level 3", None)])
def test_levels_are_read_as_the_qdr_writes_them(written, meant):
    country = "BE" if written.startswith("CFC") else "NL"
    eqf = {"4+": 4, "6": 6}.get(meant, 3)
    problems, _ = check({"eqf": eqf, "nqf": {"country": country, "level": written}})
    assert problems == []


@pytest.mark.parametrize("written, suggestion", [("NLQF 6", "6"), ("niveau 4+", "4+"), ("entry", "entry level")])
def test_a_level_written_with_words_around_it_gets_the_level(written, suggestion):
    [p] = check({"eqf": 4, "nqf": {"country": "NL", "level": written}})[0]
    assert p.hint == f"did you mean '{suggestion}'?"


def test_countries_without_a_row_are_free_text():
    assert "LU" not in vocab.nqf_frameworks()
    assert check({"eqf": 5, "nqf": {"country": "LU", "level": "5 (BTS)"}}) == ([], [])
