"""Writing what `sobc new` makes: all of it, or nothing.

Every file is first written whole into a temporary file beside its place (the same folder, so
putting it in place is one atomic step). Only when all are written are they put in place: a new
file by a hard link that fails when the name is taken (nothing is ever overwritten), a changed
file (`program.yaml`) by a rename over it, last. Any failure on the way (a full disk, a
read-only file, a name taken meanwhile) removes what this run made, folders included, and
leaves every other file as it was.

Everything is written below one folder's real path, and a symbolic link on the way to a file
(`program.yaml`, `modules/`, `forms/`) is refused: nothing is written outside the program.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path


class WriteError(Exception):
    """A file cannot be written where asked; the message says why, and nothing was written."""


@dataclass
class _Pending:
    target: Path
    data: bytes
    new: bool  # a new file (never replacing one), else a change of an existing file
    temp: Path | None = None


@dataclass
class Changes:
    """Files to create or change below `root`, written by `commit()`, all or none."""

    root: Path
    shown: Path  # `root` as the author named it, for messages
    _files: list[_Pending] = field(default_factory=list)
    _folders: list[Path] = field(default_factory=list)

    @classmethod
    def below(cls, root: Path) -> Changes:
        return cls(Path(os.path.realpath(root)), root)

    def create(self, rel: str, data: bytes) -> None:
        """A new file at `rel` (below the root); refused when anything is there."""
        target = self._target(rel)
        if os.path.lexists(target):
            raise WriteError(
                f"{self.shown / rel} already exists; sobc new never overwrites anything"
            )
        self._files.append(_Pending(target, data, new=True))

    def change(self, rel: str, data: bytes) -> None:
        """New content for the existing regular file at `rel`, which must be writable."""
        target = self._target(rel)
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode):
            raise WriteError(f"{self.shown / rel} is not a regular file; sobc new changes only one")
        if not info.st_mode & stat.S_IWUSR:
            raise WriteError(f"{self.shown / rel} is read-only")
        self._files.append(_Pending(target, data, new=False))

    def folder(self, rel: str) -> None:
        """An empty folder at `rel`, made with the files."""
        self._folders.append(self._target(rel))

    def _target(self, rel: str) -> Path:
        """The place of `rel` below the root; refused when a link or file stands on the way."""
        target = self.root / rel
        for part in [*reversed(target.parents), target]:
            if part != self.root and not part.is_relative_to(self.root):
                continue
            if part.is_symlink():
                raise WriteError(
                    f"{self.shown / part.relative_to(self.root)} is a symbolic link; sobc new "
                    "writes only inside the program folder, never through a link"
                )
            if part != target and part.exists() and not part.is_dir():
                raise WriteError(f"{self.shown / part.relative_to(self.root)} is not a folder")
        return target

    def commit(self) -> None:
        """Write every file and folder, or, on any failure, none (then `OSError` is raised)."""
        made: list[Path] = []  # folders and files this run put in place, to take out again
        try:
            for folder in self._folders:
                _make_folders(folder, made)
            for pending in self._files:
                _make_folders(pending.target.parent, made)
                pending.temp = _temporary(pending.target, pending.data)
            for pending in sorted(self._files, key=lambda p: not p.new):  # changes last
                _put_in_place(pending, made)
        except BaseException:
            self._remove_temporaries()
            for path in reversed(made):
                with contextlib.suppress(OSError):
                    if path.is_dir() and not path.is_symlink():
                        path.rmdir()
                    else:
                        path.unlink()
            raise
        self._remove_temporaries()

    def _remove_temporaries(self) -> None:
        for pending in self._files:
            if pending.temp is not None:
                with contextlib.suppress(FileNotFoundError):
                    pending.temp.unlink()


def _make_folders(folder: Path, made: list[Path]) -> None:
    missing = [p for p in [*reversed(folder.parents), folder] if not os.path.lexists(p)]
    for path in missing:
        path.mkdir()
        made.append(path)


def _temporary(target: Path, data: bytes) -> Path:
    """`data` in a new file beside `target`, flushed to the disk."""
    temp = target.with_name(f".{target.name}.sobc-new-{secrets.token_hex(6)}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temp, flags, 0o666)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        temp.unlink()
        raise
    return temp


def _put_in_place(pending: _Pending, made: list[Path]) -> None:
    assert pending.temp is not None
    if pending.new:
        try:
            os.link(pending.temp, pending.target)  # fails when the name is taken
        except FileExistsError:
            raise WriteError(
                f"{pending.target.name} appeared meanwhile; sobc new never overwrites anything"
            ) from None
        made.append(pending.target)
    else:
        os.chmod(pending.temp, stat.S_IMODE(os.lstat(pending.target).st_mode))
        os.replace(pending.temp, pending.target)
