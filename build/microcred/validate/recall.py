"""Credential files checked by an earlier run, recalled by their bytes.

A build checks every file, and reading YAML is most of that (values and their
positions): 28 s of a rebuild at 100,000 credentials where one file changed, when
libyaml's events read every file. The build keeps each file's result (its problems, the positions the checks
across files report at, its values as written) under the digest of its name and
bytes (records.source_digest), and the next build parses only the files whose bytes
changed. A recalled file's record is made again from its values (pydantic) when a
later stage first reads it (catalogue/model.py, CredentialEntry.record): the same
values, the same record. Most stages read only its brief, which is recalled with it.

Results also depend on the day (a review date passes) and on the validator itself:
`salt` names both, and a recall made with another salt is empty.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from .records import Checked, source_digest

FORMAT = 3  # 3: with the record's brief


# A rebuild changes a few files: their results are kept in a file of their own (changes_file), so it
# does not write the 300 MB of 100,000 files' results again, until the changes are a quarter of them.
CHANGED_SHARE = 4


@dataclass
class Recall:
    salt: str  # the day and the package's fingerprint (build/cache.py)
    # by source digest: a checked file's results but its record (Checked's fields, `record` left out)
    before: dict[str, tuple] = field(default_factory=dict)
    now: dict[str, tuple] = field(default_factory=dict)
    base: str | None = None  # the id of the file of all results `before` was loaded from
    in_base: frozenset[str] = frozenset()  # the digests that file holds

    def recalled(self, file: str, raw: bytes) -> Checked | None:
        """The earlier result of checking the file `file` whose bytes are `raw`, if there is one."""
        kept = self.before.get(source_digest(file, raw))
        return None if kept is None else Checked(*kept[:6], None, *kept[6:])

    def keep(self, checked: Checked) -> None:
        if checked.source is not None:
            self.now[checked.source] = (checked.file, checked.problems, checked.valid, checked.stacks_into,
                                        checked.previous_ids, checked.warnings, checked.written, checked.source,
                                        checked.brief)

    @classmethod
    def load(cls, file: Path, salt: str) -> "Recall":
        """The results `save` kept in `file` (and beside it, the changes since) with this salt."""
        try:
            with _no_collection():
                saved = _read(file)
                if saved["format"] != FORMAT or saved["salt"] != salt:
                    return cls(salt)
                before = saved["checked"]
                recall = cls(salt, before, base=saved["id"], in_base=frozenset(before))
                try:
                    changes = _read(changes_file(file))
                    if changes["format"] == FORMAT and changes["base"] == saved["id"]:  # not an older file's
                        before.update(changes["checked"])
                except (OSError, KeyError, pickle.UnpicklingError, EOFError):
                    pass
                return recall
        except Exception:  # noqa: BLE001 - unreadable or damaged: every file is checked
            return cls(salt)

    def save(self, file: Path) -> None:
        """Keep this run's results for the next run: only those not in the file of all results it
        recalled, while they are few; else all of them, in a new such file."""
        file.parent.mkdir(parents=True, exist_ok=True)
        with _no_collection():
            if self.base is not None:
                changed = {digest: kept for digest, kept in self.now.items() if digest not in self.in_base}
                gone = len(self.in_base) - (len(self.now) - len(changed))  # results of files no longer there
                if (len(changed) + gone) * CHANGED_SHARE <= len(self.now):
                    _write(changes_file(file), {"format": FORMAT, "base": self.base, "checked": changed})
                    return
            _write(file, {"format": FORMAT, "salt": self.salt, "id": os.urandom(8).hex(), "checked": self.now})
            changes_file(file).unlink(missing_ok=True)  # another file's changes: never applied to this one


def changes_file(file: Path) -> Path:
    return file.with_name(file.stem + "-changes" + file.suffix)


def _read(file: Path):
    with open(file, "rb") as stream:
        return pickle.load(stream)


def _write(file: Path, saved: dict) -> None:
    temporary = file.with_name(file.name + ".new")
    with open(temporary, "wb") as stream:
        pickle.dump(saved, stream, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, file)


@contextlib.contextmanager
def _no_collection():
    """Cyclic garbage collection paused: reading or writing 100,000 results makes objects the
    collector would otherwise scan the whole heap (every checked record) for, again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
