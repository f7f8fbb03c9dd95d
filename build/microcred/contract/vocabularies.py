"""Controlled vocabularies: the lists a record's values are checked against.

ISCED-F 2013, NACE and the levels of national qualifications frameworks come
with the package as data files (vocab/); countries, currencies and languages
come from pycountry and langcodes. The lookups of names where codes belong
("Dutch" for nl) run only for values that are not allowed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources

import langcodes
import pycountry

EQF_LEVELS = range(1, 9)

# Annex I: "form of participation in the learning activity"
PARTICIPATION = {
    "online": "Online",
    "onsite": "On site",
    "blended": "Blended (online and on site)",
    "volunteering": "Volunteering",
    "work-experience": "Work experience",
}

# Annex I, optional element: "supervision and identity verification during assessment"
SUPERVISION = {
    "unsupervised-no-identity-verification": "Unsupervised, with no identity verification",
    "supervised-no-identity-verification": "Supervised, with no identity verification",
    "supervised-with-identity-verification": "Supervised online or on site, with identity verification",
}

ASSESSMENT_TYPES = {
    "written-exam": "Written examination",
    "oral-exam": "Oral examination",
    "online-test": "Online test",
    "practical-demonstration": "Practical demonstration",
    "workplace-observation": "Observation at the workplace",
    "project": "Project",
    "portfolio": "Portfolio",
    "presentation": "Presentation",
    "essay": "Essay or report",
    "peer-assessment": "Peer assessment",
    "continuous-assessment": "Continuous assessment",
}

QUALITY_ASSURANCE_TYPES = {
    "internal": "Internal quality assurance of the provider",
    "external-institutional": "External quality assurance of the institution (institutional accreditation or audit)",
    "external-programme": "External accreditation of the programme or credential",
    "nqf-inclusion": "Included in a national qualifications framework or register",
    "certification": "Certified management system (e.g. ISO 21001, ISO 9001)",
    "sector-endorsement": "Endorsed by a sector body or social partners",
    "peer-review": "Peer review by other providers",
}

QF_EHEA_CYCLES = {
    "short-cycle": "Short cycle",
    "first-cycle": "First cycle (bachelor)",
    "second-cycle": "Second cycle (master)",
    "third-cycle": "Third cycle (doctorate)",
}

PROVIDER_TYPES = {
    "higher-education": "Higher education institution",
    "vet": "Vocational education and training provider",
    "company": "Company",
    "sector-body": "Sector body or chamber",
    "public-body": "Public body or employment service",
    "non-profit": "Non-profit organisation",
    "other": "Other",
}

STATUSES = {
    "active": "Active",
    "suspended": "Suspended (temporarily not offered)",
    "withdrawn": "Withdrawn",
}

STACKABILITY = {
    "stand-alone": "Stand-alone, independent micro-credential",
    "stackable": "Integrated, stackable towards another credential",
}

DURATION_UNITS = {"hour": "hours", "day": "days", "week": "weeks", "month": "months"}

# ELM's learning-setting vocabulary (http://data.europa.eu/snb/learning-setting/)
LEARNING_SETTINGS = {
    "formal": "Formal learning (in an organised setting leading to a recognised qualification)",
    "non-formal": "Non-formal learning (organised, planned learning outside formal education)",
}

# Registers that give courses and qualifications a code of their own.
IDENTIFIER_SCHEMES = {
    "croho": "CROHO code (Dutch register of higher-education programmes, DUO)",
    "rio": "RIO code (Dutch register of institutions and programmes, DUO)",
    "crebo": "Crebo code (Dutch register of vocational qualifications, SBB)",
    "rncp": "RNCP code (French national register of professional certifications)",
    "rs": "RS code (French specific register of certifications and skills)",
    "qdr": "Identifier in the Europass Qualifications Dataset Register",
    "provider": "The provider's own course code",
    "other": "Another register, named in the note",
}

# Workload bands for browsing and search, by ECTS (hours / 27.5 where only hours are given).
WORKLOAD_BANDS = [
    ("up-to-2-ects", "Up to 2 ECTS", 0, 2),
    ("2-to-5-ects", "More than 2, up to 5 ECTS", 2, 5),
    ("5-to-10-ects", "More than 5, up to 10 ECTS", 5, 10),
    ("over-10-ects", "More than 10 ECTS", 10, float("inf")),
]


def _tsv(name: str) -> dict[str, str]:
    text = resources.files(__package__).joinpath("vocab", name).read_text("utf-8")
    return dict(line.split("\t", 1) for line in text.splitlines() if line.strip())


@cache
def isced_fields() -> dict[str, str]:
    return _tsv("isced_f.tsv")


@cache
def nace_sections() -> dict[str, str]:
    return _tsv("nace.tsv")


@cache
def countries() -> dict[str, str]:
    return {c.alpha_2: getattr(c, "common_name", c.name) for c in pycountry.countries}


@cache
def currencies() -> dict[str, str]:
    return {c.alpha_3: c.name for c in pycountry.currencies}


@cache
def language_ok(tag: str) -> bool:
    if not langcodes.tag_is_valid(tag):
        return False
    try:
        return langcodes.Language.get(tag).is_valid() and bool(langcodes.Language.get(tag).language)
    except Exception:  # langcodes raises several kinds for odd tags
        return False


@cache
def language_name(tag: str, in_language: str = "en") -> str:
    """A language's name in another language (CLDR, through langcodes): nl in fr is "néerlandais"."""
    try:
        return langcodes.Language.get(tag).display_name(in_language)
    except Exception:  # langcodes raises several kinds for odd tags; the validator allowed this one
        return tag


# How alike two words must be (difflib's ratio) for one to be offered for the other. Measured on
# the field names and values of the record: typos score 0.75 and more (`durration` 0.94, `titel`
# 0.8, `country` for countries 0.75), unrelated words less (`rio_code` for awarding_bodies 0.52,
# `registration_url` for recognition 0.59, `eqf_level` for level 0.71): no suggestion beats a wrong one.
NEAR = 0.75


def suggest(value: object, allowed, cutoff: float = NEAR) -> str | None:
    """The allowed value nearest to what was written, if any is near enough."""
    if not isinstance(value, str):
        return None
    allowed = list(allowed)
    lowered = {a.lower(): a for a in allowed}
    if value.lower() in lowered:
        return lowered[value.lower()]
    synonym = _SYNONYMS.get(value.lower())
    if synonym in allowed:
        return synonym
    hits = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[hits[0]] if hits else None


# Words providers write for an allowed value that no spelling distance finds.
_SYNONYMS = {
    "hybrid": "blended",
    "mixed": "blended",
    "remote": "online",
    "distance": "online",
    "e-learning": "online",
    "in-person": "onsite",
    "face-to-face": "onsite",
    "classroom": "onsite",
    "on-site": "onsite",
    "exam": "written-exam",
    "test": "online-test",
    "standalone": "stand-alone",
    "retired": "withdrawn",
    "discontinued": "withdrawn",
    "uk": "GB",
    "el": "GR",
    "inactive": "suspended",
    "paused": "suspended",
    "closed": "withdrawn",
    "university": "higher-education",
    "college": "higher-education",
    "business": "company",
    "ngo": "non-profit",
    "government": "public-body",
}


def isced_hint(code: str) -> str | None:
    """For an unknown ISCED-F code: the codes under its longest known prefix."""
    fields = isced_fields()
    for n in (3, 2):
        prefix = code[:n]
        if len(code) > n and prefix in fields:
            children = [c for c in fields if c.startswith(prefix) and len(c) == n + 1]
            return f"codes under {prefix} ({fields[prefix]}): {', '.join(children)}"
    return None


def workload_band(ects: float | None, hours: float | None) -> str | None:
    if ects is None and hours is not None:
        ects = hours / 27.5
    if ects is None:
        return None
    for band, _label, low, high in WORKLOAD_BANDS:
        if low < ects <= high or (low == 0 and ects <= high):
            return band
    return None


# --- names where codes belong ------------------------------------------------------
# Looked up only for a value that is not allowed (the error path): a valid value never
# reaches them, so they cost nothing while a catalogue validates.

_PUNCTUATION = str.maketrans({c: " " for c in "_(),;/"})


def _plain(text: str) -> str:
    return " ".join(text.replace("&", " and ").translate(_PUNCTUATION).split()).strip(" .").lower()


@cache
def language_from_name(text: str) -> str | None:
    """The language tag for a language's name in any language ("Dutch", "Nederlands", "néerlandais"),
    or for a tag written another way (`nl_NL`)."""
    text = text.strip()
    if not text or len(text) > 60 or not text.isprintable():  # a name has no control characters
        return None
    try:
        tag = langcodes.standardize_tag(text)
        if tag != text and language_ok(tag):
            return tag
    except (ValueError, LookupError):
        pass
    try:
        tag = langcodes.find(text).to_tag()
    except Exception:  # LookupError, ValueError; language_data's trie raises SystemError on some bytes
        return None
    return tag if language_ok(tag) else None


@cache
def country_from_name(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code for a country's name (short, common or official, in English or, where
    the CLDR names it, in another language: "Nederland", "Allemagne") or its alpha-3 or numeric code."""
    text = " ".join(text.split())
    if text.lower().startswith("the "):
        text = text[4:]
    if not text or len(text) > 80:
        return None
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        pass
    from language_data.names import name_to_code  # the CLDR's names of territories, in every language

    try:
        code = name_to_code("territory", text, "und")
    except Exception:  # a name the trie cannot take
        return None
    return code if code in countries() else None


def _label_search(text: str, labels: dict[str, str]) -> list[str]:
    """Codes whose label is what was written (the most specific first), else whose label holds every word of it."""
    wanted = _plain(text)
    if not wanted:
        return []
    exact = sorted((c for c, label in labels.items() if _plain(label) == wanted), key=len, reverse=True)
    if exact:
        return exact[:1]
    words = set(wanted.split()) - {"and", "of", "the", "in"}
    if not words:
        return []
    holding = [c for c, label in labels.items()
               if "not further defined" not in label and "not elsewhere classified" not in label
               and words <= set(_plain(label).split())]
    if not holding:
        near = difflib.get_close_matches(wanted, [_plain(label) for label in labels.values()], n=1, cutoff=0.85)
        holding = [c for c, label in labels.items() if near and _plain(label) == near[0]][:1]
    # the closest label first: the fewest words besides those written, then the broader code
    extra = {c: len(set(_plain(labels[c]).split()) - words) for c in holding}
    return sorted(holding, key=lambda c: (extra[c], len(c), c))[:3]


def isced_from_label(text: str) -> list[str]:
    """ISCED-F codes whose label matches a name of a field ("Business and administration" -> 041)."""
    return _label_search(text, isced_fields())


def nace_from_label(text: str) -> list[str]:
    """NACE sections whose label matches a name of a sector ("Manufacturing" -> C)."""
    return _label_search(text, nace_sections())


# Currency signs and words written next to an amount, and the ISO 4217 code each stands for;
# signs several currencies use ("kr", "$" aside from the US dollar) are left out.
CURRENCY_SIGNS = {"€": "EUR", "euro": "EUR", "euros": "EUR", "£": "GBP", "zł": "PLN", "zl": "PLN",
                  "kč": "CZK", "ft": "HUF", "lei": "RON", "лв": "BGN", "лв.": "BGN", "us$": "USD"}
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:[ .,'\u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?")


def amount_from_text(text: str) -> tuple[list[float], str | None] | None:
    """An amount written as text ("€895", "895,00", "1.295,50 EUR"): its readings as a number (two when a
    separator could be either: "1.295") and the currency it names, if any; None when it is not an amount."""
    text = text.strip()
    found = _AMOUNT.search(text)
    if found is None or len(text) > 40:
        return None
    rest = (text[:found.start()] + " " + text[found.end():]).replace(",-", "").strip().lower()
    currency = None
    if rest:
        currency = CURRENCY_SIGNS.get(rest) or (rest.upper() if rest.upper() in currencies() else None)
        if currency is None:
            return None
    number = found.group()
    separators = [c for c in number if not c.isdigit() and c not in "+-"]
    readings: list[str] = []
    if not separators:
        readings = [number]
    elif len(set(separators)) > 1:  # the last separator is the decimal one: 1.295,50 / 1,295.50
        decimal = separators[-1]
        whole, _, fraction = number.rpartition(decimal)
        readings = [_digits(whole) + "." + fraction]
    else:
        sep = separators[0]
        whole, _, fraction = number.rpartition(sep)
        if len(separators) > 1 or sep in " '\u00a0\u202f":
            readings = [_digits(number)]  # 1.000.000, 1 295: groups of thousands
        elif len(fraction) == 3:  # 1.295 or 1,295: a thousand and more, or a decimal
            readings = [_digits(number), whole + "." + fraction]
        else:
            readings = [whole + "." + fraction]
    values = []
    for r in readings:
        value = float(r)
        values.append(int(value) if value.is_integer() else value)
    return values, currency


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit() or c in "+-")


_MONTHS = ("January February March April May June July August September October November December").split()


def date_readings(text: str) -> list[tuple[str, str]]:
    """The dates a date written another way stands for, as (YYYY-MM-DD, how it was read): one for
    13-02-2027 or 2027/02/01, two for 01-02-2027 (1 February or January 2), none for what is no date."""
    text = text.strip()
    if (iso := re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}.*", text)):
        return [(iso.group(1), "the date without the time")]
    parts = re.fullmatch(r"(\d{1,4})[-./ ](\d{1,2})[-./ ](\d{1,4})", text)
    if parts is None:
        return []
    a, b, c = parts.groups()
    candidates = []
    if len(a) == 4:
        candidates.append((int(a), int(b), int(c), ""))
    elif len(c) in (2, 4) and len(a) <= 2:
        year = int(c) if len(c) == 4 else 2000 + int(c)
        candidates.append((year, int(b), int(a), "day first"))
        candidates.append((year, int(a), int(b), "month first"))
    out: list[tuple[str, str]] = []
    for year, month, day, how in candidates:
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d.isoformat() not in (o[0] for o in out):
            out.append((d.isoformat(), f"{d.day} {_MONTHS[d.month - 1]} {d.year}" if how else how))
    return out


# --- national qualifications frameworks ----------------------------------------------


_AFTER_LEVEL = re.compile(r"^(?:\S+ )*?level ")


@dataclass(frozen=True)
class NqfLevelRow:
    level: str  # as the framework writes it
    eqf: int | None  # None: referenced to no EQF level (e.g. the NLQF entry level)


@dataclass(frozen=True)
class Framework:
    country: str
    name: str
    levels: dict[str, NqfLevelRow]  # by level in lower case
    source: str

    def example(self) -> str:
        """A level of the framework to show in a hint: the one at EQF 5 (where micro-credentials often are)."""
        rows = list(self.levels.values())
        return next((r.level for r in rows if r.eqf == 5), rows[0].level)

    def level(self, written: str) -> NqfLevelRow | None:
        """The row of a level as written: in any letter case, and after words that end in "level" as the QDR
        writes them ("Level 4+", "CFC Level 3"; elm_vocabulary.nqf_concept reads them the same way)."""
        key = " ".join(written.split()).casefold()
        return self.levels.get(key) or self.levels.get(_AFTER_LEVEL.sub("", key))


@cache
def nqf_frameworks() -> dict[str, Framework]:
    """The national qualifications frameworks of vocab/nqf.tsv, by country: their levels and EQF levels."""
    text = resources.files(__package__).joinpath("vocab", "nqf.tsv").read_text("utf-8")
    rows: dict[str, list[tuple[str, str, str, str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        country, name, level, eqf, source = line.split("\t")
        rows.setdefault(country, []).append((name, level, eqf, source))
    out = {}
    for country, found in rows.items():
        levels: dict[str, NqfLevelRow] = {}
        for _, level, eqf, _ in found:
            row = NqfLevelRow(level, None if eqf == "-" else int(eqf))
            if levels.setdefault(level.casefold(), row) != row:
                raise ValueError(f"nqf.tsv: {country} level {level} is referenced to two EQF levels")
        names = list(dict.fromkeys(name for name, *_ in found))
        sources = list(dict.fromkeys(source for *_, source in found))
        out[country] = Framework(country, " / ".join(names), levels, "; ".join(sources))
    return out


def nqf_level_suggestion(framework: Framework, written: str) -> str | None:
    """The level meant by a level written with words around it ("NLQF 6", "Niveau 4", "level 5")."""
    tail = re.fullmatch(r".*?(?<![0-9A-Za-z])([0-9]+\+?|entry(?:\s*level)?)(?![0-9A-Za-z+])\s*", written, re.I)
    token = tail.group(1) if tail else ""
    if token.casefold().startswith("entry"):
        token = "entry level"
    if token and (row := framework.level(token)):
        return row.level
    return None


# --- field names ------------------------------------------------------------------------
# Names providers write for a field that no spelling distance finds, by record and by the mapping
# they stand in ("" is the top of the file): the field meant (a path from that mapping) and how its
# value is written there, with VALUE for what was written and VALUES for it as a list.

_IDENTIFIER = "[{scheme: %s, value: VALUE}]"
FIELD_SYNONYMS: dict[str, dict[str, dict[str, tuple[str, str]]]] = {
    "credential": {
        "": {
            **{name: ("identifiers", _IDENTIFIER % scheme) for scheme, names in {
                "rio": ("rio", "rio_code", "rio_id"),
                "croho": ("croho", "croho_code", "isat", "isat_code"),
                "crebo": ("crebo", "crebo_code"),
                "rncp": ("rncp", "rncp_code"),
                "rs": ("rs_code",),
                "qdr": ("qdr", "qdr_id", "europass_id"),
                "provider": ("course_code", "code", "course_id", "course_number", "module_code", "programme_code",
                             "program_code", "id", "identifier_code"),
            }.items() for name in names},
            **dict.fromkeys(("isced", "isced_f", "isced_code", "isced_field", "field_of_education",
                             "field_of_study", "discipline", "subject", "study_field"), ("field", "VALUE")),
            **dict.fromkeys(("nace", "nace_section", "industry", "economic_sector"), ("sector", "VALUE")),
            **dict.fromkeys(("eqf", "eqf_level", "level_eqf"), ("level.eqf", "VALUE")),
            **dict.fromkeys(("nqf", "nqf_level", "nlqf", "nlqf_level", "dqr", "dqr_level", "nqr", "nqr_level"),
                            ("level.nqf", "{country: ..., level: VALUE}")),
            **dict.fromkeys(("qf_ehea", "cycle", "ehea_cycle"), ("level.qf_ehea", "VALUE")),
            **dict.fromkeys(("ects", "ects_credits", "credits", "credit_points", "study_load", "ec"),
                            ("workload.ects", "VALUE")),
            **dict.fromkeys(("hours", "study_hours", "workload_hours", "hours_of_study", "sbu"),
                            ("workload.hours", "VALUE")),
            **dict.fromkeys(("price", "fee", "fees", "tuition", "tuition_fee", "amount"), ("cost.amount", "VALUE")),
            "currency": ("cost.currency", "VALUE"),
            **dict.fromkeys(("language", "lang", "language_of_instruction", "instruction_language",
                             "teaching_language"), ("languages", "VALUES")),
            **dict.fromkeys(("country", "country_code"), ("countries", "VALUES")),
            **dict.fromkeys(("website", "link", "homepage", "webpage", "web_page", "course_url", "page",
                             "info_url", "more_info"), ("url", "VALUE")),
            **dict.fromkeys(("enrolment_url", "enrollment_url", "enrol_url", "enroll_url", "registration",
                             "apply_url", "application_url", "signup_url", "sign_up_url"), ("registration_url", "VALUE")),
            **dict.fromkeys(("name", "course_name", "course_title"), ("title", "VALUE")),
            **dict.fromkeys(("summary", "abstract", "about"), ("description", "VALUE")),
            **dict.fromkeys(("outcomes", "learning_objectives", "objectives", "learning_goals", "competences",
                             "competencies"), ("learning_outcomes", "VALUES")),
            **dict.fromkeys(("mode", "delivery", "delivery_mode", "modality", "format", "teaching_mode"),
                            ("participation", "VALUE")),
            **dict.fromkeys(("qa", "accreditation"), ("quality_assurance", "[{type: ...}]")),
            **dict.fromkeys(("requirements", "entry_requirements", "admission_requirements"),
                            ("prerequisites", "VALUE")),
            **dict.fromkeys(("start", "start_date", "starts", "dates", "start_dates_list"), ("start_dates", "VALUES")),
            **dict.fromkeys(("tags",), ("keywords", "VALUES")),
            **dict.fromkeys(("location", "city", "venue", "place"), ("locations", "[{city: VALUE, country: ...}]")),
            **dict.fromkeys(("exam", "examination", "assessment_type", "assessment_types"),
                            ("assessment.type", "VALUES")),
            **dict.fromkeys(("stackable",), ("stackability.mode", "stackable")),
            **dict.fromkeys(("weeks", "length"), ("duration", "{value: VALUE, unit: week}")),
        },
        "cost": dict.fromkeys(("price", "fee", "value", "sum", "total"), ("amount", "VALUE")),
        "workload": {**dict.fromkeys(("ects_credits", "credits", "credit_points", "ec"), ("ects", "VALUE")),
                     **dict.fromkeys(("study_hours", "hours_total", "total_hours", "sbu"), ("hours", "VALUE"))},
        "level": {**dict.fromkeys(("eqf_level", "level"), ("eqf", "VALUE")),
                  **dict.fromkeys(("nqf_level", "nlqf", "dqr", "nqr"), ("nqf", "{country: ..., level: VALUE}")),
                  **dict.fromkeys(("cycle", "ehea", "ehea_cycle"), ("qf_ehea", "VALUE"))},
        "level.nqf": {"framework": ("country", "VALUE")},
        "identifiers": {"code": ("value", "VALUE"), "id": ("value", "VALUE"), "register": ("scheme", "VALUE")},
        "assessment": {"types": ("type", "VALUES"), "method": ("type", "VALUES"), "methods": ("type", "VALUES")},
        "quality_assurance": {"link": ("url", "VALUE"), "website": ("url", "VALUE"), "agency": ("body", "VALUE")},
        "skills": {"name": ("label", "VALUE"), "esco": ("uri", "VALUE"), "esco_uri": ("uri", "VALUE")},
        "occupations": {"name": ("label", "VALUE"), "esco": ("uri", "VALUE"), "esco_uri": ("uri", "VALUE")},
        "awarding_bodies": {"website": ("url", "VALUE"), "link": ("url", "VALUE")},
    },
    "provider": {
        "": {
            **dict.fromkeys(("url", "homepage", "link", "web", "site", "web_site"), ("website", "VALUE")),
            **dict.fromkeys(("email", "e_mail", "mail", "contact", "contact_mail"), ("contact_email", "VALUE")),
            **dict.fromkeys(("owners", "github", "github_handles", "admins", "editors"), ("maintainers", "VALUES")),
            **dict.fromkeys(("acronym", "abbreviation"), ("short_name", "VALUE")),
            **dict.fromkeys(("organisation_type", "organization_type", "kind", "category"), ("type", "VALUE")),
            **dict.fromkeys(("title", "organisation", "organization"), ("name", "VALUE")),
            **dict.fromkeys(("countries", "country_code"), ("country", "VALUE")),
            **dict.fromkeys(("nuts", "nuts_code"), ("region", "VALUE")),
            **dict.fromkeys(("accreditation", "qa"), ("quality_assurance", "[{type: ...}]")),
        },
        "quality_assurance": {"link": ("url", "VALUE"), "website": ("url", "VALUE"), "agency": ("body", "VALUE")},
    },
}


def field_synonym(kind: str, parent: str, name: str) -> tuple[str, str] | None:
    """(the field meant, how its value is written) for a field name of FIELD_SYNONYMS."""
    key = "_".join(name.replace("-", " ").replace(".", " ").split()).lower()
    return FIELD_SYNONYMS.get(kind, {}).get(parent, {}).get(key)
