"""Whatever manifest.json holds, `runtime.load` returns a manifest or raises ManifestError whose
problems are single lines, never anything else: arbitrary bytes, JSON-like text, and a real
manifest mutated byte by byte or value by value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sobc import runtime
from sobc.package.build import build

from .conftest import EXAMPLE

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON_TOKENS = [*'{}[]",:-+.0123456789eE \n\\/', "true", "null", "NaN", "-Infinity", "1e400"]
JSONISH = st.lists(
    st.sampled_from([*JSON_TOKENS, '"files"', "\\u", "\\ud800", "\\u00e5", "å", "\ufeff"]),
    max_size=100,
).map("".join)
JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
    | st.sampled_from(["/etc/passwd", "../x", "a//b", "a\\b", "", ".", "manifest.json"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One built package for all examples; each example writes its own manifest.json."""
    folder = tmp_path_factory.mktemp("fuzz")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOBC_CACHE_DIR", str(folder / "cache"))
        assert build([EXAMPLE], folder / "out").ok
    return folder / "out" / "example"


@pytest.fixture(scope="module")
def original(package: Path) -> bytes:
    return (package / "manifest.json").read_bytes()


def _loads_or_refuses(package: Path, raw: bytes) -> None:
    (package / "manifest.json").write_bytes(raw)
    try:
        loaded = runtime.load(package)
    except runtime.ManifestError as error:
        assert error.problems
        assert all(p and "\n" not in p for p in error.problems)
        str(error).encode("utf-8")  # shown as it is: no lone surrogate
    else:
        assert loaded.root == package


def test_the_original_loads(package: Path, original: bytes) -> None:
    (package / "manifest.json").write_bytes(original)
    assert runtime.load(package).program.id == "example"


@FUZZ
@given(raw=st.binary(max_size=500))
def test_arbitrary_bytes(package: Path, raw: bytes) -> None:
    _loads_or_refuses(package, raw)


@FUZZ
@given(text=JSONISH)
def test_json_like_text(package: Path, text: str) -> None:
    _loads_or_refuses(package, text.encode("utf-8"))


@FUZZ
@given(data=st.data())
def test_real_manifest_with_bytes_changed(
    package: Path, original: bytes, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(original)))
    end = data.draw(st.integers(start, min(start + 8, len(original))))
    insert = data.draw(st.binary(max_size=8))
    _loads_or_refuses(package, original[:start] + insert + original[end:])


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(s for v in value.values() for s in _strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def _like(value: Any, strings: list[str], data: st.DataObject) -> Any:
    """Often a value of the same type as `value` (so that the schema may still hold), else any."""
    if isinstance(value, str) and data.draw(st.booleans()):
        return data.draw(st.sampled_from(strings))
    if isinstance(value, int) and not isinstance(value, bool) and data.draw(st.booleans()):
        return value + data.draw(st.integers(-2, 2))
    return data.draw(JSON_VALUES)


def _replace_somewhere(value: Any, strings: list[str], data: st.DataObject) -> Any:
    """`value` with one value somewhere inside it changed or removed."""
    keys = list(value) if isinstance(value, dict) else list(range(len(value)))
    if not keys or data.draw(st.integers(0, 9)) == 0:
        return _like(value, strings, data)
    key = data.draw(st.sampled_from(keys))
    copy = dict(value) if isinstance(value, dict) else list(value)
    if data.draw(st.integers(0, 9)) == 0:
        del copy[key]
    elif isinstance(copy[key], dict | list):
        copy[key] = _replace_somewhere(copy[key], strings, data)
    else:
        copy[key] = _like(copy[key], strings, data)
    return copy


@FUZZ
@given(data=st.data())
def test_real_manifest_with_a_value_changed(
    package: Path, original: bytes, data: st.DataObject
) -> None:
    value = json.loads(original)
    mutated = _replace_somewhere(value, _strings(value), data)
    _loads_or_refuses(package, json.dumps(mutated).encode("utf-8"))
