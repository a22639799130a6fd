"""Browser tests: Debian's Chromium driven by Playwright, axe-core from npm (tests/browser/).

`make test` installs all three. Without them the tests skip with the reason, except in CI
(`CI=true`), where a missing browser fails the run instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import EXAMPLE, PROGRAMS, TESTS
from .serving import Serving

CHROMIUM = Path(os.environ.get("SOBC_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = TESTS / "_artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WAIT_MS = 15_000  # every wait in the browser is bounded


def missing(reason: str) -> None:
    """A missing browser fails in CI and skips elsewhere."""
    message = f"{reason} (make test installs it)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# Module scope: Playwright keeps a thread while it runs, and other tests want none left over.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed")
    if not CHROMIUM.is_file():
        missing(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (empty localStorage) at desktop width."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.set_default_timeout(WAIT_MS)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    tab.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    yield tab
    context.close()
    assert not problems, "the page reported problems:\n" + "\n".join(problems)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.is_file():
        missing(f"axe-core is not installed at {AXE.relative_to(TESTS.parent)}")
    return AXE


@pytest.fixture(scope="module")
def served(browser: Any) -> Iterator[Serving]:
    """The three programs and the example, served as an author would."""
    server = Serving([PROGRAMS, EXAMPLE])
    yield server
    server.close()


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A private copy of the example that a test may edit."""
    copy = tmp_path / "example"
    shutil.copytree(EXAMPLE, copy)
    return copy


@pytest.fixture
def serve(browser: Any) -> Iterator[Callable[[Path], Serving]]:
    """Starts `sobc serve` on given folders; every server started is stopped afterwards."""
    started: list[Serving] = []

    def start(*paths: Path) -> Serving:
        started.append(Serving(paths))
        return started[-1]

    yield start
    for server in started:
        server.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
