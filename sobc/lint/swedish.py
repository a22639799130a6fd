"""Swedish sentences and words, and LIX (läsbarhetsindex, Björnsson 1968).

LIX = words / sentences + 100 × long words / words, where a long word has more than six
letters. Written here rather than taken from a library: the maintained ones (textstat's `lix`)
split sentences at every full stop, so "t.ex." and "bl.a." end sentences and "1.5" makes two
words, which pushes Swedish patient text far off.

Rules (tested in tests/test_lint_swedish.py):
- A sentence ends at '.', '!', '?', '…' or '...' followed by white space and a capital letter,
  a digit or an opening quote or dash, or at the end of the text given (a heading, a list item
  or a table cell is given on its own, so it is a sentence of its own).
- A known abbreviation ("t.ex.", "bl.a.", "d.v.s.", "s.k.") never ends a sentence; one that is
  often last in a sentence ("m.m.", "osv.", "etc.") does when a capital letter follows.
- A word is a run of letters (hyphens and apostrophes inside: "KBT-behandling" is one word),
  an abbreviation ("t.ex." is one short word), or a number ("1.5", "10 000", "1,5" are one
  word each, never long).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations as Språkrådet writes them (Svenska skrivregler), and the forms without stops
# that are common enough to be read as words here (other forms are flagged by the language rules).
_INNER = (
    "t.ex.",
    "bl.a.",
    "d.v.s.",
    "dvs.",
    "s.k.",
    "p.g.a.",
    "pga.",
    "t.o.m.",
    "fr.o.m.",
    "o.d.",
    "f.d.",
    "f.n.",
    "e.d.",
    "ev.",
    "ca.",
    "kl.",
    "nr.",
    "jfr.",
    "resp.",
    "inkl.",
    "exkl.",
    "tel.",
)
_FINAL = ("m.m.", "osv.", "o.s.v.", "etc.", "m.fl.", "o.dyl.")
ABBREVIATIONS = _INNER + _FINAL

_LETTER = r"[^\W\d_]"
_ABBREV = "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
_NUMBER = r"\d+(?:[ \u00a0\u202f]\d{3}(?!\d))*(?:[.,:]\d+)*"
WORD = re.compile(
    rf"(?<!{_LETTER})(?:{_ABBREV})(?!{_LETTER})"  # an abbreviation, stops included
    rf"|{_NUMBER}"
    rf"|{_LETTER}+(?:['’\-]{_LETTER}+)*",
    re.IGNORECASE,
)
# The end of a sentence: its mark(s), then white space and what may start the next one. A run
# of marks is tried once, from its start (the lookbehind), and never given back (possessive):
# a run of 300,000 stops is one attempt, not 300,000 of them.
_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”»)\]]*+(?=\s++[\"'“”«(\[–—-]?[\dA-ZÅÄÖÉÜ])")
# An abbreviation that does not end a sentence, ending where a sentence's mark stands: searched
# only in the few characters before the mark (`_abbreviation_before`), never in all the text
# before it. (One that is often last, such as "m.m.", ends one when a capital follows.)
_INNER_ABBREV = re.compile(
    rf"(?<!{_LETTER})(?:{'|'.join(re.escape(a) for a in _INNER)})\Z", re.IGNORECASE
)
_LONGEST_ABBREV = max(len(a) for a in ABBREVIATIONS)


@dataclass(frozen=True)
class Word:
    text: str
    start: int  # offset in the text it was found in
    long: bool  # more than six letters (a number or an abbreviation has few or none)


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    words: tuple[Word, ...]


def words(text: str, start: int = 0) -> list[Word]:
    found = []
    for m in WORD.finditer(text):
        word = m.group()
        long = len(word) > 6 and sum(ch.isalpha() for ch in word) > 6
        found.append(Word(word, start + m.start(), long))
    return found


def sentences(text: str) -> list[Sentence]:
    """The sentences of one block of text (a paragraph, heading, list item or table cell);
    pieces without a word (a lone '–') are no sentences."""
    found: list[Sentence] = []
    begin = 0
    for end in _ends(text):
        _add(found, text, begin, end)
        begin = end
    _add(found, text, begin, len(text))
    return found


def _ends(text: str) -> list[int]:
    ends = []
    for match in _END.finditer(text):
        if match.group().startswith(".") and _abbreviation_before(
            _INNER_ABBREV, text, match.start() + 1
        ):
            continue  # "t.ex. Anna" goes on ("m.m. Sedan" ends: a capital follows)
        ends.append(match.end())
    return ends


def _abbreviation_before(pattern: re.Pattern[str], text: str, stop: int) -> bool:
    """Whether an abbreviation of `pattern` ends at `stop` (its letter-free start is checked
    against the text before the few characters searched)."""
    return pattern.search(text, max(0, stop - _LONGEST_ABBREV), stop) is not None


def _add(found: list[Sentence], text: str, begin: int, end: int) -> None:
    piece = text[begin:end]
    stripped = piece.lstrip()
    start = begin + len(piece) - len(stripped)
    found_words = tuple(words(stripped.rstrip(), start))
    if found_words:
        found.append(Sentence(stripped.rstrip(), start, found_words))


@dataclass(frozen=True)
class Lix:
    words: int
    sentences: int
    long_words: int

    @property
    def value(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return self.words / self.sentences + 100 * self.long_words / self.words

    def __add__(self, other: Lix) -> Lix:
        return Lix(
            self.words + other.words,
            self.sentences + other.sentences,
            self.long_words + other.long_words,
        )


def lix(found: list[Sentence]) -> Lix:
    all_words = [w for s in found for w in s.words]
    return Lix(len(all_words), len(found), sum(w.long for w in all_words))
