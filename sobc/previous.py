"""The first look at a build: what the previous one left, the inputs as they are now, and what
can be reused.

A build starts with a `Look`: it reads the cache, hashes the inputs (`inputs.scan`) and finds
the programs whose folder digest is the one recorded at a build where they had no problems. With
two cores, a forked process meanwhile checks that the output is as that build left it
(`output.intact`); once this process waits for that answer, it checks too, from the other end.
When every program is reusable, the inputs are those of the last clean build
and the output is intact, there is nothing to do (`Look.unchanged`).

The cache itself (what is kept, how it is read and written) is `cache.py`.

This module is imported before the command line parser: keep its imports light.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from . import inputs, output
from .cache import Cache, read_cache
from .output import CACHE_FILE

# `typing` and `dataclasses` cost start-up, and these modules answer a build with nothing to
# do before anything else is imported (entry.py): names for annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, NoReturn

# ---------------------------------------------------------------- the first look


class Reused:
    """A program whose previous folder can be taken whole."""

    __slots__ = ("entry", "id")

    def __init__(self, program_id: str, entry: dict[str, Any]) -> None:
        self.id = program_id
        self.entry = entry  # as the cache's index records it: id, digest, catalogue, pages …


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
    """Checks the recorded programs in a forked process, while this one works on; once this one
    asks, it checks too, from the other end of the list, until the two meet.

    Plain `os.fork`, a pipe for the answer (a little JSON) and two shared counters: a build with
    nothing to do should not pay for importing `multiprocessing`.
    """

    def __init__(self, out: Path, cache: Cache) -> None:
        import mmap

        self.here = _CheckHere(out, cache)
        self.order = list(cache.programs)
        self.shared = _Ends(mmap.mmap(-1, 16), len(self.order))
        self.found: set[str] = set()
        self.answer: dict[str, Any] | None = None
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: answer, then leave without running the parent's exit code
            os.close(read)
            _answer(write, self.here, self.order, self.shared)
        os.close(write)
        self.read = read

    def _received(self) -> dict[str, Any]:
        if self.answer is None:
            import json

            while (index := self.shared.take_last()) is not None:  # help from the end
                if self.here.programs([self.order[index]]):
                    self.found.add(self.order[index])
            with open(self.read, "rb") as pipe:
                data = pipe.read()
            os.waitpid(self.pid, 0)
            self.pid = 0
            answer = json.loads(data) if data.startswith(b"{") else None
            if not isinstance(answer, dict):
                detail = data.decode("utf-8", "replace") or "it stopped without an answer"
                answer = {"failed": f"checking the previous output failed:\n{detail}"}
            self.answer = answer
        if "failed" in self.answer:  # said again to whoever asks again
            raise RuntimeError(self.answer["failed"])
        return self.answer

    def programs(self, wanted: list[str]) -> set[str]:
        return (self.found | set(self._received()["programs"])).intersection(wanted)

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
            self.found.clear()
            self.answer = {"programs": [], "top": False}


class _Ends:
    """Two processes taking items of one list, one from each end, through shared memory: the
    next index from the front, and one past the next from the back. Near the middle both may
    take the same item (each reads the other's end before writing its own); none is missed."""

    def __init__(self, memory: Any, length: int) -> None:
        self.memory = memory
        self._set(0, 0)
        self._set(8, length)

    def take_first(self) -> int | None:
        front, back = self._get(0), self._get(8)
        if front >= back:
            return None
        self._set(0, front + 1)
        return front

    def take_last(self) -> int | None:
        front, back = self._get(0), self._get(8)
        if back <= front:
            return None
        self._set(8, back - 1)
        return back - 1

    def _get(self, at: int) -> int:
        return int.from_bytes(self.memory[at : at + 8], "little")

    def _set(self, at: int, value: int) -> None:
        self.memory[at : at + 8] = value.to_bytes(8, "little")


def _check_aside(out: Path, cache: Cache) -> _Check:
    try:
        return _CheckAside(out, cache)
    except OSError:  # no process to be had: check here, when asked
        return _CheckHere(out, cache)


def _answer(write: int, check: _CheckHere, order: list[str], ends: _Ends) -> NoReturn:
    """In the forked process: which recorded programs are intact (those it took from the front
    of `order`), and the top level."""
    try:
        import json

        intact = []
        while (index := ends.take_first()) is not None:
            if check.programs([order[index]]):
                intact.append(order[index])
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
