from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
EXAMPLE = TESTS / "example"
PROGRAMS = ROOT / "programs"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example program that a test may change."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target
