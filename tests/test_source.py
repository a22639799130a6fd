"""The YAML reader: the traps of PyYAML and YAML 1.1, and positions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from sobc import source
from sobc.source import MAX_DEPTH, MAX_FILE_BYTES, load_document, parse_bytes


def codes(text: bytes | str) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    doc, problems = parse_bytes(raw, "t.yaml")
    assert (doc is None) == bool(problems)
    return [p.code for p in problems]


def data(text: str) -> dict[str, object]:
    doc, problems = parse_bytes(text.encode(), "t.yaml")
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


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 600, 50_000])
def test_deep_nesting_is_refused_from_the_event_stream(depth: int) -> None:
    # 50,000 levels segfault libyaml's loader and ~500 overflow pure PyYAML's recursion
    assert codes("a: " + "[" * depth + "]" * depth + "\n") == ["SOBC010"]
    assert codes("a:\n  " + "- " * depth + "x\n") == ["SOBC010"]
    assert codes("a:\n  " + "{b: " * depth + "1" + "}" * depth + "\n") == ["SOBC010"]


def test_nesting_within_the_limit_loads() -> None:
    depth = MAX_DEPTH - 1
    assert codes("a: " + "[" * depth + "]" * depth + "\n") == []


def test_deep_nesting_is_refused_by_the_pure_python_parser_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(source, "_Loader", yaml.SafeLoader)
    assert codes("a: " + "[" * 5000 + "]" * 5000 + "\n") == ["SOBC010"]
    assert data("a: no\n") == {"a": "no"}


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
