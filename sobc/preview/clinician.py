"""The clinician's layer: what a clinician sees on each page beside the patient's content.

Plain values, like `sobc.render.views`; the guide's own data is reused so the layer and the
clinician guide never disagree.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ..kinds import triggers
from ..kinds.computed import parse
from ..kinds.scoring import rules as scoring_rules
from ..kinds.scoring import total_range
from ..model.program import Module, Program, Step
from ..render import guide
from ..render.views import STEP_TYPES, heading, module_path, step_path
from ..runtime.layout import asset_paths
from .pages import PageInfo

# Links from the layer to what the patient sees leave the clinician prefix: absolute paths.
PATIENT_ROOT = "/"


def _forms(program: Program, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """The forms, each with its title and the values it computes (`title (unit)`; how, the guide
    says)."""
    return [
        {
            "id": i,
            "title": heading(f.number, f.title) if (f := program.form(i)) else i,
            "computed": [
                c.title + (f" ({c.unit})" if c.unit else "") for c in (f.computed if f else ())
            ],
        }
        for i in ids
    ]


def _score_flags(program: Program, form_id: str) -> list[dict[str, Any]]:
    """The flags a submission of the form can fire by its scores, as the preview script tests
    them against the live totals: what they watch and their limits, and the guide's sentence."""
    return [
        {
            "title": f.title,
            "score": f.trigger.score,
            "at_least": f.trigger.at_least,
            "at_most": f.trigger.at_most,
            "text": triggers.sentence(program, f.trigger),
        }
        for f in program.flags
        if f.trigger.type == "form_scored" and f.trigger.form == form_id
    ]


def _scores(program: Program, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """The scored forms among `ids`, with their totals' ranges and bands, the rules the preview
    script scores answers by (`scoring.rules`) and the flags the scores can fire."""
    found = []
    for form in filter(None, map(program.form, ids)):
        if form.scoring is None:
            continue
        totals = [
            {"id": t.id, "title": t.title, "range": total_range(form, t), "bands": t.bands}
            for t in form.scoring.totals
        ]
        found.append(
            {
                "form": form.id,
                "title": heading(form.number, form.title),
                "totals": totals,
                "rules": scoring_rules(form),
                "flags": _score_flags(program, form.id),
            }
        )
    return found


def _computed(program: Program, ids: tuple[str, ...]) -> list[dict[str, Any]]:
    """The forms among `ids` that compute values: each value with the tree the preview script
    evaluates (the manifest's, `kinds/computed.py`), its unit, decimals and bands."""
    found = []
    for form in filter(None, map(program.form, ids)):
        if not form.computed:
            continue
        values = [
            {
                "id": c.id,
                "title": c.title + (f" ({c.unit})" if c.unit else ""),
                "decimals": c.decimals,
                "tree": parse(c.expression).as_json(),  # the checks have read it
                "bands": [asdict(b) for b in c.bands],
            }
            for c in form.computed
        ]
        found.append({"form": form.id, "title": heading(form.number, form.title), "values": values})
    return found


def _concerning(program: Program, forms: set[str], module: str | None) -> dict[str, set[str]]:
    """The ids of the flags and activity plans that concern a page showing `forms` (and, on a
    module's pages, the module): a plan of one of its forms, a flag on its module, one of its
    forms or such a plan, and on a module's page a flag for every module's end."""
    plans = {p.id for p in program.activity_plans if p.form in forms}
    flags = set()
    for flag in program.flags:
        t = flag.trigger
        on_module = module is not None and (
            t.module == module or (t.type == "module_ends" and t.module is None)
        )
        if on_module or t.form in forms or t.plan in plans:
            flags.add(flag.id)
    return {"flags": flags, "plans": plans}


# What the linter says about the steps of the programs last shown, so that a page asks once per
# build: a rebuilt program is a new object (held here, so its id is not reused while cached).
_LINTED: dict[int, tuple[Program, dict[tuple[str, str], Any]]] = {}


def _lint(program: Program, module: Module, step: Step) -> dict[str, Any]:
    """`sobc lint`'s findings about a step's page, its LIX and its reading and viewing time."""
    cached = _LINTED.get(id(program))
    if cached is None or cached[0] is not program:
        from ..lint import lint_steps  # late: only the clinician layer needs the linter

        while len(_LINTED) >= 8:
            _LINTED.pop(next(iter(_LINTED)))
        cached = _LINTED[id(program)] = (program, lint_steps(program))
    linted = cached[1][module.id, step.id]
    return {
        "findings": [
            {"code": d.code, "message": d.message, "hint": d.hint, "line": d.location.line}
            for d in linted.findings
            if d.location
        ],
        "lix": None if linted.lix is None else round(linted.lix),
        "reading": _minutes(linted.reading_minutes),
        "viewing": _minutes(linted.viewing_minutes) if linted.viewing_minutes else None,
    }


def _minutes(minutes: float) -> str:
    return "under en minut" if minutes < 1 else f"cirka {round(minutes)} min"


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
        "scores": _scores(program, step.forms),
        "computed": _computed(program, step.forms),
        "concerns": _concerning(program, set(step.forms), None),
        "section": {"id": section.id, "heading": heading(section.number, section.title)},
        "media": [path for _, path in media],
        "href": f"{PATIENT_ROOT}{program.id}/{step_path(module, step)}",
    }


def _modules(program: Program, described: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The guide's view of each module, with ids, forms and patient links for the layer."""
    views = []
    for module, view in zip(program.modules, described, strict=True):
        steps = [_step(program, module, s) for s in module.steps]
        on_steps = tuple(dict.fromkeys(f for s in module.steps for f in s.forms))
        forms = set(on_steps) | set(module.standalone_forms)
        views.append(
            {
                **view,
                "steps": steps,
                "selectable_steps": [s for s in steps if s["selectable"]],
                "standalone": _forms(program, module.standalone_forms),
                "scores": _scores(program, module.standalone_forms),
                "computed": _computed(program, module.standalone_forms),
                "concerns": _concerning(program, forms, module.id),
                "step_forms": _forms(program, on_steps),
                "step_scores": list({x["form"]: x for s in steps for x in s["scores"]}.values()),
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
        ctx["lint"] = _lint(program, module, step)
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
