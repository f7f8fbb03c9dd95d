"""The QDR's LOQ XML upload format: a provider's active credentials as one <Courses> document.

`loq_xml` gives the file published at `/api/v1/elm/providers/<provider-id>.xml`,
the address a provider can give the Europass Qualifications Dataset Register
for automatic updates. It is valid against loq.xsd (the tests check it with
xmlschema, offline) and says what the credentials' ELM JSON-LD documents say
(elm.py), through the same tables and helpers, with the same IRIs as ids:
every node is in its section (learning opportunities, specifications,
outcomes, activities, assessments, agents, locations) and referred to by id.

Where the XML format differs from the JSON-LD:
- a note holds one language: a note in several languages is one note per
  language (the single-valued ones, entryRequirement and scheduleInformation,
  take the entry's first language, and their other translations follow as
  additional notes on the same topic);
- an identifier's code may appear once in a document (the schema's
  UniqueNotationCheck): a code another of the provider's credentials already
  gave is given again as an additional note;
- a place's NUTS region is left out (the schema takes only the NUTS codes of
  its own list, which the package does not carry);
- stackability is an isPartOf reference to the other credential's
  specification in every case (the schema does not type references);
- the provider's description, type and quality assurance are notes of its
  organisation (described once here, not in each JSON-LD document).

The XML is written by `_Xml`, a small writer through which every text and
every attribute value passes escaped (`escape_text`, `escape_attribute`):
element names are this module's constants, never data. ElementTree builds
and serialises the same document at about three times the cost (some 110
elements per credential: seconds for 10,000 credentials), which the build's
budget does not allow. Same input, same bytes.
"""

from __future__ import annotations

import re

from ..contract import vocabularies as vocab
from ..contract.elm_vocabulary import ECTS, GENERATED, LEARNING_SETTING, PARTICIPATION, PROVIDER_TEXT, TOPIC, nqf_concept
from .elm import (Note, assessment_notes, assessment_types, calendar_duration, date_time, elm_address, evidence,
                  hours_duration, identifiers, lang_map, language_concept_uri, language_uris, locations, mailbox_iri,
                  number, opportunity_notes, organisation_iri, outcomes, price, provider_notes, specification_class,
                  specification_notes, stacks_into)
from .records import Urls, country_uri

LOQ = "http://data.europa.eu/snb/model/ap/loq-constraints/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DC = "http://purl.org/dc/terms/"
XSD_VERSION = "3.1.0"
ROOT = f'<Courses xmlns="{LOQ}" xmlns:skos="{SKOS}" xmlns:dc="{DC}" xsdVersion="{XSD_VERSION}">'
SECTIONS = ("learningOpportunityReferences", "learningAchievementSpecificationReferences",
            "learningOutcomeReferences", "learningActivitySpecificationReferences",
            "learningAssessmentSpecificationReferences", "agentReferences", "locationReferences")

# Characters XML 1.0 cannot carry, not even as references: U+FFFD stands in for them. Of these the
# validator lets only U+FFFE and U+FFFF through (it refuses control characters).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ATTRIBUTE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                            "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def escape_text(text: str) -> str:
    """Text as element content: &, < and > as references (> too, for "]]>")."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not text.isprintable():  # a carriage return as a reference, else parsers make it a line feed
        text = _NOT_XML.sub("\ufffd", text).replace("\r", "&#13;")
    return text


def escape_attribute(value: str) -> str:
    """Text as a double-quoted attribute value: whitespace as references too, so that it survives
    attribute-value normalisation unchanged."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:  # most values are IRIs of this module's making
        return value
    return _NOT_XML.sub("\ufffd", value).translate(_ATTRIBUTE)


_ATTRIBUTE_SPECIAL = re.compile('[&<>"\x00-\x1f\ufffe\uffff]')


class _Xml:
    """Appends escaped XML: element names and attribute names are the caller's constants; text and
    attribute values are data, and always escaped. An element takes at most one attribute (all the
    schema's elements do)."""

    __slots__ = ("parts",)

    def __init__(self):
        self.parts: list[str] = []

    def open(self, tag: str, name: str | None = None, value: str | None = None) -> None:
        self.parts.append(f'<{tag} {name}="{escape_attribute(value)}">' if name else f"<{tag}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def leaf(self, tag: str, text: str, name: str | None = None, value: str | None = None) -> None:
        start = f'<{tag} {name}="{escape_attribute(value)}">' if name else f"<{tag}>"
        self.parts.append(f"{start}{escape_text(text)}</{tag}>")

    def empty(self, tag: str, name: str, value: str) -> None:
        self.parts.append(f'<{tag} {name}="{escape_attribute(value)}"/>')

    def texts(self, tag: str, texts: dict | None) -> None:
        """One element per language of a language map."""
        for lang, text in (texts or {}).items():
            self.parts.append(f'<{tag} language="{escape_attribute(lang)}">{escape_text(text)}</{tag}>')

    def notes(self, notes: list[Note], tag: str = "additionalNote") -> None:
        """Each note once per language (a note's literal is single-valued in the XML)."""
        for _iri, subject, text in notes:
            for lang, literal in text.items():
                self.open(tag)
                if subject:
                    self.empty("dc:subject", "uri", subject)
                self.leaf("noteLiteral", literal, "language", lang)
                self.close(tag)

    def web(self, tag: str, url: str, title: dict | None = None) -> None:
        self.open(tag)
        self.texts("title", title)
        self.leaf("contentUrl", url)
        self.close(tag)


def _single(note: Note, lang: str) -> tuple[Note, Note | None]:
    """A note for a single-valued element (its first-language text) and the rest of its translations."""
    iri, subject, text = note
    first = lang if lang in text else next(iter(text))
    rest = {k: v for k, v in text.items() if k != first}
    return (iri, subject, {first: text[first]}), ((iri, subject, rest) if rest else None)


class _Courses:
    def __init__(self, provider: dict, records: list[dict], urls: Urls):
        self.urls = urls
        self.records_by_id = {r["id"]: r for r in records}
        self.section = {name: _Xml() for name in SECTIONS}
        self.notations: set[str] = set()
        self.org = organisation_iri(provider["id"], urls)
        self.organisation(provider)

    def document(self) -> str:
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n', ROOT, "\n"]
        for name in SECTIONS:
            parts = self.section[name].parts
            if parts:
                out += [f"<{name}>\n", *parts, f"</{name}>\n"]
        out.append("</Courses>\n")
        return "".join(out)

    def location(self, iri: str, country: str, city: str | None, lang: str) -> None:
        x = self.section["locationReferences"]
        x.open("location", "id", iri)
        if city:
            x.leaf("geographicName", city, "language", lang)
        x.open("address")
        x.empty("countryCode", "uri", country_uri(country))
        x.close("address")
        x.close("location")
        x.parts.append("\n")

    def organisation(self, provider: dict) -> None:
        org = self.org
        x = self.section["agentReferences"]
        x.open("organisation", "id", org)
        names = lang_map(provider["name"], PROVIDER_TEXT)
        short = provider.get("short_name")
        if short and short not in names.values():
            x.leaf("skos:altLabel", short, "language", PROVIDER_TEXT)
        x.texts("legalName", names)
        if provider.get("website"):
            x.web("homepage", provider["website"])
        x.notes(provider_notes(provider, org))
        x.empty("location", "idref", org + "-location")
        if provider.get("contact_email"):
            x.open("contactPoint")
            x.leaf("emailAddress", mailbox_iri(provider["contact_email"]))
            x.close("contactPoint")
        x.close("organisation")
        x.parts.append("\n")
        self.location(org + "-location", provider["country"], None, PROVIDER_TEXT)

    def awarding_body(self, body: dict, iri: str, lang: str) -> None:
        x = self.section["agentReferences"]
        x.open("organisation", "id", iri)
        x.texts("legalName", lang_map(body["name"], lang))
        if body.get("url"):
            x.web("homepage", body["url"])
        x.empty("location", "idref", iri + "-location")
        x.close("organisation")
        x.parts.append("\n")
        self.location(iri + "-location", body["country"], None, lang)

    def credential(self, record: dict) -> None:
        doc = elm_address(record["id"], self.urls)
        lang = record["languages"][0]
        spec = doc + "#specification"
        self.specification(record, doc, spec)
        mode, _mode_label, activity, _rule = PARTICIPATION[record["participation"]]
        if activity:
            x = self.section["learningActivitySpecificationReferences"]
            x.open("learningActivitySpecification", "id", doc + "#activity")
            x.leaf("title", vocab.PARTICIPATION[record["participation"]], "language", GENERATED)
            x.empty("type", "uri", activity[0])
            x.empty("mode", "uri", mode)
            x.close("learningActivitySpecification")
            x.parts.append("\n")

        x = self.section["learningOpportunityReferences"]
        title = lang_map(record["title"], lang)
        x.open("learningOpportunity", "id", doc + "#opportunity")
        x.texts("title", title)
        x.texts("description", lang_map(record.get("description"), lang))
        notes = opportunity_notes(record, doc)
        duration = record.get("duration")
        schedule = None
        if duration and duration.get("note") is not None:
            schedule, rest = _single((doc + "#schedule", TOPIC["duration"], lang_map(duration["note"], lang)), lang)
            if rest:
                notes.append(rest)
        x.notes(notes)
        if record.get("url"):
            x.web("homepage", record["url"], {GENERATED: "Course page"})
        x.web("homepage", record["urls"]["page"], {GENERATED: "Page in the register"})
        if record.get("registration_url"):
            x.web("supplementaryDocument", record["registration_url"], {GENERATED: "Registration"})
        if record.get("valid_from") or record.get("withdrawn_on"):
            x.open("temporal")
            if record.get("valid_from"):
                x.leaf("startDate", date_time(record["valid_from"]))
            if record.get("withdrawn_on"):
                x.leaf("endDate", date_time(record["withdrawn_on"]))
            x.close("temporal")
        if duration:
            value = calendar_duration(duration["value"], duration["unit"])
            if value:
                x.leaf("duration", value)
        x.empty("mode", "uri", mode)
        if schedule:
            x.notes([schedule], "scheduleInformation")
        unit, amount, description = price(record)
        x.open("priceDetail")
        x.open("amount")
        x.empty("unit", "uri", unit)
        x.leaf("value", amount)
        x.close("amount")
        x.texts("description", description)
        x.close("priceDetail")
        x.empty("providedBy", "idref", self.org)
        places = locations(record, doc)
        for iri, _country, _city, _region in places:
            x.empty("location", "idref", iri)
        x.empty("learningAchievementSpecification", "idref", spec)
        if activity:
            x.empty("learningActivitySpecification", "idref", doc + "#activity")
        for day in record["start_dates"]:
            x.empty("hasPart", "idref", f"{doc}#opportunity-{day}")
        default_language = language_concept_uri(lang)
        x.empty("defaultLanguage", "uri", default_language)
        x.leaf("status", record["status"])
        x.close("learningOpportunity")
        x.parts.append("\n")
        for iri, country, city, _region in places:
            self.location(iri, country, city, lang)

        # a learning opportunity per start date: what the schema requires, the date, and whose part it is
        homepage = record.get("url") or record["urls"]["page"]
        for day in record["start_dates"]:
            x.open("learningOpportunity", "id", f"{doc}#opportunity-{day}")
            x.texts("title", title)
            x.web("homepage", homepage)
            x.open("temporal")
            x.leaf("startDate", date_time(day))
            x.close("temporal")
            x.empty("providedBy", "idref", self.org)
            x.empty("learningAchievementSpecification", "idref", spec)
            x.empty("isPartOf", "idref", doc + "#opportunity")
            x.empty("defaultLanguage", "uri", default_language)
            x.close("learningOpportunity")
            x.parts.append("\n")

    def specification(self, record: dict, doc: str, spec: str) -> None:
        lang = record["languages"][0]
        qualification = specification_class(record) == "Qualification"
        tag = "qualification" if qualification else "learningAchievementSpecification"
        x = self.section["learningAchievementSpecificationReferences"]
        x.open(tag, "id", spec)
        notes = specification_notes(record, doc)
        for notation, scheme in identifiers(record):
            if notation in self.notations:
                notes.append((doc, None, {GENERATED: f"Identifier ({scheme}): {notation}"}))
                continue
            self.notations.add(notation)
            x.open("identifier")
            x.leaf("skos:notation", notation)
            x.leaf("schemeName", scheme)
            x.close("identifier")
        x.texts("title", lang_map(record["title"], lang))
        requirement = None
        if record.get("prerequisites") is not None:
            requirement, rest = _single((doc + "#entry-requirements", TOPIC["entry-requirements"],
                                         lang_map(record["prerequisites"], lang)), lang)
            if rest:
                notes.append(rest)
        x.notes(notes)
        for _iri, url, title in evidence(record, doc):
            x.web("supplementaryDocument", url, title)
        x.leaf("status", record["status"])
        x.empty("ISCEDFCode", "uri", record["uris"]["isced_f"])
        workload = record["workload"]
        if workload.get("hours") is not None:
            x.leaf("volumeOfLearning", hours_duration(workload["hours"]))
        if workload.get("ects") is not None:
            x.open("creditPoint")
            x.empty("framework", "uri", ECTS[0])
            x.leaf("point", number(workload["ects"]))
            x.close("creditPoint")
        if not qualification:
            x.empty("educationLevel", "uri", record["uris"]["eqf"])
        for uri in language_uris(record):
            x.empty("language", "uri", uri)
        x.empty("mode", "uri", PARTICIPATION[record["participation"]][0])
        if record.get("learning_setting"):
            x.empty("learningSetting", "uri", LEARNING_SETTING[record["learning_setting"]][0])
        if requirement:
            x.notes([requirement], "entryRequirement")
        found = outcomes(record, doc)
        for iri, _title, _esco in found:
            x.empty("learningOutcome", "idref", iri)
        x.empty("provenBy", "idref", doc + "#assessment")
        for cid, _target in stacks_into(record, self.records_by_id):
            x.empty("isPartOf", "idref", elm_address(cid, self.urls) + "#specification")
        x.open("awardingOpportunity")
        x.empty("awardingBody", "idref", self.org)
        for i, _body in enumerate(record["awarding_bodies"], 1):
            x.empty("awardingBody", "idref", f"{doc}#awarding-body-{i}")
        x.empty("learningAchievementSpecification", "idref", spec)
        x.close("awardingOpportunity")
        if qualification:
            nqf = record["level"]["nqf"]
            x.empty("EQFLevel", "uri", record["uris"]["eqf"])
            x.empty("NQFLevel", "uri", nqf_concept(nqf["country"], nqf["level"])[0])
        x.close(tag)
        x.parts.append("\n")

        for i, body in enumerate(record["awarding_bodies"], 1):
            self.awarding_body(body, f"{doc}#awarding-body-{i}", lang)
        x = self.section["learningOutcomeReferences"]
        for iri, title, esco in found:
            x.open("learningOutcome", "id", iri)
            x.texts("title", title)
            if esco:
                x.empty("relatedESCOSkill", "uri", esco)
            x.close("learningOutcome")
            x.parts.append("\n")
        self.assessment(record, doc)

    def assessment(self, record: dict, doc: str) -> None:
        types = assessment_types(record)
        x = self.section["learningAssessmentSpecificationReferences"]
        x.open("learningAssessmentSpecification", "id", doc + "#assessment")
        x.leaf("title", ", ".join(label for _t, label, *_ in types), "language", GENERATED)
        x.texts("description", lang_map(record["assessment"].get("description"), record["languages"][0]))
        x.notes(assessment_notes(record, doc))
        for _t, label, _uri, _concept_label, rule in types:
            if rule != "exact":
                x.leaf("category", label, "language", GENERATED)
        for uri in dict.fromkeys(uri for _t, _l, uri, _c, _r in types if uri):
            x.empty("type", "uri", uri)
        x.close("learningAssessmentSpecification")
        x.parts.append("\n")


def loq_xml(provider: dict, records: list[dict], urls: Urls) -> str:
    """The provider's active credentials in the QDR's LOQ XML upload format (valid against loq.xsd).

    `records` are the provider's credential records (any status: only the active ones are written);
    the same input gives the same text."""
    courses = _Courses(provider, records, urls)
    for record in records:
        if record["status"] == "active":
            courses.credential(record)
    return courses.document()
