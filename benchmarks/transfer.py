"""Bytes a browser transfers for the first filtered search, as on the deploy host.

GitHub Pages (the deploy target) sends text (HTML, CSS, JavaScript, JSON, XML,
SVG) gzip-compressed when the browser asks for it, and everything else as it is;
Pagefind's index files (.pf_*) are compressed by Pagefind already. This module
serves a built site the same way from 127.0.0.1, opens the home page in headless
Chromium, applies one filter (EQF level 5), waits for the results and counts
the bytes on the wire: what the server wrote for every request, status line and
headers included. (Counted at the server because Chromium reports no size for a
script a web worker loads: Pagefind's worker, 13 KB, went uncounted that way.)
"""

from __future__ import annotations

import functools
import gzip
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml",
                    "application/manifest+json")


class _Counting:
    """A response stream that counts the bytes written to it."""

    def __init__(self, stream):
        self.stream, self.count = stream, 0

    def write(self, data):
        self.count += len(data)
        return self.stream.write(data)

    def __getattr__(self, name):
        return getattr(self.stream, name)


class GzipHandler(SimpleHTTPRequestHandler):
    """A static file server that gzips text types, like GitHub Pages; quiet; it records
    the bytes it sends for each request in server.sent as (path, bytes)."""

    protocol_version = "HTTP/1.1"  # keep-alive, as a real host

    def log_message(self, format, *args):
        pass

    def setup(self):
        super().setup()
        self.wfile = _Counting(self.wfile)

    def handle_one_request(self):
        before = self.wfile.count
        super().handle_one_request()
        if self.wfile.count > before:
            self.server.sent.append((getattr(self, "path", "?"), self.wfile.count - before))

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and ctype.startswith(COMPRESSED_TYPES)) or not os.path.isfile(path):
            return super().send_head()
        with open(path, "rb") as f:
            body = gzip.compress(f.read(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        import io
        return io.BytesIO(body)


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    server.sent = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


READY = ("document.querySelector('#mc-filters details.mc-filter-group') && "
         "!document.querySelector('#mc-results').hasAttribute('aria-busy')")


def first_filtered_search(site: Path, level: str = "5", prefix: str = "") -> dict:
    """{'kb': KB on the wire, 'requests': n, 'by_type_kb': {...}, 'files': [...], 'status': ...}:
    a first visit to the home page of a language (`prefix`: "" for the default, "nl/"), then
    the EQF level `level` ticked (filter values are codes in every language)."""
    from playwright.sync_api import sync_playwright

    server, url = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            try:
                page = browser.new_page()
                # never the network: only the local server answers (the theme asks GitHub for repo facts)
                page.context.route(lambda u: not u.startswith(url), lambda route: route.abort())
                page.goto(url + prefix, wait_until="load")
                page.wait_for_function(READY)
                page.check(f"details[data-filter=level] input[value='{level}']")
                page.wait_for_function(f"new URLSearchParams(location.search).get('level') !== null && {READY}")
                page.wait_for_load_state("networkidle")
                status = page.locator("#mc-status").inner_text()
                sent = list(server.sent)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    by_type: dict[str, float] = {}
    for path, n in sent:
        kind = "pagefind" if path.startswith("/pagefind/") else (Path(path.split("?")[0]).suffix.lstrip(".") or "html")
        by_type[kind] = by_type.get(kind, 0) + n
    return {
        "kb": round(sum(n for _, n in sent) / 1000, 1),
        "requests": len(sent),
        "by_type_kb": {k: round(v / 1000, 1) for k, v in sorted(by_type.items(), key=lambda kv: -kv[1])},
        "status": status,
        "files": sorted(((path.split("/")[-1].split("?")[0] or "/", round(n / 1000, 1)) for path, n in sent),
                        key=lambda t: -t[1]),
    }


if __name__ == "__main__":
    import json
    import sys
    print(json.dumps(first_filtered_search(Path(sys.argv[1])), indent=2))
