"""Scored forms: the range of scores each item and total can have, a total from answers (the
rule a runtime follows, `docs/authoring.md`), and a published instrument's fingerprint.

The rules read a form through the protocols below, which the model's objects and the manifest's
(`runtime/manifest.py`) both satisfy: the checks, the guide and the reference engine
(`runtime/scores.py`) score with the one implementation."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Protocol

from ..model.program import Form, Scoring
from .questions import question_type

Answer = str | list[str] | None


class ScoredOption(Protocol):
    @property
    def value(self) -> str: ...
    @property
    def score(self) -> int | None: ...


class ScoredQuestion(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def min(self) -> float | str | None: ...
    @property
    def max(self) -> float | str | None: ...
    @property
    def min_selections(self) -> int | None: ...
    @property
    def max_selections(self) -> int | None: ...
    @property
    def options(self) -> Sequence[ScoredOption]: ...


class ScoredTotal(Protocol):
    @property
    def questions(self) -> Sequence[str]: ...


class ScoringRule(Protocol):
    @property
    def reverse(self) -> Sequence[str]: ...
    @property
    def unanswered(self) -> str: ...
    @property
    def max_unanswered(self) -> int | None: ...


class ScoredForm(Protocol):
    @property
    def questions(self) -> Sequence[ScoredQuestion]: ...
    @property
    def scoring(self) -> ScoringRule | None: ...


def item_range(q: ScoredQuestion) -> tuple[int, int] | None:
    """The lowest and highest score question `q` can give, or None when it gives none (a
    question of a type that is not scored, or a choice with an option without a score)."""
    kind = question_type(q.type)
    if not kind.scored:
        return None
    if kind.value_is_score:
        assert q.min is not None and q.max is not None  # the schema requires them
        return int(q.min), int(q.max)
    scores = [o.score for o in q.options]
    if any(s is None for s in scores):
        return None
    values = sorted(s for s in scores if s is not None)
    if not kind.several:
        return values[0], values[-1]
    # several options: any number of them from min_selections to max_selections
    fewest = q.min_selections or 0
    most = q.max_selections if q.max_selections is not None else len(values)
    return _extreme(values, fewest, most), -_extreme([-v for v in values[::-1]], fewest, most)


def _extreme(ascending: list[int], fewest: int, most: int) -> int:
    """The smallest sum of at least `fewest` and at most `most` of the values."""
    chosen = ascending[:fewest]
    chosen += [v for v in ascending[fewest:most] if v < 0]
    return sum(chosen)


def total_range(form: ScoredForm, total: ScoredTotal) -> tuple[int, int] | None:
    """The lowest and highest value the total can take, or None when an item has no range."""
    assert form.scoring is not None
    ranges = []
    for qid in total.questions:
        q = next((q for q in form.questions if q.id == qid), None)
        r = item_range(q) if q is not None else None
        if r is None:
            return None
        ranges.append(r)
    if form.scoring.unanswered == "skip":  # an unanswered item counts 0
        return sum(min(0, lo) for lo, _ in ranges), sum(max(0, hi) for _, hi in ranges)
    return sum(lo for lo, _ in ranges), sum(hi for _, hi in ranges)


def item_score(q: ScoredQuestion, answer: Answer, reverse: bool) -> int | None:
    """The score of one answer; None when unanswered."""
    if answer is None or answer == [] or answer == "":
        return None
    if question_type(q.type).value_is_score:
        score = int(str(answer))
    else:
        chosen = [answer] if isinstance(answer, str) else answer
        score = sum(o.score or 0 for o in q.options if o.value in chosen)
    if reverse:
        r = item_range(q)
        assert r is not None
        score = r[0] + r[1] - score
    return score


def total_score(form: ScoredForm, total: ScoredTotal, answers: Mapping[str, Answer]) -> int | None:
    """The total for `answers` (question id → value); None when the unanswered rule gives none.
    A prorated total is rounded half up (toward the higher number: 2.5 is 3, −2.5 is −2) and
    kept within the total's range, so that a band always applies."""
    scoring = form.scoring
    assert scoring is not None
    by_id = {q.id: q for q in form.questions}
    scores = [
        item_score(by_id[qid], answers.get(qid), qid in scoring.reverse) for qid in total.questions
    ]
    answered = [s for s in scores if s is not None]
    missing = len(scores) - len(answered)
    if missing == 0 or scoring.unanswered == "skip":
        return sum(answered)
    if scoring.unanswered == "no_total" or not answered:
        return None
    assert scoring.max_unanswered is not None
    if missing > scoring.max_unanswered:
        return None
    prorated = math.floor(Fraction(sum(answered) * len(scores), len(answered)) + Fraction(1, 2))
    span = total_range(form, total)
    return prorated if span is None else min(max(prorated, span[0]), span[1])


def rules(form: Form) -> dict[str, object]:
    """What a script needs to score the form as `total_score` does: each counted item's type,
    option scores and range, the totals with their bands, the reverse items and the rule for
    unanswered items (the preview's clinician view computes totals from it as answers change)."""
    scoring = form.scoring
    assert scoring is not None
    counted = {qid for t in scoring.totals for qid in t.questions}
    items = {}
    for q in form.questions:
        if q.id in counted and (span := item_range(q)) is not None:
            scores = {o.value: o.score for o in q.options} if q.options else None
            items[q.id] = {"type": q.type, "scores": scores, "range": list(span)}
    totals = [
        {
            "id": t.id,
            "questions": list(t.questions),
            "range": list(span) if (span := total_range(form, t)) is not None else None,
            "bands": [{"min": b.min, "max": b.max, "label": b.label} for b in t.bands],
        }
        for t in scoring.totals
    ]
    return {
        "items": items,
        "totals": totals,
        "reverse": list(scoring.reverse),
        "unanswered": scoring.unanswered,
        "max_unanswered": scoring.max_unanswered,
    }


class Banded(Protocol):
    @property
    def bands(self) -> Sequence[BandShape]: ...


class BandShape(Protocol):
    @property
    def min(self) -> int: ...
    @property
    def max(self) -> int: ...
    @property
    def label(self) -> str: ...


def band_label(total: Banded, value: int) -> str | None:
    return next((b.label for b in total.bands if b.min <= value <= b.max), None)


def fingerprint(form: Form) -> str:
    """sha256: and 16 hex digits of what makes an instrument what it is: each question's id,
    type, wording, options and scores, scale ends, and the scoring."""
    items = [
        [
            q.id,
            q.type,
            q.text,
            q.help,
            q.statement,
            q.min,
            q.max,
            q.min_label,
            q.max_label,
            [[o.value, o.label, o.score, o.exclusive] for o in q.options],
        ]
        for q in form.questions
    ]
    digest = hashlib.sha256(
        json.dumps([items, _scoring_data(form.scoring)], ensure_ascii=False).encode()
    )
    return "sha256:" + digest.hexdigest()[:16]


def _scoring_data(scoring: Scoring | None) -> object:
    if scoring is None:
        return None
    totals = [
        [t.id, list(t.questions), [[b.min, b.max, b.label] for b in t.bands]]
        for t in scoring.totals
    ]
    return [totals, list(scoring.reverse), scoring.unanswered, scoring.max_unanswered]
