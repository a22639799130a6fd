"""Computed values: each expression can be read and computed from the form's answers, each id is
the form's once, and the bands lie in order within the value's range (`kinds/computed.py`)."""

from __future__ import annotations

from ..kinds.computed import ExpressionError, parsed
from ..model.program import Computed, Program
from .reporter import Reporter


def computed_values(program: Program, report: Reporter) -> None:
    for form in program.forms:
        taken = {q.id for q in form.questions}
        for value in form.computed:
            if value.id in taken:
                what = "a question" if value.id in {q.id for q in form.questions} else "a value"
                report("SOBC383", value.ref, "id", id=value.id, form=form.id, what=what)
            taken.add(value.id)
            _bands(value, report)
        for value, tree in parsed(form):
            if isinstance(tree, ExpressionError):
                report(
                    "SOBC382",
                    value.ref,
                    "expression",
                    offset=tree.at,
                    id=value.id,
                    problem=str(tree),
                )


def _bands(value: Computed, report: Reporter) -> None:
    """Each band runs from min to max, after the one before it, within the value's range."""
    previous = None
    for i, band in enumerate(value.bands):
        problem = ""
        if band.min > band.max:
            problem = f"starts at {band.min:g}, after its end {band.max:g}"
        elif previous is not None and band.min <= previous:
            problem = f"starts at {band.min:g}, not after the band before it ends ({previous:g})"
        elif value.min is not None and band.min < value.min:
            problem = f"starts at {band.min:g}, below the value's min {value.min:g}"
        elif value.max is not None and band.max > value.max:
            problem = f"ends at {band.max:g}, above the value's max {value.max:g}"
        if problem:
            report("SOBC384", value.ref, "bands", i, id=value.id, label=band.label, problem=problem)
        previous = band.max
