"""`microcred build`: one pipeline, read top to bottom.

validate -> plan the pages -> Markdown stubs -> site (MkDocs) -> each page's
body rendered into its built page -> open data (api/v1)
-> search index (Pagefind) -> swap the finished site into place.
Nothing is written before validation has passed, and the previous site stays
whole until the new one is complete: everything is built in a folder next to
the output and renamed into place at the end.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .history import history_of
from .opendata import write_open_data
from .pages import SLOT, Renderer, write_stubs
from .prerender import Bodies
from .problems import summary_line, text_line
from .search import IndexFailed, index_site
from .settings import load_settings
from .site import SiteFailed, build_site, copy_hand_written, fill_slots, home_page, write_redirects
from .validate import today, validate

MARKER = ".microcred-site"  # marks a folder as ours, so a rebuild may replace it


class BuildFailed(Exception):
    """The build stopped; the message says why. The previous output is untouched."""


@dataclass
class Report:
    output: Path
    credentials: int = 0
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        steps = ", ".join(f"{name} {s:.1f}s" for name, s in self.seconds.items())
        return (f"built {self.credentials} credential pages and {self.pages} other pages into "
                f"{self.output} ({steps})")


def build(repo: Path, catalogue_dir: Path, output: Path, out=None) -> Report:
    """Build the whole site into `output`; raise BuildFailed (output untouched) on any problem.

    The validator's problems (warnings too) are printed to `out` (default: stdout).
    """
    out = out or sys.stdout
    report = Report(output)
    clock = _Clock(report)

    with clock("validate"):
        result = validate(catalogue_dir)
    for problem in result.problems:
        print(text_line(problem), file=out)
    if result.errors:
        raise BuildFailed(summary_line(result.problems, result.files) + "; the site was not built")
    catalogue = result.catalogue
    try:
        settings = load_settings(repo)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise BuildFailed(f"{repo / 'mkdocs.yml'}{where}: error: {getattr(e, 'problem', None) or e}") from None
    except OSError as e:
        raise BuildFailed(f"{repo / 'mkdocs.yml'}: cannot read the site settings: {e.strerror}") from None
    _check_replaceable(output)
    _check_apart(output, {"catalogue": catalogue_dir, "docs": repo / "docs"})

    output.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{output.name}-build-", dir=output.parent))
    bodies = None
    try:
        pages, site = stage / "pages", stage / "site"
        with clock("pages"):
            intro = copy_hand_written(repo / "docs", pages)
            plan = Renderer(catalogue, settings, today(), history_of(catalogue)).plan()
            write_stubs(plan, pages, home_page(intro, SLOT))
            bodies = Bodies(plan, stage / "bodies")  # rendered meanwhile in a second process, where possible
        with clock("site"):
            build_site(repo / "mkdocs.yml", pages, site)
        with clock("bodies"):
            bodies.wait()
            fill_slots(site, plan, SLOT, bodies)
            write_redirects(site, catalogue.redirects)
        with clock("open data"):
            write_open_data(catalogue, site / "api" / "v1", settings)
        with clock("search"):
            index_site(site)
        (site / MARKER).write_text("built by microcred; `microcred build` replaces this folder\n", "utf-8")
        _swap(site, output, stage / "previous")
    except (SiteFailed, IndexFailed) as e:
        raise BuildFailed(str(e)) from None
    except OSError as e:  # a full disk, a refused rename: a message, not a traceback
        raise BuildFailed(f"{e.filename or output}: {e.strerror or e}; the previous site is unchanged") from None
    finally:
        if bodies is not None:
            bodies.close()
        shutil.rmtree(stage, ignore_errors=True)
    report.credentials = sum(p.credential for p in plan)
    report.pages = len(plan) - report.credentials
    return report


def _check_replaceable(output: Path) -> None:
    # Refuse to replace a folder we did not build: `--output .` must never wipe a repository.
    if output.exists() and (not output.is_dir() or (any(output.iterdir()) and not (output / MARKER).exists())):
        raise BuildFailed(f"{output}: exists and is not a site built by microcred; "
                          "choose another --output or remove it")


def _check_apart(output: Path, sources: dict[str, Path]) -> None:
    # A site inside catalogue/ would be read back as provider folders, one inside docs/ would be
    # built into the next site, and so on; one that holds them would be replaced with them.
    out = output.resolve()
    for name, folder in sources.items():
        folder = folder.resolve()
        if out == folder or folder in out.parents or out in folder.parents:
            raise BuildFailed(f"{output}: overlaps the {name} folder {folder}; "
                              f"choose an --output outside {name}/")


def _swap(new: Path, output: Path, previous: Path) -> None:
    """Put `new` in place of `output`; the old site is moved aside, then deleted with the stage."""
    if output.exists():
        output.rename(previous)
    try:
        new.rename(output)
    except BaseException:  # Ctrl+C or a refused rename: put the old site back before the stage is deleted
        if previous.exists() and not output.exists():
            previous.rename(output)
        raise


class _Clock:
    def __init__(self, report: Report):
        self.report = report

    def __call__(self, name: str):
        self.name = name
        return self

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        self.report.seconds[self.name] = time.perf_counter() - self.start
