"""`sobc build`: golden output, determinism, atomicity, rebuilding what changed, safe pages."""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml

import sobc.package.write as package_module
from sobc.package import digests
from sobc.package.build import BuildError, build
from sobc.package.record import RECORD
from sobc.read.loader import load
from sobc.render.pages import program_pages

from .conftest import EXAMPLE, ROOT, TESTS

GOLDEN = TESTS / "golden" / "example"
compiler = importlib.import_module("sobc.package.compiler")


def tree(root: Path) -> dict[str, str]:
    """Every file under root (relative POSIX path, hidden ones included) with its SHA-256."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def fresh(programs: Path, tmp_path: Path) -> dict[str, str]:
    """The tree a full build of `programs` writes into an empty folder."""
    target = tmp_path / "fresh"
    shutil.rmtree(target, ignore_errors=True)
    assert build([programs], target).ok
    return tree(target)


def html5_errors(data: bytes) -> list[object]:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(data)
    return list(parser.errors)


def _golden_files(root: Path) -> dict[str, bytes]:
    """The pages and the manifest; the manifest indented, so that a change to it reads as one in
    a review of the golden files (`test_the_manifest_is_written_compact` holds its bytes)."""
    return {
        p.relative_to(root).as_posix(): _indented(p.read_bytes())
        if p.suffix == ".json"
        else p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and (p.suffix == ".html" or p.name == "manifest.json")
    }


def _indented(data: bytes) -> bytes:
    text = json.dumps(json.loads(data), sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def test_the_manifest_is_written_compact(tmp_path: Path) -> None:
    """Sorted keys, no space between tokens, UTF-8 as written (no \\u escapes), one final
    newline: the bytes a signature covers are one and the same for the same program."""
    out = tmp_path / "out"
    assert build([EXAMPLE], out).ok
    data = (out / "example" / "manifest.json").read_bytes()
    assert data.count(b"\n") == 1 and data.endswith(b"}\n")
    assert b'": ' not in data and b'", "' not in data
    assert "Sömn".encode() in data and b"\\u00f6" not in data
    parsed = json.loads(data)
    assert list(parsed) == sorted(parsed)
    compact = json.dumps(parsed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert data == (compact + "\n").encode("utf-8")


def test_golden_example(tmp_path: Path, update_golden: bool) -> None:
    out = tmp_path / "out"
    result = build([EXAMPLE], out)
    assert result.ok, result.diagnostics
    actual = _golden_files(out / "example")
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, data in actual.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_bytes(data)
    expected = _golden_files(GOLDEN)
    assert sorted(actual) == sorted(expected), "run pytest --update-golden after a wanted change"
    for rel, data in expected.items():
        assert actual[rel].decode() == data.decode(), rel


def test_layout(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build([EXAMPLE], out)
    assert result.programs == ["example"]
    files = tree(out)
    for rel in (
        "index.html",
        "example/index.html",
        "example/guide.html",
        "example/manifest.json",
        "example/grunder/index.html",
        "example/grunder/fragor.html",
        "example/_media/film.vtt",
    ):
        assert rel in files
    assets = [f for f in files if f.startswith("example/_assets/")]
    assert len(assets) == 2 and all(len(Path(a).suffixes) == 2 for a in assets)


def _example_pages() -> int:
    """How many pages the example makes: the program's, the guide, its modules' and steps', and
    a page for each video's captions."""
    program = load(EXAMPLE).program
    assert program is not None
    return len(program_pages(program))


def test_every_page_is_valid_html5(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([EXAMPLE], out)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == _example_pages() + 1  # and the catalogue
    for page in pages:
        data = page.read_bytes()
        assert html5_errors(data) == [], page
        text = data.decode()
        assert text.startswith('<!DOCTYPE html>\n<html lang="sv">')
        assert "Content-Security-Policy" in text
        assert "style=" not in text and "<style" not in text
        assert "<script>" not in text


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build([EXAMPLE], first)
    build([EXAMPLE], second)
    assert tree(first) == tree(second)
    before = tree(first)
    build([EXAMPLE], first)
    assert tree(first) == before


def test_errors_leave_previous_output_untouched(tmp_path: Path, example: Path) -> None:
    out = tmp_path / "out"
    assert build([example], out).ok
    before = tree(out)
    module = example / "modules" / "grunder.yaml"
    module.write_text(module.read_text() + "unknown_key: 1\n")
    result = build([example], out)
    assert not result.ok
    assert result.programs == [] and result.pages == 0
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example", "out"]


def test_nothing_is_written_for_a_broken_program(tmp_path: Path, example: Path) -> None:
    (example / "program.yaml").write_text("id: example\n")
    out = tmp_path / "out"
    assert not build([example], out).ok
    assert not out.exists()


def test_crash_while_rendering_leaves_output_untouched(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([example], out)
    _edit_step(example, "introduktion", body="Ny text.")
    before = tree(out)
    calls = []

    def broken(page: Any) -> bytes:
        calls.append(page)
        if len(calls) > 3:
            raise RuntimeError("disk on fire")
        return b""

    monkeypatch.setattr(package_module, "render", broken)
    with pytest.raises(RuntimeError):
        build([example], out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example", "out"]


def test_strict_refuses_warnings(tmp_path: Path, example: Path) -> None:
    (example / "notes.txt").write_text("a stray file\n")
    (example / "modules" / "notes.txt").write_text("a stray file\n")
    out = tmp_path / "out"
    result = build([example], out, strict=True)
    assert any(d.code == "SOBC205" for d in result.diagnostics)
    assert not out.exists()
    assert build([example], out).ok and out.exists()


def test_an_output_without_sobcs_record_is_refused_and_left_alone(tmp_path: Path) -> None:
    """An output folder written by an earlier sobc (which kept no record, and maybe its cache
    inside) is sobc-shaped, but nothing proves it: refused, unchanged."""
    out = tmp_path / "out"
    assert build([EXAMPLE], out).ok
    (out / RECORD).unlink()
    (out / ".sobc-cache.json").write_text("{}")
    before = tree(out)
    with pytest.raises(BuildError, match=f"no record of a build by sobc \\({RECORD}\\)"):
        build([EXAMPLE], out)
    assert tree(out) == before


def test_someone_elses_folder_that_looks_like_sobcs_is_refused(tmp_path: Path) -> None:
    """An index.html, an _assets/ and a folder with a manifest.json are names, not proof."""
    out = tmp_path / "site"
    for rel, text in {
        "index.html": "<h1>Mine</h1>",
        "_assets/mine.css": "body {}",
        "webapp/manifest.json": "{}",
        "webapp/app.js": "run()",
    }.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text)
    before = tree(out)
    with pytest.raises(BuildError, match="no record of a build by sobc"):
        build([EXAMPLE], out)
    assert tree(out) == before


def test_a_file_added_to_a_package_is_never_removed(tmp_path: Path, example: Path) -> None:
    out = tmp_path / "out"
    assert build([example], out).ok
    (out / "example" / "notes.txt").write_text("mine")
    assert build([example], out).ok  # nothing to compile: nothing is removed
    _edit_step(example, "introduktion", body="Ny text om grunderna.")
    before = tree(out)
    with pytest.raises(BuildError, match=r"example/notes\.txt is not as sobc wrote it"):
        build([example], out)
    assert tree(out) == before
    (out / "example" / "notes.txt").unlink()
    assert build([example], out).rebuilt == ["example"]


def test_refuses_foreign_output_folder(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.txt").write_text("do not delete")
    with pytest.raises(BuildError):
        build([EXAMPLE], out)
    assert (out / "thesis.txt").read_text() == "do not delete"


def _edit_step(example: Path, step_id: str, **changes: str) -> None:
    path = example / "modules" / "grunder.yaml"
    data = yaml.safe_load(path.read_text())
    for section in data["sections"]:
        for step in section["steps"]:
            if step["id"] == step_id:
                step.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


class _Spy:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        real = package_module.render

        def spy(page: Any) -> bytes:
            self.paths.append(page.path)
            return real(page)

        monkeypatch.setattr(package_module, "render", spy)


def test_nothing_changed_renders_nothing(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    first = build([example], out)
    assert first.rebuilt == ["example"] and first.pages == _example_pages()
    spy = _Spy(monkeypatch)
    again = build([example], out)
    assert again.ok and again.rebuilt == [] and again.programs == ["example"]
    assert spy.paths == []


def test_a_changed_program_is_compiled_whole(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([example], out)
    _edit_step(example, "introduktion", body="Ny text om grunderna.")
    spy = _Spy(monkeypatch)
    result = build([example], out)
    assert result.rebuilt == ["example"]
    assert len(spy.paths) == _example_pages() + 1  # and the catalogue
    assert "Ny text om grunderna." in (out / "example/grunder/introduktion.html").read_text()
    assert tree(out) == fresh(example, tmp_path)


def test_a_change_to_sobc_itself_compiles_again(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([example], out)
    monkeypatch.setattr(digests, "compiler_digest", lambda: "another sobc")
    assert build([example], out).rebuilt == ["example"]


def test_the_output_holds_no_cache_and_no_machine_paths(tmp_path: Path) -> None:
    """Two builds of the same sources into two folders are identical, every file included."""
    first, second = tmp_path / "a", tmp_path / "elsewhere" / "b"
    assert build([EXAMPLE], first).ok and build([EXAMPLE], second).ok
    assert tree(first) == tree(second)
    assert [p.name for p in first.rglob(".*")] == [RECORD]  # sobc's record, of digests only
    for path in first.rglob("*"):
        if path.is_file():
            assert str(tmp_path).encode() not in path.read_bytes(), path
            assert str(EXAMPLE).encode() not in path.read_bytes(), path


def test_a_missing_or_damaged_cache_only_costs_time(
    tmp_path: Path, example: Path, build_cache: Path
) -> None:
    out = tmp_path / "out"
    build([example], out)
    before = tree(out)
    for record in (build_cache / "programs").iterdir():
        record.write_text("{not json")
    assert build([example], out).rebuilt == ["example"]
    assert tree(out) == before
    shutil.rmtree(build_cache)
    assert build([example], out).rebuilt == ["example"]
    assert tree(out) == before
    assert build([example], out).rebuilt == []


def test_a_package_changed_by_hand_is_not_overwritten(tmp_path: Path, example: Path) -> None:
    """The hand-made change is refused by name; once the package is removed it is written
    again, as it was."""
    out = tmp_path / "out"
    build([example], out)
    before = tree(out)
    manifest = out / "example" / "manifest.json"
    manifest.write_text(manifest.read_text() + " ")
    changed = tree(out)
    with pytest.raises(BuildError, match=r"example/manifest\.json is not as sobc wrote it"):
        build([example], out)
    assert tree(out) == changed
    shutil.rmtree(out / "example")
    assert build([example], out).rebuilt == ["example"]
    assert tree(out) == before


def test_warnings_are_reported_on_every_build(tmp_path: Path, example: Path) -> None:
    (example / "modules" / "notes.txt").write_text("a stray file\n")
    out = tmp_path / "out"
    for _ in range(2):
        result = build([example], out)
        assert result.ok and [d.code for d in result.diagnostics] == ["SOBC205"]
    assert not build([example], out, strict=True).ok


def test_the_compiled_programs_are_handed_back_when_asked(tmp_path: Path) -> None:
    result = build([EXAMPLE], tmp_path / "out", keep=True)
    assert [p.id for p in result.compiled] == ["example"]
    assert build([EXAMPLE], tmp_path / "other").compiled == []
    assert build([EXAMPLE], tmp_path / "out", keep=True).compiled == []  # nothing compiled


def _programs(tmp_path: Path, *ids: str) -> Path:
    """A folder of copies of the example program, named `ids`."""
    root = tmp_path / "programs"
    for pid in ids:
        shutil.copytree(EXAMPLE, root / pid)
        program = root / pid / "program.yaml"
        program.write_text(program.read_text().replace("id: example", f"id: {pid}", 1))
    return root


def _catalogue(out: Path) -> list[str]:
    text = (out / "index.html").read_text()
    return sorted(pid for pid in os.listdir(out) if f'href="{pid}/index.html"' in text)


def test_building_one_program_keeps_the_others(tmp_path: Path) -> None:
    programs = _programs(tmp_path, "alfa", "beta", "gamma")
    out = tmp_path / "out"
    assert build([programs], out).programs == ["alfa", "beta", "gamma"]
    kept = {p: v for p, v in tree(out).items() if not p.startswith(("beta/", RECORD))}
    _edit_step(programs / "beta", "introduktion", body="Ny text.")
    result = build([programs / "beta"], out)
    assert result.rebuilt == ["beta"] and result.programs == ["alfa", "beta", "gamma"]
    assert {p: v for p, v in tree(out).items() if not p.startswith(("beta/", RECORD))} == kept
    assert "Ny text." in (out / "beta/grunder/introduktion.html").read_text()
    assert _catalogue(out) == ["alfa", "beta", "gamma"]


def test_only_a_whole_folder_build_removes_programs(tmp_path: Path) -> None:
    programs = _programs(tmp_path, "alfa", "beta")
    out = tmp_path / "out"
    build([programs], out)
    shutil.rmtree(programs / "beta")
    assert build([programs / "alfa"], out).programs == ["alfa", "beta"]
    assert _catalogue(out) == ["alfa", "beta"]
    assert build([programs], out).programs == ["alfa"]
    assert not (out / "beta").exists() and _catalogue(out) == ["alfa"]


def test_a_pool_builds_what_one_process_builds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programs = _programs(tmp_path, "alfa", "beta", "gamma", "delta")
    monkeypatch.setattr(compiler, "POOL_MIN_PROGRAMS", 1)
    pooled = build([programs], tmp_path / "pooled", keep=True)
    monkeypatch.setattr(compiler, "POOL_MIN_PROGRAMS", 100)
    alone = build([programs], tmp_path / "alone")
    assert pooled.rebuilt == alone.rebuilt == ["alfa", "beta", "delta", "gamma"]
    assert [p.id for p in pooled.compiled] == ["alfa", "beta", "delta", "gamma"]
    assert tree(tmp_path / "pooled") == tree(tmp_path / "alone")


def test_a_pool_reports_what_one_process_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programs = _programs(tmp_path, "alfa", "beta", "gamma", "delta")
    (programs / "gamma" / "program.yaml").write_text("id: gamma\n")
    monkeypatch.setattr(compiler, "POOL_MIN_PROGRAMS", 1)
    pooled = build([programs], tmp_path / "out")
    monkeypatch.setattr(compiler, "POOL_MIN_PROGRAMS", 100)
    alone = build([programs], tmp_path / "out")
    assert not pooled.ok and pooled.diagnostics == alone.diagnostics
    assert not (tmp_path / "out").exists()


def test_progress_reports_every_program_compiled(tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    programs = _programs(tmp_path, "alfa", "beta")
    build([programs], tmp_path / "out", progress=lambda d, t, label: seen.append((d, t, label)))
    assert seen == [(1, 2, "alfa"), (2, 2, "beta")]


def test_staging_left_by_a_killed_build_is_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    left = tmp_path / ".out.new-killed"
    (left / "example").mkdir(parents=True)
    running = tmp_path / ".out.new-running"
    running.mkdir()
    lock = os.open(running, os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert build([EXAMPLE], out).ok
        assert not left.exists() and running.exists()  # another build still holds it
    finally:
        os.close(lock)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.new-running", "out"]


# Builds PROGRAMS into OUT and is killed (SIGKILL: no clean-up at all) right after its first
# change to the output; ONE_BY_ONE: as where the output cannot be exchanged as a whole.
KILLED_AT_THE_FIRST_CHANGE = """
import errno, os, signal, sys
from pathlib import Path
from sobc.package import output
from sobc.package.build import build

real = output.exchange

def exchange_then_die(a, b):
    real(a, b)
    os.kill(os.getpid(), signal.SIGKILL)

def busy(*args):
    raise OSError(errno.EBUSY, "busy")

output.exchange = exchange_then_die
if sys.argv[3] == "one by one":
    output._swap_whole = busy
build([Path(sys.argv[1])], Path(sys.argv[2]))
"""


def _listed_packages(out: Path) -> list[str]:
    """The packages the catalogue links to."""
    return sorted(re.findall(r'href="([a-z0-9-]+)/index\.html"', (out / "index.html").read_text()))


@pytest.mark.parametrize("how", ["whole output", "one by one"])
def test_a_build_killed_during_the_swap(tmp_path: Path, how: str) -> None:
    """Killed at its first change to the output: where the output can be exchanged as a whole,
    it holds the old build or the new, byte for byte; where it cannot, each package is whole
    and the catalogue lists no package that is not there."""
    programs = _programs(tmp_path, "alfa", "beta", "gamma")
    out = tmp_path / "out"
    assert build([programs], out).ok
    old = tree(out)
    for pid in ("alfa", "beta"):
        program = programs / pid / "program.yaml"
        program.write_text(program.read_text().replace('version: "1.0"', 'version: "2.0"'))
    shutil.rmtree(programs / "gamma")
    shutil.copytree(programs / "alfa", programs / "delta")
    delta = programs / "delta" / "program.yaml"
    delta.write_text(delta.read_text().replace("id: alfa", "id: delta", 1))
    new = fresh(programs, tmp_path)
    command = [sys.executable, "-c", KILLED_AT_THE_FIRST_CHANGE, str(programs), str(out), how]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, timeout=120, check=False)
    assert done.returncode == -9, done.stderr
    if how == "whole output":
        assert tree(out) == new
    else:
        assert tree(out) not in (old, new)  # a mix, as docs/security.md says
        assert all((out / pid / "manifest.json").is_file() for pid in _listed_packages(out))
    assert build([programs], out).ok and tree(out) == new  # the next build completes it


HOSTILE_BODY = """Hej <script>alert('x')</script> och <img src=x onerror="alert(1)">.

[Klicka](javascript:alert(1)) [igen](JaVaScRiPt:alert(2)) <a href="javascript:alert(3)">a</a>

![bild](javascript:alert(4)) <iframe src="https://evil.example"></iframe>
"""


def _make_hostile(example: Path) -> None:
    path = example / "modules" / "kom-igang.yaml"
    data = yaml.safe_load(path.read_text())
    step = data["sections"][0]["steps"][0]
    step["body"] = HOSTILE_BODY
    step["title"] = "<script>alert(5)</script>"
    data["description"] = '<svg onload="alert(6)">'
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    form = example / "forms" / "fragor.yaml"
    text = form.read_text()
    text = text.replace("text: Mår du bra?", "text: 'Mår du <b onmouseover=\"alert(7)\">bra</b>?'")
    text = text.replace("label: Ja}", "label: '<script>alert(8)</script>'}")
    form.write_text(text)
    program = example / "program.yaml"
    pdata = yaml.safe_load(program.read_text())
    pdata["welcome"] = "[x](javascript:alert(9)) <script>alert(10)</script>"
    pdata["title"] = '"><script>alert(11)</script>'
    program.write_text(yaml.safe_dump(pdata, allow_unicode=True, sort_keys=False))


def _live_markup(data: bytes) -> list[str]:
    """Scripts, event handlers and javascript: URLs that a browser would act on."""
    problems = []
    doc = html5lib.parse(data, namespaceHTMLElements=False)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        own_script = el.tag == "script" and "_assets/" in el.get("src", "")
        if el.tag in ("script", "iframe", "svg", "object", "embed") and not own_script:
            problems.append(f"<{el.tag}>")
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"{el.tag} {name}")
            if name in ("href", "src", "action", "poster") and "script:" in value.lower():
                problems.append(f"{el.tag} {name}={value}")
    return problems


def test_links_the_pages_would_not_make_are_errors(tmp_path: Path, example: Path) -> None:
    _make_hostile(example)
    result = build([example], tmp_path / "out")
    errors = [d for d in result.diagnostics if d.code != "SOBC330"]
    refused = sorted((d.code, d.message.split(" links to ")[1]) for d in errors)
    assert refused == [
        ("SOBC321", "'JaVaScRiPt:alert(2)', which a page cannot link to"),
        ("SOBC321", "'javascript:alert(1)', which a page cannot link to"),
        ("SOBC321", "'javascript:alert(4)', which a page cannot link to"),
        ("SOBC321", "'javascript:alert(9)', which a page cannot link to"),
    ]
    # and each HTML element of the checked texts (body, description, welcome) is a warning
    warned = [d.message for d in result.diagnostics if d.code == "SOBC330"]
    assert sorted(m.split(" holds HTML ")[1].split(", which")[0] for m in warned) == [
        "'<a href=\"javascript:alert(3)\">'",
        "'<iframe src=\"https://evil.example\">'",
        "'<img src=x onerror=\"alert(1)\">'",
        "'<script>'",
        "'<script>'",
        "'<svg onload=\"alert(6)\">'",
    ]
    assert not (tmp_path / "out").exists()


def test_hostile_content_never_becomes_live_markup(tmp_path: Path, example: Path) -> None:
    _make_hostile(example)
    for path in (example / "modules" / "kom-igang.yaml", example / "program.yaml"):
        text = path.read_text()
        path.write_text(re.sub(r"!?\[\w+\]\((?:java|JaVa)[^)]*\)\)?", "", text))
    out = tmp_path / "out"
    result = build([example], out)
    assert result.ok, result.diagnostics
    pages = sorted(out.rglob("*.html"))
    assert pages
    for page in pages:
        data = page.read_bytes()
        assert _live_markup(data) == [], page
        assert html5_errors(data) == [], page
    step = (out / "example/kom-igang/valkommen.html").read_text()
    assert "&lt;script&gt;" in step


def test_exclusive_option_reaches_page_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert build([EXAMPLE], out).ok
    page = (out / "example" / "grunder" / "fragor.html").read_text(encoding="utf-8")
    assert 'value="inget" data-exclusive>' in page
    assert 'value="a">' in page  # ordinary alternatives carry no marker
    manifest = json.loads((out / "example" / "manifest.json").read_text(encoding="utf-8"))
    fragor = next(f for f in manifest["forms"] if f["id"] == "fragor")
    former = next(q for q in fragor["questions"] if q["id"] == "former")
    assert [o["value"] for o in former["options"] if o["exclusive"]] == ["inget"]


_SLOW_BUILD = """
import sys, time
import sobc, sobc.package.compiler
def slow(*args):
    print("compiling", flush=True)
    time.sleep(120)
sobc.package.compiler.compile_program = slow
sobc.package.compiler.POOL_MIN_PROGRAMS = 1
sobc.build([sys.argv[1]], sys.argv[2])
"""


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_no_worker_outlives_a_killed_build(tmp_path: Path) -> None:
    programs = _programs(tmp_path, "alfa", "beta")
    build_process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_BUILD, str(programs), str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert build_process.stdout is not None
        # two workers may print at once: "compilingcompiling\n"
        assert build_process.stdout.readline().startswith("compiling")
        workers = _children(build_process.pid)
        assert workers
    finally:
        build_process.kill()
        build_process.wait()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{w}").exists() for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if Path(f"/proc/{w}").exists()]
    assert build([programs], tmp_path / "out").ok  # and the next build clears its staging
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "programs"]


def test_a_pool_beside_another_thread_starts_its_workers_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sobc serve` builds while its server thread runs: forking then would be unsafe."""
    programs = _programs(tmp_path, "alfa", "beta", "gamma", "delta")
    monkeypatch.setattr(compiler, "POOL_MIN_PROGRAMS", 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert compiler._start_method().get_start_method() == "spawn"
        result = build([programs], tmp_path / "out")
    finally:
        stop.set()
        other.join()
    assert result.rebuilt == ["alfa", "beta", "delta", "gamma"]
    assert tree(tmp_path / "out") == fresh(programs, tmp_path)
