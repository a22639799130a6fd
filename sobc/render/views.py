"""The data each page is rendered from: plain JSON-like values, so a page's inputs can be hashed.

A page's context holds exactly what the page shows — a step page knows its neighbours' titles
but not their bodies — so the incremental build re-renders a page only when what it shows changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, is_dataclass
from pathlib import Path
from typing import Any

from ..check.media import TEXT_LIMIT
from ..kinds.questions import question_type
from ..kinds.steps import STEP_TYPES as _STEP_KINDS
from ..model.program import Column, Form, Module, Program, Question, Section, Step
from ..read.files import read_regular
from ..runtime.layout import module_page, source_path, step_page, transcript_page

# Each step type's Swedish name, from the step registry.
STEP_TYPES = {name: t.label for name, t in _STEP_KINDS.items()}
FORM_LABEL = "Formulär"  # a step with a form, as the patient is told what it is
TRANSCRIPT_TITLE = "Text till filmen"  # the readable page of a video's captions
WORDS_PER_MINUTE = 150  # a patient's reading pace for the module page's reading time
_VOICE_TAG = re.compile(r"</?[a-z][^>]*>")  # WebVTT's voice, class and timestamp tags
WEEKDAYS = {
    "monday": "måndag",
    "tuesday": "tisdag",
    "wednesday": "onsdag",
    "thursday": "torsdag",
    "friday": "fredag",
    "saturday": "lördag",
    "sunday": "söndag",
}
_SKIP = {"ref", "root"}
# Values `plain` returns as they are; checked by exact type, which is cheaper than isinstance.
_SCALARS = {str, int, float, bool, type(None)}
# Each dataclass's shown field names, looked up once: `dataclasses.fields` per object was the
# largest cost of making a program's pages.
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """The fields `plain` keeps of a dataclass, or None for any other class."""
    try:
        return _FIELDS[cls]
    except KeyError:
        names = None
        if is_dataclass(cls):
            names = tuple(f.name for f in fields(cls) if f.name not in _SKIP)
        _FIELDS[cls] = names
        return names


def plain(obj: Any) -> Any:
    """Model objects as dicts and lists, without source references."""
    cls = type(obj)
    if cls in _SCALARS:
        return obj
    if cls is tuple or cls is list:
        return [plain(x) for x in obj]
    names = _field_names(cls)
    if names is not None:
        # scalars inline: most fields are text, and a call per field was a third of the time
        view = {}
        for name in names:
            value = getattr(obj, name)
            view[name] = value if type(value) in _SCALARS else plain(value)
        return view
    if isinstance(obj, tuple | list):
        return [plain(x) for x in obj]
    if isinstance(obj, Path):
        return obj.as_posix()
    return obj


def plain_except(obj: Any, *skip: str) -> dict[str, Any]:
    """`plain` of a model object without some of its fields (not even converted)."""
    names = _field_names(type(obj)) or ()
    return {name: plain(getattr(obj, name)) for name in names if name not in skip}


def step_path(module: Module, step: Step) -> str:
    return step_page(module.id, step.id)


def module_path(module: Module) -> str:
    return module_page(module.id)


def heading(number: str | None, title: str) -> str:
    return f"{number} {title}" if number else title


def _base(title: str, prefix: str, assets: dict[str, str], crumbs: list[Any]) -> dict[str, Any]:
    return {
        "title": title,
        "prefix": prefix,
        "css": prefix + assets["css"],
        "js": prefix + assets["js"],
        "breadcrumbs": crumbs,
    }


# ---------------------------------------------------------------- forms


def _value_text(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def answers_text(q: Question, form: Form) -> str:
    """The answers that show question `q`, in words: 'svarat ”Nej”', 'kryssat i rutan'."""
    assert q.enable_when is not None
    target = form_question(form, q.enable_when.question)
    labels = {o.value: o.label for o in target.options} if target else {}
    shown = []
    for v in q.enable_when.values:
        if isinstance(v, bool):
            shown.append("kryssat i rutan" if v else "inte kryssat i rutan")
        else:
            shown.append(f"svarat ”{labels.get(v, v)}”")
    return " eller ".join(shown)


def _condition(q: Question, form: Form) -> dict[str, Any] | None:
    cond = q.enable_when
    if cond is None:
        return None
    target = form_question(form, cond.question)
    question_text = target.text.strip() if target else cond.question
    return {
        "target": f"f-{form.id}-{cond.question}",
        "values": [_value_text(v) for v in cond.values],
        "text": f"Besvara om du har {answers_text(q, form)} på frågan ”{question_text}”.",
    }


def form_question(form: Form, question_id: str) -> Question | None:
    return next((q for q in form.questions if q.id == question_id), None)


def _question_view(q: Question, form: Form) -> dict[str, Any]:
    """What a question's control (its type's template, `questions/<type>.html.j2`) and the form
    around it need; what varies by type is in the template and the type's record."""
    kind = question_type(q.type)
    view: dict[str, Any] = plain(q)
    view["dom_id"] = dom_id = f"f-{form.id}-{q.id}"
    view["control"] = kind.name
    view["group"] = kind.group  # a fieldset of controls, or one labelled control
    view["stores_answer"] = kind.stores_answer
    view["in_row"] = False
    view["data"] = _limits_for_the_script(q)
    view["range_text"] = _range_text(q)
    view["describedby"] = _described_by(q, view["range_text"], dom_id)
    view["condition"] = _condition(q, form)
    # the ids of choices made here: the template then writes each id once
    for n, option in enumerate(view["options"], 1):
        option["dom_id"] = f"{dom_id}-{n}"
    view["columns"] = [_column_view(c) for c in q.columns]
    return view


def _limits_for_the_script(q: Question) -> dict[str, int]:
    """The limits the page's script checks, as the fieldset's data attributes: of selections
    and of rows, each written or as it is when not written."""
    keys = question_type(q.type).keys
    found = {}
    if "min_selections" in keys:
        found["min-selections"] = (
            q.min_selections if q.min_selections is not None else int(q.required)
        )
        if q.max_selections is not None:
            found["max-selections"] = q.max_selections
    if "min_rows" in keys:
        found["min-rows"] = q.min_rows or 0
        if q.max_rows:
            found["max-rows"] = q.max_rows
    return found


def _range_text(q: Question) -> str:
    """The range a control shows beside it, for a type whose record says it does."""
    kind = question_type(q.type)
    if kind.bounds is None or not kind.shows_range or (q.min is None and q.max is None):
        return ""
    return kind.bounds.span(q.min, q.max)


def _described_by(q: Question, range_text: str, dom_id: str) -> str:
    """The ids of the texts that describe a question's control: its help, unit and range."""
    ids = []
    if q.help:
        ids.append(f"{dom_id}-help")
    if q.unit:
        ids.append(f"{dom_id}-unit")
    if range_text:
        ids.append(f"{dom_id}-range")
    return " ".join(ids)


def _column_view(column: Column) -> dict[str, Any]:
    """A plan's column as its type's control reads a question: every key, none of them set."""
    return {
        **_BLANK_QUESTION,
        "id": column.id,
        "type": column.type,
        "control": column.type,
        "text": column.text,
        "required": column.required,
        "options": plain(column.options),
        "in_row": True,
    }


_BLANK_QUESTION = {
    **plain(Question("", "", "", ref=None)),  # type: ignore[arg-type]
    "describedby": "",
    "range_text": "",
}


def form_view(form: Form) -> dict[str, Any]:
    return {
        "id": form.id,
        "title": form.title,
        "number": form.number,
        "description": form.description,
        "questions": [_question_view(q, form) for q in form.questions],
        # the note on (obligatorisk) only where a question is marked so
        "any_required": any(q.required for q in form.questions),
    }


@dataclass(frozen=True)
class Shared:
    """Views that several pages of one program show, made once per program instead of per page.

    Contexts hold these very objects, so nothing may change them once made.
    """

    program: dict[str, Any]
    forms: dict[str, dict[str, Any]]

    def forms_of(self, ids: tuple[str, ...]) -> list[dict[str, Any]]:
        return [self.forms[i] for i in ids if i in self.forms]


def shared(program: Program) -> Shared:
    """The shared views of a program's pages."""
    # reversed: with a repeated id (an error the checks report) the first form wins, as in
    # `Program.form`
    forms = {f.id: form_view(f) for f in reversed(program.forms)}
    return Shared(program={"id": program.id, "title": program.title}, forms=forms)


# ---------------------------------------------------------------- pages


def starts_with_heading(text: str | None) -> bool:
    """Whether a Markdown text opens with a heading of its own (then the page adds none)."""
    return text is not None and text.lstrip().startswith("#")


def _media_text(program: Program, name: str) -> str:
    """A file of a step's media (transcript, captions) as text; the checks have found it
    readable, in media/, and UTF-8 text."""
    path = program.root / source_path(name)
    return read_regular(path, TEXT_LIMIT, inside=program.root).decode("utf-8", errors="replace")


def _media_view(program: Program, module: Module, step: Step) -> dict[str, Any] | None:
    media = step.media
    if media is None:
        return None
    view: dict[str, Any] = plain(media)
    view["transcript_text"] = None
    view["transcript_markdown"] = bool(media.transcript and media.transcript.endswith(".md"))
    if media.transcript:
        view["transcript_text"] = _media_text(program, media.transcript)
    view["transcript_titled"] = view["transcript_markdown"] and starts_with_heading(
        view["transcript_text"]
    )
    view["captions_page"] = "../" + transcript_page(module.id, step.id) if media.captions else None
    return view


def caption_paragraphs(vtt: str) -> list[str]:
    """The text of a WebVTT file, one paragraph per cue: without its header, notes, cue ids,
    timings and voice tags."""
    paragraphs = []
    for block in vtt.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        timed = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timed is None:
            continue  # the header, a NOTE, STYLE or REGION block
        text = " ".join(lines[timed + 1 :])
        text = _VOICE_TAG.sub("", text).strip()
        if text:
            paragraphs.append(text)
    return paragraphs


def transcript_context(
    program: Program, module: Module, step: Step, assets: dict[str, str]
) -> dict[str, Any]:
    """The readable page of a video's captions."""
    prefix = "../"
    crumbs = [
        {"title": program.title, "href": prefix + "index.html"},
        {"title": heading(module.number, module.title), "href": prefix + module_path(module)},
        {"title": heading(step.number, step.title), "href": prefix + step_path(module, step)},
        {"title": TRANSCRIPT_TITLE, "href": None},
    ]
    ctx = _base(f"{TRANSCRIPT_TITLE}: {step.title} – {program.title}", prefix, assets, crumbs)
    captions = step.media.captions if step.media else None
    ctx.update(
        program={"id": program.id, "title": program.title},
        step={"title": step.title, "href": prefix + step_path(module, step)},
        paragraphs=caption_paragraphs(_media_text(program, captions)) if captions else [],
    )
    return ctx


def _link(module: Module, step: Step, prefix: str) -> dict[str, Any]:
    return {
        "title": step.title,
        "number": step.number,
        "href": prefix + step_path(module, step),
        # the step's name in the reader's progress (read / not read), kept by sobc.js
        "key": f"{module.id}/{step.id}",
        "selectable": step.selectable,  # hidden until the clinician chooses it
    }


def _section_view(section: Section) -> dict[str, Any]:
    return {"id": section.id, "title": section.title, "number": section.number}


def step_contexts(
    program: Program, module: Module, assets: dict[str, str], common: Shared
) -> list[dict[str, Any]]:
    """The contexts of a module's step pages, in order; what they have alike is made once."""
    prefix = "../"
    module_href = prefix + module_path(module)
    program_crumb = {"title": program.title, "href": prefix + "index.html"}
    module_crumb = {"title": heading(module.number, module.title), "href": module_href}
    module_view = {"id": module.id, "title": module.title, "number": module.number}
    placed = [(_section_view(s), step) for s in module.sections for step in s.steps]
    links = [_link(module, step, prefix) for _, step in placed]
    contexts = []
    for index, (section, step) in enumerate(placed):
        crumbs = [
            program_crumb,
            module_crumb,
            {"title": heading(step.number, step.title), "href": None},
        ]
        ctx = _base(f"{step.title} – {program.title}", prefix, assets, crumbs)
        view = plain(step)
        view["media"] = _media_view(program, module, step)
        view["type_label"] = step_label(step)
        ctx.update(
            program=common.program,
            module=module_view,
            section=section,
            step=view,
            forms=common.forms_of(step.forms),
            position={"index": index + 1, "total": len(placed)},
            nearby=_nearby(links, index),
            prev=links[index - 1] if index > 0 else None,
            next=links[index + 1] if index + 1 < len(placed) else None,
            module_href=module_href,
        )
        contexts.append(ctx)
    return contexts


NEARBY = 5  # steps listed on each side of a step page's own


def _nearby(links: list[dict[str, Any]], index: int) -> dict[str, Any]:
    """The module's steps a step page lists beside itself: its own and up to NEARBY on each
    side, so that a page's size does not grow with its module (the module page lists them
    all)."""
    first = max(0, index - NEARBY)
    last = min(len(links), index + NEARBY + 1)
    return {
        "steps": links[first:last],
        "start": first + 1,
        "current": links[index]["key"],
        "more_before": first > 0,
        "more_after": last < len(links),
    }


def module_context(
    program: Program, module: Module, assets: dict[str, str], common: Shared
) -> dict[str, Any]:
    prefix = "../"
    crumbs = [
        {"title": program.title, "href": prefix + "index.html"},
        {"title": heading(module.number, module.title), "href": None},
    ]
    ctx = _base(f"{module.title} – {program.title}", prefix, assets, crumbs)
    sections = []
    for section in module.sections:
        steps = [
            {
                **_link(module, step, prefix),
                "type_label": step_label(step),
                "selectable": step.selectable,
            }
            for step in section.steps
        ]
        sections.append(
            {
                "id": section.id,
                "title": section.title,
                "number": section.number,
                "description": section.description,
                "steps": steps,
            }
        )
    view = plain_except(module, "sections", "guidance", "sources")
    first = module.steps[0] if module.steps else None
    ctx.update(
        program=common.program,
        module=view,
        first_step=prefix + step_path(module, first) if first else None,
        reading_minutes=reading_minutes(module),
        sections=sections,
        forms=common.forms_of(module.standalone_forms),
    )
    return ctx


def step_label(step: Step) -> str:
    """What a patient is told a step is: a step with a form is a form, whatever its type."""
    return FORM_LABEL if step.forms else STEP_TYPES[step.type]


def reading_minutes(module: Module) -> int:
    """About how many minutes the module's texts take to read, at least one."""
    texts = [module.description or ""]
    for section in module.sections:
        texts.append(section.description or "")
        texts.extend(step.body or "" for step in section.steps)
    words = sum(len(text.split()) for text in texts)
    return max(1, -(-words // WORDS_PER_MINUTE))


def for_every_patient(program: Program, module: Module) -> bool:
    """Whether every patient may get the module: it belongs to no track, or to every one (a
    module of some tracks only is not listed to patients, who see only their own track's)."""
    return not module.tracks or {t.id for t in program.tracks} <= set(module.tracks)


def _module_entry(program: Program, m: Module) -> dict[str, Any]:
    return {
        "id": m.id,
        "title": m.title,
        "number": m.number,
        "summary": m.summary,
        "visibility": m.visibility,
        "length_days": m.length_days,
        "tracks": list(m.tracks),  # for the preview's simulated start, never shown
        "href": module_path(m),
        "choice": None,
        "choice_first": False,
    }


def _choice_views(program: Program, entries: dict[str, dict[str, Any]]) -> None:
    """Each module of a choice gets the choice's view; the list shows the choice in the place
    of its first module in program order, and its other modules only inside it."""
    for choice in program.module_choices:
        shown = [(o.label, entries[o.module]) for o in choice.options if o.module in entries]
        view = {
            "id": choice.id,
            "title": choice.title,
            "question": choice.question,
            "description": choice.description,
            "chosen_by": choice.chosen_by,
            "visibility": shown[0][1]["visibility"] if shown else "activated",
            "options": [{"label": label, "module": _without_choice(e)} for label, e in shown],
        }
        placed = [
            entries[m.id] for m in program.modules if m.id in choice.modules and m.id in entries
        ]
        for entry in placed:
            if entry["choice"] is None:  # a module in two choices (an error): the first
                entry["choice"] = view
        if placed and placed[0]["choice"] is view:
            placed[0]["choice_first"] = True


def _without_choice(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in ("choice", "choice_first")}


def program_context(program: Program, assets: dict[str, str]) -> dict[str, Any]:
    prefix = ""
    ctx = _base(program.title, prefix, assets, [{"title": program.title, "href": None}])
    listed = [m for m in program.modules if for_every_patient(program, m)]
    entries = {m.id: _module_entry(program, m) for m in reversed(listed)}
    modules = [entries[m.id] for m in listed]
    _choice_views(program, entries)
    ctx.update(
        program={
            k: plain(getattr(program, k))
            for k in ("id", "title", "version", "publisher", "summary", "welcome", "emergency")
        },
        welcome_titled=starts_with_heading(program.welcome),
        modules=modules,
        more_modules=len(listed) < len(program.modules),
    )
    return ctx
