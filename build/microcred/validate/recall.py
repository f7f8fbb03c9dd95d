"""Credential files checked by an earlier run, recalled by their bytes.

A build checks every file, and reading YAML is most of that (values and their
positions): 28 s of a rebuild at 100,000 credentials where one file changed, when
libyaml's events read every file. The build keeps each file's result (its problems, the positions the checks
across files report at, its values as written) under the digest of its name and
bytes (records.source_digest), and the next build parses only the files whose bytes
changed. A recalled file's record is made again from its values (pydantic, a fifth
of the work): the same values, the same record.

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

FORMAT = 2


@dataclass
class Recall:
    salt: str  # the day and the package's fingerprint (build/cache.py)
    # by source digest: a checked file's results but its record (Checked's fields, `record` left out)
    before: dict[str, tuple] = field(default_factory=dict)
    now: dict[str, tuple] = field(default_factory=dict)

    def recalled(self, file: str, raw: bytes) -> Checked | None:
        """The earlier result of checking the file `file` whose bytes are `raw`, if there is one."""
        kept = self.before.get(source_digest(file, raw))
        return None if kept is None else Checked(*kept[:6], None, *kept[6:])

    def keep(self, checked: Checked) -> None:
        if checked.source is not None:
            self.now[checked.source] = (checked.file, checked.problems, checked.valid, checked.stacks_into,
                                        checked.previous_ids, checked.warnings, checked.written, checked.source)

    @classmethod
    def load(cls, file: Path, salt: str) -> "Recall":
        try:
            with _no_collection(), open(file, "rb") as stream:
                saved = pickle.load(stream)
            if saved["format"] == FORMAT and saved["salt"] == salt:
                return cls(salt, saved["checked"])
        except Exception:  # noqa: BLE001 - unreadable or damaged: every file is checked
            pass
        return cls(salt)

    def save(self, file: Path) -> None:
        """Keep this run's results for the next run."""
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_name(file.name + ".new")
        with _no_collection(), open(temporary, "wb") as stream:
            pickle.dump({"format": FORMAT, "salt": self.salt, "checked": self.now}, stream,
                        protocol=pickle.HIGHEST_PROTOCOL)
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
