"""`microcred import elm FILE --provider ID`: catalogue files from what a provider publishes to Europass.

A provider who already describes its offers in the European Learning Model v3
joins without retyping: each learning opportunity of the file (with its
LearningAchievementSpecification or Qualification) becomes one credential file
in `catalogue/<provider-id>/`, written by the same writer as `microcred new`
(scaffold.render): every field is listed, the imported values filled in, the
others commented out with an example.

Two formats, told apart by their content, never by the file name:

- LOQ XML, the Qualifications Dataset Register's upload format (`<Courses>` of
  loq.xsd; the register publishes one per provider): read with ElementTree,
  every item of its sections indexed by `id`, references (`idref`) followed,
  concepts by their `uri`;
- ELM JSON-LD: plain JSON, every node indexed by its `id` (relative ids against
  the context's `@base`), references followed, nested nodes and references by
  id alike; keys as the edc-ap context names them (`elm:`-prefixed ones too).
  A file may hold learning opportunities, bare specifications, or an issued
  credential (a VerifiableCredential, like the Commission's sample
  micro-credential): then each specification its claims point to is imported,
  never the learner's own data.

The codes come back through the tables of contract/elm_vocabulary.py read the
other way: an exact concept gives its code; a "nearest" one only where it is
the nearest of exactly one code (with a warning that it is the nearest);
anything else is reported. The register's own exports are recognised by their
addresses (`.../elm/credentials/<provider>/<slug>.jsonld#...`): the notes it
writes for what ELM has no property for (quality assurance, sector, NQF level,
occupations, recognition, stackability, self-paced, status note...) are read
back from their wording, and its fragments tell a skill (`#skill-N`) from a
stated learning outcome, a country (`#country-XX`) from a place, and the
offer's period (valid_from, withdrawn_on) from a start date. A quality
assurance note gives its body and description as lines under the type: two
parts are body and description; one part is the body when a linked evidence
document is titled with it, the description when the evidence is titled with
the type, and otherwise the body unless it reads as a sentence (ends in . ! ?).

Never invented: a value the source lacks is left out (a required one stays
commented out, and the report says the file needs it before it validates).
Everything the source has that the record has no place for, or that cannot be
mapped, is reported with its place (XML element path, or JSON-LD node id and
property) and its value. Each file's text is checked with the validator
(check_record) before it is written; a value the validator refuses is taken
out again and reported.

Files: the slug comes from the title (ASCII, lowercase kebab-case, at most 64
characters, never a reserved id); an existing file is never overwritten: that
entry is skipped and reported, so importing the same file twice writes nothing
the second time. Two entries of one import with the same slug take -2, -3...
"""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import urljoin

from ..contract import elm_vocabulary as ev
from ..contract import vocabularies as vocab
from ..contract.ids import MAX_ID_PART, PROVIDER_FILE, RESERVED_IDS, id_problem
from ..contract.models import ESCO_URI, RECORDS
from ..contract.problems import shown
from ..contract.yamlload import LoadFailed, parse
from ..errors import UsageError
from ..validate.records import check_record
from .scaffold import provider_folder, render
from .yamlwrite import scalar

MAX_FILE = 64 * 1024 * 1024  # a provider's whole offer fits; a mistaken file of gigabytes is refused

LOQ = "http://data.europa.eu/snb/model/ap/loq-constraints/"
_NAMESPACES = {LOQ: "", "http://www.w3.org/2004/02/skos/core#": "skos:", "http://purl.org/dc/terms/": "dc:",
               "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:"}
# LOQ XML element names -> the edc-ap context's terms, so both formats are read by one mapping
_XML_TERMS = {"contentUrl": "contentURL", "ISCEDFCode": "thematicArea", "EQFLevel": "eqfLevel", "NQFLevel": "nqfLevel",
              "type": "dcType", "dc:type": "dcType", "dc:subject": "subject", "skos:notation": "notation",
              "skos:prefLabel": "prefLabel", "skos:altLabel": "altLabel", "skos:inScheme": "inScheme"}
# JSON-LD keys -> terms: prefixed names of terms the context has, and the export's rdf:value
_JSON_TERMS = {"rdf:value": "value", "elm:subject": "elmSubject", "elm:contentUrl": "contentURL",
               "elm:ISCEDFCode": "thematicArea", "elm:EQFLevel": "eqfLevel", "elm:NQFLevel": "nqfLevel",
               "dc:type": "dcType", "dc:subject": "subject", "dc:title": "title", "dc:description": "description",
               "skos:prefLabel": "prefLabel", "skos:notation": "notation"}
_SPECIFICATIONS = {"LearningAchievementSpecification", "Qualification", "Specification"}
_CREDENTIALS = {"VerifiableCredential", "EuropeanDigitalCredential"}
# the register's own addresses: <api>elm/credentials/<provider>/<slug>.jsonld#<fragment>
_REGISTER_IRI = re.compile(r"/elm/credentials/([a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*)\.jsonld(?:#(.*))?\Z")
_REGISTER_PAGE = "Page in the register"  # the export's title of the register's own page of a credential
_SENTENCE_END = (".", "!", "?", "…")


# --- the source, as a graph of nodes -------------------------------------------------------------------

class Lit:
    """A literal: text and its language tag (None: none given)."""

    __slots__ = ("value", "lang")

    def __init__(self, value: str, lang: str | None = None):
        self.value, self.lang = value, lang

    def key(self):
        return self.value, self.lang


class Node:
    """A node of the source: its properties (lists of Node or Lit), where it is, and which of its
    properties the import has used (the rest is reported)."""

    def __init__(self, nid: str | None, label: str, where: str, pos: tuple[int, int], types=()):
        self.id = nid
        self.label = label  # as the report names it: the id as written, or the element path
        self.where = where
        self.pos = pos
        self.types: list[str] = list(types)
        self.props: dict[str, list] = {}
        self.tags: dict[str, str] = {}  # property -> the XML element name it came from
        self.used: set[str] = set()
        self.whole = False  # taken as a whole: its properties are not reported one by one
        self.group: str | None = None  # its unused properties are reported in one line, by name only
        self.xml = False

    def add(self, prop: str, value) -> None:
        values = self.props.setdefault(prop, [])
        if isinstance(value, Node):
            if not any(v is value for v in values):
                values.append(value)
        elif not any(isinstance(v, Lit) and v.key() == value.key() for v in values):
            values.append(value)

    def take(self, prop: str) -> list:
        if prop in self.props:
            self.used.add(prop)
        return self.props.get(prop, [])

    def place(self, prop: str | None = None) -> str:
        if prop is None:
            return self.label
        if self.xml:
            return f"{self.where}/{self.tags.get(prop, prop)}"
        return f"{self.label} {prop}"

    def is_a(self, *types: str) -> bool:
        return any(t in self.types for t in types)


class Source:
    """A file read into nodes: `roots` are every top-level node (XML section items, JSON-LD nodes)."""

    def __init__(self, file: str, kind: str):
        self.file = file
        self.kind = kind  # "xml" | "json"
        self.index: dict[str, Node] = {}
        self.nodes: list[Node] = []
        self.top: list[Node] = []

    def node(self, value) -> Node | None:
        if isinstance(value, Node):
            return value
        return self.index.get(value.value) if isinstance(value, Lit) else None


def _flat(value):
    if isinstance(value, list):
        for v in value:
            yield from _flat(v)
    elif value is not None:
        yield value


# --- reading JSON-LD -----------------------------------------------------------------------------------

_ID_KEY = re.compile(r'"@?id"\s*:\s*("(?:[^"\\]|\\.)*")')


class _JsonReader:
    def __init__(self, source: Source, text: str):
        self.source = source
        self.text = text
        self.base: str | None = None
        self.positions: dict[str, tuple[int, int]] = {}  # an id -> where the file first writes it
        starts = [0] + [m.end() for m in re.finditer("\n", text)]
        for m in _ID_KEY.finditer(text):
            try:
                raw = json.loads(m.group(1))
            except ValueError:
                continue
            if raw not in self.positions:
                offset = m.start()
                line = _bisect(starts, offset)
                start = starts[line - 1]
                self.positions[raw] = (line, offset - start + 1)

    def read(self, data) -> None:
        items = data if isinstance(data, list) else [data]
        for item in items:
            if not isinstance(item, dict):
                continue
            self.base = _base_of(item.get("@context")) or self.base
            graph = item.get("@graph")
            for part in (graph if isinstance(graph, list) else [item]):
                if isinstance(part, dict):
                    self.source.top.append(self.node(part, "(top)", (1, 1)))
        # references by id: a string that names a node of the file is that node
        for node in self.source.nodes:
            for prop, values in node.props.items():
                for i, v in enumerate(values):
                    if isinstance(v, Lit) and v.lang is None and (target := self.source.index.get(self._iri(v.value))):
                        values[i] = target

    def _iri(self, raw: str) -> str:
        return urljoin(self.base, raw) if self.base and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", raw) else raw

    def node(self, d: dict, label: str, pos: tuple[int, int]) -> Node:
        raw = d.get("id", d.get("@id"))
        types = [t for t in _flat(d.get("type", d.get("@type"))) if isinstance(t, str)]
        if isinstance(raw, str) and raw:
            iri = self._iri(raw)
            node = self.source.index.get(iri)
            if node is None:
                node = Node(iri, raw, raw, self.positions.get(raw, (1, 1)))
                self.source.index[iri] = node
                self.source.nodes.append(node)
        else:
            node = Node(None, label, label, pos)
            self.source.nodes.append(node)
        node.types += [t for t in types if t not in node.types]
        for key, value in d.items():
            if key in ("id", "@id", "type", "@type", "@context", "@graph"):
                continue
            prop = _JSON_TERMS.get(key, key[4:] if key.startswith("elm:") else key)
            for i, item in enumerate(_flat(value)):
                for v in self.values(item, node, prop, i):
                    node.add(prop, v)
        return node

    def values(self, item, parent: Node, prop: str, i: int):
        if isinstance(item, dict):
            if "@value" in item:
                value = item["@value"]
                lang = item.get("@language")
                if value is not None and not isinstance(value, (dict, list)):
                    yield Lit(_scalar_text(value), lang if isinstance(lang, str) else None)
                return
            if not ({"id", "@id", "type", "@type"} & set(item)) and item and all(
                    isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))
                    for v in item.values()):
                for tag, text in item.items():  # a language map
                    for t in _flat(text):
                        yield Lit(t, None if tag == "@none" else tag)
                return
            yield self.node(item, f"{parent.label} {prop}[{i}]" if i else f"{parent.label} {prop}", parent.pos)
        elif isinstance(item, (str, int, float, bool)):
            yield Lit(_scalar_text(item))


def _scalar_text(value) -> str:
    if value is True or value is False:
        return "true" if value else "false"
    return value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)


def _bisect(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts)
    while lo < hi:
        mid = (lo + hi) // 2
        if starts[mid] <= offset:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _base_of(context) -> str | None:
    for item in _flat(context):
        if isinstance(item, dict) and isinstance(item.get("@base"), str):
            return item["@base"]
    return None


# --- reading LOQ XML -----------------------------------------------------------------------------------

def _qname(tag) -> str:
    if not isinstance(tag, str):
        return "?"
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        prefix = _NAMESPACES.get(ns)
        return prefix + local if prefix is not None else f"{{{ns}}}{local}"
    return tag


class _XmlReader:
    def __init__(self, source: Source):
        self.source = source
        self.refs: list[tuple[Node, str, int]] = []

    def read(self, root: ET.Element) -> None:
        for section in root:
            sname = _qname(section.tag)
            counts = Counter(_qname(item.tag) for item in section)
            seen: Counter = Counter()
            for item in section:
                name = _qname(item.tag)
                seen[name] += 1
                nid = item.get("id")
                where = (f"/Courses/{sname}/{name}[@id='{nid}']" if nid else
                         f"/Courses/{sname}/{name}" + (f"[{seen[name]}]" if counts[name] > 1 else ""))
                node = Node(nid, where, where, (1, 1), [name[:1].upper() + name[1:]])
                node.xml = True
                if nid and nid not in self.source.index:
                    self.source.index[nid] = node
                self.source.nodes.append(node)
                self.source.top.append(node)
                self.fill(node, item, where)
        for node, prop, i in self.refs:
            value = node.props[prop][i]
            node.props[prop][i] = self.source.index.get(value.value, value)

    def fill(self, node: Node, element: ET.Element, where: str) -> None:
        counts = Counter(_qname(c.tag) for c in element)
        seen: Counter = Counter()
        for child in element:
            name = _qname(child.tag)
            seen[name] += 1
            path = f"{where}/{name}" + (f"[{seen[name]}]" if counts[name] > 1 else "")
            prop = _XML_TERMS.get(name, name)
            node.tags.setdefault(prop, name)
            if child.get("idref") is not None:
                node.props.setdefault(prop, []).append(Lit(child.get("idref")))
                self.refs.append((node, prop, len(node.props[prop]) - 1))
                continue
            if child.get("uri") is not None:
                value = Node(child.get("uri"), path, path, (1, 1), ["Concept"])
            elif len(child):
                value = Node(None, path, path, (1, 1), [name[:1].upper() + name[1:]])
            else:
                node.props.setdefault(prop, []).append(Lit(child.text or "", child.get("language")))
                continue
            value.xml = True
            self.source.nodes.append(value)
            self.fill(value, child, path)
            node.props.setdefault(prop, []).append(value)


# --- reading the file ----------------------------------------------------------------------------------

def read_source(path: Path) -> Source:
    """The file as nodes; UsageError (exit 2) for a file that cannot be read, or is neither XML nor JSON."""
    file = shown(path)
    try:
        if path.stat().st_size > MAX_FILE:
            raise UsageError(f"{file}: larger than {MAX_FILE // (1024 * 1024)} MiB; split it, e.g. one file per provider")
        raw = path.read_bytes()
    except IsADirectoryError:
        raise UsageError(f"{file}: is a folder; give the ELM file (LOQ XML or JSON-LD)") from None
    except FileNotFoundError:
        raise UsageError(f"{file}: no such file") from None
    except OSError as e:
        raise UsageError(f"{file}: cannot be read: {e.strerror}") from None
    start = raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return _read_xml(file, raw)
    if start in (b"{", b"["):
        return _read_json(file, raw)
    raise UsageError(f"{file}:1:1: neither XML nor JSON: give a LOQ XML file (<Courses>) or an ELM JSON-LD file")


def _read_xml(file: str, raw: bytes) -> Source:
    if b"<!ENTITY" in raw or b"<!DOCTYPE" in raw:
        raise UsageError(f"{file}: declares a DTD or entities, which a LOQ XML file never needs; remove the <!DOCTYPE>")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as e:
        line, column = e.position
        raise UsageError(f"{file}:{line}:{column + 1}: not well-formed XML: {str(e).split(':')[0]}") from None
    if _qname(root.tag) != "Courses":
        raise UsageError(f"{file}:1:1: XML, but not the QDR's LOQ format: the root element is <{_qname(root.tag)}>, "
                         f"not <Courses> in the namespace {LOQ}")
    source = Source(file, "xml")
    _XmlReader(source).read(root)
    return source


def _read_json(file: str, raw: bytes) -> Source:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"{file}: not UTF-8 (byte {e.start + 1}); JSON-LD is UTF-8") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise UsageError(f"{file}:{e.lineno}:{e.colno}: not valid JSON: {e.msg}") from None
    except RecursionError:
        raise UsageError(f"{file}: nested too deeply to be an ELM document") from None
    source = Source(file, "json")
    try:
        _JsonReader(source, text).read(data)
    except RecursionError:
        raise UsageError(f"{file}: nested too deeply to be an ELM document") from None
    return source


# --- the report ----------------------------------------------------------------------------------------

_ONE_LINE = {c: f"\\x{c:02x}" for c in (*range(32), 127, *range(0x80, 0xa0)) if c != 9} | {
    10: "\\n", 13: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    column: int
    severity: str  # "warning" | "error"
    message: str

    def text(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}".translate(_ONE_LINE)


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _node_name(node: Node) -> str:
    for prop in ("prefLabel", "title", "legalName", "noteLiteral", "contentURL", "notation"):
        for v in node.props.get(prop, []):
            if isinstance(v, Lit) and v.value.strip():
                return _short(v.value, 60)
    return ""


def summary(values: list, limit: int = 3) -> str:
    """A few of the values, for a report line."""
    parts = []
    for v in values[:limit]:
        if isinstance(v, Lit):
            parts.append((f"{v.lang}: " if v.lang else "") + json.dumps(_short(v.value), ensure_ascii=False))
        else:
            kind = "/".join(v.types) or "node"
            name = _node_name(v)
            ident = v.id if v.id else ""
            parts.append(" ".join(p for p in (kind, ident, f"({name})" if name else "") if p)
                         if ident or name else _leaves(v))
    more = len(values) - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def _leaves(node: Node, limit: int = 3) -> str:
    found = []

    def walk(n: Node, depth: int):
        for prop, values in n.props.items():
            for v in values:
                if len(found) >= limit:
                    return
                if isinstance(v, Lit):
                    found.append(f"{prop} {json.dumps(_short(v.value, 40), ensure_ascii=False)}")
                elif depth < 4:
                    if v.id:
                        found.append(f"{prop} {v.id}")
                    else:
                        walk(v, depth + 1)

    walk(node, 0)
    return "/".join(node.types) + (" (" + ", ".join(found) + ")" if found else "")


# --- values ----------------------------------------------------------------------------------------------

def _number(text: str):
    try:
        d = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    if not d.is_finite():
        return None
    return _plain(d)


def _plain(d: Decimal):
    return int(d) if d == d.to_integral_value() else float(d)


_DURATION = re.compile(r"P(?:(?P<Y>\d+(?:\.\d+)?)Y)?(?:(?P<M>\d+(?:\.\d+)?)M)?(?:(?P<W>\d+(?:\.\d+)?)W)?"
                       r"(?:(?P<D>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?"
                       r"(?:(?P<s>\d+(?:\.\d+)?)S)?)?")


def duration_parts(text: str) -> dict[str, Decimal] | None:
    """The parts of an xsd:duration (ISO 8601), or None if it is none."""
    text = text.strip()
    m = _DURATION.fullmatch(text)
    if not m or text in ("P", "PT") or text.endswith("T"):
        return None
    return {k: Decimal(v) if v is not None else Decimal(0) for k, v in m.groupdict().items()}


def hours_of(text: str):
    """Hours of a duration that has only hours, minutes and seconds (a volume of learning)."""
    parts = duration_parts(text)
    if parts is None or any(parts[k] for k in "YMWD"):
        return None
    return _plain(parts["h"] + parts["m"] / 60 + parts["s"] / 3600)


def calendar_of(text: str) -> tuple[object, str] | None:
    """(value, unit) of a calendar duration: months; whole weeks; days (with any fraction); hours."""
    parts = duration_parts(text)
    if parts is None:
        return None
    months = parts["Y"] * 12 + parts["M"]
    days = parts["W"] * 7 + parts["D"]
    seconds = parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
    if months:
        return (_plain(months), "month") if not days and not seconds else None
    if not days:
        return (_plain(seconds / 3600), "hour") if seconds else None
    days += seconds / 86400
    if days == days.to_integral_value() and days % 7 == 0:
        return _plain(days / 7), "week"
    return _plain(days), "day"


def day_of(text: str) -> str | None:
    m = re.match(r"\s*(\d{4}-\d{2}-\d{2})(?:$|T|\s|Z|[+-])", text)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return None


_TRANSLIT = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "đ": "d",
                           "Đ": "D", "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ð": "d", "ı": "i"})


def slugify(text: str) -> str:
    """ASCII, lowercase kebab-case, at most MAX_ID_PART characters (cut at a hyphen where one is near)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLIT)).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_ID_PART:
        cut = slug[:MAX_ID_PART + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[MAX_ID_PART // 2:] else slug[:MAX_ID_PART]
        slug = slug.strip("-")
    return slug


def _label_index(table: dict[str, str]) -> dict[str, str]:
    return {label: code for code, label in table.items()}


_QA_LABELS = _label_index(vocab.QUALITY_ASSURANCE_TYPES)
_ASSESSMENT_LABELS = _label_index(vocab.ASSESSMENT_TYPES)
_SUPERVISION_LABELS = _label_index(vocab.SUPERVISION)
_QF_EHEA_LABELS = _label_index(vocab.QF_EHEA_CYCLES)
_STACK_LABELS = _label_index(vocab.STACKABILITY)
_STATUS_LABELS = _label_index(vocab.STATUSES)
_SCHEME_LABELS = _label_index(vocab.IDENTIFIER_SCHEMES)
_DURATION_UNITS = _label_index(vocab.DURATION_UNITS)
# a scheme name that names one of the register's schemes by its short name
_SCHEME_WORDS = {code: code for code in vocab.IDENTIFIER_SCHEMES if code not in ("other", "provider")} | {
    "croho code": "croho", "rio code": "rio", "crebo code": "crebo", "rncp code": "rncp", "rs code": "rs",
    "europass qualifications dataset register": "qdr"}

# The register's own wording of its notes (opendata/elm.py writes them); read back where a note says so.
_NQF_NOTE = re.compile(r"National qualifications framework \(([A-Z]{2})\) level: (.+)\Z", re.DOTALL)
_QF_EHEA_NOTE = re.compile(r"QF-EHEA cycle: (.+)\Z", re.DOTALL)
_SECTOR_NOTE = re.compile(r"Economic sector \(NACE Rev\. 2\): ([A-U])(?: .*)?\Z", re.DOTALL)
_OCCUPATION_NOTE = "Prepares for the occupation:"
_QA_NOTE = "Quality assurance: "
_NQF_INCLUDED_NOTE = re.compile(r"Included in a national qualifications framework: (yes|no)\Z")
_RECOGNISED_NOTE = "Recognised by:"
_IDENTIFIER_NOTE = re.compile(r"Identifier \((.*?)\): (.*)\Z", re.DOTALL)
_SUPERVISION_NOTE = re.compile(r"Supervision and identity verification: (.+)\Z", re.DOTALL)
_SELF_PACED_NOTE = "Self-paced: "
_DURATION_NOTE = re.compile(r"Duration: (\d+(?:\.\d+)?) (hours|days|weeks|months)\Z")
_STATUS_NOTE = re.compile(r"Status: (.+)\.\Z")
_STACKS_INTO = ". Stacks into: "


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _rest(text: str) -> str | None:
    parts = text.split("\n", 1)
    return parts[1] if len(parts) > 1 else None


def _labelled(text: str) -> bool:
    """Whether a note starts with one of the register's own headings."""
    line = _first_line(text)
    return bool(line.startswith((_QA_NOTE, _OCCUPATION_NOTE, _RECOGNISED_NOTE, _SELF_PACED_NOTE, "Status: ",
                                 "National qualifications framework (", "QF-EHEA cycle: ", "Economic sector (",
                                 "Included in a national", "Identifier (", "Supervision and identity", "Duration: "))
                or line.split(_STACKS_INTO)[0] in _STACK_LABELS)


@dataclass
class Note:
    """A note: its subject and its text by language tag (None: untagged), where it was."""

    subject: str | None
    text: dict
    node: Node
    prop: str

    def first(self) -> str:
        return next(iter(self.text.values()))


@dataclass
class Entry:
    """One credential of the source, as the import makes it."""

    where: str  # the opportunity or specification it comes from
    pos: tuple[int, int]
    values: dict
    register_id: str | None = None  # its id in the register that exported it, if it is such an export
    spec_iri: str | None = None
    slug: str | None = None
    path: Path | None = None
    text: str | None = None
    missing: list[str] = field(default_factory=list)
    skipped: str | None = None
    written: bool = False
    stacks: list[tuple[str, str, Node, str]] = field(default_factory=list)  # (kind, target, node, prop)
    origin: dict = field(default_factory=dict)  # values path -> (node, prop)


@dataclass
class ImportResult:
    source: str
    provider: str
    folder: Path
    entries: list[Entry]
    findings: list[Finding]
    dry_run: bool

    @property
    def exit_code(self) -> int:
        return 1 if any(e.missing or e.skipped for e in self.entries) else 0


# --- one entry ---------------------------------------------------------------------------------------------

class _Build:
    """The values of one credential record from an opportunity and/or a specification."""

    def __init__(self, run: "_Run", opportunity: Node | None, spec: Node | None, claim: Node | None = None):
        self.run = run
        self.source = run.source
        self.opp = opportunity
        self.spec = spec
        self.claim = claim
        self.values: dict = {}
        self.origin: dict = {}
        self.first: str | None = None
        self.stacks: list[tuple[str, str, Node, str]] = []
        main = opportunity or spec
        self.register_id = None
        for node in (opportunity, spec):
            m = _REGISTER_IRI.search(node.id or "") if node else None
            if m:
                self.register_id = m.group(1)
                break
        self.entry = Entry(main.label, main.pos, self.values, self.register_id, spec.id if spec else None)

    # -- helpers

    def warn(self, node: Node, prop: str | None, message: str, severity: str = "warning") -> None:
        self.run.find(node, prop, message, severity)

    def unmapped(self, node: Node, prop: str, values: list, why: str) -> None:
        self.warn(node, prop, f"{summary(values)}: not imported: {why}")
        for v in values:
            if isinstance(v, Node):
                self.run.consume(v)

    def put(self, path: tuple, value, node: Node | None, prop: str | None) -> None:
        target = self.values
        for part in path[:-1]:
            target = target.setdefault(part, {})
        target[path[-1]] = value
        if node is not None:
            self.origin[path] = (node, prop)

    def append(self, path: tuple, value, node: Node | None, prop: str | None) -> None:
        target = self.values
        for part in path[:-1]:
            target = target.setdefault(part, {})
        items = target.setdefault(path[-1], [])
        items.append(value)
        if node is not None:
            self.origin[path + (len(items) - 1,)] = (node, prop)

    def nodes(self, node: Node | None, prop: str) -> list[Node]:
        if node is None:
            return []
        out = []
        for v in node.take(prop):
            target = self.source.node(v)
            out.append(target if target is not None else _stub(v))
        return out

    def uris(self, node: Node | None, prop: str) -> list[tuple[str, Node | Lit]]:
        """(IRI, value) of each value of a property that names concepts."""
        if node is None:
            return []
        out = []
        for v in node.take(prop):
            if isinstance(v, Node):
                if v.id:
                    out.append((v.id, v))
            elif v.value.strip():
                out.append((v.value.strip(), v))
        return out

    def lits(self, node: Node | None, prop: str) -> list[Lit]:
        if node is None:
            return []
        return [v for v in node.take(prop) if isinstance(v, Lit)]

    def first_concept(self, node: Node, prop: str, code_of, why: str, found: str | None = None) -> str | None:
        """The register's code for the first concept of a property that has one, unless one was
        `found` before; every other value is reported as not imported, with `why`."""
        for uri, v in self.uris(node, prop):
            code = code_of(uri)
            if code and found is None:
                found = code
                self.concept_used(v)
            else:
                self.unmapped(node, prop, [v], why)
        return found

    def concept_used(self, value) -> None:
        if isinstance(value, Node):
            self.run.consume(value)

    def tag(self, lang: str | None, node: Node, prop: str) -> str | bool | None:
        """A text's language tag as the record writes it: None for the entry's first language (no tag,
        'und'), False for a tag that is not BCP 47."""
        if lang is None or lang.strip().lower() in ("", "und", ev.PROVIDER_TEXT):
            return None
        lang = lang.strip()
        if vocab.language_ok(lang):
            return lang
        self.warn(node, prop, f"'{lang}' is not a BCP 47 language tag: the text in it is not imported")
        return False

    def text_of(self, lits: list[Lit], node: Node, prop: str, *, report_extra: bool = True):
        """Literals as the register's Text: a string in the first language, else translations."""
        by_tag: dict = {}
        for lit in lits:
            if not lit.value or lit.value.isspace():
                continue
            tag = self.tag(lit.lang, node, prop)
            if tag is False:
                continue
            if tag == self.first:
                tag = None
            if tag in by_tag:
                if by_tag[tag] != lit.value and report_extra:
                    self.warn(node, prop, f"{summary([lit])}: not imported: a second text in the same language "
                                          f"(the first one is)")
                continue
            by_tag[tag] = lit.value
        if not by_tag:
            return None
        if list(by_tag) == [None]:
            return by_tag[None]
        if None in by_tag:
            if self.first is None:
                untagged = by_tag.pop(None)
                self.warn(node, prop, f"{json.dumps(_short(untagged), ensure_ascii=False)}: not imported: a text "
                                      "without a language beside translations, and the entry's language is unknown")
            else:
                by_tag = {self.first: by_tag.pop(None), **by_tag}
        return by_tag

    def take_text(self, node: Node | None, prop: str):
        if node is None:
            return None
        return self.text_of(self.lits(node, prop), node, prop)

    def one_text(self, lits: list[Lit]) -> str | None:
        """A plain text (no translations): the first language's, else the first."""
        texts = [lit for lit in lits if lit.value.strip()]
        for lit in texts:
            if lit.lang is None or lit.lang in (self.first, ev.PROVIDER_TEXT):
                return lit.value
        return texts[0].value if texts else None

    def url_of(self, page: Node) -> str | None:
        """A web resource's address: its contentURL, or its IRI where the file names it by that alone."""
        url = self.one_text(self.lits(page, "contentURL"))
        if url is None and not page.props and page.id and re.match(r"https?://", page.id):
            url = page.id
        return url

    # -- the entry

    def build(self) -> Entry:
        opp, spec = self.opp, self.spec
        self.languages()
        self.title()
        self.links()
        self.identifiers()
        self.bodies()
        self.outcomes()
        self.workload()
        self.level()
        self.assessment()
        self.participation()
        self.setting()
        self.accreditation()
        self.notes()
        self.documents()
        self.field()
        if opp is not None:
            self.places()
            self.cost()
            self.duration()
            self.dates()
        self.status()
        for node in (opp, spec):
            if node is not None:
                node.take("type")
        if opp is not None:
            for target in self.nodes(opp, "learningAchievementSpecification"):
                if target is not spec:
                    self.unmapped(opp, "learningAchievementSpecification", [target], "the entry has one "
                                                                                    "specification (the first)")
        self.entry.origin = self.origin
        self.entry.stacks = self.stacks
        return self.entry

    def languages(self) -> None:
        opp, spec = self.opp, self.spec
        default = None
        for uri, v in self.uris(opp, "defaultLanguage"):
            tag = ev.language_tag_of(uri)
            self.concept_used(v)
            if tag:
                default = default or tag
            elif uri != ev.UNDETERMINED_LANGUAGE:
                self.unmapped(opp, "defaultLanguage", [v], "not a language of the EU authority table")
        tags = []
        for node in [spec] + [s for s in self.assessments_of() if s is not None]:
            for uri, v in self.uris(node, "language"):
                tag = ev.language_tag_of(uri)
                self.concept_used(v)
                if tag:
                    tags.append(tag)
                elif uri != ev.UNDETERMINED_LANGUAGE:
                    self.unmapped(node, "language", [v], "not a language of the EU authority table")
        title_tags = []
        for node in (opp, spec):
            for v in (node.props.get("title", []) if node else []):
                if isinstance(v, Lit) and v.lang and vocab.language_ok(v.lang) and v.lang != ev.PROVIDER_TEXT:
                    title_tags.append(v.lang)
        # the first language: the default language where the file names one, else the title's where it is in
        # one language only (so the title is a plain string), else the specification's first
        first = default or (title_tags[0] if len(set(title_tags)) == 1 else None) or (tags[0] if tags else None)
        languages = list(dict.fromkeys(([first] if first else []) + tags))
        # a text's tag names the language more exactly (pt-BR for the table's Portuguese): take it
        text_tags = set(title_tags)
        for node in (opp, spec):
            for prop in ("description",):
                text_tags |= {v.lang for v in (node.props.get(prop, []) if node else [])
                              if isinstance(v, Lit) and v.lang and vocab.language_ok(v.lang)}
        for i, tag in enumerate(languages):
            if tag in text_tags:
                continue
            near = {t for t in text_tags if t.split("-")[0].lower() == tag.split("-")[0].lower()}
            if len(near) == 1:
                languages[i] = near.pop()
        languages = list(dict.fromkeys(languages))
        self.first = languages[0] if languages else None
        if languages:
            node, prop = (spec, "language") if spec is not None and spec.props.get("language") else (opp, "defaultLanguage")
            self.put(("languages",), languages, node, prop)

    def assessments_of(self) -> list[Node]:
        if not hasattr(self, "_assessments"):
            found = [n for n in self.nodes(self.spec, "provenBy") if n.is_a("LearningAssessmentSpecification")
                     or not n.types or n.xml]
            if self.claim is not None:
                for assessment in self.nodes(self.claim, "provenBy"):
                    self.issued_assessment = assessment
                    found += self.nodes(assessment, "specifiedBy")
            self._assessments = found
        return self._assessments

    def title(self) -> None:
        opp, spec = self.opp, self.spec
        own = opp if opp is not None and opp.props.get("title") else spec
        title = self.take_text(own, "title") if own is not None else None
        if title is not None:
            self.put(("title",), title, own, "title")
        other = spec if own is opp else None
        if other is not None and other.props.get("title"):
            if self.take_text(other, "title") != title:
                self.unmapped(other, "title", other.props["title"], "the specification's title differs from the "
                                                                    "opportunity's, which is the title")
        description = self.take_text(opp, "description")
        if description is not None:
            self.put(("description",), description, opp, "description")
        if spec is not None and spec.props.get("description"):
            text = self.take_text(spec, "description")
            if description is None:
                self.put(("description",), text, spec, "description")
            elif text != description:
                self.unmapped(spec, "description", spec.props["description"],
                              "the opportunity's description is the description")

    def links(self) -> None:
        opp, spec = self.opp, self.spec
        pages = []
        for node in (opp, spec):
            for page in self.nodes(node, "homepage"):
                pages.append((node, page))
        course = None
        for node, page in pages:
            url = self.url_of(page)
            titles = {v.value for v in page.take("title") if isinstance(v, Lit)}
            self.run.consume(page)
            if url is None:
                continue
            if _REGISTER_PAGE in titles and self.register_id:
                self.warn(node, "homepage", f"{url}: not imported: the credential's page in the register that "
                                            "exported it (the register makes its own)")
                continue
            if course is None and ("Course page" in titles or not any(t == "Course page" for _n, p in pages
                                                                         for t in _titles(p))):
                course = url
                self.put(("url",), url, node, "homepage")
            else:
                self.warn(node, "homepage", f"{url}: not imported: the entry has one course page (url: {course})")
        for doc in self.nodes(opp, "supplementaryDocument"):
            url = self.url_of(doc)
            titles = {v.value for v in doc.take("title") if isinstance(v, Lit)}
            self.run.consume(doc)
            if url and "Registration" in titles and "registration_url" not in self.values:
                self.put(("registration_url",), url, opp, "supplementaryDocument")
            elif url:
                self.warn(opp, "supplementaryDocument", f"{url} ({', '.join(sorted(titles)) or 'untitled'}): not "
                                                        "imported: the entry has no place for documents of the offer")

    def identifiers(self) -> None:
        seen = set()
        for node in (self.spec, self.opp):
            for ident in self.nodes(node, "identifier"):
                notation = self.one_text(self.lits(ident, "notation"))
                scheme_name = self.one_text(self.lits(ident, "schemeName"))
                if notation is None:
                    self.unmapped(node, "identifier", [ident], "an identifier without its code (notation)")
                    continue
                self.identifier(notation, scheme_name, ident, node, seen)

    def identifier(self, notation: str, scheme_name: str | None, ident: Node, node: Node, seen: set) -> None:
        scheme, note = _scheme_of(scheme_name)
        if scheme is None:
            self.unmapped(node, "identifier", [ident], "an identifier without a scheme name: say which register "
                                                       "gave the code (identifiers: scheme, note)")
            return
        key = (scheme, notation, note)
        if key in seen:
            return
        seen.add(key)
        item = {"scheme": scheme, "value": notation}
        if note:
            item["note"] = note
        self.append(("identifiers",), item, node, "identifier")

    def provider_org(self) -> Node | None:
        if not hasattr(self, "_org"):
            orgs = self.nodes(self.opp, "providedBy")
            if not orgs and self.run.issuer is not None:
                orgs = [self.run.issuer]
            self._org = orgs[0] if orgs else None
            for org in orgs:
                self.run.provider_org(org)
        return self._org

    def bodies(self) -> None:
        org = self.provider_org()
        awarding = []
        for node in (self.spec,):
            for opportunity in self.nodes(node, "awardingOpportunity"):
                for body in self.nodes(opportunity, "awardingBody"):
                    awarding.append((opportunity, body))
                for target in self.nodes(opportunity, "learningAchievementSpecification"):
                    if target is not self.spec:
                        self.unmapped(opportunity, "learningAchievementSpecification", [target],
                                      "an awarding opportunity of another specification")
        if self.claim is not None:
            for process in self.nodes(self.claim, "awardedBy"):
                for body in self.nodes(process, "awardingBody"):
                    awarding.append((process, body))
        if org is None and awarding:
            org = awarding[0][1]
            self._org = org
            self.run.provider_org(org)
        done = set()
        for holder, body in awarding:
            if body is org or body.id and org is not None and body.id == org.id or id(body) in done:
                continue
            done.add(id(body))
            self.awarding_body(holder, body)

    def awarding_body(self, holder: Node, body: Node) -> None:
        name = self.take_text(body, "legalName")
        country = None
        for location in self.nodes(body, "location"):
            for address in self.nodes(location, "address"):
                for uri, v in self.uris(address, "countryCode"):
                    self.concept_used(v)
                    country = country or ev.country_of(uri)
        url = None
        for page in self.nodes(body, "homepage"):
            url = url or self.url_of(page)
        if name is None or country is None:
            self.unmapped(holder, "awardingBody", [body], "an awarding body needs its name and country "
                                                          "(awarding_bodies: name, country)")
            return
        item = {"name": name, "country": country}
        if url:
            item["url"] = url
        self.append(("awarding_bodies",), item, holder, "awardingBody")

    def outcomes(self) -> None:
        spec = self.spec
        for outcome in self.nodes(spec, "learningOutcome"):
            frag = _fragment(outcome.id)
            title = self.take_text(outcome, "title")
            skills = self.uris(outcome, "relatedESCOSkill")
            if self.register_id and frag and frag.startswith("skill-"):
                if title is None:
                    self.unmapped(spec, "learningOutcome", [outcome], "a skill without its name")
                    continue
                item = {"label": title}
                for uri, v in skills[:1]:
                    self.concept_used(v)
                    if ESCO_URI["skill"].match(uri):
                        item["uri"] = uri
                    else:
                        self.unmapped(outcome, "relatedESCOSkill", [v], "not an ESCO skill URI")
                self.append(("skills",), item, outcome, "title")
                continue
            if title is not None:
                self.append(("learning_outcomes",), title, outcome, "title")
            for uri, v in skills:
                self.esco_skill(outcome, uri, v)

    def esco_skill(self, outcome: Node, uri: str, value) -> None:
        if not ESCO_URI["skill"].match(uri):
            self.unmapped(outcome, "relatedESCOSkill", [value], "not an ESCO skill URI")
            return
        label = self.text_of([v for v in value.props.get("prefLabel", []) if isinstance(v, Lit)], value,
                             "prefLabel") if isinstance(value, Node) else None
        if label is None:
            self.unmapped(outcome, "relatedESCOSkill", [value], "an ESCO skill without its label in the file "
                                                                "(skills: label, uri)")
            return
        self.concept_used(value)
        if any(s.get("uri") == uri for s in self.values.get("skills", [])):
            return
        self.append(("skills",), {"label": label, "uri": uri}, outcome, "relatedESCOSkill")

    def workload(self) -> None:
        spec = self.spec
        for credit in self.nodes(spec, "creditPoint"):
            frameworks = self.uris(credit, "framework")
            points = self.lits(credit, "point")
            why = "credit points are imported in ECTS only (workload.ects)"
            if frameworks and frameworks[0][0] == ev.ECTS[0] and points:
                self.concept_used(frameworks[0][1])
                value = _number(points[0].value)
                if value is not None and "ects" not in self.values.get("workload", {}):
                    self.put(("workload", "ects"), value, credit, "point")
                    continue
                why = "not a number" if value is None else "the entry has one number of ECTS credits"
            self.unmapped(spec, "creditPoint", [credit], why)
        for v in self.lits(spec, "volumeOfLearning"):
            hours = hours_of(v.value)
            if hours is not None and "hours" not in self.values.get("workload", {}):
                self.put(("workload", "hours"), hours, spec, "volumeOfLearning")
            else:
                self.unmapped(spec, "volumeOfLearning", [v], "a volume of learning is imported as hours "
                                                             "(PT…H): days, months or years are not hours")

    def level(self) -> None:
        spec = self.spec
        for prop in ("eqfLevel", "educationLevel"):
            for uri, v in self.uris(spec, prop):
                level = ev.eqf_level_of(uri)
                if level is not None and "eqf" not in self.values.get("level", {}):
                    self.concept_used(v)
                    self.put(("level", "eqf"), level, spec, prop)
                elif level is not None and self.values["level"]["eqf"] == level:
                    self.concept_used(v)
                else:
                    self.unmapped(spec, prop, [v], "the entry has one EQF level (1 to 8)" if level is None or
                                  "eqf" in self.values.get("level", {}) else "not an EQF level")
        self._nqf_concepts = self.uris(spec, "nqfLevel")

    def nqf(self, note: tuple | None) -> None:
        """The national level: as the register's note wrote it, else from the QDR concept."""
        spec = self.spec
        if note is not None:
            country, level, holder = note
            self.put(("level", "nqf"), {"country": country, "level": level}, holder, "additionalNote")
            for uri, v in self._nqf_concepts:
                self.concept_used(v)
            return
        for uri, v in self._nqf_concepts:
            found = ev.nqf_level_of(uri)
            if found is None:
                self.unmapped(spec, "nqfLevel", [v], "not a level of the QDR's national frameworks")
                continue
            country, prefix, level, several = found
            if "nqf" in self.values.get("level", {}):
                self.unmapped(spec, "nqfLevel", [v], "the entry has one national level")
                continue
            if level is None:
                self.unmapped(spec, "nqfLevel", [v], f"names the framework {prefix} of {country}, not a level in "
                                                     "it: write level.nqf by hand")
                continue
            self.concept_used(v)
            written = f"{prefix} Level {level}" if several else level
            if several:
                self.warn(spec, "nqfLevel", f"{uri} ({prefix} Level {level}): imported as level.nqf "
                                            f"{{country: {country}, level: {written}}}: {country} has several "
                                            "frameworks, so the register's export says the level in a note, "
                                            "not as this concept")
            self.put(("level", "nqf"), {"country": country, "level": written}, spec, "nqfLevel")

    def assessment(self) -> None:
        types: list[str] = []
        description = None
        for las in self.assessments_of():
            found = self.assessment_types(las)
            types += [t for t in found if t not in types]
            text = self.take_text(las, "description")
            if text is not None and description is None:
                description = text
                self.put(("assessment", "description"), text, las, "description")
            elif text is not None:
                self.unmapped(las, "description", las.props["description"], "the entry has one assessment "
                                                                            "description (the first one's)")
            for note in self.notes_of(las, "additionalNote"):
                m = _SUPERVISION_NOTE.fullmatch(note.first())
                code = _SUPERVISION_LABELS.get(m.group(1)) if m else None
                if code:
                    self.put(("assessment", "supervision"), code, las, "additionalNote")
                else:
                    self.unmapped(las, note.prop, [note.node], "a note the entry has no place for")
        if types:
            self.put(("assessment", "type"), types, self.assessments_of()[0], "dcType")
        issued = getattr(self, "issued_assessment", None)
        if issued is not None:
            for uri, v in self.uris(issued, "idVerification"):
                found = ev.SUPERVISION_VERIFICATION.get(uri)
                if found and "supervision" not in self.values.get("assessment", {}):
                    self.concept_used(v)
                    self.put(("assessment", "supervision"), found[0], issued, "idVerification")
                else:
                    self.unmapped(issued, "idVerification", [v], "not a concept of the register's supervision and "
                                                                 "identity verification values")

    def assessment_types(self, las: Node) -> list[str]:
        concepts = self.uris(las, "dcType")
        categories = self.lits(las, "category")
        titles = [v.value for v in las.props.get("title", []) if isinstance(v, Lit)]
        # the register's own: its title lists the types by the register's names, in order
        for title in titles:
            parts = title.split(", ")
            codes = [_ASSESSMENT_LABELS.get(p) for p in parts]
            if codes and all(codes) and {uri for uri, _v in concepts} <= {ev.ASSESSMENT_TYPES[c][0] for c in codes} \
                    and all(_ASSESSMENT_LABELS.get(c.value) in codes for c in categories):
                las.take("title")
                for _uri, v in concepts:
                    self.concept_used(v)
                return list(dict.fromkeys(codes))
        codes = []
        for cat in categories:
            code = _ASSESSMENT_LABELS.get(cat.value)
            if code:
                codes.append(code)
            else:
                self.unmapped(las, "category", [cat], "not one of the register's types of assessment")
        covered = {ev.ASSESSMENT_TYPES[c][0] for c in codes}
        for uri, v in concepts:
            if uri in covered:
                self.concept_used(v)
                continue
            found = ev.ASSESSMENT_TYPE_OF.get(uri)
            if found is None:
                why = ("the nearest concept of several types of assessment (" + ", ".join(ev.assessment_codes(uri))
                       + "): not said which") if ev.assessment_codes(uri) else "no type of assessment of the " \
                                                                              "register matches it"
                self.unmapped(las, "dcType", [v], why)
                continue
            code, rule = found
            self.concept_used(v)
            if rule == "nearest":
                self.warn(las, "dcType", f"{uri} ({ev.ASSESSMENT_TYPES[code][1]}): imported as the nearest type "
                                         f"of assessment, {code} ({vocab.ASSESSMENT_TYPES[code]}); check it")
            codes.append(code)
        return list(dict.fromkeys(codes))

    def participation(self) -> None:
        opp, spec = self.opp, self.spec
        activities = self.nodes(opp, "learningActivitySpecification")
        activity_type = None
        for activity in activities:
            for uri, v in self.uris(activity, "dcType"):
                if uri in ev.ACTIVITY_OF and activity_type is None:
                    activity_type = (uri, v, activity)
        modes = [(opp, m) for m in self.uris(opp, "mode")] + [(spec, m) for m in self.uris(spec, "mode")]
        chosen = None
        for node, (uri, v) in modes:
            found = ev.participation_of(uri, activity_type[0] if activity_type else None)
            if found is None:
                self.unmapped(node, "mode", [v], "no form of participation of the register matches this mode")
                continue
            code, rule = found
            if chosen is None:
                chosen = code
                self.concept_used(v)
                self.put(("participation",), code, node, "mode")
                if rule == "nearest":
                    self.warn(node, "mode", f"{uri}: imported as the nearest form of participation, {code}; check it")
            elif code == chosen:
                self.concept_used(v)
            else:
                self.unmapped(node, "mode", [v], f"the entry has one form of participation ({chosen})")
        for activity in activities:
            titles = {v.value for v in activity.props.get("title", []) if isinstance(v, Lit)}
            if activity_type and activity is activity_type[2] and chosen == ev.ACTIVITY_OF[activity_type[0]] \
                    and titles <= {vocab.PARTICIPATION[chosen]}:
                self.run.consume(activity)  # the export's own: says the form of participation again
            else:
                self.unmapped(opp, "learningActivitySpecification", [activity], "the entry describes no learning "
                                                                                "activities")

    def setting(self) -> None:
        for uri, v in self.uris(self.spec, "learningSetting"):
            code = ev.LEARNING_SETTING_OF.get(uri)
            if code and "learning_setting" not in self.values:
                self.concept_used(v)
                self.put(("learning_setting",), code, self.spec, "learningSetting")
            else:
                self.unmapped(self.spec, "learningSetting", [v], "not a learning setting of the register")

    def accreditation(self) -> None:
        """ELM accreditations of the specification: a quality assurance entry each, where its type says which."""
        for node in (self.spec,):
            for acc in self.nodes(node, "accreditation"):
                types = self.uris(acc, "dcType")
                code = None
                for uri, v in types:
                    found = ev.ACCREDITATION_TYPES.get(uri)
                    if found and found[0]:
                        code = found[0]
                        self.concept_used(v)
                if code is None:
                    self.unmapped(node, "accreditation", [acc], "its type is none of the register's types of "
                                                                "quality assurance")
                    continue
                item = {"type": code}
                for agent in self.nodes(acc, "accreditingAgent"):
                    body = self.take_text(agent, "legalName")
                    if body is not None and "body" not in item:
                        item["body"] = body
                description = self.take_text(acc, "description") or self.take_text(acc, "title")
                if description is not None:
                    item["description"] = description
                for prop in ("report", "landingPage", "homepage"):
                    for page in self.nodes(acc, prop):
                        url = self.url_of(page)
                        if url and "url" not in item:
                            item["url"] = url
                            self.run.consume(page)
                self.append(("quality_assurance",), item, node, "accreditation")

    # -- notes

    def notes_of(self, node: Node | None, prop: str) -> list[Note]:
        """A property's notes, one per note: in the XML a note is one language, and a note in several
        languages is several elements in a row, which are put together again."""
        out: list[Note] = []
        for n in self.nodes(node, prop):
            subjects = self.uris(n, "subject")
            for _uri, v in subjects:
                self.concept_used(v)
            subject = subjects[0][0] if subjects else None
            text: dict = {}
            for lit in n.take("noteLiteral"):
                if isinstance(lit, Lit) and lit.value and lit.lang not in text:
                    text[lit.lang] = lit.value
            n.take("type")
            leftover = [p for p in n.props if p not in n.used]
            if leftover:
                for p in leftover:
                    self.unmapped(n, p, n.props[p], "a note's format and other details are not imported")
            if not text:
                continue
            last = out[-1] if out else None
            if node is not None and node.xml and last is not None and last.subject == subject and \
                    not (set(text) & set(last.text)) and _same_heading(last.first(), next(iter(text.values()))):
                last.text.update(text)
                continue
            out.append(Note(subject, text, n, prop))
        return out

    def notes(self) -> None:
        spec, opp = self.spec, self.opp
        nqf_note = None
        qa_notes: list[tuple[Note, str]] = []
        for note in self.notes_of(spec, "additionalNote"):
            first = note.first()
            line = _first_line(first)
            if m := _NQF_NOTE.fullmatch(first):
                nqf_note = (m.group(1), m.group(2), note.node)
            elif m := _QF_EHEA_NOTE.fullmatch(first):
                code = _QF_EHEA_LABELS.get(m.group(1))
                self.put_or_report(("level", "qf_ehea"), code, note, "not a QF-EHEA cycle of the register")
            elif m := _SECTOR_NOTE.fullmatch(first):
                self.put_or_report(("sector",), m.group(1) if m.group(1) in vocab.nace_sections() else None, note,
                                   "not a NACE section")
            elif line == _OCCUPATION_NOTE:
                self.occupation(note)
            elif line.startswith(_QA_NOTE):
                code = _QA_LABELS.get(line[len(_QA_NOTE):]) or (
                    line[len(_QA_NOTE):] if line[len(_QA_NOTE):] in vocab.QUALITY_ASSURANCE_TYPES else None)
                if code:
                    qa_notes.append((note, code))
                else:
                    self.unmapped(spec, note.prop, [note.node], "not one of the register's types of quality "
                                                                "assurance")
            elif m := _NQF_INCLUDED_NOTE.fullmatch(first):
                self.put(("recognition", "nqf_included"), m.group(1) == "yes", note.node, "noteLiteral")
            elif line == _RECOGNISED_NOTE:
                self.recognised(note)
            elif line.split(_STACKS_INTO)[0] in _STACK_LABELS:
                self.stackability(note)
            elif m := _IDENTIFIER_NOTE.fullmatch(first):
                self.identifier(m.group(2), m.group(1), note.node, spec, set(
                    (i["scheme"], i["value"], i.get("note")) for i in self.values.get("identifiers", [])))
            elif note.subject == ev.TOPIC["duration"] and "note" not in self.values.get("workload", {}):
                self.put(("workload", "note"), self.note_text(note.text, note), note.node, "noteLiteral")
            elif note.subject == ev.TOPIC["entry-requirements"]:
                self.prerequisite(note)
            elif note.subject == ev.TOPIC["recognition"] and "note" not in self.values.get("recognition", {}):
                self.put(("recognition", "note"), self.note_text(note.text, note), note.node, "noteLiteral")
            else:
                self.unmapped(spec, note.prop, [note.node], "a note the entry has no place for")
        self.nqf(nqf_note)
        self.quality_notes(qa_notes)
        for note in self.notes_of(spec, "entryRequirement"):
            self.prerequisite(note, first=True)
        for note in self.notes_of(opp, "additionalNote"):
            first = note.first()
            if first.startswith(_SELF_PACED_NOTE):
                self.put(("self_paced",), True, note.node, "noteLiteral")
            elif m := _DURATION_NOTE.fullmatch(first):
                self.put(("duration", "value"), _number(m.group(1)), note.node, "noteLiteral")
                self.put(("duration", "unit"), _DURATION_UNITS[m.group(2)], note.node, "noteLiteral")
            elif (m := _STATUS_NOTE.fullmatch(_first_line(first))) and m.group(1) in _STATUS_LABELS:
                rest = {tag: _rest(text) for tag, text in note.text.items() if _rest(text)}
                if rest:
                    self.put(("status_note",), self.note_text(self.fallbacks(rest), note), note.node, "noteLiteral")
            elif note.subject == ev.TOPIC["duration"] and opp.xml:
                self._schedule_more = getattr(self, "_schedule_more", []) + [note]
            else:
                self.unmapped(opp, note.prop, [note.node], "a note the entry has no place for")

    def put_or_report(self, path: tuple, value, note: Note, why: str) -> None:
        if value is None:
            self.unmapped(self.spec, note.prop, [note.node], why)
        else:
            self.put(path, value, note.node, "noteLiteral")

    def note_text(self, text: dict, note: Note):
        lits = [Lit(t, tag) for tag, t in text.items()]
        return self.text_of(lits, note.node, "noteLiteral")

    def fallbacks(self, parts: dict) -> dict:
        """A composed note's part in each language, less the copies of the first-language text the export
        puts where a part has no translation (elm.compose)."""
        if len(parts) < 2:
            return parts
        main = self.first if self.first in parts else None if None in parts else next(iter(parts))
        return {tag: text for tag, text in parts.items() if tag == main or text != parts[main]}

    def prerequisite(self, note: Note, first: bool = False) -> None:
        text = self.note_text(note.text, note)
        if text is None:
            return
        have = self.values.get("prerequisites")
        if have is None:
            self.put(("prerequisites",), text, note.node, "noteLiteral")
            return
        merged = _translations(have, self.first)
        new = _translations(text, self.first)
        if set(merged) & set(new):
            self.unmapped(self.spec, note.prop, [note.node], "a second text of the entry requirements")
            return
        self.put(("prerequisites",), {**merged, **new} if not first else {**new, **merged}, note.node, "noteLiteral")

    def occupation(self, note: Note) -> None:
        label = self.note_text(self.fallbacks({tag: _rest(t) or "" for tag, t in note.text.items()}), note)
        if label is None:
            self.unmapped(self.spec, note.prop, [note.node], "an occupation without its name")
            return
        item = {"label": label}
        if note.subject and ESCO_URI["occupation"].match(note.subject):
            item["uri"] = note.subject
        self.append(("occupations",), item, note.node, "noteLiteral")

    def recognised(self, note: Note) -> None:
        names, descriptions = {}, {}
        for tag, text in note.text.items():
            rest = _rest(text) or ""
            name, _, description = rest.partition("\n")
            if name:
                names[tag] = name
            if description:
                descriptions[tag] = description
        name = self.note_text(self.fallbacks(names), note)
        if name is None:
            self.unmapped(self.spec, note.prop, [note.node], "a recognising body without its name")
            return
        item = {"name": name}
        description = self.note_text(self.fallbacks(descriptions), note)
        if description is not None:
            item["description"] = description
        recognition = self.values.setdefault("recognition", {})
        recognition.setdefault("recognised_by", []).append(item)
        self._recognised = getattr(self, "_recognised", []) + [(item, note)]
        self.origin[("recognition", "recognised_by", len(recognition["recognised_by"]) - 1)] = (note.node, "noteLiteral")

    def stackability(self, note: Note) -> None:
        line = _first_line(note.first())
        label, _, targets = line.partition(_STACKS_INTO)
        item = {"mode": _STACK_LABELS[label]}
        towards = self.note_text(self.fallbacks({tag: _rest(t) for tag, t in note.text.items() if _rest(t)}), note)
        if towards is not None:
            item["towards"] = towards
        self.put(("stackability",), item, note.node, "noteLiteral")
        for target in (t.strip() for t in targets.split(",") if t.strip()):
            self.stacks.append(("id", target, note.node, "noteLiteral"))

    def quality_notes(self, notes: list[tuple[Note, str]]) -> None:
        docs = self.evidence_docs()
        # recognising bodies' pages first (the XML lists them after the quality assurance evidence: from
        # the end), then each quality assurance entry's evidence
        for body, note in getattr(self, "_recognised", []):
            names = set(_translations(body["name"], self.first).values())
            doc = self.pick(docs, note, "-page", names, from_end=True)
            if doc is not None:
                body["url"] = doc[2]
        for note, code in notes:
            firsts, rests = {}, {}
            for tag, text in note.text.items():
                rest = _rest(text)
                if rest is None:
                    continue
                head, _, tail = rest.partition("\n")
                firsts[tag] = head
                if tail:
                    rests[tag] = tail
            item = {"type": code}
            label = vocab.QUALITY_ASSURANCE_TYPES[code]
            values = set(firsts.values())
            doc = self.pick(docs, note, "-evidence", values | {label})
            if firsts and not rests:
                # one part: the body or the description (the export writes both in one text); the evidence,
                # if any, is titled with the body, else with the type
                if doc is not None:
                    as_body = bool(doc[1] & values)
                else:
                    as_body = not next(iter(firsts.values())).rstrip().endswith(_SENTENCE_END)
                item["body" if as_body else "description"] = self.note_text(self.fallbacks(firsts), note)
            elif firsts:
                item["body"] = self.note_text(self.fallbacks(firsts), note)
                item["description"] = self.note_text(self.fallbacks(rests), note)
            item = {k: v for k, v in item.items() if v is not None}
            if doc is not None:
                item["url"] = doc[2]
            self.append(("quality_assurance",), item, note.node, "noteLiteral")

    def pick(self, docs: list, note: Note, suffix: str, titles: set, from_end: bool = False):
        """The document that backs a note: by the export's ids where it has them, else by its title."""
        found = None
        if note.node.id and any(d[0].id for d in docs):
            found = next((d for d in docs if d[0].id == note.node.id + suffix), None)
        elif not any(d[0].id for d in docs):
            found = next((d for d in (reversed(docs) if from_end else docs) if d[1] & titles), None)
        if found is not None:
            docs.remove(found)
            self.used_docs.append(found[0])
        return found

    def evidence_docs(self) -> list:
        if not hasattr(self, "_docs"):
            self._docs = []
            self.used_docs: list[Node] = []
            for doc in self.nodes(self.spec, "supplementaryDocument"):
                url = self.url_of(doc)
                titles = {v.value for v in doc.props.get("title", []) if isinstance(v, Lit)}
                if url:
                    self._docs.append((doc, titles, url))
        return self._docs

    def documents(self) -> None:
        """The specification's documents the notes did not claim: links to the credentials it stacks
        into (the register's exports), else reported."""
        used = {id(d) for d in getattr(self, "used_docs", [])}
        for doc, titles, url in self.evidence_docs():
            if id(doc) in used:
                continue
            m = _REGISTER_IRI.search(url)
            if m and not m.group(2):
                self.stacks.append(("id", m.group(1), self.spec, "supplementaryDocument"))
                self.run.consume(doc)
                continue
            self.unmapped(self.spec, "supplementaryDocument", [doc], "a document the entry has no place for")
        for d in getattr(self, "used_docs", []):
            self.run.consume(d)
        # stackability: the specifications this one is part of
        for target in self.nodes(self.spec, "isPartOf"):
            m = _REGISTER_IRI.search(target.id or "")
            self.run.consume(target)
            if m and m.group(2) == "specification":
                self.stacks.append(("id", m.group(1), self.spec, "isPartOf"))
            elif target.id:
                self.stacks.append(("spec", target.id, self.spec, "isPartOf"))
            else:
                self.unmapped(self.spec, "isPartOf", [target], "a specification without an id")
        if self.stacks and "stackability" not in self.values:
            self.put(("stackability",), {"mode": "stackable"}, self.stacks[0][2], self.stacks[0][3])

    def field(self) -> None:
        for uri, v in self.uris(self.spec, "thematicArea"):
            code = ev.isced_field_of(uri)
            if code and "field" not in self.values:
                self.concept_used(v)
                self.put(("field",), code, self.spec, "thematicArea")
            elif code:
                self.unmapped(self.spec, "thematicArea", [v], f"the entry has one field of education "
                                                              f"(field: \"{self.values['field']}\", the first)")
            else:
                self.unmapped(self.spec, "thematicArea", [v], "not an ISCED-F 2013 field code")

    def places(self) -> None:
        opp = self.opp
        countries, locations = [], []
        for loc in self.nodes(opp, "location"):
            country = None
            for address in self.nodes(loc, "address"):
                country = self.first_concept(address, "countryCode", ev.country_of,
                                             "not a country the register knows", country)
            city = self.one_text(self.lits(loc, "geographicName"))
            region = self.first_concept(loc, "spatialCode", ev.nuts_region_of,
                                        "a place's region is imported as a NUTS code only")
            if country is None:
                self.unmapped(opp, "location", [loc], "a place without its country")
                continue
            frag = _fragment(loc.id) if self.register_id else None
            countries.append(country)
            if (frag or "").startswith("country-") or (frag is None and not city and not region):
                continue
            item = {"country": country}
            if city:
                item["city"] = city
            if region:
                item["region"] = region
            self.append(("locations",), item, loc, "address")
        countries = list(dict.fromkeys(countries))
        if countries and countries != [self.run.provider_country]:
            self.put(("countries",), countries, opp, "location")

    def cost(self) -> None:
        opp = self.opp
        for i, price in enumerate(self.nodes(opp, "priceDetail")):
            if i:
                self.unmapped(opp, "priceDetail", [price], "the entry has one cost")
                continue
            amount, currency = None, None
            for node in self.nodes(price, "amount"):
                for uri, v in self.uris(node, "unit"):
                    self.concept_used(v)
                    currency = ev.currency_of(uri) if uri != ev.NO_CURRENCY else None
                    if currency is None and uri != ev.NO_CURRENCY:
                        self.unmapped(node, "unit", [v], "not an ISO 4217 currency")
                values = self.lits(node, "value")
                amount = _number(values[0].value) if values else None
                if values and amount is None:
                    self.unmapped(node, "value", values, "not a number")
            if amount is None:
                self.unmapped(opp, "priceDetail", [price], "a price without its amount")
                continue
            self.put(("cost", "amount"), amount, price, "amount")
            if currency:
                self.put(("cost", "currency"), currency, price, "amount")
            note = self.take_text(price, "description")
            if note is not None:
                self.put(("cost", "note"), note, price, "description")

    def duration(self) -> None:
        opp = self.opp
        for v in self.lits(opp, "duration"):
            found = calendar_of(v.value)
            if found is None or "value" in self.values.get("duration", {}):
                self.unmapped(opp, "duration", [v], "a duration is imported in months, weeks, days or hours, one "
                                                    "of them")
                continue
            self.put(("duration", "value"), found[0], opp, "duration")
            self.put(("duration", "unit"), found[1], opp, "duration")
        notes = self.notes_of(opp, "scheduleInformation") + getattr(self, "_schedule_more", [])
        texts: dict = {}
        for note in notes:
            for tag, text in note.text.items():
                texts.setdefault(tag, text)
        if texts:
            if "value" in self.values.get("duration", {}):
                self.put(("duration", "note"), self.note_text(texts, notes[0]), notes[0].node, "noteLiteral")
            else:
                for note in notes:
                    self.unmapped(opp, note.prop, [note.node], "a schedule without a duration: the entry's "
                                                               "duration.note goes with duration.value and unit")

    def dates(self) -> None:
        opp = self.opp
        parts = self.nodes(opp, "hasPart")
        for other in self.run.parts_of(opp):
            if all(p is not other for p in parts):
                parts.append(other)
        starts = []
        for part in parts:
            day = None
            for period in self.nodes(part, "temporal"):
                for v in self.lits(period, "startDate"):
                    day = day or day_of(v.value)
            # what the register's export says again in each of them: the offer's title, page, provider,
            # specification and language, and whose part it is (anything else is reported)
            for prop in ("title", "homepage", "providedBy", "defaultLanguage", "type"):
                for v in part.take(prop):
                    if isinstance(v, Node) and prop in ("homepage", "defaultLanguage"):
                        self.run.consume(v)
            for prop, same in (("learningAchievementSpecification", self.spec), ("isPartOf", opp)):
                for v in self.nodes(part, prop):
                    if v is not same:
                        self.unmapped(part, prop, [v], "a start of the offer with another "
                                                       + ("specification" if same is self.spec else "whole"))
            if day is None:
                self.unmapped(opp, "hasPart", [part], "a part of the opportunity without a start date")
                continue
            if day not in starts:
                starts.append(day)
                self.origin[("start_dates", len(starts) - 1)] = (part, "temporal")
        period_is_validity = self.register_id is not None or bool(parts)
        for period in self.nodes(opp, "temporal"):
            for v in self.lits(period, "startDate"):
                day = day_of(v.value)
                if day and period_is_validity:
                    self.put(("valid_from",), day, period, "startDate")
                elif day and day not in starts:
                    starts.append(day)
                    self.origin[("start_dates", len(starts) - 1)] = (period, "startDate")
            for v in self.lits(period, "endDate"):
                day = day_of(v.value)
                self._end = (day, period, v) if day else None
                if day is None:
                    self.unmapped(period, "endDate", [v], "not a date")
        if starts:
            self.values["start_dates"] = starts

    def status(self) -> None:
        status = None
        for node in (self.opp, self.spec):
            for v in self.lits(node, "status"):
                value = v.value.strip()
                if value in vocab.STATUSES and status is None:
                    status = value
                    self.put(("status",), value, node, "status")
                elif value != status:
                    self.unmapped(node, "status", [v], "not a status of the register (active, suspended, withdrawn)")
        end = getattr(self, "_end", None)
        if end is not None:
            day, period, v = end
            if status == "withdrawn":
                self.put(("withdrawn_on",), day, period, "endDate")
            else:
                self.unmapped(period, "endDate", [v], "the register records an end date only as withdrawn_on, "
                                                      "with status: withdrawn")


def _titles(node: Node) -> set[str]:
    return {v.value for v in node.props.get("title", []) if isinstance(v, Lit)}


def _stub(value) -> Node:
    text = value.value if isinstance(value, Lit) else str(value)
    return Node(text, text, text, (1, 1))


def _fragment(iri: str | None) -> str | None:
    if not iri or "#" not in iri:
        return None
    return iri.rsplit("#", 1)[1]


def _same_heading(a: str, b: str) -> bool:
    """Whether two one-language notes in a row can be one note's translations: both plain, or both
    under the same heading of the register's."""
    if _labelled(a) or _labelled(b):
        return _first_line(a) == _first_line(b) and _labelled(a) and _labelled(b)
    return True


def _translations(text, first: str | None) -> dict:
    return {first: text} if isinstance(text, str) else dict(text)


def _scheme_of(name: str | None) -> tuple[str | None, str | None]:
    """The register's identifier scheme (and note) a scheme name names; else other, named in the note."""
    if name is None or not name.strip():
        return None, None
    name = name.strip()
    if name in _SCHEME_LABELS and name != vocab.IDENTIFIER_SCHEMES["other"]:
        return _SCHEME_LABELS[name], None
    for label, code in _SCHEME_LABELS.items():
        if name.startswith(label + ": "):
            return code, name[len(label) + 2:]
    code = _SCHEME_WORDS.get(name.casefold())
    if code:
        return code, None
    return "other", name


# --- the whole import --------------------------------------------------------------------------------------

class _Run:
    def __init__(self, source: Source, catalogue: Path, provider_id: str, provider_country: str | None):
        self.source = source
        self.catalogue = catalogue
        self.provider_id = provider_id
        self.provider_country = provider_country
        self.findings: list[Finding] = []
        self._seen: set = set()
        self.done: set[int] = set()
        self.issuer: Node | None = None
        self.orgs: set[int] = set()
        self._parts: dict[int, list[Node]] | None = None

    def find(self, node: Node, prop: str | None, message: str, severity: str = "warning") -> None:
        key = (node.place(prop), message)
        if key in self._seen:
            return
        self._seen.add(key)
        line, column = node.pos
        self.findings.append(Finding(self.source.file, line, column, severity, f"{node.place(prop)}: {message}"))

    def consume(self, node: Node) -> None:
        """A node taken as a whole: it and what it holds are not reported."""
        stack = [node]
        while stack:
            n = stack.pop()
            if n.whole:
                continue
            n.whole = True
            for values in n.props.values():
                stack += [v for v in values if isinstance(v, Node)]


    def provider_org(self, org: Node) -> None:
        if id(org) in self.orgs:
            return
        self.orgs.add(id(org))
        name = _node_name(org)
        self.find(org, None, f"the provider's organisation{f' ({name})' if name else ''}: not imported: "
                             f"{shown(self.catalogue / self.provider_id / PROVIDER_FILE)} describes the provider")
        self.consume(org)

    def parts_of(self, opportunity: Node) -> list[Node]:
        if self._parts is None:
            self._parts = {}
            for node in self.source.nodes:
                if node.is_a("LearningOpportunity"):
                    for v in node.props.get("isPartOf", []):
                        if isinstance(v, Node):
                            self._parts.setdefault(id(v), []).append(node)
        return self._parts.get(id(opportunity), [])

    # -- what the file holds

    def entries(self) -> list[tuple[Node | None, Node | None, Node | None]]:
        """(opportunity, specification, claim) of each credential of the file."""
        nodes = self.source.nodes
        opportunities = [n for n in nodes if n.is_a("LearningOpportunity") and n.props]
        parts = set()
        for n in opportunities:
            for v in n.props.get("hasPart", []):
                if isinstance(v, Node):
                    parts.add(id(v))
            for v in n.props.get("isPartOf", []):
                if isinstance(v, Node) and v.is_a("LearningOpportunity"):
                    parts.add(id(n))
        out = []
        offered = set()
        for opp in opportunities:
            if id(opp) in parts:
                continue
            specs = [v for v in opp.props.get("learningAchievementSpecification", []) if isinstance(v, Node)]
            for spec in specs:
                offered.add(id(spec))
            out.append((opp, specs[0] if specs else None, None))
        credentials = [n for n in nodes if n.is_a(*_CREDENTIALS) or "credentialSubject" in n.props]
        for cred in credentials:
            cred.group = "the issued credential's own data"
            for issuer in cred.take("issuer"):
                if isinstance(issuer, Node):
                    self.issuer = issuer
            for subject in cred.take("credentialSubject"):
                if not isinstance(subject, Node):
                    continue
                subject.group = "the learner's data (an issued credential's personal data)"
                for claim in subject.take("hasClaim"):
                    if not isinstance(claim, Node):
                        continue
                    claim.group = "the learner's achievement (what one learner was awarded)"
                    for assessment in claim.props.get("provenBy", []):
                        if isinstance(assessment, Node):
                            assessment.group = "the learner's assessment (how one learner was assessed)"
                    for spec in claim.take("specifiedBy"):
                        if isinstance(spec, Node) and id(spec) not in offered:
                            offered.add(id(spec))
                            out.append((None, spec, claim))
        if not out:
            linked = set()
            for n in nodes:
                for prop in ("isPartOf", "hasPart", "specialisationOf", "generalisationOf"):
                    for v in n.props.get(prop, []):
                        if isinstance(v, Node) and n.is_a(*_SPECIFICATIONS):
                            linked.add(id(v))
            for spec in nodes:
                if spec.is_a(*_SPECIFICATIONS) and spec.props and (spec in self.source.top or id(spec) not in linked):
                    out.append((None, spec, None))
        self.credentials = credentials
        return out

    def walk(self, roots: list[Node]) -> None:
        """Report what the import did not use, below the nodes it started from."""
        stack = list(reversed(roots))
        while stack:
            node = stack.pop()
            if id(node) in self.done:
                continue
            self.done.add(id(node))
            if node.whole:
                continue
            unused = [p for p in node.props if p not in node.used]
            if node.group and unused:
                self.find(node, None, f"{node.group} ({', '.join(unused)}): not imported")
                for p in unused:
                    for v in node.props[p]:
                        if isinstance(v, Node):
                            self.consume(v)
            else:
                for p in unused:
                    values = node.props[p]
                    self.find(node, p, f"{summary(values)}: not imported: the entry has no place for it")
                    for v in values:
                        if isinstance(v, Node):
                            self.consume(v)
            children = [v for p in node.used for v in node.props.get(p, []) if isinstance(v, Node)]
            stack += list(reversed(children))

    def rest(self) -> None:
        """Top-level nodes no imported credential reached."""
        for node in self.source.top if self.source.kind == "xml" else self.source.nodes:
            if id(node) in self.done or node.whole or not node.props or (node.types == ["Concept"] and not node.xml):
                continue
            if self.source.kind == "json" and node.id is None:
                continue
            self.done.add(id(node))
            name = _node_name(node)
            self.find(node, None, f"{'/'.join(node.types) or 'node'}{f' ({name})' if name else ''}: not imported: "
                                  "not part of any credential the import made")
            self.consume(node)


def _find_line(text: str, path: tuple) -> int | None:
    """The line of a field (written or commented out) in a rendered file."""
    lines = text.split("\n")
    start, indent = 0, 0
    found = None
    for part in path:
        if isinstance(part, int):
            continue
        pattern = re.compile(r"^" + " " * indent + r"(?:# )?(?:- )?" + re.escape(part) + r":")
        for i in range(start, len(lines)):
            if pattern.match(lines[i]):
                found, start, indent = i, i + 1, indent + 2
                break
        else:
            return found + 1 if found is not None else None
    return found + 1 if found is not None else None


def _parse_path(dotted: str) -> tuple:
    out = []
    for m in re.finditer(r"\[(\d+)\]|([^.\[\]]+)", dotted):
        out.append(int(m.group(1)) if m.group(1) else m.group(2))
    return tuple(out)


def _remove(values: dict, path: tuple, origin: dict) -> bool:
    target = values
    for part in path[:-1]:
        try:
            target = target[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = path[-1]
    try:
        if isinstance(target, list):
            del target[last]
            shifted = {}
            for key, value in origin.items():
                if key[:len(path) - 1] == path[:-1] and len(key) >= len(path) and isinstance(key[len(path) - 1], int) \
                        and key[len(path) - 1] > last:
                    key = key[:len(path) - 1] + (key[len(path) - 1] - 1,) + key[len(path):]
                shifted[key] = value
            origin.clear()
            origin.update(shifted)
        else:
            del target[last]
    except (KeyError, IndexError, TypeError):
        return False
    # an emptied list or mapping goes too
    if len(path) > 1 and not target:
        return _remove(values, path[:-1], origin) or True
    return True


def _get(values: dict, path: tuple):
    target = values
    for part in path:
        target = target[part]
    return target


class _Writer:
    def __init__(self, run: _Run, folder: Path, dry_run: bool):
        self.run = run
        self.folder = folder
        self.dry_run = dry_run
        existing = {p.stem.lower() for p in folder.glob("*.yaml")} | {p.stem.lower() for p in folder.glob("*.yml")}
        self.existing = existing
        self.taken = set(existing) | {Path(PROVIDER_FILE).stem} | _previous_slugs(folder, run.provider_id)

    def slug(self, entry: Entry) -> None:
        title = entry.values.get("title")
        texts = [title] if isinstance(title, str) else list((title or {}).values())
        base = next((s for s in (slugify(t) for t in texts) if s), "") or "credential"
        if base in self.existing:
            entry.skipped = (f"{shown(self.folder / (base + '.yaml'))} exists and is never overwritten: this "
                             "credential is skipped (move that file aside, or edit it by hand)")
            entry.slug = base
            return
        slug, n = base, 1
        while slug in self.taken or slug in RESERVED_IDS or id_problem(slug, "slug"):
            n += 1
            suffix = f"-{n}"
            slug = base[:MAX_ID_PART - len(suffix)].rstrip("-") + suffix
        self.taken.add(slug)
        entry.slug = slug
        entry.path = self.folder / f"{slug}.yaml"

    def check(self, entry: Entry) -> None:
        """Render, check, take out what the validator refuses, until only missing fields are left."""
        self.unwritable(entry)
        for _ in range(500):
            text = render("credential", entry.values)
            try:
                doc = parse(shown(entry.path), text.encode("utf-8"))
            except LoadFailed as failed:  # the writer's own output: never expected
                raise UsageError("the import made a file the loader cannot read: "
                                 + "; ".join(p.message for p in failed.problems)) from None
            problems = check_record(doc, RECORDS["credential"])[1]
            refused = [p for p in problems if p.code != "missing-field"]
            if not refused:
                entry.text = text
                entry.missing = [p.path or p.message for p in problems]
                self.missing(entry, text, problems)
                return
            problem = refused[0]
            path = _parse_path(problem.path)
            cut = path
            while cut and cut not in entry.origin:
                cut = cut[:-1]
            where = entry.origin.get(cut or path[:1])
            try:
                value = _get(entry.values, cut or path[:1])
            except (KeyError, IndexError, TypeError):
                value = None
            target = cut or path
            if not _remove(entry.values, target, entry.origin) and not _remove(entry.values, path[:1], entry.origin):
                raise UsageError(f"cannot take out {problem.path}: {problem.message}")
            shown_value = json.dumps(value, ensure_ascii=False, default=str) if value is not None else ""
            message = (f"{_short(shown_value, 100)}: not imported: {problem.message}"
                       + (f" ({problem.hint})" if problem.hint else "") + f" [{problem.code}]")
            if where is not None:
                self.run.find(where[0], where[1], message)
            else:
                self.run.findings.append(Finding(self.run.source.file, 1, 1, "warning", f"{problem.path}: {message}"))
        raise UsageError("the import could not make a file that validates")

    def unwritable(self, entry: Entry) -> None:
        """Take out a text the YAML writer cannot write. (yamlwrite.scalar asks PyYAML how YAML 1.1 reads a
        text, and PyYAML raises ValueError, not YAMLError, for a date-like text that is no date, such as
        2020-13-45: a known gap of the writer, reported rather than let through as a traceback.)"""
        def walk(value, path):
            if isinstance(value, dict):
                for k, v in list(value.items()):
                    yield from walk(v, path + (k,))
            elif isinstance(value, list):
                for i, v in enumerate(value):
                    yield from walk(v, path + (i,))
            elif isinstance(value, str):
                try:
                    scalar(value)
                except Exception:  # noqa: BLE001 (whatever PyYAML raises for it)
                    yield path, value

        for path, value in reversed(list(walk(entry.values, ()))):
            cut = path
            while cut and cut not in entry.origin:
                cut = cut[:-1]
            where = entry.origin.get(cut)
            _remove(entry.values, path, entry.origin)
            message = (f"{json.dumps(value, ensure_ascii=False)}: not imported: the YAML writer cannot write this "
                       f"text ({'.'.join(str(p) for p in path)}); write it by hand")
            if where is not None:
                self.run.find(where[0], where[1], message)
            else:
                self.run.findings.append(Finding(self.run.source.file, 1, 1, "warning", message))

    def missing(self, entry: Entry, text: str, problems) -> None:
        file = shown(entry.path)
        for p in problems:
            path = _parse_path(p.path) if p.path else ()
            line = _find_line(text, path) if path else None
            what = p.path or "the file"
            self.run.findings.append(Finding(
                file, line or p.line, 1, "error",
                f"{what}: {p.message}; the source has no value the register can take for it: fill it in "
                f"before the file validates"))

    def write(self, entry: Entry) -> None:
        if self.dry_run or entry.skipped:
            return
        try:
            with open(entry.path, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
                f.write(entry.text)
        except FileExistsError:
            entry.skipped = f"{shown(entry.path)} appeared meanwhile and is never overwritten: this credential is skipped"
            return
        entry.written = True


def _previous_slugs(folder: Path, provider_id: str) -> set[str]:
    """Slugs the provider's entries name as their previous ids: never reused."""
    out = set()
    for path in list(folder.glob("*.yaml")):
        try:
            doc = parse(shown(path), path.read_bytes())
        except (LoadFailed, OSError):
            continue
        data = doc.data if isinstance(doc.data, dict) else {}
        for old in data.get("previous_ids") or []:
            if isinstance(old, str) and old.startswith(provider_id + "/"):
                out.add(old.split("/", 1)[1].lower())
    return out


def _provider_country(path: Path) -> str | None:
    try:
        doc = parse(shown(path), path.read_bytes())
    except (LoadFailed, OSError):
        return None
    data = doc.data if isinstance(doc.data, dict) else {}
    country = data.get("country")
    return country if isinstance(country, str) else None


def import_elm(path: Path, catalogue: Path, provider_id: str, dry_run: bool = False) -> ImportResult:
    """Import an ELM file (LOQ XML or JSON-LD) into the provider's folder of the catalogue.

    UsageError (exit 2) for a provider folder that does not exist and a file that cannot be read or
    holds no ELM credential; otherwise a result whose findings report everything not imported."""
    folder = provider_folder(catalogue, provider_id)
    source = read_source(path)
    run = _Run(source, catalogue, provider_id, _provider_country(folder / PROVIDER_FILE))
    found = run.entries()
    if not found:
        what = "LOQ XML" if source.kind == "xml" else "JSON"
        raise UsageError(f"{source.file}: {what} without a learning opportunity, specification or issued credential "
                         "of the European Learning Model v3 in it: nothing to import")
    entries = []
    for opportunity, spec, claim in found:
        entries.append(_Build(run, opportunity, spec, claim).build())
    for opportunity, spec, claim in found:
        run.walk([n for n in (opportunity, spec, claim) if n is not None])
    run.walk(run.credentials)
    run.rest()
    writer = _Writer(run, folder, dry_run)
    for entry in entries:
        writer.slug(entry)
    _stacks(run, entries, catalogue)
    for entry in entries:
        if entry.skipped:
            run.findings.append(Finding(source.file, entry.pos[0], entry.pos[1], "error",
                                        f"{entry.where}: {entry.skipped}"))
            continue
        writer.check(entry)
        writer.write(entry)
        if entry.skipped:
            run.findings.append(Finding(source.file, entry.pos[0], entry.pos[1], "error",
                                        f"{entry.where}: {entry.skipped}"))
    in_source = sorted((f for f in run.findings if f.file == source.file), key=lambda f: (f.line, f.column))
    others = [f for f in run.findings if f.file != source.file]
    return ImportResult(source.file, provider_id, folder, entries, in_source + others, dry_run)


def _stacks(run: _Run, entries: list[Entry], catalogue: Path) -> None:
    """The credentials each entry stacks into: one imported now (by its new id), else one in the catalogue."""
    by_register = {e.register_id: e for e in entries if e.register_id and e.slug and not e.skipped}
    by_spec = {e.spec_iri: e for e in entries if e.spec_iri and e.slug and not e.skipped}
    pid = run.provider_id
    for entry in entries:
        targets = []
        for kind, target, node, prop in entry.stacks:
            other = by_register.get(target) if kind == "id" else by_spec.get(target)
            if other is not None:
                new = f"{pid}/{other.slug}"
            elif kind == "id" and (catalogue / f"{target}.yaml").is_file():
                new = target
            else:
                run.find(node, prop, f"stacks into {target}, which is neither imported now nor in "
                                     f"{shown(catalogue)}: left out of stackability.stacks_into (add it when it is)")
                continue
            if new not in targets and new != f"{pid}/{entry.slug}":
                targets.append(new)
        if targets:
            stack = entry.values.setdefault("stackability", {"mode": "stackable"})
            stack["stacks_into"] = targets
            entry.origin[("stackability", "stacks_into")] = (entry.stacks[0][2], entry.stacks[0][3])
