"""Flags: a `form_scored` trigger watches a score that exists and has a limit, and no flag is
one that can never fire (each trigger type's rules are in its record, `kinds/triggers.py`)."""

from __future__ import annotations

from typing import Any

from ..kinds import triggers
from ..model.program import Program
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
        if form.scoring is None:
            problem, known = "has no scoring", []
        else:
            known = [t.id for t in form.scoring.totals]
            known += list(dict.fromkeys(q for t in form.scoring.totals for q in t.questions))
            problem = "is neither a total of its scoring nor a question a total counts"
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
