"""Reading a file that content or a package names, the one careful way.

Only a regular file is read (never a FIFO, device or socket, which could hang or never end),
never past a size limit, and either not through a symbolic link at all or, for a file of a
folder, only when its real path stays inside that folder. Every refusal is an `Unreadable`
whose message can be shown as it is: it never names what a link points at or shows content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DEFAULT_LIMIT = 64 * 1024 * 1024


class Unreadable(Exception):
    """The file cannot be read as content: the message says why, in plain words."""


class TooLarge(Unreadable):
    """The file is larger than the limit."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"it has {size:,} bytes, more than the {limit:,} allowed")
        self.size = size


def read_regular(path: Path, limit: int = DEFAULT_LIMIT, *, inside: Path | None = None) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them.

    Without `inside`, a symbolic link is refused. With it, links are followed as long as the
    file's real path lies in the folder `inside`; one that leads out of it is refused, and
    what it points at is not named.
    """
    target = path
    if inside is not None:
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(os.path.realpath(inside)):
            raise Unreadable("it is a symbolic link (or behind one) that leads out of its folder")
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == getattr(os, "ELOOP", -1) or os.path.islink(path):
            raise Unreadable("it is a symbolic link; sobc reads only regular files") from None
        raise Unreadable(error.strerror or str(error)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("it is not a regular file (a folder, pipe, device or socket)")
        if info.st_size > limit:
            raise TooLarge(info.st_size, limit)
        chunks = []
        size = 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:  # it grew while being read
                raise TooLarge(size, limit)
        return b"".join(chunks)
    except OSError as error:
        raise Unreadable(error.strerror or str(error)) from None
    finally:
        os.close(fd)
