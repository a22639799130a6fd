"""The preview's build: the latest good tree, the problems of the latest run, a generation count.

Builds go into a private temporary folder with `sobc.package.build.build`, so each rebuild is the
atomic build of `sobc build`: only the programs whose files changed are compiled again, and the
build hands their programs back for the clinician layer. A failed build leaves the last good
tree in place.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, Severity
from ..model.program import Program
from ..package.build import BuildError, build
from ..report import excerpt
from . import clinician, layer
from .pages import PageInfo, page_index

if TYPE_CHECKING:
    from .changes import Since  # only `sobc serve --since` loads the diff


@dataclass(frozen=True)
class Outcome:
    """One build run as the preview saw it."""

    ok: bool
    generation: int
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0  # written by this build
    rebuilt: list[str] = field(default_factory=list)  # the programs this build compiled
    problem: str = ""  # why the build could not run at all (a usage or internal error)


def _problem_dict(d: Diagnostic) -> dict[str, Any]:
    return {
        "where": str(d.location) if d.location else "",
        "severity": str(d.severity),
        "code": d.code,
        "message": d.message,
        "hint": d.hint,
        "excerpt": _excerpt(d),
    }


def _excerpt(d: Diagnostic) -> list[str]:
    """The source line (cut around the column, as `sobc validate` shows it) and its caret line;
    none when the problem has no line."""
    if not (d.source_line and d.location and d.location.line > 0):
        return []
    number = str(d.location.line)
    shown, caret = excerpt(d.source_line, d.location.col)
    return [f"{number} | {shown}", f"{' ' * len(number)} | {caret}"]


class Site:
    """The served tree and what the reload script is told. Builds and file reads share a lock,
    so a request never sees a tree half swapped."""

    def __init__(
        self, program_dirs: Sequence[Path], *, strict: bool = False, since: Since | None = None
    ) -> None:
        self.program_dirs = list(program_dirs)
        self.strict = strict
        self.since = since  # `--since`: what changed since then, on each program's start page
        self.root = Path(tempfile.mkdtemp(prefix="sobc-serve-"))
        self.out = self.root / "site"
        self.lock = threading.Lock()
        self.generation = 0
        self.built_at = 0.0  # when the latest build started reading the sources
        self.programs: dict[str, Program] = {}  # by id: what the served tree was built from
        self.index: dict[str, PageInfo] = {}
        self._layers: dict[str, str] = {}
        # Swapped as one object: the status endpoint reads it without the lock.
        self.status: dict[str, Any] = {"generation": 0, "ok": False, "problems": []}

    def rebuild(self) -> Outcome:
        with self.lock:
            outcome = self._build()
            self.status = {
                "generation": self.generation,
                "ok": outcome.ok,
                "problems": self._problems(outcome),
            }
        return outcome

    def _build(self) -> Outcome:
        self.built_at = time.time() - 1.0  # a margin for coarse file system clocks
        try:
            result = build(self.program_dirs, self.out, strict=self.strict, keep=True)
        except BuildError as error:
            return Outcome(False, self.generation, problem=str(error))
        if not result.ok or not result.programs:
            problem = "" if result.diagnostics else "no program could be built"
            return Outcome(False, self.generation, result.diagnostics, problem=problem)
        compiled = {program.id: program for program in result.compiled}
        programs = {pid: compiled.get(pid) or self.programs[pid] for pid in result.programs}
        if result.rebuilt or programs.keys() != self.programs.keys():
            self.programs = programs
            self.index = page_index(programs.values())
            self._layers = {}
            self.generation += 1
        return Outcome(True, self.generation, result.diagnostics, result.pages, result.rebuilt)

    def _problems(self, outcome: Outcome) -> list[dict[str, Any]]:
        if outcome.ok:
            return []
        shown = [d for d in outcome.diagnostics if self.strict or d.severity is Severity.ERROR]
        problems = [_problem_dict(d) for d in shown]
        if outcome.problem:
            problems.append(
                {
                    "where": "",
                    "severity": "error",
                    "code": "",
                    "message": outcome.problem,
                    "hint": "",
                    "excerpt": [],
                }
            )
        return problems

    def clinician_layer(self, rel: str) -> str:
        """The clinician layer of one page (call with the lock held)."""
        if rel not in self._layers:
            info = self.index.get(rel)
            html = ""
            if info is not None:
                context = clinician.layer_context(info, list(self.programs.values()))
                html = layer.render("layer.html.j2", context)
                if self.since is not None and info.kind == "program" and info.program:
                    html += layer.render("changes.html.j2", self.since.context(info.program))
            self._layers[rel] = html
        return self._layers[rel]

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
        if self.since is not None:
            self.since.close()
