"""Measure sobc against Hugo, MkDocs, the I/O floor and a baseline revision, side by side.

Every measurement is a fresh process; each repetition runs every tool once, one after the
other, so a slow spell on a noisy machine hits all of them alike. Ratios are what to compare.
Then edit-to-served (serve_loop.py) on each real program and a generated corpus. With
`--baseline REV`, that revision of sobc (in a venv of its own, see baseline.py) makes every
sobc build, validation and preview beside this checkout's, the two in turns.

    python -m benchmarks.run --sizes 2000,20000 --reps 3 --mkdocs PATH [--baseline REV]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import anchors, baseline, corpus, report, serve_loop, worst

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_LIMIT_S = 600.0
REAL_PROGRAMS = ("artrosskola", "sjukskrivningskollen", "plus")


@dataclass
class Series:
    """The repetitions of one measurement."""

    seconds: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)

    def add(self, seconds: float, peak_kb: int) -> None:
        self.seconds.append(seconds)
        self.peak_kb.append(peak_kb)

    def summary(self) -> dict[str, Any]:
        return {
            "min_s": round(min(self.seconds), 4),
            "median_s": round(statistics.median(self.seconds), 4),
            "runs_s": [round(s, 4) for s in self.seconds],
            "peak_mb": round(max(self.peak_kb) / 1024, 1),
        }


def tree_rss_kb(pid: int) -> int:
    """Resident memory (KiB) of a process and all its descendants, read from /proc; 0 elsewhere.

    Pages a forked child shares with its parent count twice: an upper bound, never an under-count.
    """
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total


class TreeMemory:
    """Samples a process tree's summed resident memory every few milliseconds, in a thread.

    A build in two processes has two resident sets at once: max RSS (of one process) alone would
    report only the larger.
    """

    def __init__(self, pid: int, every_s: float = 0.01) -> None:
        self.pid, self.every_s, self.peak_kb = pid, every_s, 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.wait(self.every_s):
            self.peak_kb = max(self.peak_kb, tree_rss_kb(self.pid))

    def stop(self) -> int:
        self.done.set()
        self.thread.join()
        return self.peak_kb


def timed(
    cmd: list[str],
    cwd: Path | None = None,
    timeout: float | None = None,
    env: dict[str, str] | None = None,
) -> tuple[float, int]:
    """Wall time and peak memory (KiB) of one fresh process (`env`: added to this one's);
    raises if it fails.

    Peak memory is the larger of the process's max RSS and the sampled sum over its process tree.
    """
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        full_env = {**os.environ, **env} if env else None
        proc = subprocess.Popen(cmd, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=err)
        if timeout is not None:
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise
            # the child is reaped already; its peak memory is then not known separately
            return time.perf_counter() - start, 0
        sampler = TreeMemory(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        tree_peak = sampler.stop()
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace")[-2000:]
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}:\n{message}")
        return elapsed, max(int(usage.ru_maxrss), tree_peak)


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    return path


def edit_one_step(program: Path, round_no: int) -> None:
    """Change one step's body: a line at the top of the first body of the first module."""
    module = sorted((program / "modules").glob("*.yaml"))[0]
    text = module.read_text(encoding="utf-8")
    marker = "        body: |\n"
    at = text.index(marker) + len(marker)
    module.write_text(text[:at] + f"          Redigerad {round_no}.\n\n" + text[at:], "utf-8")


def output_sizes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_size for p in out.rglob("*") if p.is_file()}


@dataclass
class Tools:
    python: str
    sobc: str
    hugo: str | None
    mkdocs: str | None
    baseline: str | None = None  # the baseline revision's sobc executable
    baseline_rev: str | None = None


def sides(tools: Tools, round_no: int) -> list[tuple[str, str]]:
    """(name, sobc executable) of this checkout and the baseline; which goes first alternates."""
    found = [("sobc", tools.sobc)]
    if tools.baseline:
        found.append(("baseline", tools.baseline))
    return found if round_no % 2 else found[::-1]


class SizeRun:
    """Everything measured on one corpus size."""

    def __init__(self, steps: int, work: Path, tools: Tools) -> None:
        self.steps = steps
        self.tools = tools
        self.dir = work / f"steps-{steps}"
        self.corpus = self.dir / "corpus"
        self.series: dict[str, Series] = {}
        self.notes: list[str] = []
        self.mkdocs_on = tools.mkdocs is not None

    def prepare(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        corpus.generate(self.corpus, self.steps)
        if self.tools.hugo:
            anchors.hugo_site(self.corpus, self.dir / "hugo-site")
        if self.mkdocs_on:
            anchors.mkdocs_project(self.corpus, self.dir / "mkdocs-project")

    def measure(
        self, name: str, cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
    ) -> None:
        seconds, peak = timed(cmd, cwd, env=env)
        self.series.setdefault(name, Series()).add(seconds, peak)
        print(f"  {self.steps:>6} steps  {name:<17} {seconds:8.3f} s  {peak / 1024:7.1f} MB")

    def repetition(self, round_no: int) -> None:
        builds = {}
        # each side its own build cache: both build the same folders, and a record of the
        # other's compile would make every no-op and one-step a full build
        caches: dict[str, dict[str, str]] = {}
        for name, sobc in sides(self.tools, round_no):
            out = fresh(self.dir / f"{name}-out")
            builds[name] = [sobc, "build", str(self.corpus), "--out", str(out), "--quiet"]
            caches[name] = {"SOBC_CACHE_DIR": str(self.dir / f"{name}-cache")}
        for kind in ("full", "no-op"):
            for name, build in builds.items():
                self.measure(f"{name} {kind}", build, env=caches[name])
        edit_one_step(self.corpus / "program-001", round_no)
        for name, build in builds.items():
            self.measure(f"{name} one-step", build, env=caches[name])
        sizes_file = self.dir / "output-sizes.json"
        if not sizes_file.exists():
            sizes = output_sizes(self.dir / "sobc-out")
            sizes_file.write_text(json.dumps(sizes), encoding="utf-8")
        floor_out = fresh(self.dir / "floor-out")
        floor = [self.tools.python, "-m", "benchmarks.floor", str(self.corpus), str(sizes_file)]
        self.measure("floor", [*floor, str(floor_out)], cwd=ROOT)
        if self.tools.hugo:
            site = self.dir / "hugo-site"
            dest = fresh(self.dir / "hugo-out")
            self.measure("hugo", [self.tools.hugo, "--quiet", "-s", str(site), "-d", str(dest)])
        if self.mkdocs_on and self.tools.mkdocs:
            dest = fresh(self.dir / "mkdocs-out")
            config = self.dir / "mkdocs-project" / "mkdocs.yml"
            self.measure(
                "mkdocs", [self.tools.mkdocs, "build", "-q", "-f", str(config), "-d", str(dest)]
            )

    def paired(self, top: str, bottom: str) -> float:
        """The median of the ratios within each repetition: a slow spell hits both alike."""
        return paired(self.series[top].seconds, self.series[bottom].seconds)

    def ratios(self) -> dict[str, float]:
        found = {
            "noop_over_full": self.paired("sobc no-op", "sobc full"),
            "one_step_over_full": self.paired("sobc one-step", "sobc full"),
            "full_over_floor": self.paired("sobc full", "floor"),
            "one_step_s": statistics.median(self.series["sobc one-step"].seconds),
            "full_peak_mb": max(self.series["sobc full"].peak_kb) / 1024,
        }
        if "hugo" in self.series:
            found["full_over_hugo"] = self.paired("sobc full", "hugo")
        if "mkdocs" in self.series:
            found["full_over_mkdocs"] = self.paired("sobc full", "mkdocs")
        if "baseline full" in self.series:
            for kind in ("full", "no-op", "one-step"):
                key = kind.replace("no-op", "noop").replace("-", "_")
                found[f"{key}_over_baseline"] = self.paired(f"sobc {kind}", f"baseline {kind}")
            peaks = self.series["sobc full"].peak_kb, self.series["baseline full"].peak_kb
            found["peak_over_baseline"] = paired(*peaks)
        return {k: round(v, 4) for k, v in found.items()}


def paired(tops: list[float] | list[int], bottoms: list[float] | list[int]) -> float:
    """The median of the ratios of the values of the same repetition."""
    return statistics.median(a / b for a, b in zip(tops, bottoms, strict=True))


def mkdocs_estimate(previous: SizeRun | None, steps: int) -> float | None:
    """MkDocs writes the whole navigation into every page: time grows with pages²."""
    if previous is None or "mkdocs" not in previous.series:
        return None
    seconds = statistics.median(previous.series["mkdocs"].seconds)
    return seconds * (steps / previous.steps) ** 2


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kb = 0
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def version(cmd: list[str]) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=60)
    except OSError:
        return "missing"
    return (done.stdout or done.stderr).strip().splitlines()[0] if done.returncode == 0 else "?"


def validate_programs(tools: Tools, round_no: int, validate: dict[str, Series]) -> None:
    """`sobc validate` of the three programs, by this checkout and by the baseline, each of its
    own revision's programs: the format grows, and an older sobc cannot read newer programs."""
    for name, sobc in sides(tools, round_no):
        src = Path(sobc).parents[2] / "src"  # where baseline.prepare put the revision's files
        own = src if name == "baseline" and (src / "programs").is_dir() else ROOT
        seconds, peak = timed([sobc, "validate", "programs"], cwd=own)
        validate.setdefault(name, Series()).add(seconds, peak)
        print(f"  {'':>6}        {name + ' validate':<17} {seconds:8.3f} s")


def validate_worst(work: Path, tools: Tools, seconds: dict[str, list[float]]) -> None:
    """`sobc validate` and `sobc lint` of the example program with and without the worst known
    shapes."""
    plain, worst_program, lint_program = worst.write(work)
    runs = {
        "plain": ("validate", plain),
        "worst": ("validate", worst_program),
        "lint_plain": ("lint", plain),
        "lint_worst": ("lint", lint_program),
    }
    for name, (command, program) in runs.items():
        seconds[name].append(worst.seconds(tools.sobc, command, program))
        print(f"  {'':>6}        {name:<17} {seconds[name][-1]:8.3f} s")


def about_baseline(tools: Tools) -> dict[str, Any]:
    """Which revision the baseline is, and the packages it has in other versions than .venv."""
    assert tools.baseline is not None
    rev = tools.baseline_rev or "?"
    return {
        "rev": rev,
        "commit": baseline.commit(rev) if tools.baseline_rev else None,
        "this_checkout": baseline.this_checkout(),
        "sobc": tools.baseline,
        "differing_packages": baseline.differing_packages(Path(tools.sobc), Path(tools.baseline)),
    }


def _reads(sobc: str, programs: Path) -> bool:
    """Whether this sobc validates the programs without an error."""
    done = subprocess.run([sobc, "validate", str(programs)], capture_output=True, check=False)
    return done.returncode == 0


def serve_loops(work: Path, tools: Tools, reps: int, edits: int, steps: int) -> dict[str, Any]:
    """Edit-to-served on each real program served alone and on the generated corpus."""
    servers = {"sobc": tools.sobc}
    if tools.baseline:
        servers["baseline"] = tools.baseline
    if tools.hugo:
        servers["hugo"] = tools.hugo
    sources = {n: serve_loop.copy_program(ROOT / "programs" / n, work) for n in REAL_PROGRAMS}
    sources[f"corpus-{steps}"] = serve_loop.generated_corpus(steps, work)
    found = {}
    for name, programs in sources.items():
        print(f"preparing edit-to-served: {name}")
        source = serve_loop.prepare(name, programs, tools.sobc, hugo=tools.hugo is not None)
        # an older baseline may not read today's programs (the format grows): it sits those out
        usable = {s: exe for s, exe in servers.items() if s != "baseline" or _reads(exe, programs)}
        found[name] = serve_loop.measure(source, usable, reps, edits).summary()
    return found


def run(
    sizes: list[int],
    reps: int,
    work: Path,
    tools: Tools,
    serve_edits: int = 8,
    serve_steps: int = 2000,
) -> dict[str, Any]:
    results: dict[str, Any] = {"machine": machine(), "sizes": {}}
    results["tools"] = {
        "sobc": version([tools.sobc, "--version"]),
        "hugo": version([tools.hugo, "version"]) if tools.hugo else "missing",
        "mkdocs": version([tools.mkdocs, "--version"]) if tools.mkdocs else "missing",
    }
    if tools.baseline:
        results["tools"]["baseline"] = version([tools.baseline, "--version"])
        results["baseline"] = about_baseline(tools)
    validate: dict[str, Series] = {}
    worst_shapes: dict[str, list[float]] = {
        name: [] for name in ("plain", "worst", "lint_plain", "lint_worst")
    }
    previous: SizeRun | None = None
    for steps in sizes:
        size = SizeRun(steps, work, tools)
        estimate = mkdocs_estimate(previous, steps)
        if size.mkdocs_on and estimate is not None and estimate > MKDOCS_LIMIT_S:
            size.mkdocs_on = False
            size.notes.append(
                f"mkdocs skipped: estimated {estimate:.0f} s from {previous.steps:,} steps "  # type: ignore[union-attr]
                "(time grows with pages², every page carries the whole navigation), "
                f"over the {MKDOCS_LIMIT_S:.0f} s limit"
            )
        if not tools.hugo:
            size.notes.append("hugo missing: not measured")
        print(f"preparing {steps:,} steps")
        size.prepare()
        for round_no in range(1, reps + 1):
            size.repetition(round_no)
            if previous is None:
                validate_programs(tools, round_no, validate)
                validate_worst(work, tools, worst_shapes)
        results["sizes"][str(steps)] = {
            "measurements": {k: s.summary() for k, s in size.series.items()},
            "ratios": size.ratios(),
            "notes": size.notes,
        }
        previous = size
    results["validate_series"] = validate["sobc"].summary()
    results["validate"] = round(statistics.median(validate["sobc"].seconds), 4)
    if "baseline" in validate:
        results["baseline_validate_series"] = validate["baseline"].summary()
        ratio = paired(validate["sobc"].seconds, validate["baseline"].seconds)
        results["validate_over_baseline"] = round(ratio, 4)
    results["worst_shapes"] = {k: round(statistics.median(v), 4) for k, v in worst_shapes.items()}
    results["worst_shapes"]["worst_ratio"] = worst.worst_ratio(results["worst_shapes"])
    if serve_edits:
        results["serve_edits"] = serve_edits
        results["serve"] = serve_loops(work / "serve", tools, reps, serve_edits, serve_steps)
    results["targets"] = report.verdicts(results)
    return results


def default_tools() -> tuple[str, str, str | None, str | None]:
    """This interpreter, the sobc beside it, and hugo and mkdocs from PATH."""
    sobc = str(Path(sys.executable).parent / "sobc")
    return sys.executable, sobc, shutil.which("hugo"), shutil.which("mkdocs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,20000", help="total steps, comma-separated")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "benchmarks" / ".work")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    python, sobc, hugo, mkdocs = default_tools()
    parser.add_argument("--mkdocs", default=mkdocs, help="mkdocs executable ('' to skip)")
    parser.add_argument("--hugo", default=hugo, help="hugo executable ('' to skip)")
    parser.add_argument("--baseline", default="", help="git revision to measure beside this one")
    parser.add_argument("--serve-edits", type=int, default=8, help="per server and repetition")
    parser.add_argument("--serve-steps", type=int, default=2000, help="corpus served")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.replace(",", " ").split()]
    # sobc is measured as installed: pip compiles an installed package's bytecode, while a
    # checkout run with PYTHONDONTWRITEBYTECODE would compile every module on every start.
    compileall.compile_dir(ROOT / "sobc", quiet=1)
    tools = Tools(python, sobc, args.hugo or None, args.mkdocs or None)
    if args.baseline:
        tools.baseline = str(baseline.prepare(args.baseline, args.work))
        tools.baseline_rev = args.baseline
    results = run(sizes, args.reps, args.work, tools, args.serve_edits, args.serve_steps)
    args.results.mkdir(parents=True, exist_ok=True)
    text = report.table(results)
    (args.results / "latest.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    (args.results / "latest.md").write_text(text, encoding="utf-8")
    print()
    print(text)


if __name__ == "__main__":
    main()
