"""`microcred import elm`: catalogue files from ELM JSON-LD and LOQ XML, with everything not imported reported.

- The Commission's sample micro-credential (an issued credential) imports; once the three Annex I values it
  does not hold in a form the register can take are filled in, the folder validates, and its Annex I values
  survive the export back (elm_document).
- Every credential of the example catalogue (and of the open-data and hostile fixtures) goes out through
  elm_document, per credential, and through loq_xml, per provider, and comes back with the same values for
  every field ELM carries (NOT_CARRIED says which it does not, and why).
- The LOQ samples of loq.xsd (random test data) import without a traceback, their values reported.
- Bad input: a clear message, exit 2, nothing written; --dry-run writes nothing; no file is overwritten.
"""

from __future__ import annotations

import copy
import json
import random
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from clihelp import run_cli
from conftest import FIXTURES, REPO
from opendatahelp import no_network  # noqa: F401 (autouse: no test here reaches the network)
from opendatahelp import FIXTURE, records_of

from microcred.authoring.elm_import import calendar_of, hours_of, import_elm, slugify
from microcred.authoring.yamlwrite import dump
from microcred.contract import elm_vocabulary as ev
from microcred.contract import vocabularies as vocab
from microcred.contract.ids import MAX_ID_PART, RESERVED_IDS
from microcred.contract.yamlload import parse
from microcred.errors import UsageError
from microcred.opendata.elm import elm_document
from microcred.opendata.loq import loq_xml
from microcred.validate import validate

STANDARD = FIXTURES / "standards" / "elm-v3"
SAMPLE = STANDARD / "Sample-MC-Annex1-unsigned.jsonld"
LOQ_SAMPLES = [STANDARD / "xsd-loq" / "loq.xml", STANDARD / "xsd-loq" / "loq_withLearningAchievementSpecification.xml"]
CATALOGUES = {
    "examples": REPO / "catalogue",
    "opendata-fixture": FIXTURE,
    "hostile": FIXTURES / "hostile" / "accepted" / "catalogue",
}

# Fields that do not come back, and why.
NOT_CARRIED = {
    "keywords": "ELM has no place for search words; the export leaves them out",
    "previous_ids": "the register's own history of ids; not exported",
    "last_reviewed": "the provider's review dates are not exported",
    "review_by": "the provider's review dates are not exported",
}
# Values that come back in another form that says the same (normalised before comparing):
# - text: a string in the first language and a mapping with only that language are the same text;
# - defaults: status active, self_paced false and countries = [the provider's country] are what a left-out
#   field means (the export writes status, and countries with the default filled in; the import leaves
#   countries out when they are just the provider's country);
# - duration: xsd:duration has no weeks, so weeks are exported as days and whole weeks of days come back as
#   weeks (7 days -> 1 week): compared as a length;
# - LOQ XML only: a place's NUTS region is not in loq.xsd's list (loq.py leaves it out); an identifier code
#   another credential of the provider already gave is written as a note and comes back after the others
#   (compared as a set); only active credentials are in the file; stacks_into names the imported credentials
#   by their new ids (slugs from the title).
# A quality assurance note with one text under its type (a body or a description) is read by the import's
# rule (the evidence document's title, else: a sentence is a description); the example data come back whole.
TEXT_PATHS = {
    ("title",), ("description",), ("learning_outcomes", "*"), ("workload", "note"), ("assessment", "description"),
    ("quality_assurance", "*", "body"), ("quality_assurance", "*", "description"), ("prerequisites",),
    ("stackability", "towards"), ("cost", "note"), ("duration", "note"), ("skills", "*", "label"),
    ("occupations", "*", "label"), ("awarding_bodies", "*", "name"), ("recognition", "recognised_by", "*", "name"),
    ("recognition", "recognised_by", "*", "description"), ("recognition", "note"), ("status_note",),
}
DAYS = {"day": 1, "week": 7}


def comparable(data: dict, provider_country: str, loq: bool = False) -> dict:
    out = {k: copy.deepcopy(v) for k, v in data.items() if k not in NOT_CARRIED}
    first = out["languages"][0]
    out.setdefault("status", "active")
    out.setdefault("self_paced", False)
    out["countries"] = out.get("countries") or [provider_country]
    if out.get("duration"):
        d = out["duration"]
        length = (d["value"] * DAYS[d["unit"]], "day") if d["unit"] in DAYS else (d["value"], d["unit"])
        out["duration"] = {"length": length, "note": d.get("note")}
    if loq:
        for loc in out.get("locations", []):
            loc.pop("region", None)
        if out.get("identifiers"):
            out["identifiers"] = sorted(out["identifiers"], key=lambda i: json.dumps(i, sort_keys=True))

    def walk(value, path):
        shape = tuple("*" if isinstance(p, int) else p for p in path)
        if shape in TEXT_PATHS and isinstance(value, str):
            return {first: value}
        if isinstance(value, dict):
            return {k: walk(v, path + (k,)) for k, v in value.items() if v not in (None, [], {})}
        if isinstance(value, list):
            return [walk(v, path + (i,)) for i, v in enumerate(value)]
        return value

    return walk(out, ())


def read_yaml(text_or_path) -> dict:
    raw = text_or_path.read_bytes() if isinstance(text_or_path, Path) else \
        text_or_path if isinstance(text_or_path, bytes) else text_or_path.encode("utf-8")
    return parse("x.yaml", raw).data


def provider_folder(tmp_path: Path, pid: str, source: Path = REPO / "catalogue") -> Path:
    """A catalogue in tmp_path with one provider's provider.yaml and nothing else."""
    folder = tmp_path / "catalogue" / pid
    folder.mkdir(parents=True)
    shutil.copy(source / pid / "provider.yaml", folder / "provider.yaml")
    return tmp_path / "catalogue"


def listing(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def exported():
    """catalogue name -> (credential records, provider records by id, urls)."""
    out = {}
    for name, folder in CATALOGUES.items():
        credentials, providers, urls = records_of(folder)
        out[name] = credentials, {p["id"]: p for p in providers}, urls
    return out


# --- the Commission's sample micro-credential ------------------------------------------------------------

def _spec_of_sample() -> dict:
    sample = json.loads(SAMPLE.read_text("utf-8"))
    return sample["credentialSubject"]["hasClaim"]["specifiedBy"]


def test_the_commissions_sample_imports_and_its_annex_i_values_survive_the_export_back(tmp_path):
    catalogue = provider_folder(tmp_path, "polderkust-university")
    code, out, err = run_cli(["import", "elm", SAMPLE, "--provider", "polderkust-university"], tmp_path)
    assert not err and code == 1, out + err  # written, but three required values are not in the sample
    written = tmp_path / "catalogue" / "polderkust-university" / "digital-micro-credential-creation.yaml"
    assert f"wrote {written.relative_to(tmp_path)}" in out
    # what the sample lacks (quality assurance, cost) or says in no form the register takes (its type of
    # assessment is a concept of its own, "artefact assessment"): required, so left for the provider to fill in
    for field in ("assessment.type", "quality_assurance", "cost"):
        assert any(line.startswith(f"catalogue/polderkust-university/digital-micro-credential-creation.yaml:")
                   and f": error: {field}: " in line and "fill it in before the file validates" in line
                   for line in out.splitlines()), field
    assert "(artefact assessment): not imported" in out
    assert "isced-f/0688" in out and "the entry has one field of education" in out
    # the learner's data is never imported, and never repeated in the report either
    assert "the learner's data" in out
    for personal in ("Andromeda", "ana.andromeda", "1999-10-01", "LA-234218", "Pass"):
        assert personal not in out
    assert "identifiers" not in read_yaml(written)  # C012 numbers the issued certificate, not the specification

    # the provider fills in what the sample does not say, as the report asks; then the folder validates
    data = read_yaml(written)
    assert "quality_assurance" not in data and "cost" not in data and "type" not in data["assessment"]
    data["quality_assurance"] = [{"type": "internal"}]
    data["cost"] = {"amount": 0}
    data["assessment"]["type"] = ["project"]
    written.write_text(dump(data), "utf-8")
    result = validate(catalogue)
    assert not result.errors, [p.message for p in result.errors]

    # and exported again, the Annex I values are the sample's
    credentials, providers, urls = records_of(catalogue)
    record = credentials[0]
    doc = elm_document(record, providers[0], urls, {record["id"]: record})
    spec, theirs = doc["learningAchievementSpecification"], _spec_of_sample()
    assert doc["title"] == spec["title"] == theirs["title"]
    ours_outcomes = [o["title"] for o in spec["learningOutcome"] if o["id"].startswith("#outcome-")]
    assert ours_outcomes == [o["title"] for o in theirs["learningOutcome"]]
    theirs_skills = {s["id"] for o in theirs["learningOutcome"] for s in _list(o.get("relatedESCOSkill"))}
    ours_skills = {s["id"] for o in spec["learningOutcome"] for s in o.get("relatedESCOSkill", [])}
    assert ours_skills == theirs_skills and len(ours_skills) == 4
    credit = spec["creditPoint"][0]
    assert credit["framework"]["id"] == theirs["creditPoint"]["framework"]["id"] == ev.ECTS[0]
    assert credit["point"] == theirs["creditPoint"]["point"] == "2"
    assert spec["volumeOfLearning"] == theirs["volumeOfLearning"] == "PT60H"
    assert (spec.get("eqfLevel") or spec["educationLevel"][0])["id"] == theirs["eqfLevel"]["id"]
    assert spec["thematicArea"][0]["id"] == theirs["thematicArea"][0]["id"]  # the first of its two
    assert spec["mode"][0]["id"] == doc["mode"][0]["id"] == theirs["mode"]["id"]  # blended
    assert spec["learningSetting"]["id"] == theirs["learningSetting"]["id"]
    assert spec["entryRequirement"]["noteLiteral"] == theirs["entryRequirement"]["noteLiteral"]
    assert [c["id"] for c in spec["language"]] == [theirs["language"]["id"]]
    # the national level: RQF Level 6 of the QDR's list; the UK has three frameworks, so the register says
    # the level in words, as the sample's concept names it
    nqf_label = theirs["nqfLevel"]["prefLabel"]["en"]
    notes = [n["noteLiteral"]["en"] for n in spec["additionalNote"]]
    assert f"National qualifications framework (GB) level: {nqf_label}" in notes
    # supervision and identity verification: the issued assessment's concept, said again in the register's words
    issued = json.loads(SAMPLE.read_text("utf-8"))["credentialSubject"]["hasClaim"]["provenBy"]
    code_of = ev.SUPERVISION_VERIFICATION[issued["idVerification"]["id"]][0]
    assessment_notes = [n["noteLiteral"]["en"] for n in spec["provenBy"][0]["additionalNote"]]
    assert assessment_notes == [f"Supervision and identity verification: {vocab.SUPERVISION[code_of]}"]
    # the awarding body is the issuer, who is the provider: no other awarding body
    assert [b["id"] for b in spec["awardingOpportunity"][0]["awardingBody"]] == [doc["providedBy"]["id"]]


def _list(value):
    return value if isinstance(value, list) else [value] if value else []


# --- the register's own exports, and back ------------------------------------------------------------------

@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_credential_comes_back_from_its_elm_document(exported, tmp_path, catalogue):
    credentials, providers, urls = exported[catalogue]
    by_id = {r["id"]: r for r in credentials}
    copy_of = tmp_path / "catalogue"
    shutil.copytree(CATALOGUES[catalogue], copy_of)
    checked = 0
    for record in credentials:
        provider = providers[record["provider"]["id"]]
        file = tmp_path / "doc.jsonld"
        file.write_text(json.dumps(elm_document(record, provider, urls, by_id), ensure_ascii=False), "utf-8")
        own = copy_of / f"{record['id']}.yaml"
        original = own.read_bytes()
        own.unlink()  # its credentials to stack into stay; its own file is what the import makes again
        try:
            result = import_elm(file, copy_of, provider["id"], dry_run=True)
        finally:
            own.write_bytes(original)
        [entry] = result.entries
        assert not entry.skipped and not entry.missing, (record["id"], entry.skipped, entry.missing)
        # nothing unmapped: only the provider's organisation and the credential's page in the register are
        # left out, and said so
        others = [f.text() for f in result.findings if "the provider's organisation" not in f.message
                  and "the credential's page in the register" not in f.message]
        assert not others, others
        got = comparable(read_yaml(entry.text), provider["country"])
        want = comparable(read_yaml(original), provider["country"])
        assert got == want, record["id"]
        checked += 1
    assert checked == len(credentials) > 0


@pytest.mark.parametrize("catalogue", CATALOGUES)
def test_every_providers_loq_xml_comes_back(exported, tmp_path, catalogue):
    credentials, providers, urls = exported[catalogue]
    checked = 0
    for pid, provider in providers.items():
        own = [r for r in credentials if r["provider"]["id"] == pid]
        active = [r for r in own if r["status"] == "active"]
        file = tmp_path / f"{pid}.xml"
        file.write_text(loq_xml(provider, own, urls), "utf-8")
        target = provider_folder(tmp_path / pid, pid, CATALOGUES[catalogue])
        if not active:  # a file without a learning opportunity: nothing to import
            code, out, err = run_cli(["import", "elm", file, "--provider", pid, "--catalogue", target], tmp_path)
            assert code == 2 and "nothing to import" in err and not out
            continue
        result = import_elm(file, target, pid, dry_run=True)
        assert [e.register_id for e in result.entries] == [r["id"] for r in active]
        new_id = {e.register_id: f"{pid}/{e.slug}" for e in result.entries}
        others = [f.text() for f in result.findings if "the provider's organisation" not in f.message
                  and "the credential's page in the register" not in f.message]
        for record, entry in zip(active, result.entries):
            assert not entry.skipped and not entry.missing, (record["id"], entry.missing)
            original = read_yaml(CATALOGUES[catalogue] / f"{record['id']}.yaml")
            stack = original.get("stackability") or {}
            if stack.get("stacks_into"):
                # stacking into credentials of this file: their new ids; into others: left out, and said so
                for target_id in stack["stacks_into"]:
                    if target_id not in new_id:
                        expected = f"stacks into {target_id}, which is neither imported now nor in"
                        assert any(expected in line for line in others), target_id
                stack["stacks_into"] = [new_id[t] for t in stack["stacks_into"] if t in new_id]
            got = comparable(read_yaml(entry.text), provider["country"], loq=True)
            want = comparable(original, provider["country"], loq=True)
            assert got == want, record["id"]
            checked += 1
        assert all("stacks into" in line for line in others), others
    assert checked > 0


# --- the mapping rules, both ways ------------------------------------------------------------------------

RULE_VARIANTS = {
    # name: changes to the open-data fixture's minimal credential, reaching each rule of the tables
    **{f"participation-{p}": {"participation": p} for p in vocab.PARTICIPATION},
    "every-assessment-type": {"assessment": {"type": list(vocab.ASSESSMENT_TYPES), "description": None,
                                             "supervision": "supervised-no-identity-verification"}},
    "presentation-only": {"assessment": {"type": ["presentation"], "description": None, "supervision": None}},
    "nearest-only": {"assessment": {"type": ["workplace-observation", "essay"], "description": None,
                                    "supervision": None}},
    # (the EQF level stays the fixture's: the record's derived uris.eqf is what the export writes)
    "nqf-exact": {"level": {"eqf": 2, "nqf": {"country": "NL", "level": "Level 4+"}, "qf_ehea": "short-cycle"}},
    "nqf-framework-only": {"level": {"eqf": 2, "nqf": {"country": "FR", "level": "4"}, "qf_ehea": None}},
    "nqf-ambiguous": {"level": {"eqf": 2, "nqf": {"country": "GB", "level": "6"}, "qf_ehea": None}},
    "nqf-no-framework": {"level": {"eqf": 2, "nqf": {"country": "US", "level": "7"}, "qf_ehea": None}},
    "fractions": {"workload": {"ects": None, "hours": 12.5, "note": None},
                  "duration": {"value": 1.5, "unit": "month", "note": None}, "self_paced": True},
    "fraction-of-a-day": {"duration": {"value": 2.25, "unit": "day", "note": {"en": "a", "fr": "b"}}},
    "hours": {"duration": {"value": 3.5, "unit": "hour", "note": None}},
    "region-subtag": {"languages": ["pt-BR", "en"], "title": {"pt-BR": "Curso mínimo", "en": "Minimal course"}},
    "learning-setting": {"learning_setting": "formal"},
}


@pytest.mark.parametrize("name", RULE_VARIANTS)
def test_each_mapping_rule_comes_back(exported, tmp_path, name):
    credentials, providers, urls = exported["opendata-fixture"]
    record = copy.deepcopy(next(r for r in credentials if r["id"] == "fixture-academy/minimal"))
    record.update(copy.deepcopy(RULE_VARIANTS[name]))
    provider = providers["fixture-academy"]
    file = tmp_path / "doc.jsonld"
    file.write_text(json.dumps(elm_document(record, provider, urls, {record["id"]: record}), ensure_ascii=False))
    result = import_elm(file, provider_folder(tmp_path, "fixture-academy", FIXTURE), "fixture-academy",
                        dry_run=True)
    [entry] = result.entries
    assert not entry.missing, entry.missing
    got = read_yaml(entry.text)
    for key, value in RULE_VARIANTS[name].items():
        want = comparable({"languages": record["languages"], key: value}, provider["country"])
        assert comparable({"languages": got["languages"], key: got.get(key)}, provider["country"]) == want, key
    warnings = [f.message for f in result.findings if f.severity == "warning" and "provider's organisation" not in
                f.message and "page in the register" not in f.message]
    assert not warnings, warnings  # the export's own words say the exact code, even where a concept is nearest


def test_the_reverse_tables_give_each_exact_concept_its_code_and_a_nearest_one_only_where_unambiguous():
    for code, (uri, _label, rule) in ev.ASSESSMENT_TYPES.items():
        if rule == "exact":
            assert ev.ASSESSMENT_TYPE_OF[uri] == (code, "exact")
    # practical assessment is exact for practical-demonstration and the nearest for workplace-observation
    practical = ev.ASSESSMENT_TYPES["practical-demonstration"][0]
    assert ev.assessment_codes(practical) == ["practical-demonstration", "workplace-observation"]
    assert ev.ASSESSMENT_TYPE_OF[practical] == ("practical-demonstration", "exact")
    # quiz and marked assignment are the nearest of one type each
    assert ev.ASSESSMENT_TYPE_OF[ev.ASSESSMENT_TYPES["online-test"][0]] == ("online-test", "nearest")
    assert ev.ASSESSMENT_TYPE_OF[ev.ASSESSMENT_TYPES["essay"][0]] == ("essay", "nearest")
    for code, (mode, _label, activity, _rule) in ev.PARTICIPATION.items():
        assert ev.participation_of(mode, activity[0] if activity else None)[0] == code
    workbased = ev.PARTICIPATION["work-experience"][0]
    assert ev.participation_of(workbased) == ("work-experience", "exact")  # not volunteering: its nearest only
    for code, (uri, _label) in ev.LEARNING_SETTING.items():
        assert ev.LEARNING_SETTING_OF[uri] == code
    for country, frameworks in ev.NQF_FRAMEWORKS.items():
        for prefix, framework, levels in frameworks:
            assert ev.nqf_level_of(ev.QDR + framework) == (country, prefix, None, len(frameworks) > 1)
            for level, concept in levels.items():
                assert ev.nqf_level_of(ev.QDR + concept)[:3] == (country, prefix, level)
    assert ev.language_tag_of(ev.LANGUAGE + "ENG") == "en" and ev.language_tag_of(ev.LANGUAGE + "UND") is None
    assert ev.country_of(ev.COUNTRY + "DEU") == "DE" and ev.currency_of(ev.CURRENCY + "EUR") == "EUR"
    assert ev.eqf_level_of(ev.EQF + "6") == 6 and ev.eqf_level_of(ev.EQF + "9") is None
    assert ev.isced_field_of(ev.ISCED_F[0] + "0714") == "0714" and ev.isced_field_of(ev.ISCED_F[0] + "0795") is None
    # the import-only tables: concepts of the standard's lists, with their labels, and the register's codes
    xs = "{http://www.w3.org/2001/XMLSchema}"
    tree = ET.parse(STANDARD / "xsd-loq" / "cv" / "europass-accreditation-types.xsd")
    listed = {e.get("value"): e.findtext(f".//{xs}documentation").strip() for e in tree.getroot().iter(f"{xs}enumeration")}
    assert {uri: label for uri, (_c, label, _r) in ev.ACCREDITATION_TYPES.items()} == listed
    assert {c for c, _l, _r in ev.ACCREDITATION_TYPES.values() if c} <= set(vocab.QUALITY_ASSURANCE_TYPES)
    issued = json.loads(SAMPLE.read_text("utf-8"))["credentialSubject"]["hasClaim"]["provenBy"]["idVerification"]
    assert ev.SUPERVISION_VERIFICATION[issued["id"]][1] == issued["prefLabel"]["en"]
    assert {c for c, _l, _r in ev.SUPERVISION_VERIFICATION.values()} <= set(vocab.SUPERVISION)


def test_values_the_register_writes_differently():
    assert hours_of("PT70H") == 70 and hours_of("PT12H30M") == 12.5 and hours_of("P60M") is None
    assert hours_of("P2D") is None  # days of learning are not hours
    assert calendar_of("P42D") == (6, "week") and calendar_of("P7D") == (1, "week")
    assert calendar_of("P2DT6H") == (2.25, "day") and calendar_of("P10D") == (10, "day")
    assert calendar_of("P2M") == (2, "month") and calendar_of("P1Y") == (12, "month")
    assert calendar_of("PT3H30M") == (3.5, "hour")
    assert calendar_of("P1M15D") is None and calendar_of("P") is None and calendar_of("soon") is None
    assert slugify("Nettoyage industriel, palier 1 : gestes de base") == "nettoyage-industriel-palier-1-gestes-de-base"
    assert slugify("Straße & Ærø — Łódź") == "strasse-aero-lodz"
    long = slugify("word " * 40)
    assert len(long) <= MAX_ID_PART and not long.endswith("-")
    assert slugify("Ελληνικά") == ""  # no ASCII: the import takes another translation, else "credential"


# --- JSON-LD as others write it: references by id, a graph, prefixed keys ----------------------------------

def _flattened(doc: dict) -> dict:
    """The same document as a flat @graph: every node with an id at the top, referred to by its id."""
    graph = {}

    def walk(value):
        if isinstance(value, dict):
            out = {k: walk(v) for k, v in value.items()}
            if "id" in value and len(value) > 1 and value.get("type") != "Concept":
                graph.setdefault(value["id"], {}).update(out)
                return value["id"]  # a reference: the id alone, as a string
            return out
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    context = doc["@context"]
    top = walk({k: v for k, v in doc.items() if k != "@context"})
    out = {"@context": context, "@graph": list(graph.values())}
    if isinstance(top, dict):
        out["@graph"].append(top)
    for node in out["@graph"]:  # and a prefixed key, as compacting against another context gives
        if "priceDetail" in node:
            node["elm:priceDetail"] = node.pop("priceDetail")
    return out


def test_nodes_referred_to_by_id_read_as_nested_ones(exported, tmp_path):
    credentials, providers, urls = exported["opendata-fixture"]
    by_id = {r["id"]: r for r in credentials}
    record = by_id["fixture-academy/everything"]
    doc = elm_document(record, providers["fixture-academy"], urls, by_id)
    target = provider_folder(tmp_path, "fixture-academy", FIXTURE)
    shutil.copy(FIXTURE / "fixture-academy" / "minimal.yaml", target / "fixture-academy" / "minimal.yaml")
    texts = []
    for name, content in (("nested.jsonld", doc), ("flat.jsonld", _flattened(doc))):
        file = tmp_path / name
        file.write_text(json.dumps(content, ensure_ascii=False), "utf-8")
        [entry] = import_elm(file, target, "fixture-academy", dry_run=True).entries
        texts.append(entry.text)
    assert texts[0] == texts[1]
    assert read_yaml(texts[1])["cost"] == {"amount": 99.5, "currency": "EUR", "note": "Grants available."}


FOREIGN = FIXTURES / "elm-import" / "opportunity.jsonld"


def test_a_providers_own_elm_document_imports_with_its_codes_mapped_and_the_rest_reported(tmp_path):
    # written as another publisher would: a flat @graph, references by IRI strings, prefixed keys, a
    # non-ECTS credit system, a concept that is only the nearest, an accreditation, an ESCO skill with labels
    provider_folder(tmp_path, "polderkust-university")
    code, out, err = run_cli(["import", "elm", FOREIGN, "--provider", "polderkust-university"], tmp_path)
    assert code == 0 and not err, out + err
    written = tmp_path / "catalogue" / "polderkust-university" / "schweissen-von-pe-rohren.yaml"
    data = read_yaml(written)
    assert data == {
        "title": "Schweißen von PE-Rohren",  # in the default language: a plain string, German first
        "description": {"de": "Ein Kurs für Rohrleitungsbauer.", "en": "A course for pipe fitters."},
        "url": "https://courses.example.org/pe-welding",
        "identifiers": [{"scheme": "rncp", "value": "RNCP12345"},
                        {"scheme": "other", "value": "AT-77", "note": "Austrian NQR register"}],
        "awarding_bodies": [{"name": "Schweißtechnische Zentralanstalt", "country": "AT"}],
        "learning_outcomes": ["Stumpfschweißen von PE-Rohren durchführen."],
        "workload": {"hours": 80},
        "level": {"eqf": 3},
        "assessment": {"type": ["practical-demonstration", "essay"], "description": "Schweißprobe und Bericht."},
        "participation": "onsite",
        "learning_setting": "non-formal",
        "quality_assurance": [{"type": "external-programme", "body": "Agentur für Qualitätssicherung",
                               "url": "https://aq.example.org/decision/7"}],
        "prerequisites": "Keine.",
        "field": "0715",
        "languages": ["de", "en"],
        "countries": ["AT"],
        "locations": [{"city": "Wien", "country": "AT", "region": "AT13"}],
        "cost": {"amount": 480, "currency": "EUR"},
        "duration": {"value": 3, "unit": "week"},
        "start_dates": ["2027-03-01"],
        "skills": [{"label": {"de": "Kunststoffrohre schweißen", "en": "weld plastic pipes"},
                    "uri": "http://data.europa.eu/esco/skill/00000000-0000-0000-0000-000000000001"}],
    }
    assert not validate(tmp_path / "catalogue").errors
    # every line at the node's own line in the file, with the property and the value
    source = str(FOREIGN)
    expected = [
        ("https://courses.example.org/lo/42 temporal endDate", "2027-03-19T17:00:00+01:00"),
        ("https://courses.example.org/lo/42 applicationDeadline", "2027-02-15T00:00:00"),
        ("https://courses.example.org/spec/42 creditPoint", "credit points are imported in ECTS only"),
        ("https://courses.example.org/spec/42 provenBy dcType", "(marked assignment): imported as the nearest "
                                                                "type of assessment, essay"),
        ("https://courses.example.org/spec/42 provenBy dcType", "56539a6507\": not imported: no type of assessment"),
        ("https://courses.example.org/spec/42 thematicArea", "isced-f/0732\": not imported: the entry has one field"),
        ("https://courses.example.org/spec/42 status", "\"released\": not imported: not a status of the register"),
        ("https://courses.example.org/org", "the provider's organisation (Kursanbieter Wien): not imported"),
    ]
    lines = [line for line in out.splitlines() if line.startswith(source + ":")]
    for where, what in expected:
        assert any(f": warning: {where}: " in line and what in line for line in lines), (where, what)
    spec_line = next(i for i, line in enumerate(FOREIGN.read_text("utf-8").splitlines(), 1)
                     if '"id": "https://courses.example.org/spec/42"' in line)
    assert any(line.startswith(f"{source}:{spec_line}:7: warning: https://courses.example.org/spec/42 status")
               for line in lines)


def _mutations(seed: int, document: str, xml: bool, count: int):
    """Documents with values swapped for odd ones and parts cut out: bad input of every kind."""
    rng = random.Random(seed)
    odd = [None, 0, -1, 1e300, True, "", " ", "x" * 30000, [], {}, [None], {"id": 5}, {"@value": None},
           {"@value": 3, "@language": 7}, {"en": 3}, "#opportunity", {"id": "#opportunity"}, "P", "PT", "P-1D",
           "NaN", "2020-13-45", "http://data.europa.eu/snb/eqf/99", "und", "withdrawn"]
    for _ in range(count):
        if xml:
            root = ET.fromstring(document)
            elements = list(root.iter())[1:]
            for element in rng.sample(elements, min(len(elements), rng.randint(1, 8))):
                choice = rng.random()
                if choice < 0.4:
                    element.text = str(rng.choice(odd))
                elif choice < 0.7:
                    for name in list(element.attrib):
                        element.set(name, str(rng.choice(odd)))
                else:
                    for parent in root.iter():
                        if element in list(parent):
                            parent.remove(element)
                            break
            yield ET.tostring(root)
        else:
            data = json.loads(document)
            paths = []

            def walk(value, path):
                paths.append(path)
                for key, item in (value.items() if isinstance(value, dict) else
                                  enumerate(value) if isinstance(value, list) else ()):
                    walk(item, path + (key,))

            walk(data, ())
            for path in rng.sample(paths[1:], min(len(paths) - 1, rng.randint(1, 8))):
                target = data
                try:
                    for key in path[:-1]:
                        target = target[key]
                    target[path[-1]] = copy.deepcopy(rng.choice(odd))
                except (KeyError, IndexError, TypeError):
                    pass
            yield json.dumps(data).encode("utf-8")


def test_no_input_makes_a_traceback(exported, tmp_path):
    credentials, providers, urls = exported["opendata-fixture"]
    by_id = {r["id"]: r for r in credentials}
    documents = [
        (json.dumps(elm_document(by_id["fixture-academy/everything"], providers["fixture-academy"], urls, by_id)),
         False),
        (SAMPLE.read_text("utf-8"), False),
        (FOREIGN.read_text("utf-8"), False),
        (loq_xml(providers["fixture-academy"], [r for r in credentials if r["provider"]["id"] == "fixture-academy"
                                                and r["status"] == "active"], urls), True),
    ]
    target = provider_folder(tmp_path, "fixture-academy", FIXTURE)
    file = tmp_path / "input"
    tried = 0
    for seed, (document, xml) in enumerate(documents):
        for raw in _mutations(seed, document, xml, 40):
            file.write_bytes(raw)
            try:
                result = import_elm(file, target, "fixture-academy", dry_run=True)
            except UsageError as e:  # bad input: a message, exit 2
                assert "nothing to import" in str(e) or "not" in str(e), e
            else:
                for entry in result.entries:  # what is written is checked: nothing but missing fields
                    assert entry.skipped or entry.text is not None
            tried += 1
    assert tried == 160


# --- the LOQ samples: random test data ----------------------------------------------------------------------

@pytest.mark.parametrize("sample", LOQ_SAMPLES, ids=lambda p: p.name)
def test_the_loq_samples_import_with_what_they_cannot_give_reported(tmp_path, sample):
    provider_folder(tmp_path, "polderkust-university")
    before = listing(tmp_path)
    code, out, err = run_cli(["import", "elm", sample, "--provider", "polderkust-university", "--dry-run"], tmp_path)
    assert code == 1 and not err, err  # random data: required values it does not give in the register's terms
    assert listing(tmp_path) == before
    lines = out.splitlines()
    assert any(line.startswith("--- would write catalogue/polderkust-university/") for line in lines)
    warnings = [line for line in lines if line.startswith(f"{sample}:") and ": warning: /Courses/" in line]
    assert len(warnings) > 50
    assert all(line.split(":")[1:3] == ["1", "1"] for line in warnings)  # XML: no position, the path says where
    # a few of its values, each reported where it is
    assert any("/learningAchievementSpecificationReferences/" in line and "/volumeOfLearning: " in line
               and "days, months or years are not hours" in line for line in warnings)
    assert any("/type: http://data.europa.eu/snb/assessment/b1b68f6735 (quiz): imported as the nearest type of "
               "assessment, online-test" in line for line in warnings)
    assert any("/relatedESCOSkill: " in line and "not an ESCO skill URI" in line for line in warnings)
    assert any("/grant: " in line for line in warnings)
    assert "to fill in" in lines[-1]


# --- the command: bad input, dry run, never overwriting ----------------------------------------------------------

@pytest.mark.parametrize("name, content, message", [
    ("notes.txt", b"hello", "neither XML nor JSON"),
    ("broken.json", b'{"id": "#x", ', "not valid JSON"),
    ("broken.xml", b"<Courses><a></Courses>", "not well-formed XML"),
    ("other.json", b'{"name": "a course", "price": 3}', "nothing to import"),
    ("list.json", b"[1, 2, 3]", "nothing to import"),
    ("other.xml", b"<catalog><course/></catalog>", "not the QDR's LOQ format"),
    ("empty.xml", b'<Courses xmlns="http://data.europa.eu/snb/model/ap/loq-constraints/"/>', "nothing to import"),
    ("dtd.xml", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Courses/>', "DTD"),
])
def test_a_file_that_is_not_elm_is_refused_with_a_clear_message(tmp_path, name, content, message):
    provider_folder(tmp_path, "polderkust-university")
    (tmp_path / name).write_bytes(content)
    before = listing(tmp_path / "catalogue")
    code, out, err = run_cli(["import", "elm", name, "--provider", "polderkust-university"], tmp_path)
    assert code == 2 and not out
    assert err.startswith(f"microcred: error: {name}") and message in err, err
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert listing(tmp_path / "catalogue") == before


def test_the_format_is_told_by_the_content_not_the_name(tmp_path):
    provider_folder(tmp_path, "polderkust-university")
    shutil.copy(FOREIGN, tmp_path / "courses.xml")  # JSON-LD, named .xml
    shutil.copy(LOQ_SAMPLES[0], tmp_path / "courses")  # LOQ XML, without an extension
    code, out, _err = run_cli(["import", "elm", "courses.xml", "--provider", "polderkust-university", "--dry-run"],
                              tmp_path)
    assert code == 0 and "courses.xml:5:7: warning: https://courses.example.org/lo/42 " in out
    code, out, _err = run_cli(["import", "elm", "courses", "--provider", "polderkust-university", "--dry-run"],
                              tmp_path)
    assert code == 1 and "courses:1:1: warning: /Courses/learningOpportunityReferences/" in out


def test_an_unknown_provider_or_file_is_refused(tmp_path):
    provider_folder(tmp_path, "polderkust-university")
    before = listing(tmp_path / "catalogue")
    code, out, err = run_cli(["import", "elm", SAMPLE, "--provider", "nobody-yet"], tmp_path)
    assert code == 2 and not out
    assert "no provider 'nobody-yet'" in err and "microcred new-provider nobody-yet" in err
    code, out, err = run_cli(["import", "elm", "missing.jsonld", "--provider", "polderkust-university"], tmp_path)
    assert code == 2 and "missing.jsonld: no such file" in err
    code, out, err = run_cli(["import", "elm", SAMPLE, "--provider", "Bad_Id"], tmp_path)
    assert code == 2 and "not a valid id" in err
    code, out, err = run_cli(["import", "elm", SAMPLE, "--provider", "polderkust-university",
                              "--catalogue", "nowhere"], tmp_path)
    assert code == 2 and "nowhere: no such catalogue folder" in err
    assert listing(tmp_path / "catalogue") == before


def test_dry_run_writes_nothing_and_shows_the_file(tmp_path):
    provider_folder(tmp_path, "polderkust-university")
    before = listing(tmp_path / "catalogue")
    code, out, err = run_cli(["import", "elm", SAMPLE, "--provider", "polderkust-university", "--dry-run"], tmp_path)
    assert code == 1 and not err
    assert listing(tmp_path / "catalogue") == before
    assert "--- would write catalogue/polderkust-university/digital-micro-credential-creation.yaml" in out
    assert "title: Digital micro-credential creation\n" in out and "wrote " not in out
    assert "would write 1 (0 valid, 1 to fill in)" in out


def test_an_existing_file_is_never_overwritten(exported, tmp_path):
    credentials, providers, urls = exported["examples"]
    record = next(r for r in credentials if r["id"] == "polderkust-university/research-data-stewardship")
    file = tmp_path / "doc.jsonld"
    file.write_text(json.dumps(elm_document(record, providers["polderkust-university"], urls,
                                            {r["id"]: r for r in credentials})), "utf-8")
    provider_folder(tmp_path, "polderkust-university")
    code, out, err = run_cli(["import", "elm", file, "--provider", "polderkust-university"], tmp_path)
    assert code == 0, out + err  # everything it needs is there: a valid entry
    path = tmp_path / "catalogue" / "polderkust-university" / "research-data-stewardship-for-doctoral-candidates.yaml"
    assert f"wrote {path.relative_to(tmp_path)}" in out
    path.write_text(path.read_text("utf-8") + "# edited by hand\n", "utf-8")
    edited = listing(tmp_path / "catalogue")
    code, out, err = run_cli(["import", "elm", file, "--provider", "polderkust-university"], tmp_path)
    assert code == 1 and listing(tmp_path / "catalogue") == edited
    assert f"error: #opportunity: {path.relative_to(tmp_path)} exists and is never overwritten" in out
    assert "skipped 1" in out.splitlines()[-1]
    assert not validate(tmp_path / "catalogue").errors


def test_two_credentials_with_one_title_get_two_slugs(exported, tmp_path):
    credentials, providers, urls = exported["examples"]
    pid = "valdeluz-digital-skills-service"
    own = [copy.deepcopy(r) for r in credentials if r["provider"]["id"] == pid and r["status"] == "active"][:2]
    for record in own:
        record["title"] = "Search"  # a reserved id, twice
    file = tmp_path / "courses.xml"
    file.write_text(loq_xml(providers[pid], own, urls), "utf-8")
    provider_folder(tmp_path, pid)
    code, out, err = run_cli(["import", "elm", file, "--provider", pid], tmp_path)
    assert code == 0, out + err
    names = sorted(p.name for p in (tmp_path / "catalogue" / pid).glob("*.yaml"))
    assert names == ["provider.yaml", "search-2.yaml", "search-3.yaml"]
    assert "search" in RESERVED_IDS
    assert not validate(tmp_path / "catalogue").errors
