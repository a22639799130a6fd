"""The output folder: whether it may be used, the staging folder beside it, and the swap.

A build writes everything it makes into a staging folder on the same file system and touches the
output only when the whole build has succeeded. Then each new program folder takes its old one's
place in one atomic exchange (renameat2 on Linux; two renames elsewhere), so a reader of the
output sees every program either whole and old or whole and new, never half of one; programs
that were not compiled again are not moved at all.

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
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from ..read.files import Unreadable, read_regular
from ..runtime.layout import ASSET_DIR, CATALOGUE, MANIFEST_FILE


class BuildError(Exception):
    """The output folder cannot be used (a usage error, not a content error)."""


def check_target(out: Path, folders: Sequence[Path]) -> None:
    """Refuse an output that is a file, someone else's folder, or overlaps a program folder."""
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    if target.is_dir():
        foreign = [name for name in sorted(os.listdir(target)) if not _made_by_sobc(target, name)]
        if foreign:
            raise BuildError(
                f"{out} holds {foreign[0]!r}, which sobc build did not make; "
                "choose another --out or empty it first"
            )
    for folder in folders:
        root = folder.resolve()
        if root == target or root.is_relative_to(target) or target.is_relative_to(root):
            raise BuildError(f"{out} overlaps the program folder {folder}")


MANIFEST_LIMIT = 64 * 1024 * 1024
# Where earlier versions of sobc kept their build cache, inside the output: a build removes it.
EARLIER_CACHES = (".sobc-cache", ".sobc-cache.json")


def _made_by_sobc(out: Path, name: str) -> bool:
    """The catalogue, the shared assets, a program package (a folder with a manifest), or an
    earlier version's cache."""
    if name in (CATALOGUE, ASSET_DIR, *EARLIER_CACHES):
        return True
    return (out / name / MANIFEST_FILE).is_file()


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
    """The program packages `out` holds, by id (folder name), sorted."""
    if not out.is_dir():
        return []
    return [
        name
        for name in sorted(os.listdir(out))
        if _made_by_sobc(out, name) and name not in (CATALOGUE, ASSET_DIR, *EARLIER_CACHES)
    ]


def earlier_caches(out: Path) -> list[str]:
    """The caches earlier versions of sobc left in `out`."""
    return [name for name in EARLIER_CACHES if os.path.lexists(out / name)]


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
    """Move every entry of `staged` into `out`, and take the entries named in `drop` out of it.

    `staged` ends up holding what was replaced or dropped, for the caller to delete.
    """
    if not out.exists():
        os.replace(staged, out)
        staged.mkdir()
        return
    for name in sorted(os.listdir(staged)):
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
    for name in sorted(drop):
        if (out / name).exists():
            os.replace(out / name, staged / f".dropped-{name}")


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
