"""Orchestration: load, check and write each program, then put the new output in place.

Programs go one at a time through load → check → write into a staging folder, so a build holds
one program in memory, not all of them; with two cores and enough work, a forked second process
takes programs from the same queue. Nothing in the output changes unless every program loaded and
checked cleanly (`output.place` then swaps the new folders in). A program whose folder hashes the
same as at a build where it had no problems is not even loaded: its previous folder stays, once
`output.intact` finds it as that build left it. Pages of a changed program whose inputs are
unchanged are copied, not rendered (`package`).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from queue import SimpleQueue
from typing import TYPE_CHECKING, Any

from . import output, previous
from .cache import Cache, write_cache, write_sources
from .diagnostics import Diagnostic, Severity, has_errors
from .output import CACHE_FILE, BuildError
from .package import Package
from .previous import Look, Reused, may_fork

if TYPE_CHECKING:
    from .cache import Recorded
    from .model import Program

__all__ = ["CACHE_FILE", "BuildError", "BuildResult", "build", "load_programs"]

Progress = Callable[[int, int, str], None]
# Below this many bytes of YAML to build, a second process costs more than it saves (benchmarks/).
PARALLEL_MIN_BYTES = 200_000


@dataclass
class BuildResult:
    diagnostics: list[Diagnostic]
    programs: list[str] = field(default_factory=list)
    rendered: int = 0
    reused: int = 0

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


@dataclass
class _Made:
    """What became of one program folder."""

    diagnostics: list[Diagnostic]
    id: str | None = None  # None: it did not load
    package: Package | None = None  # None: not written (its or another's problems stop writing)
    read: Path | None = None  # what was read from its files, for the cache (`write_sources`)


def build(
    program_dirs: Sequence[Path],
    out: Path,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    look: Look | None = None,
) -> BuildResult:
    """Build every program into `out`; changes nothing there when any program has problems.

    `progress(done, total, label)` is called as each program, then the catalogue, is done.
    `look`: `previous.look` of these folders and output, taken already (e.g. before start-up).
    """
    folders = _expand(program_dirs)
    if look is None or not look.matches(folders, Path(out).resolve()):
        if look is not None:
            look.cancel()
        look = previous.look(folders, Path(out))
    try:
        if look.unchanged():
            ids = [c.id for c in look.candidates.values()]
            return BuildResult([], ids, 0, look.pages)
        return _build(folders, look, strict, progress)
    finally:
        look.cancel()


def _build(folders: list[Path], look: Look, strict: bool, progress: Progress | None) -> BuildResult:
    out = look.out
    todo = [f for f in folders if f not in look.candidates]
    counter = _Counter(progress, len(folders) + 1)
    staged = output.staging(out)
    reads = staged.with_name(staged.name + ".read")  # what was read, until the cache takes it
    try:
        reads.mkdir()
        job = _Job(staged, out, look.cache, strict, look.sizes, reads)
        made = _make_all(todo, job, counter)
        reused = look.reusable()
        made.update(_make_all([f for f in look.candidates if f not in reused], job, counter))
        for folder in reused:
            counter.step(reused[folder].id)
        diagnostics = [d for f in folders if f in made for d in made[f].diagnostics]
        if _blocked(diagnostics, strict) or not folders:
            return BuildResult(diagnostics)
        ids, top, rendered, reused_pages = _commit(staged, out, folders, made, reused, look)
        counter.step("index.html")
        header: dict[str, Any] = {"top": top}
        if look.scanned is not None:
            header["inputs"] = look.scanned.remembered
            if not diagnostics:
                pages = rendered + reused_pages
                header["clean"] = {"inputs": look.scanned.combined, "pages": pages}
        _write_cache(out, folders, made, reused, look, header)
        return BuildResult(diagnostics, ids, rendered, reused_pages)
    finally:
        output.remove(staged)
        output.remove(reads)


# ---------------------------------------------------------------- one program at a time


@dataclass
class _Job:
    """What every program of one build is made with."""

    staged: Path  # the staging folder
    out: Path  # the output folder, holding the previous build
    previous: Cache  # the previous build's cache: each program's files as written
    strict: bool
    sizes: dict[Path, int]  # bytes to read per folder, to share the work out
    reads: Path  # a folder for what each program's load read (`cache.write_sources`)


def _make(folder: Path, job: _Job, stop: Any) -> _Made:
    """Load and check one program and, unless anything stops the build, write its package."""
    from . import loader
    from .package import write_package

    loaded = loader.load(folder, job.previous.sources(Path(folder).resolve().name))
    program = loaded.program
    made = _Made(list(loaded.diagnostics))
    if program is None:
        stop.set()
        return made
    made.id = program.id
    made.diagnostics.extend(_check(program))
    if _blocked(made.diagnostics, job.strict):
        stop.set()
    if not stop.is_set():
        # staged under a private name first: two programs may (wrongly) share an id
        target = job.staged / _private_name(folder)
        recorded = job.previous.files(program.id)
        made.package = write_package(program, target, job.out / program.id, recorded)
        made.read = job.reads / _private_name(folder)
        write_sources(made.read, loaded.read())
    return made


def _private_name(folder: Path) -> str:
    """A staging name for a folder's package that no program id can take (ids never start '.')."""
    return ".program-" + hashlib.sha256(os.fsencode(Path(folder).resolve())).hexdigest()[:16]


def _check(program: Program) -> list[Diagnostic]:
    from .checks import check

    return check(program)


def _blocked(diagnostics: list[Diagnostic], strict: bool) -> bool:
    return has_errors(diagnostics) or (
        strict and any(d.severity is Severity.WARNING for d in diagnostics)
    )


class _Stop:
    """Set once a program has problems that block the build: no more packages are written."""

    def __init__(self) -> None:
        self.flag = False

    def set(self) -> None:
        self.flag = True

    def is_set(self) -> bool:
        return self.flag


class _Counter:
    def __init__(self, progress: Progress | None, total: int) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def step(self, label: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, label)


def _make_all(folders: list[Path], job: _Job, counter: _Counter) -> dict[Path, _Made]:
    if _worth_a_second_core(folders, job.sizes):
        return _make_in_two(folders, job, counter)
    made: dict[Path, _Made] = {}
    stop = _Stop()
    for folder in folders:
        made[folder] = _make(folder, job, stop)
        counter.step(made[folder].id or folder.name)
    return made


# ---------------------------------------------------------------- two cores


def _worth_a_second_core(folders: list[Path], sizes: dict[Path, int]) -> bool:
    """Two programs or more, enough to read, and a second process can be had."""
    return (
        len(folders) >= 2
        and sum(sizes.get(f, 0) for f in folders) >= PARALLEL_MIN_BYTES
        and may_fork()
    )


def _make_in_two(folders: list[Path], job: _Job, counter: _Counter) -> dict[Path, _Made]:
    """This process and a forked one take the next program from one queue, the largest first."""
    import multiprocessing

    from .render.pages import compile_templates

    compile_templates()  # once, before the fork, not once in each process

    order = sorted(range(len(folders)), key=lambda i: -job.sizes.get(folders[i], 0))
    context = multiprocessing.get_context("fork")
    queue = context.Value("i", 0)
    stop = context.Event()
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_other_process, args=(send, folders, order, queue, job, stop))
    made: dict[Path, _Made] = {}
    # A thread takes each result off the pipe as it comes: a large one fills the pipe, and the
    # other process would wait for this one to finish a program before it could go on.
    inbox: SimpleQueue[tuple[Any, ...]] = SimpleQueue()
    reader = threading.Thread(target=_receive_all, args=(receive, inbox), daemon=True)
    try:
        child.start()
        send.close()
        reader.start()
        finished = False
        for index in _take(queue, order):
            made[folders[index]] = _make(folders[index], job, stop)
            counter.step(made[folders[index]].id or folders[index].name)
            while not finished and not inbox.empty():
                finished = _received(inbox.get(), folders, made, counter)
        while not finished:
            finished = _received(inbox.get(), folders, made, counter)
        child.join()
    finally:
        if child.is_alive():
            child.kill()
            child.join()
        if reader.is_alive():
            reader.join()
        receive.close()
    return made


def _receive_all(receive: Any, inbox: SimpleQueue[tuple[Any, ...]]) -> None:
    """Pass every message of the other process on, until its last."""
    while True:
        try:
            message = receive.recv()
        except (EOFError, OSError):
            message = ("error", "the second process stopped before it had finished")
        inbox.put(message)
        if message[0] != "made":
            return


def _take(queue: Any, order: list[int]) -> Iterator[int]:
    """The next program's index, shared between the processes, until none are left."""
    while True:
        with queue.get_lock():
            position = queue.value
            queue.value += 1
        if position >= len(order):
            return
        yield order[position]


def _received(
    message: tuple[Any, ...], folders: list[Path], made: dict[Path, _Made], counter: _Counter
) -> bool:
    """Take one message from the other process; True when it has finished."""
    if message[0] == "error":
        raise RuntimeError(f"building in a second process failed:\n{message[1]}")
    if message[0] == "done":
        return True
    _, index, result = message
    made[folders[index]] = result
    counter.step(result.id or folders[index].name)
    return False


def _other_process(
    send: Any, folders: list[Path], order: list[int], queue: Any, job: _Job, stop: Any
) -> None:
    try:
        for index in _take(queue, order):
            send.send(("made", index, _make(folders[index], job, stop)))
        send.send(("done",))
    except BaseException:
        import traceback  # here: only a failure needs it

        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


# ---------------------------------------------------------------- putting it together


def _commit(
    staged: Path,
    out: Path,
    folders: list[Path],
    made: dict[Path, _Made],
    reused: dict[Path, Reused],
    look: Look,
) -> tuple[list[str], dict[str, Any], int, int]:
    """Name the staged packages, add the catalogue and assets, and swap them into `out`.

    Returns the program ids, the cache's record of the top-level files, and the pages rendered
    and reused in all.
    """
    ids = _name_packages(staged, folders, made, reused)
    entries = [
        reused[f].entry["catalogue"] if f in reused else _package(made, f).catalogue
        for f in folders
    ]
    fingerprint, fresh = _catalogue(staged, out, entries, look.cache.header.get("top"))
    files = _assets(staged)
    output.place(staged, out, [r.id for r in reused.values()])
    stamps = output.stamps(out, files)
    top = {
        rel: [*stamps[rel], fingerprint if rel == "index.html" else None, sha]
        for rel, sha in files.items()
    }
    packages = [_package(made, f) for f in folders if f in made]
    rendered = sum(p.rendered for p in packages) + int(fresh)
    reused_pages = sum(p.reused for p in packages) + int(not fresh)
    reused_pages += sum(int(r.entry["pages"]) for r in reused.values())
    return ids, top, rendered, reused_pages


def _name_packages(
    staged: Path, folders: list[Path], made: dict[Path, _Made], reused: dict[Path, Reused]
) -> list[str]:
    """Give each staged package its program's name; a program id given twice stops the build."""
    ids = [reused[f].id if f in reused else str(made[f].id) for f in folders]
    if len(set(ids)) != len(ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        raise BuildError(f"program id given twice: {', '.join(twice)}")
    for folder in folders:
        if folder in made:
            os.replace(staged / _private_name(folder), staged / str(made[folder].id))
    return ids


def _catalogue(
    staged: Path, out: Path, entries: list[dict[str, Any]], top: Any
) -> tuple[str, bool]:
    """Write the catalogue page of these programs' entries; its fingerprint, and whether it had
    to be rendered (`top`: the previous build's record of the top-level files)."""
    from .package import render, unchanged
    from .render.guide import catalogue_context
    from .render.pages import Page, asset_paths

    context = catalogue_context([], asset_paths())
    context["programs"] = entries
    page = Page("index.html", "catalogue.html.j2", context)
    fingerprint = page.fingerprint()
    record = top.get(page.path) if isinstance(top, dict) else None
    fresh = not unchanged(f"{out}/{page.path}", record, fingerprint)
    if fresh:
        (staged / page.path).write_bytes(render(page))
    else:
        os.link(out / page.path, staged / page.path)
    return fingerprint, fresh


def _assets(staged: Path) -> dict[str, str]:
    """Write the shared assets beside the catalogue; every top-level file → its sha256."""
    from .inputs import sha256
    from .render.pages import assets

    files = {"index.html": sha256((staged / "index.html").read_bytes())}
    for path, data in assets().values():
        (staged / path).parent.mkdir(parents=True, exist_ok=True)
        (staged / path).write_bytes(data)
        files[path] = sha256(data)
    return files


def _package(made: dict[Path, _Made], folder: Path) -> Package:
    package = made[folder].package
    if package is None:  # only a build without blocking problems gets this far
        raise RuntimeError(f"no package was written for {folder}")
    return package


# ---------------------------------------------------------------- the cache


def _write_cache(
    out: Path,
    folders: list[Path],
    made: dict[Path, _Made],
    reused: dict[Path, Reused],
    look: Look,
    header: dict[str, Any],
) -> None:
    """The cache of this build (`header`: the rest of it): each program's digest (when it had
    no problem at all, so that a later build can take it whole), catalogue entry and files."""
    programs: dict[str, Any] = {}
    records: dict[str, Recorded] = {}
    sources: dict[str, Path] = {}
    for folder, digest in zip(folders, look.digests, strict=True):
        if folder in reused:
            programs[reused[folder].id] = reused[folder].entry
            continue
        package = _package(made, folder)
        stamps = output.stamps(out / package.id, package.files)
        fingerprints = package.fingerprints
        programs[package.id] = {
            "id": package.id,
            "digest": digest if digest and not made[folder].diagnostics else None,
            "catalogue": package.catalogue,
            "pages": package.pages,
        }
        records[package.id] = {
            rel: [*stamps[rel], fingerprints.get(rel), sha]
            for rel, (sha, _) in package.files.items()
        }
        read = made[folder].read
        if read is not None:
            sources[package.id] = read
    write_cache(out, {**header, "programs": programs}, records, sources)


def _expand(dirs: Sequence[Path]) -> list[Path]:
    """Program folders; a folder of program folders stands for all of them."""
    found: list[Path] = []
    for folder in map(Path, dirs):
        children = (
            sorted(c for c in folder.iterdir() if (c / "program.yaml").is_file())
            if (folder.is_dir() and not (folder / "program.yaml").exists())
            else []
        )
        found.extend(children or [folder])
    return found


def load_programs(program_dirs: Sequence[Path]) -> tuple[list[Program], list[Diagnostic]]:
    """Load and check each program folder; a folder of program folders stands for all of them."""
    from . import loader

    programs: list[Program] = []
    diagnostics: list[Diagnostic] = []
    for folder in _expand(program_dirs):
        result = loader.load(folder)
        diagnostics.extend(result.diagnostics)
        if result.program is not None:
            diagnostics.extend(_check(result.program))
            programs.append(result.program)
    return programs, diagnostics
