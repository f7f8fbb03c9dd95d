"""Render page bodies in a second process while MkDocs builds the site.

Rendering the bodies is the biggest piece of Python work in a build and does not
depend on MkDocs, so on a machine with two or more cores a forked second process
renders bodies from the last page backwards while the main process runs MkDocs
and then renders from the first page forwards; where the two meet, the main
process takes the rest from the second process's files. The child is forked, so
it shares the catalogue and the compiled templates at no cost (gc.freeze() in
the pipeline keeps the shared memory from being copied by the garbage collector).
Where forking is unsafe or unavailable (macOS, Windows, a process with other
threads such as `microcred serve`), or the catalogue is small, the main process
renders every body itself.
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


def _render_backwards(plan: list[Page], folder: Path) -> None:
    try:
        for i in range(len(plan) - 1, -1, -1):
            part = folder / f"{i}.part"
            part.write_text(plan[i].body(), "utf-8")
            part.rename(folder / f"{i}.html")  # whole files only: the main process may read it any time
    except BaseException:  # quietly: the main process renders what is missing and reports any error itself
        os._exit(1)
    os._exit(0)


class Bodies:
    """Each page's body, in order: rendered here, or read from the second process where it got first."""

    def __init__(self, plan: list[Page], folder: Path):
        self.plan, self.folder, self.process = plan, folder, None
        if len(plan) >= AHEAD_FROM and _can_fork():
            folder.mkdir(parents=True, exist_ok=True)
            self.process = multiprocessing.get_context("fork").Process(
                target=_render_backwards, args=(plan, folder), daemon=True)
            self.process.start()

    def __iter__(self):
        """(index, body) for every page, first to last."""
        taken_over = False
        for i, page in enumerate(self.plan):
            done = self.folder / f"{i}.html"
            if self.process is not None and not taken_over and done.exists():
                taken_over = True  # the second process did this page and every later one
                self.close()
            yield i, done.read_text("utf-8") if taken_over else page.body()

    def close(self) -> None:
        if self.process is not None:  # done, or the build stopped early: stop rendering
            self.process.terminate()
            self.process.join()
            self.process = None
