"""`sobc build`: golden output, determinism, atomicity, incremental rebuilds, safe pages."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml

import sobc.package as package_module
from sobc.build import CACHE_FILE, BuildError, build

from .conftest import EXAMPLE, TESTS

GOLDEN = TESTS / "golden" / "example"


def tree(root: Path) -> dict[str, str]:
    """Every file under root (relative POSIX path) with its SHA-256; the build cache is left out:
    it records file times, it is the machine's, not part of any package."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and CACHE_FILE not in p.relative_to(root).parts
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
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and (p.suffix == ".html" or p.name == "manifest.json")
    }


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


def test_every_page_is_valid_html5(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([EXAMPLE], out)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) == 13
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
    assert result.programs == [] and result.rendered == 0
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example", "out"]


def test_nothing_is_written_for_a_broken_program(tmp_path: Path, example: Path) -> None:
    (example / "program.yaml").write_text("id: example\n")
    out = tmp_path / "out"
    assert not build([example], out).ok
    assert not out.exists()


def test_crash_while_rendering_leaves_output_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([EXAMPLE], out)
    (out / CACHE_FILE / "index.json").write_text('{"format": 4}')  # force rendering
    before = tree(out)
    calls = []

    def broken(page: Any) -> bytes:
        calls.append(page)
        if len(calls) > 3:
            raise RuntimeError("disk on fire")
        return b""

    monkeypatch.setattr(package_module, "render", broken)
    with pytest.raises(RuntimeError):
        build([EXAMPLE], out)
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_strict_refuses_warnings(tmp_path: Path, example: Path) -> None:
    (example / "notes.txt").write_text("a stray file\n")
    (example / "modules" / "notes.txt").write_text("a stray file\n")
    out = tmp_path / "out"
    result = build([example], out, strict=True)
    assert any(d.code == "SOBC205" for d in result.diagnostics)
    assert not out.exists()
    assert build([example], out).ok and out.exists()


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


def test_incremental_no_change_renders_nothing(tmp_path: Path, example: Path) -> None:
    out = tmp_path / "out"
    first = build([example], out)
    assert first.rendered == 13 and first.reused == 0
    again = build([example], out)
    assert again.rendered == 0 and again.reused == 13


def test_incremental_body_change(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([example], out)
    _edit_step(example, "introduktion", body="Ny text om grunderna.")
    spy = _Spy(monkeypatch)
    result = build([example], out)
    assert spy.paths == ["example/grunder/introduktion.html"]
    assert result.rendered == 1 and result.reused == 12
    assert "Ny text om grunderna." in (out / "example/grunder/introduktion.html").read_text()
    assert tree(out) == fresh(example, tmp_path)


def test_incremental_title_change(
    tmp_path: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([example], out)
    _edit_step(example, "film", title="En ny film")
    spy = _Spy(monkeypatch)
    build([example], out)
    allowed = {
        "example/grunder/film.html",
        "example/grunder/index.html",
        "example/grunder/introduktion.html",
        "example/grunder/fragor.html",
        "example/guide.html",
    }
    assert "example/grunder/film.html" in spy.paths
    assert set(spy.paths) <= allowed


def test_progress_reports_every_program_then_the_catalogue(tmp_path: Path) -> None:
    from .test_build_speed import two_programs

    seen: list[tuple[int, int, str]] = []
    programs = two_programs(tmp_path)
    build([programs], tmp_path / "out", progress=lambda d, t, label: seen.append((d, t, label)))
    assert seen == [(1, 3, "andra"), (2, 3, "example"), (3, 3, "index.html")]


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


def test_hostile_content_never_becomes_live_markup(tmp_path: Path, example: Path) -> None:
    _make_hostile(example)
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


def test_manifest_is_stable_json(tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([EXAMPLE], out)
    raw = (out / "example/manifest.json").read_text()
    data = json.loads(raw)
    assert raw == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


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
