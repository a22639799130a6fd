"""`sobc validate` through click's CliRunner: output formats, strictness and exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobc.cli import main

from .conftest import EXAMPLE


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def broken(example: Path) -> Path:
    step = example / "modules" / "grunder.yaml"
    text = step.read_text(encoding="utf-8")
    step.write_text(text.replace("        title: Introduktion\n", "        tittle: Introduktion\n"))
    return step


def test_clean_program_exits_zero(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    assert "1 program checked: no problems" in result.output


def test_text_format_shows_location_code_source_line_and_hint(
    runner: CliRunner, example: Path
) -> None:
    broken(example)
    result = runner.invoke(main, ["validate", str(example)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    first = next(line for line in lines if "SOBC101" in line)
    assert first.endswith("error[SOBC101]: unknown key 'tittle' in item 1 of 'steps'")
    assert first.startswith(f"{example / 'modules' / 'grunder.yaml'}:24:9:")
    assert any("tittle: Introduktion" in line for line in lines)
    assert any(line.strip() == "hint: did you mean 'title'?" for line in lines)
    # every problem also missing 'title' is reported in the same run
    assert "SOBC102" in result.output


def test_json_format(runner: CliRunner, example: Path) -> None:
    broken(example)
    result = runner.invoke(main, ["validate", "--format", "json", str(example)])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["errors"] == 2 and payload["programs"] == 1
    assert {d["code"] for d in payload["diagnostics"]} == {"SOBC101", "SOBC102"}
    unknown = next(d for d in payload["diagnostics"] if d["code"] == "SOBC101")
    assert unknown["line"] == 24 and unknown["col"] == 9 and unknown["severity"] == "error"


def test_github_format(runner: CliRunner, example: Path) -> None:
    broken(example)
    result = runner.invoke(main, ["validate", "--format", "github", str(example)])
    assert result.exit_code == 1
    annotation = next(line for line in result.stdout.splitlines() if "SOBC101" in line)
    assert annotation.startswith("::error file=")
    assert ",line=24,col=9,title=SOBC101::unknown key 'tittle'" in annotation


def test_warnings_pass_unless_strict(runner: CliRunner, example: Path) -> None:
    (example / "forms" / "oanvand.yaml").write_text(
        "title: Oanvänd\nquestions:\n  - {id: a, type: date, text: Datum}\n", encoding="utf-8"
    )
    relaxed = runner.invoke(main, ["validate", str(example)])
    assert relaxed.exit_code == 0
    assert "warning[SOBC312]" in relaxed.output
    strict = runner.invoke(main, ["validate", "--strict", str(example)])
    assert strict.exit_code == 1
    assert "error[SOBC312]" in strict.output


def test_several_programs_are_validated_in_one_run(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "programs"
    for name in ("example", "other"):
        shutil.copytree(EXAMPLE, folder / name)
    other = folder / "other" / "program.yaml"
    other.write_text(other.read_text(encoding="utf-8").replace("id: example", "id: other"))
    broken(folder / "example")
    (folder / "other" / "modules" / "kom-igang.yaml").write_text("title: [\n", encoding="utf-8")
    result = runner.invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "SOBC101" in result.output and "SOBC004" in result.output
    assert "2 programs checked" in result.output


def test_default_is_programs_folder(runner: CliRunner, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "programs" / "example")
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(main, ["validate"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert "1 program checked" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "/no/such/folder"],
        ["validate", "--format", "xml"],
        ["validate", "--no-such-option"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_two(runner: CliRunner, args: list[str]) -> None:
    assert runner.invoke(main, args).exit_code == 2


def test_folder_without_programs_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a program folder" in result.output


def test_hostile_file_gives_diagnostics_not_a_traceback(runner: CliRunner, example: Path) -> None:
    (example / "forms" / "fragor.yaml").write_bytes(b"\x00\xff\xfe" * 50)
    (example / "modules" / "kom-igang.yaml").write_text("a: " + "[" * 100000, encoding="utf-8")
    result = runner.invoke(main, ["validate", str(example)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "SOBC003" in result.output and "SOBC010" in result.output


def test_loading_a_folder_without_program_yaml_is_a_diagnostic(tmp_path: Path) -> None:
    from sobc.read.loader import load

    result = load(tmp_path)
    assert result.program is None
    assert [d.code for d in result.diagnostics] == ["SOBC200"]


def test_build_command_writes_the_package_and_refuses_a_foreign_folder(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", str(EXAMPLE), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (out / "example" / "manifest.json").is_file()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    refused = runner.invoke(main, ["build", str(EXAMPLE), "--out", str(foreign)])
    assert refused.exit_code == 2
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_build_with_content_errors_exits_one_and_keeps_the_old_output(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert runner.invoke(main, ["build", str(example), "--out", str(out), "-q"]).exit_code == 0
    before = (out / "example" / "manifest.json").read_bytes()
    broken(example)
    result = runner.invoke(main, ["build", str(example), "--out", str(out)])
    assert result.exit_code == 1
    assert "SOBC101" in result.output
    assert (out / "example" / "manifest.json").read_bytes() == before


def test_build_says_what_it_built_and_what_was_up_to_date(
    runner: CliRunner, example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = runner.invoke(main, ["build", str(example), "--out", str(out)])
    assert first.exit_code == 0
    took = r"\d+\.\d s"
    assert re.fullmatch(
        rf"built 1 program into {re.escape(str(out))} \(17 pages\) in {took}; 0 unchanged\n",
        first.stdout,
    )
    again = runner.invoke(main, ["build", str(example), "--out", str(out)])
    assert re.fullmatch(
        rf"{re.escape(str(out))} is up to date \(1 program; {took}\)\n", again.stdout
    )


def test_progress_display_draws_a_bar_only_when_enabled(capsys: pytest.CaptureFixture[str]) -> None:
    from sobc.cli import Progress

    with Progress(enabled=True) as shown:
        shown.update(1, 4, "plus/index.html")
    drawn = capsys.readouterr().err
    assert "[######------------------] 1/4 plus/index.html" in drawn
    with Progress(enabled=False) as hidden:
        hidden.update(1, 4, "plus/index.html")
    assert capsys.readouterr().err == ""


def test_build_reports_a_system_error_without_a_traceback(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sobc.package import output

    def full_disk(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output, "place", full_disk)
    result = runner.invoke(main, ["build", str(EXAMPLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "No space left on device" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # the staging folder is gone too


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(runner: CliRunner, flag: str) -> None:
    from sobc.resources import VERSION as __version__

    result = runner.invoke(main, [flag])
    assert result.exit_code == 0
    assert result.output == f"sobc, version {__version__}\n"


@pytest.mark.parametrize("command", ["validate", "build", "serve"])
def test_a_missing_path_is_named(runner: CliRunner, tmp_path: Path, command: str) -> None:
    missing = tmp_path / "programs" / "x"
    result = runner.invoke(main, [command, str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"error: {missing} does not exist\n"


@pytest.mark.parametrize("file", ["program.yaml", "modules/grunder.yaml"])
def test_a_file_given_for_a_folder_names_the_program_folder(
    runner: CliRunner, example: Path, file: str
) -> None:
    result = runner.invoke(main, ["validate", str(example / file)])
    assert result.exit_code == 2
    expected = f"{example / file} is a file; give the program folder that holds it: {example}"
    assert result.stderr == f"error: {expected}\n"


def test_a_file_outside_any_program_says_what_to_give(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["build", str(tmp_path / "notes.txt")])
    assert result.exit_code == 2
    assert "is a file; give a program folder or a folder of programs" in result.stderr


RED = "\x1b[31m"


def test_colour_is_on_for_a_terminal_unless_no_color_is_set(
    runner: CliRunner, example: Path
) -> None:
    broken(example)
    unset = {"NO_COLOR": None}
    coloured = runner.invoke(main, ["validate", str(example)], color=True, env=unset)
    assert f"{RED}\x1b[1merror[SOBC101]" in coloured.output
    assert f"\x1b[1m{example / 'modules' / 'grunder.yaml'}:24:9: \x1b[0m" in coloured.output
    plain = runner.invoke(main, ["validate", str(example)], color=True, env={"NO_COLOR": "1"})
    assert plain.exit_code == 1 and "error[SOBC101]" in plain.output
    assert "\x1b[" not in plain.output


def test_color_forces_colour_off_a_terminal_and_no_color_removes_it(
    runner: CliRunner, example: Path
) -> None:
    broken(example)
    forced = runner.invoke(main, ["validate", "--color", str(example)], env={"NO_COLOR": "1"})
    assert f"{RED}\x1b[1merror[SOBC101]" in forced.output
    off = runner.invoke(
        main, ["validate", "--no-color", str(example)], color=True, env={"NO_COLOR": None}
    )
    assert "error[SOBC101]" in off.output and "\x1b[" not in off.output
    piped = runner.invoke(main, ["validate", str(example)])  # not a terminal: no colour
    assert "error[SOBC101]" in piped.output and "\x1b[" not in piped.output


def test_quiet_prints_only_problems(runner: CliRunner, example: Path, tmp_path: Path) -> None:
    clean = runner.invoke(main, ["validate", "-q", str(example)])
    assert clean.exit_code == 0 and clean.output == ""
    built = runner.invoke(main, ["build", "-q", str(example), "--out", str(tmp_path / "out")])
    assert built.exit_code == 0 and built.output == ""
    broken(example)
    failed = runner.invoke(main, ["validate", "--quiet", str(example)])
    assert failed.exit_code == 1 and "SOBC101" in failed.output
    assert "checked" not in failed.output


def test_verbose_says_what_was_compiled_and_where_the_cache_is(
    runner: CliRunner, example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOBC_CACHE_DIR", str(tmp_path / "cache"))
    out = str(tmp_path / "out")
    first = runner.invoke(main, ["build", "-v", str(example), "--out", out])
    assert first.exit_code == 0
    assert first.stderr == f"compiled example\ncache: {tmp_path / 'cache'}\n"
    again = runner.invoke(main, ["build", "--verbose", str(example), "--out", out])
    assert again.stderr == f"unchanged example\ncache: {tmp_path / 'cache'}\n"
    checked = runner.invoke(main, ["validate", "-v", str(example)])
    assert checked.stderr == f"checking {example}\n"


def test_every_command_takes_the_output_options(runner: CliRunner) -> None:
    for command in ("validate", "build", "serve", "schema"):
        help_text = runner.invoke(main, [command, "--help"]).output
        for option in ("-q, --quiet", "-v, --verbose", "--color / --no-color"):
            assert option in help_text, (command, option)


def test_schema_writes_the_json_schemas_with_their_ids(runner: CliRunner, tmp_path: Path) -> None:
    import jsonschema
    from referencing import Registry, Resource

    from sobc.read.schema import BASE_URI
    from sobc.read.source import parse_bytes
    from sobc.resources import schema_dir

    out = tmp_path / "editor" / "schema"
    result = runner.invoke(main, ["schema", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote 6 schemas into {out}\n"
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(p.name for p in schema_dir().glob("*.schema.json"))
    resources = []
    for name in written:
        contents = json.loads((out / name).read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(contents)
        assert contents["$id"] == BASE_URI + name
        resources.append(Resource.from_contents(contents))
    registry = Registry().with_resources((r.id(), r) for r in resources if r.id())
    module = json.loads((out / "module.schema.json").read_text(encoding="utf-8"))
    doc, _ = parse_bytes((EXAMPLE / "modules" / "grunder.yaml").read_bytes(), "grunder.yaml")
    assert doc is not None
    data = doc.data
    validator = jsonschema.Draft202012Validator(module, registry=registry)
    assert list(validator.iter_errors(data)) == []  # relative $refs resolve through the $ids
    assert not validator.is_valid({**data, "length_days": "lång"})


def test_schema_refuses_a_file_for_its_folder(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "schema").write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["schema", "--out", str(tmp_path / "schema")])
    assert result.exit_code == 2


def test_a_retention_of_one_day_is_said_in_the_singular(runner: CliRunner, example: Path) -> None:
    program = example / "program.yaml"
    program.write_text(program.read_text(encoding="utf-8").replace("max_days: 730", "max_days: 1"))
    result = runner.invoke(main, ["validate", str(example)])
    assert "recommended length of 90 days exceeds the retention of 1 day\n" in result.output


@pytest.mark.parametrize("output_format", ["json", "github", "text"])
@pytest.mark.parametrize("command", ["validate", "lint"])
def test_a_file_name_that_is_not_utf8_is_written_as_valid_utf8(
    example: Path, output_format: str, command: str
) -> None:
    """A name the system holds as bytes that are not UTF-8 (0xE5, 'å' in Latin-1) is shown
    with that byte as \\xe5; the output stays UTF-8, JSON that any parser reads."""
    (example / "media" / os.fsdecode(b"\xe5.txt")).write_bytes(b"hej")
    done = subprocess.run(
        [sys.executable, "-m", "sobc", command, "--format", output_format, str(example)],
        capture_output=True,
        cwd=example.parent,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")  # strict: fails on 0xE5
    if output_format == "json":
        (found,) = json.loads(done.stdout)["diagnostics"]
        assert (found["code"], found["file"]) == ("SOBC324", "example/media/\\xe5.txt")
    else:
        assert "media/\\xe5.txt" in text
