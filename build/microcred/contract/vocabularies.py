"""Controlled vocabularies: the lists a record's values are checked against.

ISCED-F 2013 and NACE come with the package as data files; countries,
currencies and languages come from pycountry and langcodes.
"""

from __future__ import annotations

import difflib
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
def language_name(tag: str) -> str:
    try:
        return langcodes.Language.get(tag).display_name("en")
    except Exception:
        return tag


def suggest(value: object, allowed, cutoff: float = 0.6) -> str | None:
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
