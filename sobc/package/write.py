"""Writing: one program's package (pages, the shared assets, its media and its manifest), and
the catalogue of the packages an output folder holds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..check.media import published
from ..check.theme import stylesheet
from ..model.program import Program
from ..read.files import read_regular
from ..render.guide import catalogue_entry
from ..render.pages import catalogue_page, program_pages, render
from ..runtime.layout import CATALOGUE, MANIFEST_FILE, assets, site_logo_asset, theme_asset
from .digests import sha256
from .manifest import dumps, manifest_data

if TYPE_CHECKING:
    from ..check.site import Site


@dataclass(frozen=True)
class Package:
    """What writing one program produced."""

    id: str
    catalogue: dict[str, Any]  # its entry in the catalogue page
    manifest_sha: str  # of manifest.json's bytes
    pages: int


def write_top_level(folder: Path, entries: list[dict[str, Any]], site: Site | None) -> bytes:
    """The catalogue of the packages with these entries (in the site's theme, with its style
    sheet and logo), and the shared assets; returns the catalogue's bytes."""
    files = {path: data for path, data in assets().values()}
    logo = None
    if site is not None:
        if (sheet := stylesheet(site.theme)) is not None:
            files[theme_asset(sheet)] = sheet
        if site.logo is not None:
            data = read_regular(site.logo, MEDIA_LIMIT, inside=site.folder)
            logo = site_logo_asset(data, site.logo.suffix)
            files[logo] = data
    catalogue = render(catalogue_page(entries, site.theme if site else None, logo))
    (folder / CATALOGUE).write_bytes(catalogue)
    for path, data in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return catalogue


MEDIA_LIMIT = 1024 * 1024 * 1024  # a media file larger than this is not published


class _Folder:
    """Writes files below one folder and remembers each one's hash and size."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, tuple[str, int]] = {}

    def put(self, rel: str, data: bytes) -> None:
        self._target(rel).write_bytes(data)
        self.files[rel] = (sha256(data), len(data))

    def _target(self, rel: str) -> Path:
        target = self.root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


def write_package(program: Program, target: Path) -> Package:
    """Write `program`'s package into the folder `target`."""
    folder = _Folder(target)
    prefix = program.id + "/"
    pages = program_pages(program)
    for page in pages:
        folder.put(page.path.removeprefix(prefix), render(page))
    for path, data in assets().values():
        folder.put(path, data)
    sheet = stylesheet(program.theme)
    if sheet:
        folder.put(theme_asset(sheet), sheet)
    for rel, source in published(program).items():
        folder.put(rel, read_regular(source, MEDIA_LIMIT, inside=program.root))
    manifest = manifest_data(program, dict(folder.files))
    data = dumps(manifest)
    folder.put(MANIFEST_FILE, data)
    return Package(program.id, catalogue_entry(manifest), sha256(data), len(pages))
