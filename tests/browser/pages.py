"""Which pages the browser tests open: one of each kind, found from the program itself."""

from __future__ import annotations

from pathlib import Path

from sobc.loader import load
from sobc.model import Program
from sobc.render.views import module_path, step_path

KINDS = ("catalogue", "program", "module", "text-step", "video-step", "form-step", "guide")


def program(folder: Path) -> Program:
    result = load(folder)
    assert result.program is not None, result.diagnostics
    return result.program


def page_of_kind(prog: Program, kind: str) -> str:
    """The path (relative to the site) of the first page of a kind in a program."""
    if kind == "catalogue":
        return "index.html"
    if kind in ("program", "guide"):
        return f"{prog.id}/{'index' if kind == 'program' else 'guide'}.html"
    if kind == "module":
        return f"{prog.id}/{module_path(prog.modules[0])}"
    step_type = kind.removesuffix("-step")
    for module in prog.modules:
        for step in module.steps:
            if step.type == step_type and (step_type != "text" or step.body):
                return f"{prog.id}/{step_path(module, step)}"
    raise LookupError(f"{prog.id} has no {kind} page")
