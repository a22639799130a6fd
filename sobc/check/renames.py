"""Renames: a `renamed_from` names an id that is gone, so stored answers and progress carry
over to the element that replaced it and to no other."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..model.program import Program, Ref
from .reporter import Reporter


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
