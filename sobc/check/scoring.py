"""Scored forms: scores only where a total counts them, every counted item scorable and fully
scored, bands that cover each total exactly, and published instruments unchanged."""

from __future__ import annotations

from typing import Any

from ..kinds.questions import QUESTION_TYPES, question_type
from ..kinds.scoring import fingerprint, total_range
from ..model.program import Form, Program, Question, Scoring, Total
from .reporter import Reporter, report_duplicates, suggest

ADD_OR_REMOVE = "add the question to a total of the form's scoring, or remove the score"


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
                            suggestion=ADD_OR_REMOVE,
                        )
        else:
            _scored_form(form, form.scoring, report)
        _column_scores(form, report)
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


def _column_scores(form: Form, report: Reporter) -> None:
    """A plan column's option takes no score: no total counts a column, so it would be lost."""
    for q in form.questions:
        for c, column in enumerate(q.columns):
            for i, option in enumerate(column.options):
                if option.score is not None:
                    report(
                        "SOBC332",
                        q.ref,
                        "columns",
                        c,
                        "options",
                        i,
                        "score",
                        on_key=True,
                        value=option.value,
                        question=q.id,
                        reason=f"it is in column '{column.id}', and no total counts a column",
                        suggestion="remove the score: a plan's rows are not scored",
                    )


def _scored_form(form: Form, scoring: Scoring, report: Reporter) -> None:
    questions = {q.id: q for q in form.questions}
    counted: set[str] = set()
    report_duplicates(report, "total", ((t.id, t.ref, ("id",)) for t in scoring.totals))
    for total in scoring.totals:
        _total(form, total, questions, counted, report)
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
                suggestion=suggest(qid, questions) if qid not in questions else "",
            )
    for q in form.questions:
        if q.id not in counted:
            for i, option in enumerate(q.options):
                if option.score is not None:
                    reason = f"no total of form '{form.id}' counts the question"
                    at = ("options", i, "score")
                    report(
                        "SOBC332",
                        q.ref,
                        *at,
                        on_key=True,
                        value=option.value,
                        question=q.id,
                        reason=reason,
                        suggestion=ADD_OR_REMOVE,
                    )


def _total(
    form: Form, total: Total, questions: dict[str, Question], counted: set[str], report: Reporter
) -> None:
    """A total counts something, only scorable questions, each with every option scored; the
    questions it counts are added to `counted`."""
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
                suggestion=suggest(qid, questions) if qid not in questions else "",
            )
    for qid in total.questions:
        q = questions.get(qid)
        if q is None or _unscorable(q) or qid in counted:
            continue  # unknown and unscorable are reported above, each question once
        counted.add(qid)
        for i, option in enumerate(q.options):
            if option.score is None:
                at = ("options", i)
                report("SOBC334", q.ref, *at, value=option.value, question=q.id, total=total.id)


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
