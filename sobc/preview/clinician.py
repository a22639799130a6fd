"""The clinician's layer: what a clinician sees on each page beside the patient's content.

Plain values, like `sobc.render.views`; the guide's own data is reused so the layer and the
clinician guide never disagree.
"""

from __future__ import annotations

from typing import Any

from ..layout import asset_paths
from ..model import Module, Program, Step
from ..render import guide
from ..render.views import STEP_TYPES, heading, module_path, step_path
from .pages import PageInfo

# Links from the layer to what the patient sees leave the clinician prefix: absolute paths.
PATIENT_ROOT = "/"


def _forms(program: Program, ids: tuple[str, ...]) -> list[dict[str, str]]:
    return [
        {"id": i, "title": heading(f.number, f.title) if (f := program.form(i)) else i} for i in ids
    ]


# The lint findings of the programs last shown, so that a page asks for them once per build:
# a rebuilt program is a new object (held here, so its id is not reused while cached).
_LINTED: dict[int, tuple[Program, dict[str, list[dict[str, Any]]]]] = {}


def _lint(program: Program) -> dict[str, list[dict[str, Any]]]:
    """`sobc lint`'s findings about each step's page, by "module-id/step-id"."""
    cached = _LINTED.get(id(program))
    if cached is not None and cached[0] is program:
        return cached[1]
    from ..lint import lint_model  # late: only the clinician layer needs the linter

    keys = {id(s): f"{m.id}/{s.id}" for m in program.modules for s in m.steps}
    found: dict[str, list[dict[str, Any]]] = {}
    for finding in lint_model(program):
        if finding.step is not None and id(finding.step) in keys:
            d = finding.diagnostic
            line = d.location.line if d.location else 0
            entry = {"code": d.code, "severity": str(d.severity), "message": d.message}
            found.setdefault(keys[id(finding.step)], []).append(
                {**entry, "hint": d.hint, "line": line}
            )
    while len(_LINTED) >= 8:
        _LINTED.pop(next(iter(_LINTED)))
    _LINTED[id(program)] = (program, found)
    return found


def _step(program: Program, module: Module, step: Step) -> dict[str, Any]:
    section = next(s for s in module.sections if step in s.steps)
    media = step.media.files() if step.media else []
    if step.media and step.media.src.startswith("https://"):
        media.insert(0, ("src", step.media.src))
    return {
        "id": step.id,
        "key": f"{module.id}/{step.id}",
        "number": step.number,
        "heading": heading(step.number, step.title),
        "type_label": STEP_TYPES[step.type],
        "selectable": step.selectable,
        "guidance": step.guidance,
        "forms": _forms(program, step.forms),
        "section": {"id": section.id, "heading": heading(section.number, section.title)},
        "media": [path for _, path in media],
        "href": f"{PATIENT_ROOT}{program.id}/{step_path(module, step)}",
    }


def _modules(program: Program, described: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The guide's view of each module, with ids, forms and patient links for the layer."""
    views = []
    for module, view in zip(program.modules, described, strict=True):
        steps = [_step(program, module, s) for s in module.steps]
        views.append(
            {
                **view,
                "steps": steps,
                "selectable_steps": [s for s in steps if s["selectable"]],
                "standalone": _forms(program, module.standalone_forms),
                "href": f"{PATIENT_ROOT}{program.id}/{module_path(module)}",
            }
        )
    return views


def _program(program: Program) -> dict[str, Any]:
    return {"id": program.id, "title": program.title, "version": program.version}


def layer_context(info: PageInfo, programs: list[Program]) -> dict[str, Any]:
    """The values the clinician layer of one page is rendered from."""
    program, module, step = info.program, info.module, info.step
    ctx: dict[str, Any] = {"kind": info.kind, "prefix": "" if module is None else "../"}
    if program is None:
        ctx["programs"] = [_catalogue_entry(p) for p in programs]
        return ctx
    about = guide.guide_context(program, asset_paths())
    modules = _modules(program, about["modules"])
    ctx.update(program=_program(program), modules=modules, flags=about["flags"])
    ctx["tracks"] = [{"id": t.id, "title": t.title} for t in program.tracks]
    ctx["plans"] = about["plans"]
    if module is not None:
        ctx["module"] = next(m for m in modules if m["id"] == module.id)
    if module is not None and step is not None:
        ctx["step"] = next(s for s in ctx["module"]["steps"] if s["id"] == step.id)
        ctx["lint"] = _lint(program).get(f"{module.id}/{step.id}", [])
    return ctx


def _catalogue_entry(program: Program) -> dict[str, Any]:
    return {
        **_program(program),
        "modules": len(program.modules),
        "forms": len(program.forms),
        "flags": len(program.flags),
        "plans": len(program.activity_plans),
        "href": f"{program.id}/index.html",
        "guide_href": f"{program.id}/guide.html",
    }
