"""The YAML reader: the traps of PyYAML and YAML 1.1, and positions."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from sobc.read import source
from sobc.read.source import (
    DEFAULT_PARSER,
    LIBYAML,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    PURE_PYTHON,
    Parser,
    load_document,
    parse_bytes,
)

from .conftest import EXAMPLE, PROGRAMS, ROOT

# The reader must give the same answer whichever parser's events it reads.
PARSERS = [
    pytest.param(
        LIBYAML,
        id="libyaml",
        marks=pytest.mark.skipif(LIBYAML is None, reason="PyYAML was built without libyaml"),
    ),
    pytest.param(PURE_PYTHON, id="pure-python"),
]


def codes(text: bytes | str, parser: Parser = DEFAULT_PARSER) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    doc, problems = parse_bytes(raw, "t.yaml", parser=parser)
    assert (doc is None) == bool(problems)
    return [p.code for p in problems]


def refused_at(text: str, parser: Parser) -> list[tuple[str, int, int]]:
    _, problems = parse_bytes(text.encode(), "t.yaml", parser=parser)
    return [(p.code, p.location.line, p.location.col) for p in problems if p.location]


def data(text: str, parser: Parser = DEFAULT_PARSER) -> dict[str, object]:
    doc, problems = parse_bytes(text.encode(), "t.yaml", parser=parser)
    assert problems == [] and doc is not None
    return doc.data


def test_yaml_1_2_core_scalars_keep_authors_values() -> None:
    parsed = data(
        "a: no\nb: on\nc: yes\nd: 012\ne: 1:30\nf: 2024-01-01\n"
        "g: true\nh: ~\ni: 0x1f\nj: 1.5\nk: Off\n"
    )
    assert parsed == {
        "a": "no",
        "b": "on",
        "c": "yes",
        "d": 12,
        "e": "1:30",
        "f": "2024-01-01",
        "g": True,
        "h": None,
        "i": 31,
        "j": 1.5,
        "k": "Off",
    }


def test_quoted_and_block_scalars_are_always_text() -> None:
    assert data("a: 'true'\nb: \"12\"\nc: |\n  3\n") == {"a": "true", "b": "12", "c": "3\n"}


def test_keys_are_the_text_the_author_wrote() -> None:
    assert data("yes: 1\n1: 2\nnull: 3\n") == {"yes": 1, "1": 2, "null": 3}


def test_duplicate_keys_are_reported_each_with_the_first_line() -> None:
    doc, problems = parse_bytes(b"a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "t.yaml")
    assert doc is None
    assert [(p.code, p.location.line if p.location else 0) for p in problems] == [
        ("SOBC007", 4),
        ("SOBC007", 5),
    ]
    assert "first defined on line 3" in problems[0].message


def test_anchors_and_aliases_are_refused() -> None:
    assert codes("a: &x 1\nb: *x\n") == ["SOBC008"]
    assert codes("a: [1]\nb: *x\n") in (["SOBC004"], ["SOBC008"])


def test_alias_bomb_is_refused_quickly_without_building_anything() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    bomb = "\n".join(lines) + "\n"
    started = time.perf_counter()
    assert codes(bomb) == ["SOBC008"]
    assert time.perf_counter() - started < 5  # a safety net, not a benchmark


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !!python/name:os.system\n",
        "a: !custom x\n",
        "a: !!str 1\n",
        "!!map {a: 1}\n",
    ],
)
def test_explicit_tags_are_refused(text: str) -> None:
    assert codes(text) == ["SOBC009"]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 1000, 50_000])
def test_deep_nesting_is_refused_whichever_layer_notices_first(depth: int, parser: Parser) -> None:
    # sobc counts levels itself; newer libyaml refuses 1,000 levels written close together
    # before sobc sees the 65th (50,000 levels used to crash libyaml's own loader, and ~500
    # overflow pure PyYAML's constructors, which sobc never uses)
    assert codes("a: " + "[" * depth + "]" * depth + "\n", parser) == ["SOBC010"]
    assert codes("a:\n  " + "- " * depth + "x\n", parser) == ["SOBC010"]
    assert codes("a:\n  " + "{b: " * depth + "1" + "}" * depth + "\n", parser) == ["SOBC010"]
    assert codes("a: " + "[" * depth, parser) == ["SOBC010"]  # never closed


@pytest.mark.parametrize("parser", PARSERS)
def test_nesting_is_refused_where_the_layer_that_noticed_stopped(parser: Parser) -> None:
    # sobc's own check: at the bracket one level too deep (the top-level mapping is level 1)
    assert refused_at("a: " + "[" * 100 + "]" * 100 + "\n", parser) == [("SOBC010", 1, 67)]
    # 5,000 brackets: libyaml stops further on (where its own limit is reached), if it does
    [(code, line, col)] = refused_at("a: " + "[" * 5000 + "]" * 5000 + "\n", parser)
    assert (code, line) == ("SOBC010", 1) and col >= 67


@pytest.mark.parametrize("parser", PARSERS)
def test_nesting_within_the_limit_loads(parser: Parser) -> None:
    depth = MAX_DEPTH - 1
    assert codes("a: " + "[" * depth + "]" * depth + "\n", parser) == []


class _StackRunsOut(yaml.SafeLoader):
    """PyYAML's own parser, as if Python's stack ran out as it opened the tenth level."""

    depth = 0

    def get_event(self) -> Any:
        event = super().get_event()
        if isinstance(event, yaml.CollectionStartEvent):
            self.depth += 1
            if self.depth == 10:
                raise RecursionError("maximum recursion depth exceeded")
        return event


def test_a_parser_running_out_of_stack_is_nesting_too_deep() -> None:
    text = "a:\n  b: " + "[" * 12 + "1" + "]" * 12 + "\n"
    # levels 1 and 2 are the mappings; the innermost level open is the 7th '[', at column 12
    assert refused_at(text, _StackRunsOut) == [("SOBC010", 2, 12)]
    assert refused_at(text, PURE_PYTHON) == []


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("a: {text: Vem?}\n", 1, 14),
        ("a: [Vem?, b]\n", 1, 8),
        ("a: {Vem?: 1}\n", 1, 8),
        ("a: [b, x?y]\n", 1, 9),
        ("a: [b ?c]\n", 1, 7),
        ("a: {b: c,\n  d: vad\n    nu?}\n", 3, 7),
        ("a:\n  - {id: vem, text: Vem?, required: true}\n", 2, 24),
        ("a: [! Vem?]\n", 1, 10),
    ],
)
def test_unquoted_question_mark_inside_brackets_is_refused_at_the_question_mark(
    text: str, line: int, col: int, parser: Parser
) -> None:
    # libyaml reads 'Vem?'; PyYAML's pure-Python parser ends the text at '?' and fails
    assert refused_at(text, parser) == [("SOBC014", line, col)]


@pytest.mark.parametrize("parser", PARSERS)
def test_every_unquoted_question_mark_inside_brackets_is_reported_in_one_run(
    parser: Parser,
) -> None:
    """One SOBC014 per text, at its first '?', however many texts and '?'s; each hint quotes
    the text it is about, under its key."""
    text = "a: {text: Vem?}\nb: [x, Hur? Var?]\nc:\n  - {id: q, text: 'Ja?'}\nd: {e: Nej?}\n"
    _, problems = parse_bytes(text.encode(), "t.yaml", parser=parser)
    assert [(p.code, p.location.line, p.location.col) for p in problems if p.location] == [
        ("SOBC014", 1, 14),
        ("SOBC014", 2, 11),
        ("SOBC014", 5, 11),  # the quoted text on line 4 is fine
    ]
    assert [p.hint for p in problems] == [
        'put the text in quotes: text: "Vem?"',
        'put the text in quotes: "Hur? Var?"',
        'put the text in quotes: e: "Nej?"',
    ]


def test_a_text_holding_every_stand_in_stops_pure_python_at_its_first_question_mark() -> None:
    every = "".join(map(chr, range(0xE000, 0xF900)))
    text = f"a: '{every}'\nb: {{text: Vem?}}\nc: [Hur?]\n"
    assert refused_at(text, PURE_PYTHON) == [("SOBC014", 2, 14)]


@pytest.mark.parametrize("parser", PARSERS)
def test_question_marks_that_both_parsers_read_alike_are_kept(parser: Parser) -> None:
    text = (
        'a: Vem?\nb: ["Vem?", \'Hur?\']\nc: {text: "Vem?"}\nd: [? x]\n'
        "e: [b] # Vem? c\nf: |\n  {Vem?}\n"
    )
    assert data(text, parser) == {
        "a": "Vem?",
        "b": ["Vem?", "Hur?"],
        "c": {"text": "Vem?"},
        "d": [{"x": None}],
        "e": ["b"],
        "f": "{Vem?}\n",
    }


@pytest.mark.parametrize("parser", PARSERS)
def test_quoted_brackets_after_text_are_a_syntax_error_not_sobc014(parser: Parser) -> None:
    assert codes('a: ["b" ?c]\n', parser) == ["SOBC004"]
    assert codes("a: [b # c?\n  ?d]\n", parser) == ["SOBC004"]


@pytest.mark.parametrize("parser", PARSERS)
def test_the_non_specific_tag_keeps_text_as_written(parser: Parser) -> None:
    assert data('a: ! 12\nb: ! "12"\nc: !\nd: ! true\n', parser) == {
        "a": "12",
        "b": "12",
        "c": "",
        "d": "true",
    }


SHIPPED = sorted([*PROGRAMS.rglob("*.yaml"), *EXAMPLE.rglob("*.yaml")])


@pytest.mark.skipif(LIBYAML is None, reason="PyYAML was built without libyaml")
@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(ROOT).as_posix() for p in SHIPPED])
def test_both_parsers_read_every_shipped_file_alike(path: Path) -> None:
    assert LIBYAML is not None
    raw = path.read_bytes()
    fast, fast_problems = parse_bytes(raw, "f.yaml", parser=LIBYAML)
    slow, slow_problems = parse_bytes(raw, "f.yaml", parser=PURE_PYTHON)
    assert fast_problems == slow_problems == []
    assert fast is not None and slow is not None
    # as JSON, so that 1, 1.0 and True, equal in Python, count as different
    assert json.dumps(fast.data, ensure_ascii=False) == json.dumps(slow.data, ensure_ascii=False)


def test_not_utf8_points_at_the_bad_byte() -> None:
    doc, problems = parse_bytes("a: 1\nb: sm\u00e5\n".encode("latin-1"), "t.yaml")
    assert doc is None and [p.code for p in problems] == ["SOBC003"]
    assert problems[0].location is not None
    assert (problems[0].location.line, problems[0].location.col) == (2, 6)


def test_bom_and_crlf_are_accepted() -> None:
    doc, problems = parse_bytes(b"\xef\xbb\xbfa: 1\r\nb:\r\n  - x\r\n", "t.yaml")
    assert problems == [] and doc is not None
    assert doc.data == {"a": 1, "b": ["x"]}
    assert doc.location(("b", 0)).line == 3


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "SOBC005"),
        ("   \n\n", "SOBC005"),
        ("# only a comment\n", "SOBC005"),
        ("~\n", "SOBC005"),
        ("- a\n", "SOBC006"),
        ("just text\n", "SOBC006"),
        ("a: 1\n---\nb: 2\n", "SOBC011"),
        ("? [a]\n: 1\n", "SOBC012"),
        ("a: 123456789012345678901234567890\n", "SOBC013"),
        ("a: .nan\n", "SOBC013"),
        ("a: 1e999\n", "SOBC013"),
        ("a: b: c\n", "SOBC004"),
        ("a: [1\n", "SOBC004"),
        ("a: \x07\n", "SOBC004"),
    ],
)
def test_refused_files(text: str, code: str) -> None:
    assert codes(text) == [code]


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    doc, problems = load_document(big)
    assert doc is None and [p.code for p in problems] == ["SOBC002"]


def test_unreadable_file_is_a_diagnostic(tmp_path: Path) -> None:
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "missing.yaml")
    doc, problems = load_document(link)
    assert doc is None and [p.code for p in problems] == ["SOBC001"]


def test_positions_of_keys_and_values() -> None:
    doc, _ = parse_bytes("x:\n  y: [a, {z: 1}]\n  å: 'ö'\n".encode(), "t.yaml")
    assert doc is not None
    assert doc.location(("x", "y", 1, "z")) == source.Location("t.yaml", 2, 14)
    assert doc.location(("x", "y", 1, "z"), key=True) == source.Location("t.yaml", 2, 11)
    assert doc.location(("x", "å"), key=True) == source.Location("t.yaml", 3, 3)
    assert doc.location(("x", "missing")) == doc.location(("x",))


@pytest.mark.parametrize("ending", ["\n", ""])
def test_an_unterminated_quote_on_the_last_line_is_reported_where_it_opens(ending: str) -> None:
    doc, problems = parse_bytes(f'id: x\ntitle: "abc{ending}'.encode(), "f.yaml")
    assert doc is None and [(p.code, p.location.line) for p in problems] == [("SOBC004", 2)]
    assert problems[0].source_line == 'title: "abc'
    assert "while scanning a quoted scalar" in problems[0].message


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(
    ("text", "line", "col", "hint"),
    [
        ("id: x\ntitle: Steg 1: andas\n", 2, 14, 'quote the text: title: "Steg 1: andas"'),
        ("s:\n  - id: a\n    title: b\n   type: c\n", 4, 4, "check the indentation"),
        ("s:\n  - id: a\n    title: b\n type: c\n", 4, 2, "check the indentation"),
        ("id: x\ntitle Steg ett\n# c\nv: 1\n", 2, 1, "a key needs ':' after it"),
        ("id: x\ntitle Steg ett\n", 2, 1, "a key needs ':' after it"),
        ('id: x\ntitle: [Mindfulness\nversion: "1"\n', 2, 8, "the '[' here is never closed"),
        ("a:\n  b: {c: d\n  e: f\n", 2, 6, "the '{' here is never closed"),
    ],
)
def test_a_syntax_error_has_a_hint_and_points_at_the_culprit(
    parser: Parser, text: str, line: int, col: int, hint: str
) -> None:
    _, problems = parse_bytes(text.encode(), "t.yaml", parser=parser)
    assert [(p.code, p.location.line, p.location.col) for p in problems if p.location] == [
        ("SOBC004", line, col)
    ]
    assert problems[0].hint.startswith(hint)


@pytest.mark.parametrize("parser", PARSERS)
def test_a_flow_list_over_several_lines_is_not_an_unclosed_bracket(parser: Parser) -> None:
    """A list that goes on, indented, on the next lines: the error is where the parser says."""
    _, problems = parse_bytes(b'a: [b,\n    "c" d]\nf: 1\n', "t.yaml", parser=parser)
    assert [(p.code, p.location.line) for p in problems if p.location] == [("SOBC004", 2)]
    assert "never closed" not in problems[0].hint


def test_a_long_text_with_a_colon_gets_the_hint_s_example() -> None:
    _, problems = parse_bytes(f"title: {'x' * 200}: y\n".encode(), "t.yaml")
    assert problems[0].hint == 'quote the text: title: "Steg 1: andas"'
