"""docs/authoring.md's numbered examples are executable: each is a fenced block with the info
string `json example` holding a program folder, a timeline and part of the output
(compared as the conformance suite compares, `conformance/README.md`), run here against the
reference engine, so a wrong date in the docs fails."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from sobc.package.build import build
from sobc.runtime import load
from sobc.runtime.engine import simulate
from sobc.runtime.result import as_json
from sobc.runtime.timeline import read_timeline

from .conftest import ROOT
from .test_conformance import compare

AUTHORING = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
BLOCK = re.compile(r"^```json example\n(.*?)^```$", re.MULTILINE | re.DOTALL)
EXAMPLES: list[dict[str, Any]] = [json.loads(m.group(1)) for m in BLOCK.finditer(AUTHORING)]


def test_the_examples_are_numbered_in_order_each_with_its_block() -> None:
    numbers = [int(n) for n in re.findall(r"^\*\*Example (\d+)[.:]", AUTHORING, re.MULTILINE)]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(EXAMPLES) == len(numbers) > 0


@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[f"example-{i + 1}" for i in range(len(EXAMPLES))]
)
def test_the_example_holds(example: dict[str, Any], tmp_path: Path) -> None:
    program = ROOT / example["program"]
    result = build([program], tmp_path)
    assert result.ok, result.diagnostics
    manifest = load(tmp_path / program.name)
    output = as_json(simulate(manifest, read_timeline(example["timeline"])))
    compare(output, example)
