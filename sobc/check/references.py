"""Ids and references: ids unique where they must be, and every module, form, flag target,
track and role named somewhere exists; a form nothing uses."""

from __future__ import annotations

from typing import Any

from ..kinds import triggers
from ..model.program import Program, Ref
from .reporter import Reporter, report_duplicates, suggest


def unique_ids(program: Program, report: Reporter) -> None:
    kinds: dict[str, tuple[Any, ...]] = {
        "track": program.tracks,
        "role": program.roles,
        "flag": program.flags,
        "activity plan": program.activity_plans,
        "way of working": program.way_of_working,
        "checklist": program.checklists,
        "guide section": program.guide_sections,
    }
    for kind, items in kinds.items():
        report_duplicates(
            report, kind, ((x.id, x.ref, ("id",)) for x in items if x.ref is not None)
        )
    choices = program.module_choices
    report_duplicates(report, "module choice", ((c.id, c.ref, ("id",)) for c in choices))
    for module in program.modules:
        report_duplicates(report, "section", ((s.id, s.ref, ("id",)) for s in module.sections))
        report_duplicates(report, "step", ((s.id, s.ref, ("id",)) for s in module.steps))
    for form in program.forms:
        report_duplicates(report, "question", ((q.id, q.ref, ("id",)) for q in form.questions))
        for q in form.questions:
            report_duplicates(
                report,
                "column",
                ((c.id, q.ref, ("columns", i, "id")) for i, c in enumerate(q.columns)),
            )
            seen: set[str] = set()
            for i, option in enumerate(q.options):
                if option.value in seen:
                    report(
                        "SOBC316", q.ref, "options", i, "value", value=option.value, question=q.id
                    )
                seen.add(option.value)


def form_references(program: Program, report: Reporter) -> None:
    known = [f.id for f in program.forms]

    def need(form_id: str, referrer: str, ref: Ref, *at: str | int) -> None:
        if form_id not in known and form_id not in program.unreadable_forms:
            report(
                "SOBC302",
                ref,
                *at,
                referrer=referrer,
                id=form_id,
                suggestion=suggest(form_id, known),
            )

    for module in program.modules:
        for step in module.steps:
            for i, form_id in enumerate(step.forms):
                need(form_id, f"step '{step.id}'", step.ref, "forms", i)
        for i, form_id in enumerate(module.standalone_forms):
            need(form_id, f"module '{module.id}'", module.ref, "standalone_forms", i)
    for plan in program.activity_plans:
        need(plan.form, f"activity plan '{plan.id}'", plan.ref, "form")


def module_references(program: Program, report: Reporter) -> None:
    known = [m.id for m in program.modules]
    for module in program.modules:
        for key in ("next", "parallel_with"):
            for i, target in enumerate(getattr(module, key)):
                if target == module.id:
                    report("SOBC314", module.ref, *module.at(key, i), id=module.id, key=key)
                elif target not in known and target not in program.unreadable_modules:
                    referrer = f"'{key}' of module '{module.id}'"
                    report(
                        "SOBC303",
                        module.ref,
                        *module.at(key, i),
                        referrer=referrer,
                        id=target,
                        suggestion=suggest(target, known),
                    )
    for choice in program.module_choices:
        for i, option in enumerate(choice.options):
            if option.module not in known and option.module not in program.unreadable_modules:
                report(
                    "SOBC303",
                    choice.ref,
                    "options",
                    i,
                    "module",
                    referrer=f"module choice '{choice.id}'",
                    id=option.module,
                    suggestion=suggest(option.module, known),
                )


# the code for an unknown id of each kind a trigger key can refer to
_UNKNOWN = {"module": "SOBC303", "form": "SOBC302", "plan": "SOBC340"}


def flag_references(program: Program, report: Reporter) -> None:
    """The modules, forms and activity plans the triggers name (`kinds.triggers` says which
    keys of each trigger type refer to what)."""
    known = {
        "module": ([m.id for m in program.modules], program.unreadable_modules),
        "form": ([f.id for f in program.forms], program.unreadable_forms),
        "plan": ([p.id for p in program.activity_plans], frozenset[str]()),
    }
    for flag in program.flags:
        kind = triggers.KINDS[flag.trigger.type]
        for key in kind.references:
            target = getattr(flag.trigger, key)
            refers_to = triggers.KEYS[key].refers_to
            assert refers_to is not None
            ids, unreadable = known[refers_to]
            if target is not None and target not in ids and target not in unreadable:
                report(
                    _UNKNOWN[refers_to],
                    flag.ref,
                    "trigger",
                    key,
                    referrer=f"flag '{flag.id}'",
                    id=target,
                    suggestion=suggest(target, ids) or _known_plans(refers_to, ids),
                )


def _known_plans(refers_to: str, ids: list[str]) -> str:
    """A hint for a plan no id is close to: which plans there are."""
    if refers_to != "plan":
        return ""
    if not ids:
        return "the program has no activity_plans"
    return "its activity plans are: " + ", ".join(ids)


def track_and_role_references(program: Program, report: Reporter) -> None:
    tracks = [t.id for t in program.tracks]
    for module in program.modules:
        for i, track in enumerate(module.tracks):
            if track not in tracks:
                report(
                    "SOBC304",
                    module.ref,
                    "tracks",
                    i,
                    referrer=f"module '{module.id}'",
                    id=track,
                    suggestion=suggest(track, tracks),
                )
    roles = [r.id for r in program.roles]
    role = program.retention.responsible_role
    if role and role not in roles:
        report(
            "SOBC305",
            program.ref,
            "retention",
            "responsible_role",
            referrer="retention",
            id=role,
            suggestion=suggest(role, roles),
        )


def unused_forms(program: Program, report: Reporter) -> None:
    if program.unreadable_modules:
        return  # a module that could not be read may use any form
    used = {f for m in program.modules for s in m.steps for f in s.forms}
    used |= {f for m in program.modules for f in m.standalone_forms}
    used |= {p.form for p in program.activity_plans}
    for form in program.forms:
        if form.id not in used:
            report("SOBC312", form.ref, id=form.id)
