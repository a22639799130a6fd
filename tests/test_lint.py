"""`sobc lint` through click's CliRunner (formats, --strict, --summary, exit codes), the
shipped programs linting clean under --strict, and the shipped language rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobc.cli import main
from sobc.lint import lint_program
from sobc.lint.registry import RULES, codes
from sobc.lint.wordlists import read_rules

from .conftest import EXAMPLE, PROGRAMS


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def with_warning(example: Path) -> Path:
    """The example with one finding that is a warning (SOBC510) in its welcome page's step."""
    module = example / "modules" / "kom-igang.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("Här börjar du.", "Här erhåller du stöd."), encoding="utf-8")
    return module


def with_error(example: Path) -> Path:
    module = example / "modules" / "kom-igang.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("Här börjar du.", "Ring 070-123 45 67."), encoding="utf-8")
    return module


def test_clean_program_exits_zero(runner: CliRunner) -> None:
    result = runner.invoke(main, ["lint", "--strict", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "1 program checked: no problems" in result.output


def test_a_warning_exits_zero_and_one_with_strict(runner: CliRunner, example: Path) -> None:
    module = with_warning(example)
    result = runner.invoke(main, ["lint", str(example)])
    assert result.exit_code == 0, result.output
    assert f"{module}:12:15: warning[SOBC510]: 'erhåller' is a bureaucratic word" in result.output
    assert "hint: write 'få' (Regeringskansliet, Svarta listan" in result.output
    strict = runner.invoke(main, ["lint", "--strict", str(example)])
    assert strict.exit_code == 1
    assert "error[SOBC510]" in strict.output


def test_personal_data_is_an_error(runner: CliRunner, example: Path) -> None:
    with_error(example)
    result = runner.invoke(main, ["lint", str(example)])
    assert result.exit_code == 1
    assert "error[SOBC532]" in result.output


def test_short_service_numbers_as_links_pass_strict(runner: CliRunner, example: Path) -> None:
    """`[112](tel:112)` and `[1177](tel:1177)` are no one's personal data (SOBC532)."""
    module = example / "modules" / "kom-igang.yaml"
    text = module.read_text(encoding="utf-8")
    calls = "Vid fara, ring [112](tel:112). Vid frågor, ring [1177 Vårdguiden](tel:1177)."
    module.write_text(text.replace("Här börjar du.", calls), encoding="utf-8")
    result = runner.invoke(main, ["lint", "--strict", str(example)])
    assert result.exit_code == 0, result.output


def test_validation_problems_come_first_and_the_rest_is_linted(
    runner: CliRunner, example: Path
) -> None:
    with_warning(example)
    grunder = example / "modules" / "grunder.yaml"
    grunder.write_text(grunder.read_text("utf-8").replace("title: Introduktion", "tittle: x"))
    result = runner.invoke(main, ["lint", "--format", "json", str(example)])
    assert result.exit_code == 1
    found = {d["code"] for d in json.loads(result.stdout)["diagnostics"]}
    assert {"SOBC101", "SOBC510"} <= found


def test_json_format_and_summary(runner: CliRunner, example: Path) -> None:
    with_warning(example)
    result = runner.invoke(main, ["lint", "--format", "json", "--summary", str(example)])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert (payload["errors"], payload["warnings"], payload["programs"]) == (0, 1, 1)
    (finding,) = payload["diagnostics"]
    assert finding["code"] == "SOBC510" and (finding["line"], finding["col"]) == (12, 15)
    (summary,) = payload["summary"].values()
    assert [m["module"] for m in summary["modules"]] == [
        "kom-igang",
        "grunder",
        "fordjupning",
        "avslappning",
        "somnskola",
        "skiftsomn",
    ]


def test_github_format(runner: CliRunner, example: Path) -> None:
    module = with_warning(example)
    result = runner.invoke(main, ["lint", "--format", "github", str(example)])
    assert result.exit_code == 0
    assert result.stdout.startswith(f"::warning file={module},line=12,col=15,title=SOBC510::")


def test_summary_table(runner: CliRunner) -> None:
    result = runner.invoke(main, ["lint", "--summary", str(PROGRAMS / "plus")])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split(": ")[1].startswith("median step LIX ")
    assert "median LIX" in lines[1] and "min/week" in lines[1]
    assert any(line.split()[0] == "stress" for line in lines[2:])


def _daily_diary(example: Path, optional: bool) -> None:
    """The example's weekly plan made a daily one (every patient's, unless `optional`)."""
    program = example / "program.yaml"
    text = program.read_text("utf-8")
    weekly = '    optional: true\n    schedule: {every: week, weekday: sunday, time: "18:00"}\n'
    daily = f"    optional: {str(optional).lower()}\n    schedule: {{every: day}}\n"
    assert weekly in text
    program.write_text(text.replace(weekly, daily), "utf-8")


def test_a_daily_diary_through_an_activity_plan_is_in_every_module_s_week(
    runner: CliRunner, example: Path
) -> None:
    """A plan's form is read each day it is due: its minutes a week count in each module's week
    (and in SOBC540), unless the plan is optional."""
    before = {m.module: m.weekly_minutes for m in lint_program(example).modules}
    _daily_diary(example, optional=False)
    linted = lint_program(example)
    plan = next(p for p in linted.plans if p.plan == "veckologg")
    assert (plan.fillings_a_week, plan.optional) == (7.0, False)
    assert plan.reading_minutes > 0 and plan.weekly_minutes == pytest.approx(
        7 * plan.reading_minutes
    )
    for module in linted.modules:
        if before[module.module] is None:
            assert module.weekly_minutes is None  # no length, no week
        else:
            assert module.weekly_minutes == pytest.approx(
                before[module.module] + plan.weekly_minutes
            )
    settings = "reading:\n  weekly_minutes: 1\n  words_per_minute: 20\n"
    (example / "sobc-lint.yaml").write_text(settings, "utf-8")
    warned = [d for d in lint_program(example).diagnostics if d.code == "SOBC540"]
    assert warned and all("minutes a week of activity plans" in d.message for d in warned)
    table = runner.invoke(main, ["lint", "--summary", str(example)]).output
    assert "veckologg: form veckologg, 7× a week:" in table


def test_an_optional_plan_is_not_in_the_modules_weeks(example: Path) -> None:
    before = {m.module: m.weekly_minutes for m in lint_program(example).modules}
    _daily_diary(example, optional=True)
    linted = lint_program(example)
    assert linted.plans[0].weekly_minutes > 0
    assert {m.module: m.weekly_minutes for m in linted.modules} == before


def test_a_path_that_is_no_program_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["lint", str(tmp_path)])
    assert result.exit_code == 2


def test_disabled_codes_are_not_reported(example: Path) -> None:
    with_warning(example)
    (example / "sobc-lint.yaml").write_text("disable: [SOBC510]\n", encoding="utf-8")
    assert lint_program(example).diagnostics == []


@pytest.mark.parametrize("name", ["artrosskola", "plus", "sjukskrivningskollen"])
def test_shipped_programs_lint_clean_strictly(name: str) -> None:
    outcome = lint_program(PROGRAMS / name, strict=True)
    assert [str(d.location) + " " + d.code for d in outcome.diagnostics] == []


@pytest.mark.parametrize("name", ["artrosskola", "plus", "sjukskrivningskollen"])
def test_readme_reports_the_median_step_lix(name: str) -> None:
    median = lint_program(PROGRAMS / name).median_lix
    assert median is not None
    readme = (PROGRAMS / name / "README.md").read_text("utf-8")
    assert f"median-LIX {median:.0f}" in readme.replace("median-LIX: ", "median-LIX ")


def test_the_shipped_language_rules_read_cleanly() -> None:
    rules, problems = read_rules(())
    assert problems == []
    assert rules.words and rules.abbreviations and rules.link_texts and rules.acronyms


def test_every_rule_reports_codes_of_its_own_in_the_lint_range() -> None:
    registered = [code for r in RULES for code in r.codes]
    assert len(registered) == len(set(registered))
    assert all("SOBC501" <= code <= "SOBC599" for code in codes())


def test_lint_md_lists_every_code_of_the_linter_with_a_source() -> None:
    from .conftest import ROOT

    text = (ROOT / "docs" / "lint.md").read_text("utf-8")
    rows = {
        line.split("|")[1].strip(): line for line in text.splitlines() if line.startswith("| SOBC")
    }
    assert sorted(rows) == sorted(codes() | {"SOBC500"})
    assert all(line.rstrip(" |").rsplit("|", 1)[1].strip() for line in rows.values())


def test_the_clinician_view_shows_a_steps_findings_beside_it(example: Path) -> None:
    from sobc.preview import PreviewServer

    from .test_serve import _get

    with_warning(example)
    server = PreviewServer([example])
    server.start()
    try:
        status, _, body = _get(server.url, "/_behandlare/example/kom-igang/valkommen.html")
        page = body.decode("utf-8")
        assert status == 200
        layer = page[page.index('class="clinician-layer"') :]
        assert "<li>&#39;erhåller&#39; is a bureaucratic word (rad 12). " in layer
        assert "<dt>Läsbarhetsindex (LIX)</dt><dd>För kort text för ett värde</dd>" in layer
        assert "<dt>Lästid</dt><dd>under en minut</dd>" in layer
        status, _, body = _get(server.url, "/_behandlare/example/grunder/introduktion.html")
        assert "Inga anmärkningar på språket." in body.decode("utf-8")
    finally:
        server.close()


def test_the_forms_to_use_are_never_flagged() -> None:
    """Every abbreviation form the rules recommend, and every plain word, passes its own rules."""
    rules, _ = read_rules(())
    words, abbreviations = rules.matchers()
    for r in rules.abbreviations:
        for form in r.use.replace("(eller ", "").replace(")", "").split():
            assert abbreviations.find(f"Skriv {form} här.") == [], form
    for r in rules.words:
        assert words.find(r.use) == [], r.use


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("t.ex. och bl.a. och dvs. och d.v.s. och osv. och m.m.", []),
        ("t ex, tex och t.ex", ["t ex", "tex", "t.ex"]),
        ("Bla bla", ["Bla", "bla"]),
        ("En kortex och en blandning", []),
    ],
)
def test_abbreviation_forms(text: str, found: list[str]) -> None:
    rules, _ = read_rules(())
    _, abbreviations = rules.matchers()
    assert [m.group() for m, _ in abbreviations.find(text)] == found


SECRET = "CI_DEPLOY_TOKEN=glpat-SUPERSECRET"


def test_a_rules_file_outside_the_settings_folder_is_never_read(
    runner: CliRunner, example: Path
) -> None:
    """Rules files named by an absolute path, by `..` or through a link out of the folder are
    refused by name: their content is never shown (it would be, in the problems found in it)."""
    secret = example.parent / "credentials.yaml"
    secret.write_text(f"words: {SECRET}\n", encoding="utf-8")
    (example / "link.yaml").symlink_to(secret)
    names = ["/proc/self/environ", "../credentials.yaml", str(secret), "link.yaml"]
    line = f"rules: [{', '.join(names)}]"
    (example / "sobc-lint.yaml").write_text(line + "\n", encoding="utf-8")
    done = runner.invoke(main, ["lint", str(example), "--format", "json"])
    found = json.loads(done.output)["diagnostics"]
    assert [(d["code"], d["line"], d["col"]) for d in found] == [
        ("SOBC500", 1, line.index(name) + 1) for name in names
    ]
    assert all("is not in this file's folder" in d["message"] for d in found)
    assert SECRET not in done.output and "PATH=" not in done.output


def test_a_settings_file_that_links_out_of_its_folder_is_never_read(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.yaml").write_text(f"rules: [{SECRET}]\n", encoding="utf-8")
    (example / "sobc-lint.yaml").symlink_to(elsewhere / "secret.yaml")
    done = runner.invoke(main, ["lint", str(example), "--format", "json"])
    (found,) = json.loads(done.output)["diagnostics"]
    assert found["code"] == "SOBC001" and "leads out of its folder" in found["message"]
    assert SECRET not in done.output and "elsewhere" not in done.output
