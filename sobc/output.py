"""The output folder: whether it may be used, the staging folder beside it, and the swap.

A build writes everything it makes into a staging folder on the same file system and touches the
output only when the whole build has succeeded. Then each new program folder takes its old one's
place in one atomic exchange (renameat2 on Linux; two renames elsewhere), so a reader of the
output sees every program either whole and old or whole and new, never half of one; unchanged
programs are not moved at all. The cache is written last: a build cut short before it finds the
output different from what the old cache records and redoes what it must.

A previous program folder is reused only when it holds exactly the files the cache lists, each a
regular file with the recorded size, inode and modification time — what `make` and Bazel trust.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from functools import cache
from pathlib import Path

from .paths import resolved

# `typing` and `dataclasses` cost start-up, and these modules answer a build with nothing to
# do before anything else is imported (entry.py): names for annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

CACHE_FILE = ".sobc-cache"  # a folder (previous.py)
# what earlier versions called it: such an output is still sobc's, and the old file goes
_EARLIER_CACHE_FILES = (".sobc-cache.json",)


class BuildError(Exception):
    """The output folder cannot be used (a usage error, not a content error)."""


def check_target(out: Path, folders: Sequence[Path]) -> None:
    """Refuse an output that is a file, someone else's folder, or overlaps a program folder."""
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    made_by_sobc = any((target / name).exists() for name in (CACHE_FILE, *_EARLIER_CACHE_FILES))
    if target.is_dir() and any(target.iterdir()) and not made_by_sobc:
        raise BuildError(
            f"{out} is not empty and was not made by sobc build; "
            "choose another --out or empty it first"
        )
    for folder, root in zip(folders, resolved([Path(f) for f in folders]), strict=True):
        if root == target or root.is_relative_to(target) or target.is_relative_to(root):
            raise BuildError(f"{out} overlaps the program folder {folder}")


def staging(out: Path) -> Path:
    """A new, empty folder beside `out` (same file system, so renames are atomic)."""
    import tempfile  # here: a build with nothing to do never stages

    out.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    os.chmod(folder, 0o755)
    return folder


def place(staged: Path, out: Path, keep: Iterable[str]) -> None:
    """Move every entry of `staged` into `out`; entries of `out` neither staged nor kept go.

    `staged` ends up holding what was replaced or dropped, for the caller to delete.
    """
    if not out.exists():
        os.replace(staged, out)
        staged.mkdir()
        return
    new = sorted(os.listdir(staged))
    for name in new:
        source, target = staged / name, out / name
        folder_there = target.is_dir() and not target.is_symlink()
        if source.is_dir() and folder_there:
            exchange(source, target)
        elif not source.is_dir() and not folder_there:
            os.replace(source, target)  # a file replaces a file atomically
        else:
            if target.exists() or target.is_symlink():
                os.replace(target, staged / f".old-{name}")
            os.replace(source, target)
    wanted = {*new, *keep, CACHE_FILE}
    for name in sorted(os.listdir(out)):
        if name not in wanted:
            os.replace(out / name, staged / f".dropped-{name}")


def remove(folder: Path) -> None:
    import shutil  # here: a build with nothing to do removes nothing

    shutil.rmtree(folder, ignore_errors=True)


def remove_entry(path: Path) -> None:
    """Remove a file, a link or a folder; nothing when there is none."""
    if path.is_dir() and not path.is_symlink():
        remove(path)
    else:
        path.unlink(missing_ok=True)


def write_atomically(path: Path, data: bytes) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# ---------------------------------------------------------------- atomic exchange

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@cache
def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: most builds never swap a folder, and start-up time counts
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _errno() -> int:
    import ctypes

    return ctypes.get_errno()


def exchange(a: Path, b: Path) -> None:
    """Swap two folders: atomically where the system can, else with a moment between renames."""
    function = _renameat2()
    if function is not None:
        args = (_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if function(*args) == 0:
            return
        # EINVAL/ENOSYS: the file system or kernel cannot; anything else is a real failure
        error = _errno()
        if error not in (errno.EINVAL, errno.ENOSYS):
            raise OSError(error, os.strerror(error), str(b))
    parked = a.with_name(a.name + ".old")
    os.replace(b, parked)
    try:
        os.replace(a, b)
    except OSError:
        os.replace(parked, b)
        raise
    os.replace(parked, a)


# ---------------------------------------------------------------- what was written


def stamp(info: os.stat_result) -> list[int]:
    """What marks a written file as untouched: size, inode and modification time."""
    return [info.st_size, info.st_ino, info.st_mtime_ns]


def stamps(root: Path, rels: Iterable[str]) -> dict[str, list[int]]:
    """The stamp of each file, as `intact` and `package.unchanged` compare them later."""
    return {rel: stamp(os.lstat(f"{root}/{rel}")) for rel in rels}


def intact(folder: Path, files: Any, skip: Iterable[str] = ()) -> bool:
    """`folder` holds exactly `files` (path → [size, inode, mtime_ns, …]), each as recorded.

    Entries of `folder` itself named in `skip` are someone else's to check.
    """
    skipped = set(skip)
    if not isinstance(files, dict) or not files:
        return False
    seen = 0
    stack = [(str(folder), "")]
    try:
        while stack:
            path, prefix = stack.pop()
            with os.scandir(path) as listing:
                for entry in listing:
                    if not prefix and entry.name in skipped:
                        continue
                    rel = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        stack.append((entry.path, rel + "/"))
                        continue
                    info = entry.stat(follow_symlinks=False)
                    record = files.get(rel)
                    if (
                        not stat.S_ISREG(info.st_mode)
                        or not isinstance(record, list)
                        or record[:3] != stamp(info)
                    ):
                        return False
                    seen += 1
    except OSError:
        return False
    return seen == len(files)
