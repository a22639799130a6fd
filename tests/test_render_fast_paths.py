"""The rendering stack's fast paths give what the plain ways give.

`manifest.dumps` (orjson) against `json.dumps`, byte for byte; page fingerprints (orjson) are
deterministic and see every value; `views.plain` against a plain recursive conversion; the
environment's key-first lookup against Jinja's attribute-first one.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sobc import loader
from sobc.manifest import dumps, manifest_data
from sobc.model import Program
from sobc.render.pages import Page, environment, program_pages
from sobc.render.views import plain

from .conftest import EXAMPLE, PROGRAMS


def _reference_dumps(data: Any) -> bytes:
    """What manifests were written with before orjson."""
    return (json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _programs() -> list[Program]:
    folders = [EXAMPLE, *sorted(p for p in PROGRAMS.iterdir() if (p / "program.yaml").is_file())]
    programs = [loader.load(folder).program for folder in folders]
    return [p for p in programs if p is not None]


@pytest.fixture(scope="module")
def programs() -> list[Program]:
    return _programs()


# ---------------------------------------------------------------- manifest.dumps


def test_manifests_are_written_as_json_writes_them(programs: list[Program]) -> None:
    for program in programs:
        data = manifest_data(program, {"index.html": ("0" * 64, 123)})
        assert dumps(data) == _reference_dumps(data), program.id


@pytest.mark.parametrize(
    "value",
    [
        1e-5,
        1e-7,
        -2.5e-9,
        9.99e-5,
        1e-4,
        0.1,
        1e16,
        1e22,
        123456789012345.6,
        2**64,
        -(2**63) - 1,
        "0.00001 and 1e-7 as text",
        "\x00\x1f\x7f\u2028\ufeff\U0001f600 åäö \"'\\/",
        [[], {}, [[]], {"a": {}}],
        {"é": 1, "e": 2, "É": 3, "z": [None, True, False]},
    ],
)
def test_dumps_matches_json_where_orjson_differs(value: Any) -> None:
    data = {"value": value, "list": [value, {"nested": value}]}
    assert dumps(data) == _reference_dumps(data)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_dumps_matches_json_for_any_value(value: Any) -> None:
    try:
        expected = _reference_dumps(value)
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8, refused either way
        with pytest.raises(UnicodeEncodeError):
            dumps(value)
        return
    assert dumps(value) == expected


# ---------------------------------------------------------------- fingerprints


def _page(context: dict[str, Any], template: str = "step.html.j2") -> Page:
    return Page("p/x.html", template, context)


def test_fingerprints_are_deterministic(programs: list[Program]) -> None:
    first = [p.fingerprint() for p in program_pages(programs[0])]
    again = [p.fingerprint() for p in program_pages(programs[0])]
    assert first == again
    assert len(set(first)) == len(first)


def test_fingerprints_ignore_key_order_only() -> None:
    a = _page({"title": "A", "n": 1, "items": [1.5, None, "å"]})
    b = _page({"items": [1.5, None, "å"], "n": 1, "title": "A"})
    assert a.fingerprint() == b.fingerprint()
    changed = [
        _page({"title": "A", "n": 2, "items": [1.5, None, "å"]}),
        _page({"title": "A", "n": 1, "items": [1.5, None, "ä"]}),
        _page({"title": "A", "n": 1, "items": [None, 1.5, "å"]}),
        _page({"title": "A", "n": 1, "items": [1.5, None, "å"]}, "module.html.j2"),
    ]
    assert len({p.fingerprint() for p in [a, *changed]}) == 5


def test_fingerprints_of_values_orjson_refuses() -> None:
    big = _page({"n": 2**70})
    assert big.fingerprint() == _page({"n": 2**70}).fingerprint()
    assert big.fingerprint() != _page({"n": 2**70 + 1}).fingerprint()
    assert _page({"p": Path("a/b")}).fingerprint() == _page({"p": Path("a/b")}).fingerprint()


# ---------------------------------------------------------------- views.plain


def _reference_plain(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {
            f.name: _reference_plain(getattr(obj, f.name))
            for f in fields(obj)
            if f.name not in ("ref", "root")
        }
    if isinstance(obj, tuple | list):
        return [_reference_plain(x) for x in obj]
    if isinstance(obj, Path):
        return obj.as_posix()
    return obj


def test_plain_matches_the_recursive_conversion(programs: list[Program]) -> None:
    for program in programs:
        assert plain(program) == _reference_plain(program)
        assert list(plain(program)) == list(_reference_plain(program))  # same key order
    assert plain(Path("a/b")) == "a/b"
    assert plain(Program) is Program


# ---------------------------------------------------------------- the environment


def test_dict_keys_are_found_like_attributes() -> None:
    env = environment()
    template = env.from_string("{{ d.title }} {{ d['items'] | join(',') }} {{ d.get('x', 0) }}")
    assert template.render(d={"title": "<T>", "items": [1, 2]}) == "&lt;T&gt; 1,2 0"
    assert env.from_string("{{ s.upper() }}").render(s="a") == "A"
