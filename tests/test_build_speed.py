"""The build's shortcuts keep its behaviour: two processes write what one does, and an unchanged
rerun of a clean build skips loading only when nothing it would read or write has changed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

import sobc.build as build_module
from sobc import loader
from sobc.build import build

from .conftest import EXAMPLE
from .test_build import fresh, tree


def two_programs(tmp_path: Path) -> Path:
    """A folder holding the example twice, under two ids."""
    root = tmp_path / "programs"
    shutil.copytree(EXAMPLE, root / "example")
    shutil.copytree(EXAMPLE, root / "andra")
    program = root / "andra" / "program.yaml"
    program.write_text(program.read_text().replace("id: example", "id: andra"))
    return root


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "PARALLEL_MIN_BYTES", 0)


def serial(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build_module, "PARALLEL_MIN_BYTES", 10**12)


def test_two_processes_write_what_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programs = two_programs(tmp_path)
    monkeypatch.setattr(build_module, "PARALLEL_MIN_BYTES", 0)
    folders = sorted(programs.iterdir())
    assert build_module._worth_a_second_core(folders, dict.fromkeys(folders, 1))
    both = build([programs], tmp_path / "both")
    serial(monkeypatch)
    one = build([programs], tmp_path / "one")
    assert both.ok and both.programs == one.programs == ["andra", "example"]
    assert (both.rendered, both.reused) == (one.rendered, one.reused)
    assert tree(tmp_path / "both") == tree(tmp_path / "one")


def test_two_processes_report_what_one_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: None
) -> None:
    programs = two_programs(tmp_path)
    module = programs / "example" / "modules" / "grunder.yaml"
    module.write_text(module.read_text().replace("forms: [fragor]", "forms: [fragr]"))
    both = build([programs], tmp_path / "both")
    serial(monkeypatch)
    one = build([programs], tmp_path / "one")
    assert not both.ok and any(d.code == "SOBC302" for d in both.diagnostics)
    assert both.diagnostics == one.diagnostics
    assert not (tmp_path / "both").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["programs"]


def test_unchanged_rerun_loads_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    first = build([EXAMPLE], out)
    before = tree(out)

    def refuse(*_: Any) -> None:
        raise AssertionError("an unchanged build loaded a program")

    monkeypatch.setattr(loader, "load", refuse)
    again = build([EXAMPLE], out)
    assert again.ok and again.programs == first.programs == ["example"]
    assert (again.rendered, again.reused) == (0, first.rendered)
    assert tree(out) == before


def test_changed_output_is_rebuilt(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([EXAMPLE], out)
    before = tree(out)
    page = out / "example" / "index.html"
    page.write_text("tampered")
    (out / "example" / "stray.html").write_text("stray")
    result = build([EXAMPLE], out)
    assert result.ok and result.rendered == 1
    assert tree(out) == before


def test_changed_source_is_rebuilt(tmp_path: Path, example: Path) -> None:
    out = tmp_path / "out"
    build([example], out)
    media = example / "media" / "andning.md"
    media.write_text(media.read_text() + "\nEn rad till.\n")
    result = build([example], out)
    assert result.rendered >= 1
    assert tree(out) == fresh(example, tmp_path)


def test_no_shortcut_after_warnings(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (example / "modules" / "notes.txt").write_text("a stray file\n")
    out = tmp_path / "out"
    first = build([example], out)
    assert first.ok and any(d.code == "SOBC205" for d in first.diagnostics)
    calls: list[Path] = []
    real = loader.load

    def spy(folder: Path, known: loader.Known | None = None) -> loader.LoadResult:
        calls.append(folder)
        return real(folder, known)

    monkeypatch.setattr(loader, "load", spy)
    again = build([example], out)
    assert calls == [example]
    assert [d.code for d in again.diagnostics] == [d.code for d in first.diagnostics]


def test_one_program_in_memory_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Peak memory must not grow with the number of programs: each is dropped once written."""
    import gc
    import weakref

    serial(monkeypatch)
    programs = two_programs(tmp_path)
    shutil.copytree(programs / "example", programs / "tredje")
    program = programs / "tredje" / "program.yaml"
    program.write_text(program.read_text().replace("id: example", "id: tredje"))
    earlier: list[weakref.ref[Any]] = []
    alive_at_load: list[int] = []
    real = loader.load

    def spy(folder: Path, known: loader.Known | None = None) -> loader.LoadResult:
        gc.collect()
        alive_at_load.append(sum(1 for ref in earlier if ref() is not None))
        result = real(folder, known)
        earlier.append(weakref.ref(result.program))
        return result

    monkeypatch.setattr(loader, "load", spy)
    assert build([programs], tmp_path / "out").ok
    assert alive_at_load == [0, 0, 0]


def test_a_second_process_that_dies_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: None
) -> None:
    import os

    programs = two_programs(tmp_path)

    def dies(*_: Any) -> None:
        os._exit(3)  # as a process the system kills would: no message at all

    monkeypatch.setattr(build_module, "_other_process", dies)
    with pytest.raises(RuntimeError, match="stopped before it had finished"):
        build([programs], tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["programs"]  # no staging left
