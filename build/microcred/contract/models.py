"""The record: what a provider file and a credential file may hold.

Field names follow the standard elements of Annex I of the EU Council
Recommendation on micro-credentials (16 June 2022). Every model forbids
unknown keys, so nothing a provider writes is silently dropped. Checks on
single values raise PydanticCustomError whose type is one of our problem
codes (problems.KINDS), so the validator can report them without guessing.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, ClassVar, Optional
from urllib.parse import urlsplit

from pydantic import (BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema,
                      model_validator)
from pydantic_core import PydanticCustomError

from . import vocabularies as vocab
from .ids import CREDENTIAL_ID

GITHUB_HANDLE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\Z")
ESCO_URI = {
    "skill": re.compile(r"http://data\.europa\.eu/esco/(?:skill|isced-f|knowledge)/[0-9a-f-]{2,64}\Z"),
    "occupation": re.compile(r"http://data\.europa\.eu/esco/(?:occupation|isco/C[0-9]{1,4})(?:/[0-9a-f-]{36})?\Z"),
}
NUTS = re.compile(r"[A-Z]{2}[A-Z0-9]{1,3}\Z")
EMAIL = re.compile(r"[^@\s<>\"'\x00-\x1f\x7f-\x9f]+@[^@\s<>\"'\x00-\x1f\x7f-\x9f]+\.[^@\s<>\"'\x00-\x1f\x7f-\x9f]+\Z")
MAX_TEXT = 20_000


def _kind_of(value: Any) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "text", list: "a list",
            dict: "a mapping", type(None): "an empty value"}.get(type(value), type(value).__name__)


def _need(value: Any, kind: type | tuple, expected: str):
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise PydanticCustomError("wrong-type", "expected {expected}, got {got}",
                                  {"expected": expected, "got": _kind_of(value)})
    if not isinstance(value, kind):
        raise PydanticCustomError("wrong-type", "expected {expected}, got {got}",
                                  {"expected": expected, "got": _kind_of(value)})


# Bidirectional overrides and isolates can make text read differently from what it says
# ("Trojan Source"); right-to-left scripts display correctly without them.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Control characters (C0 bar tab and line feed, DEL, C1) are invisible: terminals obey them,
# spreadsheets and pages drop them, so what a provider wrote would not be what people read.
# U+FFFE and U+FFFF are not characters at all (XML cannot carry them).
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB "
             "ESC FS GS RS US").split()


def _control_error(value: str, code: str, what: str = "text",
                   hint: str = "delete it; text may hold tabs and line breaks, but no other control characters"
                   ) -> PydanticCustomError | None:
    """The error for the first control character in value, if it holds one (tab and line feed are text).

    Callers ask only about text that is not isprintable(): one pass that clears the common case
    (it is also false for tabs, line feeds and some other characters, hence the search)."""
    found = CONTROLS.search(value)
    if found is None:
        return None
    char = ord(found.group())
    name = f" ({_C0_NAMES[char]})" if char < 32 else " (DEL)" if char == 127 else " (a noncharacter)" \
        if char > 0xffff - 2 else ""
    return PydanticCustomError(code, "{what} contains the invisible control character U+{code}{name} at character {index}",
                               {"what": what, "code": f"{char:04X}", "name": name, "index": found.start() + 1,
                                "hint": hint})


# The value checks below run for every value of every file (about 150 per credential), so
# they take the common case first: `value.__class__ is str` before the full _need(),
# `isspace()` instead of `strip()` (same whitespace, no copy of the text), no regex
# search over ASCII text, which cannot hold a bidirectional control.

def _check_plain_text(value: Any) -> str:
    if value.__class__ is not str:
        if value.__class__ in (int, float):
            raise PydanticCustomError("wrong-type", "expected text, got a number",
                                      {"hint": f'write it in quotes: "{value}"', "suggestion": str(value)})
        _need(value, str, "text")
    if not value or value.isspace():  # the same test as `not value.strip()`
        raise PydanticCustomError("invalid-text", "text must not be empty")
    if not value.isprintable() and (control := _control_error(value, "invalid-text")):
        raise control
    if not value.isascii() and (bidi := BIDI_CONTROLS.search(value)):
        raise PydanticCustomError(
            "invalid-text", "text contains the invisible bidirectional control character U+{code} at character {index}",
            {"code": f"{ord(bidi.group()):04X}", "index": bidi.start() + 1,
             "hint": "delete it; right-to-left text displays correctly without it"})
    if len(value) > MAX_TEXT:
        raise PydanticCustomError("out-of-range", "text is {n} characters long; at most {max} are allowed",
                                  {"n": len(value), "max": MAX_TEXT})
    return value


def _check_text(value: Any) -> str | dict[str, str]:
    if value.__class__ is str:
        return _check_plain_text(value)
    if isinstance(value, dict):
        if not value:
            raise PydanticCustomError("invalid-text", "translations must name at least one language")
        for tag, text in value.items():
            if not vocab.language_ok(tag):
                near = vocab.language_from_name(tag) if isinstance(tag, str) else None
                raise PydanticCustomError(
                    "unknown-language", "'{tag}' is not a known BCP 47 language tag for a translation",
                    {"tag": tag, "hint": f"did you mean '{near}'?" if near else "write e.g. en, de, fr, pt-BR"})
            _check_plain_text(text)
        return dict(value)
    if isinstance(value, str):
        return _check_plain_text(value)
    raise PydanticCustomError(
        "wrong-type", "expected text, or a mapping of language tags to text, got {got}", {"got": _kind_of(value)})


PlainText = Annotated[str, PlainValidator(_check_plain_text),
                      WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_TEXT})]

Text = Annotated[
    str | dict[str, str],
    PlainValidator(_check_text),
    WithJsonSchema({
        "anyOf": [
            {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
            {"type": "object", "minProperties": 1,
             "description": "Translations keyed by BCP 47 language tag",
             "additionalProperties": {"type": "string", "minLength": 1, "maxLength": MAX_TEXT},
             "propertyNames": {"pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"}},
        ],
        "description": "Text in the entry's first language, or translations keyed by BCP 47 tag",
    }),
]


def vocabulary(values: dict[str, str], what: str, code: str = "invalid-value"):
    """A text field that takes one value of a controlled list, with a suggestion when it is near one."""

    expected = f"one of: {', '.join(values)}" if len(values) < 20 else f"a {what}"

    def check(value: Any) -> str:
        if value.__class__ is str and value in values:
            return value
        _need(value, str, expected)
        if value in values:  # a str subclass
            return value
        near = vocab.suggest(value, values)
        listing = f"; allowed: {', '.join(values)}" if len(values) <= 12 else ""
        raise PydanticCustomError(code, "'{value}' is not a known {what}{listing}",
                                  {"value": value, "what": what, "listing": listing,
                                   "hint": f"did you mean '{near}'?" if near else "", "suggestion": near})

    schema = {"type": "string", "enum": list(values), "description": what}
    if len(values) <= 30:
        schema["oneOf"] = [{"const": k, "title": v} for k, v in values.items()]
        del schema["enum"]
    return Annotated[str, PlainValidator(check), WithJsonSchema(schema)]


def _lazy_vocabulary(get_values, what: str, code: str, example: str, json_schema: dict, by_name=None):
    """A code of a long list (countries, currencies, ISCED-F, NACE); by_name: the codes a name stands for
    ("Netherlands" -> ["NL"]), asked only when the value is not a code."""
    expected = f"a {what} in quotes, e.g. \"{example}\""

    def check(value: Any) -> str:
        values = get_values()
        if value.__class__ is str and value in values:
            return value
        _need(value, str, expected)
        if value in values:  # a str subclass
            return value
        named = [c for c in by_name(value) if c in values][:2] if by_name else []
        spelled = vocab.suggest(value, values, cutoff=0.8) if not value.isdigit() else None  # '0699' is not '099'
        near = spelled or (named[0] if named else None)
        if named and len(named) > 1:
            hint = "did you mean " + " or ".join(f"'{c}' ({values[c]})" for c in named) + "?"
        elif near:  # a code found by its name says the name it has in the list, if that is another
            label = f" ({values[near]})" if near in named and values[near].lower() != value.lower() else ""
            hint = f"did you mean '{near}'{label}?"
        else:
            hint = f"e.g. {example}"
        if not near and get_values is vocab.isced_fields:
            hint = vocab.isced_hint(value) or hint
        if near and near.isdigit():  # a code with a leading zero is text only in quotes
            hint += f' write it in quotes: "{near}"'
        raise PydanticCustomError(code, "'{value}' is not a known {what}",
                                  {"value": value, "what": what, "hint": hint, "suggestion": near})

    return Annotated[str, PlainValidator(check), WithJsonSchema(json_schema)]


def _one(lookup):
    return lambda value: [code] if (code := lookup(value)) else []


Country = _lazy_vocabulary(vocab.countries, "ISO 3166-1 alpha-2 country code", "unknown-country", "DE",
                           {"type": "string", "pattern": "^[A-Z]{2}$",
                            "description": "ISO 3166-1 alpha-2 country code"}, _one(vocab.country_from_name))
Currency = _lazy_vocabulary(vocab.currencies, "ISO 4217 currency code", "unknown-currency", "EUR",
                            {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 currency code"},
                            _one(lambda v: vocab.CURRENCY_SIGNS.get(v.strip().lower())))
IscedField = _lazy_vocabulary(vocab.isced_fields, "ISCED-F 2013 field code", "unknown-isced-field", "0714",
                              {"type": "string", "pattern": "^[0-9]{2,4}$",
                               "description": "ISCED-F 2013 field of education and training (2, 3 or 4 digits)"},
                              vocab.isced_from_label)
NaceSection = _lazy_vocabulary(vocab.nace_sections, "NACE Rev. 2 section", "unknown-sector", "C",
                               {"type": "string", "pattern": "^[A-U]$",
                                "description": "NACE Rev. 2 section letter"}, vocab.nace_from_label)


def _check_language(value: Any) -> str:
    if value.__class__ is not str:
        _need(value, str, "a BCP 47 language tag such as en or pt-BR")
    if vocab.language_ok(value):
        return value
    near = vocab.language_from_name(value)
    raise PydanticCustomError("unknown-language", "'{value}' is not a known BCP 47 language tag",
                              {"value": value, "hint": f"did you mean '{near}'?" if near else "write e.g. en, de, fr, pt-BR",
                               "suggestion": near})


Language = Annotated[str, PlainValidator(_check_language),
                     WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$",
                                     "description": "BCP 47 language tag"})]


_SPACE = re.compile(r"\s")  # the characters str.isspace() accepts


def _check_url(value: Any) -> str:
    if value.__class__ is not str:
        _need(value, str, "a URL starting with https://")
    if not value.isprintable() and (control := _control_error(
            value, "invalid-url", "the address", "delete it; an address holds no control characters")):
        raise control
    parts = urlsplit(value) if not _SPACE.search(value) else None
    if not parts or parts.scheme not in ("http", "https") or not parts.hostname or len(value) > 2000:
        scheme = f"'{parts.scheme}:' links are not allowed; " if parts and parts.scheme not in ("", "http", "https") else ""
        raise PydanticCustomError("invalid-url", "{scheme}'{value}' is not an absolute http(s) URL",
                                  {"value": value[:200], "scheme": scheme, "hint": "write the full address, e.g. https://example.org/course"})
    return value


Url = Annotated[str, PlainValidator(_check_url),
                WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://", "maxLength": 2000})]


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _check_date(value: Any) -> date:
    if value.__class__ is not str:
        if isinstance(value, date):
            return value
        _need(value, str, "a date written YYYY-MM-DD")
    try:
        if not _DATE.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        readings = vocab.date_readings(value)
        if len(readings) == 1:
            iso, how = readings[0]
            hint = f"write {iso}" + (f" ({how})" if how else "")
        elif readings:
            hint = "write " + " or ".join(f"{iso} ({how})" for iso, how in readings) + ", whichever is meant"
        else:
            hint = "e.g. 2026-09-01"
        raise PydanticCustomError("invalid-date", "'{value}' is not a date written YYYY-MM-DD",
                                  {"value": value, "hint": hint,
                                   "suggestion": readings[0][0] if len(readings) == 1 else None}) from None


IsoDate = Annotated[date, PlainValidator(_check_date),
                    WithJsonSchema({"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"})]


def _pattern(regex: re.Pattern, code: str, what: str, example: str, schema_pattern: str):
    def check(value: Any) -> str:
        if value.__class__ is not str:
            _need(value, str, what)
        if regex.match(value):
            return value
        raise PydanticCustomError(code, "'{value}' is not {what}",
                                  {"value": value[:200], "what": what, "hint": f"e.g. {example}"})

    return Annotated[str, PlainValidator(check),
                     WithJsonSchema({"type": "string", "pattern": schema_pattern, "description": what})]


CredentialRef = _pattern(CREDENTIAL_ID, "invalid-value", "a credential id <provider-id>/<slug>",
                         "acme-academy/intro-to-plc", r"^[a-z0-9]+(-[a-z0-9]+)*/[a-z0-9]+(-[a-z0-9]+)*$")
GithubHandle = _pattern(GITHUB_HANDLE, "invalid-github-handle", "a GitHub user name", "jane-doe",
                        r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
SkillUri = _pattern(ESCO_URI["skill"], "invalid-esco-uri", "an ESCO skill URI",
                    "http://data.europa.eu/esco/skill/<uuid>", r"^http://data\.europa\.eu/esco/")
OccupationUri = _pattern(ESCO_URI["occupation"], "invalid-esco-uri", "an ESCO occupation URI",
                         "http://data.europa.eu/esco/occupation/<uuid>", r"^http://data\.europa\.eu/esco/")
NutsCode = _pattern(NUTS, "invalid-value", "a NUTS region code", "DE21", r"^[A-Z]{2}[A-Z0-9]{1,3}$")
Email = _pattern(EMAIL, "invalid-value", "an e-mail address", "courses@example.org", r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def number(low: float, high: float, what: str, integer: bool = False, low_inclusive: bool = False,
           currency_field: str = ""):
    """A number field; currency_field: the field beside it that takes the currency (for an amount written "€895")."""
    kind, expected = (int, "a whole number") if integer else ((int, float), "a number")
    exact = (int,) if integer else (int, float)

    def check(value: Any):
        if value.__class__ not in exact:
            if isinstance(value, str) and not isinstance(value, bool):
                _number_in_text(value, expected, currency_field)
            _need(value, kind, expected)
        if not (low <= value if low_inclusive else low < value) or value > high:
            bound = f"from {low:g} to {high:g}" if low_inclusive else f"more than {low:g} and at most {high:g}"
            raise PydanticCustomError("out-of-range", "{value} is out of range: {what} must be {bound}",
                                      {"value": value, "what": what, "bound": bound})
        return value

    schema: dict = {"type": "integer" if integer else "number", "maximum": high, "description": what}
    schema["minimum" if low_inclusive else "exclusiveMinimum"] = low
    return Annotated[int if integer else float, PlainValidator(check), WithJsonSchema(schema)]


def _number_in_text(value: str, expected: str, currency_field: str) -> None:
    """The wrong-type error for a number written as text ("2,5", "895,00", "€895"), with the number to write."""
    found = vocab.amount_from_text(value)
    if found is None:
        return
    readings, currency = found
    if currency and not currency_field:
        return  # a currency where no amount belongs: not a number at all
    numbers = [str(n) for n in readings]
    if currency_field:
        numbers = [f"amount: {n}" for n in numbers]
    hint = "write " + " or ".join(numbers) + (", whichever is meant" if len(numbers) > 1 else "")
    if currency:
        hint += f" and, in a field of its own, {currency_field}: {currency}"
    elif not currency_field:
        hint += ", a number without quotes"
    raise PydanticCustomError("wrong-type", "expected {expected}, got text",
                              {"expected": expected, "hint": hint,
                               "suggestion": readings[0] if len(readings) == 1 else None})


def _inconsistent(field: str, message: str, **ctx) -> PydanticCustomError:
    # "at" tells the validator which field to point at; a model validator has no location of its own
    return PydanticCustomError("inconsistent-record", message, {"at": field, **ctx})


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    # The field(s) a lone value belongs to when one is written where this mapping belongs
    # (`cost: 450` for cost: {amount: 450}); the validator's hint shows the mapping. Several: either.
    lone_value: ClassVar[tuple[str, ...]] = ()
    # Fields shown besides the required ones in the example of a missing field's hint.
    hint_fields: ClassVar[tuple[str, ...]] = ()


class Workload(Record):
    """Notional workload needed to achieve the learning outcomes (Annex I)."""

    lone_value = ("ects", "hours")
    hint_fields = ("ects",)

    ects: Optional[number(0, 60, "ECTS credits")] = Field(None, description="ECTS credits (preferred); 1 ECTS = 25–30 hours")
    hours: Optional[number(0, 1800, "hours of notional workload")] = Field(None, description="Hours of notional learning (teaching, self-study, assessment)")
    note: Optional[Text] = Field(None, description="How the workload is made up")

    @model_validator(mode="after")
    def _one_of(self):
        if self.ects is None and self.hours is None:
            raise PydanticCustomError("missing-field", "give the workload as ects, hours or both",
                                      {"at": "ects"})
        return self


class NqfLevel(Record):
    lone_value = ("level",)

    country: Country = Field(description="Country whose national qualifications framework is meant")
    # Checked against the table of NQF levels (vocab/nqf.tsv) for the countries it has; free text for the
    # others. The field reference says so in its section on national qualifications frameworks.
    level: PlainText = Field(description="Level in that framework, as it is written there (e.g. 5, 6B)")

    @model_validator(mode="after")
    def _known_level(self):
        framework = vocab.nqf_frameworks().get(self.country)
        if framework is None or framework.level(self.level) is not None:
            return self
        near = vocab.nqf_level_suggestion(framework, self.level)
        raise PydanticCustomError(
            "unknown-nqf-level", "'{level}' is not a level of {country}'s {framework}; its levels are {levels}",
            {"at": "level", "on": "value", "level": self.level, "country": self.country, "framework": framework.name,
             "levels": ", ".join(row.level for row in framework.levels.values()),
             "hint": f"did you mean '{near}'?" if near else
             f'write one of them, in quotes: level: "{framework.example()}"'})


class Level(Record):
    """Level of the learning experience (Annex I): EQF, and where applicable NQF and QF-EHEA cycle."""

    lone_value = ("eqf",)

    eqf: number(1, 8, "EQF level", integer=True, low_inclusive=True) = Field(description="European Qualifications Framework level, 1 to 8")
    nqf: Optional[NqfLevel] = Field(None, description="Level in a national qualifications framework")
    qf_ehea: Optional[vocabulary(vocab.QF_EHEA_CYCLES, "QF-EHEA cycle")] = Field(None, description="Cycle of the Framework of Qualifications of the European Higher Education Area")


class Assessment(Record):
    """Type of assessment (Annex I), and supervision and identity verification (optional element)."""

    lone_value = ("type",)

    type: list[vocabulary(vocab.ASSESSMENT_TYPES, "assessment type")] = Field(min_length=1, description="How learners are assessed")
    description: Optional[Text] = Field(None, description="What the assessment involves")
    supervision: Optional[vocabulary(vocab.SUPERVISION, "supervision and identity verification value")] = Field(None, description="Supervision and identity verification during assessment (Annex I)")


class QualityAssurance(Record):
    lone_value = ("type",)

    type: vocabulary(vocab.QUALITY_ASSURANCE_TYPES, "quality assurance type") = Field(description="Type of quality assurance underpinning the credential (Annex I)")
    body: Optional[Text] = Field(None, description="Body that carries out or grants it")
    description: Optional[Text] = None
    url: Optional[Url] = Field(None, description="Public evidence, e.g. an accreditation decision or register entry")


class Stackability(Record):
    """Integration and stackability options (Annex I, optional element)."""

    lone_value = ("mode",)

    mode: vocabulary(vocab.STACKABILITY, "stackability option") = Field(description="stand-alone or stackable")
    stacks_into: list[CredentialRef] = Field(default_factory=list, description="Ids of credentials in this register that this one counts towards")
    towards: Optional[Text] = Field(None, description="Qualifications outside the register this counts towards, and how")

    @model_validator(mode="after")
    def _consistent(self):
        if self.mode == "stand-alone" and self.stacks_into:
            raise _inconsistent("mode", "mode is stand-alone but stacks_into lists credentials; use mode: stackable")
        return self


class Cost(Record):
    lone_value = ("amount",)
    hint_fields = ("currency",)

    amount: number(0, 1_000_000, "cost", low_inclusive=True, currency_field="currency") = Field(description="Fee for the learner; 0 for free")
    currency: Optional[Currency] = Field(None, description="ISO 4217 code; required unless the amount is 0")
    note: Optional[Text] = Field(None, description="What the fee covers, grants or reductions")

    @model_validator(mode="after")
    def _currency(self):
        if self.amount > 0 and self.currency is None:
            raise PydanticCustomError("missing-field", "a cost above 0 needs its currency (ISO 4217, e.g. EUR)",
                                      {"at": "currency"})
        return self


class Duration(Record):
    value: number(0, 1000, "duration") = Field(description="How long the learning activity runs")
    unit: vocabulary(vocab.DURATION_UNITS, "duration unit")
    note: Optional[Text] = None


class Location(Record):
    lone_value = ("city",)

    city: Optional[PlainText] = None
    country: Country
    region: Optional[NutsCode] = Field(None, description="NUTS code of the region")


class AwardingBody(Record):
    lone_value = ("name",)

    name: Text
    country: Country
    url: Optional[Url] = None


class EscoSkill(Record):
    lone_value = ("label",)

    label: Text = Field(description="The skill's name as learners should read it")
    uri: Optional[SkillUri] = Field(None, description="ESCO skill URI")


class EscoOccupation(Record):
    lone_value = ("label",)

    label: Text
    uri: Optional[OccupationUri] = Field(None, description="ESCO occupation URI")


class RecognisingBody(Record):
    lone_value = ("name",)

    name: Text
    url: Optional[Url] = None
    description: Optional[Text] = None


class Recognition(Record):
    nqf_included: Optional[bool] = Field(None, description="Whether the credential is included in a national qualifications framework")
    recognised_by: list[RecognisingBody] = Field(default_factory=list, description="Bodies that recognise the credential (for admission, credit, licensing)")
    note: Optional[Text] = None


class Identifier(Record):
    """A code the credential has in a register, or the provider's own course code."""

    lone_value = ("value",)

    scheme: vocabulary(vocab.IDENTIFIER_SCHEMES, "identifier scheme") = Field(description="The register the code belongs to")
    value: PlainText = Field(description="The code, as that register writes it")
    note: Optional[PlainText] = Field(None, description="Which register, for scheme: other")

    @model_validator(mode="after")
    def _named(self):
        if self.scheme == "other" and self.note is None:
            raise PydanticCustomError("missing-field", "scheme is other, so note must name the register",
                                      {"at": "scheme", "hint": "e.g. note: Austrian NQR register"})
        return self


class Credential(Record):
    """One micro-credential, described by the standard elements of Annex I."""

    title: Text = Field(description="Title of the micro-credential (Annex I)")
    description: Optional[Text] = Field(None, description="Further information: what the course is about (Markdown subset)")
    url: Optional[Url] = Field(None, description="Further information: the provider's page for the course")
    registration_url: Optional[Url] = Field(None, description="Where learners enrol, if not on the course page")
    identifiers: list[Identifier] = Field(default_factory=list, description="Codes of the credential in registers (such as CROHO, RIO or RNCP), or the provider's own course code")
    awarding_bodies: list[AwardingBody] = Field(default_factory=list, description="Awarding bodies besides the provider, for joint awards (Annex I)")
    learning_outcomes: list[Text] = Field(min_length=1, description="What a learner knows and can do afterwards (Annex I)")
    workload: Workload = Field(description="Notional workload (Annex I)")
    level: Level = Field(description="Level of the learning experience (Annex I)")
    assessment: Assessment = Field(description="Type of assessment (Annex I)")
    participation: vocabulary(vocab.PARTICIPATION, "form of participation") = Field(description="Form of participation in the learning activity (Annex I)")
    learning_setting: Optional[vocabulary(vocab.LEARNING_SETTINGS, "learning setting")] = Field(None, description="Formal or non-formal learning (ELM learning setting)")
    quality_assurance: list[QualityAssurance] = Field(min_length=1, description="Type of quality assurance (Annex I)")
    prerequisites: Optional[Text] = Field(None, description="Prerequisites needed to enrol (Annex I, optional)")
    stackability: Optional[Stackability] = Field(None, description="Integration and stackability options (Annex I, optional)")
    field: IscedField = Field(description="ISCED-F 2013 field of education and training")
    sector: Optional[NaceSection] = Field(None, description="Economic sector (NACE Rev. 2 section)")
    languages: list[Language] = Field(min_length=1, description="Languages of instruction and assessment (BCP 47); the first is the language of untranslated text")
    countries: list[Country] = Field(default_factory=list, description="Countries where it is offered; default: the provider's country")
    locations: list[Location] = Field(default_factory=list, description="Places where on-site parts happen")
    cost: Cost = Field(description="Cost for the learner")
    duration: Optional[Duration] = Field(None, description="Calendar duration")
    start_dates: list[IsoDate] = Field(default_factory=list, description="Next start dates")
    self_paced: bool = Field(False, description="Learners may start at any time and go at their own pace")
    skills: list[EscoSkill] = Field(default_factory=list, description="Skills, linked to ESCO where possible")
    occupations: list[EscoOccupation] = Field(default_factory=list, description="Occupations it prepares for, linked to ESCO")
    recognition: Optional[Recognition] = Field(None, description="Recognition of the credential")
    status: vocabulary(vocab.STATUSES, "status") = Field("active", description="active, suspended or withdrawn")
    valid_from: Optional[IsoDate] = Field(None, description="First day the credential is offered")
    last_reviewed: Optional[IsoDate] = Field(None, description="When the provider last checked this entry")
    review_by: Optional[IsoDate] = Field(None, description="When the entry is next due for review")
    withdrawn_on: Optional[IsoDate] = Field(None, description="When it was withdrawn; required with status: withdrawn")
    status_note: Optional[Text] = Field(None, description="Why it is suspended or withdrawn, or what replaces it")
    previous_ids: list[CredentialRef] = Field(default_factory=list, description="Ids this credential had before a rename; they redirect here and are never reused")
    keywords: list[PlainText] = Field(default_factory=list, description="Extra search words")

    @model_validator(mode="after")
    def _consistent(self):
        if self.status == "withdrawn" and self.withdrawn_on is None:
            raise PydanticCustomError("missing-field", "status is withdrawn, so withdrawn_on (YYYY-MM-DD) is required",
                                      {"at": "status"})
        if self.withdrawn_on is not None and self.status != "withdrawn":
            raise _inconsistent("withdrawn_on", "withdrawn_on is given but status is {status}; set status: withdrawn",
                                status=self.status)
        if self.valid_from and self.review_by and self.review_by < self.valid_from:
            raise _inconsistent("review_by", "review_by ({review}) lies before valid_from ({valid})",
                                review=str(self.review_by), valid=str(self.valid_from))
        return self


class Provider(Record):
    """A provider: the organisation whose folder holds its credentials."""

    name: Text = Field(description="Name of the provider (the awarding body)")
    short_name: Optional[PlainText] = None
    country: Country = Field(description="Country of the provider (Annex I: country of the issuer)")
    region: Optional[NutsCode] = Field(None, description="NUTS code of the provider's region")
    type: vocabulary(vocab.PROVIDER_TYPES, "provider type")
    website: Url
    description: Optional[Text] = None
    quality_assurance: list[QualityAssurance] = Field(default_factory=list, description="Quality assurance and accreditation of the provider itself")
    contact_email: Optional[Email] = None
    maintainers: list[GithubHandle] = Field(min_length=1, description="GitHub handles of the people who may change this provider's folder")
    illustrative: bool = Field(False, description="True for example data that describes no real offer")


def text_values(text: Text | None) -> dict[str, str]:
    """Text as a mapping of language tag to text ('' for text in the entry's own language)."""
    if text is None:
        return {}
    return {"": text} if isinstance(text, str) else dict(text)


# The two kinds of catalogue file, by the names the CLI, the schemas and the docs use.
RECORDS: dict[str, type[Record]] = {"credential": Credential, "provider": Provider}
