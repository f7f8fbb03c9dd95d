"""Validation: catalogue files in, every problem and the checked catalogue out.

Stages: find files -> parse YAML (yamlload) -> check each record (models)
-> check across files. Problems are collected, never raised, so one run
reports everything.

Budget: 10,000 credentials in 3 s on two cores (`make bench`). CPU time per
10,000 synthetic credentials (AMD EPYC, Python 3.11), one process:
libyaml's event stream 1.6 s (the floor: PyYAML makes a Python object and two
marks per event, ~150 events per file), building values and marks from it
1.4 s, pydantic with our value checks 0.6 s, reading files 0.1 s, listing them
0.06 s; start-up (imports) 0.3 s. Files are checked in worker processes
(check_credentials), so the run takes about 2.3-2.7 s of wall time when both
cores are free.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import settings
from ..catalogue.model import Catalogue, CredentialEntry, ProviderEntry, credential_entry
from ..contract.ids import PROVIDER_FILE
from ..contract.models import Provider
from ..contract.problems import Problem, shown
from ..contract.yamlload import LoadFailed
from . import codeowners
from .cross import cross_checks
from .files import find_files, provider_folder_files, read
from .recall import Recall
from .records import Checked, check_record, load, record_warnings, shown_in
from .workers import check_credentials


@dataclass
class Result:
    catalogue: Catalogue | None  # None when validate() was asked not to keep records
    problems: list[Problem]
    files: int

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def validate(root: Path, only: list[Path] | None = None, keep_records: bool = True,
             today: date | None = None, recall: Recall | None = None) -> Result:
    """Check the catalogue at root; with `only`, just those files and provider folders (and the checks
    that involve them).

    today: the day review dates are compared with (default: settings.today()).

    keep_records=False is for callers that need only the problems (the
    `validate` command): records are then not handed back from worker
    processes, and Result.catalogue is None.

    recall: the results of an earlier run (the build's, recall.py): a credential file whose
    bytes it has is not parsed again; recall.now gets this run's results, for the next.
    """
    # Cyclic garbage collection is paused while the files are read: every record adds
    # objects to the heap, and collections that scan it again and again cost about 1 s
    # on 10,000 files. A run makes next to no cyclic garbage.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _validate(root, only, keep_records, today or settings.today(), recall)
    finally:
        if collecting:
            gc.enable()


def _validate(root: Path, only: list[Path] | None, keep_records: bool, today: date,
              recall: Recall | None) -> Result:
    layout = find_files(root)
    problems = list(layout.problems)
    if only:  # a provider's folder stands for the folder and everything in it
        only = [f for p in only for f in (provider_folder_files(p) if p.is_dir() else [p])]
    wanted = {p.resolve() for p in only} if only else None
    if wanted is None:
        todo = layout.credential_files
        needed_providers = set(layout.provider_files)
    else:
        # The wanted files by id, without resolving every path of the catalogue (20,000
        # resolve() calls took 1.5 s on 10,000 files): find_files lists no links, so a
        # listed file's real path is the catalogue's real path / provider id / name.
        real_root = root.resolve()
        named = {(w.parent.name, w.name) for w in wanted if w.parent.parent == real_root}
        todo = {cid: path for cid, path in layout.credential_files.items()
                if (path.parent.name, path.name) in named}
        needed_providers = {pid for pid in layout.provider_files if (pid, PROVIDER_FILE) in named}
        needed_providers |= {cid.split("/")[0] for cid in todo}

    providers: dict[str, ProviderEntry] = {}
    credentials: dict[str, CredentialEntry] = {}
    files = 0
    for pid, path in layout.provider_files.items():
        if pid not in needed_providers:
            continue
        files += 1
        file = shown(path)
        doc, found = load(path, file)
        if doc is not None:
            record, found = check_record(doc, Provider)
            if record is not None:
                providers[pid] = ProviderEntry(pid, file, path, record, doc.data)
                found = record_warnings(record, doc, today)
        problems += found
    files += len(todo)
    checked: dict[str, Checked] = {}
    results = _check_or_recall(list(todo.values()), today, keep_records, recall) if recall and keep_records else \
        check_credentials(list(todo.values()), today, keep_records)
    for (cid, path), result in zip(todo.items(), results):
        problems += result.problems
        if result.valid:
            checked[cid] = result
            if keep_records:
                credentials[cid] = credential_entry(cid, result.file, path, result.brief, result.written,
                                                    providers.get(cid.split("/")[0]), result.record)
    problems += cross_checks(checked, set(layout.credential_files))
    if wanted is not None:
        files_wanted = {file: Path(file).resolve() in wanted for file in {p.file for p in problems}}
        problems = [p for p in problems if files_wanted[p.file]]
    problems += codeowners.check(root, layout.provider_files, only)
    problems.sort(key=Problem.sort_key)
    catalogue = Catalogue.of(root, providers, credentials) if keep_records else None
    return Result(catalogue, problems, files)


def _check_or_recall(paths: list[Path], today: date, keep_records: bool, recall: Recall) -> list[Checked]:
    """check_credentials, but a file whose bytes `recall` has is not parsed: its record is made
    again from its values as written when first read (CredentialEntry.record), or it had none."""
    results: list[Checked | None] = []
    again: list[int] = []
    folders: dict[str, str | None] = {}
    for path in paths:
        earlier = None
        try:
            earlier = recall.recalled(shown_in(os.fspath(path), folders), read(path))
        except (LoadFailed, OSError):  # checked again: the check says what is wrong
            pass
        if earlier is None:
            again.append(len(results))
        results.append(earlier)
    for i, result in zip(again, check_credentials([paths[i] for i in again], today, keep_records)):
        results[i] = result
    for result in results:
        recall.keep(result)
    return results

