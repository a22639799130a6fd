"""Which page of the build a served path is: the preview adds its layer by page kind."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model.program import Module, Program, Step
from ..render.views import module_path, step_path


@dataclass(frozen=True)
class PageInfo:
    """One HTML page of the build: its kind and the objects it shows."""

    kind: str  # catalogue, program, guide, module or step
    program: Program | None = None
    module: Module | None = None
    step: Step | None = None


def page_index(programs: Iterable[Program]) -> dict[str, PageInfo]:
    """Every HTML page of a build, by its path relative to the output folder."""
    index = {"index.html": PageInfo("catalogue")}
    for program in programs:
        index[f"{program.id}/index.html"] = PageInfo("program", program)
        index[f"{program.id}/guide.html"] = PageInfo("guide", program)
        for module in program.modules:
            index[f"{program.id}/{module_path(module)}"] = PageInfo("module", program, module)
            for step in module.steps:
                path = f"{program.id}/{step_path(module, step)}"
                index[path] = PageInfo("step", program, module, step)
    return index
