"""European Learning Model v3 (Europass): a credential as a learning opportunity, in JSON-LD.

`elm_document` turns one API credential record into the document published at
`/api/v1/elm/credentials/<provider-id>/<slug>.jsonld`: a LearningOpportunity
(the offer) with its LearningAchievementSpecification, or its Qualification
where the entry gives a level in a national qualifications framework that the
QDR's NQF vocabulary knows. The document conforms to the Commission's SHACL
shapes of the LOQ application profile (LOQ-constraints.ttl and its -mdr
vocabulary constraints), which the tests check with pyshacl.

The tables below are the mapping from the register's values to ELM's
vocabularies, stated once: loq.py (the QDR's XML upload format) uses the same
tables and the same helpers. A value with no exact counterpart in an ELM
vocabulary is mapped to the nearest concept where one is near enough, and its
own name is always carried in words beside it (rules in the tables); nothing
is dropped, and nothing the entry does not say is made up: where the format
needs a value the entry lacks, a stated default stands in (e.g. the currency
"no currency" for a free offer without one) or the optional property is left out.

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
from .records import Urls, country_uri, language_uri

CONTEXT = ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"]

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
GENERATED = "en"  # the language of the words this module adds

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
