"""The output folder: whether it may be used, the staging folder beside it, and the swap.

A build writes everything it makes into a staging folder on the same file system and touches the
output only when the whole build has succeeded. The staging folder is then made the whole new
output (the packages the build keeps as they are hard-linked into it, no byte copied) and
exchanged with the output in one atomic step (renameat2), so a reader sees the old set of
packages and catalogue or the new one, never a mix, even when the build is killed. Where the
output itself cannot be exchanged (a mount point, a system without renameat2, a file system
without hard links), entries are moved one at a time (`_move_one_by_one`): each package whole,
the catalogue only after every package it lists.

sobc removes or replaces nothing it cannot prove it wrote (`record.py`): an output folder that
is not empty must hold sobc's record, every entry at its top must be one the record speaks for,
and every entry that leaves the output must be as recorded.

A staging folder is locked (flock) for as long as its build runs; one that nobody holds is what
a killed build left behind, and the next build removes it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from ..read.files import Unreadable, read_regular
from ..runtime.layout import ASSET_DIR, CATALOGUE, MANIFEST_FILE
from . import record
from .record import PENDING, RECORD, Record


class BuildError(Exception):
    """The output folder cannot be used (a usage error, not a content error)."""


def check_target(out: Path, folders: Sequence[Path]) -> None:
    """Refuse an output that is a file, overlaps a program folder, or holds anything at its top
    that sobc's record does not speak for (an output folder that is not empty needs one)."""
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    for folder in folders:
        root = folder.resolve()
        if root == target or root.is_relative_to(target) or target.is_relative_to(root):
            raise BuildError(f"{out} overlaps the program folder {folder}")
    if target.is_dir():
        found = recorded(out, target)
        known = set().union(RECORD, PENDING, *(r.names() for r in found))
        foreign = [name for name in sorted(os.listdir(target)) if name not in known]
        if foreign:
            raise BuildError(
                f"{out} holds {foreign[0]!r}, which sobc build did not make; "
                "choose another --out or empty it first"
            )


def recorded(out: Path, target: Path) -> list[Record]:
    """The records of the output folder `target` (shown as `out`); none for an empty folder.
    BuildError when the folder holds something but no usable record."""
    try:
        found = record.read(target)
    except record.Unusable as problem:
        raise BuildError(f"{out}: {problem}; choose another --out or empty it first") from None
    names = sorted(os.listdir(target))
    if names and not found:
        raise BuildError(
            f"{out} holds {names[0]!r} but no record of a build by sobc ({RECORD}), and sobc "
            "replaces only what it can show it wrote; choose another --out or empty it first"
        )
    return found


MANIFEST_LIMIT = 64 * 1024 * 1024


def package_manifest(folder: Path) -> dict[str, Any] | None:
    """The manifest of the package in `folder`, or None when it has none that can be read
    (read as the runtime loader reads one: a regular file, strict JSON)."""
    from ..runtime.manifest import Refused, parse_json  # only a build of single programs needs it

    try:
        data = parse_json(read_regular(folder / MANIFEST_FILE, MANIFEST_LIMIT))
    except (Unreadable, Refused):
        return None
    return data if isinstance(data, dict) else None


def packages(out: Path) -> list[str]:
    """The program packages `out` holds by its record, by id (folder name), sorted."""
    try:
        found = record.read(out) if out.is_dir() else []
    except record.Unusable:
        return []
    names = {p for r in found for p in r.packages}
    return sorted(p for p in names if (out / p).is_dir())


# ---------------------------------------------------------------- staging


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A new, empty, locked folder beside `out` (same file system, so renames are atomic),
    removed when the build is over. Folders that killed builds left are removed first."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(out)
    folder = Path(tempfile.mkdtemp(prefix=_staging_prefix(out), dir=out.parent))
    lock = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        os.chmod(folder, 0o755)
        yield folder
    finally:
        remove(folder)
        os.close(lock)


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.new-"


def _remove_abandoned(out: Path) -> None:
    """Remove the staging folders of builds that no longer run (nobody holds their lock)."""
    prefix = _staging_prefix(out)
    for entry in os.scandir(out.parent):
        if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            lock = os.open(entry.path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            remove(Path(entry.path))
        except OSError:  # held: another build is running
            pass
        finally:
            os.close(lock)


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- the swap


def place(staged: Path, out: Path, drop: Iterable[str] = ()) -> None:
    """Make `staged` the new `out`: its entries in, the entries named in `drop` out, every
    other entry of `out` kept as it is, and the record written.

    `staged` ends up holding what was replaced or dropped, for the caller to delete. Raises
    BuildError, having changed nothing, when an entry that would leave `out` is not provably
    sobc's."""
    if not out.exists():
        _write_record(staged, record.of_staged(staged, Record()))
        os.replace(staged, out)
        staged.mkdir()
        return
    old = recorded(out, out)
    arriving, dropped = set(os.listdir(staged)), set(drop)
    present = sorted(os.listdir(out))
    leaving = [n for n in present if n in arriving or n in dropped or n in (RECORD, PENDING)]
    for name in leaving:
        if (foreign := record.not_sobcs(out, name, old)) is not None:
            raise BuildError(
                f"{out / foreign} is not as sobc wrote it ({RECORD} says otherwise), so sobc "
                "will not replace or remove it; nothing was changed. Move it elsewhere, or "
                "choose another --out"
            )
    kept = [n for n in present if n not in leaving]
    made = record.of_staged(staged, record.carried(out, kept, old))
    _write_record(staged, made)
    try:
        _swap_whole(staged, out, kept)
    except OSError as error:
        if error.errno not in _NO_WHOLE_SWAP:
            raise
        for name in kept:
            remove(staged / name)  # the links made for the whole swap, not the packages
        _move_one_by_one(staged, out, sorted(dropped & set(present)), made)


# Why the output as a whole may not be exchanged (then entries are moved one at a time): it is
# a mount point, a cross-device link, no renameat2, a file system without hard links.
_NO_WHOLE_SWAP = {
    errno.EBUSY,
    errno.EXDEV,
    errno.EPERM,
    errno.EINVAL,
    errno.ENOSYS,
    errno.EMLINK,
    getattr(errno, "ENOTSUP", errno.EOPNOTSUPP),
    errno.EOPNOTSUPP,
}


def _write_record(staged: Path, made: Record) -> None:
    (staged / RECORD).write_bytes(made.to_bytes())


def _swap_whole(staged: Path, out: Path, kept: list[str]) -> None:
    """Complete `staged` with hard links of the entries `out` keeps, then exchange the two."""
    for name in kept:
        link_tree(out / name, staged / name)
    os.chmod(staged, stat.S_IMODE(os.stat(out).st_mode))
    exchange(staged, out)


def link_tree(source: Path, target: Path) -> None:
    """`target`, a new folder of hard links to every file below `source` (links, FIFOs and
    the like linked as they are, never followed), its folders made anew with their modes."""
    for folder, subfolders, files in os.walk(source):
        made = target / Path(folder).relative_to(source)
        made.mkdir()
        os.chmod(made, stat.S_IMODE(os.lstat(folder).st_mode))
        for name in [*files, *(d for d in subfolders if os.path.islink(Path(folder, d)))]:
            os.link(Path(folder, name), made / name, follow_symlinks=False)


def _move_one_by_one(staged: Path, out: Path, drop: list[str], made: Record) -> None:
    """Move the staged entries in one at a time: every package first (each in one exchange),
    then the shared assets and the catalogue, then take the dropped entries out, and last the
    record; so the catalogue never lists a package that is not there. The new record stands
    beside the old one (`PENDING`) while entries move, so that a build killed half way leaves
    an output the next build can prove sobc's and complete."""
    pending = staged / f".new-{PENDING}"
    pending.write_bytes(made.to_bytes())
    os.replace(pending, out / PENDING)
    last = (ASSET_DIR, CATALOGUE)
    names = [n for n in os.listdir(staged) if n not in (RECORD, f".new-{PENDING}")]
    for name in sorted(names, key=lambda n: (n in last, last.index(n) if n in last else 0, n)):
        _move_in(staged / name, out / name, staged)
    for name in drop:
        os.replace(out / name, staged / f".dropped-{name}")
    os.replace(staged / RECORD, out / RECORD)
    os.unlink(out / PENDING)


def _move_in(source: Path, target: Path, staged: Path) -> None:
    folder_there = target.is_dir() and not target.is_symlink()
    if source.is_dir() and folder_there:
        exchange(source, target)
    elif not source.is_dir() and not folder_there:
        os.replace(source, target)  # a file replaces a file atomically
    else:
        if target.exists() or target.is_symlink():
            os.replace(target, staged / f".old-{target.name}")
        os.replace(source, target)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@cache
def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def exchange(a: Path, b: Path) -> None:
    """Swap two folders: atomically where the system can, else with a moment between renames."""
    function = _renameat2()
    if function is not None:
        args = (_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if function(*args) == 0:
            return
        # EINVAL/ENOSYS: the file system or kernel cannot; anything else is a real failure
        error = ctypes.get_errno()
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
