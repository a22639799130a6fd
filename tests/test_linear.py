"""Linear time on every input: validating and rendering a program whose field holds an
adversarial shape (a long run of one character, a long line, deep nesting, many table columns,
many delimiters) costs about four times as much when the shape is four times as long.

The budget is a ratio measured side by side in one run (CPU time of 4n over n, the best of
three), not seconds: a quadratic rule gives about 16, a linear one about 4. Hypothesis picks the
field, the shape and its character. A shape found quadratic once (a schema pattern with two
`[^\\n]*` around `\\S` took 16 s on an 80,000-character title) is among the examples.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sobc.check.validation import validate_program
from sobc.render import markdown

from .conftest import EXAMPLE

SMALL = 20_000  # characters; and four times as many
LIMIT = 8.0  # linear ≈ 4, quadratic ≈ 16

SHAPES: dict[str, Callable[[str, int], str]] = {
    "run": lambda ch, n: ch * n,
    "run then line break": lambda ch, n: ch * n + "\nA",
    "run then space": lambda ch, n: ch * n + " !",
    "pairs": lambda ch, n: (ch + "a") * (n // 2),
    "brackets": lambda ch, n: "[" * (n // 2) + ch + "]" * (n // 2),
    "table columns": lambda ch, n: "|" + (ch + "|") * (n // 2) + "\n|" + "-|" * (n // 2) + "\n",
    "nested quotes": lambda ch, n: "> " * (n // 2) + ch,
}
CHARACTERS = ["x", " ", "|", "*", "_", "`", "[", "<", "!", ".", "@", "-", "\\", "ä"]


def _place(program: Path, field: str, value: str) -> None:
    """Put `value` into one field of the program (written as JSON, which is YAML)."""
    if field in ("title", "email"):
        path = program / "program.yaml"
        data = yaml.safe_load(path.read_text())
        if field == "title":
            data["title"] = value
        else:
            data["support"][0]["contacts"][0]["email"] = value
    elif field == "question":
        path = program / "forms" / "fragor.yaml"
        data = yaml.safe_load(path.read_text())
        data["questions"][0]["text"] = value
    else:
        path = program / "modules" / "grunder.yaml"
        data = yaml.safe_load(path.read_text())
        step = data["sections"][0]["steps"][1]  # the film: body and media
        if field == "body":
            step["body"] = value
        else:
            step["media"]["captions"] = "media/" + value + ".vtt"
    path.write_text(json.dumps(data, ensure_ascii=False))


def _cost(folder: Path, field: str, value: str) -> float:
    """CPU seconds to validate the program with `value` in `field` and render its bodies."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(EXAMPLE, folder)
    _place(folder, field, value)
    best = float("inf")
    for _ in range(3):
        markdown.parse.cache_clear()  # each run parses afresh
        markdown._html.cache_clear()
        start = time.process_time()
        validate_program(folder)
        markdown.to_html(value)
        best = min(best, time.process_time() - start)
    return best


@settings(max_examples=14, deadline=None, derandomize=True)
@given(
    field=st.sampled_from(["title", "body", "email", "question", "captions"]),
    shape=st.sampled_from(sorted(SHAPES)),
    character=st.sampled_from(CHARACTERS),
)
@example(field="title", shape="run then line break", character="x")
@example(field="email", shape="run then space", character=".")
@example(field="body", shape="table columns", character="a")
@example(field="body", shape="brackets", character="!")
def test_cost_grows_linearly(
    tmp_path_factory: object, field: str, shape: str, character: str
) -> None:
    root = Path(tmp_path_factory.mktemp("linear"))  # type: ignore[attr-defined]
    make = SHAPES[shape]
    small = _cost(root / "small", field, make(character, SMALL))
    large = _cost(root / "large", field, make(character, 4 * SMALL))
    assert large / max(small, 0.005) < LIMIT, (field, shape, character, small, large)


def _module_pages_size(tmp_path: Path, steps: int) -> int:
    """Bytes of the step pages of a module of `steps` text steps (the example program's first
    module made that long)."""
    from sobc.package.build import build

    program = tmp_path / f"n{steps}" / "example"
    shutil.copytree(EXAMPLE, program)
    listed = [{"id": "valkommen", "title": "Välkommen", "type": "text", "body": "Hej."}]
    listed += [
        {"id": f"steg-{i}", "title": f"Steg {i}", "type": "text", "body": "Text."}
        for i in range(steps - 1)
    ]
    listed.append({"id": "hur-mar-du", "title": "Hur mår du?", "type": "form", "forms": ["mabra"]})
    module = {"title": "Kom igång", "visibility": "always", "sections": []}
    module["sections"] = [{"id": "kom-igang", "title": "Kom igång", "steps": listed}]
    (program / "modules" / "kom-igang.yaml").write_text(json.dumps(module), "utf-8")
    out = tmp_path / f"out{steps}"
    assert build([program], out).ok
    pages = (out / "example" / "kom-igang").glob("*.html")
    return sum(p.stat().st_size for p in pages if p.name != "index.html")


def test_step_pages_grow_linearly_with_their_module(tmp_path: Path) -> None:
    """A step page lists its module's nearby steps, not all of them: a module four times as
    long makes about four times as many bytes of step pages, not sixteen."""
    small, large = _module_pages_size(tmp_path, 50), _module_pages_size(tmp_path, 200)
    assert large / small < 4.5
