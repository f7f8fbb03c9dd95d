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
        self.site = site
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)

    def wait(self) -> None:
        code = self.process.wait()
        self.log.seek(0)
        output = self.log.read().decode("utf-8", "replace")
        self.log.close()
        if code != 0:
            raise IndexFailed(f"pagefind failed (exit {code}):\n{output}")
        skip_word_index_when_browsing(self.site / "pagefind")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()


# Pagefind 1.x asks for the word-index chunks of the term "" when it searches with
# filters alone (a null term), which are all of them: 7.4 MB on the wire for a first
# filtered search on 10,000 credentials. A filter-only search uses no word index (the
# pages and filters come from the meta and filter files), so the loader skips it. The
# exact statement is replaced, or nothing is (another Pagefind version: a larger
# download, the same results); tests check both the download and the results.
WORD_INDEX_REQUEST = "let index_resp=this.backend.request_indexes(ptr,term);"
FILTER_ONLY_REQUEST = 'let index_resp=filter_only?"[]":this.backend.request_indexes(ptr,term);'


def skip_word_index_when_browsing(bundle: Path) -> bool:
    """Patch Pagefind's search loaders (page and worker); True if both were patched."""
    patched = 0
    for name in ("pagefind.js", "pagefind-worker.js"):
        path = bundle / name
        if not path.exists():
            continue
        text = path.read_text("utf-8")
        if text.count(WORD_INDEX_REQUEST) == 1 and "filter_only" in text:
            path.write_text(text.replace(WORD_INDEX_REQUEST, FILTER_ONLY_REQUEST), "utf-8")
            patched += 1
    return patched == 2


def index_site(site: Path) -> None:
    """Write <site>/pagefind/ and wait for it."""
    Indexing(site).wait()
