"""The example catalogue's open data (api/v1), byte for byte, against tests/golden/api-v1/.

Aggregators depend on every file of it, so any change of output shows in review as a diff of
these files. The catalogue is exported from a copy outside git, so dates come from the records
and SOURCE_DATE_EPOCH (pinned by conftest): the golden files change only when the data or the
code does. Refresh them with `make golden`.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO
from goldenfiles import check_tree

from microcred.build import export

pytestmark = pytest.mark.golden


def test_the_example_catalogue_api_matches_its_golden_files(tmp_path):
    shutil.copytree(REPO / "catalogue", tmp_path / "catalogue")
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    export(tmp_path / "catalogue", tmp_path / "api-v1")
    check_tree("api-v1", tmp_path / "api-v1")
