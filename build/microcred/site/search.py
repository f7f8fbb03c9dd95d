"""Index the built site with Pagefind (the `pagefind[bin]` wheel ships the binary).

Pagefind runs as its indexing service (`pagefind --service`, the interface its Node and
Python wrappers use): the build hands it the credential pages one by one, in title order.
Pagefind numbers pages in the order they arrive and lists a search by filters alone in
that order, so the search needs no sort order of its own for titles (each one Pagefind
keeps costs every visitor about 22 KB at 10,000 credentials; see docs/performance.md).
Pagefind's own Python wrapper waits 0.1 s between answers (17 minutes for 10,000 pages),
hence this small client of the same protocol: base64-encoded JSON messages, each ended by
a comma, on the service's stdin and stdout.

One index serves every language of the site: the default language's credential pages are
indexed, with filters and meta as codes and numbers (views.py), and each language's home
page says how the codes read in it; register.js links each result to the page in the
visitor's language. Four indexes would hold the provider's same words four times over (see
docs/performance.md for what each choice costs).

The index comes in parts (parts.py): runs of the pages in title order, each indexed by a
Pagefind process of its own into a bundle of its own (pagefind/<part>/), so that a changed
entry re-indexes its part only (each part is a unit of the incremental build) and Pagefind's
memory is that of one part. pagefind/parts.json lists them in order; register.js merges them
for a search with words (Pagefind's mergeIndex).

A search without words (filters alone) is answered from the browse index, which the build
writes into the bundle from all the parts' files, made or kept, every build (browse.py): Pagefind's
WebAssembly and its metadata, a hash per page, load only for searches with words.
"""

from __future__ import annotations

import base64
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from ..errors import IndexFailed
from ..settings import jobs
from .browse import write_browse_index
from .parts import Part

# Pagefind's allocator (jemalloc) otherwise keeps freed memory for seconds, and the index
# is built in one burst: returning it at once lowers the peak by about a fifth.
ALLOCATOR_SETTINGS = "narenas:1,dirty_decay_ms:0,muzzy_decay_ms:0"
BUNDLE = "pagefind"  # the folder of Pagefind's files in the site
IN_FLIGHT = 32  # pages sent ahead of Pagefind's answers: enough to keep it busy, little memory


class Indexing:
    """Pagefind indexing the `parts` (parts.py: runs of the credential pages in title order), each
    into a bundle of its own (site/pagefind/<part name>/), from feeding threads, while the open
    data's process (build/beside.py) finishes. One `pagefind --service` process per part, and as
    many at once as the build may use cores (settings.jobs): Pagefind indexes in one thread (a
    rebuild re-indexes two or three parts; a clean build at 100,000 credentials indexed 126 s
    after the pages). Pages not in `site` are read from `kept_in`."""

    def __init__(self, site: Path, parts: list[Part], kept_in: Path | None = None):
        self.site = site
        self.kept_in = kept_in  # where the pages an incremental build kept are (the output)
        self.parts = parts
        self.log = tempfile.TemporaryFile()
        self.processes: list[subprocess.Popen] = []
        self.stopping = False
        self.lock = threading.Lock()
        self.failure: str | None = None
        self.todo = iter(parts)
        self.indexed = 0
        self.feeders = [threading.Thread(target=self._feed_all, daemon=True)
                        for _ in range(max(1, min(jobs(), len(parts))))]
        for feeder in self.feeders:
            feeder.start()

    @property
    def done(self) -> bool:
        return self.failure is None and self.indexed == len(self.parts)

    def wait(self) -> None:
        for feeder in self.feeders:
            feeder.join()
        self.log.seek(0)
        output = self.log.read().decode("utf-8", "replace").strip()
        self.log.close()
        if not self.done:
            raise IndexFailed(f"pagefind failed {self.failure or 'with no answer'}" + (f"\n{output}" if output else ""))
        for part in self.parts:
            skip_word_index_when_browsing(self.site / BUNDLE / part.name)

    def __enter__(self) -> "Indexing":
        return self

    def __exit__(self, *failure) -> None:
        self.stop()  # after wait(), nothing is left to stop; after a failure, Pagefind is stopped

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            processes = list(self.processes)
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
        for feeder in self.feeders:
            feeder.join()
        self.log.close()

    # --- the conversation ------------------------------------------------------------

    def _start(self) -> tuple[subprocess.Popen, Part] | None:
        """A Pagefind process and the next part for it, or None when there is none (or the build stops)."""
        env = {**os.environ}
        env.setdefault("_RJEM_MALLOC_CONF", ALLOCATOR_SETTINGS)
        with self.lock:
            part = next(self.todo, None)
            if self.stopping or self.failure is not None or part is None:
                return None
            process = subprocess.Popen([sys.executable, "-m", "pagefind", "--service"], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=self.log, env=env)
            self.processes.append(process)
            return process, part

    def _feed_all(self) -> None:
        process = None
        try:
            while (started := self._start()) is not None:
                process, part = started
                try:
                    self._feed(process, part.pages, self.site / BUNDLE / part.name)
                finally:
                    try:
                        process.stdin.close()  # the service ends at the end of its input
                    except OSError:
                        pass
                try:
                    code = process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    process.kill()
                    code = process.wait()
                if code != 0:
                    raise RuntimeError(f"Pagefind ended with {code}")
                with self.lock:
                    self.indexed += 1
        except Exception as e:  # reported by wait() as the build's failure, not as a thread's traceback
            code = None
            if process is not None:
                try:
                    code = process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    code = process.wait()
            with self.lock:
                self.failure = self.failure or f"(exit {code}): {type(e).__name__}: {e}"

    def _feed(self, process: subprocess.Popen, pages: list[str], bundle: Path) -> None:
        service = _Service(process)
        service.ask({"type": "NewIndex", "config": {}}, "NewIndex")
        for number, page in enumerate(pages):
            path = self.site / page
            if self.kept_in and not path.exists():
                path = self.kept_in / page
            html = indexed_part(path.read_text("utf-8"))
            service.send({"type": "AddFile", "index_id": 0, "file_path": page, "file_contents": html})
            if number >= IN_FLIGHT:
                service.answer("IndexedFile")
        while service.waiting:
            service.answer("IndexedFile")
        # The files come back in the answer and are written here: the service ends the
        # moment its input does, and Pagefind 1.5 does not flush its own writes first
        # (files came out empty).
        for file in service.ask({"type": "GetFiles", "index_id": 0}, "GetFiles")["files"]:
            target = bundle / _bundle_path(file["path"])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(file["content"]))


PARTS_FILE = "parts.json"  # in the bundle folder: the parts' folders, in order (register.js reads it)


def write_search_index(site: Path, parts: list[Part], kept_in: Path | None = None, remembered: Path | None = None
                       ) -> None:
    """What spans the parts, written every build into site/pagefind/: the list of the parts and the
    browse index (browse.py), from each part's files where they are: made ones in `site`, kept
    ones in `kept_in` (the output). `remembered`: a file keeping what was read of each part for the
    next build (browse.read_parts); unreadable, it is as if empty."""
    bundle = site / BUNDLE
    bundle.mkdir(parents=True, exist_ok=True)
    folders = []
    for part in parts:
        made = bundle / part.name
        folders.append((part.name, made if made.exists() or kept_in is None else kept_in / BUNDLE / part.name))
    (bundle / PARTS_FILE).write_text(json.dumps({"parts": [f"{part.name}/" for part in parts]},
                                                separators=(",", ":")) + "\n", "utf-8")
    # searches without words read the browse index instead of Pagefind's files (browse.py)
    known = {}
    if remembered is not None:
        try:
            with open(remembered, "rb") as stream:
                known = pickle.load(stream)
        except Exception:  # noqa: BLE001 - missing or damaged: every part is read
            known = {}
    known = {part.name: known[part.name] for part in parts if part.name in known}  # not the parts gone
    write_browse_index(bundle, folders, known)
    if remembered is not None:
        remembered.parent.mkdir(parents=True, exist_ok=True)
        temporary = remembered.with_name(remembered.name + ".new")
        with open(temporary, "wb") as stream:
            pickle.dump(known, stream, protocol=pickle.HIGHEST_PROTOCOL)
        temporary.replace(remembered)


def _bundle_path(path: str) -> Path:
    """A file of the answer: a path inside the bundle folder, or a failure."""
    relative = Path(path)
    if relative.is_absolute() or not relative.parts or any(part in (".", "..") for part in relative.parts):
        raise ValueError(f"unexpected file in Pagefind's answer: {path!r}")
    return relative


SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.S | re.I)
BODY_ATTRIBUTE = "data-pagefind-body"


def indexed_part(page: str) -> str:
    """What Pagefind needs of a page: its <html> tag (the language is read there), and from
    the element marked data-pagefind-body on, without scripts (never indexed; the JSON-LD is
    a fifth of a credential's body). The theme's header and navigation before the body are
    half the page; Pagefind parses in one thread in this mode, so every byte counts."""
    body = body_tag(page)
    html = page.find("<html")
    if body < 0 or html < 0 or html > body:
        return page
    return page[html:page.index(">", html) + 1] + SCRIPT.sub("", page[body:])


def body_tag(page: str) -> int:
    """Where the tag with the attribute data-pagefind-body starts (not the words in some text), or -1:
    what the pattern <[^<>]*\\sdata-pagefind-body[\\s>=] finds, which took 0.17 ms a credential page."""
    end = len(page)
    at = page.find(BODY_ATTRIBUTE)
    while at >= 0:
        after = at + len(BODY_ATTRIBUTE)
        tag = page.rfind("<", 0, at)
        if (tag >= 0 and page.find(">", tag, at) < 0 and page[at - 1].isspace()
                and after < end and (page[after].isspace() or page[after] in ">=")):
            return tag
        at = page.find(BODY_ATTRIBUTE, at + 1)
    return -1


class _Service:
    """Requests and answers in Pagefind's service protocol."""

    def __init__(self, process: subprocess.Popen):
        self.stdin, self.stdout = process.stdin, process.stdout
        self.buffer = bytearray()
        self.sent = 0
        self.waiting = 0

    def send(self, payload: dict) -> None:
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode("utf-8")
        self.stdin.write(base64.b64encode(message) + b",")
        self.sent += 1
        self.waiting += 1

    def answer(self, expected: str) -> dict:
        self.stdin.flush()
        end = self.buffer.find(b",")
        while end < 0:  # an answer can be tens of MB (GetFiles): append, search only the new part
            searched = len(self.buffer)
            chunk = self.stdout.read1(1 << 20)
            if not chunk:
                raise EOFError("the Pagefind service stopped answering")
            self.buffer += chunk
            end = self.buffer.find(b",", searched)
        message = bytes(self.buffer[:end])
        del self.buffer[:end + 1]
        self.waiting -= 1
        payload = json.loads(base64.b64decode(message))["payload"]
        if payload.get("type") != expected:
            raise ValueError(payload.get("message") or f"unexpected answer {payload.get('type')!r}")
        return payload

    def ask(self, payload: dict, expected: str) -> dict:
        self.send(payload)
        return self.answer(expected)


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

