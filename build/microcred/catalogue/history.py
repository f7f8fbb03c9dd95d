"""When each catalogue file was added and last changed, from git or from the record itself.

One `git log` over the whole catalogue gives every file's dates (one process
for 10,000 files, not one per file). Outside a git checkout, or for files not
committed yet, the record's own dates stand in. The build's clock is never
used, so two builds of the same commit agree.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from ..settings import source_date
from . import git
from .model import Catalogue, CredentialEntry

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


@dataclass
class GitLog:
    dates: dict[str, tuple[datetime | None, datetime | None]]  # path relative to root -> (first, last)
    newest: datetime | None  # newest commit that touched the folder
    shallow: bool  # history cut off: a first date before the cut is unknown (None)


def git_dates(root: Path) -> GitLog | None:
    """Every file's first and last commit date, from one `git log`; None when root is not in a git checkout.

    --first-parent follows the main line, so a file merged from a pull request
    is dated by the merge that published it; --no-renames dates a renamed file
    (a new id) from its rename. %D marks the cut of a shallow clone ("grafted"):
    files there are older than the clone knows.
    """
    if not git.available():
        return None
    try:
        run = git.run(root, "log", "--first-parent", "--no-renames", "--relative", "--name-only", "-z",
                      f"--format={_COMMIT}%cI%x1f%D", "--", ".")
    except OSError:
        return None
    if run.returncode != 0:
        reason = run.stderr.decode("utf-8", "replace").strip().splitlines()
        if reason and "not a git repository" not in reason[0] and "does not have any commits" not in reason[0]:
            # e.g. "dubious ownership" in a CI container: say so, or the dates would change silently
            print(f"microcred: warning: git log failed in {root}: {reason[0]}; "
                  "feed and record dates come from the records", file=sys.stderr)
        return None
    known: dict[str, tuple[datetime, datetime]] = {}
    cut: set[str] = set()  # files present at a shallow clone's cut
    newest = None
    for block in run.stdout.decode("utf-8", "surrogateescape").split(_COMMIT)[1:]:
        # the date and decorations, then NUL- or newline-separated names (catalogue ids hold neither)
        header, *names = re.split(r"[\0\n]+", block)
        stamp, _, refs = header.partition("\x1f")
        when = datetime.fromisoformat(stamp)
        newest = when if newest is None else max(newest, when)
        grafted = "grafted" in (ref.strip() for ref in refs.split(","))
        for name in filter(None, names):
            if grafted:
                cut.add(name)
                continue
            first, last = known.get(name, (when, when))
            # the log runs newest first, but commit dates need not be monotonic: keep the extremes
            known[name] = (min(first, when), max(last, when))
    dates: dict[str, tuple[datetime | None, datetime | None]] = dict(known)
    for name in cut:
        dates[name] = (None, known[name][1] if name in known else None)
    if cut:
        print(f"microcred: warning: {root} is in a shallow clone; files unchanged since its oldest commit "
              "are dated from their records (clone with full history: git fetch --unshallow, "
              "or fetch-depth: 0 in GitHub Actions)", file=sys.stderr)
    return GitLog(dates, newest, bool(cut))


def record_dates(record) -> list[date]:
    """The dates a record (or a credential's brief) states about itself (valid_from, last_reviewed,
    withdrawn_on)."""
    return [d for d in (getattr(record, "valid_from", None), getattr(record, "last_reviewed", None),
                        getattr(record, "withdrawn_on", None)) if d is not None]


def _fallback(entry: CredentialEntry) -> Dates:
    own = record_dates(entry.brief)
    added = entry.brief.valid_from or (min(own) if own else None)
    modified = max(own) if own else None
    return Dates(_midnight(added) if added else None, _midnight(modified) if modified else None, "record")


@dataclass
class History:
    credentials: dict[str, Dates]  # credential id -> dates
    newest_commit: datetime | None  # of the catalogue, when in git
    generated_at: datetime  # what the open data says it was made at: never the build's clock


def history_of(catalogue: Catalogue) -> History:
    """Every credential's dates, from one `git log` (the build asks once and passes the answer on)."""
    log = git_dates(catalogue.root)
    out: dict[str, Dates] = {}
    for cid, entry in catalogue.credentials.items():
        first, last = log.dates.get(f"{entry.provider_id}/{entry.slug}.yaml", (None, None)) if log else (None, None)
        if first and last:
            out[cid] = Dates(first.astimezone(timezone.utc), last.astimezone(timezone.utc), "git")
            continue
        own = _fallback(entry)  # not committed yet, or older than a shallow clone knows
        out[cid] = Dates(own.added, last.astimezone(timezone.utc) if last else own.modified, "record")
    newest = log.newest.astimezone(timezone.utc) if log and log.newest else None
    return History(out, newest, _generated_at(catalogue, newest))


def _generated_at(catalogue: Catalogue, newest_commit: datetime | None) -> datetime:
    """SOURCE_DATE_EPOCH, else the newest commit of the catalogue, else the newest record date."""
    pinned = source_date()
    if pinned:
        return pinned
    if newest_commit:
        return newest_commit
    days = [d for e in catalogue.credentials.values() for d in record_dates(e.brief)]
    return _midnight(max(days)) if days else EPOCH
