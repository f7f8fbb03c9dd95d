"""What a long build shows while it runs: bars in a terminal, stage lines in CI, nothing with --quiet.

build.Progress is the silent clock these displays extend.

Progress goes to stderr, so stdout keeps the validator's report and the summary line.
"""

from __future__ import annotations

import os
import sys

from ..build import Progress

__all__ = ["Bars", "Lines", "Progress", "for_terminal"]


class Lines(Progress):
    """One line as each stage starts and ends: readable in a CI log, where bars would be noise."""

    def __init__(self, stream=None):
        super().__init__()
        self.stream = stream or sys.stderr

    def _begin(self, name, total):
        what = f" ({total:,})" if total else ""
        print(f"build: {name}{what} ...", file=self.stream, flush=True)

    def _end(self, name):
        print(f"build: {name} done in {self.seconds[name]:.1f} s", file=self.stream, flush=True)


class Bars(Progress):
    """A rich progress bar per stage, in a terminal."""

    def __init__(self, stream=None):
        super().__init__()
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress as RichProgress, TextColumn, TimeElapsedColumn

        self.bars = RichProgress(TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(file=stream or sys.stderr), transient=False)
        self.started = False  # the display (a thread) starts with the first stage, and close() ends it
        self.tasks: list = []  # stages may nest: the innermost advances

    def _begin(self, name, total):
        if not self.started:
            self.bars.start()
            self.started = True
        self.tasks.append(self.bars.add_task(name, total=total))  # no total: an indeterminate (pulsing) bar

    def advance(self, n=1):
        if self.tasks:
            self.bars.advance(self.tasks[-1], n)

    def _end(self, name):
        task = self.tasks.pop()
        done = self.bars.tasks[task].total or 1
        self.bars.update(task, total=done, completed=done)

    def close(self):
        if self.started:
            self.bars.stop()
            self.started = False


def for_terminal(quiet: bool, stream=None) -> Progress:
    """Bars on an interactive terminal, lines elsewhere (or with CI=true), nothing when quiet."""
    stream = stream or sys.stderr
    if quiet:
        return Progress()
    interactive = getattr(stream, "isatty", lambda: False)() and os.environ.get("CI", "").lower() not in ("true", "1")
    return Bars(stream) if interactive else Lines(stream)
