"""Checks of a command's arguments that argparse cannot make: they raise UsageError (exit 2)."""

from __future__ import annotations

from pathlib import Path

from ..errors import UsageError


def require_paths(paths: list[Path]) -> None:
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder")


def require_catalogue(folder: Path) -> None:
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such catalogue folder")
