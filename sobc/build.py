"""Orchestration: load and check every program, render, and swap the new output in atomically.

Nothing is written unless every program loads and checks cleanly. The new tree is written to a
temporary folder beside the output and replaces it only when complete. Pages whose inputs are
unchanged since the last build are copied from it instead of rendered (`.sobc-cache.json`), and a
program whose folder is unchanged since a build where it had no problems is not even loaded: its
files are hard-linked from the previous output once their sizes and hashes are checked.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import multiprocessing
import os
import shutil
import stat
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import loader
from .diagnostics import Diagnostic, Severity, has_errors
from .resources import schema_dir

if TYPE_CHECKING:  # the rendering stack is imported only when something is to be rendered
    from .model import Program
    from .render.pages import Page

CACHE_FILE = ".sobc-cache.json"
CACHE_FORMAT = 1
Progress = Callable[[int, int, str], None]
_PACKAGE = Path(__file__).resolve().parent


def render(page: Page) -> bytes:
    from .render.pages import render as render_page

    return render_page(page)


class BuildError(Exception):
    """The output folder cannot be used (a usage error, not a content error)."""


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic]
    programs: list[str] = field(default_factory=list)
    rendered: int = 0
    reused: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def build(
    program_dirs: Sequence[Path],
    out: Path,
    *,
    strict: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> BuildResult:
    """Build every program into `out`; writes nothing when any program has problems."""
    out = Path(out)
    folders = _expand(program_dirs)
    try:
        digests: list[str] | None = _program_digests(folders)
    except OSError:  # an unreadable file: the load reports it
        digests = None
    inputs = _combined(digests) if digests is not None else None
    previous = _load_cache(out)
    unchanged = _unchanged(out, folders, inputs, previous) if inputs else None
    if unchanged is not None:
        return unchanged
    reused = _reusable(previous, out, folders, digests)
    keyed = dict(zip(folders, digests, strict=True)) if digests is not None else {}
    loaded = [loader.load(folder) for folder in folders if folder not in reused]
    if _worth_a_second_core(loaded):
        result = _build_in_two(
            loaded, out, strict, progress, inputs, reused, keyed, folders, previous
        )
        if result is not None:
            return result
    programs, diagnostics, unclean = _checked_each(loaded)
    if _blocked(diagnostics, strict) or not (programs or reused):
        return BuildResult(diagnostics)
    _check_output(out, programs, reused)
    writer = _Writer(out, progress, keyed, previous)
    try:
        writer.total = _total(programs, reused)
        writer.link(reused)
        writer.write_programs(programs)
        writer.finish(folders, unclean, None if diagnostics else inputs)
        _swap(writer.tmp, out)
    finally:
        if writer.tmp.exists():
            shutil.rmtree(writer.tmp, ignore_errors=True)
    return BuildResult(diagnostics, writer.ids(folders), writer.rendered, writer.reused)


def _total(programs: list[Program], reused: dict[Path, _Reused]) -> int:
    """Every page: each program's, the reused ones', and the catalogue."""
    pages = sum(2 + len(p.modules) + _steps(p) for p in programs)
    return pages + sum(int(r.entry["pages"]) for r in reused.values()) + 1


def _unclean(loaded: list[loader.LoadResult], found: dict[str, list[Diagnostic]]) -> set[Path]:
    """The folders whose program had any problem: a later build never reuses them."""
    return {
        r.program.root
        for r in loaded
        if r.program is not None and (r.diagnostics or found.get(r.program.id))
    }


def _blocked(diagnostics: list[Diagnostic], strict: bool) -> bool:
    return has_errors(diagnostics) or (
        strict and any(d.severity is Severity.WARNING for d in diagnostics)
    )


def _checker() -> Callable[[Program], list[Diagnostic]] | None:
    try:
        module = importlib.import_module("sobc.checks")
    except ImportError:
        return None
    check: Callable[[Program], list[Diagnostic]] | None = getattr(module, "check", None)
    return check


def _check(program: Program) -> list[Diagnostic]:
    check = _checker()
    return check(program) if check is not None else []


def _checked(loaded: list[loader.LoadResult]) -> tuple[list[Program], list[Diagnostic]]:
    """The programs that loaded, and every problem: each folder's load, then its checks."""
    programs, diagnostics, _ = _checked_each(loaded)
    return programs, diagnostics


def _checked_each(
    loaded: list[loader.LoadResult],
) -> tuple[list[Program], list[Diagnostic], set[Path]]:
    """As `_checked`, and the folders of the programs that had any problem."""
    programs: list[Program] = []
    diagnostics: list[Diagnostic] = []
    unclean: set[Path] = set()
    for result in loaded:
        diagnostics.extend(result.diagnostics)
        if result.program is not None:
            found = _check(result.program)
            diagnostics.extend(found)
            programs.append(result.program)
            if result.diagnostics or found:
                unclean.add(result.program.root)
    return programs, diagnostics, unclean


def load_programs(program_dirs: Sequence[Path]) -> tuple[list[Program], list[Diagnostic]]:
    """Load and check each program folder; a folder of program folders stands for all of them."""
    return _checked([loader.load(folder) for folder in _expand(program_dirs)])


# ---------------------------------------------------------------- two cores

# Below this many steps a second process costs more than it saves (measured: benchmarks/).
PARALLEL_MIN_STEPS = 100


def _steps(program: Program) -> int:
    return sum(len(m.steps) for m in program.modules)


def _worth_a_second_core(loaded: list[loader.LoadResult]) -> bool:
    """Two programs or more, all loaded, enough work, two cores, and fork is safe (no threads)."""
    programs = [r.program for r in loaded]
    return (
        len(programs) >= 2
        and all(p is not None for p in programs)
        and not any(has_errors(r.diagnostics) for r in loaded)
        and sum(_steps(p) for p in programs if p is not None) >= PARALLEL_MIN_STEPS
        and (os.cpu_count() or 1) >= 2
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _halves(programs: list[Program]) -> tuple[list[int], list[int]]:
    """Program indexes for this process and the other, balanced by steps."""
    mine: list[int] = []
    theirs: list[int] = []
    weight = [0, 0]
    for index in sorted(range(len(programs)), key=lambda i: -_steps(programs[i])):
        side = 0 if weight[0] <= weight[1] else 1
        (mine, theirs)[side].append(index)
        weight[side] += _steps(programs[index]) + 2
    return sorted(mine), sorted(theirs)


def _check_and_write(
    writer: _Writer, programs: list[Program], strict: bool
) -> dict[str, list[Diagnostic]]:
    """Check some programs, and write them when none of their problems blocks the build."""
    found = {p.id: _check(p) for p in programs}
    if not _blocked([d for ds in found.values() for d in ds], strict):
        writer.write_programs(programs)
    return found


def _other_half(conn: Any, writer: _Writer, programs: list[Program], strict: bool) -> None:
    """The forked process: its half of the checks and pages; hands back what the parent keeps."""
    try:
        writer.progress = None
        found = _check_and_write(writer, programs, strict)
        state = (writer.cache, writer.written, writer.entries, writer.rendered, writer.reused)
        conn.send(("ok", found, state))
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    finally:
        conn.close()


def _build_in_two(
    loaded: list[loader.LoadResult],
    out: Path,
    strict: bool,
    progress: Progress | None,
    inputs: str | None,
    reused: dict[Path, _Reused],
    keyed: dict[Path, str],
    folders: list[Path],
    previous: dict[str, Any],
) -> BuildResult | None:
    """Check and render half of the programs in a forked process; None: build the usual way."""
    programs = [r.program for r in loaded if r.program is not None]
    try:
        _check_output(out, programs, reused)
    except BuildError:
        return None  # the one-process build reports it, after any content problems
    mine, theirs = _halves(programs)
    writer = _Writer(out, progress, keyed, previous)
    writer.total = _total(programs, reused)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_other_half, args=(send, writer, [programs[i] for i in theirs], strict)
    )
    try:
        child.start()
        send.close()
        failure: BaseException | None = None
        try:
            writer.link(reused)
            found = _check_and_write(writer, [programs[i] for i in mine], strict)
        except Exception as exc:  # reported below unless content problems explain it
            failure, found = exc, {}
        reply = receive.recv()
        child.join()
        if reply[0] != "ok":
            raise RuntimeError(f"building in a second process failed:\n{reply[1]}")
        _, theirs_found, (cache, written, entries, rendered, reused_pages) = reply
        found.update(theirs_found)
        diagnostics = [d for r in loaded for d in [*r.diagnostics, *found.get(_id(r), [])]]
        if _blocked(diagnostics, strict):
            return BuildResult(diagnostics)
        if failure is not None:
            raise failure
        writer.cache.update(cache)
        writer.written.update(written)
        writer.entries.update(entries)
        writer.rendered += rendered
        writer.reused += reused_pages
        writer.finish(folders, _unclean(loaded, found), None if diagnostics else inputs)
        _swap(writer.tmp, out)
    finally:
        if child.is_alive():
            child.kill()
            child.join()
        if writer.tmp.exists():
            shutil.rmtree(writer.tmp, ignore_errors=True)
    return BuildResult(diagnostics, writer.ids(folders), writer.rendered, writer.reused)


def _id(result: loader.LoadResult) -> str:
    return result.program.id if result.program is not None else ""


def _expand(dirs: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in map(Path, dirs):
        children = (
            sorted(c for c in folder.iterdir() if (c / "program.yaml").is_file())
            if (folder.is_dir() and not (folder / "program.yaml").exists())
            else []
        )
        found.extend(children or [folder])
    return found


def _check_output(
    out: Path, programs: list[Program], reused: dict[Path, _Reused] | None = None
) -> None:
    reused = reused or {}
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / CACHE_FILE).is_file():
        raise BuildError(
            f"{out} is not empty and was not made by sobc build; "
            "choose another --out or empty it first"
        )
    _check_overlap(out, [p.root for p in programs] + list(reused))
    ids = [p.id for p in programs] + [r.id for r in reused.values()]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise BuildError(f"program id given twice: {', '.join(twice)}")


def _check_overlap(out: Path, folders: Sequence[Path]) -> None:
    target = out.resolve()
    for folder in folders:
        root = folder.resolve()
        if root == target or root.is_relative_to(target) or target.is_relative_to(root):
            raise BuildError(f"{out} overlaps the program folder {folder}")


# ---------------------------------------------------------------- nothing changed


def inputs_digest(folders: Sequence[Path]) -> str:
    """A hash of everything a build reads: every file of every program folder, and sobc itself.

    Content only, no absolute paths, so that the cache (part of the output) stays deterministic.
    """
    return _combined(_program_digests(folders))


def _program_digests(folders: Sequence[Path]) -> list[str]:
    """Per program folder: a hash of its files and name, and of sobc itself."""
    toolchain = _tree_digest([_PACKAGE, schema_dir()])
    return [
        _sha(
            b"%s\0%s\0%s"
            % (
                toolchain.encode(),
                Path(folder).resolve().name.encode(),
                _tree_digest([Path(folder)]).encode(),
            )
        )
        for folder in folders
    ]


def _combined(digests: Sequence[str]) -> str:
    return _sha("\0".join(["programs", *digests]).encode())


def _tree_digest(roots: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for root in roots:
        digest.update(b"\0root\0")
        for rel, path in _files(root):
            with open(path, "rb") as file:
                data = file.read()
            digest.update(b"\0%s\0%d\0" % (rel.encode(), len(data)))
            digest.update(data)
    return digest.hexdigest()


def _files(root: Path) -> list[tuple[str, str]]:
    """Every regular file below root, in a fixed order, with its path relative to root.

    Symbolic links to folders are not followed, and `__pycache__` is left out.
    """
    found: list[tuple[str, str]] = []
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
                found.append((prefix + entry.name, entry.path))
        stack.extend(reversed(below))
    return found


def _output_digest(out: Path) -> str:
    """A hash of every file in a build's output but the cache itself."""
    files = {}
    for rel, path in _files(out):
        if rel != CACHE_FILE:
            with open(path, "rb") as file:
                data = file.read()
            files[rel] = (_sha(data), len(data))
    return _listing_digest(files)


def _listing_digest(files: dict[str, tuple[str, int]]) -> str:
    """A hash of a tree from each file's path, SHA-256 and size."""
    digest = hashlib.sha256()
    for rel in sorted(files):
        sha, size = files[rel]
        digest.update(b"%s\0%s\0%d\0" % (rel.encode(), sha.encode(), size))
    return digest.hexdigest()


def _unchanged(
    out: Path, folders: Sequence[Path], inputs: str, cache: dict[str, Any]
) -> BuildResult | None:
    """The previous result when it was clean, its inputs are the same and its output intact.

    Nothing is loaded, checked or written then: a no-op rebuild costs one read of the sources.
    """
    clean = cache.get("clean")
    if not isinstance(clean, dict) or clean.get("inputs") != inputs:
        return None
    _check_overlap(out, folders)
    if clean.get("outputs") != _output_digest(out):
        return None
    programs = [str(p) for p in clean.get("programs", [])]
    return BuildResult([], programs, 0, int(clean.get("pages", 0)))


def _swap(tmp: Path, out: Path) -> None:
    """Replace `out` with `tmp`: two renames on the same file system."""
    if not out.exists():
        os.replace(tmp, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.replace(out, old)
    try:
        os.replace(tmp, out)
    except OSError:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class _Writer:
    """Writes one build into a temporary folder beside `out`, reusing unchanged pages."""

    def __init__(
        self,
        out: Path,
        progress: Progress | None,
        keyed: dict[Path, str],
        previous: dict[str, Any],
    ) -> None:
        self.out = out
        self.progress = progress
        self.keyed = keyed
        out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        os.chmod(self.tmp, 0o755)
        self.old_cache = _cached_pages(previous)
        self.cache: dict[str, dict[str, str]] = {}
        self.written: dict[str, tuple[str, int]] = {}  # path → (sha256, size), for the cache
        self.entries: dict[Path, dict[str, Any]] = {}  # program folder → its cache entry
        self.rendered = 0
        self.reused = 0
        self.done = 0
        self.total = 0

    def link(self, reused: dict[Path, _Reused]) -> None:
        """Take unchanged programs' files from the previous output: hard links, else copies."""
        made: set[str] = set()
        out, tmp = str(self.out), str(self.tmp)
        for folder, program in reused.items():
            prefix = program.id + "/"
            for rel, (sha, size) in program.entry["files"].items():
                source, target = f"{out}/{prefix}{rel}", f"{tmp}/{prefix}{rel}"
                parent = os.path.dirname(target)
                if parent not in made:
                    os.makedirs(parent, exist_ok=True)
                    made.add(parent)
                try:
                    os.link(source, target)
                except OSError:
                    shutil.copyfile(source, target)
                self.written[prefix + rel] = (sha, size)
            self.cache.update(program.pages)
            self.entries[folder] = program.entry
            self.reused += program.entry["pages"]
            self.done += program.entry["pages"]
            if self.progress is not None:
                self.progress(self.done, self.total, prefix)

    def write_programs(self, programs: list[Program]) -> None:
        from .render.pages import program_pages

        for program in programs:
            self._program(program, program_pages(program))

    def ids(self, folders: Sequence[Path]) -> list[str]:
        return [self.entries[f]["id"] for f in folders if f in self.entries]

    def finish(self, folders: Sequence[Path], unclean: set[Path], inputs: str | None) -> None:
        """The catalogue, the shared assets and the cache: what needs every program.

        `inputs` (a clean build's) lets an unchanged rerun skip everything; each program without
        problems is recorded under its folder's digest so that a later build can reuse it.
        """
        from .render.guide import catalogue_context
        from .render.pages import Page, asset_paths, assets

        entries = [(f, self.entries[f]) for f in folders if f in self.entries]
        context = catalogue_context([], asset_paths())
        context["programs"] = [entry["catalogue"] for _, entry in entries]
        self._page(Page("index.html", "catalogue.html.j2", context))
        for path, data in assets().values():
            self._put(path, data)
        cache: dict[str, Any] = {"format": CACHE_FORMAT, "pages": self.cache}
        cache["programs"] = {
            self.keyed[f]: entry for f, entry in entries if f in self.keyed and f not in unclean
        }
        if inputs is not None:
            cache["clean"] = {
                "inputs": inputs,
                "programs": [entry["id"] for _, entry in entries],
                "pages": self.total,
                "outputs": _listing_digest(self.written),
            }
        self._put(CACHE_FILE, _compact(cache))

    def _program(self, program: Program, pages: list[Page]) -> None:
        from .manifest import FILE_NAME, dumps, file_hash, manifest_data
        from .render.guide import catalogue_context
        from .render.pages import asset_paths, assets

        files: dict[str, tuple[str, int]] = {}
        prefix = program.id + "/"
        for page in pages:
            data = self._page(page)
            files[page.path.removeprefix(prefix)] = (_sha(data), len(data))
        for path, data in assets().values():
            self._put(prefix + path, data)
            files[path] = (_sha(data), len(data))
        for rel, source in _media_files(program):
            target = self.tmp / prefix / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            files[rel] = (file_hash(target), target.stat().st_size)
            self.written[prefix + rel] = files[rel]
        manifest = dumps(manifest_data(program, files))
        self._put(prefix + FILE_NAME, manifest)
        listed = {**files, FILE_NAME: (_sha(manifest), len(manifest))}
        self.entries[program.root] = {
            "id": program.id,
            "pages": len(pages),
            "catalogue": catalogue_context([program], asset_paths())["programs"][0],
            "files": {rel: list(value) for rel, value in sorted(listed.items())},
        }

    def _page(self, page: Page) -> bytes:
        fingerprint = page.fingerprint()
        data = self._reuse(page.path, fingerprint)
        if data is None:
            data = render(page)
            self.rendered += 1
        else:
            self.reused += 1
        self.cache[page.path] = {"inputs": fingerprint, "sha256": _sha(data)}
        self._put(page.path, data)
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, page.path)
        return data

    def _reuse(self, path: str, fingerprint: str) -> bytes | None:
        entry = self.old_cache.get(path)
        if not entry or entry.get("inputs") != fingerprint:
            return None
        try:
            data = (self.out / path).read_bytes()
        except OSError:
            return None
        return data if _sha(data) == entry.get("sha256") else None

    def _put(self, rel: str, data: bytes) -> None:
        target = self.tmp / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.written[rel] = (_sha(data), len(data))


# ---------------------------------------------------------------- unchanged programs


@dataclass
class _Reused:
    """A program the previous build wrote from the same inputs, its output verified intact."""

    id: str
    entry: dict[str, Any]  # as in the cache: id, pages, catalogue, files
    pages: dict[str, dict[str, str]]  # its pages' entries in the page cache


def _reusable(
    cache: dict[str, Any], out: Path, folders: Sequence[Path], digests: Sequence[str] | None
) -> dict[Path, _Reused]:
    """The folders whose program can be taken whole from the previous output.

    Only a program that had no problems at all is recorded; its files must all still be there
    with the sizes and SHA-256 the cache lists, or it is built again.
    """
    if digests is None or cache.get("format") != CACHE_FORMAT:
        return {}
    recorded, pages = cache.get("programs"), cache.get("pages")
    if not isinstance(recorded, dict) or not isinstance(pages, dict):
        return {}
    by_program: dict[str, dict[str, dict[str, str]]] = {}
    for path, page in pages.items():
        by_program.setdefault(str(path).split("/", 1)[0], {})[path] = page
    candidates: list[tuple[Path, _Reused]] = []
    for folder, digest in zip(folders, digests, strict=True):
        entry = recorded.get(digest)
        if isinstance(entry, dict) and isinstance(entry.get("id"), str):
            own = by_program.get(entry["id"], {})
            if len(own) == entry.get("pages"):
                candidates.append((folder, _Reused(entry["id"], entry, own)))
    return {folder: r for folder, r in candidates if _intact(out, r)}


def _intact(out: Path, program: _Reused) -> bool:
    """Every file is in the previous output, a regular file with the recorded size and hash."""
    try:
        return _files_intact(f"{out}/{program.id}/", program.id, program.entry["files"])
    except (KeyError, TypeError, ValueError, AttributeError):  # a damaged cache
        return False


def _files_intact(root: str, program_id: str, files: dict[str, list[Any]]) -> bool:
    if not _safe(program_id) or not files:
        return False
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # no links, no FIFOs
    for rel, (sha, size) in files.items():
        if not all(_safe(part) for part in rel.split("/")):
            return False
        try:
            fd = os.open(root + rel, flags)
            try:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode) or info.st_size != size:
                    return False
                data = os.read(fd, size + 1)
            finally:
                os.close(fd)
        except OSError:
            return False
        if len(data) != size or _sha(data) != sha:
            return False
    return True


def _safe(name: str) -> bool:
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and "/" not in name
        and "\\" not in name
    )


def _compact(data: Any) -> bytes:
    """Stable JSON without indentation (the C encoder: the cache can be large), a final newline."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _load_cache(out: Path) -> dict[str, Any]:
    """The previous build's cache, read once per build; empty when missing or unreadable."""
    try:
        data = json.loads((out / CACHE_FILE).read_bytes())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _cached_pages(cache: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if cache.get("format") != CACHE_FORMAT:
        return {}
    pages = cache.get("pages")
    return pages if isinstance(pages, dict) else {}


def _media_files(program: Program) -> list[tuple[str, Path]]:
    """Regular files under the program's media/ (no links, nothing hidden), sorted."""
    from .render.markdown import MEDIA_DIR

    media = program.root / "media"
    if not media.is_dir():
        return []
    base = media.resolve()
    found = []
    for path in sorted(media.rglob("*")):
        rel = path.relative_to(media)
        if any(part.startswith(".") for part in rel.parts) or path.is_symlink():
            continue
        if path.is_file() and path.resolve().is_relative_to(base):
            found.append((f"{MEDIA_DIR}/{rel.as_posix()}", path))
    return found
