"""Write the shell-built pages with two processes, one from each end of the list.

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
import sys
import threading
from typing import Callable

AHEAD_FROM = 500  # pages; below this a second process costs more than it saves


def _can_fork() -> bool:
    return ("fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"
            and threading.active_count() == 1 and (os.cpu_count() or 1) > 1)


def write_all(count: int, write: Callable[[int], None], advance: Callable[[int], None] = lambda n: None) -> bool:
    """Call write(i) once for each i in range(count); True if a second process shared the work."""
    if count < AHEAD_FROM or not _can_fork():
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
