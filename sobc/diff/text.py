"""Text as readers see it: rendered through the pages' Markdown, compared word by word."""

from __future__ import annotations

import difflib
import re
from html.parser import HTMLParser

from ..render.markdown import to_html

_SPACE = re.compile(r"\s+")
_TAG_SPACE = re.compile(r">\s+|\s+<")
# The numbers Swedish patients are told to call: 1177 (Vårdguiden) and 112 (emergencies), as
# words of their own; not "1177 Stöd och behandling", the name of the platform the programs run
# on, nor a part of a web address ("1177.se", "sob.1177.se", "…/112").
_EMERGENCY = re.compile(
    r"(?<![\w./@:-])(?:1177|112)(?![\w/-]|\.\w)(?!\s+Stöd och behandling)", re.IGNORECASE
)
# A sentence ends at . ! or ? and a space, and at the end of a block (a paragraph, list item,
# heading …): a heading is a sentence of its own, not the start of the next paragraph's.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*\n\s*")


_BLOCKS = frozenset(
    {"p", "li", "ul", "ol", "br", "hr", "div", "blockquote", "pre", "table", "tr", "td", "th"}
    | {f"h{level}" for level in range(1, 7)}
)


class _Plain(HTMLParser):
    """The words of rendered HTML, a line break between blocks; with `calls`, each `tel:` link's
    number after its text (the number a patient's phone calls is part of what they are told)."""

    def __init__(self, calls: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.calls = calls
        self.number: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")  # blocks separate words; inline markup does not
        href = dict(attrs).get("href") or ""
        if tag == "a" and self.calls and href.lower().startswith("tel:"):
            self.number = href[4:]

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "a" and self.number is not None:
            self.parts.append(f" (tel {self.number})")  # read as the number it calls
            self.number = None

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def rendered(text: str) -> str:
    """The HTML a text becomes, whitespace between and inside tags made uniform."""
    html = str(to_html(text))
    return _SPACE.sub(" ", _TAG_SPACE.sub(lambda m: m.group(0).strip(), html)).strip()


def _read(text: str, calls: bool = False) -> str:
    parser = _Plain(calls)
    parser.feed(str(to_html(text)))
    parser.close()
    return "".join(parser.parts)


def plain(text: str) -> str:
    """What a reader reads: the rendered text without markup, whitespace collapsed."""
    return _SPACE.sub(" ", _read(text)).strip()


def renders_alike(old: str, new: str) -> bool:
    return old == new or rendered(old) == rendered(new)


def emergency_sentences(text: str) -> list[str]:
    """The sentences of a text that name 1177 or 112 as numbers to turn to, as read, with the
    number each `tel:` link in them calls."""
    sentences = (_SPACE.sub(" ", s).strip() for s in _SENTENCE_END.split(_read(text, calls=True)))
    return [s for s in sentences if _EMERGENCY.search(s)]


def emergency_changed(old: str, new: str) -> bool:
    return sorted(emergency_sentences(old)) != sorted(emergency_sentences(new))


Words = list[tuple[str, str]]  # (op, text): op is "=" kept, "-" removed, "+" added


def word_diff(old: str, new: str) -> Words:
    """A word-level diff of two texts as read; runs of the same op are joined."""
    return _diff(plain(old).split(), plain(new).split())


def source_diff(old: str, new: str) -> Words:
    """A word-level diff of two texts as written (Markdown, link targets and all): for a change
    the words as read do not show."""
    return _diff(old.split(), new.split())


def reworded(words: Words) -> bool:
    return any(op != "=" for op, _ in words)


def excerpt(text: str, op: str, at_most: int = 40) -> Words:
    """The words of a text added ('+') or removed ('-') as a whole: the first `at_most`."""
    parts = plain(text).split()
    shown = " ".join(parts[:at_most]) + (" …" if len(parts) > at_most else "")
    return [(op, shown)] if parts else []


def _diff(a: list[str], b: list[str]) -> Words:
    out: Words = []

    def put(op: str, words: list[str]) -> None:
        if not words:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + " " + " ".join(words))
        else:
            out.append((op, " ".join(words)))

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            put("=", a[i1:i2])
        else:
            put("-", a[i1:i2])
            put("+", b[j1:j2])
    return out


def shorten(words: Words, context: int = 6) -> Words:
    """Long unchanged runs cut to a few words either side of a change."""
    out: Words = []
    for i, (op, text) in enumerate(words):
        if op != "=":
            out.append((op, text))
            continue
        parts = text.split()
        if len(parts) <= 2 * context:
            out.append((op, text))
            continue
        head = " ".join(parts[:context]) + " " if i > 0 else ""
        tail = " " + " ".join(parts[-context:]) if i < len(words) - 1 else ""
        out.append((op, f"{head}…{tail}"))
    return out
