"""What the checks look for in a Markdown text, and where it stands: every link and image, and
text that looks like HTML, each with its offset in the text (the character its `[`, `![` or `<`
is), from the same parse the pages are made from (`markdown_source.py`).

markdown-it gives a position inside the inline text it parsed (a paragraph's lines without
their indentation, quote or list markers; a table cell; a heading's words) and the lines that
text came from; each of its lines is found in its line of the Markdown text, after whatever was
found on that line before (the cells of a table row).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from typing import NamedTuple

from markdown_it.token import Token

from ..read.markdown import parse

_BREAK = re.compile(r"\r\n|\r|\n")  # markdown-it's own line breaks
_NEWLINE = re.compile("\n")  # inline content holds no other


class Target(NamedTuple):
    """A link's or image's address as the parser has it (normalised, not yet refused)."""

    url: str
    offset: int
    image: bool = False
    alt_missing: bool = False  # an image without alternative text


class Html(NamedTuple):
    text: str  # as written: '<br>', '<img src=x onerror=…>'
    offset: int


def link_targets(text: str) -> list[Target]:
    """Each link and image in `text`, in order. Images in an image's alt text are not looked at:
    they never become images."""
    if "[" not in text and "<" not in text:
        return []  # every link and image has one or the other
    where = _Where(text)
    found: list[Target] = []
    for token in parse(text):
        for child in token.children or ():
            if child.type == "image":
                src, offset = str(child.attrs.get("src", "")), where(token, child)
                found.append(Target(src, offset, True, not child.content.strip()))
            elif child.type == "link_open":
                found.append(Target(str(child.attrs.get("href", "")), where(token, child)))
    return found


def raw_html(text: str) -> list[Html]:
    """Text that looks like HTML (tags, comments) outside code, in order. A closing tag of an
    element whose opening tag was found before is left out: one finding per element."""
    if "<" not in text:
        return []
    where = _Where(text)
    found: list[Html] = []
    opened: set[str] = set()
    for token in parse(text):
        for pos, html in token.meta.get("html", ()):
            name = tag_name(html)
            if html.startswith("</") and name in opened:
                continue
            opened.add(name)
            found.append(Html(html, where.at(token, pos)))
    return found


class Block(NamedTuple):
    """One inline text of a Markdown text, for the linter (`sobc/lint/`): a heading, a
    paragraph (`item` inside a list), or a table cell (`header` in a table's header row)."""

    kind: str
    level: int  # a heading's level as written; 0 for the others
    table: int  # which table of the text a cell belongs to (from 1); 0 outside tables
    token: Token  # the inline token: its content as written, its children
    where: _Where

    def offset(self, pos: int) -> int:
        """The offset in the Markdown text of position `pos` of the block's content."""
        return self.where.at(self.token, pos)


def blocks(text: str) -> list[Block]:
    """Each inline text of `text`, in order."""
    where = _Where(text)
    found: list[Block] = []
    items = tables = level = 0
    kind = "paragraph"
    for token in parse(text):
        if token.type in ("list_item_open", "list_item_close"):
            items += 1 if token.nesting > 0 else -1
        elif token.type == "table_open":
            tables += 1
        elif token.type in ("th_open", "td_open"):
            kind = "header" if token.type == "th_open" else "cell"
        elif token.type == "heading_open":
            kind, level = "heading", int(token.tag[1])
        elif token.type == "paragraph_open":
            kind = "item" if items else "paragraph"
        elif token.type == "inline":
            table = tables if kind in ("header", "cell") else 0
            found.append(Block(kind, level if kind == "heading" else 0, table, token, where))
    return found


def tag_name(html: str) -> str:
    """'img' for '<img src=x>' and '</IMG>'; '!--' for a comment."""
    match = re.match(r"</?([A-Za-z][A-Za-z0-9-]*|!--)", html)
    return match.group(1).lower() if match else ""


class _Where:
    """Offsets in a Markdown text of positions in the inline texts parsed from it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.placed: dict[tuple[int, int], int] = {}  # (inline token, its line) → offset
        self.after: dict[int, int] = {}  # line → where the latest placed piece of it ended
        self.lines: dict[int, list[int]] = {}  # inline token → where its content's lines start

    @cached_property
    def starts(self) -> list[int]:
        """Where each line of the text starts (only asked when there is something to place)."""
        return [0, *(m.end() for m in _BREAK.finditer(self.text))]

    def __call__(self, token: Token, child: Token) -> int:
        pos = child.meta.get("pos")
        return self.at(token, pos) if isinstance(pos, int) else self.at(token, 0)

    def at(self, token: Token, pos: int) -> int:
        """The offset of position `pos` of the inline token's content."""
        if token.map is None:
            return 0
        content = token.content
        if id(token) not in self.lines:
            self.lines[id(token)] = [0, *(m.end() for m in _NEWLINE.finditer(content))]
        starts = self.lines[id(token)]
        k = bisect_right(starts, pos) - 1
        return self._line_offset(token, k, content, starts[k]) + pos - starts[k]

    def _line_offset(self, token: Token, k: int, content: str, line_start: int) -> int:
        """Where line k of the token's content starts in the text."""
        key = (id(token), k)
        if key not in self.placed:
            assert token.map is not None
            number = min(token.map[0] + k, len(self.starts) - 1)
            begin = self.starts[number]
            end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
            line_end = content.find("\n", line_start)
            piece = content[line_start : line_end if line_end >= 0 else len(content)]
            self.placed[key] = begin + _find(self.text[begin:end], piece, self.after.get(number, 0))
            self.after[number] = self.placed[key] - begin + len(piece)
        return self.placed[key]


def _find(line: str, piece: str, start: int) -> int:
    """Where `piece` (a line of an inline text) stands in `line` (its line of the Markdown)."""
    at = line.find(piece, start)
    if at < 0:  # markdown-it wrote spaces for a tab: the rest of the piece is as written
        rest = piece.lstrip(" ")
        at = line.find(rest, start) - (len(piece) - len(rest)) if rest else -1
    return max(at, 0)
