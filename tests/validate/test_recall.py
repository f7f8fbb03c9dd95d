"""A build recalls the files it checked before (validate/recall.py): the result must not tell."""

import shutil
from datetime import date

import pytest
from conftest import FIXTURES, REPO

from microcred.validate import records, validate
from microcred.validate.recall import Recall

from test_validate_parallel import _entries

CATALOGUES = {
    "broken": FIXTURES / "validate" / "broken" / "catalogue",
    "example": REPO / "catalogue",
}


@pytest.mark.parametrize("name", CATALOGUES)
def test_recalled_files_give_what_checking_them_gives(name, tmp_path, monkeypatch):
    root = tmp_path / "catalogue"
    shutil.copytree(CATALOGUES[name], root)
    monkeypatch.chdir(tmp_path)
    day = date(2026, 11, 30)
    checked = validate(root, today=day)
    first = Recall("day 1")
    validate(root, today=day, recall=first)
    first.save(tmp_path / "checked.pickle")
    recall = Recall.load(tmp_path / "checked.pickle", "day 1")
    assert recall.before

    parsed = []
    real = records.parse_file
    monkeypatch.setattr(records, "parse_file", lambda file, raw: parsed.append(file) or real(file, raw))
    edited = sorted(p for p in root.glob("*/*.yaml") if p.name != "provider.yaml")[-1]
    edited.write_text(edited.read_text("utf-8") + "\n# a comment\n", "utf-8")
    again = validate(root, today=day, recall=recall)
    # of the credential files, only the one whose bytes changed (provider files are few: always checked)
    assert [file for file in parsed if not file.endswith("/provider.yaml")] == [records.shown(edited)]
    assert again.problems == checked.problems and again.files == checked.files
    if checked.catalogue.credentials:
        assert _entries(again.catalogue) == _entries(checked.catalogue)


def test_another_day_or_validator_checks_every_file_again(tmp_path):
    root = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", root)
    recall = Recall("day 1")
    validate(root, today=date(2026, 11, 30), recall=recall)
    recall.save(tmp_path / "checked.pickle")
    assert not Recall.load(tmp_path / "checked.pickle", "day 2").before
    (tmp_path / "checked.pickle").write_bytes(b"damaged")
    assert not Recall.load(tmp_path / "checked.pickle", "day 1").before


def _checked_twice(tmp_path, edits: int):
    """The example catalogue checked and saved, then `edits` of its credential files changed, checked
    with the recall and saved again: (the results file, what a third run recalls, the second run's)."""
    root = tmp_path / "catalogue"
    shutil.copytree(REPO / "catalogue", root)
    day, file = date(2026, 11, 30), tmp_path / "checked.pickle"
    first = Recall("day 1")
    validate(root, today=day, recall=first)
    first.save(file)
    for path in sorted(p for p in root.glob("*/*.yaml") if p.name != "provider.yaml")[:edits]:
        path.write_text(path.read_text("utf-8") + "\n# edited\n", "utf-8")
    second = Recall.load(file, "day 1")
    validate(root, today=day, recall=second)
    second.save(file)
    return file, Recall.load(file, "day 1"), second


def test_a_few_changed_files_are_kept_apart_from_the_rest(tmp_path):
    file, third, second = _checked_twice(tmp_path, 1)
    changes = file.with_name("checked-changes.pickle")
    assert changes.stat().st_size < file.stat().st_size / 10  # the rest was not written again
    assert {digest: kept for digest, kept in third.before.items() if digest in second.now} == second.now
    assert len(third.before) == len(second.now) + 1  # and the file as it was before the edit


def test_many_changed_files_make_a_new_file_of_all_results(tmp_path):
    file, third, second = _checked_twice(tmp_path, 12)
    assert not file.with_name("checked-changes.pickle").exists()
    assert third.before == second.now


def test_changes_made_beside_another_file_of_results_are_not_applied(tmp_path):
    file, _third, _second = _checked_twice(tmp_path, 1)
    changes = file.with_name("checked-changes.pickle").read_bytes()
    fresh = Recall("day 1")
    validate(REPO / "catalogue", today=date(2026, 11, 30), recall=fresh)
    fresh.save(file)  # a clean build's: all results, a new file
    file.with_name("checked-changes.pickle").write_bytes(changes)
    assert Recall.load(file, "day 1").before == fresh.now
