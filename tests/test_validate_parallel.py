"""Large catalogues are checked in worker processes: the result must not tell."""

import pytest
from conftest import FIXTURES, REPO

from microcred.validate import run as V

CATALOGUES = {
    "broken": FIXTURES / "validate" / "broken" / "catalogue",
    "hostile": FIXTURES / "hostile" / "refused" / "catalogue",
    "good": FIXTURES / "validate" / "good" / "catalogue",
    "example": REPO / "catalogue",
}

pytestmark = pytest.mark.skipif(not V._can_fork(), reason="worker processes are used only where fork is available")


def _entries(catalogue):
    return {cid: (e.file, e.path, e.record, e.data) for cid, e in catalogue.credentials.items()}


@pytest.mark.parametrize("name", CATALOGUES)
def test_workers_report_exactly_what_one_process_reports(name, monkeypatch):
    root = CATALOGUES[name]
    monkeypatch.setenv("MICROCRED_JOBS", "1")
    serial = V.validate(root)
    monkeypatch.setenv("MICROCRED_JOBS", "3")
    monkeypatch.setattr(V, "PARALLEL_FROM", 0)
    monkeypatch.setattr(V, "CHUNK", 2)  # many tasks: some taken by workers, some by this process
    tasks = []

    class Pool(V.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            tasks.append(super().submit(*args, **kwargs))
            return tasks[-1]

    monkeypatch.setattr(V, "ProcessPoolExecutor", Pool)
    assert V._can_fork()
    parallel = V.validate(root)
    assert any(not task.cancelled() for task in tasks)  # workers did check files
    assert parallel.problems == serial.problems
    assert parallel.files == serial.files
    assert list(parallel.catalogue.credentials) == list(serial.catalogue.credentials)
    assert _entries(parallel.catalogue) == _entries(serial.catalogue)
    assert parallel.catalogue.providers == serial.catalogue.providers
    assert parallel.catalogue.redirects == serial.catalogue.redirects
    assert parallel.catalogue.stacked_from == serial.catalogue.stacked_from

    lean = V.validate(root, keep_records=False)
    assert lean.problems == serial.problems and lean.files == serial.files
    assert lean.catalogue is None


def test_validating_single_files_parses_only_those(monkeypatch):
    parsed = []
    real_parse = V.parse
    monkeypatch.setattr(V, "parse", lambda file, raw: parsed.append(file) or real_parse(file, raw))
    root = CATALOGUES["good"]
    wanted = sorted(p for p in root.glob("*/*.yaml") if p.name != V.PROVIDER_FILE)[0]
    V.validate(root, only=[wanted], keep_records=False)
    assert sorted(parsed) == sorted([V.shown(wanted), V.shown(wanted.parent / V.PROVIDER_FILE)])


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
        assert V.shown_in(str(form), cache) == V.shown(form), form
