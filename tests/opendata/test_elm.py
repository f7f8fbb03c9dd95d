"""ELM v3 (Europass) JSON-LD of every credential: conform to the Commission's LOQ shapes, nothing lost, text exact.

Each document is expanded by pyld (the JSON-LD contexts served from the local copies), read into rdflib and
validated on its own by pyshacl against both shape files, offline: LOQ-constraints.ttl (classes, properties,
counts) and LOQ-constraints-mdr.ttl (the controlled vocabularies).
"""

from __future__ import annotations

import copy
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from functools import cache

import pyshacl
import pytest
import rdflib
from pyld import jsonld
from rdflib import Literal, URIRef

from conftest import REPO, FIXTURES

from microcred.contract import vocabularies as vocab
from microcred.opendata import elm
from microcred.opendata.elm import elm_address, elm_document, organisation_iri
from opendatahelp import no_network  # noqa: F401 (autouse: no test here reaches the network)
from opendatahelp import EXPORT_CATALOGUES, FIXTURE, records_of

STANDARD = FIXTURES / "standards" / "elm-v3"
CONTEXT_FILES = {
    "https://www.w3.org/2018/credentials/v1": STANDARD / "credentials-v1.context.jsonld",
    "http://data.europa.eu/snb/model/context/edc-ap": STANDARD / "edc-ap-context.jsonld",
}
CATALOGUES = EXPORT_CATALOGUES
# (no rdflib.RDF or XSD at module level: pytest's look for fixtures trips their closed namespaces' warnings)
RDF_VALUE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
XSD_DURATION = URIRef("http://www.w3.org/2001/XMLSchema#duration")
ELM = rdflib.Namespace("http://data.europa.eu/snb/model/elm/")
DC = rdflib.Namespace("http://purl.org/dc/terms/")
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")


# --- reading a document the way a JSON-LD consumer does ---------------------------------------------

@cache
def _context(url: str) -> dict:
    return json.loads(CONTEXT_FILES[url].read_text("utf-8"))


def _loader(url, options=None):
    if url not in CONTEXT_FILES:
        raise AssertionError(f"the document asks for a context we have no copy of: {url}")
    return {"contextUrl": None, "documentUrl": url, "document": _context(url)}


def graph(doc: dict) -> rdflib.Graph:
    """The RDF graph of a document, from what a JSON-LD processor makes of its published text."""
    text = json.dumps(doc, ensure_ascii=False)
    quads = jsonld.to_rdf(json.loads(text), {"documentLoader": _loader, "format": "application/n-quads"})
    out = rdflib.Graph()
    out.parse(data=quads, format="nt")  # one graph, the default: its N-Quads are N-Triples
    return out


@pytest.fixture(scope="module")
def shapes() -> tuple[rdflib.Graph, rdflib.Graph]:
    out = []
    for name in ("LOQ-constraints.ttl", "LOQ-constraints-mdr.ttl"):
        shape_graph = rdflib.Graph()
        shape_graph.parse(STANDARD / name, format="turtle")
        out.append(shape_graph)
    return tuple(out)


def violations(doc: dict, shapes) -> list[str]:
    """What the shapes find wrong with one document, validated on its own (empty: it conforms)."""
    data = graph(doc)
    out = []
    for shape_graph in shapes:
        conforms, _report, text = pyshacl.validate(data, shacl_graph=shape_graph, inference="none")
        if not conforms:
            out.append(text)
    return out


@pytest.fixture(scope="module")
def documents() -> dict[str, list[tuple[dict, dict, dict]]]:
    """catalogue name -> [(credential record, provider record, ELM document)]."""
    out = {}
    for name, folder in CATALOGUES.items():
        credentials, providers, urls = records_of(folder)
        by_provider = {p["id"]: p for p in providers}
        by_id = {r["id"]: r for r in credentials}
        out[name] = [(r, provider, elm_document(r, provider, urls, by_id))
                     for r in credentials for provider in [by_provider[r["provider"]["id"]]]]
        assert out[name], f"no credentials in {folder}"
    return out


@pytest.fixture(scope="module")
def fixture_records():
    credentials, providers, urls = records_of(FIXTURE)
    return {r["id"]: r for r in credentials}, {p["id"]: p for p in providers}, urls


def variant(fixture_records, cid: str, **changes) -> tuple[dict, dict]:
    """A fixture record with some fields changed (dotted names reach into mappings), and its document."""
    by_id, providers, urls = fixture_records
    record = copy.deepcopy(by_id[cid])
    for dotted, value in changes.items():
        *path, last = dotted.split("__")
        target = record
        for key in path:
            target = target[key]
        target[last] = value
    by_id = {**by_id, cid: record}
    return record, elm_document(record, providers[record["provider"]["id"]], urls, by_id)


def node(doc: dict, iri: str) -> dict:
    """The fullest description of a node in a document, by its IRI as written there."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            if value.get("id") == iri and len(value) > 1:
                found.append(value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(doc)
    assert found, f"no node {iri}"
    return max(found, key=len)


# --- conformance -----------------------------------------------------------------------------------

@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_document_conforms_to_both_shape_files(documents, shapes, catalogue):
    failures = {record["id"]: found for record, _p, doc in documents[catalogue] if (found := violations(doc, shapes))}
    assert not failures, "\n\n".join(f"{cid}:\n" + "\n".join(texts)[:3000] for cid, texts in failures.items())


def test_the_catalogues_have_both_kinds_of_specification(documents):
    # the shapes of a Qualification (NQF level) and of a LearningAchievementSpecification both get checked
    kinds = {doc["learningAchievementSpecification"]["type"] for items in documents.values() for _r, _p, doc in items}
    assert kinds == {"Qualification", "LearningAchievementSpecification"}


MAPPING_VARIANTS = {
    # name: (fixture credential, changes): records that reach each rule of the mapping tables
    "volunteering": ("fixture-academy/minimal", {"participation": "volunteering"}),
    "work-experience": ("fixture-academy/minimal", {"participation": "work-experience", "learning_setting": "formal"}),
    "every-assessment-type": ("fixture-academy/minimal", {"assessment__type": list(vocab.ASSESSMENT_TYPES)}),
    "presentation-only": ("fixture-academy/minimal", {"assessment__type": ["presentation"]}),
    "nqf-exact": ("fixture-academy/minimal", {"level__nqf": {"country": "NL", "level": "Level 4+"}}),
    "nqf-framework-only": ("fixture-academy/minimal", {"level__nqf": {"country": "FR", "level": "4"}}),
    "nqf-ambiguous": ("fixture-academy/minimal", {"level__nqf": {"country": "GB", "level": "6"}}),
    "nqf-one-of-several": ("fixture-academy/minimal", {"level__nqf": {"country": "GB", "level": "11"}}),
    "nqf-no-framework": ("fixture-academy/minimal", {"level__nqf": {"country": "US", "level": "7"}}),
    "qualification-into-specification": ("fixture-academy/everything", {"status": "active", "withdrawn_on": None}),
    "into-unknown": ("fixture-academy/minimal",
                     {"stackability": {"mode": "stackable", "stacks_into": ["nobody/nothing"], "towards": None}}),
    "fractions": ("fixture-academy/minimal", {"workload": {"ects": None, "hours": 12.5, "note": None},
                                              "duration": {"value": 1.5, "unit": "month", "note": None},
                                              "self_paced": True}),
    "fraction-of-a-day": ("fixture-academy/minimal",
                          {"duration": {"value": 2.25, "unit": "day", "note": {"en": "a", "fr": "b"}}}),
    "no-known-language": ("fixture-academy/minimal", {"languages": ["tlh"]}),
}


@pytest.mark.parametrize("name", MAPPING_VARIANTS)
def test_documents_reaching_every_mapping_rule_conform_too(fixture_records, shapes, name):
    cid, changes = MAPPING_VARIANTS[name]
    _record, doc = variant(fixture_records, cid, **changes)
    found = violations(doc, shapes)
    assert not found, "\n".join(found)[:4000]


def test_a_broken_document_fails_the_shapes(fixture_records, shapes):
    _record, doc = variant(fixture_records, "fixture-academy/everything")
    assert not violations(doc, shapes)

    def broken(change) -> list[str]:
        copied = copy.deepcopy(doc)
        change(copied)
        return violations(copied, shapes)

    # a required property missing (LOQ-constraints.ttl)
    assert any("dc1:title" in t or "terms/title" in t
               for t in broken(lambda d: d["learningAchievementSpecification"].pop("title")))
    assert broken(lambda d: d.pop("providedBy"))
    assert broken(lambda d: d.pop("elm:defaultLanguage"))
    # a closed shape: a property the profile does not have
    assert broken(lambda d: d.__setitem__("elm:learningSetting", {"id": elm.LEARNING_SETTING["formal"][0]}))
    # a concept from another vocabulary (LOQ-constraints-mdr.ttl)
    assert any("ThematicAreaRestriction" in t for t in broken(
        lambda d: d["learningAchievementSpecification"]["thematicArea"][0].__setitem__(
            "inScheme", {"id": "http://example.org/my-fields", "type": "ConceptScheme"})))


def test_every_pattern_of_the_shapes_compiles_in_python():
    # the two patterns rewritten in our copy (tests/fixtures/standards/README.md) and all the others
    patterns = []
    for name in ("LOQ-constraints.ttl", "LOQ-constraints-mdr.ttl"):
        shape_graph = rdflib.Graph()
        shape_graph.parse(STANDARD / name, format="turtle")
        patterns += [str(p) for p in shape_graph.objects(None, rdflib.SH.pattern)]
    assert len(patterns) >= 8
    for pattern in patterns:
        re.compile(pattern)
    url = next(p for p in patterns if "(http|https)" in p)
    assert url.startswith("(?i)^")
    assert re.search(url, "HTTPS://example.org/x") and not re.search(url, "ftp://example.org/")


# --- the record, whole and exact ----------------------------------------------------------------------

TRANSLATABLE = {  # record fields of type Text: a string in the first language, or translations
    ("title",), ("description",), ("learning_outcomes", "*"), ("workload", "note"), ("assessment", "description"),
    ("quality_assurance", "*", "body"), ("quality_assurance", "*", "description"), ("prerequisites",),
    ("stackability", "towards"), ("cost", "note"), ("duration", "note"), ("skills", "*", "label"),
    ("occupations", "*", "label"), ("awarding_bodies", "*", "name"), ("recognition", "recognised_by", "*", "name"),
    ("recognition", "recognised_by", "*", "description"), ("recognition", "note"), ("status_note",),
}
PLAIN = {  # text written as is, in no language: identifiers, places, a national level
    ("identifiers", "*", "value"), ("identifiers", "*", "note"), ("locations", "*", "city"), ("level", "nqf", "level"),
}
URLS = {("url",), ("registration_url",), ("quality_assurance", "*", "url"), ("awarding_bodies", "*", "url"),
        ("recognition", "recognised_by", "*", "url")}
DATES = {("start_dates", "*"), ("valid_from",), ("withdrawn_on",)}


def _shape(path) -> tuple:
    return tuple("*" if isinstance(p, int) else p for p in path)


def provider_values(record: dict):
    """(path, value, language or None) of every text, URL and date the provider wrote that ELM has a place for."""
    lang = record["languages"][0]

    def walk(value, path):
        if isinstance(value, dict) and _shape(path) in TRANSLATABLE:
            for tag, text in value.items():
                yield path + (tag,), text, tag
        elif isinstance(value, dict):
            for k, v in value.items():
                yield from walk(v, path + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from walk(v, path + (i,))
        elif isinstance(value, str):
            shape = _shape(path)
            if shape in TRANSLATABLE:
                yield path, value, lang
            elif shape in PLAIN or shape in URLS or shape in DATES:
                yield path, value, None

    yield from walk(record, ())


def literals(g: rdflib.Graph) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for o in g.objects():
        if isinstance(o, Literal):
            out.setdefault(o.language, []).append(str(o))
    return out


def test_nothing_the_provider_wrote_is_missing(documents):
    missing = []
    checked = 0
    for items in documents.values():
        for record, provider, doc in items:
            g = graph(doc)
            texts = literals(g)
            every_text = [t for values in texts.values() for t in values]
            iris = {str(x) for triple in g for x in triple if isinstance(x, URIRef)}
            for path, value, lang in provider_values(record):
                checked += 1
                pool = every_text if lang is None else texts.get(lang.lower(), []) + texts.get(lang, [])
                if not any(value == t or value in t for t in pool):
                    missing.append((record["id"], path, value, lang))
            # codes and numbers: where their ELM counterparts are
            expected_iris = {record["uris"]["eqf"], record["uris"]["isced_f"], *record["uris"]["skills"],
                             *record["uris"]["occupations"], *record["uris"]["countries"], *record["uris"]["languages"],
                             record["uris"]["currency"] or elm.NO_CURRENCY,
                             elm.PARTICIPATION[record["participation"]][0],
                             organisation_iri(provider["id"], _urls(record))}
            if record["learning_setting"]:
                expected_iris.add(elm.LEARNING_SETTING[record["learning_setting"]][0])
            for loc in record["locations"]:
                if loc["region"]:
                    expected_iris.add(f"http://data.europa.eu/nuts/code/{loc['region']}")
            missing += [(record["id"], "IRI", iri, None) for iri in expected_iris - iris]
            if record["urls"]["page"] not in every_text:
                missing.append((record["id"], "urls.page", record["urls"]["page"], None))
            if record["status"] not in every_text:
                missing.append((record["id"], "status", record["status"], None))
            missing += _numbers(record, g)
    assert checked > 1000
    assert not missing, "\n".join(map(str, missing[:40]))


def _urls(record: dict):
    # the records' own addresses tell the site's URL back
    class Urls:
        api = record["urls"]["api"].split("credentials/")[0]
    return Urls


def _numbers(record: dict, g: rdflib.Graph) -> list:
    """ECTS, hours, cost and the calendar duration, read back from the graph's typed literals."""
    missing = []
    workload = record["workload"]
    points = [Decimal(str(o)) for o in g.objects(None, ELM.point)]
    if workload["ects"] is not None and points != [Decimal(repr(workload["ects"]))]:
        missing.append((record["id"], "workload.ects", workload["ects"], points))
    hours = [o.toPython() for o in g.objects(None, ELM.volumeOfLearning)]
    if workload["hours"] is not None and [h.total_seconds() / 3600 for h in hours] != [workload["hours"]]:
        missing.append((record["id"], "workload.hours", workload["hours"], hours))
    amounts = [Decimal(str(o)) for o in g.objects(None, RDF_VALUE)]
    if amounts != [Decimal(repr(record["cost"]["amount"]))]:
        missing.append((record["id"], "cost.amount", record["cost"]["amount"], amounts))
    duration = record["duration"]
    if duration:
        found = [str(o) for o in g.objects(None, ELM.duration)]
        value, unit = duration["value"], duration["unit"]
        if unit == "month" and value == int(value):
            expected = [f"P{int(value)}M"]
        elif unit == "month":
            expected = []  # said in a note, below
            notes = [str(o) for o in g.objects(None, ELM.noteLiteral)]
            if not any(f"{elm.number(value)} months" in n for n in notes):
                missing.append((record["id"], "duration", duration, notes))
        else:
            seconds = value * {"hour": 3600, "day": 86400, "week": 7 * 86400}[unit]
            expected = [x for x in found if Literal(x, datatype=XSD_DURATION).toPython().total_seconds() == seconds]
        if found != expected:
            missing.append((record["id"], "duration", duration, found))
    return missing


def test_hostile_text_arrives_exactly(documents):
    for record, _p, doc in documents["hostile"]:
        published = json.loads(json.dumps(doc, ensure_ascii=False))
        title = record["title"] if isinstance(record["title"], dict) else {record["languages"][0]: record["title"]}
        assert published["title"] == title
        assert published["learningAchievementSpecification"]["title"] == title
        g = graph(doc)
        opportunity = URIRef(elm_address(record["id"], _urls(record)) + "#opportunity")
        assert {(str(o), o.language) for o in g.objects(opportunity, DC.title)} == \
               {(text, tag.lower()) for tag, text in title.items()}
        outcomes = {(str(o), o.language) for o in g.objects(None, DC.title)}
        for outcome in record["learning_outcomes"]:
            for tag, text in (outcome.items() if isinstance(outcome, dict) else [(record["languages"][0], outcome)]):
                assert (text, tag.lower()) in outcomes


def test_every_node_has_a_stable_iri_from_the_document_address(documents, fixture_records):
    for items in documents.values():
        for record, _p, doc in items:
            g = graph(doc)
            address = elm_address(record["id"], _urls(record))
            assert doc["@context"][-1] == {"@base": address}
            subjects = set(g.subjects())
            assert not [s for s in subjects if not isinstance(s, URIRef)], "a blank node"
            own = {str(s) for s in subjects if str(s).startswith(address)}
            assert f"{address}#opportunity" in own and f"{address}#specification" in own
            assert f"{address}#assessment" in own and f"{address}#outcome-1" in own
            assert all(re.fullmatch(re.escape(address) + r"#[A-Za-z0-9-]+", s) for s in own)
    # the same record gives the same document, byte for byte
    by_id, providers, urls = fixture_records
    record = by_id["fixture-academy/everything"]
    provider = providers["fixture-academy"]
    one = json.dumps(elm_document(record, provider, urls, by_id), sort_keys=True)
    two = json.dumps(elm_document(copy.deepcopy(record), copy.deepcopy(provider), urls, dict(by_id)), sort_keys=True)
    assert one == two


def test_every_key_is_a_term_of_the_context(documents):
    # pyld drops a key it cannot expand without a word: a misspelt property would vanish unseen
    terms = set()
    for url in CONTEXT_FILES:
        terms |= set(_context(url)["@context"])
    elm_terms = _context("http://data.europa.eu/snb/model/context/edc-ap")["@context"]
    prefixes = {t for t, value in elm_terms.items() if isinstance(value, str)}
    unknown = set()

    def walk(value, language_map=False):
        if isinstance(value, dict):
            for k, v in value.items():
                if language_map:
                    assert isinstance(v, (str, list)), (k, v)
                    continue
                if not (k.startswith("@") or k in terms or k.split(":")[0] in prefixes):
                    unknown.add(k)
                walk(v, language_map=k in LANGUAGE_MAPS)
        elif isinstance(value, list):
            for v in value:
                walk(v, language_map)

    for items in documents.values():
        for _r, _p, doc in items:
            walk(doc)
    assert not unknown


LANGUAGE_MAPS = {"title", "description", "noteLiteral", "legalName", "altLabel", "prefLabel", "category",
                 "geographicName"}


# --- the mapping rules --------------------------------------------------------------------------------

def test_participation_without_an_exact_mode_has_the_nearest_and_its_own_words(fixture_records):
    record, doc = variant(fixture_records, "fixture-academy/minimal", participation="volunteering")
    workbased = "http://data.europa.eu/snb/learning-assessment/729f3bed4b"
    assert [m["id"] for m in doc["mode"]] == [workbased]
    activity = doc["learningActivitySpecification"]
    assert activity["dcType"][0]["id"] == "http://data.europa.eu/snb/learning-activity/59eaf34fab"  # volunteering
    assert activity["title"] == {"en": "Volunteering"}
    _r, doc = variant(fixture_records, "fixture-academy/minimal", participation="work-experience")
    assert doc["learningActivitySpecification"]["dcType"][0]["id"].endswith("/4357e0e681")  # job experience
    for value, expected in (("online", "920fbb3cbe"), ("onsite", "9191af2ed9"), ("blended", "e92d221e4d")):
        _r, doc = variant(fixture_records, "fixture-academy/minimal", participation=value)
        assert doc["mode"][0]["id"].endswith(expected) and "learningActivitySpecification" not in doc
    assert set(elm.PARTICIPATION) == set(vocab.PARTICIPATION)


def test_assessment_types_are_concepts_where_one_matches_and_words_otherwise(fixture_records):
    _r, doc = variant(fixture_records, "fixture-academy/minimal", assessment__type=["written-exam", "presentation",
                                                                                   "online-test"])
    assessment = doc["learningAssessmentSpecification"] if "learningAssessmentSpecification" in doc else \
        doc["learningAchievementSpecification"]["provenBy"][0]
    assert assessment["id"] == "#assessment"
    assert [c["id"].rsplit("/", 1)[1] for c in assessment["dcType"]] == ["6e6cb2cc78", "b1b68f6735"]  # exam, quiz
    assert assessment["category"] == {"en": ["Presentation", "Online test"]}  # not exact: the register's words
    assert assessment["title"] == {"en": "Written examination, Presentation, Online test"}
    assert set(elm.ASSESSMENT_TYPES) == set(vocab.ASSESSMENT_TYPES)
    assert {rule for *_x, rule in elm.ASSESSMENT_TYPES.values()} == {"exact", "nearest", "none"}


def test_supervision_is_said_in_a_note_of_the_assessment(documents):
    _r, _p, doc = next(item for item in documents["opendata-fixture"] if item[0]["id"] == "fixture-academy/everything")
    note = doc["learningAchievementSpecification"]["provenBy"][0]["additionalNote"][0]
    assert note["subject"]["id"] == elm.TOPIC["assessment"]
    assert note["noteLiteral"] == {"en": "Supervision and identity verification: "
                                         + vocab.SUPERVISION["supervised-with-identity-verification"]}


@pytest.mark.parametrize("country, level, kind, concept, exact", [
    ("DE", "5", "Qualification", "c_bd9f8e42", True),  # DQR Level 5
    ("NL", "Level 4+", "Qualification", "c_c2700f4e", True),  # NLQF Level 4+
    ("GB", "11", "Qualification", "c_517309ca", True),  # only the SCQF has 11 levels
    ("FR", "4", "Qualification", "c_c8bc1cb9", False),  # the RNCP levels are I to V: the framework itself
    ("GB", "6", "LearningAchievementSpecification", None, None),  # RQF, SCQF or CQFW: not said
    ("US", "7", "LearningAchievementSpecification", None, None),  # no framework in the QDR's list
])
def test_national_levels_map_to_the_qdr_vocabulary(fixture_records, country, level, kind, concept, exact):
    _r, doc = variant(fixture_records, "fixture-academy/minimal", level__nqf={"country": country, "level": level})
    spec = doc["learningAchievementSpecification"]
    assert spec["type"] == kind
    note = node(doc, "#nqf-note")
    assert note["noteLiteral"] == {"en": f"National qualifications framework ({country}) level: {level}"}
    if concept:
        assert spec["nqfLevel"][0]["id"] == elm.QDR + concept[2:] and spec["eqfLevel"]["id"].endswith("/2")
        assert note["subject"]["id"] == elm.QDR + concept[2:]
        assert elm.nqf_concept(country, level) == (elm.QDR + concept[2:], exact)
    else:
        assert "nqfLevel" not in spec and spec["educationLevel"][0]["id"].endswith("/2") and "subject" not in note


def test_the_nqf_table_is_the_qdr_vocabulary():
    # every concept of cv/nqf.xsd, and nothing else, with the label the table reads it by
    xs = "{http://www.w3.org/2001/XMLSchema}"
    tree = ET.parse(STANDARD / "xsd-loq" / "cv" / "nqf.xsd")
    labels = {e.get("value"): " ".join(e.find(f".//{xs}documentation").text.split())
              for e in tree.getroot().iter(f"{xs}enumeration")}
    table = {}
    for _country, frameworks in elm.NQF_FRAMEWORKS.items():
        for prefix, framework, levels in frameworks:
            assert re.search("framework|register", labels[elm.QDR + framework], re.IGNORECASE)
            table[elm.QDR + framework] = labels[elm.QDR + framework]
            for key, code in levels.items():
                assert labels[elm.QDR + code] in (f"{prefix} Level {key}", f"{prefix} {key}"), (prefix, key)
                table[elm.QDR + code] = labels[elm.QDR + code]
    assert table == labels


def test_vocabulary_concepts_are_in_the_standards_lists():
    xs = "{http://www.w3.org/2001/XMLSchema}"

    def listed(name: str) -> dict[str, str]:
        tree = ET.parse(STANDARD / "xsd-loq" / "cv" / name)
        return {e.get("value"): (e.findtext(f".//{xs}documentation") or "").strip()
                for e in tree.getroot().iter(f"{xs}enumeration")}

    modes = listed("europass-modes.xsd")
    activities = listed("europass-learning-activity-types.xsd")
    for mode, label, activity, _rule in elm.PARTICIPATION.values():
        assert modes[mode] == label
        assert activity is None or activities[activity[0]] == activity[1]
    assessments = listed("europass-learning-assessment-types.xsd")
    for uri, label, rule in elm.ASSESSMENT_TYPES.values():
        assert (uri is None) == (rule == "none") and (uri is None or assessments[uri] == label)
    settings = listed("europass-learning-setting-types.xsd")
    assert all(settings[uri] == label for uri, label in elm.LEARNING_SETTING.values())
    assert set(elm.LEARNING_SETTING) == set(vocab.LEARNING_SETTINGS)
    assert listed("credit-points.xsd")[elm.ECTS[0]] == elm.ECTS[1]
    assert listed("currency.xsd")[elm.NO_CURRENCY] == "No currency"
    assert elm.UNDETERMINED_LANGUAGE in listed("language.xsd")
    topics = ET.parse(STANDARD / "xsd-loq" / "cv" / "loq_individuals.xsd").getroot()
    assert set(elm.TOPIC.values()) <= {e.get("value") for e in topics.iter(f"{xs}enumeration")}


def test_a_free_offer_without_currency_costs_zero_of_no_currency(fixture_records):
    _r, doc = variant(fixture_records, "fixture-academy/minimal")
    amount = doc["priceDetail"][0]["amount"]
    assert amount["unit"]["id"] == "http://publications.europa.eu/resource/authority/currency/XXX"
    assert amount["rdf:value"] == {"@value": "0", "@type": "xsd:decimal"}
    _r, doc = variant(fixture_records, "fixture-academy/everything")
    amount = doc["priceDetail"][0]["amount"]
    assert amount["unit"]["id"].endswith("/EUR") and amount["rdf:value"]["@value"] == "99.5"
    assert doc["priceDetail"][0]["description"] == {"en": "Grants available."}


def test_durations_are_exact_or_said_in_words(fixture_records):
    _r, doc = variant(fixture_records, "fixture-academy/minimal", workload={"ects": None, "hours": 12.5, "note": None},
                      duration={"value": 1.5, "unit": "month", "note": None}, self_paced=True)
    assert doc["learningAchievementSpecification"]["volumeOfLearning"] == "PT12H30M"
    assert "duration" not in doc and "creditPoint" not in doc["learningAchievementSpecification"]
    notes = {n["id"]: n["noteLiteral"] for n in doc["additionalNote"]}
    assert notes["#duration-note"] == {"en": "Duration: 1.5 months"}
    assert notes["#self-paced"]["en"].startswith("Self-paced")
    for value, unit, expected in ((6, "week", "P42D"), (2, "month", "P2M"), (2.25, "day", "P2DT6H"),
                                  (3.5, "hour", "PT3H30M")):
        _r, doc = variant(fixture_records, "fixture-academy/minimal",
                          duration={"value": value, "unit": unit, "note": None})
        assert doc["duration"] == expected


def test_start_dates_are_opportunities_of_their_own(fixture_records):
    record, doc = variant(fixture_records, "fixture-academy/everything")
    starts = doc["hasPart"]
    assert [s["temporal"]["startDate"] for s in starts] == ["2027-01-11T00:00:00", "2027-04-12T00:00:00"]
    assert all(s["isPartOf"] == {"id": "#opportunity"} and s["title"] == doc["title"] for s in starts)
    assert doc["temporal"] == {"id": "#period", "type": "PeriodOfTime", "startDate": "2025-01-01T00:00:00",
                               "endDate": "2026-06-30T00:00:00"}


def test_stackability_links_the_other_credentials_document(fixture_records, documents):
    # a specification into a specification, or into a qualification: isPartOf, with what the shapes require of it
    record, _p, doc = next(item for item in documents["examples"]
                           if item[0]["id"] == "clarmont-facility-academy/cleaning-basics-level-1")
    target = record["stackability"]["stacks_into"][0]
    part = doc["learningAchievementSpecification"]["isPartOf"][0]
    assert part["id"] == elm_address(target, _urls(record)) + "#specification"
    assert part["id"].endswith(
        "/api/v1/elm/credentials/clarmont-facility-academy/floor-care-machines-level-2.jsonld#specification")
    # a qualification into a learning achievement specification: the shapes allow no isPartOf, a link says it
    record, doc = variant(fixture_records, "fixture-academy/everything")
    spec = doc["learningAchievementSpecification"]
    assert spec["type"] == "Qualification" and "isPartOf" not in spec
    link = node(doc, "#stacks-into-1")
    assert link["contentURL"] == elm_address("fixture-academy/minimal", _urls(record))
    assert link["title"] == {"en": "Minimal course"}
    assert "Stacks into: fixture-academy/minimal" in node(doc, "#stackability")["noteLiteral"]["en"]
    _r, doc = variant(fixture_records, "fixture-academy/minimal",
                      stackability={"mode": "stackable", "stacks_into": ["nobody/nothing"], "towards": None})
    assert node(doc, "#stacks-into-1")["title"] == {"en": "nobody/nothing"}


def test_text_in_several_languages_is_carried_in_every_language(fixture_records):
    record, doc = variant(fixture_records, "fixture-academy/everything")
    assert node(doc, "#outcome-2")["title"] == {"en": "-Configure a thing.", "de": "-Ein Ding konfigurieren."}
    body = node(doc, "#awarding-body-1")
    assert body["legalName"] == {"en": "Partner University (illustrative)", "fr": "Université partenaire (fictive)"}
    assert [c["id"] for c in doc["learningAchievementSpecification"]["language"]] == [
        "http://publications.europa.eu/resource/authority/language/ENG",
        "http://publications.europa.eu/resource/authority/language/DEU"]
    assert doc["elm:defaultLanguage"]["id"].endswith("/ENG")
    provider = doc["providedBy"]
    assert provider["legalName"] == {"en": "Fixture Academy (illustrative)", "de": "Fixture-Akademie (fiktiv)"}
    assert provider["altLabel"] == {"und": "FXA"}  # a provider file has no language of its own


def test_identifiers_and_quality_assurance(fixture_records):
    record, doc = variant(fixture_records, "fixture-academy/everything")
    spec = doc["learningAchievementSpecification"]
    assert [(i["notation"], i["schemeName"]) for i in spec["identifier"]] == [
        ("34139", vocab.IDENTIFIER_SCHEMES["croho"]),
        ("<NQR> & 'x'", vocab.IDENTIFIER_SCHEMES["other"] + ': Register "with" quotes')]
    qa = node(doc, "#quality-assurance-1")
    assert qa["subject"]["id"] == elm.TOPIC["quality-assurance"]
    assert qa["noteLiteral"]["en"] == ("Quality assurance: " + vocab.QUALITY_ASSURANCE_TYPES["external-programme"]
                                       + "\nIllustrative agency\nProgramme accreditation, illustrative.")
    evidence = node(doc, "#quality-assurance-1-evidence")
    assert evidence["contentURL"] == "https://agency.example/decisions/42"
    assert node(doc, "#entry-requirements")["noteLiteral"] == {"en": "＠home: none; 0 years of experience."}
