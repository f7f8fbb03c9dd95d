"""`microcred export`: the open data of a catalogue, written to a folder of its own.

Validation runs first; nothing is written while it finds errors. The export
is written beside the target and swapped in, so a failed run leaves the
previous export as it was.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .opendata.publish import OpenDataError, write_open_data
from .contract.problems import summary_line, text_line
from .settings import load_settings
from .validate.run import validate

EXIT_PROBLEMS, EXIT_USAGE = 1, 2


class ExportRefused(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_USAGE):
        super().__init__(message)
        self.exit_code = exit_code


def _earlier_export(folder: Path) -> bool:
    try:
        index = json.loads((folder / "index.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(index, dict) and index.get("type") == "index" and "api_version" in index


def _check_target(output: Path, catalogue: Path, repo: Path) -> None:
    out, cat = output.resolve(), catalogue.resolve()
    if cat.is_relative_to(out) or out.is_relative_to(cat) or repo.resolve().is_relative_to(out):
        raise ExportRefused(f"{output}: the output folder must lie outside the catalogue and the repository root")
    if out.exists() and not out.is_dir():
        raise ExportRefused(f"{output}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not _earlier_export(out):
        # only an earlier export is ever replaced
        raise ExportRefused(f"{output}: folder is not empty and holds no earlier export; give an empty or new folder")


def export(catalogue: Path, output: Path, repo: Path | None = None) -> str:
    """Validate, then write the open data; return a one-line report."""
    if not catalogue.is_dir():
        raise ExportRefused(f"{catalogue}: no such catalogue folder")
    repo = repo or catalogue.resolve().parent
    if not (repo / "mkdocs.yml").is_file():
        raise ExportRefused(f"{repo}: no mkdocs.yml there (site URL and data licence come from it); "
                            "give --repo with the register's folder")
    _check_target(output, catalogue, repo)
    settings = load_settings(repo)
    started = time.perf_counter()
    result = validate(catalogue)
    if result.errors:
        for problem in result.errors:
            print(text_line(problem), file=sys.stderr)
        raise ExportRefused(f"nothing written: {summary_line(result.errors, result.files)}", EXIT_PROBLEMS)

    target = output.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    fresh.chmod(0o755)  # mkdtemp makes it private; an export is for publishing
    try:
        files = write_open_data(result.catalogue, fresh, settings)
    except OpenDataError as refused:
        shutil.rmtree(fresh, ignore_errors=True)
        raise ExportRefused(str(refused), EXIT_PROBLEMS) from None
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        target.rename(old / "export")
        fresh.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        fresh.rename(target)
    elapsed = time.perf_counter() - started
    return (f"wrote {len(files)} files for {len(result.catalogue.credentials)} credentials and "
            f"{len(result.catalogue.providers)} providers to {output} in {elapsed:.1f} s")
