"""Writing the open-data files: only below one folder, each path once."""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from pathlib import Path

from ..errors import OpenDataError


class Writer:
    """Writes files below one folder, and refuses any path outside it or any path twice."""

    def __init__(self, root: Path):
        root.mkdir(parents=True, exist_ok=True)
        self.root = root.resolve()
        self.written: set[str] = set()  # each file's real path (str: 460,000 Path objects took 150 MB)
        self._folders: dict[str, Path] = {}  # resolved once per folder: 10,000 files share a few hundred
        self._made: set[Path] = set()

    def path(self, rel: str) -> Path:
        folder, _, name = posixpath.normpath(rel).rpartition("/")
        real = self._folders.get(folder)
        if real is None:
            real = (self.root / folder).resolve() if folder else self.root
            self._folders[folder] = real
        target = real / name
        if name in ("", ".", "..") or not real.is_relative_to(self.root) or rel.startswith("/"):
            raise OpenDataError(f"refusing to write '{rel}': it lies outside {self.root}")
        if target.is_symlink():  # writing would follow it, wherever it points
            raise OpenDataError(f"refusing to write '{rel}': it is a symbolic link")
        real_path = str(target)
        if real_path in self.written:
            raise OpenDataError(f"refusing to write '{rel}' twice: two records claim the same address")
        self.written.add(real_path)
        return target

    def text(self, rel: str, text: str) -> None:
        self.bytes(rel, text.encode("utf-8"))

    def bytes(self, rel: str, data: bytes) -> None:
        target = self.path(rel)
        if target.parent not in self._made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made.add(target.parent)
        # Plain os calls: a build writes 40,000 files, and open() adds an isatty ioctl, a seek
        # and a stat to each, besides a file object (about 0.1 ms a file on this disk).
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def json(self, rel: str, value, compact: bool = False, sort_keys: bool = True) -> None:
        """`sort_keys=False` for documents built in a fixed order (the standards' formats): sorting
        10,000 of them costs time and reorders what their readers expect first (@context)."""
        # json.dumps escapes what JSON needs; ensure_ascii=False keeps every script readable.
        # Compact output uses the C encoder (indent falls back to pure Python, ~10x slower):
        # used for the many record files and the bulk files.
        if compact:
            text = json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, separators=(",", ":"))
        else:
            text = json.dumps(value, ensure_ascii=False, sort_keys=sort_keys, indent=2)
        self.text(rel, text + "\n")

    def stream(self, rel: str) -> "Stream":
        """A file written in pieces (the collections of every record), never whole in memory."""
        target = self.path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        return Stream(target)


class Stream:
    """A file written piece by piece; it knows its size and SHA-256 when closed.

    Pieces are gathered up to a megabyte and written at once: a rebuild copies 100,000 records
    of a few KB each, and a write each cost a system call each (0.8 s at 10,000)."""

    GATHER = 1 << 20

    def __init__(self, target: Path):
        self.file = open(target, "wb")
        self.hash = hashlib.sha256()
        self.size = 0
        self.pending: list[bytes] = []
        self.pending_size = 0

    def write(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        self.pending.append(data)
        self.pending_size += len(data)
        self.size += len(data)
        if self.pending_size >= self.GATHER:
            self._flush()

    def _flush(self) -> None:
        data = b"".join(self.pending)
        self.file.write(data)
        self.hash.update(data)
        self.pending.clear()
        self.pending_size = 0

    def close(self) -> None:
        try:
            self._flush()
        finally:
            self.file.close()

    def __enter__(self) -> "Stream":
        return self

    def __exit__(self, *failure) -> None:
        self.close()
