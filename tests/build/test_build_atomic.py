"""A build that fails or is interrupted at any stage leaves the previous site whole and no
temporary folder behind (test_site_build.py covers failed validation and Ctrl+C while indexing)."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from microcred import build as pipeline
from microcred.errors import BuildFailed, OpenDataError
from microcred.site import bodies, search

from conftest import HOSTILE_CATALOGUE, REPO


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous(hostile_site, tmp_path):
    """A copy of a built site as the previous output, alone in its folder."""
    site = tmp_path / "site"
    shutil.copytree(hostile_site, site)
    return site, snapshot(site)


def assert_untouched(site: Path, before: dict) -> None:
    assert snapshot(site) == before
    # no .site-build-* left; the cache (what MkDocs made, kept for the next build) may stay
    assert sorted(p.name for p in site.parent.iterdir() if p.name != ".site-cache") == ["site"]
    assert not [p for p in multiprocessing.active_children()]  # the second renderer was stopped


def test_mkdocs_failing_leaves_the_previous_site(previous, tmp_path):
    site, before = previous
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "docs", repo / "docs")
    config = (REPO / "mkdocs.yml").read_text("utf-8").replace("plugins: []", "plugins: [no-such-plugin]")
    (repo / "mkdocs.yml").write_text(config, "utf-8")
    with pytest.raises(BuildFailed, match="configuration error"):
        pipeline.build(repo, HOSTILE_CATALOGUE, site, out=open("/dev/null", "w"))
    shutil.rmtree(repo)
    assert_untouched(site, before)


def test_pagefind_failing_leaves_the_previous_site(previous, monkeypatch):
    site, before = previous
    real_popen = subprocess.Popen

    def popen(command, **kwargs):
        if "pagefind" in command:  # Pagefind runs in its own process while the open data is written
            command = [sys.executable, "-c", "import sys; sys.exit('pagefind: out of disk space')"]
        return real_popen(command, **kwargs)

    monkeypatch.setattr(search.subprocess, "Popen", popen)
    with pytest.raises(BuildFailed, match="out of disk space"):
        pipeline.build(REPO, HOSTILE_CATALOGUE, site, out=open("/dev/null", "w"))
    assert_untouched(site, before)


# A stand-in for `pagefind --service` that answers its first request with an error, in the
# service's protocol (base64 JSON, ended by a comma), then ends.
REFUSING_SERVICE = r"""
import base64, json, sys
sys.stdin.buffer.read(1)
answer = {"message_id": 0, "payload": {"type": "Error", "message": "Invalid config supplied"}}
sys.stdout.buffer.write(base64.b64encode(json.dumps(answer).encode()) + b",")
"""


def test_an_error_from_the_pagefind_service_fails_the_build_with_its_message(previous, monkeypatch):
    site, before = previous
    real_popen = subprocess.Popen

    def popen(command, **kwargs):
        if "pagefind" in command:
            command = [sys.executable, "-c", REFUSING_SERVICE]
        return real_popen(command, **kwargs)

    monkeypatch.setattr(search.subprocess, "Popen", popen)
    with pytest.raises(BuildFailed, match="pagefind failed .*Invalid config supplied"):
        pipeline.build(REPO, HOSTILE_CATALOGUE, site, out=open("/dev/null", "w"))
    assert_untouched(site, before)


@pytest.mark.parametrize("module, stage", [(pipeline, "build_sites"), (pipeline, "write_open_data"),
                                           (bodies, "fill_slots")], ids=["site", "open data", "slots"])
def test_ctrl_c_at_any_stage_leaves_the_previous_site(previous, monkeypatch, module, stage):
    site, before = previous

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(module, stage, interrupted)
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(REPO, HOSTILE_CATALOGUE, site, out=open("/dev/null", "w"))
    assert_untouched(site, before)


@pytest.mark.parametrize("failure, message", [
    ("refuse", "refusing to write 'credentials/a.json' twice"),
    ("die", r"the process writing the open data stopped \(exit code 9\)")], ids=["refused", "killed"])
def test_the_open_data_failing_in_its_own_process_leaves_the_previous_site(previous, monkeypatch, failure, message):
    from microcred.build import beside
    from microcred.settings import can_fork

    if not can_fork():
        pytest.skip("this platform writes the open data in the build's own process")
    site, before = previous
    monkeypatch.setattr(beside, "FORKED_FROM", 1)

    def failing(*args, **kwargs):
        if failure == "die":  # as if the kernel had ended it (out of memory)
            os._exit(9)
        raise OpenDataError("refusing to write 'credentials/a.json' twice")

    monkeypatch.setattr(pipeline, "write_open_data", failing)
    with pytest.raises(BuildFailed, match=message):
        pipeline.build(REPO, HOSTILE_CATALOGUE, site, out=open("/dev/null", "w"))
    assert_untouched(site, before)


@pytest.mark.parametrize("error", [KeyboardInterrupt(), PermissionError(13, "Permission denied", "site")],
                         ids=["ctrl-c", "permission"])
def test_a_failure_during_the_swap_keeps_the_previous_site(previous, monkeypatch, error):
    # Between moving the old site aside and moving the new one in, an interruption or a
    # refused rename must not lose the old site: it is moved back.
    site, before = previous
    real_rename = Path.rename

    def rename(self, target):
        if Path(target) == site and self.name == "site":  # the new site moving into place
            raise error
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    # (an OSError is reported as a message, like every other failed build)
    with pytest.raises(BuildFailed if isinstance(error, OSError) else KeyboardInterrupt) as failed:
        pipeline.build(REPO, HOSTILE_CATALOGUE, site, out=open("/dev/null", "w"))
    monkeypatch.undo()
    if isinstance(error, OSError):
        assert str(failed.value) == "site: Permission denied; the previous site is unchanged"
    assert_untouched(site, before)


def test_open_data_refusing_to_write_leaves_the_previous_site(previous, monkeypatch):
    site, before = previous

    def refuse(*args, **kwargs):
        raise OpenDataError("api/v1/credentials/a/b.json: written twice")

    monkeypatch.setattr(pipeline, "write_open_data", refuse)
    with pytest.raises(BuildFailed, match="written twice"):
        pipeline.build(REPO, HOSTILE_CATALOGUE, site, out=open("/dev/null", "w"))
    assert_untouched(site, before)
