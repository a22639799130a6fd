"""One change `sobc diff` found: the rule it falls under, where it is, its old and new value, and
the changes it implies (told once, as its detail: a type change's options, limits and labels)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..diagnostics import Location
from .rules import ChangeClass, Rule
from .text import Words

Path = tuple[tuple[str, str], ...]  # (kind, id) from the program down, as in NEW


@dataclass(frozen=True)
class Change:
    rule: Rule
    program: str
    path: Path
    message: str
    field: str | None = None
    old: Any = None
    new: Any = None
    location: Location | None = None  # in NEW (for something removed: where it was held)
    old_location: Location | None = None
    words: Words | None = None
    # Changes that follow from this one (never of a worse class): shown with it, not counted.
    implied: tuple[Change, ...] = ()

    @property
    def change_class(self) -> ChangeClass:
        return self.rule.change_class


def name(kind: str, ident: str) -> str:
    return f"{kind.replace('_', ' ')} '{ident}'"
