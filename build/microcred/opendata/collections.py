"""What the collections say of each credential, kept from one build to the next.

credentials.json, credentials.csv, the providers' lists and the feed hold every
credential, so each build used to make every record again to write them: 33 s of
a rebuild after one changed entry at 100,000 credentials. Now the build keeps,
for each credential, where its record and its row stand in the last build's
credentials.json and credentials.csv, its provider's summary of it and the dates
of its feed items. An incremental build copies an unchanged credential's bytes
from the last build's files and makes only the changed records (and the few
unchanged ones whose feed items are among the newest).

"Unchanged" is the caller's key (the build's, cache.py): the same key, the same
record, so the same bytes.
"""

from __future__ import annotations

import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = 2  # 2: the build's id after the collections, appended (seal)


@dataclass(slots=True)
class Collected:
    """One credential in the collections."""

    key: str
    record: tuple[int, int]  # offset and length of its record in credentials.json
    row: tuple[int, int]  # of its row in credentials.csv
    summary: dict  # as its provider's record lists it
    events: list[tuple[str, str]]  # its feed items: (date published, item id)


@dataclass
class Collections:
    """The collections of the last build (to copy from) and of this one (to keep for the next)."""

    keys: dict[str, str]  # this build's key of each credential's record
    previous: dict[str, Collected] = field(default_factory=dict)
    folder: Path | None = None  # where the last build's credentials.json and .csv are
    now: dict[str, Collected] = field(default_factory=dict)

    def unchanged(self, cid: str) -> Collected | None:
        """What the last build's collections hold of the credential, if its record is the same now."""
        before = self.previous.get(cid)
        return before if before is not None and before.key == self.keys.get(cid) else None

    def read(self, name: str, spans: list[tuple[int, int]]) -> list[bytes]:
        """The bytes at `spans` of the last build's `name` (credentials.json or credentials.csv)."""
        fd = os.open(self.folder / name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            return [os.pread(fd, length, offset) for offset, length in spans]
        finally:
            os.close(fd)

    @classmethod
    def load(cls, file: Path, build: str | None, folder: Path, keys: dict[str, str]) -> "Collections":
        """The collections the build with id `build` kept (`save`, then `seal`), whose files are in
        `folder`; empty if `file` is another build's, unreadable, or its files are not the ones it
        describes."""
        try:
            with open(file, "rb") as stream:
                saved = pickle.load(stream)
                sealed = pickle.load(stream)
            if saved["format"] != FORMAT or sealed["build"] != build or build is None:
                raise ValueError("another build's")
            for name, size in saved["sizes"].items():
                if (folder / name).stat().st_size != size:
                    raise ValueError(f"{name} changed")
            return cls(keys, saved["collected"], folder)
        except Exception:  # noqa: BLE001 - whatever is wrong with it, the records are made again
            return cls(keys)

    def save(self, file: Path, folder: Path) -> None:
        """Write this build's collections, whose files are in `folder`, to `file`. The process writing
        the open data does this (build/beside.py); the build's id is known only at its end (`seal`)."""
        sizes = {name: (folder / name).stat().st_size for name in ("credentials.json", "credentials.csv")}
        with open(file, "wb") as stream:
            pickle.dump({"format": FORMAT, "sizes": sizes, "collected": self.now}, stream,
                        protocol=pickle.HIGHEST_PROTOCOL)

    @staticmethod
    def seal(saved: Path, file: Path, build: str) -> None:
        """Keep the collections `save` wrote to `saved` as `file`, for the next build: they are those
        of the output whose id is `build` (appended, so the 100,000 credentials' are not written again)."""
        with open(saved, "ab") as stream:
            pickle.dump({"build": build}, stream, protocol=pickle.HIGHEST_PROTOCOL)
        saved.replace(file)
