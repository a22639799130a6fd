"""What OLD and NEW name: a program folder, a folder of programs, a built package (its
manifest.json or its folder), or a revision of the git repository the command runs in.

A revision is read straight from git's object store (`git ls-tree`, `git cat-file --batch`):
no checkout, nothing in the work tree touched, no hook run. Only the YAML files of the folder
meant are copied out, into a temporary folder that lives as long as the `ExitStack` given.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..diagnostics import Diagnostic, Location, Severity
from ..model.program import Program
from ..paths import display_path
from ..read.loader import load
from ..runtime.format import FILE_NAME, ManifestError
from .tree import Node, from_manifest, from_program, plain

MAX_REVISION_BYTES = 64 * 1024 * 1024  # of YAML read out of one revision


class UsageProblem(Exception):
    """OLD, NEW or a program named on the command line that cannot be used; the message says
    why (the command exits 2)."""


@dataclass
class Loaded:
    """One program on one side: its model (a source folder) or its manifest's data."""

    program: Program | None = None
    manifest: dict[str, Any] | None = None

    def tree(self, as_manifest: bool) -> Node:
        if self.program is not None and not as_manifest:
            return from_program(self.program)
        if self.manifest is not None:
            return from_manifest(self.manifest)
        assert self.program is not None
        from ..package.manifest import manifest_data

        return from_manifest(manifest_data(self.program, {}), self.program)


@dataclass
class Side:
    """What one operand resolved to: programs by id, the problems of those that could not be
    read, and how a location in a revision's temporary copy is shown."""

    operand: str
    programs: dict[str, Loaded] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    copy_root: Path | None = None  # a revision's temporary copy …
    shown_root: Path | None = None  # … stands for this folder of the work tree

    def shown(self, location: Location | None) -> Location | None:
        """A location in a revision's copy as the same path in the work tree."""
        rest = self._in_copy(location)
        if location is None or rest is None or self.shown_root is None:
            return location
        path = display_path(self.shown_root / rest) if rest else display_path(self.shown_root)
        return Location(path, location.line, location.col)

    def named(self, location: Location | None) -> Location | None:
        """A location in a revision's copy as git names it, `REVISION:path` (the work tree may
        hold that file otherwise, or no longer)."""
        rest = self._in_copy(location)
        if location is None or rest is None:
            return location
        return Location(f"{self.operand}:{Path(rest).as_posix()}", location.line, location.col)

    def _in_copy(self, location: Location | None) -> str | None:
        """The path of a location inside a revision's copy ("" for the copy itself), or None."""
        if location is None or self.copy_root is None:
            return None
        copy = display_path(self.copy_root)
        if location.path == copy or location.path.startswith(copy + os.sep):
            return location.path[len(copy) :].lstrip(os.sep)
        return None


def resolve(operand: str, other: str, stack: ExitStack) -> Side:
    """A side from an operand: a path when one exists by that name, else a git revision (read
    at the folder the other operand names, or the working directory)."""
    if operand.startswith("-"):
        raise UsageProblem(f"'{operand}' is neither a path nor a revision")
    path = Path(operand)
    if path.exists():
        side = Side(operand)
        _read_path(path, side)
        return side
    other_path = Path(other) if other and Path(other).exists() else Path(".")
    return _read_revision(operand, other_path, stack)


def _read_path(path: Path, side: Side) -> None:
    found = _programs_in(path)
    if not found:
        raise UsageProblem(
            f"{display_path(path)} holds no program: give a program folder, a folder of "
            f"programs, a package's {FILE_NAME} or a git revision"
        )
    for item in found:
        if item.name == FILE_NAME:
            _add(side, Loaded(manifest=_manifest(item)), display_path(item))
            continue
        result = load(item, reading=True)
        if result.program is None:
            side.problems.extend(result.diagnostics)
            continue
        # read despite them (a revision older than today's rules): warnings, not errors
        side.problems += [replace(d, severity=Severity.WARNING) for d in result.diagnostics]
        _add(side, Loaded(program=result.program), display_path(item))


def _programs_in(path: Path) -> list[Path]:
    """Program folders and package manifests a path names: itself, its children, or (at a
    repository's root) its programs/ folder."""
    if path.is_file():
        return [path] if path.name == FILE_NAME else []
    if (path / "program.yaml").is_file():
        return [path]
    if (path / FILE_NAME).is_file():
        return [path / FILE_NAME]
    found = []
    for child in sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (child / "program.yaml").is_file():
            found.append(child)
        elif (child / FILE_NAME).is_file():
            found.append(child / FILE_NAME)
    if not found and (path / "programs").is_dir():
        return _programs_in(path / "programs")
    return found


def _manifest(path: Path) -> dict[str, Any]:
    """A package's manifest, verified as runtimes read it (`manifest.load`), as plain data."""
    from ..runtime.manifest import load as load_manifest

    try:
        manifest = load_manifest(path)
    except ManifestError as error:
        raise UsageProblem(str(error)) from None
    data = plain(manifest)
    data["renames"] = [{**r, "from": r["from_"]} for r in data.get("renames", ())]
    return dict(data)


def _add(side: Side, loaded: Loaded, where: str) -> None:
    program_id = loaded.program.id if loaded.program else (loaded.manifest or {})["program"]["id"]
    if program_id in side.programs:
        raise UsageProblem(f"{side.operand} holds the program '{program_id}' twice ({where})")
    side.programs[program_id] = loaded


# ---- git


def _git(top: Path | None, *args: str, stdin: bytes | None = None) -> bytes:
    """A read-only git command; its failure is a usage problem."""
    command = ["git", "--literal-pathspecs", "--no-pager"]
    if top is not None:
        command += ["-C", str(top)]
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            [*command, *args], input=stdin, capture_output=True, env=env, check=False
        )
    except OSError as error:
        raise UsageProblem(f"git cannot be run: {error.strerror}") from None
    if done.returncode != 0:
        raise UsageProblem(done.stderr.decode("utf-8", "replace").strip() or "git failed")
    return done.stdout


def _read_revision(revision: str, folder: Path, stack: ExitStack) -> Side:
    try:
        top = Path(_git(None, "rev-parse", "--show-toplevel").decode().strip())
    except UsageProblem:
        raise UsageProblem(
            f"'{revision}' is not a path, and there is no git repository here to read it from"
        ) from None
    try:
        commit = _git(
            top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        )
    except UsageProblem:
        raise UsageProblem(f"'{revision}' is neither a path nor a revision of {top}") from None
    inside = os.path.relpath(folder.resolve(), top.resolve())
    if inside == ".." or inside.startswith(".." + os.sep) or os.path.isabs(inside):
        raise UsageProblem(f"{display_path(folder)} is outside the repository {top}")
    prefix = PurePosixPath(Path(inside).as_posix())
    copy = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sobc-diff-")))
    _copy_out(top, commit.decode().strip(), "" if inside == "." else prefix.as_posix(), copy)
    side = Side(revision, copy_root=copy, shown_root=top)
    target = copy / prefix
    if target.exists():
        _read_path(target, side)
    # else the folder is not in that revision: no programs then (on NEW's side, all are added)
    return side


def _copy_out(top: Path, commit: str, prefix: str, copy: Path) -> None:
    """The YAML files under `prefix` at `commit`, written below `copy` at their paths."""
    listing = _git(
        top, "ls-tree", "-r", "-z", "-l", "--full-tree", commit, "--", *([prefix] if prefix else [])
    )
    wanted: list[tuple[str, PurePosixPath]] = []
    total = 0
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, _, raw_path = entry.partition(b"\t")
        mode, kind, sha, size = meta.decode().split()
        name = PurePosixPath(raw_path.decode("utf-8", "surrogateescape"))
        # regular files only (no links, no submodules); git never stores '..', but do not trust it
        if kind != "blob" or mode not in ("100644", "100755") or name.suffix != ".yaml":
            continue
        if name.is_absolute() or any(part in ("", ".", "..") for part in name.parts):
            continue
        wanted.append((sha, name))
        total += int(size)
    if total > MAX_REVISION_BYTES:
        raise UsageProblem(f"the revision holds more than {MAX_REVISION_BYTES} bytes of YAML there")
    if not wanted:
        return
    batch = _git(
        top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha, _ in wanted).encode()
    )
    offset = 0
    for sha, name in wanted:
        header_end = batch.find(b"\n", offset)
        header = batch[offset:header_end].decode("ascii", "replace").split()
        if header_end < 0 or len(header) != 3 or header[0] != sha or not header[2].isdigit():
            raise UsageProblem(f"git could not give the file {name} of the revision")
        length = int(header[2])
        body = batch[header_end + 1 : header_end + 1 + length]
        offset = header_end + 1 + length + 1  # the blob, then a newline
        target = copy.joinpath(*name.parts)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with os.fdopen(os.open(target, flags, 0o600), "wb") as out:
                out.write(body)
        except OSError as error:  # names only case tells apart, on a file system that ignores it
            raise UsageProblem(
                f"{name} of the revision cannot be copied: {error.strerror}"
            ) from None
