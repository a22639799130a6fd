"""Edit-to-served: from saving a source file to the preview server serving the changed page.

The author's loop. A server (`sobc serve`, or `hugo server` on the same content as one Hugo
page per step) runs on a free loopback port; once it serves the page, one step's body gets a
new first paragraph, a word never used before, and the page is asked for over HTTP every 5 ms
until it carries that word. Each server takes several edits in a row; the time of a server
is the median of its edits. The pauses before the edits are spread evenly over a second, so
the edits fall at every point of a server's own cycles: Hugo takes in file events every 500 ms,
and with a fixed pause of a whole second each edit would land at the same point of that tick
(always waiting almost 500 ms, or never).

The page of the edited step is found, not derived: a build with a probe word in that step
(`sobc build` into a scratch folder) shows which page carries it, and `anchors.pages` which
Hugo page. Both keep the probe's place when the real edits come.

    python -m benchmarks.serve_loop [PROGRAM…] --edits 8 [--hugo PATH]
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import anchors, corpus

HOST = "127.0.0.1"
POLL_S = 0.005  # between two requests for the page
EDIT_TIMEOUT_S = 30.0  # from saving to the page carrying the word
START_TIMEOUT_S = 300.0  # from starting the server to its first answer with the page
SETTLE_S = 0.5  # before each edit: the server has caught up and watches again …
SPREAD_S = 1.0  # … and a part of this, different for each edit of a session
STOP_TIMEOUT_S = 10.0
FIRST_BODY = re.compile(r"^ +body: [|>][^\n]*\n", re.MULTILINE)


def add_to_yaml_body(text: str, word: str) -> str:
    """The first step body in a module file (a block scalar) starts with a paragraph `word`."""
    found = FIRST_BODY.search(text)
    if found is None:
        raise ValueError("no step body written as a block (body: |) in this module file")
    at = found.end()
    indent = re.match(r" *", text[at:])
    assert indent is not None
    return text[:at] + f"{indent.group()}{word}\n\n" + text[at:]


def add_to_markdown(text: str, word: str) -> str:
    """A Hugo page (front matter, then the body) whose body starts with a paragraph `word`."""
    at = text.index("\n---\n", 1) + len("\n---\n")
    return text[:at] + f"\n{word}\n" + text[at:]


@contextmanager
def kept(file: Path) -> Iterator[str]:
    """The file's text, to edit at will: afterwards it is back as it was, times included, so
    a server started next sees nothing changed."""
    original, stamp = file.read_text(encoding="utf-8"), file.stat()
    try:
        yield original
    finally:
        file.write_text(original, encoding="utf-8")
        os.utime(file, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))


@dataclass(frozen=True)
class Page:
    """What an edit changes and where it shows: the source file, the edit, the page's URL path."""

    file: Path
    edit: Callable[[str, str], str]
    path: str


@dataclass(frozen=True)
class Source:
    """Programs prepared for the loop: what each server is given and the page it is asked for."""

    name: str
    programs: Path  # a folder of programs, for `sobc serve`
    sobc_page: Page
    site: Path | None = None  # the same content as a Hugo site
    hugo_page: Page | None = None


def edited_module(programs: Path) -> Path:
    """The module file whose first step body the loop edits: the first of the first program."""
    program = anchors.program_folders(programs)[0]
    return sorted((program / "modules").glob("*.yaml"))[0]


def sobc_page_of(programs: Path, sobc: str, probe: str) -> str:
    """The URL path of the page `sobc build` writes the probe word into (exactly one)."""
    with tempfile.TemporaryDirectory(prefix="serve-loop-probe-") as scratch:
        out = Path(scratch) / "out"
        build = [sobc, "build", str(programs), "--out", str(out), "--quiet"]
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
        pages = [p.relative_to(out).as_posix() for p in out.rglob("*.html")]
        found = [
            rel
            for rel in pages
            if not rel.startswith(".") and probe in (out / rel).read_text("utf-8")
        ]
    if len(found) != 1:
        raise RuntimeError(f"the probe word is on {len(found)} pages, not one: {found}")
    return "/" + found[0]


def hugo_page_of(programs: Path, probe: str) -> str:
    """The content path (relative, .md) of the Hugo page that carries the probe word."""
    found = [rel for rel, _, text in anchors.pages(programs) if probe in text]
    if len(found) != 1:
        raise RuntimeError(f"the probe word is in {len(found)} Hugo pages, not one: {found}")
    return found[0]


def prepare(name: str, programs: Path, sobc: str, hugo: bool) -> Source:
    """Find the edited step's pages (the probe), then write the Hugo site beside `programs`."""
    module, probe = edited_module(programs), "sobcbenchprobe"
    with kept(module) as original:
        module.write_text(add_to_yaml_body(original, probe), encoding="utf-8")
        sobc_path = sobc_page_of(programs, sobc, probe)
        hugo_rel = hugo_page_of(programs, probe) if hugo else None
    sobc_page = Page(module, add_to_yaml_body, sobc_path)
    if hugo_rel is None:
        return Source(name, programs, sobc_page)
    site = programs.parent / "hugo-site"
    anchors.hugo_site(programs, site)
    url = "/" + hugo_rel.removesuffix(".md") + "/"
    return Source(
        name, programs, sobc_page, site, Page(site / "content" / hugo_rel, add_to_markdown, url)
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def get(port: int, path: str) -> bytes | None:
    """The page's body when the server answers 200, else None."""
    conn = http.client.HTTPConnection(HOST, port, timeout=EDIT_TIMEOUT_S)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        return body if response.status == 200 else None
    except OSError:
        return None
    finally:
        conn.close()


@contextmanager
def running(cmd: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, its output in `log`; stopped (SIGTERM, then killed) on the way out."""
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def wait_served(proc: subprocess.Popen[bytes], port: int, path: str, log: Path) -> None:
    deadline = time.perf_counter() + START_TIMEOUT_S
    while get(port, path) is None:
        if proc.poll() is not None or time.perf_counter() > deadline:
            tail = log.read_text("utf-8", "replace")[-2000:]
            raise RuntimeError(f"the server never served {path}; the end of {log}:\n{tail}")
        time.sleep(0.05)


def edit_to_served(port: int, page: Page, original: str, word: str) -> float:
    """Seconds from saving the edited file to the server answering with the word."""
    edited, needle = page.edit(original, word), word.encode()
    start = time.perf_counter()
    page.file.write_text(edited, encoding="utf-8")
    while True:
        body = get(port, page.path)
        elapsed = time.perf_counter() - start
        if body is not None and needle in body:
            return elapsed
        if elapsed > EDIT_TIMEOUT_S:
            raise TimeoutError(f"{page.path} did not show the edit within {EDIT_TIMEOUT_S} s")
        time.sleep(POLL_S)


def session(cmd: list[str], page: Page, edits: int, log: Path, tag: str) -> list[float]:
    """Start a server (`cmd` ends with its port), time `edits` edits, stop it, undo the edits."""
    port, times = free_port(), []
    with kept(page.file) as original, running([*cmd, str(port)], log) as proc:
        wait_served(proc, port, page.path, log)
        for k in range(edits):
            time.sleep(SETTLE_S + SPREAD_S * (k + 0.5) / edits)
            times.append(edit_to_served(port, page, original, f"{tag}e{k}"))
    return times


@dataclass
class Loops:
    """The edits of every server on one source: per server, per repetition, each edit's time."""

    runs: dict[str, list[list[float]]] = field(default_factory=dict)

    def add(self, server: str, times: list[float]) -> None:
        self.runs.setdefault(server, []).append(times)

    def ratio(self, top: str, bottom: str) -> float:
        """The median of the ratios of the two servers' medians within each repetition."""
        pairs = zip(self.runs[top], self.runs[bottom], strict=True)
        return statistics.median(statistics.median(a) / statistics.median(b) for a, b in pairs)

    def summary(self) -> dict[str, Any]:
        found: dict[str, Any] = {"servers": {}, "ratios": {}}
        for server, reps in self.runs.items():
            every = [t for rep in reps for t in rep]
            found["servers"][server] = {
                "min_s": round(min(every), 4),
                "median_s": round(statistics.median(every), 4),
                "runs_s": [[round(t, 4) for t in rep] for rep in reps],
            }
        for other in ("hugo", "baseline"):
            if other in self.runs and "sobc" in self.runs:
                found["ratios"][f"served_over_{other}"] = round(self.ratio("sobc", other), 4)
        return found


def commands(source: Source, servers: dict[str, str]) -> dict[str, tuple[list[str], Page]]:
    """Each server's command line (without the port, which comes last) and its page."""
    found = {}
    for name, exe in servers.items():
        if name != "hugo":
            cmd = [exe, "serve", str(source.programs), "--host", HOST, "--port"]
            found[name] = (cmd, source.sobc_page)
        elif source.site is not None and source.hugo_page is not None:
            cmd = [exe, "server", "-s", str(source.site), "--bind", HOST, "--disableLiveReload"]
            found[name] = ([*cmd, "--noBuildLock", "--port"], source.hugo_page)
    return found


def measure(source: Source, servers: dict[str, str], reps: int, edits: int) -> Loops:
    """`reps` repetitions; in each, every server in turn (the order alternates) takes `edits`."""
    loops = Loops()
    order = list(commands(source, servers).items())
    for rep in range(1, reps + 1):
        for name, (cmd, page) in order if rep % 2 else order[::-1]:
            log = source.programs.parent / f"{name}-server.log"
            times = session(cmd, page, edits, log, f"sobcbench{name}r{rep}")
            loops.add(name, times)
            shown = " ".join(f"{t:.3f}" for t in times)
            print(f"  {source.name:<24} {name:<9} edit-to-served {shown} s")
    return loops


def copy_program(program: Path, work: Path) -> Path:
    """A copy of one program, alone in a folder of programs (edits never touch the original)."""
    programs = work / program.name / "programs"
    if programs.parent.exists():
        shutil.rmtree(programs.parent)
    shutil.copytree(program, programs / program.name)
    return programs


def generated_corpus(steps: int, work: Path) -> Path:
    """The generated corpus of `steps` steps (benchmarks/corpus.py), as a folder of programs."""
    programs = work / f"corpus-{steps}" / "programs"
    if programs.parent.exists():
        shutil.rmtree(programs.parent)
    corpus.generate(programs, steps)
    return programs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = Path(__file__).resolve().parent.parent
    parser.add_argument("programs", nargs="*", type=Path, default=[root / "programs" / "plus"])
    parser.add_argument("--edits", type=int, default=8)
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--hugo", default=shutil.which("hugo") or "", help="'' to skip")
    parser.add_argument("--work", type=Path, default=root / "benchmarks" / ".work" / "serve")
    args = parser.parse_args()
    sobc = str(Path(sys.executable).parent / "sobc")
    servers = {"sobc": sobc} | ({"hugo": args.hugo} if args.hugo else {})
    for program in args.programs:
        programs = copy_program(program, args.work)
        source = prepare(program.name, programs, sobc, hugo="hugo" in servers)
        print(measure(source, servers, args.reps, args.edits).summary())


if __name__ == "__main__":
    main()
