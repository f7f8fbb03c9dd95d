"""Open Badges 3.0 achievements: valid by 1EdTech's own JSON Schema, sound JSON-LD, nothing lost, text exact."""

from __future__ import annotations

import copy
import json
from collections import Counter

import pytest
from jsonschema import Draft4Validator
from pyld import jsonld

from conftest import REPO, FIXTURES

from microcred.opendata.ob3 import ob3_achievement
from microcred.opendata.records import display_text
from opendatahelp import no_network  # noqa: F401 (autouse: no test here reaches the network)
from opendatahelp import EXPORT_CATALOGUES, FIXTURE, leaves, records_of

OB3 = FIXTURES / "standards" / "ob3"
SCHEMA = json.loads((OB3 / "ob_v3p0_achievementcredential_schema_draft4.json").read_text("utf-8"))
# The file keeps its subschemas under $defs (not draft 4's `definitions`); its refs are "#/$defs/<name>".
ACHIEVEMENT = Draft4Validator({"$ref": "#/$defs/Achievement", "$defs": SCHEMA["$defs"]},
                              format_checker=Draft4Validator.FORMAT_CHECKER)
CONTEXT_FILES = {
    "https://www.w3.org/ns/credentials/v2": OB3 / "credentials-v2.context.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": OB3 / "ob-v3p0-3.0.3.context.json",
}
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"  # where a @vocab would put unknown terms

CATALOGUES = EXPORT_CATALOGUES


@pytest.fixture(scope="module")
def achievements() -> dict[str, list[tuple[dict, dict, dict]]]:
    """catalogue name -> [(credential record, provider record, achievement)]."""
    out = {}
    for name, folder in CATALOGUES.items():
        credentials, providers, urls = records_of(folder)
        by_id = {p["id"]: p for p in providers}
        out[name] = [(r, by_id[r["provider"]["id"]], ob3_achievement(r, by_id[r["provider"]["id"]], urls))
                     for r in credentials]
        assert out[name], f"no credentials in {folder}"
    return out


def every(achievements):
    return [item for items in achievements.values() for item in items]


def one(achievements, cid: str) -> tuple[dict, dict, dict]:
    return next(item for item in achievements["opendata-fixture"] if item[0]["id"] == cid)


def schema_errors(doc: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in ACHIEVEMENT.iter_errors(doc)]


# --- the standard's JSON Schema ---------------------------------------------------------

def test_the_schema_is_draft4_and_self_contained():
    Draft4Validator.check_schema(SCHEMA)
    refs = [v for path, v in leaves(SCHEMA) if path and path[-1] == "$ref"]
    assert refs and all(ref.startswith("#/$defs/") for ref in refs), "a $ref outside the file would need the network"


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_achievement_is_valid(achievements, catalogue):
    problems = {r["id"]: errors for r, _, doc in achievements[catalogue] if (errors := schema_errors(doc))}
    assert not problems


@pytest.mark.parametrize("breakage", ["no criteria", "no description", "wrong achievementType",
                                      "alignment without targetUrl", "name as a value object", "creator without id"])
def test_a_broken_achievement_fails_the_schema(achievements, breakage):
    doc = copy.deepcopy(one(achievements, "fixture-academy/everything")[2])
    assert not schema_errors(doc)
    if breakage == "no criteria":
        del doc["criteria"]
    elif breakage == "no description":
        del doc["description"]
    elif breakage == "wrong achievementType":
        doc["achievementType"] = "Microcredential"  # neither the enumeration's spelling nor ext:
    elif breakage == "alignment without targetUrl":
        del doc["alignment"][0]["targetUrl"]
    elif breakage == "name as a value object":
        doc["name"] = {"@value": doc["name"], "@language": "en"}  # VC 2.0's pattern, which OB's schema refuses
    elif breakage == "creator without id":
        del doc["creator"]["id"]
    assert schema_errors(doc)


# --- what a known entry says -----------------------------------------------------------

def test_a_known_entry(achievements):
    record, provider, doc = one(achievements, "fixture-academy/everything")
    assert doc["@context"][:2] == ["https://www.w3.org/ns/credentials/v2",
                                   "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert doc["id"] == "https://register.example/api/v1/ob3/achievements/fixture-academy/everything.json"
    assert doc["type"] == ["Achievement"]
    assert doc["achievementType"] == "MicroCredential"
    assert doc["name"] == record["title"]
    assert doc["description"] == record["description"]
    assert doc["inLanguage"] == "en"
    assert "@language" not in doc  # the schema's old spelling: a JSON-LD keyword, meaningless on a node

    targets = {(a["targetUrl"], a["targetCode"], a["targetType"]): a["targetName"] for a in doc["alignment"]}
    assert targets == {
        ("http://data.europa.eu/snb/eqf/5", "5", "ext:QualificationLevel"): "EQF level 5",
        ("http://data.europa.eu/snb/isced-f/0714", "0714", "ext:FieldOfStudy"): "Electronics and automation",
        ("http://data.europa.eu/esco/skill/0a8ad2b2-1c44-4a38-8f3d-2e1c1c1f0e6a",
         "0a8ad2b2-1c44-4a38-8f3d-2e1c1c1f0e6a", "ceasn:Competency"): "configure PLC systems",
        ("http://data.europa.eu/esco/occupation/1c5b3b31-4c6a-4d3a-9b5a-2f0a0e8c7d11",
         "1c5b3b31-4c6a-4d3a-9b5a-2f0a0e8c7d11", "ext:Occupation"): "Electronics technicians",
    }
    assert all(a["type"] == ["Alignment"] and a["targetFramework"] for a in doc["alignment"])
    assert (doc["fieldOfStudy"], doc["specialization"]) == ("Engineering and engineering trades",
                                                             "Electronics and automation")

    # ECTS and hours in terms of our own; OB's creditsAvailable (credit hours) stays out
    assert doc["ectsCredits"] == 2.5 and doc["workloadHours"] == 70
    assert "creditsAvailable" not in doc
    inline = doc["@context"][2]
    assert inline["ectsCredits"] == {"@id": "https://register.example/vocab/#ectsCredits"}
    assert inline["workloadHours"] == {"@id": "https://register.example/vocab/#workloadHours"}

    assert doc["creator"] == {
        "id": "https://register.example/api/v1/providers/fixture-academy.json",
        "type": ["Profile"],
        "name": "Fixture Academy (illustrative)",
        "nameMap": {"en": "Fixture Academy (illustrative)", "de": "Fixture-Akademie (fiktiv)"},
        "url": "https://fixture-academy.example/",
        "description": 'A provider that exists only in tests. <b>Not bold</b> & "quoted".',
        "email": "courses@fixture-academy.example",
        "address": {"type": ["Address"], "addressCountryCode": "DE", "addressCountry": "Germany",
                    "addressRegion": "DE21"},
    }

    criteria = doc["criteria"]
    assert criteria["id"] == "https://register.example/credentials/fixture-academy/everything/"
    narrative = criteria["narrative"]
    for text in ("+Explain the formula hazard in spreadsheets.", "-Configure a thing.", "@Mention nobody.",
                 "Written examination, Project", "with identity verification", "An exam and a project."):
        assert text in narrative
    assert "-Ein Ding konfigurieren." in criteria["narrativeMap"]["de"]
    assert "-Ein Ding konfigurieren." not in narrative

    assert doc["url"] == record["url"]
    assert doc["registrationUrl"] == record["registration_url"]
    assert doc["tag"] == record["keywords"]
    assert doc["otherIdentifier"] == [
        {"type": "IdentifierEntry", "identifier": "34139", "identifierType": "ext:croho"},
        {"type": "IdentifierEntry", "identifier": "<NQR> & 'x'", "identifierType": "ext:other"},
    ]
    assert "humanCode" not in doc  # no code of the provider's own
    assert "image" not in doc


def test_translations_and_defaults(achievements):
    record, _, doc = one(achievements, "second-provider/translated")
    assert doc["inLanguage"] == "pl"
    assert (doc["name"], doc["nameMap"]) == ("Kurs przetłumaczony", record["title"])
    assert (doc["description"], doc["descriptionMap"]) == ("Opis po polsku.", record["description"])
    assert "Zrobić rzecz." in doc["criteria"]["narrative"]
    assert set(doc["criteria"]["narrativeMap"]) == {"pl", "en"}
    assert "Do a thing." in doc["criteria"]["narrativeMap"]["en"]
    assert doc["ectsCredits"] == 12 and "workloadHours" not in doc
    assert doc["creator"]["name"] == "Second Provider" and "nameMap" not in doc["creator"]
    assert "email" not in doc["creator"] and "addressRegion" not in doc["creator"]["address"]

    record, _, doc = one(achievements, "fixture-academy/minimal")
    assert doc["description"] == "Do one thing."  # no description written: the outcomes stand in
    assert doc["workloadHours"] == 10 and "ectsCredits" not in doc
    assert doc["fieldOfStudy"] == "Information and Communication Technologies (ICTs)"  # field 06: the broad field
    assert "specialization" not in doc
    for key in ("tag", "otherIdentifier", "url", "registrationUrl", "humanCode", "nameMap", "descriptionMap"):
        assert key not in doc
    assert [a["targetType"] for a in doc["alignment"]] == ["ext:QualificationLevel", "ext:FieldOfStudy"]


def test_the_providers_own_code_is_the_human_code(achievements):
    found = [(r, doc) for r, _, doc in every(achievements) if any(i["scheme"] == "provider" for i in r["identifiers"])]
    assert found
    for record, doc in found:
        assert doc["humanCode"] == next(i["value"] for i in record["identifiers"] if i["scheme"] == "provider")


# --- nothing lost, nothing altered -----------------------------------------------------

def _texts(where: str, text):
    """(where, value, language or None) for a text: None is the entry's first-language string."""
    if text is None:
        return
    if isinstance(text, str):
        yield where, text, None
    else:
        for tag, value in text.items():
            yield where, value, tag


def promised(record: dict, provider: dict):
    """Every value a provider wrote that has a place in OB 3.0 (the module docstring's mapping)."""
    yield from _texts("title", record["title"])
    yield from _texts("description", record["description"])
    for outcome in record["learning_outcomes"]:
        yield from _texts("learning outcome", outcome)
    yield from _texts("assessment description", record["assessment"]["description"])
    for t in record["assessment"]["type"]:
        yield "assessment type", record["labels"]["assessment"][t], None
    if record["assessment"]["supervision"]:
        yield "supervision", record["labels"]["supervision"], None
    yield "EQF level", record["uris"]["eqf"], None
    yield "EQF code", str(record["level"]["eqf"]), None
    yield "ISCED-F field", record["uris"]["isced_f"], None
    yield "ISCED-F code", record["field"], None
    for kind in ("skills", "occupations"):
        for item in record[kind]:
            if item["uri"]:
                yield kind, item["uri"], None
                yield from _texts(f"{kind} label", item["label"])
    if record["workload"]["ects"] is not None:
        yield "ECTS", record["workload"]["ects"], None
    if record["workload"]["hours"] is not None:
        yield "hours", record["workload"]["hours"], None
    yield "language", record["languages"][0], None
    for keyword in record["keywords"]:
        yield "keyword", keyword, None
    for identifier in record["identifiers"]:
        yield "identifier", identifier["value"], None
    for key in ("url", "registration_url"):
        if record[key]:
            yield key, record[key], None
    yield "register page", record["urls"]["page"], None
    yield from _texts("provider name", provider["name"])
    yield from _texts("provider description", provider["description"])
    yield "provider website", provider["website"], None
    yield "provider record", provider["urls"]["api"], None
    if provider["contact_email"]:
        yield "provider e-mail", provider["contact_email"], None
    yield "provider country", provider["country"], None
    if provider["region"]:
        yield "provider region", provider["region"], None


def present(doc: dict, value, tag: str | None) -> bool:
    """The value is a leaf of the document (or part of a narrative), and a translation is in a language map."""
    for path, leaf in leaves({k: v for k, v in doc.items() if k != "@context"}):
        keys = [p for p in path if isinstance(p, str)]
        if tag is not None and not (path[-1] == tag and len(keys) > 1 and keys[-2].endswith("Map")):
            continue
        if type(leaf) is type(value) and leaf == value:
            return True
        if isinstance(value, str) and isinstance(leaf, str) and value in leaf and any("narrative" in k for k in keys):
            return True
    return False


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_nothing_with_a_place_in_ob3_is_missing(achievements, catalogue):
    missing = [(record["id"], where, value, tag)
               for record, provider, doc in achievements[catalogue]
               for where, value, tag in promised(record, provider)
               if not present(doc, value, tag)]
    assert not missing


def test_first_language_text_is_the_string(achievements):
    for record, provider, doc in every(achievements):
        languages = record["languages"]
        assert doc["name"] == display_text(record["title"], languages)
        assert doc["creator"]["name"] == display_text(provider["name"], languages)
        assert doc["inLanguage"] == languages[0]
        if record["description"] is not None:
            assert doc["description"] == display_text(record["description"], languages)
        assert doc.get("nameMap") == (record["title"] if isinstance(record["title"], dict) else None)
        if record["description"] is not None:
            text = record["description"]
            assert doc.get("descriptionMap") == (text if isinstance(text, dict) else None)


def test_hostile_text_arrives_exactly(achievements):
    hostile = achievements["hostile"]
    assert any(isinstance(r["title"], dict) for r, _, _ in hostile)
    for record, _, doc in hostile:
        for ensure_ascii in (True, False):
            back = json.loads(json.dumps(doc, ensure_ascii=ensure_ascii, sort_keys=True))
            assert back == doc
        title = record["title"]
        assert doc["name"] == display_text(title, record["languages"])
        if isinstance(title, dict):
            assert doc["nameMap"] == title
        assert doc.get("tag", []) == record["keywords"]
        assert [i["identifier"] for i in doc.get("otherIdentifier", [])] == [i["value"] for i in record["identifiers"]]
        for outcome in record["learning_outcomes"]:
            assert display_text(outcome, record["languages"]) in doc["criteria"]["narrative"]


def test_deterministic_and_the_record_untouched(achievements):
    credentials, providers, urls = records_of(FIXTURE)
    by_id = {p["id"]: p for p in providers}
    for record in credentials:
        before = copy.deepcopy((record, by_id[record["provider"]["id"]]))
        first = ob3_achievement(record, by_id[record["provider"]["id"]], urls)
        second = ob3_achievement(record, by_id[record["provider"]["id"]], urls)
        assert json.dumps(first) == json.dumps(second)
        assert (record, by_id[record["provider"]["id"]]) == before
        assert first["@context"][2] is not second["@context"][2]  # no shared object a caller could change


# --- JSON-LD: every term is defined --------------------------------------------------------

def local_contexts(url, options=None):
    """The document loader: the local copies of the two contexts, nothing else."""
    if url not in CONTEXT_FILES:
        raise ValueError(f"no local copy of {url}; the test must not fetch it")
    return {"contextUrl": None, "documentUrl": url, "document": json.loads(CONTEXT_FILES[url].read_text("utf-8"))}


def expansion_losses(doc: dict) -> list[str]:
    """What JSON-LD expansion dropped or left undefined: [] when every term we wrote means something."""
    expanded = jsonld.expand(doc, {"documentLoader": local_contexts})
    problems = []

    def key_of(path):
        return next((p for p in reversed(path) if isinstance(p, str)), None)

    body = {k: v for k, v in doc.items() if k != "@context"}
    written = Counter(json.dumps(v) for path, v in leaves(body) if key_of(path) != "type")
    types = sum(1 for path, _ in leaves(body) if key_of(path) == "type")
    languages = Counter(path[-1] for path, _ in leaves(body) if len(path) > 1 and str(path[-2]).endswith("Map"))

    values, node_types, tags = Counter(), [], Counter()

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@value", "@id"):
                    values[json.dumps(value)] += 1
                elif key == "@language":
                    tags[value] += 1
                elif key == "@type":
                    if "@value" not in node:
                        node_types.extend(value)
                elif key.startswith("@"):
                    problems.append(f"unexpected keyword {key}")
                else:
                    if not key.startswith(("http://", "https://")) or key.startswith(ISSUER_DEPENDENT):
                        problems.append(f"property without a defined IRI: {key}")
                    walk(value)

    walk(expanded)
    if values != written:
        problems.append(f"values dropped: {sorted((written - values).elements())}; "
                        f"added: {sorted((values - written).elements())}")
    if len(node_types) != types or any(t.startswith(ISSUER_DEPENDENT) or "://" not in t for t in node_types):
        problems.append(f"types not all defined: {node_types}")
    if Counter({k.lower(): n for k, n in languages.items()}) != Counter({k.lower(): n for k, n in tags.items()}):
        problems.append(f"language maps lost languages: {languages} != {tags}")
    return problems


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_json_ld_expansion_keeps_every_term(achievements, catalogue):
    problems = {r["id"]: p for r, _, doc in achievements[catalogue] if (p := expansion_losses(doc))}
    assert not problems


@pytest.mark.parametrize("where", ["achievement", "alignment", "creator", "criteria"])
def test_an_undefined_term_is_caught(achievements, where):
    doc = copy.deepcopy(one(achievements, "fixture-academy/everything")[2])
    assert not expansion_losses(doc)
    target = {"achievement": doc, "alignment": doc["alignment"][0], "creator": doc["creator"],
              "criteria": doc["criteria"]}[where]
    target["ectsCredit"] = 5  # a typo of a term of ours: no context defines it
    assert expansion_losses(doc)


def test_the_loader_serves_only_local_copies():
    with pytest.raises(Exception):
        jsonld.expand({"@context": "https://example.org/context.jsonld", "x": 1}, {"documentLoader": local_contexts})
