"""`pip install .` must give a working sobc whose schemas and templates come with the package."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from .conftest import EXAMPLE, ROOT

SHOW_ORIGIN_AND_RUN = (
    "import sys, sobc; print(sobc.__file__, file=sys.stderr); from sobc.cli import main; main()"
)


def test_wheel_carries_schemas_and_validates_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(wheels.glob("sobc-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for kind in ("common", "program", "module", "form", "manifest"):
        assert f"sobc/schema/{kind}.schema.json" in names
    assert "sobc/render/templates/base.html.j2" in names
    assert any(n.startswith("sobc/render/assets/") and n.endswith(".css") for n in names)
    entry_points = next(
        n for n in names if n.startswith("sobc-") and n.endswith("entry_points.txt")
    )
    with zipfile.ZipFile(wheel) as archive:
        assert "sobc = sobc.cli:main" in archive.read(entry_points).decode()
    # run from the unpacked wheel, away from the checkout, so schema/ beside it cannot be used
    program = tmp_path / "work" / "example"
    shutil.copytree(EXAMPLE, program)
    run = subprocess.run(
        [sys.executable, "-c", SHOW_ORIGIN_AND_RUN, "validate", "example"],
        cwd=program.parent,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr + run.stdout
    assert str(tmp_path / "site") in run.stderr
    # sobc lint's language rules come with the package
    assert "sobc/lint/language.yaml" in names
    linted = subprocess.run(
        [sys.executable, "-c", SHOW_ORIGIN_AND_RUN, "lint", "--strict", "example"],
        cwd=program.parent,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert linted.returncode == 0, linted.stderr + linted.stdout
    # sobc new, away from any schema/ folder, names the schemas the wheel carries
    made = subprocess.run(
        [sys.executable, "-c", SHOW_ORIGIN_AND_RUN, "new", "program", "ny"],
        cwd=program.parent,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stderr + made.stdout
    schemas = (tmp_path / "site" / "sobc" / "schema").resolve().as_uri()
    first = (program.parent / "programs" / "ny" / "program.yaml").read_text("utf-8")
    assert first.startswith(f"# yaml-language-server: $schema={schemas}/program.schema.json\n")
