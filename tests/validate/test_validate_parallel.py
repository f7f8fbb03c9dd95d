"""Large catalogues are checked in worker processes: the result must not tell."""

import pytest
from conftest import FIXTURES, REPO

from microcred import settings
from microcred.contract.ids import PROVIDER_FILE
from microcred.contract.problems import shown
from microcred.validate import records, validate, workers

CATALOGUES = {
    "broken": FIXTURES / "validate" / "broken" / "catalogue",
    "hostile": FIXTURES / "hostile" / "refused" / "catalogue",
    "good": FIXTURES / "validate" / "good" / "catalogue",
    "example": REPO / "catalogue",
}

pytestmark = pytest.mark.skipif(not settings.can_fork(), reason="worker processes are used only where fork is available")


def _entries(catalogue):
    return {cid: (e.file, e.path, e.record, e.data, e.digest, e.brief, e.countries, e.facets)
            for cid, e in catalogue.credentials.items()}


@pytest.mark.parametrize("name", CATALOGUES)
def test_workers_report_exactly_what_one_process_reports(name, monkeypatch):
    root = CATALOGUES[name]
    monkeypatch.setenv("MICROCRED_JOBS", "1")
    serial = validate(root)
    monkeypatch.setenv("MICROCRED_JOBS", "3")
    monkeypatch.setattr(workers, "PARALLEL_FROM", 0)
    monkeypatch.setattr(workers, "CHUNK", 2)  # many tasks: some taken by workers, some by this process
    tasks = []

    class Pool(workers.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            tasks.append(super().submit(*args, **kwargs))
            return tasks[-1]

    monkeypatch.setattr(workers, "ProcessPoolExecutor", Pool)
    assert settings.can_fork()
    parallel = validate(root)
    assert any(not task.cancelled() for task in tasks)  # workers did check files
    assert parallel.problems == serial.problems
    assert parallel.files == serial.files
    assert list(parallel.catalogue.credentials) == list(serial.catalogue.credentials)
    assert _entries(parallel.catalogue) == _entries(serial.catalogue)
    assert parallel.catalogue.providers == serial.catalogue.providers
    assert parallel.catalogue.redirects == serial.catalogue.redirects
    assert parallel.catalogue.stacked_from == serial.catalogue.stacked_from

    lean = validate(root, keep_records=False)
    assert lean.problems == serial.problems and lean.files == serial.files
    assert lean.catalogue is None


def test_validating_single_files_parses_only_those(monkeypatch):
    parsed = []
    real_parse = records.parse
    monkeypatch.setattr(records, "parse", lambda file, raw: parsed.append(file) or real_parse(file, raw))
    root = CATALOGUES["good"]
    wanted = sorted(p for p in root.glob("*/*.yaml") if p.name != PROVIDER_FILE)[0]
    validate(root, only=[wanted], keep_records=False)
    assert sorted(parsed) == sorted([shown(wanted), shown(wanted.parent / PROVIDER_FILE)])


@pytest.mark.parametrize("cwd", ["root", "catalogue", "provider", "elsewhere"])
def test_files_are_shown_as_shown_says(cwd, tmp_path, monkeypatch):
    folder = tmp_path / "repo" / "catalogue" / "acme"
    folder.mkdir(parents=True)
    (tmp_path / "other").mkdir()
    monkeypatch.chdir({"root": tmp_path / "repo", "catalogue": tmp_path / "repo" / "catalogue",
                       "provider": folder, "elsewhere": tmp_path / "other"}[cwd])
    forms = [folder / "x.yaml", "x.yaml", "acme/x.yaml", "catalogue/acme/x.yaml", "./catalogue/acme/x.yaml",
             "catalogue/../catalogue/acme/x.yaml", "../catalogue/acme/x.yaml", "../../repo/catalogue/acme/x.yaml",
             "/x.yaml", "..x/y.yaml"]
    cache = {}
    for form in forms:
        assert records.shown_in(str(form), cache) == shown(form), form
