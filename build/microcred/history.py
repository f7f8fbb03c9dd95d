"""When each catalogue file was added and last changed, from git or from the record itself.

One `git log` over the whole catalogue gives every file's dates (one process
for 10,000 files, not one per file). Outside a git checkout, or for files not
committed yet, the record's own dates stand in. The build's clock is never
used, so two builds of the same commit agree.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from .catalogue import Catalogue, CredentialEntry

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Marks the start of each commit in the log; a NUL cannot occur in a commit header.
_COMMIT = "\x1ecommit "


@dataclass(frozen=True)
class Dates:
    added: datetime | None  # None: no git history and no date in the record
    modified: datetime | None
    source: str  # "git" or "record"


def rfc3339(moment: datetime | None) -> str | None:
    """UTC, whole seconds, with a Z: the plainest RFC 3339 form."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=timezone.utc)


def git_dates(root: Path) -> dict[str, tuple[datetime, datetime]] | None:
    """Path relative to root -> (first, last) commit date, or None when root is not in a git checkout.

    --first-parent follows the main line, so a file merged from a pull request
    is dated by the merge that published it; --no-renames dates a renamed file
    (a new id) from its rename.
    """
    if not shutil.which("git"):
        return None
    # -c: a user's log.showSignature would mix signature lines into the output
    command = ["git", "-c", "core.quotepath=off", "-c", "log.showSignature=false", "log", "--first-parent", "--no-renames",
               "--relative", "--name-only", "-z", f"--format={_COMMIT}%cI", "--", "."]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}  # only the checkout at root
    try:
        run = subprocess.run(command, cwd=root, capture_output=True, env=env, check=False)
    except OSError:
        return None
    if run.returncode != 0:
        reason = run.stderr.decode("utf-8", "replace").strip().splitlines()
        if reason and "not a git repository" not in reason[0] and "does not have any commits" not in reason[0]:
            # e.g. "dubious ownership" in a CI container: say so, or the dates would change silently
            print(f"microcred: warning: git log failed in {root}: {reason[0]}; "
                  "feed and record dates come from the records", file=sys.stderr)
        return None
    dates: dict[str, tuple[datetime, datetime]] = {}
    for block in run.stdout.decode("utf-8", "surrogateescape").split(_COMMIT)[1:]:
        # the date, then NUL- or newline-separated names (catalogue ids hold neither)
        header, *names = re.split(r"[\0\n]+", block)
        when = datetime.fromisoformat(header)
        for name in filter(None, names):
            first, last = dates.get(name, (when, when))
            # the log runs newest first, but commit dates need not be monotonic: keep the extremes
            dates[name] = (min(first, when), max(last, when))
    return dates


def record_dates(record) -> list[date]:
    """The dates a record states about itself (valid_from, last_reviewed, withdrawn_on)."""
    return [d for d in (getattr(record, "valid_from", None), getattr(record, "last_reviewed", None),
                        getattr(record, "withdrawn_on", None)) if d is not None]


def _fallback(entry: CredentialEntry) -> Dates:
    own = record_dates(entry.record)
    added = entry.record.valid_from or (min(own) if own else None)
    modified = max(own) if own else None
    return Dates(_midnight(added) if added else None, _midnight(modified) if modified else None, "record")


@dataclass
class History:
    credentials: dict[str, Dates]  # credential id -> dates
    newest_commit: datetime | None  # of the catalogue, when in git


def history_of(catalogue: Catalogue) -> History:
    from_git = git_dates(catalogue.root)
    out: dict[str, Dates] = {}
    for cid, entry in catalogue.credentials.items():
        rel = f"{entry.provider_id}/{entry.slug}.yaml"
        if from_git and rel in from_git:
            first, last = from_git[rel]
            out[cid] = Dates(first.astimezone(timezone.utc), last.astimezone(timezone.utc), "git")
        else:
            out[cid] = _fallback(entry)
    newest = max((last for _, last in from_git.values()), default=None) if from_git else None
    return History(out, newest.astimezone(timezone.utc) if newest else None)


def generated_at(catalogue: Catalogue, history: History) -> datetime:
    """SOURCE_DATE_EPOCH, else the newest commit of the catalogue, else the newest record date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    if history.newest_commit:
        return history.newest_commit
    days = [d for e in catalogue.credentials.values() for d in record_dates(e.record)]
    return _midnight(max(days)) if days else EPOCH
