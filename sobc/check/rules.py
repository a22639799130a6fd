"""Semantic rules over a loaded program. Each rule reports through one `report` that turns a
model reference into file:line:col, so no rule computes a position itself."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Location, make
from ..kinds import triggers
from ..kinds.questions import QUESTION_TYPES, question_type
from ..kinds.scoring import fingerprint, total_range
from ..model.program import Form, ModuleChoice, Program, Question, Ref, Scoring, Theme, Total
from ..paths import display_path
from ..runtime.layout import (
    MODULE_SCHEME,
    STEP_SCHEME,
    is_media_path,
    is_page_link,
    page_link_target,
    published_path,
)
from .findings import link_targets, raw_html, tag_name
from .media import KINDS_TEXT, Reference, locate, markdown_texts, references, unpublishable
from .media import files as media_files
from .theme import shortfalls
from .urls import check_url

LEGAL_MAX_RETENTION_DAYS = 730


class Reporter:
    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def __call__(
        self,
        code: str,
        ref: Ref,
        *at: str | int,
        on_key: bool = False,
        offset: int | None = None,
        **ctx: Any,
    ) -> None:
        """Report at the value at `at` (or its key); with `offset`, at that character of the
        value's text (a link inside a step's body, say)."""
        location = ref.at(*at, key=on_key, offset=offset)
        self.diagnostics.append(make(code, location, ref.source_line(location), **ctx))

    def file(self, code: str, path: Path, **ctx: Any) -> None:
        """A problem of a whole file, which no YAML value stands for."""
        self.diagnostics.append(make(code, Location(display_path(path)), **ctx))


Rule = Callable[[Program, Reporter], None]


def check(program: Program) -> list[Diagnostic]:
    """Every semantic problem of a program that passed schema validation, in source order."""
    report = Reporter()
    for rule in RULES:
        rule(program, report)
    return sorted(report.diagnostics, key=Diagnostic.sort_key)


def _suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else ""


# --- unique ids -----------------------------------------------------------------------------


def _unique(
    report: Reporter, kind: str, items: Iterable[tuple[str, Ref, tuple[str | int, ...]]]
) -> None:
    # positions are looked up only for a duplicate: a clean program never needs them
    first: dict[str, tuple[Ref, tuple[str | int, ...]]] = {}
    for ident, ref, at in items:
        if ident in first:
            first_ref, first_at = first[ident]
            line = first_ref.at(*first_at).line
            report("SOBC301", ref, *at, kind=kind, id=ident, first_line=line)
        else:
            first[ident] = (ref, at)


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
        _unique(report, kind, ((x.id, x.ref, ("id",)) for x in items if x.ref is not None))
    choices = program.module_choices
    _unique(report, "module choice", ((c.id, c.ref, ("id",)) for c in choices))
    for module in program.modules:
        _unique(report, "section", ((s.id, s.ref, ("id",)) for s in module.sections))
        _unique(report, "step", ((s.id, s.ref, ("id",)) for s in module.steps))
    for form in program.forms:
        _unique(report, "question", ((q.id, q.ref, ("id",)) for q in form.questions))
        for q in form.questions:
            _unique(
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


# --- references -----------------------------------------------------------------------------


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
                suggestion=_suggest(form_id, known),
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
                    report("SOBC314", module.ref, key, i, id=module.id, key=key)
                elif target not in known and target not in program.unreadable_modules:
                    referrer = f"'{key}' of module '{module.id}'"
                    report(
                        "SOBC303",
                        module.ref,
                        key,
                        i,
                        referrer=referrer,
                        id=target,
                        suggestion=_suggest(target, known),
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
                    suggestion=_suggest(option.module, known),
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
                    suggestion=_suggest(target, ids) or _known_plans(refers_to, ids),
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
                    suggestion=_suggest(track, tracks),
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
            suggestion=_suggest(role, roles),
        )


def unused_forms(program: Program, report: Reporter) -> None:
    if program.unreadable_modules:
        return  # a module that could not be read may use any form
    used = {f for m in program.modules for s in m.steps for f in s.forms}
    used |= {f for m in program.modules for f in m.standalone_forms}
    used |= {p.form for p in program.activity_plans}
    used |= {f.trigger.form for f in program.flags if f.trigger.form}
    for form in program.forms:
        if form.id not in used:
            report("SOBC312", form.ref, id=form.id)


# --- flows and time -------------------------------------------------------------------------


def module_flow(program: Program, report: Reporter) -> None:
    """'next' must never lead back: report each cycle once, at its first module in program order."""
    graph = {m.id: [n for n in m.next if n != m.id] for m in program.modules}
    order = {m.id: i for i, m in enumerate(program.modules)}
    reported: set[frozenset[str]] = set()
    for module in program.modules:
        cycle = _cycle_from(module.id, graph)
        if cycle and frozenset(cycle) not in reported:
            reported.add(frozenset(cycle))
            start = min(cycle, key=order.__getitem__)
            rotated = cycle[cycle.index(start) :] + cycle[: cycle.index(start)]
            first = program.module(start)
            assert first is not None
            text = " → ".join([*rotated, start])
            report("SOBC308", first.ref, "next", cycle=text)


def _cycle_from(start: str, graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle through start, as the list of its modules, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, []):
            if nxt == start:
                return path
            if nxt not in seen and nxt in graph:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


# --- choices between modules -----------------------------------------------------------------


def choice_options(program: Program, report: Reporter) -> None:
    """A module is an option of one choice, once; a choice has at least two options."""
    first: dict[str, tuple[ModuleChoice, int]] = {}
    for choice in program.module_choices:
        if len(choice.options) < 2:
            count = f"{len(choice.options)} module"
            report("SOBC371", choice.ref, "options", id=choice.id, count=count)
        for i, option in enumerate(choice.options):
            if option.module in first:
                other, j = first[option.module]
                where = "this choice" if other is choice else f"module choice '{other.id}'"
                line = other.ref.at("options", j, "module").line
                report(
                    "SOBC370",
                    choice.ref,
                    "options",
                    i,
                    "module",
                    id=option.module,
                    where=where,
                    first_line=line,
                )
            else:
                first[option.module] = (choice, i)


def choice_tracks(program: Program, report: Reporter) -> None:
    """In every track, a choice offers all its modules or none: a track that holds only some
    of them leaves the patient there nothing to choose between."""
    tracks = [t.id for t in program.tracks]
    for choice in program.module_choices:
        options = [(i, program.module(o.module)) for i, o in enumerate(choice.options)]
        # a module in a track that does not exist is reported as such (SOBC304)
        known = [(i, m) for i, m in options if m is not None and set(m.tracks) <= set(tracks)]
        reported: set[str] = set()
        for track in tracks:
            present = [m for _, m in known if not m.tracks or track in m.tracks]
            if not present:
                continue
            for i, module in known:
                if module in present or module.id in reported:
                    continue
                reported.add(module.id)
                report(
                    "SOBC372",
                    choice.ref,
                    "options",
                    i,
                    "module",
                    track=track,
                    choice=choice.id,
                    present=present[0].id,
                    absent=module.id,
                )


def choice_visibility(program: Program, report: Reporter) -> None:
    """The choice is offered when its modules become visible, so they become visible alike;
    one the clinician makes cannot be visible before the clinician has made it."""
    for choice in program.module_choices:
        known = [(i, m) for i, o in enumerate(choice.options) if (m := program.module(o.module))]
        if not known:
            continue
        _, first = known[0]
        for i, module in known:
            if choice.chosen_by == "clinician" and module.visibility == "always":
                problem = (
                    "is visible from the start (visibility: always), but the clinician makes "
                    "the choice"
                )
                hint = "a choice the clinician makes needs modules with visibility: activated"
            elif module.visibility != first.visibility:
                problem = (
                    f"has visibility {module.visibility}, but module '{first.id}' of the same "
                    f"choice has {first.visibility}"
                )
                hint = "the modules of a choice become visible together: give them one visibility"
            else:
                continue
            report(
                "SOBC373",
                choice.ref,
                "options",
                i,
                "module",
                id=module.id,
                choice=choice.id,
                problem=problem,
                suggestion=hint,
            )


def choice_flow(program: Program, report: Reporter) -> None:
    """'next' leads into a choice through all its modules or none (else the flow skips the
    choice), and the alternatives of one choice never follow or run beside each other."""
    for module in program.modules:
        own = program.choice_of(module.id)
        for key in ("next", "parallel_with"):
            for i, target in enumerate(getattr(module, key)):
                choice = program.choice_of(target)
                if choice is None or target == module.id:
                    continue
                if choice is own:
                    report(
                        "SOBC375",
                        module.ref,
                        key,
                        i,
                        module=module.id,
                        id=target,
                        key=key,
                        choice=choice.id,
                    )
                elif key == "next":
                    missing = [
                        m
                        for m in choice.modules
                        if m not in module.next and program.module(m) is not None
                    ]
                    if missing and target == next(m for m in module.next if m in choice.modules):
                        names = " and ".join(f"'{m}'" for m in missing)
                        report(
                            "SOBC374",
                            module.ref,
                            key,
                            i,
                            module=module.id,
                            id=target,
                            missing=names,
                            choice=choice.id,
                        )


def checklist_points(program: Program, report: Reporter) -> None:
    for checklist in program.checklists:
        if not checklist.items and not checklist.groups:
            report("SOBC376", checklist.ref, "id", id=checklist.id)


def retention(program: Program, report: Reporter) -> None:
    keep = program.retention
    if keep.max_days > LEGAL_MAX_RETENTION_DAYS:
        report("SOBC309", program.ref, "retention", "max_days", days=keep.max_days)
    if keep.maintenance_days > keep.max_days:
        report(
            "SOBC313",
            program.ref,
            "retention",
            "maintenance_days",
            what="retention",
            problem=f"maintenance_days {keep.maintenance_days} exceeds max_days {keep.max_days}",
        )
    length = program.recommended_length_days
    if length is not None and length > keep.max_days:
        days = f"{keep.max_days} day" + ("" if keep.max_days == 1 else "s")
        report("SOBC319", program.ref, "recommended_length_days", length=length, days=days)


def score_triggers(program: Program, report: Reporter) -> None:
    """A form_scored trigger watches a total of its form's scoring or a question a total counts,
    and says from or up to which score it fires."""
    for flag in program.flags:
        trigger = flag.trigger
        form = program.form(trigger.form) if trigger.form else None
        if trigger.type != "form_scored" or form is None:
            continue  # an unknown form is SOBC302
        ctx: dict[str, Any] = {"id": flag.id, "form": form.id, "score": trigger.score}
        if trigger.at_least is None and trigger.at_most is None:
            report("SOBC343", flag.ref, "trigger", **ctx)
        if triggers.scored(program, trigger) is not None:
            continue
        if form.scoring is None:
            problem, known = "has no scoring", []
        else:
            known = [t.id for t in form.scoring.totals]
            known += list(dict.fromkeys(q for t in form.scoring.totals for q in t.questions))
            problem = "is neither a total of its scoring nor a question a total counts"
        hint = _suggest(str(trigger.score), known) or (
            f"its totals and scored questions: {', '.join(known)}" if known else ""
        )
        report("SOBC342", flag.ref, "trigger", "score", problem=problem, suggestion=hint, **ctx)


def flag_timing(program: Program, report: Reporter) -> None:
    """Flags that can never fire (`kinds.triggers` has each trigger type's rules)."""
    for flag in program.flags:
        for found in triggers.never_fires(program, flag.trigger):
            at = ("trigger", found.key) if found.key else ("trigger",)
            report(found.code, flag.ref, *at, id=flag.id, **found.context)


# --- forms ----------------------------------------------------------------------------------


def question_limits(program: Program, report: Reporter) -> None:
    for form in program.forms:
        for q in form.questions:
            for at, problem in _limit_problems(q):
                report("SOBC313", q.ref, at, what=f"question '{q.id}'", problem=problem)


def _limit_problems(q: Question) -> Iterator[tuple[str, str]]:
    options = len(q.options)
    if q.min_selections is not None and q.min_selections > options:
        yield "min_selections", f"min_selections {q.min_selections} exceeds the {options} options"
    if q.max_selections is not None and q.max_selections > options:
        yield "max_selections", f"max_selections {q.max_selections} exceeds the {options} options"
    if (
        q.min_selections is not None
        and q.max_selections is not None
        and q.min_selections > q.max_selections
    ):
        yield "min_selections", "min_selections is greater than max_selections"
    if q.min is not None and q.max is not None:
        if q.type == "scale" and q.min >= q.max:
            yield "min", "a scale's min must be below its max"
        elif q.min > q.max:
            yield "min", "min is greater than max"
    if q.min_rows is not None and q.max_rows is not None and q.min_rows > q.max_rows:
        yield "min_rows", "min_rows is greater than max_rows"


def exclusive_options(program: Program, report: Reporter) -> None:
    for form in program.forms:
        for q in form.questions:
            for at, value, where in _exclusive_outside_multiple_choice(q):
                report("SOBC320", q.ref, *at, on_key=True, value=value, where=where)


def _exclusive_outside_multiple_choice(
    q: Question,
) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    if q.type != "multiple_choice":
        for i, option in enumerate(q.options):
            if option.exclusive:
                yield ("options", i, "exclusive"), option.value, f"question '{q.id}'"
    for c, column in enumerate(q.columns):
        for i, option in enumerate(column.options):
            if option.exclusive:
                where = f"column '{column.id}' of question '{q.id}'"
                yield ("columns", c, "options", i, "exclusive"), option.value, where


def page_addresses(program: Program, report: Reporter) -> None:
    """Every address a page links to must pass the renderer's URL check: a page would show a
    dead link ('#') in its place. Links inside Markdown are left as text by the renderer."""
    for module in program.modules:
        for step in module.steps:
            for key in ("src", "captions", "transcript", "poster"):
                address = getattr(step.media, key, None) if step.media else None
                # media/ files are published under safe names (SOBC311 says when they climb out)
                if address and not is_media_path(address) and not check_url(address):
                    where = f"step '{step.id}'"
                    report("SOBC321", step.ref, "media", key, referrer=where, address=address)
    for i, support in enumerate(program.support):
        for j, contact in enumerate(support.contacts):
            found = [("url", contact.url), ("email", contact.email and "mailto:" + contact.email)]
            for key, address in found:
                if address and not check_url(address):
                    at = ("support", i, "contacts", j, key)
                    where = f"the contact '{contact.name}'"
                    report("SOBC321", program.ref, *at, referrer=where, address=address)


def theme_contrast(program: Program, report: Reporter) -> None:
    if program.theme is not None:
        contrast_of(program.theme, report)


def contrast_of(theme: Theme, report: Reporter) -> None:
    """Every pair of colours that meet on a page, with the theme's own colours, must meet
    WCAG 2.1 AA: a region's brand colour cannot make its header or links unreadable."""
    for s in shortfalls(theme):
        report(
            "SOBC380",
            theme.ref,
            "colours",
            s.key,
            fore_key=s.pair.fore,
            fore=s.fore,
            back_key=s.pair.back,
            back=s.back,
            where=s.pair.where,
            ratio=f"{s.ratio:.2f}",
            minimum=f"{s.pair.minimum:g}",
            key=s.key,
        )


def conditions(program: Program, report: Reporter) -> None:
    for form in program.forms:
        earlier: dict[str, Question] = {}
        everything = {q.id for q in form.questions}
        for q in form.questions:
            cond = q.enable_when
            if cond is not None:
                target = earlier.get(cond.question)
                if target is None:
                    if cond.question == q.id:
                        problem = "is answered, but that is the question itself"
                    elif cond.question in everything:
                        problem = "is answered, but that question comes later in the form"
                    else:
                        problem = f"is answered, but form '{form.id}' has no such question"
                    report(
                        "SOBC306",
                        cond.ref,
                        "question",
                        question=q.id,
                        id=cond.question,
                        problem=problem,
                    )
                else:
                    _check_condition_values(q, target, report)
            earlier[q.id] = q


def _check_condition_values(q: Question, target: Question, report: Reporter) -> None:
    cond = q.enable_when
    assert cond is not None
    if question_type(target.type).accepts is None:
        problem = f"has a value, but '{target.id}' is of type {target.type} and has none"
        report("SOBC306", cond.ref, "question", question=q.id, id=target.id, problem=problem)
        return
    key = cond.key
    accepts = question_type(target.type).accepts
    assert accepts is not None  # the types without answers are reported above
    for i, value in enumerate(cond.values):
        suggestion = accepts(target, value)
        if suggestion is not None:
            at: tuple[str | int, ...] = (key, i) if key == "in" else (key,)
            report(
                "SOBC307",
                cond.ref,
                *at,
                question=q.id,
                target=target.id,
                value=repr(value),
                suggestion=suggestion,
            )


# --- scored forms ---------------------------------------------------------------------------


def scored_forms(program: Program, report: Reporter) -> None:
    """Scores only where a total counts them, every counted item scorable and fully scored,
    bands that cover each total exactly, and published instruments unchanged."""
    for form in program.forms:
        if form.scoring is None:
            for q in form.questions:
                for i, option in enumerate(q.options):
                    if option.score is not None:
                        at = ("options", i, "score")
                        report(
                            "SOBC332",
                            q.ref,
                            *at,
                            on_key=True,
                            value=option.value,
                            question=q.id,
                            reason=f"form '{form.id}' has no scoring",
                        )
        else:
            _scored_form(form, form.scoring, report)
        if form.instrument is not None:
            actual = fingerprint(form)
            if actual != form.instrument.fingerprint:
                report(
                    "SOBC336",
                    form.ref,
                    "instrument",
                    "fingerprint",
                    form=form.id,
                    name=form.instrument.name,
                    recorded=form.instrument.fingerprint,
                    actual=actual,
                )


def _scored_form(form: Form, scoring: Scoring, report: Reporter) -> None:
    questions = {q.id: q for q in form.questions}
    counted: set[str] = set()
    _unique(report, "total", ((t.id, t.ref, ("id",)) for t in scoring.totals))
    for total in scoring.totals:
        if not total.questions:  # `all` in a form without scored questions
            names_ = [n for n, t in QUESTION_TYPES.items() if t.scored]
            scored = ", ".join(names_[:-1]) + " or " + names_[-1]
            report("SOBC337", total.ref, "questions", total=total.id, form=form.id, scored=scored)
        names = () if total.all_questions else total.questions
        for i, qid in enumerate(names):
            if problem := _unscorable(questions.get(qid)):
                report(
                    "SOBC333",
                    total.ref,
                    "questions",
                    i,
                    referrer=f"total '{total.id}'",
                    id=qid,
                    problem=problem,
                    suggestion=_suggest(qid, questions) if qid not in questions else "",
                )
        for qid in total.questions:
            q = questions.get(qid)
            if q is None or _unscorable(q) or qid in counted:
                continue  # unknown and unscorable are reported above, each question once
            counted.add(qid)
            for i, option in enumerate(q.options):
                if option.score is None:
                    report(
                        "SOBC334",
                        q.ref,
                        "options",
                        i,
                        value=option.value,
                        question=q.id,
                        total=total.id,
                    )
        _bands(form, total, report)
    for i, qid in enumerate(scoring.reverse):
        q = questions.get(qid)
        problem = _unscorable(q) or ("" if qid in counted else "no total counts")
        if problem:
            report(
                "SOBC333",
                scoring.ref,
                "reverse",
                i,
                referrer="reverse",
                id=qid,
                problem=problem,
                suggestion=_suggest(qid, questions) if qid not in questions else "",
            )
    for q in form.questions:
        if q.id not in counted:
            for i, option in enumerate(q.options):
                if option.score is not None:
                    report(
                        "SOBC332",
                        q.ref,
                        "options",
                        i,
                        "score",
                        on_key=True,
                        value=option.value,
                        question=q.id,
                        reason=f"no total of form '{form.id}' counts the question",
                    )


def _unscorable(q: Question | None) -> str:
    if q is None:
        return "the form does not have"
    if not question_type(q.type).scored:
        scored = ", ".join(n for n, t in QUESTION_TYPES.items() if t.scored)
        return f"is a {q.type} question and gives no score (scored types: {scored})"
    return ""


def _bands(form: Form, total: Total, report: Reporter) -> None:
    span = total_range(form, total)
    if not total.bands or span is None:
        return  # no bands to check, or an item without scores (reported above)
    low, high = span
    ctx: dict[str, Any] = {"total": total.id, "low": low, "high": high}
    expected = low
    for i, band in enumerate(total.bands):
        problem = ""
        if band.min > band.max:
            problem = f"run backwards: band {i + 1} goes from {band.min} down to {band.max}"
        elif band.min > expected:
            problem = f"leave {_gap(expected, band.min - 1)} without a label"
        elif band.min < expected:
            problem = (
                f"start below the lowest possible total {low}"
                if i == 0
                else f"overlap: {_gap(band.min, min(expected - 1, band.max))} is in two bands"
            )
        if problem:
            report("SOBC335", total.ref, "bands", i, "min", problem=problem, **ctx)
            return
        expected = band.max + 1
    if expected - 1 != high:
        last = len(total.bands) - 1
        problem = (
            f"end at {expected - 1}, above the highest possible total {high}"
            if expected - 1 > high
            else f"leave {_gap(expected, high)} without a label"
        )
        report("SOBC335", total.ref, "bands", last, "max", problem=problem, **ctx)


def _gap(first: int, last: int) -> str:
    return f"the total {first}" if first == last else f"the totals {first} to {last}"


# --- media ----------------------------------------------------------------------------------


def media(program: Program, report: Reporter) -> None:
    """The publishing rule (`media.py`): every file referred to exists, lies in media/, is of a
    kind sobc publishes and gets a name of its own; every file in media/ is referred to."""
    root = program.root
    used: set[Path] = set()
    names: dict[str, tuple[Path, str]] = {}  # published name → the file, as first written
    for r in references(program):
        used.add(Path(os.path.realpath(root / r.path)))  # referred to, even if refused below
        real = locate(root, r.path)
        at, offset = r.at, r.offset
        if real is None:
            hint = _outside_hint(program, r)
            report(
                "SOBC311",
                r.ref,
                *at,
                offset=offset,
                referrer=r.referrer,
                file=r.path,
                suggestion=hint,
            )
        elif not os.path.lexists(real):
            report("SOBC310", r.ref, *at, offset=offset, referrer=r.referrer, file=r.path)
        else:
            name = published_path(r.path)
            if (reason := unpublishable(real)) is not None:
                report(
                    "SOBC322",
                    r.ref,
                    *at,
                    offset=offset,
                    file=r.path,
                    reason=reason,
                    kinds=KINDS_TEXT,
                )
            elif names.setdefault(name, (real, r.path))[0] != real:
                other = names[name][1]
                report("SOBC323", r.ref, *at, offset=offset, file=r.path, other=other, name=name)
    if program.unreadable_modules:
        return  # a module that could not be read may use any file: none is called unused
    for path in media_files(root):
        if Path(os.path.realpath(path)) not in used:
            report.file("SOBC324", path, file=display_path(path))


def _outside_hint(program: Program, r: Reference) -> str:
    """SOBC311's hint; for a link in Markdown that names a page, how to link to that page."""
    name = r.path.rsplit("/", 1)[-1]
    a_file = "." in name and not name.endswith(".html")  # a page has no other ending
    if r.offset is None or is_media_path(r.path) or a_file:
        return "media files live under media/ in the program folder"
    parts = [p for p in r.path.removesuffix(".html").split("/") if p not in ("", ".", "..")]
    if parts[-1:] == ["index"]:
        parts.pop()
    pages = _page_addresses(program)
    if parts:
        guesses = [f"step:{'/'.join(parts[-2:])}", f"module:{parts[-1]}"]
        guesses += [a for a in pages if a.startswith("step:") and a.endswith("/" + parts[-1])]
        for address in guesses:
            if address in pages:
                return f"to link to that page, write ({address})"
    return PAGE_HINT + "; files live under media/"


PAGE_HINT = "link to a page as (step:module-id/step-id) or (module:module-id)"


def _page_addresses(program: Program) -> list[str]:
    """Every page a Markdown link can lead to, as it is written."""
    found = []
    for module in program.modules:
        found.append(f"module:{module.id}")
        found.extend(f"step:{module.id}/{step.id}" for step in module.steps)
    return found


def markdown_links(program: Program, report: Reporter) -> None:
    """Images need alternative text; a link or image the pages would not make (a scheme other
    than https, mailto or tel, say) is an error, not text silently left in its place; a link
    to a page must lead to one. Links to files are the media rule's."""
    pages = _page_addresses(program)
    for md in markdown_texts(program):
        ref, where = md.ref, md.referrer
        for t in link_targets(md.text):
            if t.alt_missing:
                report("SOBC318", ref, *md.at, offset=t.offset, referrer=where)
            elif not t.image and is_page_link(t.url):
                if _unknown_page(program, t.url, pages):
                    hint = _page_suggestion(t.url, pages)
                    report(
                        "SOBC331",
                        ref,
                        *md.at,
                        offset=t.offset,
                        referrer=where,
                        address=t.url,
                        suggestion=hint,
                    )
            elif _addressed(t.url) and not check_url(t.url):
                report("SOBC321", ref, *md.at, offset=t.offset, referrer=where, address=t.url)


def _unknown_page(program: Program, url: str, pages: list[str]) -> bool:
    """A page link that leads to no page (a page of a module that could not be read may be
    there: it is not reported)."""
    if page_link_target(url) is None:
        return True
    module = url.split(":", 1)[1].split("/", 1)[0]
    return url not in pages and module not in program.unreadable_modules


def _page_suggestion(url: str, pages: list[str]) -> str:
    """SOBC331's hint: the page meant, when it can be told, else how a page link is written."""
    module_id = url.removeprefix(STEP_SCHEME)
    if url.startswith(STEP_SCHEME) and f"{MODULE_SCHEME}{module_id}" in pages:
        return f"did you mean '{MODULE_SCHEME}{module_id}'? a step is {url}/step-id"
    return _suggest(url, pages) or PAGE_HINT


def markdown_html(program: Program, report: Reporter) -> None:
    """Text that looks like HTML is shown as text (the pages never carry raw HTML): a warning,
    with what to write instead."""
    for md in markdown_texts(program):
        for found in raw_html(md.text):
            html = found.text if len(found.text) <= 40 else found.text[:39] + "…"
            hint = _HTML_HINTS.get(tag_name(found.text), _HTML_HINT)
            report(
                "SOBC330",
                md.ref,
                *md.at,
                offset=found.offset,
                referrer=md.referrer,
                html=html,
                suggestion=hint,
            )


_HTML_HINT = "write it in Markdown: **bold**, *italic*, [a link](https://…), ![an image](media/…)"
_HTML_HINTS = {
    "br": "for a new paragraph, leave a blank line; for a line break, end the line with \\",
    "b": "write **bold** for bold text",
    "strong": "write **bold** for bold text",
    "i": "write *italic* for italic text",
    "em": "write *italic* for italic text",
    "img": "show an image with ![what it shows](media/file.png)",
    "a": "write a link as [text](https://…), or [text](step:module-id/step-id)",
    "p": "leave a blank line between paragraphs",
    "div": "leave a blank line between paragraphs",
    "ul": "write a list as lines that start with '- '",
    "ol": "write a numbered list as lines that start with '1. '",
    "li": "write a list as lines that start with '- '",
    "!--": "remove the comment: the page would show it",
    **{f"h{n}": "write a heading as a line that starts with '## '" for n in range(1, 7)},
}


# --- renames ----------------------------------------------------------------------------------


def renames(program: Program, report: Reporter) -> None:
    """A `renamed_from` must name an id that is gone: naming one still there (or the element's
    own) would carry one element's stored answers or progress over to another."""
    Found = Iterable[tuple[str | None, Ref, tuple[str | int, ...]]]  # old id, where written

    def check(kind: str, present: set[str], found: Found) -> None:
        what = "value of an option" if kind == "option" else f"id of a {kind}"
        for old, ref, at in found:
            if old is not None and old in present:
                report("SOBC344", ref, *at, what=what, old=old)

    def own(kind: str, items: Sequence[Any]) -> None:
        """Elements that keep a Ref of their own."""
        check(
            kind, {x.id for x in items}, ((x.renamed_from, x.ref, ("renamed_from",)) for x in items)
        )

    def listed(kind: str, items: Sequence[Any], ref: Ref, *at: str | int) -> None:
        """Elements written in a list of another's (tracks, columns, options)."""
        present = {x.value if kind == "option" else x.id for x in items}
        check(
            kind,
            present,
            ((x.renamed_from, ref, (*at, i, "renamed_from")) for i, x in enumerate(items)),
        )

    own("module", program.modules)
    own("form", program.forms)
    own("flag", program.flags)
    own("activity plan", program.activity_plans)
    listed("track", program.tracks, program.ref, "tracks")
    for module in program.modules:
        own("section", module.sections)
        own("step", module.steps)
    for form in program.forms:
        own("question", form.questions)
        for q in form.questions:
            listed("column", q.columns, q.ref, "columns")
            listed("option", q.options, q.ref, "options")
            for i, column in enumerate(q.columns):
                listed("option", column.options, q.ref, "columns", i, "options")


def _addressed(url: str) -> bool:
    """A URL with a scheme or a host, as opposed to a path inside the program."""
    return url.startswith("//") or ":" in url.split("/", 1)[0]


RULES: tuple[Rule, ...] = (
    unique_ids,
    form_references,
    module_references,
    flag_references,
    track_and_role_references,
    unused_forms,
    module_flow,
    choice_options,
    choice_tracks,
    choice_visibility,
    choice_flow,
    checklist_points,
    retention,
    flag_timing,
    score_triggers,
    question_limits,
    exclusive_options,
    page_addresses,
    conditions,
    scored_forms,
    media,
    markdown_links,
    markdown_html,
    renames,
    theme_contrast,
)
