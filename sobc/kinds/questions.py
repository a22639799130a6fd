"""Question types: one record per type, the one place where anything varies by type — which keys
apply, the answer it stores, what its `min` and `max` are (`bounds.py`), how an `enable_when`
value for it is checked, how it counts in a score, its control and its words in the guide.

The rest of sobc asks the record and never tests a type's name. Adding a type: its record in
QUESTION_TYPES, its control `render/templates/questions/<name>.html.j2` (a macro `control`) and a
case folder for each rule it brings; then `python -m sobc.kinds` writes the schemas' per-type
rules and the authoring tables (`docs/architecture.md`, "Adding a question type").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .bounds import DATE, TIME, WHOLE_NUMBER, Bounds, shown_number
from .bounds import NUMBER as NUMBER_BOUNDS

if TYPE_CHECKING:
    from ..model.program import Question, Value

# Keys every question may have; a type lists the ones that do not apply in `without`.
COMMON_KEYS = ("id", "type", "text", "help", "required", "enable_when")


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


def _bounded(q: Question, value: Value) -> str | None:
    """A value of the question's kind of bounds, inside its range."""
    bounds = question_type(q.type).bounds
    assert bounds is not None
    if bounds.contains(value, q.min, q.max):
        return None
    if q.min is None and q.max is None:
        return f"it takes {bounds.written}"
    low = bounds.show(q.min) if q.min is not None else bounds.lowest or "any"
    high = bounds.show(q.max) if q.max is not None else bounds.highest or "any"
    return f"it takes {bounds.written} from {low} to {high}"


def _text(q: Question, value: Value) -> str | None:
    return None if not isinstance(value, bool) else "it takes text"


# ---------------------------------------------------------------- the guide's words
# What the clinician's guide says of a question's own keys, in Swedish.


def _key_words(q: Question) -> list[str]:
    """The words for the keys most types share: a range, a length, selections, a statement."""
    bounds = question_type(q.type).bounds
    if bounds is not None and (q.min is not None or q.max is not None):
        return [bounds.words(q.min, q.max)]
    if q.max_length:
        return [f"Högst {q.max_length} tecken"]
    if q.statement:
        return [f"Patienten kryssar i: ”{q.statement}”"]
    lo, hi = q.min_selections, q.max_selections
    if lo and hi:
        return [f"Minst {lo}, högst {hi} val"]
    if lo or hi:
        return [f"Minst {lo} val" if lo else f"Högst {hi} val"]
    return []


def _scale_words(q: Question) -> list[str]:
    assert q.min is not None and q.max is not None  # required for a scale
    low = shown_number(q.min) + (f" ({q.min_label})" if q.min_label else "")
    high = shown_number(q.max) + (f" ({q.max_label})" if q.max_label else "")
    return [f"Från {low} till {high}"]


def _number_words(q: Question) -> list[str]:
    parts = ["Heltal" if q.integer else "Tal"]
    if q.min is not None:
        parts.append(f"minst {shown_number(q.min)}")
    if q.max is not None:
        parts.append(f"högst {shown_number(q.max)}")
    text = ", ".join(parts)
    return [f"{text} ({q.unit})" if q.unit else text]


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
    bounds: Bounds | None = None  # what its `min` and `max` are, when it has them
    min_below_max: bool = False  # min must lie below max, not only not after it (a scale)
    shows_range: bool = False  # its control shows the range beside it (times: the browser can't)
    integer: bool | None = None  # the manifest's `integer`: always or never; None: as written
    words: Callable[[Question], list[str]] = _key_words  # what the guide says of its keys
    computes: str | None = None  # what a computed value reads it as: "number", "time" or not
    grouped: bool = False  # its options may stand under headings (`group`)

    @property
    def template(self) -> str:
        """Its control: a macro `control(q, id, name, required)` in this template."""
        return f"questions/{self.name}.html.j2"

    @property
    def stores_answer(self) -> bool:
        """Whether the patient answers it at all (an information text does not)."""
        return self.answer != "none"

    @property
    def value_is_score(self) -> bool:
        """Whether the answer itself is the score (a scale's value), not its options' scores."""
        return self.scored and self.bounds is not None

    @property
    def several(self) -> bool:
        """Whether the patient may choose several options (exclusive options then mean one)."""
        return self.answer == "choices"

    def schema_of(self, key: str) -> dict[str, Any] | None:
        """The stricter schema this type gives `key`: `narrowed`, or its bounds' for min/max."""
        if key in ("min", "max") and self.bounds is not None and key in self.keys:
            return self.bounds.schema
        return self.narrowed.get(key)


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
            "checklist",
            "Checklista",
            "ticks the points that apply, grouped under headings",
            "choices",
            "list of the option values ticked",
            keys=("options",),
            required=("options",),
            keys_note="(each may have a `group`: the heading it stands under)",
            accepts=_choice,
            group=True,
            grouped=True,
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
            accepts=_bounded,
            group=True,
            scored=True,
            bounds=WHOLE_NUMBER,
            min_below_max=True,
            integer=True,
            words=_scale_words,
            computes="number",
        ),
        QuestionType(
            "number",
            "Tal",
            "types a number",
            "number",
            "number",
            keys=("min", "max", "unit", "integer"),
            accepts=_bounded,
            column=True,
            bounds=NUMBER_BOUNDS,
            words=_number_words,
            computes="number",
        ),
        QuestionType(
            "date",
            "Datum",
            "picks a date",
            "date",
            "`YYYY-MM-DD` text",
            keys=("min", "max"),
            keys_note="(`YYYY-MM-DD`: the earliest and the latest date)",
            accepts=_bounded,
            column=True,
            bounds=DATE,
            shows_range=True,
        ),
        QuestionType(
            "time",
            "Klockslag",
            "gives a time of day (24 hours)",
            "time",
            "`HH:MM` text",
            keys=("min", "max"),
            keys_note="(`HH:MM`; a range may pass midnight: `min: 20:00`, `max: 03:00`)",
            accepts=_bounded,
            column=True,
            bounds=TIME,
            shows_range=True,
            computes="time",
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
