"""A diff's changes for where review happens: text for a terminal, JSON for tools, Markdown for
a pull-request comment, GitHub workflow annotations on the changed lines. Each format shows the
same: a change, its old → new value (or the word diff of a text), and the changes it implies."""

from __future__ import annotations

import html
import json
from collections import Counter
from typing import Any

import click

from ..diagnostics import Location
from ..report import workflow_command
from . import DiffResult
from .change import Change, name
from .rules import CLASSES, ChangeClass
from .text import Words, shorten
from .values import value_lines

FORMATS = ("text", "json", "markdown", "github")


def _counts(changes: list[Change]) -> str:
    counted = Counter(c.change_class for c in changes)
    parts = [f"{counted[k]} {k}" for k in CLASSES if counted[k]]
    return f"{len(changes)} change{'' if len(changes) == 1 else 's'}" + (
        f" ({', '.join(parts)})" if parts else ""
    )


def _by_program(changes: list[Change]) -> dict[str, list[Change]]:
    programs: dict[str, list[Change]] = {}
    for change in changes:
        programs.setdefault(change.program, []).append(change)
    return programs


def _groups(changes: list[Change]) -> dict[str, dict[str, list[Change]]]:
    """Changes by top element (module, form, flag …; the program itself), then by element."""
    groups: dict[str, dict[str, list[Change]]] = {}
    for change in changes:
        top = name(*change.path[0]) if change.path else "program"
        rest = " › ".join(name(*p) for p in change.path[1:])
        groups.setdefault(top, {}).setdefault(rest, []).append(change)
    return groups


def _element(change: Change) -> str:
    return " › ".join(name(*p) for p in change.path) or "program"


def _where(change: Change) -> str:
    if change.location is not None:
        return str(change.location)
    if change.old_location is not None:
        return f"{change.old_location} (old)"
    return ""


def _details(change: Change, style: bool = False) -> list[str]:
    """What a change shows under its line: its old → new values, or its word diff."""
    lines = value_lines(change)
    if change.words:
        lines.append(_words_text(change.words, style))
    return lines


def _implied_text(change: Change, indent: str, style: bool) -> list[str]:
    lines = []
    for c in change.implied:
        label = f"{c.change_class} [{c.rule.id}]"
        lines.append(f"{indent}↳ {click.style(label, bold=True) if style else label} {c.message}")
        lines += [f"{indent}    {line}" for line in _details(c, style)]
    return lines


def _words_text(words: Words, style: bool = False) -> str:
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    colours = {"=": None, "-": "red", "+": "green"}
    return " ".join(
        click.style(marks[op].format(text), fg=colours[op])
        if style and op != "="
        else marks[op].format(text)
        for op, text in shorten(words)
    )


COLOURS = {
    ChangeClass.DATA_BREAKING: "red",
    ChangeClass.SAFETY: "yellow",
    ChangeClass.STRUCTURE: "cyan",
    ChangeClass.WORDING: None,
    ChangeClass.COSMETIC: None,
}


# ---- text


def as_text(result: DiffResult, *, style: bool = False) -> str:
    """Grouped by program, top element and element; `style`: ANSI colours (data-breaking red,
    safety yellow, words removed red and added green), which `click.echo` removes where colour
    is off."""
    if not result.changes:
        return f"{result.old} → {result.new}: no changes"
    lines = []
    for program, changes in _by_program(result.changes).items():
        lines.append(f"{program}: {_counts(changes)}")
        for top, elements in _groups(changes).items():
            lines.append(f"  {top}")
            for element, items in elements.items():
                indent = "    "
                if element:
                    lines.append(f"    {element}")
                    indent = "      "
                for c in items:
                    where = _where(c)
                    label = f"{c.change_class} [{c.rule.id}]"
                    if style:
                        where = click.style(where, bold=True) if where else ""
                        label = click.style(label, fg=COLOURS[c.change_class], bold=True)
                    lines.append(f"{indent}{where + ': ' if where else ''}{label} {c.message}")
                    lines += [f"{indent}  {line}" for line in _details(c, style)]
                    lines += _implied_text(c, indent + "  ", style)
    return "\n".join(lines)


# ---- JSON


def _location(location: Location | None, prefix: str = "") -> dict[str, Any]:
    return {
        f"{prefix}file": location.path if location else None,
        f"{prefix}line": location.line if location and location.line else None,
        f"{prefix}col": location.col if location and location.col else None,
    }


def change_dict(c: Change) -> dict[str, Any]:
    return {
        "rule": c.rule.id,
        "class": str(c.change_class),
        "program": c.program,
        "path": [{"kind": kind, "id": ident} for kind, ident in c.path],
        "element": _element(c),
        "field": c.field,
        "message": c.message,
        "old": c.old,
        "new": c.new,
        **_location(c.location),
        **_location(c.old_location, "old_"),
        "words": [{"op": op, "text": text} for op, text in c.words] if c.words else None,
        "implied": [change_dict(i) for i in c.implied],
    }


def as_json(result: DiffResult) -> str:
    counted = Counter(str(c.change_class) for c in result.changes)
    payload = {
        "old": result.old,
        "new": result.new,
        "version_policy": str(result.policy),
        "counts": {str(k): counted[str(k)] for k in CLASSES},
        "changes": [change_dict(c) for c in result.changes],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2)


# ---- Markdown


def _md(text: str) -> str:
    """Text safe inside a Markdown list item or table cell of a comment."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _words_markdown(words: Words) -> str:
    marks = {"=": "{}", "-": "<del>{}</del>", "+": "<ins>{}</ins>"}
    return " ".join(marks[op].format(_md(text)) for op, text in shorten(words))


def _markdown_details(change: Change, indent: str) -> list[str]:
    lines = [f"{indent}- {_md(line)}" for line in value_lines(change)]
    if change.words:
        lines.append(f"{indent}> {_words_markdown(change.words)}")
    return lines


def as_markdown(result: DiffResult) -> str:
    title = f"### sobc diff: `{_md(result.old)}` → `{_md(result.new)}`"
    if not result.changes:
        return f"{title}\n\nNo changes."
    counted = Counter(c.change_class for c in result.changes)
    lines = [title, "", "| class | changes |", "|---|---:|"]
    lines += [f"| {k} | {counted[k]} |" for k in CLASSES]
    for program, changes in _by_program(result.changes).items():
        lines += ["", f"<details><summary><b>{_md(program)}</b>: {_counts(changes)}</summary>", ""]
        for c in sorted(changes, key=lambda c: -c.change_class.rank):
            where = _where(c)
            lines.append(
                f"- **{c.change_class}** `{c.rule.id}` {_md(_element(c))}: {_md(c.message)}"
                + (f" (`{_md(where)}`)" if where else "")
            )
            lines += _markdown_details(c, "  ")
            for i in c.implied:
                lines.append(f"  - ↳ **{i.change_class}** `{i.rule.id}` {_md(i.message)}")
                lines += _markdown_details(i, "    ")
        lines += ["", "</details>"]
    return "\n".join(lines)


# ---- GitHub annotations


LEVELS = {
    ChangeClass.DATA_BREAKING: "error",
    ChangeClass.SAFETY: "warning",
    ChangeClass.STRUCTURE: "notice",
    ChangeClass.WORDING: "notice",
    ChangeClass.COSMETIC: "notice",
}


def as_github(result: DiffResult) -> str:
    """One workflow command per change, on its line in NEW (a removal: where it was held)."""
    lines = []
    for c in result.changes:
        details = _details(c) + [f"↳ {i.change_class} [{i.rule.id}] {i.message}" for i in c.implied]
        message = "\n".join([c.message, *details])
        title = f"{c.change_class}: {c.rule.id}"
        lines.append(workflow_command(LEVELS[c.change_class], c.location, title, message))
    return "\n".join(lines)


def render(result: DiffResult, format: str, *, style: bool = False) -> str:
    if format == "text":
        return as_text(result, style=style)
    writers = {"json": as_json, "markdown": as_markdown, "github": as_github}
    return writers[format](result)
