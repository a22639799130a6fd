"""One program's package: its pages, the shared assets, its media and its manifest, in one folder.

A page whose inputs (its fingerprint) are the same as in the previous build is copied from the
previous output when that file is as the previous build left it (same size, inode and modification
time); every other page is rendered.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import output
from .inputs import sha256

if TYPE_CHECKING:
    from .cache import Recorded
    from .model import Program
    from .render.pages import Page


def render(page: Page) -> bytes:
    from .render.pages import render as render_page

    return render_page(page)


@dataclass
class Package:
    """What writing one program produced: enough for the catalogue, the cache and a later reuse."""

    id: str
    catalogue: dict[str, Any]  # the program's entry in the catalogue page
    files: dict[str, tuple[str, int]]  # every path inside the package → (sha256, size)
    fingerprints: dict[str, str]  # page path inside the package → the page's fingerprint
    rendered: int
    reused: int

    @property
    def pages(self) -> int:
        return len(self.fingerprints)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def write_file(path: str, data: bytes) -> None:
    """Write a new file with a system call or two: no Python file object (thousands per build)."""
    fd = os.open(path, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


class _Folder:
    """Writes files below one folder and remembers each one's hash and size."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.files: dict[str, tuple[str, int]] = {}
        self.made: set[str] = set()

    def put(self, rel: str, data: bytes) -> None:
        write_file(self._target(rel), data)
        self.files[rel] = (sha256(data), len(data))

    def link(self, rel: str, source: str, sha: str, size: int) -> None:
        """Take a file as it is from the previous build: a hard link, else a copy."""
        target = self._target(rel)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links
            shutil.copyfile(source, target)
        self.files[rel] = (sha, size)

    def copy(self, rel: str, source: Path) -> None:
        target = self._target(rel)
        shutil.copyfile(source, target)
        with open(target, "rb") as file:
            data = file.read()
        self.files[rel] = (sha256(data), len(data))

    def _target(self, rel: str) -> str:
        target = f"{self.root}/{rel}"
        parent = os.path.dirname(target)
        if parent not in self.made:
            os.makedirs(parent, exist_ok=True)
            self.made.add(parent)
        return target


def write_package(
    program: Program, target: Path, previous: Path, recorded: Recorded | None
) -> Package:
    """Write `program`'s package into `target`; `previous` is its folder in the last build."""
    from .manifest import FILE_NAME, dumps, manifest_data
    from .render.guide import catalogue_context
    from .render.pages import asset_paths, assets, program_pages

    folder = _Folder(target)
    prefix = program.id + "/"
    fingerprints: dict[str, str] = {}
    rendered = 0
    for page in program_pages(program):
        rel = page.path.removeprefix(prefix)
        fingerprints[rel] = page.fingerprint()
        record = (recorded or {}).get(rel)
        if record is not None and unchanged(f"{previous}/{rel}", record, fingerprints[rel]):
            folder.link(rel, f"{previous}/{rel}", record[4], record[0])
        else:
            folder.put(rel, render(page))
            rendered += 1
    for path, data in assets().values():
        folder.put(path, data)
    for rel, source in media_files(program):
        folder.copy(rel, source)
    folder.put(FILE_NAME, dumps(manifest_data(program, dict(folder.files))))
    return Package(
        id=program.id,
        catalogue=catalogue_context([program], asset_paths())["programs"][0],
        files=dict(sorted(folder.files.items())),
        fingerprints=fingerprints,
        rendered=rendered,
        reused=len(fingerprints) - rendered,
    )


def unchanged(path: str, record: Any, fingerprint: str) -> bool:
    """The previous build made the file from these inputs, and nothing has touched it since."""
    if not isinstance(record, list) or len(record) != 5 or record[3] != fingerprint:
        return False
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and output.stamp(info) == record[:3]


def media_files(program: Program) -> list[tuple[str, Path]]:
    """Regular files under the program's media/ (no links, nothing hidden), sorted."""
    from .render.markdown import MEDIA_DIR

    media = program.root / "media"
    if not media.is_dir():
        return []
    base = media.resolve()
    found = []
    for path in sorted(media.rglob("*")):
        rel = path.relative_to(media)
        if any(part.startswith(".") for part in rel.parts) or path.is_symlink():
            continue
        if path.is_file() and path.resolve().is_relative_to(base):
            found.append((f"{MEDIA_DIR}/{rel.as_posix()}", path))
    return found
