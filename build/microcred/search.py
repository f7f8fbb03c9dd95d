"""Index the built site with Pagefind (the `pagefind[bin]` wheel ships the binary)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path


class IndexFailed(Exception):
    pass


class Indexing:
    """Pagefind running in its own process: the build writes the open data meanwhile."""

    def __init__(self, site: Path):
        # only credential pages carry data-pagefind-body, so only they are indexed
        command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", "credentials/**/*.html",
                   "--silent"]
        # output to a file, not a pipe: nobody reads a pipe while the open data is written
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self) -> None:
        code = self.process.wait()
        self.log.seek(0)
        output = self.log.read().decode("utf-8", "replace")
        self.log.close()
        if code != 0:
            raise IndexFailed(f"pagefind failed (exit {code}):\n{output}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


def index_site(site: Path) -> None:
    """Write <site>/pagefind/ and wait for it."""
    Indexing(site).wait()
