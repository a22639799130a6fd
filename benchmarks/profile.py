"""Where a full build's time goes: the benchmark corpus built once, in one process, under
cProfile (`make profile`). Writes `benchmarks/results/profile.txt`: the functions sorted by the
time spent in them and below them (cumulative), then by their own time, so the next change made
for speed starts from a picture rather than a guess.

    python -m benchmarks.profile --steps 2000

The build runs in this one process (no pool of workers), as one worker would run it: cProfile
sees one process only, and a worker's share of a pooled build is the same work.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import shutil
import tempfile
import time
from pathlib import Path
from unittest import mock

from sobc.package.build import build

from .corpus import generate

RESULTS = Path(__file__).parent / "results"
SHOWN = 40  # rows of each table


def profile(steps: int) -> str:
    """The two tables, headed by what was built and how long it took."""
    with tempfile.TemporaryDirectory() as tmp:
        programs = generate(Path(tmp) / "corpus", steps)
        out = Path(tmp) / "out"
        profiler = cProfile.Profile()
        started = time.perf_counter()
        with mock.patch.object(os, "cpu_count", return_value=1):  # no pool: one process
            profiler.enable()
            result = build([Path(tmp) / "corpus"], out)
            profiler.disable()
        took = time.perf_counter() - started
        if not result.ok:
            raise SystemExit(f"the corpus did not build: {result.diagnostics[:3]}")
        shutil.rmtree(out, ignore_errors=True)
    text = io.StringIO()
    text.write(
        f"A full build of the benchmark corpus ({len(programs)} programs, {steps} steps) in one "
        f"process: {took:.2f} s under the profiler (it slows every call; read the shares, not "
        "the seconds).\n\n"
    )
    for order, heading in (("cumulative", "time in it and below it"), ("tottime", "own time")):
        text.write(f"## By {heading}\n\n")
        stats = pstats.Stats(profiler, stream=text)
        stats.strip_dirs().sort_stats(order).print_stats(SHOWN)
    return text.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args()
    report = profile(args.steps)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "profile.txt").write_text(report, "utf-8")
    print(report[: report.index("\n")])
    print(f"wrote {RESULTS / 'profile.txt'}")


if __name__ == "__main__":
    main()
