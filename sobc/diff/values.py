"""Values as the diff reads them: their leaves, the leaves that differ, and how an old and new
value are shown to a reviewer (`old → new`, leaf by leaf) in every format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .change import Change

At = tuple[str | int, ...]  # a path inside a value: keys and list indexes

# Fields whose change the message itself tells (an id renamed, the version policy's findings).
_TOLD_IN_MESSAGE = frozenset({"id", "version"})
MAX_SHOWN = 60  # characters of one value shown
MAX_LINES = 6  # leaves shown of one change


def leaves(value: Any, at: At = ()) -> Iterator[tuple[At, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from leaves(item, (*at, i))
    else:
        yield at, value


def differing(old: Any, new: Any) -> list[tuple[At, Any, Any]]:
    """Every leaf that differs, with its path inside the value (None where one side has none);
    two values that differ with no leaf to tell (an empty list and none) differ as a whole."""
    a, b = dict(leaves(old)), dict(leaves(new))
    found = [(k, a.get(k), b.get(k)) for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
    return found or ([((), old, new)] if old != new else [])


def leaf_key(field_name: str, at: At) -> str:
    """The name a leaf is stored under: its last key (list items: the list's)."""
    return next((str(k) for k in reversed(at) if isinstance(k, str)), field_name)


def shown(value: Any) -> str:
    """One value as a reviewer reads it: text as written, none as '–', the rest as JSON."""
    if value is None:
        text = "–"
    elif isinstance(value, str):
        text = " ".join(value.split())
    else:
        text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def value_lines(change: Change) -> list[str]:
    """What changed, `old → new`, leaf by leaf (`trigger.days: 7 → 14`), for a change of a
    field that is not shown as a word diff; [] for the rest."""
    if change.field is None or change.field in _TOLD_IN_MESSAGE or change.words:
        return []
    found = differing(change.old, change.new)
    lines = []
    for at, a, b in found[:MAX_LINES]:
        where = ".".join(str(k) for k in at)
        lines.append(f"{where + ': ' if where else ''}{shown(a)} → {shown(b)}")
    if len(found) > MAX_LINES:
        lines.append(f"… and {len(found) - MAX_LINES} more")
    return lines
