"""A stage run in a forked process beside the pipeline, while the main process goes on.

The open data needs the checked catalogue, not the pages: it is written in a process
of its own while the main one plans and fills the pages. A rebuild at 100,000
credentials then no longer waits for it (6 s), and a clean build keeps the second
core busy while the pages are planned. The child shares what the main process
holds (forked); it hands back only how the work ended, and whatever else it makes
it writes to files. Where forking is unsafe or unavailable (settings.can_fork), or
the catalogue is small (a process costs more than it saves), the work runs in this
process when its end is awaited.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from typing import Callable

from ..errors import BuildFailed
from ..settings import can_fork, jobs

FORKED_FROM = 500  # credentials; below this the work runs in the main process


class Beside:
    """`work()` run in a forked process, or at `wait()` in this one."""

    def __init__(self, what: str, work: Callable[[], None], size: int):
        self.what = what  # for the message if the process stops
        self.work = work
        self.process = None
        if size >= FORKED_FROM and jobs() >= 2 and can_fork():
            context = multiprocessing.get_context("fork")
            self.reader, writer = context.Pipe(duplex=False)
            self.process = context.Process(target=_run, args=(work, writer), daemon=True)
            self.process.start()
            writer.close()  # the child's end only: its exit ends the pipe
            self.work = None  # the child has it: what it holds may go here

    @property
    def forked(self) -> bool:
        return self.process is not None

    def wait(self) -> None:
        """The work done; its failure raised here, as if it had run in this process."""
        if self.process is None:
            self.work()
            return
        try:
            outcome = self.reader.recv()
        except EOFError:  # killed, or out of memory
            outcome = None
        self.process.join()
        self.reader.close()
        if outcome is None:
            raise BuildFailed(f"the process writing the {self.what} stopped (exit code {self.process.exitcode})")
        if outcome[0] == "failed":
            raise outcome[1]

    def stop(self) -> None:
        """The build stopped elsewhere: so does the work."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()

    def __enter__(self) -> "Beside":
        return self

    def __exit__(self, *failure) -> None:
        self.stop()


def _run(work: Callable[[], None], writer) -> None:
    # What the main process holds is frozen: the collector scans only what the work makes.
    gc.freeze()
    gc.enable()
    try:
        work()
        outcome = ("done", None)
    except BaseException as e:  # noqa: BLE001 - every failure goes to the main process, which raises it
        outcome = ("failed", e)
    try:
        writer.send(outcome)
    except Exception:  # noqa: BLE001 - a failure that cannot be pickled: its words
        error = outcome[1]
        writer.send(("failed", BuildFailed(f"{type(error).__name__}: {error}")))
    writer.close()
    os._exit(0)
