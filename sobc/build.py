"""Orchestration: load and check every program, render, and swap the new output in atomically.

Nothing is written unless every program loads and checks cleanly. The new tree is written to a
temporary folder beside the output and replaces it only when complete. Pages whose inputs are
unchanged since the last build are copied from it instead of rendered (`.sobc-cache.json`).
"""

from __future__ import annotations

import hashlib
import importlib
import json
import multiprocessing
import os
import shutil
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
        inputs: str | None = inputs_digest(folders)
    except OSError:  # an unreadable file: the load reports it
        inputs = None
    unchanged = _unchanged(out, folders, inputs) if inputs else None
    if unchanged is not None:
        return unchanged
    loaded = [loader.load(folder) for folder in folders]
    if _worth_a_second_core(loaded):
        result = _build_in_two(loaded, out, strict, progress, inputs)
        if result is not None:
            return result
    programs, diagnostics = _checked(loaded)
    if _blocked(diagnostics, strict) or not programs:
        return BuildResult(diagnostics)
    _check_output(out, programs)
    writer = _Writer(out, progress)
    try:
        writer.write_all(programs, None if diagnostics else inputs)
        _swap(writer.tmp, out)
    finally:
        if writer.tmp.exists():
            shutil.rmtree(writer.tmp, ignore_errors=True)
    return BuildResult(diagnostics, [p.id for p in programs], writer.rendered, writer.reused)


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
    programs: list[Program] = []
    diagnostics: list[Diagnostic] = []
    for result in loaded:
        diagnostics.extend(result.diagnostics)
        if result.program is not None:
            diagnostics.extend(_check(result.program))
            programs.append(result.program)
    return programs, diagnostics


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
        conn.send(("ok", found, writer.cache, writer.rendered, writer.reused))
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
) -> BuildResult | None:
    """Check and render half of the programs in a forked process; None: build the usual way."""
    programs = [r.program for r in loaded if r.program is not None]
    try:
        _check_output(out, programs)
    except BuildError:
        return None  # the one-process build reports it, after any content problems
    mine, theirs = _halves(programs)
    writer = _Writer(out, progress)
    writer.total = sum(2 + len(p.modules) + _steps(p) for p in programs) + 1
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
            found = _check_and_write(writer, [programs[i] for i in mine], strict)
        except Exception as exc:  # reported below unless content problems explain it
            failure, found = exc, {}
        reply = receive.recv()
        child.join()
        if reply[0] != "ok":
            raise RuntimeError(f"building in a second process failed:\n{reply[1]}")
        _, theirs_found, cache, rendered, reused = reply
        found.update(theirs_found)
        diagnostics = [d for r in loaded for d in [*r.diagnostics, *found.get(_id(r), [])]]
        if _blocked(diagnostics, strict):
            return BuildResult(diagnostics)
        if failure is not None:
            raise failure
        writer.cache.update(cache)
        writer.rendered += rendered
        writer.reused += reused
        writer.finish(programs, None if diagnostics else inputs)
        _swap(writer.tmp, out)
    finally:
        if child.is_alive():
            child.kill()
            child.join()
        if writer.tmp.exists():
            shutil.rmtree(writer.tmp, ignore_errors=True)
    return BuildResult(diagnostics, [p.id for p in programs], writer.rendered, writer.reused)


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


def _check_output(out: Path, programs: list[Program]) -> None:
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise BuildError(f"{out} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not (target / CACHE_FILE).is_file():
        raise BuildError(
            f"{out} is not empty and was not made by sobc build; "
            "choose another --out or empty it first"
        )
    _check_overlap(out, [p.root for p in programs])
    ids = [p.id for p in programs]
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
    return _tree_digest([_PACKAGE, schema_dir(), *map(Path, folders)])


def _tree_digest(roots: Sequence[Path], skip: str = "") -> str:
    digest = hashlib.sha256()
    for root in roots:
        digest.update(b"\0root\0")
        for rel, path in _files(root):
            if rel == skip:
                continue
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
    return _tree_digest([out], skip=CACHE_FILE)


def _unchanged(out: Path, folders: Sequence[Path], inputs: str) -> BuildResult | None:
    """The previous result when it was clean, its inputs are the same and its output intact.

    Nothing is loaded, checked or written then: a no-op rebuild costs one read of the sources.
    """
    try:
        cache = json.loads((out / CACHE_FILE).read_bytes())
    except (OSError, ValueError):
        return None
    clean = cache.get("clean") if isinstance(cache, dict) else None
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

    def __init__(self, out: Path, progress: Progress | None) -> None:
        self.out = out
        self.progress = progress
        out.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        os.chmod(self.tmp, 0o755)
        self.old_cache = _read_cache(out)
        self.cache: dict[str, dict[str, str]] = {}
        self.rendered = 0
        self.reused = 0
        self.done = 0
        self.total = 0

    def write_all(self, programs: list[Program], inputs: str | None) -> None:
        """Write every page and file; `inputs` (a clean build's) lets an unchanged rerun skip."""
        from .render.pages import program_pages

        plans = [(p, program_pages(p)) for p in programs]
        self.total = sum(len(pages) for _, pages in plans) + 1
        for program, pages in plans:
            self._program(program, pages)
        self.finish(programs, inputs)

    def write_programs(self, programs: list[Program]) -> None:
        from .render.pages import program_pages

        for program in programs:
            self._program(program, program_pages(program))

    def finish(self, programs: list[Program], inputs: str | None) -> None:
        """The catalogue, the shared assets and the cache: what needs every program."""
        from .manifest import dumps
        from .render.pages import assets, catalogue_page

        self._page(catalogue_page(programs))
        for path, data in assets().values():
            self._put(path, data)
        cache: dict[str, Any] = {"format": CACHE_FORMAT, "pages": self.cache}
        if inputs is not None:
            cache["clean"] = {
                "inputs": inputs,
                "programs": [p.id for p in programs],
                "pages": self.total,
                "outputs": _output_digest(self.tmp),
            }
        self._put(CACHE_FILE, dumps(cache))

    def _program(self, program: Program, pages: list[Page]) -> None:
        from .manifest import FILE_NAME, dumps, file_hash, manifest_data
        from .render.pages import assets

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
        self._put(prefix + FILE_NAME, dumps(manifest_data(program, files)))

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


def _read_cache(out: Path) -> dict[str, dict[str, Any]]:
    try:
        data = json.loads((out / CACHE_FILE).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
        return {}
    pages = data.get("pages")
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
