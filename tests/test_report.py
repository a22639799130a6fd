"""Diagnostics as text: the source excerpt, cut around the column, with its caret in place."""

from __future__ import annotations

import pytest

from sobc.diagnostics import Diagnostic, Location, Severity
from sobc.report import EXCERPT_WIDTH, as_text, excerpt, summary


def test_a_short_line_is_shown_whole_with_the_caret_under_the_column() -> None:
    assert excerpt("title: Steg 1: andas\n", 14) == ("title: Steg 1: andas", " " * 13 + "^")


def test_a_long_line_is_cut_around_the_column_and_the_caret_stays_on_its_character() -> None:
    line = "x" * 50_000 + "Y" + "z" * 50_007
    shown, caret = excerpt(line, 50_001)
    assert shown.startswith("…x") and shown.endswith("z…")
    assert len(shown) == EXCERPT_WIDTH + 2
    assert shown[len(caret) - 1] == "Y" and caret.strip() == "^"


@pytest.mark.parametrize(("col", "cut"), [(1, "end"), (20_001, "start")])
def test_a_long_line_is_cut_on_one_side_near_either_end(col: int, cut: str) -> None:
    line = "".join(chr(ord("a") + i % 26) for i in range(20_000))
    shown, caret = excerpt(line, col)
    assert shown.startswith("…") == (cut == "start")
    assert shown.endswith("…") == (cut == "end")
    pointed = shown[len(caret) - 1] if len(caret) <= len(shown) else ""
    assert pointed == (line[col - 1] if col <= len(line) else "")


def test_tabs_and_wide_characters_keep_the_caret_aligned() -> None:
    shown, caret = excerpt("\tå 漢字: x", 6)
    assert shown == "\tå 漢字: x"
    assert caret == "\t" + " " * 2 + " " * 4 + "^"  # under ':' after 'å', ' ' and two wide ones


def test_as_text_shows_the_cut_line() -> None:
    line = "title: " + "a" * 100_000
    d = Diagnostic("SOBC104", Severity.ERROR, "too long", Location("m.yaml", 3, 8), "", line)
    text = as_text([d])
    assert max(len(row) for row in text.splitlines()) < EXCERPT_WIDTH + 20
    assert text.splitlines()[1] == " 3 | title: " + "a" * (EXCERPT_WIDTH - 7) + "…"


def test_styled_text_colours_severity_and_position() -> None:
    error = Diagnostic("SOBC004", Severity.ERROR, "bad", Location("m.yaml", 1, 1))
    warning = Diagnostic("SOBC312", Severity.WARNING, "unused", Location("f.yaml", 1, 1))
    styled = as_text([error, warning], style=True)
    assert "\x1b[1mm.yaml:1:1: \x1b[0m" in styled
    assert "\x1b[31m\x1b[1merror[SOBC004]\x1b[0m" in styled
    assert "\x1b[33m\x1b[1mwarning[SOBC312]\x1b[0m" in styled
    assert "\x1b[" not in as_text([error, warning])


@pytest.mark.parametrize(
    ("programs", "kinds", "expected"),
    [
        (1, [], "1 program checked: no problems"),
        (1, [Severity.ERROR], "1 program checked: 1 error, 0 warnings"),
        (3, [Severity.WARNING] * 2, "3 programs checked: 0 errors, 2 warnings"),
    ],
)
def test_summary_counts_in_words(programs: int, kinds: list[Severity], expected: str) -> None:
    problems = [Diagnostic("SOBC312", kind, "m", None) for kind in kinds]
    assert summary(programs, problems) == expected
