"""Question types: what each one asks, which keys apply to it, the answer it stores, how an
`enable_when` value for it is checked, and which template renders it.

Adding a type: a record in QUESTION_TYPES, its control in
`render/templates/questions/<name>.html.j2`
and a case folder; then `python -m sobc.kinds` writes the schemas and tables
(`docs/architecture.md`, "Adding a question type").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model.program import Question, Value

# Keys every question may have; a type lists the ones that do not apply in `without`.
COMMON_KEYS = ("id", "type", "text", "help", "required", "enable_when")

TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
TIME_PATTERN = TIME.pattern


def minutes(text: str) -> int:
    """Minutes after midnight of an `HH:MM` time."""
    return int(text[:2]) * 60 + int(text[3:])


def in_time_range(value: str, low: str | None, high: str | None) -> bool:
    """Whether `value` lies in [low, high]; a range whose low is after its high passes midnight
    (bedtimes 20:00–03:00)."""
    v = minutes(value)
    lo = minutes(low) if low is not None else 0
    hi = minutes(high) if high is not None else 24 * 60 - 1
    return lo <= v <= hi if lo <= hi else v >= lo or v <= hi


# ---------------------------------------------------------------- enable_when values
# Each returns None when the question can have the answer `value`, else a hint saying what it
# can have (used by the checks, SOBC307).


def _choice(q: Question, value: Value) -> str | None:
    values = [o.value for o in q.options]
    if isinstance(value, bool) or value not in values:
        return f"its values are: {', '.join(values)}"
    return None


def _consent(q: Question, value: Value) -> str | None:
    return None if isinstance(value, bool) else "a consent is true or false"


def _number(q: Question, value: Value) -> str | None:
    try:
        number = float(value) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    low = q.min if q.min is not None else float("-inf")
    high = q.max if q.max is not None else float("inf")
    if number is None or not low <= number <= high:
        return f"it takes numbers from {_shown(q.min)} to {_shown(q.max)}"
    return None


def _shown(bound: float | None) -> str:
    if bound is None:
        return "any"
    return str(int(bound)) if bound == int(bound) else str(bound)


def _time(q: Question, value: Value) -> str | None:
    low, high = q.min_time, q.max_time
    span = f" from {low or '00:00'} to {high or '23:59'}" if low or high else ""
    if isinstance(value, bool) or not TIME.match(value):
        return f"it takes a time of day written HH:MM{span}"
    if not in_time_range(value, low, high):
        return f"it takes times{span}"
    return None


def _date(q: Question, value: Value) -> str | None:
    if isinstance(value, bool) or not re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        return "it takes a date written YYYY-MM-DD"
    return None


def _text(q: Question, value: Value) -> str | None:
    return None if not isinstance(value, bool) else "it takes text"


_TIME_SCHEMA = {
    "type": "string",
    "pattern": TIME_PATTERN,
    "description": 'A time of day, HH:MM (24 hours), such as "07:30".',
}


@dataclass(frozen=True)
class QuestionType:
    name: str
    label: str  # its name for clinicians (the guide), Swedish
    does: str  # what the patient does, for the authoring table ("the patient …")
    answer: str  # the kind of answer the manifest says it stores
    stored: str  # the stored answer, in words (authoring table)
    keys: tuple[str, ...] = ()  # keys besides COMMON_KEYS that apply
    required: tuple[str, ...] = ()  # of `keys`, those that must be written
    keys_note: str = ""  # more on the keys for the authoring table
    narrowed: dict[str, Any] = field(default_factory=dict)  # key → stricter schema for this type
    without: tuple[str, ...] = ()  # COMMON_KEYS that do not apply
    # Can an enable_when of another question have `value` for this one? None: no answer at all.
    accepts: Callable[[Question, Value], str | None] | None = _text
    group: bool = False  # rendered as a fieldset with a legend (several controls) or one control
    column: bool = False  # may be a column of a plan question
    scored: bool = False  # carries a score in a scored form (options' `score`, a scale's value)


QUESTION_TYPES: dict[str, QuestionType] = {
    t.name: t
    for t in (
        QuestionType(
            "single_choice",
            "Ett svarsalternativ",
            "chooses one alternative",
            "choice",
            "the option's `value` (text)",
            keys=("options",),
            required=("options",),
            keys_note="(at least 2)",
            accepts=_choice,
            group=True,
            column=True,
            scored=True,
        ),
        QuestionType(
            "multiple_choice",
            "Flera svarsalternativ",
            "chooses several",
            "choices",
            "list of option values",
            keys=("options", "min_selections", "max_selections"),
            required=("options",),
            keys_note='(say "Du kan välja 1–7 svarsalternativ" in `help`)',
            accepts=_choice,
            group=True,
            scored=True,
        ),
        QuestionType(
            "short_text",
            "Kort text",
            "writes a line",
            "text",
            "text",
            keys=("max_length",),
            column=True,
        ),
        QuestionType(
            "long_text",
            "Längre text",
            "writes paragraphs",
            "text",
            "text",
            keys=("max_length",),
            column=True,
        ),
        QuestionType(
            "scale",
            "Skala",
            "picks a whole number on a scale with labelled ends",
            "number",
            "whole number",
            keys=("min", "max", "min_label", "max_label"),
            required=("min", "max", "min_label", "max_label"),
            keys_note="(`min` and `max` whole numbers, min < max)",
            narrowed={"min": {"type": "integer"}, "max": {"type": "integer"}},
            accepts=_number,
            group=True,
            scored=True,
        ),
        QuestionType(
            "number",
            "Tal",
            "types a number",
            "number",
            "number",
            keys=("min", "max", "unit", "integer"),
            narrowed={"min": {"type": "number"}, "max": {"type": "number"}},
            accepts=_number,
            column=True,
        ),
        QuestionType(
            "date", "Datum", "picks a date", "date", "`YYYY-MM-DD` text", accepts=_date, column=True
        ),
        QuestionType(
            "time",
            "Klockslag",
            "gives a time of day (24 hours)",
            "time",
            "`HH:MM` text",
            keys=("min", "max"),
            keys_note="(`HH:MM`; a range may pass midnight: `min: 20:00`, `max: 03:00`)",
            narrowed={"min": _TIME_SCHEMA, "max": _TIME_SCHEMA},
            accepts=_time,
            column=True,
        ),
        QuestionType(
            "consent",
            "Samtycke",
            "ticks a box to consent",
            "boolean",
            "true / false",
            keys=("statement",),
            required=("statement",),
            keys_note="(the box's label; `text` is what is consented to)",
            accepts=_consent,
            group=True,
        ),
        QuestionType(
            "plan",
            "Plan i rader",
            "fills in repeating rows, such as an activity list",
            "rows",
            "list of rows, each a mapping from column id to value",
            keys=("columns", "min_rows", "max_rows"),
            required=("columns",),
            accepts=None,
            group=True,
        ),
        QuestionType(
            "info",
            "Information till patienten",
            "reads a text; nothing is answered",
            "none",
            "nothing",
            without=("required", "help"),
            accepts=None,
        ),
    )
}

COLUMN_TYPES = tuple(name for name, t in QUESTION_TYPES.items() if t.column)


def question_type(name: str) -> QuestionType:
    return QUESTION_TYPES[name]
