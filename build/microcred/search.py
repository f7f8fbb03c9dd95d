"""Index the built site with Pagefind (the `pagefind[bin]` wheel ships the binary)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class IndexFailed(Exception):
    pass


def index_site(site: Path) -> None:
    """Write <site>/pagefind/: only credential pages carry data-pagefind-body, so only they are indexed."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", "credentials/**/*.html",
               "--silent"]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise IndexFailed(f"pagefind failed (exit {done.returncode}):\n{done.stderr or done.stdout}")
