"""The flow between modules: `next` never leads back, its conditions name answers that can be
given, and module choices offer their modules alike (tracks, visibility) and are entered and
left through the flow as one."""

from __future__ import annotations

from typing import Any

from ..kinds.questions import question_type
from ..model.program import Module, ModuleChoice, NextWhen, Program
from .reporter import Reporter, suggest


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
                        *module.at(key, i),
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
                            *module.at(key, i),
                            module=module.id,
                            id=target,
                            missing=names,
                            choice=choice.id,
                        )


def next_conditions(program: Program, report: Reporter) -> None:
    """Each condition of `next` names a form and a question of it that the patient answers,
    and values it can have; `end: true` beside a module without a condition is never reached."""
    for module in program.modules:
        for when in module.next_when:
            _next_condition(program, module, when, report)
        conditional = {w.module for w in module.next_when}
        always = [m for m in module.next if m not in conditional]
        if module.ends and always:
            at = module.at("next", module.next.index(always[0]))
            report("SOBC379", module.ref, *at, module=module.id, target=always[0])


def _next_condition(program: Program, module: Module, when: NextWhen, report: Reporter) -> None:
    form = program.form(when.form)
    if form is None:
        if when.form not in program.unreadable_forms:
            referrer = f"a condition of 'next' of module '{module.id}'"
            known = [f.id for f in program.forms]
            hint = suggest(when.form, known)
            report("SOBC302", when.ref, "form", referrer=referrer, id=when.form, suggestion=hint)
        return
    ctx: dict[str, Any] = {"module": module.id, "target": when.module, "question": when.question}
    question = next((q for q in form.questions if q.id == when.question), None)
    accepts = question_type(question.type).accepts if question else None
    if question is None or accepts is None:
        problem = "is not in the form" if question is None else "has no answer to compare"
        answerable = [q.id for q in form.questions if question_type(q.type).accepts]
        hint = suggest(when.question, answerable) or f"its questions: {', '.join(answerable)}"
        report(
            "SOBC377", when.ref, "question", form=form.id, problem=problem, suggestion=hint, **ctx
        )
        return
    for i, value in enumerate(when.values):
        reason = accepts(question, value)
        if reason:
            at = (when.key, i) if when.key == "in" else (when.key,)
            shown = f"'{value}'" if isinstance(value, str) else str(value).lower()
            report("SOBC378", when.ref, *at, value=shown, reason=reason, **ctx)
