"""The output folder's record of what sobc wrote there, and the proof that an entry is sobc's.

sobc removes or replaces nothing in an output folder that it cannot prove it wrote, and a name
proves nothing (anyone's folder may hold an `index.html`, an `_assets/` or a `manifest.json`).
The proof is this record, `.sobc-output.json` at the top of the output, written with every
build and swapped in with it:

- a file at the top or in `_assets/` (the catalogue, the shared style sheet and script, the
  site's logo) is sobc's when its SHA-256 is the one recorded for its path;
- a package folder is sobc's when its `manifest.json` has the SHA-256 recorded for the package
  and the folder holds nothing but the files that manifest lists, each of its listed size and
  SHA-256 (a link, a FIFO, an unlisted or an edited file is not sobc's), and the signature of a
  signed build (`manifest.json.jws`) with the SHA-256 recorded for it.

A file that is missing proves nothing against the rest: sobc may write it again. Where a build
moves entries in one at a time (`output._move_one_by_one`), it first leaves the record it is
about to write as `.sobc-output.pending.json`, and an entry as either record has it is sobc's:
a build killed half way leaves an output the next build can prove and complete.

The record holds paths and content digests only, so two builds of the same programs write the
same record on any machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..read.files import Unreadable, read_regular
from ..runtime.format import SIGNATURE_FILE
from ..runtime.layout import ASSET_DIR, MANIFEST_FILE

RECORD = ".sobc-output.json"
PENDING = ".sobc-output.pending.json"
RECORD_LIMIT = 64 * 1024 * 1024
MANIFEST_LIMIT = 64 * 1024 * 1024
_SHA = re.compile(r"[0-9a-f]{64}")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]*")  # one segment of a recorded path
_KIND = "sobc output record"


class Unusable(Exception):
    """The record cannot be read or is not one sobc wrote; the message says why."""


@dataclass(frozen=True)
class Record:
    files: dict[str, str] = field(default_factory=dict)  # path in the output → its SHA-256
    packages: dict[str, str] = field(default_factory=dict)  # package → its manifest's SHA-256

    def names(self) -> set[str]:
        """The entries at the top of the output this record speaks for."""
        return {RECORD, PENDING, *(path.split("/")[0] for path in self.files), *self.packages}

    def to_bytes(self) -> bytes:
        data = {"kind": _KIND, "files": self.files, "packages": self.packages}
        return (json.dumps(data, indent=1, sort_keys=True) + "\n").encode()


def sha256_of(path: Path) -> str:
    """The SHA-256 of a regular file, read a chunk at a time, never through a link."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        digest = hashlib.sha256()
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# ---------------------------------------------------------------- reading and writing


def read(out: Path) -> list[Record]:
    """The records of `out`: its record, and a pending one when a build left one; none when it
    has neither. `Unusable` when one is not a record sobc wrote."""
    return [found for name in (RECORD, PENDING) if (found := _read(out / name)) is not None]


def _read(path: Path) -> Record | None:
    if not os.path.lexists(path):
        return None
    try:
        data = json.loads(read_regular(path, RECORD_LIMIT))
    except (Unreadable, ValueError) as error:
        raise Unusable(f"{path.name} cannot be read: {error}") from None
    if not _well_formed(data):
        raise Unusable(f"{path.name} is not a record sobc wrote")
    return Record(dict(data["files"]), dict(data["packages"]))


def _well_formed(data: Any) -> bool:
    if not isinstance(data, dict) or data.get("kind") != _KIND:
        return False
    files, packages = data.get("files"), data.get("packages")
    if not isinstance(files, dict) or not isinstance(packages, dict):
        return False
    paths_ok = all(_recorded_path(p) for p in files) and all(_NAME.fullmatch(p) for p in packages)
    values = [*files.values(), *packages.values()]
    return paths_ok and all(isinstance(v, str) and _SHA.fullmatch(v) for v in values)


def _recorded_path(path: Any) -> bool:
    """A file at the top of the output, one in `_assets/`, or a package's signature."""
    if not isinstance(path, str) or path in (RECORD, PENDING):
        return False
    parts = path.split("/")
    top_level = len(parts) == 1 and parts[0] != ASSET_DIR
    second = len(parts) == 2 and (parts[0] == ASSET_DIR or parts[1] == SIGNATURE_FILE)
    return (top_level or second) and all(_NAME.fullmatch(p) for p in parts)


def of_staged(staged: Path, carried: Record) -> Record:
    """The record of a staged build: its top-level files and `_assets/`, the manifests (and
    signatures) of its packages, and what is recorded of the packages it keeps as they are
    (`carried`)."""
    files = dict(carried.files)
    packages = dict(carried.packages)
    for entry in sorted(os.scandir(staged), key=lambda e: e.name):
        path = Path(entry.path)
        if entry.is_file(follow_symlinks=False) and entry.name not in (RECORD, PENDING):
            files[entry.name] = sha256_of(path)
        elif entry.name == ASSET_DIR and entry.is_dir(follow_symlinks=False):
            for asset in sorted(os.scandir(path), key=lambda e: e.name):
                files[f"{ASSET_DIR}/{asset.name}"] = sha256_of(Path(asset.path))
        elif entry.is_dir(follow_symlinks=False) and entry.name not in carried.packages:
            packages[entry.name] = sha256_of(path / MANIFEST_FILE)
            if os.path.lexists(path / SIGNATURE_FILE):
                files[f"{entry.name}/{SIGNATURE_FILE}"] = sha256_of(path / SIGNATURE_FILE)
    return Record(files, packages)


# ---------------------------------------------------------------- proofs


def not_sobcs(out: Path, name: str, records: list[Record]) -> str | None:
    """The first path under the entry `name` of `out` that sobc cannot prove it wrote by any of
    the records (as a path inside `out`), or None when all of it is sobc's."""
    path = out / name
    if name in (RECORD, PENDING):
        return None
    digests = [r.packages[name] for r in records if name in r.packages]
    if digests:
        found = [_not_in_package(out, name, digest, records) for digest in digests]
        return None if None in found else found[0]
    if name == ASSET_DIR and not path.is_symlink() and path.is_dir():
        for entry in sorted(os.scandir(path), key=lambda e: e.name):
            if not _recorded_file(out, f"{ASSET_DIR}/{entry.name}", records):
                return f"{ASSET_DIR}/{entry.name}"
        return None
    return None if _recorded_file(out, name, records) else name


def _recorded_file(out: Path, rel: str, records: list[Record]) -> bool:
    recorded = {r.files[rel] for r in records if rel in r.files}
    try:
        return bool(recorded) and sha256_of(out / rel) in recorded
    except OSError:
        return False


def carried(out: Path, names: list[str], records: list[Record]) -> Record:
    """What to record again of the packages the output keeps as they are: for each file, the
    digest it has when a record has that one, else the first record's (what sobc wrote last)."""
    files: dict[str, str] = {}
    packages: dict[str, str] = {}
    for name in names:
        packages[name] = _again(out, f"{name}/{MANIFEST_FILE}", [r.packages for r in records], name)
        signature = f"{name}/{SIGNATURE_FILE}"
        if any(signature in r.files for r in records):
            files[signature] = _again(out, signature, [r.files for r in records], signature)
    return Record(files, packages)


def _again(out: Path, rel: str, recorded: list[dict[str, str]], key: str) -> str:
    digests = [found[key] for found in recorded if key in found]
    try:
        actual = sha256_of(out / rel)
    except OSError:
        return digests[0]
    return actual if actual in digests else digests[0]


def _not_in_package(out: Path, name: str, manifest_sha: str, records: list[Record]) -> str | None:
    """The first path of the package folder `name` that its recorded manifest does not list
    with its content (nor the records as its signature), or None."""
    package = out / name
    listed = _listed(package / MANIFEST_FILE, manifest_sha)
    if listed is None or package.is_symlink():
        return f"{name}/{MANIFEST_FILE}"
    for folder, subfolders, files in os.walk(package):
        for entry in [*files, *(d for d in subfolders if os.path.islink(Path(folder, d)))]:
            rel = Path(folder, entry).relative_to(package).as_posix()
            if rel == MANIFEST_FILE or _as_listed(Path(folder, entry), listed.get(rel)):
                continue
            if rel == SIGNATURE_FILE and _recorded_file(out, f"{name}/{rel}", records):
                continue
            return f"{name}/{rel}"
    return None


def _listed(manifest: Path, manifest_sha: str) -> dict[str, tuple[int, str]] | None:
    """The files a manifest lists, by path, with their sizes and SHA-256; None unless it is the
    recorded manifest."""
    try:
        data = read_regular(manifest, MANIFEST_LIMIT)
        if hashlib.sha256(data).hexdigest() != manifest_sha:
            return None
        files = json.loads(data)["files"]
        return {str(f["path"]): (int(f["size"]), str(f["sha256"])) for f in files}
    except (Unreadable, ValueError, KeyError, TypeError):
        return None


def _as_listed(path: Path, listed: tuple[int, str] | None) -> bool:
    """Whether the file at `path` is a regular file of the listed size and content."""
    try:
        info = os.lstat(path)
        if listed is None or not stat.S_ISREG(info.st_mode) or info.st_size != listed[0]:
            return False
        return sha256_of(path) == listed[1]
    except OSError:
        return False
