"""A submitted form as a runtime stores and scores it (docs/authoring.md, "Question types" and
"Scored forms"): the answers of hidden questions dropped, each counted item's score, each
total and its band. The rule itself is `kinds/scoring.py`'s, which the checks use too."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from ..kinds.computed import from_json, values_of
from ..kinds.questions import question_type
from ..kinds.scoring import Answer, band_label, item_score, total_score
from ..model.shapes import QuestionInfo, Trigger
from .manifest import FormInfo

# An answer as a timeline gives it: text, a number, true/false or a list of option values.
Given = str | int | float | bool | list[str] | None


class AnswerError(ValueError):
    """An answer the form cannot have: the message says which and why."""


@dataclass(frozen=True)
class TotalResult:
    id: str
    value: int | None  # None: the unanswered rule gives no total
    band: str | None


@dataclass(frozen=True)
class Scored:
    items: dict[str, int | None]  # each counted question's score (reversed where it is)
    totals: tuple[TotalResult, ...]


def _empty(value: Given) -> bool:
    return value is None or value == "" or value == []


def holds(value: Given, wanted: str | bool) -> bool:
    """Whether the answer `value` is the condition's value `wanted`."""
    if isinstance(value, list):
        return wanted in value
    if isinstance(value, bool) or isinstance(wanted, bool):
        return value is wanted
    if isinstance(value, int | float):
        return _number(wanted) == float(value)
    return value == wanted


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def answer_holds(
    answers: Mapping[str, Given] | None, question: str, values: Sequence[str | bool]
) -> bool:
    """Whether stored answers (None: the form was never submitted) answer `question` with one
    of `values`: an enable_when, or a condition of next, holds."""
    value = None if answers is None else answers.get(question)
    return not _empty(value) and any(holds(value, v) for v in values)


def answered(form: FormInfo, answers: Mapping[str, Given], trigger: Trigger) -> bool:
    """Whether stored `answers` fire a form_answered trigger: the question's answer is one of
    the trigger's answers, or lies in its range (of the question's kind of bounds)."""
    question = next((q for q in form.questions if q.id == trigger.question), None)
    value = answers.get(trigger.question or "")
    if question is None or _empty(value):
        return False  # hidden or unanswered
    if trigger.answers is not None:
        return any(holds(value, wanted) for wanted in trigger.answers)
    bounds = question_type(question.type).bounds
    return bounds is not None and bounds.contains(value, trigger.at_least, trigger.at_most)


def shown(form: FormInfo, given: Mapping[str, Given]) -> set[str]:
    """The ids of the questions the patient is shown: a question with `enable_when` shows when
    the earlier question it names is shown and its answer is one of the values."""
    visible: set[str] = set()
    for q in form.questions:
        cond = q.enable_when
        if cond is None:
            visible.add(q.id)
            continue
        if cond.question in visible and answer_holds(given, cond.question, cond.values):
            visible.add(q.id)
    return visible


def stored(form: FormInfo, given: Mapping[str, Given]) -> dict[str, Given]:
    """The answers a runtime stores: those of shown questions, not empty; refuses an answer to
    a question the form lacks, an option it lacks and an exclusive option chosen with others."""
    by_id = {q.id: q for q in form.questions}
    unknown = sorted(set(given) - set(by_id))
    if unknown:
        raise AnswerError(f"form {form.id!r} has no question {unknown[0]!r}")
    visible = shown(form, given)
    kept = {k: v for k, v in given.items() if k in visible and not _empty(v)}
    for qid, value in kept.items():
        _check_options(by_id[qid], value)
    return kept


def _check_options(question: QuestionInfo, value: Given) -> None:
    if not question.options:
        return
    chosen = value if isinstance(value, list) else [str(value)]
    values = {o.value: o for o in question.options}
    for v in chosen:
        if v not in values:
            raise AnswerError(f"question {question.id!r} has no option {v!r}")
    if len(chosen) > 1 and any(values[v].exclusive for v in chosen):
        raise AnswerError(f"question {question.id!r}: an exclusive option is chosen with others")


def _as_answer(value: Given) -> Answer:
    if value is None or isinstance(value, list | str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"  # never scored: only choices and scales give scores
    return str(int(value)) if float(value).is_integer() else str(value)


def score(form: FormInfo, answers: Mapping[str, Given]) -> Scored | None:
    """The scores of the stored `answers`; None for a form without scoring."""
    scoring = form.scoring
    if scoring is None:
        return None
    by_id = {q.id: q for q in form.questions}
    plain = {k: _as_answer(v) for k, v in answers.items()}
    counted = [qid for total in scoring.totals for qid in total.questions]
    items = {
        qid: item_score(by_id[qid], plain.get(qid), qid in scoring.reverse)
        for qid in dict.fromkeys(counted)
    }
    totals = []
    for total in scoring.totals:
        value = total_score(form, total, plain)
        band = band_label(total, value) if value is not None else None
        totals.append(TotalResult(total.id, value, band))
    return Scored(items, tuple(totals))


def value_of(scored: Scored, score_id: str) -> int | None:
    """A `form_scored` trigger's `score`: a total's value, else a counted question's score."""
    total = next((t for t in scored.totals if t.id == score_id), None)
    return total.value if total is not None else scored.items.get(score_id)


def computed(form: FormInfo, answers: Mapping[str, Given]) -> dict[str, Fraction | None]:
    """The form's computed values of a submission's stored answers, each rounded to its
    decimals (None: missing); evaluated from the manifest's trees."""
    trees = [(c.id, from_json(c.tree), c.decimals) for c in form.computed]
    return values_of(trees, answers)
