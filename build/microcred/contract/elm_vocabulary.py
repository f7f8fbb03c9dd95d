"""The register's codes in ELM's vocabularies: the tables both ways between them.

The European Learning Model v3 (Europass) names Annex I's elements with
concepts of its controlled vocabularies (modes of learning, assessment types,
learning settings, EQF and NQF levels, ISCED-F fields, EU authority tables)
and, where it has no property of its own for an element, with notes on a
topic. The tables here say, once, which concept stands for which of the
register's codes and by which rule ("exact", or "nearest" where no concept is
the same, or none). They serve both directions:

- the export (`opendata/elm.py`, the JSON-LD; `opendata/loq.py`, the QDR's
  LOQ XML) writes each code as its concept;
- the import (`authoring/elm_import.py`, `microcred import elm`) reads each
  concept back: an exact concept gives its code back; a nearest one only where
  it is the nearest of exactly one code (else it is reported, not guessed).

Plain tables and small lookups only: no stage imports another through here.
"""

from __future__ import annotations

import re
from functools import cache

import pycountry

from . import vocabularies as vocab

SNB = "http://data.europa.eu/snb/"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
SCHEME = {  # concept schemes, as the -mdr shapes name them
    "eqf": SNB + "eqf/25831c2",
    "isced-f": SNB + "isced-f/25831c2",
    "nqf": SNB + "qdr/25831c2",
    "mode": SNB + "learning-assessment/25831c2",
    "learning-setting": SNB + "learning-setting/25831c2",
    "assessment": SNB + "assessment/25831c2",
    "learning-activity": SNB + "learning-activity/25831c2",
    "credit": SNB + "education-credit/25831c2",
    "language": AUTHORITY + "language",
    "country": AUTHORITY + "country",
    "currency": AUTHORITY + "currency",
    "nuts": "http://data.europa.eu/nuts",
}

UNDETERMINED_LANGUAGE = AUTHORITY + "language/UND"  # stated default: no language of the entry is in the EU table
NO_CURRENCY = AUTHORITY + "currency/XXX"  # stated default: "No currency", for a free offer that names none
ECTS = (SNB + "education-credit/6fcec5c5af", "European Credit Transfer System")
PROVIDER_TEXT = "und"  # the language tag of a provider file's plain strings (BCP 47: undetermined)
GENERATED = "en"  # the language of the words the export adds (labels of the register's codes, headings)

# Form of participation (Annex I) -> ELM mode of learning and assessment (cv/europass-modes.xsd), and,
# where ELM's learning-activity types name the form exactly, a LearningActivitySpecification of that type.
MODE = SNB + "learning-assessment/"
ACTIVITY = SNB + "learning-activity/"
PARTICIPATION = {
    # value: (mode, its label, activity type or None, rule)
    "online": (MODE + "920fbb3cbe", "Online", None, "exact"),
    "onsite": (MODE + "9191af2ed9", "Presential", None, "exact"),
    "blended": (MODE + "e92d221e4d", "Blended", None, "exact"),
    "work-experience": (MODE + "729f3bed4b", "Workbased", (ACTIVITY + "4357e0e681", "job experience"),
                        "exact mode; the activity type job experience beside it"),
    "volunteering": (MODE + "729f3bed4b", "Workbased", (ACTIVITY + "59eaf34fab", "volunteering"),
                     "no mode volunteering: the nearest, work-based; the activity type volunteering "
                     "(exact) and the register's label in its title beside it"),
}

LEARNING_SETTING = {  # cv/europass-learning-setting-types.xsd; exact
    "formal": (SNB + "learning-setting/6fd4685715", "formal learning"),
    "non-formal": (SNB + "learning-setting/e207a81fc7", "non-formal learning"),
}

# Type of assessment -> ELM assessment type (cv/europass-learning-assessment-types.xsd). "nearest": the
# concept is close, not the same; "none": no concept is near. The register's name of a type that is not
# "exact" is always given in words too, as a category of the LearningAssessmentSpecification.
ASSESSMENT = SNB + "assessment/"
ASSESSMENT_TYPES = {
    # value: (concept or None, its label, rule)
    "written-exam": (ASSESSMENT + "6e6cb2cc78", "written examination", "exact"),
    "oral-exam": (ASSESSMENT + "d30284d7df", "oral examination", "exact"),
    "online-test": (ASSESSMENT + "b1b68f6735", "quiz", "nearest"),
    "practical-demonstration": (ASSESSMENT + "6a4db9f11d", "practical assessment", "exact"),
    "workplace-observation": (ASSESSMENT + "6a4db9f11d", "practical assessment", "nearest"),
    "project": (ASSESSMENT + "795dac4096", "project work", "exact"),
    "portfolio": (ASSESSMENT + "4f03b91c0e", "portfolio", "exact"),
    "presentation": (None, None, "none"),
    "essay": (ASSESSMENT + "2939dae15f", "marked assignment", "nearest"),
    "peer-assessment": (ASSESSMENT + "19a2e5e671", "peer assessment", "exact"),
    "continuous-assessment": (ASSESSMENT + "3484bd7e51", "continuous evaluation", "exact"),
}

# Topics of notes (cv/loq_individuals.xsd, SubjectTypeCodeEnumType): where ELM has no property of its own
# for an element, it goes into an additional note with the topic as its subject.
QUALIFICATION_TOPIC = "http://data.europa.eu/snb/qualification-topics#"
OPPORTUNITY_TOPIC = "http://data.europa.eu/snb/learningOpportunity-topics#"
TOPIC = {
    "quality-assurance": QUALIFICATION_TOPIC + "accreditation-and-quality-assurance",
    "assessment": QUALIFICATION_TOPIC + "assessment",
    "recognition": QUALIFICATION_TOPIC + "regulations-and-certificates",
    "entry-requirements": QUALIFICATION_TOPIC + "entry-requirements",
    "labour-market": QUALIFICATION_TOPIC + "labour-market-and-employment",
    "pathways": QUALIFICATION_TOPIC + "pathways",
    "lifecycle": QUALIFICATION_TOPIC + "history-and-lifecycle",
    "duration": OPPORTUNITY_TOPIC + "duration-information",
    "provider-type": OPPORTUNITY_TOPIC + "provider-type",
}

# Where the register's elements that have no ELM property of their own go, and what is left out.
RULES = {
    "participation": "PARTICIPATION above",
    "assessment.type": "ASSESSMENT_TYPES above",
    "assessment.supervision": "a note of the assessment: the register's label of the value (ELM's "
                              "supervision vocabulary belongs to an issued assessment, not to its specification)",
    "quality_assurance": "a note per entry: type label, body and description; the evidence URL a supplementary "
                         "document (ELM's Accreditation needs the accrediting body's country and location, "
                         "which the register does not hold)",
    "level.nqf": "a Qualification with the QDR's NQF concept: the level's own where exactly one of the country's "
                 "frameworks names it, else the country's single framework (nearest); the level as written in a "
                 "note beside it. No such concept (no framework, or several and none naming the level): a "
                 "LearningAchievementSpecification, with the level in the note",
    "level.qf_ehea": "a note with the register's label of the cycle",
    "sector": "a labour-market note: the NACE section and its label",
    "occupations": "a labour-market note each: the label, its subject the ESCO concept where given",
    "skills": "a LearningOutcome each: the label, related to its ESCO skill where given",
    "recognition": "notes (NQF inclusion, each recognising body, the note); the bodies' URLs supplementary "
                   "documents",
    "stackability": "isPartOf the credential it stacks into where the shapes allow the pair (a Qualification is "
                    "part of Qualifications only), else a supplementary document linking that credential's ELM "
                    "document; mode, ids and 'towards' in a pathways note",
    "self_paced": "a duration note (ELM's learning schedules are full or part time only)",
    "start_dates": "a LearningOpportunity each, with the date, part of the credential's own opportunity",
    "valid_from, withdrawn_on": "the period of the opportunity (temporal: startDate, endDate)",
    "duration": "xsd:duration (weeks as days); a fraction of a month has none: a duration note says it",
    "duration.note": "scheduleInformation",
    "description": "the opportunity's description (the specification says what is learnt: outcomes, level...)",
    "learning_setting": "the specification's learningSetting (the opportunity has none in the LOQ profile)",
    "registration_url": "a supplementary document of the opportunity, titled Registration",
    "workload.note": "a duration note of the specification",
    "status": "ELM status (text) of the opportunity and the specification; status_note a lifecycle note",
    "cost": "a PriceDetail with an Amount: the currency as written, else 'no currency' (XXX), and the amount "
            "(0 for free); the cost note its description",
    "identifiers": "identifiers of the specification: the code as notation, the register's name of the scheme "
                   "(and the note) as scheme name",
    "countries, locations": "locations of the opportunity: each place (country, city, NUTS region), then each "
                            "country where it is offered that no place is in",
    "awarding_bodies": "awarding bodies of the specification's awarding opportunity, after the provider",
    "provider": "the Organisation: name, short name, website, country and region, contact e-mail; what it "
                "says of itself (description, type, quality assurance) is in its LOQ XML only",
    "keywords, previous_ids, last_reviewed, review_by": "left out: ELM has no place for them",
}

# The QDR's national qualifications framework levels (cv/nqf.xsd, http://data.europa.eu/snb/qdr/c_<code>):
# country -> its frameworks as (level prefix in the vocabulary, framework concept, {level: concept}).
# A test checks every code and label against nqf.xsd.
QDR = SNB + "qdr/c_"

NQF_FRAMEWORKS: dict[str, tuple[tuple[str, str, dict[str, str]], ...]] = {
    "AL": (
        ("AQF", "d3b1f75e", {
            "1": "45ec22f4", "2": "83fe9d36", "3": "af16b647", "4": "24cdfa3f", "5": "cfe3e39b", "6": "31779637",
            "7": "56c0e2fd", "8": "d104d536",
        }),
    ),
    "AT": (
        ("AT: NQF", "4538e0af", {
            "1": "479252dc", "2": "c3234df7", "3": "1f1297d8", "4": "67af56a4", "5": "e8dd63b9", "6": "1dcef432",
            "7": "0e78414e", "8": "c94a713e",
        }),
    ),
    "BA": (
        ("BH NQF", "da3760bf", {
            "1": "4653268d", "2": "d80dc4a4", "3": "9dac5a30", "4": "f89fc721", "5": "96e5a5e7", "6": "1d0ca409",
            "7": "c042a969", "8": "36c9ff45",
        }),
    ),
    "BE": (
        ("CFC", "f3b785c7", {
            "1": "9c785d58", "2": "15435c11", "3": "19d85def", "4": "baa10a4e", "5": "cf6bd5a1", "6": "09d0ebb0",
            "7": "4e0e5f6b", "8": "165020a6",
        }),
        ("FQF", "ed96825f", {
            "1": "cf509e8a", "2": "7f5e85a7", "3": "650d7e95", "4": "615c4895", "5": "6fa57440", "6": "65235ec5",
            "7": "95fec238", "8": "13c65774",
        }),
        ("QDG", "0d55867f", {
            "1": "ab42f62f", "2": "4d0bef61", "3": "04d23b42", "4": "ffa6243f", "5": "f8aa9cdb", "6": "f626da7f",
            "7": "2af3aa2b", "8": "cbec72ba",
        }),
    ),
    "BG": (
        ("BQF", "c534839f", {
            "0": "50f03409", "1": "11fef73b", "2": "4854c1ef", "3": "d57056ce", "4": "40f3d416", "5": "0b0b744e",
            "6": "2b79a822", "7": "bb023568", "8": "311c2747",
        }),
    ),
    "CH": (
        ("NQF VPET", "fcd47fb1", {
            "1": "419407fa", "2": "9ccd261b", "3": "1d6c3de5", "4": "dae3c198", "5": "7038706c", "6": "b83c6524",
            "7": "468a5afc", "8": "ce40bd02",
        }),
    ),
    "CY": (
        ("CyQF", "afce1c3a", {
            "1": "02c7fedc", "2": "ffd9ca10", "3": "e44ef2dc", "4": "5cbacb43", "5a": "549bffac", "5b": "6cba2673",
            "5c": "16351043", "6": "8f872111", "7a": "f59c3ad4", "7b": "95481d1f", "7c": "a6c13e9f",
            "8": "99235760",
        }),
    ),
    "CZ": (
        ("NSK", "af98ac9a", {
            "1": "5dfdf326", "2": "6961eec3", "3": "993b0d50", "4": "fe9eb464", "5": "b80ee6b1", "6": "82e7da58",
            "7": "1df7b6c9", "8": "4276c6dc",
        }),
    ),
    "DE": (
        ("DQR", "ef113b94", {
            "1": "f77c7095", "2": "c71cce15", "3": "c37d888a", "4": "12a84182", "5": "bd9f8e42", "6": "6919ed25",
            "7": "184f7fed", "8": "341d539b",
        }),
    ),
    "DK": (
        ("DK NQF", "61ba90ec", {
            "1": "67053d58", "2": "f3d606a7", "3": "2ff9f722", "4": "e2461c86", "5": "e130f5d2", "6": "a19d301f",
            "7": "b08ee037", "8": "1aec7e1f",
        }),
    ),
    "EE": (
        ("EstQF", "e9fb041f", {
            "1": "ed568080", "2": "54b380be", "3": "3f16a034", "4": "7cb99427", "5": "11b06734", "6": "3dddfd70",
            "7": "9173237a", "8": "2616aeff",
        }),
    ),
    "ES": (
        ("MECU", "e8c5bfbe", {
            "1": "9f7b21f9", "2": "a358d163", "3": "d81640d2", "4": "9f9cd022", "5": "cdd36a4b", "6": "6422359b",
            "7": "37f3c037", "8": "62866e36",
        }),
    ),
    "FI": (
        ("FiNQF", "2d1fde14", {
            "1": "b9b2b42d", "2": "c660dbf8", "3": "63c1f703", "4": "cbf250da", "5": "fd8ce5f6", "6": "8a7da315",
            "7": "3b2bd7b5", "8": "7fa9dfe4",
        }),
    ),
    "FR": (
        ("NQF RNCP", "c8bc1cb9", {
            "I-Doctorat": "7ab73420", "I-Master": "828fbcc3", "II-Grade de Licence": "5ad5d222", "III": "243aefbe",
            "IV": "40020d69", "V": "d7cce980",
        }),
    ),
    "GB": (
        ("CQFW", "36ff4631", {
            "1": "c03aceeb", "2": "826abaf9", "3": "c7a9fba6", "4": "3a511ca6", "5": "3cae3a23", "6": "fa76c0fa",
            "7": "98740c52", "8": "471f5da1", "Entry 1-3": "de548626",
        }),
        ("RQF", "d0a601e6", {
            "1": "f015bac8", "2": "e83742bd", "3": "dddf1163", "4": "308a1766", "5": "dec9edae", "6": "c392e7a2",
            "7": "3a94d1b4", "8": "064b59e6", "Entry Level 3": "b3a26e65", "Entry Levels 1-2": "778f8030",
        }),
        ("SCQF", "027221dd", {
            "1": "505223a4", "2": "2ce57891", "3": "31146b2c", "4": "61aa9cbc", "5": "5e46ea39", "6": "c167deaa",
            "7": "326c93a5", "8": "d9cf9fd5", "9": "e2e0f7fc", "10": "021f233f", "11": "517309ca", "12": "c3f2cd03",
        }),
    ),
    "GR": (
        ("HQF", "0ea90db7", {
            "1": "ec84c700", "2": "6640cf62", "3": "48930d0b", "4": "f6c81729", "5": "7db10cb9", "6": "5e8da33b",
            "7": "60582329", "8": "c4deeb87",
        }),
    ),
    "HR": (
        ("CROQF", "59d0b819", {
            "1": "d34c0ab3", "2": "d5feaf10", "3": "3a9600c8", "4.1": "486071a1", "4.2": "49672c5a",
            "5": "dcc9aca1", "6": "cb53bf24", "7.1": "d6860258", "7.2": "6ab8a29d", "8.1": "a43afd6a",
            "8.2": "2203f32f",
        }),
    ),
    "HU": (
        ("HuQF", "009d9566", {
            "1": "01be7324", "2": "1b9935cd", "3": "b763e7c8", "4": "b9eadd5c", "5": "13865e16", "6": "9ec87162",
            "7": "c2f4856f", "8": "ea1b27b9",
        }),
    ),
    "IE": (
        ("IE NQF", "01169e3f", {
            "1": "53e465cb", "2": "060f2f91", "3": "4c88e501", "4": "57c9e957", "5": "4053e803", "6": "670e54c7",
            "7": "38f52397", "8": "218a7e54", "9": "c6ada0f4", "10": "ac9adabb",
        }),
    ),
    "IS": (
        ("ISQF", "2e41fe05", {
            "1": "9d649d1c", "2": "ca8fda2e", "3": "38336a53", "4": "905af3bc", "5.1": "f0e7a81b",
            "5.2": "f0be67ef", "6.1": "57c17789", "6.2": "c339fb29", "7": "f8979fd7",
        }),
    ),
    "IT": (
        ("IT NQF", "02d8bc18", {
            "1": "d7b593f0", "2": "5af633b3", "3": "2151e983", "4": "c160a2a0", "5": "334b891b", "6": "f875790f",
            "7": "1a6b4df9", "8": "34a78e36",
        }),
    ),
    "LI": (
        ("NQFL", "bc619568", {
            "1": "ae256098", "2": "ab81fe6f", "3": "73e5a71b", "4": "e7f9e314", "5": "9a2c4ae2", "6": "ad62b6d5",
            "7": "e6601cb4", "8": "e160a72d",
        }),
    ),
    "LT": (
        ("LTQF", "a6d433f4", {
            "1": "98b42a9f", "2": "8525e36a", "3": "9d34b310", "4": "d1e9f55d", "5": "b62fa7ef", "6": "caa3091a",
            "7": "dbbbe65b", "8": "6e015474",
        }),
    ),
    "LU": (
        ("CLQ", "20b3be22", {
            "1": "5eb9f21e", "2": "2bc813ff", "3": "317af58c", "4": "26211a04", "5": "b4cc88a4", "6": "dfb0cd4d",
            "7": "758b2f8a", "8": "287bdf18",
        }),
    ),
    "LV": (
        ("LQF", "ac40cadc", {
            "1": "41bf3e8a", "2": "f1f60c76", "3": "138c123b", "4": "14b672c3", "5": "7493dd0e", "6": "a828cd20",
            "7": "a61cdeca", "8": "a6744590",
        }),
    ),
    "ME": (
        ("ME NQF", "776b98db", {
            "1.1": "aa951342", "1.2": "c0ef8a4e", "2": "e5b56761", "3": "f08d5131", "4.1": "52353560",
            "4.2": "ccc01a11", "5": "b7b67d5e", "6": "5d6112c5", "7.1": "f38ebe74", "7.2": "193238e8",
            "8": "ced2a6c3",
        }),
    ),
    "MK": (
        ("NNMQF", "2b5d39b2", {
            "1": "4f0c10a1", "2": "9aeca2ba", "3": "c9af811f", "4": "81be283e", "5": "ea16bfd2", "5 A": "e0ba1a59",
            "5 B": "b8a101cb", "6": "c484f777", "6 A": "1a88119b", "6 B": "55a34aab", "7": "4508cafb",
            "7 A": "0f11cfc1", "7 B": "2fce21e0", "8": "556a291d",
        }),
    ),
    "MT": (
        ("MQF", "54f4d62a", {
            "1": "761cdbf1", "2": "42cf00ab", "3": "55c66aa8", "4": "c9f6d6e5", "5": "a3c7575d", "6": "333a51d9",
            "7": "eacc0583", "8": "782b35df", "A": "0ab74a56", "B": "a648b6db",
        }),
    ),
    "NL": (
        ("NLQF", "5c66dcbc", {
            "1": "3e11a3fd", "2": "c749fa23", "3": "f97cdbb5", "4": "ff656b33", "4+": "c2700f4e", "5": "18c9e9fe",
            "6": "1711a061", "7": "478359fc", "8": "2835a50f", "Entry Level": "b42dd23b",
        }),
    ),
    "NO": (
        ("NKR", "ae44d998", {
            "1": "2293fdad", "2": "0b8188d7", "3": "bbfedf33", "4": "81090d42", "5.1": "12ece3d4",
            "5.2": "92632be8", "6.1": "6b569351", "6.2": "52818ecd", "7": "fb307b49", "8": "95249ae7",
        }),
    ),
    "PL": (
        ("PQF", "97cf01c4", {
            "1": "fcf3bd8d", "2": "14db1595", "3": "e018d301", "4": "c145999e", "5": "045fd11d", "6": "cb086da3",
            "7": "e860b49b", "8": "ec518d13",
        }),
    ),
    "PT": (
        ("QNQ", "5a1e9f89", {
            "1": "1eeca5f9", "2": "fd9234c1", "3": "5c91e0ca", "4": "7d534b92", "5": "d2b47671", "6": "8cf0774e",
            "7": "0fe2b814", "8": "370653aa",
        }),
    ),
    "RO": (
        ("ROQF", "df7373da", {
            "1": "d8706544", "2": "6d9af464", "3": "513ed8e7", "4": "47645af5", "5": "5bca675f", "6": "8b75d6fc",
            "7": "152a2ae2", "8": "8f107ecd",
        }),
    ),
    "RS": (
        ("NQFS", "69e1fd15", {
            "1": "83bf6184", "2": "c072e4cc", "3": "8a1ce05d", "4": "71bf982b", "5": "dc2cd5c7", "6": "7e034a16",
            "6.1": "6bfeff7a", "6.2": "529912df", "7": "e4f11c13", "7.1": "cca41928", "7.2": "8cab3c22",
            "8": "e3116f9b",
        }),
    ),
    "SE": (
        ("SeQF", "d932c882", {
            "1": "20b8cbc9", "2": "e1f75f79", "3": "4ec9e6c0", "4": "6477e349", "5": "b44f7367", "6": "185bb246",
            "7": "1ab773a2", "8": "055b6cf8",
        }),
    ),
    "SI": (
        ("SQF", "0f8ae85c", {
            "1": "77411555", "2": "4b23518c", "3": "e7e8d397", "4": "66d10210", "5": "5a909eaa", "6": "4a3aea6f",
            "7": "3f2a609e", "8": "4e92151b", "9": "74d66d27", "10": "a9614000",
        }),
    ),
    "SK": (
        ("SKKR", "4e6a97ff", {
            "1": "1ea1c8f9", "2": "db0fa54f", "3": "fb6cbec3", "4": "cc1ea43c", "5": "98403355", "6": "8a024f65",
            "7": "defba593", "8": "fb12c713",
        }),
    ),
    "TR": (
        ("TQF", "1205be37", {
            "1": "be0b95b2", "2": "ee441642", "3": "a7579d00", "4": "a1595faf", "5": "ce5b0bd4", "6": "f4b6cea8",
            "7": "0966da79", "8": "17212c18",
        }),
    ),
    "XK": (
        ("KS NQF", "f4790dbf", {
            "1": "7203c28f", "2": "c8293950", "3": "ec2e2ebe", "4": "a31706ad", "5": "030f5138", "6": "ca282dd9",
            "7": "fa8f5b4b", "8": "4ba29707",
        }),
    ),
}

_NQF_INDEX = {country: tuple((fw, {k.casefold(): v for k, v in levels.items()}) for _prefix, fw, levels in frameworks)
              for country, frameworks in NQF_FRAMEWORKS.items()}
_LEVEL_WORD = re.compile(r"^level\s+", re.IGNORECASE)


@cache
def nqf_concept(country: str, level: str) -> tuple[str, bool] | None:
    """The QDR concept of a national level, and whether it is the level itself (else its framework)."""
    frameworks = _NQF_INDEX.get(country, ())
    key = " ".join(_LEVEL_WORD.sub("", level.strip()).split()).casefold()
    hits = [levels[key] for _fw, levels in frameworks if key in levels]
    if len(hits) == 1:
        return QDR + hits[0], True
    if len(frameworks) == 1:
        return QDR + frameworks[0][0], False
    return None


# --- the other way: ELM's concepts back to the register's codes (import) ---------------------------------

EQF = SNB + "eqf/"
ISCED_F = (SNB + "isced-f/", "http://data.europa.eu/esco/isced-f/")  # the QDR's and ESCO's copies of ISCED-F
NUTS_CODE = SCHEME["nuts"] + "/code/"
LANGUAGE = SCHEME["language"] + "/"
COUNTRY = SCHEME["country"] + "/"
CURRENCY = SCHEME["currency"] + "/"

# ELM's accreditation types (cv/europass-accreditation-types.xsd) -> the register's type of quality
# assurance. Import only: the export says quality assurance in notes (RULES). A licence to award is
# not quality assurance: no type.
ACCREDITATION = SNB + "accreditation/"
ACCREDITATION_TYPES = {
    # concept: (type or None, its label, rule)
    ACCREDITATION + "820101cba6": ("external-programme", "Program Quality Assurance", "exact"),
    ACCREDITATION + "bb4618238e": ("external-institutional", "Institutional Quality Assurance", "exact"),
    ACCREDITATION + "003293d2ce": (None, "Institutional License", "none"),
    ACCREDITATION + "e57dddfcf3": (None, "Program License", "none"),
}

# ELM's supervision and identity verification vocabulary belongs to an issued assessment (an issued
# credential's claim says how its learner was assessed). Import only; only the concept the Commission's
# sample micro-credential uses is listed: the package holds no copy of the whole vocabulary, and a
# concept it does not know is reported, not guessed.
SUPERVISION_VERIFICATION = {
    SNB + "supervision-verification/c598449d64": ("unsupervised-no-identity-verification",
                                                  "Unsupervised without ID Verification", "exact"),
}

# Where the import (microcred import elm) finds each field of the register, in ELM's terms (LOQ XML element
# names where they differ). Anything else the file says is reported with its place, never dropped unsaid.
IMPORT_RULES = {
    "title, description": "the opportunity's (else the specification's) language maps: one language, the first, "
                          "is a plain string; a differing specification title or description is reported",
    "url, registration_url": "the opportunity's homepage (the one titled Course page where there are several; the "
                             "register's own page is not imported), its supplementaryDocument titled Registration",
    "identifiers": "identifier: notation and schemeName, the scheme where the name is one of the register's "
                   "(label, label: note, or its short name such as RNCP), else other with the name as note",
    "awarding_bodies": "the awarding opportunity's awarding bodies other than the provider: legalName, the "
                       "country of its address, homepage (one without a country is reported)",
    "learning_outcomes, skills": "learningOutcome titles; relatedESCOSkill concepts with their prefLabel as skills "
                                 "(the register's exports: the outcomes #skill-N are the skills)",
    "workload": "creditPoint in ECTS (other credit systems reported), volumeOfLearning in hours (PT..H only)",
    "level": "eqfLevel or educationLevel (EQF URI); NQF: the register's note as written, else the QDR concept "
             "(a country of several frameworks: 'RQF Level 6'; a framework without a level is reported); "
             "QF-EHEA from the register's note",
    "assessment": "provenBy (an issued credential: the claim's assessment's specification): the register's "
                  "names in its title or categories, else ASSESSMENT_TYPES read back (a nearest concept of one "
                  "type with a warning), the description; supervision from the register's note or from "
                  "SUPERVISION_VERIFICATION",
    "participation": "mode, read back through PARTICIPATION with the learning activity's type",
    "learning_setting": "learningSetting, LEARNING_SETTING read back",
    "quality_assurance": "the register's notes ('Quality assurance: <type>', body, description; the evidence "
                         "document's URL), and accreditations whose type ACCREDITATION_TYPES names",
    "prerequisites": "entryRequirement (with the XML's translations in notes on the same topic)",
    "stackability": "the register's pathways note; isPartOf and links to other credentials of the register, as the "
                    "credentials imported with it or already in the catalogue (others reported)",
    "field": "thematicArea (ISCEDFCode): the first ISCED-F code; others reported",
    "sector, occupations, recognition, self_paced, status_note, workload.note": "the register's notes",
    "languages": "defaultLanguage, then the specification's and the assessment's languages (EU authority "
                 "URIs as BCP 47), with the texts' own tags where they say more (pt-BR)",
    "countries, locations": "the opportunity's locations: country, geographicName, NUTS spatialCode; countries "
                            "left out where they are just the provider's",
    "cost": "priceDetail: amount, currency (XXX: none), description",
    "duration": "duration (months, whole weeks, days, hours) or the register's note; scheduleInformation",
    "start_dates, valid_from, withdrawn_on": "the register's exports: parts with a start date, the period of the "
                                              "opportunity; others: the opportunity's start date (its end "
                                              "reported unless withdrawn)",
    "status": "status, where it is one of the register's",
    "keywords, previous_ids, last_reviewed, review_by": "not in ELM: left out",
    "the provider": "not imported: the provider's folder describes it (reported once)",
    "an issued credential's own data": "never imported: the learner, the award, the grade (reported by name only)",
}


def _reverse(table: dict, concept_of, rule_of) -> dict[str, tuple[str, str]]:
    """concept -> (code, "exact" | "nearest") where the concept gives exactly one code back: its exact
    code, else the one code it is the nearest of. A concept of several codes and no exact one is left
    out (reported by the import)."""
    codes: dict[str, list[tuple[str, str]]] = {}
    for code, entry in table.items():
        uri = concept_of(entry)
        if uri:
            codes.setdefault(uri, []).append((code, "exact" if rule_of(entry).startswith("exact") else "nearest"))
    out = {}
    for uri, found in codes.items():
        exact = [c for c, rule in found if rule == "exact"]
        if len(exact) == 1:
            out[uri] = (exact[0], "exact")
        elif not exact and len(found) == 1:
            out[uri] = (found[0][0], "nearest")
    return out


ASSESSMENT_TYPE_OF = _reverse(ASSESSMENT_TYPES, lambda e: e[0], lambda e: e[2])
MODE_OF = _reverse(PARTICIPATION, lambda e: e[0], lambda e: e[3])  # Workbased: work-experience (exact)
ACTIVITY_OF = {activity[0]: code for code, (_m, _l, activity, _r) in PARTICIPATION.items() if activity}
LEARNING_SETTING_OF = {uri: code for code, (uri, _label) in LEARNING_SETTING.items()}


def assessment_codes(concept: str) -> list[str]:
    """Every type of assessment the export writes as this concept (exact or nearest)."""
    return [code for code, (uri, _label, _rule) in ASSESSMENT_TYPES.items() if uri == concept]


def participation_of(mode: str | None, activity: str | None = None) -> tuple[str, str] | None:
    """(form of participation, rule) for a mode and, where given, the type of its learning activity:
    the activity's own form where its mode is that form's (volunteering: work-based, with the activity
    type volunteering), else the mode's."""
    code = ACTIVITY_OF.get(activity) if activity else None
    if code and PARTICIPATION[code][0] == mode:
        return code, "exact"
    return MODE_OF.get(mode) if mode else None


_NQF_CONCEPTS: dict[str, tuple[str, str, str | None]] = {}
for _country, _frameworks in NQF_FRAMEWORKS.items():
    for _prefix, _framework, _levels in _frameworks:
        _NQF_CONCEPTS[QDR + _framework] = (_country, _prefix, None)
        for _key, _code in _levels.items():
            _NQF_CONCEPTS[QDR + _code] = (_country, _prefix, _key)


def nqf_level_of(concept: str) -> tuple[str, str, str | None, bool] | None:
    """(country, framework's prefix, level or None for the framework itself, whether the country has
    several frameworks) of a QDR concept."""
    found = _NQF_CONCEPTS.get(concept)
    if found is None:
        return None
    country, prefix, level = found
    return country, prefix, level, len(NQF_FRAMEWORKS[country]) > 1


def _code_after(uri: str, prefixes) -> str | None:
    for prefix in (prefixes,) if isinstance(prefixes, str) else prefixes:
        if uri.startswith(prefix) and len(uri) > len(prefix):
            return uri[len(prefix):]
    return None


def eqf_level_of(uri: str) -> int | None:
    code = _code_after(uri, EQF)
    return int(code) if code and code.isdigit() and 1 <= int(code) <= 8 else None


def isced_field_of(uri: str) -> str | None:
    code = _code_after(uri, ISCED_F)
    return code if code in vocab.isced_fields() else None


@cache
def language_tag_of(uri: str) -> str | None:
    """The BCP 47 tag of an EU authority language (its ISO 639 code: two letters where there are two)."""
    code = _code_after(uri, LANGUAGE)
    if not code or not code.isalpha() or len(code) != 3:
        return None
    lang = pycountry.languages.get(alpha_3=code.lower())
    if lang is None:
        return None
    tag = getattr(lang, "alpha_2", None) or lang.alpha_3
    return tag if vocab.language_ok(tag) else None


@cache
def country_of(uri: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of an EU authority country (alpha-3; the export's own fallback
    writes a code pycountry does not know as it is)."""
    code = _code_after(uri, COUNTRY)
    if not code:
        return None
    country = pycountry.countries.get(alpha_3=code) if len(code) == 3 else None
    alpha_2 = country.alpha_2 if country else code
    return alpha_2 if alpha_2 in vocab.countries() else None


def currency_of(uri: str) -> str | None:
    code = _code_after(uri, CURRENCY)
    return code if code in vocab.currencies() else None


def nuts_region_of(uri: str) -> str | None:
    code = _code_after(uri, NUTS_CODE)
    return code if code and re.fullmatch(r"[A-Z]{2}[A-Z0-9]{1,3}", code) else None
