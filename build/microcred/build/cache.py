"""Incremental builds: what an earlier build made is kept where its inputs did not change.

The build's output is cut into units: each generated page outside the navigation
(a credential's page in one language, a page of a browse table, a provider page),
each credential's open-data files, the search index, and the theme's HTML that
MkDocs builds. Each unit has a key, a hash of everything it is made from: the
entries it shows (their values, not their YAML's comments or layout), their dates,
the theme's HTML, the templates, translations, vocabularies and the package itself
(`fingerprint`). The cache folder beside the output (`.site-cache` for `site/`)
holds the manifest of the last build: each unit's key and files, and the files
made outside units (the hand-written pages, listings, sitemaps, the open data's
collections), which every build makes again.

A build renders only the units whose key changed into its staging folder. Then
`apply` moves them into the output, each replaced or stale file first moved aside,
so a failure puts every file back: the previous site stays whole until the new one
is complete, as with a clean build. A manifest that does not belong to the output
(another build's, or an interrupted one's) makes a clean build.

tests/build/test_incremental.py holds the promise: after random edits, an
incremental build is byte for byte the clean build of the same sources.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import shutil
import zlib
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

from ..catalogue.history import History, rfc3339
from ..catalogue.model import Catalogue
from ..opendata.publish import credential_files, provider_files
from ..opendata.records import API_VERSION

API = f"api/{API_VERSION}"  # where the open data goes in the site (the build writes it there)

FORMAT = 3  # of the manifest: another number means a clean build
MANIFEST = "manifest.marshal"  # marshal, not JSON: 533,000 units at 100,000 credentials (0.7 s, not 1.9 s)
CHECKED = "checked.pickle"  # each credential file's results, by its bytes (validate/recall.py)
BROWSED = "browsed.pickle"  # what the browse index read of each search part (site/browse.py)
COLLECTIONS = "collections.pickle"  # what the open data's collections hold of each credential (opendata/collections.py)
SHARD_FILE = "microcred-shard.json"  # in a shard's output: the units it made
MKDOCS = "mkdocs"  # the theme's HTML as MkDocs built it last, with its key
TEMPLATES = "templates"  # the templates compiled in each language (Jinja2's bytecode cache)
PACKAGE = Path(__file__).resolve().parent.parent
# The libraries whose version changes what a page or a file says
SHAPING = ("mkdocs", "mkdocs-material", "jinja2", "markupsafe", "babel", "markdown-it-py", "nh3", "pagefind",
           "pyyaml", "pydantic")


def in_shard(unit: str, k: int, n: int) -> bool:
    """A shard makes the pages and files of its providers' credentials: the providers whose id's
    CRC-32 leaves k - 1 divided by n. Pages of many credentials (tables, provider pages) and the
    search index are made where the shards are combined."""
    kind, _, name = unit.partition(":")
    if kind == "page":
        parts = name.split("/")
        if "credentials" not in parts or len(parts) - parts.index("credentials") != 4:
            return False
        provider = parts[parts.index("credentials") + 1]
    elif kind == "data":
        provider = name.split("/")[0]
    else:
        return False
    return zlib.crc32(provider.encode("utf-8")) % n == k - 1


def cache_folder(output: Path) -> Path:
    return output.parent / f".{output.name}-cache"


def digest(*parts) -> str:
    h = hashlib.blake2b(digest_size=8)  # 64 bits: a unit's key is compared with its own last key only
    for part in parts:
        h.update(part if isinstance(part, bytes) else str(part).encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def fingerprint(config: bytes, languages: list[str], templates: Path) -> str:
    """The inputs every unit shares: the package's files (code, translations, vocabularies), the
    templates (where the pages stage reads them), the versions of the libraries that shape the
    output, the site's settings and languages."""
    h = hashlib.blake2b(digest_size=16)
    for folder in (PACKAGE, templates):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in SHAPING:
        try:
            h.update(f"{name}={metadata.version(name)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    return digest(FORMAT, h.hexdigest(), config, ",".join(languages))


def credential_keys(catalogue: Catalogue, history: History, today: date) -> dict[str, str]:
    """Each credential's key: its entry, its provider, the credentials it stacks into and those that
    stack into it (their titles and levels show on its page), its dates, and whether its review is
    overdue today."""
    keys = {}
    providers = catalogue.providers
    for cid, entry in catalogue.credentials.items():
        brief = entry.brief
        related = sorted({*brief.stacks_into, *catalogue.stacked_from.get(cid, ())})
        related_digests = [(other, catalogue.credentials[other].digest,
                            _provider_digest(providers, catalogue.credentials[other].provider_id))
                           for other in related if other in catalogue.credentials]
        dates = history.credentials[cid]
        overdue = bool(brief.review_by and brief.review_by < today)
        keys[cid] = digest(entry.digest, _provider_digest(providers, entry.provider_id), related_digests,
                           rfc3339(dates.added), rfc3339(dates.modified), dates.source, overdue)
    return keys


def _provider_digest(providers: dict, pid: str) -> str:
    return providers[pid].digest if pid in providers else "-"


def tree_digest(folder: Path, skip: tuple[str, ...] = ()) -> str:
    """Every file below `folder` (path and bytes), but those whose name is in `skip`."""
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(files_below(folder)):
        if path.rsplit("/", 1)[-1] not in skip:
            h.update(path.encode() + b"\0" + (folder / path).read_bytes() + b"\0")
    return h.hexdigest()


def files_below(folder: Path) -> list[str]:
    """The files below `folder`, relative, with /."""
    out = []
    stack = [""]
    while stack:
        rel = stack.pop()
        try:
            entries = os.scandir(folder / rel if rel else folder)
        except FileNotFoundError:
            continue
        with entries:
            for entry in entries:
                name = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append(name)
                else:
                    out.append(name)
    return out


@dataclass
class Manifest:
    """What a build made: each unit's key and files, and the files made outside units."""

    # each unit's key and files; None for a loaded unit's usual files (unit_files: 533,000 lists
    # made at 100,000 credentials took a second, and a rebuild reads a handful)
    units: dict[str, tuple[str, list[str] | None]] = field(default_factory=dict)
    loose: list[str] = field(default_factory=list)
    built: str | None = None  # the build id it was saved with (build_id), when loaded

    def files_of(self, unit: str) -> list[str]:
        files = self.units[unit][1]
        return unit_files(unit) if files is None else files

    def build_id(self) -> str:
        """Names this output: written into the output's marker and the manifest, so a manifest is
        trusted only beside the output it describes."""
        return digest(json.dumps(sorted((name, key) for name, (key, _files) in self.units.items())),
                      json.dumps(sorted(self.loose)))

    @classmethod
    def load(cls, cache: Path, marker: Path) -> "Manifest | None":
        """The last build's manifest, if it describes the output whose marker is `marker`."""
        try:
            data = marshal.loads((cache / MANIFEST).read_bytes())
            mark = marker.read_text("utf-8")
        except (OSError, ValueError, EOFError, TypeError):  # missing, damaged, or another Python's
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT or f"build {data.get('build')}" not in mark:
            return None
        try:
            return cls(_units(data), data["loose"], data["build"])
        except (KeyError, TypeError, ValueError):  # a damaged manifest: build everything
            return None

    @classmethod
    def load_shard(cls, folder: Path) -> "Manifest":
        """What a shard made (`microcred build --shard`): its units, in SHARD_FILE of its output."""
        data = json.loads((folder / SHARD_FILE).read_text("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{folder / SHARD_FILE}: made by another version of microcred")
        return cls(_units(data), [])

    def save_shard(self, folder: Path) -> None:
        (folder / SHARD_FILE).write_text(json.dumps({"format": FORMAT, **self._units()}, separators=(",", ":")),
                                         "utf-8")

    def save(self, cache: Path, built: str) -> None:
        """Keep the manifest of the build whose id (build_id) is `built`."""
        cache.mkdir(parents=True, exist_ok=True)
        temporary = cache / (MANIFEST + ".new")
        temporary.write_bytes(marshal.dumps({"format": FORMAT, "build": built, **self._units(), "loose": self.loose}))
        temporary.replace(cache / MANIFEST)

    def _units(self) -> dict:
        """Each unit's key, and the files of those whose files are not the usual ones (unit_files):
        half a million units at 100,000 credentials, so every byte counts."""
        return {"units": {name: key for name, (key, _files) in self.units.items()},
                "files": {name: files for name, (_key, files) in self.units.items()
                          if files is not None and files != unit_files(name)}}


PAGE_FILE = "index.html"  # a page unit's usual file, after its path


def unit_files(unit: str) -> list[str]:
    """The files a unit usually has: a page's HTML; a credential's, or a provider's, open-data files."""
    kind, _, name = unit.partition(":")
    if kind == "page":
        return [name + PAGE_FILE]
    if kind == "data":
        return [f"{API}/{rel}" for rel in credential_files(name)]
    if kind == "provider":
        return [f"{API}/{rel}" for rel in provider_files(name)]
    return []


def _units(data: dict) -> dict[str, tuple[str, list[str] | None]]:
    files = data["files"]
    return {name: (key, files.get(name)) for name, key in data["units"].items()}


class Reuse:
    """This build's decisions: which units the output already holds as they would be made now,
    which a shard made (`microcred build --combine`), and which this build is to make."""

    def __init__(self, previous: Manifest | None, stage: Path, shards: list[Path] = (),
                 shard: tuple[int, int] | None = None, apart: dict[str, Path] | None = None):
        self.previous = previous  # None: a clean build
        self.stage = stage  # where made units go
        self.apart = apart or {}  # where the units of these kinds go instead, until they are moved in
        self.now = Manifest()
        self.kept: set[str] = set()  # in the output already
        self.imported = 0  # taken from the shards
        self.shard = shard  # (k, n): make only the units of the k-th of n shards
        self.from_shards: dict[str, tuple[str, list[str], Path]] = {}
        for folder in shards:
            made = Manifest.load_shard(folder)
            for unit, (key, _files) in made.units.items():
                self.from_shards[unit] = (key, made.files_of(unit), folder)

    @property
    def incremental(self) -> bool:
        return self.previous is not None

    def unchanged(self, unit: str, key: str, files: list[str]) -> bool:
        """Record the unit; True if it is not to be made: the output holds it, a shard made it (it is
        moved into the stage), or it belongs to another shard (then it is not recorded)."""
        if self.shard and not in_shard(unit, *self.shard):
            return True
        old = self.previous.units.get(unit) if self.previous else None
        if old is not None and old[0] == key:
            self.now.units[unit] = old
            self.kept.add(unit)
            return True
        self.now.units[unit] = (key, files)
        made = self.from_shards.get(unit)
        if made is not None and made[0] == key:
            stage = self.apart.get(unit.partition(":")[0], self.stage)
            for rel in made[1]:
                target = stage / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(made[2] / rel, target)
            self.now.units[unit] = made[:2]
            self.imported += 1
            return True
        return False

    def made_files(self, unit: str, files: list[str]) -> None:
        """The files of a unit known only once it is made (the search index)."""
        key, _ = self.now.units[unit]
        self.now.units[unit] = (key, files)


# --- the theme's HTML: MkDocs runs only when what it reads changed -------------------


def restore_mkdocs(cache: Path, key: str, site: Path) -> str | None:
    """Put the HTML MkDocs built last into `site` if it was built from the same sources (hard links:
    the build replaces, never rewrites, a file MkDocs made); return its digest, or None."""
    folder = cache / MKDOCS
    try:
        stored_key, theme = (folder / "key").read_text("utf-8").split()
    except (OSError, ValueError):
        return None
    if stored_key != key:
        return None
    shutil.copytree(folder / "site", site, dirs_exist_ok=True, copy_function=_link)
    return theme


def store_mkdocs(cache: Path, key: str, theme: str, site: Path) -> None:
    """Keep what MkDocs built (before any page is filled in), and its digest, for the next build."""
    folder = cache / MKDOCS
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(site, folder / "site", copy_function=_link)
    (folder / "key").write_text(f"{key} {theme}", "utf-8")


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)


# --- putting the made units into the output ------------------------------------------


def finish(reuse: Reuse, site: Path) -> list[str]:
    """Close this build's manifest: the files made outside units are the rest of the staged site.
    Returns every staged file."""
    staged = files_below(site)
    in_units = {f for name in reuse.now.units if name not in reuse.kept for f in reuse.now.files_of(name)}
    reuse.now.loose = sorted(f for f in staged if f not in in_units)
    return staged


def apply(reuse: Reuse, staged: list[str], site: Path, output: Path, aside: Path) -> None:
    """Move the staged files into the output and remove the output's stale files; the files replaced
    or removed are moved to `aside` first, and put back if anything fails."""
    previous = reuse.previous
    new = set(staged)
    old = set(previous.loose)
    for name in previous.units.keys() - reuse.kept:
        old.update(previous.files_of(name))
    gone = old - new
    stale = sorted(gone - _kept_files(reuse, gone)) if gone else []
    moved_aside: list[str] = []
    moved_in: list[str] = []
    made_folders: set[Path] = set()
    try:
        for rel in [*stale, *staged]:
            target = output / rel
            if target.exists() or target.is_symlink():
                backup = aside / rel
                if backup.parent not in made_folders:
                    backup.parent.mkdir(parents=True, exist_ok=True)
                    made_folders.add(backup.parent)
                target.rename(backup)
                moved_aside.append(rel)
        for rel in staged:
            target = output / rel
            if target.parent not in made_folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                made_folders.add(target.parent)
            (site / rel).rename(target)
            moved_in.append(rel)
    except BaseException:
        for rel in moved_in:
            (output / rel).unlink(missing_ok=True)
        for rel in moved_aside:
            (aside / rel).rename(output / rel)
        raise
    _remove_empty_folders(output, stale)


def _kept_files(reuse: Reuse, files: set[str]) -> set[str]:
    """Those of `files` a kept unit has, which stay. A page's usual file is looked up by its unit's
    name: listing the files of 400,000 kept pages took most of a second of every rebuild."""
    kept = set()
    for f in files:
        if f.endswith(PAGE_FILE) and (unit := "page:" + f[:-len(PAGE_FILE)]) in reuse.kept \
                and f in reuse.now.files_of(unit):
            kept.add(f)
    others = [name for name in reuse.kept if not name.startswith("page:") or reuse.now.units[name][1] is not None]
    kept.update(f for name in others for f in reuse.now.files_of(name) if f in files)
    return kept


def _remove_empty_folders(output: Path, removed: list[str]) -> None:
    """The folders a removed page or file leaves empty (a clean build has none)."""
    folders = {Path(rel).parent for rel in removed}
    for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
        while folder != Path("."):
            try:
                (output / folder).rmdir()
            except OSError:  # not empty (or gone already)
                break
            folder = folder.parent
