"""The QDR's LOQ XML of every provider: valid against loq.xsd (xmlschema, offline), the active credentials
exactly, nothing lost, text exact, the same mapping as the ELM JSON-LD."""

from __future__ import annotations

import copy
import socket
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from decimal import Decimal

import pytest
import xmlschema
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO, FIXTURES

from microcred.opendata import elm, loq
from microcred.opendata.elm import elm_address, organisation_iri
from microcred.opendata.loq import escape_attribute, escape_text, loq_xml
from opendatahelp import no_network  # noqa: F401 (autouse: no test here reaches the network)
from opendatahelp import EXPORT_CATALOGUES, FIXTURE, records_of

XSD = FIXTURES / "standards" / "elm-v3" / "xsd-loq" / "loq.xsd"
CATALOGUES = EXPORT_CATALOGUES
NS = {"loq": loq.LOQ, "skos": loq.SKOS, "dc": loq.DC}
OPPORTUNITIES = "loq:learningOpportunityReferences/loq:learningOpportunity"


@contextmanager
def offline():
    """No socket may connect meanwhile (the schema's imports must come from the local copies)."""
    def refuse(*args, **kwargs):
        raise AssertionError("the schema tried to use the network")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket.socket, "connect", refuse)
        patch.setattr(socket, "create_connection", refuse)
        patch.setattr(socket, "getaddrinfo", refuse)
        yield


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    with offline():
        return xmlschema.XMLSchema(str(XSD))


@pytest.fixture(scope="module")
def catalogues() -> dict[str, tuple[list[dict], list[dict], object]]:
    return {name: records_of(folder) for name, folder in CATALOGUES.items()}


def provider_documents(catalogues, name: str):
    """[(provider record, its credential records, its LOQ XML)] of a catalogue."""
    credentials, providers, urls = catalogues[name]
    out = []
    for provider in providers:
        own = [r for r in credentials if r["provider"]["id"] == provider["id"]]
        out.append((provider, own, loq_xml(provider, own, urls)))
    return out


def errors(schema, text: str) -> list[str]:
    return [str(e)[:1500] for e in schema.iter_errors(text)]


def texts(root: ET.Element) -> list[tuple[str, str | None]]:
    """(text, language) of every element with text, and every attribute value (language None)."""
    out = []
    for element in root.iter():
        if element.text and element.text.strip():
            out.append((element.text, element.get("language")))
        out += [(value, None) for name, value in element.attrib.items() if name != "language"]
    return out


# --- valid, and exactly the active credentials --------------------------------------------------------

@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_provider_document_is_valid_against_loq_xsd(schema, catalogues, catalogue):
    failures = {}
    for provider, own, text in provider_documents(catalogues, catalogue):
        found = errors(schema, text)
        if found:
            failures[provider["id"]] = found[:3]
    assert not failures, failures


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_it_holds_exactly_the_active_credentials(catalogues, catalogue):
    urls = catalogues[catalogue][2]
    seen_inactive = 0
    for provider, own, text in provider_documents(catalogues, catalogue):
        root = ET.fromstring(text)
        opportunities = {e.get("id") for e in root.iterfind(OPPORTUNITIES, NS)
                         if e.find("loq:isPartOf", NS) is None}  # not the opportunities of one start date
        active = {elm_address(r["id"], urls) + "#opportunity" for r in own if r["status"] == "active"}
        assert opportunities == active
        specifications = {e.get("id") for e in root.find("loq:learningAchievementSpecificationReferences", NS) or []}
        assert specifications == {a.replace("#opportunity", "#specification") for a in active}
        seen_inactive += sum(r["status"] != "active" for r in own)
        organisation = root.find("loq:agentReferences/loq:organisation", NS)
        assert organisation.get("id") == organisation_iri(provider["id"], urls)
    if catalogue != "hostile":
        assert seen_inactive  # withdrawn and suspended credentials are there to be left out


def test_a_provider_without_active_credentials_gives_a_valid_document(schema, catalogues):
    credentials, providers, urls = catalogues["opendata-fixture"]
    provider = next(p for p in providers if p["id"] == "second-provider")
    own = [r for r in credentials if r["provider"]["id"] == "second-provider"]
    assert own and all(r["status"] != "active" for r in own)
    text = loq_xml(provider, own, urls)
    assert not errors(schema, text)
    assert ET.fromstring(text).find("loq:learningOpportunityReferences", NS) is None


def test_a_provider_with_no_credential_gets_its_document_in_the_open_data(schema, tmp_path):
    """write_open_data gives every provider its LOQ XML, a provider that has no entry yet too."""
    import shutil

    from microcred.catalogue.history import history_of
    from microcred.opendata.publish import write_open_data
    from microcred.settings import load_settings
    from microcred.validate import validate

    root = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", root)
    newcomer = root / "newcomer-academy"
    newcomer.mkdir()
    shutil.copy(next(root.glob("*/provider.yaml")), newcomer / "provider.yaml")
    catalogue = validate(root).catalogue
    assert "newcomer-academy" in catalogue.providers
    write_open_data(catalogue, history_of(catalogue), tmp_path / "api", load_settings(REPO))
    text = (tmp_path / "api" / "elm" / "providers" / "newcomer-academy.xml").read_text("utf-8")
    assert not errors(schema, text)
    assert ET.fromstring(text).find("loq:learningOpportunityReferences", NS) is None


def test_the_same_input_gives_the_same_bytes(catalogues):
    credentials, providers, urls = catalogues["examples"]
    for provider in providers:
        own = [r for r in credentials if r["provider"]["id"] == provider["id"]]
        assert loq_xml(provider, own, urls) == loq_xml(copy.deepcopy(provider), copy.deepcopy(own), urls)


def test_a_broken_document_fails_the_schema(schema, catalogues):
    _p, _own, text = next(item for item in provider_documents(catalogues, "examples") if "<qualification " in item[2])
    assert not errors(schema, text)
    root = ET.fromstring(text)
    opportunity = root.find(OPPORTUNITIES, NS)
    opportunity.remove(opportunity.find("loq:providedBy", NS))  # required
    assert errors(schema, ET.tostring(root, encoding="unicode"))
    # a reference to nothing in the document (the schema's keys)
    assert errors(schema, text.replace('<provenBy idref="', '<provenBy idref="x', 1))
    # a concept outside the schema's vocabulary
    assert errors(schema, text.replace("/snb/isced-f/", "/snb/isced-f/9", 1))
    # an element out of order
    assert errors(schema, text.replace("<status>active</status>", "", 1).replace(
        '<defaultLanguage', "<status>active</status><defaultLanguage", 1))


# --- the text, exact ------------------------------------------------------------------------------------

def test_hostile_text_arrives_exactly(catalogues):
    for provider, own, text in provider_documents(catalogues, "hostile"):
        root = ET.fromstring(text)
        assert root.find("loq:agentReferences/loq:organisation/loq:legalName", NS).text == provider["name"]
        for record in own:
            if record["status"] != "active":
                continue
            lang = record["languages"][0]
            title = record["title"] if isinstance(record["title"], dict) else {lang: record["title"]}
            address = elm_address(record["id"], catalogues["hostile"][2])
            element = root.find(f"{OPPORTUNITIES}[@id='{address}#opportunity']", NS)
            assert {(t.get("language"), t.text) for t in element.iterfind("loq:title", NS)} == set(title.items())
            found = set(texts(root))
            for outcome in record["learning_outcomes"]:
                for tag, value in (outcome.items() if isinstance(outcome, dict) else [(lang, outcome)]):
                    assert (value, tag) in found


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_any_text_and_attribute_value_survive_a_parser(value):
    element = ET.fromstring(f'<a b="{escape_attribute(value)}">{escape_text(value)}</a>')
    # exactly, but for the characters XML 1.0 cannot carry at all (the validator lets U+FFFE and U+FFFF through)
    carried = "".join("\ufffd" if (c < " " and c not in "\t\n\r") or c in "\ufffe\uffff" else c for c in value)
    assert element.get("b") == carried
    assert (element.text or "") == carried


def test_characters_xml_cannot_carry_are_replaced():
    text, value = escape_text("x\ufffey"), escape_attribute("x\uffff")
    assert ET.fromstring(f"<a>{text}</a>").text == "x\ufffdy"
    assert ET.fromstring(f'<a b="{value}"/>').get("b") == "x\ufffd"


# --- nothing lost, and the same mapping as the JSON-LD ----------------------------------------------

TRANSLATABLE = ("title", "description", "learning_outcomes", "workload.note", "assessment.description",
                "quality_assurance.body", "quality_assurance.description", "prerequisites", "stackability.towards",
                "cost.note", "duration.note", "skills.label", "occupations.label", "awarding_bodies.name",
                "recognition.recognised_by.name", "recognition.recognised_by.description", "recognition.note",
                "status_note")
PLAIN = ("identifiers.value", "identifiers.note", "locations.city", "level.nqf.level", "url", "registration_url",
         "quality_assurance.url", "awarding_bodies.url", "recognition.recognised_by.url", "start_dates",
         "valid_from")


def values(record: dict):
    """(field, text, language or None) of every text, URL and date of a record that LOQ has a place for."""
    lang = record["languages"][0]

    def walk(value, path):
        name = ".".join(path)
        if isinstance(value, dict) and name in TRANSLATABLE:
            for tag, text in value.items():
                yield name, text, tag
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, path + (k,))
        elif isinstance(value, list):
            for v in value:
                yield from walk(v, path)
        elif isinstance(value, str) and (name in TRANSLATABLE or name in PLAIN):
            yield name, value, lang if name in TRANSLATABLE else None

    yield from walk(record, ())


def test_nothing_the_provider_wrote_is_missing(catalogues):
    missing = []
    checked = 0
    for name in CATALOGUES:
        for provider, own, text in provider_documents(catalogues, name):
            root = ET.fromstring(text)
            found = texts(root)
            for record in own:
                if record["status"] != "active":
                    continue
                for field, value, lang in values(record):
                    checked += 1
                    if not any(value in t and (lang is None or lang == tag) for t, tag in found):
                        missing.append((record["id"], field, value, lang))
                uris = {v for v, tag in found if tag is None}
                expected = {record["uris"]["eqf"], record["uris"]["isced_f"], *record["uris"]["skills"],
                            *record["uris"]["occupations"], *record["uris"]["countries"], *record["uris"]["languages"],
                            record["uris"]["currency"] or elm.NO_CURRENCY,
                            elm.PARTICIPATION[record["participation"]][0], record["urls"]["page"]}
                if record["learning_setting"]:
                    expected.add(elm.LEARNING_SETTING[record["learning_setting"]][0])
                missing += [(record["id"], "uri", uri, None) for uri in expected - uris - {t for t, _ in found}]
                missing += _numbers(record, root, catalogues[name][2])
            # what the provider says of itself: the organisation, described once
            organisation = " ".join(t for t, _ in texts(root.find("loq:agentReferences/loq:organisation", NS)))
            for value in _provider_values(provider):
                if value not in organisation:
                    missing.append((provider["id"], "provider", value, None))
    assert checked > 500
    assert not missing, "\n".join(map(str, missing[:40]))


def _provider_values(provider: dict):
    for field in ("name", "description"):
        value = provider.get(field)
        yield from ([value] if isinstance(value, str) else (value or {}).values())
    yield from (v for v in (provider.get("short_name"), provider.get("website")) if v)
    for qa in provider.get("quality_assurance") or []:
        yield from (v for v in (qa.get("body"), qa.get("description")) if isinstance(v, str))


def _numbers(record: dict, root: ET.Element, urls) -> list:
    spec = elm_address(record["id"], urls) + "#specification"
    element = next(e for e in root.find("loq:learningAchievementSpecificationReferences", NS) if e.get("id") == spec)
    missing = []
    workload = record["workload"]
    point = element.findtext("loq:creditPoint/loq:point", namespaces=NS)
    if workload["ects"] is not None and Decimal(point) != Decimal(repr(workload["ects"])):
        missing.append((record["id"], "ects", workload["ects"], point))
    volume = element.findtext("loq:volumeOfLearning", namespaces=NS)
    if workload["hours"] is not None and volume != elm.hours_duration(workload["hours"]):
        missing.append((record["id"], "hours", workload["hours"], volume))
    opportunity = next(e for e in root.find("loq:learningOpportunityReferences", NS)
                       if e.get("id") == spec.replace("#specification", "#opportunity"))
    value = opportunity.findtext("loq:priceDetail/loq:amount/loq:value", namespaces=NS)
    if Decimal(value) != Decimal(repr(record["cost"]["amount"])):
        missing.append((record["id"], "cost", record["cost"]["amount"], value))
    return missing


def test_the_mapping_is_elm_s(catalogues):
    # one table for both formats: the XML says what the JSON-LD says of the same credential
    assert loq.PARTICIPATION is elm.PARTICIPATION and loq.LEARNING_SETTING is elm.LEARNING_SETTING
    credentials, providers, urls = catalogues["opendata-fixture"]
    record = copy.deepcopy(next(r for r in credentials if r["id"] == "fixture-academy/everything"))
    record.update(status="active", withdrawn_on=None, participation="volunteering")
    record["assessment"]["type"] = ["written-exam", "presentation", "online-test"]
    provider = next(p for p in providers if p["id"] == "fixture-academy")
    root = ET.fromstring(loq_xml(provider, [record], urls))
    doc = elm.elm_document(record, provider, urls, {record["id"]: record})

    opportunity = root.find(OPPORTUNITIES, NS)
    assert opportunity.find("loq:mode", NS).get("uri") == doc["mode"][0]["id"]
    activity = root.find("loq:learningActivitySpecificationReferences/loq:learningActivitySpecification", NS)
    assert activity.find("loq:type", NS).get("uri") == doc["learningActivitySpecification"]["dcType"][0]["id"]
    assessment = root.find("loq:learningAssessmentSpecificationReferences/loq:learningAssessmentSpecification", NS)
    proven = doc["learningAchievementSpecification"]["provenBy"][0]
    assert [t.get("uri") for t in assessment.iterfind("loq:type", NS)] == [c["id"] for c in proven["dcType"]]
    assert [c.text for c in assessment.iterfind("loq:category", NS)] == proven["category"]["en"]
    qualification = root.find("loq:learningAchievementSpecificationReferences/loq:qualification", NS)
    spec = doc["learningAchievementSpecification"]
    assert qualification.find("loq:NQFLevel", NS).get("uri") == spec["nqfLevel"][0]["id"]
    assert qualification.find("loq:EQFLevel", NS).get("uri") == spec["eqfLevel"]["id"]
    assert qualification.get("id") == elm_address(record["id"], urls) + "#specification"
    assert opportunity.findtext("loq:priceDetail/loq:amount/loq:value", namespaces=NS) == \
        doc["priceDetail"][0]["amount"]["rdf:value"]["@value"]
    # a note is one language in the XML: the entry's first language where the element takes one
    assert qualification.findtext("loq:entryRequirement/loq:noteLiteral", namespaces=NS) == record["prerequisites"]
    # stackability: a reference to the other credential's specification
    assert qualification.find("loq:isPartOf", NS).get("idref") == \
        elm_address("fixture-academy/minimal", urls) + "#specification"


def test_translations_of_a_single_valued_note_follow_as_notes(schema, catalogues):
    credentials, providers, urls = catalogues["opendata-fixture"]
    record = copy.deepcopy(next(r for r in credentials if r["id"] == "fixture-academy/minimal"))
    record["prerequisites"] = {"de": "Keine.", "en": "None."}
    record["duration"] = {"value": 3, "unit": "week", "note": {"en": "Evenings.", "fr": "Le soir."}}
    provider = next(p for p in providers if p["id"] == "fixture-academy")
    text = loq_xml(provider, [record], urls)
    assert not errors(schema, text)
    root = ET.fromstring(text)
    spec = root.find("loq:learningAchievementSpecificationReferences/loq:learningAchievementSpecification", NS)
    requirement = spec.find("loq:entryRequirement/loq:noteLiteral", NS)  # the entry's first language
    assert (requirement.get("language"), requirement.text) == ("en", "None.")
    extra = [n for n in spec.iterfind("loq:additionalNote", NS)
             if n.find("dc:subject", NS).get("uri") == elm.TOPIC["entry-requirements"]]
    assert [(n.find("loq:noteLiteral", NS).get("language"), n.findtext("loq:noteLiteral", namespaces=NS))
            for n in extra] == [("de", "Keine.")]
    opportunity = root.find(OPPORTUNITIES, NS)
    assert opportunity.findtext("loq:scheduleInformation/loq:noteLiteral", namespaces=NS) == "Evenings."
    notes = [n.findtext("loq:noteLiteral", namespaces=NS) for n in opportunity.iterfind("loq:additionalNote", NS)]
    assert "Le soir." in notes
    assert opportunity.findtext("loq:duration", namespaces=NS) == "P21D"


def test_a_code_two_credentials_share_is_given_once_as_identifier(schema, catalogues):
    # loq.xsd: an identifier's notation is unique in the document
    credentials, providers, urls = catalogues["opendata-fixture"]
    minimal = next(r for r in credentials if r["id"] == "fixture-academy/minimal")
    one, two = copy.deepcopy(minimal), copy.deepcopy(minimal)
    two["id"] = "fixture-academy/minimal-two"
    for record in (one, two):
        record["identifiers"] = [{"scheme": "rncp", "value": "RNCP12345", "note": None}]
    provider = next(p for p in providers if p["id"] == "fixture-academy")
    text = loq_xml(provider, [one, two], urls)
    assert not errors(schema, text)
    root = ET.fromstring(text)
    assert [n.text for n in root.iter(f"{{{loq.SKOS}}}notation")] == ["RNCP12345"]
    assert any("RNCP12345" in (n.text or "") for n in root.iter(f"{{{loq.LOQ}}}noteLiteral"))


def test_start_dates_are_opportunities_of_their_own(catalogues):
    credentials, providers, urls = catalogues["examples"]
    record = next(r for r in credentials if len(r["start_dates"]) > 1 and r["status"] == "active")
    provider = next(p for p in providers if p["id"] == record["provider"]["id"])
    root = ET.fromstring(loq_xml(provider, [record], urls))
    address = elm_address(record["id"], urls)
    opportunities = root.findall(OPPORTUNITIES, NS)
    parent, *children = opportunities
    assert [e.get("idref") for e in parent.iterfind("loq:hasPart", NS)] == \
        [f"{address}#opportunity-{day}" for day in record["start_dates"]]
    assert [c.findtext("loq:temporal/loq:startDate", namespaces=NS) for c in children] == \
        [f"{day}T00:00:00" for day in record["start_dates"]]
    assert all(c.find("loq:isPartOf", NS).get("idref") == address + "#opportunity" for c in children)
