"""The language rules as data: `language.yaml`, shipped with sobc, and a region's own files of
the same shape (named under `rules:` in sobc-lint.yaml), read and checked (SOBC500)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, JsonPath, make
from ..paths import display_path
from ..read.source import Document, load_document

SHIPPED = Path(__file__).with_name("language.yaml")


@dataclass(frozen=True)
class Replace:
    forms: tuple[str, ...]
    use: str
    source: str


@dataclass(frozen=True)
class Matcher:
    """Every form of a list of rules in one pattern, and the rule of each form."""

    pattern: re.Pattern[str]
    rules: dict[str, Replace]  # form in lower case → its rule

    @classmethod
    def of(cls, rules: list[Replace]) -> Matcher:
        by_form = {form.lower(): r for r in rules for form in r.forms}
        return cls(_pattern(list(by_form)), by_form)

    def find(self, text: str) -> list[tuple[re.Match[str], Replace]]:
        if not self.rules:
            return []
        return [(m, self.rules[m.group().lower()]) for m in self.pattern.finditer(text)]


@dataclass
class Rules:
    words: list[Replace] = field(default_factory=list)
    abbreviations: list[Replace] = field(default_factory=list)
    link_texts: dict[str, str] = field(default_factory=dict)  # text → source
    acronyms: set[str] = field(default_factory=set)

    def matchers(self) -> tuple[Matcher, Matcher]:
        """(words, abbreviations), once the rules are all read."""
        return Matcher.of(self.words), Matcher.of(self.abbreviations)


def _pattern(forms: list[str]) -> re.Pattern[str]:
    """Any of the forms as a whole word: no letter or stop before, none after (a form without a
    final stop is not the start of one that has it: 'dvs' is not looked for in 'dvs.')."""
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w.])", re.IGNORECASE)


class _Reader:
    """Reads one rules file into `Rules`, noting what is wrong with it (SOBC500)."""

    def __init__(self, doc: Document, rules: Rules) -> None:
        self.doc, self.rules, self.problems = doc, rules, list[Diagnostic]()

    def problem(self, at: JsonPath, what: str) -> None:
        location = self.doc.location(at)
        self.problems.append(
            make("SOBC500", location, self.doc.source_line(location.line), problem=what)
        )

    def read(self) -> None:
        data = self.doc.data
        sources = data.get("sources", {})
        if not isinstance(sources, dict):
            self.problem(("sources",), "'sources' must be a mapping of names to descriptions")
            sources = {}
        for key in data:
            if key not in ("sources", "words", "abbreviations", "link_texts", "acronyms"):
                self.problem((key,), f"unknown key '{key}'")
        for key in ("words", "abbreviations"):
            target = self.rules.words if key == "words" else self.rules.abbreviations
            for i, item in enumerate(self._list(key)):
                made = self._replace(item, (key, i), sources)
                if made is not None:
                    target.append(made)
        links = data.get("link_texts")
        if links is not None:
            texts: list[str] = links.get("texts", []) if isinstance(links, dict) else []
            source = links.get("source") if isinstance(links, dict) else None
            if not _strings(texts) or source not in sources:
                self.problem(("link_texts",), "'link_texts' needs 'texts' and a known 'source'")
            else:
                described = str(sources[source]).strip()
                self.rules.link_texts.update({plain_link_text(t): described for t in texts})
        acronyms = data.get("acronyms")
        if acronyms is not None and not _strings(acronyms):
            self.problem(("acronyms",), "'acronyms' must be a list of words")
        elif acronyms:
            self.rules.acronyms.update(acronyms)

    def _list(self, key: str) -> list[Any]:
        value = self.doc.data.get(key, [])
        if not isinstance(value, list):
            self.problem((key,), f"'{key}' must be a list")
            return []
        return value

    def _replace(self, item: Any, at: JsonPath, sources: dict[str, Any]) -> Replace | None:
        if not isinstance(item, dict) or set(item) != {"find", "use", "source"}:
            self.problem(at, "a rule has exactly the keys find, use and source")
        elif not _strings(item["find"]) or not isinstance(item["use"], str):
            self.problem(at, "'find' is a list of words, 'use' a text")
        elif item["source"] not in sources:
            self.problem((*at, "source"), f"the source '{item['source']}' is not under 'sources'")
        else:
            return Replace(tuple(item["find"]), item["use"], str(sources[item["source"]]).strip())
        return None


def _strings(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def plain_link_text(text: str) -> str:
    """A link text compared: lower case, without punctuation round it and extra spaces."""
    return " ".join(text.lower().split()).strip(" .:!?»«\"'()→")


def read_rules(paths: tuple[Path, ...]) -> tuple[Rules, list[Diagnostic]]:
    """The shipped rules and the region's (`paths`), and the problems of the region's files."""
    rules, problems = Rules(), []
    for path in (SHIPPED, *paths):
        doc, found = _shipped() if path == SHIPPED else load_document(path, display_path(path))
        problems += found
        if doc is not None:
            reader = _Reader(doc, rules)
            reader.read()
            problems += reader.problems
    return rules, problems


@cache
def _shipped() -> tuple[Document | None, list[Diagnostic]]:
    return load_document(SHIPPED, "sobc/lint/language.yaml")
