"""Diagnostics as text for people, JSON for tools, and GitHub workflow annotations."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Sequence
from typing import Any

import click

from .diagnostics import Diagnostic, Location, Severity, readable

FORMATS = ("text", "json", "github")
EXCERPT_WIDTH = 100  # characters of a source line shown around the column; '…' marks a cut


def as_text(diagnostics: Sequence[Diagnostic], *, style: bool = False) -> str:
    """Each problem as `file:line:col: severity[code]: message`, its source line with a caret
    under the column, and its hint. `style`: ANSI colours (errors red, warnings yellow, the
    position bold), which `click.echo` removes again where colour is off."""
    return readable("\n".join(_block(d, style) for d in diagnostics))


def _block(d: Diagnostic, style: bool) -> str:
    where = f"{d.location}: " if d.location else ""
    label = f"{d.severity}[{d.code}]"
    if style:
        where = click.style(where, bold=True) if where else ""
        colour = "red" if d.severity is Severity.ERROR else "yellow"
        label = click.style(label, fg=colour, bold=True)
    lines = [f"{where}{label}: {d.message}"]
    if d.source_line and d.location and d.location.line > 0:
        number = str(d.location.line)
        shown, caret = excerpt(d.source_line, d.location.col)
        lines.append(f" {number} | {shown}")
        lines.append(f" {' ' * len(number)} | {caret}")
    if d.hint:
        lines.append(f"  hint: {d.hint}")
    return "\n".join(lines)


def excerpt(line: str, col: int, width: int = EXCERPT_WIDTH) -> tuple[str, str]:
    """A source line cut to `width` characters around column `col` (counted from 1), with '…'
    where it was cut, and the line that puts a caret under that column on a terminal."""
    line = line.rstrip()
    at = min(max(col, 1), len(line) + 1) - 1  # the index of the character the caret points at
    start, end = 0, len(line)
    if len(line) > width:
        start = max(0, min(at - width // 2, len(line) - width))
        end = start + width
    head = "…" if start else ""
    tail = "…" if end < len(line) else ""
    return head + line[start:end] + tail, _blank(head + line[start:at]) + "^"


def _blank(text: str) -> str:
    """Blanks as wide as text on a terminal: a tab stays a tab, a wide character takes two."""
    return "".join("\t" if ch == "\t" else " " * _cells(ch) for ch in text)


def _cells(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def summary(programs: int, diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    warnings = len(diagnostics) - errors
    checked = f"{_plural(programs, 'program')} checked"
    if not diagnostics:
        return f"{checked}: no problems"
    return f"{checked}: {_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def as_json(programs: int, diagnostics: Sequence[Diagnostic]) -> str:
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    payload = {
        "programs": programs,
        "errors": errors,
        "warnings": len(diagnostics) - errors,
        "diagnostics": [_readable_values(d.to_dict()) for d in diagnostics],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


def _readable_values(data: dict[str, Any]) -> dict[str, Any]:
    """Every text of a diagnostic's fields as valid UTF-8 (`readable`)."""
    return {k: readable(v) if isinstance(v, str) else v for k, v in data.items()}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(level: str, location: Location | None, title: str, message: str) -> str:
    """One GitHub Actions workflow command (::error, ::warning, ::notice) at a place."""
    props = []
    if location:
        props.append(f"file={_escape_property(location.path)}")
        if location.line > 0:
            props += [f"line={location.line}", f"col={location.col}"]
    props.append(f"title={_escape_property(title)}")
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def as_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands: one ::error or ::warning line each."""
    return readable(
        "\n".join(
            workflow_command(
                str(d.severity),
                d.location,
                d.code,
                d.message + (f" (hint: {d.hint})" if d.hint else ""),
            )
            for d in diagnostics
        )
    )
