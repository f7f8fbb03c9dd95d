import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch):
    # Review-date warnings depend on "today"; pin it so golden files stay true.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", os.environ.get("TEST_SOURCE_DATE_EPOCH", "1790000000"))
