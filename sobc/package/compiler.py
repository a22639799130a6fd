"""Compiling programs: each one validated and, when nothing stops the build, written as its
package; several at a time in a standard-library process pool when there are enough of them."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing.context import BaseContext
from pathlib import Path

from ..check.validation import validate_program
from ..diagnostics import Diagnostic, has_errors
from ..model.program import Program
from ..paths import display_path
from ..render.pages import load_templates
from .write import Package, write_package

Progress = Callable[[int, int, str], None]
# Fewer programs than this to compile are compiled in this process: starting workers costs more.
POOL_MIN_PROGRAMS = 4
_PR_SET_PDEATHSIG = 1  # prctl(2)


@dataclass
class Compiled:
    """One program folder compiled: its problems and, when none of them stops the build, the
    package written."""

    folder: Path
    digest: str
    diagnostics: list[Diagnostic]
    id: str | None = None  # None: it did not load
    program: Program | None = None  # when asked for
    package: Package | None = None


def compile_program(folder: Path, digest: str, target: Path, strict: bool, keep: bool) -> Compiled:
    """Validate one program and, unless it has problems that stop a build, write its package
    into the folder `target`. `keep`: hand the program back (it is not otherwise)."""
    loaded, diagnostics = validate_program(folder, strict=strict)
    program = loaded.program
    compiled = Compiled(folder, digest, diagnostics)
    if program is None:
        return compiled
    compiled.id = program.id
    compiled.program = program if keep else None
    if not has_errors(diagnostics):
        compiled.package = write_package(program, target)
    return compiled


def compile_all(
    todo: list[tuple[Path, str]],
    staged: Path,
    strict: bool,
    keep: bool,
    progress: Progress | None,
) -> list[Compiled]:
    """Compile each program (in `todo`'s order) into `staged`, in a process pool when there are
    enough of them."""
    jobs = [
        (folder, digest, staged / folder.resolve().name, strict, keep) for folder, digest in todo
    ]
    workers = min(len(jobs), os.cpu_count() or 1)
    if len(jobs) < POOL_MIN_PROGRAMS or workers < 2:
        results: Iterator[Compiled] = (compile_program(*job) for job in jobs)
    else:
        load_templates()  # once here: forked workers inherit them
        pool = ProcessPoolExecutor(
            workers, _start_method(), initializer=_end_with, initargs=(os.getpid(),)
        )
        results = _finally(pool.map(compile_program, *zip(*jobs, strict=True)), pool.shutdown)
    done: list[Compiled] = []
    for compiled in results:
        done.append(compiled)
        if progress is not None:
            progress(len(done), len(jobs), compiled.id or display_path(compiled.folder))
    return done


def _finally(items: Iterator[Compiled], end: Callable[[], object]) -> Iterator[Compiled]:
    try:
        yield from items
    finally:
        end()


def _end_with(parent: int) -> None:
    """Make a worker end when the build that started it ends, even by `kill -9` (Linux); a
    worker otherwise waits for work from a queue that no one will ever write to again."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the line above
        os._exit(1)


def _start_method() -> BaseContext:
    """Forking is quickest, and safe while this process runs no other thread (`sobc serve`
    does: there, workers start afresh). vl-convert, which draws the guide's charts, runs
    threads of its own that Python does not count, and a forked copy of it hangs: once it is
    loaded here, workers start afresh too."""
    alone = threading.active_count() == 1 and "vl_convert" not in sys.modules
    if alone and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")
