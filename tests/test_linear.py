"""Linear time on every input: validating and rendering a program whose field holds an
adversarial shape (a long run of one character, a long line, deep nesting, many table columns,
many delimiters) costs about four times as much when the shape is four times as long.

The budget is a ratio measured side by side in one run (CPU time of 4n over n, the best of
three), not seconds: a quadratic rule gives about 16, a linear one about 4. Hypothesis picks the
field, the shape and its character. A shape found quadratic once (a schema pattern with two
`[^\\n]*` around `\\S` took 16 s on an 80,000-character title) is among the examples.

Every shape is also tried in a step's body, where Markdown reads it, and `sobc lint` (whose
Swedish sentence splitting once searched all the text before each sentence: a 300 KB paragraph
took 88 s) is held to the same ratio on the shapes that end sentences; so is a file with many
unknown keys (each once looked for in a message naming them all: 150,000 took 80 s).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sobc.check.validation import validate_program
from sobc.lint import lint_program
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
    "link openings": lambda ch, n: ("[" + ch + "](") * (n // 4),
    "image openings": lambda ch, n: ("![" + ch) * (n // 3),
    "sentences": lambda ch, n: ("Det här är en mening" + ch + " ") * (n // 22),
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


def _validate_and_render(folder: Path, value: str) -> None:
    validate_program(folder)
    markdown.to_html(value)


def _lint(folder: Path, value: str) -> None:
    lint_program(folder)


def _cost(
    folder: Path, field: str, value: str, run: Callable[[Path, str], None] = _validate_and_render
) -> float:
    """CPU seconds to validate the program with `value` in `field` and render its bodies (or
    to do what `run` does with it), the best of three."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(EXAMPLE, folder)
    _place(folder, field, value)
    best = float("inf")
    for _ in range(3):
        markdown.parse.cache_clear()  # each run parses afresh
        markdown._html.cache_clear()
        start = time.process_time()
        run(folder, value)
        best = min(best, time.process_time() - start)
    return best


def _ratio(
    root: Path, field: str, make: Callable[[int], str], run: Callable[[Path, str], None]
) -> float:
    small = _cost(root / "small", field, make(SMALL), run)
    large = _cost(root / "large", field, make(4 * SMALL), run)
    return large / max(small, 0.005)


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


# Each shape with a character Markdown makes something of in it.
BODY_SHAPES = {
    "run": "*",
    "run then line break": "`",
    "run then space": "[",
    "pairs": "_",
    "brackets": "!",
    "table columns": "a",
    "nested quotes": ">",
    "link openings": "a",
    "image openings": "[",
    "sentences": ".",
}


@pytest.mark.parametrize(("shape", "character"), sorted(BODY_SHAPES.items()))
def test_every_markdown_shape_in_a_body(tmp_path: Path, shape: str, character: str) -> None:
    make = SHAPES[shape]
    ratio = _ratio(tmp_path, "body", lambda n: make(character, n), _validate_and_render)
    assert ratio < LIMIT, (shape, character, ratio)


def test_every_shape_is_tried_in_a_body() -> None:
    assert sorted(BODY_SHAPES) == sorted(SHAPES)


def _markdown_cost(text: str) -> float:
    """CPU seconds to parse and render a body, the best of three."""
    best = float("inf")
    for _ in range(3):
        markdown.parse.cache_clear()
        markdown._html.cache_clear()
        start = time.process_time()
        markdown.to_html(text)
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.parametrize("opening", ["[", "![", "[a]("])
def test_a_run_of_link_openings_costs_less_than_ordinary_emphasis(opening: str) -> None:
    """Linear was not enough: a run of 300,000 `[` took 8 s, twenty times ordinary text, each
    one scanning for a label end that could never come. Now a run of link openings costs less
    than half of as much text full of emphasis (`*a* *a* …`)."""
    size = SMALL
    emphasis = _markdown_cost("*a* " * (size // 4))
    assert _markdown_cost(opening * (size // len(opening))) < emphasis / 2


# What ends a Swedish sentence, or looks as if it might: each run long, in one paragraph.
SENTENCE_SHAPES: dict[str, Callable[[int], str]] = {
    "sentences": lambda n: "Det här är en mening. " * (n // 22),
    "stops": lambda n: "." * n,
    "stops and spaces": lambda n: ". " * (n // 2),
    "stops then a capital": lambda n: "." * n + " A",
    "a stop, spaces, no capital": lambda n: "Hej." + " " * n + "x",
    "a stop and closing brackets": lambda n: "Hej." + ")" * n + " A",
    "abbreviations": lambda n: "t.ex. " * (n // 6),
    "exclamations": lambda n: "Hej! " * (n // 5),
    "one long word": lambda n: "a" * n,
    "numbers": lambda n: "1 000 " * (n // 6),
}


@pytest.mark.parametrize("shape", sorted(SENTENCE_SHAPES))
def test_lint_splits_sentences_in_linear_time(tmp_path: Path, shape: str) -> None:
    ratio = _ratio(tmp_path, "body", SENTENCE_SHAPES[shape], _lint)
    assert ratio < LIMIT, (shape, ratio)


def _seconds(*command: str) -> float:
    """Wall time of a fresh `sobc` process; its problems are expected (exit 0 or 1)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sobc", *command], capture_output=True)
    assert done.returncode in (0, 1), done.stderr
    return time.perf_counter() - start


def test_lint_of_a_long_paragraph_takes_at_most_five_times_validating_it(tmp_path: Path) -> None:
    """A 300 KB paragraph, as a person runs the commands: `sobc lint` (which validates first)
    within five times `sobc validate` (it took 88 s, against 0.3 s)."""
    program = tmp_path / "example"
    shutil.copytree(EXAMPLE, program)
    _place(program, "body", "Det här är en mening med några ord i. " * (300_000 // 38))
    validated = min(_seconds("validate", str(program)) for _ in range(2))
    linted = min(_seconds("lint", str(program)) for _ in range(2))
    assert linted < 5 * validated, (linted, validated)


def _unknown_keys(folder: Path, count: int) -> float:
    """CPU seconds to validate the program with `count` unknown keys in program.yaml."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(EXAMPLE, folder)
    path = folder / "program.yaml"
    path.write_text(path.read_text() + "".join(f"k{i}: 1\n" for i in range(count)))
    start = time.process_time()
    _, problems = validate_program(folder)
    took = time.process_time() - start
    assert len([d for d in problems if d.code == "SOBC101"]) == count
    return took


def test_unknown_keys_are_reported_in_linear_time(tmp_path: Path) -> None:
    small = _unknown_keys(tmp_path / "small", 40_000)
    large = _unknown_keys(tmp_path / "large", 160_000)  # 1.8 MB: under the 2 MiB a file may have
    assert large / max(small, 0.005) < LIMIT, (small, large)


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
