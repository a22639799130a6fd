"""Whatever the bytes, the reader returns a document or diagnostics, never an exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sobc.source import parse_bytes

YAMLISH = st.text(
    alphabet=st.sampled_from([*list("ab:-[]{}&*!|>'\"#?,.\n\t 019~%@`\\"), "å", "\ufeff"]),
    max_size=200,
)


def _must_not_raise(raw: bytes) -> None:
    doc, problems = parse_bytes(raw, "fuzz.yaml")
    assert (doc is None) != (problems == [])
    for problem in problems:
        assert problem.location is not None and problem.location.line >= 1


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes(raw: bytes) -> None:
    _must_not_raise(raw)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text(text: str) -> None:
    _must_not_raise(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(YAMLISH)
def test_yaml_like_text(text: str) -> None:
    _must_not_raise(text.encode("utf-8"))
