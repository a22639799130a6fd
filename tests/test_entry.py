"""The `sobc` entry point: a plain build runs without importing click and says what the command
line would say; every other case goes to the command line unchanged."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import sobc.previous as previous
from sobc import entry
from sobc.cli import main as command_line

from .conftest import EXAMPLE
from .test_build_speed import tree

# Runs the entry point in a fresh interpreter and reports whether click was ever imported.
_RUN = """
import sys
from sobc.entry import main
sys.argv = ["sobc", *sys.argv[1:]]
try:
    main()
finally:
    print("click imported:", "click" in sys.modules, file=sys.stderr)
"""


def _sobc(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    command = [sys.executable, "-c", _RUN, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def test_a_plain_build_runs_without_click_and_says_what_the_command_line_says(
    tmp_path: Path,
) -> None:
    for attempt in ("full", "nothing to do"):
        plain = _sobc("build", EXAMPLE, "--out", tmp_path / "plain")
        assert plain.returncode == 0, plain.stderr
        assert "click imported: False" in plain.stderr, attempt
        said = CliRunner().invoke(
            command_line, ["build", str(EXAMPLE), "--out", str(tmp_path / "click")]
        )
        assert said.exit_code == 0
        shown = plain.stdout.replace(str(tmp_path / "plain"), str(tmp_path / "click"))
        assert shown == said.output != ""
    assert "(0 pages rendered" in plain.stdout
    assert tree(tmp_path / "plain") == tree(tmp_path / "click")
    quiet = _sobc("build", EXAMPLE, f"--out={tmp_path / 'plain'}", "--strict", "-q")
    assert (quiet.returncode, quiet.stdout) == (0, "")
    assert "click imported: False" in quiet.stderr


def test_a_failed_plain_build_reports_as_the_command_line_does(
    tmp_path: Path, example: Path
) -> None:
    module = example / "modules" / "grunder.yaml"
    module.write_text(module.read_text().replace("forms: [fragor]", "forms: [fragr]"))
    plain = _sobc("build", example, "--out", tmp_path / "out")
    said = CliRunner().invoke(command_line, ["build", str(example), "--out", str(tmp_path / "out")])
    assert plain.returncode == said.exit_code == 1
    assert "click imported: False" in plain.stderr
    assert plain.stderr.startswith(said.stderr) and "SOBC302" in said.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "args",
    [
        ["build", "{example}", "--out", "{out}", "--quiet", "--no-such-option"],
        ["build", "{example}", "--out"],
        ["build", "{missing}", "--out", "{out}"],
        ["validate", "{example}"],
        ["--version"],
    ],
    ids=["unknown option", "no value", "no such folder", "another command", "version"],
)
def test_anything_else_goes_to_the_command_line(tmp_path: Path, args: list[str]) -> None:
    out = tmp_path / "out"
    assert _sobc("build", EXAMPLE, "--out", out).returncode == 0
    values = {"example": str(EXAMPLE), "out": str(out), "missing": str(tmp_path / "nowhere")}
    result = _sobc(*(a.format(**values) for a in args))
    assert "click imported: True" in result.stderr
    said = CliRunner().invoke(command_line, [a.format(**values) for a in args])
    assert result.returncode == said.exit_code
    assert "Traceback" not in result.stderr


def test_a_changed_program_is_built_from_the_first_look(
    tmp_path: Path,
    example: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    looks: list[Path] = []
    real = previous.look
    monkeypatch.setattr(previous, "look", lambda f, o: looks.append(o) or real(f, o))
    monkeypatch.setattr(sys, "argv", ["sobc", "build", str(example), "--out", str(out)])
    for _ in range(2):
        with pytest.raises(SystemExit) as done:
            entry.main()
        assert done.value.code == 0
    assert len(looks) == 2  # one look for each build, none taken twice
    assert "0 pages rendered" in capsys.readouterr().out
    module = example / "modules" / "grunder.yaml"
    module.write_text(module.read_text().replace("title: Introduktion", "title: Början"))
    looks.clear()
    with pytest.raises(SystemExit) as done:
        entry.main()
    assert done.value.code == 0 and len(looks) == 1
    said = capsys.readouterr().out
    assert "built 1 programs" in said and "0 pages rendered" not in said


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build"], ([], Path("build"), False, False)),
        (["build", "a", "--out", "o", "-q"], ([Path("a")], Path("o"), False, True)),
        (
            ["build", "--out=o", "--strict", "a", "b"],
            ([Path("a"), Path("b")], Path("o"), True, False),
        ),
        (["build", "--out", "x", "--out", "y"], ([], Path("y"), False, False)),
        (["build", "--out="], None),
        (["build", "-"], None),
        (["build", "--help"], None),
        (["build", "--outfile", "x"], None),
        (["serve"], None),
        ([], None),
    ],
)
def test_only_the_plain_build_command_is_read_before_the_command_line(
    args: list[str], expected: tuple[list[Path], Path, bool, bool] | None
) -> None:
    assert entry._plain_build(args) == expected
