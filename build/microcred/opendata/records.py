"""The API records: every value the provider wrote, plus derived fields.

A credential record holds the credential file's fields under their own names,
with the values exactly as written (defaults filled in where the provider left
a field out, so every record has the same keys), and beside them derived
fields that no file holds: id, provider, urls, labels, uris, facets,
stacked_from, history. DERIVED names them; a test keeps them apart from the
model's fields.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import pycountry
from pydantic import BaseModel

from ..contract import vocabularies as vocab
from ..catalogue.model import Catalogue, CredentialEntry, ProviderEntry
from ..catalogue.history import Dates, History, rfc3339
from ..settings import Settings

API_VERSION = "v1"
SCHEMA_VERSION = "1.1.0"

DERIVED_CREDENTIAL = ("id", "provider", "urls", "labels", "uris", "facets", "stacked_from", "history")
DERIVED_PROVIDER = ("id", "urls", "labels", "uris", "credentials")

EQF_URI = "http://data.europa.eu/snb/eqf/{}"
ISCED_F_URI = "http://data.europa.eu/snb/isced-f/{}"
AUTHORITY = "http://publications.europa.eu/resource/authority/{}/{}"


class Urls:
    """Every address the open data names, from the site's URL."""

    def __init__(self, settings: Settings):
        self.site = settings.site_url
        self.api = f"{settings.site_url}api/{API_VERSION}/"
        self.repo = settings.repo_url

    def credential_page(self, cid: str) -> str:
        return f"{self.site}credentials/{cid}/"

    def credential_api(self, cid: str) -> str:
        return f"{self.api}credentials/{cid}.json"

    def provider_page(self, pid: str) -> str:
        return f"{self.site}providers/{pid}/"

    def provider_api(self, pid: str) -> str:
        return f"{self.api}providers/{pid}.json"

    def source(self, rel: str) -> str | None:
        # HEAD: the file on the default branch, whatever that branch is called
        return f"{self.repo}/blob/HEAD/catalogue/{rel}" if self.repo else None


def display_text(text, languages=()) -> str:
    """One string of a text field: the text itself, or the translation in the entry's first language."""
    if text is None or isinstance(text, str):
        return text or ""
    for tag in (*languages, "en"):
        if tag in text:
            return text[tag]
    return text[next(iter(text))]


def _fill(written: dict, model: BaseModel) -> dict:
    """The provider's values, with the model's value only where a field was left out.

    Walks the written data rather than dumping the whole model: a left-out
    field is usually a default (None, [], False), which costs nothing to copy.
    """
    out = dict(written)  # every written key stays, as written
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name not in written:
            out[name] = _jsonable(value)
            continue
        given = written[name]
        if isinstance(value, BaseModel) and isinstance(given, dict):
            out[name] = _fill(given, value)
        elif isinstance(value, list) and isinstance(given, list):
            if value and isinstance(value[0], BaseModel) and len(value) == len(given):
                out[name] = [_fill(g, v) if isinstance(g, dict) else g for g, v in zip(given, value)]
    return out


def _jsonable(value):
    """A model's value as JSON values (model_dump(mode="json") warns on our plain-validated dates)."""
    if isinstance(value, BaseModel):
        return {name: _jsonable(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@cache
def country_uri(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return AUTHORITY.format("country", country.alpha_3 if country else code)


@cache
def language_uri(tag: str) -> str | None:
    """EU authority language URI of a BCP 47 tag's primary language (ISO 639-3 code), if known."""
    primary = tag.split("-")[0].lower()
    lang = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else pycountry.languages.get(alpha_3=primary)
    return AUTHORITY.format("language", lang.alpha_3.upper()) if lang else None


def _labels(entry: CredentialEntry) -> dict:
    rec, facets = entry.record, entry.facets
    field_label = vocab.isced_fields().get(rec.field)
    labels = {
        "level": f"EQF level {rec.level.eqf}",
        "field": field_label,
        "sector": vocab.nace_sections().get(rec.sector) if rec.sector else None,
        "participation": vocab.PARTICIPATION[rec.participation],
        "learning_setting": vocab.LEARNING_SETTINGS[rec.learning_setting] if rec.learning_setting else None,
        "assessment": {t: vocab.ASSESSMENT_TYPES[t] for t in rec.assessment.type},
        "supervision": vocab.SUPERVISION.get(rec.assessment.supervision) if rec.assessment.supervision else None,
        "quality_assurance": {q.type: vocab.QUALITY_ASSURANCE_TYPES[q.type] for q in rec.quality_assurance},
        "qf_ehea": vocab.QF_EHEA_CYCLES.get(rec.level.qf_ehea) if rec.level.qf_ehea else None,
        "stackability": vocab.STACKABILITY[rec.stackability.mode] if rec.stackability else None,
        "languages": {t: vocab.language_name(t) for t in rec.languages},
        "countries": {c: vocab.countries().get(c, c) for c in entry.countries},
        "currency": vocab.currencies().get(rec.cost.currency) if rec.cost.currency else None,
        "status": vocab.STATUSES[rec.status],
        "workload_band": next((label for band, label, *_ in vocab.WORKLOAD_BANDS if band == facets.workload_band), None),
        "cost": "Free" if facets.cost == "free" else "Paid",
    }
    return labels


def _uris(entry: CredentialEntry) -> dict:
    rec = entry.record
    return {
        "eqf": EQF_URI.format(rec.level.eqf),
        "isced_f": ISCED_F_URI.format(rec.field),
        "skills": [s.uri for s in rec.skills if s.uri],
        "occupations": [o.uri for o in rec.occupations if o.uri],
        "countries": [country_uri(c) for c in entry.countries],
        "languages": [u for u in (language_uri(t) for t in rec.languages) if u],
        "currency": AUTHORITY.format("currency", rec.cost.currency) if rec.cost.currency else None,
    }


def provider_summary(pid: str, catalogue: Catalogue, urls: Urls) -> dict:
    entry = catalogue.providers.get(pid)
    if entry is None:  # a partial catalogue; validation guarantees it in a full one
        return {"id": pid, "name": pid, "country": None, "illustrative": False,
                "page": urls.provider_page(pid), "api": urls.provider_api(pid)}
    return {"id": pid, "name": entry.record.name, "country": entry.record.country,
            "illustrative": entry.record.illustrative, "page": urls.provider_page(pid),
            "api": urls.provider_api(pid)}


def credential_record(entry: CredentialEntry, catalogue: Catalogue, urls: Urls, dates: Dates) -> dict:
    record = _fill(entry.data, entry.record)
    record.update({
        "countries": list(entry.countries),  # as written, else the provider's country
        "id": entry.id,
        "provider": provider_summary(entry.provider_id, catalogue, urls),
        "urls": {"page": urls.credential_page(entry.id), "api": urls.credential_api(entry.id),
                 "source": urls.source(f"{entry.id}.yaml")},
        "labels": _labels(entry),
        "uris": _uris(entry),
        "facets": {name: list(value) if isinstance(value, tuple) else value
                   for name, value in vars(entry.facets).items()},
        "stacked_from": list(catalogue.stacked_from.get(entry.id, [])),
        "history": {"added": rfc3339(dates.added), "modified": rfc3339(dates.modified), "from": dates.source},
    })
    return record


def credential_summary(record: dict) -> dict:
    return {"id": record["id"], "title": record["title"], "status": record["status"], "api": record["urls"]["api"]}


def provider_record(entry: ProviderEntry, summaries: list[dict], urls: Urls) -> dict:
    """The provider's record; `summaries`: its credentials' (credential_summary), in id order."""
    rec = entry.record
    record = _fill(entry.data, rec)
    record.update({
        "id": entry.id,
        "urls": {"page": urls.provider_page(entry.id), "api": urls.provider_api(entry.id),
                 "source": urls.source(f"{entry.id}/provider.yaml")},
        "labels": {"country": vocab.countries().get(rec.country, rec.country),
                   "type": vocab.PROVIDER_TYPES[rec.type]},
        "uris": {"country": country_uri(rec.country)},
        "credentials": summaries,
    })
    return record


def redirect_record(old: str, new: str, urls: Urls) -> dict:
    """What an old id's address answers: where the credential lives now."""
    return {"id": old, "redirect_to": new, "api": urls.credential_api(new), "page": urls.credential_page(new)}
