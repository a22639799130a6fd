"""The clinician guide's data: everything a new clinician needs, from the same source."""

from __future__ import annotations

from typing import Any

from ..kinds import triggers
from ..kinds.bounds import swedish_number
from ..kinds.computed import parse, walk
from ..kinds.questions import question_type
from ..kinds.scoring import item_range, total_range
from ..model.program import (
    Computed,
    FieldSources,
    Flag,
    Form,
    Module,
    Program,
    Question,
    Section,
    Source,
    field_source,
)
from .charts import guide_charts
from .views import (
    STEP_TYPES,
    WEEKDAYS,
    _base,
    answers_text,
    heading,
    module_path,
    plain,
    plain_except,
    step_path,
)

RECIPIENTS = {"patient": "Patienten", "clinician": "Behandlaren"}
ACTIVATION = {
    "clinician": "Behandlaren aktiverar planen och väljer startdatum",
    "program_start": "Startar när programmet startas",
}
# An optional plan is used only for the patients it suits: the clinician decides for whom.
OPTIONAL_ACTIVATION = {
    "clinician": "Valfri: behandlaren aktiverar planen för de patienter den passar och väljer "
    "startdatum",
    "program_start": "Valfri: för de patienter den passar startar den när programmet startas",
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


WRITTEN_HERE = "Skrivet för paketet"


def provenance(source: Source | None) -> dict[str, Any] | None:
    """How the guide shows an element's own `source`: a visible mark for content written for the
    package, a short reference for a place in the region's document; None for no source of its
    own (the element then has its parent's, already shown above it)."""
    if source is None:
        return None
    place = []
    if source.document or source.page or source.section or not source.written_here:
        place.append(source.document or "regionens dokument")
    if source.page:
        place.append(f"s. {source.page}")
    if source.section:
        place.append(f"avsnitt ”{source.section}”")
    if source.written_here:
        text = WRITTEN_HERE + (f" utifrån {', '.join(place)}" if place else "")
    elif not source.document and place[1:]:
        text = "Källa: " + ", ".join(place[1:])
    else:
        text = "Källa: " + ", ".join(place)
    if source.note:
        text += f". {source.note}"
    return {"written_here": source.written_here, "text": text}


def field_provenance(
    sources: FieldSources, names: tuple[str, ...]
) -> dict[str, dict[str, Any] | None]:
    """Each of `names` with the mark of its own source from `sources:` (None: the element's)."""
    return {name: provenance(field_source(sources, name)) for name in names}


# The fields of a module and of the program the guide shows, each beside its own source.
MODULE_FIELDS = (
    "summary",
    "description",
    "visibility",
    "length_days",
    "expected_duration",
    "starts_when",
    "parallel_with",
    "next",
)
PROGRAM_FIELDS = (
    "summary",
    "description",
    "welcome",
    "emergency",
    "target_group",
    "benefits",
    "principles",
    "requirements",
    "authorised_clinicians",
    "recommended_length_days",
    "response_time",
    "clinician_time",
    "communication",
)


def _titled(program: Program, kind: str, ident: str | None) -> str:
    if ident is None:
        return ""
    if kind == "module":
        module = program.module(ident)
        return f"”{module.title}”" if module else ident
    form = program.form(ident)
    return f"”{form.title}”" if form else ident


def days(n: int | None) -> str:
    """'1 dag', '14 dagar'."""
    return f"{n} dag" if n == 1 else f"{n} dagar"


def _flag_text(program: Program, flag: Flag) -> str:
    """When the flag fires, and what the clinician may switch on or change for a patient."""
    text = triggers.sentence(program, flag.trigger)
    if flag.optional:
        text += ". Valfri: behandlaren slår på den för de patienter den passar"
    for s in flag.adjustable:
        words = triggers.KEYS[s.key].words or s.key
        span = f"{swedish_number(s.min)}–{swedish_number(s.max)}"
        text += f". Behandlaren kan ändra {words} för en patient inom {span}"
    return text


def _flag(program: Program, flag: Flag) -> dict[str, Any]:
    return {
        **plain(flag),
        "trigger_text": _flag_text(program, flag),
        "recipient_text": RECIPIENTS.get(flag.recipient, flag.recipient),
        "provenance": provenance(flag.source),
    }


def _schedule_text(every: str, weekday: str | None, interval: int | None, time: str | None) -> str:
    at = f" från kl. {time}" if time else ""
    if every == "day":
        return f"Varje dag{at}"
    if every == "week":
        return f"Varje vecka på {WEEKDAYS.get(weekday or '', weekday or '')}{at}"
    return f"Var {interval}:e dag{at}"


def _section(
    program: Program, module: Module, section: Section, forms: dict[str, str]
) -> dict[str, Any]:
    return {
        "id": section.id,
        "heading": heading(section.number, section.title),
        "description": section.description,
        "provenance": provenance(section.source),
        "steps": [
            {
                "id": s.id,
                "title": heading(s.number, s.title),
                "href": step_path(module, s),
                "type_label": STEP_TYPES[s.type],
                "selectable": s.selectable,
                "guidance": s.guidance,
                "provenance": provenance(s.source),
                "forms": [{"id": i, "title": forms.get(i, i)} for i in s.forms if i in forms],
            }
            for s in section.steps
        ],
    }


def _module(
    program: Program, module: Module, titles: dict[str, str], forms: dict[str, str]
) -> dict[str, Any]:
    """One module's part of the guide, module → section → step; `titles` and `forms` are the
    headings of modules and forms by id."""
    view = plain_except(
        module, "sections", "guidance", "source", "sources", "next_when", "next_paths"
    )
    view.update(
        heading=heading(module.number, module.title),
        href=module_path(module),
        provenance=provenance(module.source),
        field_provenance=field_provenance(module.sources, MODULE_FIELDS),
        guidance=plain_except(module.guidance, "source"),
        guidance_provenance=provenance(module.guidance.source),
        visibility_text=VISIBILITY.get(module.visibility, module.visibility),
        track_titles=[t.title for t in program.tracks if t.id in module.tracks],
        next_titles=_next_words(program, module, titles),
        parallel_titles=[titles.get(i, i) for i in module.parallel_with],
        standalone=[{"id": i, "title": forms.get(i, i)} for i in module.standalone_forms],
        sections=[_section(program, module, s, forms) for s in module.sections],
        choice=_choice_of(program, module, titles),
    )
    return view


def _next_words(program: Program, module: Module, titles: dict[str, str]) -> list[str]:
    """The modules of next, each with the answer it comes after, if any, and the program's
    end when none holds; in Swedish, for the guide."""
    conditions = {w.module: w for w in module.next_when}
    words = []
    for target in module.next:
        title, when = titles.get(target, target), conditions.get(target)
        form = program.form(when.form) if when else None
        question = (
            next((q for q in form.questions if q.id == when.question), None)
            if form and when
            else None
        )
        if when is None or form is None or question is None:
            words.append(title)
            continue
        answers = triggers.either([triggers.answer_words(question, v) for v in when.values])
        words.append(
            f"{title} om patienten har svarat {answers} på ”{question.text}” "
            f"i formuläret ”{form.title}”"
        )
    if module.ends:
        words.append(
            "annars avslutas programmet efter modulen"
            if words
            else "ingen modul; programmet avslutas efter den"
        )
    return words


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
            **plain_except(choice, "options", "source"),
            "provenance": provenance(choice.source),
            "chosen_by_text": CHOSEN_BY.get(choice.chosen_by, choice.chosen_by),
            "options": [
                {"label": o.label, "module": o.module, "heading": titles.get(o.module, o.module)}
                for o in choice.options
            ],
        }
        for choice in program.module_choices
    ]


def _condition_text(form: Form, q: Question) -> str | None:
    cond = q.enable_when
    if cond is None:
        return None
    number = next((n for n, x in enumerate(form.questions, 1) if x.id == cond.question), None)
    question = f"fråga {number}" if number else f"frågan {cond.question}"
    return f"Visas bara om patienten har {answers_text(q, form)} på {question}."


def _counted(form: Form, q: Question) -> dict[str, int]:
    """A reversed item's options by value, with the score each counts as (lowest + highest −
    its own); empty for an item that is not reversed."""
    span = item_range(q)
    if form.scoring is None or q.id not in form.scoring.reverse or span is None:
        return {}
    return {o.value: span[0] + span[1] - o.score for o in q.options if o.score is not None}


def _question(form: Form, q: Question) -> dict[str, Any]:
    details = question_type(q.type).words(q)  # what its own keys say, in its type's words
    reversed_scores = _counted(form, q)
    if form.scoring is not None and q.id in form.scoring.reverse:
        span = item_range(q)
        details.append(
            "räknas omvänt: varje svar ger poängen inom parentes"
            if q.options
            else f"räknas omvänt: värdet v ger {span[0] + span[1]} − v poäng"
            if span
            else "räknas omvänt"
        )
    return {
        "id": q.id,
        "type": q.type,
        "text": q.text,
        "type_label": question_type(q.type).label,
        "required": q.required,
        "help": q.help,
        "details": details,
        "condition": _condition_text(form, q),
        "options": [
            {
                "value": o.value,
                "label": o.label,
                "exclusive": o.exclusive,
                "score": reversed_scores.get(o.value, o.score),
                "group": o.group,
            }
            for o in q.options
        ],
        "columns": [{"text": c.text, "type_label": question_type(c.type).label} for c in q.columns],
        "provenance": provenance(q.source),
    }


def _form(program: Program, form: Form, used_in: list[dict[str, str]]) -> dict[str, Any]:
    """A form as the clinician reads it: every question with its options or scale, and where the
    patient meets it. Scores and bands (scored forms) belong after the questions."""
    return {
        "id": form.id,
        "heading": heading(form.number, form.title),
        "description": form.description,
        "provenance": provenance(form.source),
        "description_provenance": provenance(field_source(form.sources, "description")),
        "used_in": used_in,
        "questions": [_question(form, q) for q in form.questions],
        "scoring": _scoring(form),
        "instrument": plain(form.instrument) if form.instrument else None,
        "computed": [_computed(form, c) for c in form.computed],
        "charts": guide_charts(form),
    }


def _computed(form: Form, value: Computed) -> dict[str, Any]:
    """A computed value as the clinician reads it: how it is computed, from what, its bands."""
    titles = {q.id: f"”{q.text}”" for q in form.questions}
    titles.update({c.id: f"värdet ”{c.title}”" for c in form.computed})
    tree = parse(value.expression)  # the checks have read it
    names = list(dict.fromkeys(str(n.value) for n in tree.names()))
    decimals = value.decimals
    return {
        **plain_except(value, "bands"),
        "names": [{"id": n, "text": titles[n]} for n in names if n in titles],
        "between": any(n.kind == "minutes_between" for n in walk(tree)),
        "rounding": f"avrundat till {decimals} decimal{'er' if decimals > 1 else ''}"
        if decimals
        else "avrundat till heltal",
        "bands": [
            {"range": f"{swedish_number(b.min)}–{swedish_number(b.max)}", "label": b.label}
            for b in value.bands
        ],
    }


UNANSWERED = {
    "no_total": "Ingen summa räknas om någon av frågorna är obesvarad.",
    "skip": "Obesvarade frågor räknas som 0.",
    "prorate": "Med högst {n} räknas summan upp: summan av de besvarade × antalet frågor / "
    "antalet besvarade, avrundat till närmaste heltal (en halv avrundas uppåt). Med fler "
    "obesvarade frågor räknas ingen summa.",
}
HIDDEN = (
    "En fråga som inte visas för patienten, eftersom den bara visas efter ett visst svar, "
    "räknas som obesvarad."
)


def _unanswered(count: int) -> str:
    """'1 obesvarad fråga', '2 obesvarade frågor'."""
    return f"{count} obesvarad fråga" if count == 1 else f"{count} obesvarade frågor"


def _scoring(form: Form) -> dict[str, Any] | None:
    """A scored form's totals as the clinician reads them: which questions (by their number in
    the form), the possible range, the rule for unanswered questions, the bands."""
    scoring = form.scoring
    if scoring is None:
        return None
    numbers = {q.id: n for n, q in enumerate(form.questions, 1)}
    totals = []
    for t in scoring.totals:
        span = total_range(form, t)
        asked = [str(numbers[q]) for q in t.questions if q in numbers]
        named = " och ".join([", ".join(asked[:-1]), asked[-1]] if len(asked) > 1 else asked)
        totals.append(
            {
                "id": t.id,
                "title": t.title,
                "questions": "alla poänggivande frågor"
                if t.all_questions
                else f"fråga {named}"
                if len(asked) == 1
                else f"frågorna {named}",
                "range": None if span is None else f"{span[0]}–{span[1]}",
                "bands": [plain(b) for b in t.bands],
            }
        )
    rule = UNANSWERED[scoring.unanswered].format(n=_unanswered(scoring.max_unanswered or 0))
    counted = {q for t in scoring.totals for q in t.questions}
    if any(q.enable_when is not None and q.id in counted for q in form.questions):
        rule += " " + HIDDEN
    return {"totals": totals, "unanswered": rule}


def _form_uses(program: Program) -> dict[str, list[dict[str, str]]]:
    """Where each form is shown: the step pages (and module pages, for standalone forms)."""
    uses: dict[str, list[dict[str, str]]] = {}
    for module in program.modules:
        for step in module.steps:
            for form_id in step.forms:
                uses.setdefault(form_id, []).append(
                    {
                        "title": f"{heading(step.number, step.title)} ({module.title})",
                        "href": f"{step_path(module, step)}#form-{form_id}",
                    }
                )
        for form_id in module.standalone_forms:
            uses.setdefault(form_id, []).append(
                {
                    "title": f"Modulen {heading(module.number, module.title)}",
                    "href": f"{module_path(module)}#form-{form_id}",
                }
            )
    return uses


def guide_context(program: Program, assets: dict[str, str]) -> dict[str, Any]:
    title = f"Handledning: {program.title}"
    crumbs = [
        {"title": program.title, "href": "index.html"},
        {"title": "Handledning för behandlare", "href": None},
    ]
    ctx = _base(title, "", assets, crumbs)
    info = plain_except(program, "modules", "forms", "sources")
    info["provenance"] = provenance(program.source)
    info["field_provenance"] = field_provenance(program.sources, PROGRAM_FIELDS)
    for key in ("roles", "way_of_working", "usage_examples", "checklists", "risks"):
        for item, model_item in zip(info[key], getattr(program, key), strict=True):
            item["provenance"] = provenance(model_item.source)
    for item, model_item in zip(info["guide_sections"], program.guide_sections, strict=True):
        item["provenance"] = provenance(model_item.source)
    for item, model_item in zip(info["tracks"], program.tracks, strict=True):
        item["provenance"] = provenance(model_item.source)
    roles = {r.id: r.title for r in program.roles}
    plans = _plans(program, {f.id: heading(f.number, f.title) for f in program.forms})
    retention = plain(program.retention)
    retention["provenance"] = provenance(program.retention.source)
    role = program.retention.responsible_role
    retention["role_title"] = roles.get(role, role) if role else None
    titles = {m.id: heading(m.number, m.title) for m in program.modules}
    uses = _form_uses(program)
    for p in program.activity_plans:
        uses.setdefault(p.form, []).append(
            {"title": f"Aktivitetsplanen {p.title}", "href": f"#plan-{p.id}"}
        )
    # in program order: where the patient first meets each form
    shown_forms = [f for i in uses if (f := program.form(i)) is not None]
    form_titles = {f.id: heading(f.number, f.title) for f in shown_forms}
    ctx.update(
        program=info,
        modules=[_module(program, m, titles, form_titles) for m in program.modules],
        choices=_choices(program, titles),
        forms=[_form(program, f, uses[f.id]) for f in shown_forms],
        flags=[_flag(program, f) for f in program.flags],
        plans=plans,
        retention=retention,
        audience=AUDIENCE,
        code_use=CODE_USE,
    )
    return ctx


def _plans(program: Program, forms: dict[str, str]) -> list[dict[str, Any]]:
    """The activity plans, with their form's heading, start and schedule in words."""
    return [
        {
            **plain(p),
            "form_title": forms.get(p.form, p.form),
            "activation_text": (OPTIONAL_ACTIVATION if p.optional else ACTIVATION).get(
                p.activation, p.activation
            ),
            "provenance": provenance(p.source),
            "schedule_text": _schedule_text(
                p.schedule.every, p.schedule.weekday, p.schedule.interval_days, p.schedule.time
            ),
        }
        for p in program.activity_plans
    ]


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
