"""The benchmark's parts at a tiny size, so they keep working; nothing here looks at the time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import sobc
from benchmarks import anchors, baseline, corpus, floor, profile, report, run, serve_loop, worst
from sobc.check.validation import validate

ROOT = Path(__file__).resolve().parent.parent


def test_generated_corpus_is_valid_and_sized_by_steps(tmp_path: Path) -> None:
    programs = corpus.generate(tmp_path / "corpus", 250)
    assert [p.name for p in programs] == ["program-001", "program-002"]
    outcome = validate(programs, strict=True)
    assert outcome.ok and outcome.diagnostics == []
    items = anchors.pages(tmp_path / "corpus")
    assert len(items) == 250
    bodies = [text for _, _, text in items]
    assert any("### Formulär" in text for text in bodies)
    again = corpus.generate(tmp_path / "again", 250)
    assert [p.read_bytes() for p in sorted(programs[0].rglob("*.yaml"))] == [
        p.read_bytes() for p in sorted(again[0].rglob("*.yaml"))
    ]


def test_anchor_sites_and_floor(tmp_path: Path) -> None:
    corpus.generate(tmp_path / "corpus", 20)
    assert anchors.hugo_site(tmp_path / "corpus", tmp_path / "hugo") == 20
    assert (tmp_path / "hugo" / "hugo.toml").is_file()
    assert len(list((tmp_path / "hugo" / "content").rglob("*.md"))) == 20
    assert anchors.mkdocs_project(tmp_path / "corpus", tmp_path / "mkdocs") == 20
    assert (tmp_path / "mkdocs" / "docs" / "index.md").is_file()
    sizes = {"a/index.html": 10, "b/c.html": 0}
    parsed = floor.floor(tmp_path / "corpus", sizes, tmp_path / "floor")
    assert parsed == len(list((tmp_path / "corpus").rglob("*.yaml")))
    assert (tmp_path / "floor" / "a" / "index.html").read_bytes() == b"x" * 10


@pytest.mark.parametrize("name", ["artrosskola", "sjukskrivningskollen", "plus"])
def test_a_real_program_as_hugo_pages_one_per_step(tmp_path: Path, name: str) -> None:
    program = ROOT / "programs" / name
    loaded = sobc.load(program).program
    assert loaded is not None
    steps = [
        (module.id, step.id)
        for module in loaded.modules
        for s in module.sections
        for step in s.steps
    ]
    assert anchors.hugo_site(program, tmp_path / "hugo") == len(steps)
    for module_id, step_id in steps:
        assert (tmp_path / "hugo" / "content" / name / module_id / f"{step_id}.md").is_file()


def test_runner_writes_every_measurement_and_ratio(tmp_path: Path) -> None:
    tools = run.Tools(*run.default_tools()[:2], hugo=None, mkdocs=None)
    results = run.run([20], 1, tmp_path / "work", tools, serve_edits=1, serve_steps=20)
    size = results["sizes"]["20"]
    assert set(size["measurements"]) == {"sobc full", "sobc no-op", "sobc one-step", "floor"}
    assert {"noop_over_full", "one_step_over_full", "full_over_floor"} <= set(size["ratios"])
    assert "hugo missing: not measured" in size["notes"]
    targets = {row["target"] for row in results["targets"]}
    assert targets >= {"full_over_floor", "validate_s", "worst_shapes_validate_s"}
    assert results["worst_shapes"]["worst"] > 0 and results["worst_shapes"]["worst_ratio"] > 0
    assert set(results["serve"]) == {*run.REAL_PROGRAMS, "corpus-20"}
    for served in results["serve"].values():
        assert len(served["servers"]["sobc"]["runs_s"]) == 1
    json.dumps(results)
    assert "| sobc full |" in report.table(results)
    assert "| plus |" in report.table(results)
    assert "the worst known input shapes" in report.table(results)


def test_runner_measures_a_baseline_beside_this_checkout(tmp_path: Path) -> None:
    # This checkout's sobc stands in for a baseline revision's (baseline.py installs those).
    python, sobc = run.default_tools()[:2]
    tools = run.Tools(python, sobc, hugo=None, mkdocs=None, baseline=sobc, baseline_rev="HEAD")
    results = run.run([20], 1, tmp_path / "work", tools, serve_edits=0)
    size = results["sizes"]["20"]
    for kind in ("full", "no-op", "one-step"):
        assert {f"sobc {kind}", f"baseline {kind}"} <= set(size["measurements"])
    ratios = {"full", "noop", "one_step", "peak"}
    assert {f"{r}_over_baseline" for r in ratios} <= set(size["ratios"])
    assert results["baseline"]["commit"] == baseline.commit("HEAD")
    assert results["baseline"]["this_checkout"].startswith(baseline.commit("HEAD")[:7])
    assert "validate_over_baseline" in results
    assert {row["target"] for row in results["targets"]} >= {"noop_over_baseline"}
    json.dumps(results)
    assert "| baseline one-step |" in report.table(results)


def test_a_baseline_revision_is_its_files(tmp_path: Path) -> None:
    head = baseline.commit("HEAD")
    assert len(head) == 40
    baseline.extract(head, tmp_path / "src")
    assert (tmp_path / "src" / "pyproject.toml").is_file()
    assert (tmp_path / "src" / "sobc" / "__init__.py").is_file()
    with pytest.raises(ValueError):
        baseline.commit("no-such-revision")


def test_the_edits_of_the_serve_loop_change_one_step_body(tmp_path: Path) -> None:
    programs = serve_loop.copy_program(ROOT / "programs" / "plus", tmp_path)
    module = serve_loop.edited_module(programs)
    module.write_text(serve_loop.add_to_yaml_body(module.read_text("utf-8"), "ordet"), "utf-8")
    loaded = sobc.load(programs / "plus")
    assert loaded.ok and loaded.program is not None
    bodies = [st.body or "" for m in loaded.program.modules for s in m.sections for st in s.steps]
    assert [b.startswith("ordet\n\n") for b in bodies if "ordet" in b] == [True]
    page = '---\ntitle: "Steg"\n---\n\nText.\n'
    assert (
        serve_loop.add_to_markdown(page, "ordet") == '---\ntitle: "Steg"\n---\n\nordet\n\nText.\n'
    )


def _serve_loop(tmp_path: Path, servers: dict[str, str]) -> dict[str, Any]:
    programs = serve_loop.generated_corpus(20, tmp_path)
    source = serve_loop.prepare("tiny", programs, run.default_tools()[1], hugo="hugo" in servers)
    before = source.sobc_page.file.read_bytes()
    summary = serve_loop.measure(source, servers, reps=1, edits=1).summary()
    assert source.sobc_page.file.read_bytes() == before
    assert source.sobc_page.path.startswith("/program-001/modul-1/")  # <program>/<module>/
    assert source.sobc_page.path.endswith(".html")
    if source.hugo_page is not None:
        assert source.hugo_page.path == "/program-001/modul-1/steg-1-1/"
    for name in servers:
        assert len(summary["servers"][name]["runs_s"]) == 1
    return summary


def test_serve_loop_with_sobc(tmp_path: Path) -> None:
    _serve_loop(tmp_path, {"sobc": run.default_tools()[1]})


def test_serve_loop_with_hugo_beside(tmp_path: Path) -> None:
    hugo = shutil.which("hugo")
    if hugo is None:
        pytest.skip("hugo is not installed (make bench installs it)")
    summary = _serve_loop(tmp_path, {"sobc": run.default_tools()[1], "hugo": hugo})
    assert "served_over_hugo" in summary["ratios"]


def test_the_worst_shapes_program_holds_them_and_fails_only_for_them(tmp_path: Path) -> None:
    plain, worst_program, lint_program = worst.write(tmp_path)
    assert validate([plain]).ok and validate([lint_program]).ok  # lint reads the paragraph
    codes = sorted({d.code for d in validate([worst_program]).diagnostics})
    assert codes == ["SOBC105", "SOBC106"]  # a line break in the title; lengths over the limit
    assert len((worst_program / "modules" / "grunder.yaml").read_bytes()) > 800_000
    assert len((lint_program / "program.yaml").read_bytes()) > 300_000
    sobc_command = str(Path(sobc.__file__).parents[1] / ".venv" / "bin" / "sobc")
    if Path(sobc_command).exists():
        assert worst.validate_seconds(sobc_command, worst_program) > 0
        assert worst.seconds(sobc_command, "lint", lint_program) > 0
    medians = {"plain": 0.2, "worst": 0.3, "lint_plain": 0.5, "lint_worst": 1.5}
    assert worst.worst_ratio(medians) == 3.0


def test_the_profile_names_where_a_build_spends_its_time() -> None:
    """`make profile` at a tiny size: both tables, and the build's own functions in them."""
    text = profile.profile(40)
    assert "40 steps" in text
    assert "## By time in it and below it" in text and "## By own time" in text
    assert "compile_program" in text and "write_package" in text
