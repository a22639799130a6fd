"""Where each character of a scalar's value was written: an offset in the value → an index in
the YAML text. Used by `source.py` only, which turns the index into line and column.

The scalar's source (from its start to its end mark) is cut into pieces, each a stretch of the
text that the value holds character for character: one per line, without the indentation and
the blanks that folding drops. Each piece is found in the value after the one before it. In
quoted scalars an escape (`\\n`, `\\u00e5`, `''`) is a piece of its own, the character it
stands for placed at its backslash (or first quote).

Exact for literal (`|`), folded (`>`), plain and single-quoted scalars. In double-quoted ones,
a character that an escape makes into a blank (`\\t`, `\\n`, `\\ `) may be placed one blank off
where folding put blanks next to it; every other character is exact.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

_LINE = re.compile(r"[^\r\n\x85\u2028\u2029]*(?:\r\n|[\r\n\x85\u2028\u2029]|\Z)")
_ESCAPE_LENGTH = {"x": 4, "u": 6, "U": 10}  # the backslash included
_BLANKS = " \t"


@dataclass(frozen=True)
class Segments:
    """Stretches of a value and where they stand in the text, in order."""

    offsets: tuple[int, ...]  # where each stretch starts in the value
    indices: tuple[int, ...]  # where it starts in the text
    lengths: tuple[int, ...]

    def index(self, offset: int) -> int | None:
        """The text index of the value's character at `offset` (the nearest one before it when
        folding made that character); None when the value was not found in the text at all."""
        if not self.offsets:
            return None
        k = max(bisect_right(self.offsets, offset) - 1, 0)
        inside = min(max(offset - self.offsets[k], 0), max(self.lengths[k] - 1, 0))
        return self.indices[k] + inside


def segments(style: str, text: str, start: int, end: int, value: str) -> Segments:
    """The segments of the scalar written in text[start:end] with this style ('' plain, "'",
    '"', '|' or '>') whose value is `value`."""
    found: list[tuple[int, int, int]] = []
    pos = 0
    for index, piece in _pieces(style, text, start, end):
        at = value.find(piece, pos)
        if at < 0:
            break
        found.append((at, index, len(piece)))
        pos = at + len(piece)
    offsets, indices, lengths = zip(*found, strict=True) if found else ((), (), ())
    return Segments(tuple(offsets), tuple(indices), tuple(lengths))


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """(index, line without its break) for each line of text[start:end]."""
    for match in _LINE.finditer(text, start, end):
        line = match.group().rstrip("\r\n\x85\u2028\u2029")
        if match.start() == match.end():
            break
        yield match.start(), line


def _pieces(style: str, text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    if style in ("|", ">"):  # the header line holds no content
        first_break = _LINE.match(text, start, end)
        begin = first_break.end() if first_break else end
        for index, line in _lines(text, begin, end):
            yield from _stripped(index, line, True, True)
        return
    quoted = style in ("'", '"')
    lines = list(_lines(text, start + quoted, end - quoted))
    for n, (index, line) in enumerate(lines):
        left, right = not quoted or n > 0, not quoted or n < len(lines) - 1
        for at, piece in _stripped(index, line, left, right):
            yield from _unescaped(style, at, piece) if quoted else ((at, piece),)


def _stripped(index: int, line: str, left: bool, right: bool) -> Iterator[tuple[int, str]]:
    piece = line.lstrip(_BLANKS) if left else line
    index += len(line) - len(piece)
    piece = piece.rstrip(_BLANKS) if right else piece
    if piece:
        yield index, piece


def _unescaped(style: str, index: int, piece: str) -> Iterator[tuple[int, str]]:
    """A quoted piece as stretches of what the value holds: runs as written, and each escape as
    the one character it stands for."""
    mark = "\\" if style == '"' else "''"
    i = 0
    while (j := piece.find(mark, i)) >= 0:
        if j > i:
            yield index + i, piece[i:j]
        length = 2 if style == "'" else _ESCAPE_LENGTH.get(piece[j + 1 : j + 2], 2)
        decoded = _decode(piece[j : j + length])
        if decoded:
            yield index + j, decoded
        i = j + length
    if i < len(piece):
        yield index + i, piece[i:]


_SIMPLE = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v", "f": "\f",
    "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\", "N": "\x85",
    "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip


def _decode(escape: str) -> str:
    """The character an escape (or `''`) stands for; '' when it stands for none (a backslash
    at the end of a line, or one the scanner would have refused)."""
    if escape == "''":
        return "'"
    kind = escape[1:2]
    if kind in _ESCAPE_LENGTH:
        try:
            return chr(int(escape[2:], 16))
        except ValueError:
            return ""
    return _SIMPLE.get(kind, "")
