"""What the previous build left: its cache, the inputs as they are now, and what can be reused.

A build starts with a `Look`: it reads the cache, hashes the inputs (`inputs.scan`) and finds
the programs whose folder digest is the one recorded at a build where they had no problems. With
two cores, a forked process meanwhile checks that the output is as that build left it
(`output.intact`). When every program is reusable, the inputs are those of the last clean build
and the output is intact, there is nothing to do (`Look.unchanged`).

The cache (`CACHE_FILE`) is a folder: an index (the inputs, each program's digest and catalogue
entry, the top-level files) and one file per program with the records of its files, named by
its content. A build reads the index and only the records of the programs it makes again (the
forked check reads the rest); it writes the records of those programs and a new index.

This module is imported before the command line parser: keep its imports light.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import inputs, output
from .output import CACHE_FILE

# `typing` and `dataclasses` cost start-up, and these modules answer a build with nothing to
# do before anything else is imported (entry.py): names for annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, NoReturn

    from .loader import Known

    # What the cache records of a package's files: path inside the package → [size, inode,
    # modification time (ns), the page's fingerprint or None for a file that is not a page,
    # sha256].
    Recorded = dict[str, list[Any]]

CACHE_FORMAT = 6
INDEX = "index.json"


class Cache:
    """The previous build's cache: the index at once, a program's file records when asked."""

    def __init__(self, folder: Path, header: dict[str, Any], large: bool = False) -> None:
        self.folder = folder
        self.header = header  # the index: inputs, programs, top-level files, the last clean build
        self.large = large  # a large build's cache: worth loading orjson for
        self.programs = _entries(header)  # id → index entry, for well-formed entries
        self.parsed: dict[str, Recorded | None] = {}

    def sources(self, program_id: str) -> Known | None:
        """The data the previous build read from a program's files, by path in the folder, with
        each file's SHA-256: what `loader.load` need not parse again."""
        entry = self.programs.get(program_id)
        name = entry.get("sources") if entry is not None else None
        if not _safe(name):
            return None
        return _sources(self.folder / str(name), self.large)

    def files(self, program_id: str) -> Recorded | None:
        """The records of a program's files, or None when the cache has none (or bad ones)."""
        if program_id not in self.parsed:
            entry = self.programs.get(program_id)
            found = None
            if entry is not None:
                found = _files(self.folder / entry["records"], program_id, self.large)
            self.parsed[program_id] = found
        return self.parsed[program_id]


def read_cache(out: Path) -> Cache:
    """The previous build's cache; empty when missing, unreadable or of another format."""
    folder = out / CACHE_FILE
    try:
        data = (folder / INDEX).read_bytes()
        large = len(data) >= _LARGE_INDEX
        header = _loads(data, large)
    except (OSError, ValueError):
        return Cache(folder, {})
    if not isinstance(header, dict) or header.get("format") != CACHE_FORMAT:
        return Cache(folder, {})
    return Cache(folder, header, large)


def write_cache(
    out: Path, header: dict[str, Any], records: dict[str, Recorded], sources: dict[str, bytes]
) -> None:
    """Write the cache: the records of the programs made now (`records`; the others' files stay
    as they are) and what was read from their files (`sources`, from `sources_bytes`), then the
    index, then drop the files it no longer names.

    Each file is named by its content, so the index is replaced last and in one step: a build
    cut short leaves the previous index and every file it names.
    """
    import orjson

    folder = out / CACHE_FILE
    if not folder.is_dir() or folder.is_symlink():  # an earlier version's single file, or none
        output.remove_entry(folder)
        folder.mkdir()
    programs = dict(header["programs"])
    for program_id, files in records.items():
        data = orjson.dumps({"id": program_id, "files": files}, option=orjson.OPT_SORT_KEYS)
        programs[program_id] = {**programs[program_id], "records": _put(folder, program_id, data)}
    for program_id, data in sources.items():
        if program_id in programs:
            name = _put(folder, f"{program_id}.read", data)
            programs[program_id] = {**programs[program_id], "sources": name}
    index = {**header, "format": CACHE_FORMAT, "programs": programs}
    output.write_atomically(folder / INDEX, orjson.dumps(index, option=orjson.OPT_SORT_KEYS))
    named = {INDEX}
    for entry in programs.values():
        named.update(entry[key] for key in ("records", "sources") if key in entry)
    for name in os.listdir(folder):
        if name not in named:
            output.remove_entry(folder / name)


def sources_bytes(read: Known) -> bytes:
    """What a load read (`loader.LoadResult.read`), as the cache keeps it: written in the process
    that read it, so the other process sends bytes, not objects. Keys keep the author's order."""
    import orjson

    from .source import reader_version

    files = {rel: [sha, data] for rel, (sha, data) in read.items()}
    return orjson.dumps({"reader": reader_version(), "files": files})


def _put(folder: Path, stem: str, data: bytes) -> str:
    """Write a cache file named by its content; its name."""
    name = f"{stem}.{_digest(data)}.json"
    output.write_atomically(folder / name, data)
    return name


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()[:16]


def _sources(path: Path, large: bool) -> Known | None:
    """A sources file's data; None unless it is whole (its name carries its hash) and was
    written by this reader."""
    from .source import reader_version

    try:
        data = path.read_bytes()
        found = _loads(data, large) if path.name.endswith(f".{_digest(data)}.json") else None
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or found.get("reader") != reader_version():
        return None
    files = found.get("files")
    if not isinstance(files, dict):
        return None
    return {
        rel: (pair[0], pair[1])
        for rel, pair in files.items()
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)
    }


def _entries(header: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The programs the index records, by id; one not as a build writes it is left out (its
    program is then made anew)."""
    programs = header.get("programs")
    if not isinstance(programs, dict):
        return {}
    return {
        key: entry
        for key, entry in programs.items()
        if isinstance(entry, dict)
        and entry.get("id") == key
        and _safe(key)
        and _safe(entry.get("records"))
        and isinstance(entry.get("catalogue"), dict)
        and isinstance(entry.get("pages"), int)
    }


def _files(path: Path, program_id: str, large: bool) -> Recorded | None:
    try:
        data = _loads(path.read_bytes(), large)
    except (OSError, ValueError):
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if (
        not isinstance(files, dict)
        or data.get("id") != program_id
        or not files
        or not all(isinstance(r, list) and len(r) == 5 for r in files.values())
    ):
        return None
    return files


def _loads(data: bytes, large: bool) -> Any:
    """JSON, parsed by orjson for a large build: loading orjson costs more than the standard
    library's parser takes for a small build's cache."""
    if not large:
        import json

        return json.loads(data, parse_constant=_refuse)  # NaN and Infinity, as orjson does
    import orjson

    return orjson.loads(data)


def _refuse(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# An index this large (it lists every source file) belongs to a build of some ten thousand pages.
_LARGE_INDEX = 200_000


def _safe(name: Any) -> bool:
    """A name that can only mean a folder directly inside the output."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and not name.startswith(".")
        and "/" not in name
        and "\\" not in name
    )


# ---------------------------------------------------------------- the first look


class Reused:
    """A program whose previous folder can be taken whole."""

    __slots__ = ("entry", "id")

    def __init__(self, program_id: str, entry: dict[str, Any]) -> None:
        self.id = program_id
        self.entry = entry  # as the header records it: id, digest, catalogue, pages


class Look:
    """The previous build and the inputs as they are now, for a build of `folders` into `out`."""

    def __init__(self, folders: list[Path], out: Path) -> None:
        self.folders = folders
        self.out = out
        self.cache = read_cache(out)
        # the other core checks the previous output while this one reads the inputs
        recorded = self.cache.programs
        self.check: _Check = _CheckHere(out, self.cache)
        if recorded and may_fork():
            self.check = _check_aside(out, self.cache)
        remembered = self.cache.header.get("inputs")
        try:
            self.scanned: inputs.Inputs | None = inputs.scan(folders, remembered)
        except OSError:  # an unreadable file: loading it reports the problem
            self.scanned = None
        except BaseException:
            self.check.cancel()
            raise
        self.candidates: dict[Path, Reused] = {}
        if self.scanned is not None:
            self.candidates = _candidates(recorded, folders, self.scanned.digests)
        if not self.candidates:
            self.check.cancel()

    @property
    def digests(self) -> list[str]:
        return self.scanned.digests if self.scanned is not None else [""] * len(self.folders)

    @property
    def sizes(self) -> dict[Path, int]:
        """Bytes to read per folder, to share the work out."""
        if self.scanned is None:
            return {}
        return dict(zip(self.folders, self.scanned.sizes, strict=True))

    def reusable(self) -> dict[Path, Reused]:
        """The candidates whose folder in the output is as the previous build left it."""
        intact = self.check.programs([r.id for r in self.candidates.values()])
        return {f: r for f, r in self.candidates.items() if r.id in intact}

    def unchanged(self) -> bool:
        """The previous build was clean, read the same inputs, made exactly these programs (no
        other), and left the output as it is now: there is nothing to do."""
        clean = self.cache.header.get("clean")
        if self.scanned is None or not isinstance(clean, dict):
            return False
        if clean.get("inputs") != self.scanned.combined or not isinstance(clean.get("pages"), int):
            return False
        if len(self.candidates) != len(self.folders):
            return False
        reused = self.reusable()
        same = {r.id for r in reused.values()} == set(self.cache.programs)
        return len(reused) == len(self.folders) and same and self.check.top()

    @property
    def pages(self) -> int:
        """The pages of the last clean build (what an unchanged build reports as unchanged)."""
        return int(self.cache.header["clean"]["pages"])

    def matches(self, folders: Sequence[Path], out: Path) -> bool:
        return list(folders) == self.folders and out == self.out

    def cancel(self) -> None:
        self.check.cancel()


def look(folders: list[Path], out: Path) -> Look:
    """Refuses an output that cannot be used (`output.BuildError`); `out` is taken as resolved."""
    output.check_target(out, folders)
    # where the output really is: staging beside a symbolic link could be on another file system
    return Look(folders, out.resolve())


def may_fork() -> bool:
    """Two cores, fork available, and safe: no other threads."""
    threading = sys.modules.get("threading")  # not imported: no other Python thread either
    alone = threading is None or threading.active_count() == 1
    return (os.cpu_count() or 1) >= 2 and hasattr(os, "fork") and alone


def _candidates(
    recorded: dict[str, dict[str, Any]], folders: Sequence[Path], digests: Sequence[str]
) -> dict[Path, Reused]:
    """The folders whose program the cache records under the same digest, without problems."""
    by_digest = {
        entry["digest"]: entry
        for entry in recorded.values()
        if isinstance(entry.get("digest"), str) and entry["digest"]
    }
    found: dict[Path, Reused] = {}
    for folder, digest in zip(folders, digests, strict=True):
        entry = by_digest.get(digest)
        if entry is not None:
            found[folder] = Reused(entry["id"], entry)
    return found


# ---------------------------------------------------------------- checking the output


class _Check:
    """What of the previous output is as the previous build left it (`output.intact`)."""

    def programs(self, wanted: list[str]) -> set[str]:
        """Which of the `wanted` recorded programs' folders are intact."""
        raise NotImplementedError

    def top(self) -> bool:
        """Whether the top-level files (catalogue, assets) are intact."""
        raise NotImplementedError

    def cancel(self) -> None:
        """No answer is needed any more."""


class _CheckHere(_Check):
    """Checks in this process, when asked, no more than is asked."""

    def __init__(self, out: Path, cache: Cache) -> None:
        self.out, self.cache = out, cache

    def programs(self, wanted: list[str]) -> set[str]:
        return {i for i in wanted if output.intact(self.out / i, self.cache.files(i))}

    def top(self) -> bool:
        skip = {CACHE_FILE, *self.cache.programs}  # the program folders are checked on their own
        return output.intact(self.out, self.cache.header.get("top"), skip=skip)


class _CheckAside(_Check):
    """Checks everything the cache records in a forked process, while this one works on.

    Plain `os.fork` and a pipe: the answer is a little JSON, and a build with nothing to do
    should not pay for importing `multiprocessing`.
    """

    def __init__(self, out: Path, cache: Cache) -> None:
        self.answer: dict[str, Any] | None = None
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: answer, then leave without running the parent's exit code
            os.close(read)
            _answer(write, _CheckHere(out, cache))
        os.close(write)
        self.read = read

    def _received(self) -> dict[str, Any]:
        if self.answer is None:
            with open(self.read, "rb") as pipe:
                data = pipe.read()
            os.waitpid(self.pid, 0)
            self.pid = 0
            answer = _loads(data, False) if data.startswith(b"{") else None
            if not isinstance(answer, dict):
                detail = data.decode("utf-8", "replace") or "it stopped without an answer"
                raise RuntimeError(f"checking the previous output failed:\n{detail}")
            self.answer = answer
        return self.answer

    def programs(self, wanted: list[str]) -> set[str]:
        return set(self._received()["programs"]).intersection(wanted)

    def top(self) -> bool:
        return bool(self._received()["top"])

    def cancel(self) -> None:
        if self.pid:
            import signal

            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            os.close(self.read)
            self.pid = 0
        if self.answer is None:  # asked after all: nothing counts as intact, all is made anew
            self.answer = {"programs": [], "top": False}


def _check_aside(out: Path, cache: Cache) -> _Check:
    try:
        return _CheckAside(out, cache)
    except OSError:  # no process to be had: check here, when asked
        return _CheckHere(out, cache)


def _answer(write: int, check: _CheckHere) -> NoReturn:
    """In the forked process: which recorded programs are intact, and the top level."""
    try:
        import json

        intact = sorted(check.programs(list(check.cache.programs)))
        data = json.dumps({"programs": intact, "top": check.top()}).encode()
    except BaseException:
        import traceback

        data = traceback.format_exc().encode("utf-8", "replace")
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(write, view) :]
    finally:
        os._exit(0)
