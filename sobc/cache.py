"""The build cache on disk: what a build leaves for the next one in `<out>/.sobc-cache/`.

An index (`index.json`: the inputs as hashed, each program's digest and catalogue entry, the
top-level files, the last clean build) and, per program, a file with its output files' records
and one with the data read from its sources, each named by its content. A build reads the index
and only the files of the programs it makes again; it writes theirs and a new index, which is
replaced last and in one step, so a build cut short leaves the previous index and every file it
names. The cache records file stamps: it is the machine's, not part of any package. Anything
in it that is not as a build writes it counts as missing: the work is done again.

Imported before the command line parser: keep its imports light.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import output
from .inputs import sha256
from .output import CACHE_FILE

TYPE_CHECKING = False  # `typing` costs start-up (see entry.py)
if TYPE_CHECKING:
    from typing import Any

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
    out: Path, header: dict[str, Any], records: dict[str, Recorded], sources: dict[str, Path]
) -> None:
    """Write the cache: the records of the programs made now (`records`; the others' files stay
    as they are) and what was read from their files (`sources`: files `write_sources` wrote, on
    the same file system; they are moved in), then the index, then drop the files it no longer
    names.

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
    for program_id, path in sources.items():
        if program_id in programs:
            name = _name(f"{program_id}.read", path.read_bytes())
            os.replace(path, folder / name)
            programs[program_id] = {**programs[program_id], "sources": name}
    index = {**header, "format": CACHE_FORMAT, "programs": programs}
    output.write_atomically(folder / INDEX, orjson.dumps(index, option=orjson.OPT_SORT_KEYS))
    named = {INDEX}
    for entry in programs.values():
        named.update(entry[key] for key in ("records", "sources") if key in entry)
    for name in os.listdir(folder):
        if name not in named:
            output.remove_entry(folder / name)


def write_sources(path: Path, read: Known) -> None:
    """Write what a load read (`loader.LoadResult.read`) as the cache keeps it, for `write_cache`
    to take in: written by the process that read it, so no process holds all programs' data.
    Keys keep the author's order."""
    import orjson

    from .source import reader_version

    files = {rel: [sha, data] for rel, (sha, data) in read.items()}
    with open(path, "wb") as file:
        file.write(orjson.dumps({"reader": reader_version(), "files": files}))


def _put(folder: Path, stem: str, data: bytes) -> str:
    """Write a cache file named by its content; its name."""
    name = _name(stem, data)
    output.write_atomically(folder / name, data)
    return name


def _name(stem: str, data: bytes) -> str:
    """A cache file's name: what it is, and (part of) the hash of its content."""
    return f"{stem}.{_digest(data)}.json"


def _digest(data: bytes) -> str:
    return sha256(data)[:16]


def _sources(path: Path, large: bool) -> Known | None:
    """A sources file's data; None unless it is whole (its name carries its hash) and was
    written by this reader."""
    from .source import reader_version

    try:
        data = path.read_bytes()
        found = _loads(data, large) if path.name.endswith(_name("", data)) else None
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
