"""Every generated page written into the built site: its body rendered into its shell or slot.

The shell-built pages are written with two processes, one from each end of the list.

Rendering the bodies is the biggest piece of Python work in a build (about 1 ms
a credential page), so on a machine with two or more cores a forked second
process renders and writes pages from the last one backwards while the main
process goes forwards from the first; each page is claimed under a lock, so
every page is written exactly once. The child is forked after the catalogue and
the compiled templates are frozen (gc.freeze() in the pipeline), so it shares
them without copying. Where forking is unsafe or unavailable (macOS, Windows, a
process with other threads such as `microcred serve`), or there are few pages,
the main process writes every page itself.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Callable

from ..settings import can_fork, jobs
from .plan import Plan
from .shells import SLOT, fill_slots, read_shells, shell_key, shell_keys, write_page

AHEAD_FROM = 500  # pages; below this a second process costs more than it saves


def write_bodies(site: Path, plans: list[Plan], advance: Callable[[int], None]) -> None:
    """Fill every generated page MkDocs left a shell or a slot for, in every language."""
    # (the language's site, its shells, the page): every language in one list for the two ends,
    # each page followed by the same page in the other languages, which share what they show
    # of the provider's text (a description's HTML is made once, texts.description_html)
    in_language = []
    for plan in plans:
        where = site / plan.language.prefix
        shells = read_shells(where, shell_keys(plan.pages), SLOT)
        in_language.append([(where, shells, page) for page in plan.pages if page.in_shell])
    shelled = [page for same_page in zip(*in_language, strict=True) for page in same_page if not page[2].kept]
    made: set = set()

    def write(i: int) -> None:
        where, shells, page = shelled[i]
        write_page(where, page, shells[shell_key(page.path)], page.body(), made)

    write_all(len(shelled), write, advance)
    for plan in plans:
        fill_slots(site / plan.language.prefix, [page for page in plan.pages if not page.in_shell], SLOT)


def write_all(count: int, write: Callable[[int], None], advance: Callable[[int], None] = lambda n: None) -> bool:
    """Call write(i) once for each i in range(count); True if a second process shared the work."""
    if count < AHEAD_FROM or jobs() < 2 or not can_fork():
        for i in range(count):
            write(i)
            advance(1)
        return False
    context = multiprocessing.get_context("fork")
    ends = context.Array("i", [0, count - 1])  # [next from the front, next from the back], with its lock
    child = context.Process(target=_from_the_back, args=(ends, write), daemon=True)
    child.start()
    try:
        shown = 0
        while True:
            with ends.get_lock():
                i = ends[0]
                if i > ends[1]:
                    break
                ends[0] = i + 1
                done = ends[0] + (count - 1 - ends[1])
            write(i)
            advance(done - shown)
            shown = done
        child.join()
        advance(count - shown)
    finally:
        if child.is_alive():  # the build stopped here (an error, Ctrl+C): stop the other end too
            child.terminate()
            child.join()
    if child.exitcode != 0:  # the child stopped early: write its end again here, and report any error here
        for i in range(ends[1] + 1, count):
            write(i)
    return True


def _from_the_back(ends, write: Callable[[int], None]) -> None:
    try:
        while True:
            with ends.get_lock():
                i = ends[1]
                if i < ends[0]:
                    break
                ends[1] = i - 1
            write(i)
    except BaseException:  # quietly: the main process writes these pages again and reports the error itself
        os._exit(1)
    os._exit(0)
