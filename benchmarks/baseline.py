"""A git revision of sobc in a venv of its own, to measure side by side with this checkout.

The revision's files (`git archive`) go to `benchmarks/.work/baseline-<short rev>/src`, and a
venv beside them gets `pip install -e` of that tree, as `.venv` has of this checkout, with
the bytecode compiled in both: the two sides differ only in their code (and in a dependency
whose version pip resolves differently, which `differing_packages` reports). A revision
already prepared is reused.

    python -m benchmarks.baseline REV      # prints the revision's sobc executable
"""

from __future__ import annotations

import compileall
import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY = ".ready"  # written last: a folder without it is a preparation cut short
TOOLING = {"pip", "setuptools", "wheel"}  # what a venv has whatever it runs


def commit(rev: str) -> str:
    """The full commit id `rev` names in this repository; raises if it names none."""
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise ValueError(f"not a commit in this repository: {rev!r}")
    return done.stdout.strip()


def this_checkout() -> str:
    """This checkout's commit, and whether what gets installed has changed since."""
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", "sobc", "schema", "pyproject.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return commit("HEAD")[:7] + (" with uncommitted changes" if changed else "")


def extract(rev: str, dest: Path) -> None:
    """The revision's tracked files into `dest`."""
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


def install(tree: Path, venv: Path) -> None:
    """A venv with `tree` installed editable, its bytecode compiled."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", str(tree)], check=True)
    compileall.compile_dir(tree / "sobc", quiet=1)


def prepare(rev: str, work: Path) -> Path:
    """The `sobc` executable of `rev`, installed under `work` unless it is there already."""
    full = commit(rev)
    home = work.resolve() / f"baseline-{full[:7]}"
    sobc = home / "venv" / "bin" / "sobc"
    if (home / READY).is_file():
        return sobc
    if home.exists():
        shutil.rmtree(home)
    print(f"preparing the baseline {full[:7]} in {home}")
    extract(full, home / "src")
    install(home / "src", home / "venv")
    (home / READY).write_text(full + "\n", encoding="utf-8")
    return sobc


def _installed(python: Path) -> dict[str, str]:
    done = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze", "--exclude-editable"],
        capture_output=True,
        text=True,
        check=True,
    )
    pairs = (line.split("==", 1) for line in done.stdout.splitlines() if "==" in line)
    return {name.lower(): version for name, version in pairs if name.lower() not in TOOLING}


def differing_packages(sobc: Path, baseline: Path) -> list[str]:
    """Packages installed beside both executables, in different versions."""
    mine, theirs = _installed(sobc.parent / "python"), _installed(baseline.parent / "python")
    return [
        f"{name} {mine[name]} here, {theirs[name]} in the baseline"
        for name in sorted(mine.keys() & theirs.keys())
        if mine[name] != theirs[name]
    ]


def main() -> None:
    print(prepare(sys.argv[1], ROOT / "benchmarks" / ".work"))


if __name__ == "__main__":
    main()
