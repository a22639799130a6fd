"""The `sobc` entry point: a build with nothing to do is answered before click is imported, says
what the command line would say, and hands every other case to the command line unchanged."""

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


def test_nothing_to_do_is_answered_without_click_and_as_the_command_line_says(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    first = _sobc("build", EXAMPLE, "--out", out)
    assert first.returncode == 0, first.stderr
    assert "click imported: True" in first.stderr  # there was something to do
    again = _sobc("build", EXAMPLE, "--out", out)
    assert again.returncode == 0, again.stderr
    assert "click imported: False" in again.stderr
    said = CliRunner().invoke(command_line, ["build", str(EXAMPLE), "--out", str(out)])
    assert said.exit_code == 0
    assert again.stdout == said.output != ""
    assert "(0 pages rendered" in again.stdout
    quiet = _sobc("build", EXAMPLE, f"--out={out}", "--strict", "-q")
    assert (quiet.returncode, quiet.stdout) == (0, "")
    assert "click imported: False" in quiet.stderr


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
        (["build"], ([], Path("build"), False)),
        (["build", "a", "b", "--out", "o", "-q"], ([Path("a"), Path("b")], Path("o"), True)),
        (["build", "--out=o", "--strict", "a"], ([Path("a")], Path("o"), False)),
        (["build", "--out", "x", "--out", "y"], ([], Path("y"), False)),
        (["build", "--out="], None),
        (["build", "-"], None),
        (["build", "--help"], None),
        (["build", "--outfile", "x"], None),
        (["serve"], None),
        ([], None),
    ],
)
def test_only_the_plain_build_command_is_read_before_the_command_line(
    args: list[str], expected: tuple[list[Path], Path, bool] | None
) -> None:
    assert entry._plain_build(args) == expected
