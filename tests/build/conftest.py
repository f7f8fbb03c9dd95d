"""Fixtures of the pipeline's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitetree import register_copy


@pytest.fixture
def sources(tmp_path) -> Path:
    """A register of our own: the example catalogue, docs and settings, free to edit."""
    return register_copy(tmp_path / "register")
