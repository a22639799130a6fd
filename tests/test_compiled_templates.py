"""The templates as Jinja compiled them are kept in sobc's cache folder and read back by the next
build process; a damaged or unwritable cache costs a compile, never a wrong page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from jinja2 import Environment

from sobc.package.build import build
from sobc.render import pages

from .conftest import EXAMPLE


@pytest.fixture(autouse=True)
def fresh_environment() -> Iterator[None]:
    """Each test starts as a new build process does: no environment yet (it reads the cache
    folder when it is made), and leaves none behind for the tests after it."""
    pages.environment.cache_clear()
    yield
    pages.environment.cache_clear()


def _kept(cache: Path) -> list[Path]:
    return sorted((cache / "templates").rglob("*.cache"))


def _pages(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.html")}


def test_a_second_process_reads_the_templates_instead_of_compiling(build_cache: Path) -> None:
    pages.load_templates()
    kept = _kept(build_cache)
    assert len(kept) == len(pages.environment().list_templates(extensions=["j2"]))
    pages.environment.cache_clear()
    with mock.patch.object(Environment, "compile", side_effect=AssertionError("compiled")):
        pages.load_templates()


@pytest.mark.parametrize("damage", [b"", b"not a cache", None], ids=["empty", "garbage", "cut"])
def test_a_damaged_cache_is_compiled_again(
    build_cache: Path, tmp_path: Path, damage: bytes | None
) -> None:
    assert build([EXAMPLE], tmp_path / "first").ok
    for path in _kept(build_cache):
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2] if damage is None else damage)
    pages.environment.cache_clear()
    assert build([EXAMPLE], tmp_path / "second").ok
    assert _pages(tmp_path / "second") == _pages(tmp_path / "first")


def test_a_cache_that_cannot_be_written_costs_only_the_compile(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SOBC_CACHE_DIR", str(blocked))
    assert build([EXAMPLE], tmp_path / "out").ok
    assert blocked.read_text() == "not a folder"


def test_other_settings_keep_their_templates_apart(
    build_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages.load_templates()
    monkeypatch.setitem(pages._SETTINGS, "trim_blocks", False)
    pages.environment.cache_clear()
    pages.load_templates()
    assert len({p.parent for p in _kept(build_cache)}) == 2
