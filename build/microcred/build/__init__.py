"""`microcred build` and `microcred export`: the pipeline, read top to bottom.

build: validate (the files the last build checked are recalled, validate/recall.py) ->
the catalogue's history (one `git log`) -> each credential's key (cache.py) -> the open
data (api/v1; the collections copy what the last build wrote of each unchanged
credential), written by a process of its own beside the rest (beside.py) -> plan the
pages -> what MkDocs reads (hand-written docs, stubs, one shell per folder and depth)
-> site (MkDocs, unless its sources are unchanged) -> which units the output holds
already -> bodies (every other generated page filled, in two processes), then each
language's sitemaps where its pages changed -> Pagefind indexes the changed parts of
the credential pages (parts.py) in processes of its own, while the open data is
finished and moved in -> the browse index -> the finished site into place: swapped in
whole, or the made files moved in (an incremental build); the replaced files are
deleted in a process of their own.

export: validate -> the catalogue's history -> open data -> swap into place.

The settings (mkdocs.yml, today) are read once here and passed on. Nothing is
written before validation has passed, and the previous output stays whole until
the new one is complete: everything is built in a folder next to the output and
moved into place at the end.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import settings
from ..catalogue.history import history_of
from ..catalogue.model import Catalogue
from ..contract.problems import summary_line, text_line
from ..errors import EXIT_PROBLEMS, BuildFailed, ExportRefused, Failed
from ..catalogue.history import rfc3339
from ..opendata.collections import Collections
from ..opendata.publish import write_open_data
from ..settings import CONFIG_FILE, load_settings
from ..site.bodies import write_bodies
from ..site.l10n import site_languages
from ..site import pages
from ..site.pages import Renderer
from ..site.parts import split
from ..site.search import BUNDLE, Indexing, write_search_index
from ..site.shells import build_sites, language_links, write_redirects, write_sitemap, write_sources
from ..site.views import filter_codes
from .beside import Beside
from .cache import (API, BROWSED, CHECKED, COLLECTIONS, SHARD_FILE, TEMPLATES, Manifest, Reuse, apply, cache_folder,
                    credential_keys, digest, files_below, finish, fingerprint, restore_mkdocs, store_mkdocs,
                    tree_digest, unit_files)
from ..validate import Result, validate
from ..validate.recall import Recall

MARKER = ".microcred-site"  # marks a folder as ours, so a rebuild may replace it


class Progress:
    """The build's clock: each stage's wall time. Silent; the commands show it (cli/progress.py)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str, total: int | None = None):
        start = time.perf_counter()
        self._begin(name, total)
        try:
            yield self
        finally:
            self.seconds[name] = time.perf_counter() - start
            self._end(name)

    def advance(self, n: int = 1) -> None:
        pass

    def _begin(self, name: str, total: int | None) -> None:
        pass

    def _end(self, name: str) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass
class Report:
    output: Path
    credentials: int = 0
    languages: int = 1
    pages: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    # the process deleting the site this build replaced, if there was one (see _retire)
    retiring: subprocess.Popen | None = None
    units: int = 0  # pages and files made from entries (cache.py)
    kept: int = 0  # of which the output held already
    # What the build held at its end (the checked catalogue, the languages' plans): the command
    # leaves it to the end of the process, which frees nothing (cli/main.run)
    held: tuple = ()

    def timings(self) -> dict:
        """What `--timings FILE` writes: seconds per stage (nested stages are part of their parent)."""
        return {"credentials": self.credentials, "pages": self.pages, "units": self.units, "kept": self.kept,
                "seconds": {name: round(s, 3) for name, s in self.seconds.items()}}

    def line(self) -> str:
        steps = ", ".join(f"{name} {s:.1f}s" for name, s in self.seconds.items())
        kept = f"; {self.kept} of {self.units} unchanged, kept" if self.kept else ""
        return (f"built {self.credentials} credential pages and {self.pages} other pages in "
                f"{self.languages} language{'s' if self.languages != 1 else ''} into {self.output}{kept} ({steps})")


def build(repo: Path, catalogue_dir: Path, output: Path, out=None, progress: Progress | None = None,
          quiet: bool = False, clean: bool = False, shard: tuple[int, int] | None = None,
          shards: list[Path] = ()) -> Report:
    """Build the whole site into `output`; raise a Failed (output untouched) on any problem.

    The validator's problems (warnings too; only errors when `quiet`) are printed to
    `out` (default: stdout). `progress` shows the stages as they run (default: nothing).
    What an earlier build left in the output is kept where its inputs did not change
    (cache.py), unless `clean`. `shard` (k, n) makes only the credential pages and files
    of the k-th of n shards (cache.in_shard); `shards` are such shards' outputs, whose
    pages and files this build takes instead of making them.
    """
    # The cyclic garbage collector waits until the pages are filled: the build makes next to no
    # cyclic garbage until then, and each collection scanned the whole growing heap (the checked
    # catalogue, the four languages' plans), 9 s of a rebuild at 100,000 credentials. What is
    # held by then is frozen (never scanned), and the collector runs again for the bodies.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build(repo, catalogue_dir, output, out, progress, quiet, clean, shard, shards, collecting)
    finally:
        if collecting:
            gc.enable()


def _build(repo: Path, catalogue_dir: Path, output: Path, out, progress: Progress | None, quiet: bool, clean: bool,
           shard: tuple[int, int] | None, shards: list[Path], collecting: bool) -> Report:
    progress = progress or Progress()
    report = Report(output, seconds=progress.seconds)
    clock = progress.stage
    today = settings.today()

    site_settings = load_settings(repo)
    common = fingerprint((repo / CONFIG_FILE).read_bytes(), site_settings.languages, pages.TEMPLATES)
    cache = cache_folder(output)
    with clock("validate"):
        # the files checked by the last build are not parsed again (validate/recall.py)
        salt = digest(common, today)
        recall = Recall(salt) if clean else Recall.load(cache / CHECKED, salt)
        result = validate(catalogue_dir, today=today, recall=recall)
        catalogue = _checked(result, out or sys.stdout, quiet, "the site was not built")
        _check_replaceable(output)
        _check_apart(output, {"catalogue": catalogue_dir, "docs": repo / "docs"})

    for folder in shards:
        if not (folder / SHARD_FILE).is_file():
            raise BuildFailed(f"{folder}: not the output of `microcred build --shard` (it has no {SHARD_FILE})")
    with _staging(output, "site") as stage, contextlib.ExitStack() as beside:
        # the open data is made apart (MkDocs empties the site's folder) and moved in when done
        sources, site, data = stage / "pages", stage / "site", stage / "open-data"
        try:
            reuse = Reuse(None if clean else Manifest.load(cache, output / MARKER), site, shards, shard,
                          apart={"data": data, "provider": data})
        except (OSError, ValueError) as e:
            raise BuildFailed(f"cannot combine the shards: {e}") from None
        with clock("pages"):
            history = history_of(catalogue)
            keys = credential_keys(catalogue, history, today)
            generated = rfc3339(history.generated_at)
            kept_data = frozenset(cid for cid, key in keys.items() if reuse.unchanged(
                f"data:{cid}", digest(common, key, generated), unit_files(f"data:{cid}")))
            # a provider's LOQ XML holds its credentials' records
            of_provider = {pid: [] for pid in catalogue.providers}
            for cid in sorted(keys):
                of_provider.setdefault(catalogue.credentials[cid].provider_id, []).append(keys[cid])
            kept_providers = frozenset(pid for pid, entry in catalogue.providers.items() if reuse.unchanged(
                f"provider:{pid}", digest(common, entry.digest, of_provider[pid]), unit_files(f"provider:{pid}")))
            record_keys = {cid: digest(common, key) for cid, key in keys.items()}

            def open_data() -> None:
                # what the last build's collections hold of each unchanged credential is copied (collections.py)
                collections = Collections.load(cache / COLLECTIONS, reuse.previous.built, output / API, record_keys) \
                    if reuse.incremental else Collections(record_keys)
                write_open_data(catalogue, history, data / API, site_settings, kept_data, kept_providers, collections)
                collections.save(stage / COLLECTIONS, data / API)

            # written by a process of its own while this one makes the pages (beside.py)
            opendata = beside.enter_context(Beside("open data", open_data, len(keys)))
            languages = site_languages(site_settings)
            # what every language shares: the search filters' codes, the default language's first results
            shared = {"filter_codes": filter_codes(catalogue.credentials)}
            plans = []
            for language in languages:
                renderer = Renderer(catalogue, site_settings, today, history, language, languages,
                                    compiled=cache / TEMPLATES, **shared)
                plans.append(renderer.plan(keys))
                if "first_ids" not in shared:  # the default language's, the first
                    shared["first_ids"] = [view.id for view in renderer.first_results()]
            write_sources(repo / "docs", plans, sources)
        with clock("site"):
            links = language_links(sources, plans, site_settings)
            # MkDocs runs only when what it reads changed (docs, settings, theme, the pages' titles)
            theme_key = digest(common, tree_digest(sources), today)
            theme = restore_mkdocs(cache, theme_key, site)
            if theme is None:
                build_sites(repo / CONFIG_FILE, sources, site, plans, site_settings, links)
                # the theme's HTML around every page (MkDocs' sitemaps carry the day and are made again)
                theme = digest(common, tree_digest(site, skip=("sitemap.xml", "sitemap.xml.gz")))
                store_mkdocs(cache, theme_key, theme, site)
        page_keys = {}  # the default language's, for the search
        for plan in plans:
            for page in plan.pages:
                if page.key is not None:
                    key = digest(theme, page.key)
                    page.kept = reuse.unchanged(f"page:{plan.language.prefix}{page.path}", key,
                                                [plan.language.prefix + page.html_file()])
                    if plan.language.default:
                        page_keys[page.html_file()] = key
        with clock("bodies", sum(plan.shelled for plan in plans)) as bar:
            # Everything the pages need is built: frozen, so the collector leaves it alone
            # and the forked second process does not copy it by touching it.
            gc.freeze()
            if collecting:
                gc.enable()
            write_bodies(site, plans, bar.advance)
            write_redirects(site, catalogue.redirects, languages)
            _sitemaps(reuse, theme_key, site, sources, plans, links)
        # The search index in parts (parts.py): runs of the default language's credential pages in
        # title order, each indexed on its own; a part is made again when any of its pages or their
        # order changed. A shard makes none: the search is made where the shards are combined.
        search_parts = [] if shard else split(plans[0].search_order)
        reindexed = [part for part in search_parts if not reuse.unchanged(
            f"search:{part.name}", digest(common, [(page, page_keys[page]) for page in part.pages]), [])]
        # the validator's results kept for the next build (300 MB at 100,000 after a clean build; a
        # rebuild's few new ones apart, recall.py), by a process of its own while this one waits for
        # Pagefind (forked before Pagefind's feeding threads start)
        checked_kept = beside.enter_context(Beside(
            "validator's results", functools.partial(recall.save, cache / CHECKED), len(catalogue.credentials)))
        del recall
        # Pagefind (a process per part, as many at once as there are cores) indexes them while the
        # open data's process finishes: one index serves every language (search.py).
        with clock("open data + search"), contextlib.ExitStack() as indexing:
            if reindexed:
                search = indexing.enter_context(Indexing(site, reindexed, output))
            with clock("open data"):  # in a process of its own (beside.py): what is left of it
                opendata.wait()
                (site / API).parent.mkdir(parents=True, exist_ok=True)
                (data / API).rename(site / API)
                checked_kept.wait()
            if reindexed:
                search.wait()
                for part in reindexed:
                    folder = f"{BUNDLE}/{part.name}"
                    reuse.made_files(f"search:{part.name}", [f"{folder}/{rel}" for rel in files_below(site / folder)])
            if search_parts:
                write_search_index(site, search_parts, output, cache / BROWSED)
        if shard:
            reuse.now.save_shard(site)
        staged = finish(reuse, site)
        built = reuse.now.build_id()
        (site / MARKER).write_text(f"built by microcred; `microcred build` replaces this folder\n"
                                   f"build {built}\n", "utf-8")
        staged.append(MARKER)
        with clock("swap"):
            if reuse.incremental:  # the made files into the output, the replaced ones aside
                apply(reuse, staged, site, output, stage / "previous")
            else:
                _swap(site, output, stage / "previous")
            report.retiring = _retire(stage / "previous", output)
            reuse.now.save(cache, built)
            Collections.seal(stage / COLLECTIONS, cache / COLLECTIONS, built)
    report.kept = len(reuse.kept) + reuse.imported
    report.units = len(reuse.now.units)
    report.credentials = plans[0].credentials
    report.languages = len(plans)
    report.pages = sum(len(plan.pages) - plan.credentials for plan in plans)
    report.held = (catalogue, history, keys, record_keys, plans, page_keys, reuse)
    return report


def export(catalogue_dir: Path, output: Path, repo: Path | None = None) -> str:
    """Validate, then write only the open data into `output`; return a one-line report.

    Only an earlier export is ever replaced. Problems go to stderr.
    """
    if not catalogue_dir.is_dir():
        raise ExportRefused(f"{catalogue_dir}: no such catalogue folder")
    repo = repo or catalogue_dir.resolve().parent
    if not (repo / CONFIG_FILE).is_file():
        raise ExportRefused(f"{repo}: no {CONFIG_FILE} there (site URL and data licence come from it); "
                            "give --repo with the register's folder")
    _check_export_target(output, catalogue_dir, repo)
    site_settings = load_settings(repo)
    started = time.perf_counter()
    try:
        catalogue = _checked(validate(catalogue_dir), sys.stderr, True, "nothing written")
    except BuildFailed as e:
        raise ExportRefused(str(e), EXIT_PROBLEMS) from None
    with _staging(output, "export") as stage:
        files = write_open_data(catalogue, history_of(catalogue), stage / "api", site_settings)
        _swap(stage / "api", output, stage / "previous")
    elapsed = time.perf_counter() - started
    return (f"wrote {len(files)} files for {len(catalogue.credentials)} credentials and "
            f"{len(catalogue.providers)} providers to {output} in {elapsed:.1f} s")


# --- the steps around the stages ---------------------------------------------------


def _checked(result: Result, out, quiet: bool, consequence: str) -> Catalogue:
    """The checked catalogue, after printing the problems (only errors when quiet); BuildFailed on errors."""
    for problem in result.problems:
        if not quiet or problem.severity == "error":
            print(text_line(problem), file=out)
    if result.errors:
        raise BuildFailed(f"{summary_line(result.problems, result.files)}; {consequence}")
    return result.catalogue


def _sitemaps(reuse: Reuse, theme_key: str, site: Path, sources: Path, plans: list, links) -> None:
    """Each language's sitemaps, a unit of their own: 103,000 addresses at 100,000 credentials,
    which change only with the language's pages or the theme (theme_key: what MkDocs read)."""
    for plan in plans:
        filled = [page.stub_file() for page in plan.pages if page.in_shell]
        unit, where = f"sitemap:{plan.language.prefix}", site / plan.language.prefix
        if reuse.unchanged(unit, digest(theme_key, plan.language.code, filled), []):
            for name in ("sitemap.xml", "sitemap.xml.gz"):  # MkDocs' own: the output keeps the last made
                (where / name).unlink(missing_ok=True)
            continue
        written = write_sitemap(where, sources / plan.language.code, filled, links, plan.language)
        if not written:  # nothing added to MkDocs' own: they are the unit's files all the same
            written = [name for name in ("sitemap.xml", "sitemap.xml.gz") if (where / name).exists()]
        reuse.made_files(unit, [plan.language.prefix + name for name in written])


@contextlib.contextmanager
def _staging(output: Path, what: str):
    """A fresh folder beside the output, deleted afterwards: the new output (a `what`) is built in it.

    A full disk or a refused rename ends the build with a message, not a traceback.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{output.name}-build-", dir=output.parent))
    try:
        yield stage
    except Failed:
        raise
    except OSError as e:
        raise BuildFailed(f"{e.filename or output}: {e.strerror or e}; the previous {what} is unchanged") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


RETIRED = "-retired-"  # .<output>-retired-XXXX: a replaced site being deleted


def _retire(previous: Path, output: Path) -> subprocess.Popen | None:
    """Delete the replaced site in a process of its own, which outlives the command if need be.

    Deleting 80,000 files took 13 s at 10,000 credentials in four languages, a fifth of the
    build, and nothing waits for it: the new site is in place. The old one is moved beside
    the output first (a rename), so the stage is left empty; a folder of an earlier deletion
    that was stopped (.<output>-retired-*) goes with it.
    """
    if not previous.exists():
        return None
    try:
        retired = Path(tempfile.mkdtemp(prefix=f".{output.name}{RETIRED}", dir=output.parent))
        previous.rename(retired / "site")
    except OSError:  # the new site is in place all the same: delete the old one here and now
        shutil.rmtree(previous, ignore_errors=True)
        return None
    folders = [str(p) for p in output.parent.glob(f".{output.name}{RETIRED}*")]
    return subprocess.Popen([sys.executable, "-c", DELETER, *folders],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


# The deleting process: each folder is deleted by one process, whichever locks it first. Builds
# in quick succession each start one, and all used to delete the same 18 GB at once (100,000
# credentials), slowing the builds after them. Without POSIX locks, every process tries each.
DELETER = """import shutil, sys
try:
    import fcntl
except ImportError:
    fcntl = None
for folder in sys.argv[1:]:
    try:
        lock = open(folder + "/.deleting", "a")
    except OSError:  # deleted already
        continue
    try:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # another process is deleting it
        lock.close()
        continue
    if fcntl is None:
        lock.close()
    shutil.rmtree(folder, ignore_errors=True)
"""


def _swap(new: Path, output: Path, previous: Path) -> None:
    """Put `new` in place of `output`; the old output is moved aside, then deleted with the stage."""
    if output.exists():
        output.rename(previous)
    try:
        new.rename(output)
    except BaseException:  # Ctrl+C or a refused rename: put the old output back before the stage is deleted
        if previous.exists() and not output.exists():
            previous.rename(output)
        raise


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


def _check_export_target(output: Path, catalogue: Path, repo: Path) -> None:
    out, cat = output.resolve(), catalogue.resolve()
    if cat.is_relative_to(out) or out.is_relative_to(cat) or repo.resolve().is_relative_to(out):
        raise ExportRefused(f"{output}: the output folder must lie outside the catalogue and the repository root")
    if out.exists() and not out.is_dir():
        raise ExportRefused(f"{output}: exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not _earlier_export(out):
        raise ExportRefused(f"{output}: folder is not empty and holds no earlier export; give an empty or new folder")


def _earlier_export(folder: Path) -> bool:
    try:
        index = json.loads((folder / "index.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(index, dict) and index.get("type") == "index" and "api_version" in index
