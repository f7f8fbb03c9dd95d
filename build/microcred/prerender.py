"""Render page bodies in a second process while MkDocs builds the site.

Rendering the bodies and MkDocs' own work take about the same time and do not
depend on each other, so on a machine with two or more cores they overlap. The
child process is forked, so it shares the catalogue and the compiled templates
at no cost. Where forking is unsafe or unavailable (macOS, Windows, a process
with other threads such as `microcred serve`), or the catalogue is small,
bodies are simply rendered when they are needed.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from pathlib import Path

from .pages import Page

AHEAD_FROM = 500  # pages; below this a second process costs more than it saves


def _can_fork() -> bool:
    return ("fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
            and threading.active_count() == 1 and (os.cpu_count() or 1) > 1)


def _render_all(plan: list[Page], folder: Path) -> None:
    try:
        for i, page in enumerate(plan):
            (folder / f"{i}.html").write_text(page.body(), "utf-8")
    except BaseException:  # quietly: the main process renders again and reports any error itself
        os._exit(1)


class Bodies:
    """Each page's body: read from the second process's output when it finished, else rendered now."""

    def __init__(self, plan: list[Page], folder: Path):
        self.plan, self.folder, self.process, self.ready = plan, folder, None, False
        if len(plan) >= AHEAD_FROM and _can_fork():
            folder.mkdir(parents=True, exist_ok=True)
            self.process = multiprocessing.get_context("fork").Process(
                target=_render_all, args=(plan, folder), daemon=True)
            self.process.start()

    def wait(self) -> None:
        """Wait for the second process; if it failed, every body is rendered here (and any error raised here)."""
        if self.process is not None:
            self.process.join()
            self.ready = self.process.exitcode == 0
            self.process = None

    def __call__(self, index: int) -> str:
        if self.ready:
            return (self.folder / f"{index}.html").read_text("utf-8")
        return self.plan[index].body()

    def close(self) -> None:
        if self.process is not None:  # the build stopped early: stop rendering too
            self.process.terminate()
            self.process.join()
            self.process = None
