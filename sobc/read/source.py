"""Read one YAML file into plain data plus the source position of every key and value.

The file is read from libyaml's event stream, never through PyYAML's constructors, so that
anchors, aliases, tags, duplicate keys and deep nesting are refused before anything is built
(alias bombs and recursion limits cannot be reached), and scalars resolve the YAML 1.2 core
way: only true/false are booleans and dates stay text.

Two parsers give the events: libyaml's (`LIBYAML`, the default wherever PyYAML comes with it)
and PyYAML's own in pure Python (`PURE_PYTHON`); `parse_bytes` takes either. Where they read the
same text differently, the reader refuses it with the same code whichever parser reads it:

- nesting deeper than `MAX_DEPTH`: sobc counts the levels itself, but newer libyaml stops at
  1,000 levels, written close together, before sobc has seen the 65th; that, and a parser that
  runs out of Python's stack (RecursionError), is SOBC010 too, where that layer stopped;
- unquoted text with '?' inside `{…}` or `[…]` (`{text: Vem?}`): libyaml reads 'Vem?', pure
  Python stops at the '?' and fails; both are SOBC014, at the '?'. Reading goes on (pure Python
  reads the text again with that '?' standing in for a character it takes, then given back),
  so every such text of a file is reported in one run and the data is libyaml's.

Every shipped program file reads the same with both (tests/test_source.py checks). Differences
that remain, in text no program has: a tab as the space between tokens (`a: b<tab>`) and a '#'
right after a block scalar's `|` or `>`, which libyaml accepts and pure Python refuses; a
byte-order mark inside the text, which libyaml skips or refuses and pure Python keeps as text;
`x:` directly before `,` `]` or `}` inside brackets, which pure Python reads as a key and libyaml
refuses; and, in text both refuse, sometimes the code each refuses it with.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import yaml

from ..diagnostics import Diagnostic, JsonPath, Location, make
from .files import TooLarge, Unreadable, read_regular
from .scalar_map import Segments, segments


class EventSource(Protocol):
    """What the reader asks of a YAML parser: its events, one at a time, then to let go."""

    def get_event(self) -> Any: ...

    def dispose(self) -> None: ...


Parser = Callable[[str], EventSource]

PURE_PYTHON: Parser = yaml.SafeLoader
LIBYAML: Parser | None = getattr(yaml, "CSafeLoader", None)  # None: PyYAML built without libyaml
DEFAULT_PARSER: Parser = LIBYAML or PURE_PYTHON  # libyaml's is much faster

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_INT_DIGITS = 18


_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN")
# Every null, boolean and number above starts with one of these; any other plain scalar is text.
_NOT_TEXT_START = frozenset("~nNtTfF-+.0123456789")


@dataclass
class Document:
    """A parsed YAML file: its data, and where each value and key stands in the text.

    Positions are only needed when there is something to report, so they are worked out on the
    first question, by reading the text again, instead of for every file on every build. A
    document whose data a build took from the previous build's cache (the file's SHA-256 was
    the same) has no text until a position is asked for: then the file is read.
    """

    path: Path
    display: str
    data: dict[str, Any]
    _text: str | None = field(default=None, repr=False, compare=False)
    sha: str = ""  # of the file's bytes
    _lines: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    _tables: _Tables | None = field(default=None, init=False, repr=False, compare=False)
    _line_starts: list[int] | None = field(default=None, init=False, repr=False, compare=False)
    _segments: dict[JsonPath, Segments] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def text(self) -> str:
        if self._text is None:
            try:
                raw = self.path.read_bytes()
            except OSError:
                raw = b""
            self._text, _ = _decode(raw, self.display)
        return self._text

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    @property
    def values(self) -> dict[JsonPath, tuple[int, int]]:
        return self._positions()[0]

    @property
    def keys(self) -> dict[JsonPath, tuple[int, int]]:
        return self._positions()[1]

    @property
    def spans(self) -> dict[JsonPath, _Span]:
        """Where each text value (a scalar) starts and ends, and how it is written."""
        return self._positions()[2]

    def _positions(self) -> _Tables:
        if self._tables is None:
            builder = _Builder(self.display, self.lines, positions=True)
            builder.build(self.text)
            self._tables = (builder.values, builder.keys, builder.spans)
        return self._tables

    def location(
        self, at: JsonPath = (), *, key: bool = False, offset: int | None = None
    ) -> Location:
        """The position of the value at a path, or of its key; falls back to the nearest parent.

        With `offset`: of the character at that offset inside the value's text, wherever the
        value's style (`|`, `>`, plain, quoted) put it in the file (`scalar_map.py`)."""
        if offset is not None and not key:
            inside = self._inside(at, offset)
            if inside is not None:
                return inside
        table = self.keys if key else self.values
        if key and at not in table:
            table = self.values
        probe = at
        while probe not in table and probe:
            probe = probe[:-1]
        line, col = table.get(probe, (1, 1))
        return Location(self.display, line, col)

    def source_line(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def _inside(self, at: JsonPath, offset: int) -> Location | None:
        """The position of a character of a text value, or None when it cannot be told."""
        span = self.spans.get(at)
        value = self._value(at)
        if span is None or not isinstance(value, str):
            return None
        if at not in self._segments:
            style, start, end = span
            self._segments[at] = segments(
                style, self.text, self._index(start), self._index(end), value
            )
        index = self._segments[at].index(offset)
        if index is None:
            return None
        line = bisect_right(self._starts(), index) - 1
        return Location(self.display, line + 1, index - self._starts()[line] + 1)

    def _value(self, at: JsonPath) -> Any:
        value: Any = self.data
        try:
            for part in at:
                value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
        return value

    def _starts(self) -> list[int]:
        """Where each line starts in the text, with the parsers' line breaks."""
        if self._line_starts is None:
            self._line_starts = [0, *(m.end() for m in _LINE_BREAK.finditer(self.text))]
        return self._line_starts

    def _index(self, at: tuple[int, int]) -> int:
        """The text index of a (line, column) pair counted from 0, as the parsers' marks give."""
        starts = self._starts()
        line, column = at
        return (starts[line] if line < len(starts) else len(self.text)) + column


_Span = tuple[str, tuple[int, int], tuple[int, int]]  # style, start and end (line, column from 0)
_Tables = tuple[
    dict[JsonPath, tuple[int, int]], dict[JsonPath, tuple[int, int]], dict[JsonPath, _Span]
]
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class _At(NamedTuple):
    """A position the way the parsers' marks give it: line and column, counted from 0."""

    line: int
    column: int


_BREAKS = "\r\n\x85\u2028\u2029"
_BLANKS_THEN_QUESTION = re.compile(r"[ \t\r\n\x85\u2028\u2029]*\?")


def _unused_character(text: str) -> str:
    """A private-use character the text does not hold ("" if it holds every one)."""
    return next((c for c in map(chr, range(0xE000, 0xF900)) if c not in text), "")


class _QuestionMark(Exception):
    """Pure Python stopped at this '?' (an index of the text), where libyaml reads on."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


class _Refused(Exception):
    """Stops reading at the first problem that makes the rest of the file meaningless."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: JsonPath
    mark: Any  # where the container starts
    flow: bool  # written inside {…} or […]
    key: str | None = None
    discard: bool = False  # the pending value belongs to a duplicate key


def load_document(
    path: Path, display: str | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    """Read and parse one file; returns the document, or None with the reasons it was refused."""
    shown = display or str(path)
    raw, problems = read_file(path, shown)
    if raw is None:
        return None, problems
    return parse_bytes(raw, shown, path)


def read_file(
    path: Path, display: str, inside: Path | None = None
) -> tuple[bytes | None, list[Diagnostic]]:
    """A source file's bytes, or None with the reason it cannot be read (or is too large).

    `inside`: the program folder, which a symbolic link may not lead out of (`files.py`)."""
    try:
        return read_regular(path, MAX_FILE_BYTES, inside=inside or path.parent), []
    except TooLarge as large:
        return None, [make("SOBC002", Location(display), size=large.size, limit=MAX_FILE_BYTES)]
    except Unreadable as exc:
        return None, [make("SOBC001", Location(display), reason=str(exc))]


def parse_bytes(
    raw: bytes,
    display: str,
    path: Path | None = None,
    sha: str | None = None,
    *,
    parser: Parser = DEFAULT_PARSER,
    readable: bool = False,
) -> tuple[Document | None, list[Diagnostic]]:
    """Parse file content; the public entry for text that does not come from disk. `sha`: the
    content's SHA-256, when the caller has it already; `parser`: which parser's events to read
    (`LIBYAML` or `PURE_PYTHON`; the data and the problems are the same). `readable`: a
    document is returned with the problems that let it be read (SOBC014: the text read whole;
    SOBC007: the first of the keys written twice), for the caller to judge."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [make("SOBC002", Location(display), size=len(raw), limit=MAX_FILE_BYTES)]
    text, problem = _decode(raw, display)
    if problem:
        return None, [problem]
    lines = text.splitlines()
    if not text.strip() or all(_is_comment(line) for line in lines):
        return None, [make("SOBC005", Location(display, 1, 1), kind="YAML")]
    builder = _Builder(display, lines, positions=False, parser=parser)
    try:
        data = builder.build(text)
    except _Refused as refused:
        return None, [refused.diagnostic]
    except yaml.YAMLError as exc:
        return None, [_syntax_error(exc, display, lines)]
    if builder.problems and not readable:
        return None, builder.problems
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else "a single value"
        if data is None:
            return None, [make("SOBC005", Location(display, 1, 1), kind="YAML")]
        return None, [make("SOBC006", Location(display, 1, 1), found=found)]
    return Document(
        path or Path(display), display, data, text, sha or hashlib.sha256(raw).hexdigest()
    ), builder.problems


def _is_comment(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _decode(raw: bytes, display: str) -> tuple[str, Diagnostic | None]:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        reason = f"byte 0x{raw[exc.start]:02x} at offset {exc.start}"
        return "", make("SOBC003", Location(display, line, col), reason=reason)
    return text, None


def _syntax_error(exc: yaml.YAMLError, display: str, lines: list[str]) -> Diagnostic:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    if mark is not None and mark.line >= len(lines):
        # the end of the file, past its last line: point at what was left open there, if known
        mark = context_mark
        if mark is None:
            last = max(len(lines), 1)
            mark = _At(last - 1, len(lines[last - 1]) if lines else 0)
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    context = getattr(exc, "context", None)
    if _key_without_colon(str(problem), context) and context_mark is not None:
        mark = context_mark  # libyaml notices on a later line; the key stands where it began
    unclosed = _unclosed_bracket(context, mark, context_mark, lines)
    if unclosed:
        mark = context_mark  # the parser reads on into the next key; the bracket is the culprit
    if context:
        problem = f"{problem} {context}"  # e.g. "… while scanning a quoted scalar"
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    if mark is None and hasattr(exc, "position"):
        line, col = _offset_to_line_col(lines, int(exc.position))
    loc = Location(display, line, col)
    source = lines[line - 1] if 0 < line <= len(lines) else ""
    hint = _syntax_hint(str(problem), source, col, context_mark)
    if unclosed:
        closing = "]" if unclosed == "[" else "}"
        hint = (
            f"the '{unclosed}' here is never closed: end it with '{closing}', or put the text in "
            "quotes if the bracket is part of it"
        )
    return make("SOBC004", loc, source_line=source, reason=str(problem), hint=hint)


def _unclosed_bracket(context: str | None, mark: Any, opened: Any, lines: list[str]) -> str:
    """The bracket ('[' or '{') of a flow collection left open, when the parser ran on into a
    later line that is no more indented than the one it opened on (the next key of the block,
    not a continued list); "" otherwise."""
    if opened is None or mark is None or not (context or "").startswith("while parsing a flow"):
        return ""
    if mark.line <= opened.line or mark.line >= len(lines) or opened.line >= len(lines):
        return ""
    opening, later = lines[opened.line], lines[mark.line]
    bracket = opening[opened.column : opened.column + 1]
    if bracket not in ("[", "{") or not later.strip():
        return ""
    indent = len(opening) - len(opening.lstrip())
    return bracket if len(later) - len(later.lstrip()) <= indent else ""


def _key_without_colon(problem: str, context: str | None) -> bool:
    """Text on a line of its own where a key was expected: both parsers report it on the line
    after (or at the end of the file), with the line it began on as the context."""
    return problem == "could not find expected ':'" and context == "while scanning a simple key"


_INDENTATION = ("did not find expected key", "expected <block end>", "did not find expected '-'")
_QUOTABLE = 60  # the longest text a hint repeats in quotes


def _syntax_hint(problem: str, source: str, col: int, block: Any) -> str:
    """A hint for the commonest causes: ': ' inside unquoted text, a key without its ':', and
    indentation."""
    if problem.startswith("mapping values are not allowed"):
        return _quote_hint(source, col) or _indentation_hint(block)
    if problem.startswith("could not find expected ':'"):
        return "a key needs ':' after it; text that goes on from the line above needs quotes"
    if problem.startswith(_INDENTATION):
        return _indentation_hint(block)
    return ""


def _quote_hint(source: str, col: int) -> str:
    """`key: text: more` → quote the text; "" when the line holds no such text."""
    before = source[: col - 1].strip()
    item = before[2:] if before.startswith("- ") else before
    key, sep, text = item.partition(": ")
    if not sep or not text.strip():
        return ""
    rest = text.lstrip() + source[col - 1 :].rstrip()
    if len(key) + len(rest) > _QUOTABLE or '"' in rest:
        key, rest = "title", "Steg 1: andas"
    return f'quote the text: {key}: "{rest}"'


def _indentation_hint(block: Any) -> str:
    where = ""
    if block is not None:
        where = f" (the enclosing block starts at line {block.line + 1}, column {block.column + 1})"
    return (
        "check the indentation: the keys of one mapping start in the same column, as do the "
        f"'-' of one list's items{where}"
    )


def _offset_to_line_col(lines: list[str], offset: int) -> tuple[int, int]:
    for number, line in enumerate(lines, start=1):
        if offset <= len(line):
            return number, offset + 1
        offset -= len(line) + 1
    return max(len(lines), 1), 1


class _Builder:
    """Turns the event stream into dicts, lists and scalars, refusing what content never needs.

    With `positions`, it also records where every value stands (keys are always recorded: they
    find duplicates); the refusals are the same either way.
    """

    def __init__(
        self,
        display: str,
        lines: list[str],
        *,
        positions: bool,
        parser: Parser = DEFAULT_PARSER,
    ) -> None:
        self.display = display
        self.parser = parser
        self.lines = lines
        self.positions = positions
        self._start("")

    def _start(self, text: str, stand_in: str = "") -> None:
        """The state of one reading of the text (pure Python may read it more than once)."""
        self.text = text
        self.stand_in = stand_in  # the character a '?' was replaced by, for pure Python
        self.values: dict[JsonPath, tuple[int, int]] = {}
        self.keys: dict[JsonPath, tuple[int, int]] = {}
        self.spans: dict[JsonPath, _Span] = {}
        self.problems: list[Diagnostic] = []
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.documents = 0
        self.in_flow = False  # the innermost open collection is written inside {…} or […]
        self.flow_text_end: Any = None  # where the latest unquoted text inside brackets ended

    def build(self, text: str) -> Any:
        """The data of the text; pure Python's stop at a '?' in unquoted text inside brackets
        is read past (that '?' is SOBC014 all the same), so every one is found."""
        stand_in = ""  # a private-use character the text does not hold, once one is needed
        while True:
            try:
                return self._build(text, stand_in)
            except _QuestionMark as stop:
                stand_in = stand_in or _unused_character(text)
                if not stand_in:  # it holds them all: no reading past this '?'
                    line = text.count("\n", 0, stop.index)
                    at = _At(line, stop.index - text.rfind("\n", 0, stop.index) - 1)
                    raise self._refuse("SOBC014", at, quoted='"…?"') from None
                text = text[: stop.index] + stand_in + text[stop.index + 1 :]

    def _build(self, text: str, stand_in: str) -> Any:
        self._start(text, stand_in)
        loader = self.parser(text)
        handlers: dict[type[Any], Callable[[Any], None]] = {
            yaml.ScalarEvent: self._on_scalar,
            yaml.MappingStartEvent: self._on_mapping,
            yaml.SequenceStartEvent: self._on_sequence,
            yaml.MappingEndEvent: self._on_end,
            yaml.SequenceEndEvent: self._on_end,
            yaml.AliasEvent: self._on_alias,
            yaml.DocumentStartEvent: self._on_document,
        }
        next_event = loader.get_event  # None once the stream has ended
        try:
            while (event := next_event()) is not None:
                handler = handlers.get(type(event))
                if handler is not None:
                    handler(event)
        except yaml.MarkedYAMLError as exc:
            refusal = self._refusal_for(exc)
            if refusal is None:
                raise
            raise refusal from None
        except RecursionError:  # a parser whose stack ran out: the nesting is too deep for it
            mark = self.stack[-1].mark if self.stack else None
            raise self._refuse("SOBC010", mark, limit=MAX_DEPTH) from None
        finally:
            loader.dispose()
        return self.root

    def _refusal_for(self, exc: yaml.MarkedYAMLError) -> Exception | None:
        """The refusal of sobc's own for a parser's error, when the error is one of the ways the
        two parsers differ (see the module's docstring); None for a plain syntax error."""
        if "nesting depth" in str(exc.problem):  # libyaml: "exceeded maximum nesting depth"
            return self._refuse("SOBC010", exc.problem_mark, limit=MAX_DEPTH)
        end = self.flow_text_end
        if end is not None and (question := _BLANKS_THEN_QUESTION.match(self.text, end.index)):
            # pure Python ended unquoted text at a '?' inside brackets, where libyaml reads on
            return _QuestionMark(question.end() - 1)
        return None

    def _position(self, mark: Any, index: int) -> _At:
        """Where the character at `index` of the text stands, counting on from `mark`."""
        line, col = mark.line, mark.column
        for piece in self.text[mark.index : index].splitlines(keepends=True):
            if piece.rstrip(_BREAKS) != piece:
                line, col = line + 1, 0
            else:
                col += len(piece)
        return _At(line, col)

    def _refuse(self, code: str, mark: Any, **context: Any) -> _Refused:
        """A refusal at a parser's mark (the start of the file when there is none)."""
        line, col = (mark.line, mark.column) if mark is not None else (0, 0)
        loc = Location(self.display, line + 1, col + 1)
        source = self.lines[line] if line < len(self.lines) else ""
        return _Refused(make(code, loc, source_line=source, **context))

    def _on_document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise self._refuse("SOBC011", event.start_mark)

    def _on_alias(self, event: yaml.AliasEvent) -> None:
        raise self._refuse("SOBC008", event.start_mark, what="aliases (*name)")

    def _node(self, event: yaml.NodeEvent) -> None:
        """Anchors and tags are refused on every node."""
        if event.anchor is not None:
            raise self._refuse("SOBC008", event.start_mark, what="anchors (&name)")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise self._refuse("SOBC009", event.start_mark, tag=tag)

    def _on_scalar(self, event: yaml.ScalarEvent) -> None:
        if event.anchor is not None or event.tag is not None:
            self._node(event)
        value = event.value.replace(self.stand_in, "?") if self.stand_in else event.value
        frame = self.stack[-1] if self.stack else None
        is_key = frame is not None and isinstance(frame.container, dict) and frame.key is None
        if self.in_flow and not event.style:
            self._flow_text(event, value, None if is_key or frame is None else frame.key)
        if event.implicit[0] and event.tag is None:  # plain: resolved the YAML 1.2 core way
            path = self._add(self._resolve_plain(value, event.start_mark), event.start_mark, value)
        else:  # quoted, block or '!'-tagged: always text
            path = self._add(value, event.start_mark, value)
        if self.positions and not is_key:
            self._note_span(path, event)

    def _note_span(self, path: JsonPath, event: yaml.ScalarEvent) -> None:
        """Where a text value starts and ends, and its style: to find a character inside it."""
        start, end = event.start_mark, event.end_mark
        if start is not None and end is not None:
            where = ((start.line, start.column), (end.line, end.column))
            self.spans[path] = (event.style or "", *where)

    def _flow_text(self, event: yaml.ScalarEvent, value: str, key: str | None) -> None:
        """Unquoted text inside brackets: libyaml reads on past a '?', pure Python stops before
        it (and fails); the text's end is kept for the failure (see `_refusal_for`). A '?' in
        it is SOBC014, at its first '?', and reading goes on."""
        self.flow_text_end = event.end_mark
        if "?" not in value:
            return
        start: Any = event.start_mark
        found = [
            i for c in ("?", self.stand_in) if c and (i := self.text.find(c, start.index)) >= 0
        ]
        index = min(found, default=start.index)
        shown = value if len(value) <= _QUOTABLE else value[: _QUOTABLE - 1] + "…"
        quoted = f"'{shown}'" if '"' in shown else f'"{shown}"'
        quoted = f"{key}: {quoted}" if key else quoted
        refusal = self._refuse("SOBC014", self._position(start, index), quoted=quoted)
        self.problems.append(refusal.diagnostic)

    def _on_mapping(self, event: yaml.MappingStartEvent) -> None:
        self._node(event)
        self._open({}, event)

    def _on_sequence(self, event: yaml.SequenceStartEvent) -> None:
        self._node(event)
        self._open([], event)

    def _on_end(self, _: yaml.Event) -> None:
        self.stack.pop()
        if self.in_flow:  # a flow collection holds only flow collections: the parent decides
            self.in_flow = bool(self.stack) and self.stack[-1].flow

    def _open(
        self, container: dict[str, Any] | list[Any], event: yaml.CollectionStartEvent
    ) -> None:
        mark = event.start_mark
        if len(self.stack) >= MAX_DEPTH:
            raise self._refuse("SOBC010", mark, limit=MAX_DEPTH)
        path = self._add(container, mark)
        self.in_flow = bool(event.flow_style)
        self.stack.append(_Frame(container, path, mark, self.in_flow))

    def _add(self, value: Any, mark: Any, text: str = "") -> JsonPath:
        """Place a value in the open container; returns the path it was placed at."""
        if not self.stack:
            self.root = value
            if self.positions:
                self.values[()] = (mark.line + 1, mark.column + 1)
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            path = (*frame.path, len(frame.container))
            frame.container.append(value)
            if self.positions:
                self.values[path] = (mark.line + 1, mark.column + 1)
            return path
        if frame.key is None:
            return self._add_key(frame, value, mark, text)
        path = (*frame.path, frame.key)
        key, frame.key = frame.key, None
        if frame.discard:
            frame.discard = False
        else:
            frame.container[key] = value
            if self.positions:
                self.values[path] = (mark.line + 1, mark.column + 1)
        return path

    def _add_key(self, frame: _Frame, key: Any, mark: Any, name: str) -> JsonPath:
        """Keys are kept as the text the author wrote: `yes:` and `1:` are keys 'yes' and '1'."""
        if isinstance(key, (dict, list)):
            found = "mapping" if isinstance(key, dict) else "list"
            raise self._refuse("SOBC012", mark, found=found)
        position = (mark.line + 1, mark.column + 1)
        path = (*frame.path, name)
        if path in self.keys:  # by path: keys below a duplicate are duplicates too
            first_line = self.keys[path][0]
            loc = Location(self.display, *position)
            source = self.lines[mark.line] if mark.line < len(self.lines) else ""
            self.problems.append(
                make("SOBC007", loc, source_line=source, key=name, first_line=first_line)
            )
            frame.key, frame.discard = name, True
            return path
        self.keys[path] = position
        frame.key = name
        return path

    def _resolve_plain(self, value: str, mark: Any) -> Any:
        if value and value[0] not in _NOT_TEXT_START:
            return value
        if _NULL.fullmatch(value):
            return None
        if value in _BOOL:
            return _BOOL[value]
        if _INT.fullmatch(value):
            digits = value.lstrip("+-")
            if len(digits) > MAX_INT_DIGITS:
                raise self._refuse("SOBC013", mark, value=value, reason="too large")
            return int(value)
        if _OCT.fullmatch(value) or _HEX.fullmatch(value):
            if len(value) > MAX_INT_DIGITS + 2:
                raise self._refuse("SOBC013", mark, value=value, reason="too large")
            return int(value, 8 if value[1] == "o" else 16)
        if _FLOAT.fullmatch(value):
            number = float(value)
            if not math.isfinite(number):
                raise self._refuse("SOBC013", mark, value=value, reason="too large")
            return number
        if _SPECIAL_FLOAT.fullmatch(value):
            raise self._refuse("SOBC013", mark, value=value, reason="not finite")
        return value
