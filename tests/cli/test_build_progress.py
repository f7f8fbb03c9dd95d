"""What `microcred build` shows while it runs: stage lines in CI, bars in a terminal, nothing with --quiet."""

from __future__ import annotations

import io
import json
import threading
import time

import pytest

from microcred import build as pipeline
from microcred.cli import main
from microcred.cli.progress import Bars, Lines, Progress, for_terminal

from conftest import REPO, SITE_CATALOGUE

STAGES = ("validate", "pages", "site", "bodies", "open data", "search")


@pytest.fixture
def catalogue():
    return SITE_CATALOGUE


def test_captured_output_gets_plain_stage_lines_and_the_summary(catalogue, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert main(["build", "--catalogue", str(catalogue), "--output", str(tmp_path / "site")]) == 0
    out, err = capsys.readouterr()
    lines = err.splitlines()
    for stage in STAGES:
        assert any(line.startswith("build: ") and stage in line and line.endswith("...") for line in lines), stage
        assert any(stage in line and " done in " in line for line in lines), stage
    assert "\x1b[" not in err  # no terminal control codes in a log
    assert "warning:" in out and out.rstrip().splitlines()[-1].startswith("built 6 credential pages")


def test_quiet_prints_nothing_when_all_is_well(catalogue, tmp_path, capsys):
    # the fixture catalogue has a warning (an overdue review): --quiet leaves it out too
    assert main(["build", "--quiet", "--catalogue", str(catalogue), "--output", str(tmp_path / "site")]) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "site" / "index.html").exists()


def test_quiet_still_prints_errors(tmp_path, capsys):
    broken = tmp_path / "catalogue" / "acme"
    broken.mkdir(parents=True)
    (broken / "provider.yaml").write_text("name: [unclosed\n", "utf-8")
    assert main(["build", "-q", "--catalogue", str(tmp_path / "catalogue"), "--output", str(tmp_path / "site")]) == 1
    out, err = capsys.readouterr()
    assert "provider.yaml:" in out and "error:" in out
    assert "build failed" in err and "build: " not in err
    assert not (tmp_path / "site").exists()


def test_timings_file_has_every_stage(catalogue, tmp_path):
    timings = tmp_path / "timings.json"
    assert main(["build", "-q", "--catalogue", str(catalogue), "--output", str(tmp_path / "site"),
                 "--timings", str(timings)]) == 0
    data = json.loads(timings.read_text("utf-8"))
    assert data["credentials"] == 6
    assert {"validate", "pages", "site", "bodies", "open data"} <= set(data["seconds"])
    assert all(s >= 0 for s in data["seconds"].values())


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_bars_ci_and_logs_get_lines(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    bars = for_terminal(False, FakeTerminal())
    assert isinstance(bars, Bars)
    bars.close()
    assert isinstance(for_terminal(False, io.StringIO()), Lines)
    assert type(for_terminal(True, FakeTerminal())) is Progress
    monkeypatch.setenv("CI", "true")
    assert isinstance(for_terminal(False, FakeTerminal()), Lines)


def test_bars_show_each_stage_in_a_terminal(catalogue, tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    screen = FakeTerminal()
    threads = threading.active_count()
    bars = for_terminal(False, screen)
    pipeline.build(REPO, catalogue, tmp_path / "site", out=io.StringIO(), progress=bars)
    bars.close()
    for _ in range(100):  # the display's thread ends with it (it may take a moment to finish)
        if threading.active_count() == threads:
            break
        time.sleep(0.02)
    assert threading.active_count() == threads
    shown = screen.getvalue()
    for stage in STAGES:
        assert stage in shown
    assert "96/96" in shown  # the bodies bar counts pages: 24 pages outside the navigation in each of 4 languages


def test_the_program_prints_everything_before_it_ends_without_freeing(catalogue, tmp_path):
    # `python -m microcred` ends with os._exit (cli/main.run: freeing what a build held took
    # seconds); its output, buffered when it goes to a pipe, must come out all the same
    import os
    import subprocess
    import sys

    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    done = subprocess.run([sys.executable, "-m", "microcred", "build", "--catalogue", str(catalogue),
                           "--output", str(tmp_path / "site")], cwd=REPO, capture_output=True, text=True,
                          env=buffered)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().splitlines()[-1].startswith("built 6 credential pages")
    assert "build: bodies done in" in done.stderr
    broken = subprocess.run([sys.executable, "-m", "microcred", "build", "--catalogue", str(tmp_path / "none"),
                             "--output", str(tmp_path / "other")], cwd=REPO, capture_output=True, text=True,
                            env=buffered)
    assert broken.returncode == 2 and "none" in broken.stderr
