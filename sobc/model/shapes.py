"""Data shapes the model and the manifest share, declared once: the model holds them as
written (or the manifest's writer makes them from the model: a question and its parts), the
manifest writes them as they are (`dataclasses.asdict`), and its reader (`runtime/manifest.py`)
returns them. Plain values without source references, so the reader can use them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Band:
    min: int
    max: int
    label: str


@dataclass(frozen=True)
class ValueBand:
    """A band of a computed value: its ends may be decimal numbers."""

    min: float
    max: float
    label: str


@dataclass(frozen=True)
class Media:
    src: str
    description: str
    captions: str | None = None
    transcript: str | None = None
    poster: str | None = None
    duration: str | None = None

    def files(self) -> list[tuple[str, str]]:
        """(key, path) of every local file the media refers to."""
        keys = ("src", "captions", "transcript", "poster")
        return [(k, v) for k in keys if (v := getattr(self, k)) and not v.startswith("https://")]


# A trigger's limit: a score (form_scored), or an answer of the question's own kind of bounds
# (form_answered: a number, or a time or date as written).
Threshold = float | str


@dataclass(frozen=True)
class Trigger:
    type: str
    module: str | None = None
    form: str | None = None
    days: int | None = None
    days_before: int | None = None
    plan: str | None = None
    count: int | None = None
    score: str | None = None
    at_least: Threshold | None = None
    at_most: Threshold | None = None
    question: str | None = None
    answers: tuple[str | bool, ...] | None = None


@dataclass(frozen=True)
class Adjustable:
    """A trigger key the clinician may change for one patient, within min and max."""

    key: str
    min: float
    max: float


@dataclass(frozen=True)
class Schedule:
    every: str
    weekday: str | None = None
    interval_days: int | None = None
    time: str | None = None  # "HH:MM" the form is due from; None: 00:00


@dataclass(frozen=True)
class OptionInfo:
    value: str
    label: str
    exclusive: bool
    score: int | None
    group: str | None


@dataclass(frozen=True)
class ConditionInfo:
    question: str
    values: tuple[str | bool, ...]


@dataclass(frozen=True)
class ColumnInfo:
    id: str
    type: str
    text: str
    required: bool
    options: tuple[OptionInfo, ...]


@dataclass(frozen=True)
class QuestionInfo:
    """A question as the manifest holds it: every key for every type, those that do not apply
    null, false or empty; the writer fills it from the model through the question registry."""

    id: str
    type: str
    answer: str
    text: str
    help: str | None
    required: bool
    enable_when: ConditionInfo | None
    options: tuple[OptionInfo, ...]
    min_selections: int | None
    max_selections: int | None
    max_length: int | None
    min: float | str | None  # of the kind its type has: a number, or HH:MM for a time
    max: float | str | None
    min_label: str | None
    max_label: str | None
    unit: str | None
    integer: bool
    statement: str | None
    columns: tuple[ColumnInfo, ...]
    min_rows: int | None
    max_rows: int | None
