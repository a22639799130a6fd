"""Flags: a `form_scored` trigger watches a score that exists and has a limit, a
`form_answered` trigger a question that exists and answers it can have, and no flag is one that
can never fire (each trigger type's rules are in its record, `kinds/triggers.py`)."""

from __future__ import annotations

from typing import Any

from ..kinds import triggers
from ..kinds.questions import question_type
from ..model.program import Flag, Program, Question
from .reporter import Reporter, suggest


def score_triggers(program: Program, report: Reporter) -> None:
    """A form_scored trigger watches a total of its form's scoring or a question a total counts,
    and says from or up to which score it fires."""
    for flag in program.flags:
        trigger = flag.trigger
        form = program.form(trigger.form) if trigger.form else None
        if trigger.type != "form_scored" or form is None:
            continue  # an unknown form is SOBC302
        ctx: dict[str, Any] = {"id": flag.id, "form": form.id, "score": trigger.score}
        if triggers.KINDS[trigger.type].lacks_one_of(trigger):
            report("SOBC343", flag.ref, "trigger", **ctx)
        if triggers.scored(program, trigger) is not None:
            continue
        known = [c.id for c in form.computed]
        if form.scoring is None and not known:
            problem = "has no scoring and no computed values"
        else:
            totals = form.scoring.totals if form.scoring else ()
            known += [t.id for t in totals]
            known += list(dict.fromkeys(q for t in totals for q in t.questions))
            problem = (
                "is neither a total of its scoring, a question a total counts nor a computed value"
            )
        hint = suggest(str(trigger.score), known) or (
            f"its totals and scored questions: {', '.join(known)}" if known else ""
        )
        report("SOBC342", flag.ref, "trigger", "score", problem=problem, suggestion=hint, **ctx)


def flag_timing(program: Program, report: Reporter) -> None:
    """Flags that can never fire (`kinds.triggers` has each trigger type's rules)."""
    for flag in program.flags:
        for found in triggers.never_fires(program, flag.trigger):
            at = ("trigger", found.key) if found.key else ("trigger",)
            report(found.code, flag.ref, *at, id=flag.id, **found.context)


def answer_triggers(program: Program, report: Reporter) -> None:
    """A form_answered trigger names a question of its form that the patient answers, and
    either answers it can have or a range of its kind, not both."""
    for flag in program.flags:
        trigger = flag.trigger
        form = program.form(trigger.form) if trigger.form else None
        if trigger.type != "form_answered" or form is None:
            continue  # an unknown form is SOBC302
        ctx: dict[str, Any] = {"id": flag.id, "form": form.id, "question": trigger.question}
        found = triggers.answered(program, trigger)
        answerable = [q.id for q in form.questions if question_type(q.type).accepts]
        if found is None or not question_type(found[1].type).accepts:
            problem = "is not in the form" if found is None else "has no answer a flag can read"
            hint = suggest(str(trigger.question), answerable) or (
                f"its questions with answers: {', '.join(answerable)}"
            )
            at = ("trigger", "question")
            report("SOBC345", flag.ref, *at, problem=problem, suggestion=hint, **ctx)
            continue
        _answer_values(flag, found[1], report)


def _answer_values(flag: Flag, question: Question, report: Reporter) -> None:
    """The trigger's answers and limits are ones the question can have."""
    trigger = flag.trigger
    bounds = question_type(question.type).bounds
    ctx: dict[str, Any] = {"id": flag.id, "form": trigger.form, "question": question.id}
    ranged = trigger.at_least is not None or trigger.at_most is not None
    if triggers.KINDS[trigger.type].lacks_one_of(trigger) or (trigger.answers and ranged):
        problem = "gives answers and a range" if ranged else "gives no answers and no range"
        report("SOBC347", flag.ref, "trigger", problem=problem, **ctx)
        return
    accepts = question_type(question.type).accepts
    assert accepts is not None  # answer_triggers: a question with answers
    for index, value in enumerate(trigger.answers or ()):
        reason = accepts(question, value)
        if reason:
            shown = f"'{value}'" if isinstance(value, str) else str(value).lower()
            where = ("trigger", "answers", index)
            report("SOBC346", flag.ref, *where, value=shown, reason=reason, suggestion="", **ctx)
    for key in ("at_least", "at_most"):
        limit = getattr(trigger, key)
        if limit is None:
            continue
        if bounds is None:
            reason, hint = "its answers have no order", "list the answers that fire it"
        elif bounds.parse(limit) is None:
            reason, hint = f"it takes {bounds.written}", bounds.hint
        else:
            continue
        shown = f"{key} {limit!r}" if isinstance(limit, str) else f"{key} {limit}"
        at = ("trigger", key)
        report("SOBC346", flag.ref, *at, value=shown, reason=reason, suggestion=hint, **ctx)


def flag_settings(program: Program, report: Reporter) -> None:
    """Each adjustable key is one the flag's trigger has, as a number, written within bounds
    that lie within the key's own range."""
    for flag in program.flags:
        kind = triggers.KINDS.get(flag.trigger.type)
        if kind is None:
            continue  # an unknown type is the schema's
        for setting in flag.adjustable:
            problem = _setting_problem(flag, setting.key, setting.min, setting.max)
            if problem:
                at = ("adjustable", setting.key)
                report("SOBC385", flag.ref, *at, id=flag.id, key=setting.key, problem=problem)


def _setting_problem(flag: Flag, key: str, low: float, high: float) -> str:
    value = getattr(flag.trigger, key)
    schema = triggers.KEYS[key].schema
    least, most = schema.get("minimum"), schema.get("maximum")
    if key not in triggers.KINDS[flag.trigger.type].keys or value is None:
        return f"its trigger ({flag.trigger.type}) gives no {key}"
    if isinstance(value, str):
        return f"{key} is a time or date, and only a number can be adjusted"
    if schema.get("type") == "integer" and (low != int(low) or high != int(high)):
        return f"{key} is a whole number, and {low:g}–{high:g} is not"
    if low > high:
        return f"its min {low:g} is above its max {high:g}"
    if not low <= value <= high:
        return f"the trigger's {key} {value:g} is outside {low:g}–{high:g}"
    if (least is not None and low < least) or (most is not None and high > most):
        return f"{low:g}–{high:g} reaches outside what {key} can be ({least}–{most})"
    return ""
