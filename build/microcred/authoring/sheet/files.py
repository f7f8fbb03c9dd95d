"""Spreadsheet files in and out: .xlsx (openpyxl), .ods (odfpy), .csv (the csv module).

Reading gives the first sheet (or the one named `credentials`) as rows of
`cells.Raw`, each with the kind the file gave it (text, number, date, true or
false, an error value, a formula). Writing takes the sheets as lists of
values; a column marked as text is formatted as text (`@`), so that what a
person types in it later stays text (0714 keeps its zero).

Whatever is wrong with a file (not a spreadsheet, not UTF-8, too large, a zip
bomb) is a `SheetUnreadable` with a message, never a traceback from the
libraries: they are asked only after the checks that keep them safe, and
anything they raise is reported.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from .cells import EMPTY, FORMULA_START, Raw, number_text, unquote

SUFFIXES = (".xlsx", ".ods", ".csv")
MAX_FILE = 64 * 1024 * 1024  # bytes of the file
MAX_UNPACKED = 512 * 1024 * 1024  # bytes of an .xlsx or .ods once unzipped
MAX_ROWS = 100_000
MAX_COLUMNS = 16_384  # as many as Excel has
SHEET_NAME = "credentials"
COLUMNS_SHEET = "columns"


class SheetUnreadable(Exception):
    def __init__(self, message: str, hint: str = "", row: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.hint, self.row, self.column = message, hint, row, column


@dataclass
class Grid:
    rows: list[tuple[int, list[Raw]]]  # (row number, the cells from column 1 on); empty rows left out
    decimal_comma: bool | None = None  # how numbers written as text are read (CSV: by its separator)
    sheet: str = ""


def read_grid(path: Path) -> Grid:
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as e:
        raise SheetUnreadable(f"cannot read the file: {e.strerror}") from None
    if size > MAX_FILE:
        raise SheetUnreadable(f"the file is {size:,} bytes; at most {MAX_FILE:,} bytes are read",
                              "a provider's credentials fit in far less: check that this is the right file")
    if suffix == ".csv":
        return _read_csv(path)
    _check_zip(path, suffix)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read
        try:
            return _read_xlsx(path) if suffix == ".xlsx" else _read_ods(path)
        except SheetUnreadable:
            raise
        except (MemoryError, RecursionError):
            raise SheetUnreadable("the file is too large or too deeply nested to read") from None
        except Exception as e:  # noqa: BLE001 (whatever the library raises for a damaged file)
            what = "Excel workbook (.xlsx)" if suffix == ".xlsx" else "OpenDocument spreadsheet (.ods)"
            reason = str(e).splitlines()[0][:200] if str(e) else type(e).__name__
            raise SheetUnreadable(f"not a readable {what}: {reason}", _SAVE_AS) from None


_SAVE_AS = "save it from your spreadsheet program as .xlsx, .ods or CSV UTF-8"


def _check_zip(path: Path, suffix: str) -> None:
    what = "an Excel workbook (.xlsx)" if suffix == ".xlsx" else "an OpenDocument spreadsheet (.ods)"
    try:
        with zipfile.ZipFile(path) as z:
            unpacked = sum(info.file_size for info in z.infolist())
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        hint = _SAVE_AS
        try:
            head = path.read_bytes()[:8]
        except OSError:
            head = b""
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            hint = "this is an old Excel file (.xls): " + _SAVE_AS
        raise SheetUnreadable(f"not {what}: the file is not a zip archive", hint) from None
    if unpacked > MAX_UNPACKED:
        raise SheetUnreadable(f"the file unpacks to {unpacked:,} bytes; at most {MAX_UNPACKED:,} are read")
    if suffix == ".xlsx" and "xl/workbook.xml" not in names:
        raise SheetUnreadable(f"not {what}: the archive holds no workbook", _SAVE_AS)
    if suffix == ".ods" and "content.xml" not in names:
        raise SheetUnreadable(f"not {what}: the archive holds no content.xml", _SAVE_AS)


def _limit(row: int, width: int) -> None:
    if row > MAX_ROWS:
        raise SheetUnreadable(f"the sheet has more than {MAX_ROWS:,} rows", row=MAX_ROWS)
    if width > MAX_COLUMNS:
        raise SheetUnreadable(f"the sheet has more than {MAX_COLUMNS:,} columns", row=row)


# --- .xlsx ------------------------------------------------------------------------------


def _xlsx_raw(value, data_type: str) -> Raw:
    if value is None:
        return EMPTY
    if data_type == "f":
        return Raw(value, "formula")
    if data_type == "e":
        return Raw(value, "error")
    if isinstance(value, bool):
        return Raw(value, "bool")
    if isinstance(value, (int, float)):
        return Raw(value, "number")
    if isinstance(value, (datetime, date)):
        return Raw(value, "date")
    if isinstance(value, (time, timedelta)):
        return Raw(value, "time")
    return Raw(str(value), "text")


def _pick(names: list[str]) -> str:
    return SHEET_NAME if SHEET_NAME in names else names[0]


def _read_xlsx(path: Path) -> Grid:
    import openpyxl

    formulas: dict[tuple[int, int], None] = {}
    rows = _xlsx_rows(openpyxl.load_workbook(path, read_only=True, data_only=False), formulas)
    sheet = rows.sheet
    if formulas:  # their values as the program last computed them (a file saved by Excel or LibreOffice)
        computed = _xlsx_rows(openpyxl.load_workbook(path, read_only=True, data_only=True), None)
        by_number = dict(computed.rows)
        for number, cells in rows.rows:
            for col, raw in enumerate(cells):
                if raw.kind == "formula":
                    values = by_number.get(number, [])
                    value = values[col] if col < len(values) else EMPTY
                    cells[col] = value if not value.empty else raw
    return Grid(rows.rows, None, sheet)


def _xlsx_rows(workbook, formulas) -> Grid:
    try:
        ws = workbook[_pick(workbook.sheetnames)]
        ws.reset_dimensions()
        out, number = [], 0
        for row in ws.iter_rows():
            number += 1
            cells: list[Raw] = []
            for cell in row:
                col = getattr(cell, "column", None)
                if col is None:  # an empty cell
                    continue
                if getattr(cell, "row", None):
                    number = cell.row
                raw = _xlsx_raw(cell.value, cell.data_type)
                if raw.kind == "empty":
                    continue
                _limit(number, col)
                cells += [EMPTY] * (col - 1 - len(cells))
                cells.append(raw)
                if raw.kind == "formula" and formulas is not None:
                    formulas[(number, col)] = None
            _limit(number, 0)
            if cells:
                out.append((number, cells))
        return Grid(out, None, ws.title)
    finally:
        workbook.close()


# --- .ods -------------------------------------------------------------------------------

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_ROW_GROUPS = {(_TABLE, "table-header-rows"), (_TABLE, "table-rows"), (_TABLE, "table-row-group")}
_CELLS = {(_TABLE, "table-cell"), (_TABLE, "covered-table-cell")}


def _attr(element, name: str) -> str | None:
    ns, local = name.split(":")
    space = {"table": _TABLE, "office": _OFFICE, "text": _TEXT}[ns]
    return element.attributes.get((space, local))


def _count(element, name: str) -> int:
    try:
        return max(1, int(_attr(element, name) or 1))
    except ValueError:
        return 1


def _text_of(element) -> str:
    """A paragraph's text: spaces (text:s), tabs and line breaks as written; spans and links read through."""
    out, todo = [], [element]
    while todo:
        node = todo.pop()
        if isinstance(node, str):
            out.append(node)
            continue
        if node.nodeType == node.TEXT_NODE:
            out.append(node.data)
            continue
        qname = getattr(node, "qname", None)
        if qname == (_TEXT, "s"):
            out.append(" " * _count(node, "text:c"))
        elif qname == (_TEXT, "tab"):
            out.append("\t")
        elif qname == (_TEXT, "line-break"):
            out.append("\n")
        elif qname == (_OFFICE, "annotation"):
            continue
        else:
            todo.extend(reversed(node.childNodes))
    return "".join(out)


def _ods_raw(cell) -> Raw:
    kind = _attr(cell, "office:value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return Raw(float(_attr(cell, "office:value") or ""), "number")
        except ValueError:
            pass
    elif kind == "boolean":
        return Raw((_attr(cell, "office:boolean-value") or "").lower() == "true", "bool")
    elif kind == "date":
        value = _attr(cell, "office:date-value") or ""
        try:
            parsed = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
            return Raw(parsed, "date")
        except ValueError:
            pass
    elif kind == "time":
        return Raw(_attr(cell, "office:time-value"), "time")
    paragraphs = [child for child in cell.childNodes if getattr(child, "qname", None) in ((_TEXT, "p"), (_TEXT, "h"))]
    text = "\n".join(_text_of(p) for p in paragraphs)
    if not paragraphs and _attr(cell, "table:formula"):
        return Raw(_attr(cell, "table:formula"), "formula")
    return Raw(text, "text") if text else EMPTY


def _read_ods(path: Path) -> Grid:
    from odf.opendocument import load

    doc = load(str(path))
    tables = [t for t in doc.spreadsheet.childNodes if getattr(t, "qname", None) == (_TABLE, "table")]
    if not tables:
        raise SheetUnreadable("the spreadsheet holds no sheet", _SAVE_AS)
    names = [_attr(t, "table:name") or "" for t in tables]
    table = tables[names.index(_pick(names))]
    rows, number = [], 0
    todo = list(reversed(table.childNodes))
    while todo:
        element = todo.pop()
        qname = getattr(element, "qname", None)
        if qname in _ROW_GROUPS:
            todo.extend(reversed(element.childNodes))
            continue
        if qname != (_TABLE, "table-row"):
            continue
        repeat = _count(element, "table:number-rows-repeated")
        cells: list[Raw] = []
        col = 0
        for cell in element.childNodes:
            if getattr(cell, "qname", None) not in _CELLS:
                continue
            span = _count(cell, "table:number-columns-repeated")
            raw = _ods_raw(cell)
            if raw.kind != "empty":
                _limit(number + 1, col + span)
                cells += [EMPTY] * (col - len(cells)) + [raw] * span
            col += span
        if not cells:
            number += repeat  # LibreOffice writes the empty rows below the data as one row repeated a million times
            continue
        _limit(number + repeat, 0)
        for _ in range(repeat):
            number += 1
            rows.append((number, list(cells)))
    return Grid(rows, None, names[tables.index(table)])


# --- .csv -------------------------------------------------------------------------------


def _delimiter(text: str) -> str:
    """The separator of the header line: ';' (Excel in European locales), tab, or ',' (the default)."""
    counts = {d: 0 for d in ",;\t"}
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            break
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _read_csv(path: Path) -> Grid:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise SheetUnreadable(f"the file is not UTF-8: byte 0x{raw[e.start]:02x} on line {line}",
                              "save it as CSV UTF-8: in Excel, File > Save As > CSV UTF-8 (Comma delimited)") from None
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise SheetUnreadable("the file holds NUL bytes: it is not a CSV text file", _SAVE_AS)
    first_line = text.split("\n", 1)[0].strip("\r")
    if first_line.lower().startswith("sep=") and len(first_line) == 5:  # Excel's hint line: not a row of the sheet
        delimiter = first_line[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = _delimiter(text)
    rows, number = [], 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            number += 1
            _limit(number, len(record))
            cells = [Raw(unquote(value), "text") if value != "" else EMPTY for value in record]
            if any(not c.empty for c in cells):
                rows.append((number, cells))
    except csv.Error as e:
        raise SheetUnreadable(f"not a readable CSV file: {e}", _SAVE_AS, row=number + 1) from None
    return Grid(rows, delimiter == ";", "")


# --- writing ------------------------------------------------------------------------------


@dataclass
class Sheet:
    name: str
    header: list[str]
    rows: list[list[object]]  # str | int | float | bool | None
    text_columns: set[int] = field(default_factory=set)  # 0-based: formatted as text, for what is typed later
    freeze: int = 1  # columns kept in view when scrolling sideways
    choices: dict[int, list[str]] = field(default_factory=dict)  # 0-based: the values offered in a list (.xlsx)


class SheetUnwritable(Exception):
    pass


def write_sheets(path: Path, sheets: list[Sheet]) -> None:
    """Write the sheets to path (by its suffix) through a temporary file beside it; the old file stays until then."""
    suffix = path.suffix.lower()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    try:
        if suffix == ".xlsx":
            _write_xlsx(Path(tmp), sheets)
        elif suffix == ".ods":
            _write_ods(Path(tmp), sheets)
        else:
            _write_csv(Path(tmp), sheets[0])
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def companion(path: Path) -> Path:
    """The CSV file that explains the columns of a CSV sheet: entries.csv -> entries.columns.csv."""
    return path.with_name(f"{path.stem}.{COLUMNS_SHEET}{path.suffix}")


def _width(values) -> int:
    longest = max((len(line) for v in values if v is not None for line in str(v).split("\n")), default=8)
    return max(10, min(60, longest + 2))


def _write_xlsx(path: Path, sheets: list[Sheet]) -> None:
    import openpyxl
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE3F0")
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        for j, name in enumerate(sheet.header, start=1):
            cell = ws.cell(row=1, column=j, value=name)
            cell.data_type = "s"
            cell.font, cell.fill = bold, fill
            cell.number_format = "@"
        for i, row in enumerate(sheet.rows, start=2):
            for j, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
                    raise SheetUnwritable(f"row {i}, column {sheet.header[j - 1]}: the text holds a control "
                                          "character that an .xlsx file cannot hold; export to .ods or .csv")
                cell = ws.cell(row=i, column=j, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.number_format = "@"
                    cell.alignment = wrap if "\n" in value else top
                else:
                    cell.alignment = top
        for j, name in enumerate(sheet.header, start=1):
            letter = get_column_letter(j)
            ws.column_dimensions[letter].width = _width([name] + [r[j - 1] for r in sheet.rows if j - 1 < len(r)])
            if j - 1 in sheet.text_columns:
                ws.column_dimensions[letter].number_format = "@"
        ws.freeze_panes = ws.cell(row=2, column=sheet.freeze + 1)
        for j, values in sheet.choices.items():
            formula = '"' + ",".join(values) + '"'
            if len(formula) > 255 or any("," in v or '"' in v for v in values):
                continue  # more than a list in a cell can offer: the columns sheet lists them
            offer = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=True,
                                   errorStyle="warning", errorTitle="Not a value of the list",
                                   error="The import will say whether the register takes it.")
            letter = get_column_letter(j + 1)
            offer.add(f"{letter}2:{letter}{len(sheet.rows) + 500}")
            ws.add_data_validation(offer)
    wb.save(path)


def _odf_text(paragraph, line: str) -> None:
    """A line into a text:p, with spaces ODF would collapse or drop (leading, trailing, runs) written as text:s."""
    from odf.text import S, Tab

    buffer = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\t":
            if buffer:
                paragraph.addText("".join(buffer))
                buffer = []
            paragraph.addElement(Tab())
            i += 1
        elif ch == " ":
            j = i
            while j < len(line) and line[j] == " ":
                j += 1
            run = j - i
            if run == 1 and 0 < i and j < len(line):
                buffer.append(" ")
            else:
                if buffer:
                    paragraph.addText("".join(buffer))
                    buffer = []
                paragraph.addElement(S(c=run))
            i = j
        else:
            buffer.append(ch)
            i += 1
    if buffer:
        paragraph.addText("".join(buffer))


def _write_ods(path: Path, sheets: list[Sheet]) -> None:
    from odf.number import TextContent, TextStyle
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableCellProperties, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    as_text = TextStyle(name="as-text")
    as_text.addElement(TextContent())
    doc.styles.addElement(as_text)
    text_cell = Style(name="text-cell", family="table-cell", datastylename="as-text")
    text_cell.addElement(TableCellProperties(verticalalign="top", wrapoption="wrap"))
    doc.automaticstyles.addElement(text_cell)
    other_cell = Style(name="other-cell", family="table-cell")
    other_cell.addElement(TableCellProperties(verticalalign="top"))
    doc.automaticstyles.addElement(other_cell)
    head_cell = Style(name="head-cell", family="table-cell", datastylename="as-text")
    head_cell.addElement(TextProperties(fontweight="bold"))
    head_cell.addElement(TableCellProperties(backgroundcolor="#dde3f0"))
    doc.automaticstyles.addElement(head_cell)
    widths: dict[str, Style] = {}

    def column_style(width: int) -> Style:
        key = f"col-{width}"
        if key not in widths:
            style = Style(name=key, family="table-column")
            style.addElement(TableColumnProperties(columnwidth=f"{width * 0.2:.1f}cm"))
            doc.automaticstyles.addElement(style)
            widths[key] = style
        return widths[key]

    def cell_of(value, style) -> TableCell:
        if value is None or value == "":
            return TableCell()
        if isinstance(value, bool):
            cell = TableCell(valuetype="boolean", booleanvalue="true" if value else "false", stylename=other_cell)
            cell.addElement(P(text="TRUE" if value else "FALSE"))
            return cell
        if isinstance(value, (int, float)):
            cell = TableCell(valuetype="float", value=number_text(value), stylename=other_cell)
            cell.addElement(P(text=number_text(value)))
            return cell
        cell = TableCell(valuetype="string", stylename=style)
        for line in str(value).split("\n"):
            paragraph = P()
            _odf_text(paragraph, line)
            cell.addElement(paragraph)
        return cell

    for sheet in sheets:
        table = Table(name=sheet.name)
        for j, name in enumerate(sheet.header):
            width = _width([name] + [r[j] for r in sheet.rows if j < len(r)])
            attrs = {"stylename": column_style(width)}
            if j in sheet.text_columns:
                attrs["defaultcellstylename"] = text_cell
            table.addElement(TableColumn(**attrs))
        head = TableRow()
        for name in sheet.header:
            head.addElement(cell_of(name, head_cell))
        table.addElement(head)
        for row in sheet.rows:
            tr = TableRow()
            for value in row:
                tr.addElement(cell_of(value, text_cell))
            table.addElement(tr)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def csv_text(value) -> str:
    """A cell of a CSV file: text that a spreadsheet would run as a formula gets a leading ' (read back without)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    text = str(value)
    if text.lstrip("'")[:1] in FORMULA_START:
        return "'" + text
    return text


def _write_csv(path: Path, sheet: Sheet) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as f:  # the BOM: Excel then reads it as UTF-8
        writer = csv.writer(f)
        writer.writerow(sheet.header)
        for row in sheet.rows:
            writer.writerow([csv_text(v) for v in row])
