"""`microcred build`: one pipeline, read top to bottom.

validate -> plan the pages -> Markdown stubs (pages in the nav) and one shell
per folder and depth (the rest) -> site (MkDocs) -> every generated page written
from its shell and body (two processes) -> open data (api/v1), while Pagefind
indexes in its own process -> swap the finished site into place.
Nothing is written before validation has passed, and the previous site stays
whole until the new one is complete: everything is built in a folder next to
the output and renamed into place at the end.
"""

from __future__ import annotations

import gc
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .catalogue.history import history_of
from .opendata.publish import OpenDataError, write_open_data
from .site.pages import SLOT, Renderer, write_stubs
from .site.bodies import write_all
from .progress import Progress
from .contract.problems import summary_line, text_line
from .site.search import IndexFailed, Indexing
from .settings import load_settings
from .site.shells import (SiteFailed, build_site, copy_hand_written, fill_slots, home_page, read_shells, shell_key, uses_shell,
                   write_page, write_redirects, write_shell_stubs, write_sitemap)
from .validate.run import today, validate

MARKER = ".microcred-site"  # marks a folder as ours, so a rebuild may replace it


class BuildFailed(Exception):
    """The build stopped; the message says why. The previous output is untouched."""


@dataclass
class Report:
    output: Path
    credentials: int = 0
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def timings(self) -> dict:
        """What `--timings FILE` writes: seconds per stage (nested stages are part of their parent)."""
        return {"credentials": self.credentials, "pages": self.pages,
                "seconds": {name: round(s, 3) for name, s in self.seconds.items()}}

    def line(self) -> str:
        steps = ", ".join(f"{name} {s:.1f}s" for name, s in self.seconds.items())
        return (f"built {self.credentials} credential pages and {self.pages} other pages into "
                f"{self.output} ({steps})")


def build(repo: Path, catalogue_dir: Path, output: Path, out=None, progress: Progress | None = None,
          quiet: bool = False) -> Report:
    """Build the whole site into `output`; raise BuildFailed (output untouched) on any problem.

    The validator's problems (warnings too; only errors when `quiet`) are printed to
    `out` (default: stdout). `progress` shows the stages as they run (default: nothing).
    """
    out = out or sys.stdout
    progress = progress or Progress()
    report = Report(output, seconds=progress.seconds)
    clock = progress.stage

    with clock("validate"):
        result = validate(catalogue_dir)
    for problem in result.problems:
        if not quiet or problem.severity == "error":
            print(text_line(problem), file=out)
    if result.errors:
        raise BuildFailed(summary_line(result.problems, result.files) + "; the site was not built")
    catalogue = result.catalogue
    # The checked catalogue lives until the end: the collector need not scan it again and
    # again while the pages are planned (1.3 s of collections at 10,000 credentials).
    gc.freeze()
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
    indexing = None
    try:
        pages, site = stage / "pages", stage / "site"
        with clock("pages"):
            intro = copy_hand_written(repo / "docs", pages)
            renderer = Renderer(catalogue, settings, today(), history_of(catalogue))
            plan = renderer.plan()
            by_title = [view.path + "index.html" for view in renderer.by_title]
            shelled = [p for p in plan if uses_shell(p.path)]
            keys = {shell_key(p.path) for p in shelled}
            write_stubs(plan, pages, home_page(intro, SLOT))
            write_shell_stubs(pages, keys, SLOT)
        with clock("site"):
            build_site(repo / "mkdocs.yml", pages, site)
        with clock("bodies", len(shelled)) as bar:
            shells = read_shells(site, keys, SLOT)
            made: set = set()

            def write(i: int) -> None:
                page = shelled[i]
                write_page(site, page, shells[shell_key(page.path)], page.body(), made)

            # Everything the pages need is built: frozen too, so the collector leaves it
            # alone and the forked second process does not copy it by touching it.
            gc.freeze()
            write_all(len(shelled), write, bar.advance)
            fill_slots(site, [p for p in plan if not uses_shell(p.path)], SLOT)
            write_sitemap(site, pages, [p.stub_file() for p in shelled])
            write_redirects(site, catalogue.redirects)
        # Pagefind (a separate process) indexes the credential pages, in title order, while
        # this one writes the open data.
        with clock("open data + search"):
            indexing = Indexing(site, by_title)
            with clock("open data"):
                write_open_data(catalogue, site / "api" / "v1", settings)
            indexing.wait()
            indexing = None
        (site / MARKER).write_text("built by microcred; `microcred build` replaces this folder\n", "utf-8")
        with clock("swap"):  # mostly deleting the previous site: ~22,000 files at 10,000 credentials
            _swap(site, output, stage / "previous")
            shutil.rmtree(stage / "previous", ignore_errors=True)
    except (SiteFailed, IndexFailed, OpenDataError) as e:
        raise BuildFailed(str(e)) from None
    except OSError as e:  # a full disk, a refused rename: a message, not a traceback
        raise BuildFailed(f"{e.filename or output}: {e.strerror or e}; the previous site is unchanged") from None
    finally:
        if indexing is not None:
            indexing.stop()
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
