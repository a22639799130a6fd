"""Whatever the bytes, the reader returns a document or diagnostics, never an exception, with
either parser."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sobc.read.source import Parser, parse_bytes

from .test_source import PARSERS

YAMLISH = st.text(
    alphabet=st.sampled_from([*list("ab:-[]{}&*!|>'\"#?,.\n\t 019~%@`\\"), "å", "\ufeff"]),
    max_size=200,
)


def _must_not_raise(raw: bytes, parser: Parser) -> None:
    doc, problems = parse_bytes(raw, "fuzz.yaml", parser=parser)
    assert (doc is None) != (problems == [])
    for problem in problems:
        assert problem.location is not None and problem.location.line >= 1


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes(raw: bytes, parser: Parser) -> None:
    _must_not_raise(raw, parser)


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_text(text: str, parser: Parser) -> None:
    _must_not_raise(text.encode("utf-8", "surrogatepass"), parser)


@pytest.mark.parametrize("parser", PARSERS)
@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(text=YAMLISH)
def test_yaml_like_text(text: str, parser: Parser) -> None:
    _must_not_raise(text.encode("utf-8"), parser)
