"""Changes another change implies are told once, as its detail: a question's (or plan
column's) type change brings the options, columns, limits and labels of its new type; a step's
type change its body, forms and media; a form scored for the first time (or no longer) its
options' scores. A change is only folded into one of its own class or a worse one, so folding
never hides something worse than what is shown."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, replace

from ..kinds.questions import COMMON_KEYS
from ..kinds.steps import StepType
from ..model.program import Step
from .change import Change, Path

# The fields of a step that its type decides (StepType says which a type needs or refuses).
_STEP_TYPED = frozenset(f.name for f in fields(StepType)) & frozenset(f.name for f in fields(Step))


def by_type(kind: str, field_name: str) -> bool:
    """Whether a field of an element of this kind comes with its type: for questions and plan
    columns, every key but those all types share (the question registry's COMMON_KEYS)."""
    if kind in ("question", "column"):
        return field_name not in COMMON_KEYS and field_name != "source"
    return kind == "step" and field_name in _STEP_TYPED


def fold_type(changes: list[Change], start: int, kind: str, path: Path) -> None:
    """Fold into the type change of the element at `path` (made from `start` on) what its
    type brings: its own fields that come with the type, and every change inside it."""

    def brought(c: Change) -> bool:
        if c.path == path:
            return c.field is None or by_type(kind, c.field)  # None: its options' order
        return c.path[: len(path)] == path

    _fold(changes, start, lambda c: c.path == path and c.field == "type", brought)


def fold_scoring(changes: list[Change], start: int, path: Path) -> None:
    """Fold into a form's scoring, added or removed, its options' scores."""
    rules = ("form-scoring-added", "form-scoring-changed")

    def head(c: Change) -> bool:
        scoring = c.path == path and c.field == "scoring"
        return scoring and (c.old is None or c.new is None)

    def brought(c: Change) -> bool:
        return c.rule.id in rules and len(c.path) > len(path) and c.path[: len(path)] == path

    _fold(changes, start, head, brought)


def _fold(
    changes: list[Change],
    start: int,
    is_head: Callable[[Change], bool],
    implied: Callable[[Change], bool],
) -> None:
    at = next((i for i in range(start, len(changes)) if is_head(changes[i])), None)
    if at is None:
        return
    head = changes[at]
    folded, kept = [], []
    for i in range(start, len(changes)):
        c = changes[i]
        if i != at and implied(c) and c.change_class.rank <= head.change_class.rank:
            folded.append(c)
        else:
            kept.append(i)
    if folded:
        changes[at] = replace(head, implied=head.implied + tuple(folded))
        changes[start:] = [changes[i] for i in kept]
