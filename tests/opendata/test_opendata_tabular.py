"""credentials.csv and datapackage.json, checked with frictionless (offline) and the csv module."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import frictionless
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO

from microcred.opendata.tabular import COLUMNS
from opendatahelp import no_network  # noqa: F401 (autouse: no test here reaches the network)
from opendatahelp import FIXTURE, copy_catalogue, env, export, load

# what spreadsheets may take for a formula, full-width signs included (written out here, not imported)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


@pytest.fixture(scope="module")
def api(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("tabular")
    with env(SOURCE_DATE_EPOCH="1790000000"):
        return export(copy_catalogue(FIXTURE, base / "catalogue"), base / "api")


def _rows(api: Path) -> list[dict]:
    text = (api / "credentials.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_frictionless_finds_the_data_package_valid(api):
    report = frictionless.validate(str(api / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    task = report.tasks[0]
    assert (task.stats["rows"], task.stats["fields"]) == (3, len(COLUMNS))


def test_frictionless_reads_the_examples_as_typed_rows(tmp_path):
    if not (REPO / "catalogue").is_dir():
        pytest.skip("no example catalogue in this checkout")
    with env(SOURCE_DATE_EPOCH="1790000000"):
        out = export(REPO / "catalogue", tmp_path / "api")
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = frictionless.Package(str(out / "datapackage.json")).get_resource("credentials").read_rows()
    assert len(rows) == load(out / "index.json")["data"]["counts"]["credentials"]
    assert all(isinstance(r["eqf_level"], int) and isinstance(r["languages"], list) for r in rows)


def test_frictionless_notices_a_changed_byte(api, tmp_path):
    # the descriptor's hash and size are checked, so the package is one consistent whole
    for name in ("credentials.csv", "datapackage.json"):
        (tmp_path / name).write_bytes((api / name).read_bytes())
    (tmp_path / "credentials.csv").write_bytes((api / "credentials.csv").read_bytes().replace(b"Minimal", b"Minimol"))
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_no_cell_can_become_a_spreadsheet_formula(api):
    rows = _rows(api)
    for row in rows:
        for name, value in row.items():
            assert not value.startswith(FORMULA_START), (name, value)
    everything = next(r for r in rows if r["id"] == "fixture-academy/everything")
    assert everything["title"] == "'" + load(api / "credentials/fixture-academy/everything.json")["data"]["title"]
    assert everything["status_note"] == "'=Replaced by fixture-academy/minimal."
    assert everything["prerequisites"] == "'＠home: none; 0 years of experience."  # full-width, defused too
    assert everything["languages"] == "en;de"


def test_columns_are_documented_in_the_table_schema_and_the_docs(api):
    fields = load(api / "datapackage.json")["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == list(_rows(api)[0])
    assert all(f["description"] for f in fields)
    docs = (REPO / "docs" / "api.md").read_text("utf-8")
    missing = [f["name"] for f in fields if f"`{f['name']}`" not in docs]
    assert not missing, f"columns not described in docs/api.md: {missing}"
    assert "leading `'`" in docs  # the formula rule is stated for users


def test_the_package_states_its_licence_and_profile(api):
    package = load(api / "datapackage.json")
    assert package["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert package["licenses"] == [{"name": "CC0-1.0", "path": "https://creativecommons.org/publicdomain/zero/1.0/"}]
    assert package["created"] == "2026-09-21T14:13:20Z"


def test_typed_cells_read_back_as_the_json_values(api):
    rows = frictionless.Package(str(api / "datapackage.json")).get_resource("credentials").read_rows()
    records = {r["id"]: r for r in load(api / "credentials.json")["data"]}
    for row in rows:
        record = records[row["id"]]
        assert float(row["cost_amount"]) == record["cost"]["amount"]
        assert row["eqf_level"] == record["level"]["eqf"]
        assert row["languages"] == record["languages"]
        assert row["self_paced"] is record["self_paced"]
        if record["workload"]["ects"] is not None:
            assert float(row["ects"]) == record["workload"]["ects"]


@pytest.mark.parametrize("sign", ["＝", "＋", "－", "＠"])
def test_full_width_formula_signs_are_defused(sign):
    from microcred.opendata.tabular import defuse

    assert defuse(f"{sign}SUM(A1:A9)") == f"'{sign}SUM(A1:A9)"
    assert defuse(f"Cost {sign} 5") == f"Cost {sign} 5"  # only at the start of a cell


@given(st.text())
def test_any_text_is_defused_and_recoverable(text):
    from microcred.opendata.tabular import defuse

    cell = defuse(text)
    assert not cell.startswith(FORMULA_START)
    assert cell == text or (cell == "'" + text and text.startswith(FORMULA_START))
    # and the csv module carries it through unchanged
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow([cell])
    assert next(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [cell]
