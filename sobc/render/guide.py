"""The clinician guide's data: everything a new clinician needs, from the same source."""

from __future__ import annotations

from typing import Any

from ..kinds import triggers
from ..model import Flag, Module, Program
from .views import STEP_TYPES, WEEKDAYS, _base, heading, plain, plain_except

RECIPIENTS = {"patient": "Patienten", "clinician": "Behandlaren"}
ACTIVATION = {
    "clinician": "Behandlaren aktiverar planen och väljer startdatum",
    "program_start": "Startar när programmet startas",
}
AUDIENCE = {"clinician": "Behandlare", "patient": "Patienter", "everyone": "Alla"}
CODE_USE = {
    "always": "Alltid",
    "combined": "Tillsammans med de koder som alltid används",
    "optional": "Vid behov",
}
CHOSEN_BY = {
    "patient": "Patienten väljer",
    "clinician": "Behandlaren väljer",
}
VISIBILITY = {
    "always": "Synlig för patienten från start",
    "activated": "Behandlaren startar modulen",
}


def days(n: int | None) -> str:
    """'1 dag', '14 dagar'."""
    return f"{n} dag" if n == 1 else f"{n} dagar"


def _flag(program: Program, flag: Flag) -> dict[str, Any]:
    return {
        **plain(flag),
        "trigger_text": triggers.sentence(program, flag.trigger),
        "recipient_text": RECIPIENTS.get(flag.recipient, flag.recipient),
    }


def _schedule_text(every: str, weekday: str | None, interval: int | None, time: str | None) -> str:
    at = f" från kl. {time}" if time else ""
    if every == "day":
        return f"Varje dag{at}"
    if every == "week":
        return f"Varje vecka på {WEEKDAYS.get(weekday or '', weekday or '')}{at}"
    return f"Var {interval}:e dag{at}"


def _module(
    program: Program, module: Module, titles: dict[str, str], forms: dict[str, str]
) -> dict[str, Any]:
    """One module's part of the guide; `titles` and `forms` are the headings of modules and the
    titles of forms by id."""
    view = plain_except(module, "sections")
    view.update(
        heading=heading(module.number, module.title),
        visibility_text=VISIBILITY.get(module.visibility, module.visibility),
        track_titles=[t.title for t in program.tracks if t.id in module.tracks],
        next_titles=[titles.get(i, i) for i in module.next],
        parallel_titles=[titles.get(i, i) for i in module.parallel_with],
        standalone_titles=[forms.get(i, i) for i in module.standalone_forms],
        choice=_choice_of(program, module, titles),
        steps=[
            {
                "title": heading(s.number, s.title),
                "type_label": STEP_TYPES[s.type],
                "selectable": s.selectable,
                "guidance": s.guidance,
                "forms": [forms.get(i, i) for i in s.forms],
            }
            for s in module.steps
        ],
    )
    return view


def _choice_of(program: Program, module: Module, titles: dict[str, str]) -> dict[str, str] | None:
    """The choice a module is an alternative in, for the module's facts."""
    choice = program.choice_of(module.id)
    if choice is None:
        return None
    others = [titles.get(o.module, o.module) for o in choice.options if o.module != module.id]
    return {"id": choice.id, "title": choice.title, "others": ", ".join(others)}


def _choices(program: Program, titles: dict[str, str]) -> list[dict[str, Any]]:
    """Each module choice: its question, who makes it, and the module each answer leads to."""
    return [
        {
            **plain_except(choice, "options"),
            "chosen_by_text": CHOSEN_BY.get(choice.chosen_by, choice.chosen_by),
            "options": [
                {"label": o.label, "module": o.module, "heading": titles.get(o.module, o.module)}
                for o in choice.options
            ],
        }
        for choice in program.module_choices
    ]


def guide_context(program: Program, assets: dict[str, str]) -> dict[str, Any]:
    title = f"Handledning: {program.title}"
    crumbs = [
        {"title": program.title, "href": "index.html"},
        {"title": "Handledning för behandlare", "href": None},
    ]
    ctx = _base(title, "", assets, crumbs)
    info = plain_except(program, "modules", "forms")
    roles = {r.id: r.title for r in program.roles}
    forms = {f.id: heading(f.number, f.title) for f in program.forms}
    plans = [
        {
            **plain(p),
            "form_title": forms.get(p.form, p.form),
            "activation_text": ACTIVATION.get(p.activation, p.activation),
            "schedule_text": _schedule_text(
                p.schedule.every, p.schedule.weekday, p.schedule.interval_days, p.schedule.time
            ),
        }
        for p in program.activity_plans
    ]
    retention = plain(program.retention)
    role = program.retention.responsible_role
    retention["role_title"] = roles.get(role, role) if role else None
    titles = {m.id: heading(m.number, m.title) for m in program.modules}
    form_titles = {f.id: f.title for f in program.forms}
    ctx.update(
        program=info,
        modules=[_module(program, m, titles, form_titles) for m in program.modules],
        choices=_choices(program, titles),
        flags=[_flag(program, f) for f in program.flags],
        plans=plans,
        retention=retention,
        audience=AUDIENCE,
        code_use=CODE_USE,
    )
    return ctx


def catalogue_entry(manifest: dict[str, Any]) -> dict[str, Any]:
    """A package's entry in the catalogue, from its manifest (the catalogue lists what the
    output folder holds, whichever build wrote each package)."""
    program = manifest["program"]
    return {
        "id": program["id"],
        "title": program["title"],
        "version": program["version"],
        "publisher": program["publisher"],
        "summary": program["summary"],
        "href": f"{program['id']}/{program['index_page']}",
        "guide_href": f"{program['id']}/{program['guide_page']}",
        "modules": [heading(m["number"], m["title"]) for m in manifest["modules"]],
    }


def catalogue_context(entries: list[dict[str, Any]], assets: dict[str, str]) -> dict[str, Any]:
    ctx = _base("Program", "", assets, [])
    ctx["programs"] = entries
    return ctx
