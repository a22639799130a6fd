"""Forms and conditions: limits that fit their questions, exclusive options only where they
mean something, and `enable_when` conditions on earlier questions, with values they can have."""

from __future__ import annotations

from collections.abc import Iterator

from ..kinds.questions import question_type
from ..model.program import Program, Question
from .reporter import Reporter


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
    kind = question_type(q.type)
    for key in ("min", "max"):
        value = getattr(q, key)
        if kind.bounds is not None and value is not None and kind.bounds.parse(value) is None:
            yield key, f"{key} {value} is not a real {kind.bounds.name}"
    if kind.bounds is not None and kind.bounds.reversed(q.min, q.max):
        yield "min", "min is greater than max"
    elif kind.min_below_max and q.min is not None and q.min == q.max:
        yield "min", f"a {q.type} question's min must be below its max"
    if q.min_rows is not None and q.max_rows is not None and q.min_rows > q.max_rows:
        yield "min_rows", "min_rows is greater than max_rows"


def exclusive_options(program: Program, report: Reporter) -> None:
    for form in program.forms:
        for q in form.questions:
            for at, value, where in _exclusive_where_one_is_chosen(q):
                report("SOBC320", q.ref, *at, on_key=True, value=value, where=where)


def _exclusive_where_one_is_chosen(
    q: Question,
) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    if not question_type(q.type).several:
        for i, option in enumerate(q.options):
            if option.exclusive:
                yield ("options", i, "exclusive"), option.value, f"question '{q.id}'"
    for c, column in enumerate(q.columns):
        for i, option in enumerate(column.options):
            if option.exclusive:
                where = f"column '{column.id}' of question '{q.id}'"
                yield ("columns", c, "options", i, "exclusive"), option.value, where


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


def option_groups(program: Program, report: Reporter) -> None:
    """Headings (`group`) stand only on a checklist's points, each group's points together."""
    for form in program.forms:
        for q in form.questions:
            grouped = question_type(q.type).grouped
            seen: list[str | None] = []
            for i, option in enumerate(q.options):
                group = option.group
                if group is not None and not grouped:
                    problem = f"question '{q.id}' is a {q.type}, and only a checklist has headings"
                elif group is not None and group in seen and seen[-1] != group:
                    problem = f"its points are apart: '{group}' stands again after '{seen[-1]}'"
                else:
                    seen.append(group)
                    continue
                report("SOBC386", q.ref, "options", i, "group", group=group, problem=problem)
            for c, column in enumerate(q.columns):
                for i, option in enumerate(column.options):
                    if option.group is not None:
                        problem = (
                            f"column '{column.id}' is a plan's, and only a checklist has headings"
                        )
                        at = ("columns", c, "options", i, "group")
                        report("SOBC386", q.ref, *at, group=option.group, problem=problem)
