"""feed.json and the dates behind it: JSON Feed 1.1, dates from one git log, never from the clock."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

import microcred.catalogue.git
from conftest import FIXTURES
from opendatahelp import no_network  # noqa: F401 (autouse: no test here reaches the network)
from opendatahelp import FIXTURE, copy_catalogue, env, export, load

JSON_FEED_SCHEMA = FIXTURES / "opendata" / "jsonfeed-1.1.schema.json"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _feed_validator() -> Draft202012Validator:
    # date-time is checked by rfc3339-validator through jsonschema's format checker
    assert "date-time" in FormatChecker().checkers
    return Draft202012Validator(load(JSON_FEED_SCHEMA), format_checker=FormatChecker())


def git(repo: Path, *args: str, date: str | None = None) -> None:
    environment = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if date:
        environment.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
                    "-c", "commit.gpgsign=false", *args], cwd=repo, env=environment, check=True,
                   capture_output=True)


def put(repo: Path, *rels: str) -> None:
    for rel in rels:
        target = repo / "catalogue" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(FIXTURE / rel, target)


@pytest.fixture(scope="module")
def history_repo(tmp_path_factory) -> Path:
    """A register whose files were added and changed on known dates, one via a merged branch."""
    repo = tmp_path_factory.mktemp("register")
    git(repo, "init", "-q", "-b", "main")
    put(repo, "fixture-academy/provider.yaml", "fixture-academy/minimal.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "first", date="2025-01-10T09:00:00Z")
    put(repo, "second-provider/provider.yaml", "second-provider/translated.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "second", date="2025-02-01T10:00:00+02:00")
    git(repo, "checkout", "-q", "-b", "pull-request")
    put(repo, "fixture-academy/everything.yaml")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "on a branch", date="2025-03-01T08:00:00Z")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "pull-request", "-m", "merge", date="2025-03-05T12:00:00Z")
    minimal = repo / "catalogue/fixture-academy/minimal.yaml"
    minimal.write_text(minimal.read_text("utf-8") + "keywords: [changed]\n", "utf-8")
    git(repo, "commit", "-q", "-am", "change", date="2025-04-01T00:00:00Z")
    # not committed yet: its dates come from the record
    draft = repo / "catalogue/second-provider/draft.yaml"
    draft.write_text((FIXTURE / "fixture-academy/minimal.yaml").read_text("utf-8")
                     + "valid_from: 2026-01-01\n", "utf-8")
    return repo


@pytest.fixture(scope="module")
def git_api(history_repo, tmp_path_factory) -> Path:
    with env(SOURCE_DATE_EPOCH=None):
        return export(history_repo / "catalogue", tmp_path_factory.mktemp("out") / "api")


def test_feed_follows_json_feed_1_1(git_api):
    feed = load(git_api / "feed.json")
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _feed_validator().iter_errors(feed)]
    assert not errors, errors[:5]
    ids = [item["id"] for item in feed["items"]]
    assert len(ids) == len(set(ids))


def test_the_json_feed_schema_catches_a_bad_date(git_api):
    feed = load(git_api / "feed.json")
    feed["items"][0]["date_published"] = "2025-13-01 10:00"
    assert not _feed_validator().is_valid(feed)


def test_feed_dates_come_from_git_history(git_api):
    items = {item["id"]: item for item in load(git_api / "feed.json")["items"]}
    published = {i: item["date_published"] for i, item in items.items()}
    assert published == {
        "fixture-academy/everything#withdrawn": "2026-06-30T00:00:00Z",  # the record's withdrawn_on
        "second-provider/draft#added": "2026-01-01T00:00:00Z",  # uncommitted: its valid_from
        "fixture-academy/minimal#changed-2025-04-01T00:00:00Z": "2025-04-01T00:00:00Z",
        "fixture-academy/everything#added": "2025-03-05T12:00:00Z",  # the merge that published it
        "second-provider/translated#added": "2025-02-01T08:00:00Z",  # in UTC
        "fixture-academy/minimal#added": "2025-01-10T09:00:00Z",
    }
    assert list(published) == sorted(published, key=published.get, reverse=True)  # newest first
    changed = items["fixture-academy/minimal#changed-2025-04-01T00:00:00Z"]
    assert changed["date_modified"] == "2025-04-01T00:00:00Z"
    assert changed["url"] == "https://register.example/credentials/fixture-academy/minimal/"
    assert "updated “Minimal course”" in changed["content_text"]
    withdrawn = items["fixture-academy/everything#withdrawn"]
    assert "withdrew" in withdrawn["summary"] and "2026-06-30" in withdrawn["summary"]
    record = load(git_api / "credentials/fixture-academy/minimal.json")["data"]
    assert record["history"] == {"added": "2025-01-10T09:00:00Z", "modified": "2025-04-01T00:00:00Z",
                                 "from": "git"}


def test_generated_at_is_the_newest_commit_without_source_date_epoch(git_api):
    assert load(git_api / "index.json")["generated_at"] == "2025-04-01T00:00:00Z"


def test_source_date_epoch_wins(history_repo, tmp_path):
    with env(SOURCE_DATE_EPOCH="1735689600"):
        api = export(history_repo / "catalogue", tmp_path / "api")
    assert load(api / "credentials.json")["generated_at"] == "2025-01-01T00:00:00Z"


def test_one_git_process_for_the_whole_catalogue(history_repo, tmp_path, monkeypatch):
    calls = []
    real = subprocess.run

    def counting(command, *args, **kwargs):
        calls.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(microcred.catalogue.git.subprocess, "run", counting)
    export(history_repo / "catalogue", tmp_path / "api")
    assert [c[0] for c in calls] == ["git"]


def test_outside_git_the_feed_uses_record_dates(tmp_path):
    with env(SOURCE_DATE_EPOCH="1790000000"):
        api = export(copy_catalogue(FIXTURE, tmp_path / "catalogue"), tmp_path / "api")
    items = {item["id"]: item["date_published"] for item in load(api / "feed.json")["items"]}
    assert items["fixture-academy/everything#added"] == "2025-01-01T00:00:00Z"  # valid_from
    assert items["second-provider/translated#added"] == "2026-02-01T00:00:00Z"
    assert "fixture-academy/minimal#added" not in items  # no date of its own: not news


def test_a_failing_git_log_is_reported_not_hidden(tmp_path, monkeypatch, capsys):
    class Failed:
        returncode, stdout, stderr = 128, b"", b"fatal: detected dubious ownership in repository\n"

    monkeypatch.setattr(microcred.catalogue.git.subprocess, "run", lambda *a, **k: Failed())
    assert microcred.catalogue.history.git_dates(tmp_path) is None
    assert "warning: git log failed" in capsys.readouterr().err


def test_a_shallow_clone_dates_only_what_it_knows(history_repo, tmp_path, capsys):
    # CI checkouts are often shallow: the cut commit seems to add every file, which it did not
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{history_repo}", "clone")
    with env(SOURCE_DATE_EPOCH=None):
        api = export(tmp_path / "clone" / "catalogue", tmp_path / "api")
    assert "shallow clone" in capsys.readouterr().err
    history = {r["id"]: r["history"] for r in load(api / "credentials.json")["data"]}
    assert history == {
        # changed after the cut: that date is known, its first one is not (and it states none)
        "fixture-academy/minimal": {"added": None, "modified": "2025-04-01T00:00:00Z", "from": "record"},
        "fixture-academy/everything": {"added": "2025-01-01T00:00:00Z", "modified": "2026-06-30T00:00:00Z",
                                       "from": "record"},
        "second-provider/translated": {"added": "2026-02-01T00:00:00Z", "modified": "2026-02-01T00:00:00Z",
                                       "from": "record"},
    }
    assert load(api / "index.json")["generated_at"] == "2025-04-01T00:00:00Z"


def test_a_change_after_a_shallow_cut_is_still_news(history_repo, tmp_path):
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{history_repo}", "clone")
    with env(SOURCE_DATE_EPOCH=None):
        api = export(tmp_path / "clone" / "catalogue", tmp_path / "api")
    ids = [item["id"] for item in load(api / "feed.json")["items"]]
    assert "fixture-academy/minimal#changed-2025-04-01T00:00:00Z" in ids
    assert "fixture-academy/minimal#added" not in ids
