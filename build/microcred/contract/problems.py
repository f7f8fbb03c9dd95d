"""Every kind of problem the register can report, and how a problem is printed.

Each kind has one stable kebab-case code. The docs page of problem codes is
generated from KINDS, so a code cannot exist without its explanation.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Kind:
    code: str
    severity: Severity
    title: str
    explanation: str
    fix: str


KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        # --- reading the file -------------------------------------------------
        Kind("file-too-large", "error", "File larger than 1 MiB",
             "A catalogue file may hold at most 1 MiB, so that no pull request can exhaust the build's memory.",
             "Shorten the text; one credential rarely needs more than a few kilobytes."),
        Kind("not-utf8", "error", "File is not UTF-8",
             "Catalogue files must be encoded as UTF-8. The position given is the first byte that is not valid UTF-8.",
             "Save the file as UTF-8 in your editor."),
        Kind("empty-file", "error", "File is empty",
             "The file holds no YAML document (only blanks or comments).",
             "Fill in the fields, or delete the file if it was added by mistake."),
        Kind("yaml-syntax", "error", "YAML syntax error",
             "The file is not well-formed YAML: the parser stopped at the position given. The message says what "
             "is wrong in plain words (a tab used for indenting, a quote never closed, a key without its colon, a "
             "list item out of line, a ': ' inside a value that is not in quotes) and the hint what to write.",
             "Follow the hint. YAML indents with spaces only; a key is followed by ': '; text that holds ': ' or "
             "' #' goes in quotes."),
        Kind("yaml-duplicate-key", "error", "Key given twice",
             "A key appears twice in the same mapping; YAML would silently keep only one of the values.",
             "Remove one of the two, or merge them."),
        Kind("yaml-tag", "error", "YAML tag not allowed",
             "Tags such as `!!python/object` or `!custom` are refused: a catalogue file holds plain data only.",
             "Remove the tag; quote the value if it should be text."),
        Kind("yaml-alias", "error", "YAML anchor or alias not allowed",
             "Anchors (`&name`) and aliases (`*name`) are refused: they make files hard to review and can blow up in size.",
             "Write the value out in full."),
        Kind("yaml-multiple-documents", "error", "More than one YAML document",
             "A catalogue file holds exactly one YAML document; a second `---` starts another.",
             "Put each credential in a file of its own."),
        Kind("yaml-not-mapping", "error", "Document is not a mapping",
             "The top of a catalogue file must be a mapping of field names to values.",
             "Start the file with `title: ...` (credential) or `name: ...` (provider)."),
        Kind("yaml-too-deep", "error", "Nesting too deep",
             "Values are nested deeper than any field of the record allows.",
             "Check the indentation; no field nests more than a few levels."),
        Kind("yaml-key-not-text", "error", "Key is not text",
             "Mapping keys must be plain text.",
             "Write the key as a simple word such as `title`."),
        # --- the record ----------------------------------------------------------
        Kind("unknown-field", "error", "Unknown field",
             "The record has a field the register does not know. Nothing a provider writes is silently dropped, so unknown fields are refused.",
             "Check the spelling against the field reference. The hint names the field meant when the name is "
             "a near spelling of one, or a name often written for one (`rio_code` for `identifiers`, `price` "
             "for `cost.amount`), with how to write it."),
        Kind("missing-field", "error", "Required field missing",
             "A required element of the record is absent. It is reported where it belongs: before the first "
             "field that follows it in the record's order (the order of the field reference and of `microcred "
             "new`), or after the last one before it.",
             "Add the field at that position; the hint gives its allowed values or format and an example."),
        Kind("invalid-value", "error", "Value not allowed",
             "The value is not one of the values the field allows.",
             "Use one of the listed values; the message suggests the nearest one."),
        Kind("wrong-type", "error", "Value of the wrong kind",
             "The field expects another kind of value (text, number, list, mapping, date).",
             "Write the value in the form shown in the field reference; for a single value where a list or "
             "a mapping belongs, the hint shows the value in that form (`languages: [nl]`)."),
        Kind("out-of-range", "error", "Value out of range",
             "A number or a list length lies outside what the field allows.",
             "Use a value within the range given in the message."),
        Kind("invalid-text", "error", "Text not valid",
             "Text must be non-empty and hold no invisible control characters (tabs and line breaks aside) "
             "or bidirectional overrides; or it is a mapping of BCP 47 language tags to such text.",
             "Write `title: My course` or `title: {en: My course, de: Mein Kurs}`."),
        Kind("invalid-date", "error", "Date not valid",
             "Dates are written as YYYY-MM-DD.",
             "Write for example `2026-09-01`."),
        Kind("invalid-url", "error", "URL not valid",
             "Links must be absolute http(s) URLs without spaces or control characters; other schemes "
             "(javascript:, data:, file:) are refused.",
             "Write the full address starting with https://."),
        Kind("unknown-country", "error", "Unknown country code",
             "Countries are ISO 3166-1 alpha-2 codes.",
             "Use the two-letter code, e.g. DE, FR, PL; the message suggests one."),
        Kind("unknown-language", "error", "Unknown language tag",
             "Languages are BCP 47 tags of a known language.",
             "Use a tag such as en, de, fr, pt-BR."),
        Kind("unknown-currency", "error", "Unknown currency code",
             "Currencies are ISO 4217 alphabetic codes.",
             "Use a code such as EUR, PLN, SEK."),
        Kind("unknown-isced-field", "error", "Unknown ISCED-F 2013 code",
             "The field of education is an ISCED-F 2013 code (2, 3 or 4 digits, written in quotes).",
             "Look up the code on the fields page; write it in quotes, e.g. `field: \"0714\"`."),
        Kind("unknown-sector", "error", "Unknown NACE section",
             "The sector is a NACE Rev. 2 section letter, A to U.",
             "Use a single capital letter such as C (Manufacturing) or F (Construction)."),
        Kind("unknown-nqf-level", "error", "Level not in the national qualifications framework",
             "For the countries whose national qualifications framework the register knows (the table of NQF levels "
             "on the field reference), `level.nqf.level` must be one of that framework's levels.",
             "Write the level as the framework writes it, e.g. `nqf: {country: NL, level: \"6\"}`; the message lists "
             "the levels the framework has."),
        Kind("invalid-esco-uri", "error", "Not an ESCO URI",
             "Skills and occupations are linked by their ESCO concept URI.",
             "Copy the URI from the ESCO portal, e.g. http://data.europa.eu/esco/skill/<uuid>."),
        Kind("invalid-github-handle", "error", "Not a GitHub handle",
             "Maintainers are GitHub user names (letters, digits, single hyphens; at most 39 characters).",
             "Write the handle without @, e.g. `jane-doe`."),
        Kind("inconsistent-record", "error", "Fields contradict each other",
             "Two fields of the record do not fit together.",
             "Follow the message: it names both fields."),
        # --- files and ids -----------------------------------------------------
        Kind("invalid-id", "error", "File or folder name not a valid id",
             "A credential's id is `<provider-id>/<slug>`, taken from its folder and file name: lowercase letters, digits and single hyphens, at most 64 characters, not a reserved name.",
             "Rename the file, e.g. `Intro_Course.yaml` to `intro-course.yaml`."),
        Kind("misplaced-file", "error", "File in the wrong place",
             "Credential files live in `catalogue/<provider-id>/<slug>.yaml`; nothing else belongs in the catalogue.",
             "Move the file into its provider's folder, with the extension `.yaml`."),
        Kind("missing-provider", "error", "Folder without provider.yaml",
             "Every provider folder needs a `provider.yaml` describing the provider.",
             "Add `provider.yaml` (see `microcred new-provider`)."),
        Kind("duplicate-id", "error", "Id used twice",
             "Two credentials have the same id, or ids that differ only in letter case.",
             "Rename one of them."),
        Kind("unresolved-reference", "error", "Reference to an unknown credential",
             "A credential id given in `stackability.stacks_into` or `previous_ids` does not resolve as required.",
             "Check the id: `<provider-id>/<slug>` of a credential in this register."),
        Kind("id-reused", "error", "Id reused",
             "An id listed as a previous id of one credential is in use by another; ids are never reused.",
             "Choose a new slug for the new credential."),
        # --- warnings ------------------------------------------------------------
        Kind("workload-mismatch", "warning", "ECTS and hours disagree",
             "One ECTS credit stands for 25 to 30 hours of notional workload; the hours given lie outside that range.",
             "Check both numbers, or give a note explaining the difference."),
        Kind("workload-implausible", "warning", "Workload in hours implausibly small",
             "The workload is given in hours only, and fewer than 10 hours is unusually small for a micro-credential: "
             "often a number of ECTS credits was written as hours (`hours: 5` for 5 ECTS, which is 125 to 150 hours).",
             "If the number is ECTS credits, write `workload: {ects: 5}`; if it really is hours, add a `note` "
             "saying how the workload is made up."),
        Kind("nqf-eqf-mismatch", "warning", "NQF level and EQF level disagree",
             "The country's national qualifications framework is referenced to the EQF: each of its levels "
             "corresponds to one EQF level. The NQF level given corresponds to another EQF level than `level.eqf`.",
             "Check both levels against the framework's referencing (the table of NQF levels on the field "
             "reference); the message names the EQF level the NQF level corresponds to."),
        Kind("url-not-https", "warning", "Address starts with http://",
             "The address uses plain `http://`. Almost every site serves `https://`, which learners' browsers "
             "trust and which cannot be altered on the way; an http link may also be redirected elsewhere. "
             "ESCO concept URIs are http by definition and are never reported.",
             "Write the address with `https://` (the hint shows it), and check that it opens."),
        Kind("review-overdue", "warning", "Review date passed",
             "The `review_by` date lies in the past: the entry may be out of date.",
             "Review the entry and set a new `review_by` date."),
        Kind("credential-deleted", "warning", "Credential file deleted",
             "A credential file was deleted. Ids are never reused and aggregators rely on them: withdraw a credential instead of deleting it.",
             "Restore the file and set `status: withdrawn` with `withdrawn_on`."),
        Kind("codeowners-stale", "error", "CODEOWNERS out of date",
             "`.github/CODEOWNERS` no longer matches the maintainers named in the providers' files.",
             "Run `microcred codeowners` and commit the result."),
        # --- spreadsheets ---
        Kind("sheet-unreadable", "error", "Not a spreadsheet the import can read",
             "`microcred sheet import` reads .xlsx, .ods and CSV (UTF-8, comma or semicolon) files, told apart by "
             "the file name. The file given is not one of them, is damaged, or is larger than the import reads.",
             "Save the sheet from your spreadsheet program as .xlsx, .ods or CSV UTF-8."),
        Kind("unknown-column", "error", "Unknown column",
             "Row 1 of a sheet names the columns, each a field of the field reference (`title`, `level.eqf`, "
             "`quality_assurance[1].type`) or a translation (`title.de`). This name is none of them, or a column "
             "holds values without a name.",
             "Rename the column as the columns sheet lists (the message suggests the nearest name), or delete it."),
        Kind("duplicate-column", "error", "Column given twice",
             "Two columns of the sheet have the same name: it would be unclear which one holds the value.",
             "Keep one of them."),
        Kind("missing-id-column", "error", "No id column",
             "Each row of a sheet is one credential, named by its id `<provider-id>/<slug>` in the column `id`; "
             "row 1 has no such column, or is empty.",
             "Name the first column `id` and write each row's id in it; `microcred sheet export` writes a template."),
        Kind("sheet-provider", "error", "Rows of another provider, or of no provider",
             "One sheet holds the credentials of one provider, whose folder (with its provider.yaml) is in the "
             "catalogue. A row names another provider than the first row, or the provider has no folder.",
             "Put each provider's credentials in a sheet of their own; add a new provider with "
             "`microcred new-provider`."),
        Kind("unreadable-cell", "error", "Cell the import cannot read",
             "A cell holds what no catalogue file can take, or what could be read two ways: an error value "
             "(#N/A), a formula without its value, a date or time where text belongs, a number like 1,500 "
             "(1.5 or 1500?). Or the credential's file holds a value the sheet cannot carry: importing would lose it.",
             "Type the value itself in the cell, formatted as text where the column takes text; the message says "
             "which readings it could have."),
        Kind("number-as-text", "warning", "Number in a text column",
             "A spreadsheet program turns what looks like a number into one: a code typed as 0714 becomes 714. "
             "The import read the number as text; for the ISCED-F field it restored the leading zero where only "
             "one code fits.",
             "Check the value the message names; format the column as text so what you type stays as typed."),
    ]
}


def shown(path: Path | str) -> str:
    """A file as problems name it: relative to the working directory where possible."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return str(path)
    return str(path) if rel.startswith("..") else rel


@dataclass(frozen=True)
class Problem:
    code: str
    file: str
    line: int
    column: int
    message: str
    path: str = ""
    hint: str = ""
    severity: Severity = field(default="error")

    @classmethod
    def of(cls, code: str, file: str, line: int, column: int, message: str,
           path: str = "", hint: str = "") -> "Problem":
        return cls(code, file, line, column, message, path, hint, KINDS[code].severity)

    def sort_key(self):
        return (self.file, self.line, self.column, self.code, self.message)


# One problem, one line: a line break in a quoted value or a file name would otherwise start
# a line of the file's own choosing, which editors misread and CI runners obey (`::error::`,
# `::add-mask::` at the start of a line are workflow commands). Tabs stay.
_ONE_LINE = {c: f"\\x{c:02x}" for c in (*range(32), 127, *range(0x80, 0xa0)) if c != 9} | {
    10: "\\n", 13: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def text_line(p: Problem) -> str:
    where = f"{p.path}: " if p.path else ""
    hint = f" ({p.hint})" if p.hint else ""
    return f"{p.file}:{p.line}:{p.column}: {p.severity}: {where}{p.message}{hint} [{p.code}]".translate(_ONE_LINE)


def _github_escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github_line(p: Problem) -> str:
    where = f"{p.path}: " if p.path else ""
    hint = f" ({p.hint})" if p.hint else ""
    props = ",".join([
        f"file={_github_escape(p.file, True)}",
        f"line={p.line}",
        f"col={p.column}",
        f"title={_github_escape(p.code, True)}",
    ])
    return f"::{p.severity} {props}::{_github_escape(where + p.message + hint)}"


def summary_line(problems: Iterable[Problem], files: int) -> str:
    problems = list(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    plural = lambda n, w: f"{n} {w}{'' if n == 1 else 's'}"  # noqa: E731
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')} in {plural(files, 'file')}"


def as_json(problems: Iterable[Problem], files: int) -> str:
    problems = list(problems)
    return json.dumps({
        "files": files,
        "errors": sum(p.severity == "error" for p in problems),
        "warnings": sum(p.severity == "warning" for p in problems),
        "problems": [asdict(p) for p in problems],
    }, indent=2, ensure_ascii=False)
