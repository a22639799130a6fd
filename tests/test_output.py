"""The output folder's mechanics: the atomic exchange, putting a staged build in place, what
counts as sobc's, and an output behind a link."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from sobc.package import output, record
from sobc.package.record import RECORD


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


def _package(root: Path, name: str, files: dict[str, str]) -> None:
    """A package as sobc writes one: its files and a manifest that lists them."""
    _write(root / name, files)
    listed = [
        {
            "path": rel,
            "size": len(text.encode()),
            "sha256": hashlib.sha256(text.encode()).hexdigest(),
        }
        for rel, text in sorted(files.items())
    ]
    (root / name / "manifest.json").write_text(json.dumps({"files": listed}))


def _built(out: Path, packages: dict[str, dict[str, str]], catalogue: str = "old") -> None:
    """An output as a build leaves it: placed from a staged folder, with its record."""
    staged = out.with_name(out.name + "-first")
    for name, files in packages.items():
        _package(staged, name, files)
    _write(staged, {"index.html": catalogue})
    output.place(staged, out)


def _pages(root: Path) -> dict[str, str]:
    """What `_read` gives, without the manifests and the record."""
    return {
        rel: text
        for rel, text in _read(root).items()
        if not rel.endswith("manifest.json") and rel != RECORD
    }


def test_place_into_a_missing_output(tmp_path: Path) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    _package(staged, "p", {"index.html": "p"})
    _write(staged, {"index.html": "catalogue"})
    output.place(staged, out)
    assert _pages(out) == {"p/index.html": "p", "index.html": "catalogue"}
    assert staged.is_dir() and not any(staged.iterdir())
    (made,) = record.read(out)
    assert sorted(made.packages) == ["p"] and list(made.files) == ["index.html"]


def _no_whole_swap(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a mount point: the output as a whole cannot be exchanged."""

    def busy(*args: object) -> None:
        raise OSError(errno.EBUSY, "busy")

    monkeypatch.setattr(output, "_swap_whole", busy)


@pytest.mark.parametrize("whole", [True, False], ids=["whole output", "one by one"])
def test_place_replaces_staged_keeps_the_rest_and_drops_what_it_is_told(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, whole: bool
) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    _built(out, {"a": {"index.html": "old a"}, "b": {"index.html": "b"}, "gone": {"x": "x"}})
    kept = (out / "b" / "index.html").stat().st_ino
    if not whole:
        _no_whole_swap(monkeypatch)
    _package(staged, "a", {"index.html": "new a"})
    _package(staged, "c", {"index.html": "c"})
    _write(staged, {"index.html": "new"})
    output.place(staged, out, drop=["gone"])
    assert _pages(out) == {
        "a/index.html": "new a",
        "b/index.html": "b",
        "c/index.html": "c",
        "index.html": "new",
    }
    assert (out / "b" / "index.html").stat().st_ino == kept  # not copied: the same file
    (made,) = record.read(out)  # and no pending one
    assert sorted(made.packages) == ["a", "b", "c"]
    left = _pages(staged)  # what was replaced or dropped, for the caller to delete
    assert "old a" in left.values() and "x" in left.values()


def test_place_when_a_file_takes_a_folders_place(tmp_path: Path) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    _built(out, {"thing": {"inside.txt": "folder"}})
    _write(staged, {"thing": "file", "index.html": "new"})
    output.place(staged, out)
    assert _pages(out) == {"thing": "file", "index.html": "new"}


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda out: (out / "a" / "notes.txt").write_text("mine"), "a/notes.txt"),
        (lambda out: (out / "a" / "index.html").write_text("edited"), "a/index.html"),
        (lambda out: (out / "a" / "manifest.json").write_text("{}"), "a/manifest.json"),
        (lambda out: (out / "index.html").write_text("my own page"), "index.html"),
        (lambda out: (out / "a" / "link.html").symlink_to(out / "index.html"), "a/link.html"),
    ],
    ids=["a file added", "a page edited", "the manifest replaced", "the catalogue", "a link"],
)
def test_what_sobc_did_not_write_is_never_replaced(
    tmp_path: Path, change: Callable[[Path], object], named: str
) -> None:
    staged, out = tmp_path / "staged", tmp_path / "out"
    _built(out, {"a": {"index.html": "old a"}})
    change(out)
    before = _read(out)
    _package(staged, "a", {"index.html": "new a"})
    _write(staged, {"index.html": "new"})
    with pytest.raises(output.BuildError, match=re.escape(f"{out / named} is not as sobc")):
        output.place(staged, out)
    assert _read(out) == before  # nothing changed


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
