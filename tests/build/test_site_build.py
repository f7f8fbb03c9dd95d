"""`microcred build`: failures leave the previous site whole; messages, not tracebacks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from microcred import build as pipeline
from microcred.cli import main
from microcred.settings import can_fork, jobs

from conftest import REPO, SITE_CATALOGUE, copy_catalogue
from sitetree import search_parts


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A small site built once; each test copies it as 'the previous output'."""
    catalogue = copy_catalogue(SITE_CATALOGUE, tmp_path_factory.mktemp("prev") / "catalogue")
    for extra in catalogue.glob("acme-academy/*.yaml"):
        if extra.name != "provider.yaml":
            extra.unlink()
    out = catalogue.parent / "site"
    pipeline.build(REPO, catalogue, out)
    return catalogue, out


def test_build_command_writes_the_site(previous, capsys):
    catalogue, out = previous
    target = out.parent / "fresh"
    assert main(["build", "--catalogue", str(catalogue), "--output", str(target), "--repo", str(REPO)]) == 0
    assert "built 4 credential pages" in capsys.readouterr().out
    assert (target / "index.html").exists() and (search_parts(target)[0] / "pagefind.js").exists()
    assert (target / "credentials/beta-institute/data-basics/index.html").exists()
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".fresh-build-")]


def test_invalid_catalogue_prints_problems_and_leaves_previous_output(previous, tmp_path, capsys):
    catalogue, out = previous
    broken = copy_catalogue(catalogue, tmp_path / "catalogue")
    (broken / "beta-institute" / "bad.yaml").write_text("title: Bad\nlevel:\n  eqf: 12\n", "utf-8")
    site = copy_catalogue(out, tmp_path / "site")
    before = snapshot(site)

    code = main(["build", "--catalogue", str(broken), "--output", str(site), "--repo", str(REPO)])

    captured = capsys.readouterr()
    assert code == 1
    assert "bad.yaml:3:8: error:" in captured.out  # FILE:LINE:COL, as the validator prints it
    assert "the site was not built" in captured.err
    assert "Traceback" not in captured.out + captured.err
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue", "site"]


def test_a_build_that_fails_midway_leaves_previous_output(previous, tmp_path, monkeypatch):
    catalogue, out = previous
    site = copy_catalogue(out, tmp_path / "site")
    before = snapshot(site)

    class BrokenIndexing:
        def __init__(self, site_dir, parts, kept_in=None):
            assert (site_dir / "index.html").exists()  # the new site was complete up to here
            assert all((site_dir / page).exists() for part in parts for page in part.pages)

        def __enter__(self):
            return self

        def __exit__(self, *failure):
            pass

        def wait(self):
            raise KeyboardInterrupt  # as if the user pressed Ctrl+C during indexing

    monkeypatch.setattr(pipeline, "Indexing", BrokenIndexing)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(REPO, catalogue, site)
    assert snapshot(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-cache", "site"]  # no half-built folder left


def test_a_successful_build_replaces_the_previous_site(previous, tmp_path):
    catalogue, out = previous
    site = copy_catalogue(out, tmp_path / "site")
    (site / "stale.html").write_text("old", "utf-8")
    report = pipeline.build(REPO, catalogue, site)
    assert not (site / "stale.html").exists()
    assert (site / "index.html").exists()
    # the replaced site is deleted by a process of its own, which the build does not wait for
    assert report.retiring is not None and report.retiring.wait(timeout=60) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-cache", "site"]


def test_a_replaced_site_whose_deletion_was_stopped_goes_with_the_next(previous, tmp_path):
    catalogue, out = previous
    site = copy_catalogue(out, tmp_path / "site")
    stopped = copy_catalogue(out, tmp_path / ".site-retired-x1y2" / "site")  # its deleter was killed
    report = pipeline.build(REPO, catalogue, site)
    report.retiring.wait(timeout=60)
    assert not stopped.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-cache", "site"]


def test_a_replaced_site_another_process_is_deleting_is_left_to_it(previous, tmp_path):
    # builds in quick succession each start a deleting process; each folder is deleted by one
    fcntl = pytest.importorskip("fcntl")
    catalogue, out = previous
    site = copy_catalogue(out, tmp_path / "site")
    busy = copy_catalogue(out, tmp_path / ".site-retired-busy" / "site")
    with open(busy.parent / ".deleting", "a") as lock:  # as the deleting process of a build before holds it
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        report = pipeline.build(REPO, catalogue, site)
        assert report.retiring.wait(timeout=60) == 0
        assert (busy / "index.html").exists()  # left to the process holding it
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site-cache", ".site-retired-busy", "site"]


def test_refuses_to_replace_a_folder_it_did_not_build(previous, tmp_path, capsys):
    catalogue, _out = previous
    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete", "utf-8")
    assert main(["build", "--catalogue", str(catalogue), "--output", str(precious), "--repo", str(REPO)]) == 1
    assert "is not a site built by microcred" in capsys.readouterr().err
    assert (precious / "thesis.txt").read_text("utf-8") == "do not delete"


def test_missing_catalogue_is_a_usage_error(tmp_path, capsys):
    assert main(["build", "--catalogue", str(tmp_path / "nope"), "--output", str(tmp_path / "site")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_generated_pages_never_go_into_docs(previous):
    docs = {p.relative_to(REPO / "docs") for p in (REPO / "docs").rglob("*")}
    assert not [p for p in docs if p.parts[0] in ("credentials", "providers", "levels", "fields")]


def test_broken_site_settings_are_a_message_not_a_traceback(previous, tmp_path, capsys):
    catalogue, _out = previous
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    (repo / "mkdocs.yml").write_text("site_name: x\ntheme: [unclosed\n", "utf-8")
    assert main(["build", "--catalogue", str(catalogue), "--output", str(tmp_path / "site"), "--repo", str(repo)]) == 1
    err = capsys.readouterr().err
    assert "mkdocs.yml:3:1: error:" in err and "Traceback" not in err
    assert not (tmp_path / "site").exists()


def test_bodies_rendered_in_a_second_process_are_the_same(previous, tmp_path, monkeypatch):
    from microcred.site import bodies as prerender

    catalogue, out = previous
    used = []
    original = prerender.write_all
    monkeypatch.setattr(prerender, "AHEAD_FROM", 1)
    monkeypatch.setattr(prerender, "write_all", lambda *args: used.append(original(*args)))
    ahead = tmp_path / "ahead"
    pipeline.build(REPO, catalogue, ahead)
    if not can_fork() or jobs() < 2:
        pytest.skip("this platform renders every body in one process")
    assert used == [True]
    pages = {k: v for k, v in snapshot(ahead).items() if k.endswith(".html")}
    assert len(pages) > 20
    assert pages == {k: v for k, v in snapshot(out).items() if k.endswith(".html")}


def test_open_data_written_in_a_process_of_its_own_is_the_same(previous, tmp_path, monkeypatch):
    from microcred.build import beside

    catalogue, _ = previous
    made = []
    real = beside.Beside.__init__
    monkeypatch.setattr(beside.Beside, "__init__", lambda self, *args: made.append(self) or real(self, *args))
    here, apart = tmp_path / "here", tmp_path / "apart"
    pipeline.build(REPO, catalogue, here)
    monkeypatch.setattr(beside, "FORKED_FROM", 1)
    pipeline.build(REPO, catalogue, apart)
    if not can_fork() or jobs() < 2:
        pytest.skip("this platform writes the open data in the build's own process")
    assert [opendata.forked for opendata in made if opendata.what == "open data"] == [False, True]
    data = {k: v for k, v in snapshot(apart).items() if k.startswith("api/v1/")}
    assert len(data) > 20
    assert data == {k: v for k, v in snapshot(here).items() if k.startswith("api/v1/")}


def test_a_relative_output_works_with_the_repository_elsewhere(tmp_path, monkeypatch):
    # MkDocs reads relative folders from its config file's folder; the build must not care
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["build", "-q", "--repo", str(REPO), "--catalogue", str(SITE_CATALOGUE), "--output", "site"]) == 0
    assert (work / "site" / "index.html").is_file()
    assert len(list((work / "site" / "credentials").glob("*/*/index.html"))) == 7  # six, and a renamed id
    assert sorted(p.name for p in work.iterdir()) == [".site-cache", "site"]  # no stage left behind


def test_one_build_asks_git_once(tmp_path, monkeypatch):
    # history (when each entry was added and changed) is worked out once and passed to the
    # pages and the open data alike
    from microcred.catalogue import git

    calls = []
    real_run = git.run
    monkeypatch.setattr(git, "run", lambda *args, **kw: calls.append(args[1:]) or real_run(*args, **kw))
    pipeline.build(REPO, REPO / "catalogue", tmp_path / "site", out=open("/dev/null", "w"))
    assert [call[0] for call in calls] == ["log"]
