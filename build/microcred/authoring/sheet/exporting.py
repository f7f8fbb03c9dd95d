"""`microcred sheet export PROVIDER -o FILE`: a provider's credentials as one row each.

The columns are every field of the field reference (layout.template_names),
plus the translation columns and the numbered items the entries use; a
provider without credentials gets the blank template. A second sheet,
`columns` (for CSV the companion file FILE.columns.csv), explains each column:
its field, whether it is required, its type, the values allowed, an example,
and how to fill it in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...contract.ids import PROVIDER_FILE
from ...contract.problems import shown
from ...contract.yamlload import LoadFailed, parse
from ...errors import Failed, UsageError
from ...validate.records import dotted
from ..fieldref import FieldDoc, all_fields
from ..scaffold import provider_folder
from . import cells as c
from . import layout
from .files import COLUMNS_SHEET, SHEET_NAME, SUFFIXES, Sheet, SheetUnwritable, companion, write_sheets


@dataclass
class Exported:
    written: list[Path]
    entries: int
    columns: int


def credential_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if p.name != PROVIDER_FILE and p.is_file())


def check_output(output: Path) -> None:
    if output.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{output}: the file name must end in .xlsx, .ods or .csv (it chooses the format)")
    if not output.parent.is_dir():
        raise UsageError(f"{output.parent}: no such folder")
    if output.is_dir():
        raise UsageError(f"{output}: is a folder")


def export_sheet(catalogue: Path, provider_id: str, output: Path) -> Exported:
    folder = provider_folder(catalogue, provider_id)
    check_output(output)
    rows: list[tuple[str, layout.Flat]] = []
    trouble: list[str] = []
    for path in credential_files(folder):
        try:
            doc = parse(shown(path), path.read_bytes())
        except LoadFailed as failed:
            trouble += [f"{p.file}:{p.line}:{p.column}: {p.message}" for p in failed.problems]
            continue
        except OSError as e:
            trouble.append(f"{shown(path)}: cannot read the file: {e.strerror}")
            continue
        flat = layout.flatten(doc.data)
        for key_path, why in flat.issues:
            line, col = doc.position(key_path)
            trouble.append(f"{doc.file}:{line}:{col}: {dotted(key_path)}: {why}")
        for name in flat.cells:
            try:
                layout.parse(name)
            except layout.BadColumn as e:
                line, col = doc.position(tuple(_steps_of(name)))
                trouble.append(f"{doc.file}:{line}:{col}: {name}: {e.message}")
        rows.append((f"{provider_id}/{path.stem}", flat))
    if trouble:
        raise Failed("cannot export: these values cannot go into a sheet; fix them first "
                     "(microcred validate names them too):\n" + "\n".join(trouble))
    languages: dict[str, int] = {}
    used = {name for _, flat in rows for name in flat.cells}
    refs = [layout.parse(name) for name in dict.fromkeys([*layout.template_names(), *sorted(used)])]
    for _, flat in rows:  # translations in the order the entries give them
        for name in flat.cells:
            ref = layout.parse(name)
            if ref.lang:
                languages.setdefault(ref.lang, len(languages))
    refs.sort(key=lambda ref: layout.sort_key(ref, languages))
    header = [ref.name for ref in refs]
    table = [[cid] + [flat.cells.get(name) for name in header[1:]] for cid, flat in rows]
    text_columns = {i for i, ref in enumerate(refs)
                    if ref.doc is None or ref.column.kind not in (c.NUMBER, c.WHOLE, c.BOOL)}
    choices = {i: re.findall(r"`([^`]+)` \(", ref.doc.allowed) for i, ref in enumerate(refs)
               if ref.doc is not None and ref.column.kind == c.TEXT and ref.column.code}
    credentials = Sheet(SHEET_NAME, header, table, text_columns, choices={i: v for i, v in choices.items() if v})
    explained = Sheet(COLUMNS_SHEET, EXPLAIN_HEADER, explanations(), set(range(len(EXPLAIN_HEADER))), freeze=1)
    written = [output]
    try:
        if output.suffix.lower() == ".csv":
            write_sheets(output, [credentials])
            write_sheets(companion(output), [explained])
            written.append(companion(output))
        else:
            write_sheets(output, [credentials, explained])
    except SheetUnwritable as e:
        raise Failed(f"cannot export to {shown(output)}: {e}") from None
    except OSError as e:
        raise Failed(f"cannot write {shown(output)}: {e.strerror or e}") from None
    return Exported(written, len(rows), len(header))


def _steps_of(name: str) -> list:
    out: list = []
    for part in name.split("."):
        m = re.match(r"(.*?)\[(\d+)\]\Z", part)
        out += [m[1], int(m[2]) - 1] if m else [part]
    return out


# --- the columns sheet -------------------------------------------------------------------------

EXPLAIN_HEADER = ["column", "field", "required", "type", "allowed", "description", "example", "how to fill it in"]


def _plain(allowed: str) -> str:
    return allowed.replace("`", "")


def _example(doc: FieldDoc):
    value = doc.example
    if isinstance(value, list):
        return "\n".join(str(v if not isinstance(v, dict) else next(iter(v.values()), "")) for v in value)
    if isinstance(value, dict):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if value is not None else ""


def _how(doc: FieldDoc, column: str) -> str:
    kind = layout.column_of(doc)
    if doc.type == layout.MAPPING:
        return f"a group of fields: its columns start with {column}."
    if doc.type == layout.LIST_OF_MAPPINGS:
        return (f"a list: one set of columns per item, numbered from 1 ({column}[1].…); add columns numbered "
                f"[2], [3]… for more items. An item whose cells are all empty is left out.")
    words = {
        c.TRANSLATABLE: f"the text in the entry's first language (the first of languages). Translations go in "
                        f"columns named {column}.<language>, e.g. {column}.de; an entry that gives its text as "
                        f"translations fills in only those.",
        c.TRANSLATABLE_LINES: f"one item per line (Alt+Enter in Excel, Ctrl+Enter in LibreOffice). Translations go "
                              f"line by line in columns named {column}.<language>: line 2 of {column}.de translates "
                              f"line 2; a blank line keeps the lines in step.",
        c.NUMBER: "a number (a decimal point or a decimal comma).",
        c.WHOLE: "a whole number.",
        c.BOOL: "true or false (TRUE and FALSE cells too).",
        c.DATE: "a date, YYYY-MM-DD (a date cell is read as its date).",
    }
    if kind.kind == c.LINES:
        if kind.dates:
            return "one date per line, YYYY-MM-DD."
        return "one item per line" + (" (or separated by commas)." if kind.code else ".")
    if kind.kind == c.TEXT:
        return "text; codes as text (the column is formatted as text, so 0714 keeps its zero)." if kind.code \
            else "text."
    return words.get(kind.kind, "")


def _required(doc: FieldDoc, parent: FieldDoc | None) -> str:
    need = "yes" if doc.required else "no"
    if doc.default:
        need += f" (default {doc.default})"
    if parent is not None and doc.required:
        need += (" in each item" if parent.type == layout.LIST_OF_MAPPINGS
                 else f", when {parent.path} is given" if not parent.required else "")
    return need


def explanations() -> list[list[object]]:
    """One row per column of the template, and one per group of columns: every field of the reference."""
    rows: list[list[object]] = [[
        layout.ID, "(the file)", "yes", "credential id", "<provider-id>/<slug>: lowercase letters, digits and "
        "single hyphens", "The credential's id: its file is catalogue/<provider-id>/<slug>.yaml. One sheet holds "
        "the credentials of one provider.", "acme-academy/plc-basics",
        "the first column. A new id makes a new file; an id that is there already changes its file.",
    ]]
    parents: dict[str, FieldDoc] = {}
    columns = {re.sub(r"\[1\]", "[]", n): n for n in layout.template_names()}
    for doc in all_fields(list(layout.docs())):
        for child in doc.children:
            parents[child.path] = doc
        column = columns.get(doc.path) or doc.path.replace("[]", "[1]")
        rows.append([column if not layout.is_container(doc) else "", doc.path, _required(doc, parents.get(doc.path)),
                     doc.type, _plain(doc.allowed), doc.description, _example(doc), _how(doc, column)])
    return rows
