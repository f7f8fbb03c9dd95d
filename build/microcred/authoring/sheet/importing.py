"""`microcred sheet import FILE`: a provider's credentials from a sheet, checked first, written only if all is well.

1. The header (row 1) names the columns (layout.parse); the id column is required.
2. Each row with anything in it is one credential: its id names the provider
   (one per sheet, with a folder in the catalogue) and the file. Its cells are
   read by their columns' kinds (cells.read) and assembled into the entry
   (layout.assemble). Columns the sheet lacks keep what the existing file has:
   its values for them are taken as if they were in the row. A column that is
   there decides: an empty cell removes the value.
3. Each entry is checked with the validator's own models (check_record), with
   a `SheetDoc` that places every key path at its cell, so problems_of's
   messages come out at ROW:COLUMN.
4. The entries are written as YAML (scaffold.render, the writer of
   `microcred new` and `import elm`) into a copy of the catalogue, which is
   validated whole: the checks across files (stacks_into, previous ids,
   duplicates) see the catalogue as it would be. Their problems are placed at
   the cells too; problems the change makes in files outside the sheet are
   reported in those files.
5. Any error: nothing is written. Otherwise each new entry is written, each
   changed one rewritten (when its data differ from the file's; comments and
   layout of the old file are not kept), the rest left alone.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ...contract.ids import CREDENTIAL_ID, PROVIDER_FILE, id_problem
from ...contract.models import Credential
from ...contract.problems import Problem, shown
from ...contract.yamlload import LoadFailed, parse
from ...errors import Failed, UsageError
from ...validate import validate
from ...validate.records import check_record
from ..scaffold import render
from . import layout
from .cells import Raw
from .files import SUFFIXES, Grid, SheetUnreadable, read_grid


@dataclass
class Outcome:
    """One row's credential: new, changed or unchanged (None: the row has an error in its id)."""

    id: str
    row: int
    path: Path | None
    status: str | None = None
    text: str = ""


@dataclass
class SheetImport:
    file: str  # as problems name it
    problems: list[Problem]
    entries: list[Outcome] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    folder: Path | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


# --- where a key path is in the sheet ---------------------------------------------------------


_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def path_of(dotted: str) -> tuple:
    """The validator's dotted path back to a key path: quality_assurance[0].type -> ('quality_assurance', 0, 'type')."""
    return tuple(int(m[1]) if m[1] is not None else m[2] for m in _PATH_PART.finditer(dotted))


class SheetDoc:
    """What problems_of and record_warnings need of a Document, for a row: the entry's data, and the cell
    (row, column) of each key path: the cell its value came from; for a value that is missing, the cell of the
    column it would go in; else the first cell under it, or the row's id cell."""

    def __init__(self, file: str, row: int, id_column: int, entry: layout.Entry, columns: dict[str, int]):
        self.file = file
        self.data = entry.data
        self.row = row
        self.id_column = id_column
        self.entry = entry
        self.columns = columns

    def position(self, path, at_key: bool = False) -> tuple[int, int]:
        return self.cell_of(tuple(path))

    def cell_of(self, path: tuple) -> tuple[int, int]:
        cells = self.entry.cells
        while True:
            at = cells.get(path)
            if at:
                return at
            column = self.columns.get(self.name_of(path))
            if column:
                return self.row, column
            under = [a for p, a in cells.items() if a and p[:len(path)] == path]
            if under:
                return min(under, key=lambda a: a[1])
            if not path:
                return self.row, self.id_column
            path = path[:-1]

    def name_of(self, path: tuple) -> str:
        """A key path as the sheet names it: its column, items counted from 1."""
        names = self.entry.names
        out = ""
        for i, part in enumerate(path):
            known = names.get(path[:i + 1])
            if known:
                out = known
            elif isinstance(part, int):
                out += f"[{part + 1}]"
            else:
                out = f"{out}.{part}" if out else str(part)
        return out


def _in_sheet(p: Problem, doc: SheetDoc, file: str) -> Problem:
    """A problem of the validator, at the cell its key path came from and named as the sheet names it."""
    path = path_of(p.path) if p.path else ()
    row, column = doc.cell_of(path)
    message = _PLACE_IN_FILE.sub("", p.message) if p.code == "missing-field" else p.message
    for cut in range(len(path) - 1, 0, -1):  # "... is missing in quality_assurance[0]": the sheet's name for it
        old = _dotted(path[:cut])
        if message.endswith(f" in {old}"):
            message = message[:-len(old)] + doc.name_of(path[:cut])
            break
    return Problem(p.code, file, row, column, message, doc.name_of(path) if p.path else "", p.hint, p.severity)


# Where a missing field goes in a YAML file ("; add it after 'title'"): a sheet has a column for it instead.
_PLACE_IN_FILE = re.compile(r"; add it (?:before|after) '[^']*'$")


def _dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# --- the import ---------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    cells: list[Raw]
    id: str | None = None
    provider: str | None = None
    slug: str | None = None
    entry: layout.Entry | None = None
    doc: SheetDoc | None = None
    existing: dict | None = None
    text: str = ""
    status: str | None = None  # new | changed | unchanged
    flagged: set = field(default_factory=set)  # cells reported as unreadable


class _Run:
    def __init__(self, path: Path, catalogue: Path):
        self.file = shown(path)
        self.catalogue = catalogue
        self.problems: list[Problem] = []
        self.refs: dict[int, layout.Ref] = {}  # column number -> what it holds
        self.columns: dict[str, int] = {}  # column name -> number
        self.id_column = 0

    def problem(self, code: str, row: int, column: int, message: str, path: str = "", hint: str = "") -> None:
        self.problems.append(Problem.of(code, self.file, row, column, message, path=path, hint=hint))

    # --- the header -----------------------------------------------------------------------

    def header(self, grid: Grid) -> bool:
        if not grid.rows or grid.rows[0][0] != 1:
            self.problem("missing-id-column", 1, 1, "row 1 is empty: it must name the columns, id first",
                         hint="export a template with: microcred sheet export <provider-id> -o FILE")
            return False
        header = grid.rows[0][1]
        slug = None
        data_columns = {i for _, cells in grid.rows[1:] for i, raw in enumerate(cells) if not raw.empty}
        for i, raw in enumerate(header):
            number = i + 1
            if raw.empty:
                if i in data_columns:
                    self.problem("unknown-column", 1, number, f"column {number} has values but no name in row 1",
                                 hint="name it as the columns sheet lists, or delete the column")
                continue
            if raw.kind != "text":
                self.problem("unknown-column", 1, number, f"column {number} is named {raw.value}, not a column name",
                             hint="row 1 names the columns, e.g. id, title, level.eqf")
                continue
            name = str(raw.value).strip()
            if name in self.columns:
                self.problem("duplicate-column", 1, number,
                             f"column '{name}' is also column {self.columns[name]}",
                             hint="keep one of them: a field has one column")
                continue
            try:
                ref = layout.parse(name)
            except layout.BadColumn as e:
                if name.lower() == "slug":
                    slug = number
                    continue
                self.problem("unknown-column", 1, number, e.message, hint=e.hint)
                continue
            self.columns[name] = number
            self.refs[number] = ref
        if layout.ID not in self.columns:
            self.problem("missing-id-column", 1, slug or 1,
                         "no column is named id" + (": a slug alone does not name the provider" if slug else ""),
                         hint="name a column id, and give each row's credential id <provider-id>/<slug> in it")
            return False
        if slug:
            self.problem("unknown-column", 1, slug, "unknown column 'slug': the id column names each file",
                         hint="delete this column; the id <provider-id>/<slug> holds the slug")
        self.id_column = self.columns[layout.ID]
        return True

    # --- the ids ------------------------------------------------------------------------

    def ids(self, rows: list[_Row]) -> str | None:
        """Each row's id checked; the provider of the sheet (None: no row names one, or it has no folder)."""
        seen: dict[str, int] = {}
        provider = None
        first_row = None
        for row in rows:
            at = (row.number, self.id_column)
            raw = row.cells[self.id_column - 1] if self.id_column <= len(row.cells) else Raw(None, "empty")
            if raw.empty:
                self.problem("missing-field", *at, "the row has no id",
                             path="id", hint="each row needs its credential's id: <provider-id>/<slug>")
                continue
            if raw.kind != "text":
                self.problem("invalid-id", *at, f"the id must be text <provider-id>/<slug>, not {raw.value}", "id")
                continue
            cid = str(raw.value).strip()
            if not CREDENTIAL_ID.match(cid):
                self.problem("invalid-id", *at, _id_message(cid), "id",
                             hint=f"e.g. {provider or 'acme-academy'}/plc-basics")
                continue
            pid, slug = cid.split("/")
            message = id_problem(pid, "provider id") or id_problem(slug, "slug") or (
                f"slug '{slug}' is reserved for the provider's own file" if slug == Path(PROVIDER_FILE).stem else None)
            if message:
                self.problem("invalid-id", *at, message, "id")
                continue
            if cid in seen:
                self.problem("duplicate-id", *at, f"id '{cid}' is also in row {seen[cid]}", "id",
                             hint="each credential has one row")
                continue
            seen[cid] = row.number
            if provider is None:
                provider, first_row = pid, row
            elif pid != provider:
                self.problem("sheet-provider", *at, f"this row is for provider '{pid}', the sheet's first id is "
                             f"for '{provider}' (row {first_row.number}): a sheet holds one provider's credentials",
                             "id", hint="put each provider's credentials in a sheet of their own")
                continue
            row.id, row.provider, row.slug = cid, pid, slug
        if provider is None:
            return None
        folder = self.catalogue / provider
        if not (folder / PROVIDER_FILE).is_file():
            self.problem("sheet-provider", first_row.number, self.id_column,
                         f"no provider '{provider}' in {shown(self.catalogue)}/ (no {shown(folder / PROVIDER_FILE)})",
                         "id", hint=f"correct the ids, or add the provider first: microcred new-provider {provider}")
            return None
        return provider

    # --- a row -----------------------------------------------------------------------------------

    def existing(self, row: _Row) -> list[layout.Given]:
        """The values of the row's file in the columns the sheet lacks (they are kept)."""
        path = self.catalogue / row.provider / f"{row.slug}.yaml"
        if not path.is_file():
            return []
        at = (row.number, self.id_column)
        try:
            raw = path.read_bytes()
            doc = parse(shown(path), raw)
        except (LoadFailed, OSError) as e:
            why = e.problems[0] if isinstance(e, LoadFailed) else None
            reason = f"{why.file}:{why.line}:{why.column}: {why.message}" if why else str(e)
            self.problem("unreadable-cell", *at, f"{shown(path)} is there but cannot be read ({reason}); this row "
                         "would replace it", "id", hint="fix or delete the file first, then import again")
            return []
        row.existing = doc.data
        flat = layout.flatten(doc.data)
        for key_path, why in flat.issues:
            line, col = doc.position(key_path)
            self.problem("unreadable-cell", *at, f"{shown(path)}:{line}:{col}: {_dotted(key_path)}: {why}; "
                         "importing would lose it", "id", hint="fix the file first (microcred validate names it too)")
        kept = []
        for name, value in flat.cells.items():
            if name in self.columns:
                continue  # the sheet decides
            try:
                ref = layout.parse(name)
            except layout.BadColumn as e:
                self.problem("unreadable-cell", *at, f"{shown(path)}: {name}: {e.message}; importing would lose it",
                             "id", hint="fix the file first")
                continue
            if isinstance(value, str) and ref.column.kind in (layout.c.LINES, layout.c.TRANSLATABLE_LINES):
                value = value.split("\n")
            kept.append(layout.Given(ref, value, None, layout.FILE))
        return kept

    def assemble(self, row: _Row, decimal_comma: bool | None) -> None:
        notes: list = []
        given = []
        for i, raw in enumerate(row.cells):
            ref = self.refs.get(i + 1)
            if ref is None or ref.doc is None or raw.empty:
                continue
            g = layout.read_given(ref, raw, (row.number, i + 1), decimal_comma, notes)
            if g is not None:
                given.append(g)
        if row.id and row.provider:
            given += self.existing(row)
        entry = layout.assemble(given)
        row.entry = entry
        row.doc = SheetDoc(self.file, row.number, self.id_column, entry, self.columns)
        for at, name, note in notes + entry.notes:
            at = at or (row.number, self.id_column)
            self.problem(note.code, *at, note.message, name, note.hint)
            if note.code != "number-as-text":
                row.flagged.add(at)
        for p in check_record(row.doc, Credential)[1]:
            self.from_validator(p, row)

    def from_validator(self, p: Problem, row: _Row) -> None:
        placed = _in_sheet(p, row.doc, self.file)
        if p.code == "missing-field" and (placed.line, placed.column) in row.flagged:
            return  # a cell already reported as unreadable: not reported as missing as well
        self.problems.append(placed)

    # --- the catalogue as it would be ---------------------------------------------------------

    def check_catalogue(self, rows: list[_Row]) -> None:
        """Validate a copy of the catalogue with the rows written in: the checks across files see them too."""
        placed = [r for r in rows if r.id and r.entry is not None and r.entry.data]  # an empty row: only errors
        for row in placed:
            if row.status == "unchanged":
                continue  # its file, as it is, is in the copy
            try:
                row.text = render("credential", row.entry.data)
                back = parse(row.id, row.text.encode("utf-8")).data
            except Exception as e:  # noqa: BLE001 (a value the YAML writer cannot write: reported, not a traceback)
                self.problem("unreadable-cell", row.number, self.id_column,
                             f"the YAML writer cannot write this entry ({type(e).__name__}: {e})", "id")
                row.text = ""
                continue
            if back != row.entry.data:
                self.problem("unreadable-cell", row.number, self.id_column,
                             "the YAML writer cannot write this entry so that it reads back the same", "id")
                row.text = ""
        placed = [r for r in placed if r.text or r.status == "unchanged"]
        if not placed:
            return
        with tempfile.TemporaryDirectory(prefix="microcred-sheet-") as tmp:
            copy = Path(tmp) / "catalogue"
            shutil.copytree(self.catalogue, copy, symlinks=True, copy_function=_link_or_copy)
            by_file: dict[str, _Row] = {}
            for row in placed:
                target = copy / row.provider / f"{row.slug}.yaml"
                by_file[shown(target)] = row
                if row.status == "unchanged":
                    continue
                target.unlink(missing_ok=True)  # a hard link to the catalogue's file: never write through it
                target.write_text(row.text, "utf-8")
            result = validate(copy, keep_records=False)
            outside = []
            for p in result.problems:
                row = by_file.get(p.file)
                if row is not None:
                    self.from_validator(p, row)
                else:
                    outside.append(self._real(p, copy))
        if outside:  # only what the change brings: the catalogue's own problems are not the sheet's
            before = {_key(p) for p in validate(self.catalogue, keep_records=False).problems}
            self.problems += [p for p in outside if _key(p) not in before]

    def _real(self, p: Problem, copy: Path) -> Problem:
        try:
            rel = Path(p.file).resolve().relative_to(copy.resolve())
        except ValueError:
            return p
        return Problem(p.code, shown(self.catalogue / rel), p.line, p.column, p.message, p.path, p.hint, p.severity)


def _key(p: Problem) -> tuple:
    return (p.file, p.line, p.column, p.code, p.message)


def _link_or_copy(src, dst) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _id_message(cid: str) -> str:
    if "/" not in cid:
        return f"'{cid}' is not a credential id: write <provider-id>/<slug>"
    return f"'{cid}' is not a credential id <provider-id>/<slug>: use lowercase letters, digits and single hyphens"


def normalized(value):
    """Data as compared for a change: an empty value (null, [], {}) is no value; true is not 1."""
    if isinstance(value, dict):
        out = {k: normalized(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, bool):
        return ("bool", value)
    return value


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def import_sheet(path: Path, catalogue: Path, dry_run: bool = False) -> SheetImport:
    """Check a sheet against the catalogue and, when it has no error and dry_run is off, write its entries.

    UsageError (exit 2) for a file or catalogue that is not there or a file name without .xlsx/.ods/.csv;
    whatever is wrong inside the file is a problem of the result."""
    if not catalogue.is_dir():
        raise UsageError(f"{shown(catalogue)}: no such catalogue folder")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if path.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{path}: a sheet must be an .xlsx, .ods or .csv file (told by its name)")
    run = _Run(path, catalogue)
    result = SheetImport(run.file, run.problems, dry_run=dry_run)
    try:
        grid = read_grid(path)
    except SheetUnreadable as e:
        run.problem("sheet-unreadable", e.row, e.column, e.message, hint=e.hint)
        return result
    if not run.header(grid):
        result.problems = _sorted(run.problems, run.file)
        return result
    rows = [_Row(number, cells) for number, cells in grid.rows[1:]
            if any(not raw.empty and (i + 1) in run.refs for i, raw in enumerate(cells))]
    provider = run.ids(rows)
    for row in rows:
        if row.provider != provider:
            row.id = row.provider = row.slug = None
        run.assemble(row, grid.decimal_comma)
        if row.id:
            target = catalogue / row.provider / f"{row.slug}.yaml"
            if row.existing is None and not target.exists():
                row.status = "new"
            elif row.existing is not None and normalized(row.existing) == normalized(row.entry.data):
                row.status = "unchanged"
            else:
                row.status = "changed"
    if provider is not None:
        run.check_catalogue(rows)
        result.folder = catalogue / provider
    result.entries = [Outcome(row.id, row.number, catalogue / row.provider / f"{row.slug}.yaml", row.status, row.text)
                      for row in rows if row.id]
    result.problems = _sorted(_unique(run.problems), run.file)
    if result.errors or dry_run:
        return result
    _write(result)
    return result


def _sorted(problems: list[Problem], file: str) -> list[Problem]:
    """The sheet's problems by row and column, then those of other files."""
    mine = [p for p in problems if p.file == file]
    others = [p for p in problems if p.file != file]
    return sorted(mine, key=Problem.sort_key) + sorted(others, key=Problem.sort_key)


def _write(result: SheetImport) -> None:
    """New files are created (never over one that appeared meanwhile), changed ones replaced whole."""
    for outcome in result.entries:
        try:
            if outcome.status == "new":
                with open(outcome.path, "x", encoding="utf-8") as f:
                    f.write(outcome.text)
            elif outcome.status == "changed":
                _replace(outcome.path, outcome.text)
            else:
                continue
        except FileExistsError:
            raise Failed(f"{shown(outcome.path)} appeared while the sheet was imported; nothing more was written "
                         "(import the sheet again)") from None
        except OSError as e:
            raise Failed(f"cannot write {shown(outcome.path)}: {e.strerror or e}") from None
        result.written = True


def _replace(path: Path, text: str) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
