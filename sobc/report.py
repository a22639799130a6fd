"""Diagnostics as text for people, JSON for tools, and GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .diagnostics import Diagnostic, Severity

FORMATS = ("text", "json", "github")


def as_text(diagnostics: Sequence[Diagnostic]) -> str:
    blocks = []
    for d in diagnostics:
        where = f"{d.location}: " if d.location else ""
        lines = [f"{where}{d.severity}[{d.code}]: {d.message}"]
        if d.source_line and d.location and d.location.line > 0:
            number = str(d.location.line)
            gutter = " " * len(number)
            lines.append(f" {number} | {d.source_line.rstrip()}")
            caret = " " * max(_display_col(d.source_line, d.location.col) - 1, 0)
            lines.append(f" {gutter} | {caret}^")
        if d.hint:
            lines.append(f"  hint: {d.hint}")
        blocks.append("\n".join(lines))
    return "\n".join(blocks)


def _display_col(line: str, col: int) -> int:
    """Tabs are shown as they are, so the caret lines up in a terminal only by characters."""
    return min(col, len(line) + 1)


def summary(programs: int, diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = len(diagnostics) - errors
    noun = "program" if programs == 1 else "programs"
    if not diagnostics:
        return f"{programs} {noun} checked: no problems"
    return f"{programs} {noun} checked: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def as_json(programs: int, diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    payload = {
        "programs": programs,
        "errors": errors,
        "warnings": len(diagnostics) - errors,
        "diagnostics": [d.to_dict() for d in diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one ::error or ::warning line each."""
    lines = []
    for d in diagnostics:
        props = []
        if d.location:
            props.append(f"file={_escape_property(d.location.path)}")
            if d.location.line > 0:
                props += [f"line={d.location.line}", f"col={d.location.col}"]
        props.append(f"title={_escape_property(d.code)}")
        message = d.message + (f" (hint: {d.hint})" if d.hint else "")
        lines.append(f"::{d.severity} {','.join(props)}::{_escape_data(message)}")
    return "\n".join(lines)
