"""How a rule reports: `Reporter` turns a model reference (and a path below it, or a character
of its text) into file:line:col, so no rule computes a position; and the hints rules share."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Location, make
from ..model.program import Program, Ref
from ..paths import display_path


class Reporter:
    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def __call__(
        self,
        code: str,
        ref: Ref,
        *at: str | int,
        on_key: bool = False,
        offset: int | None = None,
        **ctx: Any,
    ) -> None:
        """Report at the value at `at` (or its key); with `offset`, at that character of the
        value's text (a link inside a step's body, say)."""
        location = ref.at(*at, key=on_key, offset=offset)
        self.diagnostics.append(make(code, location, ref.source_line(location), **ctx))

    def file(self, code: str, path: Path, **ctx: Any) -> None:
        """A problem of a whole file, which no YAML value stands for."""
        self.diagnostics.append(make(code, Location(display_path(path)), **ctx))


Rule = Callable[[Program, Reporter], None]


def suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def report_duplicates(
    report: Reporter, kind: str, items: Iterable[tuple[str, Ref, tuple[str | int, ...]]]
) -> None:
    # positions are looked up only for a duplicate: a clean program never needs them
    first: dict[str, tuple[Ref, tuple[str | int, ...]]] = {}
    for ident, ref, at in items:
        if ident in first:
            first_ref, first_at = first[ident]
            line = first_ref.at(*first_at).line
            report("SOBC301", ref, *at, kind=kind, id=ident, first_line=line)
        else:
            first[ident] = (ref, at)
