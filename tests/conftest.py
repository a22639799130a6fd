from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
EXAMPLE = TESTS / "example"
PROGRAMS = ROOT / "programs"


def example_pages() -> int:
    """How many pages the example's package has: its start page and guide, a page for each
    module and each step, and the text version of each recording with captions."""
    from sobc.read.loader import load

    program = load(EXAMPLE).program
    assert program is not None
    steps = [step for module in program.modules for step in module.steps]
    texts = sum(1 for step in steps if step.media is not None and step.media.captions)
    return 2 + len(program.modules) + len(steps) + texts


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example program that a test may change."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


# ---- sobc build: golden files (owned by the build tests; keep this block self-contained) ----


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/ from the current build output instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


# ---- end of the sobc build block ----


@pytest.fixture(autouse=True)
def build_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test builds with a cache of its own, never the user's."""
    folder = tmp_path_factory.mktemp("sobc-cache")
    monkeypatch.setenv("SOBC_CACHE_DIR", str(folder))
    return folder
