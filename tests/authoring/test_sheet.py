"""`microcred sheet export` and `sheet import`: a provider's credentials as a spreadsheet, and back.

- Every example provider goes out as .csv, .xlsx and .ods and comes back with the same data, into an empty
  folder (every file new) and into the catalogue as it is (every file unchanged, no byte touched); also
  through the command as a user runs it.
- A sheet with an error writes nothing; each problem is at its row and column, in the validator's formats.
- The blank template: the columns of every field, and the columns sheet explains every field of the reference.
- Bad input (not a spreadsheet, unknown or missing columns, duplicate ids, empty required cells, numbers where
  text belongs and the other way round) and spreadsheet programs' habits (codes as numbers, date cells,
  decimal commas, semicolons): each reported at its cell, or read as meant; the messages are golden.
"""

from __future__ import annotations

import csv
import datetime
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

from clihelp import run_cli
from conftest import FIXTURES, REPO
from goldenfiles import check as golden

from microcred.authoring.sheet import export_sheet, import_sheet
from microcred.authoring.sheet import cells as c
from microcred.authoring.sheet import layout
from microcred.authoring.sheet.files import Sheet, read_grid, write_sheets
from microcred.contract.problems import KINDS, shown, text_line
from microcred.contract.yamlload import parse
from microcred.errors import UsageError

CATALOGUE = REPO / "catalogue"
PROVIDERS = sorted(p.name for p in CATALOGUE.iterdir() if (p / "provider.yaml").is_file())
HOSTILE = FIXTURES / "hostile" / "accepted" / "catalogue"  # text made to break pages, feeds and spreadsheets
FORMATS = ["csv", "xlsx", "ods"]


def entries(folder: Path) -> dict[str, object]:
    return {p.name: parse(p.name, p.read_bytes()).data for p in sorted(folder.glob("*.yaml"))
            if p.name != "provider.yaml"}


def contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def catalogue(tmp_path) -> Path:
    shutil.copytree(CATALOGUE, tmp_path / "catalogue")
    return tmp_path / "catalogue"


def header_of(path: Path) -> list[str]:
    return [str(raw.value) for raw in read_grid(path).rows[0][1]]


def set_cells(path: Path, changes: dict[tuple[int, str], object]) -> Path:
    """Change cells of an exported sheet: {(row, column name): value}; returns the path."""
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path)
        ws = wb["credentials"]
        header = [cell.value for cell in ws[1]]
        for (row, name), value in changes.items():
            ws.cell(row=row, column=header.index(name) + 1).value = value
        wb.save(path)
        return path
    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines(keepends=True)))
    for (row, name), value in changes.items():
        rows[row - 1][rows[0].index(name)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


# --- export, then import: the same data ------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_export_then_import_into_an_empty_folder_gives_back_the_same_data(catalogue, tmp_path, provider, fmt):
    folder = catalogue / provider
    before = entries(folder)
    sheet = tmp_path / f"{provider}.{fmt}"
    exported = export_sheet(catalogue, provider, sheet)
    assert exported.entries == len(before)
    for path in folder.glob("*.yaml"):
        if path.name != "provider.yaml":
            path.unlink()
    result = import_sheet(sheet, catalogue)
    assert [text_line(p) for p in result.errors] == []
    assert {e.status for e in result.entries} == {"new"}
    assert entries(folder) == before
    for name in before:  # written like `microcred new`: every field, the optional ones commented out
        text = (folder / name).read_text("utf-8")
        assert text.startswith("# yaml-language-server: $schema=../../docs/schema/credential.schema.json\n")
        assert "# required: Title of the micro-credential (Annex I)." in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_hostile_catalogue_goes_out_and_comes_back(tmp_path, fmt):
    catalogue = shutil.copytree(HOSTILE, tmp_path / "catalogue")
    for provider in sorted(p.name for p in catalogue.iterdir() if p.is_dir()):
        before = entries(catalogue / provider)
        export_sheet(catalogue, provider, tmp_path / f"{provider}.{fmt}")
        for name in before:
            (catalogue / provider / name).unlink()
        result = import_sheet(tmp_path / f"{provider}.{fmt}", catalogue)
        assert [text_line(p) for p in result.errors] == []
        assert entries(catalogue / provider) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_import_of_an_unchanged_sheet_touches_no_file(catalogue, tmp_path, fmt):
    before = contents(catalogue)
    for provider in PROVIDERS:
        sheet = tmp_path / f"{provider}.{fmt}"
        export_sheet(catalogue, provider, sheet)
        result = import_sheet(sheet, catalogue)
        assert result.errors == [] and not result.written
        assert {e.status for e in result.entries} == {"unchanged"}
    assert contents(catalogue) == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_commands_as_a_user_runs_them(catalogue, tmp_path, fmt):
    provider = "rheinfeld-university"
    before = entries(catalogue / provider)
    code, out, err = run_cli(["sheet", "export", provider, "-o", f"mine.{fmt}"], tmp_path)
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"wrote mine.{fmt}"
    assert f"5 credentials of {provider}, one per row" in out
    assert f"next: fill it in, then run: microcred sheet import mine.{fmt}" in out
    if fmt == "csv":
        assert "wrote mine.columns.csv" in out and (tmp_path / "mine.columns.csv").is_file()
    for path in (catalogue / provider).glob("*.yaml"):
        if path.name != "provider.yaml":
            path.unlink()
    code, out, err = run_cli(["sheet", "import", f"mine.{fmt}", "--dry-run"], tmp_path)
    assert (code, err) == (0, "")
    assert f"new  {provider}/cleanroom-practice (row 4): would write catalogue/{provider}/cleanroom-practice.yaml" \
        in out
    assert out.rstrip().endswith("nothing written (--dry-run)")
    assert entries(catalogue / provider) == {}
    code, out, err = run_cli(["sheet", "import", f"mine.{fmt}"], tmp_path)
    assert (code, err) == (0, "")
    assert f"new  {provider}/cleanroom-practice (row 4): wrote catalogue/{provider}/cleanroom-practice.yaml" in out
    assert f"mine.{fmt}: 5 credentials: 5 new, 0 changed, 0 unchanged" in out
    assert entries(catalogue / provider) == before
    code, out, _ = run_cli(["validate"], tmp_path)
    assert code == 0, out


# --- errors: reported at their cells, nothing written --------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_eqf_level_9_in_row_3_is_reported_at_its_cell_and_nothing_is_written(catalogue, tmp_path, fmt):
    provider = "rheinfeld-university"
    sheet = tmp_path / f"sheet.{fmt}"
    export_sheet(catalogue, provider, sheet)
    set_cells(sheet, {(3, "level.eqf"): 9 if fmt == "xlsx" else "9", (2, "level.eqf"): 7 if fmt == "xlsx" else "7"})
    column = header_of(sheet).index("level.eqf") + 1
    before = contents(catalogue)
    code, out, _ = run_cli(["sheet", "import", sheet.name], tmp_path)
    assert code == 1
    assert f"sheet.{fmt}:3:{column}: error: level.eqf: 9 is out of range: EQF level must be from 1 to 8 " \
           "[out-of-range]" in out.splitlines()
    assert "nothing written: fix the errors in" in out
    assert contents(catalogue) == before  # row 2 changed too, and was not written either


def test_format_github_and_json_are_the_validators(catalogue, tmp_path):
    sheet = tmp_path / "sheet.xlsx"
    export_sheet(catalogue, "rheinfeld-university", sheet)
    set_cells(sheet, {(3, "level.eqf"): 9})
    column = header_of(sheet).index("level.eqf") + 1
    code, out, _ = run_cli(["sheet", "import", "sheet.xlsx", "--format", "github"], tmp_path)
    assert code == 1
    assert f"::error file=sheet.xlsx,line=3,col={column},title=out-of-range::level.eqf: 9 is out of range: " \
           "EQF level must be from 1 to 8" in out.splitlines()
    code, out, _ = run_cli(["sheet", "import", "sheet.xlsx", "--format", "json"], tmp_path)
    assert code == 1
    report = json.loads(out)
    assert report["files"] == 1 and report["errors"] == 1 and report["written"] is False
    [problem] = report["problems"]
    assert {k: problem[k] for k in ("code", "file", "line", "column", "message", "path", "severity")} == {
        "code": "out-of-range", "file": "sheet.xlsx", "line": 3, "column": column,
        "message": "9 is out of range: EQF level must be from 1 to 8", "path": "level.eqf", "severity": "error"}
    assert [e["status"] for e in report["entries"]] == ["unchanged", "changed", "unchanged", "unchanged", "unchanged"]
    set_cells(sheet, {(3, "level.eqf"): 6})
    code, out, _ = run_cli(["sheet", "import", "sheet.xlsx", "--format", "json", "--dry-run"], tmp_path)
    report = json.loads(out)
    assert code == 0 and report["errors"] == 0 and report["dry_run"] is True
    statuses = {e["id"]: e["status"] for e in report["entries"]}
    assert statuses["rheinfeld-university/chip-design-verification"] == "changed"
    assert list(statuses.values()).count("unchanged") == 4


def test_lists_of_mappings_are_numbered_columns_and_problems_name_them(catalogue, tmp_path):
    sheet = tmp_path / "sheet.csv"
    export_sheet(catalogue, "rheinfeld-university", sheet)
    header = header_of(sheet)
    assert "quality_assurance[2].description" in header and "skills[3].label" in header
    set_cells(sheet, {(3, "quality_assurance[2].type"): "accredited", (3, "languages"): "en\nxx-nowhere"})
    result = import_sheet(sheet, catalogue)
    lines = [text_line(p) for p in result.problems]
    qa = header.index("quality_assurance[2].type") + 1
    languages = header.index("languages") + 1
    assert any(line.startswith(f"{result.file}:3:{qa}: error: quality_assurance[2].type: 'accredited' is not a "
                               "known quality assurance type") for line in lines), lines
    assert any(line.startswith(f"{result.file}:3:{languages}: error: languages[2]: 'xx-nowhere' is not a known "
                               "BCP 47 language tag") for line in lines), lines


def test_checks_across_files_see_the_imported_entries(catalogue, tmp_path):
    provider = "kammerland-chamber"
    sheet = tmp_path / "sheet.csv"
    export_sheet(catalogue, provider, sheet)
    header = header_of(sheet)
    rows = list(csv.reader(sheet.read_text("utf-8-sig").splitlines(keepends=True)))
    new = list(rows[1])
    new[0] = f"{provider}/plc-advanced"
    new[header.index("stackability.mode")] = "stand-alone"
    new[header.index("stackability.stacks_into")] = ""
    new[header.index("previous_ids")] = ""
    rows.append(new)
    rows[1][header.index("stackability.mode")] = "stackable"
    rows[1][header.index("stackability.stacks_into")] = f"{provider}/plc-advanced"  # a credential of this sheet
    rows[2][header.index("stackability.mode")] = "stackable"
    rows[2][header.index("stackability.stacks_into")] = f"{provider}/plc-expert"  # nowhere
    with open(sheet, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    result = import_sheet(sheet, catalogue)
    column = header.index("stackability.stacks_into") + 1
    assert [text_line(p) for p in result.errors] == [
        f"{result.file}:3:{column}: error: stackability.stacks_into[1]: no credential '{provider}/plc-expert' in "
        f"the register (did you mean '{provider}/plc-advanced'?) [unresolved-reference]"]


def test_a_problem_the_sheet_makes_in_another_file_is_reported_there(catalogue, tmp_path):
    # plc-programming-basics was called sps-grundkurs once: that id is never used again
    sheet = tmp_path / "sheet.csv"
    export_sheet(catalogue, "kammerland-chamber", sheet)
    rows = list(csv.reader(sheet.read_text("utf-8-sig").splitlines(keepends=True)))
    header = rows[0]
    rows = [header, rows[2]]
    rows[1][0] = "kammerland-chamber/sps-grundkurs"
    with open(sheet, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    before = contents(catalogue)
    code, out, _ = run_cli(["sheet", "import", "sheet.csv"], tmp_path)
    assert code == 1
    assert re.search(r"^catalogue/kammerland-chamber/plc-programming-basics\.yaml:\d+:\d+: error: previous_ids\[0\]: "
                     r"'kammerland-chamber/sps-grundkurs' is the id of a credential in the register; ids are never "
                     r"reused \[id-reused\]$", out, re.M), out
    assert contents(catalogue) == before


# --- what a sheet carries, and what it keeps --------------------------------------------------------


def test_columns_the_sheet_lacks_keep_the_files_values(catalogue, tmp_path):
    folder = catalogue / "kammerland-chamber"
    before = entries(folder)
    sheet = tmp_path / "few.csv"
    sheet.write_text("id,title.en,level.eqf\nkammerland-chamber/plc-programming-basics,PLC basics,4\n", "utf-8")
    code, out, _ = run_cli(["sheet", "import", "few.csv"], tmp_path)
    assert code == 0, out
    assert "changed  kammerland-chamber/plc-programming-basics (row 2): rewrote " \
           "catalogue/kammerland-chamber/plc-programming-basics.yaml (the old file's comments and layout are not " \
           "kept)" in out
    after = entries(folder)
    expected = dict(before["plc-programming-basics.yaml"])
    expected["title"] = dict(expected["title"], en="PLC basics")  # the German title is kept
    assert after["plc-programming-basics.yaml"] == expected
    assert {k: v for k, v in after.items() if k != "plc-programming-basics.yaml"} == \
           {k: v for k, v in before.items() if k != "plc-programming-basics.yaml"}


def test_an_empty_cell_of_a_column_that_is_there_removes_the_value(catalogue, tmp_path):
    sheet = tmp_path / "sheet.csv"
    export_sheet(catalogue, "rheinfeld-university", sheet)
    set_cells(sheet, {(2, "keywords"): "", (2, "sector"): ""})
    result = import_sheet(sheet, catalogue)
    assert result.errors == []
    data = entries(catalogue / "rheinfeld-university")["analogue-circuit-simulation.yaml"]
    assert "keywords" not in data and "sector" not in data


def test_plain_text_and_translations_together_make_translations_in_the_first_language(catalogue, tmp_path):
    sheet = tmp_path / "sheet.csv"
    export_sheet(catalogue, "rheinfeld-university", sheet)  # analogue-circuit-simulation: languages [en]
    set_cells(sheet, {(2, "title.de"): "Satellitenmodul: Analogsimulation",
                      (2, "learning_outcomes.de"): "\nSchaltungen simulieren"})
    result = import_sheet(sheet, catalogue)
    assert result.errors == []
    data = entries(catalogue / "rheinfeld-university")["analogue-circuit-simulation.yaml"]
    assert data["title"] == {"en": "Satellite unit: analogue circuit simulation with SPICE",
                             "de": "Satellitenmodul: Analogsimulation"}
    assert data["learning_outcomes"][0] == "Set up DC, AC and transient simulations of analogue circuits in a SPICE " \
                                           "netlist."
    assert data["learning_outcomes"][1] == {
        "en": "Select and parameterise transistor models for a given process.", "de": "Schaltungen simulieren"}


def test_an_entry_that_no_sheet_can_carry_is_not_exported(catalogue, tmp_path):
    path = catalogue / "rheinfeld-university" / "cleanroom-practice.yaml"
    path.write_text(path.read_text("utf-8").replace("keywords: [Reinraum, cleanroom, wafer]",
                                                    'keywords: ["Reinraum\\nclean room", wafer]'), "utf-8")
    with pytest.raises(Exception) as raised:
        export_sheet(catalogue, "rheinfeld-university", tmp_path / "sheet.csv")
    assert re.search(r"cleanroom-practice\.yaml:\d+:\d+: keywords\[0\]: a list item that is not one line of text "
                     "cannot go in a cell", str(raised.value))
    assert not (tmp_path / "sheet.csv").exists()


def test_an_xlsx_sheet_offers_the_allowed_values_in_a_list(catalogue, tmp_path):
    export_sheet(catalogue, "rheinfeld-university", tmp_path / "sheet.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "sheet.xlsx")["credentials"]
    header = [cell.value for cell in ws[1]]
    offered = {header[openpyxl.utils.column_index_from_string(str(dv.sqref).split(":")[0][:-1]) - 1]: dv.formula1
               for dv in ws.data_validations.dataValidation}
    assert offered["participation"] == '"online,onsite,blended,volunteering,work-experience"'
    assert offered["status"] == '"active,suspended,withdrawn"'
    assert "languages" not in offered and "title" not in offered


# --- the blank template ---------------------------------------------------------------------------------


def reference_fields() -> list[str]:
    page = (REPO / "docs" / "reference" / "fields.md").read_text("utf-8")
    section = page.split("## Credential file", 1)[1].split("## Provider file", 1)[0]
    return list(dict.fromkeys(re.findall(r"^\| `([^`]+)` \|", section, re.M)))


def explained(path: Path) -> list[list[str]]:
    if path.suffix == ".csv":
        rows = list(csv.reader(path.with_name(f"{path.stem}.columns.csv").read_text("utf-8-sig")
                               .splitlines(keepends=True)))
    elif path.suffix == ".xlsx":
        rows = [[str(v) if v is not None else "" for v in row]
                for row in openpyxl.load_workbook(path)["columns"].iter_rows(values_only=True)]
    else:
        from odf.opendocument import load
        from odf.table import Table, TableCell, TableRow
        from odf import teletype
        table = [t for t in load(str(path)).spreadsheet.getElementsByType(Table) if t.getAttribute("name") == "columns"]
        rows = [["\n".join(teletype.extractText(p) for p in cell.childNodes)
                 for cell in row.getElementsByType(TableCell)] for row in table[0].getElementsByType(TableRow)]
    return rows


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_provider_without_credentials_gets_a_blank_template(catalogue, tmp_path, fmt):
    (catalogue / "new-academy").mkdir()
    shutil.copy(catalogue / "rheinfeld-university" / "provider.yaml", catalogue / "new-academy" / "provider.yaml")
    code, out, _ = run_cli(["sheet", "export", "new-academy", "-o", f"blank.{fmt}"], tmp_path)
    assert code == 0
    assert "new-academy has no credentials yet: a blank sheet of" in out
    grid = read_grid(tmp_path / f"blank.{fmt}")
    assert len(grid.rows) == 1
    assert header_of(tmp_path / f"blank.{fmt}") == list(layout.template_names())
    rows = explained(tmp_path / f"blank.{fmt}")
    assert rows[0] == ["column", "field", "required", "type", "allowed", "description", "example",
                       "how to fill it in"]
    fields = [row[1] for row in rows[1:]]
    assert fields[0] == "(the file)"
    assert sorted(fields[1:]) == sorted(reference_fields())
    by_field = {row[1]: row for row in rows[1:]}
    assert by_field["quality_assurance[].type"][:4] == ["quality_assurance[1].type", "quality_assurance[].type",
                                                       "yes in each item", "text"]
    assert by_field["level.eqf"][4] == "1 to 8"
    assert by_field["field"][6] == "0714"
    # the template imports: a new credential typed into it
    values = {"id": "new-academy/plc-basics", "title": "PLC basics", "learning_outcomes": "Write a program\nTest it",
              "workload.ects": "5", "level.eqf": "4", "assessment.type": "practical-demonstration, written-exam",
              "participation": "blended", "quality_assurance[1].type": "internal", "field": "0714",
              "languages": "de", "cost.amount": "450", "cost.currency": "EUR"}
    header = list(layout.template_names())
    with open(tmp_path / "filled.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, [values.get(name, "") for name in header]])
    code, out, _ = run_cli(["sheet", "import", "filled.csv"], tmp_path)
    assert code == 0, out
    assert entries(catalogue / "new-academy")["plc-basics.yaml"] == {
        "title": "PLC basics", "learning_outcomes": ["Write a program", "Test it"], "workload": {"ects": 5},
        "level": {"eqf": 4}, "assessment": {"type": ["practical-demonstration", "written-exam"]},
        "participation": "blended", "quality_assurance": [{"type": "internal"}], "field": "0714",
        "languages": ["de"], "cost": {"amount": 450, "currency": "EUR"}}


# --- bad input and spreadsheet programs' habits: the messages ----------------------------------------------


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "credentials"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


GOOD = {"title": "PLC basics", "learning_outcomes": "Write a program", "workload.ects": "5", "level.eqf": "4",
        "assessment.type": "project", "participation": "online", "quality_assurance[1].type": "internal",
        "field": "0714", "languages": "en", "cost.amount": "0"}


def _csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f, delimiter=delimiter).writerows(rows)
    return path


def _row(cid: str, **changes) -> dict:
    return {"id": cid, **GOOD, **{k.replace("__", "."): v for k, v in changes.items()}}


def _table(rows: list[dict], header: list[str] | None = None) -> list[list[object]]:
    header = header or list(dict.fromkeys(k for row in rows for k in row))
    return [header] + [[row.get(name, "") for name in header] for row in rows]


P = "polderkust-university"


def bad_inputs(tmp: Path) -> dict[str, Path]:
    files = {}
    (tmp / "notes.xlsx").write_text("just some notes\n", "utf-8")
    files["not a spreadsheet"] = tmp / "notes.xlsx"
    files["not UTF-8"] = _csv(tmp / "latin1.csv", _table([_row(f"{P}/cafe", title="Café")]), encoding="latin-1")
    files["an unknown column"] = _csv(tmp / "unknown.csv", _table([{
        "id": f"{P}/a", "titel": "A", "quality_assurance.1.type": "internal", "title.xx": "B",
        **{k: v for k, v in GOOD.items() if k != "id"}}]))
    files["no id column"] = _csv(tmp / "noid.csv", [["slug", "title"], ["plc-basics", "PLC basics"]])
    files["a column twice"] = _csv(tmp / "twice.csv", _table([_row(f"{P}/a")], [*_row("x"), "title"]))
    files["a duplicate id, a bad id, no id"] = _csv(tmp / "ids.csv", _table(
        [_row(f"{P}/plc"), _row(f"{P}/plc"), _row("PLC Basics"), _row("", title="no id")]))
    files["a row of another provider"] = _csv(tmp / "providers.csv", _table(
        [_row(f"{P}/a"), _row("kammerland-chamber/b")]))
    files["a provider without a folder"] = _csv(tmp / "nobody.csv", _table([_row("nobody-yet/a")]))
    files["an empty required cell"] = _csv(tmp / "empty.csv", _table([{**_row(f"{P}/a", participation=""),
                                                                       "quality_assurance[1].type": "",
                                                                       "quality_assurance[1].body": "Board"}]))
    files["a number where text belongs, text where a number belongs"] = _xlsx(tmp / "types.xlsx", _table(
        [{**_row(f"{P}/a"), "title": 2024, "level.eqf": 4, "workload.ects": "five", "cost.amount": 0,
          "self_paced": "ja"}]))
    files["codes typed as numbers, date cells, a formula, an error value"] = _xlsx(tmp / "habits.xlsx", _table(
        [{**_row(f"{P}/a"), "field": 714, "level.eqf": 4, "workload.ects": 5, "cost.amount": 0,
          "valid_from": datetime.datetime(2026, 1, 15), "start_dates": datetime.date(2027, 3, 1),
          "identifiers[1].scheme": "provider", "identifiers[1].value": datetime.date(2024, 1, 2),
          "url": "=HYPERLINK(\"https://x.example\")", "keywords": "#N/A"},
         {**_row(f"{P}/b"), "field": 11, "level.eqf": 4, "workload.ects": 5, "cost.amount": 0}]))
    files["a European Excel's CSV: semicolons, decimal commas, dates with dots"] = _csv(tmp / "european.csv", _table(
        [_row(f"{P}/a", workload__ects="2,5", workload__hours="62,5", valid_from="15.01.2026",
              cost__amount="1.250,50", cost__currency="EUR", self_paced="WAHR")]), delimiter=";")
    files["ambiguous numbers and dates"] = _csv(tmp / "ambiguous.csv", _table(
        [_row(f"{P}/a", cost__amount="1,500", cost__currency="EUR", start_dates="01/02/2027\n13/02/2027")]))
    return files


@pytest.mark.golden
def test_bad_input_messages(catalogue, tmp_path):
    before = contents(catalogue)
    out_all = []
    for what, path in bad_inputs(tmp_path).items():
        code, out, err = run_cli(["sheet", "import", path.name, "--dry-run"], tmp_path)
        out_all += [f"## {what}: microcred sheet import {path.name} --dry-run", out.rstrip("\n"), f"(exit {code})", ""]
        assert err == ""
        assert code == (0 if what.startswith("a European") else 1), out
    golden("sheet-import-messages.txt", "\n".join(out_all))
    assert contents(catalogue) == before


def test_bad_input_messages_in_detail(catalogue, tmp_path):
    files = bad_inputs(tmp_path)

    def lines(what: str) -> list[str]:
        return [text_line(p) for p in import_sheet(files[what], catalogue, dry_run=True).problems]

    assert lines("not a spreadsheet") == [
        f"{files['not a spreadsheet']}:1:1: error: not an Excel workbook (.xlsx): the file is not a zip archive "
        "(save it from your spreadsheet program as .xlsx, .ods or CSV UTF-8) [sheet-unreadable]"]
    assert lines("not UTF-8")[0].endswith("1:1: error: the file is not UTF-8: byte 0xe9 on line 2 (save it as CSV "
                                          "UTF-8: in Excel, File > Save As > CSV UTF-8 (Comma delimited)) "
                                          "[sheet-unreadable]")
    unknown = lines("an unknown column")
    assert unknown[0].endswith("1:2: error: unknown column 'titel' (did you mean 'title'?) [unknown-column]")
    assert unknown[1].endswith("1:3: error: unknown column 'quality_assurance.1.type' (did you mean "
                               "'quality_assurance[1].type'?) [unknown-column]")
    assert unknown[2].endswith("1:4: error: unknown column 'title.xx': 'xx' is not a known BCP 47 language tag for a "
                               "translation (name the column title.<language>, e.g. title.de) [unknown-column]")
    assert lines("no id column")[-1].endswith("1:1: error: no column is named id: a slug alone does not name the "
                                              "provider (name a column id, and give each row's credential id "
                                              "<provider-id>/<slug> in it) [missing-id-column]")
    ids = lines("a duplicate id, a bad id, no id")
    assert any(line.endswith(f"3:1: error: id: id '{P}/plc' is also in row 2 (each credential has one row) "
                             "[duplicate-id]") for line in ids), ids
    assert any(line.endswith("4:1: error: id: 'PLC Basics' is not a credential id: write <provider-id>/<slug> "
                             f"(e.g. {P}/plc-basics) [invalid-id]") for line in ids), ids
    assert any(line.endswith("5:1: error: id: the row has no id (each row needs its credential's id: "
                             "<provider-id>/<slug>) [missing-field]") for line in ids), ids
    empty = lines("an empty required cell")
    column = list(_row("x")).index("participation") + 1
    assert any(f"2:{column}: error: participation: required field 'participation' is missing" in line
               for line in empty), empty
    assert any(f"2:{column + 1}: error: quality_assurance[1].type: required field 'type' is missing in "
               "quality_assurance[1]" in line for line in empty), empty
    assert lines("a column twice") == [f"{files['a column twice']}:1:12: error: column 'title' is also column 2 "
                                       "(keep one of them: a field has one column) [duplicate-column]"]
    assert lines("a row of another provider") == [
        f"{files['a row of another provider']}:3:1: error: id: this row is for provider "
        "'kammerland-chamber', the sheet's first id is for 'polderkust-university' (row 2): a sheet holds one "
        "provider's credentials (put each provider's credentials in a sheet of their own) [sheet-provider]"]
    assert lines("a provider without a folder") == [
        f"{files['a provider without a folder']}:2:1: error: id: no provider 'nobody-yet' in {shown(catalogue)}/ (no "
        f"{shown(catalogue / 'nobody-yet' / 'provider.yaml')}) (correct the ids, or add the provider first: "
        "microcred new-provider nobody-yet) [sheet-provider]"]
    types = lines("a number where text belongs, text where a number belongs")
    assert any(line.endswith("2:2: warning: title: the cell holds the number 2024: read as the text \"2024\" (format "
                             "the column as text, so that what is typed stays as typed, a leading zero too) "
                             "[number-as-text]") for line in types), types
    assert any(": error: workload.ects: expected a number, got text" in line for line in types), types


def test_a_sheet_s_habits_are_read_as_meant(catalogue, tmp_path):
    files = bad_inputs(tmp_path)
    result = import_sheet(files["a European Excel's CSV: semicolons, decimal commas, dates with dots"], catalogue)
    assert result.errors == [], [text_line(p) for p in result.problems]
    data = entries(catalogue / P)["a.yaml"]
    assert data["workload"] == {"ects": 2.5, "hours": 62.5}
    assert data["valid_from"] == "2026-01-15"
    assert data["cost"] == {"amount": 1250.5, "currency": "EUR"}
    assert data["self_paced"] is True
    result = import_sheet(files["codes typed as numbers, date cells, a formula, an error value"], catalogue,
                          dry_run=True)
    lines = [text_line(p) for p in result.problems]
    assert any("warning: field: the cell holds the number 714: read as the ISCED-F code \"0714\"" in line
               for line in lines), lines
    assert any("error: field: the cell holds the number 11: it could be the ISCED-F code 0011 or 011" in line
               for line in lines), lines
    assert not any("valid_from" in line or "start_dates" in line for line in lines), lines


# --- the parts --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, decimal_comma, expected", [
    ("5", None, 5), ("0.5", None, 0.5), ("2,5", None, 2.5), ("2,5", True, 2.5), ("1.250,50", True, 1250.5),
    ("1.500", True, 1500), ("1.500", None, 1.5), ("1,500.25", False, 1500.25), ("1 500", None, 1500),
    ("five", None, None), ("€ 450", None, None),
])
def test_numbers_written_as_text(text, decimal_comma, expected):
    assert c.parse_number(text, decimal_comma) == expected


@pytest.mark.parametrize("text, decimal_comma", [("1,500", None), ("1,500", False)])
def test_a_number_that_could_be_read_two_ways_is_reported(text, decimal_comma):
    with pytest.raises(c.Unreadable) as raised:
        c.parse_number(text, decimal_comma)
    assert raised.value.note.message == "'1,500' could be 1.5 or 1500"


@pytest.mark.parametrize("text, expected", [
    ("2026-09-01", "2026-09-01"), ("2026-09-01 00:00:00", "2026-09-01"), ("1.9.2026", "2026-09-01"),
    ("01-09-2026", "2026-09-01"), ("2026/9/1", "2026-09-01"), ("13/09/2026", "2026-09-13"),
    ("09/13/2026", "2026-09-13"), ("1/1/2026", "2026-01-01"), ("soon", "soon"), ("31.02.2026", "31.02.2026"),
])
def test_dates_written_another_way(text, expected):
    assert c.date_text(text) == expected


def test_every_code_the_sheet_reports_is_a_problem_kind():
    source = "".join(p.read_text("utf-8") for p in (REPO / "build/microcred/authoring/sheet").glob("*.py"))
    codes = set(re.findall(r'(?:Note|problem)\(\s*"([a-z-]+)"', source))
    assert codes and codes <= set(KINDS), codes - set(KINDS)


def test_ods_written_by_a_spreadsheet_program_repeated_rows_and_cells(tmp_path):
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P as Para, S

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    row = TableRow()
    for name in ("id", "keywords"):
        cell = TableCell(valuetype="string")
        cell.addElement(Para(text=name))
        row.addElement(cell)
    row.addElement(TableCell(numbercolumnsrepeated=1020))
    table.addElement(row)
    row = TableRow(numberrowsrepeated=2)
    cell = TableCell(valuetype="string", numbercolumnsrepeated=2)
    p = Para()
    p.addElement(S(c=2))
    p.addText("same")
    cell.addElement(p)
    row.addElement(cell)
    table.addElement(row)
    table.addElement(TableRow(numberrowsrepeated=1048000))
    doc.spreadsheet.addElement(table)
    doc.save(str(tmp_path / "lo.ods"))
    grid = read_grid(tmp_path / "lo.ods")
    assert [(n, [r.value for r in cells]) for n, cells in grid.rows] == [
        (1, ["id", "keywords"]), (2, ["  same", "  same"]), (3, ["  same", "  same"])]


def test_cells_keep_what_spreadsheets_would_change(tmp_path):
    values = ["=not a formula", "-5 degrees", "0714", "  two  spaces  ", "line 1\n\nline 3\n", "'quoted", "@home"]
    for fmt in FORMATS:
        path = tmp_path / f"t.{fmt}"
        write_sheets(path, [Sheet("credentials", ["value"], [[v] for v in values], {0})])
        assert [cells[0].value for _, cells in read_grid(path).rows[1:]] == values, fmt


def test_usage_errors(catalogue, tmp_path):
    with pytest.raises(UsageError, match="must end in .xlsx, .ods or .csv"):
        export_sheet(catalogue, "rheinfeld-university", tmp_path / "sheet.txt")
    with pytest.raises(UsageError, match="no provider 'nobody'"):
        export_sheet(catalogue, "nobody", tmp_path / "sheet.csv")
    code, _, err = run_cli(["sheet", "import", "missing.csv"], tmp_path)
    assert (code, err) == (2, "microcred: error: missing.csv: no such file\n")
    (tmp_path / "sheet.txt").write_text("id\n", "utf-8")
    code, _, err = run_cli(["sheet", "import", "sheet.txt"], tmp_path)
    assert code == 2 and "a sheet must be an .xlsx, .ods or .csv file" in err
    code, _, err = run_cli(["sheet", "export", "rheinfeld-university"], tmp_path)
    assert code == 2 and "-o/--output" in err
