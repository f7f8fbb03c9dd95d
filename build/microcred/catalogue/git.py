"""Running git on the checkout that holds the catalogue, and only that one.

Both the history (when each file was added and changed) and `microcred diff`
(the catalogue at a base revision) ask git. A hook or a wrapper may have set
GIT_DIR, GIT_INDEX_FILE or GIT_WORK_TREE for another repository; git would then
read that one, so the GIT_* variables are left out. A user's log.showSignature
would mix signature lines into the output, and core.quotepath would escape
non-ASCII names: both are set off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

CONFIG = ("-c", "core.quotepath=off", "-c", "log.showSignature=false")


def available() -> bool:
    return shutil.which("git") is not None


def run(cwd: Path, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess:
    """`git ARGS` in cwd, output captured; OSError when git cannot be started."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return subprocess.run(["git", *CONFIG, *args], cwd=cwd, input=input, capture_output=True, env=env,
                          check=False)
