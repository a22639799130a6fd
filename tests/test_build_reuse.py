"""Whole unchanged programs are taken from the previous output: only changed programs are loaded,
checked and rendered, and the output is what a full build writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import sobc.build as build_module
import sobc.package as package_module
from sobc import loader, previous
from sobc.build import CACHE_FILE, build

from .test_build import _edit_step, fresh
from .test_build_speed import tree, two_programs


class _Loads:
    """Records the folders the build loads, in a file: a forked second process loads some."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, log: Path) -> None:
        self.log = log
        real = loader.load

        def spy(folder: Path, known: loader.Known | None = None) -> loader.LoadResult:
            with open(log, "a", encoding="utf-8") as file:
                file.write(Path(folder).name + "\n")
            return real(folder, known)

        monkeypatch.setattr(loader, "load", spy)

    @property
    def folders(self) -> list[str]:
        return sorted(self.log.read_text().split()) if self.log.exists() else []

    def clear(self) -> None:
        self.log.unlink(missing_ok=True)


@pytest.fixture(params=["one process", "two processes"])
def processes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    limit = 0 if request.param == "two processes" else 10**12
    monkeypatch.setattr(build_module, "PARALLEL_MIN_BYTES", limit)
    return str(request.param)


def three_programs(tmp_path: Path) -> Path:
    root = two_programs(tmp_path)
    shutil.copytree(root / "example", root / "tredje")
    program = root / "tredje" / "program.yaml"
    program.write_text(program.read_text().replace("id: example", "id: tredje"))
    return root


def test_an_edit_loads_and_renders_only_its_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    programs = three_programs(tmp_path)
    out = tmp_path / "out"
    first = build([programs], out)
    assert first.ok and first.programs == ["andra", "example", "tredje"]
    _edit_step(programs / "andra", "introduktion", body="Ny text om grunderna.")
    loads = _Loads(monkeypatch, tmp_path / "loads.log")
    rendered: list[str] = []
    real = package_module.render

    def spy(page: Any) -> bytes:
        rendered.append(page.path)
        return real(page)

    monkeypatch.setattr(package_module, "render", spy)
    result = build([programs], out)
    assert result.ok and result.programs == first.programs
    assert loads.folders == ["andra"]
    assert rendered == ["andra/grunder/introduktion.html"]
    assert (result.rendered, result.reused) == (1, first.rendered - 1)
    assert "Ny text om grunderna." in (out / "andra/grunder/introduktion.html").read_text()
    assert tree(out) == fresh(programs, tmp_path)


def test_reused_output_is_byte_identical_to_a_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, processes: str
) -> None:
    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    assert build([programs], out).ok
    shutil.copytree(programs / "example", programs / "tredje")
    program = programs / "tredje" / "program.yaml"
    program.write_text(program.read_text().replace("id: example", "id: tredje"))
    loads = _Loads(monkeypatch, tmp_path / "loads.log")
    result = build([programs], out)
    assert result.ok and result.programs == ["andra", "example", "tredje"]
    assert loads.folders == ["tredje"]
    assert tree(out) == fresh(programs, tmp_path)
    cache = json.loads((out / CACHE_FILE / "index.json").read_bytes())
    assert sorted(e["id"] for e in cache["programs"].values()) == result.programs
    # A program left out is dropped from the output and the catalogue; nothing is loaded.
    shutil.rmtree(programs / "example")
    loads.clear()
    result = build([programs], out)
    assert result.ok and result.programs == ["andra", "tredje"] and loads.folders == []
    assert not (out / "example").exists()
    assert tree(out) == fresh(programs, tmp_path)


@pytest.mark.parametrize("aside", [True, False], ids=["checked aside", "checked first"])
@pytest.mark.parametrize("damage", ["tampered", "deleted", "same size"])
def test_damaged_output_of_an_unchanged_program_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str, aside: bool
) -> None:
    # "aside": a forked process checks the unchanged program while this one makes the other
    monkeypatch.setattr(previous, "may_fork", lambda: aside)
    asides: list[int] = []
    real = previous._check_aside
    monkeypatch.setattr(previous, "_check_aside", lambda *a: asides.append(1) or real(*a))
    programs = two_programs(tmp_path)
    out = tmp_path / "out"
    assert build([programs], out).ok
    expected = tree(out)
    page = out / "example" / "grunder" / "introduktion.html"
    if damage == "tampered":
        page.write_text("tampered")
    elif damage == "deleted":
        page.unlink()
    else:
        data = bytearray(page.read_bytes())
        data[-2] ^= 1
        page.write_bytes(bytes(data))
    _edit_step(programs / "andra", "introduktion", body="Ny text.")
    loads = _Loads(monkeypatch, tmp_path / "loads.log")
    result = build([programs], out)
    assert asides == ([1] if aside else [])
    assert result.ok and loads.folders == ["andra", "example"]
    assert (
        tree(out)["example/grunder/introduktion.html"]
        == (expected["example/grunder/introduktion.html"])
    )
    assert tree(out) == fresh(programs, tmp_path)


def test_a_warned_program_is_never_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    programs = two_programs(tmp_path)
    (programs / "example" / "modules" / "notes.txt").write_text("a stray file\n")
    out = tmp_path / "out"
    first = build([programs], out)
    assert first.ok and any(d.code == "SOBC205" for d in first.diagnostics)
    before = tree(out)
    _edit_step(programs / "andra", "introduktion", body="Ny text.")
    loads = _Loads(monkeypatch, tmp_path / "loads.log")
    strict = build([programs], out, strict=True)
    assert any(d.code == "SOBC205" for d in strict.diagnostics)
    assert strict.programs == [] and "example" in loads.folders
    assert tree(out) == before
    loads.clear()
    again = build([programs], out)
    assert again.ok and loads.folders == ["andra", "example"]
    assert [d.code for d in again.diagnostics] == [d.code for d in first.diagnostics]


def test_two_processes_with_reused_programs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(build_module, "PARALLEL_MIN_BYTES", 0)
    programs = three_programs(tmp_path)
    out = tmp_path / "out"
    first = build([programs], out)
    for name in ("andra", "tredje"):
        _edit_step(programs / name, "introduktion", body=f"Ny text i {name}.")
    loads = _Loads(monkeypatch, tmp_path / "loads.log")
    halves: list[int] = []
    real = build_module._make_in_two

    def spy(folders: list[Path], *args: Any) -> Any:
        halves.append(len(folders))
        return real(folders, *args)

    monkeypatch.setattr(build_module, "_make_in_two", spy)
    result = build([programs], out)
    assert result.ok and result.programs == first.programs
    assert loads.folders == ["andra", "tredje"] and halves == [2]
    assert (result.rendered, result.reused) == (2, first.rendered - 2)
    assert tree(out) == fresh(programs, tmp_path)
