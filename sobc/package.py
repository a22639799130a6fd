"""One program's package: its pages, the shared assets, its media and its manifest, in one folder.

A page whose inputs (its fingerprint) are the same as in the previous build is copied from the
previous output, once its bytes are checked against the hash the cache recorded; every other page
is rendered.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Program
    from .render.pages import Page

# path → {"inputs": fingerprint, "sha256": hash of the bytes}, the page cache's entries
PageCache = dict[str, dict[str, str]]


def render(page: Page) -> bytes:
    from .render.pages import render as render_page

    return render_page(page)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Package:
    """What writing one program produced: enough for the catalogue, the cache and a later reuse."""

    id: str
    pages: int  # how many pages the program has
    catalogue: dict[str, Any]  # the program's entry in the catalogue page
    files: dict[str, list[Any]]  # path inside the package → [sha256, size]
    page_cache: PageCache
    rendered: int
    reused: int

    def entry(self) -> dict[str, Any]:
        """The program as the build cache records it."""
        return {
            "id": self.id,
            "pages": self.pages,
            "catalogue": self.catalogue,
            "files": self.files,
        }


class _Folder:
    """Writes files below one folder and remembers each one's hash and size."""

    def __init__(self, root: Path) -> None:
        self.root = str(root)
        self.files: dict[str, tuple[str, int]] = {}
        self.made: set[str] = set()

    def put(self, rel: str, data: bytes) -> None:
        target = self._target(rel)
        with open(target, "wb") as file:
            file.write(data)
        self.files[rel] = (sha256(data), len(data))

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


def write_package(program: Program, target: Path, previous: Path, old_pages: PageCache) -> Package:
    """Write `program`'s package into `target`; `previous` is where the last build put it."""
    from .manifest import FILE_NAME, dumps, manifest_data
    from .render.guide import catalogue_context
    from .render.pages import asset_paths, assets, program_pages

    folder = _Folder(target)
    prefix = program.id + "/"
    page_cache: PageCache = {}
    rendered = reused = 0
    pages = program_pages(program)
    for page in pages:
        fingerprint = page.fingerprint()
        rel = page.path.removeprefix(prefix)
        data = reusable_page(previous / rel, old_pages.get(page.path), fingerprint)
        if data is None:
            data = render(page)
            rendered += 1
        else:
            reused += 1
        folder.put(rel, data)
        page_cache[page.path] = {"inputs": fingerprint, "sha256": folder.files[rel][0]}
    for path, data in assets().values():
        folder.put(path, data)
    for rel, source in media_files(program):
        folder.copy(rel, source)
    folder.put(FILE_NAME, dumps(manifest_data(program, dict(folder.files))))
    return Package(
        id=program.id,
        pages=len(pages),
        catalogue=catalogue_context([program], asset_paths())["programs"][0],
        files={rel: list(value) for rel, value in sorted(folder.files.items())},
        page_cache=page_cache,
        rendered=rendered,
        reused=reused,
    )


def reusable_page(path: Path, entry: dict[str, Any] | None, fingerprint: str) -> bytes | None:
    if not entry or entry.get("inputs") != fingerprint:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if sha256(data) == entry.get("sha256") else None


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
