"""The output folder's mechanics: the atomic exchange, putting a staged build in place, and
recognising a folder exactly as a previous build left it."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from sobc import output
from sobc.output import CACHE_FILE


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
    output.place(staged, out, keep=[])
    assert _read(out) == {"p/index.html": "p", "index.html": "catalogue"}
    assert staged.is_dir() and not any(staged.iterdir())


def test_place_replaces_staged_keeps_kept_and_drops_the_rest(tmp_path: Path) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    _write(out, {"a/index.html": "old a", "b/index.html": "b", "gone/x": "x", "index.html": "old"})
    (out / CACHE_FILE).write_text("{}")
    (out / "stray.txt").write_text("not ours")
    kept = (out / "b" / "index.html").stat().st_ino
    _write(staged, {"a/index.html": "new a", "c/index.html": "c", "index.html": "new"})
    output.place(staged, out, keep=["b"])
    assert _read(out) == {
        CACHE_FILE: "{}",
        "a/index.html": "new a",
        "b/index.html": "b",
        "c/index.html": "c",
        "index.html": "new",
    }
    assert (out / "b" / "index.html").stat().st_ino == kept  # not copied, not moved
    left = _read(staged)  # what was replaced or dropped, for the caller to delete
    assert left["a/index.html"] == "old a" and "not ours" in left.values()


def test_place_when_a_file_takes_a_folders_place(tmp_path: Path) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    _write(out, {"thing/inside.txt": "folder"})
    _write(staged, {"thing": "file"})
    output.place(staged, out, keep=[])
    assert _read(out) == {"thing": "file"}


def _recorded(root: Path) -> dict[str, list[object]]:
    rels = [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]
    return {rel: [*stamp, None] for rel, stamp in output.stamps(root, rels).items()}


def test_intact_accepts_only_the_folder_as_recorded(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _write(root, {"index.html": "a", "m/s.html": "b"})
    files = _recorded(root)
    assert output.intact(root, files)
    (root / "m" / "extra.html").write_text("c")
    assert not output.intact(root, files)
    (root / "m" / "extra.html").unlink()
    (root / "m" / "s.html").unlink()
    assert not output.intact(root, files)
    (root / "m" / "s.html").write_text("b")  # same size, new file
    assert not output.intact(root, files)


def test_intact_notices_an_edit_of_the_same_size(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _write(root, {"index.html": "abc"})
    files = _recorded(root)
    before = os.stat(root / "index.html").st_mtime_ns
    with open(root / "index.html", "r+") as file:
        file.write("xyz")
    os.utime(root / "index.html", ns=(before + 1_000_000, before + 1_000_000))
    assert not output.intact(root, files)


def test_intact_refuses_links_and_damaged_records(tmp_path: Path) -> None:
    root = tmp_path / "p"
    _write(root, {"index.html": "a"})
    (tmp_path / "elsewhere.html").write_text("b")
    files = _recorded(root)
    os.symlink(tmp_path / "elsewhere.html", root / "link.html")
    assert not output.intact(root, {**files, "link.html": files["index.html"]})
    (root / "link.html").unlink()
    assert not output.intact(root, {})
    assert not output.intact(root, {"index.html": "not a record"})
    assert not output.intact(tmp_path / "missing", files)


def test_intact_leaves_skipped_entries_to_others(tmp_path: Path) -> None:
    root = tmp_path / "out"
    _write(root, {"index.html": "catalogue"})
    files = _recorded(root)
    _write(root, {"program/index.html": "p", CACHE_FILE: "{}"})
    assert not output.intact(root, files)
    assert output.intact(root, files, skip={"program", CACHE_FILE})


def _other_file_system(tmp_path: Path) -> Path | None:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK) and shm.stat().st_dev != tmp_path.stat().st_dev:
        return shm
    return None


@pytest.mark.parametrize("elsewhere", [False, True], ids=["same file system", "another one"])
def test_an_output_behind_a_symbolic_link(tmp_path: Path, elsewhere: bool) -> None:
    from sobc.build import build

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
