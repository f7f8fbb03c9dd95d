"""European Learning Model v3 (Europass): a credential as a learning opportunity, in JSON-LD.

`elm_document` turns one API credential record into the document published at
`/api/v1/elm/credentials/<provider-id>/<slug>.jsonld`: a LearningOpportunity
(the offer) with its LearningAchievementSpecification, or its Qualification
where the entry gives a level in a national qualifications framework that the
QDR's NQF vocabulary knows. The document conforms to the Commission's SHACL
shapes of the LOQ application profile (LOQ-constraints.ttl and its -mdr
vocabulary constraints), which the tests check with pyshacl.

The mapping from the register's values to ELM's vocabularies is stated once,
in `contract/elm_vocabulary.py` (PARTICIPATION, ASSESSMENT_TYPES, TOPIC, RULES,
NQF_FRAMEWORKS...), which the import reads the other way round; loq.py (the
QDR's XML upload format) uses the same tables and the helpers here. A value
with no exact counterpart in an ELM vocabulary is mapped to the nearest concept
where one is near enough, and its own name is always carried in words beside
it (rules in the tables); nothing is dropped, and nothing the entry does not
say is made up: where the format needs a value the entry lacks, a stated
default stands in (e.g. the currency "no currency" for a free offer without
one) or the optional property is left out.

Text: the record's text is a string in the entry's first language
(`languages[0]`) or a mapping of BCP 47 tags to text; ELM takes language maps,
so a string becomes {first language: text} and every translation is carried.
A provider file has no language of its own: its plain strings are tagged
`und` (BCP 47 "undetermined"). Words this module adds (labels of the
register's codes, a few headings) are English and tagged `en`.

Every node has a stable IRI derived from the document's address, e.g.
`<address>#opportunity`, `#specification`, `#outcome-1`; the provider's
organisation is the same node in all of its documents:
`<api>elm/providers/<provider-id>.xml#organisation`.

Plain dict building from precomputed tables: no RDF library is used here (they
are test-only dependencies), so 10,000 documents cost well under a second.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from ..contract import vocabularies as vocab
from ..contract.elm_vocabulary import (  # noqa: F401 (the tables are named here too: elm.PARTICIPATION...)
    ACTIVITY, ASSESSMENT, ASSESSMENT_TYPES, AUTHORITY, ECTS, GENERATED, LEARNING_SETTING, MODE, NO_CURRENCY,
    NQF_FRAMEWORKS, OPPORTUNITY_TOPIC, PARTICIPATION, PROVIDER_TEXT, QDR, QUALIFICATION_TOPIC, RULES, SCHEME, SNB,
    TOPIC, UNDETERMINED_LANGUAGE, nqf_concept)
from .records import Urls, country_uri, language_uri

CONTEXT = ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"]


def specification_class(record: dict) -> str:
    nqf = record["level"]["nqf"]
    if nqf and nqf_concept(nqf["country"], nqf["level"]):
        return "Qualification"
    return "LearningAchievementSpecification"


# --- addresses ------------------------------------------------------------------------------------

def elm_address(cid: str, urls: Urls) -> str:
    """Where a credential's ELM document is published."""
    return f"{urls.api}elm/credentials/{cid}.jsonld"


def loq_address(pid: str, urls: Urls) -> str:
    """Where a provider's LOQ XML is published."""
    return f"{urls.api}elm/providers/{pid}.xml"


def organisation_iri(pid: str, urls: Urls) -> str:
    return loq_address(pid, urls) + "#organisation"


# --- text -----------------------------------------------------------------------------------------

def lang_map(text, lang: str) -> dict | None:
    """A text field as a language map: a string is in `lang`, a mapping is already one."""
    if text is None:
        return None
    return {lang: text} if isinstance(text, str) else dict(text)


def compose(label: str | None, texts, lang: str) -> dict:
    """One note's text in each language the texts come in: the (English) label, then every text.

    A text missing a language gives its first-language (else first) version there, so every
    literal carries every part, and every translation appears in one of them."""
    maps = [m for m in (lang_map(t, lang) for t in texts) if m]
    if not maps:
        return {GENERATED: label or ""}
    tags: dict[str, None] = {}
    for m in maps:
        tags.update(dict.fromkeys(m))
    out = {}
    for tag in tags:
        parts = [label] if label else []
        for m in maps:
            parts.append(m[tag] if tag in m else m[lang] if lang in m else next(iter(m.values())))
        out[tag] = "\n".join(parts)
    return out


def number(value) -> str:
    """A number as xsd:decimal text: 2.5 and 5, never 5.0 or 2.5E0."""
    if isinstance(value, int):
        return str(value)
    exact = value if isinstance(value, Decimal) else Decimal(repr(value))  # repr: the shortest exact text
    return str(int(exact)) if exact == exact.to_integral_value() else format(exact.normalize(), "f")


def _seconds_duration(seconds: Decimal, days: int = 0) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = f"P{days}D" if days else "P"
    time = "".join(f"{number(v) if unit == 'S' else int(v)}{unit}"
                   for v, unit in ((hours, "H"), (minutes, "M"), (secs, "S")) if v)
    if time:
        out += "T" + time
    return out if out != "P" else "PT0H"


def hours_duration(hours) -> str:
    """Hours as xsd:duration (only seconds may have a fraction there): 70 -> PT70H, 12.5 -> PT12H30M."""
    return _seconds_duration(Decimal(repr(hours)) * 3600)


def calendar_duration(value, unit: str) -> str | None:
    """A calendar duration as xsd:duration, if it has one: months only in whole numbers."""
    amount = Decimal(repr(value))
    if unit == "hour":
        return _seconds_duration(amount * 3600)
    if unit == "month":
        return f"P{int(amount)}M" if amount == amount.to_integral_value() else None
    days = amount * (7 if unit == "week" else 1)
    whole = int(days)
    return _seconds_duration((days - whole) * 86400, whole) if days != whole else f"P{whole}D"


def date_time(day: str) -> str:
    """A calendar date as xsd:dateTime, its first moment (no time zone: a local date)."""
    return f"{day}T00:00:00"


# --- concepts -------------------------------------------------------------------------------------

_CONCEPTS: dict[tuple, dict] = {}


def concept(uri: str, scheme: str | None = None, label: str | None = None) -> dict:
    """A skos:Concept node (shared between documents: never change one)."""
    key = (uri, scheme, label)
    node = _CONCEPTS.get(key)
    if node is None:
        node = {"id": uri, "type": "Concept"}
        if scheme:
            node["inScheme"] = {"id": scheme, "type": "ConceptScheme"}
        if label:
            node["prefLabel"] = {GENERATED: label}
        _CONCEPTS[key] = node
    return node


@cache
def language_concept_uri(tag: str) -> str:
    return language_uri(tag) or UNDETERMINED_LANGUAGE


def language_uris(record: dict) -> list[str]:
    """The EU authority URIs of the entry's languages, once each (the table has no dialects)."""
    out = list(dict.fromkeys(u for u in (language_uri(t) for t in record["languages"]) if u))
    return out or [UNDETERMINED_LANGUAGE]


# --- what the two formats share: the record's facts, in ELM's terms ---------------------------------

def assessment_types(record: dict) -> list[tuple[str, str, str | None, str | None, str]]:
    """(value, the register's label, ELM concept or None, its label, rule) for each type of assessment."""
    return [(t, vocab.ASSESSMENT_TYPES[t], *ASSESSMENT_TYPES[t]) for t in record["assessment"]["type"]]


def outcomes(record: dict, doc: str) -> list[tuple[str, dict, str | None]]:
    """(IRI, title, ESCO skill URI) of each learning outcome: the stated ones, then one per skill."""
    lang = record["languages"][0]
    out = [(f"{doc}#outcome-{i}", lang_map(text, lang), None) for i, text in enumerate(record["learning_outcomes"], 1)]
    out += [(f"{doc}#skill-{i}", lang_map(s["label"], lang), s.get("uri"))
            for i, s in enumerate(record["skills"], 1)]
    return out


def identifiers(record: dict) -> list[tuple[str, str]]:
    """(notation, scheme name) of each identifier."""
    out = []
    for ident in record["identifiers"]:
        name = vocab.IDENTIFIER_SCHEMES.get(ident["scheme"], ident["scheme"])
        if ident.get("note"):
            name = f"{name}: {ident['note']}"
        out.append((ident["value"], name))
    return out


def price(record: dict) -> tuple[str, str, dict | None]:
    """(currency URI, amount as decimal text, description) of the cost."""
    cost = record["cost"]
    unit = record["uris"]["currency"] or NO_CURRENCY
    return unit, number(cost["amount"]), lang_map(cost.get("note"), record["languages"][0])


def locations(record: dict, doc: str) -> list[tuple[str, str, str | None, str | None]]:
    """(IRI, country code, city, NUTS region) of each place: the stated places, then each country
    where it is offered that no place is in."""
    out = [(f"{doc}#location-{i}", loc["country"], loc.get("city"), loc.get("region"))
           for i, loc in enumerate(record["locations"], 1)]
    placed = {loc["country"] for loc in record["locations"]}
    out += [(f"{doc}#country-{c}", c, None, None) for c in record["countries"] if c not in placed]
    return out


Note = tuple[str, "str | None", dict]  # (IRI, subject concept URI or None, text by language)


def specification_notes(record: dict, doc: str) -> list[Note]:
    lang = record["languages"][0]
    notes: list[Note] = []
    workload = record["workload"]
    if workload.get("note") is not None:
        notes.append((f"{doc}#workload-note", TOPIC["duration"], lang_map(workload["note"], lang)))
    level = record["level"]
    if level.get("nqf"):
        nqf = level["nqf"]
        found = nqf_concept(nqf["country"], nqf["level"])
        notes.append((f"{doc}#nqf-note", found[0] if found else None,
                      {GENERATED: f"National qualifications framework ({nqf['country']}) level: {nqf['level']}"}))
    if level.get("qf_ehea"):
        notes.append((f"{doc}#qf-ehea-note", None,
                      {GENERATED: f"QF-EHEA cycle: {vocab.QF_EHEA_CYCLES.get(level['qf_ehea'], level['qf_ehea'])}"}))
    if record.get("sector"):
        notes.append((f"{doc}#sector-note", TOPIC["labour-market"],
                      {GENERATED: f"Economic sector (NACE Rev. 2): {record['sector']} "
                                  f"{vocab.nace_sections().get(record['sector'], '')}".rstrip()}))
    for i, occ in enumerate(record["occupations"], 1):
        notes.append((f"{doc}#occupation-{i}", occ.get("uri") or TOPIC["labour-market"],
                      compose("Prepares for the occupation:", [occ["label"]], lang)))
    for i, qa in enumerate(record["quality_assurance"], 1):
        label = vocab.QUALITY_ASSURANCE_TYPES.get(qa["type"], qa["type"])
        notes.append((f"{doc}#quality-assurance-{i}", TOPIC["quality-assurance"],
                      compose(f"Quality assurance: {label}", [qa.get("body"), qa.get("description")], lang)))
    recognition = record.get("recognition")
    if recognition:
        if recognition.get("nqf_included") is not None:
            notes.append((f"{doc}#recognition-nqf", TOPIC["recognition"],
                          {GENERATED: "Included in a national qualifications framework: "
                                      + ("yes" if recognition["nqf_included"] else "no")}))
        for i, body in enumerate(recognition["recognised_by"], 1):
            notes.append((f"{doc}#recognised-by-{i}", TOPIC["recognition"],
                          compose("Recognised by:", [body["name"], body.get("description")], lang)))
        if recognition.get("note") is not None:
            notes.append((f"{doc}#recognition-note", TOPIC["recognition"], lang_map(recognition["note"], lang)))
    stack = record.get("stackability")
    if stack:
        label = vocab.STACKABILITY.get(stack["mode"], stack["mode"])
        if stack["stacks_into"]:
            label += ". Stacks into: " + ", ".join(stack["stacks_into"])
        notes.append((f"{doc}#stackability", TOPIC["pathways"], compose(label, [stack.get("towards")], lang)))
    return notes


def opportunity_notes(record: dict, doc: str) -> list[Note]:
    lang = record["languages"][0]
    notes: list[Note] = []
    if record["self_paced"]:
        notes.append((f"{doc}#self-paced", TOPIC["duration"],
                      {GENERATED: "Self-paced: learners may start at any time and go at their own pace."}))
    duration = record.get("duration")
    if duration and calendar_duration(duration["value"], duration["unit"]) is None:
        notes.append((f"{doc}#duration-note", TOPIC["duration"],
                      {GENERATED: f"Duration: {number(duration['value'])} {vocab.DURATION_UNITS[duration['unit']]}"}))
    if record.get("status_note") is not None:
        notes.append((f"{doc}#status-note", TOPIC["lifecycle"],
                      compose(f"Status: {vocab.STATUSES.get(record['status'], record['status'])}.",
                              [record["status_note"]], lang)))
    return notes


def assessment_notes(record: dict, doc: str) -> list[Note]:
    supervision = record["assessment"].get("supervision")
    if not supervision:
        return []
    label = vocab.SUPERVISION.get(supervision, supervision)
    return [(f"{doc}#supervision", TOPIC["assessment"], {GENERATED: f"Supervision and identity verification: {label}"})]


def provider_notes(provider: dict, org: str) -> list[Note]:
    notes: list[Note] = []
    if provider.get("description") is not None:
        notes.append((f"{org}-description", None, lang_map(provider["description"], PROVIDER_TEXT)))
    type_label = vocab.PROVIDER_TYPES.get(provider.get("type"))
    if type_label:
        notes.append((f"{org}-type", TOPIC["provider-type"], {GENERATED: f"Provider type: {type_label}"}))
    for i, qa in enumerate(provider.get("quality_assurance") or [], 1):
        label = vocab.QUALITY_ASSURANCE_TYPES.get(qa["type"], qa["type"])
        notes.append((f"{org}-quality-assurance-{i}", TOPIC["quality-assurance"],
                      compose(f"Quality assurance: {label}", [qa.get("body"), qa.get("description")], PROVIDER_TEXT)))
    return notes


def evidence(record: dict, doc: str) -> list[tuple[str, str, dict]]:
    """(IRI, URL, title) of the documents that back the specification: quality assurance evidence,
    recognising bodies."""
    lang = record["languages"][0]
    out = []
    for i, qa in enumerate(record["quality_assurance"], 1):
        if qa.get("url"):
            title = lang_map(qa.get("body"), lang) or {GENERATED: vocab.QUALITY_ASSURANCE_TYPES[qa["type"]]}
            out.append((f"{doc}#quality-assurance-{i}-evidence", qa["url"], title))
    recognition = record.get("recognition") or {}
    for i, body in enumerate(recognition.get("recognised_by") or [], 1):
        if body.get("url"):
            out.append((f"{doc}#recognised-by-{i}-page", body["url"], lang_map(body["name"], lang)))
    return out


def stacks_into(record: dict, records_by_id: dict[str, dict]) -> list[tuple[str, dict | None]]:
    """(id, record if known) of each credential this one stacks into."""
    stack = record.get("stackability") or {}
    return [(cid, records_by_id.get(cid)) for cid in stack.get("stacks_into") or []]


# --- the JSON-LD document -------------------------------------------------------------------------

def mailbox_iri(email: str) -> str:
    # an e-mail address may hold characters an IRI may not
    return "mailto:" + re.sub(r"[^A-Za-z0-9@._~!$&'()*+,;=:/?-]",
                              lambda m: "".join(f"%{b:02X}" for b in m.group().encode()), email)


class _Document:
    """One document's nodes. A concept is described where it first appears and named by its IRI
    after that (one graph: the shapes see its type and scheme either way), which keeps the
    documents small."""

    def __init__(self, urls: Urls, records_by_id: dict[str, dict]):
        self.urls = urls
        self.records_by_id = records_by_id
        self.seen: set[str] = set()

    def concept(self, uri: str, scheme: str | None = None, label: str | None = None) -> dict:
        if uri in self.seen:
            return {"id": uri}
        self.seen.add(uri)
        return concept(uri, scheme, label)

    def note(self, note: Note) -> dict:
        iri, subject, text = note
        node = {"id": iri, "type": "Note"}
        if subject:
            node["subject"] = self.concept(subject)
        node["noteLiteral"] = text
        return node

    @staticmethod
    def web(iri: str, url: str, title: dict | None = None) -> dict:
        node = {"id": iri, "type": "WebResource", "contentURL": url}
        if title:
            node["title"] = title
        return node

    def location(self, iri: str, country: str, city: str | None, region: str | None, lang: str) -> dict:
        node = {"id": iri, "type": "Location",
                "address": {"id": iri + "-address", "type": "Address",
                            "countryCode": self.concept(country_uri(country), SCHEME["country"])}}
        if city:
            node["geographicName"] = {lang: city}
        if region:
            node["spatialCode"] = [self.concept(f"{SCHEME['nuts']}/code/{region}", SCHEME["nuts"])]
        return node

    def organisation(self, provider: dict) -> dict:
        """The provider as an ELM Organisation: the same node in every document of the provider.

        What the provider says of itself (description, type, quality assurance) is in its LOQ XML,
        where the organisation is described once, not in each of its credentials' documents."""
        org = organisation_iri(provider["id"], self.urls)
        node = {"id": org, "type": "Organisation", "legalName": lang_map(provider["name"], PROVIDER_TEXT)}
        short = provider.get("short_name")
        if short and short not in node["legalName"].values():
            node["altLabel"] = {PROVIDER_TEXT: short}
        if provider.get("website"):
            node["homepage"] = [self.web(org + "-homepage", provider["website"])]
        node["location"] = [self.location(org + "-location", provider["country"], None, provider.get("region"),
                                          PROVIDER_TEXT)]
        if provider.get("contact_email"):
            node["contactPoint"] = [{"id": org + "-contact", "type": "ContactPoint",
                                     "emailAddress": {"id": mailbox_iri(provider["contact_email"]), "type": "Mailbox"}}]
        return node

    def awarding_body(self, body: dict, iri: str, lang: str) -> dict:
        node = {"id": iri, "type": "Organisation", "legalName": lang_map(body["name"], lang),
                "location": [self.location(iri + "-location", body["country"], None, None, lang)]}
        if body.get("url"):
            node["homepage"] = [self.web(iri + "-homepage", body["url"])]
        return node

    def eqf(self, record: dict) -> dict:
        return self.concept(record["uris"]["eqf"], SCHEME["eqf"], f"Level {record['level']['eqf']}")

    def specification_core(self, record: dict, doc: str, link: bool = False) -> dict:
        """What the shapes require of a specification, and so what a link to one must say of it too
        (a link names the first learning outcome only: a part of what the linked document says)."""
        lang = record["languages"][0]
        kind = specification_class(record)
        node = {"id": doc + "#specification", "type": kind, "title": lang_map(record["title"], lang),
                "thematicArea": [self.concept(record["uris"]["isced_f"], SCHEME["isced-f"],
                                              vocab.isced_fields().get(record["field"]))],
                "language": [self.concept(u, SCHEME["language"]) for u in language_uris(record)]}
        learning_outcomes = []
        for iri, title, esco in outcomes(record, doc)[:1] if link else outcomes(record, doc):
            outcome = {"id": iri, "type": "LearningOutcome", "title": title}
            if esco:
                # no inScheme: the -mdr shape wants one starting https://ec.europa.eu/esco/skill/,
                # which is no scheme ESCO publishes
                outcome["relatedESCOSkill"] = [{"id": esco, "type": "Concept"}]
            learning_outcomes.append(outcome)
        node["learningOutcome"] = learning_outcomes
        if kind == "Qualification":
            nqf = record["level"]["nqf"]
            node["eqfLevel"] = self.eqf(record)
            node["nqfLevel"] = [self.concept(nqf_concept(nqf["country"], nqf["level"])[0], SCHEME["nqf"])]
        return node

    def specification(self, record: dict, doc: str, org: str) -> dict:
        lang = record["languages"][0]
        node = self.specification_core(record, doc)
        kind = node["type"]
        ids = identifiers(record)
        if ids:
            node["identifier"] = [{"id": f"{doc}#identifier-{i}", "type": "Identifier", "notation": notation,
                                   "schemeName": scheme} for i, (notation, scheme) in enumerate(ids, 1)]
        if kind != "Qualification":
            node["educationLevel"] = [self.eqf(record)]
        workload = record["workload"]
        if workload.get("ects") is not None:
            node["creditPoint"] = [{"id": doc + "#credit-points", "type": "CreditPoint",
                                    "framework": self.concept(ECTS[0], SCHEME["credit"], ECTS[1]),
                                    "point": number(workload["ects"])}]
        if workload.get("hours") is not None:
            node["volumeOfLearning"] = hours_duration(workload["hours"])
        mode, mode_label, _activity, _rule = PARTICIPATION[record["participation"]]
        node["mode"] = [self.concept(mode, SCHEME["mode"], mode_label)]
        if record.get("learning_setting"):
            uri, label = LEARNING_SETTING[record["learning_setting"]]
            node["learningSetting"] = self.concept(uri, SCHEME["learning-setting"], label)
        if record.get("prerequisites") is not None:
            node["entryRequirement"] = self.note((doc + "#entry-requirements", TOPIC["entry-requirements"],
                                                  lang_map(record["prerequisites"], lang)))
        node["provenBy"] = [self.assessment(record, doc)]
        notes = specification_notes(record, doc)
        if notes:
            node["additionalNote"] = [self.note(n) for n in notes]
        documents = [self.web(iri, url, title) for iri, url, title in evidence(record, doc)]
        part_of = []
        for i, (cid, target) in enumerate(stacks_into(record, self.records_by_id), 1):
            address = elm_address(cid, self.urls)
            if target is not None and (kind != "Qualification" or specification_class(target) == "Qualification"):
                part_of.append(self.specification_core(target, address, link=True))
            else:
                title = lang_map(target["title"], target["languages"][0]) if target else {GENERATED: cid}
                documents.append(self.web(f"{doc}#stacks-into-{i}", address, title))
        if part_of:
            node["isPartOf"] = part_of
        if documents:
            node["supplementaryDocument"] = documents
        bodies = [{"id": org}] + [self.awarding_body(b, f"{doc}#awarding-body-{i}", lang)
                                  for i, b in enumerate(record["awarding_bodies"], 1)]
        node["awardingOpportunity"] = [{"id": doc + "#awarding-opportunity", "type": "AwardingOpportunity",
                                        "awardingBody": bodies,
                                        "learningAchievementSpecification": {"id": node["id"]}}]
        node["status"] = record["status"]
        return node

    def assessment(self, record: dict, doc: str) -> dict:
        types = assessment_types(record)
        assessment = record["assessment"]
        node = {"id": doc + "#assessment", "type": "LearningAssessmentSpecification",
                "title": {GENERATED: ", ".join(label for _t, label, *_ in types)}}
        if assessment.get("description") is not None:
            node["description"] = lang_map(assessment["description"], record["languages"][0])
        concepts = dict.fromkeys((uri, label) for _t, _l, uri, label, _r in types if uri)
        if concepts:
            node["dcType"] = [self.concept(uri, SCHEME["assessment"], label) for uri, label in concepts]
        words = [label for _t, label, _u, _c, rule in types if rule != "exact"]
        if words:
            node["category"] = {GENERATED: words}
        notes = assessment_notes(record, doc)
        if notes:
            node["additionalNote"] = [self.note(n) for n in notes]
        return node

    def opportunity(self, record: dict, provider: dict) -> dict:
        address = elm_address(record["id"], self.urls)
        doc = ""  # the document's own nodes: "#opportunity" is <address>#opportunity (@base)
        lang = record["languages"][0]
        title = lang_map(record["title"], lang)
        node = {"@context": [*CONTEXT, {"@base": address}], "id": doc + "#opportunity", "type": "LearningOpportunity",
                "title": title}
        if record.get("description") is not None:
            node["description"] = lang_map(record["description"], lang)
        notes = opportunity_notes(record, doc)
        if notes:
            node["additionalNote"] = [self.note(n) for n in notes]
        homepages = []
        if record.get("url"):
            homepages.append(self.web(doc + "#course-page", record["url"], {GENERATED: "Course page"}))
        homepages.append(self.web(doc + "#register-page", record["urls"]["page"], {GENERATED: "Page in the register"}))
        node["homepage"] = homepages
        if record.get("registration_url"):
            node["supplementaryDocument"] = [self.web(doc + "#registration", record["registration_url"],
                                                      {GENERATED: "Registration"})]
        if record.get("valid_from") or record.get("withdrawn_on"):
            period = {"id": doc + "#period", "type": "PeriodOfTime"}
            if record.get("valid_from"):
                period["startDate"] = date_time(record["valid_from"])
            if record.get("withdrawn_on"):
                period["endDate"] = date_time(record["withdrawn_on"])
            node["temporal"] = period
        duration = record.get("duration")
        if duration:
            value = calendar_duration(duration["value"], duration["unit"])
            if value:
                node["duration"] = value
            if duration.get("note") is not None:
                node["scheduleInformation"] = self.note((doc + "#schedule", TOPIC["duration"],
                                                         lang_map(duration["note"], lang)))
        mode, mode_label, activity, _rule = PARTICIPATION[record["participation"]]
        node["mode"] = [self.concept(mode, SCHEME["mode"], mode_label)]
        unit, amount, description = price(record)
        price_node = {"id": doc + "#price", "type": "PriceDetail",
                      "amount": {"id": doc + "#price-amount", "type": "Amount",
                                 "unit": self.concept(unit, SCHEME["currency"]),
                                 "rdf:value": {"@value": amount, "@type": "xsd:decimal"}}}
        if description:
            price_node["description"] = description
        node["priceDetail"] = [price_node]
        org = self.organisation(provider)
        node["providedBy"] = org
        places = locations(record, doc)
        if places:
            node["location"] = [self.location(iri, c, city, region, lang) for iri, c, city, region in places]
        spec = self.specification(record, doc, org["id"])
        node["learningAchievementSpecification"] = spec
        if activity:
            node["learningActivitySpecification"] = {
                "id": doc + "#activity", "type": "LearningActivitySpecification",
                "title": {GENERATED: vocab.PARTICIPATION[record["participation"]]},
                "dcType": [self.concept(activity[0], SCHEME["learning-activity"], activity[1])],
                "mode": [self.concept(mode, SCHEME["mode"], mode_label)]}
        default_language = language_concept_uri(lang)
        node["elm:defaultLanguage"] = self.concept(default_language, SCHEME["language"])
        starts = [{"id": f"{doc}#opportunity-{day}", "type": "LearningOpportunity", "title": title,
                   "homepage": [{"id": h["id"]} for h in homepages],
                   "temporal": {"id": f"{doc}#start-{day}", "type": "PeriodOfTime", "startDate": date_time(day)},
                   "providedBy": {"id": org["id"]}, "learningAchievementSpecification": {"id": spec["id"]},
                   "isPartOf": {"id": node["id"]}, "elm:defaultLanguage": {"id": default_language}}
                  for day in record["start_dates"]]
        if starts:
            node["hasPart"] = starts
        node["status"] = record["status"]
        return node


def elm_document(record: dict, provider: dict, urls: Urls, records_by_id: dict[str, dict]) -> dict:
    """The credential as an ELM v3 LearningOpportunity with its specification, as a JSON-LD document.

    The document's own nodes have IRIs relative to its address ("#opportunity"), which the context
    states as @base: absolute once expanded, whoever reads the document from wherever. Start dates
    are learning opportunities of their own, part of this one."""
    return _Document(urls, records_by_id).opportunity(record, provider)
