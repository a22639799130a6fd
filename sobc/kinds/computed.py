"""Computed values: the small expression language a form's `computed` values are written in,
read, checked and evaluated here alone, so the checks, the reference engine, the manifest and
the guide agree (docs/authoring.md, "Computed values", is its specification).

    expression = term { ("+" | "-") term }
    term       = factor { ("*" | "/") factor }
    factor     = "-" factor | primary
    primary    = number | name | function "(" expression { "," expression } ")"
               | "(" expression ")"
    number     = digit { digit } [ "." digit { digit } ]
    name       = letter { letter | digit | "-" }   (a question, or a computed value before it)
    function   = "minutes_between" | "min" | "max"

A name takes its hyphens with it (`tid-i-sang` is one name), so a minus between two names is
written with spaces. Arithmetic is exact (rational numbers); a value is missing when any answer
it reads is missing, or it divides by zero; the result is rounded half away from zero.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..model.program import Computed, Form, Question
from .bounds import TIME
from .questions import question_type

MINUTES_A_DAY = 1440
_TOKEN = re.compile(
    r"\s*(?:(?P<number>[0-9]+(?:\.[0-9]+)?)|(?P<name>[a-z][a-z0-9_-]*)|(?P<op>[-+*/(),]))"
)


class ExpressionError(ValueError):
    """An expression that cannot be read or does not fit its form; `at` is the character
    (from 0) it stands at."""

    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.at = at


@dataclass(frozen=True)
class Node:
    """One node of an expression: a number, a name, an operator or a function call."""

    kind: str  # "number", "name", "+", "-", "*", "/", "neg", or a function's name
    at: int  # where it is written (a character of the expression, from 0)
    value: Fraction | str | None = None  # a number's value, a name's id
    args: tuple[Node, ...] = ()

    def names(self) -> list[Node]:
        """The name nodes it reads, in the order written."""
        return [n for n in walk(self) if n.kind == "name"]

    def as_json(self) -> dict[str, Any]:
        """The tree as the manifest writes it (`docs/manifest.md`): a runtime evaluates it
        without parsing the text."""
        if self.kind == "number":
            assert isinstance(self.value, Fraction)
            return {"number": _decimal(self.value)}
        if self.kind == "name":
            return {"name": self.value}
        return {"op": self.kind, "args": [a.as_json() for a in self.args]}


FUNCTIONS = {"minutes_between": 2, "min": 2, "max": 2}


def walk(node: Node) -> Iterator[Node]:
    """The node and every node below it."""
    yield node
    for arg in node.args:
        yield from walk(arg)


def _decimal(value: Fraction) -> str:
    """A number as written in the source (only terminating decimals can be written)."""
    text = f"{float(value):.12g}" if value.denominator != 1 else str(value.numerator)
    return text


# ---------------------------------------------------------------- reading


def parse(text: str) -> Node:
    """The expression's tree; ExpressionError says what is wrong and where."""
    tokens = _tokens(text)
    parser = _Parser(tokens, len(text))
    node = parser.expression()
    if parser.peek() is not None:
        kind, _, at = tokens[parser.i]
        raise ExpressionError(f"unexpected {kind!r}", at)
    return node


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, position) of each token: kind is "number", "name" or the operator."""
    out: list[tuple[str, str, int]] = []
    i = 0
    while i < len(text):
        if text[i:].strip() == "":
            break
        match = _TOKEN.match(text, i)
        if match is None or match.end() == i:
            at = i + len(text[i:]) - len(text[i:].lstrip())
            raise ExpressionError(f"{text[at]!r} is not part of the language", at)
        kind = match.lastgroup or "op"
        token = match.group(kind)
        at = match.start(kind)
        out.append((token if kind == "op" else kind, token, at))
        i = match.end()
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]], end: int) -> None:
        self.tokens, self.i, self.end = tokens, 0, end

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self) -> tuple[str, str, int]:
        if self.i >= len(self.tokens):
            raise ExpressionError("the expression ends too early", self.end)
        self.i += 1
        return self.tokens[self.i - 1]

    def expression(self) -> Node:
        node = self.term()
        while self.peek() in ("+", "-"):
            op, _, at = self.take()
            node = Node(op, at, None, (node, self.term()))
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.peek() in ("*", "/"):
            op, _, at = self.take()
            node = Node(op, at, None, (node, self.factor()))
        return node

    def factor(self) -> Node:
        if self.peek() == "-":
            _, _, at = self.take()
            return Node("neg", at, None, (self.factor(),))
        return self.primary()

    def primary(self) -> Node:
        kind, text, at = self.take()
        if kind == "number":
            return Node("number", at, Fraction(text))
        if kind == "(":
            node = self.expression()
            self._expect(")")
            return node
        if kind != "name":
            raise ExpressionError(f"expected a number, a name or '(', not {text!r}", at)
        if self.peek() != "(":
            return Node("name", at, text)
        if text not in FUNCTIONS:
            known = ", ".join(FUNCTIONS)
            raise ExpressionError(f"{text!r} is not a function (there are: {known})", at)
        self.take()
        args = [self.expression()]
        while self.peek() == ",":
            self.take()
            args.append(self.expression())
        self._expect(")")
        if len(args) != FUNCTIONS[text]:
            raise ExpressionError(f"{text} takes {FUNCTIONS[text]} arguments", at)
        return Node(text, at, None, tuple(args))

    def _expect(self, token: str) -> None:
        kind, text, at = self.take()
        if kind != token:
            raise ExpressionError(f"expected {token!r}, not {text!r}", at)


# ---------------------------------------------------------------- checking


@dataclass(frozen=True)
class Span:
    """What a name or an expression gives: a number, or a time of day (minutes after
    midnight, read only by minutes_between), and the least and most it can be (None: no
    limit; a time: the arc from `low` on, `high` minutes long)."""

    time: bool
    low: float | None
    high: float | None


ANY_TIME = Span(True, 0, MINUTES_A_DAY - 1)


def check(node: Node, names: Mapping[str, Span]) -> Span:
    """What the expression gives; ExpressionError for an unknown name, a time used as a
    number, or a division by a value that can be zero."""
    if node.kind == "number":
        assert isinstance(node.value, Fraction)
        return Span(False, float(node.value), float(node.value))
    if node.kind == "name":
        span = names.get(str(node.value))
        if span is None:
            raise ExpressionError(f"'{node.value}' is no question or earlier value", node.at)
        return span
    spans = [check(arg, names) for arg in node.args]
    if node.kind == "minutes_between":
        for arg, span in zip(node.args, spans, strict=True):
            if not span.time:
                raise ExpressionError("minutes_between takes two times of day", arg.at)
        return _between(spans[0], spans[1])
    for arg, span in zip(node.args, spans, strict=True):
        if span.time:
            raise ExpressionError(
                "a time of day is no number: use minutes_between(from, to)", arg.at
            )
    return Span(False, *_RANGES[node.kind](node, spans))


def _between(start: Span, end: Span) -> Span:
    """The minutes from a time in one arc to a time in the other, going forward: an interval
    that holds 0 only when the arcs can meet."""
    if start.low is None or start.high is None or end.low is None or end.high is None:
        return Span(False, 0, MINUTES_A_DAY - 1)
    length = start.high + end.high  # the arcs' lengths
    first = (end.low - (start.low + start.high)) % MINUTES_A_DAY
    if length >= MINUTES_A_DAY or first + length >= MINUTES_A_DAY or first == 0:
        return Span(False, 0, MINUTES_A_DAY - 1)
    return Span(False, first, first + length)


def _ends(a: Span) -> tuple[float, float]:
    return (-math.inf if a.low is None else a.low, math.inf if a.high is None else a.high)


def _span(values: list[float]) -> tuple[float | None, float | None]:
    finite = [v for v in values if not math.isnan(v)]
    low, high = min(finite, default=-math.inf), max(finite, default=math.inf)
    return (None if low == -math.inf else low, None if high == math.inf else high)


def _products(a: Span, b: Span) -> tuple[float | None, float | None]:
    (a0, a1), (b0, b1) = _ends(a), _ends(b)
    products = [x * y for x in (a0, a1) for y in (b0, b1) if not (x == 0 or y == 0)]
    zero = [0.0] if 0 in (a0, a1, b0, b1) else []
    return _span(products + zero)


def _quotients(node: Node, spans: list[Span]) -> tuple[float | None, float | None]:
    (b0, b1) = _ends(spans[1])
    if b0 <= 0 <= b1:
        raise ExpressionError(
            "divides by a value that can be zero: bound its questions (min, max) so that it "
            "cannot, or divide by max(…, 1)",
            node.args[1].at,
        )
    (a0, a1) = _ends(spans[0])
    return _span([x / y for x in (a0, a1) for y in (b0, b1)])


_RANGES: dict[str, Callable[[Node, list[Span]], tuple[float | None, float | None]]] = {
    "+": lambda n, s: _span([_ends(s[0])[0] + _ends(s[1])[0], _ends(s[0])[1] + _ends(s[1])[1]]),
    "-": lambda n, s: _span([_ends(s[0])[0] - _ends(s[1])[1], _ends(s[0])[1] - _ends(s[1])[0]]),
    "*": lambda n, s: _products(s[0], s[1]),
    "/": _quotients,
    "neg": lambda n, s: _span([-_ends(s[0])[1], -_ends(s[0])[0]]),
    "min": lambda n, s: _span(
        [min(_ends(s[0])[0], _ends(s[1])[0]), min(_ends(s[0])[1], _ends(s[1])[1])]
    ),
    "max": lambda n, s: _span(
        [max(_ends(s[0])[0], _ends(s[1])[0]), max(_ends(s[0])[1], _ends(s[1])[1])]
    ),
}


# ---------------------------------------------------------------- evaluating

Number = Fraction | None  # None: missing


def evaluate(node: Node, values: Mapping[str, Fraction | str]) -> Number:
    """The exact value, or None when an answer it reads is missing or it divides by zero.
    `values`: numbers by name, and times of day as "HH:MM"."""
    if node.kind == "number":
        return node.value if isinstance(node.value, Fraction) else None
    if node.kind == "name":
        value = values.get(str(node.value))
        return value if isinstance(value, Fraction) else None
    if node.kind == "minutes_between":
        start, end = (_minutes(values.get(str(a.value))) for a in node.args)
        return None if start is None or end is None else Fraction((end - start) % MINUTES_A_DAY)
    args = [evaluate(a, values) for a in node.args]
    if any(a is None for a in args):
        return None
    known = [a for a in args if a is not None]
    return _OPERATIONS[node.kind](*known)


def _minutes(value: object) -> int | None:
    """Minutes after midnight of an `HH:MM` answer, as a time question's bounds read it."""
    minutes = TIME.parse(value)
    return None if minutes is None else int(minutes)


def _divide(a: Fraction, b: Fraction) -> Number:
    return None if b == 0 else a / b


_OPERATIONS: dict[str, Callable[..., Number]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
    "neg": lambda a: -a,
    "min": min,
    "max": max,
}


def rounded(value: Fraction, decimals: int) -> Fraction:
    """Half away from zero, to `decimals` places."""
    scale = Fraction(10) ** decimals
    scaled = abs(value) * scale
    whole = math.floor(scaled + Fraction(1, 2))
    return Fraction(whole if value >= 0 else -whole) / scale


def shown(value: Fraction, decimals: int) -> str:
    """As the guide and the simulation write it: `decimals` places, a point for the decimal."""
    exact = rounded(value, decimals)
    return f"{float(exact):.{decimals}f}" if decimals else str(exact.numerator)


# ---------------------------------------------------------------- a form's names


def question_span(question: Question) -> Span | None:
    """What a question gives an expression (None: nothing it can read): a number between its
    min and max, or a time of day in the arc from its min to its max."""
    kind = question_type(question.type)
    if kind.computes is None or kind.bounds is None:
        return None
    low = kind.bounds.parse(question.min) if question.min is not None else None
    high = kind.bounds.parse(question.max) if question.max is not None else None
    if kind.computes == "number":
        return Span(False, low, high)
    if low is None or high is None:
        return ANY_TIME
    return Span(True, low, (high - low) % MINUTES_A_DAY)


def parsed(form: Form) -> Iterator[tuple[Computed, Node | ExpressionError]]:
    """Each computed value of the form with its tree, or what keeps it from being read: its
    expression's syntax, a name that is not a question or an earlier value, a time used as a
    number, a division by a value that can be zero."""
    names = {q.id: span for q in form.questions if (span := question_span(q)) is not None}
    failed: set[str] = set()  # values that cannot be read: one that reads them waits for them
    for value in form.computed:
        try:
            tree = parse(value.expression)
            if any(n.value in failed for n in tree.names()):
                failed.add(value.id)
                continue
            span = check(tree, names)
        except ExpressionError as problem:
            failed.add(value.id)
            yield value, problem
            continue
        names[value.id] = Span(False, span.low, span.high)
        yield value, tree


def from_json(tree: Mapping[str, Any]) -> Node:
    """A tree as the manifest writes it (`Node.as_json`), as a runtime reads it."""
    if "number" in tree:
        return Node("number", 0, Fraction(str(tree["number"])))
    if "name" in tree:
        return Node("name", 0, str(tree["name"]))
    return Node(str(tree["op"]), 0, None, tuple(from_json(a) for a in tree["args"]))


def values_of(
    trees: list[tuple[str, Node, int]], answers: Mapping[str, object]
) -> dict[str, Fraction | None]:
    """Each computed value of a submission, in order, rounded to its decimals (id, tree,
    decimals); a later value reads an earlier one as rounded. `answers`: the stored answers."""
    names: dict[str, Fraction | str] = {}
    for key, answer in answers.items():
        if isinstance(answer, bool) or answer is None:
            continue
        if isinstance(answer, int | float):
            names[key] = Fraction(str(answer))
        elif isinstance(answer, str):
            names[key] = answer if _minutes(answer) is not None else _fraction(answer)
    out: dict[str, Fraction | None] = {}
    for ident, tree, decimals in trees:
        value = evaluate(tree, names)
        out[ident] = None if value is None else rounded(value, decimals)
        if value is None:
            names.pop(ident, None)
        else:
            names[ident] = rounded(value, decimals)
    return out


def _fraction(text: str) -> Fraction | str:
    try:
        return Fraction(text)
    except ValueError:
        return text
