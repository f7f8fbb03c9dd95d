"""`microcred serve`: build, serve on 127.0.0.1, rebuild when the sources change.

The server reads files from the output path on every request, so a rebuild
that swaps a new site into place is picked up at once; a failed rebuild keeps
the previous site online and prints why.
"""

from __future__ import annotations

import functools
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..build import build
from ..errors import Failed
from ..site.l10n import LOCALE_DIR
from ..site.pages import TEMPLATES


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # one line per request is noise during editing
        pass


def make_server(site: Path, host: str, port: int) -> ThreadingHTTPServer:
    handler = functools.partial(_QuietHandler, directory=str(site))
    return ThreadingHTTPServer((host, port), handler)


def rebuild(repo: Path, catalogue: Path, output: Path) -> bool:
    try:
        print(build(repo, catalogue, output).line(), flush=True)
        return True
    except Failed as e:
        print(f"microcred: build failed: {e}", file=sys.stderr, flush=True)
        return False


def watched(repo: Path, catalogue: Path) -> list[Path]:
    paths = [catalogue, repo / "docs", TEMPLATES, LOCALE_DIR, repo / "mkdocs.yml"]  # the catalogues too
    return [p for p in paths if p.exists()]


def serve(repo: Path, catalogue: Path, output: Path, host: str = "127.0.0.1", port: int = 8000) -> int:
    from watchfiles import watch

    if not rebuild(repo, catalogue, output) and not output.exists():
        # nothing to show yet: keep watching, the site appears once the catalogue is valid
        print("microcred: fix the problems above; the site is built as soon as the catalogue is valid",
              file=sys.stderr, flush=True)
    server = make_server(output, host, port)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {output} at http://{host}:{port}/ (Ctrl+C to stop); rebuilding on changes", flush=True)
    try:
        for changes in watch(*watched(repo, catalogue)):
            names = sorted({Path(p).name for _kind, p in changes})
            print(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}; rebuilding", flush=True)
            rebuild(repo, catalogue, output)
    finally:
        server.shutdown()
    return 0
