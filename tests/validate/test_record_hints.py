"""What the validator says about a record it refuses or warns about: the field meant, where a missing
field goes, the list form of a single value, addresses that are not https, a workload that is ECTS."""

from __future__ import annotations

from datetime import date

import pytest

from microcred.contract.models import Credential, Provider
from microcred.contract.yamlload import parse
from microcred.validate.records import check_record, record_warnings

BASE = """title: Data literacy
learning_outcomes: [Read a chart]
workload: {ects: 3}
level: {eqf: 5}
assessment: {type: [project]}
participation: online
quality_assurance: [{type: internal}]
field: "0111"
languages: [nl]
cost: {amount: 0}
"""


def problems(text: str, model=Credential):
    doc = parse("x.yaml", text.encode())
    record, found = check_record(doc, model)
    return found, record_warnings(record, doc, date(2026, 1, 1)) if record is not None else []


def one(text: str, model=Credential):
    found, warnings = problems(text, model)
    [p] = found + warnings
    return p


@pytest.mark.parametrize("written, value, hint", [
    ("rio_code", '"1009O1234"', "did you mean 'identifiers'? write identifiers: [{scheme: rio, value: 1009O1234}]"),
    ("croho", "70011", "did you mean 'identifiers'? write identifiers: [{scheme: croho, value: \"70011\"}]"),
    ("course_code", "DL-101", "did you mean 'identifiers'? write identifiers: [{scheme: provider, value: DL-101}]"),
    ("isced", '"0111"', "did you mean 'field'? write field: \"0111\""),
    ("eqf", "5", "did you mean 'level.eqf'? move it into level as eqf: 5"),
    ("ECTS", "3", "did you mean 'workload.ects'? move it into workload as ects: 3"),
    ("price", "895", "did you mean 'cost.amount'? move it into cost as amount: 895"),
    ("language", "Dutch", "did you mean 'languages'? write languages: [nl]"),
    ("country", "Netherlands", "did you mean 'countries'? write countries: [NL]"),
    ("website", "https://x.example", "did you mean 'url'? write url: https://x.example"),
    ("link", "https://x.example", "did you mean 'url'? write url: https://x.example"),
    ("enrolment-url", "https://x.example/enrol", "did you mean 'registration_url'? write registration_url: https://x.example/enrol"),
    ("durration", "{value: 6, unit: week}", "did you mean 'duration'?"),  # a typo: spelling distance
    ("learning_outcome", "[x]", "did you mean 'learning_outcomes'?"),
])
def test_an_unknown_field_gets_the_field_meant(written, value, hint):
    p = one(BASE + f"{written}: {value}\n")
    assert (p.code, p.message, p.hint) == ("unknown-field", f"unknown field '{written}'", hint)


def test_a_field_meant_inside_a_mapping_that_is_not_there_yet_is_written_whole():
    text = BASE.replace("cost: {amount: 0}\n", "") + "price: 895\n"
    found, _ = problems(text)
    assert [p.hint for p in found if p.code == "unknown-field"] == [
        "did you mean 'cost.amount'? write cost: {amount: 895}"]


@pytest.mark.parametrize("written", ["rio_code", "roster", "registration", "croho_id"])
def test_unrelated_names_get_no_suggestion_of_an_unrelated_field(written):
    p = one(BASE + f"{written}: x\n")
    assert "did you mean 'awarding_bodies'" not in p.hint and "did you mean 'recognition'" not in p.hint


def test_a_name_nothing_matches_lists_the_fields():
    assert one(BASE + "roster: x\n").hint.startswith("allowed: title, description, url, registration_url,")


def test_synonyms_inside_a_mapping_and_in_the_provider_file():
    found, _ = problems(BASE.replace("cost: {amount: 0}", "cost: {fee: 0}"))
    assert [p.hint for p in found if p.code == "unknown-field"] == ["did you mean 'amount'? write amount: 0"]
    provider = ("name: X\ncountry: NL\ntype: vet\nwebsite: https://x.example\nmaintainers: [a-b]\n"
                "email: info@x.example\n")
    assert one(provider, Provider).hint == "did you mean 'contact_email'? write contact_email: info@x.example"


# --- a missing field: where it goes, and what it takes ---------------------------------------------------


def test_a_missing_field_is_reported_before_the_next_field_of_the_record():
    p = one(BASE.replace("languages: [nl]\n", ""))
    assert (p.line, p.column) == (9, 1)  # cost, the next field in the record's order
    assert p.message == "required field 'languages' is missing; add it before 'cost'"
    assert p.hint == "a list, each a BCP 47 language tag; e.g. languages: [de, en]"
    # the record's order decides, not the file's: countries comes right after languages
    p = one(BASE.replace("languages: [nl]\n", "") + "countries: [NL]\n")
    assert (p.line, p.message) == (10, "required field 'languages' is missing; add it before 'countries'")
    assert p.hint == "a list, each a BCP 47 language tag; e.g. languages: [de, en]"


def test_a_missing_field_with_nothing_after_it_is_reported_after_the_one_before():
    p = one(BASE.replace("cost: {amount: 0}\n", ""))
    assert (p.line, p.message) == (9, "required field 'cost' is missing; add it after 'languages'")
    assert p.hint == "a mapping; e.g. cost: {amount: 450, currency: EUR}"


@pytest.mark.parametrize("field, hint", [
    ("participation", "one of: online, onsite, blended, volunteering, work-experience; e.g. participation: blended"),
    ("field", 'an ISCED-F 2013 field of education and training (2, 3 or 4 digits); e.g. field: "0714"'),
    ("level", "a mapping; e.g. level: {eqf: 4}"),
])
def test_a_missing_field_says_its_allowed_values_or_format(field, hint):
    text = "".join(line + "\n" for line in BASE.splitlines() if not line.startswith(f"{field}:"))
    assert one(text).hint == hint


def test_a_missing_field_in_a_mapping_is_reported_inside_it():
    p = one(BASE.replace("level: {eqf: 5}", "level:\n  nqf: {country: LU, level: x}"))
    assert (p.path, p.line, p.column) == ("level.eqf", 5, 3)
    assert p.message == "required field 'eqf' is missing in level; add it before 'nqf'"
    assert p.hint == "a whole number from 1 to 8; e.g. eqf: 4"


# --- a single value where a list or a mapping belongs ------------------------------------------------------


@pytest.mark.parametrize("line, hint", [
    ("languages: Dutch", "write languages: [nl]"),
    ("languages: nl, en", "write languages: [nl, en]"),
    ("languages: Dutch, English", "write languages: [nl, en]"),
    ("languages: nl", "write languages: [nl]"),
    ("learning_outcomes: Read a chart", "write learning_outcomes: [Read a chart]"),
    ("countries: Netherlands", "write countries: [NL]"),
])
def test_a_single_value_where_a_list_belongs_gets_the_list(line, hint):
    key = line.split(":")[0]
    text = "".join((line if l.startswith(key + ":") else l) + "\n" for l in BASE.splitlines())
    if key not in BASE:
        text += line + "\n"
    p = one(text)
    assert (p.code, p.message, p.hint) == ("wrong-type", "expected a list, got text", hint)


@pytest.mark.parametrize("line, hint", [
    ("cost: €895", "write cost: {amount: 895, currency: EUR}"),
    ("cost: 0", "write cost: {amount: 0}"),
    ("workload: 5", "write workload: {ects: 5} or workload: {hours: 5}"),
    ("level: 5", "write level: {eqf: 5}"),
    ("assessment: project", "write assessment: {type: [project]}"),
    ("cost: 450", "write cost: {amount: 450, currency: ...}"),
])
def test_a_single_value_where_a_mapping_belongs_gets_the_mapping(line, hint):
    key = line.split(":")[0]
    text = "".join((line if l.startswith(key + ":") else l) + "\n" for l in BASE.splitlines())
    assert one(text).hint == hint


# --- warnings -------------------------------------------------------------------------------------------


def test_every_address_given_as_http_is_flagged_with_its_https_form():
    text = (BASE + """url: http://x.example/course
registration_url: HTTP://x.example/enrol
awarding_bodies: [{name: A, country: NL, url: http://a.example}]
recognition: {recognised_by: [{name: R, url: http://r.example}]}
skills: [{label: s, uri: "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000000"}]
occupations: [{label: o, uri: "http://data.europa.eu/esco/occupation/00000000-0000-0000-0000-000000000000"}]
""").replace("quality_assurance: [{type: internal}]", "quality_assurance: [{type: internal, url: http://q.example}]")
    found, warnings = problems(text)
    assert found == []
    assert [(w.code, w.path, w.hint) for w in warnings] == [
        ("url-not-https", "url", "write https://x.example/course and check that it opens"),
        ("url-not-https", "registration_url", "write https://x.example/enrol and check that it opens"),
        ("url-not-https", "awarding_bodies[0].url", "write https://a.example and check that it opens"),
        ("url-not-https", "quality_assurance[0].url", "write https://q.example and check that it opens"),
        ("url-not-https", "recognition.recognised_by[0].url", "write https://r.example and check that it opens"),
    ]  # the ESCO URIs are http by definition: never flagged
    assert warnings[0].message == "'http://x.example/course' is a plain http:// address; most sites serve https://"
    assert all(w.severity == "warning" for w in warnings)


def test_a_provider_website_given_as_http_is_flagged():
    provider = "name: X\ncountry: NL\ntype: vet\nwebsite: http://x.example\nmaintainers: [a-b]\n"
    w = one(provider, Provider)
    assert (w.code, w.path, w.line, w.column) == ("url-not-https", "website", 4, 10)


@pytest.mark.parametrize("workload, warned", [
    ("{hours: 5}", True), ("{hours: 9.5}", True), ("{hours: 10}", False), ("{ects: 5}", False),
    ("{hours: 5, note: a five-hour workshop}", False),  # said on purpose
])
def test_a_few_hours_given_alone_are_flagged_as_probably_ects(workload, warned):
    found, warnings = problems(BASE.replace("workload: {ects: 3}", f"workload: {workload}"))
    assert found == [] and [w.code for w in warnings] == (["workload-implausible"] if warned else [])
    if warned:
        hours = workload[8:-1]
        assert warnings[0].message.startswith(f"{hours} hours is very little for a micro-credential: if {hours} is "
                                              "meant as ECTS credits")
