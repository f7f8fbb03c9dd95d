"""Open Badges 3.0: every credential as an OB 3.0 Achievement (1EdTech).

`ob3_achievement(record, provider, urls)` turns one credential record and its
provider's record (the API records of records.py) into one JSON-LD document,
published at `ob3/achievements/<provider-id>/<slug>.json` under /api/v1/. It
builds plain dicts and writes nothing; the caller serialises them (json.dumps
does the escaping; text goes in exactly as the provider wrote it).

The rules for values without an exact counterpart in OB 3.0:

- **Translations.** OB 3.0 text properties (`name`, `description`,
  `criteria.narrative`, `targetName`) are strings, and the OB JSON Schema
  rejects the VC 2.0 value objects (`{"@value", "@language"}`) there. So the
  string is the text in the entry's first language (`languages[0]`, the
  language `inLanguage` states; where a translated text lacks that language,
  the same fallback as the CSV: the next of the entry's languages, else
  English, else the first translation). Beside it, every text the provider
  translated keeps *all* its translations in a JSON-LD language map of our
  inline context, named after the property as in ActivityStreams: `nameMap`,
  `descriptionMap`, `narrativeMap`, `targetNameMap`. These terms map to the
  same IRIs as `name` (schema:name), `description` (schema:description),
  `narrative` (OB narrative) and `targetName` (schema:targetName), so in RDF
  every translation is a language-tagged value of the OB property itself. A
  text that is one string has no map (its language is `inLanguage`). Composed
  texts (the narrative) get one map entry per language that any of their
  parts is translated into; a part not translated into that language appears
  in the text the string uses.
- **Workload.** OB's `creditsAvailable` is "credit hours" (a US unit of
  academic credit, roughly one class hour a week over a term), neither ECTS
  nor hours of notional workload. It is left out. ECTS credits go in
  `ectsCredits`, notional hours in `workloadHours` (terms of our inline
  context, IRIs `<site>vocab/#ectsCredits`, `<site>vocab/#workloadHours`, described on docs/vocab.md), each
  only where the provider gave it; the derived `facets.ects_equivalent` is
  not published as ECTS.
- **Criteria.** `criteria.narrative` (Markdown) lists the learning outcomes
  and says how they are assessed (the assessment types and supervision, by
  the register's English labels, and the provider's description of the
  assessment). Provider text goes in unaltered, not escaped: a reader renders
  it as Markdown and must sanitise it, as with any badge. `criteria.id` is the
  credential's page in the register, which shows exactly these outcomes and
  this assessment ("a webpage that describes in a human-readable format the
  criteria"); the provider's course page is not sure to, and may be missing,
  so it is the Achievement's `url` (schema:url, defined by the OB context).
- **Description.** OB requires one; where the provider wrote none, the
  learning outcomes stand in, one per line.
- **Fields.** `fieldOfStudy` is the ISCED-F narrow field (3 digits; the broad
  field for a 2-digit code), `specialization` the detailed field of a 4-digit
  code; the exact code is in the ISCED-F alignment.
- **Alignments**: EQF level (`targetType` `ext:QualificationLevel`), ISCED-F
  field (`ext:FieldOfStudy`), every ESCO skill (`ceasn:Competency`) and
  occupation (`ext:Occupation`) that has a URI; `targetCode` is the code
  within the framework (EQF level, ISCED-F code, last segment of the ESCO
  URI). Skills and occupations without a URI have no place: an Alignment
  needs a `targetUrl`, and none is invented.
- **Identifiers** are `otherIdentifier` entries with `identifierType`
  `ext:<scheme>` (croho, rio, rncp, ..., provider, other); OB's
  IdentifierEntry allows no other property, so the note naming the register
  of an `other` code is not carried. The first `provider` code (the
  provider's own course code) is also the `humanCode`.
- **Not in OB 3.0**, so not published here: cost, duration, dates, status,
  participation, locations, quality assurance, recognition, stackability,
  prerequisites, awarding bodies besides the provider, languages after the
  first; the JSON record has them.
"""

from __future__ import annotations

from ..contract import vocabularies as vocab
from .records import Urls, display_text

CONTEXTS = ("https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json")
SCHEMA_ORG = "https://schema.org/"
OB_VOCAB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
XSD_ANY_URI = "http://www.w3.org/2001/XMLSchema#anyURI"

EQF_FRAMEWORK = "European Qualifications Framework (EQF)"
ISCED_F_FRAMEWORK = "International Standard Classification of Education: Fields of Education and Training 2013 (ISCED-F 2013)"
ESCO_FRAMEWORK = "European Skills, Competences, Qualifications and Occupations (ESCO)"


def inline_context(urls: Urls) -> dict:
    """Our extension terms: the language maps, the workload, the registration page."""
    ours = f"{urls.site}vocab/#"  # the terms are described on docs/vocab.md
    return {
        "ectsCredits": {"@id": ours + "ectsCredits"},
        "workloadHours": {"@id": ours + "workloadHours"},
        "registrationUrl": {"@id": ours + "registrationUrl", "@type": XSD_ANY_URI},
        "nameMap": {"@id": SCHEMA_ORG + "name", "@container": "@language"},
        "descriptionMap": {"@id": SCHEMA_ORG + "description", "@container": "@language"},
        "narrativeMap": {"@id": OB_VOCAB + "narrative", "@container": "@language"},
        "targetNameMap": {"@id": SCHEMA_ORG + "targetName", "@container": "@language"},
    }


def _in_language(text, tag: str, languages) -> str:
    if isinstance(text, dict) and tag in text:
        return text[tag]
    return display_text(text, languages)


def _localised(out: dict, key: str, texts: list, languages, compose=None) -> None:
    """Set out[key] to the text (composed of texts) in the first language, out[key + "Map"] to every translation."""
    compose = compose or (lambda parts: parts[0])
    out[key] = compose([display_text(t, languages) for t in texts])
    tags = {}
    for text in texts:
        if isinstance(text, dict):
            tags.update(dict.fromkeys(text))
    if tags:
        out[key + "Map"] = {tag: compose([_in_language(t, tag, languages) for t in texts]) for tag in tags}


def _narrative(record: dict):
    """How the narrative is composed of the outcomes and the assessment description (the texts, in one language)."""
    n = len(record["learning_outcomes"])
    assessment = record["assessment"]
    labels = record["labels"]
    how = ", ".join(labels["assessment"][t] for t in assessment["type"])
    if labels.get("supervision"):
        how += f" ({labels['supervision']})"

    def compose(parts: list[str]) -> str:
        lines = ["**Learning outcomes**: after completing it, a learner can", ""]
        lines += [f"- {outcome}" for outcome in parts[:n]]
        lines += ["", f"**Assessment**: {how}"]
        if len(parts) > n:
            lines += ["", parts[n]]
        return "\n".join(lines)

    texts = list(record["learning_outcomes"])
    if assessment.get("description") is not None:
        texts.append(assessment["description"])
    return texts, compose


def _alignment(name, url: str, framework: str, code: str, target_type: str, languages) -> dict:
    out = {"type": ["Alignment"]}
    _localised(out, "targetName", [name], languages)
    out.update({"targetUrl": url, "targetFramework": framework, "targetCode": code, "targetType": target_type})
    return out


def _alignments(record: dict, languages) -> list[dict]:
    uris, labels, field = record["uris"], record["labels"], record["field"]
    out = [
        _alignment(labels["level"], uris["eqf"], EQF_FRAMEWORK, str(record["level"]["eqf"]),
                   "ext:QualificationLevel", languages),
        _alignment(labels["field"] or field, uris["isced_f"], ISCED_F_FRAMEWORK, field, "ext:FieldOfStudy", languages),
    ]
    for items, target_type in ((record["skills"], "ceasn:Competency"), (record["occupations"], "ext:Occupation")):
        for item in items:
            if item.get("uri"):
                out.append(_alignment(item["label"], item["uri"], ESCO_FRAMEWORK, item["uri"].rstrip("/").rsplit("/", 1)[-1],
                                      target_type, languages))
    return out


def _fields(field: str) -> dict:
    names = vocab.isced_fields()
    out = {}
    study = names.get(field[:3]) or names.get(field[:2])
    if study:
        out["fieldOfStudy"] = study
    if len(field) == 4 and names.get(field):
        out["specialization"] = names[field]
    return out


def creator_profile(provider: dict, languages) -> dict:
    """The provider as an OB 3.0 Profile."""
    profile = {"id": provider["urls"]["api"], "type": ["Profile"]}
    _localised(profile, "name", [provider["name"]], languages)
    profile["url"] = provider["website"]
    if provider.get("description") is not None:
        _localised(profile, "description", [provider["description"]], languages)
    if provider.get("contact_email"):
        profile["email"] = provider["contact_email"]
    address = {"type": ["Address"], "addressCountryCode": provider["country"]}
    country = (provider.get("labels") or {}).get("country")
    if country:
        address["addressCountry"] = country
    if provider.get("region"):
        address["addressRegion"] = provider["region"]
    profile["address"] = address
    return profile


def ob3_achievement(record: dict, provider: dict, urls: Urls) -> dict:
    """One credential as an OB 3.0 Achievement (a JSON-LD document; the module docstring gives the rules)."""
    languages = record["languages"]
    doc = {
        "@context": [*CONTEXTS, inline_context(urls)],
        "id": f"{urls.api}ob3/achievements/{record['id']}.json",
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
    }
    _localised(doc, "name", [record["title"]], languages)
    if record.get("description") is not None:
        _localised(doc, "description", [record["description"]], languages)
    else:
        _localised(doc, "description", list(record["learning_outcomes"]), languages, "\n".join)
    criteria = {"id": record["urls"]["page"]}
    texts, compose = _narrative(record)
    _localised(criteria, "narrative", texts, languages, compose)
    doc["criteria"] = criteria
    doc["creator"] = creator_profile(provider, languages)
    doc["inLanguage"] = languages[0]
    doc["alignment"] = _alignments(record, languages)
    doc.update(_fields(record["field"]))
    codes = [i["value"] for i in record["identifiers"] if i["scheme"] == "provider"]
    if codes:
        doc["humanCode"] = codes[0]
    if record["identifiers"]:
        doc["otherIdentifier"] = [{"type": "IdentifierEntry", "identifier": i["value"],
                                   "identifierType": f"ext:{i['scheme']}"} for i in record["identifiers"]]
    if record["keywords"]:
        doc["tag"] = list(record["keywords"])
    workload = record["workload"]
    if workload.get("ects") is not None:
        doc["ectsCredits"] = workload["ects"]
    if workload.get("hours") is not None:
        doc["workloadHours"] = workload["hours"]
    if record.get("url"):
        doc["url"] = record["url"]
    if record.get("registration_url"):
        doc["registrationUrl"] = record["registration_url"]
    return doc
