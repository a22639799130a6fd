"""Content digests: of bytes, of sobc itself, and of a program folder.

A program's digest covers every file in its folder (path and bytes) and sobc's own files, so a
package built from the same digest is the same package, byte for byte. Digests are of content
only: no absolute path, inode or time goes in, so they agree between machines and folders.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from ..resources import VERSION, package_dir, schema_dir


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files(root: Path) -> list[tuple[str, Path]]:
    """Every file below `root` by its path inside it (POSIX form), sorted; caches left out."""
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if "__pycache__" in rel.parts or not path.is_file():
            continue
        found.append((rel.as_posix(), path))
    return sorted(found)


def _update(digest: hashlib._Hash, root: Path) -> None:
    for rel, path in _files(root):
        data = path.read_bytes()
        digest.update(f"{rel}\0{len(data)}\0".encode())
        digest.update(data)


@cache
def compiler_digest() -> str:
    """sobc's version and every file it compiles with: code, templates, assets, schemas."""
    digest = hashlib.sha256(f"sobc {VERSION}\0".encode())
    _update(digest, package_dir())
    _update(digest, schema_dir())
    return digest.hexdigest()


def program_digest(folder: Path) -> str:
    """Everything a program's package is made from: its folder's files and the compiler."""
    digest = hashlib.sha256(compiler_digest().encode())
    _update(digest, folder)
    return digest.hexdigest()
