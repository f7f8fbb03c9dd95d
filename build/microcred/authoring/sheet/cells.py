"""One cell as the record holds it: what a spreadsheet program made of what was typed, read tolerantly.

Spreadsheet programs guess types: `0714` becomes the number 714, `2026-09-01`
a date cell, `4,5` (typed in a European locale) text or a number depending on
the program, `TRUE` a boolean that a German Excel writes `WAHR` in a CSV file.
Each column has one kind (from the field reference), and a cell is read as
that kind when it can be without guessing; when it cannot (`1,500` could be
1.5 or 1500, `01/02/2026` the first of February or the second of January) it
is reported, never guessed. Everything else is handed on as it is, so the
validator's own checks and messages apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from ...contract import vocabularies as vocab

# The kinds of a column, from the field reference's types.
TEXT = "text"  # one text (free text, a code, a URL)
TRANSLATABLE = "translatable"  # text, or translations in <column>.<language> columns
NUMBER = "number"
WHOLE = "whole"  # a whole number
BOOL = "bool"
DATE = "date"
LINES = "lines"  # a list: one item per line
TRANSLATABLE_LINES = "translatable-lines"  # a list of texts, each with translations: line by line


@dataclass(frozen=True)
class Raw:
    """A cell as the file holds it. kind: text | number | bool | date | time | error | formula | empty."""

    value: object
    kind: str

    @property
    def empty(self) -> bool:
        return self.kind == "empty" or (self.kind == "text" and not str(self.value).strip())


EMPTY = Raw(None, "empty")


@dataclass(frozen=True)
class Column:
    """What a column holds: its kind, whether it holds codes (trimmed, and split at commas in a list), its field."""

    kind: str
    code: bool = False
    isced: bool = False  # the ISCED-F field: a number lost its leading zero
    dates: bool = False  # a list of dates


@dataclass(frozen=True)
class Note:
    """Something to report about a cell: a problem code of contract/problems.py, a message and a hint."""

    code: str
    message: str
    hint: str = ""


class Unreadable(Exception):
    def __init__(self, note: Note):
        super().__init__(note.message)
        self.note = note


@dataclass
class Read:
    value: object = None  # None: the cell is empty
    notes: tuple = ()


# --- numbers ------------------------------------------------------------------------

_INT = re.compile(r"[-+]?\d+\Z")
_FLOAT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\Z")
_DECIMAL_COMMA = re.compile(r"[-+]?\d+,\d+\Z")
_EUROPEAN = re.compile(r"[-+]?\d{1,3}(?:\.\d{3})+(?:,\d+)?\Z")  # 1.500 or 1.500,50
_ENGLISH = re.compile(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\Z")  # 1,500 or 1,500.50
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")  # thousands separators of some locales


def number_text(value) -> str:
    """A number as text, the way a person reads it: 714, 0.5 (never 714.0)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def plain_number(value):
    """An int for a whole number a spreadsheet stored as a float (every number is a float in ODS and Excel)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def parse_number(text: str, decimal_comma: bool | None):
    """The number a text stands for, or None if it is no number.

    decimal_comma: True for a CSV file written with semicolons (European
    locales, where the comma is the decimal sign and '.' groups thousands),
    False for a comma-separated one (where ',' groups thousands), None when
    unknown. Unknown and one comma followed by exactly three digits (1,500):
    Unreadable, never a guess.
    """
    t = text.strip().translate(_SPACES)
    if not t:
        return None
    if _INT.match(t):
        return int(t)
    if decimal_comma and _EUROPEAN.match(t):
        return plain_number(float(t.replace(".", "").replace(",", ".")))
    if _FLOAT.match(t):
        return plain_number(float(t))
    if _DECIMAL_COMMA.match(t):
        decimals = t.split(",")[1]
        if decimal_comma is not True and len(decimals) == 3:
            whole, frac = t.split(",")
            raise Unreadable(Note(
                "unreadable-cell", f"'{text.strip()}' could be {float(whole + '.' + frac):g} or {int(whole + frac)}",
                "write the number without a thousands separator, with a decimal point: e.g. 1.5 or 1500"))
        return plain_number(float(t.replace(",", ".")))
    if decimal_comma is not False and _EUROPEAN.match(t) and "," in t:
        return plain_number(float(t.replace(".", "").replace(",", ".")))
    if decimal_comma is not True and _ENGLISH.match(t) and "." in t:
        return plain_number(float(t.replace(",", "")))
    return None


# --- dates --------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
_ISO_MIDNIGHT = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T]00:00(?::00(?:\.0+)?)?Z?\Z")
_DMY = re.compile(r"(\d{1,2})([.\-])(\d{1,2})\2(\d{4})\Z")  # 1.9.2026 (de, pl...), 1-9-2026 (nl)
_YMD_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})\Z")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})\Z")  # 1/9/2026: day first (en-GB, fr) or month first (en-US)


def _iso(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def date_text(text: str) -> str:
    """A date written another way, as YYYY-MM-DD; the text itself when it is no date (the validator says so)."""
    t = text.strip()
    if _ISO.match(t):
        return t
    if m := _ISO_MIDNIGHT.match(t):
        return _iso(int(m[1]), int(m[2]), int(m[3])) or t
    if m := _DMY.match(t):
        return _iso(int(m[4]), int(m[3]), int(m[1])) or t
    if m := _YMD_SLASH.match(t):
        return _iso(int(m[1]), int(m[2]), int(m[3])) or t
    if m := _SLASHED.match(t):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        day_first, month_first = _iso(y, b, a), _iso(y, a, b)
        if a == b or not month_first:
            return day_first or t
        if not day_first:
            return month_first
        raise Unreadable(Note("invalid-date", f"'{t}' could be {day_first} or {month_first}",
                              "write the date as YYYY-MM-DD, e.g. 2026-09-01"))
    return t


def cell_date(value) -> str:
    """A date cell as YYYY-MM-DD; a time of day other than midnight is refused."""
    if isinstance(value, datetime):
        if value.time() != time(0, 0):
            raise Unreadable(Note("unreadable-cell", f"the cell holds a date and a time ({value.isoformat(' ')})",
                                  "write only the date, YYYY-MM-DD"))
        return value.date().isoformat()
    return value.isoformat()


# --- true or false ------------------------------------------------------------------

# What spreadsheet programs write for TRUE and FALSE in a CSV file, in the EU's languages.
_TRUE = {"true", "wahr", "vrai", "verdadero", "vero", "waar", "prawda", "sant", "verdadeiro", "sand", "tosi",
         "pravda", "igaz", "adevărat", "tõene", "patiess", "tiesa", "resnično", "istina", "αληθές",
         "истина"}
_FALSE = {"false", "falsch", "faux", "falso", "onwaar", "fałsz", "falskt", "falsk", "epätosi", "nepravda",
          "hamis", "fals", "väär", "aplams", "netiesa", "napačno", "laž", "ψευδές", "неистина"}


def parse_bool(text: str):
    t = text.strip().lower()
    return True if t in _TRUE else False if t in _FALSE else None


# --- a cell of a column -------------------------------------------------------------


def unquote(text: str) -> str:
    """A CSV cell the export prefixed with ' so that spreadsheets do not run it as a formula."""
    if text.startswith("'") and text.lstrip("'")[:1] in FORMULA_START:
        return text[1:]
    return text


FORMULA_START = frozenset("=+-@\t\r＝＋－＠")


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _isced(digits: str, what: str) -> Read | None:
    """An ISCED-F code that lost its leading zero (0714 -> 714) where a spreadsheet took it for a number."""
    known = vocab.isced_fields()
    if digits in known or not digits.isdigit() or digits.startswith("0"):
        return None
    codes = sorted({digits.zfill(n) for n in (2, 3, 4) if len(digits) < n and digits.zfill(n) in known})
    if len(codes) == 1:
        return Read(codes[0], (Note("number-as-text", f"{what}: read as the ISCED-F code \"{codes[0]}\"",
                                    "format the column as text, so the leading zero stays as typed"),))
    if codes:
        raise Unreadable(Note("unreadable-cell", f"{what}: it could be the ISCED-F code {' or '.join(codes)}",
                              "format the column as text and type the code again"))
    return None


def _number_as_text(column: Column, value) -> Read:
    text = number_text(value)
    if column.isced and (found := _isced(text, f"the cell holds the number {text}")):
        return found
    return Read(text, (Note("number-as-text", f"the cell holds the number {text}: read as the text \"{text}\"",
                            "format the column as text, so that what is typed stays as typed, a leading zero too"),))


def read(column: Column, raw: Raw, decimal_comma: bool | None = None) -> Read:
    """The value of one cell (None: empty), or Unreadable."""
    if raw.empty:
        return Read()
    kind, value = raw.kind, raw.value
    if kind == "error":
        raise Unreadable(Note("unreadable-cell", f"the cell holds the error value {value}",
                              "type the value itself, or fix the formula that gives the error"))
    if kind == "formula":
        raise Unreadable(Note("unreadable-cell", f"the cell holds a formula ({value}) without a computed value",
                              "type the value itself, or open and save the file in a spreadsheet program"))
    if kind == "time":
        raise Unreadable(Note("unreadable-cell", f"the cell holds a time of day ({value})",
                              "format the column as text and type the value again"))
    if column.kind in (LINES, TRANSLATABLE_LINES):
        return _read_lines(column, raw, decimal_comma)
    if kind == "text":
        if column.isced and (found := _isced(value.strip(), f"'{value.strip()}' lost its leading zero")):
            return found
        return Read(_read_text(column, value, decimal_comma))
    if kind == "number":
        if column.kind in (NUMBER, WHOLE):
            return Read(plain_number(value))
        if column.kind in (TEXT, TRANSLATABLE):
            return _number_as_text(column, value)
        return Read(plain_number(value))  # a number for true/false or a date: the validator says what is wrong
    if kind == "date":
        if column.kind == DATE:
            return Read(cell_date(value))
        raise Unreadable(Note("unreadable-cell", f"the cell holds a date ({cell_date(value)}) where "
                              f"{_KIND_WORDS[column.kind]} belongs",
                              "the spreadsheet program read what was typed as a date: format the column as text "
                              "and type the value again"))
    return Read(value)  # true/false: the record's check says whether it belongs


_KIND_WORDS = {TEXT: "text", TRANSLATABLE: "text", NUMBER: "a number", WHOLE: "a whole number",
               BOOL: "true or false", DATE: "a date", LINES: "a list", TRANSLATABLE_LINES: "a list"}


def _read_text(column: Column, text: str, decimal_comma: bool | None):
    text = text.replace("\r\n", "\n")
    if column.kind in (NUMBER, WHOLE):
        found = parse_number(text, decimal_comma)
        return found if found is not None else text.strip()
    if column.kind == BOOL:
        found = parse_bool(text)
        return found if found is not None else text.strip()
    if column.kind == DATE:
        return date_text(text)
    return text.strip() if column.code else text


_ITEM_SEPARATORS = re.compile(r"[\n,;]")


def _read_lines(column: Column, raw: Raw, decimal_comma: bool | None) -> Read:
    """A list cell: one item per line. Codes may also be separated by commas or semicolons."""
    if raw.kind == "number":
        read_one = _number_as_text(Column(TEXT), raw.value)
        return Read([read_one.value], read_one.notes)
    if raw.kind == "date":
        if column.dates:
            return Read([cell_date(raw.value)])
        raise Unreadable(Note("unreadable-cell", f"the cell holds a date ({cell_date(raw.value)}) where a list "
                              "belongs", "format the column as text and type the value again"))
    if raw.kind != "text":
        return Read([raw.value])
    text = raw.value.replace("\r\n", "\n").replace("\r", "\n")
    if column.kind == TRANSLATABLE_LINES:
        return Read(text.split("\n"))  # blank lines keep translations in step; assembling drops them
    if column.code or column.dates:
        items = [item.strip() for item in _ITEM_SEPARATORS.split(text)]
    else:
        items = text.split("\n")
    items = [item for item in items if item.strip()]
    if column.dates:
        items = [date_text(item) for item in items]
    return Read(items)
