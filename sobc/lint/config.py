"""The linter's settings for one program: `sobc-lint.yaml` in the program folder, else in the
folder that holds it (one file for a region's programs), else the defaults (docs/lint.md).

```yaml
lix: {patient: 50, min_words: 40}      # LIX above `patient` warns; shorter texts not scored
sentence_words: 30                     # a sentence of more words warns
reading: {words_per_minute: 200, weekly_minutes: 90}
rules: [sprakregler.yaml]              # more language rules, beside this file
disable: [SOBC514]                     # codes not reported
```

A problem with the file is reported (SOBC500) and the defaults stand in for what is wrong.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, JsonPath, make
from ..paths import display_path
from ..read.source import Document, load_document

FILE_NAME = "sobc-lint.yaml"


@dataclass(frozen=True)
class Config:
    lix_patient: float = 50.0
    lix_min_words: int = 40
    sentence_words: int = 30
    words_per_minute: int = 200
    weekly_minutes: int = 90
    rules: tuple[Path, ...] = ()  # extra language rules files
    disable: frozenset[str] = frozenset()
    file: Path | None = None  # where the settings were read from


# key → (config field, type, lowest value)
_NUMBERS: dict[tuple[str, ...], tuple[str, type, float]] = {
    ("lix", "patient"): ("lix_patient", float, 1),
    ("lix", "min_words"): ("lix_min_words", int, 1),
    ("sentence_words",): ("sentence_words", int, 1),
    ("reading", "words_per_minute"): ("words_per_minute", int, 1),
    ("reading", "weekly_minutes"): ("weekly_minutes", int, 1),
}
_KEYS = {"lix": {"patient", "min_words"}, "reading": {"words_per_minute", "weekly_minutes"}}
_TOP = {"lix", "sentence_words", "reading", "rules", "disable"}


def find(program_folder: Path) -> Path | None:
    for folder in (program_folder, program_folder.resolve().parent):
        if (folder / FILE_NAME).is_file():
            return folder / FILE_NAME
    return None


def load(program_folder: Path, codes: set[str]) -> tuple[Config, list[Diagnostic]]:
    """The program's settings and the problems of its settings file."""
    path = find(program_folder)
    if path is None:
        return Config(), []
    doc, problems = load_document(path, display_path(path))
    if doc is None:
        return Config(file=path), problems
    config = Config(file=path)
    return _read(doc, config, codes)


def _problem(doc: Document, at: JsonPath, what: str, *, key: bool = False) -> Diagnostic:
    location = doc.location(at, key=key)
    return make("SOBC500", location, doc.source_line(location.line), problem=what)


def _read(doc: Document, config: Config, codes: set[str]) -> tuple[Config, list[Diagnostic]]:
    data, problems = doc.data, []
    for key, value in data.items():
        if key not in _TOP:
            problems.append(_problem(doc, (key,), f"unknown key '{key}'", key=True))
        elif key in _KEYS:
            if not isinstance(value, dict):
                problems.append(_problem(doc, (key,), f"'{key}' must be a mapping"))
                continue
            for sub in value:
                if sub not in _KEYS[key]:
                    problems.append(_problem(doc, (key, sub), f"unknown key '{sub}'", key=True))
    changes: dict[str, Any] = {}
    for path, (name, kind, lowest) in _NUMBERS.items():
        value = _get(data, path)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value < lowest:
            problems.append(_problem(doc, path, f"'{'.'.join(path)}' must be a number ≥ 1"))
        elif kind is int and not isinstance(value, int):
            problems.append(_problem(doc, path, f"'{'.'.join(path)}' must be a whole number"))
        else:
            changes[name] = kind(value)
    rules, rule_problems = _rules(doc, data.get("rules"))
    disable, disable_problems = _disable(doc, data.get("disable"), codes)
    problems += rule_problems + disable_problems
    return replace(config, rules=rules, disable=disable, **changes), problems


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _strings(doc: Document, key: str, value: Any) -> tuple[list[str], list[Diagnostic]]:
    if value is None:
        return [], []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return [], [_problem(doc, (key,), f"'{key}' must be a list of text")]
    return value, []


def _rules(doc: Document, value: Any) -> tuple[tuple[Path, ...], list[Diagnostic]]:
    """The rules files named, each only when it lies in this file's folder once every link is
    resolved: nothing else is ever opened (a name such as /proc/self/environ or ../key would
    have its content shown in the problems found in it)."""
    names, problems = _strings(doc, "rules", value)
    found = []
    for i, name in enumerate(names):
        path, why = _rules_file(doc.path.parent, name)
        if path is not None:
            found.append(path)
        else:
            problems.append(_problem(doc, ("rules", i), why))
    return tuple(found), problems


def _rules_file(folder: Path, name: str) -> tuple[Path | None, str]:
    """The rules file `name` in `folder`, or why there is none."""
    outside = f"the rules file {name} is not in this file's folder; keep it beside this file"
    if "\0" in name or Path(name).is_absolute():
        return None, outside
    home = Path(os.path.realpath(folder))
    real = Path(os.path.realpath(folder / name))
    if not real.is_relative_to(home):
        return None, outside
    if not real.is_file():
        return None, f"no rules file {name} beside this file"
    return folder / name, ""


def _disable(doc: Document, value: Any, codes: set[str]) -> tuple[frozenset[str], list[Diagnostic]]:
    names, problems = _strings(doc, "disable", value)
    for i, code in enumerate(names):
        if code not in codes:
            problems.append(_problem(doc, ("disable", i), f"'{code}' is not a code of sobc lint"))
    return frozenset(c for c in names if c in codes), problems
