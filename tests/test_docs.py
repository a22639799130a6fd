"""Every diagnostic code is documented and exercised by a test; the docs name no stale code."""

from __future__ import annotations

import re

from sobc.diagnostics import CODES
from sobc.kinds.questions import QUESTION_TYPES
from sobc.kinds.triggers import KINDS as TRIGGER_KINDS

from .conftest import ROOT, TESTS

DIAGNOSTICS_DOC = (ROOT / "docs" / "diagnostics.md").read_text("utf-8")
DOCUMENTED = re.findall(r"^## (SOBC\d{3})", DIAGNOSTICS_DOC, re.MULTILINE)


def test_every_code_is_documented_once_and_in_order() -> None:
    assert list(CODES) == DOCUMENTED


def test_every_code_is_asserted_by_some_test() -> None:
    corpus = "".join(p.read_text("utf-8") for p in TESTS.rglob("*.py") if p.name != "test_docs.py")
    for cases in ("cases", "lint_cases"):
        corpus += "".join(p.read_text("utf-8") for p in (TESTS / cases).rglob("expected.json"))
    untested = [code for code in CODES if code not in corpus and code != "SOBC100"]
    assert untested == []


def test_authoring_reference_names_every_trigger_and_question_type() -> None:
    text = (ROOT / "docs" / "authoring.md").read_text("utf-8")
    for name in [*TRIGGER_KINDS, *QUESTION_TYPES]:
        assert f"`{name}`" in text, name


def test_the_pre_commit_hooks_run_sobc_validate_and_sobc_lint_once() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [(h["id"], h["entry"]) for h in hooks] == [
        ("sobc-validate", "sobc validate"),
        ("sobc-lint", "sobc lint"),
    ]
    assert all(h["language"] == "python" and h["pass_filenames"] is False for h in hooks)


def test_the_ci_workflow_validates_builds_and_keeps_the_build() -> None:
    import yaml

    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "sobc.yml").read_text("utf-8"))
    steps = workflow["jobs"]["sobc"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    runs = [step.get("run", "") for step in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert steps[1]["with"]["python-version"] == "3.11"
    assert "pip install" in runs[2] and "SOBC_SOURCE" in workflow["env"]
    assert runs[3:6] == [
        "sobc validate --strict --format github",
        "sobc lint --strict --format github",
        "sobc build --out build",
    ]
    assert uses[6] == "actions/upload-artifact" and steps[6]["with"]["path"] == "build/"
    assert "docs/ci/sobc.yml" in (ROOT / "README.md").read_text("utf-8")


def test_the_ci_workflow_signs_the_deployment_build_with_a_secret() -> None:
    """Authors' builds stay unsigned; the deployment job signs with a key from its secrets."""
    import yaml

    workflow = yaml.safe_load((ROOT / "docs" / "ci" / "sobc.yml").read_text("utf-8"))
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "sobc" and "refs/heads/main" in deploy["if"]
    assert deploy["environment"] == "deploy"
    build = next(step for step in deploy["steps"] if "--sign" in step.get("run", ""))
    assert build["env"]["SOBC_SIGNING_KEY"] == "${{ secrets.SOBC_SIGNING_KEY }}"
    assert "umask 077" in build["run"] and "rm -f" in build["run"]
    assert 'sobc build --out build --sign "$key"' in build["run"]
    assert all("--sign" not in step.get("run", "") for step in workflow["jobs"]["sobc"]["steps"])


def test_the_diff_rules_table_is_the_registry() -> None:
    """docs/diff.md has one table row per rule of sobc/diff/rules.py, in order, saying the same."""
    from sobc.diff.rules import RULES

    text = (ROOT / "docs" / "diff.md").read_text("utf-8")
    rows = re.findall(r"^\| `([a-z-]+)` \| (.+) \| ([a-z-]+) \| (.+) \|$", text, re.MULTILINE)
    assert rows == [(r.id, r.detects, str(r.change_class), r.why) for r in RULES]


def test_the_readme_answers_an_author_and_leaves_the_benchmarks_to_their_own_page() -> None:
    """The site theme, what exit 0 means when there are warnings, how to look at the output; the
    benchmarks' table and method are in benchmarks/README.md, the README keeps a summary."""
    readme = (ROOT / "README.md").read_text("utf-8")
    benchmarks = (ROOT / "benchmarks" / "README.md").read_text("utf-8")
    assert "`site.yaml`" in readme and "theme" in readme
    assert "warnings alone exit 0, and 1 with `--strict`" in readme
    assert "open `build/index.html` in a browser" in readme
    assert "| measurement |" in benchmarks and "| measurement |" not in readme
    section = readme[readme.index("\n## Benchmarks\n") :]
    assert len(section.splitlines()) < 15 and "benchmarks/README.md" in section
