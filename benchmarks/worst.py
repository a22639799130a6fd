"""The worst known input shapes, validated: what once made `sobc validate` quadratic.

A copy of the example program whose fields hold the shapes that took seconds or minutes before
they were fixed (docs/security.md, "Reading every input in linear time"): a title of 80,000
characters with a line break (a schema pattern backtracked: 16 s), a body line of 300,000 `|`
(a Markdown rule: 53 s), an e-mail address of 100,000 dots, and a body of 100,000 `[`. The
program is meant to fail validation (exit 1); the row is how long that takes, in a fresh
process, beside the same program without the shapes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from pathlib import Path

import yaml

EXAMPLE = Path(__file__).resolve().parent.parent / "tests" / "example"


def write(work: Path) -> tuple[Path, Path]:
    """The example program as it is (`plain`) and with the worst shapes (`worst`)."""
    plain, worst = (
        work / "worst-shapes" / "plain" / "example",
        work / "worst-shapes" / "worst" / "example",
    )
    for folder in (plain, worst):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(EXAMPLE, folder)
    program = yaml.safe_load((worst / "program.yaml").read_text())
    program["title"] = "x" * 80_000 + "\nA"
    program["support"][0]["contacts"][0]["email"] = "a@" + "." * 100_000 + " "
    (worst / "program.yaml").write_text(json.dumps(program, ensure_ascii=False))
    module = yaml.safe_load((worst / "modules" / "grunder.yaml").read_text())
    steps = module["sections"][0]["steps"]
    steps[0]["body"] = "|" * 300_000 + "\n-\n"
    steps[1]["body"] = "[" * 100_000
    (worst / "modules" / "grunder.yaml").write_text(json.dumps(module, ensure_ascii=False))
    return plain, worst


def validate_seconds(sobc: str, program: Path, timeout: float = 600) -> float:
    """Wall time of `sobc validate PROGRAM` in a fresh process; its problems are expected."""
    start = time.perf_counter()
    done = subprocess.run(
        [sobc, "validate", str(program)], capture_output=True, timeout=timeout, check=False
    )
    if done.returncode not in (0, 1):
        raise RuntimeError(f"sobc validate {program} exited {done.returncode}: {done.stderr!r}")
    return time.perf_counter() - start
