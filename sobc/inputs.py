"""What a build reads, hashed: every file of each program folder, and sobc's own files.

Hashing 40 MB of sources on every build would cost more than a small rebuild, so a file is read
only when it may have changed: one whose size, inode, modification and change times are those the
previous build recorded — and which had not been touched for a while when it was recorded — keeps
its recorded hash (git's index works the same way). The change time cannot be set by hand, so a
tool that restores an old modification time is still noticed.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from .paths import resolved
from .resources import schema_dir

# `typing` and `dataclasses` cost start-up, and these modules answer a build with nothing to
# do before anything else is imported (entry.py): names for annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    # file path → [size, inode, mtime_ns, ctime_ns, sha256]
    Remembered = dict[str, list[Any]]

_PACKAGE = Path(__file__).resolve().parent
# A file changed this shortly before it was recorded may change again within the same clock tick
# of a coarse file system (FAT keeps two seconds): it is hashed again next time.
SETTLED_NS = 2_000_000_000


class Inputs:
    """Each program folder's digest, and what the next build may take on trust."""

    def __init__(self, digests: list[str], sizes: list[int], remembered: dict[str, Any]) -> None:
        self.digests = digests  # one per folder, in order
        self.sizes = sizes  # bytes of each folder's files
        self.remembered = remembered  # {"at": when this scan began (ns), "files": Remembered}

    @property
    def combined(self) -> str:
        return sha256("\0".join(["programs", *self.digests]).encode())


def scan(folders: Sequence[Path], previous: Any = None) -> Inputs:
    """Hash every program folder and sobc itself; raises OSError when a file cannot be read."""
    at = time.time_ns()
    trusted = _Trusted(previous)
    files: Remembered = {}
    toolchain, _ = _tree_digest([_PACKAGE, schema_dir()], trusted, files)
    digests, sizes = [], []
    for folder, real in zip(folders, resolved([Path(f) for f in folders]), strict=True):
        tree, size = _tree_digest([Path(folder)], trusted, files)
        name = real.name
        digests.append(sha256(b"%s\0%s\0%s" % (toolchain.encode(), name.encode(), tree.encode())))
        sizes.append(size)
    return Inputs(digests, sizes, {"at": at, "files": files})


class _Trusted:
    """The previous scan's records, each believed only when whole and made after its file had
    settled (checked on lookup: most builds look up every record once)."""

    def __init__(self, previous: Any) -> None:
        self.files: dict[str, Any] = {}
        self.settled = 0
        if isinstance(previous, dict):
            files, at = previous.get("files"), previous.get("at")
            if isinstance(files, dict) and isinstance(at, int):
                self.files, self.settled = files, at - SETTLED_NS

    def get(self, path: str, info: os.stat_result) -> list[Any] | None:
        """The record of `path` if it can be believed and matches the file's stat."""
        known = self.files.get(path)
        if (
            type(known) is list
            and len(known) == 5
            and known[0] == info.st_size
            and known[1] == info.st_ino
            and known[2] == info.st_mtime_ns
            and known[3] == info.st_ctime_ns
            and known[2] < self.settled
            and type(known[4]) is str
        ):
            return known
        return None


def _tree_digest(roots: Sequence[Path], trusted: _Trusted, files: Remembered) -> tuple[str, int]:
    """A hash of the files below `roots` (their paths, sizes and contents), and their bytes."""
    parts = []
    total = 0
    for root in roots:
        parts.append(b"\0root\0")
        for rel, path, info in _files(root):
            size = info.st_size
            known = trusted.get(path, info)
            if known is not None:
                files[path], sha = known, known[4]
            else:
                with open(path, "rb") as file:
                    data = file.read()
                size, sha = len(data), sha256(data)
                files[path] = [size, info.st_ino, info.st_mtime_ns, info.st_ctime_ns, sha]
            total += size
            parts.append(b"\0%s\0%d\0%s" % (rel.encode(), size, sha.encode()))
    return sha256(b"".join(parts)), total


def _files(root: Path) -> list[tuple[str, str, os.stat_result]]:
    """Every regular file below root, in a fixed order: relative path, path, and its stat.

    Symbolic links to folders are not followed, and `__pycache__` is left out.
    """
    found: list[tuple[str, str, os.stat_result]] = []
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        below = []
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    below.append((entry.path, f"{prefix}{entry.name}/"))
            elif entry.is_file():
                found.append((prefix + entry.name, entry.path, entry.stat()))
        stack.extend(reversed(below))
    return found


def sha256(data: bytes) -> str:
    """The SHA-256 of some bytes, in hex: how sobc names content everywhere."""
    return hashlib.sha256(data).hexdigest()
