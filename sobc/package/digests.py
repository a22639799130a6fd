"""Content digests: of bytes, of sobc itself, and of a program folder.

A program's digest covers every file in its folder (path and bytes; a symbolic link by what it
says, never by what it leads to) and sobc's own files, so a package built from the same digest
is the same package, byte for byte. Digests are of content
only: no absolute path, inode or time goes in, so they agree between machines and folders.
"""

from __future__ import annotations

import hashlib
import os
import stat
from functools import cache
from pathlib import Path

from ..resources import VERSION, package_dir, schema_dir


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entries(root: Path) -> list[tuple[str, str]]:
    """Every file below `root` by its path inside it (POSIX form), sorted, with its path on
    disk; caches left out. Links are not followed: a link is digested as what it says, so that
    nothing outside the folder is ever opened (what one leads to inside it is digested there)."""
    found = []
    for folder, subfolders, names in os.walk(root, followlinks=False):
        subfolders[:] = [d for d in subfolders if d != "__pycache__"]
        links = [d for d in subfolders if os.path.islink(os.path.join(folder, d))]
        for name in [*names, *links]:
            path = os.path.join(folder, name)
            found.append((Path(path).relative_to(root).as_posix(), path))
    return sorted(found)


def _update(digest: hashlib._Hash, root: Path) -> None:
    for rel, path in _entries(root):
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = os.fsencode(os.readlink(path))
            digest.update(f"{rel}\0link\0{len(target)}\0".encode())
            digest.update(target)
        elif stat.S_ISREG(info.st_mode):
            _update_file(digest, rel, path)
        # FIFOs, sockets and devices are never read: the loader refuses them by name


def _update_file(digest: hashlib._Hash, rel: str, path: str) -> None:
    """The file's path, size and bytes, read a chunk at a time (a film is never held whole);
    opened without following a link and without waiting (it was a regular file a moment ago)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:  # gone, or not readable: the loader says so; the digest differs
        digest.update(f"{rel}\0unreadable\0{error.errno}\0".encode())
        return
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            digest.update(f"{rel}\0not a file\0".encode())
            return
        digest.update(f"{rel}\0{info.st_size}\0".encode())
        while chunk := file.read(1 << 20):
            digest.update(chunk)


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
