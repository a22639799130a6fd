"""What a question's `min` and `max` are, by kind: numbers, whole numbers, times of day or dates.

A question type names its kind of bounds in its record (`questions.py`); everything that reads a
bound — the form schema, the checks, the pages, the guide, the manifest's schema — asks the kind
how a bound is written, ordered and shown, so no stage knows which types have which bounds.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model.program import Bound


TIME_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$"
DATE_PATTERN = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


@dataclass(frozen=True, eq=False)  # each kind is one object: compared and hashed by identity
class Bounds:
    name: str
    schema: dict[str, Any]  # one bound in a form file (and in the manifest)
    parse: Callable[[object], float | None]  # a bound or an answer → its place in order, or None
    show: Callable[[Bound], str]  # as the patient and the clinician read it
    written: str  # what a value is, in a hint: "numbers", "a time of day written HH:MM"
    hint: str = ""  # how to write one, for a value the schema's pattern refuses
    wraps: bool = False  # a range whose min is after its max goes on past the end (midnight)
    lowest: str = ""  # shown for an open lower end ("" = say "at the latest …" instead)
    highest: str = ""  # shown for an open upper end
    least: str = "minst"  # Swedish: "at least" of this kind ("tidigast" for a time)
    most: str = "högst"  # "at most" ("senast")

    def contains(self, value: object, low: Bound | None, high: Bound | None) -> bool:
        """Whether `value` lies in [low, high] (a wrapping range: from low on, or up to high)."""
        v = self.parse(value)
        if v is None:
            return False
        lo = self.parse(low) if low is not None else None
        hi = self.parse(high) if high is not None else None
        if self.wraps and lo is not None and hi is not None and lo > hi:
            return v >= lo or v <= hi
        return (lo is None or lo <= v) and (hi is None or v <= hi)

    def reversed(self, low: Bound | None, high: Bound | None) -> bool:
        """Whether min lies after max, which only a wrapping range allows."""
        if low is None or high is None or self.wraps:
            return False
        lo, hi = self.parse(low), self.parse(high)
        return lo is not None and hi is not None and lo > hi

    def span(self, low: Bound | None, high: Bound | None) -> str:
        """The range as a page shows it beside its control, such as "20:00–03:00"."""
        if self._closed(low, high):
            return f"{self._end(low, self.lowest)}–{self._end(high, self.highest)}"
        return self._one_end(low, high)

    def words(self, low: Bound | None, high: Bound | None) -> str:
        """The range in words for the clinician's guide (Swedish)."""
        if self._closed(low, high):
            return f"Mellan {self._end(low, self.lowest)} och {self._end(high, self.highest)}"
        return self._one_end(low, high)

    def _closed(self, low: Bound | None, high: Bound | None) -> bool:
        """Whether both ends can be shown: written, or the kind has a first and a last value."""
        return (low is not None or bool(self.lowest)) and (high is not None or bool(self.highest))

    def _end(self, bound: Bound | None, open_end: str) -> str:
        return self.show(bound) if bound is not None else open_end

    def limits(self, low: Bound | None, high: Bound | None) -> str:
        """A range in words within a sentence: "minst 38", "mellan 22:00 och 03:00"."""
        if low is not None and high is not None:
            return f"mellan {self.show(low)} och {self.show(high)}"
        if low is not None:
            return f"{self.least} {self.show(low)}"
        return f"{self.most} {self.show(high)}" if high is not None else ""

    def _one_end(self, low: Bound | None, high: Bound | None) -> str:
        if low is not None:
            return f"{self.least.capitalize()} {self.show(low)}"
        return f"{self.most.capitalize()} {self.show(high)}" if high is not None else ""


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _whole(value: object) -> float | None:
    number = _number(value)
    return number if number is not None and number == int(number) else None


def shown_number(value: Bound) -> str:
    number = float(value)
    return str(int(number)) if number == int(number) else f"{number:g}"


def swedish_number(value: Bound) -> str:
    """A number as a Swedish reader writes it: a decimal comma ("84,9")."""
    return shown_number(value).replace(".", ",")


def _minutes(value: object) -> float | None:
    """Minutes after midnight of an `HH:MM` time."""
    if not isinstance(value, str) or not re.fullmatch(TIME_PATTERN[1:-1], value):
        return None
    return int(value[:2]) * 60 + int(value[3:])


def _day(value: object) -> float | None:
    """The day number of a `YYYY-MM-DD` date that exists (not 2026-02-30)."""
    if not isinstance(value, str) or not re.fullmatch(DATE_PATTERN[1:-1], value):
        return None
    try:
        return datetime.date.fromisoformat(value).toordinal()
    except ValueError:
        return None


NUMBER = Bounds("number", {"type": "number"}, _number, shown_number, "numbers")
WHOLE_NUMBER = Bounds("whole number", {"type": "integer"}, _whole, shown_number, "whole numbers")
TIME = Bounds(
    "time",
    {
        "type": "string",
        "pattern": TIME_PATTERN,
        "description": 'A time of day, HH:MM (24 hours), such as "07:30".',
    },
    _minutes,
    str,
    "a time of day written HH:MM",
    hint="write a time of day from 00:00 to 23:59 as HH:MM in 24-hour time, like '07:30'",
    wraps=True,
    lowest="00:00",
    highest="23:59",
    least="tidigast",
    most="senast",
)
DATE = Bounds(
    "date",
    {
        "type": "string",
        "pattern": DATE_PATTERN,
        "description": 'A date, YYYY-MM-DD, such as "2026-03-01".',
    },
    _day,
    str,
    "a date written YYYY-MM-DD",
    hint="write a date as YYYY-MM-DD, like '2026-03-01'",
    least="tidigast",
    most="senast",
)
BOUNDS = (NUMBER, WHOLE_NUMBER, TIME, DATE)
