"""The output folder's mechanics: the atomic exchange, putting a staged build in place, what
counts as sobc's, and an output behind a link."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from sobc.package import output


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _read(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("atomic", [True, False], ids=["renameat2", "two renames"])
def test_exchange_swaps_two_folders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, atomic: bool
) -> None:
    if not atomic:
        monkeypatch.setattr(output, "_renameat2", lambda: None)
    elif output._renameat2() is None:
        pytest.skip("no renameat2 on this system")
    a, b = tmp_path / "a", tmp_path / "b"
    _write(a, {"x.html": "new"})
    _write(b, {"x.html": "old", "y.html": "old too"})
    output.exchange(a, b)
    assert _read(b) == {"x.html": "new"}
    assert _read(a) == {"x.html": "old", "y.html": "old too"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_place_into_a_missing_output(tmp_path: Path) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    _write(staged, {"p/index.html": "p", "index.html": "catalogue"})
    output.place(staged, out)
    assert _read(out) == {"p/index.html": "p", "index.html": "catalogue"}
    assert staged.is_dir() and not any(staged.iterdir())


def test_place_replaces_staged_keeps_the_rest_and_drops_what_it_is_told(tmp_path: Path) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    _write(out, {"a/index.html": "old a", "b/index.html": "b", "gone/x": "x", "index.html": "old"})
    kept = (out / "b" / "index.html").stat().st_ino
    _write(staged, {"a/index.html": "new a", "c/index.html": "c", "index.html": "new"})
    output.place(staged, out, drop=["gone"])
    assert _read(out) == {
        "a/index.html": "new a",
        "b/index.html": "b",
        "c/index.html": "c",
        "index.html": "new",
    }
    assert (out / "b" / "index.html").stat().st_ino == kept  # not copied, not moved
    left = _read(staged)  # what was replaced or dropped, for the caller to delete
    assert left["a/index.html"] == "old a" and left[".dropped-gone/x"] == "x"


def test_place_when_a_file_takes_a_folders_place(tmp_path: Path) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    _write(out, {"thing/inside.txt": "folder"})
    _write(staged, {"thing": "file"})
    output.place(staged, out)
    assert _read(out) == {"thing": "file"}


def test_only_sobcs_own_entries_make_an_output_folder(tmp_path: Path) -> None:
    from sobc.package.build import build

    from .conftest import EXAMPLE

    out = tmp_path / "out"
    assert build([EXAMPLE], out).ok
    output.check_target(out, [EXAMPLE])  # the catalogue, assets and packages: sobc's
    (out / "notes").mkdir()
    with pytest.raises(output.BuildError, match="'notes', which sobc build did not make"):
        output.check_target(out, [EXAMPLE])


def _other_file_system(tmp_path: Path) -> Path | None:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shm.stat().st_dev != tmp_path.stat().st_dev:
        return shm
    return None


@pytest.mark.parametrize("elsewhere", [False, True], ids=["same file system", "another one"])
def test_an_output_behind_a_symbolic_link(tmp_path: Path, elsewhere: bool) -> None:
    from sobc.package.build import build

    from .conftest import EXAMPLE

    base = _other_file_system(tmp_path) if elsewhere else tmp_path
    if base is None:
        pytest.skip("no second file system to link to")
    real = Path(tempfile.mkdtemp(dir=base))
    try:
        link = tmp_path / "out"
        link.symlink_to(real, target_is_directory=True)
        assert build([EXAMPLE], link).ok
        assert build([EXAMPLE], link).ok  # again: replaced in place, across the link
        assert link.is_symlink() and (real / "example" / "manifest.json").is_file()
        assert sorted(p.name for p in tmp_path.iterdir() if p != real) == ["out"]
        assert [p.name for p in real.parent.iterdir() if p.name.startswith(f".{real.name}")] == []
    finally:
        shutil.rmtree(real, ignore_errors=True)
