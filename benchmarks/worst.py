"""The worst known input shapes: what once made `sobc validate` or `sobc lint` slow.

Copies of the example program whose fields hold the shapes that took seconds or minutes before
they were fixed (docs/security.md, "Reading every input in linear time"):

- `worst`, for `sobc validate`: a title of 80,000 characters with a line break (a schema pattern
  backtracked: 16 s), a body line of 300,000 `|` (a Markdown rule: 53 s), an e-mail address of
  100,000 dots, and bodies of 100,000 `[`, 150,000 `![` and 75,000 `[a](` (each a label or
  address scan: 4–12 s). It fails validation (exit 1). (Many unknown keys, once quadratic, are
  not here: each is a problem reported, whose cost is the report's; `tests/test_linear.py`
  holds them to linear time.)
- `lint`, for `sobc lint`: a welcome text of one 300 KB paragraph of Swedish sentences (the
  sentence splitting searched all the text before each sentence: 88 s), which validates, so that
  every lint rule reads it.

Each is timed in a fresh process beside the example program as it is (`plain`); the worst ratio
of the two is what README reports (`python -m benchmarks.worst` measures it on its own).
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "example"
PARAGRAPH = "Det här är en mening med några ord i. " * (300_000 // 38)


def write(work: Path) -> tuple[Path, Path, Path]:
    """The example program as it is (`plain`), with the shapes for validation (`worst`) and
    with the one for lint (`lint`)."""
    root = work / "worst-shapes"
    plain, worst, lint = (root / name / "example" for name in ("plain", "worst", "lint"))
    for folder in (plain, worst, lint):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(EXAMPLE, folder)
    _worst_for_validation(worst)
    program = yaml.safe_load((lint / "program.yaml").read_text())
    program["welcome"] = PARAGRAPH
    (lint / "program.yaml").write_text(json.dumps(program, ensure_ascii=False))
    return plain, worst, lint


def _worst_for_validation(worst: Path) -> None:
    program = yaml.safe_load((worst / "program.yaml").read_text())
    program["title"] = "x" * 80_000 + "\nA"
    program["support"][0]["contacts"][0]["email"] = "a@" + "." * 100_000 + " "
    (worst / "program.yaml").write_text(json.dumps(program, ensure_ascii=False))
    module = yaml.safe_load((worst / "modules" / "grunder.yaml").read_text())
    steps = module["sections"][0]["steps"]
    steps[0]["body"] = "|" * 300_000 + "\n-\n"
    steps[1]["body"] = "[" * 100_000 + "\n\n" + "![" * 150_000 + "\n\n" + "[a](" * 75_000
    (worst / "modules" / "grunder.yaml").write_text(json.dumps(module, ensure_ascii=False))


def seconds(sobc: str, command: str, program: Path, timeout: float = 600) -> float:
    """Wall time of `sobc COMMAND PROGRAM` in a fresh process; its problems are expected."""
    start = time.perf_counter()
    done = subprocess.run(
        [sobc, command, str(program)], capture_output=True, timeout=timeout, check=False
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"sobc {command} {program} exited {done.returncode}: {done.stderr!r}")
    return time.perf_counter() - start


def validate_seconds(sobc: str, program: Path, timeout: float = 600) -> float:
    return seconds(sobc, "validate", program, timeout)


def measure(sobc: str, work: Path, reps: int = 3) -> dict[str, float]:
    """Medians of `reps` fresh runs: validate plain and worst, lint plain and with the shape."""
    plain, worst, lint = write(work)
    runs = {
        "plain": ("validate", plain),
        "worst": ("validate", worst),
        "lint_plain": ("lint", plain),
        "lint_worst": ("lint", lint),
    }
    found: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(reps):
        for name, (command, program) in runs.items():
            found[name].append(seconds(sobc, command, program))
    return {name: round(statistics.median(times), 4) for name, times in found.items()}


def worst_ratio(medians: dict[str, float]) -> float:
    """The largest of worst ÷ plain, for validate and for lint."""
    ratios = [medians["worst"] / medians["plain"]]
    if "lint_worst" in medians:
        ratios.append(medians["lint_worst"] / medians["lint_plain"])
    return round(max(ratios), 2)


def main() -> None:
    sobc = str(Path(sys.executable).with_name("sobc"))
    medians = measure(sobc, Path(__file__).resolve().parent / ".work")
    for name, value in medians.items():
        print(f"{name:<12} {value:.3f} s")
    print(f"worst ratio  {worst_ratio(medians):.2f}")


if __name__ == "__main__":
    main()
