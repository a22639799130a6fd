"""`sobc diff` as a whole: the shipped programs, packages, git revisions, the command line and
its formats. The rules one by one are in test_diff_rules.py."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobc.cli import main
from sobc.diagnostics import Location, Severity
from sobc.diff import UsageProblem, VersionPolicy, diff
from sobc.diff.text import plain, word_diff
from sobc.package.build import build
from sobc.runtime import load as load_manifest

from .conftest import EXAMPLE, PROGRAMS

SHIPPED = sorted(p for p in PROGRAMS.iterdir() if (p / "program.yaml").is_file())


def _replace(path: Path, text: str, replacement: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert content.count(text) == 1, text
    path.write_text(content.replace(text, replacement), encoding="utf-8")


def test_the_shipped_programs_against_themselves_report_nothing() -> None:
    result = diff(str(PROGRAMS), str(PROGRAMS))
    assert result.problems == [] and result.changes == []


@pytest.mark.parametrize("program", SHIPPED, ids=[p.name for p in SHIPPED])
def test_a_shipped_program_against_its_package_reports_nothing(
    program: Path, tmp_path: Path
) -> None:
    assert build([program], tmp_path / "out").ok
    package = tmp_path / "out" / program.name / "manifest.json"
    assert diff(str(package), str(program)).changes == []
    assert diff(str(program), str(package.parent)).changes == []


def test_done_when_an_option_value_changed_fails_and_a_rewording_passes(tmp_path: Path) -> None:
    """The issue's test: one option value of a shipped program changed, then one sentence
    reworded, each run as `sobc diff OLD NEW --format json --fail-on data-breaking`."""
    new = tmp_path / "plus"
    shutil.copytree(PROGRAMS / "plus", new)
    form = new / "forms" / "alkohol-mina-alkoholvanor.yaml"
    _replace(form, "{value: sova, label", "{value: somn, label")
    runner = CliRunner()
    args = ["diff", str(PROGRAMS / "plus"), str(new), "--format", "json"]
    result = runner.invoke(main, [*args, "--fail-on", "data-breaking"])
    assert result.exit_code == 1, result.output
    changes = json.loads(result.output)["changes"]
    removed = next(c for c in changes if c["rule"] == "option-removed")
    assert removed["class"] == "data-breaking"
    assert {"kind": "question", "id": "situationer"} in removed["path"]
    assert "situationer" in removed["element"]

    shutil.rmtree(new)
    shutil.copytree(PROGRAMS / "plus", new)
    _replace(
        new / "modules" / "stress.yaml",
        "ibland. Stress är kroppens",
        "ibland. Stress är ju kroppens",
    )
    result = runner.invoke(main, [*args, "--fail-on", "data-breaking"])
    assert result.exit_code == 0, result.output
    rules = [c["rule"] for c in json.loads(result.output)["changes"]]
    assert rules == ["text-changed", "version-not-bumped"]


def test_fail_on_counts_worse_classes_too(example: Path) -> None:
    _replace(example / "forms" / "veckologg.yaml", "max: 21", "max: 14")
    runner = CliRunner()
    base = ["diff", str(EXAMPLE), str(example), "--version-policy", "off"]
    assert runner.invoke(main, [*base, "--fail-on", "wording"]).exit_code == 1
    assert runner.invoke(main, [*base, "--fail-on", "data-breaking"]).exit_code == 1
    assert runner.invoke(main, base).exit_code == 0  # without --fail-on: a report, exit 0


def test_formats(example: Path) -> None:
    _replace(example / "forms" / "veckologg.yaml", "max: 21", "max: 14")
    _replace(example / "modules" / "grunder.yaml", "Lite text", "Lite mer text")
    runner = CliRunner()
    base = ["diff", str(EXAMPLE), str(example), "--format"]
    text = runner.invoke(main, [*base, "text"]).output
    assert "form 'veckologg'" in text and "[answer-range-narrowed]" in text
    assert "Lite {+mer+} text" in text  # the word-level diff of the rendered text
    markdown = runner.invoke(main, [*base, "markdown"]).output
    assert "| data-breaking | 2 |" in markdown and "<details>" in markdown
    assert "<ins>mer</ins>" in markdown
    github = runner.invoke(main, [*base, "github"]).output.splitlines()
    assert github[0].startswith("::")
    assert any(line.startswith("::error file=") and ",line=9," in line for line in github)


def test_usage_problems_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["diff", str(tmp_path / "missing"), str(EXAMPLE)]).exit_code == 2
    assert runner.invoke(main, ["diff", str(EXAMPLE), str(EXAMPLE), "nothing"]).exit_code == 2
    assert runner.invoke(main, ["diff", str(EXAMPLE)]).exit_code == 2
    assert runner.invoke(main, ["diff", str(tmp_path), str(EXAMPLE)]).exit_code == 2  # empty
    result = runner.invoke(main, ["diff", str(EXAMPLE), str(EXAMPLE), "--fail-on", "all"])
    assert result.exit_code == 2


def test_a_program_that_cannot_be_read_is_shown_and_nothing_compared(example: Path) -> None:
    _replace(example / "forms" / "veckologg.yaml", "type: number", "type: numbr")
    result = CliRunner().invoke(main, ["diff", str(EXAMPLE), str(example)])
    assert result.exit_code == 2
    assert "SOBC" in result.output and "cannot compare" in result.output


def test_named_programs_limit_the_comparison(tmp_path: Path) -> None:
    new = tmp_path / "programs"
    shutil.copytree(PROGRAMS, new)
    _replace(new / "plus" / "program.yaml", 'version: "3.0"', 'version: "3.1"')
    assert diff(str(PROGRAMS), str(new), ["artrosskola"]).changes == []
    assert diff(str(PROGRAMS), str(new), ["plus"]).changes == []  # a new version alone is no change


def test_a_declared_rename_is_in_the_manifest_and_the_diff(example: Path, tmp_path: Path) -> None:
    assert build([EXAMPLE], tmp_path / "old").ok
    _replace(
        example / "modules" / "grunder.yaml",
        "      - id: introduktion\n",
        "      - id: intro\n        renamed_from: introduktion\n",
    )
    assert build([example], tmp_path / "new").ok
    renames = {
        (r.kind, r.path, r.from_) for r in load_manifest(tmp_path / "new" / "example").renames
    }
    before = {
        (r.kind, r.path, r.from_) for r in load_manifest(tmp_path / "old" / "example").renames
    }
    assert renames - before == {("step", ("grunder", "intro"), "introduktion")}
    for old, new in [
        (tmp_path / "old" / "example", example),
        (tmp_path / "old" / "example", tmp_path / "new" / "example"),
        (EXAMPLE, tmp_path / "new" / "example" / "manifest.json"),
    ]:
        rules = [c.rule.id for c in diff(str(old), str(new)).changes]
        assert "element-renamed" in rules and "step-removed" not in rules, (old, new)


def test_a_manifest_side_compares_only_what_the_manifest_holds(
    example: Path, tmp_path: Path
) -> None:
    """A step's body is not in the manifest: against a package, its change is not seen."""
    assert build([EXAMPLE], tmp_path / "out").ok
    _replace(example / "modules" / "grunder.yaml", "Lite text", "Lite mer text")
    _replace(example / "forms" / "veckologg.yaml", "max: 21", "max: 14")
    changes = diff(str(tmp_path / "out" / "example"), str(example)).changes
    assert {c.rule.id for c in changes} == {"answer-range-narrowed", "major-version-not-bumped"}
    narrowed = next(c for c in changes if c.rule.id == "answer-range-narrowed")
    assert narrowed.location is not None and narrowed.location.line == 9  # NEW is a source


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with two commits: the example program, then one option value changed."""
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE, root / "programs" / "example")
    _git(root, "init", "-q")
    settings = [("user.name", "t"), ("user.email", "t@example.org"), ("commit.gpgsign", "false")]
    for key, value in settings:
        _git(root, "config", key, value)
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "first")
    _git(root, "tag", "v1")
    _replace(root / "programs/example/forms/fragor.yaml", "{value: c,", "{value: somn,")
    _git(root, "commit", "-qam", "second")
    monkeypatch.chdir(root)
    return root


def test_git_revisions_are_read_without_a_checkout(repo: Path) -> None:
    (repo / "programs/example/forms/fragor.yaml").write_text("broken: [", encoding="utf-8")
    before = _git(repo, "status", "--porcelain")
    result = diff("v1", "HEAD")  # the work tree's broken file is never read
    assert result.problems == []
    removed = next(c for c in result.changes if c.rule.id == "option-removed")
    assert removed.location is not None
    assert removed.location.path == "programs/example/forms/fragor.yaml"  # as in the work tree
    assert _git(repo, "status", "--porcelain") == before


def test_a_revision_against_the_work_tree(repo: Path) -> None:
    _replace(repo / "programs/example/forms/fragor.yaml", "{value: somn,", "{value: c,")
    assert diff("v1", ".").changes == []
    assert diff("v1", "programs/example").changes == []
    rules = {c.rule.id for c in diff("HEAD", "programs").changes}
    assert "option-removed" in rules


def test_revisions_refused(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageProblem, match="neither a path nor a revision"):
        diff("no-such-revision", "HEAD")
    outside = tmp_path / "elsewhere"
    shutil.copytree(EXAMPLE, outside / "example")
    with pytest.raises(UsageProblem, match="outside the repository"):
        diff("HEAD", str(outside))


def test_an_old_revision_today_s_reader_refuses_is_read_with_warnings_naming_it(
    repo: Path,
) -> None:
    """The revision `old` holds SOBC014 (unquoted '?' in brackets), fixed since: it is read
    as it was written, its problem a warning at `old:path`, not at the work tree's line."""
    form = repo / "programs/example/forms/veckologg.yaml"
    unquoted = "  - {id: datum, type: date, text: Vilket datum?}\n"
    _replace(form, "  - id: datum\n    type: date\n    text: Datum\n", unquoted)
    _git(repo, "commit", "-qam", "unquoted")
    _git(repo, "tag", "old")
    _replace(form, unquoted, unquoted.replace("Vilket datum?", '"Vilket datum?"'))
    _git(repo, "commit", "-qam", "quoted")
    result = diff("old", "HEAD")
    [problem] = result.problems
    assert (problem.code, problem.severity) == ("SOBC014", Severity.WARNING)
    assert problem.location == Location("old:programs/example/forms/veckologg.yaml", 11, 47)
    assert result.changes == []  # the text read whole, as libyaml reads it: the same question
    cli = CliRunner().invoke(main, ["diff", "old", "HEAD", "--fail-on", "cosmetic"])
    assert cli.exit_code == 0, cli.output
    assert "old:programs/example/forms/veckologg.yaml:11:47: warning[SOBC014]" in cli.output


def test_a_revision_that_cannot_be_read_is_an_error_naming_it(repo: Path) -> None:
    form = repo / "programs/example/forms/veckologg.yaml"
    _replace(form, "type: number", "type: numbr")
    _git(repo, "commit", "-qam", "broken")
    cli = CliRunner().invoke(main, ["diff", "HEAD~1", "HEAD"])
    assert cli.exit_code == 2
    assert "HEAD:programs/example/forms/veckologg.yaml:5:11: error[SOBC104]" in cli.output


def test_word_diff_reads_the_rendered_text() -> None:
    assert plain("Ring **112** vid *fara*.") == "Ring 112 vid fara."
    assert word_diff("Ring **112**.", "Ring genast **112**.") == [
        ("=", "Ring"),
        ("+", "genast"),
        ("=", "112."),
    ]


@pytest.mark.parametrize(
    ("version", "policy", "findings"),
    [
        ("1.0", "semver", ["major-version-not-bumped"]),
        ("1.1", "semver", ["major-version-not-bumped"]),
        ("0.9", "semver", ["major-version-not-bumped"]),  # backwards is no new major
        ("2.0", "semver", []),
        ("1.1", "changed", []),
        ("1.0", "changed", ["version-not-bumped"]),
        ("1.0", "off", []),
    ],
)
def test_version_policy(example: Path, version: str, policy: str, findings: list[str]) -> None:
    _replace(example / "forms" / "veckologg.yaml", "max: 21", "max: 14")
    _replace(example / "program.yaml", 'version: "1.0"', f'version: "{version}"')
    changes = diff(str(EXAMPLE), str(example), policy=VersionPolicy(policy)).changes
    assert [c.rule.id for c in changes if "version" in c.rule.id] == findings


def test_a_label_is_text_not_a_limit(example: Path) -> None:
    form = example / "forms" / "fragor.yaml"
    _replace(form, "min_label: Ingen", "min_label: Ingen alls")
    _replace(
        example / "forms" / "veckologg.yaml", "    unit: pass\n", "    unit: pass\n    help: Alla\n"
    )
    result = diff(str(EXAMPLE), str(example), policy=VersionPolicy.OFF)
    assert result.problems == []
    assert {(c.rule.id, c.field) for c in result.changes} == {
        ("text-changed", "min_label"),
        ("text-changed", "help"),  # a text added
    }


def test_a_program_not_yet_in_a_revision_is_added(repo: Path) -> None:
    shutil.copytree(EXAMPLE, repo / "programs" / "andra")
    _replace(repo / "programs/andra/program.yaml", "id: example", "id: andra")
    [added] = diff("HEAD", "programs/andra").changes
    assert (added.rule.id, added.program) == ("element-added", "andra")


def test_links_in_a_revision_are_not_followed(repo: Path) -> None:
    (repo / "programs/example/forms/elsewhere.yaml").symlink_to("/etc/hostname")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "a link")
    result = diff("HEAD", "HEAD")
    assert result.problems == [] and result.changes == []


def test_colour_only_when_asked(example: Path) -> None:
    _replace(example / "forms" / "veckologg.yaml", "max: 21", "max: 14")
    runner = CliRunner()
    base = ["diff", str(EXAMPLE), str(example)]
    assert "\x1b[31m" in runner.invoke(main, [*base, "--color"]).output
    assert "\x1b[" not in runner.invoke(main, base).output  # not a terminal


def test_every_rule_is_told_to_clinicians_in_swedish() -> None:
    from sobc.diff import RULES
    from sobc.preview.changes import RULES_SV

    assert set(RULES_SV) == {r.id for r in RULES}


def test_the_preview_shows_what_changed_since(example: Path) -> None:
    from sobc.preview.changes import Since
    from sobc.preview.site import Site

    _replace(example / "modules" / "grunder.yaml", "Lite text", "Lite mer text")
    _replace(example / "forms" / "veckologg.yaml", "max: 21", "max: 14")
    site = Site([example], since=Since(str(EXAMPLE), [example]))
    try:
        assert site.rebuild().ok
        with site.lock:
            start = site.clinician_layer("example/index.html")
            module = site.clinician_layer("example/grunder/index.html")
        assert "Ändrat sedan" in start and "(version 1.0)" in start
        assert (
            "Tillåtna svar är snävare" in start and "formulär veckologg › fråga antal-pass" in start
        )
        assert "Lite <ins>mer</ins> text" in start
        assert "<code>21 → 14</code>" in start  # the old and new value, as every format shows
        assert "Ändrat sedan" not in module  # the program's start page only
    finally:
        site.close()


def test_serve_since_what_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(EXAMPLE), "--since", str(tmp_path / "x")])
    assert result.exit_code == 2 and "revision" in result.output
