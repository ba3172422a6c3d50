"""Fixtures of the reproducibility core tests (no app, no services)."""

import shutil

import pytest
from repro_helpers import CSV, CSV_NAME, DEMO


@pytest.fixture
def demo_workspace(tmp_path):
    """A copy of the demo laid out as its repository (code/, data/, workflow/cwl/)."""
    workspace = tmp_path / "demo"
    shutil.copytree(DEMO, workspace)
    (workspace / "data").mkdir()
    shutil.copy(CSV, workspace / "data" / CSV_NAME)
    return workspace
